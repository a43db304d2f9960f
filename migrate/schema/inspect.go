package schema

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// catalog reads one engine family's system catalog.
type catalog interface {
	// tableNames lists the user tables of the current schema or database.
	tableNames(ctx context.Context, q Querier) ([]string, error)
	// table reads one table; it returns nil and no error when the table
	// does not exist.
	table(ctx context.Context, q Querier, name string) (*Table, error)
}

// catalogFor returns the catalog reader for d; a MySQL-family reader asks
// the server whether it is MariaDB, whose catalog spells defaults and JSON
// columns differently.
func catalogFor(ctx context.Context, q Querier, d dialect.Dialect) (catalog, error) {
	if q == nil {
		return nil, fmt.Errorf("%w: inspect: nil Querier", ErrInvalid)
	}
	switch sqltext.FamilyOf(d) {
	case sqltext.SQLite:
		return sqliteCatalog{d: d}, nil
	case sqltext.Postgres:
		return postgresCatalog{d: d}, nil
	case sqltext.MySQL:
		var v string
		if err := q.QueryRowContext(ctx, "SELECT VERSION()").Scan(&v); err != nil {
			return nil, fmt.Errorf("kinglet: schema: inspect: read the server version: %w", err)
		}
		return mysqlCatalog{d: d, mariadb: strings.Contains(strings.ToLower(v), "mariadb")}, nil
	}
	if d == nil {
		return nil, fmt.Errorf("%w: inspect: nil dialect", ErrInvalid)
	}
	return nil, dialect.Unsupported(d, "schema introspection")
}

// Inspect reads the schema of the database q is connected to: every user
// table of the current schema (PostgreSQL's current_schema(), MySQL's
// DATABASE(), SQLite's main database without its sqlite_ tables), sorted
// by name, with columns in ordinal order (types normalised by
// NormalizeType, defaults in one spelling per engine), the primary key,
// indexes and unique constraints (not the primary key's index), foreign
// keys and checks. Names the engine leaves out are derived the way models
// name them: SQLite keeps no name for an inline UNIQUE, REFERENCES or
// CHECK, which become uq_<table>_<columns>, fk_<table>_<columns> and
// ck_<table>_<n>.
//
// Engine quirks are smoothed over so that a table created from models
// inspects as FromModels describes it: MariaDB's JSON columns (LONGTEXT
// with a json_valid CHECK) are reported as json without that check, and
// the indexes MySQL adds for foreign keys are left out.
func Inspect(ctx context.Context, q Querier, d dialect.Dialect) (*Schema, error) {
	c, err := catalogFor(ctx, q, d)
	if err != nil {
		return nil, err
	}
	names, err := c.tableNames(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("kinglet: schema: inspect: list the tables on %s: %w", d, err)
	}
	slices.Sort(names)
	s := &Schema{Tables: make([]*Table, 0, len(names))}
	for _, name := range names {
		t, err := c.table(ctx, q, name)
		if err != nil {
			return nil, fmt.Errorf("kinglet: schema: inspect table %s on %s: %w", name, d, err)
		}
		if t != nil { // dropped since it was listed
			s.Tables = append(s.Tables, t)
		}
	}
	return s, nil
}

// InspectTable reads one table as Inspect does. A table that does not
// exist is an error wrapping ErrNoTable.
func InspectTable(ctx context.Context, q Querier, d dialect.Dialect, name string) (*Table, error) {
	if name == "" {
		return nil, fmt.Errorf("%w: inspect: empty table name", ErrInvalid)
	}
	c, err := catalogFor(ctx, q, d)
	if err != nil {
		return nil, err
	}
	t, err := c.table(ctx, q, name)
	if err != nil {
		return nil, fmt.Errorf("kinglet: schema: inspect table %s on %s: %w", name, d, err)
	}
	if t == nil {
		return nil, fmt.Errorf("%w: %s on %s", ErrNoTable, name, d)
	}
	return t, nil
}

// setDefault stores a default read from a catalog on c, normalised; a
// DEFAULT NULL is no default.
func setDefault(d dialect.Dialect, c *Column, expr string) {
	expr = sqltext.NormalizeDefault(d, expr)
	if expr == "" || expr == "NULL" {
		c.Default, c.HasDefault = "", false
		return
	}
	c.Default, c.HasDefault = expr, true
}

// derivedName names an unnamed constraint the way models name theirs:
// prefix_table_col1_col2, shortened as fields.DerivedName shortens it.
func derivedName(prefix, table string, cols []string) string {
	return fields.DerivedName(prefix, table, cols...)
}

// sortIndexes and sortForeignKeys give inspected tables one order, by name.
func sortIndexes(t *Table) {
	slices.SortFunc(t.Indexes, func(a, b Index) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(t.ForeignKeys, func(a, b ForeignKey) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(t.Checks, func(a, b Check) int { return strings.Compare(a.Name, b.Name) })
}

// scanRows runs query and calls fn for each row, which scans it.
func scanRows(ctx context.Context, q Querier, query string, args []any, fn func(scan func(dest ...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

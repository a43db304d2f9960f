package schema

import (
	"context"
	"database/sql"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// catalog reads one engine family's system catalog.
type catalog interface {
	// tableNames lists the user tables of the schema or database read,
	// and its views too when asked.
	tableNames(ctx context.Context, q Querier, views bool) ([]listedTable, error)
	// table reads one table; it returns nil and no error when the table
	// does not exist.
	table(ctx context.Context, q Querier, name string) (*Table, error)
	// view reads one view's columns, or nil when it does not exist.
	view(ctx context.Context, q Querier, name string) (*Table, error)
}

// listedTable is a name tableNames found.
type listedTable struct {
	name string
	view bool
}

// catalogFor returns the catalog reader for d over schemaName ("" for the
// current one); a MySQL-family reader asks the server whether it is
// MariaDB, whose catalog spells defaults and JSON columns differently.
func catalogFor(ctx context.Context, q Querier, d dialect.Dialect, schemaName string) (catalog, error) {
	if q == nil {
		return nil, fmt.Errorf("%w: inspect: nil Querier", ErrInvalid)
	}
	switch sqltext.FamilyOf(d) {
	case sqltext.SQLite:
		if schemaName != "" && schemaName != "main" {
			return nil, dialect.Unsupported(d, "inspecting schema "+strconv.Quote(schemaName)+" (only main)")
		}
		return sqliteCatalog{d: d}, nil
	case sqltext.Postgres:
		return postgresCatalog{d: d, schema: schemaName}, nil
	case sqltext.MySQL:
		var v string
		var cur sql.NullString
		if err := q.QueryRowContext(ctx, "SELECT VERSION(), DATABASE()").Scan(&v, &cur); err != nil {
			return nil, fmt.Errorf("kinglet: schema: inspect: read the server version: %w", err)
		}
		if schemaName == "" {
			if !cur.Valid {
				return nil, fmt.Errorf("%w: inspect: the connection has no database selected: name one in the URL", ErrInvalid)
			}
			schemaName = cur.String
		}
		return mysqlCatalog{d: d, mariadb: strings.Contains(strings.ToLower(v), "mariadb"), schema: schemaName}, nil
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
	return InspectWith(ctx, q, d, Filter{})
}

// Filter chooses what InspectWith reads. The zero Filter reads what
// Inspect does.
type Filter struct {
	// Schema is the PostgreSQL schema or MySQL database to read instead of
	// the current one; on SQLite only "main" is known. A foreign key to
	// a table in another schema names it schema.table.
	Schema string
	// Tables keeps only the tables whose name matches one of these
	// patterns (path.Match: users, order_*); none keeps every table.
	Tables []string
	// Exclude leaves out the tables whose name matches one of these
	// patterns, after Tables.
	Exclude []string
	// Views reads views too (materialized ones on PostgreSQL), as tables
	// with View set and only their columns.
	Views bool
}

// Match reports whether table name passes Tables and Exclude.
func (f Filter) Match(name string) bool {
	matches := func(pats []string) bool {
		for _, p := range pats {
			if ok, _ := path.Match(p, name); ok {
				return true
			}
		}
		return false
	}
	return (len(f.Tables) == 0 || matches(f.Tables)) && !matches(f.Exclude)
}

// InspectWith is Inspect over the schema, tables and views that f chooses.
// A malformed pattern is an error wrapping ErrInvalid that names it.
func InspectWith(ctx context.Context, q Querier, d dialect.Dialect, f Filter) (*Schema, error) {
	for _, p := range append(slices.Clone(f.Tables), f.Exclude...) {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("%w: inspect: table pattern %q: %v", ErrInvalid, p, err)
		}
	}
	c, err := catalogFor(ctx, q, d, f.Schema)
	if err != nil {
		return nil, err
	}
	names, err := c.tableNames(ctx, q, f.Views)
	if err != nil {
		return nil, fmt.Errorf("kinglet: schema: inspect: list the tables on %s: %w", d, err)
	}
	slices.SortFunc(names, func(a, b listedTable) int { return strings.Compare(a.name, b.name) })
	s := &Schema{Tables: make([]*Table, 0, len(names))}
	for _, l := range names {
		if !f.Match(l.name) {
			continue
		}
		read, what := c.table, "table"
		if l.view {
			read, what = c.view, "view"
		}
		t, err := read(ctx, q, l.name)
		if err != nil {
			return nil, fmt.Errorf("kinglet: schema: inspect %s %s on %s: %w", what, l.name, d, err)
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
	c, err := catalogFor(ctx, q, d, "")
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

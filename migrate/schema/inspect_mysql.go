package schema

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// mysqlCatalog reads information_schema for the tables of a database, on
// MySQL and MariaDB. mariadb is what the server said it is: MariaDB quotes
// string defaults in COLUMNS.COLUMN_DEFAULT (and reports a missing default
// of a nullable column as the text NULL), stores JSON as LONGTEXT with a
// json_valid CHECK named after the column, and keeps CHECK constraints per
// table; MySQL 8 reports literal defaults unquoted, expression defaults
// with DEFAULT_GENERATED, and names checks per schema.
type mysqlCatalog struct {
	d       dialect.Dialect
	mariadb bool
	schema  string // the database read: DATABASE() unless one is named
}

func (c mysqlCatalog) tableNames(ctx context.Context, q Querier, views bool) ([]listedTable, error) {
	types := "'BASE TABLE'"
	if views {
		types += ", 'VIEW', 'SYSTEM VIEW'"
	}
	var names []listedTable
	err := scanRows(ctx, q, `SELECT TABLE_NAME, TABLE_TYPE <> 'BASE TABLE' FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN (`+types+`)`, []any{c.schema},
		func(scan func(...any) error) error {
			var l listedTable
			if err := scan(&l.name, &l.view); err != nil {
				return err
			}
			names = append(names, l)
			return nil
		})
	return names, err
}

// exists reports whether the database has a table (or view) called name.
func (c mysqlCatalog) exists(ctx context.Context, q Querier, name, types string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN (`+types+`) AND TABLE_NAME = ?`, c.schema, name).Scan(&n)
	return n > 0, err
}

func (c mysqlCatalog) view(ctx context.Context, q Querier, name string) (*Table, error) {
	ok, err := c.exists(ctx, q, name, "'VIEW', 'SYSTEM VIEW'")
	if err != nil || !ok {
		return nil, err
	}
	t := &Table{Name: name, View: true}
	if err := c.columns(ctx, q, t); err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	return t, nil
}

func (c mysqlCatalog) table(ctx context.Context, q Querier, name string) (*Table, error) {
	ok, err := c.exists(ctx, q, name, "'BASE TABLE'")
	if err != nil || !ok {
		return nil, err
	}
	t := &Table{Name: name}
	for _, step := range []struct {
		what string
		fn   func(context.Context, Querier, *Table) error
	}{
		{"columns", c.columns}, {"indexes", c.indexes}, {"foreign keys", c.foreignKeys}, {"checks", c.checks},
	} {
		if err := step.fn(ctx, q, t); err != nil {
			return nil, fmt.Errorf("%s: %w", step.what, err)
		}
	}
	c.dropImplicit(t)
	sortIndexes(t)
	return t, nil
}

// mysqlNumeric are the DATA_TYPEs whose literal defaults are numbers.
var mysqlNumeric = map[string]bool{
	"tinyint": true, "smallint": true, "mediumint": true, "int": true, "integer": true, "bigint": true,
	"decimal": true, "numeric": true, "float": true, "double": true, "real": true, "bit": true, "year": true,
}

func (c mysqlCatalog) columns(ctx context.Context, q Querier, t *Table) error {
	return scanRows(ctx, q, `SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
ORDER BY ORDINAL_POSITION`, []any{c.schema, t.Name}, func(scan func(...any) error) error {
		var (
			col                Column
			dataType, nullable string
			dflt               sql.NullString
			extra              string
		)
		if err := scan(&col.Name, &col.Type, &dataType, &nullable, &dflt, &extra); err != nil {
			return err
		}
		col.Type = NormalizeType(c.d, col.Type)
		col.Nullable = nullable == "YES"
		extra = strings.ToLower(extra)
		col.AutoIncrement = strings.Contains(extra, "auto_increment")
		if dflt.Valid {
			setDefault(c.d, &col, c.defaultSQL(dflt.String, dataType, extra))
		}
		t.Columns = append(t.Columns, col)
		return nil
	})
}

// defaultSQL turns COLUMN_DEFAULT into SQL text. MariaDB's is SQL already
// ('x', 0, current_timestamp(), NULL). MySQL's is the bare value of a
// literal, to be quoted unless the column is numeric, or with
// DEFAULT_GENERATED in EXTRA an expression whose quotes are escaped
// (_utf8mb4\'x\').
func (c mysqlCatalog) defaultSQL(dflt, dataType, extra string) string {
	switch {
	case c.mariadb:
		return dflt
	case strings.Contains(extra, "default_generated"):
		return strings.ReplaceAll(dflt, `\'`, `'`)
	case mysqlNumeric[strings.ToLower(dataType)]:
		return dflt
	}
	return string(c.d.AppendString(nil, dflt))
}

// indexes reads STATISTICS, one row per key part. A functional key part
// (MySQL 8.0.13) has no COLUMN_NAME but an EXPRESSION, which MariaDB's
// STATISTICS does not have.
func (c mysqlCatalog) indexes(ctx context.Context, q Querier, t *Table) error {
	part := "COLUMN_NAME"
	if !c.mariadb && c.d.Has(dialect.IndexExpressions) {
		part = "COALESCE(COLUMN_NAME, CONCAT('(', EXPRESSION, ')'))"
	}
	byName := map[string]int{}
	return scanRows(ctx, q, `SELECT INDEX_NAME, NON_UNIQUE, `+part+`
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
ORDER BY INDEX_NAME, SEQ_IN_INDEX`, []any{c.schema, t.Name}, func(scan func(...any) error) error {
		var (
			name      string
			nonUnique int
			col       sql.NullString
		)
		if err := scan(&name, &nonUnique, &col); err != nil {
			return err
		}
		part := col.String
		if !col.Valid {
			part = "(?)" // an expression the catalog does not show
		}
		if name == "PRIMARY" {
			t.PrimaryKey = append(t.PrimaryKey, part)
			return nil
		}
		i, ok := byName[name]
		if !ok {
			i = len(t.Indexes)
			byName[name] = i
			// MySQL does not tell a UNIQUE constraint from a unique index.
			t.Indexes = append(t.Indexes, Index{Name: name, Unique: nonUnique == 0})
		}
		t.Indexes[i].Columns = append(t.Indexes[i].Columns, part)
		return nil
	})
}

func (c mysqlCatalog) foreignKeys(ctx context.Context, q Querier, t *Table) error {
	byName := map[string]int{}
	return scanRows(ctx, q, `SELECT k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME,
	k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
	ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION`, []any{c.schema, t.Name}, func(scan func(...any) error) error {
		var (
			fk                  ForeignKey
			col, schema, refCol string
			del, upd            string
		)
		if err := scan(&fk.Name, &col, &schema, &fk.RefTable, &refCol, &del, &upd); err != nil {
			return err
		}
		if schema != c.schema {
			fk.RefTable = schema + "." + fk.RefTable // another database
		}
		i, ok := byName[fk.Name]
		if !ok {
			fk.OnDelete, fk.OnUpdate = innodbAction(del), innodbAction(upd)
			i = len(t.ForeignKeys)
			byName[fk.Name] = i
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
		t.ForeignKeys[i].Columns = append(t.ForeignKeys[i].Columns, col)
		t.ForeignKeys[i].RefColumns = append(t.ForeignKeys[i].RefColumns, refCol)
		return nil
	})
}

// innodbAction is FKAction for InnoDB, where RESTRICT and NO ACTION are
// one action (both check at once): MariaDB reports RESTRICT for a key
// declared without an action, and for one declared ON DELETE RESTRICT
// alike, so both read as no action, as SQLite and PostgreSQL report the
// former.
func innodbAction(a string) string {
	if a = sqltext.FKAction(a); a == "RESTRICT" {
		return ""
	}
	return a
}

// checks reads CHECK constraints. MariaDB's CHECK_CONSTRAINTS has the
// table (names are per table); MySQL's does not (names are per schema), so
// TABLE_CONSTRAINTS says which table a check belongs to. MySQL writes the
// clause in parentheses, which are dropped.
func (c mysqlCatalog) checks(ctx context.Context, q Querier, t *Table) error {
	query := `SELECT cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA
	AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
WHERE cc.CONSTRAINT_SCHEMA = ? AND tc.TABLE_NAME = ?`
	if c.mariadb {
		query = `SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?`
	}
	return scanRows(ctx, q, query, []any{c.schema, t.Name}, func(scan func(...any) error) error {
		var ck Check
		if err := scan(&ck.Name, &ck.Expr); err != nil {
			return err
		}
		ck.Expr = stripParens(ck.Expr, sqltext.MySQL)
		t.Checks = append(t.Checks, ck)
		return nil
	})
}

// dropImplicit removes what the engine added on its own: the index MySQL
// creates for a foreign key that has none (named after the constraint, or
// after its first column when the constraint had no name), and MariaDB's
// json_valid CHECK of a JSON column, whose type is reported as json.
func (c mysqlCatalog) dropImplicit(t *Table) {
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix Index) bool {
		if ix.Unique {
			return false
		}
		for i, fk := range t.ForeignKeys {
			if slices.Equal(ix.Columns, fk.Columns) && (ix.Name == fk.Name || ix.Name == fk.Columns[0]) {
				t.ForeignKeys[i].Index = ix.Name
				return true
			}
		}
		return false
	})
	if !c.mariadb {
		return
	}
	t.Checks = slices.DeleteFunc(t.Checks, func(ck Check) bool {
		col := t.Column(ck.Name)
		if col == nil || col.Type != "longtext" {
			return false
		}
		if sqltext.CanonExpr(ck.Expr, sqltext.MySQL) != sqltext.CanonExpr("json_valid("+string(c.d.AppendIdent(nil, col.Name))+")", sqltext.MySQL) {
			return false
		}
		col.Type = "json"
		return true
	})
}

// stripParens removes parentheses around the whole of expression s.
func stripParens(s string, fam sqltext.Family) string {
	for {
		s = strings.TrimSpace(s)
		toks := sqltext.Lex(s, fam)
		if len(toks) < 2 || !toks[0].IsPunct("(") || sqltext.CloseParen(toks, 0) != len(toks)-1 {
			return s
		}
		s = s[toks[0].End:toks[len(toks)-1].Start]
	}
}

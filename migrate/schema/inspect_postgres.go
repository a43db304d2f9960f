package schema

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// postgresCatalog reads PostgreSQL's pg_catalog for the tables of a
// schema: current_schema() unless one is named. The table is found by name
// once; the other queries take its oid.
type postgresCatalog struct {
	d      dialect.Dialect
	schema string // "" = current_schema()
}

// pgSchema is the schema to read, as SQL: $1 or current_schema().
const pgSchema = "COALESCE(NULLIF($1, ''), current_schema())"

func (c postgresCatalog) tableNames(ctx context.Context, q Querier, views bool) ([]listedTable, error) {
	kinds := "'r', 'p'"
	if views {
		kinds += ", 'v', 'm'"
	}
	var names []listedTable
	err := scanRows(ctx, q, `SELECT c.relname, c.relkind IN ('v', 'm') FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = `+pgSchema+` AND c.relkind IN (`+kinds+`) AND NOT c.relispartition`, []any{c.schema},
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

// oid finds a relation of one of kinds by name; 0 when there is none.
func (c postgresCatalog) oid(ctx context.Context, q Querier, name, kinds string) (int64, error) {
	var oid int64
	err := q.QueryRowContext(ctx, `SELECT c.oid::int8 FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = `+pgSchema+` AND c.relname = $2 AND c.relkind IN (`+kinds+`)`, c.schema, name).Scan(&oid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return oid, err
}

func (c postgresCatalog) view(ctx context.Context, q Querier, name string) (*Table, error) {
	oid, err := c.oid(ctx, q, name, "'v', 'm'")
	if err != nil || oid == 0 {
		return nil, err
	}
	t := &Table{Name: name, View: true}
	if err := c.columns(ctx, q, t, oid); err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	return t, nil
}

func (c postgresCatalog) table(ctx context.Context, q Querier, name string) (*Table, error) {
	oid, err := c.oid(ctx, q, name, "'r', 'p'")
	if err != nil || oid == 0 {
		return nil, err
	}
	t := &Table{Name: name}
	for _, step := range []struct {
		what string
		fn   func(context.Context, Querier, *Table, int64) error
	}{
		{"columns", c.columns}, {"primary key", c.primaryKey}, {"indexes", c.indexes},
		{"foreign keys", c.foreignKeys}, {"checks", c.checks},
	} {
		if err := step.fn(ctx, q, t, oid); err != nil {
			return nil, fmt.Errorf("%s: %w", step.what, err)
		}
	}
	sortIndexes(t)
	return t, nil
}

func (c postgresCatalog) columns(ctx context.Context, q Querier, t *Table, oid int64) error {
	return scanRows(ctx, q, `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
	pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity <> '', a.attgenerated <> ''
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`, []any{oid}, func(scan func(...any) error) error {
		var (
			col                 Column
			notnull             bool
			dflt                sql.NullString
			identity, generated bool
		)
		if err := scan(&col.Name, &col.Type, &notnull, &dflt, &identity, &generated); err != nil {
			return err
		}
		col.Type = NormalizeType(c.d, col.Type)
		col.Nullable = !notnull
		switch {
		case identity:
			col.AutoIncrement = true
		case dflt.Valid && strings.HasPrefix(dflt.String, "nextval(") && isSerialType(col.Type):
			col.AutoIncrement = true // serial: the sequence is the column's own
		case dflt.Valid && !generated:
			setDefault(c.d, &col, dflt.String)
		}
		t.Columns = append(t.Columns, col)
		return nil
	})
}

func isSerialType(typ string) bool { return typ == "integer" || typ == "bigint" || typ == "smallint" }

func (postgresCatalog) primaryKey(ctx context.Context, q Querier, t *Table, oid int64) error {
	return scanRows(ctx, q, `SELECT a.attname
FROM pg_catalog.pg_index i
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = $1::int8::oid AND i.indisprimary
ORDER BY k.ord`, []any{oid}, func(scan func(...any) error) error {
		var n string
		if err := scan(&n); err != nil {
			return err
		}
		t.PrimaryKey = append(t.PrimaryKey, n)
		return nil
	})
}

// indexes reads every index but the primary key's, one row per key part:
// a column's name, or an expression as pg_get_indexdef writes it. INCLUDE
// columns are not key parts and are left out.
func (postgresCatalog) indexes(ctx context.Context, q Querier, t *Table, oid int64) error {
	byName := map[string]int{}
	return scanRows(ctx, q, `SELECT ic.relname, i.indisunique, COALESCE(pg_catalog.pg_get_expr(i.indpred, i.indrelid, true), ''),
	EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype = 'u'),
	k.ord, COALESCE(a.attname, '(' || pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true) || ')')
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
WHERE i.indrelid = $1::int8::oid AND NOT i.indisprimary AND k.ord <= i.indnkeyatts
	AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint x WHERE x.conindid = i.indexrelid AND x.contype = 'x')
ORDER BY ic.relname, k.ord`, []any{oid}, func(scan func(...any) error) error {
		var (
			ix   Index
			ord  int
			part string
		)
		if err := scan(&ix.Name, &ix.Unique, &ix.Where, &ix.Constraint, &ord, &part); err != nil {
			return err
		}
		i, ok := byName[ix.Name]
		if !ok {
			i = len(t.Indexes)
			byName[ix.Name] = i
			t.Indexes = append(t.Indexes, ix)
		}
		t.Indexes[i].Columns = append(t.Indexes[i].Columns, part)
		return nil
	})
}

// pgActions are pg_constraint's confdeltype and confupdtype codes.
var pgActions = map[string]string{"a": "", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

func (postgresCatalog) foreignKeys(ctx context.Context, q Querier, t *Table, oid int64) error {
	byName := map[string]int{}
	return scanRows(ctx, q, `SELECT con.conname,
	CASE WHEN rt.relnamespace = (SELECT o.relnamespace FROM pg_catalog.pg_class o WHERE o.oid = con.conrelid)
		THEN rt.relname ELSE rn.nspname || '.' || rt.relname END,
	con.confdeltype::text, con.confupdtype::text, a.attname, ra.attname
FROM pg_catalog.pg_constraint con
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(col, refcol, ord)
JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
JOIN pg_catalog.pg_class rt ON rt.oid = con.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.relnamespace
JOIN pg_catalog.pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refcol
WHERE con.conrelid = $1::int8::oid AND con.contype = 'f'
ORDER BY con.conname, k.ord`, []any{oid}, func(scan func(...any) error) error {
		var (
			fk       ForeignKey
			del, upd string
			col, ref string
		)
		if err := scan(&fk.Name, &fk.RefTable, &del, &upd, &col, &ref); err != nil {
			return err
		}
		i, ok := byName[fk.Name]
		if !ok {
			fk.OnDelete, fk.OnUpdate = pgActions[del], pgActions[upd]
			i = len(t.ForeignKeys)
			byName[fk.Name] = i
			t.ForeignKeys = append(t.ForeignKeys, fk)
		}
		t.ForeignKeys[i].Columns = append(t.ForeignKeys[i].Columns, col)
		t.ForeignKeys[i].RefColumns = append(t.ForeignKeys[i].RefColumns, ref)
		return nil
	})
}

// checks reads CHECK constraints; pg_get_constraintdef writes them as
// "CHECK (expr)" with a NOT VALID suffix for unvalidated ones.
func (postgresCatalog) checks(ctx context.Context, q Querier, t *Table, oid int64) error {
	return scanRows(ctx, q, `SELECT conname, pg_catalog.pg_get_constraintdef(oid, true)
FROM pg_catalog.pg_constraint WHERE conrelid = $1::int8::oid AND contype = 'c'`, []any{oid},
		func(scan func(...any) error) error {
			var ck Check
			var def string
			if err := scan(&ck.Name, &def); err != nil {
				return err
			}
			ck.Expr = checkBody(def)
			t.Checks = append(t.Checks, ck)
			return nil
		})
}

// checkBody returns expr from "CHECK (expr) [NOT VALID]".
func checkBody(def string) string {
	toks := sqltext.Lex(def, sqltext.Postgres)
	if len(toks) > 1 && toks[0].Is("check") && toks[1].IsPunct("(") {
		if end := sqltext.CloseParen(toks, 1); end > 0 {
			return strings.TrimSpace(def[toks[1].End:toks[end].Start])
		}
	}
	return def
}

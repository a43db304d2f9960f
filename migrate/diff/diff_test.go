package diff_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/diff"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// tbl builds a table of BIGINT columns with primary key id; fks are
// "column>table" references to table.id.
func tbl(name string, cols []string, fks ...string) *schema.Table {
	t := &schema.Table{Name: name, PrimaryKey: []string{"id"}}
	t.Columns = append(t.Columns, schema.Column{Name: "id", Type: "BIGINT"})
	for _, c := range cols {
		t.Columns = append(t.Columns, schema.Column{Name: c, Type: "BIGINT", Nullable: true})
	}
	for _, fk := range fks {
		for i := 0; i < len(fk); i++ {
			if fk[i] == '>' {
				col, ref := fk[:i], fk[i+1:]
				t.Columns = append(t.Columns, schema.Column{Name: col, Type: "BIGINT", Nullable: true})
				t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{
					Name: "fk_" + name + "_" + col, Columns: []string{col}, RefTable: ref, RefColumns: []string{"id"},
				})
			}
		}
	}
	return t
}

func schemaOf(ts ...*schema.Table) *schema.Schema { return &schema.Schema{Tables: ts} }

// opStrings describes ops for readable failures.
func opStrings(ops []ddl.Op) []string {
	out := make([]string, len(ops))
	for i, o := range ops {
		out[i] = o.String()
	}
	return out
}

func TestDiffCreateOrder(t *testing.T) {
	desired := schemaOf(
		tbl("a", nil, "b_id>b"),
		tbl("b", nil, "c_id>c"),
		tbl("c", nil, "parent_id>c"), // a self reference needs no order
		tbl("x", nil, "y_id>y"),      // x and y reference each other
		tbl("y", nil, "x_id>x"),
		tbl("d", nil, "e_id>existing"),
	)
	current := schemaOf(tbl("existing", nil))
	ops, err := diff.Schemas(dialect.Postgres, current, desired, diff.Options{})
	require.NoError(t, err)
	require.Equal(t, []string{
		"create table c", "create table b", "create table a", "create table d",
		"create table x", "create table y", "add foreign key fk_x_y_id on x (y_id) references y (id)",
	}, opStrings(ops))
	// x was created without its foreign key to y, which comes after.
	x := ops[4].(ddl.CreateTable).Table
	require.Empty(t, x.ForeignKeys)
	require.Len(t, ops[5].(ddl.CreateTable).Table.ForeignKeys, 1)
	require.Equal(t, ddl.AddForeignKey{Table: "x", ForeignKey: desired.Table("x").ForeignKeys[0]}, ops[6])
	// The schema handed in is not changed.
	require.Len(t, desired.Table("x").ForeignKeys, 1)

	// Diff of a schema against itself is empty.
	ops, err = diff.Schemas(dialect.Postgres, desired, desired, diff.Options{Destructive: true})
	require.NoError(t, err)
	require.Empty(t, ops)
}

func TestDiffDestructive(t *testing.T) {
	kept := tbl("kept", []string{"a", "gone"})
	kept.Indexes = []schema.Index{{Name: "idx_kept_gone", Columns: []string{"gone"}}}
	current := schemaOf(
		tbl("old_parent", nil),
		tbl("old_child", nil, "p_id>old_parent"),
		kept,
		tbl(migrate.DefaultTable, nil),
		tbl(migrate.DefaultTable+"_lock", nil),
		tbl("legacy", nil),
	)
	desired := schemaOf(tbl("kept", []string{"a"}))

	ops, err := diff.Schemas(dialect.SQLite, current, desired, diff.Options{Ignore: []string{"legacy"}})
	require.NoError(t, err)
	require.Equal(t, []ddl.Op{ddl.DropIndex{Table: "kept", Name: "idx_kept_gone"}}, ops)

	ops, err = diff.Schemas(dialect.SQLite, current, desired, diff.Options{Destructive: true, Ignore: []string{"legacy"}})
	require.NoError(t, err)
	require.Equal(t, []ddl.Op{
		ddl.DropIndex{Table: "kept", Name: "idx_kept_gone"},
		ddl.DropColumn{Table: "kept", Column: "gone"},
		ddl.DropTable{Name: "old_child"},
		ddl.DropTable{Name: "old_parent"},
	}, ops)

	// Ignored tables are left alone on the desired side too.
	ops, err = diff.Schemas(dialect.SQLite, nil, schemaOf(tbl("legacy", nil), tbl(migrate.DefaultTable, nil)), diff.Options{Ignore: []string{"legacy"}})
	require.NoError(t, err)
	require.Empty(t, ops)
}

func TestDiffColumns(t *testing.T) {
	cur := &schema.Table{Name: "t", PrimaryKey: []string{"id"}, Columns: []schema.Column{
		{Name: "id", Type: "bigint", AutoIncrement: true},
		{Name: "name", Type: "character varying(20)"},
		{Name: "price", Type: "numeric(10,2)", Default: "'0.50'::numeric", HasDefault: true},
		{Name: "active", Type: "boolean", Default: "true", HasDefault: true},
		{Name: "note", Type: "text", Nullable: true, Default: "'x'::text", HasDefault: true},
		{Name: "qty", Type: "integer", Nullable: true},
		{Name: "born", Type: "date", Default: "NULL", HasDefault: true},
	}}
	des := &schema.Table{Name: "t", PrimaryKey: []string{"id"}, Columns: []schema.Column{
		{Name: "id", Of: fields.ColumnType{Kind: fields.KindInt64, AutoInc: true}, AutoIncrement: true},
		{Name: "name", Type: "VARCHAR(40)"},                                      // wider
		{Name: "price", Type: "NUMERIC(10,2)", Default: "0.5", HasDefault: true}, // same value
		{Name: "active", Type: "BOOLEAN", Default: "FALSE", HasDefault: true},    // new default
		{Name: "note", Type: "TEXT"},                                             // no default, NOT NULL
		{Name: "qty", Of: fields.ColumnType{Kind: fields.KindInt64}, Default: "1", HasDefault: true, Nullable: true},
		{Name: "born", Type: "DATE", Nullable: true}, // DEFAULT NULL is no default
		{Name: "added", Type: "TEXT", Default: "'new'", HasDefault: true},
	}}
	ops, err := diff.Schemas(dialect.Postgres, schemaOf(cur), schemaOf(des), diff.Options{})
	require.NoError(t, err)
	require.Equal(t, []ddl.Op{
		ddl.AlterColumnType{Table: "t", Column: "name", Type: "VARCHAR(40)"},
		ddl.SetDefault{Table: "t", Column: "active", Default: "FALSE"},
		ddl.DropDefault{Table: "t", Column: "note"},
		ddl.SetNotNull{Table: "t", Column: "note"},
		ddl.AlterColumnType{Table: "t", Column: "qty", Of: fields.ColumnType{Kind: fields.KindInt64}},
		ddl.SetDefault{Table: "t", Column: "qty", Default: "1"},
		ddl.DropNotNull{Table: "t", Column: "born"},
		ddl.AddColumn{Table: "t", Column: des.Columns[7]},
	}, ops)

	// The reverse diff undoes it, dropping the added column.
	back, err := diff.Schemas(dialect.Postgres, schemaOf(des), schemaOf(cur), diff.Options{Destructive: true})
	require.NoError(t, err)
	require.Equal(t, []ddl.Op{
		ddl.AlterColumnType{Table: "t", Column: "name", Type: "character varying(20)"},
		ddl.SetDefault{Table: "t", Column: "active", Default: "true"},
		ddl.SetDefault{Table: "t", Column: "note", Default: "'x'::text"},
		ddl.DropNotNull{Table: "t", Column: "note"},
		ddl.AlterColumnType{Table: "t", Column: "qty", Type: "integer"},
		ddl.DropDefault{Table: "t", Column: "qty"},
		ddl.SetNotNull{Table: "t", Column: "born"},
		ddl.DropColumn{Table: "t", Column: "added"},
	}, back)
}

func TestDiffConstraints(t *testing.T) {
	cur := tbl("t", []string{"a", "b"}, "p_id>p")
	cur.Indexes = []schema.Index{
		{Name: "ix_same", Columns: []string{"a"}},
		{Name: "ix_cols", Columns: []string{"a"}},
		{Name: "uq_live", Columns: []string{"a"}, Unique: true, Where: "(b IS NULL)"},
		{Name: "uq_ab", Columns: []string{"a", "b"}, Unique: true}, // an index here, a constraint below: the same
		{Name: "ix_gone", Columns: []string{"b"}},
	}
	cur.Checks = []schema.Check{
		{Name: "ck_same", Expr: "((a)::text = ANY (ARRAY['x'::text, 'y'::text]))"},
		{Name: "ck_changed", Expr: "a > 0"},
		{Name: "ck_unnamed_match", Expr: "b >= 1 AND b <= 5"},
		{Name: "ck_gone", Expr: "b > 0"},
	}
	des := tbl("t", []string{"a", "b"}, "p_id>p")
	des.ForeignKeys[0].OnDelete = "cascade" // changed: drop and add
	des.ForeignKeys = append(des.ForeignKeys, schema.ForeignKey{Name: "fk_t_a", Columns: []string{"a"}, RefTable: "p", RefColumns: []string{"id"}})
	des.Indexes = []schema.Index{
		{Name: "ix_same", Columns: []string{"a"}},
		{Name: "ix_cols", Columns: []string{"a", "b"}},
		{Name: "uq_live", Columns: []string{"a"}, Unique: true, Where: "b IS NULL"},
		{Name: "uq_ab", Columns: []string{"a", "b"}, Unique: true, Constraint: true},
		{Name: "ix_new", Columns: []string{"b"}},
	}
	des.Checks = []schema.Check{
		{Name: "ck_same", Expr: "a IN ('x', 'y')"},
		{Name: "ck_changed", Expr: "a > 1"},
		{Expr: "b BETWEEN 1 AND 5"},
		{Expr: "b < 100"},
	}
	ops, err := diff.Schemas(dialect.Postgres, schemaOf(cur, tbl("p", nil)), schemaOf(des, tbl("p", nil)), diff.Options{})
	require.NoError(t, err)
	require.Equal(t, []ddl.Op{
		ddl.DropForeignKey{Table: "t", Name: "fk_t_p_id"},
		ddl.DropConstraint{Table: "t", Name: "ck_changed"},
		ddl.DropConstraint{Table: "t", Name: "ck_gone"},
		ddl.DropIndex{Table: "t", Name: "ix_cols"},
		ddl.DropIndex{Table: "t", Name: "ix_gone"},
		ddl.AddCheck{Table: "t", Check: des.Checks[1]},
		ddl.AddCheck{Table: "t", Check: des.Checks[3]},
		ddl.AddIndex{Table: "t", Index: des.Indexes[1]},
		ddl.AddIndex{Table: "t", Index: des.Indexes[4]},
		ddl.AddForeignKey{Table: "t", ForeignKey: des.ForeignKeys[0]},
		ddl.AddForeignKey{Table: "t", ForeignKey: des.ForeignKeys[1]},
	}, ops)

	// On MySQL and MariaDB, RESTRICT is what a foreign key without an
	// action is.
	a, b := tbl("t", nil, "p_id>p"), tbl("t", nil, "p_id>p")
	a.ForeignKeys[0].OnDelete, a.ForeignKeys[0].OnUpdate = "RESTRICT", "RESTRICT"
	for d, n := range map[dialect.Dialect]int{dialect.MariaDB: 0, dialect.MySQL: 0, dialect.Postgres: 2, dialect.SQLite: 2} {
		ops, err := diff.Schemas(d, schemaOf(a, tbl("p", nil)), schemaOf(b, tbl("p", nil)), diff.Options{})
		require.NoError(t, err)
		require.Len(t, ops, n, d.String())
	}
}

func TestDiffErrors(t *testing.T) {
	a := tbl("t", []string{"x"})
	b := tbl("t", []string{"x"})
	b.PrimaryKey = []string{"id", "x"}
	_, err := diff.Schemas(dialect.SQLite, schemaOf(a), schemaOf(b), diff.Options{})
	require.ErrorIs(t, err, diff.ErrInvalid)
	require.ErrorContains(t, err, "table t: the primary key changes from (id) to (id, x)")

	for name, c := range map[string]struct {
		cur, des *schema.Schema
		d        dialect.Dialect
		msg      string
	}{
		"nil dialect":  {nil, schemaOf(a), nil, "nil dialect"},
		"nil table":    {schemaOf(nil), nil, dialect.SQLite, "current schema: table 1 is nil"},
		"no name":      {nil, schemaOf(&schema.Table{}), dialect.SQLite, "desired schema: table 1 has no name"},
		"twice":        {nil, schemaOf(a, b), dialect.SQLite, "desired schema: table t appears twice"},
		"no type":      {nil, schemaOf(&schema.Table{Name: "t", Columns: []schema.Column{{Name: "c"}}}), dialect.SQLite, "column t.c: no Type and no Of"},
		"no col name":  {nil, schemaOf(&schema.Table{Name: "t", Columns: []schema.Column{{Type: "INT"}}}), dialect.SQLite, "table t has a column without a name"},
		"no type on d": {nil, schemaOf(&schema.Table{Name: "t", Columns: []schema.Column{{Name: "c", Of: fields.ColumnType{Kind: fields.KindDecimal}}}}), dialect.MySQL, "column t.c: kinglet: dialect: mysql 8.0.31: a decimal column needs a precision"},
	} {
		_, err := diff.Schemas(c.d, c.cur, c.des, diff.Options{})
		require.ErrorIs(t, err, diff.ErrInvalid, name)
		require.ErrorContains(t, err, c.msg, name)
	}
}

package migrate_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate"
)

// tbl builds a table of BIGINT columns with primary key id; fks are
// "column>table" references to table.id.
func tbl(name string, cols []string, fks ...string) *migrate.Table {
	t := &migrate.Table{Name: name, PrimaryKey: []string{"id"}}
	t.Columns = append(t.Columns, migrate.Column{Name: "id", Type: "BIGINT"})
	for _, c := range cols {
		t.Columns = append(t.Columns, migrate.Column{Name: c, Type: "BIGINT", Nullable: true})
	}
	for _, fk := range fks {
		for i := 0; i < len(fk); i++ {
			if fk[i] == '>' {
				col, ref := fk[:i], fk[i+1:]
				t.Columns = append(t.Columns, migrate.Column{Name: col, Type: "BIGINT", Nullable: true})
				t.ForeignKeys = append(t.ForeignKeys, migrate.ForeignKey{
					Name: "fk_" + name + "_" + col, Columns: []string{col}, RefTable: ref, RefColumns: []string{"id"},
				})
			}
		}
	}
	return t
}

func schema(ts ...*migrate.Table) *migrate.Schema { return &migrate.Schema{Tables: ts} }

// opStrings describes ops for readable failures.
func opStrings(ops []migrate.Op) []string {
	out := make([]string, len(ops))
	for i, o := range ops {
		out[i] = o.String()
	}
	return out
}

func TestDiffCreateOrder(t *testing.T) {
	desired := schema(
		tbl("a", nil, "b_id>b"),
		tbl("b", nil, "c_id>c"),
		tbl("c", nil, "parent_id>c"), // a self reference needs no order
		tbl("x", nil, "y_id>y"),      // x and y reference each other
		tbl("y", nil, "x_id>x"),
		tbl("d", nil, "e_id>existing"),
	)
	current := schema(tbl("existing", nil))
	ops, err := migrate.Diff(dialect.Postgres, current, desired, migrate.DiffOptions{})
	require.NoError(t, err)
	require.Equal(t, []string{
		"create table c", "create table b", "create table a", "create table d",
		"create table x", "create table y", "add foreign key fk_x_y_id on x (y_id) references y (id)",
	}, opStrings(ops))
	// x was created without its foreign key to y, which comes after.
	x := ops[4].(migrate.CreateTable).Table
	require.Empty(t, x.ForeignKeys)
	require.Len(t, ops[5].(migrate.CreateTable).Table.ForeignKeys, 1)
	require.Equal(t, migrate.AddForeignKey{Table: "x", ForeignKey: desired.Table("x").ForeignKeys[0]}, ops[6])
	// The schema handed in is not changed.
	require.Len(t, desired.Table("x").ForeignKeys, 1)

	// Diff of a schema against itself is empty.
	ops, err = migrate.Diff(dialect.Postgres, desired, desired, migrate.DiffOptions{Destructive: true})
	require.NoError(t, err)
	require.Empty(t, ops)
}

func TestDiffDestructive(t *testing.T) {
	kept := tbl("kept", []string{"a", "gone"})
	kept.Indexes = []migrate.Index{{Name: "idx_kept_gone", Columns: []string{"gone"}}}
	current := schema(
		tbl("old_parent", nil),
		tbl("old_child", nil, "p_id>old_parent"),
		kept,
		tbl(migrate.DefaultTable, nil),
		tbl(migrate.DefaultTable+"_lock", nil),
		tbl("legacy", nil),
	)
	desired := schema(tbl("kept", []string{"a"}))

	ops, err := migrate.Diff(dialect.SQLite, current, desired, migrate.DiffOptions{Ignore: []string{"legacy"}})
	require.NoError(t, err)
	require.Equal(t, []migrate.Op{migrate.DropIndex{Table: "kept", Name: "idx_kept_gone"}}, ops)

	ops, err = migrate.Diff(dialect.SQLite, current, desired, migrate.DiffOptions{Destructive: true, Ignore: []string{"legacy"}})
	require.NoError(t, err)
	require.Equal(t, []migrate.Op{
		migrate.DropIndex{Table: "kept", Name: "idx_kept_gone"},
		migrate.DropColumn{Table: "kept", Column: "gone"},
		migrate.DropTable{Name: "old_child"},
		migrate.DropTable{Name: "old_parent"},
	}, ops)

	// Ignored tables are left alone on the desired side too.
	ops, err = migrate.Diff(dialect.SQLite, nil, schema(tbl("legacy", nil), tbl(migrate.DefaultTable, nil)), migrate.DiffOptions{Ignore: []string{"legacy"}})
	require.NoError(t, err)
	require.Empty(t, ops)
}

func TestDiffColumns(t *testing.T) {
	cur := &migrate.Table{Name: "t", PrimaryKey: []string{"id"}, Columns: []migrate.Column{
		{Name: "id", Type: "bigint", AutoIncrement: true},
		{Name: "name", Type: "character varying(20)"},
		{Name: "price", Type: "numeric(10,2)", Default: "'0.50'::numeric", HasDefault: true},
		{Name: "active", Type: "boolean", Default: "true", HasDefault: true},
		{Name: "note", Type: "text", Nullable: true, Default: "'x'::text", HasDefault: true},
		{Name: "qty", Type: "integer", Nullable: true},
		{Name: "born", Type: "date", Default: "NULL", HasDefault: true},
	}}
	des := &migrate.Table{Name: "t", PrimaryKey: []string{"id"}, Columns: []migrate.Column{
		{Name: "id", Of: fields.ColumnType{Kind: fields.KindInt64, AutoInc: true}, AutoIncrement: true},
		{Name: "name", Type: "VARCHAR(40)"},                                      // wider
		{Name: "price", Type: "NUMERIC(10,2)", Default: "0.5", HasDefault: true}, // same value
		{Name: "active", Type: "BOOLEAN", Default: "FALSE", HasDefault: true},    // new default
		{Name: "note", Type: "TEXT"},                                             // no default, NOT NULL
		{Name: "qty", Of: fields.ColumnType{Kind: fields.KindInt64}, Default: "1", HasDefault: true, Nullable: true},
		{Name: "born", Type: "DATE", Nullable: true}, // DEFAULT NULL is no default
		{Name: "added", Type: "TEXT", Default: "'new'", HasDefault: true},
	}}
	ops, err := migrate.Diff(dialect.Postgres, schema(cur), schema(des), migrate.DiffOptions{})
	require.NoError(t, err)
	require.Equal(t, []migrate.Op{
		migrate.AlterColumnType{Table: "t", Column: "name", Type: "VARCHAR(40)"},
		migrate.SetDefault{Table: "t", Column: "active", Default: "FALSE"},
		migrate.DropDefault{Table: "t", Column: "note"},
		migrate.SetNotNull{Table: "t", Column: "note"},
		migrate.AlterColumnType{Table: "t", Column: "qty", Of: fields.ColumnType{Kind: fields.KindInt64}},
		migrate.SetDefault{Table: "t", Column: "qty", Default: "1"},
		migrate.DropNotNull{Table: "t", Column: "born"},
		migrate.AddColumn{Table: "t", Column: des.Columns[7]},
	}, ops)

	// The reverse diff undoes it, dropping the added column.
	back, err := migrate.Diff(dialect.Postgres, schema(des), schema(cur), migrate.DiffOptions{Destructive: true})
	require.NoError(t, err)
	require.Equal(t, []migrate.Op{
		migrate.AlterColumnType{Table: "t", Column: "name", Type: "character varying(20)"},
		migrate.SetDefault{Table: "t", Column: "active", Default: "true"},
		migrate.SetDefault{Table: "t", Column: "note", Default: "'x'::text"},
		migrate.DropNotNull{Table: "t", Column: "note"},
		migrate.AlterColumnType{Table: "t", Column: "qty", Type: "integer"},
		migrate.DropDefault{Table: "t", Column: "qty"},
		migrate.SetNotNull{Table: "t", Column: "born"},
		migrate.DropColumn{Table: "t", Column: "added"},
	}, back)
}

func TestDiffConstraints(t *testing.T) {
	cur := tbl("t", []string{"a", "b"}, "p_id>p")
	cur.Indexes = []migrate.Index{
		{Name: "ix_same", Columns: []string{"a"}},
		{Name: "ix_cols", Columns: []string{"a"}},
		{Name: "uq_live", Columns: []string{"a"}, Unique: true, Where: "(b IS NULL)"},
		{Name: "uq_ab", Columns: []string{"a", "b"}, Unique: true}, // an index here, a constraint below: the same
		{Name: "ix_gone", Columns: []string{"b"}},
	}
	cur.Checks = []migrate.Check{
		{Name: "ck_same", Expr: "((a)::text = ANY (ARRAY['x'::text, 'y'::text]))"},
		{Name: "ck_changed", Expr: "a > 0"},
		{Name: "ck_unnamed_match", Expr: "b >= 1 AND b <= 5"},
		{Name: "ck_gone", Expr: "b > 0"},
	}
	des := tbl("t", []string{"a", "b"}, "p_id>p")
	des.ForeignKeys[0].OnDelete = "cascade" // changed: drop and add
	des.ForeignKeys = append(des.ForeignKeys, migrate.ForeignKey{Name: "fk_t_a", Columns: []string{"a"}, RefTable: "p", RefColumns: []string{"id"}})
	des.Indexes = []migrate.Index{
		{Name: "ix_same", Columns: []string{"a"}},
		{Name: "ix_cols", Columns: []string{"a", "b"}},
		{Name: "uq_live", Columns: []string{"a"}, Unique: true, Where: "b IS NULL"},
		{Name: "uq_ab", Columns: []string{"a", "b"}, Unique: true, Constraint: true},
		{Name: "ix_new", Columns: []string{"b"}},
	}
	des.Checks = []migrate.Check{
		{Name: "ck_same", Expr: "a IN ('x', 'y')"},
		{Name: "ck_changed", Expr: "a > 1"},
		{Expr: "b BETWEEN 1 AND 5"},
		{Expr: "b < 100"},
	}
	ops, err := migrate.Diff(dialect.Postgres, schema(cur, tbl("p", nil)), schema(des, tbl("p", nil)), migrate.DiffOptions{})
	require.NoError(t, err)
	require.Equal(t, []migrate.Op{
		migrate.DropForeignKey{Table: "t", Name: "fk_t_p_id"},
		migrate.DropConstraint{Table: "t", Name: "ck_changed"},
		migrate.DropConstraint{Table: "t", Name: "ck_gone"},
		migrate.DropIndex{Table: "t", Name: "ix_cols"},
		migrate.DropIndex{Table: "t", Name: "ix_gone"},
		migrate.AddCheck{Table: "t", Check: des.Checks[1]},
		migrate.AddCheck{Table: "t", Check: des.Checks[3]},
		migrate.AddIndex{Table: "t", Index: des.Indexes[1]},
		migrate.AddIndex{Table: "t", Index: des.Indexes[4]},
		migrate.AddForeignKey{Table: "t", ForeignKey: des.ForeignKeys[0]},
		migrate.AddForeignKey{Table: "t", ForeignKey: des.ForeignKeys[1]},
	}, ops)

	// On MySQL and MariaDB, RESTRICT is what a foreign key without an
	// action is.
	a, b := tbl("t", nil, "p_id>p"), tbl("t", nil, "p_id>p")
	a.ForeignKeys[0].OnDelete, a.ForeignKeys[0].OnUpdate = "RESTRICT", "RESTRICT"
	for d, n := range map[dialect.Dialect]int{dialect.MariaDB: 0, dialect.MySQL: 0, dialect.Postgres: 2, dialect.SQLite: 2} {
		ops, err := migrate.Diff(d, schema(a, tbl("p", nil)), schema(b, tbl("p", nil)), migrate.DiffOptions{})
		require.NoError(t, err)
		require.Len(t, ops, n, d.String())
	}
}

func TestDiffErrors(t *testing.T) {
	a := tbl("t", []string{"x"})
	b := tbl("t", []string{"x"})
	b.PrimaryKey = []string{"id", "x"}
	_, err := migrate.Diff(dialect.SQLite, schema(a), schema(b), migrate.DiffOptions{})
	require.ErrorIs(t, err, migrate.ErrInvalid)
	require.ErrorContains(t, err, "table t: the primary key changes from (id) to (id, x)")

	for name, c := range map[string]struct {
		cur, des *migrate.Schema
		d        dialect.Dialect
		msg      string
	}{
		"nil dialect":  {nil, schema(a), nil, "nil dialect"},
		"nil table":    {schema(nil), nil, dialect.SQLite, "current schema: table 1 is nil"},
		"no name":      {nil, schema(&migrate.Table{}), dialect.SQLite, "desired schema: table 1 has no name"},
		"twice":        {nil, schema(a, b), dialect.SQLite, "desired schema: table t appears twice"},
		"no type":      {nil, schema(&migrate.Table{Name: "t", Columns: []migrate.Column{{Name: "c"}}}), dialect.SQLite, "column t.c: no Type and no Of"},
		"no col name":  {nil, schema(&migrate.Table{Name: "t", Columns: []migrate.Column{{Type: "INT"}}}), dialect.SQLite, "table t has a column without a name"},
		"no type on d": {nil, schema(&migrate.Table{Name: "t", Columns: []migrate.Column{{Name: "c", Of: fields.ColumnType{Kind: fields.KindDecimal}}}}), dialect.MySQL, "column t.c: kinglet: dialect: mysql 8.0.31: a decimal column needs a precision"},
	} {
		_, err := migrate.Diff(c.d, c.cur, c.des, migrate.DiffOptions{})
		require.ErrorIs(t, err, migrate.ErrInvalid, name)
		require.ErrorContains(t, err, c.msg, name)
	}
}

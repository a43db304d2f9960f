package diff_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/diff"
	"github.com/kingletdb/kinglet/migrate/gen"
	"github.com/kingletdb/kinglet/migrate/schema"
	"github.com/kingletdb/kinglet/orm"
)

type lnParent struct {
	ID int64 `db:"id,pk"`
}

func (lnParent) TableName() string { return "ln_parents" }

// lnChild's table (60 bytes) and columns make derived names of 70 to 120
// bytes: MySQL refuses them, PostgreSQL cuts them to 63.
type lnChild struct {
	ID     int64  `db:"id,pk"`
	Parent int64  `db:"parent_identifier_of_the_record_with_a_long_name,fk:ln_parents.id,on_delete:cascade"`
	Code   string `db:"external_reference_code_unique_for_each_record,unique,size:40"`
	Rank   int32  `db:"position_of_the_record_among_its_siblings_in_a_list,index,check:position_of_the_record_among_its_siblings_in_a_list >= 0"`
}

const lnChildTable = "records_whose_table_name_is_long_enough_to_pass_every_limit_"

func (lnChild) TableName() string { return lnChildTable }

// TestLongDerivedNames: a model whose derived index, unique, foreign key and
// check names pass 63 bytes is created on every engine, reads back with the
// names the model derives, and diffs empty, run after run; GoModels
// recognises the names as derived.
func TestLongDerivedNames(t *testing.T) {
	require.Len(t, lnChildTable, 60)
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		require.NoError(t, orm.New(db.DB, db.Dialect).CreateTables(ctx, &lnParent{}, &lnChild{}))
		for range 2 {
			ops, err := diff.Models(ctx, db.DB, db.Dialect, diff.Options{}, &lnParent{}, &lnChild{})
			require.NoError(t, err)
			require.Empty(t, ops)
		}
		got, err := schema.InspectTable(ctx, db.DB, db.Dialect, lnChildTable)
		require.NoError(t, err)
		want, err := schema.FromModels(db.Dialect, &lnChild{})
		require.NoError(t, err)
		var names []string
		for _, ix := range got.Indexes {
			names = append(names, ix.Name)
		}
		for _, fk := range got.ForeignKeys {
			names = append(names, fk.Name)
			require.Equal(t, "CASCADE", fk.OnDelete)
		}
		for _, ck := range got.Checks {
			names = append(names, ck.Name)
		}
		var wantNames []string
		w := want.Tables[0]
		for _, ix := range w.Indexes {
			wantNames = append(wantNames, ix.Name)
		}
		for _, fk := range w.ForeignKeys {
			wantNames = append(wantNames, fk.Name)
		}
		for _, ck := range w.Checks {
			wantNames = append(wantNames, ck.Name)
		}
		require.Len(t, wantNames, 4)
		for _, n := range wantNames {
			require.LessOrEqual(t, len(n), fields.MaxNameLen, n)
			require.Contains(t, names, n)
		}
		src, err := gen.Models(&schema.Schema{Tables: []*schema.Table{got}}, db.Dialect, "models")
		require.NoError(t, err)
		require.Contains(t, string(src), "size:40,unique")
		require.Contains(t, string(src), "list,index")
		require.NotContains(t, string(src), "unique_index:")
		require.NotContains(t, string(src), "index:idx_")
		require.NotContains(t, string(src), "fk_name:", "the shortened fk_ name is the derived one")
		require.NotContains(t, string(src), "check_name:", "the shortened ck_ name is the derived one")
	})
}

type naParent struct {
	ID int64 `db:"id,pk"`
}

func (naParent) TableName() string { return "na_parents" }

type naPlain struct {
	ID       int64 `db:"id,pk"`
	ParentID int64 `db:"parent_id,fk:na_parents.id"`
}

func (naPlain) TableName() string { return "na_children" }

type naRestrict struct {
	ID       int64 `db:"id,pk"`
	ParentID int64 `db:"parent_id,fk:na_parents.id,on_delete:restrict,on_update:restrict"`
}

func (naRestrict) TableName() string { return "na_children" }

type naCascade struct {
	ID       int64 `db:"id,pk"`
	ParentID int64 `db:"parent_id,fk:na_parents.id,on_delete:cascade"`
}

func (naCascade) TableName() string { return "na_children" }

// TestForeignKeyNoAction: a key declared without actions inspects as no
// action on every engine (MariaDB's catalog says RESTRICT), and diffs empty
// against its model; one declared ON DELETE/UPDATE RESTRICT diffs empty
// too, and a change to CASCADE is one.
func TestForeignKeyNoAction(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		db = opPool(t, db)
		diff := func(models ...any) []ddl.Op {
			t.Helper()
			ops, err := diff.Models(ctx, db.DB, db.Dialect, diff.Options{}, models...)
			require.NoError(t, err)
			return ops
		}
		require.NoError(t, orm.New(db.DB, db.Dialect).CreateTables(ctx, &naParent{}, &naPlain{}))
		got, err := schema.InspectTable(ctx, db.DB, db.Dialect, "na_children")
		require.NoError(t, err)
		require.Len(t, got.ForeignKeys, 1)
		require.Equal(t, "", got.ForeignKeys[0].OnDelete)
		require.Equal(t, "", got.ForeignKeys[0].OnUpdate)
		require.Empty(t, diff(&naParent{}, &naPlain{}))

		// RESTRICT, declared: on InnoDB the same action as none.
		ops := diff(&naParent{}, &naRestrict{})
		if db.Engine == testdb.MySQL {
			require.Empty(t, ops)
		} else {
			require.NotEmpty(t, ops)
			require.NoError(t, ddl.Apply(ctx, db.DB, db.Dialect, ops...))
			got, err := schema.InspectTable(ctx, db.DB, db.Dialect, "na_children")
			require.NoError(t, err)
			require.Equal(t, "RESTRICT", got.ForeignKeys[0].OnDelete)
		}
		require.Empty(t, diff(&naParent{}, &naRestrict{}))
		opExec(t, db, "INSERT INTO na_parents (id) VALUES (1)")
		opExec(t, db, "INSERT INTO na_children (id, parent_id) VALUES (1, 1)")
		require.Error(t, opExecErr(t, db, "DELETE FROM na_parents WHERE id = 1"), "restricted")

		ops = diff(&naParent{}, &naCascade{})
		require.NotEmpty(t, ops)
		require.NoError(t, ddl.Apply(ctx, db.DB, db.Dialect, ops...))
		require.Empty(t, diff(&naParent{}, &naCascade{}))
		opExec(t, db, "DELETE FROM na_parents WHERE id = 1")
		require.Equal(t, 0, count(t, db.DB, "na_children"))
		var s strings.Builder
		for _, op := range ops {
			s.WriteString(op.String())
		}
		require.Contains(t, s.String(), "na_children")
	})
}

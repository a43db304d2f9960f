package orm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// The acceptance queries of the reads issue, each on every engine with the
// same rows: an org chart through a recursive CTE, a UNION of two typed
// queries, and a RANK() OVER (PARTITION BY …) report.

type aEmployee struct {
	ID        int64  `db:"id,pk"`
	Name      string `db:"name,size:64"`
	ManagerID *int64 `db:"manager_id,fk:acc_employees.id"`
	Dept      string `db:"dept,size:32"`
	Salary    int    `db:"salary"`
}

func (aEmployee) TableName() string { return "acc_employees" }

// OrgRow is one line of the org chart: a shape, not a model.
type OrgRow struct {
	ID    int64
	Name  string
	Depth int
	Path  string
}

// accEach runs fn on every engine with this org seeded:
//
//	ada (eng, 300)
//	├── bob (eng, 200)
//	│   ├── dan (eng, 150)
//	│   └── eve (eng, 150)
//	└── cy (ops, 180)
//	    └── fay (ops, 120)
func accEach(t *testing.T, fn func(t *testing.T, ctx context.Context, db *orm.DB, rec *recorder, ids map[string]int64)) {
	t.Helper()
	withTables(t, []any{&aEmployee{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		ids := map[string]int64{}
		add := func(name, dept string, salary int, manager string) {
			e := &aEmployee{Name: name, Dept: dept, Salary: salary}
			if manager != "" {
				m := ids[manager]
				e.ManagerID = &m
			}
			require.NoError(t, db.Insert(ctx, e))
			ids[name] = e.ID
		}
		add("ada", "eng", 300, "")
		add("bob", "eng", 200, "ada")
		add("cy", "ops", 180, "ada")
		add("dan", "eng", 150, "bob")
		add("eve", "eng", 150, "bob")
		add("fay", "ops", 120, "cy")
		hdb, rec := hooked(db)
		fn(t, ctx, hdb, rec, ids)
	})
}

var (
	accE    = query.Table("acc_employees")
	accTree = query.Table("tree")
)

// orgChart is the recursive CTE of the chart: each employee with their
// depth below the root and the path of names from it. The path grows on
// every level, so it is cast to the portable text type (TEXT, or
// CHAR(65535) on MySQL, whose recursive CTE would keep the anchor's width).
func orgChart() query.CTE {
	anchor := query.Select(accE.C("id"), accE.C("name"), query.SQL("0"), accE.C("name").Cast(query.TextType)).
		From(accE).Where(accE.C("manager_id").IsNull())
	step := query.Select(accE.C("id"), accE.C("name"), accTree.C("depth").Add(1),
		accTree.C("path").Concat(" > ", accE.C("name")).Cast(query.TextType)).
		From(accE).Join(accTree, accE.C("manager_id").Eq(accTree.C("id")))
	return anchor.UnionAll(step).CTE("tree", "id", "name", "depth", "path")
}

func wantOrg(ids map[string]int64) []OrgRow {
	return []OrgRow{
		{ids["ada"], "ada", 0, "ada"},
		{ids["bob"], "bob", 1, "ada > bob"},
		{ids["dan"], "dan", 2, "ada > bob > dan"},
		{ids["eve"], "eve", 2, "ada > bob > eve"},
		{ids["cy"], "cy", 1, "ada > cy"},
		{ids["fay"], "fay", 2, "ada > cy > fay"},
	}
}

func TestAcceptanceOrgChartRecursiveCTE(t *testing.T) {
	accEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, rec *recorder, ids map[string]int64) {
		tree := orgChart()
		q := query.Select(accTree.C("id"), accTree.C("name"), accTree.C("depth"), accTree.C("path")).
			WithRecursive(tree).From(tree).OrderBy(accTree.C("path"))

		// From: a query of package query into a shape.
		got, err := orm.From[OrgRow](db, q).All(ctx)
		require.NoError(t, err)
		require.Equal(t, wantOrg(ids), got)
		require.Equal(t, 1, rec.count())

		// The same CTE on a typed query, joined to T's table, into the shape.
		rows, err := orm.Into[OrgRow](ctx, orm.Select[aEmployee](db).WithRecursive(tree).
			Join(accTree, accTree.C("id").Eq(accE.C("id"))).
			Columns(accE.C("id"), accE.C("name"), accTree.C("depth"), accTree.C("path")).
			OrderBy(accTree.C("path")))
		require.NoError(t, err)
		require.Equal(t, wantOrg(ids), rows)

		// And the models themselves, filtered by the CTE: everyone under bob.
		under := query.Select(accE.C("id")).From(accE).Where(accE.C("id").Eq(ids["bob"])).
			UnionAll(query.Select(accE.C("id")).From(accE).Join(query.Table("sub"), accE.C("manager_id").Eq(query.Table("sub").C("id")))).
			CTE("sub", "id")
		team, err := orm.Select[aEmployee](db).WithRecursive(under).
			Where(accE.C("id").In(query.Select(query.Table("sub").C("id")).From(query.Table("sub")))).
			OrderBy(accE.C("id")).All(ctx)
		require.NoError(t, err)
		require.Len(t, team, 3)
		require.Equal(t, []string{"bob", "dan", "eve"}, []string{team[0].Name, team[1].Name, team[2].Name})

		// Raw: the same chart in SQL text, its ? bound through the dialect.
		root := ids["ada"]
		cast := map[string]string{"sqlite": "TEXT", "postgres": "TEXT", "mysql": "CHAR(1000)", "mariadb": "CHAR(1000)"}[db.Dialect().Name()]
		concat := "path || ' > ' || e.name"
		if db.Dialect().Name() == "mysql" || db.Dialect().Name() == "mariadb" {
			concat = "CONCAT(path, ' > ', e.name)"
		}
		rawRows, err := orm.Raw[OrgRow](db, `WITH RECURSIVE tree (id, name, depth, path) AS (
			SELECT id, name, 0, CAST(name AS `+cast+`) FROM acc_employees WHERE id = ?
			UNION ALL
			SELECT e.id, e.name, depth + 1, CAST(`+concat+` AS `+cast+`)
			FROM acc_employees e JOIN tree ON e.manager_id = tree.id WHERE depth < ?)
			SELECT id, name, depth, path FROM tree ORDER BY path`, root, 5).All(ctx)
		require.NoError(t, err)
		require.Equal(t, wantOrg(ids), rawRows)
	})
}

func TestAcceptanceUnionOfTypedQueries(t *testing.T) {
	accEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, rec *recorder, ids map[string]int64) {
		E := func() orm.SelectQuery[aEmployee] { return orm.Select[aEmployee](db) }
		names := func(es []aEmployee) []string {
			out := []string{}
			for _, e := range es {
				out = append(out, e.Name)
			}
			return out
		}
		ops := E().Where(accE.C("dept").Eq("ops"))
		rich := E().Where(accE.C("salary").Ge(200))
		got, err := ops.Union(rich).OrderBy(query.C("name")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"ada", "bob", "cy", "fay"}, names(got))
		require.Equal(t, ids["ada"], got[0].ID)
		require.Equal(t, 1, rec.count())

		// ORDER BY and LIMIT on the compound; each member keeps its own.
		got, err = ops.Union(rich).OrderBy(query.C("salary").Desc()).Limit(2).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"ada", "bob"}, names(got))
		newest := E().OrderBy(accE.C("id").Desc()).Limit(1)
		got, err = newest.UnionAll(E().Where(accE.C("name").Eq("ada"))).OrderBy(query.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"ada", "fay"}, names(got))

		// UNION ALL keeps duplicates; INTERSECT and EXCEPT.
		n, err := ops.UnionAll(ops).Count(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 4, n)
		got, err = E().Where(accE.C("dept").Eq("eng")).Intersect(rich).OrderBy(query.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"ada", "bob"}, names(got))
		got, err = E().Where(accE.C("dept").Eq("eng")).Except(rich).OrderBy(query.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"dan", "eve"}, names(got))

		// One, First (by primary key), Exists, Iter on a compound.
		one, err := ops.Union(rich).Where().OrderBy(query.C("id")).First(ctx)
		require.NoError(t, err)
		require.Equal(t, "ada", one.Name)
		first, err := rich.Union(ops).First(ctx)
		require.NoError(t, err)
		require.Equal(t, "ada", first.Name)
		ok, err := ops.Intersect(rich).Exists(ctx)
		require.NoError(t, err)
		require.False(t, ok)
		var streamed []string
		for e, err := range ops.Union(rich).OrderBy(query.C("name").Desc()).Iter(ctx) {
			require.NoError(t, err)
			streamed = append(streamed, e.Name)
		}
		require.Equal(t, []string{"fay", "cy", "bob", "ada"}, streamed)

		// A compound as a subquery of another typed query.
		got, err = E().Where(accE.C("id").In(query.Select(query.C("id")).From(ops.Union(rich).Query().As("u")))).
			Where(accE.C("salary").Lt(250)).OrderBy(accE.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"bob", "cy", "fay"}, names(got))

		// What a compound refuses: filtering or joining it after the fact,
		// and loading relations in its second member.
		_, err = ops.Union(rich).Where(accE.C("salary").Gt(1)).All(ctx)
		require.ErrorIs(t, err, query.ErrInvalid)
		require.ErrorContains(t, err, "derived table")
	})
}

type rankRow struct {
	Name   string
	Dept   string
	Salary int
	Rank   int
}

func TestAcceptanceRankReport(t *testing.T) {
	accEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, rec *recorder, ids map[string]int64) {
		want := []rankRow{
			{"ada", "eng", 300, 1}, {"bob", "eng", 200, 2}, {"dan", "eng", 150, 3}, {"eve", "eng", 150, 3},
			{"cy", "ops", 180, 1}, {"fay", "ops", 120, 2},
		}
		w := query.NewWindow().PartitionBy(accE.C("dept")).OrderBy(accE.C("salary").Desc())
		report := orm.Select[aEmployee](db).
			Columns(accE.C("name"), accE.C("dept"), accE.C("salary"), query.Func("RANK").Over(w).As("rank")).
			OrderBy(accE.C("dept"), query.C("rank"), accE.C("name"))
		got, err := orm.Into[rankRow](ctx, report)
		require.NoError(t, err)
		require.Equal(t, want, got)

		// A named window (WINDOW w AS (…)) on the typed query, into the
		// shape through From.
		named := orm.Select[aEmployee](db).Window("w", w).
			Columns(accE.C("name"), accE.C("dept"), accE.C("salary"), query.Func("RANK").OverName("w").As("rank")).
			OrderBy(accE.C("dept"), query.C("rank"), accE.C("name"))
		got, err = orm.From[rankRow](db, named.Query()).All(ctx)
		require.NoError(t, err)
		require.Equal(t, want, got)

		// The top earner of each department, from the ranks in a derived
		// table.
		ranked := query.Select(accE.C("name"), accE.C("dept"), accE.C("salary"), query.Func("RANK").Over(w).As("rank")).From(accE)
		r := query.Table("r")
		top, err := orm.From[rankRow](db, query.Select(r.C("name"), r.C("dept"), r.C("salary"), r.C("rank")).
			From(ranked.As("r")).Where(r.C("rank").Eq(1)).OrderBy(r.C("dept"))).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []rankRow{want[0], want[4]}, top)
	})
}

package orm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// The builder's joins, DISTINCT ON and named windows on typed queries: run
// where the engine has them, refused as the builder refuses them elsewhere.

type aDept struct {
	Dept  string `db:"dept,pk,size:32"`
	Floor int    `db:"floor"`
}

func (aDept) TableName() string { return "acc_depts" }

type deptRow struct {
	Name  *string
	Dept  *string
	Floor *int
}

func TestTypedJoinsAndDistinctOn(t *testing.T) {
	accEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, rec *recorder, ids map[string]int64) {
		require.NoError(t, db.CreateTables(ctx, &aDept{}))
		for _, d := range []aDept{{"eng", 3}, {"hr", 1}} {
			require.NoError(t, db.Insert(ctx, &d))
		}
		D := query.Table("acc_depts")
		E := func() orm.SelectQuery[aEmployee] { return orm.Select[aEmployee](db) }
		engine := db.Dialect().Name()
		str := func(p *string) string {
			if p == nil {
				return "-"
			}
			return *p
		}
		lines := func(rows []deptRow) []string {
			out := []string{}
			for _, r := range rows {
				f := "-"
				if r.Floor != nil {
					f = string(rune('0' + *r.Floor))
				}
				out = append(out, str(r.Name)+"/"+str(r.Dept)+"/"+f)
			}
			return out
		}

		// JOIN … USING: T's columns stay qualified beside it.
		rows, err := orm.Into[deptRow](ctx, E().JoinUsing(D, "dept").
			Columns(accE.C("name"), accE.C("dept"), D.C("floor")).Where(accE.C("salary").Ge(200)).OrderBy(accE.C("name")))
		require.NoError(t, err)
		require.Equal(t, []string{"ada/eng/3", "bob/eng/3"}, lines(rows))
		// LEFT JOIN … USING keeps the employees of a department without a row.
		rows, err = orm.Into[deptRow](ctx, E().LeftJoinUsing(D, "dept").
			Columns(accE.C("name"), accE.C("dept"), D.C("floor")).Where(accE.C("dept").Eq("ops")).OrderBy(accE.C("name")))
		require.NoError(t, err)
		require.Equal(t, []string{"cy/ops/-", "fay/ops/-"}, lines(rows))
		// RIGHT JOIN: the department without employees, T's columns NULL.
		rows, err = orm.Into[deptRow](ctx, E().RightJoin(D, D.C("dept").Eq(accE.C("dept"))).
			Columns(accE.C("name"), D.C("dept"), D.C("floor")).Where(accE.C("id").IsNull()))
		require.NoError(t, err)
		require.Equal(t, []string{"-/hr/1"}, lines(rows))
		// CROSS JOIN with a derived table of one row.
		n, err := E().CrossJoin(query.Select(query.SQL("1").As("one")).As("o")).Count(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 6, n)

		// FULL JOIN: not on MySQL and MariaDB, refused before the database.
		full := E().FullJoin(D, D.C("dept").Eq(accE.C("dept"))).
			Columns(accE.C("name"), D.C("dept"), D.C("floor")).Where(query.Or(accE.C("id").IsNull(), D.C("dept").IsNull()))
		rec.reset()
		rows, err = orm.Into[deptRow](ctx, full.OrderBy(accE.C("name")))
		if engine == "mysql" || engine == "mariadb" {
			require.ErrorIs(t, err, query.ErrUnsupported)
			require.ErrorContains(t, err, "FULL JOIN")
			require.Equal(t, 0, rec.count())
		} else {
			require.NoError(t, err)
			require.ElementsMatch(t, []string{"-/hr/1", "cy/-/-", "fay/-/-"}, lines(rows))
		}

		// DISTINCT ON: PostgreSQL's; an error elsewhere.
		rec.reset()
		top, err := E().DistinctOn(accE.C("dept")).OrderBy(accE.C("dept"), accE.C("salary").Desc()).All(ctx)
		if engine == "postgres" {
			require.NoError(t, err)
			require.Len(t, top, 2)
			require.Equal(t, []string{"ada", "cy"}, []string{top[0].Name, top[1].Name})
		} else {
			require.ErrorIs(t, err, query.ErrUnsupported)
			require.ErrorContains(t, err, "DISTINCT ON")
			require.Equal(t, 0, rec.count())
		}
	})
}

// TestTypedClausesSQL: the SQL of the typed query's new clauses per engine.
func TestTypedClausesSQL(t *testing.T) {
	type want struct{ sqlite, postgres, mysql string }
	q := func(db *orm.DB) orm.SelectQuery[aEmployee] { return orm.Select[aEmployee](db) }
	D := query.Table("acc_depts")
	cases := []struct {
		name string
		q    func(db *orm.DB) orm.SelectQuery[aEmployee]
		want want
	}{
		{"union_ordered_limited", func(db *orm.DB) orm.SelectQuery[aEmployee] {
			return q(db).Where(accE.C("dept").Eq("ops")).Union(q(db).Where(accE.C("salary").Ge(200))).OrderBy(query.C("name")).Limit(2)
		}, want{
			`SELECT "id", "name", "manager_id", "dept", "salary" FROM "acc_employees" WHERE "acc_employees"."dept" = ? UNION SELECT "id", "name", "manager_id", "dept", "salary" FROM "acc_employees" WHERE "acc_employees"."salary" >= ? ORDER BY "name" LIMIT ?`,
			`SELECT "id", "name", "manager_id", "dept", "salary" FROM "acc_employees" WHERE "acc_employees"."dept" = $1 UNION SELECT "id", "name", "manager_id", "dept", "salary" FROM "acc_employees" WHERE "acc_employees"."salary" >= $2 ORDER BY "name" LIMIT $3`,
			"SELECT `id`, `name`, `manager_id`, `dept`, `salary` FROM `acc_employees` WHERE `acc_employees`.`dept` = ? UNION SELECT `id`, `name`, `manager_id`, `dept`, `salary` FROM `acc_employees` WHERE `acc_employees`.`salary` >= ? ORDER BY `name` LIMIT ?",
		}},
		{"join_using_and_window", func(db *orm.DB) orm.SelectQuery[aEmployee] {
			return q(db).JoinUsing(D, "dept").Window("w", query.NewWindow().PartitionBy(accE.C("dept"))).
				Columns(accE.C("name"), query.Func("COUNT", accE.C("id")).OverName("w").As("n"))
		}, want{
			`SELECT "acc_employees"."name", COUNT("acc_employees"."id") OVER "w" AS "n" FROM "acc_employees" JOIN "acc_depts" USING ("dept") WINDOW "w" AS (PARTITION BY "acc_employees"."dept")`,
			`SELECT "acc_employees"."name", COUNT("acc_employees"."id") OVER "w" AS "n" FROM "acc_employees" JOIN "acc_depts" USING ("dept") WINDOW "w" AS (PARTITION BY "acc_employees"."dept")`,
			"SELECT `acc_employees`.`name`, COUNT(`acc_employees`.`id`) OVER `w` AS `n` FROM `acc_employees` JOIN `acc_depts` USING (`dept`) WINDOW `w` AS (PARTITION BY `acc_employees`.`dept`)",
		}},
		{"with_cte_and_cross_join", func(db *orm.DB) orm.SelectQuery[aEmployee] {
			one := query.Select(query.SQL("1").As("k")).CTE("one")
			return q(db).With(one).CrossJoin(one.Table()).Where(accE.C("id").Gt(0))
		}, want{
			`WITH "one" AS (SELECT 1 AS "k") SELECT "acc_employees"."id", "acc_employees"."name", "acc_employees"."manager_id", "acc_employees"."dept", "acc_employees"."salary" FROM "acc_employees" CROSS JOIN "one" WHERE "acc_employees"."id" > ?`,
			`WITH "one" AS (SELECT 1 AS "k") SELECT "acc_employees"."id", "acc_employees"."name", "acc_employees"."manager_id", "acc_employees"."dept", "acc_employees"."salary" FROM "acc_employees" CROSS JOIN "one" WHERE "acc_employees"."id" > $1`,
			"WITH `one` AS (SELECT 1 AS `k`) SELECT `acc_employees`.`id`, `acc_employees`.`name`, `acc_employees`.`manager_id`, `acc_employees`.`dept`, `acc_employees`.`salary` FROM `acc_employees` CROSS JOIN `one` WHERE `acc_employees`.`id` > ?",
		}},
	}
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		for _, c := range cases {
			sqlText, _, err := c.q(db).Build()
			require.NoError(t, err, c.name)
			w := map[string]string{testdb.SQLite: c.want.sqlite, testdb.Postgres: c.want.postgres, testdb.MySQL: c.want.mysql}[tdb.Engine]
			require.Equal(t, w, sqlText, c.name)
		}
		// The column check still vets a typed query's clauses.
		_, _, err := q(db).Union(q(db).Where(accE.C("salry").Gt(1))).Build()
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		_, _, err = q(db).Window("w", query.NewWindow().PartitionBy(accE.C("dpt"))).Build()
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
	})
}

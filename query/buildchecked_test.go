package query_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// TestBuildChecked checks the column check of the BuildChecked function and
// of the statements' BuildChecked methods: each sees every table-qualified
// column, a refusal fails the build with the check's error, and the method
// renders what the function does.
func TestBuildChecked(t *testing.T) {
	U := query.Table("users")
	errNoColumn := errors.New("no such column")
	type stmt struct {
		name   string
		q      query.Expr
		method func(dialect.Dialect, query.ColumnCheck) (string, []any, error)
		cols   []string // the columns the check sees, in order
	}
	var stmts []stmt
	add := func(name string, q query.Expr, m func(dialect.Dialect, query.ColumnCheck) (string, []any, error), cols ...string) {
		stmts = append(stmts, stmt{name, q, m, cols})
	}
	sel := query.Select(U.C("id"), U.C("name")).From(U).Where(U.C("age").Gt(18))
	add("select", sel, sel.BuildChecked, "id", "name", "age")
	ins := query.Insert(U).Columns("name").Values("a").OnConflict(query.Conflict("name").DoUpdate(
		query.Assign("visits", U.C("visits").Add(1))))
	add("insert", ins, ins.BuildChecked, "visits")
	upd := query.Update(U).Set("name", "b").Where(U.C("id").Eq(1))
	add("update", upd, upd.BuildChecked, "id")
	del := query.Delete(U).Where(U.C("id").Eq(1), U.C("name").Ne("x"))
	add("delete", del, del.BuildChecked, "id", "name")

	for _, st := range stmts {
		for _, d := range []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL} {
			var seen []string
			check := func(table, alias, column string) error {
				seen = append(seen, table+"."+column)
				return nil
			}
			wantSQL, wantArgs, err := query.BuildChecked(d, st.q, check)
			if err != nil {
				t.Fatalf("%s %s: %v", st.name, d, err)
			}
			want := make([]string, len(st.cols))
			for i, c := range st.cols {
				want[i] = "users." + c
			}
			if !reflect.DeepEqual(seen, want) {
				t.Errorf("%s %s: function checked %v, want %v", st.name, d, seen, want)
			}
			seen = nil
			sql, args, err := st.method(d, check)
			if err != nil || sql != wantSQL || !reflect.DeepEqual(args, wantArgs) || !reflect.DeepEqual(seen, want) {
				t.Errorf("%s %s: method gave %q %v %v, checked %v; want %q %v, checked %v", st.name, d, sql, args, err, seen, wantSQL, wantArgs, want)
			}
			refuse := func(table, alias, column string) error {
				return fmt.Errorf("%s.%s: %w", table, column, errNoColumn)
			}
			if _, _, err := st.method(d, refuse); !errors.Is(err, errNoColumn) {
				t.Errorf("%s %s: a refusing check gave %v", st.name, d, err)
			}
		}
	}
}

// TestBuildCheckedUnqualified checks how BuildChecked resolves unqualified
// columns: against the tables of the statement they stand in and of the
// statements around it, the statement's own aliases, and the columns of its
// derived tables and CTEs; a table the check does not know lets every name
// pass.
func TestBuildCheckedUnqualified(t *testing.T) {
	U, T := query.Table("users"), query.Table("tweets")
	errNoColumn := errors.New("no such column")
	known := map[string][]string{"users": {"id", "name", "age"}, "tweets": {"id", "user_id", "body"}}
	check := func(table, alias, column string) error {
		cols, ok := known[table]
		if !ok {
			return nil
		}
		for _, c := range cols {
			if c == column {
				return nil
			}
		}
		return fmt.Errorf("%w: %s has no column %q", errNoColumn, table, column)
	}
	sel := query.Select(query.C("id")).From(U)
	N := query.C("nmae")
	sub := func(conds ...query.Expr) query.SelectQuery {
		return query.Select(query.Raw("1")).From(T).Where(conds...)
	}
	cases := []struct {
		name string
		q    query.Expr
		bad  string // the column refused, or "" when it builds
	}{
		{"select list", query.Select(query.C("id"), query.C("name")).From(U), ""},
		{"select list typo", query.Select(query.C("id"), N).From(U), "nmae"},
		{"where typo", sel.Where(N.Eq("a")), "nmae"},
		{"order by typo", sel.OrderBy(N.Desc()), "nmae"},
		{"group by typo", sel.GroupBy(N), "nmae"},
		{"having typo", sel.GroupBy(query.C("age")).Having(query.Count(N).Gt(1)), "nmae"},
		{"function argument typo", query.Select(query.Lower(N)).From(U), "nmae"},
		{"window typo", query.Select(query.Func("ROW_NUMBER").Over(query.NewWindow().PartitionBy(N))).From(U), "nmae"},
		{"join condition typo", sel.Join(T, query.C("user_id").Eq(query.C("agee"))), "agee"},
		{"alias in order by and having", query.Select(query.C("age"), query.Count(query.C("id")).As("n")).From(U).
			GroupBy(query.C("age")).Having(query.C("n").Gt(1)).OrderBy(query.C("n").Desc()), ""},
		{"a column of a joined table", sel.Join(T, T.C("user_id").Eq(U.C("id"))).Where(query.C("body").Eq("x")), ""},
		{"a typo no joined table has", sel.Join(T, T.C("user_id").Eq(U.C("id"))).Where(query.C("bdy").Eq("x")), "bdy"},
		{"a table the check does not know", sel.Join(query.Table("other"), query.Raw("1 = 1")).Where(query.C("anything").Eq(1)), ""},
		{"a raw FROM item", query.Select(query.C("x")).From(U, query.Raw("generate_series(1, 3) AS g(x)")), ""},
		{"derived table columns", query.Select(query.C("nm")).
			From(query.Select(U.C("id"), U.C("name").As("nm")).From(U).As("d")).Where(query.C("id").Gt(1)), ""},
		{"a typo inside a derived table", query.Select(query.CountAll()).From(query.Select(N).From(U).As("k")), "nmae"},
		{"derived table selecting star", query.Select(query.C("zz")).From(query.Select().From(U).As("d")), ""},
		{"cte columns named", sel.With(query.Select(U.C("id")).From(U).CTE("c", "cid")).Where(query.C("cid").Gt(1)), ""},
		{"cte columns from its select list", sel.With(query.Select(U.C("age").As("years")).From(U).CTE("c")).
			Where(query.C("years").Gt(1)), ""},
		{"a typo inside a cte", query.Select().With(query.Select(N).From(U).CTE("c")).From(query.Table("c")), "nmae"},
		{"a correlated subquery", sel.Where(query.Exists(sub(query.C("user_id").Eq(query.C("age"))))), ""},
		{"a typo in a correlated subquery", sel.Where(query.Exists(sub(query.C("user_id").Eq(query.C("agee"))))), "agee"},
		{"a derived table sees the statements around its own", sel.Where(query.Exists(query.Select(query.Raw("1")).
			From(query.Select(query.C("user_id")).From(T).Where(query.C("user_id").Eq(query.C("age"))).As("x")))), ""},
		{"a derived table does not see its sibling", query.Select(query.C("id")).From(T, query.Select(query.C("body")).From(U).As("x")), "body"},
		{"a subquery over a table the check does not know", sel.Where(query.C("id").In(
			query.Select(query.C("whatever")).From(query.Table("other")))), ""},
		{"unchecked", query.Select(query.Unchecked(N, query.C("zz"))).From(U), ""},
		{"compound order by", query.Select(U.C("id")).From(U).Union(query.Select(T.C("id")).From(T)).OrderBy(query.C("id")), ""},
		{"compound member typo", query.Select(query.C("id")).From(U).Union(query.Select(N).From(U)), "nmae"},
		{"update where typo", query.Update(U).Set("name", "x").Where(N.Eq("a")), "nmae"},
		{"update set expression typo", query.Update(U).Set("age", N.Add(1)).Where(query.C("id").Eq(1)), "nmae"},
		{"update from a joined table", query.Update(U).Set("name", "x").From(T).Where(query.C("body").Eq("b"), T.C("user_id").Eq(U.C("id"))), ""},
		{"delete where typo", query.Delete(U).Where(N.Ne("a")), "nmae"},
		{"delete using", query.Delete(U).Using(T).Where(query.C("body").Eq("b"), T.C("user_id").Eq(U.C("id"))), ""},
		{"delete returning typo", query.Delete(U).Where(query.C("id").Eq(1)).Returning(N), "nmae"},
	}
	for _, c := range cases {
		for _, d := range []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL} {
			_, _, err := query.BuildChecked(d, c.q, check)
			if errors.Is(err, query.ErrUnsupported) {
				continue // DELETE … RETURNING on MySQL, say
			}
			if c.bad == "" {
				if err != nil {
					t.Errorf("%s [%s]: %v", c.name, d, err)
				}
				continue
			}
			if !errors.Is(err, errNoColumn) || !strings.Contains(err.Error(), fmt.Sprintf("%q", c.bad)) {
				t.Errorf("%s [%s]: got %v, want the check's refusal of %q", c.name, d, err, c.bad)
			}
		}
		// Without a check nothing is refused.
		if _, _, err := query.Build(dialect.Postgres, c.q); err != nil {
			t.Errorf("%s: Build: %v", c.name, err)
		}
	}
}

package query_test

import (
	"errors"
	"fmt"
	"reflect"
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

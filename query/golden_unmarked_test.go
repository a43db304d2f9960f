package query_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// The Builder writes quotes and placeholders itself for dialects whose
// dialect.Marks it knows, and otherwise calls the Dialect's AppendIdent and
// AppendPlaceholder. The unmarked wrappers below hide the marks (they are not
// the dialect package's types and have no IdentQuote) and forward every
// other optional interface, so both paths must render every golden case the
// same way.
type (
	unmarked      struct{ dialect.Dialect }
	unmarkedLimit struct{ unmarked } // SQLite: NoLimiter
	unmarkedMySQL struct{ unmarked } // MySQL and MariaDB: NoLimiter, TableOptioner, CurrentTimestamper
)

func (u unmarkedLimit) NoLimit() string { return u.Dialect.(dialect.NoLimiter).NoLimit() }
func (u unmarkedMySQL) NoLimit() string { return u.Dialect.(dialect.NoLimiter).NoLimit() }
func (u unmarkedMySQL) TableOptions() string {
	return u.Dialect.(dialect.TableOptioner).TableOptions()
}
func (u unmarkedMySQL) CurrentTimestamp() string {
	return u.Dialect.(dialect.CurrentTimestamper).CurrentTimestamp()
}

func TestGoldenUnmarked(t *testing.T) {
	wrapped := map[string]dialect.Dialect{
		"sqlite":   unmarkedLimit{unmarked{dialect.SQLite}},
		"postgres": unmarked{dialect.Postgres},
		"mysql":    unmarkedMySQL{unmarked{dialect.MySQL}},
		"mariadb":  unmarkedMySQL{unmarked{dialect.MariaDB}},
	}
	n := 0
	for _, gd := range goldenDialects {
		w := wrapped[gd.name]
		if m := dialect.MarksOf(w); m != (dialect.Marks{MaxParams: gd.d.MaxParams()}) {
			t.Fatalf("%s: the wrapper has marks %+v", gd.name, m)
		}
		for _, g := range goldenGroups() {
			for _, c := range g.cases {
				if want, got := renderGolden(gd.d, c.q), renderGolden(w, c.q); got != want {
					t.Errorf("%s/%s [%s] unmarked:\n got  %s\n want %s", g.name, c.name, gd.name, got, want)
				}
				n++
			}
		}
	}
	if n < 300 {
		t.Errorf("only %d cases compared", n)
	}
}

// TestPlaceholderNumbers builds an INSERT of 1,500 values, past every width
// of $n the Builder writes itself (1 to 3 digits) and into the dialect's
// own, and checks every placeholder in order, with and without marks.
func TestPlaceholderNumbers(t *testing.T) {
	q := query.Insert(query.Table("t")).Columns("a", "b", "c")
	for i := range 500 {
		q = q.Values(i, i, i)
	}
	for _, d := range []dialect.Dialect{dialect.Postgres, unmarked{dialect.Postgres}, dialect.SQLite, unmarkedLimit{unmarked{dialect.SQLite}}} {
		sql, args, err := q.Build(d)
		if err != nil || len(args) != 1500 {
			t.Fatalf("%s: %d args, %v", d, len(args), err)
		}
		var want strings.Builder
		want.WriteString(`INSERT INTO "t" ("a", "b", "c") VALUES `)
		for n := 1; n <= 1500; n++ {
			switch {
			case n%3 == 1 && n > 1:
				want.WriteString("), (")
			case n%3 == 1:
				want.WriteString("(")
			default:
				want.WriteString(", ")
			}
			if d.Name() == "postgres" {
				want.WriteString("$" + strconv.Itoa(n))
			} else {
				want.WriteString("?")
			}
		}
		want.WriteString(")")
		if sql != want.String() {
			t.Errorf("%s: placeholders differ\n got  %.300s…\n want %.300s…", d, sql, want.String())
		}
	}
}

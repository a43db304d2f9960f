package query

import (
	"fmt"
	"sync"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
)

// The caches of intern.go hand back one node for repeated names, and never
// a node of another name, also when names collide in a slot, when more
// names are used than there are slots, and from many goroutines at once.

func TestInternSameNode(t *testing.T) {
	u := Table("intern_users")
	if Table("intern_users").p != u.p {
		t.Error("Table: a second call made a new node")
	}
	if u.As("u").p != u.As("u").p {
		t.Error("As: a second call made a new node")
	}
	if u.As("u").p == u.p || u.As("u").p == u.As("v").p {
		t.Error("As: aliases share a node with the plain table or with each other")
	}
	if u.C("id").p != Table("intern_users").C("id").p {
		t.Error("TableRef.C: a second call made a new node")
	}
	if u.C("id").p == C("id").p || u.C("id").p == u.As("u").C("id").p {
		t.Error("TableRef.C: columns of different qualifiers share a node")
	}
	if C("id").p != C("id").p || Excluded("id").p != Excluded("id").p {
		t.Error("C or Excluded: a second call made a new node")
	}
	// Tables with a schema or a subquery are not interned, nor their columns.
	s := SchemaTable("app", "intern_users")
	if s.p == SchemaTable("app", "intern_users").p || s.C("id").p == s.C("id").p {
		t.Error("a schema table or its column was interned")
	}
	if s.As("x").p == s.As("x").p {
		t.Error("an alias of a schema table was interned")
	}
}

// TestInternManyNames uses four times as many names as the column cache has
// slots, twice over, so that every slot is taken over many times; each node
// must still be the one asked for.
func TestInternManyNames(t *testing.T) {
	const n = 4 * columnSlots
	for pass := range 2 {
		for i := range n {
			tbl := Table(fmt.Sprintf("t%d", i%(2*tableSlots)))
			name := fmt.Sprintf("c%d", i)
			checkColumn(t, tbl.C(name), tbl.Name(), name)
			checkColumn(t, C(name), "", name)
			if a := tbl.As("a" + name); a.Name() != tbl.Name() || a.Alias() != "a"+name {
				t.Fatalf("pass %d: As(%q) of %s is %s AS %s", pass, "a"+name, tbl.Name(), a.Name(), a.Alias())
			}
			if e, _ := Excluded(name).n().(*excluded); string(*e) != name {
				t.Fatalf("pass %d: Excluded(%q) is %q", pass, name, string(*e))
			}
		}
	}
}

func checkColumn(t *testing.T, e Ex, table, name string) {
	t.Helper()
	c, ok := e.n().(*column)
	if !ok || c.name != name || c.t.Name() != table {
		t.Fatalf("column %q of %q: got %#v", name, table, e.n())
	}
}

// TestInternConcurrent makes and renders columns of overlapping names from
// 8 goroutines (run with -race).
func TestInternConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				k := (i*7 + w) % 600
				tbl := Table(fmt.Sprintf("ct%d", k%50)).As(fmt.Sprintf("a%d", k%3))
				col := fmt.Sprintf("col%d", k)
				sql, _, err := Build(dialect.Postgres, Select(tbl.C(col), C(col)).From(tbl))
				want := fmt.Sprintf(`SELECT "a%d"."%s", "%s" FROM "ct%d" AS "a%d"`, k%3, col, col, k%50, k%3)
				if err != nil || sql != want {
					t.Errorf("worker %d: got %s %v, want %s", w, sql, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestRenderedText renders interned columns and tables under each dialect
// in turn, so that a kept text made for one quote character is never used
// for another, and checks that the Builders that must not use kept text
// (column checks, SQLite's bare RETURNING columns) do not.
func TestRenderedText(t *testing.T) {
	u := Table("rt_users").As("u")
	odd := Table(`rt"odd`)
	q := Select(u.C("id"), C(`we"ird`), odd.C("x`y")).From(u).Join(odd, odd.C("id").Eq(u.C("id")))
	want := map[dialect.Dialect]string{
		dialect.Postgres: `SELECT "u"."id", "we""ird", "rt""odd"."x` + "`" + `y" FROM "rt_users" AS "u" ` +
			`JOIN "rt""odd" ON "rt""odd"."id" = "u"."id"`,
		dialect.MySQL: "SELECT `u`.`id`, `we\"ird`, `rt\"odd`.`x``y` FROM `rt_users` AS `u` " +
			"JOIN `rt\"odd` ON `rt\"odd`.`id` = `u`.`id`",
	}
	want[dialect.SQLite] = want[dialect.Postgres]
	for range 3 {
		for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL, dialect.SQLite} {
			sql, _, err := Build(d, q)
			if err != nil || sql != want[d] {
				t.Fatalf("%s: got %s %v\nwant %s", d, sql, err, want[d])
			}
		}
	}
	// A check still sees every column after its text is kept; the
	// unqualified one is checked against the first table, which accepts it.
	var seen []string
	check := func(table, alias, column string) error {
		seen = append(seen, table+"/"+alias+"."+column)
		return nil
	}
	if _, _, err := BuildChecked(dialect.Postgres, q, check); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[rt_users/u.id rt_users/u.we\"ird rt\"odd/.x`y rt\"odd/.id rt_users/u.id]" {
		t.Errorf("check saw %v", seen)
	}
	// SQLite's RETURNING writes the target's columns bare, kept text or not.
	users := Table("rt_users")
	upd := Update(users).Set("n", 1).Where(users.C("id").Eq(1)).Returning(users.C("id"))
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.SQLite} {
		sql, _, err := Build(d, upd)
		wantSQL := `UPDATE "rt_users" SET "n" = $1 WHERE "rt_users"."id" = $2 RETURNING "rt_users"."id"`
		if d == dialect.SQLite {
			wantSQL = `UPDATE "rt_users" SET "n" = ? WHERE "rt_users"."id" = ? RETURNING "id"`
		}
		if err != nil || sql != wantSQL {
			t.Errorf("%s: got %s %v, want %s", d, sql, err, wantSQL)
		}
	}
}

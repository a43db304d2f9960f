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

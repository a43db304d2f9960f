package main

import (
	"strings"
	"testing"
)

const relSample = `BenchmarkRelations/sqlite/has_many/raw-2         	  100	   1000000 ns/op	  500000 B/op	   10000 allocs/op
BenchmarkRelations/sqlite/has_many/kinglet-2     	  100	   1050000 ns/op	  480000 B/op	    9000 allocs/op
BenchmarkRelations/sqlite/has_many/gorm-2        	  100	   1500000 ns/op	  700000 B/op	   20000 allocs/op
BenchmarkRelations/sqlite/has_many/bun-2         	  100	   1200000 ns/op	  600000 B/op	   15000 allocs/op
BenchmarkRelations/sqlite/has_many/interleaved-2 	  100	   5000000 ns/op	  1.04 kinglet/raw	  1.50 gorm/raw	  1.20 bun/raw
BenchmarkRelations/sqlite/newest_3/raw-2         	  100	   1000000 ns/op	  500000 B/op	    4000 allocs/op
BenchmarkRelations/sqlite/newest_3/kinglet-2     	  100	   1200000 ns/op	  480000 B/op	    4500 allocs/op
BenchmarkRelations/sqlite/newest_3/bun-2         	  100	   1100000 ns/op	  600000 B/op	    5000 allocs/op
BenchmarkRelations/sqlite/newest_3/interleaved-2 	  100	   5000000 ns/op	  1.15 kinglet/raw	  1.05 bun/raw
`

func TestRelationsSection(t *testing.T) {
	r := newResults()
	if err := r.parse(strings.NewReader(relSample), "sample"); err != nil {
		t.Fatal(err)
	}
	rts := engineTables(r, "BenchmarkRelations")
	if len(rts) != 1 || len(rts[0].ops) != 2 {
		t.Fatalf("tables: %+v", rts)
	}
	s := relationsSection(rts, map[string]string{"date": "2026-01-02 03:04 UTC", "count": "5", "benchtime": "2s", "note": "busy"})
	for _, want := range []string{
		"## Relation loading",
		"Measured 2026-01-02 03:04 UTC (COUNT=5, benchtime 2s), on the machine above. **Note on this run:** busy",
		"- SQLite: kinglet at most 1.10× the hand-written two-query floor (interleaved median): **not met** (1 of 2) — missed by newest_3 1.150×",
		"- SQLite: kinglet allocations at most the floor's: **not met** (1 of 2) — missed by newest_3 4,500 vs 4,000",
		"- SQLite: kinglet faster than GORM and bun: **not met** (1 of 3) — missed by newest_3: bun 1.05× vs kinglet 1.15×",
		"| has_many | **kinglet** | 1,050,000 | 480,000 | 9,000 | 1.05× | 1.04× |",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("section lacks %q:\n%s", want, s)
		}
	}
}

func TestSpliceSection(t *testing.T) {
	doc := "# R\n\n## A\n\na\n\n## How each library is used\n\nnotes\n"
	sec := "## Relation loading\n\nnew\n\n"
	got := spliceSection(doc, "## Relation loading", sec, "## How each library is used")
	want := "# R\n\n## A\n\na\n\n## Relation loading\n\nnew\n\n## How each library is used\n\nnotes\n"
	if got != want {
		t.Fatalf("insert:\n%q\nwant\n%q", got, want)
	}
	// A second run replaces the section, keeping the rest.
	again := spliceSection(got, "## Relation loading", "## Relation loading\n\nnewer\n\n", "## How each library is used")
	if want2 := strings.Replace(want, "new\n", "newer\n", 1); again != want2 {
		t.Fatalf("replace:\n%q\nwant\n%q", again, want2)
	}
	// The last section of a file.
	tail := spliceSection("# R\n\n## Relation loading\n\nold\n", "## Relation loading", sec, "## How")
	if tail != "# R\n\n"+sec {
		t.Fatalf("last section: %q", tail)
	}
}

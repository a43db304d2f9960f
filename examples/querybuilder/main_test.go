package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRun runs the tour on in-memory SQLite and checks the SQL it prints for
// each engine and the rows the queries return.
func TestRun(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	lines := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		lines[strings.TrimRight(l, " ")] = true
	}
	for _, want := range []string{
		"Running on sqlite.",
		// The upsert in each engine's spelling.
		`sqlite   INSERT INTO "qb_counters" ("page", "hits") VALUES (?, ?) ON CONFLICT ("page") DO UPDATE SET "hits" = "qb_counters"."hits" + EXCLUDED."hits"`,
		`postgres INSERT INTO "qb_counters" ("page", "hits") VALUES ($1, $2) ON CONFLICT ("page") DO UPDATE SET "hits" = "qb_counters"."hits" + EXCLUDED."hits"`,
		"mysql    INSERT INTO `qb_counters` (`page`, `hits`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `hits` = `qb_counters`.`hits` + VALUES(`hits`)",
		`         args ["/home", 1]`,
		// 1. join + aggregate
		"username | tweets | likes",
		"alice    | 2      | 15",
		"bob      | 1      | 2",
		// 2. upsert three times
		"/home | 3",
		// 3. update: alice's tweets gained a like
		"hello, world   | 6",
		"kinglet is out | 11",
		"hi             | 2",
		// 4. window function
		"alice    | kinglet is out | 11    | 1",
		"alice    | hello, world   | 6     | 2",
		"carol    | gone fishing   | 7     | 1",
		// 5. recursive CTE
		"dave  | 0",
		"ada   | 3",
	} {
		if !lines[want] {
			t.Errorf("output lacks the line\n%s\n\noutput:\n%s", want, got)
		}
	}
	if strings.Contains(got, "carol    | 1") {
		t.Errorf("the inactive user carol is counted:\n%s", got)
	}
}

package main

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/kingletdb/kinglet/internal/testdb"
)

// TestRun runs the tour on in-memory SQLite, and on PostgreSQL and MySQL in
// an isolated schema/database of each (skipped when the server is not
// reachable, unless KINGLET_REQUIRE_DIALECTS lists it), and checks the
// output, which is the same on every engine but for the first line.
func TestRun(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			var dbURL, name string
			switch engine {
			case testdb.SQLite:
				dbURL, name = "sqlite::memory:", "sqlite"
			case testdb.Postgres:
				dbURL, name = testdb.Open(t, engine).DSN, "postgres"
			case testdb.MySQL:
				tdb := testdb.Open(t, engine)
				dbURL, name = mysqlURL(t, tdb.DSN), tdb.Dialect.Name()
			}
			var out bytes.Buffer
			if err := run(context.Background(), &out, dbURL); err != nil {
				t.Fatalf("run: %v\n%s", err, out.String())
			}
			checkOutput(t, out.String(), name)
		})
	}
}

// mysqlURL turns testdb's go-sql-driver DSN (user@tcp(host:port)/db?…) into
// the mysql://user@host:port/db URL that orm.Open takes.
func mysqlURL(t *testing.T, dsn string) string {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u := url.URL{Scheme: "mysql", Host: cfg.Addr, Path: "/" + cfg.DBName}
	if cfg.Passwd != "" {
		u.User = url.UserPassword(cfg.User, cfg.Passwd)
	} else {
		u.User = url.User(cfg.User)
	}
	return u.String()
}

func checkOutput(t *testing.T, got, dialect string) {
	t.Helper()
	lines := map[string]bool{}
	for _, l := range strings.Split(got, "\n") {
		lines[strings.TrimRight(l, " ")] = true
	}
	for _, want := range []string{
		"Connected to " + dialect + ".",
		// insert, and the keys filled in
		"alice has id 1, created_at filled in: true",
		"bob, carol and dave have ids 2, 3 and 4",
		"inserted 5 tweets",
		// WHERE, ORDER BY, LIMIT
		"kinglet is out   10 likes",
		"gone fishing      7 likes",
		// join + aggregate, scanned with Into
		"user   tweets likes",
		"alice       2    15",
		"carol       1     7",
		"bob         1     2",
		"dave        1     0",
		// update, bulk update, bulk delete, delete
		"bob's email is now bob@example.com; deactivated 1 user",
		"deleted 1 tweet without likes, and dave; 3 users left",
		// the savepoint's insert is gone, the transaction's is kept
		"the savepoint rolled back: changed my mind",
		"bob's tweets after commit: hi, inside a transaction",
		// upsert of an existing username
		"carol kept id 3 and now has email carol@example.org",
		// eager loading both ways
		"alice  hello, world | kinglet is out",
		"bob    hi | inside a transaction",
		"carol  gone fishing",
		"kinglet is out   by alice",
		"gone fishing     by carol",
	} {
		if !lines[want] {
			t.Errorf("output lacks the line\n%s\n\noutput:\n%s", want, got)
		}
	}
	if strings.Contains(got, "never committed") {
		t.Errorf("the rolled-back tweet shows up:\n%s", got)
	}
	if _, loaded, _ := strings.Cut(got, "== users with their tweets\n"); strings.HasPrefix(loaded, "dave") || strings.Contains(loaded, "\ndave") {
		t.Errorf("the deleted user dave is loaded:\n%s", got)
	}
}

package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/internal/testdb"
)

// want is the tour's output after its first line, the same on every engine.
const want = `status:
  0001 create_authors   sql  pending
  0002 create_books     sql  pending
  0003 add_pages        go   pending
  0004 book_list        sql  pending
up: 0001_create_authors (sql), 0002_create_books (sql), 0003_add_pages (go), 0004_book_list (sql)
status:
  0001 create_authors   sql  applied
  0002 create_books     sql  applied
  0003 add_pages        go   applied
  0004 book_list        sql  applied
books:
  1. The Dispossessed, Ursula K. Le Guin (387 pages)
  2. The Lathe of Heaven, Ursula K. Le Guin (184 pages)
  3. Invisible Cities; or, a semicolon in a string, Italo Calvino (165 pages)
down: 0004_book_list (sql)
up again: 0004_book_list (sql)
clean up: 0004_book_list (sql), 0003_add_pages (go), 0002_create_books (sql), 0001_create_authors (sql)
`

// TestRun runs the tour on in-memory SQLite and on an isolated SQLite file,
// PostgreSQL schema and MySQL database (skipped when a server is not
// reachable, unless KINGLET_REQUIRE_DIALECTS lists it), checks its output
// and that it left no table behind.
func TestRun(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		var out bytes.Buffer
		if err := run(t.Context(), &out, "sqlite::memory:"); err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
		check(t, out.String(), "sqlite")
	})
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		var out bytes.Buffer
		if err := run(t.Context(), &out, db.URL()); err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
		check(t, out.String(), db.Dialect.Name())

		var n int
		q := "SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'example%'"
		if db.Engine == testdb.SQLite {
			q = "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'example%'"
		}
		if err := db.DB.QueryRowContext(t.Context(), q+" AND "+schemaFilter(db)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d tables or views left behind", n)
		}
	})
}

// schemaFilter limits an information_schema query to db's schema.
func schemaFilter(db *testdb.DB) string {
	switch db.Engine {
	case testdb.Postgres, testdb.MySQL:
		return "table_schema = '" + db.Schema + "'"
	}
	return "1 = 1"
}

func check(t *testing.T, got, dialect string) {
	t.Helper()
	first, rest, _ := strings.Cut(got, "\n")
	if first != "database: "+dialect {
		t.Errorf("first line %q, want database: %s", first, dialect)
	}
	if rest != want {
		t.Errorf("output:\n%s\nwant:\n%s", rest, want)
	}
}

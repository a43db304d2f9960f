package migrate_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing/fstest"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate"
)

func Example() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // every connection to :memory: is a database of its own

	// In a program: //go:embed migrations/*.sql
	files := fstest.MapFS{
		"migrations/0001_create_users.up.sql":   {Data: []byte("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")},
		"migrations/0001_create_users.down.sql": {Data: []byte("DROP TABLE users;")},
		"migrations/0002_add_email.up.sql":      {Data: []byte("ALTER TABLE users ADD COLUMN email TEXT;")},
	}
	seed := migrate.Migration{Version: 3, Name: "seed_admin",
		Up: func(ctx context.Context, tx migrate.Execer) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO users (name, email) VALUES ('admin', 'admin@example.com')")
			return err
		}}

	r, err := migrate.New(db, dialect.SQLite, migrate.WithFS(files, "migrations"), migrate.WithGo(seed))
	if err != nil {
		panic(err)
	}
	applied, err := r.Up(ctx)
	if err != nil {
		panic(err)
	}
	for _, a := range applied {
		fmt.Println("applied", a.Version, a.Name, a.Kind)
	}
	status, err := r.Status(ctx)
	if err != nil {
		panic(err)
	}
	for _, s := range status {
		fmt.Printf("%d %-12s %s, reversible: %t\n", s.Version, s.Name, s.State, s.Reversible)
	}
	// Output:
	// applied 1 create_users sql
	// applied 2 add_email sql
	// applied 3 seed_admin go
	// 1 create_users applied, reversible: true
	// 2 add_email    applied, reversible: false
	// 3 seed_admin   applied, reversible: false
}

func ExamplePartialError() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	r, err := migrate.New(db, dialect.SQLite, migrate.WithFS(fstest.MapFS{
		"m/0001_a.up.sql": {Data: []byte("CREATE TABLE a (x INT);")},
		"m/0002_b.up.sql": {Data: []byte("CREATE TABLE b (x INT);\nINSERT INTO nowhere VALUES (1);")},
	}, "m"))
	if err != nil {
		panic(err)
	}
	_, err = r.Up(ctx)
	var pe *migrate.PartialError
	var se *migrate.StatementError
	if errors.As(err, &pe) && errors.As(err, &se) {
		fmt.Println("applied:", len(pe.Applied), "failed:", pe.Failed.Version, pe.Failed.Name)
		fmt.Printf("%s:%d statement %d of %d: %s\n", se.Path, se.Line, se.Index, se.Total, se.SQL)
	}
	// Output:
	// applied: 1 failed: 2 b
	// m/0002_b.up.sql:2 statement 2 of 2: INSERT INTO nowhere VALUES (1)
}

func ExampleSplit() {
	stmts, err := migrate.Split(dialect.SQLite, `
-- Count the rows; keep the trigger whole.
CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'a;b');
CREATE TRIGGER t_count AFTER INSERT ON t BEGIN
  UPDATE counts SET n = n + 1;
END;
INSERT INTO t (id) VALUES (1); /* done; */
`)
	if err != nil {
		panic(err)
	}
	for i, s := range stmts {
		fmt.Printf("%d: %s\n", i+1, s)
	}
	// Output:
	// 1: CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'a;b')
	// 2: CREATE TRIGGER t_count AFTER INSERT ON t BEGIN
	//   UPDATE counts SET n = n + 1;
	// END
	// 3: INSERT INTO t (id) VALUES (1)
}

package migrate_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing/fstest"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate"
)

// DryRun plans a command without running it: the results carry each
// migration's statements, and the database is left as it was.
func ExampleDryRun() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	files := fstest.MapFS{
		"migrations/0001_create_users.up.sql": {Data: []byte("CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE INDEX users_id ON users (id);")},
		"migrations/0002_add_email.up.sql":    {Data: []byte("ALTER TABLE users ADD COLUMN email TEXT;")},
	}
	r, err := migrate.New(db, dialect.SQLite, migrate.WithFS(files, "migrations"), migrate.DryRun())
	if err != nil {
		panic(err)
	}
	plan, err := r.Up(ctx)
	if err != nil {
		panic(err)
	}
	for _, res := range plan {
		fmt.Println("--", res.Direction, res.Path)
		for _, stmt := range res.Statements {
			fmt.Println(stmt)
		}
	}
	var tables int
	_ = db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").Scan(&tables)
	fmt.Println("tables:", tables)
	// Output:
	// -- up migrations/0001_create_users.up.sql
	// CREATE TABLE users (id INTEGER PRIMARY KEY)
	// CREATE INDEX users_id ON users (id)
	// -- up migrations/0002_add_email.up.sql
	// ALTER TABLE users ADD COLUMN email TEXT
	// tables: 0
}

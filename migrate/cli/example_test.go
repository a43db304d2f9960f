package cli_test

import (
	"context"
	"os"
	"testing/fstest"

	"github.com/kingletdb/kinglet/migrate/cli"
)

// App is the command line over a program's own migrations: here a dry run
// of migrate up on an in-memory SQLite database, which prints the SQL it
// would run and changes nothing.
func ExampleApp_Run() {
	app := cli.App{
		FS: fstest.MapFS{ // in a program: //go:embed migrations/*.sql
			"migrations/0001_create_users.up.sql": {Data: []byte("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n")},
			"migrations/0002_add_age.up.sql":      {Data: []byte("ALTER TABLE users ADD COLUMN age INTEGER NOT NULL;\n")},
		},
		Dir:    "migrations",
		Stdout: os.Stdout,
	}
	ctx := context.Background()
	app.Run(ctx, []string{"migrate", "up", "--dry-run", "--dsn", "sqlite::memory:"})
	app.Run(ctx, []string{"migrate", "lint", "--engine", "postgres"})
	// Output:
	// -- up 0001_create_users (sql, migrations/0001_create_users.up.sql)
	// CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
	//
	// -- up 0002_add_age (sql, migrations/0002_add_age.up.sql)
	// ALTER TABLE users ADD COLUMN age INTEGER NOT NULL;
	//
	// dry run: 2 migrations would be applied; nothing was changed
	// migrations/0002_add_age.up.sql: statement 1: ALTER TABLE users ADD COLUMN age INTEGER NOT NULL
	//   warning (postgres, not-null-without-default): adding NOT NULL column age without a default fails when users has rows
	//   safer: add age as NULL, backfill it in batches, then make it NOT NULL in a later migration (or give it a DEFAULT)
	// 1 warning in 1 migration of 2 (postgres)
}

package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/cli"
)

// runApp runs app with args and returns the exit status and the output.
func runApp(t *testing.T, app cli.App, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	app.Stdout, app.Stderr = &out, &errOut
	code = app.Run(t.Context(), args)
	return code, out.String(), errOut.String()
}

// mustRun runs app and fails the test unless it succeeds.
func mustRun(t *testing.T, app cli.App, args ...string) string {
	t.Helper()
	code, out, errOut := runApp(t, app, args...)
	require.Equal(t, 0, code, "%s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), out, errOut)
	return out
}

func TestAppHelp(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"Commands:", "migrate up", "migrate to VERSION", "gen models", "diff NAME", "--dsn URL", "Exit status", "cli.App{"}},
		{[]string{"-h"}, []string{"Commands:"}},
		{[]string{"help"}, []string{"Commands:"}},
		{[]string{"migrate", "up", "--help"}, []string{"migrate up [flags]", "Applies the pending migrations", "--allow-out-of-order", "Examples:"}},
		{[]string{"help", "migrate", "to"}, []string{"migrate to VERSION [flags]", `"to 0" rolls back everything`}},
		{[]string{"migrate", "create", "-h"}, []string{"--go", "write a Go migration"}},
		{[]string{"gen", "models", "--help"}, []string{"--package package", "(default models)", "--out FILE"}},
		{[]string{"inspect", "--help"}, []string{"--json"}},
		{[]string{"diff", "--help"}, []string{"--destructive", "--sql", "--go", "cli.App{"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, errOut := runApp(t, cli.App{}, c.args...)
			assert.Equal(t, 0, code)
			assert.Empty(t, errOut)
			for _, w := range c.want {
				assert.Contains(t, out, w)
			}
		})
	}
	// A program with models does not advertise writing one.
	_, out, _ := runApp(t, cli.App{Models: []any{&struct{ ID int64 }{}}}, "--help")
	assert.NotContains(t, out, "cli.App{")
}

func TestAppUsageErrors(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "no command"},
		{[]string{"bogus"}, `unknown command "bogus"`},
		{[]string{"migrate"}, "migrate needs a command"},
		{[]string{"migrate", "sideways"}, `unknown command "migrate sideways"`},
		{[]string{"gen"}, "gen needs a command"},
		{[]string{"migrate", "up", "--nope"}, "flag provided but not defined: -nope"},
		{[]string{"--nope", "migrate", "up"}, "flag provided but not defined: -nope"},
		{[]string{"migrate", "up", "extra"}, `migrate up takes no arguments, got "extra"`},
		{[]string{"migrate", "to"}, "migrate to needs VERSION"},
		{[]string{"migrate", "to", "x", "--dsn", "sqlite::memory:"}, `VERSION must be a migration number (0 or more), not "x"`},
		{[]string{"migrate", "create"}, "migrate create needs NAME"},
		{[]string{"migrate", "create", "a", "b"}, `migrate create takes only NAME, got "a b"`},
		{[]string{"migrate", "up"}, "no database: give --dsn URL or set DATABASE_URL"},
		{[]string{"migrate", "status"}, "no database"},
		{[]string{"inspect"}, "no database"},
		{[]string{"help", "bogus"}, `no help for "bogus"`},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, errOut := runApp(t, cli.App{}, c.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, c.want)
			assert.Contains(t, errOut, "Usage: ", "the usage follows the message")
		})
	}
}

func TestAppFailures(t *testing.T) {
	for _, c := range []struct {
		app  cli.App
		args []string
		want string
	}{
		{cli.App{}, []string{"migrate", "up", "--dsn", "oracle://scott:tiger@db/orcl"}, `unknown database URL scheme "oracle"`},
		{cli.App{}, []string{"migrate", "up", "--dsn", "sqlite::memory:", "--dir", filepath.Join(t.TempDir(), "none")}, "does not exist"},
		{cli.App{FS: fstest.MapFS{"m/1_x.sql": {}}, Dir: "m"}, []string{"migrate", "status", "--dsn", "sqlite::memory:"}, "1_x.sql"},
		{cli.App{}, []string{"diff", "x", "--dsn", "sqlite::memory:"}, "diff needs the models"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, errOut := runApp(t, c.app, c.args...)
			assert.Equal(t, 1, code, out)
			assert.Contains(t, errOut, c.want)
			assert.NotContains(t, errOut, "tiger", "no password in messages")
			assert.NotContains(t, errOut, "Usage:")
		})
	}
}

// appFiles are baseFiles (three SQL migrations) for the engine of db.
func appFiles(db *testdb.DB) fstest.MapFS { return portable(db, baseFiles()) }

// TestAppMigrate runs every migrate command on every engine, with SQL files
// from an fs.FS and a Go migration.
func TestAppMigrate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		app := cli.App{FS: appFiles(db), Dir: "migrations", Migrations: []migrate.Migration{goSeed}}
		dsn := []string{"--dsn", db.URL()}
		run := func(args ...string) string { return mustRun(t, app, append(args, dsn...)...) }

		out := run("migrate", "status")
		assert.Contains(t, out, "VERSION  NAME")
		assert.Regexp(t, `(?m)^3\s+seed_go\s+go\s+pending\s+-$`, out)
		assert.Contains(t, out, "4 pending")

		out = run("migrate", "up")
		assert.Regexp(t, `(?m)^up    0001_create_users \(sql, `, out)
		assert.Regexp(t, `(?m)^up    0003_seed_go \(go, `, out)
		assert.Contains(t, out, "applied 4 migrations")
		assert.Equal(t, []int64{1, 2, 3, 4}, historyVersions(t, db.DB))
		var n int
		require.NoError(t, db.DB.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM users").Scan(&n))
		assert.Equal(t, 2, n)
		assert.Contains(t, run("migrate", "up"), "nothing to apply: the database is up to date")

		out = run("migrate", "status")
		assert.Regexp(t, `(?m)^1\s+create_users\s+sql\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$`, out)
		assert.Contains(t, out, "4 applied")

		out = run("migrate", "to", "1")
		assert.Contains(t, out, "down  0004_index_name")
		assert.Contains(t, out, "rolled back 3 migrations")
		assert.Equal(t, []int64{1}, historyVersions(t, db.DB))
		require.NoError(t, db.DB.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM users").Scan(&n))
		assert.Equal(t, 1, n, "the Go migration's row is gone")

		out = run("migrate", "to", "3")
		assert.Contains(t, out, "applied 2 migrations")
		assert.Equal(t, []int64{1, 2, 3}, historyVersions(t, db.DB))
		assert.Contains(t, run("migrate", "to", "3"), "nothing to apply: every migration up to 3 is applied")

		out = run("migrate", "redo")
		assert.Regexp(t, `(?s)down  0003_seed_go.*up    0003_seed_go`, out)
		assert.Contains(t, out, "redone 1 migration")

		out = run("migrate", "down")
		assert.Contains(t, out, "down  0003_seed_go")
		assert.Contains(t, out, "rolled back 1 migration")
		assert.Equal(t, []int64{1, 2}, historyVersions(t, db.DB))

		// DATABASE_URL instead of --dsn, flags before the command.
		t.Setenv("DATABASE_URL", db.URL())
		out = mustRun(t, app, "-v", "migrate", "to", "0")
		assert.Contains(t, out, "rolled back 2 migrations")
		assert.Empty(t, historyVersions(t, db.DB))
		assert.Contains(t, mustRun(t, app, "migrate", "down"), "nothing to roll back")
	})
}

// TestAppTableAndFlags uses another history table and the runner's flags.
func TestAppTableAndFlags(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		fsys := appFiles(db)
		dsn := db.URL()
		app := cli.App{FS: fsys, Dir: "migrations", Table: "app_history"}
		mustRun(t, app, "migrate", "to", "2", "--dsn", dsn)
		var n int
		require.NoError(t, db.DB.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM app_history").Scan(&n))
		assert.Equal(t, 2, n)

		// --table overrides App.Table: a fresh history, so 0001 fails (users exists).
		code, _, errOut := runApp(t, app, "migrate", "up", "--dsn", dsn, "--table", "other_history")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "0001_create_users up failed")

		// Migration 3 arrives late (out of order) once 4 is applied.
		mustRun(t, app, "migrate", "up", "--dsn", dsn)
		late := migrate.Migration{Version: 3, Name: "late", Up: goSeed.Up, Down: goSeed.Down}
		app.Migrations = []migrate.Migration{late}
		code, _, errOut = runApp(t, app, "migrate", "up", "--dsn", dsn)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "0003_late")
		assert.Contains(t, errOut, "AllowOutOfOrder")
		out := mustRun(t, app, "migrate", "up", "--dsn", dsn, "--allow-out-of-order")
		assert.Contains(t, out, "up    0003_late")

		// An edited file stops the runner unless allowed.
		fsys["migrations/0002_add_email.up.sql"] = &fstest.MapFile{Data: []byte("ALTER TABLE users ADD COLUMN email VARCHAR(201);\n")}
		code, _, errOut = runApp(t, app, "migrate", "down", "--dsn", dsn)
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "0002_add_email.up.sql")
		mustRun(t, app, "migrate", "down", "--dsn", dsn, "--allow-checksum-mismatch")
		out = mustRun(t, app, "migrate", "status", "--dsn", dsn)
		assert.Contains(t, out, "applied (file changed since)")
	})
}

// TestAppFailingMigration prints what was applied, the error and the whole
// failed statement, and exits with 1.
func TestAppFailingMigration(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		long := "INSERT INTO nowhere (a, b, c) VALUES\n  ('" + strings.Repeat("x", 250) + "', 2, 3)"
		fsys := files(
			"0001_ok.up.sql", "CREATE TABLE ok (id INTEGER PRIMARY KEY);",
			"0002_bad.up.sql", "INSERT INTO ok (id) VALUES (1);\n"+long+";\n",
		)
		code, out, errOut := runApp(t, cli.App{FS: fsys}, "migrate", "up", "--dsn", db.URL())
		assert.Equal(t, 1, code)
		assert.Regexp(t, `^up    0001_ok \(sql, [^)]+\)\n$`, out, "printed as it was applied")
		assert.NotContains(t, errOut, "up    0001_ok", "not twice")
		assert.Contains(t, errOut, "error: kinglet: migrate: 0002_bad up failed after 1 applied (last 0001_ok): migrations/0002_bad.up.sql:2: statement 2 of 2 failed")
		assert.Contains(t, errOut, "the statement (migrations/0002_bad.up.sql:2):\n    INSERT INTO nowhere (a, b, c) VALUES\n      ('xxx")
		assert.Equal(t, []int64{1}, historyVersions(t, db.DB))
	})
}

// TestAppDirOnDisk reads SQL files from --dir when the App has no FS, as
// the kinglet command does, and creates migrations there.
func TestAppDirOnDisk(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	dir := filepath.Join(t.TempDir(), "db", "migrations")
	app := cli.App{}
	out := mustRun(t, app, "migrate", "create", "create users", "--dir", dir)
	up := filepath.Join(dir, "0001_create_users.up.sql")
	assert.Equal(t, "created "+up+"\ncreated "+filepath.Join(dir, "0001_create_users.down.sql")+"\n", out)
	require.NoError(t, os.WriteFile(up, []byte("CREATE TABLE users (id INTEGER PRIMARY KEY);\n"), 0o644))

	out = mustRun(t, app, "--dir", dir, "migrate", "create", "--go", "backfill")
	assert.Contains(t, out, "created "+filepath.Join(dir, "0002_backfill.go"))
	assert.Contains(t, out, "register Migration0002Backfill in cli.App's Migrations")
	require.NoError(t, os.Remove(filepath.Join(dir, "0002_backfill.go")))

	out = mustRun(t, app, "migrate", "up", "--dir", dir, "--dsn", db.URL())
	assert.Contains(t, out, "up    0001_create_users")
	assert.Equal(t, []int64{1}, historyVersions(t, db.DB))

	// With an embedded FS, create still writes to Dir on disk, and says to rebuild.
	out = mustRun(t, cli.App{FS: fstest.MapFS{}, Dir: dir}, "migrate", "create", "next")
	assert.Contains(t, out, "0002_next.up.sql")
	assert.Contains(t, out, "rebuild the program")
}

// appSchema creates two related tables with a row each through db.
func appSchema(t *testing.T, db *testdb.DB) {
	t.Helper()
	for _, s := range []string{
		"CREATE TABLE authors (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL DEFAULT 'anon', email VARCHAR(100))",
		"CREATE UNIQUE INDEX authors_email ON authors (email)",
		"CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL, title VARCHAR(200) NOT NULL, " +
			"CONSTRAINT books_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE)",
		"INSERT INTO authors (id, name) VALUES (1, 'Ann')",
	} {
		_, err := db.DB.ExecContext(t.Context(), s)
		require.NoError(t, err, s)
	}
}

func TestAppInspect(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		appSchema(t, db)
		out := mustRun(t, cli.App{}, "inspect", "--dsn", db.URL())
		assert.Contains(t, out, "table authors\n")
		assert.Regexp(t, `(?m)^  id\s+\S+\s+not null pk$`, out)
		assert.Regexp(t, `(?m)^  name\s+varchar\(50\)\s+not null default 'anon'$`, out)
		assert.Regexp(t, `(?m)^  email\s+varchar\(100\)\s+null$`, out)
		assert.Contains(t, out, "unique index authors_email (email)")
		assert.Contains(t, out, "foreign key books_author (author_id) references authors (id) on delete cascade")

		out = mustRun(t, cli.App{}, "inspect", "--json", "--dsn", db.URL())
		var s struct {
			Tables []struct {
				Name    string
				Columns []struct {
					Name     string
					Type     string
					Nullable bool
					Default  *string
				}
				PrimaryKey  []string `json:"primary_key"`
				ForeignKeys []struct {
					RefTable string `json:"ref_table"`
				} `json:"foreign_keys"`
			}
		}
		require.NoError(t, json.Unmarshal([]byte(out), &s), out)
		require.Len(t, s.Tables, 2)
		assert.Equal(t, "authors", s.Tables[0].Name)
		assert.Equal(t, []string{"id"}, s.Tables[0].PrimaryKey)
		require.Len(t, s.Tables[0].Columns, 3)
		assert.Equal(t, "varchar(50)", s.Tables[0].Columns[1].Type)
		require.NotNil(t, s.Tables[0].Columns[1].Default)
		assert.Equal(t, "'anon'", *s.Tables[0].Columns[1].Default)
		assert.True(t, s.Tables[0].Columns[2].Nullable)
		assert.Equal(t, "authors", s.Tables[1].ForeignKeys[0].RefTable)
	})
}

func TestAppGenModels(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		appSchema(t, db)
		mustRun(t, cli.App{FS: files("0001_noop.up.sql", "SELECT 1;")}, "migrate", "up", "--dsn", db.URL()) // a history table, which is left out

		out := mustRun(t, cli.App{}, "gen", "models", "--dsn", db.URL(), "--package", "db")
		assert.Contains(t, out, "package db\n")
		assert.Contains(t, out, "type Author struct {")
		assert.Contains(t, out, "type Book struct {")
		assert.Regexp(t, "AuthorID +int(32|64) +`db:\"author_id,fk:authors.id,fk_name:books_author,on_delete:cascade", out)
		assert.NotContains(t, out, "kinglet_migrations")
		assert.NotContains(t, out, "KingletMigration")

		file := filepath.Join(t.TempDir(), "models", "models.go")
		out = mustRun(t, cli.App{}, "gen", "models", "--dsn", db.URL(), "--out", file)
		assert.Equal(t, "wrote "+file+": 2 models\n", out)
		src, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Contains(t, string(src), "package models\n")

		code, _, errOut := runApp(t, cli.App{}, "gen", "models", "--dsn", db.URL(), "--package", "my-models")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, `package name "my-models"`)
	})
}

// TestAppCancelled stops at a cancelled context with exit status 1.
func TestAppCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errOut bytes.Buffer
	code := cli.App{FS: files("0001_a.up.sql", "SELECT 1;"), Stdout: &out, Stderr: &errOut}.Run(ctx, []string{"migrate", "up", "--dsn", "sqlite::memory:"})
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), "context canceled")
}

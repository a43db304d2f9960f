package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/cli"
	"github.com/kingletdb/kinglet/migrate/internal/migratetest"
)

// TestAppHelpEveryCommand: every command the usage lists, and each group,
// has help as "help COMMAND" and as "COMMAND --help", exit status 0, on
// stdout.
func TestAppHelpEveryCommand(t *testing.T) {
	_, usage, _ := runApp(t, cli.App{}, "--help")
	var cmds []string
	for _, m := range regexp.MustCompile(`(?m)^  ([a-z]+(?: [a-z]+)?)(?: [A-Z\[][A-Z\]]*)?  `).FindAllStringSubmatch(usage, -1) {
		if m[1] != "help" {
			cmds = append(cmds, m[1])
		}
	}
	require.Contains(t, cmds, "migrate lint")
	require.Contains(t, cmds, "gen cols")
	require.Len(t, cmds, 11, "%q", cmds)
	for _, c := range append(cmds, "migrate", "gen") {
		words := strings.Fields(c)
		for _, args := range [][]string{append([]string{"help"}, words...), append(words, "--help"), append(words, "-h")} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, out, errOut := runApp(t, cli.App{}, args...)
				assert.Equal(t, 0, code, errOut)
				assert.Empty(t, errOut)
				assert.Contains(t, out, "Usage: cli.test "+c)
			})
		}
	}
	_, out, _ := runApp(t, cli.App{}, "help", "migrate")
	for _, sub := range []string{"migrate up", "migrate down", "migrate redo", "migrate to VERSION", "migrate status", "migrate create NAME", "migrate lint"} {
		assert.Contains(t, out, "  "+sub)
	}
	assert.NotContains(t, out, "gen models")
	_, out, _ = runApp(t, cli.App{}, "gen", "--help")
	assert.Contains(t, out, "gen models")
	assert.Contains(t, out, "gen cols [DIR]")
	_, out, _ = runApp(t, cli.App{}, "help", "migrate", "up")
	assert.Contains(t, out, "--dry-run")
}

// TestAppDryRun: up, down, redo and to print each migration's SQL and
// change nothing.
func TestAppDryRun(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		app := cli.App{FS: appFiles(db), Dir: "migrations", Migrations: []migrate.Migration{goSeed}}
		run := func(args ...string) string { return mustRun(t, app, append(args, "--dsn", db.URL())...) }
		out := run("migrate", "up", "--dry-run")
		assert.Contains(t, out, "-- up 0001_create_users (sql, migrations/0001_create_users.up.sql)\n"+
			"CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);\n"+
			"INSERT INTO users (id, name) VALUES (1, 'semi;colon');\n\n")
		assert.Contains(t, out, "-- up 0003_seed_go (go)\n-- a Go function: its statements are known only when it runs\n")
		assert.Contains(t, out, "dry run: 4 migrations would be applied; nothing was changed\n")
		assert.False(t, migratetest.TableExists(t, db, migrate.DefaultTable))
		assert.False(t, migratetest.TableExists(t, db, "users"))

		out = run("migrate", "to", "2", "--dry-run")
		assert.Contains(t, out, "dry run: 2 migrations would be applied")
		assert.NotContains(t, out, "0003")

		out = run("migrate", "up")
		assert.Regexp(t, `(?m)^up    0004_index_name \(sql, (<1ms|\d+ms|[\d.]+s)\)$`, out)
		assert.Regexp(t, `(?m)^applied 4 migrations in \S+; the database is at version 4$`, out)

		out = run("migrate", "down", "--dry-run")
		assert.Contains(t, out, "-- down 0004_index_name (sql, migrations/0004_index_name.down.sql)\nDROP INDEX users_name")
		assert.Contains(t, out, "dry run: 1 migration would be rolled back")
		out = run("migrate", "redo", "--dry-run")
		assert.Contains(t, out, "dry run: 1 migration would be redone")
		out = run("migrate", "to", "1", "--dry-run")
		assert.Contains(t, out, "dry run: 3 migrations would be rolled back")
		assert.Equal(t, []int64{1, 2, 3, 4}, historyVersions(t, db.DB), "nothing changed")

		out = run("migrate", "to", "2")
		assert.Regexp(t, `(?m)^rolled back 2 migrations in \S+; the database is at version 2$`, out)
		out = run("migrate", "to", "0")
		assert.Regexp(t, `(?m)^rolled back 2 migrations in \S+; no migration is applied$`, out)
	})
}

// TestAppNoMigrations: status without migrations says so and succeeds;
// the directory is named as given.
func TestAppNoMigrations(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	empty := t.TempDir()
	missing := filepath.Join(empty, "nope")
	out := mustRun(t, cli.App{}, "migrate", "status", "--dir", empty, "--dsn", db.URL())
	assert.Equal(t, "no migrations in "+empty+" (create the first with: cli.test migrate create NAME)\n", out)
	out = mustRun(t, cli.App{}, "migrate", "status", "--dir", missing, "--dsn", db.URL())
	assert.Equal(t, "no migrations: directory "+missing+" does not exist (create the first with: cli.test migrate create NAME)\n", out)
	out = mustRun(t, cli.App{FS: fstest.MapFS{}, Dir: "db/migrations"}, "migrate", "status", "--dsn", db.URL())
	assert.Equal(t, "no migrations in db/migrations (create the first with: cli.test migrate create NAME)\n", out)
	out = mustRun(t, cli.App{}, "migrate", "up", "--dir", empty, "--dsn", db.URL())
	assert.Contains(t, out, "no migrations in "+empty)
	assert.False(t, migratetest.TableExists(t, db, migrate.DefaultTable))

	// An absolute directory is named as given in what the runner says.
	require.NoError(t, os.WriteFile(filepath.Join(empty, "0001_a.up.sql"), []byte("CREATE TABLE a (id INTEGER PRIMARY KEY);\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(empty, "0002_b.up.sql"), []byte("CREATE TABLE a (id INTEGER PRIMARY KEY);\n"), 0o644))
	code, _, errOut := runApp(t, cli.App{}, "migrate", "up", "--dir", empty, "--dsn", db.URL())
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, filepath.Join(empty, "0002_b.up.sql")+":1: statement 1 of 1 failed")
	require.NoError(t, os.WriteFile(filepath.Join(empty, "3_bad.sql"), nil, 0o644))
	code, _, errOut = runApp(t, cli.App{}, "migrate", "status", "--dir", empty, "--dsn", db.URL())
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, filepath.Join(empty, "3_bad.sql")+": want a name like")
}

// TestAppOwnTablesLeftOut: inspect and gen models leave out the history
// and lock tables, under any name.
func TestAppOwnTablesLeftOut(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	app := cli.App{FS: files("0001_t.up.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);"), Table: "app_history"}
	mustRun(t, app, "migrate", "up", "--dsn", db.URL())
	require.True(t, migratetest.TableExists(t, db, "app_history_lock"), "SQLite keeps a lock table")
	for _, args := range [][]string{{"inspect"}, {"inspect", "--format", "dot"}, {"gen", "models"}, {"inspect", "--json"}} {
		out := mustRun(t, app, append(args, "--dsn", db.URL())...)
		assert.NotContains(t, out, "app_history", args)
		assert.Contains(t, strings.ToLower(out), "t", args)
	}
}

// TestAppInspectFormats draws the shop as Mermaid and DOT, with filters,
// and the models of a program.
func TestAppInspectFormats(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		migratetest.CreateShop(t, db)
		run := func(args ...string) string { return mustRun(t, cli.App{}, append(args, "--dsn", db.URL())...) }
		out := run("inspect", "--format", "mermaid")
		assert.True(t, strings.HasPrefix(out, "erDiagram\n"), out)
		assert.Contains(t, out, "    orders ||--o{ order_lines : \"order_id\"\n")
		assert.Contains(t, out, "    order_lines ||--o{ shipments : \"order_id, line_no\"\n")
		assert.Contains(t, out, "    employees |o--o{ employees : \"manager_id\"\n")
		assert.NotContains(t, out, "order_totals", "views only with --views")
		out = run("inspect", "--format", "dot", "--tables", "order*,products", "--exclude", "orders")
		assert.Contains(t, out, `"order_lines":e2:e -> "products":w0:w [label="order_lines_product_fkey"];`)
		assert.NotContains(t, out, `"orders"`)
		assert.Contains(t, run("inspect", "--views", "--tables", "order_totals"), "view order_totals")
		code, _, errOut := runApp(t, cli.App{}, "inspect", "--format", "png", "--dsn", db.URL())
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, `--format "png": want text, json, mermaid or dot`)
	})
	// The models, without a database.
	app := cli.App{Models: migratetest.Models}
	out := mustRun(t, app, "inspect", "--models", "--format", "mermaid", "--engine", "postgres")
	assert.Contains(t, out, "users ||--o{ posts : \"user_id\"")
	assert.Contains(t, out, "        VARCHAR(64) username UK\n")
	out = mustRun(t, app, "inspect", "--models", "--tables", "posts")
	assert.Contains(t, out, "table posts")
	assert.NotContains(t, out, "table users")
	code, _, errOut := runApp(t, cli.App{}, "inspect", "--models")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "inspect --models needs the models")
}

// TestAppGenFilters: gen models reads the tables --tables and --exclude
// choose, and views with --views.
func TestAppGenFilters(t *testing.T) {
	db := testdb.Open(t, testdb.Postgres)
	migratetest.CreateShop(t, db)
	out := mustRun(t, cli.App{}, "gen", "models", "--dsn", db.URL(), "--tables", "order*", "--exclude", "order_lines", "--views")
	assert.Contains(t, out, "type Order struct {")
	assert.Contains(t, out, "type OrderTotal struct {")
	assert.NotContains(t, out, "type OrderLine struct {")
	assert.Contains(t, out, "var Models = []any{&Order{}}")
	code, _, errOut := runApp(t, cli.App{}, "gen", "models", "--dsn", db.URL(), "--schema", "no_such_schema")
	assert.Equal(t, 0, code, errOut) // an empty schema: no models
}

// TestAppGenCols writes the handles beside the models, as go:generate
// would run it.
func TestAppGenCols(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "gen", "testdata", "cols", "models", "models.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "models.go"), src, 0o644))
	out := mustRun(t, cli.App{}, "gen", "cols", dir)
	assert.Equal(t, "wrote "+filepath.Join(dir, "kinglet_cols.go")+"\n", out)
	got, err := os.ReadFile(filepath.Join(dir, "kinglet_cols.go"))
	require.NoError(t, err)
	assert.Contains(t, string(got), "var UserCols = struct {")
	out = mustRun(t, cli.App{}, "gen", "cols", dir, "--types", "News", "--out", "-")
	assert.Contains(t, out, "var NewsCols = struct {")
	assert.NotContains(t, out, "UserCols")
	code, _, errOut := runApp(t, cli.App{}, "gen", "cols", t.TempDir())
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no Go files")
}

// lintFiles holds one migration per warning, and a safe one.
func lintFiles(engine string) fstest.MapFS {
	typeChange := map[string]string{
		testdb.SQLite:   "SELECT 1;", // no ALTER for a type: a rebuild, written by hand
		testdb.Postgres: "ALTER TABLE users ALTER COLUMN age TYPE bigint;",
		testdb.MySQL:    "ALTER TABLE users MODIFY COLUMN age BIGINT;",
	}[engine]
	return files(
		"0001_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER, note VARCHAR(10));\nCREATE INDEX users_id_age ON users (id, age);",
		"0002_level.up.sql", "ALTER TABLE users ADD COLUMN level INTEGER NOT NULL;",
		"0003_age.up.sql", typeChange,
		"0004_index.up.sql", "CREATE INDEX users_age ON users (age);",
		"0005_drop.up.sql", "ALTER TABLE users DROP COLUMN note;\nDROP TABLE IF EXISTS legacy;",
	)
}

// TestAppLint: migrate lint over files, for an engine named or the
// database's, every migration or the pending ones; --strict fails.
func TestAppLint(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres", "mysql", "mariadb"} {
		t.Run(engine, func(t *testing.T) {
			fam := map[string]string{"mariadb": testdb.MySQL}[engine]
			if fam == "" {
				fam = engine
			}
			out := mustRun(t, cli.App{FS: lintFiles(fam)}, "migrate", "lint", "--engine", engine)
			assert.Contains(t, out, "migrations/0002_level.up.sql: statement 1: ALTER TABLE users ADD COLUMN level INTEGER NOT NULL\n"+
				"  warning ("+engine+", not-null-without-default): ")
			assert.Contains(t, out, "  safer: add level as NULL, backfill it in batches")
			assert.Contains(t, out, "migrations/0005_drop.up.sql: statement 1: ALTER TABLE users DROP COLUMN note\n  warning ("+engine+", drop-column)")
			assert.Contains(t, out, "migrations/0005_drop.up.sql: statement 2: DROP TABLE IF EXISTS legacy\n  warning ("+engine+", drop-table)")
			assert.NotContains(t, out, "0001_users", "a new table")
			if engine == "sqlite" {
				assert.NotContains(t, out, "type-rewrite")
			} else {
				assert.Contains(t, out, "migrations/0003_age.up.sql: statement 1")
				assert.Contains(t, out, "warning ("+engine+", type-rewrite)")
			}
			if engine == "postgres" {
				assert.Contains(t, out, "migrations/0004_index.up.sql: statement 1: CREATE INDEX users_age ON users (age)\n  warning (postgres, index-lock)")
			} else {
				assert.NotContains(t, out, "index-lock")
			}
			assert.Regexp(t, `(?m)^\d warnings in \d migrations of 5 \(`+engine+`\)$`, out)
			code, _, errOut := runApp(t, cli.App{FS: lintFiles(fam)}, "migrate", "lint", "--engine", engine, "--strict")
			assert.Equal(t, 1, code)
			assert.Contains(t, errOut, "(--strict)")
		})
	}
	t.Run("pending", func(t *testing.T) {
		testdb.Each(t, func(t *testing.T, db *testdb.DB) {
			app := cli.App{FS: lintFiles(db.Engine), Migrations: []migrate.Migration{{Version: 6, Name: "go", Up: migratetest.Noop}}}
			mustRun(t, app, "migrate", "to", "2", "--dsn", db.URL())
			out := mustRun(t, app, "migrate", "lint", "--dsn", db.URL())
			assert.NotContains(t, out, "0002_level", "applied")
			assert.Contains(t, out, "0005_drop.up.sql: statement 1")
			assert.Contains(t, out, "0006_go: a Go migration, not linted")
			out = mustRun(t, app, "migrate", "lint", "--dsn", db.URL(), "--all")
			assert.Contains(t, out, "0002_level.up.sql: statement 1")
			mustRun(t, app, "migrate", "up", "--dsn", db.URL())
			assert.Equal(t, "nothing to lint: no pending migration\n", mustRun(t, app, "migrate", "lint", "--dsn", db.URL()))
		})
	})
	t.Setenv("DATABASE_URL", "")
	code, _, errOut := runApp(t, cli.App{FS: lintFiles("sqlite")}, "migrate", "lint")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "migrate lint needs the engine")
	code, _, errOut = runApp(t, cli.App{FS: lintFiles("sqlite")}, "migrate", "lint", "--engine", "oracle")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--engine "oracle": want sqlite, postgres, mysql or mariadb`)
}

// TestAppDiffLint: diff prints the warnings of the changes it writes.
func TestAppDiffLint(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		dir := t.TempDir()
		app := func(models ...any) cli.App { return cli.App{Models: models, Dir: dir} }
		run := func(a cli.App, args ...string) string { return mustRun(t, a, append(args, "--dsn", db.URL())...) }
		out := run(app(&diffUserV1{}), "diff", "v1")
		assert.NotContains(t, out, "warning", "new tables")
		run(app(&diffUserV1{}), "migrate", "up")
		out = run(app(&diffUserV2{}, &diffPostV2{}), "diff", "v2")
		switch db.Engine {
		case testdb.Postgres:
			assert.Contains(t, out, "lint: add unique constraint uq_diff_users_email on diff_users (email)\n"+
				"  warning (postgres, index-lock): building the index without CONCURRENTLY blocks writes to diff_users")
		case testdb.SQLite: // a constraint is a rebuild
			assert.Contains(t, out, "lint: rebuild diff_users\n  warning (sqlite, sqlite-rebuild): the change rebuilds diff_users")
		default:
			assert.NotContains(t, out, "warning")
		}
		run(app(&diffUserV2{}, &diffPostV2{}), "migrate", "up")
		out = run(app(&diffUserV3{}, &diffPostV2{}), "diff", "v3", "--destructive")
		assert.Contains(t, out, "lint: drop column diff_users.name\n  warning ("+db.Dialect.Name()+", drop-column): dropping name loses its data")
	})
}

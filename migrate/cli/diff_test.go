package cli_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate/cli"
	"github.com/kingletdb/kinglet/migrate/diff"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// The models of TestAppDiff, version by version.
type (
	diffUserV1 struct {
		ID   int64  `db:"id,pk"`
		Name string `db:"name,size:50,index"`
	}
	diffUserV2 struct {
		ID    int64   `db:"id,pk"`
		Name  string  `db:"name,size:50,index"`
		Email *string `db:"email,size:100,unique"`
	}
	diffPostV2 struct {
		ID     int64  `db:"id,pk"`
		UserID int64  `db:"user_id,fk:diff_users.id,on_delete:cascade"`
		Title  string `db:"title,size:100,default:'untitled'"`
	}
	diffUserV3 struct { // without name
		ID    int64   `db:"id,pk"`
		Email *string `db:"email,size:100,unique"`
	}
)

func (diffUserV1) TableName() string { return "diff_users" }
func (diffUserV2) TableName() string { return "diff_users" }
func (diffPostV2) TableName() string { return "diff_posts" }
func (diffUserV3) TableName() string { return "diff_users" }

// TestAppDiff writes migrations from models with diff, applies and rolls
// them back, and checks that a second diff finds nothing.
func TestAppDiff(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		dir := t.TempDir()
		app := func(models ...any) cli.App { return cli.App{Models: models, Dir: dir} }
		run := func(a cli.App, args ...string) string {
			return mustRun(t, a, append(args, "--dsn", db.URL())...)
		}
		files := func() []string {
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			return names
		}
		// matches checks the database against models with Diff directly
		// (diff itself refuses to run while a migration is pending).
		matches := func(models ...any) {
			t.Helper()
			cur, err := schema.Inspect(ctx, db.DB, db.Dialect)
			require.NoError(t, err)
			want, err := schema.FromModels(db.Dialect, models...)
			require.NoError(t, err)
			ops, err := diff.Schemas(db.Dialect, cur, want, diff.Options{Destructive: true})
			require.NoError(t, err)
			assert.Empty(t, ops)
		}
		v1, v2, v3 := app(&diffUserV1{}), app(&diffUserV2{}, &diffPostV2{}), app(&diffUserV3{}, &diffPostV2{})

		// An empty database: the first migration creates the table.
		out := run(v1, "diff", "create users")
		assert.Contains(t, out, "  create table diff_users\n")
		assert.Contains(t, out, "created "+filepath.Join(dir, "0001_create_users.up.sql"))
		up, err := os.ReadFile(filepath.Join(dir, "0001_create_users.up.sql"))
		require.NoError(t, err)
		assert.Contains(t, string(up), "CREATE TABLE")
		assert.Contains(t, string(up), "idx_diff_users_name")
		down, err := os.ReadFile(filepath.Join(dir, "0001_create_users.down.sql"))
		require.NoError(t, err)
		assert.Contains(t, string(down), "DROP TABLE")

		assert.Contains(t, run(v1, "migrate", "up"), "applied 1 migration")
		_, err = db.DB.ExecContext(ctx, "INSERT INTO diff_users (id, name) VALUES (1, 'ann')")
		require.NoError(t, err)
		assert.Equal(t, "no changes: the database matches the models\n", run(v1, "diff", "again"))
		assert.Len(t, files(), 2, "nothing written")

		// A column, a unique index and a table with a foreign key.
		out = run(v2, "diff", "emails and posts")
		assert.Contains(t, out, "add column diff_users.email")
		assert.Contains(t, out, "create table diff_posts")
		run(v2, "migrate", "up")
		_, err = db.DB.ExecContext(ctx, "INSERT INTO diff_posts (id, user_id) VALUES (1, 1)")
		require.NoError(t, err)
		var title, name string
		require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT p.title, u.name FROM diff_posts p JOIN diff_users u ON u.id = p.user_id").Scan(&title, &name))
		assert.Equal(t, []string{"untitled", "ann"}, []string{title, name})
		assert.Contains(t, run(v2, "diff", "again"), "no changes")

		// Its down file undoes it: v1 matches again, and the row survived.
		_, err = db.DB.ExecContext(ctx, "DELETE FROM diff_posts")
		require.NoError(t, err)
		assert.Contains(t, run(v2, "migrate", "down"), "down  0002_emails_and_posts")
		matches(&diffUserV1{})
		require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT name FROM diff_users WHERE id = 1").Scan(&name))
		assert.Equal(t, "ann", name)
		run(v2, "migrate", "up")

		// Indexes the models lack go; columns only with --destructive.
		out = run(v3, "diff", "drop name index")
		assert.Contains(t, out, "drop index idx_diff_users_name")
		assert.NotContains(t, out, "drop column")
		run(v3, "migrate", "up")
		out = run(v3, "diff", "drop name", "--destructive")
		assert.Contains(t, out, "drop column diff_users.name (destructive)")
		run(v3, "migrate", "up")
		assert.Contains(t, run(v3, "diff", "again", "--destructive"), "no changes")
		matches(&diffUserV3{}, &diffPostV2{})
		var n int
		require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM diff_users").Scan(&n))
		assert.Equal(t, 1, n)
		// The down file adds the NOT NULL column back, which needs an
		// empty table on most engines.
		_, err = db.DB.ExecContext(ctx, "DELETE FROM diff_users")
		require.NoError(t, err)
		assert.Contains(t, run(v3, "migrate", "down"), "down  0004_drop_name")
		_, err = db.DB.ExecContext(ctx, "INSERT INTO diff_users (id, name) VALUES (2, 'bob')")
		require.NoError(t, err)
		assert.Contains(t, run(v3, "migrate", "down"), "down  0003_drop_name_index")
		matches(&diffUserV2{}, &diffPostV2{})
		run(v3, "migrate", "up")

		// A pending migration must be applied before diffing.
		require.NoError(t, os.WriteFile(filepath.Join(dir, "0005_later.up.sql"), []byte("SELECT 1;\n"), 0o644))
		code, _, errOut := runApp(t, v1, "diff", "x", "--dsn", db.URL())
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "1 migration not applied (0005_later): apply it first")
		require.NoError(t, os.Remove(filepath.Join(dir, "0005_later.up.sql")))

		// --go writes a Go migration running the same statements.
		out = run(v1, "diff", "back to one", "--go", "--destructive")
		assert.Contains(t, out, "created "+filepath.Join(dir, "0005_back_to_one.go"))
		assert.Contains(t, out, "register Migration0005BackToOne")
		src, err := os.ReadFile(filepath.Join(dir, "0005_back_to_one.go"))
		require.NoError(t, err)
		assert.Contains(t, string(src), "var Migration0005BackToOne = migrate.Migration{")
		assert.Contains(t, string(src), "Down: func(")

		code, _, errOut = runApp(t, v1, "diff", "x", "--go", "--sql", "--dsn", db.URL())
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "--sql and --go exclude each other")
	})
}

package migrate_test

import (
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
)

func TestWriteSQL(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "00041_old.up.sql"), []byte("SELECT 1;"), 0o644))
	paths, err := migrate.WriteSQL(dir, "Add users' table", []string{"CREATE TABLE a (x INTEGER)", "INSERT INTO a VALUES (';');"}, nil)
	require.NoError(t, err)
	require.Equal(t, []string{filepath.Join(dir, "00042_add_users_table.up.sql"), filepath.Join(dir, "00042_add_users_table.down.sql")}, paths)
	up, err := os.ReadFile(paths[0])
	require.NoError(t, err)
	assert.Equal(t, "-- 00042: Add users' table (up)\n\nCREATE TABLE a (x INTEGER);\nINSERT INTO a VALUES (';');\n", string(up))
	down, err := os.ReadFile(paths[1])
	require.NoError(t, err)
	assert.Equal(t, "-- 00042: Add users' table (down)\n\n-- Nothing to undo.\n", string(down))

	// The next one counts the new files.
	paths, err = migrate.WriteSQL(dir, "more", []string{"SELECT 2"}, []string{"SELECT 3"})
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "00043_more.up.sql"), paths[0])
}

func TestWriteGo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dbmigrations")
	require.NoError(t, os.Mkdir(dir, 0o755))
	paths, err := migrate.WriteGo(dir, "add email", []string{"ALTER TABLE users ADD COLUMN email TEXT", "UPDATE users SET email = 'a`b'"}, []string{"ALTER TABLE users DROP COLUMN email"})
	require.NoError(t, err)
	require.Equal(t, []string{filepath.Join(dir, "0001_add_email.go")}, paths)
	src, err := os.ReadFile(paths[0])
	require.NoError(t, err)
	f, err := parser.ParseFile(token.NewFileSet(), paths[0], src, 0)
	require.NoError(t, err, "%s", src)
	assert.Equal(t, "dbmigrations", f.Name.Name)
	assert.Contains(t, string(src), "var Migration0001AddEmail = migrate.Migration{")
	assert.Contains(t, string(src), "`ALTER TABLE users ADD COLUMN email TEXT`,")
	assert.Contains(t, string(src), `"UPDATE users SET email = 'a`+"`"+`b'",`, "a backquote forces a quoted string")
	assert.Contains(t, string(src), "Down: func(ctx context.Context, tx migrate.Execer) error {")

	// Without down statements the migration is irreversible; the package
	// follows the existing Go file.
	paths, err = migrate.WriteGo(dir, "seed", []string{"INSERT INTO users (id) VALUES (1)"}, nil)
	require.NoError(t, err)
	src, err = os.ReadFile(paths[0])
	require.NoError(t, err)
	assert.NotContains(t, string(src), "Down:")
	assert.Contains(t, string(src), "package dbmigrations")
	assert.Contains(t, string(src), "Version: 2,")
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, dir, mig string
		up             []string
		want           string
		invalid        bool
	}{
		{"no up", dir, "x", nil, "no up statements", true},
		{"empty statement", dir, "x", []string{"SELECT 1", " "}, "up statement 2 is empty", true},
		{"bad name", dir, "--", []string{"SELECT 1"}, `name "--" has no letters or digits`, true},
		{"no dir", filepath.Join(dir, "missing"), "x", []string{"SELECT 1"}, "missing", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, write := range []func(string, string, []string, []string) ([]string, error){migrate.WriteSQL, migrate.WriteGo} {
				_, err := write(c.dir, c.mig, c.up, nil)
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.want)
				assert.Equal(t, c.invalid, errors.Is(err, migrate.ErrInvalid), err.Error())
			}
		})
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing written")
}

// TestWriteSQLRuns applies a written migration pair on every engine.
func TestWriteSQLRuns(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		dir := t.TempDir()
		_, err := migrate.WriteSQL(dir, "notes",
			[]string{"CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(50))", "INSERT INTO notes (id, body) VALUES (1, 'a;b')"},
			[]string{"DROP TABLE notes"})
		require.NoError(t, err)
		r, err := migrate.New(db.DB, db.Dialect, migrate.WithFS(os.DirFS(dir), "."))
		require.NoError(t, err)
		_, err = r.Up(t.Context())
		require.NoError(t, err)
		var body string
		require.NoError(t, db.DB.QueryRowContext(t.Context(), "SELECT body FROM notes WHERE id = 1").Scan(&body))
		assert.Equal(t, "a;b", body)
		_, err = r.Down(t.Context())
		require.NoError(t, err)
		_, err = db.DB.ExecContext(t.Context(), "SELECT 1 FROM notes")
		require.Error(t, err, "the down file dropped the table")
	})
}

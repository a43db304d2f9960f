package migrate_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
)

func TestCreate(t *testing.T) {
	dir := t.TempDir()
	base := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			out = append(out, filepath.Base(p))
		}
		return out
	}

	paths, err := migrate.Create(dir, "Create users", migrate.SQL)
	require.NoError(t, err)
	assert.Equal(t, []string{"0001_create_users.up.sql", "0001_create_users.down.sql"}, base(paths))
	up, err := os.ReadFile(paths[0])
	require.NoError(t, err)
	assert.Equal(t, "-- 0001: Create users (up)\n\n", string(up))

	paths, err = migrate.Create(dir, "  Add users' e-mail!  ", migrate.SQL)
	require.NoError(t, err)
	assert.Equal(t, []string{"0002_add_users_e_mail.up.sql", "0002_add_users_e_mail.down.sql"}, base(paths))

	paths, err = migrate.Create(dir, "backfill", migrate.Go)
	require.NoError(t, err)
	assert.Equal(t, []string{"0003_backfill.go"}, base(paths))
	src, err := os.ReadFile(paths[0])
	require.NoError(t, err)
	assert.Contains(t, string(src), "package migrations\n") // t.TempDir's "001" is no package name
	assert.Contains(t, string(src), "var Migration0003Backfill = migrate.Migration{\n\tVersion: 3,\n\tName:    \"backfill\",")

	// The package of the next Go file follows the existing one.
	require.NoError(t, os.WriteFile(paths[0], []byte("package dbmigrations\n"), 0o644))
	paths, err = migrate.Create(dir, "second go", migrate.Go)
	require.NoError(t, err)
	src, err = os.ReadFile(paths[0])
	require.NoError(t, err)
	assert.Contains(t, string(src), "package dbmigrations\n")
	assert.Equal(t, "0004_second_go.go", filepath.Base(paths[0]))

	// The skeletons are valid migrations: comment-only files are no-ops.
	db := testdb.Open(t, testdb.SQLite)
	r, err := migrate.New(db.DB, dialect.SQLite, migrate.WithFS(os.DirFS(dir), "."))
	require.NoError(t, err)
	res, err := r.Up(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2}, versions(res))

	_, err = migrate.Create(dir, "!!!", migrate.SQL)
	assert.ErrorIs(t, err, migrate.ErrInvalid)
	_, err = migrate.Create(dir, "x", migrate.Kind(0))
	assert.ErrorIs(t, err, migrate.ErrInvalid)
	_, err = migrate.Create(filepath.Join(dir, "nope"), "x", migrate.SQL)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestCreateNumbering(t *testing.T) {
	for _, c := range []struct {
		name     string
		existing []string
		want     string
	}{
		{"empty", nil, "0001_next.up.sql"},
		{"after 9", []string{"0009_a.up.sql", "0009_a.down.sql", "0003_b.up.sql"}, "0010_next.up.sql"},
		{"three digits", []string{"001_a.up.sql", "002_b.up.sql"}, "003_next.up.sql"},
		{"widens", []string{"99_a.up.sql"}, "100_next.up.sql"},
		{"timestamps", []string{"20240101120000_a.up.sql"}, "20240101120001_next.up.sql"},
		{"go files count", []string{"0001_a.up.sql", "0007_seed.go", "README.md", "helpers.go"}, "0008_next.up.sql"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range c.existing {
				require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o644))
			}
			paths, err := migrate.Create(dir, "next", migrate.SQL)
			require.NoError(t, err)
			assert.Equal(t, c.want, filepath.Base(paths[0]))
		})
	}
}

// TestCreateNeverOverwrites: something in the way (here a directory named
// like the down file) fails Create and leaves nothing half-written.
func TestCreateNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "0001_a.up.sql"), []byte("SELECT 1;"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "0002_b.down.sql"), 0o755))
	_, err := migrate.Create(dir, "b", migrate.SQL)
	require.ErrorIs(t, err, os.ErrExist)
	_, err = os.Stat(filepath.Join(dir, "0002_b.up.sql"))
	assert.ErrorIs(t, err, os.ErrNotExist, "the up file is removed again")
}

package migrate_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
)

// TestDryRun: every command plans as it would run, returns each step's
// statements and changes nothing: no history table, no lock, no table.
func TestDryRun(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		fsys := portable(db, baseFiles())
		dry := newRunner(t, db, fsys, migrate.WithGo(goSeed), migrate.DryRun())
		res, err := dry.Up(ctx)
		require.NoError(t, err)
		require.Equal(t, []int64{1, 2, 3, 4}, versions(res))
		assert.Equal(t, []string{"CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL)",
			"INSERT INTO users (id, name) VALUES (1, 'semi;colon')"}, res[0].Statements)
		assert.Equal(t, "migrations/0001_create_users.up.sql", res[0].Path)
		assert.Nil(t, res[2].Statements, "a Go migration's statements are unknown")
		assert.Equal(t, migrate.Go, res[2].Kind)
		for _, r := range res {
			assert.Equal(t, migrate.Up, r.Direction)
			assert.Zero(t, r.Duration)
		}
		assert.False(t, tableExists(t, db, migrate.DefaultTable), "no history table")
		assert.False(t, tableExists(t, db, "users"))

		res, err = dry.UpTo(ctx, 2)
		require.NoError(t, err)
		require.Equal(t, []int64{1, 2}, versions(res))
		res, err = dry.Down(ctx)
		require.NoError(t, err)
		require.Empty(t, res, "nothing applied: nothing to roll back")

		// Applied for real up to 2, the dry runs plan from there.
		real := newRunner(t, db, fsys, migrate.WithGo(goSeed))
		_, err = real.UpTo(ctx, 2)
		require.NoError(t, err)
		res, err = dry.Down(ctx)
		require.NoError(t, err)
		require.Equal(t, []int64{2}, versions(res))
		assert.Equal(t, migrate.Down, res[0].Direction)
		assert.Equal(t, []string{"ALTER TABLE users DROP COLUMN email"}, res[0].Statements)
		res, err = dry.Redo(ctx)
		require.NoError(t, err)
		require.Equal(t, []int64{2, 2}, versions(res))
		assert.Equal(t, []migrate.Direction{migrate.Down, migrate.Up}, []migrate.Direction{res[0].Direction, res[1].Direction})
		res, err = dry.DownTo(ctx, 0)
		require.NoError(t, err)
		require.Equal(t, []int64{2, 1}, versions(res))
		res, err = dry.Up(ctx)
		require.NoError(t, err)
		require.Equal(t, []int64{3, 4}, versions(res))
		require.Equal(t, []int64{1, 2}, historyVersions(t, db.DB), "the dry runs changed nothing")
		assert.Equal(t, 1, count(t, db.DB, "users"))
	})
}

// TestProgress: WithProgress hears of each migration as it is done, with
// the result the command returns.
func TestProgress(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	var heard []migrate.Result
	r := newRunner(t, db, portable(db, baseFiles()), migrate.WithGo(goSeed), migrate.WithProgress(func(res migrate.Result) {
		heard = append(heard, res)
	}))
	res, err := r.Up(t.Context())
	require.NoError(t, err)
	require.Len(t, res, 4)
	assert.Equal(t, res, heard)
	heard = nil
	res, err = r.DownTo(t.Context(), 2)
	require.NoError(t, err)
	assert.Equal(t, res, heard)
	_, err = migrate.New(db.DB, db.Dialect, migrate.WithGo(goSeed), migrate.WithProgress(nil))
	require.ErrorIs(t, err, migrate.ErrInvalid)
}

// TestWithDir names the files with the directory as given, an absolute
// one included.
func TestWithDir(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	dir := t.TempDir()
	for name, f := range baseFiles() {
		if filepath.Dir(name) == "migrations" {
			require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(name)), f.Data, 0o644))
		}
	}
	r, err := migrate.New(db.DB, db.Dialect, migrate.WithDir(dir))
	require.NoError(t, err)
	res, err := r.UpTo(t.Context(), 1)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "0001_create_users.up.sql"), res[0].Path)
	st, err := r.Status(t.Context())
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "0002_add_email.up.sql"), st[1].Path)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "0009_bad.sql"), nil, 0o644))
	_, err = migrate.New(db.DB, db.Dialect, migrate.WithDir(dir))
	require.ErrorIs(t, err, migrate.ErrInvalid)
	require.ErrorContains(t, err, filepath.Join(dir, "0009_bad.sql")+": want a name like")

	missing := filepath.Join(dir, "nope")
	_, err = migrate.New(db.DB, db.Dialect, migrate.WithDir(missing))
	require.ErrorContains(t, err, `read migrations directory "`+missing+`": `)
	empty := t.TempDir()
	_, err = migrate.New(db.DB, db.Dialect, migrate.WithDir(empty))
	require.ErrorContains(t, err, `no migrations in "`+empty+`"`)
	_, err = migrate.New(db.DB, db.Dialect, migrate.WithDir(""))
	require.ErrorIs(t, err, migrate.ErrInvalid)
}

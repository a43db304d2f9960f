package migrate_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
)

func TestRoundTrip(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		r := newRunner(t, db, portable(db, baseFiles()), migrate.WithGo(goSeed))

		// Status reads without creating the history table.
		assert.Equal(t, []string{"1:pending", "2:pending", "3:pending", "4:pending"}, states(t, r))
		assert.False(t, tableExists(t, db, "kinglet_migrations"))

		res, err := r.Up(ctx)
		require.NoError(t, err)
		assert.Equal(t, []int64{1, 2, 3, 4}, versions(res))
		assert.Equal(t, migrate.Result{Version: 1, Name: "create_users", Kind: migrate.SQL,
			Path: "migrations/0001_create_users.up.sql", Direction: migrate.Up, Duration: res[0].Duration}, res[0])
		assert.Equal(t, migrate.Go, res[2].Kind)
		assert.Empty(t, res[2].Path)
		assert.Equal(t, []int64{1, 2, 3, 4}, historyVersions(t, db.DB))
		assert.Equal(t, 2, count(t, db.DB, "users"))
		var name string
		require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT name FROM users WHERE id = 1").Scan(&name))
		assert.Equal(t, "semi;colon", name)

		st, err := r.Status(ctx)
		require.NoError(t, err)
		require.Len(t, st, 4)
		assert.Equal(t, "migrations/0001_create_users.up.sql", st[0].Path)
		assert.True(t, st[0].Reversible)
		assert.False(t, st[0].AppliedAt.IsZero(), "applied_at read back")
		assert.Equal(t, "UTC", st[0].AppliedAt.Location().String())

		// Nothing pending: no results, no error.
		res, err = r.Up(ctx)
		require.NoError(t, err)
		assert.Empty(t, res)

		// Down one step, then down to 1, then all the way.
		res, err = r.Down(ctx)
		require.NoError(t, err)
		assert.Equal(t, []int64{4}, versions(res))
		assert.Equal(t, migrate.Down, res[0].Direction)
		assert.Equal(t, "migrations/0004_index_name.down.sql", res[0].Path)
		assert.Equal(t, []string{"1:applied", "2:applied", "3:applied", "4:pending"}, states(t, r))

		res, err = r.DownTo(ctx, 1)
		require.NoError(t, err)
		assert.Equal(t, []int64{3, 2}, versions(res))
		assert.Equal(t, 1, count(t, db.DB, "users"))

		res, err = r.DownTo(ctx, 0)
		require.NoError(t, err)
		assert.Equal(t, []int64{1}, versions(res))
		assert.False(t, tableExists(t, db, "users"))
		assert.Empty(t, historyVersions(t, db.DB))

		res, err = r.Down(ctx) // nothing left
		require.NoError(t, err)
		assert.Empty(t, res)

		// Up to 2, then the rest: up → down → up.
		res, err = r.UpTo(ctx, 2)
		require.NoError(t, err)
		assert.Equal(t, []int64{1, 2}, versions(res))
		res, err = r.Up(ctx)
		require.NoError(t, err)
		assert.Equal(t, []int64{3, 4}, versions(res))

		res, err = r.Redo(ctx)
		require.NoError(t, err)
		require.Len(t, res, 2)
		assert.Equal(t, []int64{4, 4}, versions(res))
		assert.Equal(t, []migrate.Direction{migrate.Down, migrate.Up}, []migrate.Direction{res[0].Direction, res[1].Direction})
		assert.Equal(t, []int64{1, 2, 3, 4}, historyVersions(t, db.DB))
		assert.Equal(t, 2, count(t, db.DB, "users"))
	})
}

func TestChecksum(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		_, err := newRunner(t, db, portable(db, baseFiles())).UpTo(ctx, 1)
		require.NoError(t, err)

		// The same file with Windows line endings and a byte order mark is
		// not a change.
		crlf := portable(db, baseFiles())
		f := crlf["migrations/0001_create_users.up.sql"]
		f.Data = append([]byte("\ufeff"), []byte(strings.ReplaceAll(string(f.Data), "\n", "\r\n"))...)
		_, err = newRunner(t, db, crlf).UpTo(ctx, 2)
		require.NoError(t, err)

		edited := portable(db, baseFiles())
		edited["migrations/0001_create_users.up.sql"].Data = []byte("CREATE TABLE users (id INTEGER PRIMARY KEY);")
		r := newRunner(t, db, edited)
		assert.Equal(t, []string{"1:applied:changed", "2:applied", "4:pending"}, states(t, r))
		for name, run := range map[string]func() ([]migrate.Result, error){
			"up": func() ([]migrate.Result, error) { return r.Up(ctx) }, "down": func() ([]migrate.Result, error) { return r.Down(ctx) },
			"redo": func() ([]migrate.Result, error) { return r.Redo(ctx) },
		} {
			res, err := run()
			require.ErrorIs(t, err, migrate.ErrChecksumMismatch, name)
			assert.Contains(t, err.Error(), "migrations/0001_create_users.up.sql")
			assert.Empty(t, res)
		}
		assert.Equal(t, []int64{1, 2}, historyVersions(t, db.DB))

		res, err := newRunner(t, db, edited, migrate.AllowChecksumMismatch()).Up(ctx)
		require.NoError(t, err)
		assert.Equal(t, []int64{4}, versions(res))
	})
}

func TestOutOfOrderAndMissing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		full := portable(db, baseFiles())
		without2 := fstest.MapFS{}
		for k, v := range full {
			if !strings.Contains(k, "0002_") {
				without2[k] = v
			}
		}
		_, err := newRunner(t, db, without2).Up(ctx)
		require.NoError(t, err)
		assert.Equal(t, []int64{1, 4}, historyVersions(t, db.DB))

		// Migration 2 arrives late (a merged branch).
		r := newRunner(t, db, full)
		assert.Equal(t, []string{"1:applied", "2:out of order", "4:applied"}, states(t, r))
		res, err := r.Up(ctx)
		require.ErrorIs(t, err, migrate.ErrOutOfOrder)
		assert.Contains(t, err.Error(), "0002_add_email")
		assert.Empty(t, res)
		assert.Equal(t, []int64{1, 4}, historyVersions(t, db.DB))

		res, err = newRunner(t, db, full, migrate.AllowOutOfOrder()).Up(ctx)
		require.NoError(t, err)
		assert.Equal(t, []int64{2}, versions(res))
		assert.Equal(t, []int64{1, 2, 4}, historyVersions(t, db.DB))

		// A runner that no longer knows migration 4: missing. Up is fine,
		// rolling back through it is refused.
		onlyFirst := files(
			"0001_create_users.up.sql", string(full["migrations/0001_create_users.up.sql"].Data),
			"0001_create_users.down.sql", string(full["migrations/0001_create_users.down.sql"].Data),
			"0002_add_email.up.sql", string(full["migrations/0002_add_email.up.sql"].Data),
			"0002_add_email.down.sql", string(full["migrations/0002_add_email.down.sql"].Data),
		)
		r = newRunner(t, db, onlyFirst)
		st, err := r.Status(ctx)
		require.NoError(t, err)
		require.Len(t, st, 3)
		assert.Equal(t, migrate.MigrationStatus{Version: 4, Name: "index_name", State: migrate.Missing,
			AppliedAt: st[2].AppliedAt, Duration: st[2].Duration}, st[2])
		res, err = r.Up(ctx)
		require.NoError(t, err)
		assert.Empty(t, res)
		for _, run := range []func() ([]migrate.Result, error){
			func() ([]migrate.Result, error) { return r.Down(ctx) },
			func() ([]migrate.Result, error) { return r.DownTo(ctx, 0) },
		} {
			res, err = run()
			require.ErrorIs(t, err, migrate.ErrMissing)
			assert.Contains(t, err.Error(), "0004_index_name")
			assert.Empty(t, res)
		}
		assert.Equal(t, []int64{1, 2, 4}, historyVersions(t, db.DB))
	})
}

func TestIrreversible(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		r := newRunner(t, db, files(
			"0001_a.up.sql", "CREATE TABLE a (x INT);",
			"0001_a.down.sql", "DROP TABLE a;",
			"0002_b.up.sql", "CREATE TABLE b (x INT);",
		), migrate.WithGo(migrate.Migration{Version: 3, Name: "go_up_only", Up: func(ctx context.Context, tx migrate.Execer) error { return nil }}))
		_, err := r.Up(ctx)
		require.NoError(t, err)
		st, err := r.Status(ctx)
		require.NoError(t, err)
		assert.Equal(t, []bool{true, false, false}, []bool{st[0].Reversible, st[1].Reversible, st[2].Reversible})
		for _, run := range []func() ([]migrate.Result, error){
			func() ([]migrate.Result, error) { return r.Down(ctx) },
			func() ([]migrate.Result, error) { return r.DownTo(ctx, 1) },
			func() ([]migrate.Result, error) { return r.Redo(ctx) },
		} {
			res, err := run()
			require.ErrorIs(t, err, migrate.ErrIrreversible)
			assert.Empty(t, res)
		}
		assert.Equal(t, []int64{1, 2, 3}, historyVersions(t, db.DB))
	})
}

var errBoom = errors.New("boom")

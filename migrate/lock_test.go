package migrate_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
)

// openPool opens a pool of its own on db, as another process would.
func openPool(t *testing.T, db *testdb.DB) *sql.DB {
	t.Helper()
	p, err := sql.Open(db.DriverName(), db.DSN)
	require.NoError(t, err)
	p.SetMaxOpenConns(2)
	t.Cleanup(func() { p.Close() })
	return p
}

// raceFiles: migration 1 creates the side-effect table, every migration
// (SQL 1, 2, 4, 5 and Go 3) inserts its version into it once.
func raceFiles() (migrate.Option, migrate.Option) {
	kv := []string{"0001_effects.up.sql", "CREATE TABLE effects (version INT NOT NULL);\nINSERT INTO effects VALUES (1);"}
	for _, v := range []int{2, 4, 5} {
		kv = append(kv, fmt.Sprintf("%04d_effect.up.sql", v), fmt.Sprintf("INSERT INTO effects VALUES (%d);", v))
	}
	goStep := migrate.Migration{Version: 3, Name: "effect_go", Up: func(ctx context.Context, tx migrate.Execer) error {
		time.Sleep(20 * time.Millisecond) // widen the window for a double application
		_, err := tx.ExecContext(ctx, "INSERT INTO effects VALUES (3)")
		return err
	}}
	return migrate.WithFS(files(kv...), "migrations"), migrate.WithGo(goStep)
}

// TestConcurrentRunners: eight runners with pools of their own race Up on
// one database; each migration is applied exactly once.
func TestConcurrentRunners(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		const runners = 8
		fsOpt, goOpt := raceFiles()
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			applied []int64
			errs    []error
		)
		start := make(chan struct{})
		for i := range runners {
			pool := openPool(t, db)
			r, err := migrate.New(pool, db.Dialect, fsOpt, goOpt)
			require.NoError(t, err)
			wg.Go(func() {
				<-start
				ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
				defer cancel()
				res, err := r.Up(ctx)
				mu.Lock()
				defer mu.Unlock()
				applied = append(applied, versions(res)...)
				if err != nil {
					errs = append(errs, fmt.Errorf("runner %d: %w", i, err))
				}
			})
		}
		close(start)
		wg.Wait()
		require.Empty(t, errs)
		assert.ElementsMatch(t, []int64{1, 2, 3, 4, 5}, applied, "each migration applied by exactly one runner")
		assert.Equal(t, []int64{1, 2, 3, 4, 5}, historyVersions(t, db.DB))
		rows, err := db.DB.QueryContext(t.Context(), "SELECT version FROM effects ORDER BY version")
		require.NoError(t, err)
		defer rows.Close()
		var effects []int64
		for rows.Next() {
			var v int64
			require.NoError(t, rows.Scan(&v))
			effects = append(effects, v)
		}
		assert.Equal(t, []int64{1, 2, 3, 4, 5}, effects, "each side effect exactly once")
	})
}

// TestLockWaitAndCancel: while one runner is inside a migration, another
// waits for the lock until its context ends; a runner whose context is
// cancelled inside a migration still releases the lock.
func TestLockWaitAndCancel(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		inside, leave := make(chan struct{}), make(chan struct{})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		blocking := migrate.WithGo(migrate.Migration{Version: 1, Name: "block", Up: func(mctx context.Context, tx migrate.Execer) error {
			close(inside)
			<-leave
			cancel() // the caller gives up while the migration runs
			return mctx.Err()
		}})
		r1, err := migrate.New(openPool(t, db), db.Dialect, blocking)
		require.NoError(t, err)
		done := make(chan error, 1)
		go func() { _, err := r1.Up(ctx); done <- err }()
		<-inside

		r2, err := migrate.New(openPool(t, db), db.Dialect, migrate.WithGo(migrate.Migration{Version: 1, Name: "block",
			Up: func(context.Context, migrate.Execer) error { return nil }}))
		require.NoError(t, err)
		wait := 300 * time.Millisecond
		if db.Engine == testdb.MySQL {
			wait = 1300 * time.Millisecond // past one GET_LOCK timeout, which is retried
		}
		wctx, wcancel := context.WithTimeout(t.Context(), wait)
		_, err = r2.Up(wctx)
		wcancel()
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "waiting for the migration lock")

		close(leave)
		err = <-done
		require.ErrorIs(t, err, context.Canceled)

		// The lock was released although r1's context was cancelled.
		uctx, ucancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer ucancel()
		res, err := r2.Up(uctx)
		require.NoError(t, err)
		assert.Equal(t, []int64{1}, versions(res))
	})
}

// TestSQLiteLease: a lease left by a runner that died is taken over once it
// has expired, and not before.
func TestSQLiteLease(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	ctx := t.Context()
	r := newRunner(t, db, files("0001_t.up.sql", "CREATE TABLE t (x INT);"))
	_, err := db.DB.ExecContext(ctx, "CREATE TABLE kinglet_migrations_lock (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL)")
	require.NoError(t, err)
	_, err = db.DB.ExecContext(ctx, "INSERT INTO kinglet_migrations_lock VALUES (1, 'dead-runner', ?)", time.Now().Add(time.Hour).UnixMilli())
	require.NoError(t, err)

	wctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err = r.Up(wctx)
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded)

	_, err = db.DB.ExecContext(ctx, "UPDATE kinglet_migrations_lock SET expires_at = ?", time.Now().Add(-time.Second).UnixMilli())
	require.NoError(t, err)
	res, err := r.Up(ctx)
	require.NoError(t, err)
	assert.Equal(t, []int64{1}, versions(res))
	assert.Equal(t, 0, count(t, db.DB, "kinglet_migrations_lock"), "released")
}

// TestSQLiteLockLost: a runner whose lease was taken over cannot record a
// migration; the migration's transaction is rolled back.
func TestSQLiteLockLost(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	ctx := t.Context()
	r := newRunner(t, db, files("0001_t.up.sql", "CREATE TABLE t (x INT);"), migrate.WithGo(migrate.Migration{
		Version: 2, Name: "stolen", Up: func(ctx context.Context, tx migrate.Execer) error {
			_, err := tx.ExecContext(ctx, "UPDATE kinglet_migrations_lock SET owner = 'thief'")
			return err
		}}))
	res, err := r.Up(ctx)
	require.ErrorIs(t, err, migrate.ErrLockLost)
	assert.Equal(t, []int64{1}, versions(res))
	assert.Equal(t, []int64{1}, historyVersions(t, db.DB))
}

// TestSingleConnectionPool: a pool of one connection (common with SQLite)
// does not deadlock the runner.
func TestSingleConnectionPool(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		pool := openPool(t, db)
		pool.SetMaxOpenConns(1)
		r, err := migrate.New(pool, db.Dialect, migrate.WithFS(portable(db, baseFiles()), "migrations"), migrate.WithGo(goSeed))
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		res, err := r.Up(ctx)
		require.NoError(t, err)
		assert.Len(t, res, 4)
		res, err = r.DownTo(ctx, 0)
		require.NoError(t, err)
		assert.Len(t, res, 4)
	})
}

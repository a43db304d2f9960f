package orm_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

// kTally is a row that transactions increment concurrently.
type kTally struct {
	ID int64 `db:"id,pk"`
	N  int64 `db:"n"`
}

func (kTally) TableName() string { return "tallies" }

// serializationFailure is an error of the class Retry runs again for, on
// any engine: PostgreSQL's 40001, as its driver reports it.
var serializationFailure = &pgconn.PgError{Code: "40001", Message: "could not serialize access"}

// TestRetryRuns: the runs Retry makes, what the error says, and what the
// hooks see, on every engine.
func TestRetryRuns(t *testing.T) {
	withTables(t, []any{&kNode{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		rec := &nodeRecorder{}
		db = db.WithHooks(rec)
		count := func() int64 {
			n, err := orm.Select[kNode](db).Count(ctx)
			require.NoError(t, err)
			return n
		}
		noWait := orm.RetryBackoff(5, func(int) time.Duration { return 0 })

		// A run that failed with a retryable error is rolled back and run
		// again; what the last run wrote stays, once.
		runs := 0
		require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
			runs++
			if err := tx.Insert(ctx, &kNode{Name: fmt.Sprint("run ", runs)}); err != nil {
				return err
			}
			if runs < 3 {
				return fmt.Errorf("conflict: %w", serializationFailure)
			}
			return nil
		}, noWait))
		require.Equal(t, 3, runs)
		require.EqualValues(t, 1, count())
		require.Equal(t, []int{1, 2, 3}, rec.attempts)
		rec.attempts = nil

		// A commit that succeeded is never run again.
		runs = 0
		require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
			runs++
			return tx.Insert(ctx, &kNode{Name: "once"})
		}, orm.Retry(5)))
		require.Equal(t, 1, runs)
		require.EqualValues(t, 2, count())

		// The tries run out: the error says how many, and is still of its class.
		var waits []int
		runs = 0
		err := db.Tx(ctx, func(tx *orm.Tx) error {
			runs++
			return serializationFailure
		}, orm.RetryBackoff(3, func(try int) time.Duration { waits = append(waits, try); return time.Millisecond }))
		require.Equal(t, 3, runs)
		require.Equal(t, []int{1, 2}, waits)
		var re *orm.RetryError
		require.ErrorAs(t, err, &re)
		require.Equal(t, 3, re.Tries)
		require.Equal(t, 3, re.Max)
		require.ErrorIs(t, err, orm.ErrSerialization)
		require.True(t, orm.IsRetryable(err))
		require.Contains(t, err.Error(), "kinglet: orm: transaction failed after 3 of at most 3 tries: ")

		// An error of another class is not retried.
		first, err := orm.Select[kNode](db).First(ctx)
		require.NoError(t, err)
		runs = 0
		err = db.Tx(ctx, func(tx *orm.Tx) error {
			runs++
			if err := tx.Insert(ctx, &kNode{ID: first.ID, Name: "dup"}); err != nil {
				return err
			}
			return nil
		}, noWait)
		require.Equal(t, 1, runs)
		require.ErrorIs(t, err, orm.ErrUniqueViolation)
		require.Contains(t, err.Error(), "after 1 of at most 5 tries")

		// A context done while waiting ends the retries.
		cctx, cancel := context.WithCancel(ctx)
		runs = 0
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		err = db.Tx(cctx, func(tx *orm.Tx) error { runs++; return serializationFailure },
			orm.RetryBackoff(5, func(int) time.Duration { return time.Hour }))
		require.Less(t, time.Since(start), 10*time.Second)
		require.Equal(t, 1, runs)
		require.ErrorIs(t, err, context.Canceled)
		require.ErrorIs(t, err, orm.ErrSerialization)

		// A panic is not retried.
		runs = 0
		require.Panics(t, func() {
			db.Tx(ctx, func(tx *orm.Tx) error { runs++; panic("boom") }, noWait)
		})
		require.Equal(t, 1, runs)
	})
}

func TestRetryBadOptions(t *testing.T) {
	db, err := orm.Open(t.Context(), "sqlite::memory:")
	require.NoError(t, err)
	defer db.Close()
	ctx := t.Context()
	fn := func(tx *orm.Tx) error { return nil }
	err = db.Tx(ctx, fn, orm.Retry(0))
	require.ErrorIs(t, err, orm.ErrInvalidArgument)
	require.Contains(t, err.Error(), "Retry(0): at least one try")
	err = db.Tx(ctx, fn, orm.RetryBackoff(3, nil))
	require.ErrorIs(t, err, orm.ErrInvalidArgument)
	require.Contains(t, err.Error(), "RetryBackoff: nil backoff")
	err = db.Tx(ctx, func(tx *orm.Tx) error {
		return tx.Tx(ctx, fn, orm.Retry(3))
	})
	require.ErrorIs(t, err, orm.ErrTxOptionsNested)
}

func TestJitteredBackoff(t *testing.T) {
	b := orm.JitteredBackoff(10*time.Millisecond, 100*time.Millisecond)
	for range 100 {
		for try, want := range []time.Duration{10, 20, 40, 80, 100, 100} {
			want *= time.Millisecond
			got := b(try + 1)
			require.GreaterOrEqual(t, got, want/2, "try %d", try+1)
			require.LessOrEqual(t, got, want, "try %d", try+1)
		}
	}
}

// TestRetryDeadlock: two transactions that lock two rows in opposite
// orders deadlock on their first runs (PostgreSQL 40P01, MySQL/MariaDB
// 1213); with Retry both commit.
func TestRetryDeadlock(t *testing.T) {
	for _, path := range []string{testdb.Postgres, testdb.PostgresPgx, testdb.MySQL} {
		t.Run(path, func(t *testing.T) {
			tdb := testdb.Open(t, path)
			db := ormDB(t, tdb)
			ctx := t.Context()
			require.NoError(t, db.CreateTables(ctx, &kTally{}))
			require.NoError(t, db.Insert(ctx, &kTally{ID: 1}))
			require.NoError(t, db.Insert(ctx, &kTally{ID: 2}))
			var both sync.WaitGroup
			both.Add(2)
			var runs atomic.Int64
			incr := func(tx *orm.Tx, id int64) error {
				_, err := tx.ExecContext(ctx, "UPDATE tallies SET n = n + 1 WHERE id = "+fmt.Sprint(id))
				return err
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for g := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					first := true
					errs[g] = db.Tx(ctx, func(tx *orm.Tx) error {
						runs.Add(1)
						a, b := int64(1+g), int64(2-g)
						if err := incr(tx, a); err != nil {
							return err
						}
						if first { // both hold their first row before either takes its second
							first = false
							both.Done()
							both.Wait()
						}
						return incr(tx, b)
					}, orm.Retry(10))
				}()
			}
			wg.Wait()
			require.NoError(t, errs[0])
			require.NoError(t, errs[1])
			require.GreaterOrEqual(t, runs.Load(), int64(3), "a deadlock made one of them run again")
			for _, id := range []int64{1, 2} {
				c, err := orm.Get[kTally](ctx, db, id)
				require.NoError(t, err)
				require.EqualValues(t, 2, c.N)
			}
			t.Logf("%d runs for 2 transactions", runs.Load())
		})
	}
}

// TestRetrySerializable: PostgreSQL SERIALIZABLE transactions that read
// and write the same row conflict (40001); with Retry every one commits,
// and no increment is lost.
func TestRetrySerializable(t *testing.T) {
	for _, path := range []string{testdb.Postgres, testdb.PostgresPgx} {
		t.Run(path, func(t *testing.T) {
			tdb := testdb.Open(t, path)
			db := ormDB(t, tdb)
			ctx := t.Context()
			require.NoError(t, db.CreateTables(ctx, &kTally{}))
			require.NoError(t, db.Insert(ctx, &kTally{ID: 1}))
			const goroutines, each = 4, 10
			var runs atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, goroutines*each)
			for range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range each {
						errs <- db.Tx(ctx, func(tx *orm.Tx) error {
							runs.Add(1)
							c, err := orm.Get[kTally](ctx, tx, int64(1))
							if err != nil {
								return err
							}
							time.Sleep(time.Millisecond) // the others read it meanwhile
							c.N++
							return tx.Update(ctx, &c)
						}, orm.Isolation(sql.LevelSerializable), orm.Retry(100))
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			c, err := orm.Get[kTally](ctx, db, int64(1))
			require.NoError(t, err)
			require.EqualValues(t, goroutines*each, c.N)
			retries := runs.Load() - goroutines*each
			t.Logf("%d transactions, %d retries after serialization failures", goroutines*each, retries)
			require.Positive(t, retries, "no transaction conflicted: the test shows nothing")
		})
	}
}

// TestRetrySQLiteBusy: two DBs (two pools) on one SQLite file, whose
// deferred transactions both read and then write: the second to write
// fails with SQLITE_BUSY (its snapshot is stale), and Retry runs it again.
func TestRetrySQLiteBusy(t *testing.T) {
	ctx := t.Context()
	url := "sqlite:" + filepath.Join(t.TempDir(), "busy.db")
	a, err := orm.Open(ctx, url)
	require.NoError(t, err)
	defer a.Close()
	b, err := orm.Open(ctx, url)
	require.NoError(t, err)
	defer b.Close()
	require.NoError(t, a.CreateTables(ctx, &kTally{}))
	require.NoError(t, a.Insert(ctx, &kTally{ID: 1}))
	var both sync.WaitGroup
	both.Add(2)
	var runs atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for g, db := range []*orm.DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := true
			errs[g] = db.Tx(ctx, func(tx *orm.Tx) error {
				runs.Add(1)
				c, err := orm.Get[kTally](ctx, tx, int64(1))
				if err != nil {
					return err
				}
				if first {
					first = false
					both.Done()
					both.Wait()
				}
				c.N++
				return tx.Update(ctx, &c)
			}, orm.Deferred(), orm.Retry(10))
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	c, err := orm.Get[kTally](ctx, a, int64(1))
	require.NoError(t, err)
	require.EqualValues(t, 2, c.N)
	require.GreaterOrEqual(t, runs.Load(), int64(3))
}

// TestRetryNotOnItsOwnWait: a write on the DB (not the Tx) inside db.Tx
// waits for the transaction's own write lock on SQLite, and fails with
// ErrBusy: Retry does not run it again, which would only wait again.
func TestRetryNotOnItsOwnWait(t *testing.T) {
	ctx := t.Context()
	db, err := orm.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "self.db")+"?_pragma=busy_timeout(200)")
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.CreateTables(ctx, &kTally{}))
	runs := 0
	start := time.Now()
	err = db.Tx(ctx, func(tx *orm.Tx) error {
		runs++
		return db.Insert(ctx, &kTally{ID: int64(runs)}) // the DB, not tx
	}, orm.Retry(5))
	require.ErrorIs(t, err, orm.ErrBusy)
	require.Equal(t, 1, runs)
	require.Contains(t, err.Error(), "after 1 of at most 5 tries")
	require.Contains(t, err.Error(), "waits for its own transaction")
	require.Less(t, time.Since(start), 2*time.Second)
	var re *orm.RetryError
	require.True(t, errors.As(err, &re))
}

package orm_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

var errRollback = errors.New("roll it back")

func TestTxCommitAndRollback(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
			return tx.Insert(ctx, &kUser{Username: "committed"})
		}))
		assert.Equal(t, 1, countRows(t, tdb, "users"))

		err := db.Tx(ctx, func(tx *orm.Tx) error {
			require.NoError(t, tx.Insert(ctx, &kUser{Username: "rolled-back"}))
			// The transaction sees its own write.
			n, err := orm.Select[kUser](tx).Count(ctx)
			require.NoError(t, err)
			assert.EqualValues(t, 2, n)
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		assert.Equal(t, 1, countRows(t, tdb, "users"))
	})
}

func TestTxPanicRollsBackAndRepanics(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		var recovered any
		func() {
			defer func() { recovered = recover() }()
			_ = db.Tx(ctx, func(tx *orm.Tx) error {
				require.NoError(t, tx.Insert(ctx, &kUser{Username: "panicked"}))
				panic("boom")
			})
		}()
		assert.Equal(t, "boom", recovered, "the panic continues")
		assert.Equal(t, 0, countRows(t, tdb, "users"), "rolled back")
		assert.Zero(t, db.SQL().Stats().InUse, "the connection went back to the pool")

		// A panic in a nested Tx undoes the savepoint and still reaches the caller.
		recovered = nil
		func() {
			defer func() { recovered = recover() }()
			_ = db.Tx(ctx, func(tx *orm.Tx) error {
				require.NoError(t, tx.Insert(ctx, &kUser{Username: "outer"}))
				return tx.Tx(ctx, func(inner *orm.Tx) error {
					require.NoError(t, inner.Insert(ctx, &kUser{Username: "inner"}))
					panic("inner boom")
				})
			})
		}()
		assert.Equal(t, "inner boom", recovered)
		assert.Equal(t, 0, countRows(t, tdb, "users"))
	})
}

func TestTxNestedSavepoints(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)
		err := hdb.Tx(ctx, func(tx *orm.Tx) error {
			require.NoError(t, tx.Insert(ctx, &kUser{Username: "outer"}))
			// An inner failure undoes only the inner work.
			err := tx.Tx(ctx, func(inner *orm.Tx) error {
				require.NoError(t, inner.Insert(ctx, &kUser{Username: "inner-failed"}))
				return errRollback
			})
			require.ErrorIs(t, err, errRollback)
			// A successful inner block is kept, also two levels deep.
			return tx.Tx(ctx, func(inner *orm.Tx) error {
				require.NoError(t, inner.Insert(ctx, &kUser{Username: "inner-ok"}))
				return inner.Tx(ctx, func(deeper *orm.Tx) error {
					return deeper.Insert(ctx, &kUser{Username: "deeper-ok"})
				})
			})
		})
		require.NoError(t, err)
		names, err := orm.Pluck[string](ctx, orm.Select[kUser](db).OrderBy(query.C("id")), query.C("username"))
		require.NoError(t, err)
		assert.Equal(t, []string{"outer", "inner-ok", "deeper-ok"}, names)
		assert.Equal(t, 3, rec.countPrefix("SAVEPOINT"))
		assert.Equal(t, 1, rec.countPrefix("ROLLBACK TO SAVEPOINT"))
		assert.Equal(t, 2, rec.countPrefix("RELEASE SAVEPOINT"))

		// An inner success inside a failing outer is rolled back with it.
		err = db.Tx(ctx, func(tx *orm.Tx) error {
			require.NoError(t, tx.Tx(ctx, func(inner *orm.Tx) error {
				return inner.Insert(ctx, &kUser{Username: "lost"})
			}))
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		assert.Equal(t, 3, countRows(t, tdb, "users"))

		// Options belong to the outermost transaction.
		err = db.Tx(ctx, func(tx *orm.Tx) error {
			return tx.Tx(ctx, func(*orm.Tx) error { return nil }, orm.ReadOnly())
		})
		require.ErrorIs(t, err, orm.ErrTxOptionsNested)
		err = db.Tx(ctx, func(tx *orm.Tx) error {
			return tx.Tx(ctx, func(*orm.Tx) error { return nil }, orm.Isolation(sql.LevelSerializable))
		})
		require.ErrorIs(t, err, orm.ErrTxOptionsNested)
	})
}

func TestTxOptions(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		require.NoError(t, db.Insert(ctx, &kUser{Username: "seed"}))

		// Reads work in a read-only transaction everywhere.
		err := db.Tx(ctx, func(tx *orm.Tx) error {
			_, err := orm.Select[kUser](tx).All(ctx)
			return err
		}, orm.ReadOnly())
		require.NoError(t, err)

		// A write in a read-only transaction.
		err = db.Tx(ctx, func(tx *orm.Tx) error {
			return tx.Insert(ctx, &kUser{Username: "ro-write"})
		}, orm.ReadOnly())
		switch tdb.Engine {
		case testdb.SQLite:
			// modernc.org/sqlite accepts ReadOnly but does not enforce it:
			// the write succeeds. (SQLite has no read-only transactions;
			// open the file with mode=ro for that.)
			require.NoError(t, err)
			assert.Equal(t, 2, countRows(t, tdb, "users"))
		default:
			require.Error(t, err, "PostgreSQL and MariaDB refuse writes in a read-only transaction")
			assert.Equal(t, 1, countRows(t, tdb, "users"))
		}

		// Isolation levels.
		for _, level := range []sql.IsolationLevel{sql.LevelReadCommitted, sql.LevelRepeatableRead, sql.LevelSerializable} {
			err := db.Tx(ctx, func(tx *orm.Tx) error {
				_, err := orm.Select[kUser](tx).Count(ctx)
				return err
			}, orm.Isolation(level))
			// SQLite's transactions are always serializable; modernc.org/sqlite
			// accepts (and ignores) the other levels.
			require.NoError(t, err, "level %s", level)
		}
		if tdb.Engine == testdb.Postgres {
			// The level is the transaction's. (MySQL sets it with SET
			// TRANSACTION before starting, which no session variable shows.)
			var level string
			require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
				return tx.SQL().QueryRowContext(ctx, "SHOW transaction_isolation").Scan(&level)
			}, orm.Isolation(sql.LevelSerializable)))
			assert.Equal(t, "serializable", level)
		}
	})
}

func TestTxCancelledContext(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		cctx, cancel := context.WithCancel(ctx)
		err := db.Tx(cctx, func(tx *orm.Tx) error {
			require.NoError(t, tx.Insert(cctx, &kUser{Username: "cancelled"}))
			cancel()
			return nil
		})
		require.Error(t, err, "the commit fails: the transaction was rolled back")
		assert.Equal(t, 0, countRows(t, tdb, "users"))

		// Already cancelled: nothing starts.
		err = db.Tx(cctx, func(tx *orm.Tx) error {
			t.Error("fn ran with a cancelled context")
			return nil
		})
		require.ErrorIs(t, err, context.Canceled)
		// database/sql rolls a cancelled transaction back in the background.
		assert.Eventually(t, func() bool { return db.SQL().Stats().InUse == 0 }, 5*time.Second, 10*time.Millisecond)
	})
}

// TestEveryAPIInTx runs each API on a Tx and checks that a rollback undoes
// all of it, and that the same work commits.
func TestEveryAPIInTx(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}, &kTag{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		work := func(tx *orm.Tx) error {
			u := &kUser{Username: "tx", Age: 1}
			require.NoError(t, tx.Insert(ctx, u))
			require.Positive(t, u.ID)
			u.Age = 2
			require.NoError(t, tx.Update(ctx, u))
			got, err := orm.Get[kUser](ctx, tx, u.ID)
			require.NoError(t, err)
			assert.Equal(t, 2, got.Age)
			all, err := orm.Select[kUser](tx).Where(query.C("username").Eq("tx")).All(ctx)
			require.NoError(t, err)
			require.Len(t, all, 1)

			up := &kUser{Username: "tx", Age: 3}
			require.NoError(t, tx.Upsert(ctx, up, "username"))
			assert.Equal(t, u.ID, up.ID)

			tag := &kTag{Name: "t"}
			created, err := orm.GetOrCreate(ctx, tx, tag, "name")
			require.NoError(t, err)
			assert.True(t, created)
			created, err = orm.GetOrCreate(ctx, tx, &kTag{Name: "t"}, "name")
			require.NoError(t, err)
			assert.False(t, created)

			tweets := []kTweet{{UserID: u.ID, Content: "a"}, {UserID: u.ID, Content: "b"}, {UserID: u.ID, Content: "c"}}
			require.NoError(t, tx.InsertMany(ctx, tweets))
			n, err := orm.Update[kTweet](tx).Set("likes", 5).Where(query.C("user_id").Eq(u.ID)).Exec(ctx)
			require.NoError(t, err)
			assert.EqualValues(t, 3, n)
			n, err = orm.Delete[kTweet](tx).Where(query.C("content").Eq("c")).Exec(ctx)
			require.NoError(t, err)
			assert.EqualValues(t, 1, n)
			require.NoError(t, tx.Delete(ctx, &tweets[0]))
			var seen int
			for tw, err := range orm.Select[kTweet](tx).Iter(ctx) {
				require.NoError(t, err)
				assert.Equal(t, 5, tw.Likes)
				seen++
			}
			assert.Equal(t, 1, seen)
			return nil
		}
		err := db.Tx(ctx, func(tx *orm.Tx) error {
			require.NoError(t, work(tx))
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		for _, table := range []string{"users", "tweets", "tags"} {
			assert.Equal(t, 0, countRows(t, tdb, table), table)
		}
		require.NoError(t, db.Tx(ctx, work))
		assert.Equal(t, 1, countRows(t, tdb, "users"))
		assert.Equal(t, 1, countRows(t, tdb, "tweets"))
		assert.Equal(t, 1, countRows(t, tdb, "tags"))
		assert.Zero(t, db.SQL().Stats().InUse)
	})
}

// TestTxWritesOnTheDBInsideTx: on SQLite a write transaction holds the DB's
// write lock, so a write on the DB (not the Tx) inside it waits for its own
// transaction: ErrBusy after the busy timeout, with a message that says
// so, not a hang. Reads on the DB go on.
func TestTxWritesOnTheDBInsideTx(t *testing.T) {
	ctx := t.Context()
	tdb := testdb.Open(t, testdb.SQLite)
	db, err := orm.Open(ctx, tdb.URL()+"?_pragma=busy_timeout(300)")
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.CreateTables(ctx, &kUser{}))
	start := time.Now()
	err = db.Tx(ctx, func(tx *orm.Tx) error {
		require.NoError(t, tx.Insert(ctx, &kUser{Username: "in tx"}))
		_, err := orm.Select[kUser](db).Count(ctx)
		require.NoError(t, err, "a read on the DB does not wait")
		return db.Insert(ctx, &kUser{Username: "on the db"})
	})
	require.ErrorIs(t, err, orm.ErrBusy)
	assert.True(t, orm.IsRetryable(err))
	assert.Contains(t, err.Error(), "write lock")
	assert.Contains(t, err.Error(), "inside db.Tx")
	assert.Less(t, time.Since(start), 5*time.Second, "the URL's busy timeout bounds the wait")

	// A cancelled context ends the wait with its own error.
	cctx, cancel := context.WithCancel(ctx)
	err = db.Tx(ctx, func(tx *orm.Tx) error {
		go func() { time.Sleep(50 * time.Millisecond); cancel() }()
		_, err := db.ExecContext(cctx, "DELETE FROM users")
		return err
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, countRows(t, tdb, "users"), "both transactions rolled back")
}

// TestTxBeginModes: on SQLite the default and Immediate begin with the write
// lock taken (another writer waits), ReadOnly and Deferred do not (another
// writer goes first); elsewhere they change nothing.
func TestTxBeginModes(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		for _, c := range []struct {
			name string
			opts []orm.TxOption
			// holds: another DB's write waits for the transaction to end
			holds bool
		}{
			{"default", nil, true},
			{"Immediate", []orm.TxOption{orm.Immediate()}, true},
			{"Deferred", []orm.TxOption{orm.Deferred()}, false},
			{"ReadOnly", []orm.TxOption{orm.ReadOnly()}, false},
		} {
			t.Run(c.name, func(t *testing.T) {
				other := orm.New(tdb.DB, tdb.Dialect) // its own queue of writers
				name := "during " + c.name
				done := make(chan error, 1)
				waited := false
				require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
					n, err := orm.Select[kUser](tx).Where(query.C("username").Eq(name)).Count(ctx)
					if err != nil || n != 0 {
						return fmt.Errorf("count: %d, %v", n, err)
					}
					go func() { done <- other.Insert(ctx, &kUser{Username: name}) }()
					select {
					case err := <-done:
						done <- err
					case <-time.After(300 * time.Millisecond):
						waited = true
						if c.opts == nil || c.holds {
							// The write after a read, while the other writer waits.
							return tx.Insert(ctx, &kUser{Username: name + " (tx)"})
						}
					}
					return nil
				}, c.opts...))
				require.NoError(t, <-done)
				assert.Equal(t, c.holds && tdb.Engine == testdb.SQLite, waited, "the other write waited for the transaction")
			})
		}
		err := db.Tx(ctx, func(tx *orm.Tx) error {
			return tx.Tx(ctx, func(*orm.Tx) error { return nil }, orm.Deferred())
		})
		require.ErrorIs(t, err, orm.ErrTxOptionsNested)
	})
}

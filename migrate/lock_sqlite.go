package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kingletdb/kinglet/migrate/internal/sqlite"
)

// sqliteEngine locks with a lease: a row in the table <history>_lock that one
// runner at a time owns until it expires. The owner renews it every
// leaseRenewal from another connection, and again inside every transaction
// that records a migration, where a lost lease aborts the transaction
// (ErrLockLost) — so even a runner stalled past its lease cannot record a
// migration twice. A runner that dies holds the lock until the lease runs
// out. Each migration runs in BEGIN IMMEDIATE, which takes SQLite's write
// lock up front.
//
// SQLite has no session locks, and holding one exclusive transaction for a
// whole run would leave no way to run a migration outside a transaction.
type sqliteEngine struct{}

// The lease and how often it is renewed. Variables so tests can shorten them.
var (
	leaseDuration = 30 * time.Second
	leaseRenewal  = 10 * time.Second
)

func sqliteLockTable(r *Runner) string {
	return string(r.d.AppendIdent(nil, r.table+"_lock"))
}

func (sqliteEngine) lock(ctx context.Context, r *Runner, conn *sql.Conn) (lease, error) {
	t := sqliteLockTable(r)
	create := "CREATE TABLE IF NOT EXISTS " + t +
		" (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL)"
	if err := retryBusy(ctx, func() error { _, err := conn.ExecContext(ctx, create); return err }); err != nil {
		closeConn(conn, false)
		return nil, lockErr(ctx, err)
	}
	l := &sqliteLease{
		db: r.db, owner: owner(),
		renewSQL: "UPDATE " + t + " SET expires_at = ? WHERE id = 1 AND owner = ?",
		freeSQL:  "DELETE FROM " + t + " WHERE id = 1 AND owner = ?",
	}
	take := "INSERT INTO " + t + " (id, owner, expires_at) VALUES (1, ?, ?) " +
		"ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at " +
		"WHERE " + t + ".expires_at < ?"
	wait, waiting := 10*time.Millisecond, false
	for {
		now := time.Now()
		res, err := conn.ExecContext(ctx, take, l.owner, now.Add(leaseDuration).UnixMilli(), now.UnixMilli())
		if err == nil {
			if n, _ := res.RowsAffected(); n == 1 {
				l.startRenewing(r)
				return l, nil
			}
		} else if !isBusy(err) {
			closeConn(conn, false)
			return nil, lockErr(ctx, err)
		}
		if !waiting {
			waiting = true
			var holder string
			_ = conn.QueryRowContext(ctx, "SELECT owner FROM "+t+" WHERE id = 1").Scan(&holder)
			r.log.InfoContext(ctx, "migrate: waiting for the migration lock", "table", r.table+"_lock", "holder", holder)
		}
		if err := sleep(ctx, wait/2+rand.N(wait)); err != nil {
			closeConn(conn, false)
			return nil, lockErr(ctx, err)
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

type sqliteLease struct {
	db                *sql.DB
	owner             string
	renewSQL, freeSQL string
	lost              atomic.Bool
	stop              context.CancelFunc
	done              sync.WaitGroup
}

// startRenewing renews the lease in the background through the pool (not the
// runner's connection, which may be inside a long migration). A failed renewal
// is retried at the next tick; one that finds another owner marks the lock
// lost.
func (l *sqliteLease) startRenewing(r *Runner) {
	ctx, stop := context.WithCancel(context.Background())
	l.stop = stop
	l.done.Go(func() {
		tick := time.NewTicker(leaseRenewal)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			rctx, cancel := context.WithTimeout(ctx, leaseRenewal/2)
			err := l.renew(rctx, l.db)
			cancel()
			if errors.Is(err, ErrLockLost) {
				r.log.Warn("migrate: the migration lock was taken over by another runner", "table", r.table+"_lock")
				return
			}
			if err != nil && ctx.Err() == nil {
				r.log.Debug("migrate: renewing the migration lock failed; retrying", "err", err)
			}
		}
	})
}

// renew extends the lease, failing with ErrLockLost when it is another's.
func (l *sqliteLease) renew(ctx context.Context, q Execer) error {
	if l.lost.Load() {
		return ErrLockLost
	}
	res, err := q.ExecContext(ctx, l.renewSQL, time.Now().Add(leaseDuration).UnixMilli(), l.owner)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		l.lost.Store(true)
		return ErrLockLost
	}
	return nil
}

func (l *sqliteLease) check(ctx context.Context, tx Execer) error { return l.renew(ctx, tx) }

func (l *sqliteLease) release(ctx context.Context, conn *sql.Conn, broken bool) error {
	l.stop()
	l.done.Wait()
	closeConn(conn, broken) // first: with a pool of one connection, the DELETE needs it
	err := retryBusy(ctx, func() error { _, err := l.db.ExecContext(ctx, l.freeSQL, l.owner); return err })
	if err != nil {
		return fmt.Errorf("kinglet: migrate: release the migration lock (it expires in at most %s): %w", leaseDuration, err)
	}
	return nil
}

func (sqliteEngine) begin(ctx context.Context, conn *sql.Conn) (txn, error) {
	// Foreign keys go off for the migration (the pragma cannot change inside
	// a transaction): a table rebuild drops the old table, which with them
	// on deletes the rows that reference it. They are checked before COMMIT
	// (checkForeignKeys) and turned back on after.
	fkOn, err := sqlite.PragmaOn(ctx, conn, "foreign_keys")
	if err != nil {
		return nil, err
	}
	if fkOn {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return nil, err
		}
	}
	// database/sql cannot ask for IMMEDIATE, so the transaction is spelled
	// out on the pinned connection.
	err = retryBusy(ctx, func() error { _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); return err })
	if err != nil {
		if fkOn {
			_, rerr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
			err = errors.Join(err, rerr)
		}
		return nil, err
	}
	return &sqliteTx{conn, ctx, fkOn}, nil
}

func (sqliteEngine) tableExists(ctx context.Context, q Execer, table string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n)
	return n > 0, err
}

// sqliteTx is a transaction begun with BEGIN IMMEDIATE on a pinned
// connection. It ends with a context that is not cancelled, so that the
// connection never goes back to the pool inside a transaction.
type sqliteTx struct {
	*sql.Conn
	ctx   context.Context
	fkOff bool // begin turned foreign keys off: check them, then turn them on
}

// foreignKeyChecker is implemented by a transaction that ran with foreign
// keys off, which checkForeignKeys verifies before the commit.
type foreignKeyChecker interface {
	checkForeignKeys(ctx context.Context) error
}

func (t *sqliteTx) checkForeignKeys(ctx context.Context) error {
	if !t.fkOff {
		return nil // off before the migration too: nothing was enforced, nothing is checked
	}
	return sqlite.ForeignKeyCheck(ctx, t)
}

func (t *sqliteTx) Commit() error {
	ctx := context.WithoutCancel(t.ctx)
	if _, err := t.ExecContext(ctx, "COMMIT"); err != nil {
		if _, rerr := t.ExecContext(ctx, "ROLLBACK"); rerr != nil {
			return errors.Join(err, rerr)
		}
		return errors.Join(err, t.restoreForeignKeys())
	}
	return t.restoreForeignKeys()
}

func (t *sqliteTx) Rollback() error {
	_, err := t.ExecContext(context.WithoutCancel(t.ctx), "ROLLBACK")
	if err != nil {
		return err
	}
	return t.restoreForeignKeys()
}

// restoreForeignKeys turns foreign keys back on when begin turned them off.
func (t *sqliteTx) restoreForeignKeys() error {
	if !t.fkOff {
		return nil
	}
	if _, err := t.ExecContext(context.WithoutCancel(t.ctx), "PRAGMA foreign_keys = ON"); err != nil {
		return fmt.Errorf("turn foreign keys back on: %w", err)
	}
	return nil
}

// retryBusy runs fn until it does not fail with SQLITE_BUSY (another
// connection holds the write lock past the busy timeout) or ctx ends.
func retryBusy(ctx context.Context, fn func() error) error {
	wait := 5 * time.Millisecond
	for {
		err := fn()
		if err == nil || !isBusy(err) {
			return err
		}
		if serr := sleep(ctx, wait/2+rand.N(wait)); serr != nil {
			return errors.Join(err, serr)
		}
		wait = min(2*wait, 250*time.Millisecond)
	}
}

// isBusy reports SQLITE_BUSY or SQLITE_LOCKED, from the driver's error code
// (modernc.org/sqlite's Code method) or its message.
func isBusy(err error) bool {
	var coder interface{ Code() int }
	if errors.As(err, &coder) {
		c := coder.Code() & 0xff
		return c == 5 || c == 6
	}
	s := err.Error()
	return strings.Contains(s, "database is locked") || strings.Contains(s, "SQLITE_BUSY")
}

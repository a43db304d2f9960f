package migrate

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/kingletdb/kinglet/dialect"
)

// engine is what differs between database engines for the runner: how a
// run is locked against other runners, how a migration's transaction is
// opened, and how to tell whether the history table exists.
type engine interface {
	// lock blocks until this runner holds the lock or ctx ends. On error the
	// lock is not held and conn may have been discarded.
	lock(ctx context.Context, r *Runner, conn *sql.Conn) (lease, error)
	// begin opens the transaction of one migration on conn.
	begin(ctx context.Context, conn *sql.Conn) (txn, error)
	// tableExists reports whether table is in the current schema/database.
	tableExists(ctx context.Context, q Execer, table string) (bool, error)
}

// lease is a held lock.
type lease interface {
	// check runs inside the transaction that records a migration and fails
	// with ErrLockLost when the lock is no longer this runner's.
	check(ctx context.Context, tx Execer) error
	// release frees the lock and closes conn (discarding it when broken: its
	// session state is unknown). ctx is never cancelled.
	release(ctx context.Context, conn *sql.Conn, broken bool) error
}

// txn is a migration's transaction: a *sql.Tx, or SQLite's BEGIN IMMEDIATE.
type txn interface {
	Execer
	Commit() error
	Rollback() error
}

// engineFor picks the lock for d from its capabilities: an advisory lock, a
// named lock, or, on an engine that has neither and writes one connection at
// a time (dialect.SingleWriter: SQLite), a lease row taken under its write
// lock.
func engineFor(d dialect.Dialect) (engine, error) {
	switch {
	case d.Has(dialect.AdvisoryLock):
		return postgresEngine{}, nil
	case d.Has(dialect.NamedLock):
		return mysqlEngine{}, nil
	case singleWriter(d):
		return sqliteEngine{}, nil
	}
	return nil, fmt.Errorf("%w: no migration lock for dialect %s (want sqlite, postgres, mysql or mariadb)", ErrInvalid, d)
}

// singleWriter reports whether d's engine writes one connection at a time.
func singleWriter(d dialect.Dialect) bool {
	sw, ok := d.(dialect.SingleWriter)
	return ok && sw.SingleWriter()
}

// session is one locked run: the pinned connection every statement of the
// run goes through, and the lock.
type session struct {
	conn   *sql.Conn
	lease  lease
	broken bool // a transaction could not be ended: discard conn at the end
}

// releaseTimeout bounds unlocking, which runs even when the caller's context
// is cancelled.
const releaseTimeout = 30 * time.Second

// close releases the lock with a context that is not cancelled with ctx, so
// that a cancelled run still unlocks.
func (s *session) close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	return s.lease.release(ctx, s.conn, s.broken)
}

// discard closes conn's underlying connection instead of returning it to the
// pool: its session may hold a lock or an open transaction.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}

// closeConn returns conn to the pool, or discards it when broken.
func closeConn(conn *sql.Conn, broken bool) {
	if broken {
		discard(conn)
		return
	}
	_ = conn.Close()
}

// owner identifies this runner in logs and in SQLite's lock row.
func owner() string {
	host, _ := os.Hostname()
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// lockErr wraps a failure to take the lock. When ctx ended, the error wraps
// ctx.Err() whatever the driver made of the interruption.
func lockErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		if !errors.Is(err, cerr) {
			err = errors.Join(cerr, err)
		}
		return fmt.Errorf("kinglet: migrate: waiting for the migration lock: %w", err)
	}
	return fmt.Errorf("kinglet: migrate: take the migration lock: %w", err)
}

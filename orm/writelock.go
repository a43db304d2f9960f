package orm

import (
	"context"
	"time"

	"github.com/kingletdb/kinglet/dialect"
)

// writeLock queues a DB's writers on an engine that has one writer at a time
// (dialect.SingleWriter: SQLite). SQLite's own wait for its write lock, the
// busy handler, polls with sleeps of up to 100 ms and serves no one first:
// with 64 goroutines writing, one of them waited past the 5 s busy timeout
// (TestSQLiteConcurrentWriters). Here a writer waits in Go, in order (a
// channel hands its slot to the first waiting sender), for at most the busy
// timeout, so that a program that waits for itself — a write on the DB
// inside db.Tx, whose transaction holds the lock — gets an error, not a
// hang. It is held by every ExecContext on the DB, by the ORM's writes that
// return rows (INSERT … RETURNING), and by a write transaction from its
// BEGIN to its COMMIT or ROLLBACK; not by reads, nor inside a Tx (the
// transaction holds it). Writes that do not go through this DB — another
// *sql.DB or process on the same file, db.SQL() used directly — are not
// queued, and wait for SQLite's lock under its busy timeout as before.
type writeLock struct {
	slot chan struct{} // holds one value while a writer holds the lock
	wait time.Duration // how long a writer waits before ErrBusy
}

// defaultWriteWait is how long a writer waits for the lock: the busy
// timeout of a sqlite: URL, which Open replaces with the URL's own.
const defaultWriteWait = 5 * time.Second

// newWriteLock returns the lock for a DB on d, or nil where d's engine
// takes writers at once.
func newWriteLock(d dialect.Dialect) *writeLock {
	if sw, ok := d.(dialect.SingleWriter); !ok || !sw.SingleWriter() {
		return nil
	}
	return &writeLock{slot: make(chan struct{}, 1), wait: defaultWriteWait}
}

// lock takes l (nil: nothing to take). The error is ctx's, or ErrBusy when
// the wait ran out.
func (l *writeLock) lock(ctx context.Context) error {
	if l == nil {
		return nil
	}
	select {
	case l.slot <- struct{}{}:
		return nil
	default:
	}
	return l.lockSlow(ctx)
}

func (l *writeLock) lockSlow(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	timer := time.NewTimer(l.wait)
	defer timer.Stop()
	select {
	case l.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return &classified{class: ErrBusy, err: &lockWaitError{wait: l.wait}}
	}
}

// unlock releases l, taken by lock.
func (l *writeLock) unlock() {
	if l != nil {
		<-l.slot
	}
}

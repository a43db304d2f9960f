package orm

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// retryPolicy is what Retry and RetryBackoff set.
type retryPolicy struct {
	tries   int
	backoff func(try int) time.Duration
	err     error // a bad option's
}

// Retry runs the transaction again, up to maxTries runs in all, when it
// fails with an error that running it again can resolve (IsRetryable): a
// serialization failure (PostgreSQL 40001, MariaDB 1020), a deadlock
// (PostgreSQL 40P01, MySQL/MariaDB 1213, which is also how a Galera
// cluster reports a certification failure at COMMIT), or SQLite busy.
// Between runs it waits, exponentially longer and jittered
// (JitteredBackoff(5 ms, 1 s)); RetryBackoff sets the wait.
//
// fn must be safe to run more than once: everything it does goes through
// the tx it is given, which each run begins afresh; it has no effect
// outside the database (no e-mail sent, no message queued, no file
// written: do those after Tx returns nil); and it sets any variable of
// the caller's it fills from the start on each run, not by appending to
// what an earlier run left.
//
// A run is not repeated once its COMMIT succeeded, nor after an error of
// another class (a unique violation, a lost connection: whether a COMMIT
// that lost its connection was applied cannot be known, so it is never
// run again), nor when ctx is done. These classes are reported when the
// server rolled the transaction back, so nothing of a failed run stays.
// SQLite's ErrBusy from the DB's own queue of writers is not retried when
// the run held the queue itself: a write on the DB, not on tx, inside fn
// waits for fn's own transaction, and would only wait again.
//
// An error of a transaction run under Retry is a *RetryError that says how
// many runs were made, and unwraps to the last run's error (errors.Is
// finds its class). Hooks see each run as a transaction of its own, whose
// TxEvent.Attempt counts the runs. Retry applies to the outermost
// transaction only (a nested Tx is a savepoint of it).
func Retry(maxTries int) TxOption {
	return RetryBackoff(maxTries, defaultBackoff)
}

var defaultBackoff = JitteredBackoff(5*time.Millisecond, time.Second)

// RetryBackoff is Retry with the wait before each new run: backoff(n) is
// the wait after the n-th run failed (n from 1). See JitteredBackoff.
func RetryBackoff(maxTries int, backoff func(try int) time.Duration) TxOption {
	return func(o *txOptions) {
		p := &retryPolicy{tries: maxTries, backoff: backoff}
		switch {
		case maxTries < 1:
			p.err = fmt.Errorf("%w: Retry(%d): at least one try", ErrInvalidArgument, maxTries)
		case backoff == nil:
			p.err = fmt.Errorf("%w: RetryBackoff: nil backoff", ErrInvalidArgument)
		}
		o.retry = p
	}
}

// JitteredBackoff returns exponential waits with jitter, for RetryBackoff:
// after the n-th failed run, a wait drawn between d/2 and d, where d is
// base·2^(n-1) capped at max, so that transactions that collided do not
// collide again in step.
func JitteredBackoff(base, max time.Duration) func(try int) time.Duration {
	return func(try int) time.Duration { return jittered(base, max, try) }
}

// jittered is JitteredBackoff's wait.
func jittered(base, maxWait time.Duration, n int) time.Duration {
	if base <= 0 {
		return 0
	}
	d := base
	for i := 1; i < n && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	half := d / 2
	return half + rand.N(d-half+1)
}

// RetryError is the error of a transaction run under Retry that did not
// commit: the last run's error, and how many runs were made.
type RetryError struct {
	Tries int   // the runs made
	Max   int   // the most Retry allowed
	Err   error // the last run's error
}

// Error says how many runs were made, and the last one's error.
func (e *RetryError) Error() string {
	return onePrefixed(fmt.Sprintf("kinglet: orm: transaction failed after %d of at most %d tries: %v", e.Tries, e.Max, e.Err))
}

// Unwrap is the last run's error.
func (e *RetryError) Unwrap() error { return e.Err }

// txRetry is DB.Tx under Retry.
func (db *DB) txRetry(ctx context.Context, fn func(tx *Tx) error, o txOptions) error {
	p := o.retry
	if p.err != nil {
		return p.err
	}
	for try := 1; ; try++ {
		selfWait, err := db.txRun(ctx, fn, o, try)
		if err == nil {
			return nil
		}
		err = dbErr(err) // a driver's error fn returned as it is: errors.Is finds its class too
		if try >= p.tries || selfWait || !IsRetryable(err) || ctx.Err() != nil {
			return &RetryError{Tries: try, Max: p.tries, Err: err}
		}
		if cerr := sleep(ctx, p.backoff(try)); cerr != nil {
			return &RetryError{Tries: try, Max: p.tries, Err: fmt.Errorf("%w; then, waiting to try again: %w", err, cerr)}
		}
	}
}

// sleep waits d, or until ctx is done (its error).
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// lockWaitError is the wait for the DB's own write lock that ran out (see
// writeLock): ErrBusy, but not one that running the transaction again
// resolves when the transaction held the lock itself.
type lockWaitError struct{ wait time.Duration }

func (e *lockWaitError) Error() string {
	return fmt.Sprintf("waited %v for this DB's write lock: another write of this DB held it all that time "+
		"(a write on the DB, not the Tx, inside db.Tx waits for its own transaction)", e.wait)
}

// isLockWait reports whether err is the DB's own write lock's wait.
func isLockWait(err error) bool {
	var lw *lockWaitError
	return errors.As(err, &lw)
}

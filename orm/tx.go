package orm

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
)

// Tx is a transaction. It has every API a DB has; Tx.Tx nests with a
// SAVEPOINT. A Tx is not safe for concurrent use.
type Tx struct {
	conn
	sql   *sql.Tx
	depth int // 0 for the outer transaction, n for the n-th nested savepoint
}

// TxOption configures a transaction started by DB.Tx.
type TxOption func(*txOptions)

type txOptions struct {
	sql.TxOptions
	begin beginMode
	retry *retryPolicy // Retry, RetryBackoff; nil: one run
}

// beginMode is how a transaction takes SQLite's write lock.
type beginMode uint8

const (
	beginDefault   beginMode = iota // immediate unless ReadOnly
	beginImmediate                  // Immediate()
	beginDeferred                   // Deferred()
)

// Isolation sets the isolation level. SQLite's transactions are always
// serializable; its driver accepts and ignores the other levels.
func Isolation(level sql.IsolationLevel) TxOption {
	return func(o *txOptions) { o.Isolation = level }
}

// ReadOnly makes the transaction read-only: PostgreSQL and MySQL/MariaDB
// then refuse writes. SQLite's driver accepts the option but does not
// enforce it (open the file read-only for that); there the transaction
// begins deferred (see Deferred).
func ReadOnly() TxOption { return func(o *txOptions) { o.ReadOnly = true } }

// Immediate begins the transaction with SQLite's write lock taken, the
// default for a transaction that is not ReadOnly: BEGIN IMMEDIATE, after
// waiting for the DB's other writers (see New). The transaction then
// cannot fail with ErrBusy for a write that comes after a read; other
// writers wait for it until it ends. On PostgreSQL and MySQL/MariaDB it
// changes nothing: they lock rows as statements run.
func Immediate() TxOption { return func(o *txOptions) { o.begin = beginImmediate } }

// Deferred begins the transaction without SQLite's write lock: a plain
// BEGIN (modernc.org/sqlite begins that way a transaction it is told is
// read-only; kinglet tells it so, which SQLite does not enforce), outside
// the DB's queue of writers. It reads alongside writers and takes the
// write lock at its first write, which fails with ErrBusy (retryable, see
// IsRetryable) when another connection wrote since the transaction's
// first read. For a transaction that mostly reads and can be run again.
// On PostgreSQL and MySQL/MariaDB it changes nothing.
func Deferred() TxOption { return func(o *txOptions) { o.begin = beginDeferred } }

// ErrTxOptionsNested is returned when options are passed to a nested Tx,
// which runs in its parent's transaction and cannot change its settings.
var ErrTxOptionsNested = errors.New("kinglet: orm: isolation, read-only and begin options apply only to the outermost transaction")

// Tx runs fn in a transaction: it commits when fn returns nil, and rolls back
// when fn returns an error or panics (the panic then continues). A cancelled
// ctx rolls the transaction back. With Retry, fn runs again when the
// transaction fails with a conflict that a new run can resolve.
//
// On a DB with replicas, every statement of the transaction runs on the
// primary.
//
// On SQLite a transaction that is not ReadOnly or Deferred begins with the
// write lock taken (Immediate): a transaction that reads and then writes
// does not fail with ErrBusy because another connection wrote in between.
// It holds the DB's write lock until it ends, so a write on the DB itself
// (not on tx) inside fn waits for fn's own transaction, and fails with
// ErrBusy after the busy timeout.
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error, opts ...TxOption) error {
	var o txOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.retry != nil {
		return db.txRetry(ctx, fn, o)
	}
	_, err := db.txRun(ctx, fn, o, 1)
	return err
}

// txRun is one run of Tx, the attempt-th, under the hooks. selfWait
// reports that fn failed waiting for the write lock its own transaction
// held (see tx).
func (db *DB) txRun(ctx context.Context, fn func(tx *Tx) error, o txOptions, attempt int) (selfWait bool, err error) {
	if to := db.observeTx(ctx, "", 0, attempt); to != nil {
		defer func() {
			if p := recover(); p != nil {
				to.endPanic(p)
				panic(p)
			}
			to.end(err == nil, err)
		}()
		return db.tx(to.context(ctx), fn, o, to.event())
	}
	return db.tx(ctx, fn, o, nil)
}

// tx is Tx, with the hooks' view of the transaction (nil without hooks)
// for its statements. selfWait reports an error of fn's that is a wait for
// the DB's write lock while the transaction held it: a write on the DB
// inside fn, waiting for its own transaction.
func (db *DB) tx(ctx context.Context, fn func(tx *Tx) error, o txOptions, ev *TxEvent) (selfWait bool, _ error) {
	held := false
	if db.wlock != nil {
		if o.begin == beginDeferred {
			o.ReadOnly = true // modernc.org/sqlite: a plain BEGIN, not _txlock's
		} else if !o.ReadOnly {
			if err := db.wlock.lock(ctx); err != nil {
				return false, errorf("kinglet: orm: begin: %w", err)
			}
			held = true
			defer db.wlock.unlock()
		}
	}
	stx, err := db.sql.BeginTx(ctx, &o.TxOptions)
	if err != nil {
		return false, errorf("kinglet: orm: begin: %w", dbErr(err))
	}
	tx := &Tx{conn: conn{x: stx, d: db.d, hooks: db.hooks, tprep: db.prep.forTx(stx), pool: db.pool, tx: ev, node: db.node}, sql: stx}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		selfWait = held && isLockWait(err)
		if rbErr := stx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return selfWait, errors.Join(err, errorf("kinglet: orm: rollback: %w", rbErr))
		}
		return selfWait, err
	}
	if err := stx.Commit(); err != nil {
		return false, errorf("kinglet: orm: commit: %w", dbErr(err))
	}
	return false, nil
}

// Tx runs fn inside a SAVEPOINT of this transaction: RELEASE when fn returns
// nil, ROLLBACK TO (undoing only fn's work) when it fails or panics.
func (tx *Tx) Tx(ctx context.Context, fn func(tx *Tx) error, opts ...TxOption) (err error) {
	if len(opts) > 0 {
		return ErrTxOptionsNested
	}
	name := tx.d.AppendIdent(nil, "kinglet_sp_"+strconv.Itoa(tx.depth+1))
	sp := string(name)
	inner := &Tx{conn: tx.conn, sql: tx.sql, depth: tx.depth + 1}
	if to := tx.observeTx(ctx, sp, inner.depth, 1); to != nil {
		// The savepoint's own statements are its: they carry its TxEvent.
		inner.conn.tx = to.event()
		defer func() {
			if p := recover(); p != nil {
				to.endPanic(p)
				panic(p)
			}
			to.end(err == nil, err)
		}()
	}
	if _, err := inner.exec(ctx, about{op: opSavepoint}, "SAVEPOINT "+sp, nil, nil); err != nil {
		return errorf("kinglet: orm: savepoint: %w", err)
	}
	rollback := func() error {
		// context.WithoutCancel: a cancelled caller still gets its savepoint undone
		// if the transaction itself is alive.
		_, err := inner.exec(context.WithoutCancel(ctx), about{op: opRollbackTo}, "ROLLBACK TO SAVEPOINT "+sp, nil, nil)
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = rollback()
			panic(p)
		}
	}()
	if err := fn(inner); err != nil {
		if rbErr := rollback(); rbErr != nil {
			return errors.Join(err, errorf("kinglet: orm: rollback to savepoint: %w", rbErr))
		}
		return err
	}
	if _, err := inner.exec(ctx, about{op: opRelease}, "RELEASE SAVEPOINT "+sp, nil, nil); err != nil {
		return errorf("kinglet: orm: release savepoint: %w", err)
	}
	return nil
}

// SQL is the underlying transaction.
func (tx *Tx) SQL() *sql.Tx { return tx.sql }

// batchTx runs run in a transaction of its own, for the several statements
// of one InsertMany on a DB: on pgx's own for a DB from OpenPool, so that
// every statement stays on pgx, else on database/sql's (under the write
// lock, see writeLock). The hooks see it as a transaction. table names the
// statements' table in errors.
func (c *conn) batchTx(ctx context.Context, sdb *sql.DB, table string, run func(*conn) error) (err error) {
	to := c.observeTx(ctx, "", 0, 1)
	if to != nil {
		defer func() { to.end(err == nil, err) }()
		ctx = to.context(ctx)
	}
	ev := to.event()
	if c.native() {
		ptx, err := c.pgx.Begin(ctx)
		if err != nil {
			return errorf("kinglet: orm: insert into %s: begin: %w", table, dbErr(err))
		}
		if err := run(&conn{x: c.x, d: c.d, pgx: ptx, hooks: c.hooks, tx: ev, node: c.node}); err != nil {
			_ = ptx.Rollback(context.WithoutCancel(ctx))
			return err
		}
		if err := ptx.Commit(ctx); err != nil {
			return errorf("kinglet: orm: insert into %s: commit: %w", table, dbErr(err))
		}
		return nil
	}
	if err := c.wlock.lock(ctx); err != nil { // a write transaction: see writeLock
		return errorf("kinglet: orm: insert into %s: begin: %w", table, err)
	}
	defer c.wlock.unlock()
	stx, err := sdb.BeginTx(ctx, nil)
	if err != nil {
		return errorf("kinglet: orm: insert into %s: begin: %w", table, dbErr(err))
	}
	if err := run(&conn{x: stx, d: c.d, hooks: c.hooks, tx: ev, node: c.node}); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return errorf("kinglet: orm: insert into %s: commit: %w", table, dbErr(err))
	}
	return nil
}

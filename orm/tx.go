package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
type TxOption func(*sql.TxOptions)

// Isolation sets the isolation level. SQLite's transactions are always
// serializable; its driver accepts and ignores the other levels.
func Isolation(level sql.IsolationLevel) TxOption {
	return func(o *sql.TxOptions) { o.Isolation = level }
}

// ReadOnly makes the transaction read-only: PostgreSQL and MySQL/MariaDB
// then refuse writes. SQLite's driver accepts the option but does not
// enforce it (open the file read-only for that).
func ReadOnly() TxOption { return func(o *sql.TxOptions) { o.ReadOnly = true } }

// ErrTxOptionsNested is returned when options are passed to a nested Tx,
// which runs in its parent's transaction and cannot change its settings.
var ErrTxOptionsNested = errors.New("kinglet: orm: isolation and read-only options apply only to the outermost transaction")

// Tx runs fn in a transaction: it commits when fn returns nil, and rolls back
// when fn returns an error or panics (the panic then continues). A cancelled
// ctx rolls the transaction back.
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error, opts ...TxOption) (err error) {
	var o sql.TxOptions
	for _, opt := range opts {
		opt(&o)
	}
	stx, err := db.sql.BeginTx(ctx, &o)
	if err != nil {
		return fmt.Errorf("kinglet: orm: begin: %w", dbErr(err))
	}
	tx := &Tx{conn: conn{x: stx, d: db.d, hooks: db.hooks, tprep: db.prep.forTx(stx), pool: db.pool}, sql: stx}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		if rbErr := stx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("kinglet: orm: rollback: %w", rbErr))
		}
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("kinglet: orm: commit: %w", dbErr(err))
	}
	return nil
}

// Tx runs fn inside a SAVEPOINT of this transaction: RELEASE when fn returns
// nil, ROLLBACK TO (undoing only fn's work) when it fails or panics.
func (tx *Tx) Tx(ctx context.Context, fn func(tx *Tx) error, opts ...TxOption) (err error) {
	if len(opts) > 0 {
		return ErrTxOptionsNested
	}
	name := tx.d.AppendIdent(nil, "kinglet_sp_"+strconv.Itoa(tx.depth+1))
	sp := string(name)
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+sp); err != nil {
		return fmt.Errorf("kinglet: orm: savepoint: %w", err)
	}
	inner := &Tx{conn: tx.conn, sql: tx.sql, depth: tx.depth + 1}
	rollback := func() error {
		// context.WithoutCancel: a cancelled caller still gets its savepoint undone
		// if the transaction itself is alive.
		_, err := tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO SAVEPOINT "+sp)
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
			return errors.Join(err, fmt.Errorf("kinglet: orm: rollback to savepoint: %w", rbErr))
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT "+sp); err != nil {
		return fmt.Errorf("kinglet: orm: release savepoint: %w", err)
	}
	return nil
}

// SQL is the underlying transaction.
func (tx *Tx) SQL() *sql.Tx { return tx.sql }

package orm

import (
	"context"
	"log/slog"
	"time"

	"github.com/kingletdb/kinglet/dialect"
)

// QueryEvent describes one statement for query hooks.
type QueryEvent struct {
	SQL string
	// Args are the statement's arguments, copies of the model's values in
	// a slice of the event's own: a hook may keep them, or replace one in
	// BeforeQuery, and the statement runs with it.
	Args     []any
	Start    time.Time
	Duration time.Duration // set before AfterQuery
	Rows     int64         // rows affected by Exec; -1 for queries (see Returned)
	// Err is the statement's error, set before AfterQuery: the database's
	// (classified, see Classify), or the context's, from running the
	// statement or reading its rows. An error of the ORM's own about rows
	// that did arrive (a NULL for a non-pointer field) is the caller's,
	// not the statement's.
	Err error

	// Operation is the kind of statement, for the ORM's own statements and
	// the query builder's (Exec, Query): SELECT, INSERT, UPDATE, DELETE,
	// CREATE TABLE, …, and SAVEPOINT, RELEASE SAVEPOINT and ROLLBACK TO
	// SAVEPOINT for a nested Tx. It is "" for SQL text given to
	// ExecContext and QueryContext, which kinglet does not parse.
	Operation string
	// Table is the table of a statement of the ORM's on one model: Get,
	// Insert, InsertMany, Update, Delete, Upsert, Select[T] (its Count,
	// Exists, Iter, Into…), Update[T], Delete[T], and the loading of
	// relations (the related model's table). "" for the others.
	Table string
	// Dialect is the connection's dialect; Dialect.Name() is the engine.
	Dialect dialect.Dialect
	// Tx is the transaction the statement runs in: a Tx (its innermost
	// savepoint in a nested one) or the one InsertMany opens for several
	// statements; nil outside a transaction.
	Tx *TxEvent
	// Node is the server the statement ran on: "primary" (a DB's own pool,
	// and every statement of a Tx), or the replica a read was routed to,
	// "replica1", "replica2", … in the order given (see DB.WithReplicas,
	// NodeStats). A read that failed on a replica that did not answer and
	// ran again elsewhere is two statements, one on each node.
	Node string
	// Returned is the number of rows a query returned, counted where the
	// ORM reads them (Get, Select[T], Insert … RETURNING, relations); -1
	// for Exec, and for QueryContext, whose rows the caller reads. Where
	// the ORM reads the rows, AfterQuery runs once they are read, so
	// Duration covers them too; for QueryContext it runs when the query
	// returns.
	Returned int64
}

// QueryHook observes every statement a DB or Tx runs, on every path (a
// pool of database/sql, a pgx pool's own of OpenPool, statements kept
// prepared, inside transactions): a hook never changes how a statement
// runs. BeforeQuery may return a derived context (e.g. carrying a trace
// span) that the statement runs with, and that AfterQuery receives. Hooks
// run in the order added, AfterQuery in reverse; each hook's AfterQuery
// gets the context its own BeforeQuery returned. The *QueryEvent is the
// hooks' until AfterQuery returns, and then reused: a hook that keeps an
// event keeps a copy (*ev).
//
// A hook may also implement TxHook, to observe transactions.
type QueryHook interface {
	BeforeQuery(ctx context.Context, ev *QueryEvent) context.Context
	AfterQuery(ctx context.Context, ev *QueryEvent)
}

// ArgsIgnorer is an optional interface of a QueryHook: a hook whose
// IgnoresArgs returns true never reads QueryEvent.Args (the OpenTelemetry
// hook does not: values are never part of a span). When no hook of a DB
// reads them, the ORM does not copy a statement's arguments for its
// events, whose Args are then nil.
type ArgsIgnorer interface {
	IgnoresArgs() bool
}

// TxHook is an optional interface of a QueryHook (found by a type
// assertion, as database/sql finds a driver's optional interfaces): a hook
// that implements it is also told when a transaction or savepoint begins
// and ends — DB.Tx, a nested Tx's SAVEPOINT, and the transaction
// InsertMany opens for several statements. BeforeTx runs before BEGIN (or
// SAVEPOINT), AfterTx after COMMIT or ROLLBACK (RELEASE or ROLLBACK TO),
// in the order of QueryHook's methods; the statements run in between carry
// the TxEvent in QueryEvent.Tx.
type TxHook interface {
	BeforeTx(ctx context.Context, ev *TxEvent) context.Context
	AfterTx(ctx context.Context, ev *TxEvent)
}

// TxEvent describes a transaction, or a savepoint in one, for TxHooks.
type TxEvent struct {
	// Savepoint is the savepoint's name (quoted as in the SQL) for a
	// nested Tx, "" for a transaction.
	Savepoint string
	// Depth is 0 for a transaction, n for its n-th nested savepoint.
	Depth int
	// Parent is the transaction (or savepoint) a savepoint is in; nil for
	// a transaction.
	Parent *TxEvent
	// Attempt is 1, and for a transaction run again under Retry the
	// number of this run: each run is a transaction of its own to the
	// hooks.
	Attempt int
	Dialect dialect.Dialect
	Start   time.Time
	// Duration is set before AfterTx: from before BEGIN (including
	// SQLite's wait for the write lock) to after COMMIT or ROLLBACK.
	Duration time.Duration
	// Committed is set before AfterTx: the transaction committed, or the
	// savepoint was released. False: it was rolled back (or never began).
	Committed bool
	// Err is set before AfterTx: the error the transaction ended with —
	// its function's, a panic's, or that of BEGIN, COMMIT or ROLLBACK; nil
	// when it committed.
	Err error

	ctx context.Context // what the BeforeTx hooks returned
}

// Context is the context the BeforeTx hooks returned for the transaction
// (the caller's context until they have run): a query hook finds in it
// what it stored there, e.g. the span of the transaction, to parent the
// statements that carry this TxEvent.
func (ev *TxEvent) Context() context.Context { return ev.ctx }

// SlogHook logs every statement at level, and failures at slog.LevelError,
// with the SQL, the number of arguments (not their values, which may be
// secrets), the duration, the rows affected and the rows returned.
func SlogHook(logger *slog.Logger, level slog.Level) QueryHook {
	return slogHook{logger, level}
}

type slogHook struct {
	l     *slog.Logger
	level slog.Level
}

func (slogHook) BeforeQuery(ctx context.Context, _ *QueryEvent) context.Context { return ctx }

func (h slogHook) AfterQuery(ctx context.Context, ev *QueryEvent) {
	level := h.level
	if ev.Err != nil {
		level = slog.LevelError
	}
	if !h.l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("sql", ev.SQL),
		slog.Int("args", len(ev.Args)),
		slog.Duration("duration", ev.Duration),
	}
	if ev.Rows >= 0 {
		attrs = append(attrs, slog.Int64("rows", ev.Rows))
	}
	if ev.Returned >= 0 {
		attrs = append(attrs, slog.Int64("returned", ev.Returned))
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.String("error", ev.Err.Error()))
	}
	h.l.LogAttrs(ctx, level, "kinglet query", attrs...)
}

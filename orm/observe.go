package orm

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kingletdb/kinglet/query"
)

// The hooks' view of the statements and transactions a conn runs. Every
// path (database/sql, pgx, kept statements, transactions) reports through
// the functions here, and none of them runs without hooks: a conn with no
// hooks pays one length check per statement.

// about is what the ORM knows of one of its statements beyond its text, for
// QueryEvent.Operation and Table. A zero about is SQL text the caller
// wrote.
type about struct {
	op    string // "" with a table: the statement's first keyword
	table string
}

// Operations the ORM names itself.
const (
	opSelect     = "SELECT"
	opSavepoint  = "SAVEPOINT"
	opRelease    = "RELEASE SAVEPOINT"
	opRollbackTo = "ROLLBACK TO SAVEPOINT"
)

// aboutQuery is what a query built with package query tells the hooks: its
// kind, not its table, which the tree does not expose.
func aboutQuery(q query.Expr) about {
	switch q.(type) {
	case query.SelectQuery:
		return about{op: "SELECT"}
	case query.InsertQuery:
		return about{op: "INSERT"}
	case query.UpdateQuery:
		return about{op: "UPDATE"}
	case query.DeleteQuery:
		return about{op: "DELETE"}
	case query.CreateTableQuery:
		return about{op: "CREATE TABLE"}
	case query.DropTableQuery:
		return about{op: "DROP TABLE"}
	case query.CreateIndexQuery:
		return about{op: "CREATE INDEX"}
	case query.DropIndexQuery:
		return about{op: "DROP INDEX"}
	}
	return about{}
}

// firstKeyword is the leading keyword of an ORM statement (SELECT, INSERT,
// UPDATE, DELETE), as a constant: no allocation.
func firstKeyword(sqlText string) string {
	for _, kw := range [...]string{"SELECT", "INSERT", "UPDATE", "DELETE"} {
		if len(sqlText) > len(kw) && sqlText[:len(kw)] == kw && sqlText[len(kw)] == ' ' {
			return kw
		}
	}
	return ""
}

// queryObs is one statement under the query hooks, from BeforeQuery to
// AfterQuery. A nil *queryObs (no hooks) ignores every call.
type queryObs struct {
	c   *conn
	ev  QueryEvent
	ctx context.Context // the statement's: the last BeforeQuery's
	// ctxs is each hook's own context, for its AfterQuery, when there are
	// several hooks (one hook's is ctx).
	ctxs []context.Context
}

// obsPool recycles the observations: one per statement would be the
// largest allocation a hook adds, and its garbage most of a no-op hook's
// cost. An observation goes back once its AfterQuery hooks have run, so a
// hook must not keep the *QueryEvent past AfterQuery (a copy, *ev, is
// fine: its Args are its own).
var obsPool = sync.Pool{New: func() any { return new(queryObs) }}

// observe runs the BeforeQuery hooks for a statement of c (which has
// some). The event gets its own copy of args (see eventArgs), which the
// statement then runs with (o.ev.Args), so that a hook may keep them, or
// still change one: args itself must not escape (see execOn).
func (c *conn) observe(ctx context.Context, a about, sqlText string, args []any, isQuery bool) *queryObs {
	o := obsPool.Get().(*queryObs)
	o.c = c
	o.ev = QueryEvent{
		SQL: sqlText, Start: time.Now(), Returned: -1,
		Operation: a.op, Table: a.table, Dialect: c.d, Tx: c.tx, Node: c.node,
	}
	if c.hooksReadArgs() {
		o.ev.Args = eventArgs(args)
	}
	if isQuery {
		o.ev.Rows = -1
	}
	if o.ev.Operation == "" && a.table != "" {
		o.ev.Operation = firstKeyword(sqlText)
	}
	if len(c.hooks) == 1 {
		o.ctx = c.hooks[0].BeforeQuery(ctx, &o.ev)
		return o
	}
	o.ctxs = make([]context.Context, len(c.hooks))
	for i, h := range c.hooks {
		ctx = h.BeforeQuery(ctx, &o.ev)
		o.ctxs[i] = ctx
	}
	o.ctx = ctx
	return o
}

// args are the arguments to run the statement with: the event's (which a
// hook may have changed), or the caller's args when no hook reads them.
func (o *queryObs) args(args []any) []any {
	if o.ev.Args != nil || len(args) == 0 {
		return o.ev.Args
	}
	return args
}

// hooksReadArgs reports whether a hook of c may read QueryEvent.Args: one
// that does not implement ArgsIgnorer, or says it reads them.
func (c *conn) hooksReadArgs() bool {
	for _, h := range c.hooks {
		if ig, ok := h.(ArgsIgnorer); !ok || !ig.IgnoresArgs() {
			return true
		}
	}
	return false
}

// end runs the AfterQuery hooks, once, with err as the statement's error.
func (o *queryObs) end(err error) {
	if o == nil {
		return
	}
	o.ev.Err = err
	o.ev.Duration = time.Since(o.ev.Start)
	if o.ctxs == nil {
		o.c.hooks[0].AfterQuery(o.ctx, &o.ev)
	} else {
		for i := len(o.c.hooks) - 1; i >= 0; i-- {
			o.c.hooks[i].AfterQuery(o.ctxs[i], &o.ev)
		}
	}
	*o = queryObs{}
	obsPool.Put(o)
}

// read ends a query whose n rows the ORM has read from rows (closed, or
// read to the end): the statement's error is the one rows met.
func (o *queryObs) read(rows *sql.Rows, n int) {
	if o == nil {
		return
	}
	o.ev.Returned = int64(n)
	o.end(dbErr(rows.Err()))
}

// readOne is read for a query of one row, which err reports (nil: read).
func (o *queryObs) readOne(rows *sql.Rows, err error) {
	n := 0
	if err == nil {
		n = 1
	}
	o.read(rows, n)
}

// obsRows is a pgx result under the query hooks: it counts the rows read,
// and ends the statement's observation when it is closed.
type obsRows struct {
	pgx.Rows
	o *queryObs
	n int
}

func (r *obsRows) Next() bool {
	if r.Rows.Next() {
		r.n++
		return true
	}
	return false
}

func (r *obsRows) Close() {
	r.Rows.Close()
	if o := r.o; o != nil {
		r.o = nil
		o.ev.Returned = int64(r.n)
		o.end(dbErr(r.Rows.Err()))
	}
}

// txObs is a transaction or savepoint under the hooks, from BeforeTx to
// AfterTx. A nil *txObs (no hooks) ignores every call.
type txObs struct {
	c     *conn
	ev    TxEvent
	ctxs  []context.Context
	buf   [4]context.Context
	ended bool
}

// observeTx runs the BeforeTx hooks for a transaction (savepoint "") or a
// savepoint at depth in c's transaction, the attempt-th run of it (see
// Retry); nil when c has no hooks.
func (c *conn) observeTx(ctx context.Context, savepoint string, depth, attempt int) *txObs {
	if len(c.hooks) == 0 {
		return nil
	}
	o := &txObs{c: c}
	o.ev = TxEvent{Savepoint: savepoint, Depth: depth, Parent: c.tx, Dialect: c.d, Start: time.Now(), Attempt: attempt, ctx: ctx}
	o.ctxs = o.buf[:0]
	for _, h := range c.hooks {
		if th, ok := h.(TxHook); ok {
			ctx = th.BeforeTx(ctx, &o.ev)
		}
		o.ctxs = append(o.ctxs, ctx)
	}
	o.ev.ctx = ctx
	return o
}

// event is the TxEvent the transaction's statements carry; nil without
// hooks.
func (o *txObs) event() *TxEvent {
	if o == nil {
		return nil
	}
	return &o.ev
}

// context is the context to begin the transaction with: the hooks' (which
// derives from ctx), or ctx.
func (o *txObs) context(ctx context.Context) context.Context {
	if o == nil {
		return ctx
	}
	return o.ev.ctx
}

// end runs the AfterTx hooks, once.
func (o *txObs) end(committed bool, err error) {
	if o == nil || o.ended {
		return
	}
	o.ended = true
	o.ev.Committed, o.ev.Err = committed, err
	o.ev.Duration = time.Since(o.ev.Start)
	for i := len(o.c.hooks) - 1; i >= 0; i-- {
		if th, ok := o.c.hooks[i].(TxHook); ok {
			th.AfterTx(o.ctxs[i], &o.ev)
		}
	}
}

// endPanic ends a transaction that a panic (p) is unwinding.
func (o *txObs) endPanic(p any) {
	o.end(false, fmt.Errorf("kinglet: orm: transaction ended by a panic: %v", p))
}

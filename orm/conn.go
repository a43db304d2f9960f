package orm

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// ErrNotFound is returned when a query for one row finds none. It matches
// sql.ErrNoRows too: errors.Is(err, sql.ErrNoRows) is true.
var ErrNotFound = notFound{}

type notFound struct{}

func (notFound) Error() string        { return "kinglet: orm: not found" }
func (notFound) Is(target error) bool { return target == sql.ErrNoRows }

// executor is what *sql.DB, *sql.Tx and *sql.Conn have in common.
type executor interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Conn is what a DB and a Tx share: every API that reads or writes takes a
// Conn, so it works the same inside and outside a transaction.
type Conn interface {
	// Dialect is the SQL dialect of the connection.
	Dialect() dialect.Dialect
	// ExecContext runs a statement through the query hooks.
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	// QueryContext runs a query through the query hooks.
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	core() *conn
}

// conn is the shared implementation behind DB and Tx.
type conn struct {
	x     executor
	d     dialect.Dialect
	hooks []QueryHook
	prep  *prepared   // a DB's kept statements; nil in a Tx or without dialect.KeepPrepared
	tprep *txPrepared // a Tx's: nil on a DB or without dialect.KeepPrepared
	pgx   pgxRunner   // a DB from OpenPool: the ORM's statements go to it directly (see native); nil in a Tx
	// wlock queues a DB's writers where the engine takes one at a time
	// (see writeLock); nil in a Tx, which holds it, and on other engines.
	wlock *writeLock
	// pool: a DB from OpenPool, or a Tx of one: every statement reaches the
	// caller's pgx pool, and the tracers configured on it, even through
	// database/sql.
	pool bool
	// tx is what the hooks know of the transaction c runs in (see
	// QueryEvent.Tx): nil outside one, or without hooks.
	tx *TxEvent
	// rt routes a DB's reads to its replicas (see route.go); nil without
	// replicas, and in a Tx, which runs on the primary.
	rt *router
	// node names the server c runs on, for QueryEvent.Node: "primary", or
	// a replica's name on the conns of a router.
	node string
}

func (c *conn) core() *conn { return c }

// Dialect is the SQL dialect of the connection.
func (c *conn) Dialect() dialect.Dialect { return c.d }

// ExecContext runs a statement through the query hooks.
func (c *conn) ExecContext(ctx context.Context, sqlText string, args ...any) (sql.Result, error) {
	return c.exec(ctx, about{}, sqlText, nil, args)
}

// execStmt runs one of the ORM's own statements (s.sql), through a
// statement kept prepared on the DB where the dialect allows it.
func (c *conn) execStmt(ctx context.Context, s *stmt, args ...any) (sql.Result, error) {
	return c.exec(ctx, about{table: s.table}, s.sql, c.kept(ctx, s), args)
}

// kept is s kept prepared on the DB, or on the transaction in a Tx; nil
// where the dialect keeps none.
func (c *conn) kept(ctx context.Context, s *stmt) *sql.Stmt {
	if c.tprep != nil {
		return c.tprep.get(ctx, s)
	}
	return c.prep.get(ctx, s)
}

// queryText runs a query of table built per call (Select[T]), kept
// prepared on the DB from its second run where the dialect allows it. o
// observes it until the caller has read its rows (see queryObs.read).
func (c *conn) queryText(ctx context.Context, table, sqlText string, args ...any) (rows *sql.Rows, o *queryObs, err error) {
	a := about{op: opSelect, table: table}
	if c.rt == nil {
		return c.query(ctx, a, sqlText, c.prep.getText(ctx, sqlText), args)
	}
	var r readRoute // a read goes to a replica: see route.go
	for n := c.readStart(ctx, &r, sqlText, false); ; {
		rows, o, err = n.query(ctx, a, sqlText, n.prep.getText(ctx, sqlText), args)
		if n = r.next(ctx, c, err); n == nil {
			return rows, o, err
		}
	}
}

// queryStmt is execStmt for statements that return rows; see queryText.
func (c *conn) queryStmt(ctx context.Context, s *stmt, args ...any) (rows *sql.Rows, o *queryObs, err error) {
	a := about{table: s.table}
	if c.rt == nil {
		return c.query(ctx, a, s.sql, c.kept(ctx, s), args)
	}
	var r readRoute
	for n := c.readStart(ctx, &r, s.sql, false); ; {
		rows, o, err = n.query(ctx, a, s.sql, n.kept(ctx, s), args)
		if n = r.next(ctx, c, err); n == nil {
			return rows, o, err
		}
	}
}

// exec runs sqlText, through st when it is not nil, under the query hooks:
// on the pgx pool of a DB from OpenPool, else on database/sql.
func (c *conn) exec(ctx context.Context, a about, sqlText string, st *sql.Stmt, args []any) (sql.Result, error) {
	args = utcArgs(args)
	if len(c.hooks) == 0 {
		return c.run(ctx, st, sqlText, args)
	}
	o := c.observe(ctx, a, sqlText, args, false)
	res, err := c.run(o.ctx, st, sqlText, o.args(args))
	if err == nil {
		o.ev.Rows, _ = res.RowsAffected()
	}
	o.end(err)
	return res, err
}

// run is exec without the hooks.
func (c *conn) run(ctx context.Context, st *sql.Stmt, sqlText string, args []any) (sql.Result, error) {
	if c.pgx != nil {
		return c.pgExec(ctx, sqlText, args)
	}
	return c.execDB(ctx, st, sqlText, args)
}

// execDB is execOn under the DB's write lock, if it has one, with a
// database error classified (see Classify).
func (c *conn) execDB(ctx context.Context, st *sql.Stmt, sqlText string, args []any) (sql.Result, error) {
	if c.wlock != nil {
		if err := c.wlock.lock(ctx); err != nil {
			return nil, err
		}
		defer c.wlock.unlock()
	}
	res, err := execOn(ctx, c.x, st, sqlText, args)
	if err != nil {
		return nil, dbErr(err)
	}
	return res, nil
}

// QueryContext runs a query through the query hooks. The caller reads the
// rows, so hooks see Rows and Returned = -1, and AfterQuery runs when the
// query returns.
func (c *conn) QueryContext(ctx context.Context, sqlText string, args ...any) (rows *sql.Rows, err error) {
	var o *queryObs
	if c.rt == nil {
		rows, o, err = c.query(ctx, about{}, sqlText, nil, args)
		o.end(nil)
		return rows, err
	}
	var r readRoute
	for n := c.readStart(ctx, &r, sqlText, true); ; {
		rows, o, err = n.query(ctx, about{}, sqlText, nil, args)
		o.end(nil)
		if n = r.next(ctx, c, err); n == nil {
			return rows, err
		}
	}
}

// query is exec for statements that return rows, on database/sql. o
// observes the statement until the caller has read the rows and calls
// o.read (or o.end); nil without hooks, or when the query failed (the
// hooks have seen it then).
func (c *conn) query(ctx context.Context, a about, sqlText string, st *sql.Stmt, args []any) (rows *sql.Rows, o *queryObs, err error) {
	args = utcArgs(args)
	if len(c.hooks) == 0 {
		rows, err := queryOn(ctx, c.x, st, sqlText, args)
		if err != nil {
			return nil, nil, dbErr(err)
		}
		return rows, nil, nil
	}
	o = c.observe(ctx, a, sqlText, args, true)
	rows, err = queryOn(o.ctx, c.x, st, sqlText, o.args(args))
	if err != nil {
		err = dbErr(err)
		o.end(err)
		return nil, nil, err
	}
	return rows, o, nil
}

// execOn runs a statement on x, calling *sql.DB and *sql.Tx directly:
// database/sql does not keep the argument slice, but a call through the
// executor interface would make the compiler assume it does, and move every
// caller's argument slice to the heap.
func execOn(ctx context.Context, x executor, st *sql.Stmt, sqlText string, args []any) (sql.Result, error) {
	if st != nil {
		return st.ExecContext(ctx, args...)
	}
	switch x := x.(type) {
	case *sql.DB:
		return x.ExecContext(ctx, sqlText, args...)
	case *sql.Tx:
		return x.ExecContext(ctx, sqlText, args...)
	}
	return x.ExecContext(ctx, sqlText, slices.Clone(args)...)
}

// queryOn is execOn for queries.
func queryOn(ctx context.Context, x executor, st *sql.Stmt, sqlText string, args []any) (*sql.Rows, error) {
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	switch x := x.(type) {
	case *sql.DB:
		return x.QueryContext(ctx, sqlText, args...)
	case *sql.Tx:
		return x.QueryContext(ctx, sqlText, args...)
	}
	return x.QueryContext(ctx, sqlText, slices.Clone(args)...)
}

// utcArgs returns args with every time.Time in UTC: SQLite stores times as
// text, which compares and sorts correctly only when every value has the same
// offset; the other engines store the same instant either way. args is
// copied only when something changes.
func utcArgs(args []any) []any {
	for i, a := range args {
		if t, ok := a.(time.Time); ok && t.Location() != time.UTC {
			out := append([]any(nil), args...)
			for j := i; j < len(out); j++ {
				if t, ok := out[j].(time.Time); ok {
					out[j] = t.UTC()
				}
			}
			return out
		}
	}
	return args
}

// Exec builds q for the connection's dialect and runs it.
func (c *conn) Exec(ctx context.Context, q query.Expr) (sql.Result, error) {
	s, args, err := query.Build(c.d, q)
	if err != nil {
		return nil, err
	}
	var a about
	if len(c.hooks) > 0 {
		a = aboutQuery(q)
	}
	return c.exec(ctx, a, s, nil, args)
}

// Query builds q for the connection's dialect and runs it.
func (c *conn) Query(ctx context.Context, q query.Expr) (*sql.Rows, error) {
	rows, o, err := c.readOf(ctx, about{}, q)
	o.end(nil)
	return rows, err
}

// readOf is queryOf for a read that a replica may take (Query, the
// loading of relations): on a DB with replicas, a SELECT goes to one (see
// route.go). queryOf, for the ORM's reading back of what it wrote, always
// runs on the primary.
func (c *conn) readOf(ctx context.Context, a about, q query.Expr) (rows *sql.Rows, o *queryObs, err error) {
	if c.rt == nil {
		return c.queryOf(ctx, a, q)
	}
	s, args, err := query.Build(c.d, q)
	if err != nil {
		return nil, nil, err
	}
	if len(c.hooks) > 0 && a.op == "" {
		a.op = aboutQuery(q).op
	}
	var r readRoute
	for n := c.readStart(ctx, &r, s, false); ; {
		rows, o, err = n.query(ctx, a, s, nil, args)
		if n = r.next(ctx, c, err); n == nil {
			return rows, o, err
		}
	}
}

// queryOf is Query for the ORM's own reads, which tell the hooks the table
// and call o.read once they have read the rows (see query).
func (c *conn) queryOf(ctx context.Context, a about, q query.Expr) (*sql.Rows, *queryObs, error) {
	s, args, err := query.Build(c.d, q)
	if err != nil {
		return nil, nil, err
	}
	if len(c.hooks) > 0 && a.op == "" {
		a.op = aboutQuery(q).op
	}
	return c.query(ctx, a, s, nil, args)
}

// DB is a pool of connections to one database, with its dialect. It is safe
// for concurrent use.
type DB struct {
	conn
	sql  *sql.DB
	own  *pgxpool.Pool // the pool Open made for a postgres:// URL: Close closes it
	addr string        // the host:port of Open's URL, for Stats
}

// New wraps an existing pool. d must match the server (see
// dialect.ForVersion); Open detects it for you.
//
// A MySQL/MariaDB pool should be opened with clientFoundRows=true (as Open
// does): without it the server reports only changed rows as affected, so an
// Update that writes a row's current values would return ErrNotFound.
//
// On SQLite the DB queues its own writers (ExecContext, the ORM's writes,
// and write transactions from BEGIN to COMMIT), so that they do not fail
// with ErrBusy against each other; each waits at most 5 s (Open: the URL's
// busy timeout) before ErrBusy. That holds for a pool of your own too, but
// its write transactions begin as its DSN says: add _txlock=immediate (as
// Open does), or a transaction that reads and then writes can still fail
// with ErrBusy against a writer the DB does not queue — another process,
// another *sql.DB, or db.SQL() used directly. See DB.Tx.
func New(db *sql.DB, d dialect.Dialect) *DB {
	c := conn{x: db, d: d, wlock: newWriteLock(d), node: primaryName}
	if d != nil && d.Has(dialect.KeepPrepared) {
		c.prep = &prepared{db: db}
	}
	return &DB{conn: c, sql: db}
}

// SQL is the underlying pool.
func (db *DB) SQL() *sql.DB { return db.sql }

// Close closes the kept statements and the pool: the database/sql pool,
// and the pgx pool Open made for a postgres:// URL (not one given to
// OpenPool, which its owner closes). A DB with replicas stops checking
// them, and closes them too.
func (db *DB) Close() error {
	var rerr error
	if db.rt != nil {
		rerr = db.rt.set.close()
	}
	db.prep.close()
	err := db.sql.Close()
	if db.own != nil {
		db.own.Close()
	}
	return errors.Join(err, rerr)
}

// WithHooks returns a DB sharing the pool that also runs hooks around every
// query.
func (db *DB) WithHooks(hooks ...QueryHook) *DB {
	n := *db
	n.hooks = append(append([]QueryHook(nil), db.hooks...), hooks...)
	if n.rt != nil {
		n.rt = n.rt.withHooks(n.hooks)
	}
	return &n
}

var errNilConn = errors.New("kinglet: orm: nil DB or Tx")

func coreOf(c Conn) (*conn, error) {
	if c == nil {
		return nil, errNilConn
	}
	cc := c.core()
	if cc == nil || cc.x == nil {
		return nil, errNilConn
	}
	return cc, nil
}

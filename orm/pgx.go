package orm

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/dsn"
)

// OpenPool returns a DB over a pgx pool: the same API as Open, with the
// ORM's statements running on pgx directly. Model reads (Select[T]'s All,
// One, First, Iter, Count and Exists, and Get[T]) decode PostgreSQL's
// binary format straight into the model's fields, without database/sql's
// conversions; Insert, InsertMany, Update, Delete, Upsert, the bulk
// Update[T]/Delete[T] and ExecContext run on the pool too, with the very
// values database/sql would hand to pgx, and the query hooks see them
// there. Transactions and QueryContext go through database/sql on the same
// pool (pgx's stdlib.OpenDBFromPool). Close does not close the pool: its
// owner does.
//
// opts are Open's: Replicas(url...) adds read replicas, opened as pgx
// pools too (see DB.WithReplicas).
func OpenPool(ctx context.Context, pool *pgxpool.Pool, opts ...Option) (*DB, error) {
	if pool == nil {
		return nil, fmt.Errorf("%w: OpenPool: nil *pgxpool.Pool", ErrInvalidArgument)
	}
	if len(opts) > 0 {
		cfg := newOpenConfig(opts)
		if cfg.err == nil {
			cfg.err = cfg.errNoReplicas()
		}
		if cfg.err != nil {
			return nil, cfg.err
		}
		db, err := OpenPool(ctx, pool)
		if err != nil || len(cfg.replicaURLs) == 0 {
			return db, err
		}
		routed, err := db.route(ctx, nil, cfg)
		if err != nil {
			db.Close()
			return nil, err
		}
		return routed, nil
	}
	sdb := stdlib.OpenDBFromPool(pool)
	d, err := dsn.Detect(ctx, sdb, "pgx")
	if err != nil {
		sdb.Close()
		return nil, errorf("kinglet: orm: %w", err)
	}
	db := New(sdb, d)
	db.pgx, db.pool = pool, true
	return db, nil
}

// pgxRunner is what a pgx pool and a pgx transaction share.
type pgxRunner interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Begin(ctx context.Context) (pgx.Tx, error)
}

// native reports whether c runs the ORM's statements on pgx: a DB from
// OpenPool, outside a transaction. The query hooks see them there, around
// the pgx calls (see pgQueryOf, conn.exec): adding a hook does not move a
// statement to database/sql.
func (c *conn) native() bool { return c.pgx != nil }

// pgTries is how often a statement is tried when it fails before reaching
// the server (pgconn.SafeToRetry): database/sql tries twice on a pooled
// connection and once on a new one before giving up.
const pgTries = 3

// pgExec runs a statement on pgx, with database/sql's result: the rows
// affected, and LastInsertId unsupported, as pgx's stdlib driver reports.
// args are the values database/sql would pass to pgx unchanged (pgx's
// driver takes every value as it is); a sql.NamedArg, which database/sql
// unwraps, sends the statement through database/sql.
func (c *conn) pgExec(ctx context.Context, sqlText string, args []any) (sql.Result, error) {
	for _, a := range args {
		if _, ok := a.(sql.NamedArg); ok {
			res, err := execOn(ctx, c.x, nil, sqlText, args)
			if err != nil {
				return nil, dbErr(err)
			}
			return res, nil
		}
	}
	qargs := pgArgs(nil, args)
	for try := 1; ; try++ {
		tag, err := c.pgx.Exec(ctx, sqlText, qargs...)
		if err == nil {
			return driver.RowsAffected(tag.RowsAffected()), nil
		}
		if try == pgTries || !pgconn.SafeToRetry(err) || ctx.Err() != nil {
			return nil, dbErr(err)
		}
	}
}

// pgFormats asks for result columns in the formats pgx's database/sql driver
// asks for: binary for the types it reads itself, text for the rest.
// Values the decoders read come either way; values read with pgx's Scan
// then come as database/sql would have them.
var pgFormats any = pgx.QueryResultFormatsByOID{
	pgtype.BoolOID:        pgx.BinaryFormatCode,
	pgtype.ByteaOID:       pgx.BinaryFormatCode,
	pgtype.CIDOID:         pgx.BinaryFormatCode,
	pgtype.DateOID:        pgx.BinaryFormatCode,
	pgtype.Float4OID:      pgx.BinaryFormatCode,
	pgtype.Float8OID:      pgx.BinaryFormatCode,
	pgtype.Int2OID:        pgx.BinaryFormatCode,
	pgtype.Int4OID:        pgx.BinaryFormatCode,
	pgtype.Int8OID:        pgx.BinaryFormatCode,
	pgtype.OIDOID:         pgx.BinaryFormatCode,
	pgtype.TimestampOID:   pgx.BinaryFormatCode,
	pgtype.TimestamptzOID: pgx.BinaryFormatCode,
	pgtype.XIDOID:         pgx.BinaryFormatCode,
}

// pgArgs is the argument list of a statement on pgx: args with every time
// in UTC (as conn.exec makes them for database/sql), after the result
// formats when there are some. Always a new slice: pgx keeps its arguments
// (for its tracers), and a caller's slice handed to it would move to the
// heap even where the statement goes through database/sql.
func pgArgs(formats any, args []any) []any {
	args = utcArgs(args)
	if formats == nil {
		return append([]any(nil), args...)
	}
	out := make([]any, 0, len(args)+1)
	return append(append(out, formats), args...)
}

// pgQuery runs a query on pgx and moves to its first row (more reports
// whether there is one), trying again while it fails before reaching the
// server, as database/sql does. Its result columns come in pgFormats'
// formats, except when the last read along p decoded every column: those
// types come the same way in pgx's own formats (binary, and text for
// text), and pgx then makes no format list of its own.
func (c *conn) pgQuery(ctx context.Context, sqlText string, args []any, p *scanPlan) (rows pgx.Rows, more bool, err error) {
	table := ""
	if p != nil {
		table = p.t.Name
	}
	rows, _, more, err = c.pgQueryOf(ctx, table, sqlText, args, p, false)
	return rows, more, err
}

// pgQueryOf is pgQuery for a query of table, under the query hooks: the
// rows then count themselves and end the statement's observation when
// closed (see obsRows), so that AfterQuery runs once they are read.
//
// With cols, fds is a copy of the result's columns, taken before the first
// row: a result with no row is closed by that Next, and its connection goes
// back to the pool, where another query reuses the memory of its columns.
// Without cols, use rows.FieldDescriptions only while there is a row.
func (c *conn) pgQueryOf(ctx context.Context, table, sqlText string, args []any, p *scanPlan, cols bool) (rows pgx.Rows, fds []pgconn.FieldDescription, more bool, err error) {
	if c.rt == nil {
		return c.pgQueryOn(ctx, table, sqlText, args, p, cols)
	}
	var r readRoute // a read goes to a replica: see route.go
	for n := c.readStart(ctx, &r, sqlText, false); ; {
		rows, fds, more, err = n.pgQueryOn(ctx, table, sqlText, args, p, cols)
		if n = r.next(ctx, c, err); n == nil {
			return rows, fds, more, err
		}
	}
}

// pgQueryOn is pgQueryOf on c's own pool.
func (c *conn) pgQueryOn(ctx context.Context, table, sqlText string, args []any, p *scanPlan, cols bool) (rows pgx.Rows, fds []pgconn.FieldDescription, more bool, err error) {
	var o *queryObs
	if len(c.hooks) > 0 {
		o = c.observe(ctx, about{table: table}, sqlText, args, true)
		ctx, args = o.ctx, o.args(args)
	}
	formats := pgFormats
	if p != nil && p.decodes() {
		formats = nil
	}
	qargs := pgArgs(formats, args)
	for try := 1; ; try++ {
		rows, err = c.pgx.Query(ctx, sqlText, qargs...)
		if err == nil {
			if cols {
				fds = slices.Clone(rows.FieldDescriptions())
			}
			if more = rows.Next(); !more {
				err = rows.Err()
			}
			if err == nil {
				if o != nil {
					rows = &obsRows{Rows: rows, o: o, n: btoi(more)}
				}
				return rows, fds, more, nil
			}
			rows.Close()
		}
		if try == pgTries || !pgconn.SafeToRetry(err) || ctx.Err() != nil {
			err = dbErr(err)
			o.end(err)
			return nil, nil, false, err
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pgxAll runs sqlText on pgx and reads every row into a new []T along plan
// p, or, when p is nil, along the plan of the result columns into t's
// fields (each column must have one). hint is the expected number of rows
// (0: not known). An error of the query itself is wrapped as "select from"
// the table from.
func pgxAll[T any](ctx context.Context, c *conn, from string, t *fields.Table, p *scanPlan, sqlText string, args []any, hint int) ([]T, error) {
	rows, fds, more, err := c.pgQueryOf(ctx, from, sqlText, args, p, p == nil)
	if err != nil {
		return nil, errorf("kinglet: orm: select from %s: %w", from, err)
	}
	defer rows.Close()
	if p == nil {
		if p, err = pgPlan(fds, t, true); err != nil {
			return nil, err
		}
	}
	if hint <= 0 {
		hint = 8
	}
	if !more {
		// Closed, its connection back in the pool: nothing more to read.
		return make([]T, 0, hint), nil
	}
	var r pgReader
	if err := r.init(rows, p, hint); err != nil {
		return nil, err
	}
	out := make([]T, 0, hint)
	afterScan := hasAfterScan[T]()
	for ok := more; ok; ok = rows.Next() {
		out = append(out, *new(T))
		ptr := unsafe.Pointer(&out[len(out)-1])
		if err := r.read(rows, ptr); err != nil {
			return nil, err
		}
		if afterScan {
			if err := any((*T)(ptr)).(AfterScanner).AfterScan(ctx); err != nil {
				return nil, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr(err)
	}
	return out, nil
}

// pgReturning reads the rows of an INSERT … RETURNING run with pgQuery,
// one per element of rows, into s.ret's fields of those structs; rs is
// closed. One row missing from a one-row insert is ErrNotFound.
func pgReturning(rs pgx.Rows, more bool, s *stmt, rows []unsafe.Pointer) error {
	defer rs.Close()
	switch {
	case !more && len(rows) == 1:
		return ErrNotFound
	case !more:
		// Closed, its connection back in the pool: nothing more to read.
		return fmt.Errorf("the database returned 0 rows for %d inserted", len(rows))
	}
	var r pgReader
	if err := r.init(rs, s.retPlan, len(rows)); err != nil {
		return err
	}
	i := 0
	for ok := more; ok; ok = rs.Next() {
		if i >= len(rows) {
			return fmt.Errorf("the database returned more than the %d rows inserted", len(rows))
		}
		if err := r.read(rs, rows[i]); err != nil {
			return err
		}
		i++
	}
	if err := rs.Err(); err != nil {
		return dbErr(err)
	}
	if i != len(rows) {
		return fmt.Errorf("the database returned %d rows for %d inserted", i, len(rows))
	}
	return nil
}

// pgScalar reads the single value of a one-column query on pgx (Count,
// Exists), as scanScalar does through database/sql.
func pgScalar[V any](ctx context.Context, c *conn, t *fields.Table, sqlText string, args []any) (V, error) {
	var v V
	rows, _, more, err := c.pgQueryOf(ctx, t.Name, sqlText, args, nil, false)
	if err != nil {
		return v, errorf("kinglet: orm: select from %s: %w", t.Name, err)
	}
	defer rows.Close()
	if !more {
		return v, ErrNotFound
	}
	if err := rows.Scan(&v); err != nil {
		return v, err
	}
	rows.Close()
	return v, dbErr(rows.Err())
}

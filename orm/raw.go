package orm

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// RawQuery is a query whose SQL the caller wrote, as text (Raw) or with
// package query (From), whose rows scan into T: a model, or any struct
// shape (a report row, the columns of a CTE). Result columns go to T's
// fields by name (the db tag, or the field name in snake_case), through
// the scan plans cached per (type, result columns); a result column that T
// has no field for is an error wrapping ErrUnknownColumn that names it,
// unless AllowUnknownColumns; a field that no column fills is left as it
// is. Like every query in kinglet it is an immutable value.
type RawQuery[T any] struct {
	c       Conn
	t       *fields.Table
	q       query.Expr        // a query.Raw (Raw), or nil
	sq      query.SelectQuery // From's query
	from    bool
	lax     bool
	preload []string
	err     error
}

// Raw is a query of SQL text: its ? placeholders bind args through the
// dialect exactly as query.Raw does ($1, $2, … on PostgreSQL; a ? inside a
// string literal, a quoted name or a comment is left alone; ?? is a
// literal ?):
//
//	type OrgRow struct{ ID int64; Name string; Depth int; Path string }
//	rows, err := orm.Raw[OrgRow](db, `WITH RECURSIVE …`, rootID).All(ctx)
func Raw[T any](c Conn, sqlText string, args ...any) RawQuery[T] {
	r := newRaw[T](c)
	r.q = query.Raw(sqlText, args...)
	return r
}

// From is a query built with package query, whatever it selects (CTEs,
// compounds, joins, window functions), scanned into T. Its columns are
// vetted as Select[T]'s are (see Select): a column of T's table, or of a
// model T reaches through its relations, must be one of that model's.
func From[T any](c Conn, q query.SelectQuery) RawQuery[T] {
	r := newRaw[T](c)
	r.sq, r.from = q, true
	return r
}

func newRaw[T any](c Conn) RawQuery[T] {
	t, err := tableOf[T]()
	if err == nil && c == nil {
		err = errNilConn
	}
	return RawQuery[T]{c: c, t: t, err: err}
}

// AllowUnknownColumns lets result columns that T has no field for through:
// they are read and dropped, for a query that selects more than one shape
// needs (SELECT * of a wide table into a narrow struct).
func (r RawQuery[T]) AllowUnknownColumns() RawQuery[T] { r.lax = true; return r }

// Load asks All, One, First and Iter to load the named relations of T, a
// model, as SelectQuery.Load does (its rows must hold the keys).
func (r RawQuery[T]) Load(names ...string) RawQuery[T] {
	r.preload = append(r.preload[:len(r.preload):len(r.preload)], names...)
	if r.err == nil {
		if _, err := planLoad(r.t, r.preload); err != nil {
			r.err = err
		}
	}
	return r
}

// Build renders the query for the connection's dialect.
func (r RawQuery[T]) Build() (string, []any, error) {
	if r.err != nil {
		return "", nil, r.err
	}
	cc, err := coreOf(r.c)
	if err != nil {
		return "", nil, err
	}
	return r.build(cc, r.sq)
}

func (r RawQuery[T]) build(cc *conn, sq query.SelectQuery) (string, []any, error) {
	if r.from {
		return sq.BuildChecked(cc.d, cacheOf(r.t).check)
	}
	return query.Build(cc.d, r.q)
}

// what names the query in errors.
func (r RawQuery[T]) what() string {
	if r.from {
		return "query into " + typeName(r.t.Type)
	}
	return "raw query into " + typeName(r.t.Type)
}

// rows runs the query (From's as sq) and calls each on its rows with the
// plan of its columns into T; each returns how many rows it read, for the
// query hooks. An error from the driver is wrapped.
func (r RawQuery[T]) rows(ctx context.Context, sq query.SelectQuery, each func(rows *sql.Rows, p *scanPlan) (int, error)) error {
	if r.err != nil {
		return r.err
	}
	cc, err := coreOf(r.c)
	if err != nil {
		return err
	}
	sqlText, args, err := r.build(cc, sq)
	if err != nil {
		return err
	}
	// The caller's query, of tables kinglet does not name: Operation and
	// Table stay "" for the hooks, on database/sql as on pgx.
	rows, o, err := cc.query(ctx, about{}, sqlText, nil, args)
	if err != nil {
		return errorf("kinglet: orm: %s: %w", r.what(), err)
	}
	read := 0
	defer func() { rows.Close(); o.read(rows, read) }()
	cols, err := rows.Columns()
	if err != nil {
		return errorf("kinglet: orm: %s: %w", r.what(), dbErr(err))
	}
	p, err := planFor(r.t, cols, !r.lax)
	if err != nil {
		return err
	}
	read, err = each(rows, p)
	if err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return errorf("kinglet: orm: %s: %w", r.what(), dbErr(err))
	}
	return nil
}

// All runs the query and returns every row.
func (r RawQuery[T]) All(ctx context.Context) ([]T, error) {
	return r.all(ctx, r.sq, -1)
}

// all reads at most max rows (all with -1).
func (r RawQuery[T]) all(ctx context.Context, sq query.SelectQuery, max int) ([]T, error) {
	var out []T
	if cc, ok := r.nativeConn(); ok && max < 0 {
		var err error
		if out, err = r.allNative(ctx, cc); err != nil {
			return nil, err
		}
	} else {
		err := r.rows(ctx, sq, func(rows *sql.Rows, p *scanPlan) (int, error) {
			afterScan := hasAfterScan[T]()
			for (max < 0 || len(out) < max) && rows.Next() {
				out = append(out, *new(T))
				ptr := &out[len(out)-1]
				if err := scanRow(rows, p, ptr); err != nil {
					return len(out), err
				}
				if afterScan {
					if err := any(ptr).(AfterScanner).AfterScan(ctx); err != nil {
						return len(out), err
					}
				}
			}
			return len(out), nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(r.preload) > 0 && len(out) > 0 {
		if err := loadRelations(ctx, r.c, r.t, unsafe.Pointer(&out[0]), len(out), int(unsafe.Sizeof(out[0])), r.preload); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// nativeConn is the query's connection when it runs on pgx (see
// SelectQuery.nativeConn).
func (r RawQuery[T]) nativeConn() (*conn, bool) {
	if r.err != nil {
		return nil, false
	}
	cc, err := coreOf(r.c)
	return cc, err == nil && cc.native()
}

// allNative is All on a DB from OpenPool: pgx's binary results decoded
// into the fields.
func (r RawQuery[T]) allNative(ctx context.Context, cc *conn) ([]T, error) {
	sqlText, args, err := r.build(cc, r.sq)
	if err != nil {
		return nil, err
	}
	rows, fds, more, err := cc.pgQueryOf(ctx, "", sqlText, args, nil, true)
	if err != nil {
		return nil, errorf("kinglet: orm: %s: %w", r.what(), err)
	}
	defer rows.Close()
	p, err := pgPlan(fds, r.t, !r.lax)
	if err != nil {
		return nil, err
	}
	if !more {
		return nil, nil // closed, its connection back in the pool
	}
	var rd pgReader
	if err := rd.init(rows, p, 0); err != nil {
		return nil, err
	}
	var out []T
	afterScan := hasAfterScan[T]()
	for ok := more; ok; ok = rows.Next() {
		out = append(out, *new(T))
		ptr := unsafe.Pointer(&out[len(out)-1])
		if err := rd.read(rows, ptr); err != nil {
			return nil, err
		}
		if afterScan {
			if err := any((*T)(ptr)).(AfterScanner).AfterScan(ctx); err != nil {
				return nil, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, errorf("kinglet: orm: %s: %w", r.what(), dbErr(err))
	}
	return out, nil
}

// One returns the only row: ErrNotFound when there is none, ErrTooMany
// when there are several. It reads at most two rows (From: with LIMIT 2
// unless the query has a LIMIT of its own).
func (r RawQuery[T]) One(ctx context.Context) (T, error) {
	var zero T
	out, err := r.all(ctx, r.limited(2), 2)
	if err != nil {
		return zero, err
	}
	switch len(out) {
	case 0:
		return zero, ErrNotFound
	case 1:
		return out[0], nil
	}
	return zero, fmt.Errorf("%w: %s", ErrTooMany, r.what())
}

// First returns the first row the query returns, in its own order (it
// adds none), or ErrNotFound. It reads one row (From: with LIMIT 1 unless
// the query has a LIMIT of its own).
func (r RawQuery[T]) First(ctx context.Context) (T, error) {
	var zero T
	out, err := r.all(ctx, r.limited(1), 1)
	if err != nil {
		return zero, err
	}
	if len(out) == 0 {
		return zero, ErrNotFound
	}
	return out[0], nil
}

// limited is From's query with LIMIT n, if it has no LIMIT of its own
// (text cannot be changed: Raw reads n rows and closes).
func (r RawQuery[T]) limited(n int64) query.SelectQuery {
	if r.from && !r.sq.Limited() {
		return r.sq.Limit(n)
	}
	return r.sq
}

// Iter streams the rows one at a time, as SelectQuery.Iter does (relations
// of Load are loaded 100 rows at a time).
func (r RawQuery[T]) Iter(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var batch []T
		stopped := false
		flush := func() bool {
			if len(batch) == 0 {
				return true
			}
			if err := loadRelations(ctx, r.c, r.t, unsafe.Pointer(&batch[0]), len(batch), int(unsafe.Sizeof(batch[0])), r.preload); err != nil {
				yield(zero, err)
				return false
			}
			for _, v := range batch {
				if !yield(v, nil) {
					return false
				}
			}
			batch = batch[:0]
			return true
		}
		err := r.rows(ctx, r.sq, func(rows *sql.Rows, p *scanPlan) (n int, _ error) {
			afterScan := hasAfterScan[T]()
			done := ctx.Done()
			for rows.Next() {
				select {
				case <-done:
					return n, errorf("kinglet: orm: %s: %w", r.what(), ctx.Err())
				default:
				}
				var v T
				if err := scanRow(rows, p, &v); err != nil {
					return n, err
				}
				n++
				if afterScan {
					if err := any(&v).(AfterScanner).AfterScan(ctx); err != nil {
						return n, err
					}
				}
				if len(r.preload) == 0 {
					if !yield(v, nil) {
						stopped = true
						return n, nil
					}
					continue
				}
				batch = append(batch, v)
				if len(batch) == iterLoadBatch && !flush() {
					stopped = true
					return n, nil
				}
			}
			return n, nil
		})
		switch {
		case stopped:
		case err != nil:
			yield(zero, err)
		default:
			flush()
		}
	}
}

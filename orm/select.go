package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// ErrTooMany is returned by One when more than one row matches.
var ErrTooMany = errors.New("kinglet: orm: more than one row")

// SelectQuery is a SELECT bound to model T's table: its results scan into T.
// Like every query builder in kinglet it is an immutable value.
type SelectQuery[T any] struct {
	c       Conn
	t       *fields.Table
	q       query.SelectQuery // without the columns: see withColumns
	cols    []query.Expr      // the columns given to Columns, when custom
	custom  bool              // Columns replaced the model's columns
	grouped bool              // GroupBy was called
	limit   int64             // LIMIT, 0 if none: All's expected number of rows
	joined  bool              // Join or LeftJoin was called: T's columns need qualifying
	// compound: q is a UNION, INTERSECT or EXCEPT of whole queries, their
	// columns included (see compound.go); custom says what its first
	// member selects.
	compound bool
	preload  []string  // relations to load, see Load
	rd       *readOpts // JoinLoad, LoadWith, Strategy; nil for most queries (see reads.go)
	err      error
}

// Select starts a query over T's table (SELECT T's columns FROM its table).
// Refer to the table's columns with Col/Field handles, query.Table(name).C
// or query.C(name). A column the model lacks is an error wrapping
// ErrUnknownColumn before the database is called, qualified or not: an
// unqualified name must be one of T's columns, an alias the query defines
// (As, the columns of a CTE or derived table), or a column of a joined
// table; the tables of the models T reaches through its relations are
// checked against those models, other joined tables are left to the
// database.
func Select[T any](c Conn) SelectQuery[T] {
	t, err := tableOf[T]()
	if err == nil && t.Name == "" {
		err = fmt.Errorf("kinglet: orm: %T has no table name", *new(T))
	}
	var q query.SelectQuery
	if err == nil {
		q = cacheOf(t).base // SELECT FROM t, shared: queries are immutable
	}
	if c == nil {
		err = errNilConn
	}
	return SelectQuery[T]{c: c, t: t, q: q, err: err}
}

// Query is the underlying query.SelectQuery (for use as a subquery).
func (s SelectQuery[T]) Query() query.SelectQuery { return s.withColumns() }

// Where adds conditions, ANDed.
func (s SelectQuery[T]) Where(conds ...query.Expr) SelectQuery[T] {
	s.q = s.q.Where(conds...)
	return s
}

// OrWhere ORs conds with the conditions so far.
func (s SelectQuery[T]) OrWhere(conds ...query.Expr) SelectQuery[T] {
	s.q = s.q.OrWhere(conds...)
	return s
}

// Join adds an inner join.
func (s SelectQuery[T]) Join(t query.Expr, on ...query.Expr) SelectQuery[T] {
	s.q = s.q.Join(t, on...)
	s.joined = true
	return s
}

// LeftJoin adds a left join.
func (s SelectQuery[T]) LeftJoin(t query.Expr, on ...query.Expr) SelectQuery[T] {
	s.q = s.q.LeftJoin(t, on...)
	s.joined = true
	return s
}

// GroupBy adds GROUP BY expressions.
func (s SelectQuery[T]) GroupBy(es ...query.Expr) SelectQuery[T] {
	s.q = s.q.GroupBy(es...)
	s.grouped = true
	return s
}

// Having adds HAVING conditions.
func (s SelectQuery[T]) Having(conds ...query.Expr) SelectQuery[T] {
	s.q = s.q.Having(conds...)
	return s
}

// OrderBy adds ORDER BY items.
func (s SelectQuery[T]) OrderBy(es ...query.Expr) SelectQuery[T] { s.q = s.q.OrderBy(es...); return s }

// Limit sets LIMIT.
func (s SelectQuery[T]) Limit(n int64) SelectQuery[T] { s.q = s.q.Limit(n); s.limit = n; return s }

// Offset sets OFFSET.
func (s SelectQuery[T]) Offset(n int64) SelectQuery[T] { s.q = s.q.Offset(n); return s }

// Paginate selects page (from 1) of size rows.
func (s SelectQuery[T]) Paginate(page, size int64) SelectQuery[T] {
	s.q = s.q.Paginate(page, size)
	s.limit = size
	return s
}

// Distinct makes it SELECT DISTINCT.
func (s SelectQuery[T]) Distinct() SelectQuery[T] { s.q = s.q.Distinct(); return s }

// ForUpdate locks the selected rows (inside a Tx).
func (s SelectQuery[T]) ForUpdate(opts ...query.LockOption) SelectQuery[T] {
	s.q = s.q.ForUpdate(opts...)
	return s
}

// ForShare takes a shared lock on the selected rows (inside a Tx).
func (s SelectQuery[T]) ForShare(opts ...query.LockOption) SelectQuery[T] {
	s.q = s.q.ForShare(opts...)
	return s
}

// Columns replaces the selected columns (for aggregates, joined columns, or
// a narrower read); a second call adds to the first's. Result columns are
// matched to T's fields by name; results with a column T has no field for
// are an error. Pluck and Scalar select their own column instead.
func (s SelectQuery[T]) Columns(cols ...query.Expr) SelectQuery[T] {
	s.cols = append(s.cols[:len(s.cols):len(s.cols)], cols...) // never into a slice another query shares
	s.custom = true
	return s
}

// withColumns is the query with its columns: those given to Columns, or
// T's.
func (s SelectQuery[T]) withColumns() query.SelectQuery {
	if s.compound || s.rd != nil {
		return s.readColumns()
	}
	if s.custom {
		return s.q.Columns(s.cols...)
	}
	if s.t == nil {
		return s.q
	}
	tc := cacheOf(s.t)
	if s.joined {
		return s.q.Columns(tc.cols...)
	}
	// FROM T's table alone: the columns cannot be ambiguous unqualified,
	// and SQLite parses them faster (5% of reading 100 rows).
	return s.q.Columns(tc.plainCols...)
}

// Build renders the query for the connection's dialect.
func (s SelectQuery[T]) Build() (string, []any, error) {
	if s.err != nil {
		return "", nil, s.err
	}
	cc, err := coreOf(s.c)
	if err != nil {
		return "", nil, err
	}
	return s.withColumns().BuildChecked(cc.d, s.columnCheck())
}

// run runs q on database/sql; o observes it for the query hooks until the
// caller has read the rows (see queryObs.read).
func (s SelectQuery[T]) run(ctx context.Context, q query.SelectQuery) (_ *sql.Rows, o *queryObs, _ error) {
	if s.err != nil {
		return nil, nil, s.err
	}
	cc, err := coreOf(s.c)
	if err != nil {
		return nil, nil, err
	}
	// The table's cached check: a method value s.check would copy s to the heap.
	check := cacheOf(s.t).check
	if s.rd != nil {
		check = s.columnCheck()
	}
	sqlText, args, err := q.BuildChecked(cc.d, check)
	if err != nil {
		return nil, nil, err
	}
	rows, o, err := cc.queryText(ctx, s.t.Name, sqlText, args...)
	if err != nil {
		return nil, nil, errorf("kinglet: orm: select from %s: %w", s.t.Name, err)
	}
	return rows, o, nil
}

// All runs the query and returns every row.
func (s SelectQuery[T]) All(ctx context.Context) ([]T, error) {
	if s.rd != nil {
		return s.allReads(ctx) // JoinLoad, LoadWith: reads.go
	}
	if cc, ok := s.nativeConn(); ok {
		return s.allNative(ctx, cc)
	}
	r, o, err := s.run(ctx, s.withColumns())
	if err != nil {
		return nil, err
	}
	var out []T
	if s.custom {
		out, err = scanAll[T](ctx, r, s.t, true, s.rowsHint())
	} else {
		// The result columns are T's, in order: no need to ask for them.
		out, err = scanWith[T](ctx, r, cacheOf(s.t).plan, s.rowsHint())
	}
	o.read(r, len(out))
	if err != nil {
		return nil, err
	}
	if len(s.preload) > 0 && len(out) > 0 {
		if err := loadRelations(ctx, s.c, s.t, unsafe.Pointer(&out[0]), len(out), int(unsafe.Sizeof(out[0])), s.preload); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// nativeConn returns the query's connection when it runs on pgx (see
// conn.native): a DB from OpenPool, and a query with no error.
func (s SelectQuery[T]) nativeConn() (*conn, bool) {
	if s.err != nil {
		return nil, false
	}
	cc, err := coreOf(s.c)
	return cc, err == nil && cc.native()
}

// plan is the scan plan of the query's result columns when they are T's
// own (nil with Columns: read from the result).
func (s SelectQuery[T]) plan() *scanPlan {
	if s.custom {
		return nil
	}
	return cacheOf(s.t).plan
}

// allNative is All on a DB from OpenPool.
func (s SelectQuery[T]) allNative(ctx context.Context, cc *conn) ([]T, error) {
	tc := cacheOf(s.t)
	sqlText, args, err := s.withColumns().BuildChecked(cc.d, tc.check)
	if err != nil {
		return nil, err
	}
	out, err := pgxAll[T](ctx, cc, s.t.Name, s.t, s.plan(), sqlText, args, s.rowsHint())
	if err != nil {
		return nil, err
	}
	if len(s.preload) > 0 && len(out) > 0 {
		if err := loadRelations(ctx, s.c, s.t, unsafe.Pointer(&out[0]), len(out), int(unsafe.Sizeof(out[0])), s.preload); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// rowsHint is the capacity All starts with: the LIMIT when there is a small
// one, so that a page of rows is read without growing the slice.
func (s SelectQuery[T]) rowsHint() int {
	if s.limit > 0 && s.limit <= 256 {
		return int(s.limit)
	}
	return 0
}

// One returns the only matching row: ErrNotFound when there is none,
// ErrTooMany when there are several.
func (s SelectQuery[T]) One(ctx context.Context) (T, error) {
	var zero T
	out, err := s.Limit(2).All(ctx)
	if err != nil {
		return zero, err
	}
	switch len(out) {
	case 0:
		return zero, ErrNotFound
	case 1:
		return out[0], nil
	}
	return zero, fmt.Errorf("%w in %s", ErrTooMany, s.t.Name)
}

// First returns the first row (by primary key unless the query is ordered),
// or ErrNotFound.
func (s SelectQuery[T]) First(ctx context.Context) (T, error) {
	var zero T
	if s.err != nil {
		return zero, s.err
	}
	q := s
	if !q.ordered() {
		tbl := query.Table(s.t.Name)
		for _, f := range s.t.PK {
			if s.compound {
				q = q.OrderBy(query.C(f.Column)) // a compound is ordered by its result columns
			} else {
				q = q.OrderBy(tbl.C(f.Column))
			}
		}
	}
	out, err := q.Limit(1).All(ctx)
	if err != nil {
		return zero, err
	}
	if len(out) == 0 {
		return zero, ErrNotFound
	}
	return out[0], nil
}

func (s SelectQuery[T]) ordered() bool { return s.q.Ordered() }

// Count returns the number of matching rows. Grouped, distinct or limited
// queries are counted as a subquery.
func (s SelectQuery[T]) Count(ctx context.Context) (int64, error) {
	inner := s.withColumns()
	if s.rd != nil {
		inner = s.countColumns() // not the joined models' or JSON columns
	}
	if s.grouped && !s.custom {
		// T's columns beside GROUP BY are an error on PostgreSQL (and MySQL's
		// ONLY_FULL_GROUP_BY): one constant per group counts the groups.
		inner = s.q.Columns(query.Raw("1"))
	}
	return scalarOf[int64](ctx, s, query.Select(query.CountAll()).From(inner.As("kinglet_count")))
}

// Exists reports whether any row matches.
func (s SelectQuery[T]) Exists(ctx context.Context) (bool, error) {
	inner := s.withColumns()
	if !s.custom && !s.compound {
		inner = s.q.Columns(query.Raw("1")) // the columns do not matter, and may not stand beside GROUP BY
	}
	return scalarOf[bool](ctx, s, query.Select(query.Exists(inner.Limit(1))))
}

// scalarOf runs q, a query of one value built from s (Count, Exists), and
// returns the value.
func scalarOf[V, T any](ctx context.Context, s SelectQuery[T], q query.SelectQuery) (V, error) {
	if cc, ok := s.nativeConn(); ok {
		sqlText, args, err := q.BuildChecked(cc.d, cacheOf(s.t).check)
		if err != nil {
			var zero V
			return zero, err
		}
		return pgScalar[V](ctx, cc, s.t, sqlText, args)
	}
	r, o, err := s.run(ctx, q)
	if err != nil {
		var zero V
		return zero, err
	}
	v, err := scanScalar[V](r)
	o.readOne(r, err)
	return v, err
}

// Iter streams the rows one at a time without loading them all; stop early
// by breaking out of the loop. An error ends the sequence with (zero, err);
// so does ctx's end (its error wrapped), at the next row: the rows a driver
// has buffered are not yielded after it. With Load or LoadWith, Iter reads
// 100 rows at a time (iterLoadBatch), loads their relations, then yields
// them: memory stays that of one batch however many rows there are (see
// reads.go for the one limit, in a transaction). JoinLoad and the JSON
// strategy fill each row as it is read.
func (s SelectQuery[T]) Iter(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if len(s.preload) > 0 || s.rd != nil {
			s.iterReads(ctx, yield)
			return
		}
		if cc, ok := s.nativeConn(); ok {
			s.iterNative(ctx, cc, yield)
			return
		}
		rows, o, err := s.run(ctx, s.withColumns())
		if err != nil {
			yield(zero, err)
			return
		}
		n := 0
		defer func() { o.read(rows, n) }()
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			yield(zero, err)
			return
		}
		p, err := planFor(s.t, cols, true)
		if err != nil {
			yield(zero, err)
			return
		}
		dst := make([]any, len(cols))
		afterScan := hasAfterScan[T]()
		done := ctx.Done() // nil for a context that never ends: the check below costs nothing then
		for rows.Next() {
			select {
			case <-done:
				yield(zero, s.iterErr(ctx.Err()))
				return
			default:
			}
			var v T
			ptr := unsafe.Pointer(&v)
			p.dests(ptr, dst)
			if err := rows.Scan(dst...); err != nil {
				yield(zero, p.scanErr(err))
				return
			}
			toUTC(p.times, ptr)
			n++
			if afterScan {
				if err := any(&v).(AfterScanner).AfterScan(ctx); err != nil {
					yield(zero, err)
					return
				}
			}
			if !yield(v, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(zero, s.iterErr(dbErr(err)))
		}
	}
}

// iterErr is the error Iter ends with when reading rows fails.
func (s SelectQuery[T]) iterErr(err error) error {
	return errorf("kinglet: orm: select from %s: %w", s.t.Name, err)
}

// iterNative is Iter on a DB from OpenPool.
func (s SelectQuery[T]) iterNative(ctx context.Context, cc *conn, yield func(T, error) bool) {
	var zero T
	sqlText, args, err := s.withColumns().BuildChecked(cc.d, cacheOf(s.t).check)
	if err != nil {
		yield(zero, err)
		return
	}
	p := s.plan()
	rows, fds, more, err := cc.pgQueryOf(ctx, s.t.Name, sqlText, args, p, p == nil)
	if err != nil {
		yield(zero, errorf("kinglet: orm: select from %s: %w", s.t.Name, err))
		return
	}
	defer rows.Close()
	if p == nil {
		if p, err = pgPlan(fds, s.t, true); err != nil {
			yield(zero, err)
			return
		}
	}
	if !more {
		return // closed, its connection back in the pool
	}
	var r pgReader
	if err := r.init(rows, p, 0); err != nil {
		yield(zero, err)
		return
	}
	afterScan := hasAfterScan[T]()
	done := ctx.Done()
	for ok := more; ok; ok = rows.Next() {
		select {
		case <-done:
			yield(zero, s.iterErr(ctx.Err()))
			return
		default:
		}
		var v T
		if err := r.read(rows, unsafe.Pointer(&v)); err != nil {
			yield(zero, err)
			return
		}
		if afterScan {
			if err := any(&v).(AfterScanner).AfterScan(ctx); err != nil {
				yield(zero, err)
				return
			}
		}
		if !yield(v, nil) {
			return
		}
	}
	if err := rows.Err(); err != nil {
		yield(zero, s.iterErr(dbErr(err)))
	}
}

// Maps runs the query and returns each row as a map from column name to the
// driver's value.
func (s SelectQuery[T]) Maps(ctx context.Context) ([]map[string]any, error) {
	r, o, err := s.run(ctx, s.withColumns())
	if err != nil {
		return nil, err
	}
	m, err := scanMaps(r)
	o.read(r, len(m))
	return m, err
}

// Pluck returns one column of every matching row. It selects col alone,
// whatever s's columns (Columns) are.
func Pluck[V, T any](ctx context.Context, s SelectQuery[T], col query.Expr) ([]V, error) {
	r, o, err := s.run(ctx, s.q.Columns(col))
	if err != nil {
		return nil, err
	}
	var out []V
	defer func() { r.Close(); o.read(r, len(out)) }()
	for r.Next() {
		var v V
		if err := r.Scan(&v); err != nil {
			return nil, errorf("kinglet: orm: pluck from %s: %w", s.t.Name, err)
		}
		out = append(out, v)
	}
	return out, dbErr(r.Err())
}

// Scalar returns the single value of a one-column, one-row query, such as
// an aggregate: Scalar[float64](ctx, q, query.Avg(col)). It selects e alone,
// whatever s's columns (Columns) are.
func Scalar[V, T any](ctx context.Context, s SelectQuery[T], e query.Expr) (V, error) {
	r, o, err := s.run(ctx, s.q.Columns(e))
	if err != nil {
		var zero V
		return zero, err
	}
	v, err := scanScalar[V](r)
	o.readOne(r, err)
	return v, err
}

// Into runs a query bound to T's table (with Columns, joins, aggregates) and
// scans the rows into another struct shape R, matching columns to R's fields
// by name: orm.Into[UserStats](ctx, q).
func Into[R, T any](ctx context.Context, s SelectQuery[T]) ([]R, error) {
	rt, err := tableOf[R]()
	if err != nil {
		return nil, err
	}
	if cc, ok := s.nativeConn(); ok {
		sqlText, args, err := s.withColumns().BuildChecked(cc.d, cacheOf(s.t).check)
		if err != nil {
			return nil, err
		}
		return pgxAll[R](ctx, cc, s.t.Name, rt, nil, sqlText, args, 0)
	}
	r, o, err := s.run(ctx, s.withColumns())
	if err != nil {
		return nil, err
	}
	out, err := scanAll[R](ctx, r, rt, true, 0)
	o.read(r, len(out))
	return out, err
}

func scanScalar[V any](r *sql.Rows) (V, error) {
	var v V
	defer r.Close()
	if !r.Next() {
		if err := r.Err(); err != nil {
			return v, dbErr(err)
		}
		return v, ErrNotFound
	}
	if err := r.Scan(&v); err != nil {
		return v, err
	}
	return v, dbErr(r.Close())
}

package orm

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// maxParamsOverride, when positive, replaces the dialect's bound parameter
// limit; tests lower it to make batching visible.
var maxParamsOverride atomic.Int64

func maxParamsOf(d dialect.Dialect) int {
	if n := maxParamsOverride.Load(); n > 0 {
		return int(n)
	}
	return d.MaxParams()
}

// InsertMany inserts models, a []T or []*T of one model type, with as few
// multi-row INSERTs as the engine's bound parameter limit allows
// (Dialect.MaxParams), and fills in what the database generated, as Insert
// does. Before/AfterInsert hooks run for every model; a Before hook's error
// aborts with nothing written. Outside a transaction, several statements run
// in one, so the insert is all or nothing.
//
// Rows whose omitted columns differ (a zero vs. a set auto key, a nil vs. a
// set pointer with a default) go in separate statements, each keeping the
// slice order.
//
// How keys are filled:
//   - with RETURNING (PostgreSQL, SQLite, MariaDB 10.5+) the generated
//     columns are returned row by row and matched to the models by position.
//     This relies on RETURNING listing rows in VALUES order, which all three
//     engines do in practice, though none documents it as a guarantee.
//   - on MySQL (and older MariaDB) LastInsertId is the key of the FIRST row of
//     a multi-row INSERT, and the others are first+1, first+2, … only when
//     the keys are consecutive: InnoDB guarantees that for a multi-row
//     INSERT … VALUES with innodb_autoinc_lock_mode 0 or 1 (MariaDB's and
//     MySQL 5.7's default). Mode 2 (MySQL 8's default, "interleaved") makes
//     no such promise when other sessions insert concurrently. kinglet fills
//     first+i only in statements where every row had a zero key; other
//     defaults are then read back by key.
func (c *conn) InsertMany(ctx context.Context, models any) error {
	rv := reflect.ValueOf(models)
	if !rv.IsValid() || rv.Kind() != reflect.Slice {
		return fmt.Errorf("%w: InsertMany needs a []T or []*T of a model struct, got %T", ErrInvalidArgument, models)
	}
	et := rv.Type().Elem()
	isPtr := et.Kind() == reflect.Pointer
	st := et
	if isPtr {
		st = et.Elem()
	}
	if st.Kind() != reflect.Struct {
		return fmt.Errorf("%w: InsertMany needs a []T or []*T of a model struct, got %T", ErrInvalidArgument, models)
	}
	t, err := fields.TableOf(st)
	if err != nil {
		return err
	}
	if t.Name == "" {
		return fmt.Errorf("kinglet: orm: InsertMany: %s has no table name", st)
	}
	n := rv.Len()
	if n == 0 {
		return nil
	}
	// rows and groups start in buffers on the stack, and objs (the *T of
	// each row) is made only for a model with insert hooks: InsertMany then
	// allocates about what a hand-written multi-row INSERT does.
	var rowsBuf [128]unsafe.Pointer
	rows := rowsBuf[:0]
	if n > len(rowsBuf) {
		rows = make([]unsafe.Pointer, 0, n)
	}
	var objs []any
	if pt := reflect.PointerTo(st); pt.Implements(beforeInserterType) || pt.Implements(afterInserterType) {
		objs = make([]any, n)
	}
	for i := range n {
		ev := rv.Index(i)
		if isPtr {
			if ev.IsNil() {
				return fmt.Errorf("%w: InsertMany: element %d is a nil %s", ErrInvalidArgument, i, et)
			}
		} else {
			ev = ev.Addr()
		}
		rows = append(rows, ev.UnsafePointer())
		if objs != nil {
			objs[i] = ev.Interface()
		}
	}
	for _, m := range objs {
		if h, ok := m.(BeforeInserter); ok {
			if err := h.BeforeInsert(ctx); err != nil {
				return err
			}
		}
	}

	// Group consecutive rows that write the same columns.
	type group struct {
		mask    []byte
		omitted []*fields.Field
		from    int
		to      int
	}
	var groupsBuf [4]group
	groups := groupsBuf[:0]
	for i, p := range rows {
		mask, omitted := insertPlan(t, p)
		if len(groups) > 0 && string(groups[len(groups)-1].mask) == string(mask) {
			groups[len(groups)-1].to = i + 1
			continue
		}
		groups = append(groups, group{mask, omitted, i, i + 1})
	}
	statements := 0
	for _, g := range groups {
		statements += (g.to - g.from + batchRows(t, c.d, g.mask) - 1) / batchRows(t, c.d, g.mask)
	}

	run := func(cc *conn) error {
		for _, g := range groups {
			per := batchRows(t, c.d, g.mask)
			for from := g.from; from < g.to; from += per {
				to := min(from+per, g.to)
				if err := cc.insertBatch(ctx, t, g.mask, g.omitted, rows[from:to]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if sdb, isDB := c.x.(*sql.DB); statements > 1 && (isDB || c.native()) {
		// In a transaction of its own: all or nothing.
		if err := c.batchTx(ctx, sdb, t.Name, run); err != nil {
			return err
		}
	} else if err := run(c); err != nil {
		return err
	}
	for _, m := range objs {
		if h, ok := m.(AfterInserter); ok {
			if err := h.AfterInsert(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// batchRows is how many rows writing the columns in mask fit in one
// statement.
func batchRows(t *fields.Table, d dialect.Dialect, mask []byte) int {
	cols := 0
	for _, m := range mask {
		cols += int(m)
	}
	if cols == 0 {
		return 1 // DEFAULT VALUES: one row per statement
	}
	return max(1, maxParamsOf(d)/cols)
}

// insertBatch inserts rows (all writing the columns in mask) with one
// statement and fills the omitted fields.
func (c *conn) insertBatch(ctx context.Context, t *fields.Table, mask []byte, omitted []*fields.Field, rows []unsafe.Pointer) error {
	if len(rows) == 1 || len(omitted) == len(t.Fields) {
		// One row, or nothing to write but defaults: Insert's own statement.
		for _, p := range rows {
			if err := c.insert(ctx, t, p); err != nil {
				return err
			}
		}
		return nil
	}
	returning := c.d.Has(dialect.InsertReturning)
	// Cached per (table, dialect, columns, number of rows), within a byte
	// budget (see cachedBatch): the tree of a many-row INSERT costs more
	// allocations than the rows themselves.
	s, err := cachedBatch(t, c.d, mask, len(rows), func() (*stmt, error) {
		s := &stmt{}
		var cols []string
		for i, f := range t.Fields {
			if mask[i] == 1 {
				s.cols = append(s.cols, f)
				cols = append(cols, f.Column)
			}
		}
		vals := make([][]any, len(rows))
		for r := range vals {
			vals[r] = make([]any, len(cols))
			for i := range cols {
				vals[r][i] = query.V(nil) // placeholder; values bound per call
			}
		}
		q := query.Insert(query.Table(t.Name)).Columns(cols...).Rows(vals...)
		if returning && len(omitted) > 0 {
			q = q.Returning(columnsOf(omitted)...)
			s.returning(t, omitted)
		}
		s.limit(c.d)
		sqlText, _, err := query.Build(c.d, q)
		s.sql = sqlText
		return s, err
	})
	if err != nil {
		return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
	}
	bp, a := c.batchArgs(len(s.cols) * len(rows))
	defer putArgs(bp)
	ref := c.refArgs()
	for _, p := range rows {
		for _, f := range s.cols {
			if ref {
				a = append(a, f.ValueRef(p))
			} else {
				a = append(a, f.Value(p))
			}
		}
	}
	if err := s.checkRows(a); err != nil {
		return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
	}
	if len(s.ret) > 0 && c.native() {
		rs, more, err := c.pgQuery(ctx, s.sql, a, s.retPlan)
		if err != nil {
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
		if err := pgReturning(rs, more, s, rows); err != nil {
			return errorf("kinglet: orm: insert into %s: reading generated values: %w", t.Name, err)
		}
		return nil
	}
	if len(s.ret) > 0 {
		if err := c.wlock.lock(ctx); err != nil { // a write: see writeLock
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
		defer c.wlock.unlock()
		r, o, err := c.queryStmt(ctx, s, a...)
		if err != nil {
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
		err = scanEach(r, rows, s.ret)
		o.read(r, len(rows))
		if err != nil {
			return errorf("kinglet: orm: insert into %s: reading generated values: %w", t.Name, err)
		}
		return nil
	}
	res, err := c.execStmt(ctx, s, a...)
	if err != nil {
		return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
	}
	if len(omitted) == 0 {
		return nil
	}
	return c.fillManyAfterInsert(ctx, t, rows, res, omitted)
}

// scanEach scans one returned row into each of rows, in order.
func scanEach(r *sql.Rows, rows []unsafe.Pointer, fs []*fields.Field) error {
	defer r.Close()
	dst := make([]any, len(fs))
	times := timeFields(fs) // once, not per row
	i := 0
	for r.Next() {
		if i >= len(rows) {
			return fmt.Errorf("the database returned more than the %d rows inserted", len(rows))
		}
		for j, f := range fs {
			dst[j] = f.Ptr(rows[i])
		}
		if err := r.Scan(dst...); err != nil {
			return err
		}
		toUTC(times, rows[i])
		i++
	}
	if err := r.Err(); err != nil {
		return dbErr(err)
	}
	if i != len(rows) {
		return fmt.Errorf("the database returned %d rows for %d inserted", i, len(rows))
	}
	return nil // Next returned false, so r is closed (and each Close allocates)
}

// fillManyAfterInsert fills generated values without RETURNING: the auto
// key as LastInsertId+i (see InsertMany for when that holds), then the other
// omitted columns read back by key.
func (c *conn) fillManyAfterInsert(ctx context.Context, t *fields.Table, rows []unsafe.Pointer, res sql.Result, omitted []*fields.Field) error {
	rest := omitted
	first := int64(-1)
	if t.Auto != nil && t.Auto.IsZero(rows[0]) {
		id, err := res.LastInsertId()
		if err != nil {
			return errorf("kinglet: orm: insert into %s: reading the generated key: %w", t.Name, err)
		}
		first = id
		for i, p := range rows {
			if err := setInt(t.Auto, p, first+int64(i)); err != nil {
				return err
			}
		}
		rest = rest[:0:0]
		for _, f := range omitted {
			if f != t.Auto {
				rest = append(rest, f)
			}
		}
	}
	if len(rest) == 0 || len(t.PK) == 0 {
		return nil
	}
	if first >= 0 && len(t.PK) == 1 {
		return c.readBackRange(ctx, t, rows, first, rest)
	}
	for _, p := range rows {
		if err := c.readBack(ctx, t, p, rest); err != nil {
			return err
		}
	}
	return nil
}

// readBackRange reads the given columns of rows, whose auto keys are
// first, first+1, …, with one SELECT ordered by key.
func (c *conn) readBackRange(ctx context.Context, t *fields.Table, rows []unsafe.Pointer, first int64, rest []*fields.Field) error {
	key := query.C(t.Auto.Column)
	cols := make([]query.Expr, 0, len(rest)+1)
	cols = append(cols, key)
	for _, f := range rest {
		cols = append(cols, query.C(f.Column))
	}
	last := first + int64(len(rows)) - 1
	q := query.Select(cols...).From(query.Table(t.Name)).Where(key.Between(first, last)).OrderBy(key)
	r, o, err := c.queryOf(ctx, about{op: opSelect, table: t.Name}, q)
	if err != nil {
		return errorf("kinglet: orm: insert into %s: reading defaults: %w", t.Name, err)
	}
	i := 0
	defer func() { r.Close(); o.read(r, i) }()
	var id int64
	dst := make([]any, len(cols))
	times := timeFields(rest) // once, not per row
	for r.Next() {
		if i >= len(rows) {
			break
		}
		dst[0] = &id
		for j, f := range rest {
			dst[j+1] = f.Ptr(rows[i])
		}
		if err := r.Scan(dst...); err != nil {
			return errorf("kinglet: orm: insert into %s: reading defaults: %w", t.Name, err)
		}
		toUTC(times, rows[i])
		if id != first+int64(i) {
			return fmt.Errorf("kinglet: orm: insert into %s: generated keys are not consecutive (found %d, want %d); see InsertMany", t.Name, id, first+int64(i))
		}
		i++
	}
	if err := r.Err(); err != nil {
		return dbErr(err)
	}
	if i != len(rows) {
		return fmt.Errorf("kinglet: orm: insert into %s: read back %d of %d inserted rows", t.Name, i, len(rows))
	}
	return dbErr(r.Close())
}

// argBufs holds the argument slices of many-row INSERTs for reuse: database/sql
// copies the arguments into its own before the driver sees them (and so does
// pgArgs on a DB from OpenPool), so a slice is free again once the statement
// has run.
var argBufs = sync.Pool{New: func() any { return new([]any) }}

// maxPooledArgs bounds the slices argBufs keeps (about 128 KiB each).
const maxPooledArgs = 8192

// batchArgs returns an empty slice with room for n arguments, from argBufs,
// and the pooled buffer to hand to putArgs (nil when not pooled). Query
// hooks see a copy of the slice (QueryEvent.Args), not the pooled one.
func (c *conn) batchArgs(n int) (*[]any, []any) {
	if n > maxPooledArgs {
		return nil, make([]any, 0, n)
	}
	bp := argBufs.Get().(*[]any)
	if cap(*bp) < n {
		*bp = make([]any, 0, n)
	}
	return bp, (*bp)[:0]
}

// putArgs gives a buffer from batchArgs back, without the references to the
// rows' values it held.
func putArgs(bp *[]any) {
	if bp != nil {
		clear((*bp)[:cap(*bp)])
		argBufs.Put(bp)
	}
}

package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"unsafe"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// ErrNoPrimaryKey is returned by operations that address a row by primary key
// on a model without one.
var ErrNoPrimaryKey = errors.New("kinglet: orm: model has no primary key")

// ErrZeroKey is returned by Update and Delete of a model whose
// auto-increment key is zero: a model that was never inserted (or read),
// whose write would find no row, or the wrong one.
var ErrZeroKey = errors.New("kinglet: orm: zero primary key")

// ErrInvalidArgument is wrapped by errors for an argument an API cannot
// take: a model that is not a non-nil pointer to a struct, key values that
// do not match the primary key, a bad slice for InsertMany.
var ErrInvalidArgument = errors.New("kinglet: orm: invalid argument")

// modelPtr checks that model is a non-nil pointer to a struct and returns its
// metadata and address.
func modelPtr(op string, model any) (*fields.Table, unsafe.Pointer, error) {
	rv := reflect.ValueOf(model)
	if !rv.IsValid() || rv.Kind() != reflect.Pointer || rv.Type().Elem().Kind() != reflect.Struct {
		return nil, nil, fmt.Errorf("%w: %s needs a pointer to a model struct, got %T", ErrInvalidArgument, op, model)
	}
	if rv.IsNil() {
		return nil, nil, fmt.Errorf("%w: %s got a nil %T", ErrInvalidArgument, op, model)
	}
	t, err := fields.TableOf(rv.Type().Elem())
	if err != nil {
		return nil, nil, err
	}
	if t.Name == "" {
		return nil, nil, fmt.Errorf("kinglet: orm: %s: %s has no table name", op, rv.Type().Elem())
	}
	return t, rv.UnsafePointer(), nil
}

// stmtKey identifies a statement whose SQL depends only on the model, the
// dialect, the operation and which columns take part.
type stmtKey struct {
	t    *fields.Table
	d    dialect.Dialect
	op   string
	mask string // one byte per field: which columns take part
}

type stmt struct {
	sql  string
	cols []*fields.Field // bound in this order (a nil entry stands for nothing)
	ret  []*fields.Field // RETURNING columns, scanned in this order
	// retPlan reads ret on pgx (a DB from OpenPool).
	retPlan *scanPlan
	// vals are the arguments (by position in cols) whose values the engine
	// may not give back, checked against lim per call; see limit.
	vals []argCheck
	lim  *dialect.Limits
	// table is the statement's table, for the query hooks (QueryEvent.Table).
	table string
}

// returning sets the RETURNING columns, fields of t.
func (s *stmt) returning(t *fields.Table, fs []*fields.Field) {
	s.ret = fs
	s.retPlan = newPlan(t, fs)
}

// stmts is read on every Insert/Update/Delete/Get: a copy-on-write map
// looks a key up without boxing it (sync.Map's any key would allocate).
var stmts cowMap[stmtKey, *stmt]

func cachedStmt(k stmtKey, build func() (*stmt, error)) (*stmt, error) {
	if s, ok := stmts.load(k); ok {
		return s, nil
	}
	s, err := build()
	if err != nil {
		return nil, err
	}
	s.table = k.t.Name
	return stmts.store(k, s), nil
}

// appendArgs appends s's arguments, the values of its fields in the struct
// at ptr: callers pass a buffer on their stack (var buf [argsBuf]any;
// c.appendArgs(buf[:0], …)), which the statement can use without an
// allocation, as database/sql does not keep it.
func (c *conn) appendArgs(dst []any, s *stmt, ptr unsafe.Pointer) []any {
	if c.refArgs() {
		for _, f := range s.cols {
			dst = append(dst, f.ValueRef(ptr))
		}
		return dst
	}
	for _, f := range s.cols {
		dst = append(dst, f.Value(ptr))
	}
	return dst
}

// refArgs reports whether c's statements may take arguments that refer to
// the model's fields (fields.Field.ValueRef) instead of copies of their
// values, saving an allocation per string, time and large integer:
// database/sql converts and binds its arguments before the call returns,
// and the struct is not written while the statement runs. Query hooks,
// which may keep the event's arguments, get copies (see eventArgs). Not
// for a DB from OpenPool (or its Tx), whose pool's tracers may keep them.
func (c *conn) refArgs() bool { return c.pgx == nil && !c.pool }

// argsBuf is the size of the argument and scan buffers kept on the stack;
// more columns than that take one allocation.
const argsBuf = 16

// insertPlan decides which fields an INSERT writes: every field, except the
// auto-increment key while it is zero, a nil pointer field with a database
// default, and a zero time with default:now — those the database fills and
// Insert reads back. The result is cached per table and shared: read only.
func insertPlan(t *fields.Table, ptr unsafe.Pointer) (mask []byte, omitted []*fields.Field) {
	sh := insertShapeOf(t, ptr)
	return sh.mask, sh.omitted
}

// insertPlanSlow computes insertPlan's outcome; see insertShapeOf.
func insertPlanSlow(t *fields.Table, ptr unsafe.Pointer) (mask []byte, omitted []*fields.Field) {
	mask = make([]byte, len(t.Fields))
	for i, f := range t.Fields {
		skip := false
		switch {
		case f.Auto:
			skip = f.IsZero(ptr)
		case f.DefaultNow || (f.HasDefault && f.Type.Kind() == reflect.Pointer):
			skip = f.IsZero(ptr)
		}
		if skip {
			omitted = append(omitted, f)
		} else {
			mask[i] = 1
		}
	}
	return mask, omitted
}

// Insert writes model (a pointer to a struct) as a new row and fills in what
// the database generated: the auto-increment key, and the defaults of omitted
// fields (see insertPlan). On PostgreSQL, SQLite and MariaDB one statement
// does both (RETURNING); on MySQL the key comes from LastInsertId and
// defaults from a SELECT by key. A value the engine would not give back
// (see dialect.Limits) is ErrInvalidValue, and nothing is written.
func (c *conn) Insert(ctx context.Context, model any) error {
	t, ptr, err := modelPtr("Insert", model)
	if err != nil {
		return err
	}
	if h, ok := model.(BeforeInserter); ok {
		if err := h.BeforeInsert(ctx); err != nil {
			return err
		}
	}
	if err := c.insert(ctx, t, ptr); err != nil {
		return err
	}
	if h, ok := model.(AfterInserter); ok {
		return h.AfterInsert(ctx)
	}
	return nil
}

// insert is Insert without the model hooks.
func (c *conn) insert(ctx context.Context, t *fields.Table, ptr unsafe.Pointer) error {
	sh := insertShapeOf(t, ptr)
	mask, omitted := sh.mask, sh.omitted
	returning := c.d.Has(dialect.InsertReturning)
	s, err := cachedStmt(stmtKey{t, c.d, "insert", sh.key}, func() (*stmt, error) {
		s := &stmt{}
		cols := make([]string, 0, len(t.Fields))
		vals := make([]any, 0, len(t.Fields))
		for i, f := range t.Fields {
			if mask[i] == 1 {
				s.cols = append(s.cols, f)
				cols = append(cols, f.Column)
				vals = append(vals, query.V(nil)) // placeholder; values bound per call
			}
		}
		q := query.Insert(query.Table(t.Name))
		if len(cols) == 0 {
			q = q.DefaultValues()
		} else {
			q = q.Columns(cols...).Values(vals...)
		}
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
	var buf [argsBuf]any
	a := c.appendArgs(buf[:0], s, ptr)
	if len(s.vals) > 0 {
		if err := s.checkArgs(a); err != nil {
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
	}
	if len(s.ret) > 0 && c.native() {
		rs, more, err := c.pgQuery(ctx, s.sql, a, s.retPlan)
		if err != nil {
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
		if err := pgReturning(rs, more, s, []unsafe.Pointer{ptr}); err != nil {
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
	} else if len(s.ret) > 0 {
		if err := c.wlock.lock(ctx); err != nil { // a write: see writeLock
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
		defer c.wlock.unlock()
		rows, o, err := c.queryStmt(ctx, s, a...)
		if err != nil {
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
		err = scanOne(rows, ptr, s.ret)
		o.readOne(rows, err)
		if err != nil {
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
	} else {
		res, err := c.execStmt(ctx, s, a...)
		if err != nil {
			return errorf("kinglet: orm: insert into %s: %w", t.Name, err)
		}
		if len(omitted) > 0 {
			if err := c.fillAfterInsert(ctx, t, ptr, res, omitted); err != nil {
				return err
			}
		}
	}
	return nil
}

// fillAfterInsert reads back generated values where there is no RETURNING.
func (c *conn) fillAfterInsert(ctx context.Context, t *fields.Table, ptr unsafe.Pointer, res sql.Result, omitted []*fields.Field) error {
	rest := omitted
	if t.Auto != nil && t.Auto.IsZero(ptr) {
		id, err := res.LastInsertId()
		if err != nil {
			return errorf("kinglet: orm: insert into %s: reading the generated key: %w", t.Name, err)
		}
		if err := setInt(t.Auto, ptr, id); err != nil {
			return err
		}
		rest = rest[:0:0]
		for _, f := range omitted {
			if f != t.Auto {
				rest = append(rest, f)
			}
		}
	}
	return c.readBack(ctx, t, ptr, rest)
}

// readBack reads the given columns of the row with model's primary key.
func (c *conn) readBack(ctx context.Context, t *fields.Table, ptr unsafe.Pointer, rest []*fields.Field) error {
	if len(rest) == 0 {
		return nil
	}
	if len(t.PK) == 0 {
		return nil // no way to find the row again; defaults stay unread
	}
	q := query.Select(columnsOf(rest)...).From(query.Table(t.Name)).Where(pkWhere(t, ptr)...)
	rows, o, err := c.queryOf(ctx, about{op: opSelect, table: t.Name}, q)
	if err != nil {
		return errorf("kinglet: orm: insert into %s: reading defaults: %w", t.Name, err)
	}
	err = scanOne(rows, ptr, rest)
	o.readOne(rows, err)
	return err
}

func setInt(f *fields.Field, ptr unsafe.Pointer, id int64) error {
	dst := f.Ptr(ptr)
	if s, ok := dst.(sql.Scanner); ok {
		return s.Scan(id)
	}
	rv := reflect.ValueOf(dst).Elem()
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		rv.SetInt(id)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		rv.SetUint(uint64(id))
	default:
		return fmt.Errorf("kinglet: orm: cannot store generated key %d in %s (%s)", id, f.GoName, f.Type)
	}
	return nil
}

// scanOne scans the single row of rows into the given fields of the struct
// at ptr; no row is ErrNotFound.
func scanOne(rows *sql.Rows, ptr unsafe.Pointer, fs []*fields.Field) error {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return dbErr(err)
		}
		return ErrNotFound
	}
	var buf [argsBuf]any
	dst := buf[:0]
	for _, f := range fs {
		dst = append(dst, f.Ptr(ptr))
	}
	if err := rows.Scan(dst...); err != nil {
		return err
	}
	toUTCAmong(fs, ptr)
	return dbErr(rows.Close())
}

func pkWhere(t *fields.Table, ptr unsafe.Pointer) []query.Expr {
	conds := make([]query.Expr, len(t.PK))
	for i, f := range t.PK {
		conds[i] = query.C(f.Column).Eq(f.Value(ptr))
	}
	return conds
}

// Update writes model's columns to its row, found by primary key. With no
// cols it writes every non-key column; with cols (column or Go field names)
// only those. Zero values are written like any other value. A row that does
// not exist is ErrNotFound; a model whose auto-increment key is zero is
// ErrZeroKey, before the database is asked. A value the engine would not
// give back (see dialect.Limits) is ErrInvalidValue.
func (c *conn) Update(ctx context.Context, model any, cols ...string) error {
	t, ptr, err := modelPtr("Update", model)
	if err != nil {
		return err
	}
	if len(t.PK) == 0 {
		return fmt.Errorf("%w: Update of %s", ErrNoPrimaryKey, t.Type)
	}
	if t.Auto != nil && t.Auto.IsZero(ptr) {
		return zeroKey("Update", t)
	}
	var mask string
	if len(cols) == 0 {
		mask = cacheOf(t).updateAll // every non-key column
	} else {
		m := make([]byte, len(t.Fields))
		for _, name := range cols {
			f, ok := t.FieldByColumn(name)
			if !ok {
				if f, ok = t.FieldByName(name); !ok {
					return fmt.Errorf("%w: Update of %s: %q is neither a column nor a field", ErrUnknownColumn, t.Type, name)
				}
			}
			for i := range t.Fields {
				if t.Fields[i] == f {
					m[i] = 1
				}
			}
		}
		mask = string(m)
	}
	if h, ok := model.(BeforeUpdater); ok {
		if err := h.BeforeUpdate(ctx); err != nil {
			return err
		}
	}
	s, err := cachedStmt(stmtKey{t, c.d, "update", mask}, func() (*stmt, error) {
		s := &stmt{}
		q := query.Update(query.Table(t.Name))
		for i, f := range t.Fields {
			if mask[i] == 1 {
				q = q.Set(f.Column, query.V(nil))
				s.cols = append(s.cols, f)
			}
		}
		for _, f := range t.PK {
			q = q.Where(query.C(f.Column).Eq(query.V(nil)))
			s.cols = append(s.cols, f)
		}
		s.limit(c.d)
		sqlText, _, err := query.Build(c.d, q)
		s.sql = sqlText
		return s, err
	})
	if err != nil {
		return errorf("kinglet: orm: update %s: %w", t.Name, err)
	}
	if len(s.cols) == len(t.PK) {
		return fmt.Errorf("kinglet: orm: update %s: no column to write", t.Name)
	}
	var buf [argsBuf]any
	a := c.appendArgs(buf[:0], s, ptr)
	if len(s.vals) > 0 {
		if err := s.checkArgs(a); err != nil {
			return errorf("kinglet: orm: update %s: %w", t.Name, err)
		}
	}
	res, err := c.execStmt(ctx, s, a...)
	if err != nil {
		return errorf("kinglet: orm: update %s: %w", t.Name, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errorf("kinglet: orm: update %s: %w", t.Name, ErrNotFound)
	}
	if h, ok := model.(AfterUpdater); ok {
		return h.AfterUpdate(ctx)
	}
	return nil
}

// zeroKey is the error of an Update or Delete of a model whose
// auto-increment key is zero.
func zeroKey(op string, t *fields.Table) error {
	return fmt.Errorf("%w: %s of %s: key field %s (column %s) is zero: insert the model first, or read it from the database",
		ErrZeroKey, op, t.Name, t.Auto.GoName, t.Auto.Column)
}

// Delete deletes model's row, found by primary key; a row that does not exist
// is ErrNotFound.
func (c *conn) Delete(ctx context.Context, model any) error {
	t, ptr, err := modelPtr("Delete", model)
	if err != nil {
		return err
	}
	if len(t.PK) == 0 {
		return fmt.Errorf("%w: Delete of %s", ErrNoPrimaryKey, t.Type)
	}
	if t.Auto != nil && t.Auto.IsZero(ptr) {
		return zeroKey("Delete", t)
	}
	if h, ok := model.(BeforeDeleter); ok {
		if err := h.BeforeDelete(ctx); err != nil {
			return err
		}
	}
	s, err := cachedStmt(stmtKey{t, c.d, "delete", ""}, func() (*stmt, error) {
		s := &stmt{cols: t.PK}
		q := query.Delete(query.Table(t.Name))
		for _, f := range t.PK {
			q = q.Where(query.C(f.Column).Eq(query.V(nil)))
		}
		sqlText, _, err := query.Build(c.d, q)
		s.sql = sqlText
		return s, err
	})
	if err != nil {
		return errorf("kinglet: orm: delete from %s: %w", t.Name, err)
	}
	var buf [argsBuf]any
	res, err := c.execStmt(ctx, s, c.appendArgs(buf[:0], s, ptr)...)
	if err != nil {
		return errorf("kinglet: orm: delete from %s: %w", t.Name, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errorf("kinglet: orm: delete from %s: %w", t.Name, ErrNotFound)
	}
	if h, ok := model.(AfterDeleter); ok {
		return h.AfterDelete(ctx)
	}
	return nil
}

// columnsOf is the unqualified column of each field, e.g. for RETURNING.
func columnsOf(fs []*fields.Field) []query.Expr {
	out := make([]query.Expr, len(fs))
	for i, f := range fs {
		out[i] = query.C(f.Column)
	}
	return out
}

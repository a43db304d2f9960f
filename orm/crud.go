package orm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"unsafe"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// Get returns the T whose primary key is pk (one value per key column, in
// declaration order), or an error wrapping ErrNotFound.
func Get[T any](ctx context.Context, c Conn, pk ...any) (T, error) {
	var zero T
	t, err := tableOf[T]()
	if err != nil {
		return zero, err
	}
	if len(t.PK) == 0 {
		return zero, fmt.Errorf("%w: Get of %s", ErrNoPrimaryKey, t.Type)
	}
	if err := checkKey(t, pk); err != nil {
		return zero, err
	}
	if err := checkKeyValues(c, t, pk); err != nil {
		return zero, err
	}
	var v T
	if cc, fast := getConn(c, t, pk); fast {
		v, err = getByKey[T](ctx, cc, t, pk)
	} else {
		s := Select[T](c)
		tbl := query.Table(t.Name)
		for i, f := range t.PK {
			s = s.Where(tbl.C(f.Column).Eq(pk[i]))
		}
		v, err = s.One(ctx)
	}
	if errors.Is(err, ErrNotFound) {
		// A copy: formatting pk itself would make every caller's key slice escape.
		return zero, errorf("kinglet: orm: %s with key %v: %w", t.Name, slices.Clone(pk), ErrNotFound)
	}
	return v, err
}

// getConn reports whether Get can take its fast path, a cached statement:
// a usable connection, a named table, and key values that bind as they are
// (not nil, which Eq renders IS NULL, nor an expression).
func getConn(c Conn, t *fields.Table, pk []any) (*conn, bool) {
	if t.Name == "" {
		return nil, false
	}
	cc, err := coreOf(c)
	if err != nil {
		return nil, false
	}
	for _, v := range pk {
		if _, isExpr := v.(query.Expr); v == nil || isExpr {
			return nil, false
		}
	}
	return cc, true
}

// getByKey is Get through a statement cached per (table, dialect): the
// SELECT that Select[T] renders for a key lookup, but with unqualified
// columns (one table), without the LIMIT 2 and without looking for a second
// row (a primary key matches one row at most), scanned with T's fixed plan.
func getByKey[T any](ctx context.Context, cc *conn, t *fields.Table, pk []any) (_ T, err error) {
	var zero T
	s, err := cachedStmt(stmtKey{t, cc.d, "get", ""}, func() (*stmt, error) {
		tc := cacheOf(t)
		tbl := query.Table(t.Name)
		q := query.Select(tc.plainCols...).From(tbl)
		for _, f := range t.PK {
			q = q.Where(query.C(f.Column).Eq(query.V(nil)))
		}
		sqlText, _, err := query.BuildChecked(cc.d, q, tc.check)
		return &stmt{sql: sqlText, cols: t.PK}, err
	})
	if err != nil {
		return zero, err
	}
	if cc.native() {
		out, err := pgxAll[T](ctx, cc, t.Name, t, cacheOf(t).plan, s.sql, pk, 1)
		switch {
		case err != nil:
			return zero, err
		case len(out) == 0:
			return zero, ErrNotFound
		}
		return out[0], nil
	}
	rows, o, err := cc.queryStmt(ctx, s, pk...)
	if err != nil {
		return zero, errorf("kinglet: orm: select from %s: %w", t.Name, err)
	}
	defer func() { rows.Close(); o.readOne(rows, err) }()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return zero, dbErr(err)
		}
		return zero, ErrNotFound
	}
	var v T
	tc := cacheOf(t)
	if err := scanRow(rows, tc.plan, &v); err != nil {
		return zero, err
	}
	if tc.afterScan {
		// On the heap for the hook, so that v stays on the stack.
		h := new(T)
		*h = v
		if err := any(h).(AfterScanner).AfterScan(ctx); err != nil {
			return zero, err
		}
		v = *h
	}
	// No second Next: the key is the table's primary key, so it matches one
	// row at most, and Close (deferred) ends the statement as QueryRow does.
	return v, dbErr(rows.Close())
}

// Upsert inserts model, or, when a row with the same conflict columns (a
// unique key) exists, updates that row's other columns to model's values;
// either way model's key is filled in. On MySQL the conflict columns are not
// written (ON DUPLICATE KEY UPDATE fires on any unique key).
func (c *conn) Upsert(ctx context.Context, model any, conflictCols ...string) error {
	t, ptr, err := modelPtr("Upsert", model)
	if err != nil {
		return err
	}
	if len(conflictCols) == 0 {
		return fmt.Errorf("%w: Upsert of %s needs the conflict columns (a unique key)", ErrInvalidArgument, t.Type)
	}
	target := map[string]bool{}
	for _, col := range conflictCols {
		f, ok := t.FieldByColumn(col)
		if !ok {
			return fmt.Errorf("%w: Upsert of %s: no column %q", ErrUnknownColumn, t.Type, col)
		}
		target[f.Column] = true
	}
	if h, ok := model.(BeforeInserter); ok {
		if err := h.BeforeInsert(ctx); err != nil {
			return err
		}
	}
	mask, _ := insertPlan(t, ptr)
	returning := c.d.Has(dialect.InsertReturning) && t.Auto != nil
	s, err := cachedStmt(stmtKey{t, c.d, "upsert:" + fmt.Sprint(conflictCols), string(mask)}, func() (*stmt, error) {
		s := &stmt{}
		var cols []string
		var vals []any
		var sets []query.Assignment
		for i, f := range t.Fields {
			if mask[i] == 0 {
				continue
			}
			s.cols = append(s.cols, f)
			cols = append(cols, f.Column)
			vals = append(vals, query.V(nil))
			if !target[f.Column] && !f.PK {
				sets = append(sets, query.Assign(f.Column, query.Excluded(f.Column)))
			}
		}
		if t.Auto != nil && c.d.Has(dialect.UpsertOnDuplicateKey) {
			// Make LastInsertId report the existing row's key on update.
			col := query.C(t.Auto.Column)
			sets = append(sets, query.Assign(t.Auto.Column, query.Func("LAST_INSERT_ID", col)))
		}
		if len(sets) == 0 {
			// Nothing to update: keep the row, but still touch it so the
			// statement stays an upsert with a key to return.
			first := conflictCols[0]
			sets = append(sets, query.Assign(first, query.Excluded(first)))
		}
		q := query.Insert(query.Table(t.Name)).Columns(cols...).Values(vals...).
			OnConflict(query.Conflict(conflictCols...).DoUpdate(sets...))
		if returning {
			q = q.Returning(query.C(t.Auto.Column))
			s.returning(t, []*fields.Field{t.Auto})
		}
		s.limit(c.d)
		sqlText, _, err := query.Build(c.d, q)
		s.sql = sqlText
		return s, err
	})
	if err != nil {
		return errorf("kinglet: orm: upsert into %s: %w", t.Name, err)
	}
	var buf [argsBuf]any
	a := c.appendArgs(buf[:0], s, ptr)
	if len(s.vals) > 0 {
		if err := s.checkArgs(a); err != nil {
			return errorf("kinglet: orm: upsert into %s: %w", t.Name, err)
		}
	}
	if len(s.ret) > 0 && c.native() {
		rs, more, err := c.pgQuery(ctx, s.sql, a, s.retPlan)
		if err != nil {
			return errorf("kinglet: orm: upsert into %s: %w", t.Name, err)
		}
		if err := pgReturning(rs, more, s, []unsafe.Pointer{ptr}); err != nil {
			return errorf("kinglet: orm: upsert into %s: %w", t.Name, err)
		}
	} else if len(s.ret) > 0 {
		if err := c.wlock.lock(ctx); err != nil { // a write: see writeLock
			return errorf("kinglet: orm: upsert into %s: %w", t.Name, err)
		}
		defer c.wlock.unlock()
		rows, o, err := c.queryStmt(ctx, s, a...)
		if err != nil {
			return errorf("kinglet: orm: upsert into %s: %w", t.Name, err)
		}
		err = scanOne(rows, ptr, s.ret)
		o.readOne(rows, err)
		if err != nil {
			return errorf("kinglet: orm: upsert into %s: %w", t.Name, err)
		}
	} else {
		res, err := c.execStmt(ctx, s, a...)
		if err != nil {
			return errorf("kinglet: orm: upsert into %s: %w", t.Name, err)
		}
		if t.Auto != nil {
			id, err := res.LastInsertId()
			if err != nil {
				return errorf("kinglet: orm: upsert into %s: reading the key: %w", t.Name, err)
			}
			if err := setInt(t.Auto, ptr, id); err != nil {
				return err
			}
		}
	}
	if h, ok := model.(AfterInserter); ok {
		return h.AfterInsert(ctx)
	}
	return nil
}

// GetOrCreate looks up the row whose lookup columns (column or Go field
// names) equal model's values; if found, model is filled from it, otherwise
// model is inserted. A concurrent insert of the same row (a unique violation)
// is resolved by reading the winner's row. created reports which happened.
func GetOrCreate[T any](ctx context.Context, c Conn, model *T, lookup ...string) (created bool, err error) {
	t, err := tableOf[T]()
	if err != nil {
		return false, err
	}
	if model == nil {
		return false, fmt.Errorf("%w: GetOrCreate got a nil *%s", ErrInvalidArgument, t.Type.Name())
	}
	if len(lookup) == 0 {
		return false, fmt.Errorf("%w: GetOrCreate of %s needs lookup columns", ErrInvalidArgument, t.Type)
	}
	ptr := unsafe.Pointer(model)
	s := Select[T](c)
	tbl := query.Table(t.Name)
	for _, name := range lookup {
		f, ok := t.FieldByColumn(name)
		if !ok {
			if f, ok = t.FieldByName(name); !ok {
				return false, fmt.Errorf("%w: GetOrCreate of %s: no column %q", ErrUnknownColumn, t.Type, name)
			}
		}
		s = s.Where(tbl.C(f.Column).Eq(f.Value(ptr)))
	}
	found, err := s.One(ctx)
	if err == nil {
		*model = found
		return false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	cc, err := coreOf(c)
	if err != nil {
		return false, err
	}
	insert := cc.Insert
	if tx, ok := c.(*Tx); ok {
		// Inside a transaction a failed INSERT aborts it on PostgreSQL, so
		// try it under a savepoint.
		insert = func(ctx context.Context, m any) error {
			return tx.Tx(ctx, func(inner *Tx) error { return inner.Insert(ctx, m) })
		}
	}
	insErr := insert(ctx, model)
	if insErr == nil {
		return true, nil
	}
	if !IsUniqueViolation(insErr) {
		return false, insErr
	}
	found, err = s.One(ctx)
	if err != nil {
		return false, errors.Join(insErr, err)
	}
	*model = found
	return false, nil
}

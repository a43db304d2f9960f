package orm

import (
	"context"
	"fmt"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// UpdateQuery is a bulk UPDATE of T's table. Like every query builder in
// kinglet it is immutable; without Where it refuses to run unless AllRows.
type UpdateQuery[T any] struct {
	c   Conn
	t   *fields.Table
	q   query.UpdateQuery
	err error
}

// Update starts a bulk UPDATE of T's table:
// orm.Update[User](db).Set("active", false).Where(…).Exec(ctx).
func Update[T any](c Conn) UpdateQuery[T] {
	t, err := tableOf[T]()
	u := UpdateQuery[T]{c: c, t: t, err: err}
	if err == nil {
		u.q = query.Update(query.Table(t.Name))
	}
	return u
}

// Set adds col = v (an Expr, or a value bound as a parameter). A value must
// fit the model field of col: its own Go type, or one that converts to it
// without loss (an int for an int64 field, an untyped constant, nil for a
// nullable one; see fields.Field.Arg). Another value, or one the engine
// would not give back (a NaN on SQLite, a time outside its range), makes
// Exec fail with an error wrapping ErrInvalidValue that names the table,
// the column, the field's type and the value's, before the database is
// called.
func (u UpdateQuery[T]) Set(col string, v any) UpdateQuery[T] {
	if u.err != nil {
		return u // Exec reports it
	}
	f, ok := u.t.FieldByColumn(col)
	if !ok {
		u.err = fmt.Errorf("%w: %s has no column %q (model %s)", ErrUnknownColumn, u.t.Name, col, u.t.Type)
		return u
	}
	if v, u.err = setArg(u.t, f, v); u.err == nil {
		u.q = u.q.Set(col, v)
	}
	return u
}

// SetAll adds assignments, e.g. from typed columns: SetAll(Active.Set(false)).
// A typed handle's Set is checked against the engine's limits as Set is;
// an assignment made with query.Assign binds its value as it is.
func (u UpdateQuery[T]) SetAll(as ...query.Assignment) UpdateQuery[T] {
	for _, a := range as {
		if u.err != nil {
			break
		}
		if _, ok := u.t.FieldByColumn(a.Column()); !ok && a.Column() != badColumn {
			u.err = fmt.Errorf("%w: %s has no column %q (model %s)", ErrUnknownColumn, u.t.Name, a.Column(), u.t.Type)
		}
	}
	u.q = u.q.SetAll(as...)
	return u
}

// Where adds conditions, ANDed.
func (u UpdateQuery[T]) Where(conds ...query.Expr) UpdateQuery[T] {
	u.q = u.q.Where(conds...)
	return u
}

// OrWhere ORs conds with the conditions so far.
func (u UpdateQuery[T]) OrWhere(conds ...query.Expr) UpdateQuery[T] {
	u.q = u.q.OrWhere(conds...)
	return u
}

// AllRows confirms that updating every row is intended.
func (u UpdateQuery[T]) AllRows() UpdateQuery[T] { u.q = u.q.AllRows(); return u }

// Exec runs the update and returns the number of rows affected.
func (u UpdateQuery[T]) Exec(ctx context.Context) (int64, error) {
	if u.err != nil {
		return 0, u.err
	}
	cc, err := coreOf(u.c)
	if err != nil {
		return 0, err
	}
	// The table's cached column check, rather than a closure per call.
	sqlText, args, err := u.q.BuildChecked(cc.d, cacheOf(u.t).check)
	return execCount(ctx, cc, u.t, sqlText, args, err)
}

// DeleteQuery is a bulk DELETE from T's table; without Where it refuses to
// run unless AllRows.
type DeleteQuery[T any] struct {
	c   Conn
	t   *fields.Table
	q   query.DeleteQuery
	err error
}

// Delete starts a bulk DELETE from T's table:
// orm.Delete[Tweet](db).Where(…).Exec(ctx).
func Delete[T any](c Conn) DeleteQuery[T] {
	t, err := tableOf[T]()
	d := DeleteQuery[T]{c: c, t: t, err: err}
	if err == nil {
		d.q = query.Delete(query.Table(t.Name))
	}
	return d
}

// Where adds conditions, ANDed.
func (d DeleteQuery[T]) Where(conds ...query.Expr) DeleteQuery[T] {
	d.q = d.q.Where(conds...)
	return d
}

// OrWhere ORs conds with the conditions so far.
func (d DeleteQuery[T]) OrWhere(conds ...query.Expr) DeleteQuery[T] {
	d.q = d.q.OrWhere(conds...)
	return d
}

// AllRows confirms that deleting every row is intended.
func (d DeleteQuery[T]) AllRows() DeleteQuery[T] { d.q = d.q.AllRows(); return d }

// Exec runs the delete and returns the number of rows affected.
func (d DeleteQuery[T]) Exec(ctx context.Context) (int64, error) {
	if d.err != nil {
		return 0, d.err
	}
	cc, err := coreOf(d.c)
	if err != nil {
		return 0, err
	}
	sqlText, args, err := d.q.BuildChecked(cc.d, cacheOf(d.t).check)
	return execCount(ctx, cc, d.t, sqlText, args, err)
}

// execCount runs a bulk statement built with buildErr and returns the number
// of rows affected.
func execCount(ctx context.Context, cc *conn, t *fields.Table, sqlText string, args []any, buildErr error) (int64, error) {
	if buildErr != nil {
		return 0, buildErr
	}
	res, err := cc.exec(ctx, about{table: t.Name}, sqlText, nil, args)
	if err != nil {
		return 0, errorf("kinglet: orm: %s: %w", t.Name, err)
	}
	return res.RowsAffected()
}

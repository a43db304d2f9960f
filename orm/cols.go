package orm

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// Col is a column handle whose comparisons take values of the column's Go
// type V, so the compiler checks them. It embeds query.Ex for every other
// operator. Make one from a model field without code generation:
//
//	var UserID = orm.Field(func(u *User) *int64 { return &u.ID })
//	orm.Select[User](db).Where(UserID.Eq(42))   // UserID.Eq("42") does not compile
//
// On a nullable field (V a pointer, sql.Null[T], sql.NullString, …) a NULL
// value compares as SQL means it: Eq(nil) is IS NULL, Ne(nil) IS NOT NULL,
// In and NotIn take NULL apart from the other values (see In), and an
// ordering (Lt, Between, …) with NULL, never true, fails the query's build.
// NullField gives such a column's handle whose comparisons take the plain
// value instead of a pointer.
type Col[V any] struct {
	query.Ex
	name string
	t    *fields.Table // nil for a bad handle
	f    *fields.Field
}

// Field returns the column handle of the model field that sel points to.
// sel must return the address of a field of its argument (the usual
// func(u *User) *T { return &u.F }); anything else yields a handle whose
// queries fail to build with an error naming the problem.
func Field[T, V any](sel func(*T) *V) Col[V] {
	var zero T
	t, err := tableOf[T]()
	if err != nil {
		return badCol[V](err)
	}
	p := sel(&zero)
	if p == nil {
		return badCol[V](fmt.Errorf("%w: Field selector for %s returned nil", ErrInvalidArgument, t.Type))
	}
	off := uintptr(unsafe.Pointer(p)) - uintptr(unsafe.Pointer(&zero))
	vt := reflect.TypeFor[V]()
	for _, f := range t.Fields {
		if len(f.Index) == 0 {
			continue
		}
		sf := t.Type.FieldByIndex(f.Index[:1])
		if len(f.Index) == 1 && sf.Offset == off && sf.Type == vt {
			return colFor[V](t, f)
		}
		// A field of an embedded struct: compare its full offset.
		if len(f.Index) > 1 {
			if o, ok := fieldOffset(t.Type, f.Index); ok && o == off && f.Type == vt {
				return colFor[V](t, f)
			}
		}
	}
	return badCol[V](fmt.Errorf("%w: Field selector for %s does not point at a column field of type %s", ErrInvalidArgument, t.Type, vt))
}

// fieldOffset is the byte offset of the field at index in t, when no pointer
// is crossed on the way.
func fieldOffset(t reflect.Type, index []int) (uintptr, bool) {
	var off uintptr
	for i, x := range index {
		if t.Kind() != reflect.Struct {
			return 0, false
		}
		sf := t.Field(x)
		off += sf.Offset
		t = sf.Type
		if i < len(index)-1 && t.Kind() == reflect.Pointer {
			return 0, false
		}
	}
	return off, true
}

// ColOf returns the typed handle of T's column named col (column or Go field
// name), checking at run time that its Go type is V.
func ColOf[V, T any](col string) Col[V] {
	t, err := tableOf[T]()
	if err != nil {
		return badCol[V](err)
	}
	f, ok := t.FieldByColumn(col)
	if !ok {
		if f, ok = t.FieldByName(col); !ok {
			return badCol[V](fmt.Errorf("%w: %s has no column %q", ErrUnknownColumn, t.Type, col))
		}
	}
	if vt := reflect.TypeFor[V](); f.Type != vt {
		return badCol[V](fmt.Errorf("%w: column %s.%s is %s, not %s", ErrInvalidArgument, t.Name, f.Column, f.Type, vt))
	}
	return colFor[V](t, f)
}

// colFor is the handle of t's field f, whose Go type is V.
func colFor[V any](t *fields.Table, f *fields.Field) Col[V] {
	return Col[V]{Ex: query.Table(t.Name).C(f.Column), name: f.Column, t: t, f: f}
}

// nullable reports whether c's column takes NULL, so that a NULL value is
// compared with IS NULL rather than bound.
func (c Col[V]) nullable() bool { return c.f != nil && c.f.Nullable }

func badCol[V any](err error) Col[V] { return Col[V]{Ex: query.E(failExpr{err})} }

type failExpr struct{ err error }

func (f failExpr) AppendSQL(b *query.Builder) { b.Fail(f.err) }

// Name is the column name.
func (c Col[V]) Name() string { return c.name }

// Eq is c = v; c IS NULL when v is NULL (a nil pointer, an invalid
// sql.Null[T]) and the column nullable.
func (c Col[V]) Eq(v V) query.Ex {
	if c.nullable() && isNull(v) {
		return c.Ex.IsNull()
	}
	return c.Ex.Eq(v)
}

// Ne is c <> v; c IS NOT NULL when v is NULL and the column nullable.
func (c Col[V]) Ne(v V) query.Ex {
	if c.nullable() && isNull(v) {
		return c.Ex.IsNotNull()
	}
	return c.Ex.Ne(v)
}

// Lt is c < v.
func (c Col[V]) Lt(v V) query.Ex { return c.order("<", v, c.Ex.Lt) }

// Le is c <= v.
func (c Col[V]) Le(v V) query.Ex { return c.order("<=", v, c.Ex.Le) }

// Gt is c > v.
func (c Col[V]) Gt(v V) query.Ex { return c.order(">", v, c.Ex.Gt) }

// Ge is c >= v.
func (c Col[V]) Ge(v V) query.Ex { return c.order(">=", v, c.Ex.Ge) }

// order is an ordering comparison: with NULL it is never true, which is
// an error rather than a query that silently matches nothing.
func (c Col[V]) order(op string, v V, cmp func(any) query.Ex) query.Ex {
	if c.nullable() && isNull(v) {
		return query.E(failExpr{c.nullErr(op)})
	}
	return cmp(v)
}

func (c Col[V]) nullErr(op string) error {
	return fmt.Errorf("%w: %s.%s %s NULL is never true: compare with IsNull or IsNotNull", ErrInvalidArgument, c.t.Name, c.name, op)
}

// In is c IN (vs…); empty is always false. On a nullable column a NULL
// among vs matches the rows where c is NULL: (c IN (…) OR c IS NULL), or
// c IS NULL alone.
func (c Col[V]) In(vs ...V) query.Ex {
	if c.nullable() {
		if rest, hasNull := withoutNulls(vs); hasNull {
			if len(rest) == 0 {
				return c.Ex.IsNull()
			}
			return query.Or(c.Ex.In(rest...), c.Ex.IsNull())
		}
	}
	return c.Ex.In(toAny(vs)...)
}

// NotIn is c NOT IN (vs…); empty is always true. On a nullable column a
// NULL among vs excludes the rows where c is NULL: (c NOT IN (…) AND c IS
// NOT NULL), or c IS NOT NULL alone (SQL's c NOT IN (…, NULL) is never
// true).
func (c Col[V]) NotIn(vs ...V) query.Ex {
	if c.nullable() {
		if rest, hasNull := withoutNulls(vs); hasNull {
			if len(rest) == 0 {
				return c.Ex.IsNotNull()
			}
			return query.And(c.Ex.NotIn(rest...), c.Ex.IsNotNull())
		}
	}
	return c.Ex.NotIn(toAny(vs)...)
}

// Between is c BETWEEN lo AND hi.
func (c Col[V]) Between(lo, hi V) query.Ex {
	if c.nullable() && (isNull(lo) || isNull(hi)) {
		return query.E(failExpr{c.nullErr("BETWEEN")})
	}
	return c.Ex.Between(lo, hi)
}

// isNull reports whether v binds as SQL NULL: nil, a nil pointer, map or
// slice, or a driver.Valuer whose value is nil (sql.Null[T]{}).
func isNull(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if rv.IsNil() {
			return true
		}
	}
	if dv, ok := v.(driver.Valuer); ok {
		x, err := dv.Value()
		return err == nil && x == nil
	}
	return false
}

// withoutNulls returns vs without its NULL values, and whether it had any.
func withoutNulls[V any](vs []V) ([]any, bool) {
	out := make([]any, 0, len(vs))
	for _, v := range vs {
		if !isNull(v) {
			out = append(out, v)
		}
	}
	return out, len(out) < len(vs)
}

// EqCol compares with another column of the same type: c = other.
func (c Col[V]) EqCol(other Col[V]) query.Ex { return c.Ex.Eq(other.Ex) }

// Set is the assignment c = v for bulk updates. A value the engine would
// not give back (a NaN on SQLite, a time outside its range) fails the
// query's build with an error wrapping ErrInvalidValue.
func (c Col[V]) Set(v V) query.Assignment {
	if c.name == "" {
		// A bad handle: its expression fails the build with the reason.
		return query.Assign(badColumn, c.Ex)
	}
	return assignTo(c.t, c.f, v)
}

// assignTo is the assignment of v to t's column f from a typed handle: v
// is checked against the engine's limits when the query is built.
func assignTo(t *fields.Table, f *fields.Field, v any) query.Assignment {
	if !limitedKind(f.Kind) {
		return query.Assign(f.Column, v)
	}
	a, err := f.Arg(v)
	switch {
	case err != nil:
		return query.Assign(f.Column, query.E(failExpr{errorf("kinglet: orm: update %s: %w", t.Name, err)}))
	case a == nil:
		return query.Assign(f.Column, nil)
	}
	return query.Assign(f.Column, writeArg{t, f, a})
}

// badColumn names the assignment of a bad handle; it never reaches SQL.
const badColumn = "kinglet_bad_column"

func toAny[V any](vs []V) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

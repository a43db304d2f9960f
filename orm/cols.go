package orm

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/kingletdb/kinglet/query"
)

// Col is a column handle whose comparisons take values of the column's Go
// type V, so the compiler checks them. It embeds query.Ex for every other
// operator. Make one from a model field without code generation:
//
//	var UserID = orm.Field(func(u *User) *int64 { return &u.ID })
//	orm.Select[User](db).Where(UserID.Eq(42))   // UserID.Eq("42") does not compile
type Col[V any] struct {
	query.Ex
	name string
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
		return badCol[V](fmt.Errorf("kinglet: orm: Field selector for %s returned nil", t.Type))
	}
	off := uintptr(unsafe.Pointer(p)) - uintptr(unsafe.Pointer(&zero))
	vt := reflect.TypeFor[V]()
	for _, f := range t.Fields {
		if len(f.Index) == 0 {
			continue
		}
		sf := t.Type.FieldByIndex(f.Index[:1])
		if len(f.Index) == 1 && sf.Offset == off && sf.Type == vt {
			return Col[V]{Ex: query.Table(t.Name).C(f.Column), name: f.Column}
		}
		// A field of an embedded struct: compare its full offset.
		if len(f.Index) > 1 {
			if o, ok := fieldOffset(t.Type, f.Index); ok && o == off && f.Type == vt {
				return Col[V]{Ex: query.Table(t.Name).C(f.Column), name: f.Column}
			}
		}
	}
	return badCol[V](fmt.Errorf("kinglet: orm: Field selector for %s does not point at a column field of type %s", t.Type, vt))
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
		return badCol[V](fmt.Errorf("kinglet: orm: column %s.%s is %s, not %s", t.Name, f.Column, f.Type, vt))
	}
	return Col[V]{Ex: query.Table(t.Name).C(f.Column), name: f.Column}
}

func badCol[V any](err error) Col[V] { return Col[V]{Ex: query.E(failExpr{err})} }

type failExpr struct{ err error }

func (f failExpr) AppendSQL(b *query.Builder) { b.Fail(f.err) }

// Name is the column name.
func (c Col[V]) Name() string { return c.name }

// Eq is c = v.
func (c Col[V]) Eq(v V) query.Ex { return c.Ex.Eq(v) }

// Ne is c <> v.
func (c Col[V]) Ne(v V) query.Ex { return c.Ex.Ne(v) }

// Lt is c < v.
func (c Col[V]) Lt(v V) query.Ex { return c.Ex.Lt(v) }

// Le is c <= v.
func (c Col[V]) Le(v V) query.Ex { return c.Ex.Le(v) }

// Gt is c > v.
func (c Col[V]) Gt(v V) query.Ex { return c.Ex.Gt(v) }

// Ge is c >= v.
func (c Col[V]) Ge(v V) query.Ex { return c.Ex.Ge(v) }

// In is c IN (vs…); empty is always false.
func (c Col[V]) In(vs ...V) query.Ex { return c.Ex.In(toAny(vs)...) }

// NotIn is c NOT IN (vs…); empty is always true.
func (c Col[V]) NotIn(vs ...V) query.Ex { return c.Ex.NotIn(toAny(vs)...) }

// Between is c BETWEEN lo AND hi.
func (c Col[V]) Between(lo, hi V) query.Ex { return c.Ex.Between(lo, hi) }

// EqCol compares with another column of the same type: c = other.
func (c Col[V]) EqCol(other Col[V]) query.Ex { return c.Ex.Eq(other.Ex) }

// Set is the assignment c = v for bulk updates.
func (c Col[V]) Set(v V) query.Assignment {
	if c.name == "" {
		// A bad handle: its expression fails the build with the reason.
		return query.Assign(badColumn, c.Ex)
	}
	return query.Assign(c.name, v)
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

package orm

import (
	"fmt"
	"reflect"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// NullCol is the handle of a nullable column whose values are of type V:
// a *V, sql.Null[V] or sql.NullString-style field, or a V field tagged
// null. Its comparisons take a plain V, so they need no pointer and never
// compare with NULL by mistake; IsNull and IsNotNull (from query.Ex) test
// for NULL, and EqPtr takes an optional value:
//
//	var UserEmail = orm.NullField(func(u *User) **string { return &u.Email })
//	orm.Select[User](db).Where(UserEmail.Eq("a@example.com"))   // email = ?
//	orm.Select[User](db).Where(UserEmail.IsNull())              // email IS NULL
//	orm.Select[User](db).Where(UserEmail.EqPtr(req.Email))      // either, by req.Email
//
// Comparisons follow SQL: Ne("a") does not match the rows where the
// column is NULL (use Ex.IsDistinctFrom for that).
type NullCol[V any] struct {
	query.Ex
	name string
	t    *fields.Table // nil for a bad handle
	f    *fields.Field
}

// NullField returns the handle of the nullable *V field that sel points to
// (func(u *User) **string { return &u.Email }); see Field.
func NullField[T, V any](sel func(*T) **V) NullCol[V] {
	c := Field[T, *V](sel)
	return NullCol[V]{Ex: c.Ex, name: c.name, t: c.t, f: c.f}
}

// NullColOf returns the handle of T's nullable column col (column or Go
// field name) whose values are of type V, checking at run time that the
// field is a *V, sql.Null[V], a database/sql null type holding a V
// (sql.NullString for string, …) or a V tagged null.
func NullColOf[V, T any](col string) NullCol[V] {
	t, err := tableOf[T]()
	if err != nil {
		return badNullCol[V](err)
	}
	f, ok := t.FieldByColumn(col)
	if !ok {
		if f, ok = t.FieldByName(col); !ok {
			return badNullCol[V](fmt.Errorf("%w: %s has no column %q", ErrUnknownColumn, t.Type, col))
		}
	}
	vt := reflect.TypeFor[V]()
	if !f.Nullable || nullElem(f.Type) != vt {
		return badNullCol[V](fmt.Errorf("%w: column %s.%s (%s) is not a nullable column of %s values", ErrInvalidArgument, t.Name, f.Column, f.Type, vt))
	}
	return NullCol[V]{Ex: query.Table(t.Name).C(f.Column), name: f.Column, t: t, f: f}
}

// nullElem is the type of the values a nullable field of type ft holds.
func nullElem(ft reflect.Type) reflect.Type {
	switch {
	case ft.Kind() == reflect.Pointer:
		return ft.Elem()
	case ft.Kind() == reflect.Struct && ft.PkgPath() == "database/sql" && ft.NumField() == 2 && ft.Field(1).Name == "Valid":
		return ft.Field(0).Type // sql.Null[V], sql.NullString, …
	}
	return ft
}

func badNullCol[V any](err error) NullCol[V] { return NullCol[V]{Ex: query.E(failExpr{err})} }

// Name is the column name.
func (c NullCol[V]) Name() string { return c.name }

// Eq is c = v.
func (c NullCol[V]) Eq(v V) query.Ex { return c.Ex.Eq(v) }

// Ne is c <> v (false where c is NULL, as SQL has it).
func (c NullCol[V]) Ne(v V) query.Ex { return c.Ex.Ne(v) }

// Lt is c < v.
func (c NullCol[V]) Lt(v V) query.Ex { return c.Ex.Lt(v) }

// Le is c <= v.
func (c NullCol[V]) Le(v V) query.Ex { return c.Ex.Le(v) }

// Gt is c > v.
func (c NullCol[V]) Gt(v V) query.Ex { return c.Ex.Gt(v) }

// Ge is c >= v.
func (c NullCol[V]) Ge(v V) query.Ex { return c.Ex.Ge(v) }

// In is c IN (vs…); empty is always false.
func (c NullCol[V]) In(vs ...V) query.Ex { return c.Ex.In(toAny(vs)...) }

// NotIn is c NOT IN (vs…); empty is always true. Rows where c is NULL
// do not match, as in SQL.
func (c NullCol[V]) NotIn(vs ...V) query.Ex { return c.Ex.NotIn(toAny(vs)...) }

// Between is c BETWEEN lo AND hi.
func (c NullCol[V]) Between(lo, hi V) query.Ex { return c.Ex.Between(lo, hi) }

// EqPtr is c = *v, or c IS NULL when v is nil: for a value that may be
// absent, such as an optional filter.
func (c NullCol[V]) EqPtr(v *V) query.Ex {
	if v == nil {
		return c.Ex.IsNull()
	}
	return c.Ex.Eq(*v)
}

// Set is the assignment c = v for bulk updates.
func (c NullCol[V]) Set(v V) query.Assignment {
	if c.name == "" {
		return query.Assign(badColumn, c.Ex)
	}
	return assignTo(c.t, c.f, v)
}

// SetNull is the assignment c = NULL for bulk updates.
func (c NullCol[V]) SetNull() query.Assignment {
	if c.name == "" {
		return query.Assign(badColumn, c.Ex)
	}
	return query.Assign(c.name, nil)
}

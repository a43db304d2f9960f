package orm

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"strings"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// checkKey refuses primary key values that cannot address a row of t: the
// wrong number of them, or a value whose type does not fit its column (an
// int64 key takes any integer type, a string key any string type; a
// driver.Valuer or a query expression is taken as it is).
func checkKey(t *fields.Table, pk []any) error {
	if len(pk) != len(t.PK) {
		cols := make([]string, len(t.PK))
		for i, f := range t.PK {
			cols[i] = f.Column
		}
		return fmt.Errorf("%w: %s has %d key column(s) (%s), got %d value(s)",
			ErrInvalidArgument, t.Type, len(t.PK), strings.Join(cols, ", "), len(pk))
	}
	for i, f := range t.PK {
		if !keyFits(f.Type, pk[i]) {
			return fmt.Errorf("%w: key column %s of %s is %s, got %T", ErrInvalidArgument, f.Column, t.Type, f.Type, pk[i])
		}
	}
	return nil
}

func keyFits(ft reflect.Type, v any) bool {
	switch v.(type) {
	case nil:
		return false
	case query.Expr, driver.Valuer:
		return true
	}
	vt := reflect.TypeOf(v)
	if ft.Kind() == reflect.Pointer {
		ft = ft.Elem()
	}
	if vt == ft {
		return true
	}
	fc, vc := keyClass(ft), keyClass(vt)
	return fc != 0 && fc == vc
}

// keyClass groups the kinds that bind interchangeably.
func keyClass(t reflect.Type) int {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return 1
	case reflect.String:
		return 2
	case reflect.Float32, reflect.Float64:
		return 3
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return 4
		}
	}
	return 0
}

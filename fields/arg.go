package fields

import (
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Arg returns v, a value to be written to f's column by a statement that
// does not come from a model (orm.Update[T].Set), as the bind argument
// Value gives for a field holding it. v may be of f's own Go type, or of a
// type that converts to it without loss:
//
//   - any integer type for an integer field, when the value fits (300 does
//     not fit an int8, -1 no unsigned field);
//   - an integer or a float for a float field, when the float holds the value
//     exactly (0.5 into a float32, not 0.1);
//   - named and unnamed twins of a basic type (a string for type Status
//     string, whose own Value method then applies);
//   - the element type, a pointer to it, or nil (SQL NULL) for a nullable
//     field (*T, sql.Null[T], sql.NullString, …, the null option);
//   - a pointer to any of these (nil is SQL NULL);
//   - an integer, a float or a decimal string for a decimal column;
//   - for a JSON[T] field, a T; for a field with the json option, a value of
//     its type, marshalled as Value does;
//   - another driver.Valuer, whose value must be one the column's kind takes
//     (an int64 for an integer column, a string or []byte for a string, …).
//
// Anything else — a string for an int64 column, a float for an int, a time
// for a string, nil for a NOT NULL column — is an error wrapping
// ErrInvalidValue that names the column, f's type and v's type.
//
// Arg checks types only: whether the engine can store the value (a NaN, a
// time outside its range) is dialect.Limits' to say.
func (f *Field) Arg(v any) (any, error) {
	if v == nil {
		return f.null(v)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && rv.Type() != f.Type {
		if rv.IsNil() {
			return f.null(v)
		}
		rv = rv.Elem()
	}
	if f.Kind == KindDecimal {
		if out, ok := decimalArg(rv); ok {
			return out, nil
		}
		if rv.Kind() == reflect.String && rv.String() != "" { // "" is the zero value: 0
			return nil, f.argErr(v, "not a decimal number")
		}
	}
	cv, why := f.convert(rv, f.Type)
	if why != "" {
		if dv, ok := v.(driver.Valuer); ok && rv.Type() != f.Type {
			return f.valuerArg(v, dv)
		}
		return nil, f.argErr(v, why)
	}
	p := reflect.New(f.Type)
	p.Elem().Set(cv)
	return f.conv.val(p.UnsafePointer()), nil
}

// null is Arg for a nil value: SQL NULL where the column takes it.
func (f *Field) null(v any) (any, error) {
	if f.Nullable {
		return nil, nil
	}
	return nil, f.argErr(v, "the column is NOT NULL")
}

func (f *Field) argErr(v any, why string) error {
	return fmt.Errorf("%w: column %s (Go type %s) cannot take %s: %s", ErrInvalidValue, f.Column, f.Type, describe(v), why)
}

// describe names a value for an error message: its type, and the value
// itself when it is short.
func describe(v any) string {
	if v == nil {
		return "nil"
	}
	var s string
	switch x := v.(type) {
	case string:
		s = strconv.Quote(x)
	case time.Time:
		s = x.Format(time.RFC3339Nano)
	case fmt.Stringer, error:
		s = "" // may be costly or long: the type says enough
	default:
		if k := reflect.TypeOf(v).Kind(); k <= reflect.Complex128 {
			s = fmt.Sprint(v)
		}
	}
	name := reflect.TypeOf(v).String()
	if s == "" || len(s) > 40 {
		return article(name) + name
	}
	return article(name) + name + " (" + s + ")"
}

// article is "an " before a vowel, else "a ".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an "
	}
	return "a "
}

// convert converts v to type to when that loses nothing, or says why not.
func (f *Field) convert(v reflect.Value, to reflect.Type) (reflect.Value, string) {
	vt := v.Type()
	if vt == to {
		return v, ""
	}
	if vt.Kind() == reflect.Pointer { // a pointer to the value: one level
		if v.IsNil() {
			if to.Kind() == reflect.Pointer || f.Nullable {
				return reflect.Zero(to), ""
			}
			return reflect.Value{}, "the column is NOT NULL"
		}
		return f.convert(v.Elem(), to)
	}
	switch {
	case to.Kind() == reflect.Pointer:
		cv, why := f.convert(v, to.Elem())
		if why != "" {
			return cv, why
		}
		p := reflect.New(to.Elem())
		p.Elem().Set(cv)
		return p, ""
	case isNullStruct(to):
		// sql.Null[T] and sql.NullString, …: the value, then Valid.
		cv, why := f.convert(v, to.Field(0).Type)
		if why != "" {
			return cv, why
		}
		out := reflect.New(to).Elem()
		out.Field(0).Set(cv)
		out.Field(1).SetBool(true)
		return out, ""
	case reflect.PointerTo(to).Implements(jsonType):
		cv, why := f.convert(v, to.Field(0).Type) // JSON[T]: its V
		if why != "" {
			return cv, why
		}
		out := reflect.New(to).Elem()
		out.Field(0).Set(cv)
		return out, ""
	}
	return convertBasic(v, to)
}

// isNullStruct reports whether t is sql.Null[T] or one of sql.NullString,
// sql.NullInt64, …: a value field, then a Valid bool.
func isNullStruct(t reflect.Type) bool {
	if _, ok := nullTypes[t]; ok {
		return true
	}
	return isGenericNull(t)
}

// convertBasic converts between types of the same basic kind family.
func convertBasic(v reflect.Value, to reflect.Type) (reflect.Value, string) {
	vk, tk := v.Kind(), to.Kind()
	switch {
	case isInt(tk) && isInt(vk):
		if reflect.Zero(to).OverflowInt(v.Int()) {
			return v, "it overflows " + to.String()
		}
	case isInt(tk) && isUint(vk):
		if u := v.Uint(); u > math.MaxInt64 || reflect.Zero(to).OverflowInt(int64(u)) {
			return v, "it overflows " + to.String()
		}
	case isUint(tk) && isInt(vk):
		if n := v.Int(); n < 0 || reflect.Zero(to).OverflowUint(uint64(n)) {
			return v, "it does not fit " + to.String()
		}
	case isUint(tk) && isUint(vk):
		if reflect.Zero(to).OverflowUint(v.Uint()) {
			return v, "it overflows " + to.String()
		}
	case isFloat(tk) && isFloat(vk):
		if x := v.Float(); tk == reflect.Float32 && float64(float32(x)) != x && !math.IsNaN(x) {
			return v, "a float32 cannot hold it exactly"
		}
	case isFloat(tk) && (isInt(vk) || isUint(vk)):
		if !exactFloat(v, tk == reflect.Float32) {
			return v, article(to.String()) + to.String() + " cannot hold it exactly"
		}
	case tk == reflect.String && vk == reflect.String,
		tk == reflect.Bool && vk == reflect.Bool,
		tk == reflect.Slice && vk == reflect.Slice && to.Elem() == byteType && v.Type().Elem() == byteType:
	case (tk == reflect.Array || tk == reflect.Struct) && tk == vk && v.Type().ConvertibleTo(to):
		// The same layout under another name ([16]byte for a UUID type).
	default:
		return v, article(v.Type().String()) + v.Type().String() + " does not convert to " + to.String()
	}
	return v.Convert(to), ""
}

func isInt(k reflect.Kind) bool   { return k >= reflect.Int && k <= reflect.Int64 }
func isUint(k reflect.Kind) bool  { return k >= reflect.Uint && k <= reflect.Uintptr }
func isFloat(k reflect.Kind) bool { return k == reflect.Float32 || k == reflect.Float64 }

// exactFloat reports whether the integer v is a float64 (float32 when
// single) exactly.
func exactFloat(v reflect.Value, single bool) bool {
	bits := 53
	if single {
		bits = 24
	}
	var mag uint64
	if isInt(v.Kind()) {
		n := v.Int()
		if n < 0 {
			mag = uint64(-(n + 1)) + 1
		} else {
			mag = uint64(n)
		}
	} else {
		mag = v.Uint()
	}
	if mag <= 1<<bits {
		return true
	}
	// Larger magnitudes are exact when their low bits are zero.
	for mag > 1<<bits {
		if mag&1 != 0 {
			return false
		}
		mag >>= 1
	}
	return true
}

// decimalArg takes an integer, a float or a decimal string for a decimal
// column as it is: the engine converts each exactly (a float as the float
// it is).
func decimalArg(v reflect.Value) (any, bool) {
	switch k := v.Kind(); {
	case isInt(k):
		return v.Int(), true
	case isUint(k) && v.Uint() <= math.MaxInt64:
		return int64(v.Uint()), true
	case isFloat(k):
		return v.Float(), true
	case k == reflect.String && isDecimal(v.String()):
		return v.String(), true
	}
	return nil, false
}

// valuerArg is Arg for a driver.Valuer of another type than f's: its value
// must be one f's kind takes.
func (f *Field) valuerArg(v any, dv driver.Valuer) (any, error) {
	val, err := dv.Value()
	if err != nil {
		return nil, fmt.Errorf("%w: column %s: %s.Value: %w", ErrInvalidValue, f.Column, reflect.TypeOf(v), err)
	}
	if val == nil {
		return f.null(v)
	}
	if why := fitsKind(f.Kind, val); why != "" {
		return nil, f.argErr(v, "its value is "+describe(val)+": "+why)
	}
	return val, nil
}

// intRange is the range of an integer kind, as far as an int64 reaches.
func intRange(k Kind) (lo, hi int64) {
	bits := intBits(k)
	if k >= KindUint8 {
		if bits == 64 {
			return 0, math.MaxInt64
		}
		return 0, 1<<bits - 1
	}
	if bits == 64 {
		return math.MinInt64, math.MaxInt64
	}
	return -1 << (bits - 1), 1<<(bits-1) - 1
}

// fitsKind says why driver value v does not fit a column of kind k, or "".
func fitsKind(k Kind, v any) string {
	ok := false
	switch x := v.(type) {
	case int64:
		switch {
		case k.IsInteger():
			if lo, hi := intRange(k); x < lo || x > hi {
				return "it overflows " + k.String()
			}
			ok = true
		case k == KindFloat32, k == KindFloat64, k == KindDecimal, k == KindBool && (x == 0 || x == 1):
			ok = true
		}
	case float64:
		ok = k == KindFloat32 || k == KindFloat64 || k == KindDecimal
	case bool:
		ok = k == KindBool
	case string:
		ok = k == KindString || k == KindJSON || k == KindUUID || k == KindBytes || k == KindDecimal && isDecimal(x)
	case []byte:
		ok = k == KindString || k == KindJSON || k == KindUUID || k == KindBytes || k == KindDecimal && isDecimal(string(x))
	case time.Time:
		ok = k == KindTime || k == KindDate
	}
	if !ok {
		return "not a value for " + article(k.String()) + k.String() + " column"
	}
	return ""
}

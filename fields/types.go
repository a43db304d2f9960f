package fields

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
)

var (
	timeType    = reflect.TypeFor[time.Time]()
	byteType    = reflect.TypeFor[byte]()
	scannerType = reflect.TypeFor[sql.Scanner]()
	valuerType  = reflect.TypeFor[driver.Valuer]()
	jsonType    = reflect.TypeFor[jsonMarker]()
)

// nullTypes are database/sql's nullable wrappers and the kind they hold.
var nullTypes = map[reflect.Type]Kind{
	reflect.TypeFor[sql.NullString]():  KindString,
	reflect.TypeFor[sql.NullInt64]():   KindInt64,
	reflect.TypeFor[sql.NullInt32]():   KindInt32,
	reflect.TypeFor[sql.NullInt16]():   KindInt16,
	reflect.TypeFor[sql.NullByte]():    KindUint8,
	reflect.TypeFor[sql.NullFloat64](): KindFloat64,
	reflect.TypeFor[sql.NullBool]():    KindBool,
	reflect.TypeFor[sql.NullTime]():    KindTime,
}

// basicKinds maps Go's basic kinds; int and uint are taken as 64-bit.
var basicKinds = map[reflect.Kind]Kind{
	reflect.Bool:    KindBool,
	reflect.Int:     KindInt64,
	reflect.Int8:    KindInt8,
	reflect.Int16:   KindInt16,
	reflect.Int32:   KindInt32,
	reflect.Int64:   KindInt64,
	reflect.Uint:    KindUint64,
	reflect.Uint8:   KindUint8,
	reflect.Uint16:  KindUint16,
	reflect.Uint32:  KindUint32,
	reflect.Uint64:  KindUint64,
	reflect.Float32: KindFloat32,
	reflect.Float64: KindFloat64,
	reflect.String:  KindString,
}

// goType is what a field's Go type alone says about its column.
type goType struct {
	kind     Kind
	nullable bool // a pointer, sql.Null* or sql.Null[T]
	custom   bool // implements sql.Scanner or driver.Valuer: kind: and decimal: may retag it
	ok       bool // storable in a column at all
}

// classify maps a field's Go type to a Kind. The rules, in order:
//   - *T is T, nullable (one level of pointer only);
//   - time.Time is KindTime; sql.NullString … sql.NullTime and sql.Null[T] are
//     nullable, of the kind they hold; JSON[T] is KindJSON;
//   - a slice of bytes is KindBytes;
//   - any type with a basic underlying kind (type Status string) maps by that
//     kind, whether or not it implements sql.Scanner/driver.Valuer;
//   - another type implementing both sql.Scanner (on its pointer) and
//     driver.Valuer is custom: a 16-byte array (uuid.UUID and the like) is
//     KindUUID, anything else (a struct such as decimal.Decimal) has no kind
//     until a kind:, decimal:, json or type: option gives one;
//   - everything else is unsupported.
func classify(t reflect.Type) goType {
	if t.Kind() == reflect.Pointer {
		g := classifyValue(t.Elem())
		g.nullable = g.ok
		return g
	}
	return classifyValue(t)
}

func classifyValue(t reflect.Type) goType {
	if t == timeType {
		return goType{kind: KindTime, ok: true}
	}
	if k, ok := nullTypes[t]; ok {
		return goType{kind: k, nullable: true, ok: true}
	}
	if isGenericNull(t) {
		v, _ := t.FieldByName("V")
		g := classify(v.Type)
		g.nullable = g.ok
		return g
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(jsonType) {
		return goType{kind: KindJSON, custom: true, ok: true}
	}
	scanner := pt.Implements(scannerType)
	valuer := pt.Implements(valuerType)
	custom := scanner || valuer
	if t.Kind() == reflect.Slice && t.Elem() == byteType {
		return goType{kind: KindBytes, custom: custom, ok: true}
	}
	if k, ok := basicKinds[t.Kind()]; ok {
		return goType{kind: k, custom: custom, ok: true}
	}
	if scanner && valuer {
		if t.Kind() == reflect.Array && t.Len() == 16 && t.Elem() == byteType {
			return goType{kind: KindUUID, custom: true, ok: true}
		}
		return goType{kind: KindInvalid, custom: true, ok: true}
	}
	return goType{}
}

// isGenericNull reports whether t is an instance of sql.Null[T].
func isGenericNull(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.PkgPath() == "database/sql" && strings.HasPrefix(t.Name(), "Null[")
}

// isValueType reports whether t (or *t) is stored in one column rather than
// flattened or treated as a relation: time.Time, sql.Null*, JSON[T], Scanners.
func isValueType(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return classifyValue(t).ok
}

// relationTarget returns the struct type behind S, *S, []S or []*S when that
// struct is not a value type, i.e. when the field looks like a relation.
func relationTarget(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || isValueType(t) {
		return nil, false
	}
	return t, true
}

// jsonable reports whether encoding/json can marshal a value of type t at all.
func jsonable(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return false
	}
	return true
}

// kindFits reports whether a kind: or decimal: option may retag a field of
// Go type g as want. Custom (Scanner/Valuer) types may take any kind: they
// convert themselves.
func kindFits(g goType, want Kind) bool {
	if want == g.kind || g.custom {
		return true
	}
	switch want {
	case KindDecimal:
		return g.kind == KindString || g.kind.IsInteger() || g.kind == KindFloat32 || g.kind == KindFloat64
	case KindUUID:
		return g.kind == KindString || g.kind == KindBytes
	case KindDate:
		return g.kind == KindTime || g.kind == KindString
	}
	return false
}

// checkDefault returns why a default: value does not fit kind k, or "".
// Defaults are values of the column's kind, not SQL expressions; "now" is the
// one expression, allowed on time and date columns.
func checkDefault(k Kind, v string) string {
	if v == "now" {
		if k == KindTime || k == KindDate {
			return ""
		}
		return "default:now needs a time or date column"
	}
	var err error
	switch k {
	case KindBool:
		_, err = strconv.ParseBool(v)
	case KindInt8, KindInt16, KindInt32, KindInt64:
		_, err = strconv.ParseInt(v, 10, intBits(k))
	case KindUint8, KindUint16, KindUint32, KindUint64:
		_, err = strconv.ParseUint(v, 10, intBits(k))
	case KindFloat32, KindFloat64:
		_, err = strconv.ParseFloat(v, 64)
	case KindDecimal:
		if !isDecimal(v) {
			return "default must be a decimal number"
		}
	case KindTime:
		if !parsesAs(v, time.RFC3339Nano, time.DateTime, time.DateOnly) {
			return "default must be now, an RFC 3339 time, 2006-01-02 15:04:05 or 2006-01-02"
		}
	case KindDate:
		if !parsesAs(v, time.DateOnly) {
			return "default must be now or a date 2006-01-02"
		}
	case KindJSON:
		if !json.Valid([]byte(v)) {
			return "default must be valid JSON"
		}
	}
	if err != nil {
		return "default is not a valid " + k.String()
	}
	return ""
}

func intBits(k Kind) int {
	switch k {
	case KindInt8, KindUint8:
		return 8
	case KindInt16, KindUint16:
		return 16
	case KindInt32, KindUint32:
		return 32
	}
	return 64
}

func parsesAs(v string, layouts ...string) bool {
	for _, l := range layouts {
		if _, err := time.Parse(l, v); err == nil {
			return true
		}
	}
	return false
}

// isDecimal accepts [+-]digits[.digits] and [+-].digits.
func isDecimal(v string) bool {
	if v != "" && (v[0] == '+' || v[0] == '-') {
		v = v[1:]
	}
	intPart, frac, hasPoint := strings.Cut(v, ".")
	if intPart == "" && frac == "" {
		return false
	}
	if hasPoint && frac == "" {
		return false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}

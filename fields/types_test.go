package fields_test

import (
	"database/sql"
	"encoding/json"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
)

func TestGoTypeKinds(t *testing.T) {
	type strs []string
	tests := []struct {
		typ      reflect.Type
		tag      string
		kind     fields.Kind
		nullable bool
	}{
		{reflect.TypeFor[bool](), "", fields.KindBool, false},
		{reflect.TypeFor[int](), "", fields.KindInt64, false},
		{reflect.TypeFor[int8](), "", fields.KindInt8, false},
		{reflect.TypeFor[int16](), "", fields.KindInt16, false},
		{reflect.TypeFor[int32](), "", fields.KindInt32, false},
		{reflect.TypeFor[int64](), "", fields.KindInt64, false},
		{reflect.TypeFor[uint](), "", fields.KindUint64, false},
		{reflect.TypeFor[uint8](), "", fields.KindUint8, false},
		{reflect.TypeFor[uint16](), "", fields.KindUint16, false},
		{reflect.TypeFor[uint32](), "", fields.KindUint32, false},
		{reflect.TypeFor[uint64](), "", fields.KindUint64, false},
		{reflect.TypeFor[float32](), "", fields.KindFloat32, false},
		{reflect.TypeFor[float64](), "", fields.KindFloat64, false},
		{reflect.TypeFor[string](), "", fields.KindString, false},
		{reflect.TypeFor[[]byte](), "", fields.KindBytes, false},
		{reflect.TypeFor[json.RawMessage](), "", fields.KindBytes, false},
		{reflect.TypeFor[sql.RawBytes](), "", fields.KindBytes, false},
		{reflect.TypeFor[time.Time](), "", fields.KindTime, false},
		{reflect.TypeFor[*bool](), "", fields.KindBool, true},
		{reflect.TypeFor[*int](), "", fields.KindInt64, true},
		{reflect.TypeFor[*int32](), "", fields.KindInt32, true},
		{reflect.TypeFor[*uint16](), "", fields.KindUint16, true},
		{reflect.TypeFor[*float64](), "", fields.KindFloat64, true},
		{reflect.TypeFor[*string](), "", fields.KindString, true},
		{reflect.TypeFor[*[]byte](), "", fields.KindBytes, true},
		{reflect.TypeFor[*time.Time](), "", fields.KindTime, true},
		{reflect.TypeFor[sql.NullString](), "", fields.KindString, true},
		{reflect.TypeFor[sql.NullInt64](), "", fields.KindInt64, true},
		{reflect.TypeFor[sql.NullInt32](), "", fields.KindInt32, true},
		{reflect.TypeFor[sql.NullInt16](), "", fields.KindInt16, true},
		{reflect.TypeFor[sql.NullByte](), "", fields.KindUint8, true},
		{reflect.TypeFor[sql.NullFloat64](), "", fields.KindFloat64, true},
		{reflect.TypeFor[sql.NullBool](), "", fields.KindBool, true},
		{reflect.TypeFor[sql.NullTime](), "", fields.KindTime, true},
		{reflect.TypeFor[*sql.NullString](), "", fields.KindString, true},
		{reflect.TypeFor[sql.Null[int16]](), "", fields.KindInt16, true},
		{reflect.TypeFor[sql.Null[string]](), "", fields.KindString, true},
		{reflect.TypeFor[sql.Null[time.Time]](), "", fields.KindTime, true},
		{reflect.TypeFor[sql.Null[Status]](), "", fields.KindString, true},
		{reflect.TypeFor[sql.Null[UUID]](), "", fields.KindUUID, true},
		{reflect.TypeFor[Status](), "", fields.KindString, false},
		{reflect.TypeFor[*Status](), "", fields.KindString, true},
		{reflect.TypeFor[Level](), "", fields.KindInt8, false},
		{reflect.TypeFor[UUID](), "", fields.KindUUID, false},
		{reflect.TypeFor[*UUID](), "", fields.KindUUID, true},
		{reflect.TypeFor[fields.JSON[map[string]int]](), "", fields.KindJSON, false},
		{reflect.TypeFor[*fields.JSON[[]string]](), "", fields.KindJSON, true},
		{reflect.TypeFor[Money](), "f,kind:int64", fields.KindInt64, false},
		{reflect.TypeFor[Money](), "f,decimal:12:2", fields.KindDecimal, false},
		{reflect.TypeFor[Money](), "f,type:money", fields.KindString, false},
		{reflect.TypeFor[*Money](), "f,kind:int64", fields.KindInt64, true},
		{reflect.TypeFor[Point](), "f,kind:string", fields.KindString, false},
		{reflect.TypeFor[string](), "f,kind:uuid", fields.KindUUID, false},
		{reflect.TypeFor[[]byte](), "f,kind:uuid", fields.KindUUID, false},
		{reflect.TypeFor[time.Time](), "f,kind:date", fields.KindDate, false},
		{reflect.TypeFor[string](), "f,kind:date", fields.KindDate, false},
		{reflect.TypeFor[string](), "f,decimal:10", fields.KindDecimal, false},
		{reflect.TypeFor[float64](), "f,decimal:10:4", fields.KindDecimal, false},
		{reflect.TypeFor[int64](), "f,decimal:20", fields.KindDecimal, false},
		{reflect.TypeFor[Level](), "f,kind:string", fields.KindString, false},
		{reflect.TypeFor[map[string]any](), "f,json", fields.KindJSON, false},
		{reflect.TypeFor[strs](), "f,json", fields.KindJSON, false},
		{reflect.TypeFor[*map[string]any](), "f,json", fields.KindJSON, true},
		{reflect.TypeFor[any](), "f,json", fields.KindJSON, false},
		{reflect.TypeFor[string](), "f,json", fields.KindJSON, false},
		{reflect.TypeFor[json.RawMessage](), "f,kind:json", fields.KindJSON, false},
		{reflect.TypeFor[Money](), "f,json", fields.KindJSON, false},
		{reflect.TypeFor[string](), "f,null", fields.KindString, true},
		{reflect.TypeFor[*string](), "f,pk", fields.KindString, false},
	}
	for _, tc := range tests {
		t.Run(tc.typ.String()+"/"+tc.tag, func(t *testing.T) {
			f, err := oneField(tc.typ, tc.tag)
			noError(t, err)
			equal(t, f.Kind, tc.kind, "Kind")
			equal(t, f.Nullable, tc.nullable, "Nullable")
			equal(t, f.Type, tc.typ, "Type")
		})
	}
}

func TestUnsupportedTypes(t *testing.T) {
	type inner struct{ A int }
	tests := []struct {
		typ    reflect.Type
		tag    string
		suffix string
	}{
		{reflect.TypeFor[map[string]int](), "", `.F: unsupported type map[string]int: store it as JSON with the json option, or skip the field with db:"-"`},
		{reflect.TypeFor[chan int](), "", ".F: unsupported type chan int"},
		{reflect.TypeFor[func()](), "", ".F: unsupported type func()"},
		{reflect.TypeFor[complex128](), "", ".F: unsupported type complex128"},
		{reflect.TypeFor[uintptr](), "", ".F: unsupported type uintptr"},
		{reflect.TypeFor[unsafe.Pointer](), "", ".F: unsupported type unsafe.Pointer"},
		{reflect.TypeFor[**int](), "", ".F: unsupported type **int"},
		{reflect.TypeFor[[]int](), "", ".F: unsupported type []int: store it as JSON with the json option, or skip the field with db:\"-\""},
		{reflect.TypeFor[[4]byte](), "", ".F: unsupported type [4]uint8: store it as JSON with the json option, or skip the field with db:\"-\""},
		{reflect.TypeFor[ValuerOnly](), "", ".F: unsupported type fields_test.ValuerOnly: a relation needs a rel tag; otherwise skip the field with db:\"-\""},
		{reflect.TypeFor[inner](), "f", `.F: unsupported type fields_test.inner: a relation needs a rel tag; otherwise skip the field with db:"-"`},
		{reflect.TypeFor[*inner](), "", `.F: unsupported type *fields_test.inner: a relation needs a rel tag; otherwise skip the field with db:"-"`},
		{reflect.TypeFor[[]inner](), "", `.F: unsupported type []fields_test.inner: a relation needs a rel tag; otherwise skip the field with db:"-"`},
		{reflect.TypeFor[[]*inner](), "", `.F: unsupported type []*fields_test.inner: a relation needs a rel tag; otherwise skip the field with db:"-"`},
		{reflect.TypeFor[Money](), "", ".F: type fields_test.Money implements sql.Scanner and driver.Valuer but has no basic kind: give it kind:NAME, decimal:P:S, json or type:SQL"},
		{reflect.TypeFor[chan int](), "f,json", ".F: unsupported type chan int: encoding/json cannot store it"},
	}
	for _, tc := range tests {
		t.Run(tc.typ.String(), func(t *testing.T) {
			_, err := oneField(tc.typ, tc.tag)
			wantError(t, err, fields.ErrUnsupportedType, tc.suffix)
		})
	}
}

func TestKindString(t *testing.T) {
	equal(t, fields.KindUint16.String(), "uint16", "KindUint16")
	equal(t, fields.Kind(200).String(), "kind(200)", "Kind(200)")
	equal(t, fields.KindUint64.IsInteger(), true, "KindUint64.IsInteger")
	equal(t, fields.KindDecimal.IsInteger(), false, "KindDecimal.IsInteger")
}

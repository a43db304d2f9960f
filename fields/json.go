package fields

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"unsafe"
)

// JSON stores any value as JSON text in one column (KindJSON): a field of type
// JSON[T] is written with encoding/json and read back into V.
//
// Value always writes JSON text, so a nil map or slice is the JSON null, not
// SQL NULL; use *JSON[T] for a column that can be NULL. Scan accepts []byte
// and string from the driver; SQL NULL and empty input leave the zero T.
//
//	type Post struct {
//		ID   int64                    `db:"id,pk"`
//		Tags fields.JSON[[]string]    `db:"tags"`
//	}
type JSON[T any] struct {
	V T
}

// jsonMarker is implemented by every JSON[T], so that classify finds them.
type jsonMarker interface{ kingletJSON() }

func (JSON[T]) kingletJSON() {}

// Value implements driver.Valuer. It returns a string rather than []byte
// because MySQL rejects binary strings in JSON columns.
func (j JSON[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	if err != nil {
		return nil, fmt.Errorf("kinglet: fields: JSON[%s].Value: %w", typeName[T](), err)
	}
	return string(b), nil
}

// Scan implements sql.Scanner. It resets V before decoding, so that a reused
// JSON[map[K]V] does not keep keys from an earlier row.
func (j *JSON[T]) Scan(src any) error {
	var zero T
	j.V = zero
	data, err := jsonBytes(src)
	if err == nil && len(data) > 0 {
		err = json.Unmarshal(data, &j.V)
	}
	if err != nil {
		return fmt.Errorf("kinglet: fields: JSON[%s].Scan: %w", typeName[T](), err)
	}
	return nil
}

// MarshalJSON encodes V, so that a JSON[T] inside an API response looks like T.
func (j JSON[T]) MarshalJSON() ([]byte, error) { return json.Marshal(j.V) }

// UnmarshalJSON decodes into V.
func (j *JSON[T]) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &j.V) }

func typeName[T any]() string { return reflect.TypeFor[T]().String() }

// jsonBytes turns what a driver returns for a JSON column into bytes; nil
// (SQL NULL) becomes nil.
func jsonBytes(src any) ([]byte, error) {
	switch s := src.(type) {
	case nil:
		return nil, nil
	case []byte:
		return s, nil
	case string:
		return []byte(s), nil
	}
	return nil, fmt.Errorf("cannot scan %T into JSON (want []byte or string)", src)
}

// jsonTarget is the scan destination for a field with the json option whose
// type does not decode itself: it unmarshals into the field.
type jsonTarget struct {
	ptr reflect.Value // pointer to the field
}

func (j *jsonTarget) Scan(src any) error {
	j.ptr.Elem().SetZero()
	data, err := jsonBytes(src)
	if err == nil && len(data) > 0 {
		err = json.Unmarshal(data, j.ptr.Interface())
	}
	if err != nil {
		return fmt.Errorf("kinglet: fields: scanning JSON into %s: %w", j.ptr.Type().Elem(), err)
	}
	return nil
}

// jsonArg is the bound value for a field with the json option: it marshals
// when database/sql asks, so that a marshalling error reaches the caller.
type jsonArg struct {
	ptr      reflect.Value // pointer to the field
	nullable bool          // a nil value is SQL NULL rather than JSON null
}

func (j jsonArg) Value() (driver.Value, error) {
	v := j.ptr.Elem()
	if j.nullable && isNil(v) {
		return nil, nil
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, fmt.Errorf("kinglet: fields: JSON value of %s: %w", v.Type(), err)
	}
	return string(b), nil
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// jsonBytesVal binds a byte-slice field holding JSON text as a string, since
// MySQL rejects binary strings in JSON columns.
func jsonBytesVal(t reflect.Type, nullable bool) func(unsafe.Pointer) any {
	return func(p unsafe.Pointer) any {
		v := reflect.NewAt(t, p).Elem()
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return nil
			}
			v = v.Elem()
		}
		if nullable && v.IsNil() {
			return nil
		}
		if v.Len() == 0 {
			return "null" // empty is not JSON, and the zero value of a NOT NULL column
		}
		return string(v.Bytes())
	}
}

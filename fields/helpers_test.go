package fields_test

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/fields"
)

// oneField describes an unnamed struct with a single field F of type typ
// and db tag tag (no tag at all when tag is "").
func oneField(typ reflect.Type, tag string) (*fields.Field, error) {
	sf := reflect.StructField{Name: "F", Type: typ}
	if tag != "" {
		sf.Tag = reflect.StructTag(`db:"` + strings.ReplaceAll(tag, `"`, `\"`) + `"`)
	}
	tab, err := fields.TableOf(reflect.StructOf([]reflect.StructField{sf}))
	if err != nil {
		return nil, err
	}
	return tab.Fields[0], nil
}

func mustTable[T any](t *testing.T) *fields.Table {
	t.Helper()
	tab, err := fields.TableFor[T]()
	if err != nil {
		t.Fatalf("TableFor[%s]: %v", reflect.TypeFor[T](), err)
	}
	return tab
}

func equal[T any](t *testing.T, got, want T, what string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantError checks that err wraps sentinel and that its message ends with
// suffix (messages for unnamed test structs start with the struct literal).
func wantError(t *testing.T, err, sentinel error, suffix string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one ending %q", suffix)
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("error %q does not wrap %v", err, sentinel)
	}
	if !strings.HasSuffix(err.Error(), suffix) {
		t.Errorf("error\n\t%s\nwant suffix\n\t%s", err, suffix)
	}
}

func columns(tab *fields.Table) []string {
	var cs []string
	for _, f := range tab.Fields {
		cs = append(cs, f.Column)
	}
	return cs
}

// Money is a Scanner/Valuer struct with no basic kind, like decimal.Decimal.
type Money struct{ Cents int64 }

func (m *Money) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		m.Cents = v
	case string:
		_, err := fmt.Sscan(v, &m.Cents)
		return err
	default:
		return fmt.Errorf("Money: cannot scan %T", src)
	}
	return nil
}
func (m Money) Value() (driver.Value, error) { return m.Cents, nil }

// UUID is a 16-byte array with Scan/Value, like github.com/google/uuid.UUID.
type UUID [16]byte

func (u *UUID) Scan(src any) error {
	b, ok := src.([]byte)
	if !ok || len(b) != 16 {
		return fmt.Errorf("UUID: cannot scan %T", src)
	}
	copy(u[:], b)
	return nil
}
func (u UUID) Value() (driver.Value, error) { return u[:], nil }

// Status is a named string: it maps by its underlying kind.
type Status string

// Level is a named integer with its own Scan/Value.
type Level int8

func (l *Level) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("Level: cannot scan %T", src)
	}
	*l = Level(v)
	return nil
}
func (l Level) Value() (driver.Value, error) { return int64(l), nil }

// Point has its Valuer on the pointer receiver only.
type Point struct{ X, Y int }

func (p *Point) Scan(src any) error {
	s, ok := src.(string)
	if !ok {
		return fmt.Errorf("Point: cannot scan %T", src)
	}
	_, err := fmt.Sscanf(s, "%d,%d", &p.X, &p.Y)
	return err
}
func (p *Point) Value() (driver.Value, error) { return fmt.Sprintf("%d,%d", p.X, p.Y), nil }

// ValuerOnly cannot be read back: it is not storable.
type ValuerOnly struct{ A int }

func (ValuerOnly) Value() (driver.Value, error) { return int64(0), nil }

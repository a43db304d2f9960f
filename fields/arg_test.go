package fields_test

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/fields"
)

type argModel struct {
	ID    int64                  `db:"id,pk"`
	N     int64                  `db:"n"`
	Small int8                   `db:"small"`
	U     uint16                 `db:"u"`
	U64   uint64                 `db:"u64"`
	F     float64                `db:"f"`
	F32   float32                `db:"f32"`
	S     string                 `db:"s"`
	St    Status                 `db:"st"`
	Lv    Level                  `db:"lv"`
	B     bool                   `db:"b"`
	Raw   []byte                 `db:"raw"`
	NRaw  []byte                 `db:"nraw,null"`
	At    time.Time              `db:"at"`
	PS    *string                `db:"ps"`
	PI    *int64                 `db:"pi"`
	NS    sql.NullString         `db:"ns"`
	NI    sql.NullInt64          `db:"ni"`
	NG    sql.Null[int32]        `db:"ng"`
	Dec   string                 `db:"dec,decimal:10:2"`
	DecF  float64                `db:"dec_f,decimal:10:2"`
	J     fields.JSON[[]string]  `db:"j"`
	Map   map[string]int         `db:"map,json"`
	Money Money                  `db:"money,kind:int64"`
	ID2   UUID                   `db:"uuid"`
	PJ    *fields.JSON[[]string] `db:"pj"`
}

// bound is what a driver receives for an argument: Valuers are asked.
func bound(t *testing.T, v any) any {
	t.Helper()
	if dv, ok := v.(driver.Valuer); ok {
		out, err := dv.Value()
		noError(t, err)
		return out
	}
	return v
}

func TestArg(t *testing.T) {
	tab := mustTable[argModel](t)
	s := "s"
	at := time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)
	ok := []struct {
		col  string
		v    any
		want any // what the driver receives
	}{
		{"n", int64(5), int64(5)},
		{"n", 5, int64(5)}, // an untyped constant
		{"n", int8(-3), int64(-3)},
		{"n", uint32(7), int64(7)},
		{"n", ptr(int64(9)), int64(9)},
		{"small", 127, int8(127)},
		{"small", -128, int8(-128)},
		{"u", 65535, uint16(65535)},
		{"u64", uint64(math.MaxUint64), uint64(math.MaxUint64)},
		{"f", 0.1, 0.1},
		{"f", 3, 3.0},
		{"f", int64(1 << 53), float64(1 << 53)},
		{"f", int64(1 << 60), float64(1 << 60)}, // exact: low bits zero
		{"f", math.NaN(), nil},                  // checked later, by dialect.Limits
		{"f32", 0.5, float32(0.5)},
		{"f32", float32(0.1), float32(0.1)},
		{"f32", 1 << 24, float32(1 << 24)},
		{"s", "x", "x"},
		{"s", Status("open"), "open"},
		{"st", "open", "open"}, // Status binds as its unnamed twin
		{"lv", 3, int64(3)},    // Level's own Value
		{"b", true, true},
		{"raw", []byte{1}, []byte{1}},
		{"raw", []byte(nil), []byte{}},     // NOT NULL: nil binds as empty
		{"nraw", []byte(nil), []byte(nil)}, // NULL to every driver
		{"nraw", nil, nil},
		{"at", at, at},
		{"at", &at, at},
		{"ps", "x", "x"},
		{"ps", &s, "s"},
		{"ps", nil, nil},
		{"ps", (*string)(nil), nil},
		{"pi", 4, int64(4)},
		{"ns", "x", "x"},
		{"ns", nil, nil},
		{"ni", 7, int64(7)},
		{"ng", 7, int64(7)},
		{"ng", sql.Null[int32]{}, nil},
		{"dec", "12.50", "12.50"},
		{"dec", 12, int64(12)},
		{"dec", 1.25, 1.25},
		{"dec_f", 1.25, 1.25},
		{"dec_f", "1.25", "1.25"},
		{"j", []string{"a"}, `["a"]`},
		{"j", fields.JSON[[]string]{V: []string{"b"}}, `["b"]`},
		{"pj", []string{"c"}, `["c"]`},
		{"pj", nil, nil},
		{"map", map[string]int{"a": 1}, `{"a":1}`},
		{"money", Money{Cents: 5}, int64(5)},
		{"uuid", UUID{1}, UUID{1}.mustValue()},
		{"n", sql.NullInt64{Int64: 3, Valid: true}, int64(3)}, // another Valuer, of a fitting value
		{"s", sql.NullString{String: "v", Valid: true}, "v"},
	}
	for _, c := range ok {
		f, found := tab.FieldByColumn(c.col)
		if !found {
			t.Fatalf("no column %s", c.col)
		}
		got, err := f.Arg(c.v)
		if err != nil {
			t.Errorf("Arg(%s, %T %v): %v", c.col, c.v, c.v, err)
			continue
		}
		b := bound(t, got)
		if f, isFloat := b.(float64); isFloat && math.IsNaN(f) && c.want == nil {
			continue
		}
		equal(t, b, c.want, "Arg("+c.col+") bound")
	}

	bad := []struct {
		col     string
		v       any
		mention []string
	}{
		{"n", "notanumber", []string{"column n", "int64", "a string (\"notanumber\")", "does not convert"}},
		{"n", 1.5, []string{"column n", "int64", "float64"}},
		{"n", true, []string{"column n", "bool"}},
		{"n", uint64(math.MaxUint64), []string{"overflows int64"}},
		{"n", nil, []string{"column n", "NOT NULL"}},
		{"n", (*int64)(nil), []string{"column n", "NOT NULL"}},
		{"small", 300, []string{"column small", "int8", "300", "overflows int8"}},
		{"u", -1, []string{"column u", "uint16", "does not fit"}},
		{"u", 70000, []string{"does not fit uint16"}},
		{"f", "1.5", []string{"column f", "float64", "string"}},
		{"f", int64(1<<53 + 1), []string{"cannot hold it exactly"}},
		{"f32", 0.1, []string{"column f32", "float32 cannot hold it exactly"}},
		{"f32", 1<<24 + 1, []string{"float32 cannot hold it exactly"}},
		{"s", 5, []string{"column s", "string", "int"}},
		{"s", []byte("x"), []string{"column s", "[]uint8"}},
		{"b", 1, []string{"column b", "bool", "int"}},
		{"raw", "x", []string{"column raw", "[]uint8", "string"}},
		{"at", "2024-01-01", []string{"column at", "time.Time", "string"}},
		{"at", at.Unix(), []string{"column at", "int64"}},
		{"ps", 5, []string{"column ps", "*string", "int"}},
		{"ns", 5, []string{"column ns", "sql.NullString", "int"}},
		{"dec", "abc", []string{"column dec", "not a decimal number"}},
		{"j", "not json", []string{"column j", "fields.JSON[[]string]", "string"}},
		{"money", 5, []string{"column money", "Money", "int"}},
		{"uuid", "0190", []string{"column uuid", "UUID", "string"}},
		{"n", sql.NullString{String: "x", Valid: true}, []string{"column n", "sql.NullString", "its value is a string", "int64"}},
		{"n", sql.NullInt64{}, []string{"column n", "NOT NULL"}},
		{"small", sql.NullInt64{Int64: 1000, Valid: true}, []string{"column small", "overflows int8"}},
		{"n", failingValuer{}, []string{"column n", "failingValuer.Value", "no value"}},
	}
	for _, c := range bad {
		f, _ := tab.FieldByColumn(c.col)
		got, err := f.Arg(c.v)
		if err == nil {
			t.Errorf("Arg(%s, %T %v) = %v, want an error", c.col, c.v, c.v, got)
			continue
		}
		if !errors.Is(err, fields.ErrInvalidValue) {
			t.Errorf("Arg(%s, %T): %v does not wrap ErrInvalidValue", c.col, c.v, err)
		}
		for _, m := range c.mention {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("Arg(%s, %T): %q does not mention %q", c.col, c.v, err, m)
			}
		}
	}
}

func (u UUID) mustValue() driver.Value { v, _ := u.Value(); return v }

type failingValuer struct{}

func (failingValuer) Value() (driver.Value, error) { return nil, errors.New("no value") }

func ptr[T any](v T) *T { return &v }

// TestNilBytesNotNull: a nil []byte in a NOT NULL column binds as an empty
// one, so that a model whose empty BLOB read back as nil can be written
// again; a nullable one still binds NULL.
func TestNilBytesNotNull(t *testing.T) {
	type blobs struct {
		ID   int64   `db:"id,pk"`
		Raw  []byte  `db:"raw"`
		Null []byte  `db:"null_raw,null"`
		Ptr  *[]byte `db:"ptr"`
		Own  RawBytes
	}
	tab := mustTable[blobs](t)
	var m blobs
	p, err := tab.Pointer(&m)
	noError(t, err)
	for col, want := range map[string]any{"raw": []byte{}, "null_raw": nil, "ptr": nil, "own": []byte{}} {
		f, _ := tab.FieldByColumn(col)
		got := f.Value(p)
		if want == nil {
			if b, isBytes := got.([]byte); got != nil && (!isBytes || b != nil) {
				t.Errorf("%s: Value = %#v, want NULL (nil or a nil []byte)", col, got)
			}
			continue
		}
		if b, ok := got.([]byte); !ok || b == nil || len(b) != 0 {
			t.Errorf("%s: Value = %#v, want an empty, non-nil []byte", col, got)
		}
	}
	m.Raw = []byte{7}
	f, _ := tab.FieldByColumn("raw")
	equal(t, f.Value(p), any([]byte{7}), "raw with a value")
}

// TestZeroText: the zero value of a string field whose column parses its
// text (decimal, JSON, UUID) binds as that kind's zero, which PostgreSQL and
// MySQL take; other text is bound as it is.
func TestZeroText(t *testing.T) {
	type texts struct {
		ID    int64   `db:"id,pk"`
		Dec   string  `db:"dec,decimal:10:2"`
		PDec  *string `db:"p_dec,decimal:10:2"`
		St    Status  `db:"st,decimal:5"`
		J     string  `db:"j,json"`
		K     string  `db:"k,kind:json"`
		U     string  `db:"u,kind:uuid"`
		B     []byte  `db:"b,json"`
		NB    []byte  `db:"nb,json,null"`
		Plain string  `db:"plain"`
	}
	tab := mustTable[texts](t)
	empty := ""
	m := texts{PDec: &empty}
	p, err := tab.Pointer(&m)
	noError(t, err)
	for col, want := range map[string]any{
		"dec": "0", "p_dec": "0", "st": "0", "j": "null", "k": "null",
		"u": "00000000-0000-0000-0000-000000000000", "b": "null", "nb": nil, "plain": "",
	} {
		f, _ := tab.FieldByColumn(col)
		equal(t, f.Value(p), want, col+" zero")
		equal(t, f.ValueRef(p), want, col+" zero by ref")
	}
	m = texts{Dec: "1.5", PDec: nil, J: `{"a":1}`, U: "0190c0a8-0000-7000-8000-000000000000"}
	for col, want := range map[string]any{"dec": "1.5", "p_dec": nil, "j": `{"a":1}`, "u": m.U} {
		f, _ := tab.FieldByColumn(col)
		equal(t, f.Value(p), want, col)
	}
	f, _ := tab.FieldByColumn("dec")
	got, err := f.Arg("")
	noError(t, err)
	equal(t, got, any("0"), `Arg("") on a decimal`)
}

// RawBytes is a named byte slice: it binds as its unnamed twin.
type RawBytes []byte

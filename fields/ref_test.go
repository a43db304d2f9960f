package fields_test

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
)

// TestValueRefIsValue: for every field of Everything, ValueRef gives what
// Value gives, through database/sql's real argument conversion too, and
// for the common types it does so without allocating.
func TestValueRefIsValue(t *testing.T) {
	tab := mustTable[Everything](t)
	for _, in := range []Everything{everything(), {}} {
		p, err := tab.Pointer(&in)
		noError(t, err)
		byValue := make([]any, len(tab.Fields))
		byRef := make([]any, len(tab.Fields))
		for i, f := range tab.Fields {
			byValue[i], byRef[i] = f.Value(p), f.ValueRef(p)
			if reflect.TypeOf(byRef[i]) != reflect.TypeOf(byValue[i]) {
				t.Errorf("%s: ValueRef is a %T, Value a %T", f.Column, byRef[i], byValue[i])
			}
		}
		bound := func(args []any) []driver.Value {
			fdb := &fakeDB{cols: tab.Columns()}
			db := sql.OpenDB(fdb)
			defer db.Close()
			_, err := db.Exec("insert", args...)
			noError(t, err)
			return fdb.args
		}
		equal(t, bound(byRef), bound(byValue), "bound arguments")
	}

	var e Everything
	e.S, e.ID, e.I, e.F64 = "a string", 1<<40, 1<<40, 2.5
	e.At = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	s, n, at := "pointed to", int64(1<<41), e.At.Add(time.Hour)
	e.PS, e.PI, e.PAt = &s, &n, &at
	p := unsafe.Pointer(&e)
	for _, col := range []string{"s", "id", "i", "f64", "at", "ps", "pi", "p_at"} {
		f := mustField(t, tab, col)
		var sink any
		if allocs := testing.AllocsPerRun(100, func() { sink = f.ValueRef(p) }); allocs != 0 {
			t.Errorf("ValueRef(%s): %.0f allocations, want 0", col, allocs)
		}
		equal(t, sink, f.Value(p), "ValueRef("+col+")")
	}
}

// TestValueRefRefers: the value is read where it is, so that it must not be
// written while the statement runs; this pins down that contract.
func TestValueRefRefers(t *testing.T) {
	tab := mustTable[Everything](t)
	e := Everything{S: "before"}
	f := mustField(t, tab, "s")
	v := f.ValueRef(unsafe.Pointer(&e))
	e.S = "after"
	equal(t, v, any("after"), "a reference after the field changed")
}

// storeCase is a field type and the column values to put into it.
type storeCase struct {
	col  string
	srcs []any
}

// TestStoreAsDatabaseSQL: whenever Store takes a value, the field ends up as
// database/sql's Scan into the field's Ptr leaves it, and Store refuses
// every value that Scan refuses. Store may refuse more (a string into an
// int): the caller then scans the row with Ptr.
func TestStoreAsDatabaseSQL(t *testing.T) {
	tab := mustTable[Everything](t)
	at := time.Date(2024, 5, 6, 7, 8, 9, 10, time.FixedZone("X", 3600))
	ints := []any{int64(0), int64(1), int64(-1), int64(2), int64(math.MaxInt32), int64(math.MaxInt32 + 1),
		int64(math.MinInt32), int64(math.MinInt32 - 1), int64(math.MaxInt64), int64(math.MinInt64)}
	others := []any{nil, "12", []byte("34"), 1.5, float64(7), true, false, at, "text", []byte("bytes"), "true"}
	all := append(append([]any{}, ints...), others...)
	var stored int
	// st is a named string type and note a field of an embedded struct:
	// both are stored like their plain counterparts.
	for _, col := range []string{"id", "i", "i32", "f64", "b", "s", "at", "ps", "pi", "p_at", "st", "note"} {
		f := mustField(t, tab, col)
		if !f.Stores() {
			t.Fatalf("%s: Stores() false", col)
		}
		for _, src := range all {
			name := fmt.Sprintf("%s <- %T(%v)", col, src, src)
			var byStore, byScan Everything
			took := f.Store(unsafe.Pointer(&byStore), src)
			scanErr := scanOne(t, tab, f, src, &byScan)
			if !took {
				continue
			}
			stored++
			if scanErr != nil {
				t.Errorf("%s: Store took it, Scan refused: %v", name, scanErr)
				continue
			}
			equal(t, byStore, byScan, name)
		}
	}
	if stored < 30 {
		t.Errorf("Store took only %d values", stored)
	}
	for _, col := range []string{"i8", "u", "f32", "ns", "j", "source"} {
		if mustField(t, tab, col).Stores() {
			t.Errorf("%s: Stores() true for a type Store does not handle", col)
		}
	}
}

// TestStorePointerIsNew: a pointer field gets a new value, as Scan makes
// one, rather than overwriting what the old pointer points to.
func TestStorePointerIsNew(t *testing.T) {
	tab := mustTable[Everything](t)
	f := mustField(t, tab, "ps")
	old := "old"
	e := Everything{PS: &old}
	if !f.Store(unsafe.Pointer(&e), "new") {
		t.Fatal("Store refused a string into *string")
	}
	equal(t, old, "old", "the old pointee")
	equal(t, *e.PS, "new", "the field")
	if !f.Store(unsafe.Pointer(&e), nil) || e.PS != nil {
		t.Fatal("NULL into *string: want nil")
	}
}

// scanOne answers a one-column query with src through database/sql and
// scans it into f of *dst.
func scanOne(t *testing.T, tab *fields.Table, f *fields.Field, src any, dst *Everything) error {
	t.Helper()
	fdb := &fakeDB{cols: []string{f.Column}, row: []driver.Value{src}}
	db := sql.OpenDB(fdb)
	defer db.Close()
	p, err := tab.Pointer(dst)
	noError(t, err)
	return db.QueryRow("select").Scan(f.Ptr(p))
}

func mustField(t *testing.T, tab *fields.Table, col string) *fields.Field {
	t.Helper()
	f, ok := tab.FieldByColumn(col)
	if !ok {
		t.Fatalf("no column %q in %v", col, tab.Columns())
	}
	return f
}

package fields_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
)

// fakeDB is a database/sql driver that records the arguments of the last
// statement and answers every query with one preset row, so that the field
// accessors meet database/sql's real argument conversion and Scan.
type fakeDB struct {
	mu   sync.Mutex
	args []driver.Value
	cols []string
	row  []driver.Value
}

func (d *fakeDB) Connect(context.Context) (driver.Conn, error) { return fakeConn{d}, nil }
func (d *fakeDB) Driver() driver.Driver                        { return nil }

type fakeConn struct{ db *fakeDB }

func (c fakeConn) Prepare(string) (driver.Stmt, error) { return fakeStmt(c), nil }
func (fakeConn) Close() error                          { return nil }
func (fakeConn) Begin() (driver.Tx, error)             { return nil, errors.New("fake: no transactions") }

type fakeStmt struct{ db *fakeDB }

func (fakeStmt) Close() error  { return nil }
func (fakeStmt) NumInput() int { return -1 }
func (s fakeStmt) Exec(args []driver.Value) (driver.Result, error) {
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	s.db.args = append([]driver.Value(nil), args...)
	return driver.RowsAffected(1), nil
}
func (s fakeStmt) Query([]driver.Value) (driver.Rows, error) {
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	return &fakeRows{cols: s.db.cols, row: s.db.row}, nil
}

type fakeRows struct {
	cols []string
	row  []driver.Value
	done bool
}

func (r *fakeRows) Columns() []string { return r.cols }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	copy(dest, r.row)
	return nil
}

type meta struct {
	Source string `db:"source"`
}

type Extra struct {
	Note  *string `db:"note"`
	Score float32 `db:"score"`
}

type Everything struct {
	ID   int64 `db:"id,pk"`
	I    int
	I8   int8
	I16  int16
	I32  int32
	U    uint
	U8   uint8
	U16  uint16
	U32  uint32
	U64  uint64
	F32  float32
	F64  float64
	B    bool
	S    string
	Raw  []byte
	At   time.Time
	PS   *string
	PI   *int64
	PAt  *time.Time
	NS   sql.NullString
	NI   sql.NullInt64
	NT   sql.NullTime
	NG   sql.Null[int32]
	St   Status
	PSt  *Status
	NSt  *Status
	Lv   Level
	M    Money  `db:"m,kind:int64"`
	ID2  UUID   `db:"uuid"`
	Pt   Point  `db:"pt,kind:string"`
	PPt  *Point `db:"p_pt,kind:string"`
	NPt  *Point `db:"npt,kind:string"`
	J    fields.JSON[prefs]
	PJ   *fields.JSON[[]int]
	Map  map[string]int  `db:"map,json"`
	NMap map[string]int  `db:"nmap,json,null"`
	PMap *map[string]int `db:"pmap,json"`
	RawJ json.RawMessage `db:"raw_j,json"`
	Extra
	*meta
}

func everything() Everything {
	s, n, st, at := "str", int64(-7), Status("open"), time.Date(2024, 5, 6, 7, 8, 9, 10, time.UTC)
	note, pm := "note", map[string]int{"p": 1}
	return Everything{
		ID: 1, I: -2, I8: -8, I16: -16, I32: -32, U: 3, U8: 8, U16: 16, U32: 32, U64: 64,
		F32: 1.5, F64: 2.25, B: true, S: "hello", Raw: []byte{0, 1, 2}, At: at,
		PS: &s, PI: &n, PAt: &at,
		NS: sql.NullString{String: "ns", Valid: true}, NI: sql.NullInt64{}, NT: sql.NullTime{Time: at, Valid: true},
		NG: sql.Null[int32]{V: 5, Valid: true},
		St: "closed", PSt: &st, Lv: 3, M: Money{Cents: 1234}, ID2: UUID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
		Pt: Point{1, 2}, PPt: &Point{3, 4},
		J: fields.JSON[prefs]{V: prefs{Theme: "dark"}}, PJ: &fields.JSON[[]int]{V: []int{1, 2}},
		Map: map[string]int{"a": 1}, PMap: &pm, RawJ: json.RawMessage(`{"raw":true}`),
		Extra: Extra{Note: &note, Score: 0.5}, meta: &meta{Source: "api"},
	}
}

func TestRoundTripThroughDatabaseSQL(t *testing.T) {
	tab := mustTable[Everything](t)
	fdb := &fakeDB{cols: tab.Columns()}
	db := sql.OpenDB(fdb)
	defer db.Close()

	in := everything()
	p, err := tab.Pointer(&in)
	noError(t, err)
	args := make([]any, len(tab.Fields))
	for i, f := range tab.Fields {
		args[i] = f.Value(p)
	}
	_, err = db.Exec("insert", args...)
	noError(t, err)

	want := map[string]driver.Value{
		"id": int64(1), "i": int64(-2), "i8": int64(-8), "u64": int64(64), "f32": float64(1.5), "b": true,
		"s": "hello", "raw": []byte{0, 1, 2}, "at": in.At, "ps": "str", "pi": int64(-7), "pat": in.At,
		"ns": "ns", "ni": nil, "nt": in.At, "ng": int64(5),
		"st": "closed", "p_st": "open", "n_st": nil, "lv": int64(3), "m": int64(1234), "uuid": in.ID2[:],
		"pt": "1,2", "p_pt": "3,4", "npt": nil,
		"j": `{"theme":"dark"}`, "pj": "[1,2]", "map": `{"a":1}`, "nmap": nil, "pmap": `{"p":1}`,
		"raw_j": `{"raw":true}`, "note": "note", "score": float64(0.5), "source": "api",
	}
	for i, col := range tab.Columns() {
		if w, ok := want[col]; ok {
			equal(t, fdb.args[i], w, "bound "+col)
		}
	}

	// Answer a query with what was bound, and scan it into a fresh value.
	fdb.row = fdb.args
	var out Everything
	po, err := tab.Pointer(&out)
	noError(t, err)
	dest := make([]any, len(tab.Fields))
	for i, f := range tab.Fields {
		dest[i] = f.Ptr(po)
	}
	noError(t, db.QueryRow("select").Scan(dest...))
	in.NMap = nil // a nil map bound as NULL reads back as nil
	equal(t, out, in, "scanned struct")
}

func TestPtrIsTypedForCommonTypes(t *testing.T) {
	tab := mustTable[Everything](t)
	var e Everything
	p := unsafe.Pointer(&e)
	for col, want := range map[string]any{
		"id": &e.ID, "s": &e.S, "at": &e.At, "ps": &e.PS, "ns": &e.NS,
		"st": (*string)(unsafe.Pointer(&e.St)), "lv": &e.Lv, "j": &e.J, "uuid": &e.ID2,
	} {
		f, _ := tab.FieldByColumn(col)
		got := f.Ptr(p)
		if reflect.TypeOf(got) != reflect.TypeOf(want) || reflect.ValueOf(got).Pointer() != reflect.ValueOf(want).Pointer() {
			t.Errorf("Ptr(%s) = %T %p, want %T %p", col, got, got, want, want)
		}
	}
}

func TestEmbeddedPointerAccess(t *testing.T) {
	tab := mustTable[Everything](t)
	src, _ := tab.FieldByColumn("source")
	var e Everything
	p := unsafe.Pointer(&e)
	equal(t, src.Value(p), any(nil), "Value through a nil embedded pointer")
	equal(t, src.IsZero(p), true, "IsZero through a nil embedded pointer")
	if e.meta != nil {
		t.Fatal("Value allocated the embedded struct")
	}
	*(src.Ptr(p).(*string)) = "cli"
	if e.meta == nil || e.Source != "cli" {
		t.Fatalf("Ptr did not allocate the embedded struct: %+v", e.meta)
	}
	equal(t, src.Value(p), any("cli"), "Value after Ptr")
	equal(t, src.IsZero(p), false, "IsZero after Ptr")
	equal(t, src.Addr(p), unsafe.Pointer(&e.Source), "Addr")
}

type Deep struct {
	ID int64 `db:"id,pk"`
	*Level1
}
type Level1 struct {
	A int `db:"a"`
	Level2
}
type Level2 struct {
	B string `db:"b"`
	*Level3
}
type Level3 struct {
	C float64 `db:"c"`
}

func TestDeepEmbeddedPath(t *testing.T) {
	tab := mustTable[Deep](t)
	equal(t, columns(tab), []string{"id", "a", "b", "c"}, "columns")
	var d Deep
	p := unsafe.Pointer(&d)
	c, _ := tab.FieldByColumn("c")
	equal(t, c.Index, []int{1, 1, 1, 0}, "c.Index")
	*(c.Ptr(p).(*float64)) = 2.5
	equal(t, d.C, 2.5, "d.C")
	b, _ := tab.FieldByColumn("b")
	*(b.Ptr(p).(*string)) = "x"
	equal(t, d.B, "x", "d.B")
	equal(t, c.Value(p), any(2.5), "c.Value")
}

func TestIsZeroAndPointer(t *testing.T) {
	tab := mustTable[Account](t)
	id, _ := tab.FieldByName("ID")
	a := Account{}
	p, err := tab.Pointer(&a)
	noError(t, err)
	equal(t, id.IsZero(p), true, "IsZero(0)")
	a.ID = 9
	equal(t, id.IsZero(p), false, "IsZero(9)")

	_, err = tab.Pointer(a)
	wantError(t, err, fields.ErrInvalidModel, "kinglet: fields: Account: want a *fields_test.Account, got fields_test.Account")
	_, err = tab.Pointer(&User{})
	wantError(t, err, fields.ErrInvalidModel, "want a *fields_test.Account, got *fields_test.User")
	_, err = tab.Pointer((*Account)(nil))
	wantError(t, err, fields.ErrInvalidModel, "kinglet: fields: Account: nil *fields_test.Account")
	_, err = tab.Pointer(nil)
	wantError(t, err, fields.ErrInvalidModel, "got nil")
}

func TestRelationAddr(t *testing.T) {
	tab := mustTable[Author](t)
	var a Author
	r, _ := tab.Relation("Posts")
	posts := reflect.NewAt(r.Type, r.Addr(unsafe.Pointer(&a))).Interface().(*[]Post)
	*posts = append(*posts, Post{ID: 3})
	equal(t, a.Posts, []Post{{ID: 3}}, "Posts set through Addr")
}

func TestJSONOptionScanErrors(t *testing.T) {
	tab := mustTable[Everything](t)
	m, _ := tab.FieldByColumn("map")
	var e Everything
	dest := m.Ptr(unsafe.Pointer(&e)).(sql.Scanner)
	err := dest.Scan("{")
	if err == nil || err.Error() != "kinglet: fields: scanning JSON into map[string]int: unexpected end of JSON input" {
		t.Errorf("Scan(\"{\") = %v", err)
	}
	err = dest.Scan(3.5)
	if err == nil || err.Error() != "kinglet: fields: scanning JSON into map[string]int: cannot scan float64 into JSON (want []byte or string)" {
		t.Errorf("Scan(3.5) = %v", err)
	}
	e.Map = map[string]int{"stale": 1}
	noError(t, dest.Scan([]byte(`{"b":2}`)))
	equal(t, e.Map, map[string]int{"b": 2}, "Map after Scan")
	noError(t, dest.Scan(nil))
	equal(t, e.Map, map[string]int(nil), "Map after Scan(nil)")
}

func TestJSONOptionValueError(t *testing.T) {
	type Bad struct {
		ID int64 `db:"id"`
		V  any   `db:"v,json"`
	}
	tab := mustTable[Bad](t)
	b := Bad{V: func() {}}
	v := tab.Fields[1].Value(unsafe.Pointer(&b)).(driver.Valuer)
	_, err := v.Value()
	if err == nil || err.Error() != "kinglet: fields: JSON value of interface {}: json: unsupported type: func()" {
		t.Errorf("Value() error = %v", err)
	}
}

// TestConcurrentAccess runs the accessors from many goroutines on their own
// values; with -race (which also checks unsafe pointer arithmetic) it proves
// that shared metadata is only read.
func TestConcurrentAccess(t *testing.T) {
	tab := mustTable[Everything](t)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			in := everything()
			var out Everything
			pi, po := unsafe.Pointer(&in), unsafe.Pointer(&out)
			for range 50 {
				for _, f := range tab.Fields {
					_ = f.Value(pi)
					_ = f.Ptr(po)
				}
			}
		})
	}
	wg.Wait()
}

func TestPtrDoesNotAllocate(t *testing.T) {
	tab := mustTable[Everything](t)
	e := everything()
	p := unsafe.Pointer(&e)
	for _, col := range []string{"id", "s", "raw", "at", "ps", "ns", "ng", "st", "p_st", "lv", "uuid", "j", "note", "source"} {
		f, _ := tab.FieldByColumn(col)
		if n := testing.AllocsPerRun(100, func() { _ = f.Ptr(p) }); n != 0 {
			t.Errorf("Ptr(%s) allocates %v times", col, n)
		}
	}
	// Value boxes the field's value into an interface: at most that one
	// allocation, and none for a bool.
	for col, most := range map[string]float64{"b": 0, "id": 1, "s": 1, "at": 1, "ps": 1, "ns": 1, "st": 1, "source": 1} {
		f, _ := tab.FieldByColumn(col)
		if n := testing.AllocsPerRun(100, func() { _ = f.Value(p) }); n > most {
			t.Errorf("Value(%s) allocates %v times, want <= %v", col, n, most)
		}
	}
}

func BenchmarkScanDest(b *testing.B) {
	tab, _ := fields.TableFor[Account]()
	dest := make([]any, len(tab.Fields))
	var a Account
	p := unsafe.Pointer(&a)
	b.ReportAllocs()
	for b.Loop() {
		for i, f := range tab.Fields {
			dest[i] = f.Ptr(p)
		}
	}
}

func BenchmarkBindArgs(b *testing.B) {
	tab, _ := fields.TableFor[Account]()
	args := make([]any, len(tab.Fields))
	email := "a@b.c"
	a := Account{ID: 1, UserName: "alice", Email: &email, Active: true, CreatedAt: time.Now()}
	p := unsafe.Pointer(&a)
	b.ReportAllocs()
	for b.Loop() {
		for i, f := range tab.Fields {
			args[i] = f.Value(p)
		}
	}
}

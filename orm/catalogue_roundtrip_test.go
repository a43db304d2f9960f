package orm_test

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// catalogueRoundTrip: §4 of issue 13: round trips (Get → Update of an
// unchanged row, for a column of every kind; NULL through typed handles).

// crUUID is a 16-byte UUID type, as github.com/google/uuid's: it binds as
// its canonical text and reads text or bytes.
type crUUID [16]byte

func (u crUUID) Value() (driver.Value, error) {
	h := hex.EncodeToString(u[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

func (u *crUUID) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("crUUID: cannot scan %T", src)
	}
	b, err := hex.DecodeString(stripDashes(s))
	if err != nil || len(b) != 16 {
		return fmt.Errorf("crUUID: bad UUID %q", s)
	}
	copy(u[:], b)
	return nil
}

func stripDashes(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '-' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

type crStatus string

type crLevel int16

// crAll has a column of every kind kinglet stores, as a plain value, a
// pointer, and database/sql's null types.
type crAll struct {
	ID    int64                       `db:"id,pk"`
	B     bool                        `db:"b"`
	I8    int8                        `db:"i8"`
	I16   int16                       `db:"i16"`
	I32   int32                       `db:"i32"`
	I64   int64                       `db:"i64"`
	I     int                         `db:"i"`
	U8    uint8                       `db:"u8"`
	U16   uint16                      `db:"u16"`
	U32   uint32                      `db:"u32"`
	U64   uint64                      `db:"u64"`
	F32   float32                     `db:"f32"`
	F64   float64                     `db:"f64"`
	Dec   string                      `db:"dec,decimal:12:3"`
	DecF  float64                     `db:"dec_f,decimal:12:3"`
	S     string                      `db:"s"`
	Sized string                      `db:"sized,size:20"`
	St    crStatus                    `db:"st,size:10"`
	Lv    crLevel                     `db:"lv"`
	Raw   []byte                      `db:"raw"`
	NRaw  []byte                      `db:"n_raw,null"`
	At    time.Time                   `db:"at"`
	Day   time.Time                   `db:"day,kind:date"`
	J     fields.JSON[map[string]int] `db:"j"`
	Tags  []string                    `db:"tags,json"`
	UUID  crUUID                      `db:"uuid"`
	US    string                      `db:"us,kind:uuid"`
	PS    *string                     `db:"ps"`
	PI    *int64                      `db:"pi"`
	PB    *bool                       `db:"pb"`
	PF    *float64                    `db:"pf"`
	PAt   *time.Time                  `db:"p_at"`
	NS    sql.NullString              `db:"ns"`
	NI    sql.NullInt64               `db:"ni"`
	NB    sql.NullBool                `db:"nb"`
	NF    sql.NullFloat64             `db:"nf"`
	NT    sql.NullTime                `db:"nt"`
	NG    sql.Null[int32]             `db:"ng"`
}

func (crAll) TableName() string { return "cr_alls" }

func crValues() crAll {
	at := utcAt(2024, 2, 29, 13, 14, 15, 161718)
	s, n, b, f := "p", int64(-9), true, 0.25
	return crAll{
		B: true, I8: -8, I16: -16, I32: -32, I64: -1 << 40, I: 77, U8: 255, U16: 65535, U32: 1 << 31, U64: 1 << 62,
		F32: 1.5, F64: 2.25, Dec: "123.456", DecF: 7.125, S: "héllo, 'world'", Sized: "sized", St: "open", Lv: -3,
		Raw: []byte{0, 1, 2, 255}, NRaw: []byte{9}, At: at, Day: utcAt(2024, 3, 1, 0, 0, 0, 0),
		J: fields.JSON[map[string]int]{V: map[string]int{"a": 1}}, Tags: []string{"x", "y"},
		UUID: crUUID{0x01, 0x90, 0xc0, 0xa8, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 1}, US: "0190c0a8-0000-7000-8000-000000000002",
		PS: &s, PI: &n, PB: &b, PF: &f, PAt: &at,
		NS: sql.NullString{String: "ns", Valid: true}, NI: sql.NullInt64{Int64: 5, Valid: true},
		NB: sql.NullBool{Bool: false, Valid: true}, NF: sql.NullFloat64{Float64: -0.5, Valid: true},
		NT: sql.NullTime{Time: at, Valid: true}, NG: sql.Null[int32]{V: 12, Valid: true},
	}
}

// readBack is what reading in back gives where an engine normalizes a
// value without changing it: a decimal's text, the zero UUID's text, an
// empty BLOB (nil), a JSON null (nil).
func readBack(in, got crAll) crAll {
	want := in
	if sameDecimal(in.Dec, got.Dec) {
		want.Dec = got.Dec
	}
	if in.US == "" && got.US == "00000000-0000-0000-0000-000000000000" {
		want.US = got.US
	}
	if bytes.Equal(in.Raw, got.Raw) {
		want.Raw = got.Raw
	}
	if len(in.Tags) == 0 && len(got.Tags) == 0 {
		want.Tags = got.Tags
	}
	return want
}

// sameDecimal compares decimal texts by value ("" is 0: see fields.Arg).
func sameDecimal(a, b string) bool {
	if a == "" {
		a = "0"
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && x == y
}

// everyKindRoundTrip inserts m, reads it back, writes the unchanged row
// (the write that used to fail on a NOT NULL BLOB) and reads it again.
func everyKindRoundTrip(m crAll) func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
	return func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
		in := m
		if err := db.Insert(ctx, &in); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		got, err := orm.Get[crAll](ctx, db, in.ID)
		if err != nil {
			return fmt.Errorf("get: %w", err)
		}
		if want := readBack(in, got); !sameValues(got, want) {
			t.Errorf("read back\n\t%+v\nwrote\n\t%+v", got, want)
		}
		if err := db.Update(ctx, &got); err != nil {
			return fmt.Errorf("update of the unchanged row: %w", err)
		}
		again, err := orm.Get[crAll](ctx, db, in.ID)
		if err != nil {
			return fmt.Errorf("get after update: %w", err)
		}
		if !sameValues(again, got) {
			t.Errorf("after the update\n\t%+v\nbefore\n\t%+v", again, got)
		}
		// The same through the bulk path, column by column.
		all, err := orm.Select[crAll](db).All(ctx)
		if err != nil || len(all) != 1 || !sameValues(all[0], got) {
			t.Errorf("Select: %v, %+v", err, all)
		}
		return nil
	}
}

// crPerson has nullable columns for the typed handles.
type crPerson struct {
	ID    int64          `db:"id,pk"`
	Name  string         `db:"name"`
	Email *string        `db:"email"`
	Nick  sql.NullString `db:"nick"`
	Age   *int           `db:"age"`
}

func (crPerson) TableName() string { return "cr_people" }

var (
	crEmail    = orm.Field(func(p *crPerson) **string { return &p.Email })
	crAge      = orm.Field(func(p *crPerson) **int { return &p.Age })
	crNick     = orm.ColOf[sql.NullString, crPerson]("nick")
	crEmailN   = orm.NullField(func(p *crPerson) **string { return &p.Email })
	crAgeN     = orm.NullField(func(p *crPerson) **int { return &p.Age })
	crNickN    = orm.NullColOf[string, crPerson]("nick")
	crPersonID = orm.Field(func(p *crPerson) *int64 { return &p.ID })
)

// seedPeople writes ann (email, age 30, nick), bob (no email, no age, no
// nick) and cat (email, age 40).
func seedPeople(t *testing.T, ctx context.Context, db *orm.DB) {
	t.Helper()
	ann, cat, thirty, forty := "ann@example.com", "cat@example.com", 30, 40
	people := []crPerson{
		{Name: "ann", Email: &ann, Age: &thirty, Nick: sql.NullString{String: "annie", Valid: true}},
		{Name: "bob"},
		{Name: "cat", Email: &cat, Age: &forty},
	}
	if err := db.InsertMany(ctx, people); err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// whoMatches runs Select with conds and checks the names it finds.
func whoMatches(want []string, conds ...func() query.Expr) func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
	return func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
		seedPeople(t, ctx, db)
		q := orm.Select[crPerson](db).OrderBy(crPersonID.Asc())
		for _, c := range conds {
			q = q.Where(c())
		}
		names, err := orm.Pluck[string](ctx, q, query.C("name"))
		if err != nil {
			return err
		}
		if !slices.Equal(names, want) {
			t.Errorf("matched %q, want %q", names, want)
		}
		return nil
	}
}

func strPtr(s string) *string { return &s }

var catalogueRoundTrip = []badCase{
	// Get → Update of an unchanged row, for a column of every kind.
	{name: "roundtrip/every-kind-zero", models: []any{&crAll{}}, run: everyKindRoundTrip(crAll{})},
	{name: "roundtrip/every-kind-values", models: []any{&crAll{}}, run: everyKindRoundTrip(crValues())},
	{name: "roundtrip/every-kind-pgx-pool", engines: on("postgres"), models: []any{&crAll{}},
		// The native path of OpenPool decodes PostgreSQL's binary format itself.
		run: func(t *testing.T, ctx context.Context, _ *orm.DB, tdb *testdb.DB) error {
			pool, err := pgxpool.New(ctx, tdb.DSN)
			if err != nil {
				return err
			}
			defer pool.Close()
			pdb, err := orm.OpenPool(ctx, pool)
			if err != nil {
				return err
			}
			defer pdb.Close()
			if err := everyKindRoundTrip(crAll{})(t, ctx, pdb, tdb); err != nil {
				return err
			}
			if _, err := orm.Delete[crAll](pdb).AllRows().Exec(ctx); err != nil {
				return err
			}
			return everyKindRoundTrip(crValues())(t, ctx, pdb, tdb)
		}},
	{name: "roundtrip/nil-bytes-insert", models: []any{&crAll{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			m := crValues()
			m.Raw, m.NRaw = nil, nil
			if err := db.Insert(ctx, &m); err != nil {
				return err
			}
			var isNull, nrawNull bool
			if err := tdb.DB.QueryRowContext(ctx, "SELECT raw IS NULL, n_raw IS NULL FROM cr_alls").Scan(&isNull, &nrawNull); err != nil {
				return err
			}
			if isNull || !nrawNull {
				t.Errorf("raw IS NULL = %v (want false: an empty BLOB), n_raw IS NULL = %v (want true)", isNull, nrawNull)
			}
			return nil
		}},
	{name: "roundtrip/empty-blob-get-update", models: []any{&crAll{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			m := crValues()
			m.Raw = []byte{}
			if err := db.Insert(ctx, &m); err != nil {
				return err
			}
			got, err := orm.Get[crAll](ctx, db, m.ID)
			if err != nil {
				return err
			}
			if len(got.Raw) != 0 {
				t.Errorf("raw read back as %v", got.Raw)
			}
			got.S = "changed"
			if err := db.Update(ctx, &got); err != nil {
				return err
			}
			_, err = orm.Update[crAll](db).Set("raw", got.Raw).Where(query.C("id").Eq(m.ID)).Exec(ctx)
			return err
		}},

	// NULL through a typed handle on a nullable column: IS NULL, not = NULL.
	{name: "roundtrip/nullable-eq-nil", models: []any{&crPerson{}},
		run: whoMatches([]string{"bob"}, func() query.Expr { return crEmail.Eq(nil) })},
	{name: "roundtrip/nullable-ne-nil", models: []any{&crPerson{}},
		run: whoMatches([]string{"ann", "cat"}, func() query.Expr { return crEmail.Ne(nil) })},
	{name: "roundtrip/nullable-eq-value", models: []any{&crPerson{}},
		run: whoMatches([]string{"cat"}, func() query.Expr { return crEmail.Eq(strPtr("cat@example.com")) })},
	{name: "roundtrip/nullable-in-with-nil", models: []any{&crPerson{}},
		run: whoMatches([]string{"ann", "bob"}, func() query.Expr { return crEmail.In(strPtr("ann@example.com"), nil) })},
	{name: "roundtrip/nullable-in-only-nil", models: []any{&crPerson{}},
		run: whoMatches([]string{"bob"}, func() query.Expr { return crAge.In(nil) })},
	{name: "roundtrip/nullable-not-in-with-nil", models: []any{&crPerson{}},
		run: whoMatches([]string{"cat"}, func() query.Expr { return crEmail.NotIn(strPtr("ann@example.com"), nil) })},
	{name: "roundtrip/nullable-in-with-nil-and-more", models: []any{&crPerson{}},
		// The OR inside stays parenthesized beside another condition.
		run: whoMatches([]string{"bob"}, func() query.Expr { return crEmail.In(strPtr("ann@example.com"), nil) },
			func() query.Expr { return query.C("name").Ne("ann") })},
	{name: "roundtrip/sql-null-eq-invalid", models: []any{&crPerson{}},
		run: whoMatches([]string{"bob", "cat"}, func() query.Expr { return crNick.Eq(sql.NullString{}) })},
	{name: "roundtrip/nullable-order-with-nil", models: []any{&crPerson{}},
		run:  whoMatches(nil, func() query.Expr { return crAge.Lt(nil) }),
		want: orm.ErrInvalidArgument, mention: []string{"cr_people.age", "< NULL", "IsNull"}},
	{name: "roundtrip/nullable-between-nil", models: []any{&crPerson{}},
		run:  whoMatches(nil, func() query.Expr { return crAge.Between(nil, ptr(5)) }),
		want: orm.ErrInvalidArgument, mention: []string{"cr_people.age", "BETWEEN NULL"}},

	// NullField / NullColOf: compare with the plain value.
	{name: "roundtrip/null-field-eq-plain", models: []any{&crPerson{}},
		run: whoMatches([]string{"ann"}, func() query.Expr { return crEmailN.Eq("ann@example.com") })},
	{name: "roundtrip/null-field-ne-plain", models: []any{&crPerson{}},
		run: whoMatches([]string{"cat"}, func() query.Expr { return crEmailN.Ne("ann@example.com") })},
	{name: "roundtrip/null-field-order-in", models: []any{&crPerson{}},
		run: whoMatches([]string{"cat"}, func() query.Expr { return crAgeN.Gt(30) }, func() query.Expr { return crAgeN.In(30, 40) })},
	{name: "roundtrip/null-field-is-null", models: []any{&crPerson{}},
		run: whoMatches([]string{"bob"}, func() query.Expr { return crAgeN.IsNull() })},
	{name: "roundtrip/null-field-eq-ptr", models: []any{&crPerson{}},
		run: whoMatches([]string{"bob", "cat"}, func() query.Expr {
			return query.Or(crEmailN.EqPtr(nil), crEmailN.EqPtr(strPtr("cat@example.com")))
		})},
	{name: "roundtrip/null-col-of-sql-null", models: []any{&crPerson{}},
		run: whoMatches([]string{"ann"}, func() query.Expr { return crNickN.Eq("annie") })},
	{name: "roundtrip/null-col-of-wrong-type", models: []any{&crPerson{}},
		run:  whoMatches(nil, func() query.Expr { return orm.NullColOf[int, crPerson]("email").Eq(1) }),
		want: orm.ErrInvalidArgument, mention: []string{"cr_people.email", "*string", "int"}},
	{name: "roundtrip/null-col-of-not-nullable", models: []any{&crPerson{}},
		run:  whoMatches(nil, func() query.Expr { return orm.NullColOf[string, crPerson]("name").Eq("x") }),
		want: orm.ErrInvalidArgument, mention: []string{"cr_people.name", "not a nullable column"}},
	{name: "roundtrip/null-field-set-and-set-null", models: []any{&crPerson{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			seedPeople(t, ctx, db)
			if _, err := orm.Update[crPerson](db).SetAll(crEmailN.Set("new@example.com"), crAgeN.SetNull()).
				Where(query.C("name").Eq("bob")).Exec(ctx); err != nil {
				return err
			}
			bob, err := orm.Select[crPerson](db).Where(query.C("name").Eq("bob")).One(ctx)
			if err != nil {
				return err
			}
			if bob.Email == nil || *bob.Email != "new@example.com" || bob.Age != nil {
				t.Errorf("bob: email %v, age %v", bob.Email, bob.Age)
			}
			return nil
		}},
}

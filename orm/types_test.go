package orm_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// cents is a custom value type: a sql.Scanner and driver.Valuer stored as
// an integer.
type cents struct{ v int64 }

func (c cents) Value() (driver.Value, error) { return c.v, nil }

func (c *cents) Scan(src any) error {
	switch s := src.(type) {
	case int64:
		c.v = s
	case []byte:
		n, err := strconv.ParseInt(string(s), 10, 64)
		c.v = n
		return err
	case string:
		n, err := strconv.ParseInt(s, 10, 64)
		c.v = n
		return err
	case nil:
		c.v = 0
	default:
		return fmt.Errorf("cents: cannot scan %T", src)
	}
	return nil
}

type status string

type prefs struct {
	Theme string         `json:"theme"`
	Sizes []int          `json:"sizes"`
	Extra map[string]any `json:"extra,omitempty"`
}

type kTypes struct {
	ID    int64 `db:"id,pk"`
	I     int
	I8    int8
	I16   int16
	I32   int32
	I64   int64
	U     uint
	U8    uint8
	U16   uint16
	U32   uint32
	F32   float32
	F64   float64
	B     bool
	S     string
	Raw   []byte
	At    time.Time
	St    status
	Money cents  `db:"money,kind:int64"`
	Dec   string `db:"dec,decimal:12:2"`

	PS  *string
	PI  *int64
	PB  *bool
	PF  *float64
	PAt *time.Time
	PSt *status

	NS   sql.NullString
	NI   sql.NullInt64
	NI32 sql.NullInt32
	NI16 sql.NullInt16
	NBy  sql.NullByte
	NF   sql.NullFloat64
	NB   sql.NullBool
	NT   sql.NullTime
	GS   sql.Null[string]
	GI   sql.Null[int64]
	GT   sql.Null[time.Time]

	J  fields.JSON[prefs]    `db:"j"`
	PJ *fields.JSON[[]int]   `db:"pj"`
	M  map[string]int        `db:"m,json"`
	NM map[string]int        `db:"nm,json,null"`
	JS fields.JSON[[]string] `db:"js"`
}

func (kTypes) TableName() string { return "types" }

// fullTypes is a kTypes with every field set, nullable ones included, to
// values that test each type's edges and escaping.
func fullTypes() kTypes {
	at := time.Date(2024, 2, 29, 23, 59, 58, 123456000, time.UTC)
	s, n, b, f, st := "pö'\\\"x", int64(-42), false, 0.25, status("p")
	full := kTypes{
		I: math.MaxInt64, I8: math.MinInt8, I16: math.MaxInt16, I32: math.MinInt32, I64: math.MinInt64,
		U: math.MaxInt64, U8: math.MaxUint8, U16: math.MaxUint16, U32: math.MaxUint32,
		F32: 1.5, F64: math.Pi, B: true, S: "héllo 'quoted' \\ \"x\" 🐦", Raw: []byte{0, 1, 0xfe, 0xff, '\'', '\\'},
		At: at, St: "open", Money: cents{12345}, Dec: "1234567890.12",
		PS: &s, PI: &n, PB: &b, PF: &f, PAt: &at, PSt: &st,
		NS: sql.NullString{String: "ns", Valid: true}, NI: sql.NullInt64{Int64: -7, Valid: true},
		NI32: sql.NullInt32{Int32: 32, Valid: true}, NI16: sql.NullInt16{Int16: -16, Valid: true},
		NBy: sql.NullByte{Byte: 200, Valid: true}, NF: sql.NullFloat64{Float64: -0.5, Valid: true},
		NB: sql.NullBool{Bool: false, Valid: true}, NT: sql.NullTime{Time: at, Valid: true},
		GS: sql.Null[string]{V: "g", Valid: true}, GI: sql.Null[int64]{V: 99, Valid: true},
		GT: sql.Null[time.Time]{V: at, Valid: true},
		J:  fields.JSON[prefs]{V: prefs{Theme: "dark", Sizes: []int{1, 2}, Extra: map[string]any{"k": "v"}}},
		PJ: &fields.JSON[[]int]{V: []int{3, 4}},
		M:  map[string]int{"a": 1}, NM: map[string]int{"b": 2},
		JS: fields.JSON[[]string]{V: []string{"x", "y"}},
	}
	return full
}

func TestTypesRoundTrip(t *testing.T) {
	withTables(t, []any{&kTypes{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		full := fullTypes()
		require.NoError(t, db.Insert(ctx, &full))
		got, err := orm.Get[kTypes](ctx, db, full.ID)
		require.NoError(t, err)
		if tdb.Engine == testdb.SQLite {
			// SQLite's NUMERIC affinity stores a decimal with a fraction as
			// a REAL: exact to about 15 digits, and read back as a float.
			d, err := strconv.ParseFloat(got.Dec, 64)
			require.NoError(t, err)
			assert.Equal(t, 1234567890.12, d)
			got.Dec = full.Dec
		}
		assert.Equal(t, full, got)

		// The zero row: every nullable is NULL and reads back as such.
		empty := kTypes{Dec: "0.00", Raw: []byte{}}
		require.NoError(t, db.Insert(ctx, &empty))
		got, err = orm.Get[kTypes](ctx, db, empty.ID)
		require.NoError(t, err)
		assert.Nil(t, got.PS)
		assert.Nil(t, got.PI)
		assert.Nil(t, got.PAt)
		assert.Nil(t, got.PJ)
		assert.Nil(t, got.NM, "a nil map with the null option is NULL")
		assert.False(t, got.NS.Valid)
		assert.False(t, got.NT.Valid)
		assert.False(t, got.GS.Valid)
		assert.False(t, got.GT.Valid)
		assert.Equal(t, 0.0, got.F64)
		assert.True(t, got.At.IsZero(), "the zero time reads back as zero: %v", got.At)
		var nulls int
		require.NoError(t, tdb.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM types WHERE ps IS NULL AND nt IS NULL AND gs IS NULL AND nm IS NULL AND pj IS NULL").Scan(&nulls))
		assert.Equal(t, 1, nulls)

		// A Select read twice: on MySQL the second run goes through a kept
		// statement (the binary protocol), and must read the same values.
		for range 2 {
			rows, err := orm.Select[kTypes](db).Where(query.C("id").Eq(full.ID)).All(ctx)
			require.NoError(t, err)
			require.Len(t, rows, 1)
			if tdb.Engine == testdb.SQLite {
				rows[0].Dec = full.Dec
			}
			assert.Equal(t, full, rows[0])
		}

		// Values in WHERE clauses bind the same way.
		cnt, err := orm.Select[kTypes](db).Where(query.C("money").Eq(cents{12345}), query.C("st").Eq(status("open")), query.C("b").Eq(true)).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, cnt)
	})
}

type kU64 struct {
	ID int64  `db:"id,pk"`
	V  uint64 `db:"v"`
}

func (kU64) TableName() string { return "u64s" }

func TestUint64Max(t *testing.T) {
	withTables(t, []any{&kU64{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		small := &kU64{V: math.MaxInt64}
		require.NoError(t, db.Insert(ctx, small))
		got, err := orm.Get[kU64](ctx, db, small.ID)
		require.NoError(t, err)
		assert.Equal(t, uint64(math.MaxInt64), got.V)

		big := &kU64{V: math.MaxUint64}
		err = db.Insert(ctx, big)
		if tdb.Engine == testdb.SQLite {
			// SQLite integers are signed 64-bit: a clear error, nothing written.
			require.Error(t, err)
			assert.Contains(t, err.Error(), "uint64")
			assert.Equal(t, 1, countRows(t, tdb, "u64s"))
			return
		}
		require.NoError(t, err, "PostgreSQL NUMERIC(20) and MySQL BIGINT UNSIGNED hold it")
		got, err = orm.Get[kU64](ctx, db, big.ID)
		require.NoError(t, err)
		assert.Equal(t, uint64(math.MaxUint64), got.V)
	})
}

type kTimes struct {
	ID  int64      `db:"id,pk"`
	At  time.Time  `db:"at"`
	PAt *time.Time `db:"p_at"`
}

func (kTimes) TableName() string { return "times" }

func TestTimeRoundTripUTC(t *testing.T) {
	withTables(t, []any{&kTimes{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		zone := time.FixedZone("UTC-7", -7*3600)
		in := time.Date(2024, 5, 6, 7, 8, 9, 123456789, zone)
		want := in.UTC().Truncate(time.Microsecond)
		m := &kTimes{At: in, PAt: &in}
		require.NoError(t, db.Insert(ctx, m))
		got, err := orm.Get[kTimes](ctx, db, m.ID)
		require.NoError(t, err)
		for name, v := range map[string]time.Time{"At": got.At, "PAt": *got.PAt} {
			assert.Equal(t, time.UTC, v.Location(), "%s is in UTC", name)
			// At least microsecond precision everywhere. SQLite stores the
			// text with all nine digits, so it keeps nanoseconds.
			assert.True(t, v.Truncate(time.Microsecond).Equal(want), "%s: got %v, want %v", name, v, want)
			assert.Less(t, v.Sub(in).Abs(), time.Microsecond, name)
			if tdb.Engine == testdb.SQLite {
				assert.True(t, v.Equal(in), "SQLite keeps nanoseconds")
			} else {
				assert.True(t, v.Equal(want), "PostgreSQL and MySQL keep microseconds")
			}
		}

		// Stored in UTC: on SQLite the text sorts and compares by instant.
		early := time.Date(2024, 5, 6, 10, 0, 0, 0, zone)       // 17:00 UTC
		late := time.Date(2024, 5, 6, 12, 0, 0, 0, time.UTC)    // 12:00 UTC, earlier than "early"
		later := time.Date(2024, 5, 6, 20, 0, 0, 0, time.Local) // whatever Local is
		for _, v := range []time.Time{early, late, later} {
			require.NoError(t, db.Insert(ctx, &kTimes{At: v}))
		}
		ordered, err := orm.Pluck[time.Time](ctx, orm.Select[kTimes](db).Where(query.C("id").Gt(m.ID)).OrderBy(query.C("at")), query.C("at"))
		require.NoError(t, err)
		require.Len(t, ordered, 3)
		for i := 1; i < len(ordered); i++ {
			assert.False(t, ordered[i].Before(ordered[i-1]), "ORDER BY at is by instant: %v", ordered)
		}
		n, err := orm.Select[kTimes](db).Where(query.C("at").Gt(time.Date(2024, 5, 6, 9, 0, 0, 0, zone))).Where(query.C("id").Gt(m.ID)).Count(ctx)
		require.NoError(t, err)
		wantN := 0
		for _, v := range []time.Time{early, late, later} {
			if v.After(time.Date(2024, 5, 6, 9, 0, 0, 0, zone)) {
				wantN++
			}
		}
		assert.EqualValues(t, wantN, n, "a comparison with a non-UTC argument is by instant")
		if tdb.Engine == testdb.SQLite {
			var text string
			require.NoError(t, tdb.DB.QueryRowContext(ctx, "SELECT at FROM times WHERE id = ?", m.ID).Scan(&text))
			assert.Contains(t, text, "14:08:09.123456789", "stored as UTC text")
		}
	})
}

// TestTimeSQLiteOpen checks the SQLite text format that Open sets: one that
// SQLite's own date functions read.
func TestTimeSQLiteOpen(t *testing.T) {
	ctx := t.Context()
	db, err := orm.Open(ctx, "sqlite::memory:")
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.CreateTables(ctx, &kTimes{}))
	in := time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("", 3600))
	require.NoError(t, db.Insert(ctx, &kTimes{At: in}))
	var day string
	require.NoError(t, db.SQL().QueryRowContext(ctx, "SELECT date(at) FROM times").Scan(&day))
	assert.Equal(t, "2024-05-06", day)
	got, err := orm.Select[kTimes](db).One(ctx)
	require.NoError(t, err)
	assert.True(t, got.At.Equal(in))
	assert.Equal(t, time.UTC, got.At.Location())
}

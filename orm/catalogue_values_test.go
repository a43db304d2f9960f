package orm_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// catalogueValues: §3 of issue 13: values the engine would store but not
// give back. Each write either round-trips exactly or fails with
// orm.ErrInvalidValue before it reaches the table (the cases that refuse
// assert the table is untouched).

type cvFloats struct {
	ID  int64           `db:"id,pk"`
	F   float64         `db:"f"`
	F32 float32         `db:"f32"`
	PF  *float64        `db:"pf"`
	NF  sql.NullFloat64 `db:"nf"`
	Dec float64         `db:"dec,decimal:20:6"`
}

func (cvFloats) TableName() string { return "cv_floats" }

type cvTimes struct {
	ID  int64      `db:"id,pk"`
	At  time.Time  `db:"at"`
	PAt *time.Time `db:"p_at"`
	Day time.Time  `db:"day,kind:date"`
}

func (cvTimes) TableName() string { return "cv_times" }

type cvTimeKey struct {
	At   time.Time `db:"at,pk"`
	Name string    `db:"name"`
}

func (cvTimeKey) TableName() string { return "cv_time_keys" }

// cvCounter has a column of each kind for Update[T].Set.
type cvCounter struct {
	ID    int64                 `db:"id,pk"`
	N     int64                 `db:"n"`
	Small int8                  `db:"small"`
	U     uint32                `db:"u"`
	F     float64               `db:"f"`
	F32   float32               `db:"f32"`
	Name  string                `db:"name"`
	Note  *string               `db:"note"`
	On    bool                  `db:"on_flag"`
	Raw   []byte                `db:"raw"`
	At    time.Time             `db:"at"`
	Tags  fields.JSON[[]string] `db:"tags"`
	Price string                `db:"price,decimal:10:2"`
}

func (cvCounter) TableName() string { return "cv_counters" }

var (
	nan     = math.NaN()
	posInf  = math.Inf(1)
	negInf  = math.Inf(-1)
	cvAt    = orm.Field(func(m *cvTimes) *time.Time { return &m.At })
	cvF     = orm.Field(func(m *cvFloats) *float64 { return &m.F })
	cvCount = orm.Field(func(m *cvCounter) *int64 { return &m.N })
)

func utcAt(y int, mo time.Month, d, h, mi, s, us int) time.Time {
	return time.Date(y, mo, d, h, mi, s, us*1000, time.UTC)
}

// named checks that a refusal names the engine it was refused for, then
// returns it for the harness.
func named(t *testing.T, tdb *testdb.DB, err error) error {
	t.Helper()
	if err != nil && !strings.Contains(err.Error(), tdb.Dialect.String()) {
		t.Errorf("the error %q does not name the engine (%s)", err, tdb.Dialect)
	}
	return err
}

// untouched checks that a refused write left table empty.
func untouched(t *testing.T, tdb *testdb.DB, table string, err error) error {
	t.Helper()
	if n := countRows(t, tdb, table); n != 0 {
		t.Errorf("a refused write left %d row(s) in %s", n, table)
	}
	return named(t, tdb, err)
}

// insertRefused inserts m, which must be refused with nothing written.
func insertRefused(m func() any, table string) func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
	return func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
		return untouched(t, tdb, table, db.Insert(ctx, m()))
	}
}

// roundTrip inserts m, reads it back by key and compares every field,
// then writes the unchanged row again.
func roundTrip[T any](m T, key func(*T) any) func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
	return func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
		in := m
		if err := db.Insert(ctx, &in); err != nil {
			return err
		}
		got, err := orm.Get[T](ctx, db, key(&in))
		if err != nil {
			return err
		}
		if !sameValues(got, in) {
			t.Errorf("read back %+v, wrote %+v", got, in)
		}
		return db.Update(ctx, &got)
	}
}

// sameValues is reflect.DeepEqual with NaN equal to NaN and times equal
// when they are the same instant.
func sameValues(a, b any) bool {
	return sameValue(reflect.ValueOf(a), reflect.ValueOf(b))
}

func sameValue(a, b reflect.Value) bool {
	if a.Type() != b.Type() {
		return false
	}
	if t, ok := a.Interface().(time.Time); ok {
		return t.Equal(b.Interface().(time.Time))
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y || math.IsNaN(x) && math.IsNaN(y)
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

func floatsKey(m *cvFloats) any { return m.ID }
func timesKey(m *cvTimes) any   { return m.ID }

// setRefused runs a bulk update that must be refused before the database,
// with the seeded row unchanged.
func setRefused(u func(db *orm.DB) orm.UpdateQuery[cvCounter]) func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
	return func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
		seed := cvCounter{N: 7, Name: "seed", Raw: []byte{1}, At: utcAt(2024, 1, 2, 3, 4, 5, 0)}
		if err := db.Insert(ctx, &seed); err != nil {
			t.Fatalf("seed: %v", err)
		}
		before, err := orm.Get[cvCounter](ctx, db, seed.ID)
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		_, err = u(db).Where(cvCount.Eq(7)).Exec(ctx)
		got, gerr := orm.Get[cvCounter](ctx, db, seed.ID)
		if gerr != nil {
			t.Fatalf("the row cannot be read after the refused update: %v", gerr)
		}
		if !sameValues(got, before) {
			t.Errorf("a refused update changed the row: %+v, was %+v", got, before)
		}
		return err
	}
}

// setWorks runs a bulk update that must succeed, then checks the row.
func setWorks(u func(db *orm.DB) orm.UpdateQuery[cvCounter], check func(t *testing.T, got cvCounter)) func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
	return func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
		seed := cvCounter{N: 7, Name: "seed", Raw: []byte{1}, At: utcAt(2024, 1, 2, 3, 4, 5, 0)}
		if err := db.Insert(ctx, &seed); err != nil {
			t.Fatalf("seed: %v", err)
		}
		n, err := u(db).Where(query.C("id").Eq(seed.ID)).Exec(ctx)
		if err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("updated %d rows, want 1", n)
		}
		got, err := orm.Get[cvCounter](ctx, db, seed.ID)
		if err != nil {
			return fmt.Errorf("the row cannot be read back: %w", err)
		}
		check(t, got)
		return nil
	}
}

// engineNamed is run, whose error must name the engine.
func engineNamed(run func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error) func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
	return func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
		return named(t, tdb, run(t, ctx, db, tdb))
	}
}

func set(col string, v any) func(db *orm.DB) orm.UpdateQuery[cvCounter] {
	return func(db *orm.DB) orm.UpdateQuery[cvCounter] { return orm.Update[cvCounter](db).Set(col, v) }
}

var catalogueValues = []badCase{
	// NaN and ±Inf: SQLite keeps NaN as NULL, MySQL refuses both in a
	// float column and keeps them as 0 in a DECIMAL; PostgreSQL keeps all
	// of them in double precision, NaN (not ±Inf) in NUMERIC(p,s).
	{name: "values/float-nan-insert", engines: on("sqlite", "mysql"), models: []any{&cvFloats{}},
		run:  insertRefused(func() any { return &cvFloats{F: nan} }, "cv_floats"),
		want: orm.ErrInvalidValue, mention: []string{"insert into cv_floats", "column f ", "NaN", "float64"}},
	{name: "values/float32-nan-insert", engines: on("sqlite", "mysql"), models: []any{&cvFloats{}},
		run:  insertRefused(func() any { return &cvFloats{F32: float32(nan)} }, "cv_floats"),
		want: orm.ErrInvalidValue, mention: []string{"cv_floats", "column f32", "NaN", "float32"}},
	{name: "values/pointer-nan-insert", engines: on("sqlite", "mysql"), models: []any{&cvFloats{}},
		run:  insertRefused(func() any { return &cvFloats{PF: &nan} }, "cv_floats"),
		want: orm.ErrInvalidValue, mention: []string{"cv_floats", "column pf", "NaN"}},
	{name: "values/nullfloat-nan-insert", engines: on("sqlite", "mysql"), models: []any{&cvFloats{}},
		run:  insertRefused(func() any { return &cvFloats{NF: sql.NullFloat64{Float64: nan, Valid: true}} }, "cv_floats"),
		want: orm.ErrInvalidValue, mention: []string{"cv_floats", "column nf", "NaN"}},
	{name: "values/float-nan-postgres-round-trip", engines: on("postgres"), models: []any{&cvFloats{}},
		run: roundTrip(cvFloats{F: nan, F32: float32(nan), PF: &nan, NF: sql.NullFloat64{Float64: nan, Valid: true}, Dec: nan}, floatsKey)},
	{name: "values/float-inf-round-trip", engines: on("sqlite", "postgres"), models: []any{&cvFloats{}},
		run: roundTrip(cvFloats{F: posInf, F32: float32(negInf), PF: &negInf, NF: sql.NullFloat64{Float64: posInf, Valid: true}}, floatsKey)},
	{name: "values/float-inf-mysql", engines: on("mysql"), models: []any{&cvFloats{}},
		run:  insertRefused(func() any { return &cvFloats{F: negInf} }, "cv_floats"),
		want: orm.ErrInvalidValue, mention: []string{"cv_floats", "column f ", "-Inf"}},
	{name: "values/decimal-nan", engines: on("sqlite", "mysql"), models: []any{&cvFloats{}},
		run:  insertRefused(func() any { return &cvFloats{Dec: nan} }, "cv_floats"),
		want: orm.ErrInvalidValue, mention: []string{"cv_floats", "column dec", "NaN", "decimal"}},
	{name: "values/decimal-inf", engines: on("postgres", "mysql"), models: []any{&cvFloats{}},
		run:  insertRefused(func() any { return &cvFloats{Dec: posInf} }, "cv_floats"),
		want: orm.ErrInvalidValue, mention: []string{"cv_floats", "column dec", "+Inf", "decimal"}},
	{name: "values/decimal-inf-sqlite-round-trip", engines: on("sqlite"), models: []any{&cvFloats{}},
		run: roundTrip(cvFloats{Dec: negInf}, floatsKey)},
	{name: "values/float-nan-update", engines: on("sqlite", "mysql"), models: []any{&cvFloats{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			m := cvFloats{F: 1}
			if err := db.Insert(ctx, &m); err != nil {
				t.Fatal(err)
			}
			m.F = nan
			err := db.Update(ctx, &m)
			if got, _ := orm.Get[cvFloats](ctx, db, m.ID); got.F != 1 {
				t.Errorf("the refused update wrote %v", got.F)
			}
			return named(t, tdb, err)
		},
		want: orm.ErrInvalidValue, mention: []string{"update cv_floats", "column f ", "NaN"}},
	{name: "values/float-nan-upsert", engines: on("sqlite", "mysql"), models: []any{&cvFloats{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			return untouched(t, tdb, "cv_floats", db.Upsert(ctx, &cvFloats{ID: 5, F: nan}, "id"))
		},
		want: orm.ErrInvalidValue, mention: []string{"upsert into cv_floats", "column f ", "NaN"}},
	{name: "values/float-nan-insert-many", engines: on("sqlite", "mysql"), models: []any{&cvFloats{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			rows := []cvFloats{{F: 1}, {F: 2}, {F: nan}, {F: 4}}
			return untouched(t, tdb, "cv_floats", db.InsertMany(ctx, rows))
		},
		want: orm.ErrInvalidValue, mention: []string{"insert into cv_floats", "column f ", "NaN"}},
	{name: "values/float-nan-bulk-set", engines: on("sqlite", "mysql"), models: []any{&cvCounter{}},
		run:  engineNamed(setRefused(set("f", nan))),
		want: orm.ErrInvalidValue, mention: []string{"update cv_counters", "column f", "NaN"}},
	{name: "values/float-nan-typed-set", engines: on("sqlite", "mysql"), models: []any{&cvFloats{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			m := cvFloats{F: 1}
			if err := db.Insert(ctx, &m); err != nil {
				t.Fatal(err)
			}
			_, err := orm.Update[cvFloats](db).SetAll(cvF.Set(nan)).Where(cvF.Eq(1)).Exec(ctx)
			if got, _ := orm.Get[cvFloats](ctx, db, m.ID); got.F != 1 {
				t.Errorf("the refused update wrote %v", got.F)
			}
			return named(t, tdb, err)
		},
		want: orm.ErrInvalidValue, mention: []string{"update cv_floats", "column f", "NaN"}},

	// Times: SQLite's text reads back for years 0000 to 9999, MySQL's
	// DATETIME for 0001 to 9999; PostgreSQL's timestamptz spans 4714 BC
	// to 294276 AD, and pgx wraps a time past that round silently.
	{name: "values/time-year-10000-insert", engines: on("sqlite", "mysql"), models: []any{&cvTimes{}},
		run:  insertRefused(func() any { return &cvTimes{At: utcAt(10000, 1, 1, 0, 0, 0, 0)} }, "cv_times"),
		want: orm.ErrInvalidValue, mention: []string{"insert into cv_times", "column at", "10000-01-01T00:00:00Z", "9999-12-31 23:59:59"}},
	{name: "values/time-year-10000-postgres-round-trip", engines: on("postgres"), models: []any{&cvTimes{}},
		run: roundTrip(cvTimes{At: utcAt(10000, 1, 1, 0, 0, 0, 0), Day: utcAt(200000, 6, 1, 0, 0, 0, 0)}, timesKey)},
	{name: "values/time-negative-year", engines: on("sqlite", "mysql"), models: []any{&cvTimes{}},
		run:  insertRefused(func() any { return &cvTimes{At: utcAt(-1, 12, 31, 0, 0, 0, 0)} }, "cv_times"),
		want: orm.ErrInvalidValue, mention: []string{"cv_times", "column at", "-0001-12-31"}},
	{name: "values/time-year-0-mysql", engines: on("mysql"), models: []any{&cvTimes{}},
		run:  insertRefused(func() any { return &cvTimes{At: utcAt(0, 6, 1, 0, 0, 0, 0)} }, "cv_times"),
		want: orm.ErrInvalidValue, mention: []string{"cv_times", "column at", "0000-06-01", "0001-01-01"}},
	{name: "values/time-year-0-round-trip", engines: on("sqlite", "postgres"), models: []any{&cvTimes{}},
		run: roundTrip(cvTimes{At: utcAt(0, 6, 1, 12, 0, 0, 0)}, timesKey)},
	{name: "values/time-postgres-past-max", engines: on("postgres"), models: []any{&cvTimes{}},
		run:  insertRefused(func() any { return &cvTimes{At: utcAt(5874897, 12, 31, 0, 0, 0, 0)} }, "cv_times"),
		want: orm.ErrInvalidValue, mention: []string{"cv_times", "column at", "294276-12-31"}},
	{name: "values/date-postgres-past-max", engines: on("postgres"), models: []any{&cvTimes{}},
		run:  insertRefused(func() any { return &cvTimes{Day: utcAt(5874898, 1, 1, 0, 0, 0, 0)} }, "cv_times"),
		want: orm.ErrInvalidValue, mention: []string{"cv_times", "column day", "date column", "5874897-12-31"}},
	{name: "values/time-edges-round-trip", models: []any{&cvTimes{}},
		run: roundTrip(cvTimes{At: utcAt(9999, 12, 31, 23, 59, 59, 999999), PAt: ptr(utcAt(1, 1, 1, 0, 0, 0, 1)), Day: utcAt(9999, 12, 31, 0, 0, 0, 0)}, timesKey)},
	{name: "values/time-zero-round-trip", models: []any{&cvTimes{}},
		run: roundTrip(cvTimes{}, timesKey)},
	{name: "values/time-zone-shifts-into-range", models: []any{&cvTimes{}},
		// Year 10000 at +14:00 is 9999-12-31T10:00Z: in range, as written.
		run: roundTrip(cvTimes{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.FixedZone("", 14*3600))}, timesKey)},
	{name: "values/time-pointer-update", engines: on("sqlite", "mysql"), models: []any{&cvTimes{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			m := cvTimes{At: utcAt(2024, 1, 1, 0, 0, 0, 0)}
			if err := db.Insert(ctx, &m); err != nil {
				t.Fatal(err)
			}
			m.PAt = ptr(utcAt(12000, 1, 1, 0, 0, 0, 0))
			err := db.Update(ctx, &m)
			if _, gerr := orm.Get[cvTimes](ctx, db, m.ID); gerr != nil {
				t.Errorf("the row cannot be read after the refused update: %v", gerr)
			}
			return named(t, tdb, err)
		},
		want: orm.ErrInvalidValue, mention: []string{"update cv_times", "column p_at", "12000-01-01"}},
	{name: "values/time-upsert", engines: on("sqlite", "mysql"), models: []any{&cvTimes{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			return untouched(t, tdb, "cv_times", db.Upsert(ctx, &cvTimes{ID: 3, At: utcAt(10000, 1, 1, 0, 0, 0, 0)}, "id"))
		},
		want: orm.ErrInvalidValue, mention: []string{"upsert into cv_times", "column at"}},
	{name: "values/time-insert-many", models: []any{&cvTimes{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			rows := []cvTimes{{At: utcAt(2024, 1, 1, 0, 0, 0, 0)}, {At: utcAt(-5000, 1, 1, 0, 0, 0, 0)}}
			return untouched(t, tdb, "cv_times", db.InsertMany(ctx, rows))
		},
		want: orm.ErrInvalidValue, mention: []string{"insert into cv_times", "column at", "-5000-01-01"}},
	{name: "values/time-bulk-set", engines: on("sqlite", "mysql"), models: []any{&cvCounter{}},
		run:  engineNamed(setRefused(set("at", utcAt(10000, 1, 1, 0, 0, 0, 0)))),
		want: orm.ErrInvalidValue, mention: []string{"update cv_counters", "column at", "10000-01-01"}},
	{name: "values/time-typed-set", models: []any{&cvTimes{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			_, err := orm.Update[cvTimes](db).SetAll(cvAt.Set(utcAt(300000, 1, 1, 0, 0, 0, 0))).AllRows().Exec(ctx)
			return named(t, tdb, err)
		},
		want: orm.ErrInvalidValue, mention: []string{"update cv_times", "column at", "300000-01-01"}},
	{name: "values/time-get-by-key", engines: on("sqlite", "mysql"), models: []any{&cvTimeKey{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			_, err := orm.Get[cvTimeKey](ctx, db, utcAt(10000, 1, 1, 0, 0, 0, 0))
			return named(t, tdb, err)
		},
		want: orm.ErrInvalidValue, mention: []string{"cv_time_keys", "key column at", "10000-01-01"}},
	{name: "values/time-key-round-trip", models: []any{&cvTimeKey{}},
		run: roundTrip(cvTimeKey{At: utcAt(2024, 2, 29, 12, 0, 0, 5), Name: "leap"}, func(m *cvTimeKey) any { return m.At })},

	// Update[T].Set: the value's Go type is checked against the field's.
	{name: "values/set-string-into-int64", models: []any{&cvCounter{}},
		run:  setRefused(set("n", "notanumber")),
		want: orm.ErrInvalidValue, mention: []string{"update cv_counters", "column n", "int64", "string", `"notanumber"`}},
	{name: "values/set-float-into-int64", models: []any{&cvCounter{}},
		run:  setRefused(set("n", 1.5)),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column n", "int64", "float64"}},
	{name: "values/set-overflows-int8", models: []any{&cvCounter{}},
		run:  setRefused(set("small", 300)),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column small", "int8", "300", "overflows"}},
	{name: "values/set-negative-into-uint32", models: []any{&cvCounter{}},
		run:  setRefused(set("u", -1)),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column u", "uint32", "-1"}},
	{name: "values/set-nil-into-not-null", models: []any{&cvCounter{}},
		run:  setRefused(set("name", nil)),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column name", "NOT NULL"}},
	{name: "values/set-string-into-time", models: []any{&cvCounter{}},
		run:  setRefused(set("at", "2024-01-01")),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column at", "time.Time", "string"}},
	{name: "values/set-int-into-bool", models: []any{&cvCounter{}},
		run:  setRefused(set("on_flag", 1)),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column on_flag", "bool", "int"}},
	{name: "values/set-string-into-bytes", models: []any{&cvCounter{}},
		run:  setRefused(set("raw", "x")),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column raw", "[]uint8", "string"}},
	{name: "values/set-inexact-float32", models: []any{&cvCounter{}},
		run:  setRefused(set("f32", 0.1)),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column f32", "float32"}},
	{name: "values/set-text-into-decimal", models: []any{&cvCounter{}},
		run:  setRefused(set("price", "cheap")),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column price", "decimal"}},
	{name: "values/set-valuer-of-wrong-kind", models: []any{&cvCounter{}},
		run:  setRefused(set("n", sql.NullString{String: "7", Valid: true})),
		want: orm.ErrInvalidValue, mention: []string{"cv_counters", "column n", "sql.NullString", "int64"}},
	{name: "values/set-lossless-values-work", models: []any{&cvCounter{}},
		run: setWorks(func(db *orm.DB) orm.UpdateQuery[cvCounter] {
			note := "n"
			return orm.Update[cvCounter](db).Set("n", 42).Set("small", int64(-5)).Set("u", uint8(9)).
				Set("f", 3).Set("f32", 0.5).Set("name", "X").Set("note", &note).
				Set("on_flag", true).Set("raw", []byte(nil)).Set("tags", []string{"a", "b"}).Set("price", "12.50")
		}, func(t *testing.T, got cvCounter) {
			want := cvCounter{ID: got.ID, N: 42, Small: -5, U: 9, F: 3, F32: 0.5, Name: "X", Note: ptr("n"), On: true,
				Raw: got.Raw, At: got.At, Tags: fields.JSON[[]string]{V: []string{"a", "b"}}, Price: got.Price}
			if !sameValues(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if len(got.Raw) != 0 || !strings.HasPrefix(got.Price, "12.5") {
				t.Errorf("raw %v, price %q", got.Raw, got.Price)
			}
		})},
	{name: "values/set-nil-and-expr-work", models: []any{&cvCounter{}},
		run: setWorks(func(db *orm.DB) orm.UpdateQuery[cvCounter] {
			return orm.Update[cvCounter](db).Set("note", nil).Set("n", query.C("n").Add(1)).Set("at", utcAt(9999, 12, 31, 0, 0, 0, 0))
		}, func(t *testing.T, got cvCounter) {
			if got.Note != nil || got.N != 8 || !got.At.Equal(utcAt(9999, 12, 31, 0, 0, 0, 0)) {
				t.Errorf("got note %v, n %d, at %v", got.Note, got.N, got.At)
			}
		})},
}

package dialect_test

import (
	"database/sql"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
)

func utc(y int, m time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, m, d, h, mi, s, ns, time.UTC)
}

// TestLimitsCheck holds each engine to what it was measured to store and
// give back (see Limits): true is "passes", false "refused".
func TestLimitsCheck(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		kind fields.Kind
		v    any
		ok   map[string]bool
	}{
		{"float NaN", fields.KindFloat64, nan, map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"float32 NaN", fields.KindFloat32, float32(nan), map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"float +Inf", fields.KindFloat64, inf, map[string]bool{"sqlite": true, "postgres": true, "mysql": false}},
		{"float -Inf", fields.KindFloat64, -inf, map[string]bool{"sqlite": true, "postgres": true, "mysql": false}},
		{"float max", fields.KindFloat64, math.MaxFloat64, map[string]bool{"sqlite": true, "postgres": true, "mysql": true}},
		{"NullFloat64 NaN", fields.KindFloat64, sql.NullFloat64{Float64: nan, Valid: true}, map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"Null[float64] NaN", fields.KindFloat64, sql.Null[float64]{V: nan, Valid: true}, map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"decimal NaN", fields.KindDecimal, nan, map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"decimal Inf", fields.KindDecimal, inf, map[string]bool{"sqlite": true, "postgres": false, "mysql": false}},
		{"decimal string", fields.KindDecimal, "NaN", map[string]bool{"sqlite": true, "postgres": true, "mysql": true}},
		{"NaN in a string column", fields.KindString, nan, map[string]bool{"sqlite": true, "postgres": true, "mysql": true}},
		{"time zero", fields.KindTime, time.Time{}, map[string]bool{"sqlite": true, "postgres": true, "mysql": true}},
		{"time year 0", fields.KindTime, utc(0, 1, 1, 0, 0, 0, 0), map[string]bool{"sqlite": true, "postgres": true, "mysql": false}},
		{"time year -1", fields.KindTime, utc(-1, 12, 31, 23, 59, 59, 0), map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"time 9999 last", fields.KindTime, utc(9999, 12, 31, 23, 59, 59, 999999999), map[string]bool{"sqlite": true, "postgres": true, "mysql": true}},
		{"time 10000", fields.KindTime, utc(10000, 1, 1, 0, 0, 0, 0), map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"time 10000 at +14:00", fields.KindTime, time.Date(10000, 1, 1, 0, 0, 0, 0, time.FixedZone("", 14*3600)), map[string]bool{"sqlite": true, "postgres": true, "mysql": true}},
		{"time pg max", fields.KindTime, utc(294276, 12, 31, 23, 59, 59, 999999000), map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"time past pg max", fields.KindTime, utc(294277, 1, 1, 0, 0, 0, 0), map[string]bool{"sqlite": false, "postgres": false, "mysql": false}},
		{"time pg min", fields.KindTime, utc(-4713, 11, 24, 0, 0, 0, 0), map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"time before pg min", fields.KindTime, utc(-4713, 11, 23, 23, 59, 59, 0), map[string]bool{"sqlite": false, "postgres": false, "mysql": false}},
		{"NullTime 10000", fields.KindTime, sql.NullTime{Time: utc(10000, 1, 1, 0, 0, 0, 0), Valid: true}, map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"Null[time] 10000", fields.KindTime, sql.Null[time.Time]{V: utc(10000, 1, 1, 0, 0, 0, 0), Valid: true}, map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"date past pg timestamp", fields.KindDate, utc(294277, 1, 1, 0, 0, 0, 0), map[string]bool{"sqlite": false, "postgres": true, "mysql": false}},
		{"date past pg max", fields.KindDate, utc(5874898, 1, 1, 0, 0, 0, 0), map[string]bool{"sqlite": false, "postgres": false, "mysql": false}},
		{"time in a string column", fields.KindString, utc(10000, 1, 1, 0, 0, 0, 0), map[string]bool{"sqlite": true, "postgres": true, "mysql": true}},
	}
	for _, d := range all {
		lim := dialect.LimitsOf(d)
		for _, c := range cases {
			want := byName(t, d, c.ok)
			err := lim.Check(c.kind, c.v)
			switch {
			case want && err != nil:
				t.Errorf("%s: %s: want it to pass, got %v", d, c.name, err)
			case !want && err == nil:
				t.Errorf("%s: %s: want it refused, it passed", d, c.name)
			case !want && !errors.Is(err, fields.ErrInvalidValue):
				t.Errorf("%s: %s: %v does not wrap fields.ErrInvalidValue", d, c.name, err)
			case !want && !strings.Contains(err.Error(), d.String()):
				t.Errorf("%s: %s: %q does not name the engine", d, c.name, err)
			}
			if !want && !lim.Checks(c.kind) {
				t.Errorf("%s: %s: Checks(%s) is false, but Check refuses a value", d, c.name, c.kind)
			}
		}
	}
}

func TestLimitsMessage(t *testing.T) {
	lim := dialect.LimitsOf(dialect.SQLite)
	err := lim.Check(fields.KindTime, utc(10000, 1, 1, 0, 0, 0, 0))
	want := "kinglet: fields: invalid value: time 10000-01-01T00:00:00Z in a time column is outside what sqlite 3.46.0 " +
		"stores and reads back (0000-01-01 00:00:00 to 9999-12-31 23:59:59, UTC)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	err = lim.Check(fields.KindFloat64, math.NaN())
	if want := "kinglet: fields: invalid value: NaN in a float64 column: sqlite 3.46.0 would not give it back"; err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestLimitsChecks: where an engine takes every value of a kind, writers
// need not look at it (PostgreSQL's floats).
func TestLimitsChecks(t *testing.T) {
	pg := dialect.LimitsOf(dialect.Postgres)
	if pg.Checks(fields.KindFloat64) || !pg.Checks(fields.KindDecimal) || !pg.Checks(fields.KindTime) || pg.Checks(fields.KindString) {
		t.Errorf("postgres Checks: float64 %v, decimal %v, time %v, string %v", pg.Checks(fields.KindFloat64),
			pg.Checks(fields.KindDecimal), pg.Checks(fields.KindTime), pg.Checks(fields.KindString))
	}
	other := dialect.LimitsOf(otherDialect{dialect.SQLite})
	for _, k := range []fields.Kind{fields.KindFloat64, fields.KindDecimal, fields.KindTime, fields.KindDate} {
		if other.Checks(k) {
			t.Errorf("a dialect of another package without ValueLimiter: Checks(%s) is true", k)
		}
	}
	limited := dialect.LimitsOf(limitedDialect{otherDialect{dialect.SQLite}})
	if limited.Engine != "limited" || !limited.Checks(fields.KindFloat64) {
		t.Errorf("ValueLimiter not used: %+v", limited)
	}
}

type otherDialect struct{ dialect.Dialect }

type limitedDialect struct{ otherDialect }

func (limitedDialect) ValueLimits() dialect.Limits {
	return dialect.Limits{Engine: "limited", TimeMin: math.MinInt64, TimeMax: math.MaxInt64, DateMin: math.MinInt64, DateMax: math.MaxInt64}
}

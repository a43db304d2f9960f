package dialect

import (
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/kingletdb/kinglet/fields"
)

// Limits are the values an engine stores and gives back unchanged, where
// that is less than what Go can hold. kinglet refuses any other value
// before it reaches the table, with an error wrapping fields.ErrInvalidValue,
// because the engine would keep something else (SQLite keeps NaN as NULL,
// MySQL keeps NaN in a DECIMAL as 0, pgx's binary format wraps a timestamp
// past year 294276 round), keep text it cannot read back (SQLite's text for
// year 10000), or fail with a less helpful error. Measured on SQLite 3.46
// (modernc.org/sqlite), PostgreSQL 15 and MariaDB 10.11:
//
//	              float NaN  float ±Inf  decimal NaN  decimal ±Inf  time (UTC)                     date
//	sqlite        no (NULL)  yes         no (NULL)    yes           0000-01-01 … 9999-12-31        as time
//	postgres      yes        yes         yes          no (error)    4714-11-24 BC … 294276-12-31   4714-11-24 BC … 5874897-12-31
//	mysql/mariadb no (error) no (error)  no (0)       no (0)        0001-01-01 … 9999-12-31        as time
//
// MySQL documents DATETIME from year 1000, but years 1 to 999 are stored and
// read back (and time.Time's zero value is in year 1); the driver refuses
// years outside 1 … 9999 itself. Times are compared as instants (in UTC, as
// kinglet writes them) to the second: the last second of a range is in it
// whole (engines keep microseconds; finer fractions are cut off).
type Limits struct {
	// Engine names the engine in errors, e.g. "sqlite 3.46.0".
	Engine string
	// FloatNaN and FloatInf report that NaN and ±Inf round-trip through a
	// float column (KindFloat32, KindFloat64).
	FloatNaN, FloatInf bool
	// DecimalNaN and DecimalInf are the same for a decimal column
	// (KindDecimal) written from a float.
	DecimalNaN, DecimalInf bool
	// TimeMin and TimeMax bound a time column's values (KindTime), as Unix
	// seconds, inclusive: a time is in range when its t.Unix() is. No bound
	// is math.MinInt64 or math.MaxInt64.
	TimeMin, TimeMax int64
	// DateMin and DateMax bound a date column's values (KindDate).
	DateMin, DateMax int64
}

// ValueLimiter is implemented by dialects outside this package that know
// their engine's Limits. LimitsOf uses it; without it, nothing is refused.
type ValueLimiter interface {
	ValueLimits() Limits
}

var (
	sqliteTimeMin = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	sqliteTimeMax = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	pgTimeMin     = time.Date(-4713, 11, 24, 0, 0, 0, 0, time.UTC).Unix() // 4714 BC, Julian day 0
	pgTimeMax     = time.Date(294276, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	pgDateMax     = time.Date(5874897, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	mysqlTimeMin  = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	mysqlTimeMax  = sqliteTimeMax
)

// LimitsOf returns d's Limits.
func LimitsOf(d Dialect) Limits {
	switch d := d.(type) {
	case sqliteDialect:
		// SQLite writes times as text (YYYY-MM-DD HH:MM:SS…), which reads
		// back for four-digit years only; REAL keeps ±Inf, not NaN.
		return Limits{Engine: d.String(), FloatInf: true, DecimalInf: true,
			TimeMin: sqliteTimeMin, TimeMax: sqliteTimeMax, DateMin: sqliteTimeMin, DateMax: sqliteTimeMax}
	case postgresDialect:
		// double precision and real keep NaN and ±Inf; kinglet's
		// NUMERIC(p,s) keeps NaN but refuses ±Inf.
		return Limits{Engine: d.String(), FloatNaN: true, FloatInf: true, DecimalNaN: true,
			TimeMin: pgTimeMin, TimeMax: pgTimeMax, DateMin: pgTimeMin, DateMax: pgDateMax}
	case mysqlDialect:
		return Limits{Engine: d.String(),
			TimeMin: mysqlTimeMin, TimeMax: mysqlTimeMax, DateMin: mysqlTimeMin, DateMax: mysqlTimeMax}
	case ValueLimiter:
		return d.ValueLimits()
	}
	return Limits{Engine: fmt.Sprint(d), FloatNaN: true, FloatInf: true, DecimalNaN: true, DecimalInf: true,
		TimeMin: math.MinInt64, TimeMax: math.MaxInt64, DateMin: math.MinInt64, DateMax: math.MaxInt64}
}

// Checks reports whether a value for a column of kind k can be outside l,
// so that writers check only the columns that need it.
func (l *Limits) Checks(k fields.Kind) bool {
	switch k {
	case fields.KindFloat32, fields.KindFloat64:
		return !l.FloatNaN || !l.FloatInf
	case fields.KindDecimal:
		return !l.DecimalNaN || !l.DecimalInf
	case fields.KindTime:
		return l.TimeMin != math.MinInt64 || l.TimeMax != math.MaxInt64
	case fields.KindDate:
		return l.DateMin != math.MinInt64 || l.DateMax != math.MaxInt64
	}
	return false
}

// Check returns nil when v, a bind value for a column of kind k, is one the
// engine gives back unchanged, and otherwise an error wrapping
// fields.ErrInvalidValue that names the value, the kind and the engine.
// It looks at floats (float64, float32, sql.NullFloat64, sql.Null[float64],
// sql.Null[float32]) in float and decimal columns and at times (time.Time,
// sql.NullTime, sql.Null[time.Time]) in time and date columns; any other
// value passes. The cost is a type switch and two compares.
func (l *Limits) Check(k fields.Kind, v any) error {
	switch k {
	case fields.KindFloat32, fields.KindFloat64, fields.KindDecimal:
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case float32:
			f = float64(x)
		case sql.NullFloat64:
			f = x.Float64
		case sql.Null[float64]:
			f = x.V
		case sql.Null[float32]:
			f = float64(x.V)
		default:
			return nil
		}
		nan, inf := l.FloatNaN, l.FloatInf
		if k == fields.KindDecimal {
			nan, inf = l.DecimalNaN, l.DecimalInf
		}
		if math.IsNaN(f) && !nan || math.IsInf(f, 0) && !inf {
			return fmt.Errorf("%w: %v in a %s column: %s would not give it back", fields.ErrInvalidValue, f, k, l.Engine)
		}
	case fields.KindTime, fields.KindDate:
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x
		case sql.NullTime:
			t = x.Time
		case sql.Null[time.Time]:
			t = x.V
		default:
			return nil
		}
		lo, hi := l.TimeMin, l.TimeMax
		if k == fields.KindDate {
			lo, hi = l.DateMin, l.DateMax
		}
		if s := t.Unix(); s < lo || s > hi {
			return fmt.Errorf("%w: time %s in a %s column is outside what %s stores and reads back (%s to %s, UTC)",
				fields.ErrInvalidValue, t.UTC().Format(time.RFC3339Nano), k, l.Engine, bound(lo), bound(hi))
		}
	}
	return nil
}

// bound writes a range's end for an error message.
func bound(unix int64) string {
	if unix == math.MinInt64 || unix == math.MaxInt64 {
		return "any"
	}
	return time.Unix(unix, 0).UTC().Format(time.DateTime)
}

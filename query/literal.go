package query

import (
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/kingletdb/kinglet/dialect"
)

// literal writes v as a SQL literal, escaped by the dialect. It is used only
// where engines take no parameters (DDL defaults, CHECK) and for debug output.
func (b *Builder) literal(v any) {
	if b.err != nil {
		return
	}
	switch x := v.(type) {
	case nil:
		b.buf = append(b.buf, "NULL"...)
	case bool:
		b.buf = b.d.AppendBool(b.buf, x)
	case string:
		// Only MySQL's \0 can spell a NUL byte in SQL text; SQLite stops
		// reading the statement at it and PostgreSQL rejects it.
		if !b.d.Has(dialect.BackslashEscapes) && strings.IndexByte(x, 0) >= 0 {
			b.Fail(fmt.Errorf("%w: string literal %q contains a NUL byte, which %s cannot write in SQL text", ErrInvalid, x, b.d))
			return
		}
		b.buf = b.d.AppendString(b.buf, x)
	case []byte:
		if x == nil {
			b.buf = append(b.buf, "NULL"...)
			return
		}
		b.buf = b.d.AppendBytes(b.buf, x)
	case int:
		b.buf = strconv.AppendInt(b.buf, int64(x), 10)
	case int8:
		b.buf = strconv.AppendInt(b.buf, int64(x), 10)
	case int16:
		b.buf = strconv.AppendInt(b.buf, int64(x), 10)
	case int32:
		b.buf = strconv.AppendInt(b.buf, int64(x), 10)
	case int64:
		b.buf = strconv.AppendInt(b.buf, x, 10)
	case uint:
		b.buf = strconv.AppendUint(b.buf, uint64(x), 10)
	case uint8:
		b.buf = strconv.AppendUint(b.buf, uint64(x), 10)
	case uint16:
		b.buf = strconv.AppendUint(b.buf, uint64(x), 10)
	case uint32:
		b.buf = strconv.AppendUint(b.buf, uint64(x), 10)
	case uint64:
		b.buf = strconv.AppendUint(b.buf, x, 10)
	case float32:
		b.float(float64(x), 32)
	case float64:
		b.float(x, 64)
	case time.Time:
		b.buf = b.d.AppendString(b.buf, x.UTC().Format("2006-01-02 15:04:05.999999"))
	case driver.Valuer:
		if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
			b.buf = append(b.buf, "NULL"...)
			return
		}
		dv, err := x.Value()
		if err != nil {
			b.Fail(fmt.Errorf("kinglet: query: literal of %T: %w", v, err))
			return
		}
		if _, again := dv.(driver.Valuer); again {
			b.Fail(fmt.Errorf("%w: literal of %T: Value returned another Valuer", ErrInvalid, v))
			return
		}
		b.literal(dv)
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Pointer:
			if rv.IsNil() {
				b.buf = append(b.buf, "NULL"...)
			} else {
				b.literal(rv.Elem().Interface())
			}
		case reflect.String:
			b.literal(rv.String())
		case reflect.Bool:
			b.literal(rv.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b.literal(rv.Int())
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			b.literal(rv.Uint())
		case reflect.Float32, reflect.Float64:
			b.literal(rv.Float())
		default:
			b.Fail(fmt.Errorf("%w: cannot write a literal of type %T", ErrInvalid, v))
		}
	}
}

func (b *Builder) float(f float64, bits int) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		b.Fail(fmt.Errorf("%w: cannot write %v as a SQL literal", ErrInvalid, f))
		return
	}
	s := strconv.AppendFloat(nil, f, 'g', -1, bits)
	b.buf = append(b.buf, s...)
}

package orm

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/dsn"
)

// OpenPool returns a DB over a pgx pool: the same API as Open, with model
// reads — Select[T]'s All and Get[T] — running on pgx directly and decoding
// PostgreSQL's binary format straight into the model's fields, without
// database/sql's conversions. Everything else (writes, transactions, raw
// SQL, queries with hooks) goes through database/sql on the same pool
// (pgx's stdlib.OpenDBFromPool). Close does not close the pool: its owner
// does.
func OpenPool(ctx context.Context, pool *pgxpool.Pool) (*DB, error) {
	if pool == nil {
		return nil, fmt.Errorf("%w: OpenPool: nil *pgxpool.Pool", ErrInvalidArgument)
	}
	sdb := stdlib.OpenDBFromPool(pool)
	d, err := dsn.Detect(ctx, sdb, "pgx")
	if err != nil {
		sdb.Close()
		return nil, fmt.Errorf("kinglet: orm: %w", err)
	}
	db := New(sdb, d)
	db.pgx = pool
	return db, nil
}

// native reports whether c reads models through pgx: a DB from OpenPool,
// outside a transaction, with no query hook (hooks see every statement
// through database/sql).
func (c *conn) native() bool { return c.pgx != nil && len(c.hooks) == 0 }

// pgxAll runs sqlText on the pgx pool and reads every row into a new []T
// along plan p (the result columns are p's, in order).
func pgxAll[T any](ctx context.Context, c *conn, p *scanPlan, sqlText string, args []any, hint int) ([]T, error) {
	qargs := make([]any, 0, len(args)+1)
	qargs = append(qargs, pgx.QueryResultFormats{pgx.BinaryFormatCode})
	qargs = append(qargs, args...)
	rows, err := c.pgx.Query(ctx, sqlText, qargs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	decs := p.pgDecoders(rows.FieldDescriptions())
	if hint <= 0 {
		hint = 8
	}
	out := make([]T, 0, hint)
	var dst []any
	if decs == nil {
		dst = make([]any, len(p.fields))
	}
	afterScan := hasAfterScan[T]()
	for rows.Next() {
		out = append(out, *new(T))
		ptr := unsafe.Pointer(&out[len(out)-1])
		if decs != nil {
			vals := rows.RawValues()
			for i, dec := range decs {
				if err := dec(vals[i], ptr); err != nil {
					return nil, p.columnErr(i, err)
				}
			}
		} else {
			p.dests(ptr, dst)
			if err := rows.Scan(dst...); err != nil {
				return nil, p.scanErr(err)
			}
			toUTC(p.times, ptr)
		}
		if afterScan {
			if err := any((*T)(ptr)).(AfterScanner).AfterScan(ctx); err != nil {
				return nil, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// columnErr names the column and field a decoder failed on.
func (p *scanPlan) columnErr(i int, err error) error {
	f := p.fields[i]
	if f == nil {
		return fmt.Errorf("kinglet: orm: scan into %s: column %d: %w", p.t.Type, i, err)
	}
	hint := ""
	if errors.Is(err, errNullValue) {
		hint = " (the column is NULL: make the field a pointer, sql.Null[T], or tag it null)"
	}
	return fmt.Errorf("kinglet: orm: scan column %q into %s.%s%s: %w", f.Column, p.t.Type.Name(), f.GoName, hint, err)
}

var errNullValue = errors.New("cannot scan NULL into a non-nullable field")

// pgDecoder writes one binary-format column value (nil for NULL) into its
// field of the struct at ptr.
type pgDecoder func(v []byte, ptr unsafe.Pointer) error

// pgDecoderSet is a plan's decoders for one list of column types.
type pgDecoderSet struct {
	oids []uint32
	decs []pgDecoder // nil: read with pgx's Scan
}

// pgDecoders returns p's decoders for the result columns fds, made once per
// plan and column types.
func (p *scanPlan) pgDecoders(fds []pgconn.FieldDescription) []pgDecoder {
	if c := p.pg.Load(); c != nil && len(c.oids) == len(fds) {
		same := true
		for i, fd := range fds {
			same = same && fd.DataTypeOID == c.oids[i] && fd.Format == pgx.BinaryFormatCode
		}
		if same {
			return c.decs
		}
	}
	c := &pgDecoderSet{oids: make([]uint32, len(fds)), decs: makePgDecoders(fds, p)}
	for i, fd := range fds {
		c.oids[i] = fd.DataTypeOID
	}
	p.pg.Store(c)
	return c.decs
}

// makePgDecoders returns a decoder per result column, or nil when some
// column is not one they read (another type, text format, a Scanner or json
// field): the rows are then read with pgx's Scan.
func makePgDecoders(fds []pgconn.FieldDescription, p *scanPlan) []pgDecoder {
	if len(fds) != len(p.fields) {
		return nil
	}
	decs := make([]pgDecoder, len(fds))
	for i, fd := range fds {
		f := p.fields[i]
		if f == nil {
			decs[i] = func([]byte, unsafe.Pointer) error { return nil }
			continue
		}
		if fd.Format != pgx.BinaryFormatCode || f.Kind == fields.KindJSON {
			return nil
		}
		d := pgDecoderFor(fd.DataTypeOID, f)
		if d == nil {
			return nil
		}
		decs[i] = d
	}
	return decs
}

// The Go types the decoders write.
var (
	tInt64   = reflect.TypeFor[int64]()
	tInt     = reflect.TypeFor[int]()
	tInt32   = reflect.TypeFor[int32]()
	tString  = reflect.TypeFor[string]()
	tBool    = reflect.TypeFor[bool]()
	tFloat64 = reflect.TypeFor[float64]()
	tTime    = reflect.TypeFor[time.Time]()
	tBytes   = reflect.TypeFor[[]byte]()
)

// pgDecoderFor returns the decoder from column type oid into field f, or nil.
func pgDecoderFor(oid uint32, f *fields.Field) pgDecoder {
	ft, ptr := f.Type, false
	if ft.Kind() == reflect.Pointer {
		ft, ptr = ft.Elem(), true
	}
	var set func(v []byte, at unsafe.Pointer) error // at: the field, or the pointee
	var size uintptr
	switch {
	case (oid == pgtype.Int8OID || oid == pgtype.Int4OID || oid == pgtype.Int2OID) && (ft == tInt64 || ft == tInt || ft == tInt32):
		size = ft.Size()
		set = func(v []byte, at unsafe.Pointer) error {
			var n int64
			switch len(v) {
			case 8:
				n = int64(binary.BigEndian.Uint64(v))
			case 4:
				n = int64(int32(binary.BigEndian.Uint32(v)))
			case 2:
				n = int64(int16(binary.BigEndian.Uint16(v)))
			default:
				return fmt.Errorf("integer of %d bytes", len(v))
			}
			switch size {
			case 8:
				*(*int64)(at) = n
			default:
				if n < math.MinInt32 || n > math.MaxInt32 {
					return fmt.Errorf("%d overflows %s", n, ft)
				}
				*(*int32)(at) = int32(n)
			}
			return nil
		}
	case (oid == pgtype.TextOID || oid == pgtype.VarcharOID || oid == pgtype.BPCharOID || oid == pgtype.NameOID) && ft == tString:
		set = func(v []byte, at unsafe.Pointer) error { *(*string)(at) = string(v); return nil }
	case oid == pgtype.BoolOID && ft == tBool:
		set = func(v []byte, at unsafe.Pointer) error {
			if len(v) != 1 {
				return fmt.Errorf("boolean of %d bytes", len(v))
			}
			*(*bool)(at) = v[0] != 0
			return nil
		}
	case (oid == pgtype.Float8OID || oid == pgtype.Float4OID) && ft == tFloat64:
		set = func(v []byte, at unsafe.Pointer) error {
			switch len(v) {
			case 8:
				*(*float64)(at) = math.Float64frombits(binary.BigEndian.Uint64(v))
			case 4:
				*(*float64)(at) = float64(math.Float32frombits(binary.BigEndian.Uint32(v)))
			default:
				return fmt.Errorf("float of %d bytes", len(v))
			}
			return nil
		}
	case (oid == pgtype.TimestamptzOID || oid == pgtype.TimestampOID) && ft == tTime:
		set = func(v []byte, at unsafe.Pointer) error {
			if len(v) != 8 {
				return fmt.Errorf("timestamp of %d bytes", len(v))
			}
			us := int64(binary.BigEndian.Uint64(v))
			if us == math.MaxInt64 || us == math.MinInt64 {
				return errors.New("infinite timestamp")
			}
			*(*time.Time)(at) = pgTime(us)
			return nil
		}
	case oid == pgtype.ByteaOID && ft == tBytes && !ptr:
		return func(v []byte, p unsafe.Pointer) error {
			at := (*[]byte)(f.Addr(p))
			if v == nil {
				*at = nil
				return nil
			}
			*at = append(make([]byte, 0, len(v)), v...) // pgx reuses v
			return nil
		}
	default:
		return nil
	}
	if ptr && ft == tString {
		return func(v []byte, p unsafe.Pointer) error {
			at := (**string)(f.Addr(p))
			if v == nil {
				*at = nil
				return nil
			}
			s := string(v)
			*at = &s
			return nil
		}
	}
	if ptr {
		elem := ft
		return func(v []byte, p unsafe.Pointer) error {
			at := (*unsafe.Pointer)(f.Addr(p))
			if v == nil {
				*at = nil
				return nil
			}
			nv := reflect.New(elem).UnsafePointer()
			if err := set(v, nv); err != nil {
				return err
			}
			*at = nv
			return nil
		}
	}
	return func(v []byte, p unsafe.Pointer) error {
		if v == nil {
			return errNullValue
		}
		return set(v, f.Addr(p))
	}
}

// pgEpoch is PostgreSQL's timestamp zero, 2000-01-01 00:00:00 UTC, in Unix
// seconds.
const pgEpoch = 946684800

// pgTime is the UTC time us microseconds after PostgreSQL's epoch.
func pgTime(us int64) time.Time {
	sec, rem := us/1e6, us%1e6
	if rem < 0 {
		sec, rem = sec-1, rem+1e6
	}
	return time.Unix(pgEpoch+sec, rem*1e3).UTC()
}

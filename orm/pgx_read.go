package orm

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/kingletdb/kinglet/fields"
)

// Reading a pgx result into models: PostgreSQL's binary format decoded
// straight into the fields along a scan plan, the common columns inline,
// strings in shared blocks of memory (pgArena), and anything else through
// pgx's Scan.

// pgPlan is the plan for the result columns fds into t's fields, for a
// query whose columns are not t's own list.
func pgPlan(fds []pgconn.FieldDescription, t *fields.Table, strict bool) (*scanPlan, error) {
	cols := make([]string, len(fds))
	for i, fd := range fds {
		cols[i] = fd.Name
	}
	return planFor(t, cols, strict)
}

// pgReader reads rows along a plan: with the decoders of the result's
// column types when they read every column, else with pgx's Scan.
type pgReader struct {
	p     *scanPlan
	set   *pgDecoderSet
	dst   []any // Scan's destinations, when set.decs is nil
	arena pgArena
}

// init readies r for rows along p; rows is the number expected (0: not
// known), which sizes the blocks of the strings' memory.
func (r *pgReader) init(rows pgx.Rows, p *scanPlan, n int) error {
	r.p = p
	r.set = p.pgDecoders(rows.FieldDescriptions())
	if r.set.decs == nil {
		if len(rows.FieldDescriptions()) != len(p.fields) {
			return fmt.Errorf("kinglet: orm: scan into %s: %d result columns for %d fields", p.t.Type, len(rows.FieldDescriptions()), len(p.fields))
		}
		r.dst = make([]any, len(p.fields))
	}
	r.arena.init(n)
	return nil
}

// read reads the current row into the struct at ptr.
func (r *pgReader) read(rows pgx.Rows, ptr unsafe.Pointer) error {
	set := r.set
	if set.decs == nil {
		r.p.dests(ptr, r.dst)
		if err := rows.Scan(r.dst...); err != nil {
			return r.p.scanErr(err)
		}
		toUTC(r.p.times, ptr)
		return nil
	}
	vals := rows.RawValues()
	if len(set.text) > 0 {
		if err := r.readText(vals, ptr); err != nil {
			return err
		}
	}
	for _, op := range set.ops {
		// The common columns inline; anything unusual (NULL, another
		// length) through the column's decoder, for its error.
		v := vals[op.col]
		at := unsafe.Add(ptr, op.off)
		switch {
		case op.kind == opInt8 && len(v) == 8:
			*(*int64)(at) = int64(binary.BigEndian.Uint64(v))
		case op.kind == opInt4 && len(v) == 4:
			*(*int64)(at) = int64(int32(binary.BigEndian.Uint32(v)))
		case op.kind == opInt4To32 && len(v) == 4:
			*(*int32)(at) = int32(binary.BigEndian.Uint32(v))
		case op.kind == opBool && len(v) == 1:
			*(*bool)(at) = v[0] != 0
		case op.kind == opFloat8 && len(v) == 8:
			*(*float64)(at) = math.Float64frombits(binary.BigEndian.Uint64(v))
		case op.kind == opTime && len(v) == 8:
			us := int64(binary.BigEndian.Uint64(v))
			if us == math.MaxInt64 || us == math.MinInt64 {
				return r.p.columnErr(op.col, errInfinite)
			}
			*(*time.Time)(at) = pgTime(us)
		default:
			if err := set.decs[op.col](v, ptr); err != nil {
				return r.p.columnErr(op.col, err)
			}
		}
	}
	for _, i := range set.others {
		if err := set.decs[i](vals[i], ptr); err != nil {
			return r.p.columnErr(i, err)
		}
	}
	r.arena.next()
	return nil
}

// readText decodes the text columns of the row vals into their string and
// *string fields, in memory from the arena.
func (r *pgReader) readText(vals [][]byte, ptr unsafe.Pointer) error {
	set := r.set
	need, strs := 0, 0
	for _, tc := range set.text {
		v := vals[tc.col]
		if len(v) <= arenaMaxString {
			need += len(v)
		}
		if tc.ptr && v != nil {
			strs++
		}
	}
	r.arena.reserve(need, strs)
	for _, tc := range set.text {
		v := vals[tc.col]
		var at unsafe.Pointer
		if tc.direct {
			at = unsafe.Add(ptr, tc.off)
		} else {
			at = tc.f.Addr(ptr)
		}
		switch {
		case !tc.ptr && v != nil:
			*(*string)(at) = r.arena.str(v)
		case v != nil:
			*(**string)(at) = r.arena.strPtr(r.arena.str(v))
		case tc.ptr:
			*(**string)(at) = nil
		default:
			return r.p.columnErr(tc.col, errNullValue)
		}
	}
	return nil
}

// columnErr names the column and field a decoder failed on.
func (p *scanPlan) columnErr(i int, err error) error {
	f := p.fields[i]
	if f == nil {
		return errorf("kinglet: orm: scan into %s: column %d: %w", p.t.Type, i, err)
	}
	hint := ""
	if errors.Is(err, errNullValue) {
		hint = " (the column is NULL: make the field a pointer, sql.Null[T], or tag it null)"
	}
	return errorf("kinglet: orm: scan column %q into %s.%s%s: %w", f.Column, p.t.Type.Name(), f.GoName, hint, err)
}

var errNullValue = errors.New("cannot scan NULL into a non-nullable field")

// pgDecoder writes one column value (nil for NULL) into its field of the
// struct at ptr.
type pgDecoder func(v []byte, ptr unsafe.Pointer) error

// pgDecoderSet is a plan's decoders for one list of column types and
// formats.
type pgDecoderSet struct {
	oids    []uint32
	formats []int16
	// decs decode each column but the text ones and those without a field
	// (nil entries); nil when the rows are read with pgx's Scan.
	decs []pgDecoder
	text []pgTextCol // the columns read into string and *string fields
	// ops are the columns decs decode that read writes inline (a plain
	// field of a common type), others those it leaves to decs.
	ops    []pgOp
	others []int
}

// pgTextCol is a text column read into a string or *string field.
type pgTextCol struct {
	col    int
	f      *fields.Field
	ptr    bool
	direct bool // the field is at off in the struct, with no embedded pointer on the way
	off    uintptr
}

// pgOp is a column read writes inline: a value of kind into the field at
// off in the struct.
type pgOp struct {
	col  int
	kind uint8
	off  uintptr
}

// The kinds of pgOp.
const (
	opInt8     = iota + 1 // bigint into int64 or int
	opInt4                // integer into int64 or int
	opInt4To32            // integer into int32
	opBool                // boolean into bool
	opFloat8              // double precision into float64
	opTime                // timestamp or timestamptz into time.Time
)

// pgOpFor returns the pgOp kind for a column of type oid (binary format)
// into a field of type ft, or 0.
func pgOpFor(oid uint32, ft reflect.Type) uint8 {
	int64Like := ft == tInt64 || (ft == tInt && ft.Size() == 8)
	switch {
	case oid == pgtype.Int8OID && int64Like:
		return opInt8
	case oid == pgtype.Int4OID && int64Like:
		return opInt4
	case oid == pgtype.Int4OID && ft == tInt32:
		return opInt4To32
	case oid == pgtype.BoolOID && ft == tBool:
		return opBool
	case oid == pgtype.Float8OID && ft == tFloat64:
		return opFloat8
	case (oid == pgtype.TimestamptzOID || oid == pgtype.TimestampOID) && ft == tTime:
		return opTime
	}
	return 0
}

// directOffset returns f's offset in its struct when no embedded pointer
// lies on the way.
func directOffset(t reflect.Type, f *fields.Field) (uintptr, bool) {
	var off uintptr
	for i, x := range f.Index {
		if t.Kind() != reflect.Struct {
			return 0, false
		}
		sf := t.Field(x)
		off += sf.Offset
		t = sf.Type
		if i < len(f.Index)-1 && t.Kind() == reflect.Pointer {
			return 0, false
		}
	}
	return off, true
}

var errInfinite = errors.New("infinite timestamp")

// decodes reports whether the last result read along p was read by its
// decoders alone.
func (p *scanPlan) decodes() bool {
	c := p.pg.Load()
	return c != nil && c.decs != nil
}

// pgDecoders returns p's decoders for the result columns fds, made once per
// plan and column types and formats.
func (p *scanPlan) pgDecoders(fds []pgconn.FieldDescription) *pgDecoderSet {
	if c := p.pg.Load(); c != nil && len(c.oids) == len(fds) {
		same := true
		for i, fd := range fds {
			same = same && fd.DataTypeOID == c.oids[i] && fd.Format == c.formats[i]
		}
		if same {
			return c
		}
	}
	c := &pgDecoderSet{oids: make([]uint32, len(fds)), formats: make([]int16, len(fds))}
	for i, fd := range fds {
		c.oids[i], c.formats[i] = fd.DataTypeOID, fd.Format
	}
	c.decs, c.text = makePgDecoders(fds, p)
	for i := range c.text {
		tc := &c.text[i]
		tc.off, tc.direct = directOffset(p.t.Type, tc.f)
	}
	for i, dec := range c.decs {
		if dec == nil {
			continue
		}
		f := p.fields[i]
		off, direct := directOffset(p.t.Type, f)
		if k := pgOpFor(fds[i].DataTypeOID, f.Type); k != 0 && direct && fds[i].Format == pgx.BinaryFormatCode {
			c.ops = append(c.ops, pgOp{col: i, kind: k, off: off})
		} else {
			c.others = append(c.others, i)
		}
	}
	p.pg.Store(c)
	return c
}

// makePgDecoders returns a decoder per result column and the text
// columns, or nil when some column is not one they read (another type or
// format, a Scanner or json field): the rows are then read with pgx's Scan.
func makePgDecoders(fds []pgconn.FieldDescription, p *scanPlan) ([]pgDecoder, []pgTextCol) {
	if len(fds) != len(p.fields) {
		return nil, nil
	}
	decs := make([]pgDecoder, len(fds))
	var text []pgTextCol
	for i, fd := range fds {
		f := p.fields[i]
		switch {
		case f == nil:
			continue
		case f.Kind == fields.KindJSON:
			return nil, nil
		case isPgText(fd.DataTypeOID) && f.Type == tString:
			text = append(text, pgTextCol{col: i, f: f})
		case isPgText(fd.DataTypeOID) && f.Type == tStringPtr:
			text = append(text, pgTextCol{col: i, f: f, ptr: true})
		default:
			d := pgDecoderFor(fd.DataTypeOID, fd.Format, f)
			if d == nil {
				return nil, nil
			}
			decs[i] = d
		}
	}
	return decs, text
}

// isPgText reports whether oid is a text type: its binary and text formats
// are the same bytes.
func isPgText(oid uint32) bool {
	return oid == pgtype.TextOID || oid == pgtype.VarcharOID || oid == pgtype.BPCharOID || oid == pgtype.NameOID
}

// The Go types the decoders write.
var (
	tInt64     = reflect.TypeFor[int64]()
	tInt       = reflect.TypeFor[int]()
	tInt32     = reflect.TypeFor[int32]()
	tString    = reflect.TypeFor[string]()
	tStringPtr = reflect.TypeFor[*string]()
	tBool      = reflect.TypeFor[bool]()
	tFloat64   = reflect.TypeFor[float64]()
	tTime      = reflect.TypeFor[time.Time]()
	tBytes     = reflect.TypeFor[[]byte]()
)

// pgDecoderFor returns the decoder from a column of type oid in format into
// field f, or nil. Text columns are read by pgReader.readText.
func pgDecoderFor(oid uint32, format int16, f *fields.Field) pgDecoder {
	ft, ptr := f.Type, false
	if ft.Kind() == reflect.Pointer {
		ft, ptr = ft.Elem(), true
	}
	if format != pgx.BinaryFormatCode {
		return nil
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
				return errInfinite
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

// pgArena is the memory of the strings one read decodes: their bytes are
// copied into blocks shared by many values, and the *string fields point
// into blocks of string headers, instead of one or two allocations per
// value. A block is sized for the rows still expected (a one-row read takes
// exactly what it needs); a string keeps its block (at most arenaMaxBlock
// bytes) alive, so strings longer than arenaMaxString get their own memory.
type pgArena struct {
	buf  []byte
	strs []string
	rows int  // rows the next block is sized for, this one included
	grow bool // the number of rows is not known: double rows at each block
	used int  // bytes reserved so far
	ptrs int  // string headers reserved so far
	read int  // rows read so far
}

const (
	arenaMaxBlock  = 8 << 10
	arenaMaxString = 1 << 10
	arenaMaxStrs   = 256
)

// init readies a for about n rows (0: not known).
func (a *pgArena) init(n int) {
	a.rows, a.grow = n, n <= 0
	if a.grow {
		a.rows = 8
	}
}

// next marks a row read.
func (a *pgArena) next() {
	a.read++
	if !a.grow && a.rows > 1 {
		a.rows--
	}
}

// reserve makes room for the need bytes and strs string headers of a row.
// A new block holds this row's and, at the average so far, the rest's;
// a row longer than the average then starts another block. Blocks take the
// whole of their allocation's size class.
func (a *pgArena) reserve(need, strs int) {
	if need > len(a.buf) {
		size := need + (a.used+need)*(a.rows-1)/(a.read+1)
		a.buf = slices.Grow([]byte(nil), max(need, min(size, arenaMaxBlock)))
		a.buf = a.buf[:cap(a.buf)]
		if a.grow && a.rows < 1024 {
			a.rows *= 2
		}
	}
	a.used += need
	if strs > len(a.strs) {
		n := strs + (a.ptrs+strs)*(a.rows-1)/(a.read+1)
		a.strs = slices.Grow([]string(nil), max(strs, min(n, arenaMaxStrs)))
		a.strs = a.strs[:cap(a.strs)]
	}
	a.ptrs += strs
}

// str returns v as a string, in the room reserve made.
func (a *pgArena) str(v []byte) string {
	n := len(v)
	if n == 0 {
		return ""
	}
	if n > arenaMaxString || n > len(a.buf) {
		return string(v)
	}
	b := a.buf[:n:n]
	a.buf = a.buf[n:]
	copy(b, v)
	return unsafe.String(&b[0], n)
}

// strPtr returns a *string holding s, from the room reserve made.
func (a *pgArena) strPtr(s string) *string {
	if len(a.strs) == 0 {
		p := new(string) // not &s: s would go to the heap on every call
		*p = s
		return p
	}
	p := &a.strs[0]
	a.strs = a.strs[1:]
	*p = s
	return p
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

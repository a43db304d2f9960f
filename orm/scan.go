package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
)

// ErrUnknownColumn is wrapped when a result column has no field to go to, or
// a query names a column the model does not have.
var ErrUnknownColumn = errors.New("kinglet: orm: unknown column")

// scanPlan maps result columns, by position, to fields of one struct type.
type scanPlan struct {
	t      *fields.Table
	fields []*fields.Field              // nil for a column that is discarded
	times  []*fields.Field              // the time.Time and *time.Time fields among them
	pg     atomic.Pointer[pgDecoderSet] // the binary decoders of OpenPool's reads, for the last column types seen
	// stores: every column has a field that fields.Field.Store takes
	// values into, and there are at most argsBuf of them (see scanRow).
	stores bool
	// bytes is set once a value read through the slots came as []byte,
	// which the slots copy: scanRow then scans into the fields directly.
	bytes atomic.Bool
	// discards: some column has no field (a plan made without strict),
	// which a strict lookup of the same columns must refuse.
	discards bool
}

// newPlan is the plan for columns read into fs (nil: discarded).
func newPlan(t *fields.Table, fs []*fields.Field) *scanPlan {
	p := &scanPlan{t: t, fields: fs, times: timeFields(fs), stores: len(fs) <= argsBuf}
	for _, f := range fs {
		if f == nil || !f.Stores() {
			p.stores = false
		}
		p.discards = p.discards || f == nil
	}
	return p
}

type planKey struct {
	t    *fields.Table
	cols string // column names joined by NUL
}

var plans sync.Map // planKey -> *scanPlan

// planFor returns the cached plan for table t and the result columns. With
// strict, a column t has no field for is an error.
func planFor(t *fields.Table, cols []string, strict bool) (*scanPlan, error) {
	tc := cacheOf(t)
	if p := tc.findPlan(cols); p != nil {
		return p.checked(cols, strict)
	}
	key := planKey{t, strings.Join(cols, "\x00")}
	if p, ok := plans.Load(key); ok {
		tc.addPlan(cols, p.(*scanPlan))
		return p.(*scanPlan).checked(cols, strict)
	}
	fs := make([]*fields.Field, len(cols))
	for i, c := range cols {
		f, ok := t.FieldByColumn(c)
		if !ok {
			if strict {
				return nil, noFieldErr(t, c)
			}
			continue
		}
		fs[i] = f
	}
	p := newPlan(t, fs)
	plans.Store(key, p)
	tc.addPlan(cols, p)
	return p, nil
}

func noFieldErr(t *fields.Table, col string) error {
	if t.Name == "" {
		return fmt.Errorf("%w: result column %q has no field in %s", ErrUnknownColumn, col, t.Type)
	}
	return fmt.Errorf("%w: result column %q has no field in %s (table %s)", ErrUnknownColumn, col, t.Type, t.Name)
}

// checked is p for a lookup of cols: with strict, a plan that discards a
// column is an error naming it.
func (p *scanPlan) checked(cols []string, strict bool) (*scanPlan, error) {
	if strict && p.discards {
		for i, f := range p.fields {
			if f == nil {
				return nil, noFieldErr(p.t, cols[i])
			}
		}
	}
	return p, nil
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	timePtrType = reflect.TypeFor[*time.Time]()
	// Both hold their time.Time first, at offset 0.
	nullTimeType  = reflect.TypeFor[sql.NullTime]()
	nullTTimeType = reflect.TypeFor[sql.Null[time.Time]]()
)

// timeFields returns the time.Time, *time.Time, sql.NullTime and
// sql.Null[time.Time] fields of fs.
func timeFields(fs []*fields.Field) []*fields.Field {
	var out []*fields.Field
	for _, f := range fs {
		if f != nil && (f.Type == timeType || f.Type == timePtrType || f.Type == nullTimeType || f.Type == nullTTimeType) {
			out = append(out, f)
		}
	}
	return out
}

// toUTC puts the time fields (from timeFields) of the struct at ptr in UTC:
// pgx returns times in the process's local zone and SQLite with the offset
// they were written with; kinglet hands out UTC on every engine.
func toUTC(times []*fields.Field, ptr unsafe.Pointer) {
	for _, f := range times {
		if f.Type != timePtrType {
			tp := (*time.Time)(f.Addr(ptr)) // the time.Time, or the null type's first field
			*tp = tp.UTC()
		} else if pp := (**time.Time)(f.Addr(ptr)); *pp != nil {
			**pp = (*pp).UTC()
		}
	}
}

// toUTCAmong is toUTC for the time fields among fs, without collecting
// them first (timeFields allocates).
func toUTCAmong(fs []*fields.Field, ptr unsafe.Pointer) {
	for _, f := range fs {
		if f != nil && (f.Type == timeType || f.Type == timePtrType) {
			toUTC([]*fields.Field{f}, ptr)
		}
	}
}

// discard receives result columns that have no field.
type discard struct{}

func (*discard) Scan(any) error { return nil }

var discardDest any = &discard{}

// dests fills dst with scan destinations into the struct at ptr.
func (p *scanPlan) dests(ptr unsafe.Pointer, dst []any) {
	for i, f := range p.fields {
		if f == nil {
			dst[i] = discardDest
			continue
		}
		dst[i] = f.Ptr(ptr)
	}
}

// scanErr turns database/sql's "Scan error on column index N" into an error
// that names the column and the model field.
func (p *scanPlan) scanErr(err error) error {
	msg := err.Error()
	// database/sql: "… column index 3, name …"; pgx: "… dest[3] (col: …)".
	marker := "column index "
	i := strings.Index(msg, marker)
	if i < 0 {
		marker = "dest["
		i = strings.Index(msg, marker)
	}
	if i >= 0 {
		rest := msg[i+len(marker):]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if n, convErr := strconv.Atoi(rest[:j]); convErr == nil && n < len(p.fields) && p.fields[n] != nil {
			f := p.fields[n]
			hint := ""
			if strings.Contains(msg, "NULL") {
				hint = " (the column is NULL: make the field a pointer, sql.Null[T], or tag it null)"
			}
			return errorf("kinglet: orm: scan column %q into %s.%s%s: %w", f.Column, p.t.Type.Name(), f.GoName, hint, err)
		}
	}
	return errorf("kinglet: orm: scan into %s: %w", p.t.Type, err)
}

// slots receive one row's values as database/sql's Scan into *any leaves
// them, for scanRow: dst[i] points at v[i].
type slots struct {
	v   [argsBuf]any
	dst [argsBuf]any
}

var slotPool = sync.Pool{New: func() any {
	sl := new(slots)
	for i := range sl.dst {
		sl.dst[i] = &sl.v[i]
	}
	return sl
}}

// scanRow reads the current row of rows into *v along p, without moving v
// to the heap (database/sql's Scan into its fields would): where p.stores,
// the values go to pooled slots and from there into the fields with
// fields.Field.Store. A value Store does not take (one that needs
// database/sql's conversion, or its error) sends the row through Scan into
// the fields of a copy on the heap, as do plans that do not store.
func scanRow[T any](rows *sql.Rows, p *scanPlan, v *T) error {
	ptr := unsafe.Pointer(v)
	if p.stores && !p.bytes.Load() {
		sl := slotPool.Get().(*slots)
		n := len(p.fields)
		err := rows.Scan(sl.dst[:n]...)
		stored := err == nil
		for i := 0; stored && i < n; i++ {
			if _, isBytes := sl.v[i].([]byte); isBytes {
				p.bytes.Store(true)
			}
			stored = p.fields[i].Store(ptr, sl.v[i])
		}
		clear(sl.v[:n])
		slotPool.Put(sl)
		if err != nil {
			return p.scanErr(err)
		}
		if stored {
			toUTC(p.times, ptr)
			return nil
		}
	}
	h := new(T)
	var buf [argsBuf]any
	dst := buf[:0]
	if len(p.fields) <= len(buf) {
		dst = buf[:len(p.fields)]
	} else {
		dst = make([]any, len(p.fields))
	}
	p.dests(unsafe.Pointer(h), dst)
	if err := rows.Scan(dst...); err != nil {
		return p.scanErr(err)
	}
	toUTC(p.times, unsafe.Pointer(h))
	*v = *h
	return nil
}

// scanAll reads every row into a new []T.
func scanAll[T any](ctx context.Context, rows *sql.Rows, t *fields.Table, strict bool, hint int) ([]T, error) {
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return nil, err
	}
	p, err := planFor(t, cols, strict)
	if err != nil {
		rows.Close()
		return nil, err
	}
	return scanWith[T](ctx, rows, p, hint)
}

// scanWith reads every row into a new []T with plan p, which must match
// the result columns; hint is the expected number of rows (0: unknown).
func scanWith[T any](ctx context.Context, rows *sql.Rows, p *scanPlan, hint int) ([]T, error) {
	defer rows.Close()
	if hint <= 0 {
		hint = 8
	}
	out := make([]T, 0, hint)
	var buf [16]any // rows.Scan does not keep its arguments: no allocation
	dst := buf[:0]
	if len(p.fields) <= len(buf) {
		dst = buf[:len(p.fields)]
	} else {
		dst = make([]any, len(p.fields))
	}
	afterScan := hasAfterScan[T]()
	for rows.Next() {
		out = append(out, *new(T))
		ptr := unsafe.Pointer(&out[len(out)-1])
		p.dests(ptr, dst)
		if err := rows.Scan(dst...); err != nil {
			return nil, p.scanErr(err)
		}
		toUTC(p.times, ptr)
		if afterScan {
			if err := any((*T)(ptr)).(AfterScanner).AfterScan(ctx); err != nil {
				return nil, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr(err)
	}
	return out, nil
}

// scanMaps reads every row into a map from column name to value.
func scanMaps(rows *sql.Rows) ([]map[string]any, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	vals := make([]any, len(cols))
	dst := make([]any, len(cols))
	for i := range vals {
		dst[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = append([]byte(nil), b...) // the driver may reuse its buffer
			}
			m[c] = vals[i]
		}
		out = append(out, m)
	}
	return out, dbErr(rows.Err())
}

// tableOf resolves T's metadata, refusing types that are not structs.
func tableOf[T any]() (*fields.Table, error) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("kinglet: orm: %s is not a struct type; models and result shapes must be structs", t)
	}
	return fields.TableOf(t)
}

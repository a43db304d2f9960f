package orm

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// Caches for the hot paths. Lookups take no lock and allocate nothing: the
// per-call work of Insert, Update, Get and Select is then the query itself.

// cowMap is a map read without locking: writers copy it. For caches that
// fill up once and are then only read.
type cowMap[K comparable, V any] struct {
	mu sync.Mutex
	m  atomic.Pointer[map[K]V]
}

func (c *cowMap[K, V]) load(k K) (V, bool) {
	if m := c.m.Load(); m != nil {
		v, ok := (*m)[k]
		return v, ok
	}
	var zero V
	return zero, false
}

// store adds k unless it is there already, and returns the value kept.
func (c *cowMap[K, V]) store(k K, v V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	var old map[K]V
	if m := c.m.Load(); m != nil {
		old = *m
	}
	if cur, ok := old[k]; ok {
		return cur
	}
	m := make(map[K]V, len(old)+1)
	for ok, ov := range old {
		m[ok] = ov
	}
	m[k] = v
	c.m.Store(&m)
	return v
}

// tableCache is what the hot paths derive from a model's metadata, once.
type tableCache struct {
	// optional are the indexes in t.Fields of the fields insertPlan may
	// leave out; shapes caches its outcome by which of them are zero (bit j
	// for optional[j]), or is nil when there are too many to enumerate.
	optional []int
	shapes   []atomic.Pointer[insertShape]
	// updateAll is the Update mask of every non-key column.
	updateAll string
	// base is SELECT FROM t, the start of every Select[T].
	base query.SelectQuery
	// cols are T's columns, qualified by its table, for SELECT; plainCols
	// the same unqualified, for a SELECT from t alone (SQLite parses those
	// faster: 7% of a key lookup). Each is one query.Unchecked list: T's own
	// columns need no column check in every build.
	cols, plainCols []query.Expr
	// plan scans result columns that are exactly cols.
	plan *scanPlan
	// afterScan is hasAfterScan for t's type.
	afterScan bool
	// check refuses a column of t's table that t has no field for.
	check query.ColumnCheck
	// plans are planFor's plans for t, found by comparing column lists.
	plans   atomic.Pointer[[]columnsPlan]
	plansMu sync.Mutex
}

// insertShape is one outcome of insertPlan. Shared: read only.
type insertShape struct {
	mask    []byte
	key     string // string(mask), the statement cache key
	omitted []*fields.Field
}

const maxOptional = 8 // shapes has 1<<len(optional) entries

var tableCaches sync.Map // *fields.Table -> *tableCache

func cacheOf(t *fields.Table) *tableCache {
	if tc, ok := tableCaches.Load(t); ok {
		return tc.(*tableCache)
	}
	tc := &tableCache{}
	all := make([]byte, len(t.Fields))
	tbl := query.Table(t.Name)
	cols := make([]query.Expr, len(t.Fields))
	plainCols := make([]query.Expr, len(t.Fields))
	for i, f := range t.Fields {
		if insertOptional(f) {
			tc.optional = append(tc.optional, i)
		}
		if !f.PK {
			all[i] = 1
		}
		cols[i] = tbl.C(f.Column)
		plainCols[i] = query.C(f.Column)
	}
	tc.cols = []query.Expr{query.Unchecked(cols...)}
	tc.plainCols = []query.Expr{query.Unchecked(plainCols...)}
	if len(tc.optional) <= maxOptional {
		tc.shapes = make([]atomic.Pointer[insertShape], 1<<len(tc.optional))
	}
	tc.updateAll = string(all)
	tc.base = query.Select().From(tbl)
	tc.plan = newPlan(t, t.Fields)
	tc.afterScan = reflect.PointerTo(t.Type).Implements(afterScanType)
	tc.check = columnCheck(t)
	v, _ := tableCaches.LoadOrStore(t, tc)
	return v.(*tableCache)
}

// columnCheck is the check of T's queries (see query.ColumnCheck): a column
// of T's table must be one of T's, and a column of a table of a model T
// reaches through its relations (joined, or in a WhereHas condition) one of
// that model's. Tables it knows no model for, and aliased tables, pass: the
// database vets those.
func columnCheck(t *fields.Table) query.ColumnCheck {
	related := relatedTables(t)
	return func(table, alias, column string) error {
		if alias != "" {
			return nil
		}
		if table == t.Name {
			if _, ok := t.FieldByColumn(column); ok {
				return nil
			}
		}
		ms, ok := related[table]
		if !ok {
			if table != t.Name {
				return nil
			}
			ms = []*fields.Table{t}
		}
		for _, m := range ms {
			if _, ok := m.FieldByColumn(column); ok {
				return nil
			}
		}
		names := make([]string, len(ms))
		for i, m := range ms {
			names[i] = m.Type.String()
		}
		return fmt.Errorf("%w: %s has no column %q (model %s)", ErrUnknownColumn, table, column, strings.Join(names, ", "))
	}
}

// relatedTables maps the table names of the models t reaches through its
// relations, transitively, to those models (several when models share a
// table); t itself is among them only when a relation leads back to a
// model of its table.
func relatedTables(t *fields.Table) map[string][]*fields.Table {
	out := map[string][]*fields.Table{}
	seen := map[*fields.Table]bool{t: true}
	queue := []*fields.Table{t}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, r := range m.Relations {
			rt, err := fields.TableOf(r.Target)
			if err != nil || rt.Name == "" || seen[rt] {
				continue // a bad related model is reported where the relation is used
			}
			seen[rt] = true
			out[rt.Name] = append(out[rt.Name], rt)
			queue = append(queue, rt)
		}
	}
	if ms, ok := out[t.Name]; ok {
		out[t.Name] = append([]*fields.Table{t}, ms...)
	}
	return out
}

// insertOptional reports whether an INSERT leaves f out when it is zero: the
// auto-increment key, a pointer field with a database default, and a time
// with default:now.
func insertOptional(f *fields.Field) bool {
	return f.Auto || f.DefaultNow || (f.HasDefault && f.Type.Kind() == reflect.Pointer)
}

// insertShapeOf is insertPlan's outcome for the model at ptr, cached.
func insertShapeOf(t *fields.Table, ptr unsafe.Pointer) *insertShape {
	tc := cacheOf(t)
	if tc.shapes == nil {
		mask, omitted := insertPlanSlow(t, ptr)
		return &insertShape{mask: mask, key: string(mask), omitted: omitted}
	}
	var bits uint
	for j, i := range tc.optional {
		if t.Fields[i].IsZero(ptr) {
			bits |= 1 << j
		}
	}
	if sh := tc.shapes[bits].Load(); sh != nil {
		return sh
	}
	mask, omitted := insertPlanSlow(t, ptr)
	sh := &insertShape{mask: mask, key: string(mask), omitted: omitted}
	tc.shapes[bits].CompareAndSwap(nil, sh)
	return tc.shapes[bits].Load()
}

// maxPlans bounds the scan plans a table keeps for lookup without a key
// string; more column lists than that go through planFor's map alone.
const maxPlans = 32

type columnsPlan struct {
	cols []string
	p    *scanPlan
}

// findPlan returns the plan for exactly these result columns, if cached.
func (tc *tableCache) findPlan(cols []string) *scanPlan {
	ps := tc.plans.Load()
	if ps == nil {
		return nil
	}
	for _, cp := range *ps {
		if slices.Equal(cp.cols, cols) {
			return cp.p
		}
	}
	return nil
}

func (tc *tableCache) addPlan(cols []string, p *scanPlan) {
	tc.plansMu.Lock()
	defer tc.plansMu.Unlock()
	var old []columnsPlan
	if ps := tc.plans.Load(); ps != nil {
		old = *ps
	}
	if len(old) >= maxPlans {
		return
	}
	ps := append(old[:len(old):len(old)], columnsPlan{slices.Clone(cols), p})
	tc.plans.Store(&ps)
}

// batchKey identifies InsertMany's statement for rows rows writing the
// columns in mask.
type batchKey struct {
	t    *fields.Table
	d    dialect.Dialect
	mask string
	rows int
}

var (
	batchStmts cowMap[batchKey, *stmt]
	batchBytes atomic.Int64 // SQL text held by batchStmts
)

// maxBatchBytes caps the SQL text batchStmts keeps: batch sizes follow the
// input, so a program inserting many different numbers of rows builds the
// rest each time rather than growing the cache without end.
const maxBatchBytes = 4 << 20

func cachedBatch(t *fields.Table, d dialect.Dialect, mask []byte, rows int, build func() (*stmt, error)) (*stmt, error) {
	// string(mask) in a key that does not escape is converted on the stack.
	if s, ok := batchStmts.load(batchKey{t, d, string(mask), rows}); ok {
		return s, nil
	}
	s, err := build()
	if err != nil {
		return nil, err
	}
	s.table = t.Name
	n := int64(len(s.sql))
	if batchBytes.Add(n) > maxBatchBytes {
		batchBytes.Add(-n)
		return s, nil
	}
	return batchStmts.store(batchKey{t, d, string(mask), rows}, s), nil
}

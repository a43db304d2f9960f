package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"unsafe"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// readOpts are a query's JoinLoad and LoadWith settings, behind one
// pointer so that the query value every chained call copies stays small.
// Shared between query values: changed only on a copy (clone).
type readOpts struct {
	joins    []*joinNode              // JoinLoad's relations, parents first
	joinCols []query.Expr             // their columns, aliased, in that order
	used     []string                 // the table names and aliases the joins use (lower case), T's first
	aliases  map[string]*fields.Table // alias -> the model joined under it
	with     []loadWith               // LoadWith's options by relation path
}

func (r *readOpts) clone() *readOpts {
	if r == nil {
		return &readOpts{}
	}
	c := *r
	c.joins = slices.Clip(c.joins)
	c.joinCols = slices.Clip(c.joinCols)
	c.used = slices.Clip(c.used)
	c.with = slices.Clip(c.with)
	if r.aliases != nil {
		c.aliases = make(map[string]*fields.Table, len(r.aliases)+1)
		for k, v := range r.aliases {
			c.aliases[k] = v
		}
	}
	return &c
}

func (r *readOpts) hasJoins() bool { return r != nil && len(r.joins) > 0 }

// columnCheck is the column check of s's queries.
func (s SelectQuery[T]) columnCheck() query.ColumnCheck {
	base := cacheOf(s.t).check
	if s.rd == nil || len(s.rd.aliases) == 0 {
		return base
	}
	return s.rd.aliasCheck(base)
}

// jsonCol is a relation read with the JSON strategy in the query of T's
// rows: its parent is T (-1) or a relation JoinLoad joined.
type jsonCol struct {
	sub    jsonSub
	parent int
}

// rootJSON are the JSON columns of the query of T's rows: the relations
// with the JSON strategy whose parent is T or a joined relation (those
// below an IN-loaded relation are columns of its query, those below a
// JSON one are inside its JSON).
func (r *readOpts) rootJSON() []jsonCol {
	if r == nil {
		return nil
	}
	var out []jsonCol
	for _, s := range r.jsonChildren("") {
		out = append(out, jsonCol{sub: s, parent: -1})
	}
	for i, n := range r.joins {
		for _, s := range r.jsonChildren(n.path) {
			out = append(out, jsonCol{sub: s, parent: i})
		}
	}
	return out
}

// countColumns is the query Count counts the rows of: T's columns (or
// Columns'), without the joined models' and JSON columns.
func (s SelectQuery[T]) countColumns() query.SelectQuery {
	switch {
	case s.compound:
		return s.q
	case s.custom:
		return s.q.Columns(s.cols...)
	}
	return s.q.Columns(cacheOf(s.t).cols...)
}

// readColumns is withColumns for a compound, or a query with JoinLoad or
// LoadWith: T's columns (or Columns'), the joined models' columns, and
// the JSON columns.
func (s SelectQuery[T]) readColumns() query.SelectQuery {
	if s.compound {
		return s.q
	}
	var q query.SelectQuery
	switch {
	case s.custom:
		q = s.q.Columns(s.cols...)
	case s.t == nil:
		return s.q
	case s.joined:
		q = s.q.Columns(cacheOf(s.t).cols...)
	default:
		q = s.q.Columns(cacheOf(s.t).plainCols...)
	}
	if len(s.rd.joinCols) > 0 {
		q = q.Columns(query.Unchecked(s.rd.joinCols...))
	}
	for _, jc := range s.rd.rootJSON() {
		parent := query.Table(s.t.Name)
		if jc.parent >= 0 {
			parent = s.rd.joins[jc.parent].ref
		}
		q = q.Columns(query.E(&jsonAgg{sub: jc.sub, parent: parent}).As(jsonAlias(jc.sub.path)))
	}
	return q
}

// rowReader reads the rows of a query with JoinLoad or JSON columns into
// T and its relations: T's columns come first (n0 of them), then each
// joined model's, then the JSON columns.
type rowReader struct {
	p      *scanPlan // T's columns
	n0     int
	joins  []*joinNode
	jpos   []int // the first column of each joined model
	slabs  []*slab
	probes []probe
	tgt    []unsafe.Pointer // each joined model's struct on the current row; nil: none
	jsons  []jsonCol
	jat    int // the first JSON column
	raws   []jsonDest
	dst    []any
	after  []bool // each joined model runs AfterScan
	n      int    // rows read, for the query hooks
}

// newRowReader is the reader of s's result columns cols.
func (s SelectQuery[T]) newRowReader(cols []string, hint int) (*rowReader, error) {
	rr := &rowReader{}
	if s.rd != nil {
		rr.joins, rr.jsons = s.rd.joins, s.rd.rootJSON()
	}
	nj := 0
	for _, n := range rr.joins {
		nj += len(n.plan.fields)
	}
	rr.n0 = len(cols) - nj - len(rr.jsons)
	if rr.n0 < 0 {
		return nil, fmt.Errorf("kinglet: orm: select from %s: %d result columns, fewer than the joined ones", s.t.Name, len(cols))
	}
	if s.custom || s.compound {
		p, err := planFor(s.t, cols[:rr.n0], true)
		if err != nil {
			return nil, err
		}
		rr.p = p
	} else {
		rr.p = cacheOf(s.t).plan
	}
	at := rr.n0
	for _, n := range rr.joins {
		rr.jpos = append(rr.jpos, at)
		at += len(n.plan.fields)
		var sl *slab
		if n.slab {
			sl = newSlab(n.info.target.Type, hint)
		}
		rr.slabs = append(rr.slabs, sl)
		rr.after = append(rr.after, n.info.afterScan)
	}
	rr.jat = at
	rr.probes = make([]probe, len(rr.joins))
	rr.tgt = make([]unsafe.Pointer, len(rr.joins))
	rr.raws = make([]jsonDest, len(rr.jsons))
	rr.dst = make([]any, len(cols))
	return rr, nil
}

// read scans the current row into the T at ptr, its joined relations and
// its JSON ones.
func (rr *rowReader) read(ctx context.Context, rows *sql.Rows, ptr unsafe.Pointer) error {
	dst := rr.dst
	rr.p.dests(ptr, dst[:rr.n0])
	nullable := false
	for i, n := range rr.joins {
		at, nf := rr.jpos[i], len(n.plan.fields)
		if n.nullable {
			// Only the key first: a LEFT join without a row has NULL in
			// columns whose fields may not take it.
			rr.tgt[i] = nil
			for k := range nf {
				dst[at+k] = discardDest
			}
			dst[at+n.probe] = &rr.probes[i]
			nullable = true
			continue
		}
		parent := ptr
		if n.parent >= 0 {
			parent = rr.tgt[n.parent]
		}
		rr.tgt[i] = n.target(parent, rr.slabs[i])
		n.plan.dests(rr.tgt[i], dst[at:at+nf])
	}
	for k := range rr.jsons {
		dst[rr.jat+k] = &rr.raws[k]
	}
	if err := rows.Scan(dst...); err != nil {
		return rr.p.scanErr(err)
	}
	rr.n++
	if nullable {
		if err := rr.readNullable(rows, ptr); err != nil {
			return err
		}
	}
	toUTC(rr.p.times, ptr)
	for i, n := range rr.joins {
		if p := rr.tgt[i]; p != nil {
			toUTC(n.plan.times, p)
			if rr.after[i] {
				if err := reflect.NewAt(n.info.target.Type, p).Interface().(AfterScanner).AfterScan(ctx); err != nil {
					return err
				}
			}
		}
	}
	for k, jc := range rr.jsons {
		parent := ptr
		if jc.parent >= 0 {
			if parent = rr.tgt[jc.parent]; parent == nil {
				continue // its parent has no row: no relation to fill
			}
		}
		if err := decodeJSONRel(ctx, jc.sub, parent, rr.raws[k].data); err != nil {
			return err
		}
	}
	return nil
}

// readNullable scans the row again into the LEFT-joined models that have
// a row on it.
func (rr *rowReader) readNullable(rows *sql.Rows, ptr unsafe.Pointer) error {
	dst := rr.dst
	for i := range rr.jat {
		dst[i] = discardDest
	}
	matched := false
	for i, n := range rr.joins {
		if !n.nullable || rr.probes[i].null {
			continue
		}
		parent := ptr
		if n.parent >= 0 {
			if parent = rr.tgt[n.parent]; parent == nil {
				continue
			}
		}
		at, nf := rr.jpos[i], len(n.plan.fields)
		rr.tgt[i] = n.target(parent, rr.slabs[i])
		n.plan.dests(rr.tgt[i], dst[at:at+nf])
		matched = true
	}
	if !matched {
		return nil
	}
	if err := rows.Scan(dst...); err != nil { // the JSON columns again, into the same buffers
		return rr.p.scanErr(err)
	}
	return nil
}

// queryBuilt builds q (with check, when not nil), a query of table, and
// runs it as a query built per call (see queryText): the relation loaders'
// statements, which repeat with the number of keys, are kept prepared like
// Select[T]'s. o observes it until the caller has read its rows.
func (c *conn) queryBuilt(ctx context.Context, table string, q query.SelectQuery, check query.ColumnCheck) (_ *sql.Rows, o *queryObs, _ error) {
	sqlText, args, err := q.BuildChecked(c.d, check)
	if err != nil {
		return nil, nil, err
	}
	return c.queryText(ctx, table, sqlText, args...)
}

// iterLoadBatch is how many rows Iter reads before it loads their
// relations and yields them.
const iterLoadBatch = 100

// allReads is All for a query with JoinLoad or LoadWith, or a compound.
func (s SelectQuery[T]) allReads(ctx context.Context) ([]T, error) {
	var out []T
	err := s.readRows(ctx, s.rowsHint(), func(rows *sql.Rows, rr *rowReader) error {
		hint := s.rowsHint()
		if hint <= 0 {
			hint = 8
		}
		out = make([]T, 0, hint)
		afterScan := hasAfterScan[T]()
		for rows.Next() {
			out = append(out, *new(T))
			ptr := unsafe.Pointer(&out[len(out)-1])
			if err := rr.read(ctx, rows, ptr); err != nil {
				return err
			}
			if afterScan {
				if err := any((*T)(ptr)).(AfterScanner).AfterScan(ctx); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.loadOnto(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadOnto loads the relations of s's Load and LoadWith onto rows.
func (s SelectQuery[T]) loadOnto(ctx context.Context, rows []T) error {
	if len(s.preload) == 0 || len(rows) == 0 {
		return nil
	}
	nodes, err := planLoad(s.t, s.preload)
	if err != nil {
		return err
	}
	cc, err := coreOf(s.c)
	if err != nil {
		return err
	}
	set := structSet{base: unsafe.Pointer(&rows[0]), n: len(rows), stride: int(unsafe.Sizeof(rows[0]))}
	return (&optLoader{ctx: ctx, c: cc, rd: s.rd}).load(set, nodes, "")
}

// readRows runs s and hands its rows to each, with a reader of its
// columns.
func (s SelectQuery[T]) readRows(ctx context.Context, hint int, each func(*sql.Rows, *rowReader) error) error {
	if s.err != nil {
		return s.err
	}
	cc, err := coreOf(s.c)
	if err != nil {
		return err
	}
	sqlText, args, err := s.withColumns().BuildChecked(cc.d, s.columnCheck())
	if err != nil {
		return err
	}
	rows, o, err := cc.queryText(ctx, s.t.Name, sqlText, args...)
	if err != nil {
		return errorf("kinglet: orm: select from %s: %w", s.t.Name, err)
	}
	var rr *rowReader
	defer func() {
		rows.Close()
		n := 0
		if rr != nil {
			n = rr.n
		}
		o.read(rows, n)
	}()
	cols, err := rows.Columns()
	if err != nil {
		return dbErr(err)
	}
	if rr, err = s.newRowReader(cols, hint); err != nil {
		return err
	}
	if err := each(rows, rr); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return s.iterErr(dbErr(err))
	}
	return nil
}

// errIterTx is Iter's error, with relations to load, in a transaction on an
// engine whose connection cannot run their queries while it reads rows.
var errIterTx = errors.New("in a transaction on this engine the relation queries cannot run while Iter reads the rows on the transaction's one connection: use All, or Iter outside the transaction")

// iterReads is Iter for a query with JoinLoad, Load or LoadWith. Relations
// loaded by queries of their own are loaded iterLoadBatch rows at a time.
func (s SelectQuery[T]) iterReads(ctx context.Context, yield func(T, error) bool) {
	var zero T
	fail := func(err error) { yield(zero, err) }
	if s.err != nil {
		fail(s.err)
		return
	}
	var nodes []*loadNode
	if len(s.preload) > 0 {
		var err error
		if nodes, err = planLoad(s.t, s.preload); err != nil {
			fail(err)
			return
		}
	}
	batched := s.rd.needsQueries(nodes, "")
	cc, err := coreOf(s.c)
	if err != nil {
		fail(err)
		return
	}
	if _, inTx := cc.x.(*sql.Tx); inTx && batched {
		if ri, ok := cc.d.(dialect.ResultsInterleaver); !ok || !ri.InterleavedResults() {
			fail(fmt.Errorf("%w: Iter with Load of %s on %s: %w", dialect.ErrUnsupported, s.t.Name, cc.d, errIterTx))
			return
		}
	}
	stopped := false
	var batch []T
	flush := func() bool {
		if len(batch) == 0 {
			return true
		}
		if err := s.loadOnto(ctx, batch); err != nil {
			fail(err)
			return false
		}
		for _, v := range batch {
			if !yield(v, nil) {
				return false
			}
		}
		batch = batch[:0]
		return true
	}
	hint := 0
	if batched {
		hint, batch = iterLoadBatch, make([]T, 0, iterLoadBatch)
	}
	err = s.readRows(ctx, hint, func(rows *sql.Rows, rr *rowReader) error {
		afterScan := hasAfterScan[T]()
		done := ctx.Done()
		for rows.Next() {
			select {
			case <-done:
				return s.iterErr(ctx.Err())
			default:
			}
			var ptr unsafe.Pointer
			var v T
			if batched {
				batch = append(batch, zero)
				ptr = unsafe.Pointer(&batch[len(batch)-1])
			} else {
				ptr = unsafe.Pointer(&v)
			}
			if err := rr.read(ctx, rows, ptr); err != nil {
				return err
			}
			if afterScan {
				if err := any((*T)(ptr)).(AfterScanner).AfterScan(ctx); err != nil {
					return err
				}
			}
			switch {
			case !batched:
				if !yield(v, nil) {
					stopped = true
					return nil
				}
			case len(batch) == iterLoadBatch:
				if !flush() {
					stopped = true
					return nil
				}
			}
		}
		return nil
	})
	if stopped {
		return
	}
	if err != nil {
		fail(err)
		return
	}
	flush()
}

package orm

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"time"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// parentKeyAlias names the join model's key column in a many_to_many load.
const parentKeyAlias = "kinglet_parent"

// structSet addresses n model structs: base + i*stride, or ptrs[i].
type structSet struct {
	base   unsafe.Pointer
	n      int
	stride int
	ptrs   []unsafe.Pointer
}

func (s structSet) at(i int) unsafe.Pointer {
	if s.ptrs != nil {
		return s.ptrs[i]
	}
	return unsafe.Add(s.base, i*s.stride)
}

// sliceHdr is the memory layout of every Go slice.
type sliceHdr struct {
	data     unsafe.Pointer
	len, cap int
}

// loader runs the queries of one Load.
type loader struct {
	ctx context.Context
	c   *conn
}

func (l *loader) load(parents structSet, nodes []*loadNode) error {
	for _, nd := range nodes {
		if err := l.loadNode(parents, nd); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) fail(ri *relInfo, err error) error {
	return errorf("kinglet: orm: load %s.%s: %w", typeName(ri.owner.Type), ri.rel.Name, err)
}

// loadNode loads one relation onto parents: collect and deduplicate their
// keys, fetch the related rows in IN batches, load the nested relations onto
// those rows, then hand each parent its rows.
func (l *loader) loadNode(parents structSet, nd *loadNode) error {
	ri := nd.info
	pkeys := make([]any, parents.n) // normalized key per parent; nil: none
	var args []any                  // distinct keys, as bind values
	seen := make(map[any]struct{}, parents.n)
	for i := range parents.n {
		v := ri.ownerKey.Value(parents.at(i))
		k, ok, err := relKey(v)
		if err != nil {
			return l.fail(ri, fmt.Errorf("key %s: %w", ri.ownerKey.GoName, err))
		}
		if !ok {
			continue
		}
		pkeys[i] = k
		if _, dup := seen[k]; !dup {
			seen[k] = struct{}{}
			args = append(args, v)
		}
	}
	rows := newRowSet(ri.target.Type, len(args))
	if len(args) > 0 {
		if err := l.fetch(ri, args, rows); err != nil {
			return err
		}
	}
	groups := rows.group()
	if len(nd.sub) > 0 && rows.n > 0 {
		set := structSet{base: rows.at(0), n: rows.n, stride: int(rows.size)}
		if err := l.load(set, nd.sub); err != nil {
			return err
		}
	}
	attach(parents, ri, pkeys, rows, groups)
	return nil
}

// fetch reads the rows related to the keys args, in batches.
func (l *loader) fetch(ri *relInfo, args []any, rows *rowSet) error {
	target := ri.target
	tt := query.Table(target.Name)
	cols := make([]query.Expr, 0, len(target.Fields)+1)
	for _, f := range target.Fields {
		cols = append(cols, tt.C(f.Column))
	}
	var (
		q     query.SelectQuery
		match query.Ex
		order []query.Expr
	)
	if ri.rel.Kind == fields.ManyToMany {
		th := query.Table(ri.through.Name)
		match = th.C(ri.matchKey.Column)
		cols = append(cols, match.As(parentKeyAlias))
		q = query.Select(cols...).From(tt).Join(th, th.C(ri.joinKey.Column).Eq(tt.C(ri.targetPK.Column)))
		order = append(order, match)
	} else {
		match = tt.C(ri.matchKey.Column)
		q = query.Select(cols...).From(tt)
		if ri.rel.Kind != fields.BelongsTo {
			order = append(order, match)
		}
	}
	for _, f := range target.PK {
		order = append(order, tt.C(f.Column))
	}
	q = q.OrderBy(order...)
	plan, err := planFor(target, target.Columns(), true)
	if err != nil {
		return l.fail(ri, err)
	}
	nf := len(target.Fields)
	dst := make([]any, len(cols))
	var scratch unsafe.Pointer // a join model value receiving the parent key
	if ri.through != nil {
		scratch = reflect.New(ri.through.Type).UnsafePointer()
		dst[nf] = ri.matchKey.Ptr(scratch)
	}
	batch := batchSize(l.c.d.MaxParams())
	for len(args) > 0 {
		chunk := args[:min(batch, len(args))]
		args = args[len(chunk):]
		var cond query.Ex
		if len(chunk) == 1 {
			cond = match.Eq(chunk[0]) // In would expand a lone array-typed key
		} else {
			cond = match.In(chunk...)
		}
		r, o, err := l.c.readOf(l.ctx, about{op: opSelect, table: target.Name}, q.Where(cond))
		if err != nil {
			return l.fail(ri, err)
		}
		n := rows.n
		err = l.scan(ri, r, plan, dst, scratch, rows)
		o.read(r, rows.n-n)
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) scan(ri *relInfo, r *sql.Rows, plan *scanPlan, dst []any, scratch unsafe.Pointer, rows *rowSet) error {
	defer r.Close()
	nf := len(plan.fields)
	for r.Next() {
		p := rows.next()
		plan.dests(p, dst[:nf])
		if err := r.Scan(dst...); err != nil {
			return l.fail(ri, plan.scanErr(err))
		}
		toUTC(plan.times, p)
		var kv any
		if scratch != nil {
			kv = ri.matchKey.Value(scratch)
		} else {
			kv = ri.matchKey.Value(p)
		}
		k, ok, err := relKey(kv)
		if err != nil {
			return l.fail(ri, fmt.Errorf("key %s: %w", ri.matchKey.GoName, err))
		}
		if !ok { // cannot match a parent: forget the row
			rows.drop()
			continue
		}
		rows.keys = append(rows.keys, k)
		if ri.afterScan {
			if err := reflect.NewAt(ri.target.Type, p).Interface().(AfterScanner).AfterScan(l.ctx); err != nil {
				return err
			}
		}
	}
	if err := r.Err(); err != nil {
		return l.fail(ri, dbErr(err))
	}
	return dbErr(r.Close())
}

// rowSet is a growing []S of related rows with, for each, the normalized
// key of the parent it belongs to.
type rowSet struct {
	typ  reflect.Type // []S
	elem reflect.Type // S
	size uintptr
	v    reflect.Value // len(v) is the capacity; rows [0, n) are filled
	n    int
	keys []any
}

func newRowSet(elem reflect.Type, hint int) *rowSet {
	typ := reflect.SliceOf(elem)
	return &rowSet{typ: typ, elem: elem, size: elem.Size(), v: reflect.MakeSlice(typ, hint, hint), keys: make([]any, 0, hint)}
}

// next returns the address of a new zero row.
func (r *rowSet) next() unsafe.Pointer {
	if r.n == r.v.Len() {
		c := max(16, 2*r.n)
		nv := reflect.MakeSlice(r.typ, c, c)
		reflect.Copy(nv, r.v)
		r.v = nv
	}
	r.n++
	return r.at(r.n - 1)
}

// drop forgets the row next returned last.
func (r *rowSet) drop() {
	r.n--
	r.v.Index(r.n).SetZero()
}

func (r *rowSet) at(i int) unsafe.Pointer {
	return unsafe.Add(r.v.UnsafePointer(), uintptr(i)*r.size)
}

// group is the rows [start, start+n) of one parent key.
type group struct {
	start, n, fill int
	used           bool // handed to a parent already: later parents get a copy
}

// group makes the rows of each key contiguous, in the order keys first
// appear (a no-op for rows ordered by key, as fetch asks the database to),
// and returns where each key's rows are.
func (r *rowSet) group() map[any]*group {
	groups := make(map[any]*group)
	if r.n == 0 {
		return groups
	}
	order := make([]*group, 0)
	of := make([]*group, r.n)
	for i := range r.n {
		g := groups[r.keys[i]]
		if g == nil {
			g = &group{}
			groups[r.keys[i]] = g
			order = append(order, g)
		}
		g.n++
		of[i] = g
	}
	pos := 0
	for _, g := range order {
		g.start = pos
		pos += g.n
	}
	dest := make([]int, r.n)
	moved := false
	for i, g := range of {
		dest[i] = g.start + g.fill
		g.fill++
		moved = moved || dest[i] != i
	}
	if moved {
		nv := reflect.MakeSlice(r.typ, r.n, r.n)
		keys := make([]any, r.n)
		for i, d := range dest {
			nv.Index(d).Set(r.v.Index(i))
			keys[d] = r.keys[i]
		}
		r.v, r.keys = nv, keys
	}
	return groups
}

// attach sets each parent's relation field from the rows of its key.
func attach(parents structSet, ri *relInfo, pkeys []any, rows *rowSet, groups map[any]*group) {
	rel := ri.rel
	find := func(i int) *group {
		if k := pkeys[i]; k != nil {
			return groups[k]
		}
		return nil
	}
	if !ri.many {
		for i := range parents.n {
			addr := rel.Addr(parents.at(i))
			var src unsafe.Pointer
			if g := find(i); g != nil {
				src = rows.at(g.start)
			}
			switch {
			case ri.ptrElem:
				*(*unsafe.Pointer)(addr) = src
			case src == nil:
				reflect.NewAt(rows.elem, addr).Elem().SetZero()
			default:
				reflect.NewAt(rows.elem, addr).Elem().Set(reflect.NewAt(rows.elem, src).Elem())
			}
		}
		return
	}
	// An empty, non-nil slice for parents without rows: "loaded, none".
	empty := sliceHdr{data: reflect.MakeSlice(rel.Type, 0, 0).UnsafePointer()}
	var ptrs []unsafe.Pointer // for []*S: a pointer to every row, grouped like the rows
	if ri.ptrElem && rows.n > 0 {
		ptrs = make([]unsafe.Pointer, rows.n)
		for i := range ptrs {
			ptrs[i] = rows.at(i)
		}
	}
	for i := range parents.n {
		hdr := (*sliceHdr)(rel.Addr(parents.at(i)))
		g := find(i)
		if g == nil {
			*hdr = empty
			continue
		}
		var data unsafe.Pointer
		switch {
		case ri.ptrElem && !g.used:
			data = unsafe.Pointer(&ptrs[g.start])
		case ri.ptrElem:
			cp := make([]unsafe.Pointer, g.n)
			copy(cp, ptrs[g.start:g.start+g.n])
			data = unsafe.Pointer(&cp[0])
		case !g.used:
			data = rows.at(g.start)
		default:
			cp := reflect.MakeSlice(rows.typ, g.n, g.n)
			reflect.Copy(cp, rows.v.Slice(g.start, g.start+g.n))
			data = cp.UnsafePointer()
		}
		g.used = true
		*hdr = sliceHdr{data: data, len: g.n, cap: g.n}
	}
}

// relKey normalizes a key value (as Field.Value returns it) so that equal
// keys of different Go types compare equal as map keys: integers become
// int64 (uint64 beyond its range), byte strings become strings, times UTC,
// Valuers their value. ok is false for NULL and for the zero value, which
// relate to nothing.
func relKey(v any) (key any, ok bool, err error) {
	if vr, isValuer := v.(driver.Valuer); isValuer {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return nil, false, nil
		}
		if v, err = vr.Value(); err != nil {
			return nil, false, err
		}
	}
	switch x := v.(type) {
	case nil:
		return nil, false, nil
	case int64:
		return x, x != 0, nil
	case string:
		return x, x != "", nil
	case []byte:
		return string(x), len(x) > 0, nil
	case time.Time:
		return x.UTC(), !x.IsZero(), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return nil, false, nil
		}
		return relKey(rv.Elem().Interface())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := rv.Int()
		return n, n != 0, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u <= math.MaxInt64 {
			return int64(u), u != 0, nil
		}
		return u, true, nil
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		return f, f != 0, nil
	case reflect.String:
		s := rv.String()
		return s, s != "", nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return string(rv.Bytes()), rv.Len() > 0, nil
		}
	case reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, rv.Len())
			reflect.Copy(reflect.ValueOf(b), rv)
			return string(b), !rv.IsZero(), nil
		}
	}
	if rv.Comparable() {
		return v, !rv.IsZero(), nil
	}
	return nil, false, fmt.Errorf("a %T cannot be a relation key", v)
}

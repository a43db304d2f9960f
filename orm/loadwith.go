package orm

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// LoadStrategy is how LoadWith reads a relation's rows.
type LoadStrategy uint8

const (
	// InStrategy, the default, reads the related rows of all parents in
	// one more query per relation (per batch of 1000 keys): WHERE key IN
	// (…), the rows then handed to their parents. It reads each related
	// row once, and is the one to use unless round trips cost more than
	// rows: it wins on a local or fast network, for related rows shared
	// by many parents (belongs_to), and for many or wide related rows.
	InStrategy LoadStrategy = iota
	// JSONStrategy reads each parent's related rows in the parent's own
	// query, aggregated into one JSON column per parent
	// (json_agg/json_build_array on PostgreSQL, json_group_array/json_array
	// on SQLite, JSON_ARRAYAGG/JSON_ARRAY on MySQL 8.0.14 and MariaDB 10.5
	// or later) and decoded into the fields: no query of its own, so it
	// wins where a round trip costs more than the server's JSON work and
	// the decoding — a distant database, few related rows per parent — and
	// it streams with Iter without batching. Byte-string fields cannot be
	// read this way (an error says so).
	JSONStrategy
)

// LoadOption refines how LoadWith loads one relation.
type LoadOption func(*relOpts)

// relOpts are the options of one LoadWith.
type relOpts struct {
	where, order []query.Expr
	limit        int
	strategy     LoadStrategy
	err          error
}

// Where keeps only the related rows matching conds (ANDed). They may refer
// to the related model's table and, for a many_to_many, to the join
// model's; the column check vets them against those models.
func Where(conds ...query.Expr) LoadOption {
	return func(o *relOpts) { o.where = append(o.where, conds...) }
}

// OrderBy orders each parent's related rows (by their primary key after
// these, and by it alone without OrderBy). For a to-one relation with
// several matching rows (has_one) the first in this order is the one kept.
func OrderBy(es ...query.Expr) LoadOption {
	return func(o *relOpts) { o.order = append(o.order, es...) }
}

// LimitPer keeps at most n related rows per parent, the first n in the
// order of OrderBy: ROW_NUMBER() OVER (PARTITION BY the key ORDER BY …) with
// the IN strategy, a LIMIT in each parent's subquery with the JSON one. n
// must be at least 1.
func LimitPer(n int) LoadOption {
	return func(o *relOpts) {
		if n < 1 && o.err == nil {
			o.err = fmt.Errorf("%w: LimitPer(%d): the limit must be at least 1", ErrInvalidArgument, n)
		}
		o.limit = n
	}
}

// Strategy chooses how the relation's rows are read: InStrategy (the
// default) or JSONStrategy.
func Strategy(st LoadStrategy) LoadOption {
	return func(o *relOpts) {
		if st > JSONStrategy && o.err == nil {
			o.err = fmt.Errorf("%w: Strategy(%d): not a LoadStrategy", ErrInvalidArgument, st)
		}
		o.strategy = st
	}
}

// LoadWith is Load for one relation, with options: only the related rows
// matching Where, in the order of OrderBy, at most LimitPer of them per
// parent, read with the chosen Strategy. name is a relation of T, nested
// with dots like Load's names; the options apply to its last part, and the
// prefix is loaded as Load loads it (or as its own LoadWith says):
//
//	orm.Select[User](db).LoadWith("Tweets",
//		orm.Where(TweetLikes.Gt(10)), orm.OrderBy(TweetCreated.Desc()), orm.LimitPer(3))
//
// loads the three most liked… newest tweets with more than ten likes of
// each user, in one more query for all users. It works for every relation
// kind: has_many, has_one, belongs_to and many_to_many (whose options may
// refer to the join model's table). A belongs_to target that Where leaves
// out leaves the relation nil. Naming one relation in two LoadWith calls
// is an error wrapping ErrInvalidArgument, as is a bad option.
func (s SelectQuery[T]) LoadWith(name string, opts ...LoadOption) SelectQuery[T] {
	if s.err != nil || s.t == nil {
		return s
	}
	path, err := cleanPath(s.t, name)
	if err != nil {
		s.err = err
		return s
	}
	infos, err := relPath(s.t, path)
	if err != nil {
		s.err = err
		return s
	}
	o := &relOpts{}
	for _, op := range opts {
		if op != nil {
			op(o)
		}
	}
	last := infos[len(infos)-1]
	fail := func(err error) SelectQuery[T] {
		s.err = errorf("kinglet: orm: LoadWith(%q) of %s: %w", path, typeName(s.t.Type), err)
		return s
	}
	if o.err != nil {
		return fail(o.err)
	}
	if o.strategy == JSONStrategy {
		if err := checkJSONFields(last); err != nil {
			return fail(err)
		}
		if s.compound && !strings.Contains(path, ".") {
			return fail(fmt.Errorf("%w: the JSON strategy adds a column to the query, which a compound (Union, …) cannot take", ErrInvalidArgument))
		}
	}
	if s.rd.withIndex(path) >= 0 {
		return fail(fmt.Errorf("%w: %s is given to LoadWith twice", ErrInvalidArgument, path))
	}
	if s.rd.joinIndex(path) >= 0 {
		return fail(fmt.Errorf("%w: %s is filled by JoinLoad, which its options cannot change: filter the joined model with Where", ErrInvalidArgument, path))
	}
	rd := s.rd.clone()
	rd.with = append(rd.with, loadWith{path: path, o: o, ri: last})
	s.rd = rd
	return s.Load(path)
}

// cleanPath is name with its parts trimmed.
func cleanPath(t *fields.Table, name string) (string, error) {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		if parts[i] = strings.TrimSpace(p); parts[i] == "" {
			return "", fmt.Errorf("%w: %s: empty name in %q", ErrUnknownRelation, typeName(t.Type), name)
		}
	}
	return strings.Join(parts, "."), nil
}

type loadWith struct {
	path string
	o    *relOpts
	ri   *relInfo // the relation at path
}

var noOpts = &relOpts{}

func (r *readOpts) withIndex(path string) int {
	if r == nil {
		return -1
	}
	for i, w := range r.with {
		if w.path == path {
			return i
		}
	}
	return -1
}

// opts are the options of the relation at path (none: noOpts).
func (r *readOpts) opts(path string) *relOpts {
	if i := r.withIndex(path); i >= 0 {
		return r.with[i].o
	}
	return noOpts
}

// prefilled reports whether the relation at path is filled by the query of
// its parent rows (JoinLoad, or the JSON strategy) rather than by a query
// of its own.
func (r *readOpts) prefilled(path string) bool {
	if r == nil {
		return false
	}
	return r.joinIndex(path) >= 0 || r.opts(path).strategy == JSONStrategy
}

// optLoader loads relations for a query with JoinLoad or LoadWith: as
// loader does, with each relation's options, and skipping the relations
// the parent rows' query filled already (loading what hangs below them).
type optLoader struct {
	ctx context.Context
	c   *conn
	rd  *readOpts
}

func (l *optLoader) load(parents structSet, nodes []*loadNode, prefix string) error {
	for _, nd := range nodes {
		path := nd.info.rel.Name
		if prefix != "" {
			path = prefix + "." + path
		}
		if l.rd.prefilled(path) {
			if len(nd.sub) > 0 && parents.n > 0 {
				if err := l.load(related(parents, nd.info), nd.sub, path); err != nil {
					return err
				}
			}
			continue
		}
		if err := l.loadNode(parents, nd, path); err != nil {
			return err
		}
	}
	return nil
}

// needsQueries reports whether loading nodes below prefix runs a query.
func (r *readOpts) needsQueries(nodes []*loadNode, prefix string) bool {
	for _, nd := range nodes {
		path := nd.info.rel.Name
		if prefix != "" {
			path = prefix + "." + path
		}
		if !r.prefilled(path) || r.needsQueries(nd.sub, path) {
			return true
		}
	}
	return false
}

// related are the structs the relation ri of parents holds: the rows
// JoinLoad or the JSON strategy put there.
func related(parents structSet, ri *relInfo) structSet {
	var out structSet
	size := ri.target.Type.Size()
	for i := range parents.n {
		addr := ri.rel.Addr(parents.at(i))
		switch {
		case !ri.many && ri.ptrElem:
			if p := *(*unsafe.Pointer)(addr); p != nil {
				out.ptrs = append(out.ptrs, p)
			}
		case !ri.many:
			out.ptrs = append(out.ptrs, addr)
		default:
			h := (*sliceHdr)(addr)
			for k := range h.len {
				if ri.ptrElem {
					if p := *(*unsafe.Pointer)(unsafe.Add(h.data, uintptr(k)*unsafe.Sizeof(h.data))); p != nil {
						out.ptrs = append(out.ptrs, p)
					}
				} else {
					out.ptrs = append(out.ptrs, unsafe.Add(h.data, uintptr(k)*size))
				}
			}
		}
	}
	out.n = len(out.ptrs)
	return out
}

// loadNode is loader.loadNode with the options of path, and the JSON
// columns of the relations below it that use that strategy.
func (l *optLoader) loadNode(parents structSet, nd *loadNode, path string) error {
	ri := nd.info
	pkeys := make([]any, parents.n)
	var args []any
	seen := make(map[any]struct{}, min(parents.n, 256))
	for i := range parents.n {
		v := ri.ownerKey.Value(parents.at(i))
		k, ok, err := relKey(v)
		if err != nil {
			return (&loader{}).fail(ri, fmt.Errorf("key %s: %w", ri.ownerKey.GoName, err))
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
	o := l.rd.opts(path)
	hint := len(args)
	if o.limit > 1 && ri.many {
		hint = min(len(args)*o.limit, 4096) // the most rows the limit lets through
	}
	rows := newRowSet(ri.target.Type, hint)
	if len(args) > 0 {
		if err := l.fetch(ri, o, l.rd.jsonChildren(path), args, rows); err != nil {
			return err
		}
	}
	groups := rows.group()
	if len(nd.sub) > 0 && rows.n > 0 {
		set := structSet{base: rows.at(0), n: rows.n, stride: int(rows.size)}
		if err := l.load(set, nd.sub, path); err != nil {
			return err
		}
	}
	attach(parents, ri, pkeys, rows, groups)
	return nil
}

// jsonSub is a relation read as JSON in its parent's query, with the
// relations below it read as JSON inside its own.
type jsonSub struct {
	path string
	ri   *relInfo
	o    *relOpts
	subs []jsonSub
}

// jsonChildren are the relations right below path (T for "") that use the
// JSON strategy.
func (r *readOpts) jsonChildren(path string) []jsonSub {
	if r == nil {
		return nil
	}
	var out []jsonSub
	for _, w := range r.with {
		if w.o.strategy != JSONStrategy || parentPath(w.path) != path {
			continue
		}
		out = append(out, jsonSub{path: w.path, ri: w.ri, o: w.o, subs: r.jsonChildren(w.path)})
	}
	return out
}

// parentPath is the path of the relation path hangs from ("" for T's own).
func parentPath(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

const (
	relAlias = "kinglet_rel" // the derived table of a per-parent limit
	rnAlias  = "kinglet_rn"  // its row numbers
	keyAlias = "kinglet_key" // its keys, where it numbers the keys alone
)

// keyOrdered reports whether d reads the rows of WHERE fk IN (…) in
// (fk, primary key) order through fk's index (dialect.KeyOrderedIn): then
// the loaders order by fk first, for free; elsewhere by the primary key
// alone, and rowSet.group puts each parent's rows together, sparing the
// server a sort of whole rows.
func keyOrdered(d dialect.Dialect) bool {
	ko, ok := d.(dialect.KeyOrderedIn)
	return ok && ko.KeyOrderedIn()
}

// fetchQuery is the query of ri's related rows on d, with options o and
// the JSON columns of subs, for one batch of keys (cond).
func fetchQuery(d dialect.Dialect, ri *relInfo, o *relOpts, subs []jsonSub, cond func(match query.Ex) query.Expr) query.SelectQuery {
	target := ri.target
	tt := query.Table(target.Name)
	cols := make([]query.Expr, 0, len(target.Fields)+1)
	for _, f := range target.Fields {
		cols = append(cols, tt.C(f.Column))
	}
	var (
		q         query.SelectQuery
		match     query.Ex
		matchName string
	)
	if ri.rel.Kind == fields.ManyToMany {
		th := query.Table(ri.through.Name)
		match, matchName = th.C(ri.matchKey.Column), parentKeyAlias
		cols = append(cols, match.As(parentKeyAlias))
		q = query.Select(query.Unchecked(cols...)).From(tt).Join(th, th.C(ri.joinKey.Column).Eq(tt.C(ri.targetPK.Column)))
	} else {
		match, matchName = tt.C(ri.matchKey.Column), ri.matchKey.Column
		q = query.Select(query.Unchecked(cols...)).From(tt)
	}
	q = q.Where(cond(match))
	if len(o.where) > 0 {
		q = q.Where(o.where...)
	}
	order := append([]query.Expr(nil), o.order...)
	for _, f := range target.PK {
		order = append(order, tt.C(f.Column))
	}
	jsonCols := func(parent query.TableRef) []query.Expr {
		out := make([]query.Expr, len(subs))
		for i, s := range subs {
			out[i] = query.E(&jsonAgg{sub: s, parent: parent}).As(jsonAlias(s.path))
		}
		return out
	}
	if o.limit == 0 {
		q = q.Columns(jsonCols(tt)...)
		if keyOrdered(d) {
			return q.OrderBy(append([]query.Expr{match}, order...)...)
		}
		return q.OrderBy(order...) // grouped by parent here (rowSet.group)
	}
	// At most o.limit rows per parent: number each parent's rows in the
	// asked order and keep the first ones.
	rn := query.Func("ROW_NUMBER").Over(query.NewWindow().PartitionBy(match).OrderBy(order...)).As(rnAlias)
	if nw, ok := d.(dialect.NarrowWindower); ok && nw.NarrowWindows() && len(target.PK) == 1 {
		// Number the keys alone, and join the rows of the first ones.
		pk := target.PK[0]
		keys := query.Select(tt.C(pk.Column).As(keyAlias), match.As(parentKeyAlias), rn).From(tt)
		if ri.rel.Kind == fields.ManyToMany {
			th := query.Table(ri.through.Name)
			keys = keys.Join(th, th.C(ri.joinKey.Column).Eq(tt.C(ri.targetPK.Column)))
		}
		keys = keys.Where(cond(match))
		if len(o.where) > 0 {
			keys = keys.Where(o.where...)
		}
		kr := query.Table(relAlias)
		out := query.Select(query.Unchecked(cols[:len(target.Fields)]...))
		if ri.rel.Kind == fields.ManyToMany {
			out = out.Columns(kr.C(parentKeyAlias))
		}
		return out.Columns(jsonCols(tt)...).From(tt).
			Join(keys.As(relAlias), kr.C(keyAlias).Eq(tt.C(pk.Column))).
			Where(kr.C(rnAlias).Le(o.limit)).
			OrderBy(kr.C(parentKeyAlias), kr.C(rnAlias))
	}
	inner := q.Columns(rn)
	outerCols := make([]query.Expr, 0, len(target.Fields)+1)
	for _, f := range target.Fields {
		outerCols = append(outerCols, query.C(f.Column))
	}
	if ri.rel.Kind == fields.ManyToMany {
		outerCols = append(outerCols, query.C(parentKeyAlias))
	}
	return query.Select(query.Unchecked(outerCols...)).Columns(jsonCols(query.Table(relAlias))...).
		From(inner.As(relAlias)).
		Where(query.C(rnAlias).Le(o.limit)).
		OrderBy(query.C(matchName), query.C(rnAlias))
}

// fetch is loader.fetch with options and JSON columns.
func (l *optLoader) fetch(ri *relInfo, o *relOpts, subs []jsonSub, args []any, rows *rowSet) error {
	target := ri.target
	lf := &loader{ctx: l.ctx, c: l.c}
	plan, err := planFor(target, target.Columns(), true)
	if err != nil {
		return lf.fail(ri, err)
	}
	nf := len(target.Fields)
	extra := len(subs)
	if ri.through != nil {
		extra++
	}
	dst := make([]any, nf+extra)
	var scratch unsafe.Pointer
	at := nf
	if ri.through != nil {
		scratch = reflect.New(ri.through.Type).UnsafePointer()
		dst[at] = ri.matchKey.Ptr(scratch)
		at++
	}
	raws := make([]jsonDest, len(subs))
	for i := range subs {
		dst[at+i] = &raws[i]
	}
	check := cacheOf(target).check
	batch := batchSize(l.c.d.MaxParams())
	for len(args) > 0 {
		chunk := args[:min(batch, len(args))]
		args = args[len(chunk):]
		q := fetchQuery(l.c.d, ri, o, subs, func(match query.Ex) query.Expr {
			if len(chunk) == 1 {
				return match.Eq(chunk[0]) // In would expand a lone array-typed key
			}
			return match.In(chunk...)
		})
		r, o, err := l.c.queryBuilt(l.ctx, target.Name, q, check)
		if err != nil {
			return lf.fail(ri, err)
		}
		n := rows.n
		err = l.scan(lf, ri, r, plan, dst, scratch, rows, subs, raws)
		o.read(r, rows.n-n)
		if err != nil {
			return err
		}
	}
	return nil
}

// scan is loader.scan, decoding the JSON columns of subs into each row.
func (l *optLoader) scan(lf *loader, ri *relInfo, r *sql.Rows, plan *scanPlan, dst []any, scratch unsafe.Pointer, rows *rowSet, subs []jsonSub, raws []jsonDest) error {
	defer r.Close()
	nf := len(plan.fields)
	for r.Next() {
		p := rows.next()
		plan.dests(p, dst[:nf])
		if err := r.Scan(dst...); err != nil {
			return lf.fail(ri, plan.scanErr(err))
		}
		toUTC(plan.times, p)
		for i, s := range subs {
			if err := decodeJSONRel(l.ctx, s, p, raws[i].data); err != nil {
				return err
			}
		}
		var kv any
		if scratch != nil {
			kv = ri.matchKey.Value(scratch)
		} else {
			kv = ri.matchKey.Value(p)
		}
		k, ok, err := relKey(kv)
		if err != nil {
			return lf.fail(ri, fmt.Errorf("key %s: %w", ri.matchKey.GoName, err))
		}
		if !ok {
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
		return lf.fail(ri, dbErr(err))
	}
	return dbErr(r.Close())
}

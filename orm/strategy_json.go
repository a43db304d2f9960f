package orm

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// The JSON strategy (Strategy(JSONStrategy)): a relation's rows are read in
// the parent's own query, one column per relation holding a parent's
// related rows as a JSON array of arrays, one array of column values per
// row:
//
//	SELECT users.…, (SELECT json_agg(json_build_array(tweets.id, …) ORDER BY tweets.id)
//	                 FROM tweets WHERE tweets.user_id = users.id) AS kinglet_json_tweets
//	FROM users
//
// (json_group_array/json_array on SQLite, JSON_ARRAYAGG/JSON_ARRAY on
// MySQL and MariaDB, see dialect.JSONAgg). With LimitPer, or an engine whose
// aggregate takes no ORDER BY, the rows come from a derived table that
// numbers them, and the number travels as the last value of each array.

// jsonOrd names the number of a row in its parent's JSON array.
const jsonOrd = "kinglet_ord"

// jsonAgg is the JSON column of one relation, correlated with the parent's
// table parent: rendered for the dialect it is built for. The relations
// below it that use the JSON strategy too are inside its rows' arrays,
// after the columns.
type jsonAgg struct {
	sub    jsonSub
	parent query.TableRef
}

func (j *jsonAgg) AppendSQL(b *query.Builder) {
	ja, ok := jsonAggOf(b.Dialect())
	if !ok {
		b.Fail(dialect.Unsupported(b.Dialect(), "aggregating rows into JSON (orm.Strategy(orm.JSONStrategy))"))
		return
	}
	q, err := j.query(ja)
	if err != nil {
		b.Fail(err)
		return
	}
	b.Expr(q)
}

func jsonAggOf(d dialect.Dialect) (dialect.JSONAgg, bool) {
	if ja, ok := d.(dialect.JSONAggregator); ok {
		return ja.JSONAgg()
	}
	return dialect.JSONAgg{}, false
}

// query is the scalar subquery of j's column.
func (j *jsonAgg) query(ja dialect.JSONAgg) (query.SelectQuery, error) {
	ri, o := j.sub.ri, j.sub.o
	target := ri.target
	// The related table is aliased when it has the parent's name (a
	// self-reference), so that the correlation reads the parent's row.
	used := []string{strings.ToLower(j.parent.Name()), strings.ToLower(j.parent.Alias())}
	ct := aliasedIfUsed(target.Name, ri.rel.Name, "", &used)
	cols := make([]query.Expr, 0, len(target.Fields)+len(j.sub.subs))
	for _, f := range target.Fields {
		cols = append(cols, ct.C(f.Column))
	}
	var from query.SelectQuery
	if ri.through != nil {
		th := aliasedIfUsed(ri.through.Name, ri.rel.Name, "_through", &used)
		from = query.Select().From(ct).Join(th, th.C(ri.joinKey.Column).Eq(ct.C(ri.targetPK.Column))).
			Where(th.C(ri.matchKey.Column).Eq(j.parent.C(ri.ownerKey.Column)))
	} else {
		from = query.Select().From(ct).Where(ct.C(ri.matchKey.Column).Eq(j.parent.C(ri.ownerKey.Column)))
	}
	if len(o.where) > 0 {
		from = from.Where(o.where...)
	}
	order := slices.Clip(o.order)
	for _, f := range target.PK {
		order = append(order, ct.C(f.Column))
	}
	if ja.OrderInAgg && (o.limit == 0 || ja.LimitInAgg) {
		for _, s := range j.sub.subs {
			cols = append(cols, query.E(&jsonAgg{sub: s, parent: ct}))
		}
		text := ja.Agg + "(" + ja.Array + "(" + marks(len(cols)) + ") ORDER BY " + marks(len(order))
		args := append(append(make([]any, 0, len(cols)+len(order)+1), toExprArgs(cols)...), toExprArgs(order)...)
		if o.limit > 0 {
			text += " LIMIT ?" // bound, as every value
			args = append(args, int64(o.limit))
		}
		return from.Columns(query.Raw(text+")", args...)), nil
	}
	if !ja.CorrelatedDerived {
		return query.SelectQuery{}, fmt.Errorf("%w: JSON strategy for %s.%s with LimitPer", dialect.ErrUnsupported, typeName(ri.owner.Type), ri.rel.Name)
	}
	// Number the rows in a derived table, which can take the LIMIT; the
	// number travels last in each row's array, and the rows are put in its
	// order when decoded.
	inner := from.Columns(query.Unchecked(cols...))
	for i, s := range j.sub.subs {
		inner = inner.Columns(query.E(&jsonAgg{sub: s, parent: ct}).As(subAlias(i)))
	}
	inner = inner.Columns(query.Func("ROW_NUMBER").Over(query.NewWindow().OrderBy(order...)).As(jsonOrd)).
		OrderBy(order...)
	if o.limit > 0 {
		inner = inner.Limit(int64(o.limit))
	}
	k := query.Table("kinglet_k")
	kcols := make([]any, 0, len(cols)+len(j.sub.subs)+1)
	for _, f := range target.Fields {
		kcols = append(kcols, k.C(f.Column))
	}
	for i := range j.sub.subs {
		kcols = append(kcols, k.C(subAlias(i)))
	}
	kcols = append(kcols, k.C(jsonOrd))
	return query.Select(query.Raw(ja.Agg+"("+ja.Array+"("+marks(len(kcols))+"))", kcols...)).From(inner.As("kinglet_k")), nil
}

// subAlias names the column of the i-th JSON relation inside another's
// derived table.
func subAlias(i int) string { return "kinglet_s" + strconv.Itoa(i) }

// aliasedIfUsed is table name, aliased as the snake_case of relName (with
// suffix) when a table of the query has that name already.
func aliasedIfUsed(name, relName, suffix string, used *[]string) query.TableRef {
	if !slices.Contains(*used, strings.ToLower(name)) {
		*used = append(*used, strings.ToLower(name))
		return query.Table(name)
	}
	base := fields.SnakeCase(relName) + suffix
	alias := base
	for n := 2; slices.Contains(*used, alias); n++ {
		alias = base + "_" + strconv.Itoa(n)
	}
	*used = append(*used, alias)
	return query.Table(name).As(alias)
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func toExprArgs(es []query.Expr) []any {
	out := make([]any, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// jsonAlias is the result column of relation path's JSON.
func jsonAlias(path string) string {
	a := "kinglet_json_" + strings.ReplaceAll(fields.SnakeCase(strings.ReplaceAll(path, ".", "_")), "__", "_")
	if len(a) > 60 {
		a = a[:60]
	}
	return a
}

// checkJSONFields refuses a relation whose rows cannot travel as JSON:
// byte strings (which SQLite's JSON refuses and MySQL mangles).
func checkJSONFields(ri *relInfo) error {
	for _, f := range ri.target.Fields {
		if f.Kind == fields.KindBytes {
			return fmt.Errorf("%w: JSON strategy for %s.%s: field %s.%s is a byte string, which JSON does not carry on every engine: load it with the IN strategy", ErrInvalidArgument, typeName(ri.owner.Type), ri.rel.Name, typeName(ri.target.Type), f.GoName)
		}
	}
	return nil
}

// decodeJSONRel reads a parent's JSON column (data, NULL when nil) for the
// relation of sub into the parent's relation field: a slice for to-many
// (empty, not nil, for none), the first row or nil for to-one. The JSON
// relations below sub are inside each row's array.
func decodeJSONRel(ctx context.Context, sub jsonSub, parent unsafe.Pointer, data []byte) error {
	ri := sub.ri
	rel := ri.rel
	fail := func(err error) error {
		return errorf("kinglet: orm: load %s.%s (JSON): %w", typeName(ri.owner.Type), rel.Name, err)
	}
	elem := ri.target.Type
	var rows []jsonRow
	if data != nil {
		var err error
		r := jsonReader{b: data}
		if rows, err = r.rows(len(ri.target.Fields) + len(sub.subs)); err != nil {
			return fail(err)
		}
	}
	store := func(row jsonRow, p unsafe.Pointer) error {
		if err := row.store(ri.target, p); err != nil {
			return fail(err)
		}
		for i, s := range sub.subs {
			v := row.vals[len(ri.target.Fields)+i]
			if err := decodeNested(ctx, s, p, v); err != nil {
				return err
			}
		}
		if ri.afterScan {
			return reflect.NewAt(elem, p).Interface().(AfterScanner).AfterScan(ctx)
		}
		return nil
	}
	addr := rel.Addr(parent)
	if !ri.many {
		switch {
		case len(rows) == 0 && ri.ptrElem:
			*(*unsafe.Pointer)(addr) = nil
		case len(rows) == 0:
			reflect.NewAt(elem, addr).Elem().SetZero()
		default:
			p := addr
			if ri.ptrElem {
				p = reflect.New(elem).UnsafePointer()
				*(*unsafe.Pointer)(addr) = p
			} else {
				reflect.NewAt(elem, addr).Elem().SetZero()
			}
			return store(rows[0], p)
		}
		return nil
	}
	n := len(rows)
	if n == 0 {
		*(*sliceHdr)(addr) = sliceHdr{data: reflect.MakeSlice(rel.Type, 0, 0).UnsafePointer()}
		return nil
	}
	base := reflect.MakeSlice(reflect.SliceOf(elem), n, n).UnsafePointer()
	size := elem.Size()
	for i := range rows {
		if err := store(rows[i], unsafe.Add(base, uintptr(i)*size)); err != nil {
			return err
		}
	}
	if !ri.ptrElem {
		*(*sliceHdr)(addr) = sliceHdr{data: base, len: n, cap: n}
		return nil
	}
	ptrs := make([]unsafe.Pointer, n)
	for i := range ptrs {
		ptrs[i] = unsafe.Add(base, uintptr(i)*size)
	}
	*(*sliceHdr)(addr) = sliceHdr{data: unsafe.Pointer(&ptrs[0]), len: n, cap: n}
	return nil
}

// decodeNested reads the value of a JSON relation inside a row's array: a
// nested array, null, or (through a derived table, where some engines lose
// that it is JSON) a string holding the array.
func decodeNested(ctx context.Context, s jsonSub, parent unsafe.Pointer, v jsonVal) error {
	var data []byte
	switch v.kind {
	case 'n':
	case '[':
		data = v.text
	case '"':
		str, err := v.str()
		if err != nil {
			return err
		}
		data = []byte(str)
	default:
		return errorf("kinglet: orm: load %s.%s (JSON): want an array, got %s", typeName(s.ri.owner.Type), s.ri.rel.Name, v.text)
	}
	return decodeJSONRel(ctx, s, parent, data)
}

// jsonDest receives a JSON column: a copy of the value in a buffer of its
// own, reused row after row (sql.RawBytes would hold the rows' lock until
// Next, and a LEFT JoinLoad scans a row twice). data is nil for NULL.
type jsonDest struct {
	buf  []byte
	data []byte
}

func (d *jsonDest) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		d.data = nil
	case []byte:
		d.buf = append(d.buf[:0], v...)
		d.data = d.buf
	case string:
		d.buf = append(d.buf[:0], v...)
		d.data = d.buf
	default:
		return fmt.Errorf("a JSON column came as %T", src)
	}
	return nil
}

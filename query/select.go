package query

import (
	"fmt"
	"slices"

	"github.com/kingletdb/kinglet/dialect"
)

// SelectQuery is a SELECT statement. It is an immutable value: every method
// returns a new query, so a base query can be shared and extended safely,
// also from several goroutines.
type SelectQuery struct {
	cols      inline4[Expr]
	from      inline2[Expr]
	joins     inline2[join]
	where     inline4[Expr]
	orderBy   inline2[Expr]
	limit     int64
	offset    int64
	hasLimit  bool
	hasOffset bool
	distinct  bool
	rare      *selectRare // the clauses most queries lack; nil when none is set
	err       error
}

// selectRare holds a SELECT's less common clauses behind one pointer, so
// that the query value every chained call copies stays small. It is shared
// between query values and copied before a change (see setRare).
type selectRare struct {
	with       with
	distinctOn []Expr
	groupBy    list[Expr]
	having     list[Expr]
	windows    []namedWindow
	lock       *lockClause
	compound   *compound
}

var noRare selectRare

// x is q's rare clauses, read-only.
func (q *SelectQuery) x() *selectRare {
	if q.rare == nil {
		return &noRare
	}
	return q.rare
}

// setRare gives q its own copy of the rare clauses, to change.
func (q *SelectQuery) setRare() *selectRare {
	q.rare = ownCopy(q.rare)
	return q.rare
}

// join is one JOIN clause. on is the ON condition, or a *usingCols for
// USING (…), or nil for a cross join.
type join struct {
	t    Expr
	on   Expr
	kind joinKind
}

type joinKind uint8

const (
	innerJoin joinKind = iota
	leftJoin
	rightJoin
	fullJoin
	crossJoin
)

// joinKinds is each kind's keyword and the feature it needs (0: none).
var joinKinds = [...]struct {
	sql  string
	feat dialect.Feature
}{
	innerJoin: {"JOIN", 0},
	leftJoin:  {"LEFT JOIN", 0},
	rightJoin: {"RIGHT JOIN", dialect.RightJoin},
	fullJoin:  {"FULL JOIN", dialect.FullJoin},
	crossJoin: {"CROSS JOIN", 0},
}

// usingCols is a join's USING (cols…).
type usingCols []string

type namedWindow struct {
	name string
	w    Window
}

// Select starts a SELECT of the given columns (SELECT * when there are none).
func Select(cols ...Expr) SelectQuery {
	var q SelectQuery
	q.addCols(cols)
	return q
}

// The chained methods are small enough to inline and change the copy they
// return through a pointer: a SELECT's value is large enough that copying
// it in and out of every call would cost more than the change.

// Columns adds to the select list.
func (q SelectQuery) Columns(cols ...Expr) SelectQuery { q.addCols(cols); return q }

func (q *SelectQuery) addCols(cols []Expr) { addUnwrappedTo(q.cols.grow(len(cols)), cols) }

// Distinct makes it SELECT DISTINCT.
func (q SelectQuery) Distinct() SelectQuery { q.distinct = true; return q }

// DistinctOn is PostgreSQL's SELECT DISTINCT ON (es…); an error elsewhere.
func (q SelectQuery) DistinctOn(es ...Expr) SelectQuery {
	q.setRare().distinctOn = unwrapAll(es)
	return q
}

// From adds FROM items: tables, derived tables (subquery.As("x")), CTEs, or
// any expression such as a Raw table function.
func (q SelectQuery) From(items ...Expr) SelectQuery { q.addFrom(items); return q }

func (q *SelectQuery) addFrom(items []Expr) {
	q.from.add(items...)
	if hasUsedCTE(items) {
		q.useCTEs(items)
	}
}

// useCTEs adds the CTE values among From and Join items to the WITH, unless
// it defines them already (see CTE).
func (q *SelectQuery) useCTEs(items []Expr) {
	if w, changed := q.x().with.addUsed(items); changed {
		q.setRare().with = w
	}
}

// Join adds INNER JOIN t ON on… (the conditions ANDed).
func (q SelectQuery) Join(t Expr, on ...Expr) SelectQuery { q.addJoin(innerJoin, t, on); return q }

// LeftJoin adds LEFT JOIN t ON on….
func (q SelectQuery) LeftJoin(t Expr, on ...Expr) SelectQuery {
	q.addJoin(leftJoin, t, on)
	return q
}

// RightJoin adds RIGHT JOIN t ON on… (SQLite 3.39 or later).
func (q SelectQuery) RightJoin(t Expr, on ...Expr) SelectQuery {
	q.addJoin(rightJoin, t, on)
	return q
}

// FullJoin adds FULL JOIN t ON on… (not on MySQL).
func (q SelectQuery) FullJoin(t Expr, on ...Expr) SelectQuery {
	q.addJoin(fullJoin, t, on)
	return q
}

// CrossJoin adds CROSS JOIN t.
func (q SelectQuery) CrossJoin(t Expr) SelectQuery {
	q.addJoinClause(join{kind: crossJoin, t: t})
	return q
}

// JoinUsing adds INNER JOIN t USING (cols…).
func (q SelectQuery) JoinUsing(t Expr, cols ...string) SelectQuery {
	q.joinUsing(innerJoin, t, cols)
	return q
}

// LeftJoinUsing adds LEFT JOIN t USING (cols…).
func (q SelectQuery) LeftJoinUsing(t Expr, cols ...string) SelectQuery {
	q.joinUsing(leftJoin, t, cols)
	return q
}

// joinUsing adds a join USING (cols…), copied from the caller's slice.
func (q *SelectQuery) joinUsing(kind joinKind, t Expr, cols []string) {
	if len(cols) == 0 {
		q.err = fmt.Errorf("%w: %s USING without columns", ErrInvalid, joinKinds[kind].sql)
	}
	u := usingCols(slices.Clone(cols))
	q.addJoinClause(join{kind: kind, t: t, on: &u})
}

// AppendSQL renders the column list of USING (…), without the keyword.
func (u *usingCols) AppendSQL(b *Builder) { b.idents(*u) }

func (q *SelectQuery) addJoin(kind joinKind, t Expr, on []Expr) {
	j := join{kind: kind, t: t}
	if len(on) > 0 {
		j.on = And(on...).n()
	} else {
		q.err = fmt.Errorf("%w: %s without ON condition (use CrossJoin for a cross join)", ErrInvalid, joinKinds[kind].sql)
	}
	q.addJoinClause(j)
}

func (q *SelectQuery) addJoinClause(j join) {
	q.joins.grow(1)[0] = j
	if _, ok := j.t.(CTE); ok {
		q.useCTEs([]Expr{j.t})
	}
}

func appendJoins(b *Builder, joins []join) {
	for _, j := range joins {
		k := &joinKinds[j.kind]
		if k.feat != 0 && !b.Require(k.feat) {
			return
		}
		b.byte(' ')
		b.Lit(k.sql)
		b.byte(' ')
		appendFromItem(b, j.t)
		switch u := j.on.(type) {
		case nil:
		case *usingCols:
			b.Lit(" USING (")
			u.AppendSQL(b)
			b.byte(')')
		default:
			b.Lit(" ON ")
			b.Expr(j.on)
		}
	}
}

// Where adds conditions, ANDed with each other and with earlier ones.
func (q SelectQuery) Where(conds ...Expr) SelectQuery { q.addWhere(conds); return q }

func (q *SelectQuery) addWhere(conds []Expr) { addUnwrappedTo(q.where.grow(len(conds)), conds) }

// OrWhere ORs conds (ANDed together) with everything Where added so far:
// WHERE (earlier) OR (conds).
func (q SelectQuery) OrWhere(conds ...Expr) SelectQuery {
	if q.where.len() == 0 {
		q.addWhere(conds)
		return q
	}
	or := orAll(q.where.items(), conds)
	q.where = inline4[Expr]{}
	q.where.grow(1)[0] = or
	return q
}

// orAll is the condition (where) OR (conds) of OrWhere on a statement
// that has conditions where.
func orAll(where, conds []Expr) Expr { return Or(And(where...), And(conds...)).n() }

// orWhere2 is OrWhere for the conditions of an UPDATE or DELETE.
func orWhere2(where *inline2[Expr], conds []Expr) {
	if where.len() == 0 {
		addUnwrappedTo(where.grow(len(conds)), conds)
		return
	}
	or := orAll(where.items(), conds)
	*where = inline2[Expr]{}
	where.grow(1)[0] = or
}

// GroupBy adds GROUP BY expressions.
func (q SelectQuery) GroupBy(es ...Expr) SelectQuery {
	r := q.setRare()
	r.groupBy = addUnwrapped(r.groupBy, es)
	return q
}

// Having adds HAVING conditions, ANDed.
func (q SelectQuery) Having(conds ...Expr) SelectQuery {
	r := q.setRare()
	r.having = addUnwrapped(r.having, conds)
	return q
}

// Window defines a named window for OverName: WINDOW name AS (w).
func (q SelectQuery) Window(name string, w Window) SelectQuery {
	r := q.setRare()
	ws := make([]namedWindow, len(r.windows), len(r.windows)+1)
	copy(ws, r.windows)
	r.windows = append(ws, namedWindow{name, w})
	return q
}

// OrderBy adds ORDER BY items: expressions (ascending) or e.Desc() and
// friends.
func (q SelectQuery) OrderBy(es ...Expr) SelectQuery { q.addOrder(es); return q }

func (q *SelectQuery) addOrder(es []Expr) { addUnwrappedTo(q.orderBy.grow(len(es)), es) }

// Ordered reports whether the query has an ORDER BY.
func (q SelectQuery) Ordered() bool { return q.orderBy.len() > 0 }

// Limited reports whether the query has a LIMIT.
func (q SelectQuery) Limited() bool { return q.hasLimit }

// Limit sets LIMIT n.
func (q SelectQuery) Limit(n int64) SelectQuery {
	q.limit, q.hasLimit = n, true
	if n < 0 {
		q.err = negative("LIMIT", n)
	}
	return q
}

// negative is the error of a negative LIMIT or OFFSET, kept out of line so
// that Limit and Offset inline.
func negative(clause string, n int64) error {
	return fmt.Errorf("%w: %s %d is negative", ErrInvalid, clause, n)
}

// Offset sets OFFSET n. Without a Limit, engines that need one get their
// "all rows" LIMIT (SQLite -1, MySQL 2^64-1).
func (q SelectQuery) Offset(n int64) SelectQuery {
	q.offset, q.hasOffset = n, true
	if n < 0 {
		q.err = negative("OFFSET", n)
	}
	return q
}

// Paginate selects page (counted from 1) of size rows: LIMIT size OFFSET
// (page-1)*size.
func (q SelectQuery) Paginate(page, size int64) SelectQuery {
	if page < 1 || size < 1 {
		q.err = fmt.Errorf("%w: Paginate(%d, %d): page and size must be at least 1", ErrInvalid, page, size)
		return q
	}
	return q.Limit(size).Offset((page - 1) * size)
}

// With adds common table expressions.
func (q SelectQuery) With(ctes ...CTE) SelectQuery {
	r := q.setRare()
	r.with = r.with.add(false, ctes)
	return q
}

// WithRecursive adds common table expressions and marks the WITH RECURSIVE.
func (q SelectQuery) WithRecursive(ctes ...CTE) SelectQuery {
	r := q.setRare()
	r.with = r.with.add(true, ctes)
	return q
}

// As turns the query into a derived table for From and Join.
func (q SelectQuery) As(alias string) TableRef {
	return newTable(tableData{alias: alias, ext: &tableExt{sub: q}})
}

// Build renders the query for d.
func (q SelectQuery) Build(d dialect.Dialect) (string, []any, error) {
	return buildSized(d, nil, q.render, 0)
}

// BuildChecked renders the query for d with check run on every
// table-qualified column, like the BuildChecked function, without first
// copying the query to the heap as passing it as an Expr does.
func (q SelectQuery) BuildChecked(d dialect.Dialect, check ColumnCheck) (string, []any, error) {
	return buildSized(d, check, q.render, 0)
}

// String renders the query with values inlined, for logs only.
func (q SelectQuery) String() string { return Debug(debugDialect, q) }

// AppendSQL renders the statement, parenthesized when nested.
func (q SelectQuery) AppendSQL(b *Builder) { q.render(b) }

// render is AppendSQL through a pointer: Build passes it as a method value,
// which neither copies the statement nor moves it to the heap.
func (q *SelectQuery) render(b *Builder) {
	if q.err != nil {
		b.Fail(q.err)
		return
	}
	b.nested(func() { q.appendBody(b) })
}

func (q *SelectQuery) appendBody(b *Builder) {
	if b.check == nil {
		q.appendClauses(b)
		return
	}
	m := b.pushScope()
	x := q.x()
	b.scopeWith(x.with)
	if x.compound != nil {
		b.scopeOutputs(x.compound.first) // the compound's ORDER BY names its columns
	}
	for _, f := range q.from.items() {
		b.scopeSource(f)
	}
	for _, j := range q.joins.items() {
		b.scopeSource(j.t)
	}
	q.appendClauses(b) // the select list's aliases join the scope as it renders
	b.popScope(m)
}

func (q *SelectQuery) appendClauses(b *Builder) {
	q.x().with.appendSQL(b)
	if q.x().compound != nil {
		// Only ORDER BY, LIMIT and OFFSET apply to a whole compound; anything
		// else added after Union & co. would be silently dropped.
		if q.cols.len() > 0 || q.from.len() > 0 || q.joins.len() > 0 || q.where.len() > 0 ||
			q.x().groupBy.len() > 0 || q.x().having.len() > 0 || len(q.x().windows) > 0 || q.distinct ||
			len(q.x().distinctOn) > 0 || q.x().lock != nil {
			b.Fail(fmt.Errorf("%w: a compound (UNION/INTERSECT/EXCEPT) query takes only OrderBy, Limit and Offset; select from it as a derived table (q.As(\"x\")) to filter, group or lock", ErrInvalid))
			return
		}
		q.x().compound.appendSQL(b)
		q.appendTail(b)
		return
	}
	b.Lit("SELECT ")
	if len(q.x().distinctOn) > 0 {
		if !b.Require(dialect.DistinctOn) {
			return
		}
		b.Lit("DISTINCT ON (")
		b.list(q.x().distinctOn)
		b.Lit(") ")
	} else if q.distinct {
		b.Lit("DISTINCT ")
	}
	if q.cols.len() == 0 {
		b.byte('*')
	} else {
		b.sel = true
		b.list(q.cols.items())
		b.sel = false
	}
	if q.from.len() > 0 {
		b.Lit(" FROM ")
		for i, f := range q.from.items() {
			if i > 0 {
				b.Lit(", ")
			}
			appendFromItem(b, f)
		}
	}
	appendJoins(b, q.joins.items())
	appendWhere(b, q.where.items())
	if q.x().groupBy.len() > 0 {
		b.Lit(" GROUP BY ")
		b.list(q.x().groupBy.items)
	}
	if q.x().having.len() > 0 {
		b.Lit(" HAVING ")
		appendConds(b, q.x().having.items)
	}
	if len(q.x().windows) > 0 {
		if !b.Require(dialect.WindowFunctions) {
			return
		}
		b.Lit(" WINDOW ")
		for i, w := range q.x().windows {
			if i > 0 {
				b.Lit(", ")
			}
			b.ident(w.name)
			b.Lit(" AS (")
			w.w.appendSpec(b)
			b.byte(')')
		}
	}
	q.appendTail(b)
	if q.x().lock != nil {
		q.x().lock.appendSQL(b)
	}
}

// appendTail renders ORDER BY, LIMIT and OFFSET.
func (q *SelectQuery) appendTail(b *Builder) {
	if q.orderBy.len() > 0 {
		b.Lit(" ORDER BY ")
		appendOrderBy(b, q.orderBy.items(), q)
	}
	if q.hasLimit {
		b.Lit(" LIMIT ")
		b.Arg(q.limit)
	} else if q.hasOffset {
		if nl, ok := b.d.(dialect.NoLimiter); ok {
			b.Lit(" LIMIT ")
			b.Lit(nl.NoLimit())
		}
	}
	if q.hasOffset {
		b.Lit(" OFFSET ")
		b.Arg(q.offset)
	}
}

// hasTail reports whether the query has its own ORDER BY, LIMIT, OFFSET or
// lock, which a compound member must keep to itself.
func (q SelectQuery) hasTail() bool {
	return q.orderBy.len() > 0 || q.hasLimit || q.hasOffset || q.x().lock != nil || q.x().compound != nil
}

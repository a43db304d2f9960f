package query

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
)

// UpdateQuery is an UPDATE statement; like every builder here it is immutable.
// Without a WHERE it fails to build (ErrNoWhere) unless AllRows is called.
type UpdateQuery struct {
	table TableRef
	sets  inline2[Assignment]
	where inline2[Expr]
	all   bool
	rare  *updateRare // the clauses most updates lack; nil when none is set
}

// updateRare holds an UPDATE's less common clauses behind one pointer, as
// selectRare does a SELECT's: shared between query values and copied before
// a change.
type updateRare struct {
	with      with
	from      list[Expr]
	joins     list[join]
	returning []Expr
}

var noUpdateRare updateRare

// x is q's rare clauses, read-only.
func (q *UpdateQuery) x() *updateRare {
	if q.rare == nil {
		return &noUpdateRare
	}
	return q.rare
}

// setRare gives q its own copy of the rare clauses, to change.
func (q *UpdateQuery) setRare() *updateRare {
	q.rare = ownCopy(q.rare)
	return q.rare
}

// Update starts an UPDATE of t.
func Update(t TableRef) UpdateQuery { return UpdateQuery{table: t} }

// Set adds col = v; v is an Expr (U.C("n").Add(1)) or a value bound as a
// parameter.
func (q UpdateQuery) Set(col string, v any) UpdateQuery { q.set(col, v); return q }

// set is Set on q itself: the chained methods inline and change the copy
// they return through a pointer, as SelectQuery's do.
func (q *UpdateQuery) set(col string, v any) { q.sets.grow(1)[0] = Assign(col, v) }

// SetAll adds several assignments.
func (q UpdateQuery) SetAll(as ...Assignment) UpdateQuery { q.sets.add(as...); return q }

// From adds other tables to the update: UPDATE t SET … FROM other on
// PostgreSQL and SQLite (3.33+), UPDATE t, other SET … on MySQL. Relate them
// to t in Where.
func (q UpdateQuery) From(items ...Expr) UpdateQuery {
	r := q.setRare()
	r.from = r.from.add(items...)
	return q
}

// Join adds an inner join: UPDATE t JOIN other ON … on MySQL; on PostgreSQL
// and SQLite the table goes to FROM and the condition to WHERE, which selects
// the same rows.
func (q UpdateQuery) Join(t Expr, on ...Expr) UpdateQuery {
	r := q.setRare()
	r.joins = r.joins.add(join{kind: innerJoin, t: t, on: And(on...).n()})
	return q
}

// Where adds conditions, ANDed.
func (q UpdateQuery) Where(conds ...Expr) UpdateQuery { q.addWhere(conds); return q }

func (q *UpdateQuery) addWhere(conds []Expr) { addUnwrappedTo(q.where.grow(len(conds)), conds) }

// OrWhere ORs conds with the conditions so far.
func (q UpdateQuery) OrWhere(conds ...Expr) UpdateQuery { orWhere2(&q.where, conds); return q }

// AllRows confirms that an UPDATE without WHERE is meant to touch every row.
func (q UpdateQuery) AllRows() UpdateQuery { q.all = true; return q }

// Returning adds RETURNING cols (PostgreSQL and SQLite 3.35+).
func (q UpdateQuery) Returning(cols ...Expr) UpdateQuery {
	q.setRare().returning = unwrapAll(cols)
	return q
}

// With adds common table expressions.
func (q UpdateQuery) With(ctes ...CTE) UpdateQuery {
	r := q.setRare()
	r.with = r.with.add(false, ctes)
	return q
}

// Build renders the statement for d.
func (q UpdateQuery) Build(d dialect.Dialect) (string, []any, error) {
	return buildSized(d, nil, q.render, 0)
}

// BuildChecked renders the statement for d with check run on every
// table-qualified column (see the BuildChecked function), without copying
// the statement to the heap as passing it as an Expr does.
func (q UpdateQuery) BuildChecked(d dialect.Dialect, check ColumnCheck) (string, []any, error) {
	return buildSized(d, check, q.render, 0)
}

// String renders the statement with values inlined, for logs only.
func (q UpdateQuery) String() string { return Debug(debugDialect, q) }

// AppendSQL renders the statement.
func (q UpdateQuery) AppendSQL(b *Builder) { q.render(b) }

// render is AppendSQL through a pointer: Build passes it as a method value,
// which neither copies the statement nor moves it to the heap.
func (q *UpdateQuery) render(b *Builder) {
	b.nested(func() {
		if b.check == nil {
			q.appendBody(b)
			return
		}
		x := q.x()
		m := b.pushWriteScope(x.with, q.table, x.from.items, x.joins.items)
		q.appendBody(b)
		b.popScope(m)
	})
}

func (q *UpdateQuery) appendBody(b *Builder) {
	if q.sets.len() == 0 {
		b.Fail(fmt.Errorf("%w: UPDATE %s sets no column", ErrInvalid, q.table.d().name))
		return
	}
	if !q.all {
		if why := noWhere(q.where.items()); why != "" {
			b.Fail(fmt.Errorf("%w: UPDATE %s %s: add a condition, or call AllRows to update every row", ErrNoWhere, q.table.d().name, why))
			return
		}
	}
	x := q.x()
	if len(x.with.ctes) > 0 && !b.Require(dialect.CTEBeforeUpdateDelete) {
		return
	}
	x.with.appendSQL(b)
	b.Lit("UPDATE ")
	q.table.appendTarget(b)
	multi := x.from.len() > 0 || x.joins.len() > 0
	where := q.where.items()
	switch {
	case !multi:
		b.Lit(" SET ")
		appendAssignments(b, q.sets.items(), nil)
	case b.d.Has(dialect.MultiTableUpdate):
		appendJoins(b, x.joins.items)
		for _, f := range x.from.items {
			b.Lit(", ")
			appendFromItem(b, f)
		}
		b.Lit(" SET ")
		appendAssignments(b, q.sets.items(), &q.table)
	case b.d.Has(dialect.UpdateFrom):
		b.Lit(" SET ")
		appendAssignments(b, q.sets.items(), nil)
		b.Lit(" FROM ")
		where = appendJoinsAsFrom(b, x.from.items, x.joins.items, where)
	default:
		b.Require(dialect.UpdateFrom)
		return
	}
	appendWhere(b, where)
	appendReturning(b, dialect.UpdateReturning, q.table, x.returning)
}

// appendJoinsAsFrom writes from items and inner-joined tables as one comma
// list, and returns where with the join conditions added.
func appendJoinsAsFrom(b *Builder, from []Expr, joins []join, where []Expr) []Expr {
	n := 0
	for _, f := range from {
		if n > 0 {
			b.Lit(", ")
		}
		appendFromItem(b, f)
		n++
	}
	if len(joins) == 0 {
		return where
	}
	conds := make([]Expr, 0, len(joins)+len(where))
	for _, j := range joins {
		if n > 0 {
			b.Lit(", ")
		}
		appendFromItem(b, j.t)
		n++
		if j.on != nil {
			conds = append(conds, j.on)
		}
	}
	return append(conds, where...)
}

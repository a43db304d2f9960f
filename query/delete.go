package query

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
)

// DeleteQuery is a DELETE statement; like every builder here it is immutable.
// Without a WHERE it fails to build (ErrNoWhere) unless AllRows is called.
type DeleteQuery struct {
	with      with
	table     TableRef
	using     list[Expr]
	joins     list[join]
	where     inline2[Expr]
	returning []Expr
	all       bool
}

// Delete starts a DELETE FROM t.
func Delete(t TableRef) DeleteQuery { return DeleteQuery{table: t} }

// Using deletes rows of t that match rows of other tables (relate them in
// Where): DELETE … USING on PostgreSQL, DELETE t FROM t, other on MySQL, and
// on SQLite, which has neither, DELETE FROM t WHERE EXISTS (SELECT 1 FROM
// other WHERE …), which deletes the same rows.
func (q DeleteQuery) Using(items ...Expr) DeleteQuery { q.using = q.using.add(items...); return q }

// Join deletes rows of t that have a match in t2: DELETE t FROM t JOIN t2 ON
// … on MySQL, rendered like Using (condition in WHERE) elsewhere.
func (q DeleteQuery) Join(t Expr, on ...Expr) DeleteQuery {
	q.joins = q.joins.add(join{kind: innerJoin, t: t, on: And(on...).n()})
	return q
}

// Where adds conditions, ANDed.
func (q DeleteQuery) Where(conds ...Expr) DeleteQuery {
	addUnwrappedTo(q.where.grow(len(conds)), conds)
	return q
}

// OrWhere ORs conds with the conditions so far.
func (q DeleteQuery) OrWhere(conds ...Expr) DeleteQuery { orWhere2(&q.where, conds); return q }

// AllRows confirms that a DELETE without WHERE is meant to delete every row.
func (q DeleteQuery) AllRows() DeleteQuery { q.all = true; return q }

// Returning adds RETURNING cols (PostgreSQL, SQLite 3.35+, MariaDB 10.5+).
func (q DeleteQuery) Returning(cols ...Expr) DeleteQuery { q.returning = unwrapAll(cols); return q }

// With adds common table expressions.
func (q DeleteQuery) With(ctes ...CTE) DeleteQuery { q.with = q.with.add(false, ctes); return q }

// Build renders the statement for d.
func (q DeleteQuery) Build(d dialect.Dialect) (string, []any, error) {
	return buildSized(d, nil, q.render, 0)
}

// BuildChecked renders the statement for d with check run on every
// table-qualified column (see the BuildChecked function), without copying
// the statement to the heap as passing it as an Expr does.
func (q DeleteQuery) BuildChecked(d dialect.Dialect, check ColumnCheck) (string, []any, error) {
	return buildSized(d, check, q.render, 0)
}

// String renders the statement with values inlined, for logs only.
func (q DeleteQuery) String() string { return Debug(debugDialect, q) }

// AppendSQL renders the statement.
func (q DeleteQuery) AppendSQL(b *Builder) { q.render(b) }

// render is AppendSQL through a pointer: Build passes it as a method value,
// which neither copies the statement nor moves it to the heap.
func (q *DeleteQuery) render(b *Builder) {
	b.nested(func() {
		if b.check == nil {
			q.appendBody(b)
			return
		}
		m := b.pushWriteScope(q.with, q.table, q.using.items, q.joins.items)
		q.appendBody(b)
		b.popScope(m)
	})
}

func (q *DeleteQuery) appendBody(b *Builder) {
	if !q.all {
		if why := noWhere(q.where.items()); why != "" {
			b.Fail(fmt.Errorf("%w: DELETE FROM %s %s: add a condition, or call AllRows to delete every row", ErrNoWhere, q.table.d().name, why))
			return
		}
	}
	if len(q.with.ctes) > 0 && !b.Require(dialect.CTEBeforeUpdateDelete) {
		return
	}
	q.with.appendSQL(b)
	multi := q.using.len() > 0 || q.joins.len() > 0
	// MariaDB takes no alias on a single-table DELETE; the multi-table form
	// DELETE t FROM tbl AS t takes one on MySQL and MariaDB alike.
	multi = multi || q.table.d().alias != "" && b.d.Has(dialect.MultiTableDelete)
	where := q.where.items()
	switch {
	case !multi:
		b.Lit("DELETE FROM ")
		q.table.appendTarget(b)
	case b.d.Has(dialect.MultiTableDelete):
		if len(q.returning) > 0 {
			b.Unsupported("RETURNING on a multi-table DELETE")
			return
		}
		b.Lit("DELETE ")
		q.table.AppendSQL(b)
		b.Lit(" FROM ")
		q.table.appendTarget(b)
		appendJoins(b, q.joins.items)
		for _, u := range q.using.items {
			b.Lit(", ")
			appendFromItem(b, u)
		}
	case b.d.Has(dialect.DeleteUsing):
		b.Lit("DELETE FROM ")
		q.table.appendTarget(b)
		b.Lit(" USING ")
		where = appendJoinsAsFrom(b, q.using.items, q.joins.items, where)
	default:
		b.Lit("DELETE FROM ")
		q.table.appendTarget(b)
		b.Lit(" WHERE EXISTS (SELECT 1 FROM ")
		where = appendJoinsAsFrom(b, q.using.items, q.joins.items, where)
		appendWhere(b, where)
		b.byte(')')
		appendReturning(b, dialect.DeleteReturning, q.table, q.returning)
		return
	}
	appendWhere(b, where)
	appendReturning(b, dialect.DeleteReturning, q.table, q.returning)
}

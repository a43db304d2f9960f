package query

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
)

// InsertQuery is an INSERT statement; like every builder here it is immutable.
type InsertQuery struct {
	table TableRef
	cols  inline4[string]
	vals  valList // the values of all rows, row after row: each an Expr, or a value to bind (see appendValue)
	// The rows: the first nSame have sameLen values each (the usual case, kept
	// without a list), then one per rare.rowLens entry.
	nSame, sameLen int
	// conflict is an upsert's ON CONFLICT / ON DUPLICATE KEY UPDATE, from
	// conflictSlab and read-only once set; nil for a plain INSERT. Behind a
	// pointer, so that the query value a loop of Values calls copies stays
	// small.
	conflict *ConflictClause
	rare     *insertRare // the parts most inserts lack; nil when none is set
	err      error
}

// insertRare holds an INSERT's less common parts behind one pointer, so that
// the value a loop of Values calls copies stays small. It is shared between
// query values and copied before a change (see setRare).
type insertRare struct {
	with      with
	rowLens   list[int]
	sel       *SelectQuery
	defaults  bool
	returning []Expr
}

var noInsertRare insertRare

// x is q's rare parts, read-only.
func (q *InsertQuery) x() *insertRare {
	if q.rare == nil {
		return &noInsertRare
	}
	return q.rare
}

// setRare gives q its own copy of the rare parts, to change.
func (q *InsertQuery) setRare() *insertRare {
	q.rare = ownCopy(q.rare)
	return q.rare
}

// Insert starts an INSERT INTO t.
func Insert(t TableRef) InsertQuery { return InsertQuery{table: t} }

// Columns sets the column list.
func (q InsertQuery) Columns(cols ...string) InsertQuery { q.setColumns(cols); return q }

// setColumns is Columns on q itself, so that Columns inlines: a call would
// copy the whole query in and out.
func (q *InsertQuery) setColumns(cols []string) {
	q.cols = inline4[string]{}
	copy(q.cols.grow(len(cols)), cols)
}

// Values adds one row; each value is an Expr or a value bound as a parameter.
// Call it once per row.
func (q InsertQuery) Values(vals ...any) InsertQuery { q.addRow(vals); return q }

// addRow is Values on q itself, so that Values inlines and a loop of calls
// does not copy the query in and out of each.
func (q *InsertQuery) addRow(vals []any) {
	// One flat list of values, not a slice per row: a loop of Values calls
	// allocates only as the lists grow.
	q.vals = q.vals.add(vals...)
	q.addRowLens(vals)
}

// addRowLens records a row of len(vals) values.
func (q *InsertQuery) addRowLens(vals []any) {
	if q.x().rowLens.len() == 0 && (q.nSame == 0 || len(vals) == q.sameLen) {
		q.nSame, q.sameLen = q.nSame+1, len(vals)
		return
	}
	r := q.setRare()
	r.rowLens = r.rowLens.add(len(vals))
}

// Rows adds several rows at once.
func (q InsertQuery) Rows(rows ...[]any) InsertQuery {
	n := 0
	for _, vals := range rows {
		n += len(vals)
	}
	vals, dst := q.vals.grow(n)
	for _, row := range rows {
		dst = dst[copy(dst, row):]
		q.addRowLens(row)
	}
	q.vals = vals
	return q
}

// Select makes it INSERT INTO t (cols) SELECT ….
func (q InsertQuery) Select(s SelectQuery) InsertQuery { q.setRare().sel = &s; return q }

// DefaultValues inserts one row of defaults: DEFAULT VALUES, or MySQL's
// () VALUES ().
func (q InsertQuery) DefaultValues() InsertQuery { q.setRare().defaults = true; return q }

// Returning adds RETURNING cols (PostgreSQL, SQLite 3.35+, MariaDB 10.5+; an
// error on MySQL).
func (q InsertQuery) Returning(cols ...Expr) InsertQuery {
	q.setRare().returning = unwrapAll(cols)
	return q
}

// OnConflict makes the insert an upsert; see ConflictClause.
func (q InsertQuery) OnConflict(c ConflictClause) InsertQuery { q.setConflict(&c); return q }

func (q *InsertQuery) setConflict(c *ConflictClause) {
	p := conflictSlab.get()
	*p = *c
	q.conflict = p
}

// With adds common table expressions.
func (q InsertQuery) With(ctes ...CTE) InsertQuery {
	r := q.setRare()
	r.with = r.with.add(false, ctes)
	return q
}

// Build renders the statement for d.
func (q InsertQuery) Build(d dialect.Dialect) (string, []any, error) { return q.build(d, nil) }

// BuildChecked renders the statement for d with check run on every
// table-qualified column (see the BuildChecked function), without copying
// the statement to the heap as passing it as an Expr does.
func (q InsertQuery) BuildChecked(d dialect.Dialect, check ColumnCheck) (string, []any, error) {
	return q.build(d, check)
}

// build is Build through a pointer: Build and BuildChecked inline, so the
// query is not copied into a call.
func (q *InsertQuery) build(d dialect.Dialect, check ColumnCheck) (string, []any, error) {
	return buildSized(d, check, q.render, q.vals.n)
}

// String renders the statement with values inlined, for logs only.
func (q InsertQuery) String() string { return Debug(debugDialect, q) }

// AppendSQL renders the statement.
func (q InsertQuery) AppendSQL(b *Builder) { q.render(b) }

// render is AppendSQL through a pointer: Build passes it as a method value,
// which neither copies the statement nor moves it to the heap.
func (q *InsertQuery) render(b *Builder) {
	if q.err != nil {
		b.Fail(q.err)
		return
	}
	b.nested(func() { q.appendBody(b) })
}

func (q *InsertQuery) appendBody(b *Builder) {
	x := q.x()
	sources := 0
	for _, has := range []bool{q.nSame > 0, x.sel != nil, x.defaults} {
		if has {
			sources++
		}
	}
	if sources != 1 {
		b.Fail(fmt.Errorf("%w: INSERT INTO %s needs exactly one of Values/Rows, Select or DefaultValues", ErrInvalid, q.table.d().name))
		return
	}
	// MySQL and MariaDB take WITH only inside INSERT … SELECT, which every
	// engine accepts; PostgreSQL and SQLite also take it in front.
	withInSelect := len(x.with.ctes) > 0 && !b.d.Has(dialect.CTEBeforeInsert)
	if withInSelect && x.sel == nil {
		b.Require(dialect.CTEBeforeInsert)
		return
	}
	if !withInSelect {
		x.with.appendSQL(b)
	}
	b.Lit("INSERT INTO ")
	if q.table.d().alias != "" {
		if !b.Require(dialect.InsertAlias) {
			return
		}
	}
	q.table.appendTarget(b)
	switch {
	case x.defaults:
		if b.d.Has(dialect.DefaultValues) {
			b.Lit(" DEFAULT VALUES")
		} else {
			b.Lit(" () VALUES ()")
		}
	case x.sel != nil:
		q.appendCols(b)
		b.byte(' ')
		sel := *x.sel
		if q.conflict != nil && sel.where.len() == 0 && b.d.Has(dialect.UpsertOnConflict) {
			// SQLite cannot tell "SELECT … FROM t ON CONFLICT" from a join
			// constraint; a WHERE clause settles it (its documented fix). A
			// compound takes no WHERE of its own, so it is selected from.
			if sel.x().compound != nil {
				sel = Select().From(sel.As("src"))
			}
			sel = sel.Where(Raw("1 = 1"))
		}
		if withInSelect {
			r := sel.setRare()
			r.with = x.with.add(false, r.with.ctes)
			r.with.recursive = r.with.recursive || x.with.recursive
		}
		b.depth++
		sel.appendBody(b)
		b.depth--
	default:
		q.appendCols(b)
		b.Lit(" VALUES ")
		var stack [16]*valChunk // most lists have a few chunks
		cs := q.vals.chunks(stack[:0])
		ci := len(cs)
		var part []any // what is left of the current chunk's values
		for r := range q.nSame + x.rowLens.len() {
			n := q.sameLen
			if r >= q.nSame {
				n = x.rowLens.items[r-q.nSame]
			}
			for len(part) == 0 && n > 0 && ci > 0 {
				ci--
				part = q.vals.part(cs, ci)
			}
			if n > len(part) {
				b.Fail(fmt.Errorf("%w: INSERT INTO %s: values of row %d missing", ErrInvalid, q.table.d().name, r+1))
				return
			}
			row := part[:n]
			part = part[n:]
			if q.cols.len() > 0 && len(row) != q.cols.len() {
				b.Fail(fmt.Errorf("%w: INSERT INTO %s: row %d has %d values for %d columns", ErrInvalid, q.table.d().name, r+1, len(row), q.cols.len()))
				return
			}
			if r > 0 {
				b.Lit(", ")
			}
			b.byte('(')
			for i, v := range row {
				if i > 0 {
					b.Lit(", ")
				}
				appendValue(b, v)
			}
			b.byte(')')
		}
	}
	if q.conflict != nil {
		q.conflict.appendSQL(b, q)
	}
	appendReturning(b, dialect.InsertReturning, q.table, x.returning)
}

// appendValue renders v as b.Expr(expr(v)) would, without first boxing a
// plain value into a node.
func appendValue(b *Builder, v any) {
	if e, ok := asExpr(v); ok {
		b.Expr(e)
		return
	}
	b.Arg(v)
}

func (q *InsertQuery) appendCols(b *Builder) {
	if q.cols.len() == 0 {
		return
	}
	b.Lit(" (")
	b.idents(q.cols.items())
	b.byte(')')
}

// ConflictClause says what an INSERT does when a row violates a unique constraint:
//
//	Conflict("email").DoNothing()
//	Conflict("email").DoUpdate(Assign("name", Excluded("name")))
//	Conflict("a", "b").Update("name", "visits").Where(…)
//
// PostgreSQL and SQLite render ON CONFLICT (target) DO …. MySQL renders ON
// DUPLICATE KEY UPDATE, which fires on any unique key, so the target is not
// written there; DO NOTHING becomes a no-op assignment of the first column
// (INSERT IGNORE would also swallow unrelated errors), and a Where cannot be
// expressed (an error wrapping ErrUnsupported).
//
// A ConflictClause is a value: its first target columns and assignments
// live in it, and an INSERT keeps its own copy, so that a clause is built
// and attached without an allocation.
type ConflictClause struct {
	target      inline2[string]
	targetWhere Expr
	constraint  string
	nothing     bool
	sets        inline2[Assignment]
	where       Expr
}

// Conflict starts a conflict clause on the given unique columns (none: any
// conflict, which PostgreSQL accepts only with DoNothing).
func Conflict(target ...string) ConflictClause {
	var c ConflictClause
	c.setTarget(target)
	return c
}

// setTarget, doUpdate: Conflict and DoUpdate inline as small wrappers, so
// that the clause is not copied in and out of a call.
func (c *ConflictClause) setTarget(target []string) { copy(c.target.grow(len(target)), target) }

func (c *ConflictClause) doUpdate(sets []Assignment) {
	c.sets.add(sets...)
	c.nothing = false
}

// OnConstraint targets a named constraint: ON CONFLICT ON CONSTRAINT name
// (PostgreSQL only).
func (c ConflictClause) OnConstraint(name string) ConflictClause { c.constraint = name; return c }

// TargetWhere adds the predicate of a partial unique index to the target:
// ON CONFLICT (a) WHERE pred. Its values are written as literals, as in the
// index definition (SQLite refuses a parameter there).
func (c ConflictClause) TargetWhere(pred Expr) ConflictClause { c.targetWhere = unwrap(pred); return c }

// DoNothing leaves the existing row as it is.
func (c ConflictClause) DoNothing() ConflictClause {
	c.nothing, c.sets = true, inline2[Assignment]{}
	return c
}

// DoUpdate updates the existing row with the assignments; use Excluded(col)
// for the value the insert proposed.
func (c ConflictClause) DoUpdate(sets ...Assignment) ConflictClause { c.doUpdate(sets); return c }

// Update sets each named column to the proposed value: col = EXCLUDED.col.
func (c ConflictClause) Update(cols ...string) ConflictClause {
	sets := make([]Assignment, len(cols))
	for i, col := range cols {
		sets[i] = Assign(col, Excluded(col))
	}
	return c.DoUpdate(sets...)
}

// Where updates only rows matching cond (PostgreSQL and SQLite).
func (c ConflictClause) Where(cond Expr) ConflictClause { c.where = unwrap(cond); return c }

// Excluded is the value the INSERT proposed for col: EXCLUDED.col, or
// VALUES(col) on MySQL.
func Excluded(col string) Ex { return internExcluded(col) }

type excluded string

func (e *excluded) AppendSQL(b *Builder) {
	if b.d.Has(dialect.UpsertOnDuplicateKey) {
		b.Lit("VALUES(")
		b.ident(string(*e))
		b.byte(')')
		return
	}
	b.Lit("EXCLUDED.")
	b.ident(string(*e))
}

func (c *ConflictClause) appendSQL(b *Builder, q *InsertQuery) {
	if !c.nothing && c.sets.len() == 0 {
		b.Fail(fmt.Errorf("%w: conflict clause on %s needs DoNothing, DoUpdate or Update", ErrInvalid, q.table.d().name))
		return
	}
	switch {
	case b.d.Has(dialect.UpsertOnConflict):
		b.Lit(" ON CONFLICT")
		switch {
		case c.constraint != "":
			if !b.Require(dialect.ConflictOnConstraint) {
				return
			}
			b.Lit(" ON CONSTRAINT ")
			b.ident(c.constraint)
		case c.target.len() > 0:
			b.Lit(" (")
			b.idents(c.target.items())
			b.byte(')')
			if c.targetWhere != nil {
				// Values as literals, like the index's own predicate: SQLite
				// matches the two and cannot see through a parameter.
				b.Lit(" WHERE ")
				inline := b.inline
				b.inline = true
				b.Expr(c.targetWhere)
				b.inline = inline
			}
		case !c.nothing && !b.d.Has(dialect.UpsertUpdateNoTarget):
			b.Fail(fmt.Errorf("%w: ON CONFLICT DO UPDATE on %s needs conflict target columns on %s", ErrInvalid, q.table.d().name, b.d))
			return
		}
		if c.nothing {
			b.Lit(" DO NOTHING")
			return
		}
		b.Lit(" DO UPDATE SET ")
		appendAssignments(b, c.sets.items(), nil)
		if c.where != nil {
			b.Lit(" WHERE ")
			b.Expr(c.where)
		}
	case b.d.Has(dialect.UpsertOnDuplicateKey):
		if c.where != nil {
			b.Unsupported("a WHERE on an upsert's update")
			return
		}
		if c.constraint != "" || c.targetWhere != nil {
			b.Unsupported("a named conflict target")
			return
		}
		b.Lit(" ON DUPLICATE KEY UPDATE ")
		if c.nothing {
			if q.cols.len() == 0 {
				b.Fail(fmt.Errorf("%w: DO NOTHING on %s needs a column list on %s", ErrInvalid, q.table.d().name, b.d))
				return
			}
			// Qualified: with an INSERT … SELECT … UNION source a bare
			// name is ambiguous.
			first := q.cols.items()[0]
			appendAssignments(b, []Assignment{Assign(first, q.table.C(first))}, &q.table)
			return
		}
		appendAssignments(b, c.sets.items(), nil)
	default:
		b.Unsupported("upsert")
	}
}

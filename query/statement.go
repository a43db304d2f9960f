package query

import (
	"fmt"
	"slices"

	"github.com/kingletdb/kinglet/dialect"
)

// Statement is a whole SQL statement. A statement used inside another (a
// subquery, an EXISTS, an IN) is parenthesized automatically.
type Statement interface {
	Expr
	isStatement()
}

func (SelectQuery) isStatement() {}
func (InsertQuery) isStatement() {}
func (UpdateQuery) isStatement() {}
func (DeleteQuery) isStatement() {}

// debugDialect renders String() forms: standard double-quoted identifiers and
// TRUE/FALSE.
var debugDialect = dialect.Postgres

// CTE is a common table expression: a named statement in a WITH clause. It can
// stand in From and Join, and its columns are reached with C. A CTE used in
// From or Join is defined by the query's WITH even when With does not name
// it, unless an enclosing query's WITH already defines a CTE of that name
// (a subquery reading its outer query's CTE); it is never defined twice.
type CTE struct {
	name         string
	cols         []string
	body         Statement
	materialized int8 // 0 default, 1 MATERIALIZED, 2 NOT MATERIALIZED
	auto         bool // added to a WITH by From or Join, not by With
}

// NewCTE names body for use in a WITH clause, optionally with column names.
func NewCTE(name string, body Statement, cols ...string) CTE {
	return CTE{name: name, cols: slices.Clone(cols), body: body}
}

// CTE names q for use in a WITH clause, optionally with column names.
func (q SelectQuery) CTE(name string, cols ...string) CTE { return NewCTE(name, q, cols...) }

// Materialized asks PostgreSQL to materialize the CTE (an error elsewhere).
func (c CTE) Materialized() CTE { c.materialized = 1; return c }

// NotMaterialized asks PostgreSQL to inline the CTE (an error elsewhere).
func (c CTE) NotMaterialized() CTE { c.materialized = 2; return c }

// Table refers to the CTE as a table.
func (c CTE) Table() TableRef { return Table(c.name) }

// C is a column of the CTE.
func (c CTE) C(name string) Ex { return Table(c.name).C(name) }

// AppendSQL renders the CTE's name.
func (c CTE) AppendSQL(b *Builder) { b.ident(c.name) }

func (c CTE) appendFrom(b *Builder) { b.ident(c.name) }

func (c CTE) appendDef(b *Builder) {
	if kind := writeKind(c.body); kind != "" {
		if !b.d.Has(dialect.DataModifyingCTE) {
			b.Unsupported("a data-modifying statement (" + kind + ") in WITH, as CTE " + c.name + ",")
			return
		}
		if b.depth > 1 {
			b.Fail(fmt.Errorf("%w: CTE %s holds a %s, which %s takes only in the WITH of the outermost statement, not of a subquery", ErrInvalid, c.name, kind, b.d))
			return
		}
	}
	b.ident(c.name)
	if len(c.cols) > 0 {
		b.Lit(" (")
		b.idents(c.cols)
		b.byte(')')
	}
	b.Lit(" AS ")
	if c.materialized != 0 {
		if !b.Require(dialect.MaterializedCTE) {
			return
		}
		if c.materialized == 1 {
			b.Lit("MATERIALIZED ")
		} else {
			b.Lit("NOT MATERIALIZED ")
		}
	}
	b.depth++
	b.detached(c.body)
	b.depth--
}

type with struct {
	ctes      []CTE
	recursive bool
}

// add appends the CTEs of With after those With added before, and before
// those From and Join added (which may read them); one of these under the
// same name as a new one gives way to it.
func (w with) add(recursive bool, ctes []CTE) with {
	n := make([]CTE, 0, len(w.ctes)+len(ctes))
	for _, c := range w.ctes {
		if !c.auto {
			n = append(n, c)
		}
	}
	n = append(n, ctes...)
	for _, c := range w.ctes {
		if c.auto && !slices.ContainsFunc(ctes, func(e CTE) bool { return e.name == c.name }) {
			n = append(n, c)
		}
	}
	return with{ctes: n, recursive: w.recursive || recursive}
}

// addUsed adds the CTEs among items (From and Join items) that w does not
// define yet, marked as added by use.
func (w with) addUsed(items []Expr) (with, bool) {
	changed := false
	for _, it := range items {
		c, ok := it.(CTE)
		if !ok || slices.ContainsFunc(w.ctes, func(e CTE) bool { return e.name == c.name }) {
			continue
		}
		if !changed {
			w.ctes = slices.Clone(w.ctes) // shared with the query this one was derived from
			changed = true
		}
		c.auto = true
		w.ctes = append(w.ctes, c)
	}
	return w, changed
}

// hoistUsed adds the CTEs of m (a compound member's WITH) that From or Join
// added, unless w defines their names already, and reports whether m had any.
func (w with) hoistUsed(m with) (with, bool) {
	had := false
	for _, c := range m.ctes {
		if !c.auto {
			continue
		}
		if !had {
			w.ctes = slices.Clone(w.ctes)
			had = true
		}
		if !slices.ContainsFunc(w.ctes, func(e CTE) bool { return e.name == c.name }) {
			w.ctes = append(w.ctes, c)
		}
	}
	return w, had
}

// withoutUsed is w without the CTEs From or Join added.
func (w with) withoutUsed() with {
	out := with{recursive: w.recursive}
	for _, c := range w.ctes {
		if !c.auto {
			out.ctes = append(out.ctes, c)
		}
	}
	return out
}

// hasUsedCTE reports whether items hold a CTE value.
func hasUsedCTE(items []Expr) bool {
	for _, it := range items {
		if _, ok := it.(CTE); ok {
			return true
		}
	}
	return false
}

// writeKind names the statement a data-modifying CTE holds ("DELETE"), or
// is empty for a SELECT.
func writeKind(s Statement) string {
	switch s.(type) {
	case InsertQuery, *InsertQuery:
		return "INSERT"
	case UpdateQuery, *UpdateQuery:
		return "UPDATE"
	case DeleteQuery, *DeleteQuery:
		return "DELETE"
	}
	return ""
}

// cteName is a CTE in scope: defined by the WITH of the statement whose body
// renders at depth.
type cteName struct {
	name  string
	depth int
}

// endCTEs ends the scope of the CTEs the statement ending at b.depth defined
// (and any its subqueries left): an enclosing statement's are at a lesser
// depth. It stays out of line, so that nested, which calls it only after a
// WITH, stays small.
//
//go:noinline
func (b *Builder) endCTEs() {
	n := len(b.ctes)
	for n > 0 && b.ctes[n-1].depth >= b.depth {
		n--
	}
	b.ctes = b.ctes[:n]
}

// appendSQL writes WITH and the definitions, leaving out a CTE that From or
// Join added when an enclosing statement's WITH defines that name already.
// The names it defines are in scope (b.ctes) until its statement ends.
func (w with) appendSQL(b *Builder) {
	if len(w.ctes) == 0 {
		return
	}
	wrote := false
	for _, c := range w.ctes {
		if c.auto && slices.ContainsFunc(b.ctes, func(s cteName) bool { return s.name == c.name }) {
			continue
		}
		if wrote {
			b.Lit(", ")
		} else {
			if !b.Require(dialect.CTE) {
				return
			}
			b.Lit("WITH ")
			if w.recursive {
				b.Lit("RECURSIVE ")
			}
			wrote = true
		}
		b.ctes = append(b.ctes, cteName{c.name, b.depth})
		c.appendDef(b)
	}
	if wrote {
		b.byte(' ')
	}
}

// Assignment is one "column = value" of an UPDATE or an upsert's DO UPDATE.
type Assignment struct {
	col string
	e   Expr // the expression assigned, or nil
	v   any  // the value bound, when e is nil
	ex  bool // e is set (a nil e with ex set is the zero Ex, an error)
}

// Assign sets column col to v (an Expr, or a value bound as a parameter).
func Assign(col string, v any) Assignment {
	if e, ok := asExpr(v); ok {
		return Assignment{col: col, e: e, ex: true}
	}
	return Assignment{col: col, v: v}
}

// Column is the assigned column's name.
func (a Assignment) Column() string { return a.col }

func appendAssignments(b *Builder, as []Assignment, qualifier *TableRef) {
	for i, a := range as {
		if i > 0 {
			b.Lit(", ")
		}
		if qualifier != nil {
			qualifier.AppendSQL(b)
			b.byte('.')
		}
		b.ident(a.col)
		b.Lit(" = ")
		if !a.ex {
			b.Arg(a.v)
			continue
		}
		b.Expr(a.e) // nil for the zero Ex: Expr reports it
	}
}

func appendWhere(b *Builder, conds []Expr) {
	if len(conds) == 0 {
		return
	}
	b.Lit(" WHERE ")
	appendConds(b, conds)
}

func appendConds(b *Builder, conds []Expr) {
	for i, c := range conds {
		if i > 0 {
			b.Lit(" AND ")
		}
		b.operand(c, precAnd)
	}
}

// appendReturning writes RETURNING cols for a write to target. SQLite's
// RETURNING may name only the target table, and not by its alias: there the
// target's columns (and its t.*) are written bare, and another table's
// column is an ErrUnsupported error.
func appendReturning(b *Builder, f dialect.Feature, target TableRef, cols []Expr) {
	if len(cols) == 0 || !b.Require(f) {
		return
	}
	b.Lit(" RETURNING ")
	if b.d.Has(dialect.ReturningBareColumns) {
		t := target // a copy here: &target would move every call's target to the heap
		b.bare = &t
	}
	b.sel = true
	b.list(cols)
	b.sel = false
	b.bare = nil
}

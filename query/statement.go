package query

import (
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
// stand in From and Join, and its columns are reached with C.
type CTE struct {
	name         string
	cols         []string
	body         Statement
	materialized int8 // 0 default, 1 MATERIALIZED, 2 NOT MATERIALIZED
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

func (w with) add(recursive bool, ctes []CTE) with {
	n := make([]CTE, 0, len(w.ctes)+len(ctes))
	n = append(append(n, w.ctes...), ctes...)
	return with{ctes: n, recursive: w.recursive || recursive}
}

func (w with) appendSQL(b *Builder) {
	if len(w.ctes) == 0 {
		return
	}
	if !b.Require(dialect.CTE) {
		return
	}
	b.Lit("WITH ")
	if w.recursive {
		b.Lit("RECURSIVE ")
	}
	for i, c := range w.ctes {
		if i > 0 {
			b.Lit(", ")
		}
		c.appendDef(b)
	}
	b.byte(' ')
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

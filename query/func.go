package query

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
)

// Fn is a function call. It has every operator of Ex, plus Filter for
// aggregates and Over for window functions.
type Fn struct {
	Ex
	f *funcCall
}

type funcCall struct {
	name     string
	args     []Expr
	star     bool // COUNT(*)
	distinct bool
	filter   Expr
}

// Func calls the SQL function name with args (Exprs, or values bound as
// parameters). The name is written verbatim, so it must be a plain
// (optionally dotted) identifier.
func Func(name string, args ...any) Fn {
	es := make([]Expr, len(args))
	for i, a := range args {
		es[i] = expr(a)
	}
	return newFn(funcCall{name: name, args: es})
}

func newFn(f funcCall) Fn {
	ex, p := mkp(f)
	return Fn{ex, p}
}

// CountAll is COUNT(*).
func CountAll() Fn { return newFn(funcCall{name: "COUNT", star: true}) }

// Count is COUNT(e).
func Count(e Expr) Fn { return newFn(funcCall{name: "COUNT", args: []Expr{unwrap(e)}}) }

// CountDistinct is COUNT(DISTINCT e).
func CountDistinct(e Expr) Fn {
	return newFn(funcCall{name: "COUNT", args: []Expr{unwrap(e)}, distinct: true})
}

// Sum is SUM(e).
func Sum(e Expr) Fn { return Func("SUM", e) }

// Avg is AVG(e).
func Avg(e Expr) Fn { return Func("AVG", e) }

// Min is MIN(e).
func Min(e Expr) Fn { return Func("MIN", e) }

// Max is MAX(e).
func Max(e Expr) Fn { return Func("MAX", e) }

// Coalesce is COALESCE(vs…).
func Coalesce(vs ...any) Fn { return Func("COALESCE", vs...) }

// Lower is LOWER(e).
func Lower(e any) Fn { return Func("LOWER", e) }

// Upper is UPPER(e).
func Upper(e any) Fn { return Func("UPPER", e) }

// Distinct marks the aggregate's argument list DISTINCT: SUM(DISTINCT x).
func (f Fn) Distinct() Fn {
	c := *f.f
	c.distinct = true
	return newFn(c)
}

// Filter restricts the rows an aggregate sees: agg(…) FILTER (WHERE cond). On
// engines without FILTER it is emulated by wrapping each argument in
// CASE WHEN cond THEN arg END (COUNT(*) becomes COUNT(CASE WHEN cond THEN 1
// END)), which aggregates the same rows.
func (f Fn) Filter(cond Expr) Fn {
	c := *f.f
	c.filter = unwrap(cond)
	return newFn(c)
}

func (f *funcCall) AppendSQL(b *Builder) {
	if !validFuncName(f.name) {
		b.Fail(fmt.Errorf("%w: function name %q", ErrInvalid, f.name))
		return
	}
	emulate := f.filter != nil && !b.d.Has(dialect.AggregateFilter)
	b.Lit(f.name)
	b.byte('(')
	if f.distinct {
		b.Lit("DISTINCT ")
	}
	switch {
	case f.star && emulate:
		b.Lit("CASE WHEN ")
		b.Expr(f.filter)
		b.Lit(" THEN 1 END")
	case f.star:
		b.byte('*')
	case emulate:
		for i, a := range f.args {
			if i > 0 {
				b.Lit(", ")
			}
			b.Lit("CASE WHEN ")
			b.Expr(f.filter)
			b.Lit(" THEN ")
			b.Expr(a)
			b.Lit(" END")
		}
	default:
		b.list(f.args)
	}
	b.byte(')')
	if f.filter != nil && !emulate {
		b.Lit(" FILTER (WHERE ")
		b.Expr(f.filter)
		b.byte(')')
	}
}

func validFuncName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}

// Over makes f a window function over the window w.
func (f Fn) Over(w Window) Ex { return mk(over{f: f.f, w: w}) }

// OverName makes f a window function over the window named in the query's
// WINDOW clause (SelectQuery.Window).
func (f Fn) OverName(name string) Ex { return mk(over{f: f.f, name: name}) }

type over struct {
	f    *funcCall
	w    Window
	name string
}

func (o *over) AppendSQL(b *Builder) {
	if !b.Require(dialect.WindowFunctions) {
		return
	}
	o.f.AppendSQL(b)
	b.Lit(" OVER ")
	if o.name != "" {
		b.ident(o.name)
		return
	}
	b.byte('(')
	o.w.appendSpec(b)
	b.byte(')')
}

// Window is a window specification: PARTITION BY, ORDER BY and a frame.
// Like every builder in this package it is immutable.
type Window struct {
	base      string
	partition []Expr
	order     []Expr
	frame     *frame
}

// NewWindow starts an empty window specification; extend it with its methods.
func NewWindow() Window { return Window{} }

// From bases the window on the named window of the query's WINDOW clause.
func (w Window) From(name string) Window { w.base = name; return w }

// PartitionBy sets PARTITION BY.
func (w Window) PartitionBy(es ...Expr) Window { w.partition = unwrapAll(es); return w }

// OrderBy sets the window's ORDER BY.
func (w Window) OrderBy(es ...Expr) Window { w.order = unwrapAll(es); return w }

// Rows sets a ROWS BETWEEN start AND end frame.
func (w Window) Rows(start, end FrameBound) Window {
	w.frame = &frame{"ROWS", start, end}
	return w
}

// Range sets a RANGE BETWEEN start AND end frame.
func (w Window) Range(start, end FrameBound) Window {
	w.frame = &frame{"RANGE", start, end}
	return w
}

type frame struct {
	kind       string
	start, end FrameBound
}

// FrameBound is one end of a window frame.
type FrameBound struct {
	kind int8 // 0 current row, 1 unbounded preceding, 2 unbounded following, 3 n preceding, 4 n following
	n    int64
}

// Frame bounds.
var (
	CurrentRow         = FrameBound{kind: 0}
	UnboundedPreceding = FrameBound{kind: 1}
	UnboundedFollowing = FrameBound{kind: 2}
)

// Preceding is "n PRECEDING".
func Preceding(n int64) FrameBound { return FrameBound{kind: 3, n: n} }

// Following is "n FOLLOWING".
func Following(n int64) FrameBound { return FrameBound{kind: 4, n: n} }

func (f FrameBound) appendSQL(b *Builder) {
	switch f.kind {
	case 0:
		b.Lit("CURRENT ROW")
	case 1:
		b.Lit("UNBOUNDED PRECEDING")
	case 2:
		b.Lit("UNBOUNDED FOLLOWING")
	default:
		if f.n < 0 {
			b.Fail(fmt.Errorf("%w: window frame offset %d is negative", ErrInvalid, f.n))
			return
		}
		b.Int(f.n)
		if f.kind == 3 {
			b.Lit(" PRECEDING")
		} else {
			b.Lit(" FOLLOWING")
		}
	}
}

func (w Window) appendSpec(b *Builder) {
	sep := ""
	if w.base != "" {
		b.ident(w.base)
		sep = " "
	}
	if len(w.partition) > 0 {
		b.Lit(sep)
		b.Lit("PARTITION BY ")
		b.list(w.partition)
		sep = " "
	}
	if len(w.order) > 0 {
		b.Lit(sep)
		b.Lit("ORDER BY ")
		appendOrderList(b, w.order)
		sep = " "
	}
	if w.frame != nil {
		b.Lit(sep)
		b.Lit(w.frame.kind)
		b.Lit(" BETWEEN ")
		w.frame.start.appendSQL(b)
		b.Lit(" AND ")
		w.frame.end.appendSQL(b)
	}
}

func unwrapAll(es []Expr) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = unwrap(e)
	}
	return out
}

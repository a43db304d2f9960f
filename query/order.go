package query

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
)

// Ordering is one ORDER BY item: an expression, a direction and where NULLs
// go. It is one pointer, so passing it to OrderBy costs no allocation; the
// zero Ordering is invalid.
type Ordering struct{ o *ordering }

type ordering struct {
	e     Expr
	desc  bool
	nulls int8 // 0 engine default, 1 first, 2 last
}

func newOrdering(o ordering) Ordering {
	p := orderSlab.get()
	*p = o
	return Ordering{p}
}

// Asc orders by e ascending.
func (e Ex) Asc() Ordering { return newOrdering(ordering{e: e.n()}) }

// Desc orders by e descending.
func (e Ex) Desc() Ordering { return newOrdering(ordering{e: e.n(), desc: true}) }

// NullsFirst puts NULLs first. On MySQL and MariaDB, which lack the syntax,
// it is emulated by ordering on "e IS NULL" first; when e names an alias of
// the select list (C("tweets") for COUNT(…) AS tweets), that test is written
// on the aliased expression, since MariaDB refuses an alias of an aggregate
// inside an expression (Error 1247).
func (o Ordering) NullsFirst() Ordering { return o.withNulls(1) }

// NullsLast puts NULLs last (emulated on MySQL like NullsFirst).
func (o Ordering) NullsLast() Ordering { return o.withNulls(2) }

func (o Ordering) withNulls(n int8) Ordering {
	if o.o == nil {
		return o
	}
	c := *o.o
	c.nulls = n
	return newOrdering(c)
}

// AppendSQL renders the ordering item.
func (x Ordering) AppendSQL(b *Builder) { x.appendSQL(b, nil) }

// appendSQL renders the ordering item of sel's ORDER BY (nil outside a
// SELECT's ORDER BY).
func (x Ordering) appendSQL(b *Builder, sel *SelectQuery) {
	o := x.o
	if o == nil {
		b.Fail(fmt.Errorf("%w: empty ordering (the zero Ordering)", ErrInvalid))
		return
	}
	if o.nulls != 0 && !b.d.Has(dialect.NullsOrder) {
		// (e IS NULL) sorts 0 before 1: ASC puts NULLs last, DESC first.
		b.operand(aliasedExpr(o.e, sel), precCmp+1)
		if o.nulls == 1 {
			b.Lit(" IS NULL DESC, ")
		} else {
			b.Lit(" IS NULL, ")
		}
		b.Expr(o.e)
		if o.desc {
			b.Lit(" DESC")
		}
		return
	}
	b.Expr(o.e)
	if o.desc {
		b.Lit(" DESC")
	}
	switch o.nulls {
	case 1:
		b.Lit(" NULLS FIRST")
	case 2:
		b.Lit(" NULLS LAST")
	}
}

// aliasedExpr is the expression e stands for when it refers to a select-list
// alias: an alias node (x.As("n") given to OrderBy) or an unqualified column
// named like an alias of sel's select list. Otherwise it is e.
func aliasedExpr(e Expr, sel *SelectQuery) Expr {
	switch x := e.(type) {
	case *alias:
		return x.e
	case *column:
		if x.t.p != nil || sel == nil {
			return e
		}
		for _, c := range sel.cols.items() {
			if a, ok := c.(*alias); ok && a.name == x.name {
				return a.e
			}
		}
	}
	return e
}

func appendOrderList(b *Builder, es []Expr) {
	for i, e := range es {
		if i > 0 {
			b.Lit(", ")
		}
		b.Expr(e)
	}
}

// appendOrderBy renders the ORDER BY items of sel, whose select list an
// emulated NULLS FIRST/LAST looks through (see NullsFirst).
func appendOrderBy(b *Builder, es []Expr, sel *SelectQuery) {
	for i, e := range es {
		if i > 0 {
			b.Lit(", ")
		}
		if o, ok := e.(Ordering); ok && b.err == nil {
			o.appendSQL(b, sel)
			continue
		}
		b.Expr(e)
	}
}

package query

import "github.com/kingletdb/kinglet/dialect"

// Ordering is one ORDER BY item: an expression, a direction and where NULLs go.
type Ordering struct {
	e     Expr
	desc  bool
	nulls int8 // 0 engine default, 1 first, 2 last
}

// Asc orders by e ascending.
func (e Ex) Asc() Ordering { return Ordering{e: e.n()} }

// Desc orders by e descending.
func (e Ex) Desc() Ordering { return Ordering{e: e.n(), desc: true} }

// NullsFirst puts NULLs first. On MySQL, which lacks the syntax, it is
// emulated by ordering on "e IS NULL" first.
func (o Ordering) NullsFirst() Ordering { o.nulls = 1; return o }

// NullsLast puts NULLs last (emulated on MySQL like NullsFirst).
func (o Ordering) NullsLast() Ordering { o.nulls = 2; return o }

// AppendSQL renders the ordering item.
func (o Ordering) AppendSQL(b *Builder) {
	if o.nulls != 0 && !b.d.Has(dialect.NullsOrder) {
		// (e IS NULL) sorts 0 before 1: ASC puts NULLs last, DESC first.
		b.operand(o.e, precCmp+1)
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

func appendOrderList(b *Builder, es []Expr) {
	for i, e := range es {
		if i > 0 {
			b.Lit(", ")
		}
		b.Expr(e)
	}
}

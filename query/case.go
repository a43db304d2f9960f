package query

import "fmt"

// CaseExpr is a CASE expression, built with When and Else. It is immutable.
// Wrap it with E to use operators on it: E(c).Eq(1).
type CaseExpr struct {
	subject Expr // nil for a searched CASE
	whens   []caseWhen
	els     Expr
}

type caseWhen struct{ cond, then Expr }

// Case starts a searched CASE: Case().When(cond, result)….
func Case() CaseExpr { return CaseExpr{} }

// CaseOf starts a simple CASE on subject: CaseOf(x).When(1, "one")….
func CaseOf(subject any) CaseExpr { return CaseExpr{subject: expr(subject)} }

// When adds WHEN cond THEN result; in a simple CASE, cond is the value the
// subject is compared with.
func (c CaseExpr) When(cond, result any) CaseExpr {
	c.whens = append(c.whens[:len(c.whens):len(c.whens)], caseWhen{expr(cond), expr(result)})
	return c
}

// Else sets the ELSE result.
func (c CaseExpr) Else(result any) CaseExpr { c.els = expr(result); return c }

// AppendSQL renders the CASE expression.
func (c CaseExpr) AppendSQL(b *Builder) {
	if len(c.whens) == 0 {
		b.Fail(fmt.Errorf("%w: CASE without WHEN", ErrInvalid))
		return
	}
	b.Lit("CASE")
	if c.subject != nil {
		b.byte(' ')
		b.Expr(c.subject)
	}
	for _, w := range c.whens {
		b.Lit(" WHEN ")
		b.Expr(w.cond)
		b.Lit(" THEN ")
		b.Expr(w.then)
	}
	if c.els != nil {
		b.Lit(" ELSE ")
		b.Expr(c.els)
	}
	b.Lit(" END")
}

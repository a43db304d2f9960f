package query

import (
	"fmt"
	"reflect"
	"time"

	"github.com/kingletdb/kinglet/dialect"
)

// Precedence levels: an operand binding more loosely than its operator is
// parenthesized, so the tree's shape survives rendering.
const (
	precLowest = 0 // raw fragments: always parenthesized as operands
	precOr     = 1
	precAnd    = 2
	precNot    = 3
	precCmp    = 4 // = <> < LIKE IN BETWEEN IS
	precAdd    = 5 // + - ||
	precMul    = 6 // * / %
	precUnary  = 7
	precAtom   = 9
)

type precer interface{ prec() int }

func precOf(e Expr) int {
	if p, ok := e.(precer); ok {
		return p.prec()
	}
	return precAtom
}

// operand renders e, parenthesized when it binds more loosely than min.
func (b *Builder) operand(e Expr, min int) {
	var p int
	switch x := e.(type) { // the usual operands first, without an interface lookup
	case *column:
		if b.err == nil {
			x.AppendSQL(b)
		}
		return
	case *binary:
		if int(binOps[x.op].p) >= min && b.err == nil {
			x.AppendSQL(b) // the usual case, without the interface call
			return
		}
		p = int(binOps[x.op].p)
	case nil:
		b.Expr(e) // reports it
		return
	default:
		p = precOf(e)
	}
	if p < min {
		b.byte('(')
		b.Expr(e)
		b.byte(')')
		return
	}
	b.Expr(e)
}

// Ex is an expression with SQL's operators as methods: columns, values,
// functions and operator results are all Ex, so they chain:
//
//	U.C("age").Add(1).Gt(18)
//
// An Ex is one pointer, so passing it where an Expr is expected costs no
// allocation. The zero Ex is invalid: rendering it is an error.
type Ex struct{ p *node }

// node is the header every Ex points at; e is the expression itself, which
// mk allocates in the same block as the header.
type node struct{ e Expr }

type held[T any] struct {
	node
	v T
}

// mk makes an Ex of node value v with one allocation holding both the
// header and v.
func mk[T any, P interface {
	*T
	Expr
}](v T) Ex {
	h := &held[T]{v: v}
	h.e = P(&h.v)
	return Ex{&h.node}
}

// mkp is mk that also returns the node's address.
func mkp[T any, P interface {
	*T
	Expr
}](v T) (Ex, P) {
	h := &held[T]{v: v}
	h.e = P(&h.v)
	return Ex{&h.node}, &h.v
}

// wrap makes an Ex of an existing node.
func wrap(e Expr) Ex { return Ex{&node{e}} }

// n is the expression e wraps, or nil for the zero Ex.
func (e Ex) n() Expr {
	if e.p == nil {
		return nil
	}
	return e.p.e
}

// E turns any Expr into an Ex, to chain operators on it.
func E(e Expr) Ex {
	if x, ok := e.(Ex); ok {
		return x
	}
	return wrap(e)
}

// V is a bound value as an expression: V(3).Add(U.C("n")).
func V(v any) Ex { return mk(value{v}) }

// AppendSQL renders the wrapped node.
func (e Ex) AppendSQL(b *Builder) {
	if e.p == nil || e.p.e == nil {
		b.Fail(fmt.Errorf("%w: empty expression (the zero Ex)", ErrInvalid))
		return
	}
	e.p.e.AppendSQL(b)
}

func (e Ex) prec() int { return precOf(e.n()) }

// value is a bound parameter.
type value struct{ v any }

func (v value) AppendSQL(b *Builder) { b.Arg(v.v) }

// expr turns an operand into a node: an Expr stays itself, anything else is a
// bound value.
func expr(v any) Expr {
	if e, ok := asExpr(v); ok {
		return e
	}
	return value{v}
}

// asExpr is v as a node when it is an expression (an Ex unwrapped), or false
// for a plain value, which is bound as a parameter.
func asExpr(v any) (Expr, bool) {
	switch x := v.(type) {
	case nil, string, int64, int, bool, float64, time.Time, []byte:
		// The usual values, told apart by their type word alone: the Expr
		// case below looks the type's method set up, which costs more.
		return nil, false
	case Ex:
		return x.n(), true
	case Expr:
		return x, true
	}
	return nil, false
}

// binary is l op r. The right-hand side r is an Expr when rx is set, else a
// plain value bound as a parameter, so that it needs no node of its own.
type binary struct {
	l  Expr
	r  any
	op binOp
	rx bool
}

// binOp is a binary operator: an index into binOps.
type binOp uint8

const (
	opEq binOp = iota
	opNe
	opLt
	opLe
	opGt
	opGe
	opLike
	opNotLike
	opAdd
	opSub
	opMul
	opDiv
	opMod
)

// binOps is each operator's text, precedence, and whether it is associative
// (a right operand of the same precedence needs no parentheses).
var binOps = [...]struct {
	sql   string
	p     int8
	assoc bool
}{
	opEq:      {" = ", precCmp, false},
	opNe:      {" <> ", precCmp, false},
	opLt:      {" < ", precCmp, false},
	opLe:      {" <= ", precCmp, false},
	opGt:      {" > ", precCmp, false},
	opGe:      {" >= ", precCmp, false},
	opLike:    {" LIKE ", precCmp, false},
	opNotLike: {" NOT LIKE ", precCmp, false},
	opAdd:     {" + ", precAdd, true},
	opSub:     {" - ", precAdd, false},
	opMul:     {" * ", precMul, true},
	opDiv:     {" / ", precMul, false},
	opMod:     {" % ", precMul, false},
}

func (x *binary) prec() int { return int(binOps[x.op].p) }

func (x *binary) AppendSQL(b *Builder) {
	o := &binOps[x.op]
	p := int(o.p)
	if p == precCmp {
		// Comparisons do not chain: PostgreSQL rejects a = b = c, and MySQL
		// reads x BETWEEN 1 AND 2 = y as x BETWEEN 1 AND (2 = y).
		b.operand(x.l, p+1)
	} else {
		b.operand(x.l, p)
	}
	b.Lit(o.sql)
	if !x.rx {
		b.Arg(x.r)
		return
	}
	if !o.assoc {
		p++
	}
	r, _ := x.r.(Expr) // nil for the zero Ex: operand reports it
	b.operand(r, p)
}

func bin(l Expr, op binOp, r any) Ex {
	if r == nil {
		switch op {
		case opEq:
			return mk(postfix{l, " IS NULL"})
		case opNe:
			return mk(postfix{l, " IS NOT NULL"})
		}
	}
	x := binary{l: unwrap(l), op: op, r: r}
	if e, ok := asExpr(r); ok {
		x.r, x.rx = e, true
	}
	h := binarySlab.get()
	h.v = x
	h.e = &h.v
	return Ex{&h.node}
}

func unwrap(e Expr) Expr {
	if x, ok := e.(Ex); ok {
		return x.n()
	}
	return e
}

// Eq is e = v; Eq(nil) renders e IS NULL, since "= NULL" never matches.
func (e Ex) Eq(v any) Ex { return bin(e.n(), opEq, v) }

// Ne is e <> v; Ne(nil) renders e IS NOT NULL.
func (e Ex) Ne(v any) Ex { return bin(e.n(), opNe, v) }

// Lt is e < v.
func (e Ex) Lt(v any) Ex { return bin(e.n(), opLt, v) }

// Le is e <= v.
func (e Ex) Le(v any) Ex { return bin(e.n(), opLe, v) }

// Gt is e > v.
func (e Ex) Gt(v any) Ex { return bin(e.n(), opGt, v) }

// Ge is e >= v.
func (e Ex) Ge(v any) Ex { return bin(e.n(), opGe, v) }

// Like is e LIKE pattern. Case sensitivity follows the engine: SQLite and
// MySQL's default collations ignore ASCII case, PostgreSQL does not.
func (e Ex) Like(pattern any) Ex { return bin(e.n(), opLike, pattern) }

// NotLike is e NOT LIKE pattern.
func (e Ex) NotLike(pattern any) Ex { return bin(e.n(), opNotLike, pattern) }

// Add is e + v.
func (e Ex) Add(v any) Ex { return bin(e.n(), opAdd, v) }

// Sub is e - v.
func (e Ex) Sub(v any) Ex { return bin(e.n(), opSub, v) }

// Mul is e * v.
func (e Ex) Mul(v any) Ex { return bin(e.n(), opMul, v) }

// Div is e / v (integer division on integer operands, except MySQL's /,
// which always returns a decimal).
func (e Ex) Div(v any) Ex { return bin(e.n(), opDiv, v) }

// Mod is e % v.
func (e Ex) Mod(v any) Ex { return bin(e.n(), opMod, v) }

// And is e AND others….
func (e Ex) And(others ...Expr) Ex { return And(append([]Expr{e.n()}, others...)...) }

// Or is e OR others….
func (e Ex) Or(others ...Expr) Ex { return Or(append([]Expr{e.n()}, others...)...) }

// Not is NOT e.
func (e Ex) Not() Ex { return Not(e) }

// As names e in a select list: "e AS name". Elsewhere (ORDER BY, GROUP BY)
// the alias renders as its quoted name.
func (e Ex) As(name string) Ex { return mk(alias{e.n(), name}) }

type alias struct {
	e    Expr
	name string
}

func (a alias) AppendSQL(b *Builder) {
	if b.sel {
		b.sel = false
		b.Expr(a.e)
		b.sel = true
		b.Lit(" AS ")
		if b.check != nil && len(b.scopes) > 0 {
			b.defs = append(b.defs, a.name) // the statement's clauses may name it
		}
	}
	b.ident(a.name)
}

// IsNull is e IS NULL.
func (e Ex) IsNull() Ex { return mk(postfix{e.n(), " IS NULL"}) }

// IsNotNull is e IS NOT NULL.
func (e Ex) IsNotNull() Ex { return mk(postfix{e.n(), " IS NOT NULL"}) }

type postfix struct {
	e  Expr
	op string
}

func (x *postfix) prec() int { return precCmp }
func (x *postfix) AppendSQL(b *Builder) {
	b.operand(x.e, precCmp+1)
	b.Lit(x.op)
}

// Between is e BETWEEN lo AND hi.
func (e Ex) Between(lo, hi any) Ex { return mk(between{e.n(), expr(lo), expr(hi), false}) }

// NotBetween is e NOT BETWEEN lo AND hi.
func (e Ex) NotBetween(lo, hi any) Ex { return mk(between{e.n(), expr(lo), expr(hi), true}) }

type between struct {
	e, lo, hi Expr
	not       bool
}

func (x *between) prec() int { return precCmp }
func (x *between) AppendSQL(b *Builder) {
	b.operand(x.e, precCmp+1)
	if x.not {
		b.Lit(" NOT")
	}
	b.Lit(" BETWEEN ")
	b.operand(x.lo, precCmp+1)
	b.Lit(" AND ")
	b.operand(x.hi, precCmp+1)
}

// In is e IN (values…). A single slice argument (other than []byte) is
// expanded; a single subquery renders e IN (SELECT …). An empty list renders
// an always-false predicate instead of the invalid IN ().
func (e Ex) In(values ...any) Ex { return mk(newIn(e.n(), values, false)) }

// NotIn is e NOT IN (values…); an empty list is always true.
func (e Ex) NotIn(values ...any) Ex { return mk(newIn(e.n(), values, true)) }

type in struct {
	e    Expr
	vals []any
	sub  Expr
	not  bool
}

func newIn(e Expr, values []any, not bool) in {
	x := in{e: e, not: not}
	if len(values) == 1 {
		switch v := values[0].(type) {
		case Statement:
			x.sub = v
			return x
		case []byte, Expr:
		default:
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
				values = make([]any, rv.Len())
				for i := range values {
					values[i] = rv.Index(i).Interface()
				}
			}
		}
	}
	x.vals = values
	return x
}

func (x *in) prec() int { return precCmp }
func (x *in) AppendSQL(b *Builder) {
	if x.sub == nil && len(x.vals) == 0 {
		if x.not {
			b.Lit("1 = 1")
		} else {
			b.Lit("1 = 0")
		}
		return
	}
	b.operand(x.e, precCmp+1)
	if x.not {
		b.Lit(" NOT IN ")
	} else {
		b.Lit(" IN ")
	}
	if x.sub != nil {
		// MySQL and MariaDB reject LIMIT in an IN subquery.
		if s, ok := x.sub.(SelectQuery); ok && s.limitsRows() && !b.Require(dialect.LimitInSubquery) {
			return
		}
		b.Expr(x.sub)
		return
	}
	b.byte('(')
	for i, v := range x.vals {
		if i > 0 {
			b.Lit(", ")
		}
		b.Expr(expr(v))
	}
	b.byte(')')
}

// Tuple is a row value (a, b, …), compared as a whole:
// Tuple(U.C("a"), U.C("b")).Eq(Tuple(1, 2)).
func Tuple(items ...any) Ex {
	es := make([]Expr, len(items))
	for i, it := range items {
		es[i] = expr(it)
	}
	return mk(tuple(es))
}

type tuple []Expr

func (t tuple) AppendSQL(b *Builder) {
	if len(t) == 0 {
		b.Fail(fmt.Errorf("%w: empty tuple", ErrInvalid))
		return
	}
	b.byte('(')
	b.list(t)
	b.byte(')')
}

// And joins conditions with AND; with none it is always true (1 = 1). In a
// SELECT an empty And() so matches every row and an empty Or() none, as
// the filters they were built from ask; an UPDATE or DELETE whose WHERE is
// always true, And() with no conditions or an Or() with an always-true
// member, is refused with ErrNoWhere unless AllRows is called.
func And(conds ...Expr) Ex { return logical(" AND ", precAnd, conds) }

// Or joins conditions with OR; with none it is always false (1 = 0). See And
// for what an empty group means in UPDATE and DELETE.
func Or(conds ...Expr) Ex { return logical(" OR ", precOr, conds) }

func logical(op string, p int, conds []Expr) Ex {
	if len(conds) == 1 {
		return E(conds[0])
	}
	// A copy: the caller's slice may change later, and the query must not.
	return mk(junction{op: op, p: int8(p), conds: unwrapAll(conds)})
}

type junction struct {
	op    string
	p     int8
	conds []Expr
}

func (j *junction) prec() int {
	if len(j.conds) == 0 {
		return precCmp
	}
	return int(j.p)
}

func (j *junction) AppendSQL(b *Builder) {
	if len(j.conds) == 0 {
		if j.p == precAnd {
			b.Lit("1 = 1")
		} else {
			b.Lit("1 = 0")
		}
		return
	}
	for i, c := range j.conds {
		if i > 0 {
			b.Lit(j.op)
		}
		b.operand(c, int(j.p))
	}
}

// Not is NOT cond.
func Not(cond Expr) Ex { return mk(not{unwrap(cond)}) }

type not struct{ e Expr }

func (x *not) prec() int { return precNot }
func (x *not) AppendSQL(b *Builder) {
	b.Lit("NOT ")
	// MySQL binds NOT more loosely than comparison, other engines more
	// tightly: parenthesize every compound operand so both read the same.
	if precOf(x.e) < precAtom {
		b.byte('(')
		b.Expr(x.e)
		b.byte(')')
		return
	}
	b.Expr(x.e)
}

// Neg is -e.
func (e Ex) Neg() Ex { return mk(neg{e.n()}) }

type neg struct{ e Expr }

func (x *neg) prec() int { return precUnary }
func (x *neg) AppendSQL(b *Builder) {
	b.byte('-')
	if precOf(x.e) < precAtom {
		b.byte('(')
		b.Expr(x.e)
		b.byte(')')
		return
	}
	b.Expr(x.e)
}

// Exists is EXISTS (subquery).
func Exists(sub Statement) Ex { return mk(exists{sub, false}) }

// NotExists is NOT EXISTS (subquery).
func NotExists(sub Statement) Ex { return mk(exists{sub, true}) }

type exists struct {
	sub Statement
	not bool
}

func (x *exists) prec() int { return precCmp }
func (x *exists) AppendSQL(b *Builder) {
	if x.not {
		b.Lit("NOT ")
	}
	b.Lit("EXISTS ")
	b.Expr(x.sub)
}

// SQL is a fixed SQL fragment with no arguments, such as a keyword or a
// numeric constant. It is written verbatim: never build it from user input.
func SQL(text string) Ex { return Raw(text) }

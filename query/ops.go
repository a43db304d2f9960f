package query

import (
	"fmt"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
)

// ILike is a case-insensitive LIKE: ILIKE on PostgreSQL, and
// LOWER(e) LIKE LOWER(pattern) on engines without it.
func (e Ex) ILike(pattern any) Ex { return mk(ilike{e.n(), expr(pattern), false}) }

// NotILike is the negation of ILike.
func (e Ex) NotILike(pattern any) Ex { return mk(ilike{e.n(), expr(pattern), true}) }

type ilike struct {
	e, p Expr
	not  bool
}

func (x *ilike) prec() int { return precCmp }
func (x *ilike) AppendSQL(b *Builder) {
	if b.d.Has(dialect.ILike) {
		b.operand(x.e, precCmp+1)
		if x.not {
			b.Lit(" NOT")
		}
		b.Lit(" ILIKE ")
		b.operand(x.p, precCmp+1)
		return
	}
	b.Lit("LOWER(")
	b.Expr(x.e)
	if x.not {
		b.Lit(") NOT LIKE LOWER(")
	} else {
		b.Lit(") LIKE LOWER(")
	}
	b.Expr(x.p)
	b.byte(')')
}

// LikeEscape is e LIKE pattern ESCAPE 'c'; c must be one ASCII character.
func (e Ex) LikeEscape(pattern any, c byte) Ex { return mk(likeEsc{e.n(), expr(pattern), c, false}) }

// NotLikeEscape is e NOT LIKE pattern ESCAPE 'c'.
func (e Ex) NotLikeEscape(pattern any, c byte) Ex {
	return mk(likeEsc{e.n(), expr(pattern), c, true})
}

// Contains matches e against s anywhere, with %, _ and \ in s escaped, so s
// is matched literally on every engine.
func (e Ex) Contains(s string) Ex { return e.LikeEscape("%"+EscapeLike(s)+"%", '\\') }

// StartsWith matches values of e that begin with s, taken literally.
func (e Ex) StartsWith(s string) Ex { return e.LikeEscape(EscapeLike(s)+"%", '\\') }

// EndsWith matches values of e that end with s, taken literally.
func (e Ex) EndsWith(s string) Ex { return e.LikeEscape("%"+EscapeLike(s), '\\') }

// EscapeLike escapes LIKE's wildcards % and _ and the escape character \ in s.
func EscapeLike(s string) string {
	if !strings.ContainsAny(s, `%_\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' || c == '_' || c == '\\' {
			sb.WriteByte('\\')
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

type likeEsc struct {
	e, p Expr
	c    byte
	not  bool
}

func (x *likeEsc) prec() int { return precCmp }
func (x *likeEsc) AppendSQL(b *Builder) {
	if x.c == 0 || x.c >= 0x80 {
		b.Fail(fmt.Errorf("%w: LIKE escape must be one ASCII character, got %q", ErrInvalid, x.c))
		return
	}
	b.operand(x.e, precCmp+1)
	if x.not {
		b.Lit(" NOT")
	}
	b.Lit(" LIKE ")
	b.operand(x.p, precCmp+1)
	b.Lit(" ESCAPE ")
	if b.err == nil {
		b.buf = b.d.AppendString(b.buf, string(x.c))
	}
}

// IsDistinctFrom is a NULL-safe "not equal": IS DISTINCT FROM where the engine
// has it, NOT (e <=> v) on MySQL, e IS NOT v on older SQLite.
func (e Ex) IsDistinctFrom(v any) Ex { return mk(distinctFrom{e.n(), expr(v), false}) }

// IsNotDistinctFrom is a NULL-safe "equal": IS NOT DISTINCT FROM, e <=> v on
// MySQL, e IS v on older SQLite.
func (e Ex) IsNotDistinctFrom(v any) Ex { return mk(distinctFrom{e.n(), expr(v), true}) }

type distinctFrom struct {
	l, r Expr
	not  bool // IS NOT DISTINCT FROM: the values are equal
}

func (x *distinctFrom) prec() int { return precCmp }
func (x *distinctFrom) AppendSQL(b *Builder) {
	switch {
	case b.d.Has(dialect.IsDistinctFrom):
		b.operand(x.l, precCmp+1)
		if x.not {
			b.Lit(" IS NOT DISTINCT FROM ")
		} else {
			b.Lit(" IS DISTINCT FROM ")
		}
		b.operand(x.r, precCmp+1)
	case b.d.Has(dialect.NullSafeEqual):
		if !x.not {
			b.Lit("NOT (")
		}
		b.operand(x.l, precCmp+1)
		b.Lit(" <=> ")
		b.operand(x.r, precCmp+1)
		if !x.not {
			b.byte(')')
		}
	default: // SQLite's IS and IS NOT compare NULL-safely
		b.operand(x.l, precCmp+1)
		if x.not {
			b.Lit(" IS ")
		} else {
			b.Lit(" IS NOT ")
		}
		b.operand(x.r, precCmp+1)
	}
}

// Concat is string concatenation: e || v… on PostgreSQL and SQLite, CONCAT(e,
// v…) on MySQL. NULL in any operand gives NULL on every engine.
func (e Ex) Concat(vs ...any) Ex {
	parts := make([]Expr, 1, 1+len(vs))
	parts[0] = e.n()
	for _, v := range vs {
		parts = append(parts, expr(v))
	}
	return mk(concat(parts))
}

// Concat concatenates parts; see Ex.Concat.
func Concat(parts ...any) Ex {
	es := make([]Expr, len(parts))
	for i, p := range parts {
		es[i] = expr(p)
	}
	return mk(concat(es))
}

type concat []Expr

func (c concat) prec() int {
	if len(c) > 1 {
		return precAdd
	}
	return precAtom
}

func (c concat) AppendSQL(b *Builder) {
	if !b.d.Has(dialect.ConcatOperator) {
		b.Lit("CONCAT(")
		b.list(c)
		b.byte(')')
		return
	}
	for i, p := range c {
		if i > 0 {
			b.Lit(" || ")
		}
		b.operand(p, precAdd+1)
	}
}

// Cast is CAST(e AS typeName). The type name is SQL text: letters, digits,
// spaces, underscores, and balanced parentheses with commas inside them only.
// A portable type (TextType, IntegerType, FloatType, BytesType) is spelled
// as the dialect spells it: x.Cast(query.TextType) is CAST(x AS TEXT) on
// SQLite and PostgreSQL and CAST(x AS CHAR(65535)) on MySQL.
func (e Ex) Cast(typeName string) Ex { return mk(cast{e.n(), typeName}) }

type cast struct {
	e   Expr
	typ string
}

func (c *cast) AppendSQL(b *Builder) {
	if !validTypeName(c.typ) {
		b.Fail(fmt.Errorf("%w: CAST type %q: only letters, digits, spaces, _ and balanced ( ) with commas inside are allowed", ErrInvalid, c.typ))
		return
	}
	b.Lit("CAST(")
	b.Expr(c.e)
	b.Lit(" AS ")
	b.Lit(dialect.CastName(b.d, c.typ))
	b.byte(')')
}

func validTypeName(s string) bool {
	if s == "" {
		return false
	}
	depth := 0 // a comma only inside balanced parentheses: "INT, b INT" would add a column
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == '_':
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case c == ',' && depth > 0:
		default:
			return false
		}
	}
	return depth == 0
}

// Collate is e COLLATE name, the collation name quoted as an identifier
// (e.g. "NOCASE" on SQLite, "C" on PostgreSQL, utf8mb4_bin on MySQL).
func (e Ex) Collate(name string) Ex { return mk(collate{e.n(), name}) }

type collate struct {
	e    Expr
	name string
}

func (c *collate) prec() int { return precUnary }
func (c *collate) AppendSQL(b *Builder) {
	b.operand(c.e, precUnary+1)
	b.Lit(" COLLATE ")
	b.ident(c.name)
}

package query

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
)

// Raw is a SQL fragment usable anywhere an expression is. Each ? in text is
// replaced by the next argument: an Expr is rendered in place, anything else
// becomes a bound parameter numbered for the dialect ($n on PostgreSQL). A ?
// inside a quoted string, a quoted identifier, a comment or a PostgreSQL
// dollar-quoted body is left alone; write ?? for a literal ? (e.g.
// PostgreSQL's jsonb ? operator). The number of ? must equal len(args).
func Raw(text string, args ...any) Ex { return Ex{&raw{text, args}} }

type raw struct {
	text string
	args []any
}

func (r *raw) prec() int {
	if len(r.args) == 0 && isSimpleToken(r.text) {
		return precAtom
	}
	return precLowest
}

// isSimpleToken reports whether s is one word or number, which needs no
// parentheses as an operand.
func isSimpleToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func (r *raw) AppendSQL(b *Builder) {
	if b.err != nil {
		return
	}
	s := r.text
	mysql := b.d.Has(dialect.BackslashEscapes) // MySQL: backslash escapes in strings, # comments
	n := 0
	start := 0
	flush := func(end int) { b.buf = append(b.buf, s[start:end]...) }
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '?':
			flush(i)
			if i+1 < len(s) && s[i+1] == '?' {
				b.byte('?')
				i += 2
				start = i
				continue
			}
			if n >= len(r.args) {
				b.Fail(fmt.Errorf("%w: raw SQL %q has more ? than its %d argument(s)", ErrInvalid, r.text, len(r.args)))
				return
			}
			b.Expr(expr(r.args[n]))
			n++
			i++
			start = i
			continue
		case c == '\'':
			esc := mysql || (i > 0 && (s[i-1] == 'E' || s[i-1] == 'e') && (i < 2 || !isWordByte(s[i-2])))
			i = skipQuoted(s, i, '\'', esc)
		case c == '"':
			i = skipQuoted(s, i, '"', mysql)
		case c == '`':
			i = skipQuoted(s, i, '`', false)
		case c == '-' && i+1 < len(s) && s[i+1] == '-', c == '#' && mysql:
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			i = skipBlockComment(s, i)
		case c == '$' && !mysql:
			i = skipDollar(s, i)
		default:
			i++
		}
	}
	flush(len(s))
	if n != len(r.args) {
		b.Fail(fmt.Errorf("%w: raw SQL %q has %d ? but %d argument(s)", ErrInvalid, r.text, n, len(r.args)))
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// skipQuoted returns the index just past the quoted run starting at s[i]; a
// doubled quote stays inside, and so does a backslash-escaped one when esc.
func skipQuoted(s string, i int, q byte, esc bool) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			if esc {
				j++
			}
		case q:
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s)
}

// skipBlockComment skips /* … */, nested as PostgreSQL nests them.
func skipBlockComment(s string, i int) int {
	depth := 0
	for j := i; j < len(s)-1; j++ {
		switch {
		case s[j] == '/' && s[j+1] == '*':
			depth++
			j++
		case s[j] == '*' && s[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(s)
}

// skipDollar skips a PostgreSQL dollar-quoted string $tag$…$tag$ starting at
// s[i]; a $ that does not open one (e.g. $1) is skipped alone.
func skipDollar(s string, i int) int {
	j := i + 1
	for j < len(s) && (isWordByte(s[j]) && !(j == i+1 && s[j] >= '0' && s[j] <= '9')) {
		j++
	}
	if j >= len(s) || s[j] != '$' {
		return i + 1
	}
	tag := s[i : j+1]
	for k := j + 1; k+len(tag) <= len(s); k++ {
		if s[k:k+len(tag)] == tag {
			return k + len(tag)
		}
	}
	return len(s)
}

package query

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
)

// Raw is a SQL fragment usable anywhere an expression is. Each ? in text is
// replaced by the next argument: an Expr is rendered in place, anything else
// becomes a bound parameter numbered for the dialect ($n on PostgreSQL). A ?
// inside a quoted string, a quoted identifier, a comment or a PostgreSQL
// dollar-quoted body is left alone (as each engine reads them: MySQL's
// backslash escapes, # and "-- " comments and /*! … */ code included); write
// ?? for a literal ? (e.g. PostgreSQL's jsonb ? operator). An argument that
// would run together with the text around it (5-? with -1, x? on
// PostgreSQL) is set off with a space. The number of ? must equal len(args),
// and a positional parameter written by hand ($1) is an error, and so is a
// string, quoted identifier, block comment or dollar-quoted body that the
// fragment opens and does not close (the error says where it opens). A
// line comment that runs to the end of the fragment is ended there with a
// newline, so that it does not swallow the SQL after the fragment.
func Raw(text string, args ...any) Ex { return mk(raw{text, args}) }

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
	// MySQL: backslash escapes in strings, # and "-- " comments, no nested
	// comments, and /*! … */ comments whose content is SQL.
	mysql := b.d.Has(dialect.BackslashEscapes)
	exec := -1       // the offset of the MySQL /*! … */ comment being read, or -1
	lineEnd := false // the fragment ends inside a -- or # comment
	n := 0
	start := 0
	afterArg := false // the text resumes right after an argument
	flush := func(end int) {
		if afterArg && start < end && len(b.buf) > 0 && glued(b.buf[len(b.buf)-1], s[start]) {
			b.buf = append(b.buf, ' ')
		}
		afterArg = false
		b.buf = append(b.buf, s[start:end]...)
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '?':
			flush(i)
			if i+1 < len(s) && s[i+1] == '?' {
				// ?? is a literal ? (PostgreSQL's jsonb operators). Where ?
				// is itself the placeholder it would become a stray one.
				if b.d.AppendPlaceholder(nil, 1)[0] == '?' {
					b.Fail(fmt.Errorf("%w: raw SQL %q: ?? (a literal ?) cannot be written on %s, where ? is the placeholder", ErrInvalid, r.text, b.d))
					return
				}
				b.byte('?')
				i += 2
				start = i
				continue
			}
			if n >= len(r.args) {
				b.Fail(fmt.Errorf("%w: raw SQL %q has more ? than its %d argument(s)", ErrInvalid, r.text, len(r.args)))
				return
			}
			pos := len(b.buf)
			// A compound argument keeps its shape: ? * 2 with a + 1 is (a + 1) * 2.
			b.operand(expr(r.args[n]), precAtom)
			if b.err == nil && pos > 0 && pos < len(b.buf) && glued(b.buf[pos-1], b.buf[pos]) {
				b.buf = slices.Insert(b.buf, pos, ' ')
			}
			afterArg = true
			n++
			i++
			start = i
			continue
		case c == '\'' || c == '"' || c == '`':
			j := skipQuoted(s, i, c, mysql && c != '`')
			if j < 0 {
				r.unterminated(b, quotedKind(c, mysql), i)
				return
			}
			i = j
		case isIdentStart(c):
			// A whole name at once: a $ inside it is part of the name (not a
			// dollar quote), and only a lone E opens an escape string E'…'.
			j := i + 1
			for j < len(s) && isIdentCont(s[j]) {
				j++
			}
			if j == i+1 && (c == 'E' || c == 'e') && j < len(s) && s[j] == '\'' {
				if j = skipQuoted(s, j, '\'', true); j < 0 {
					r.unterminated(b, "escape string E'…'", i)
					return
				}
			}
			i = j
		case exec >= 0 && c == '*' && i+1 < len(s) && s[i+1] == '/':
			exec = -1
			i += 2
		case c == '-' && i+1 < len(s) && s[i+1] == '-' && (!mysql || i+2 == len(s) || s[i+2] <= ' ' || s[i+2] == 0x7f),
			c == '#' && mysql:
			// MySQL reads "--" as a comment only before a space or control
			// character: 5--1 is 5 - -1.
			for i < len(s) && s[i] != '\n' {
				i++
			}
			lineEnd = i == len(s)
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			if mysql && (strings.HasPrefix(s[i:], "/*!") || strings.HasPrefix(s[i:], "/*M!")) {
				if exec < 0 {
					exec = i // also inside one: the next */ ends both
				}
				i += strings.IndexByte(s[i:], '!') + 1
				continue
			}
			j := skipBlockComment(s, i, !mysql)
			if j < 0 {
				r.unterminated(b, "block comment /* … */", i)
				return
			}
			i = j
		case c == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			// $1 would collide with the parameters kinglet numbers itself on
			// PostgreSQL, and is a named parameter on SQLite.
			b.Fail(fmt.Errorf("%w: raw SQL %q: %s is a positional parameter; write ? and pass the value as an argument", ErrInvalid, r.text, dollarParam(s[i:])))
			return
		case c == '$' && !mysql:
			j := skipDollar(s, i)
			if j < 0 {
				r.unterminated(b, "dollar-quoted body "+dollarTag(s[i:]), i)
				return
			}
			i = j
		default:
			i++
		}
	}
	if exec >= 0 {
		r.unterminated(b, "MySQL comment /*! … */", exec)
		return
	}
	flush(len(s))
	if lineEnd {
		b.byte('\n')
	}
	if n != len(r.args) {
		b.Fail(fmt.Errorf("%w: raw SQL %q has %d ? but %d argument(s)", ErrInvalid, r.text, n, len(r.args)))
	}
}

// dollarParam is the $n at the start of s.
func dollarParam(s string) string {
	j := 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return s[:j]
}

// glued reports whether bytes a and b, one the edge of an argument and the
// other of the raw text around it, would run together into one token: 5-?
// with -1 must not become the comment 5--1, ?0 must not become $10 (or
// SQLite's ?0), x? must not become the name x$1, E? must not make a literal
// an E'…' escape string, and '…'? must not join two literals into one.
func glued(a, b byte) bool {
	return a == '-' && b == '-' || a == '/' && b == '*' ||
		a == b && (a == '\'' || a == '"' || a == '`') ||
		isIdentCont(a) && (isIdentCont(b) || b == '\'') ||
		a == '?' && b >= '0' && b <= '9'
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// isIdentStart and isIdentCont follow PostgreSQL's unquoted names, which
// MySQL's match: bytes of multi-byte UTF-8 characters are letters, and $ may
// follow the first character.
func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentCont(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' || c == '$' }

// unterminated fails the build for a quoted run or comment of the fragment
// that opens at offset at and is never closed: the SQL after the fragment
// would become part of it.
func (r *raw) unterminated(b *Builder, what string, at int) {
	b.Fail(fmt.Errorf("%w: raw SQL %q: unterminated %s: it opens at offset %d and is never closed", ErrInvalid, r.text, what, at))
}

// quotedKind names what quote character q opens.
func quotedKind(q byte, mysql bool) string {
	switch {
	case q == '\'' || q == '"' && mysql:
		return "string literal " + string(q) + "…" + string(q)
	}
	return "quoted identifier " + string(q) + "…" + string(q)
}

// dollarTag is the $tag$ at the start of s (see skipDollar).
func dollarTag(s string) string {
	if j := strings.IndexByte(s[1:], '$'); j >= 0 {
		return s[:j+2]
	}
	return s
}

// skipQuoted returns the index just past the quoted run starting at s[i], or
// -1 when it is not closed; a doubled quote stays inside, and so does a
// backslash-escaped one when esc.
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
	return -1
}

// skipBlockComment skips /* … */, nested as PostgreSQL nests them when
// nested; it returns -1 when the comment is not closed.
func skipBlockComment(s string, i int, nested bool) int {
	depth := 0
	for j := i; j < len(s)-1; j++ {
		switch {
		case s[j] == '/' && s[j+1] == '*' && (nested || depth == 0):
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
	return -1
}

// skipDollar skips a PostgreSQL dollar-quoted string $tag$…$tag$ starting at
// s[i], or returns -1 when it is not closed; a $ that does not open one
// (e.g. $1) is skipped alone.
func skipDollar(s string, i int) int {
	j := i + 1
	for j < len(s) && (isWordByte(s[j]) || s[j] >= 0x80) && !(j == i+1 && s[j] >= '0' && s[j] <= '9') {
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
	return -1
}

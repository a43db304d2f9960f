package check

import (
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// checkRaw reports query.Raw, query.SQL and orm.Raw calls whose constant
// SQL text has a different number of ? placeholders than arguments, or a
// positional parameter ($1) of its own: both fail at build time.
func (c *checker) checkRaw(call *ast.CallExpr) {
	f := callee(c.info, call)
	if f == nil || f.Signature().Recv() != nil || f.Pkg() == nil {
		return
	}
	switch {
	case f.Pkg().Path() == queryPath && (f.Name() == "Raw" || f.Name() == "SQL"):
	case f.Pkg().Path() == ormPath && f.Name() == "Raw":
	default:
		return
	}
	// The text is the last parameter before the variadic arguments (or the
	// last parameter, for SQL).
	sig := f.Signature()
	textAt := sig.Params().Len() - 1
	if sig.Variadic() {
		textAt--
	}
	if textAt < 0 || textAt >= len(call.Args) ||
		!types.Identical(sig.Params().At(textAt).Type().Underlying(), types.Typ[types.String]) {
		return
	}
	text, ok := constString(c.info, call.Args[textAt])
	if !ok {
		return
	}
	pos := call.Args[textAt]
	std, dollar, open := countMarks(text, false)
	my, myDollar, myOpen := countMarks(text, true)
	if open != "" && myOpen != "" {
		c.report(analysis.Diagnostic{Pos: pos.Pos(), End: pos.End(), Category: catRawArgs,
			Message: "raw SQL " + strconv.Quote(text) + ": unterminated " + open + ", which query.Raw refuses"})
		return
	}
	if dollar != "" && myDollar != "" {
		c.report(analysis.Diagnostic{Pos: pos.Pos(), End: pos.End(), Category: catRawArgs,
			Message: "raw SQL " + strconv.Quote(text) + ": " + dollar + " is a positional parameter; write ? and pass the value as an argument"})
		return
	}
	if call.Ellipsis.IsValid() {
		return // Raw(text, args...): the count is not known
	}
	nargs := len(call.Args) - textAt - 1
	if std == nargs || my == nargs {
		return
	}
	n := strconv.Itoa(std) + " ?"
	if my != std {
		n += " (" + strconv.Itoa(my) + " on MySQL)"
	}
	c.report(analysis.Diagnostic{Pos: pos.Pos(), End: pos.End(), Category: catRawArgs,
		Message: "raw SQL " + strconv.Quote(text) + " has " + n + " but " + strconv.Itoa(nargs) + " argument(s)"})
}

// countMarks counts the ? placeholders in raw SQL text as query.Raw reads
// it (query/raw.go): not inside '…' strings, "…" and `…` quoted names,
// comments or PostgreSQL dollar-quoted bodies, ?? being a literal ?. With
// mysql it reads MySQL's rules: backslash escapes in strings, # and "-- "
// comments, no nested comments, /*! … */ comments whose content is SQL, no
// dollar quotes. dollar is a positional parameter ($1) outside those, and
// open names a string, quoted name, comment or dollar body that the text
// opens and never closes; Raw refuses both.
func countMarks(s string, mysql bool) (n int, dollar, open string) {
	exec := false
	closed := func(j int, what string) int {
		if j < 0 {
			open = what
			return len(s)
		}
		return j
	}
	for i := 0; i < len(s) && open == ""; {
		ch := s[i]
		switch {
		case ch == '?':
			if i+1 < len(s) && s[i+1] == '?' {
				i += 2
				continue
			}
			n++
			i++
		case ch == '\'':
			i = closed(skipQuoted(s, i, ch, mysql), "string literal")
		case ch == '"':
			i = closed(skipQuoted(s, i, ch, mysql), "quoted identifier")
		case ch == '`':
			i = closed(skipQuoted(s, i, ch, false), "quoted identifier")
		case isIdentStart(ch):
			j := i + 1
			for j < len(s) && isIdentCont(s[j]) {
				j++
			}
			if j == i+1 && (ch == 'E' || ch == 'e') && j < len(s) && s[j] == '\'' {
				j = closed(skipQuoted(s, j, '\'', true), "string literal")
			}
			i = j
		case exec && ch == '*' && i+1 < len(s) && s[i+1] == '/':
			exec = false
			i += 2
		case ch == '-' && i+1 < len(s) && s[i+1] == '-' && (!mysql || i+2 == len(s) || s[i+2] <= ' ' || s[i+2] == 0x7f),
			ch == '#' && mysql:
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case ch == '/' && i+1 < len(s) && s[i+1] == '*':
			if mysql && (strings.HasPrefix(s[i:], "/*!") || strings.HasPrefix(s[i:], "/*M!")) {
				exec = true
				i += strings.IndexByte(s[i:], '!') + 1
				continue
			}
			i = closed(skipComment(s, i, !mysql), "block comment")
		case ch == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			return n, s[i:j], ""
		case ch == '$' && !mysql:
			i = closed(skipDollar(s, i), "dollar-quoted body")
		default:
			i++
		}
	}
	if exec && open == "" {
		open = "/*! comment"
	}
	return n, "", open
}

func isIdentStart(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || ch >= 0x80
}

func isIdentCont(ch byte) bool { return isIdentStart(ch) || ch >= '0' && ch <= '9' || ch == '$' }

// skipQuoted returns the index past the run quoted with q that starts at
// s[i], or -1 when it is never closed; a doubled quote stays inside, and so
// does an escaped one when esc.
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

// skipComment returns the index past the /* … */ comment at s[i] (-1 when
// it is never closed), nested
// when nested (PostgreSQL, SQLite does not nest but never sees a nested
// one in valid SQL).
func skipComment(s string, i int, nested bool) int {
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

// skipDollar returns the index past the dollar-quoted string $tag$…$tag$ at
// s[i], or i+1 when the $ opens none, or -1 when it is never closed.
func skipDollar(s string, i int) int {
	j := i + 1
	for j < len(s) && (isWordByte(s[j]) || s[j] >= 0x80) && !(j == i+1 && s[j] >= '0' && s[j] <= '9') {
		j++
	}
	if j >= len(s) || s[j] != '$' {
		return i + 1
	}
	tag := s[i : j+1]
	if k := strings.Index(s[j+1:], tag); k >= 0 {
		return j + 1 + k + len(tag)
	}
	return -1
}

func isWordByte(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_'
}

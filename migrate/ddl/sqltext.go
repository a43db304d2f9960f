package ddl

import (
	"strings"
)

// Reading SQL text that migrate did not write: CHECK expressions, partial
// index predicates, and on SQLite the CREATE INDEX / CREATE TRIGGER / CREATE
// TABLE statements kept in sqlite_master. The scanner knows quoted strings,
// quoted identifiers ("x", `x`, [x]) and comments, so that a column name is
// found or renamed only where it is an identifier.

// sqlToken is one lexical piece of SQL text: s[start:end].
type sqlToken struct {
	start, end int
	kind       sqlTokenKind
}

type sqlTokenKind int

const (
	sqlTokSpace  sqlTokenKind = iota // white space and comments
	sqlTokIdent                      // a bare word: a name or a keyword
	sqlTokQuoted                     // a quoted identifier
	sqlTokString                     // a string literal
	sqlTokNumber                     // a number
	sqlTokPunct                      // one other character
)

// sqlTokens splits s. It never fails: an unterminated quote or comment runs to
// the end of s.
func sqlTokens(s string) []sqlToken {
	var out []sqlToken
	for i := 0; i < len(s); {
		start := i
		c := s[i]
		kind := sqlTokPunct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			kind = sqlTokSpace
			for i < len(s) && strings.IndexByte(" \t\n\r\f\v", s[i]) >= 0 {
				i++
			}
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			kind = sqlTokSpace
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			kind = sqlTokSpace
			if j := strings.Index(s[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(s)
			}
		case c == '\'':
			kind = sqlTokString
			i = tokSkipQuote(s, i, '\'')
		case c == '"' || c == '`':
			kind = sqlTokQuoted
			i = tokSkipQuote(s, i, c)
		case c == '[':
			kind = sqlTokQuoted
			if j := strings.IndexByte(s[i:], ']'); j >= 0 {
				i += j + 1
			} else {
				i = len(s)
			}
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			kind = sqlTokNumber
			for i < len(s) && (sqlWordByte(s[i]) || s[i] == '.') {
				i++
			}
		case sqlWordByte(c):
			kind = sqlTokIdent
			for i < len(s) && (sqlWordByte(s[i]) || s[i] == '$') {
				i++
			}
		default:
			i++
		}
		out = append(out, sqlToken{start, i, kind})
	}
	return out
}

// tokSkipQuote returns the index after the quoted run starting at s[i] == q; a
// doubled q is an escaped one.
func tokSkipQuote(s string, i int, q byte) int {
	for i++; i < len(s); i++ {
		if s[i] == q {
			if i+1 < len(s) && s[i+1] == q {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

func sqlWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c >= 0x80
}

// tokIdentName is the name an identifier token stands for: a bare word as is,
// a quoted one without its quotes.
func tokIdentName(s string, t sqlToken) string {
	text := s[t.start:t.end]
	if t.kind != sqlTokQuoted || len(text) < 2 {
		return text
	}
	q := text[0]
	inner := text[1 : len(text)-1]
	if q == '[' {
		return inner
	}
	return strings.ReplaceAll(inner, string([]byte{q, q}), string(q))
}

// tokIsName reports whether token i of ts (over s) is an identifier naming
// name: not a function being called (a word followed by "(").
func tokIsName(s string, ts []sqlToken, i int, name string) bool {
	t := ts[i]
	if t.kind != sqlTokIdent && t.kind != sqlTokQuoted {
		return false
	}
	if !strings.EqualFold(tokIdentName(s, t), name) {
		return false
	}
	if t.kind == sqlTokIdent {
		for j := i + 1; j < len(ts); j++ {
			if ts[j].kind == sqlTokSpace {
				continue
			}
			return !(ts[j].kind == sqlTokPunct && s[ts[j].start] == '(')
		}
	}
	return true
}

// sqlMentions reports whether the SQL text s uses the identifier name.
func sqlMentions(s, name string) bool {
	if s == "" || name == "" {
		return false
	}
	ts := sqlTokens(s)
	for i := range ts {
		if tokIsName(s, ts, i, name) {
			return true
		}
	}
	return false
}

// sqlRenameIdent replaces the identifier from with to in s, keeping the quote
// character each occurrence was written with; a bare occurrence stays bare
// when to is a plain word, and is quoted with quote otherwise.
func sqlRenameIdent(s, from, to string, quote func(string) string) string {
	return sqlRenameIdentAfter(s, from, to, 0, quote)
}

// sqlRenameIdentAfter is sqlRenameIdent on the tokens from the first "(" on
// when afterParen is 1 (the column list of a CREATE INDEX, so that the
// index and table names before it stay), or on all of s when it is 0.
func sqlRenameIdentAfter(s, from, to string, afterParen int, quote func(string) string) string {
	if s == "" || !sqlMentions(s, from) {
		return s
	}
	ts := sqlTokens(s)
	var b strings.Builder
	last := 0
	on := afterParen == 0
	for i, t := range ts {
		if !on {
			on = t.kind == sqlTokPunct && s[t.start] == '('
			continue
		}
		if !tokIsName(s, ts, i, from) {
			continue
		}
		b.WriteString(s[last:t.start])
		q := s[t.start]
		switch {
		case t.kind == sqlTokIdent && sqlPlainWord(to):
			b.WriteString(to)
		case t.kind == sqlTokIdent:
			b.WriteString(quote(to))
		case q == '[':
			b.WriteString("[" + to + "]")
		default:
			b.WriteByte(q)
			b.WriteString(strings.ReplaceAll(to, string(q), string([]byte{q, q})))
			b.WriteByte(q)
		}
		last = t.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// sqlPlainWord reports whether s can be written as a bare identifier: a
// letter or _ then letters, digits and _ (lower case, so that PostgreSQL
// does not fold it).
func sqlPlainWord(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// sqliteTableOptions returns what follows the column list of a CREATE TABLE
// statement: SQLite's " WITHOUT ROWID" or " STRICT" (empty when nothing).
func sqliteTableOptions(create string) string {
	depth := 0
	for _, t := range sqlTokens(create) {
		if t.kind != sqlTokPunct {
			continue
		}
		switch create[t.start] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				rest := strings.TrimSpace(create[t.end:])
				if rest == "" {
					return ""
				}
				return " " + rest
			}
		}
	}
	return ""
}

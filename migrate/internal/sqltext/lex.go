package sqltext

import "strings"

// TokenKind classifies a token of SQL text read back from a catalog.
type TokenKind uint8

const (
	Word   TokenKind = iota + 1 // a bare word: keyword, identifier, function name
	Quoted                      // a quoted identifier: "x", `x` or [x]
	String                      // a string literal: 'x', X'00', E'x'
	Number                      // a numeric literal
	Punct                       // an operator or punctuation
)

// Token is one token: its kind, its value (an identifier or string without
// quotes, an operator as written) and where it is in the source.
type Token struct {
	Kind       TokenKind
	Val        string
	Start, End int
	// prefix is the letter before a string's quote (X'..', E'..',
	// N'..'), or a MySQL character set introducer (_utf8mb4'..').
	Prefix string
}

// Is reports whether t is the bare word w, ignoring case.
func (t Token) Is(w string) bool { return t.Kind == Word && strings.EqualFold(t.Val, w) }

// IsPunct reports whether t is the operator or punctuation p.
func (t Token) IsPunct(p string) bool { return t.Kind == Punct && t.Val == p }

// Lex splits SQL text into tokens, skipping white space and comments.
// Quotes are honoured: a ( or , inside a string or quoted identifier is
// part of it. The family decides the finer points: \ is an escape inside
// strings on MySQL, [x] is a quoted identifier on SQLite (an array
// subscript elsewhere). It never fails: an unterminated quote runs to the
// end of the text.
func Lex(s string, fam Family) []Token {
	backslash := fam == MySQL
	var out []Token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 4
			}
		case c == '\'':
			val, end := lexQuoted(s, i, '\'', backslash)
			out = append(out, Token{Kind: String, Val: val, Start: i, End: end})
			i = end
		case c == '"' || c == '`':
			val, end := lexQuoted(s, i, c, false)
			out = append(out, Token{Kind: Quoted, Val: val, Start: i, End: end})
			i = end
		case c == '[' && fam == SQLite:
			end := strings.IndexByte(s[i+1:], ']')
			if end < 0 {
				end = len(s) - i - 1
			}
			out = append(out, Token{Kind: Quoted, Val: s[i+1 : i+1+end], Start: i, End: min(len(s), i+end+2)})
			i = min(len(s), i+end+2)
		case isDigitByte(c) || c == '.' && i+1 < len(s) && isDigitByte(s[i+1]):
			j := i
			for j < len(s) && (isDigitByte(s[j]) || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && isDigitByte(s[k]) {
					j = k
					for j < len(s) && isDigitByte(s[j]) {
						j++
					}
				}
			}
			out = append(out, Token{Kind: Number, Val: s[i:j], Start: i, End: j})
			i = j
		case IsIdentStart(c):
			j := i
			for j < len(s) && IsIdentCont(s[j]) {
				j++
			}
			w := s[i:j]
			if j < len(s) && s[j] == '\'' && lexStringPrefix(w) {
				val, end := lexQuoted(s, j, '\'', backslash || strings.EqualFold(w, "e"))
				out = append(out, Token{Kind: String, Val: val, Start: i, End: end, Prefix: w})
				i = end
				continue
			}
			out = append(out, Token{Kind: Word, Val: w, Start: i, End: j})
			i = j
		default:
			n := lexPunctLen(s[i:])
			out = append(out, Token{Kind: Punct, Val: s[i : i+n], Start: i, End: i + n})
			i += n
		}
	}
	return out
}

// lexQuoted reads a quoted token starting at s[i] == q, where a doubled q
// stands for one; with backslash, \ escapes the next byte. It returns the
// unquoted value and the index after the closing quote.
func lexQuoted(s string, i int, q byte, backslash bool) (string, int) {
	var b strings.Builder
	j := i + 1
	for j < len(s) {
		c := s[j]
		switch {
		case backslash && c == '\\' && j+1 < len(s):
			b.WriteByte(lexUnescape(s[j+1]))
			j += 2
			continue
		case c == q:
			if j+1 < len(s) && s[j+1] == q {
				b.WriteByte(q)
				j += 2
				continue
			}
			return b.String(), j + 1
		}
		b.WriteByte(c)
		j++
	}
	return b.String(), j
}

// lexUnescape is the byte a MySQL backslash escape stands for.
func lexUnescape(c byte) byte {
	switch c {
	case '0':
		return 0
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'Z':
		return 26
	}
	return c
}

// lexStringPrefix reports whether w, directly before a quote, belongs to the
// string literal: X'..', B'..', E'..', N'..' or a MySQL introducer.
func lexStringPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "x", "b", "e", "n":
		return true
	}
	return len(w) > 1 && w[0] == '_'
}

// lexOperators are the multi-byte lexOperators, longest first.
var lexOperators = []string{"!~~*", "!~~", "~~*", "<=>", "::", "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "~~", "->>", "->"}

func lexPunctLen(s string) int {
	for _, op := range lexOperators {
		if strings.HasPrefix(s, op) {
			return len(op)
		}
	}
	return 1
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// CloseParen returns the index of the token that closes the parenthesis
// opened at toks[open], or -1.
func CloseParen(toks []Token, open int) int {
	depth := 0
	for i := open; i < len(toks); i++ {
		switch {
		case toks[i].IsPunct("("):
			depth++
		case toks[i].IsPunct(")"):
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// SplitTop splits toks at commas outside parentheses.
func SplitTop(toks []Token) [][]Token {
	var out [][]Token
	depth, start := 0, 0
	for i, t := range toks {
		switch {
		case t.IsPunct("("):
			depth++
		case t.IsPunct(")"):
			depth--
		case t.IsPunct(",") && depth == 0:
			out = append(out, toks[start:i])
			start = i + 1
		}
	}
	if start < len(toks) {
		out = append(out, toks[start:])
	}
	return out
}

// Text returns the source text that toks span.
func Text(src string, toks []Token) string {
	if len(toks) == 0 {
		return ""
	}
	return src[toks[0].Start:toks[len(toks)-1].End]
}

// IsIdentStart and IsIdentCont follow unquoted names: bytes of multi-byte
// UTF-8 characters are letters, and $ may follow the first character.
func IsIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

// IsIdentCont reports whether c may continue an unquoted identifier.
func IsIdentCont(c byte) bool { return IsIdentStart(c) || c >= '0' && c <= '9' || c == '$' }

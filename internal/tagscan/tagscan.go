// Package tagscan splits struct-tag option lists whose values may hold SQL
// (default:'a,b', check:(x > 0)): at separators outside quotes and
// parentheses. fields parses tags with it and migrate's model generator
// checks the SQL it writes into tags with it, so that the two agree.
package tagscan

import "strings"

// Split splits s at each sep outside single or double quotes and
// parentheses, trimming spaces around the parts. When the parentheses or
// quotes do not balance it returns ok false, the offset of the part where
// scanning failed, and early: whether a closing parenthesis came first.
func Split(s string, sep byte) (parts []string, failedAt int, early, ok bool) {
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return nil, start, true, false
			}
		case c == sep && depth == 0:
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	if quote != 0 || depth != 0 {
		return nil, start, false, false
	}
	return append(parts, strings.TrimSpace(s[start:])), 0, false, true
}

// Balanced reports whether s's parentheses and quotes balance.
func Balanced(s string) bool {
	_, _, _, ok := Split(s, 0)
	return ok
}

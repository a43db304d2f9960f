package sqltext

import "strings"

// CanonExpr returns a form of the SQL condition s for comparison only (it
// is not valid SQL): engines store a CHECK or index predicate rewritten,
// PostgreSQL as "((status)::text = ANY (ARRAY['a'::character varying]))",
// MariaDB as "`price` >= 0", MySQL with _utf8mb4 introducers, and the form
// has to be the same for what was declared and what the catalog reports.
// Parentheses, casts, quotes of identifiers and case are dropped, strings
// are requoted one way, and the rewrites PostgreSQL makes are undone:
// = ANY (ARRAY[…]) is IN (…), <> ALL (ARRAY[…]) is NOT IN (…), ~~ is LIKE,
// BETWEEN of single terms is two comparisons. Dropping the parentheses can
// make two different groupings look alike; that is the price of not
// reporting changes that are not there.
func CanonExpr(s string, fam Family) string {
	toks := Lex(s, fam)
	words := make([]string, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.IsPunct("(") || t.IsPunct(")"):
			continue
		case t.IsPunct("::"):
			typ := ""
			if i+1 < len(toks) && (toks[i+1].Kind == Word || toks[i+1].Kind == Quoted) {
				i++
				typ = strings.ToLower(toks[i].Val)
			}
			for i+1 < len(toks) && (castWords[strings.ToLower(toks[i+1].Val)] && toks[i+1].Kind == Word ||
				toks[i+1].IsPunct("[") || toks[i+1].IsPunct("]")) {
				i++
				typ += " " + strings.ToLower(toks[i].Val)
			}
			// '-1'::integer is the number -1
			if n := len(words); n > 0 && numericCasts[pgType(typ)] && isQuotedNumber(words[n-1]) {
				words[n-1] = strings.Trim(words[n-1], "'")
			}
			continue
		case t.IsPunct("-") && i+1 < len(toks) && toks[i+1].Kind == Number && unaryPosition(toks, i):
			words = append(words, "-"+toks[i+1].Val)
			i++
			continue
		}
		words = append(words, canonWord(t))
	}
	words = undoAny(words)
	words = undoBetween(words)
	return strings.Join(words, " ")
}

// castWords are the words that continue a type name after a cast's first
// word (character varying, double precision, timestamp with time zone).
var castWords = map[string]bool{"varying": true, "precision": true, "with": true, "without": true, "time": true, "zone": true}

// canonOps are operators spelled two ways.
var canonOps = map[string]string{
	"!=": "<>", "==": "=", "~~": "like", "!~~": "not like", "~~*": "ilike", "!~~*": "not ilike",
}

func canonWord(t Token) string {
	switch t.Kind {
	case Word, Quoted:
		w := strings.ToLower(t.Val)
		if w == "octet_length" { // MariaDB's spelling of length()
			w = "length"
		}
		return w
	case String:
		p := strings.ToLower(t.Prefix)
		if p == "e" || p == "n" || strings.HasPrefix(p, "_") {
			p = ""
		}
		return p + "'" + strings.ReplaceAll(t.Val, "'", "''") + "'"
	case Punct:
		if op, ok := canonOps[t.Val]; ok {
			return op
		}
	}
	return t.Val
}

// undoAny turns "= any array [ a , b ]" into "in a , b" and "<> all array
// [ a ]" into "not in a".
func undoAny(w []string) []string {
	out := make([]string, 0, len(w))
	open := 0 // "[" whose "]" is to be dropped
	for i := 0; i < len(w); i++ {
		if i+3 < len(w) && w[i+2] == "array" && w[i+3] == "[" {
			switch {
			case w[i] == "=" && w[i+1] == "any":
				out = append(out, "in")
				open++
				i += 3
				continue
			case w[i] == "<>" && w[i+1] == "all":
				out = append(out, "not", "in")
				open++
				i += 3
				continue
			}
		}
		if w[i] == "]" && open > 0 {
			open--
			continue
		}
		out = append(out, w[i])
	}
	return out
}

// undoBetween turns "x between a and b" into "x >= a and x <= b" and "x not
// between a and b" into "x < a or x > b", for single-word terms, which is
// how PostgreSQL stores them.
func undoBetween(w []string) []string {
	out := make([]string, 0, len(w))
	for i := 0; i < len(w); i++ {
		if w[i] == "between" && i+3 < len(w) && w[i+2] == "and" && len(out) > 0 {
			not := out[len(out)-1] == "not"
			if not {
				out = out[:len(out)-1]
			}
			if len(out) > 0 {
				x := out[len(out)-1]
				if not {
					out = append(out, "<", w[i+1], "or", x, ">", w[i+3])
				} else {
					out = append(out, ">=", w[i+1], "and", x, "<=", w[i+3])
				}
				i += 3
				continue
			}
			if not {
				out = append(out, "not")
			}
		}
		out = append(out, w[i])
	}
	return out
}

func isQuotedNumber(w string) bool {
	return len(w) > 2 && w[0] == '\'' && w[len(w)-1] == '\'' && IsNumberLit(w[1:len(w)-1])
}

// unaryWords are the keywords after which a minus sign is a sign.
var unaryWords = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "between": true, "is": true, "like": true,
	"when": true, "then": true, "else": true, "case": true, "select": true, "where": true,
}

// unaryPosition reports whether the minus at toks[i] is a sign rather than
// a subtraction: it starts the text or follows an operator, an opening
// parenthesis, a comma or a keyword.
func unaryPosition(toks []Token, i int) bool {
	if i == 0 {
		return true
	}
	switch p := toks[i-1]; p.Kind {
	case Punct:
		return p.Val != ")" && p.Val != "]"
	case Word:
		return unaryWords[strings.ToLower(p.Val)]
	}
	return false
}

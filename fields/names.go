package fields

import (
	"strings"
	"unicode"
)

// SnakeCase turns a Go identifier into a lower-case, underscore-separated
// name: "UserID" -> "user_id", "HTTPServer" -> "http_server",
// "CreatedAt" -> "created_at", "V2Name" -> "v2_name". A run of capitals is one
// word, except that its last capital starts the next word when a lower-case
// letter follows it.
func SnakeCase(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i, r := range rs {
		if !unicode.IsUpper(r) {
			b.WriteRune(r)
			continue
		}
		if i > 0 && rs[i-1] != '_' {
			prev := rs[i-1]
			endOfAcronym := unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || endOfAcronym {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// irregular plurals, matched against the last word of a snake_case name only,
// so that "human" does not become "humen".
var irregular = map[string]string{
	"person": "people",
	"man":    "men",
	"woman":  "women",
	"child":  "children",
	"mouse":  "mice",
	"goose":  "geese",
	"foot":   "feet",
	"tooth":  "teeth",
}

var uncountable = map[string]bool{
	"data": true, "metadata": true, "info": true, "information": true,
	"news": true, "series": true, "species": true, "equipment": true,
	"sheep": true, "fish": true, "deer": true, "feedback": true,
}

// Plural returns the English plural of the last word of a snake_case name:
// "user" -> "users", "category" -> "categories", "box" -> "boxes",
// "user_address" -> "user_addresses", "person" -> "people". Rules: a few
// irregular and uncountable words; consonant+y -> ies; s, x, z, ch, sh -> +es;
// anything else +s.
func Plural(name string) string {
	i := strings.LastIndexByte(name, '_') + 1
	head, word := name[:i], name[i:]
	if word == "" {
		return name
	}
	if p, ok := irregular[word]; ok {
		return head + p
	}
	if uncountable[word] {
		return name
	}
	n := len(word)
	switch {
	case word[n-1] == 'y' && n > 1 && !strings.ContainsRune("aeiou", rune(word[n-2])):
		return head + word[:n-1] + "ies"
	case strings.HasSuffix(word, "s"), strings.HasSuffix(word, "x"), strings.HasSuffix(word, "z"),
		strings.HasSuffix(word, "ch"), strings.HasSuffix(word, "sh"):
		return head + word + "es"
	}
	return name + "s"
}

package fields

import (
	"hash/fnv"
	"strings"
	"unicode"
	"unicode/utf8"
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

// MaxNameLen is the longest index or constraint name kinglet derives: 63
// bytes, PostgreSQL's limit (longer names it cuts silently), which is under
// MySQL's 64 characters (longer names it refuses).
const MaxNameLen = 63

// DerivedName is the name kinglet gives an index or constraint that its
// model does not name: prefix_table_col1_col2, a schema-qualified table
// written with _ for its dot ("idx", "app.users", "email" give
// idx_app_users_email), shortened by ShortName.
func DerivedName(prefix, table string, cols ...string) string {
	n := len(prefix) + 1 + len(table)
	for _, c := range cols {
		n += 1 + len(c)
	}
	b := make([]byte, 0, n)
	b = append(append(b, prefix...), '_')
	b = append(b, nameStem(table)...)
	for _, c := range cols {
		b = append(append(b, '_'), c...)
	}
	return ShortName(string(b))
}

// ShortName is name when it fits in MaxNameLen bytes. A longer name keeps
// its first bytes (whole UTF-8 characters) and ends in _ and ten hex digits
// of a hash of the whole name, so that it is the same on every engine and
// every run, and two long names that share their start still differ.
func ShortName(name string) string {
	if len(name) <= MaxNameLen {
		return name
	}
	const hashLen = 10
	keep := MaxNameLen - 1 - hashLen
	for keep > 0 && !utf8.RuneStart(name[keep]) {
		keep--
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	sum := h.Sum64()
	b := make([]byte, 0, keep+1+hashLen)
	b = append(append(b, name[:keep]...), '_')
	for i := hashLen - 1; i >= 0; i-- {
		b = append(b, "0123456789abcdef"[sum>>(4*uint(i))&0xf])
	}
	return string(b)
}

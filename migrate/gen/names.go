package gen

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/kingletdb/kinglet/fields"
)

// genInitialisms are written in capitals in Go names, as golint does:
// user_id -> UserID, image_url -> ImageURL.
var genInitialisms = map[string]bool{
	"ACL": true, "API": true, "ASCII": true, "CPU": true, "CSS": true, "DNS": true, "EOF": true,
	"GUID": true, "HTML": true, "HTTP": true, "HTTPS": true, "ID": true, "IP": true, "JSON": true,
	"LHS": true, "QPS": true, "RAM": true, "RHS": true, "RPC": true, "SLA": true, "SMTP": true,
	"SQL": true, "SSH": true, "TCP": true, "TLS": true, "TTL": true, "UDP": true, "UI": true,
	"UID": true, "UUID": true, "URI": true, "URL": true, "UTF8": true, "VM": true, "XML": true,
	"XMPP": true, "XSRF": true, "XSS": true,
}

// genExportedName turns a table or column name into an exported Go identifier:
// created_at -> CreatedAt, user_id -> UserID, userId -> UserID,
// "first name" -> FirstName, 2fa_code -> X2faCode. It returns "" when the
// name has no letters or digits.
func genExportedName(s string) string {
	var b strings.Builder
	for _, w := range genNameWords(s) {
		up := strings.ToUpper(w)
		switch {
		case genInitialisms[up]:
			b.WriteString(up)
		case w == up && len([]rune(w)) > 1: // USER_NAME: one word in capitals
			rs := []rune(strings.ToLower(w))
			rs[0] = unicode.ToUpper(rs[0])
			b.WriteString(string(rs))
		default:
			rs := []rune(w)
			rs[0] = unicode.ToUpper(rs[0])
			b.WriteString(string(rs))
		}
	}
	name := b.String()
	if name == "" {
		return ""
	}
	if r := []rune(name)[0]; !unicode.IsUpper(r) { // a digit, or a letter without case
		name = "X" + name
	}
	return name
}

// genNameWords splits s at characters that are neither letters nor digits, and
// at a lower-case letter followed by an upper-case one (userId).
func genNameWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 && unicode.IsLower(cur[len(cur)-1]):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return words
}

// genIrregularSingular undoes fields.Plural's irregular plurals.
var genIrregularSingular = map[string]string{
	"people": "person", "men": "man", "women": "woman", "children": "child",
	"mice": "mouse", "geese": "goose", "feet": "foot", "teeth": "tooth",
}

// genSingular returns the word whose fields.Plural is table (users -> user,
// categories -> category, boxes -> box, people -> person), or table itself
// when there is none.
func genSingular(table string) string {
	if fields.Plural(table) == table { // news, data: uncountable
		return table
	}
	i := strings.LastIndexByte(table, '_') + 1
	head, word := table[:i], table[i:]
	var cands []string
	if s, ok := genIrregularSingular[word]; ok {
		cands = append(cands, head+s)
	}
	if w, ok := strings.CutSuffix(word, "ies"); ok {
		cands = append(cands, head+w+"y")
	}
	if w, ok := strings.CutSuffix(word, "es"); ok && endsWithAny(w, "s", "x", "ch", "sh") {
		cands = append(cands, head+w) // boxes, addresses, statuses
	}
	if w, ok := strings.CutSuffix(word, "s"); ok && !endsWithAny(word, "ss", "us", "is") {
		cands = append(cands, head+w) // not class, status, analysis: singular already
	}
	cands = append(cands, table)
	for _, c := range cands {
		if c != "" && fields.Plural(c) == table {
			return c
		}
	}
	return table
}

func endsWithAny(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// genNames hands out unique identifiers: a taken name gets a number appended.
type genNames map[string]bool

func (n genNames) unique(name string) string {
	if !n[name] {
		n[name] = true
		return name
	}
	for i := 2; ; i++ {
		if c := name + strconv.Itoa(i); !n[c] {
			n[c] = true
			return c
		}
	}
}

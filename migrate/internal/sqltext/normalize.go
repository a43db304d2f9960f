package sqltext

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
)

// Family is the engine family whose catalog and type spellings apply.
type Family uint8

// The engine families.
const (
	NoFamily Family = iota
	SQLite
	Postgres
	MySQL // MySQL and MariaDB
)

// FamilyOf picks the engine family the way the runner picks its lock: by
// the capabilities only that family has.
func FamilyOf(d dialect.Dialect) Family {
	switch {
	case d == nil:
		return NoFamily
	case d.Has(dialect.AdvisoryLock):
		return Postgres
	case d.Has(dialect.NamedLock):
		return MySQL
	case IsSingleWriter(d):
		return SQLite
	}
	return NoFamily
}

// NormalizeType is schema.NormalizeType, documented there.
func NormalizeType(d dialect.Dialect, typ string) string {
	s := squeeze(typ, true)
	switch FamilyOf(d) {
	case Postgres:
		return pgType(s)
	case MySQL:
		return mysqlType(s)
	}
	return s
}

// squeeze collapses white space outside quotes to single spaces, drops
// spaces next to parentheses and commas, and with lower folds letters
// outside quotes to lower case.
func squeeze(s string, lower bool) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	var quote byte
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			b.WriteByte(c)
			if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			space = true
			continue
		case '\'', '"', '`':
			quote = c
		}
		if space {
			if prev := lastWritten(&b); prev != '(' && prev != ',' && c != '(' && c != ')' && c != ',' {
				b.WriteByte(' ')
			}
			space = false
		}
		if lower && c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

func lastWritten(b *strings.Builder) byte {
	s := b.String()
	if s == "" {
		return 0
	}
	return s[len(s)-1]
}

// pgAliases maps PostgreSQL's alternative spellings to the one kept.
var pgAliases = map[string]string{
	"int": "integer", "int4": "integer", "serial": "integer", "serial4": "integer",
	"int8": "bigint", "bigserial": "bigint", "serial8": "bigint",
	"int2": "smallint", "smallserial": "smallint", "serial2": "smallint",
	"float8": "double precision", "float": "double precision",
	"float4":  "real",
	"bool":    "boolean",
	"decimal": "numeric", "character varying": "varchar", "character": "char", "bpchar": "char",
	"timestamp without time zone": "timestamp", "timestamp with time zone": "timestamptz",
	"time without time zone": "time", "time with time zone": "timetz",
	"bit varying": "varbit",
}

// pgTypeRE splits a PostgreSQL type into base words, modifiers, the words
// after them (timestamp(3) with time zone) and array brackets.
var pgTypeRE = regexp.MustCompile(`^([a-z_][a-z0-9_ ]*?)(\([0-9,]*\))?((?: [a-z ]+)?)((?:\[[0-9]*\])*)$`)

func pgType(s string) string {
	m := pgTypeRE.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	base, mods, tail, arr := m[1], m[2], m[3], m[4]
	name := strings.TrimSpace(base + tail)
	if a, ok := pgAliases[name]; ok {
		name = a
	}
	switch name {
	case "double precision":
		if base == "float" && mods != "" { // float(p): real up to 24 bits
			if p, err := strconv.Atoi(strings.Trim(mods, "()")); err == nil && p <= 24 {
				name = "real"
			}
			mods = ""
		}
	case "numeric":
		if mods != "" && !strings.Contains(mods, ",") {
			mods = mods[:len(mods)-1] + ",0)"
		}
	case "char":
		if mods == "" {
			mods = "(1)"
		}
	}
	// PostgreSQL ignores array sizes: integer[3] is integer[].
	return name + mods + strings.Repeat("[]", strings.Count(arr, "["))
}

// mysqlTypeRE splits a MySQL type into its name, modifiers and attributes.
var mysqlTypeRE = regexp.MustCompile(`^([a-z]+(?: [a-z]+)*?)(\([^)]*\))?((?: (?:unsigned|signed|zerofill))*)$`)

var mysqlIntegers = map[string]bool{"tinyint": true, "smallint": true, "mediumint": true, "int": true, "bigint": true}

func mysqlType(s string) string {
	m := mysqlTypeRE.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	name, mods, attrs := m[1], m[2], m[3]
	switch name {
	case "integer":
		name = "int"
	case "bool", "boolean":
		return "tinyint(1)"
	case "real", "double precision":
		name = "double"
	case "dec", "numeric", "fixed":
		name = "decimal"
	case "character varying", "char varying":
		name = "varchar"
	case "character":
		name = "char"
	}
	attrs = strings.Replace(attrs, " signed", "", 1)
	switch {
	case mysqlIntegers[name]:
		if !(name == "tinyint" && mods == "(1)" && attrs == "") {
			mods = "" // a display width, not a size
		}
	case name == "decimal":
		switch {
		case mods == "":
			mods = "(10,0)"
		case !strings.Contains(mods, ","):
			mods = mods[:len(mods)-1] + ",0)"
		}
	}
	return name + mods + attrs
}

// keywordDefaults are the default expressions written as upper-case
// keywords, as kinglet writes them.
var keywordDefaults = map[string]string{
	"current_timestamp": "CURRENT_TIMESTAMP", "current_date": "CURRENT_DATE", "current_time": "CURRENT_TIME",
	"localtimestamp": "LOCALTIMESTAMP", "localtime": "LOCALTIME",
	"true": "TRUE", "false": "FALSE", "null": "NULL",
}

// numericCasts are the PostgreSQL types a quoted number may be cast to in
// a default ('-1'::integer), which stands for the bare number.
var numericCasts = map[string]bool{
	"integer": true, "bigint": true, "smallint": true, "numeric": true, "real": true,
	"double precision": true, "decimal": true, "int": true,
}

// NormalizeDefault returns the DEFAULT expression s in one spelling for
// every engine of its family, still valid SQL for d: redundant parentheses
// around a literal are dropped, PostgreSQL casts of literals ('x'::text)
// and MySQL character set introducers (_utf8mb4'x') removed, numbers in
// quotes cast to a number unquoted, CURRENT_TIMESTAMP, TRUE, FALSE and NULL
// upper case (current_timestamp() -> CURRENT_TIMESTAMP), now() ->
// CURRENT_TIMESTAMP outside SQLite, and white space collapsed.
func NormalizeDefault(d dialect.Dialect, s string) string {
	fam := FamilyOf(d)
	s = strings.TrimSpace(s)
	for {
		toks := Lex(s, fam)
		if len(toks) == 0 {
			return ""
		}
		// ((literal)) -> literal
		if lit, ok := wrappedLiteral(toks); ok {
			s = strings.TrimSpace(Text(s, lit))
			continue
		}
		// literal::type -> literal
		if i := castAt(toks); i > 0 && isLiteralToks(toks[:i]) {
			lit := toks[:i]
			typ := pgType(squeeze(Text(s, toks[i+1:]), true))
			if len(lit) == 1 && lit[0].Kind == String && lit[0].Prefix == "" && numericCasts[typ] && IsNumberLit(lit[0].Val) {
				return lit[0].Val
			}
			s = strings.TrimSpace(Text(s, lit))
			continue
		}
		if len(toks) == 1 && toks[0].Kind == String && (toks[0].Prefix == "" || toks[0].Prefix[0] == '_') {
			// one spelling of the quotes: 'it''s', never 'it\'s' or
			// _utf8mb4'it''s'
			return string(d.AppendString(nil, toks[0].Val))
		}
		if kw, ok := keywordCall(toks, fam); ok {
			return kw
		}
		return squeeze(s, false)
	}
}

// keywordCall recognises CURRENT_TIMESTAMP and its spellings:
// current_timestamp, current_timestamp(), CURRENT_TIMESTAMP(6), now().
func keywordCall(toks []Token, fam Family) (string, bool) {
	if len(toks) == 0 || toks[0].Kind != Word {
		return "", false
	}
	w := strings.ToLower(toks[0].Val)
	kw, ok := keywordDefaults[w]
	if w == "now" && fam != SQLite {
		kw, ok = "CURRENT_TIMESTAMP", true
		if len(toks) == 1 {
			return "", false // a column called now
		}
	}
	if !ok {
		return "", false
	}
	switch {
	case len(toks) == 1:
		return kw, true
	case len(toks) == 3 && toks[1].IsPunct("(") && toks[2].IsPunct(")"):
		return kw, true
	case len(toks) == 4 && toks[1].IsPunct("(") && toks[2].Kind == Number && toks[3].IsPunct(")"):
		return kw + "(" + toks[2].Val + ")", true
	}
	return "", false
}

// castAt returns the index of a top-level :: in toks, or -1.
func castAt(toks []Token) int {
	depth := 0
	for i, t := range toks {
		switch {
		case t.IsPunct("("):
			depth++
		case t.IsPunct(")"):
			depth--
		case t.IsPunct("::") && depth == 0:
			return i
		}
	}
	return -1
}

// wrappedLiteral returns the literal inside toks when toks are a literal in
// one or more pairs of parentheses.
func wrappedLiteral(toks []Token) ([]Token, bool) {
	n := 0
	for n < len(toks)/2 && toks[n].IsPunct("(") && toks[len(toks)-1-n].IsPunct(")") {
		n++
	}
	if n == 0 || !isLiteralToks(toks[n:len(toks)-n]) {
		return nil, false
	}
	return toks[n : len(toks)-n], true
}

// isLiteralToks reports whether toks are one literal: a string, a signed
// number, TRUE, FALSE or NULL.
func isLiteralToks(toks []Token) bool {
	if len(toks) == 2 && (toks[0].IsPunct("-") || toks[0].IsPunct("+")) && toks[1].Kind == Number {
		return true
	}
	if len(toks) != 1 {
		return false
	}
	switch t := toks[0]; t.Kind {
	case String, Number:
		return true
	case Word:
		return t.Is("true") || t.Is("false") || t.Is("null")
	}
	return false
}

// IsNumberLit reports whether s is [-+]digits[.digits][e[-+]digits] (or
// .digits).
func IsNumberLit(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	whole, frac, _ := strings.Cut(mant, ".")
	if whole == "" && frac == "" || !allDigitBytes(whole) || !allDigitBytes(frac) {
		return false
	}
	if hasExp {
		if exp != "" && (exp[0] == '-' || exp[0] == '+') {
			exp = exp[1:]
		}
		return exp != "" && allDigitBytes(exp)
	}
	return true
}

func allDigitBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return true
}

// DefaultsEqual reports whether DEFAULT expressions a and b (normalised)
// mean the same value: equal text, equal numbers (0.50 and 0.5), or a
// boolean and its number (TRUE and 1, which MySQL and SQLite store).
func DefaultsEqual(a, b string) bool {
	if a == b {
		return true
	}
	ra, okA := numberValue(a)
	rb, okB := numberValue(b)
	return okA && okB && ra.Cmp(rb) == 0
}

// numberValue reads a default as a number; TRUE and FALSE are 1 and 0.
func numberValue(s string) (*big.Rat, bool) {
	switch s {
	case "TRUE":
		return big.NewRat(1, 1), true
	case "FALSE":
		return new(big.Rat), true
	}
	if !IsNumberLit(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(s, "+"))
	return r, ok
}

// FKAction maps a catalog's referential action to ForeignKey's spelling:
// upper case, empty for NO ACTION.
func FKAction(a string) string {
	a = strings.ToUpper(strings.Join(strings.Fields(a), " "))
	if a == "NO ACTION" {
		return ""
	}
	return a
}

// IsSingleWriter reports whether d's engine writes one connection at a time
// (dialect.SingleWriter): SQLite, the one family without server locks.
func IsSingleWriter(d dialect.Dialect) bool {
	sw, ok := d.(dialect.SingleWriter)
	return ok && sw.SingleWriter()
}

package schema

import (
	"strings"

	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// sqliteDef is what the CREATE TABLE text stored in sqlite_master says and
// the pragmas do not: constraint names, CHECK expressions, AUTOINCREMENT.
type sqliteDef struct {
	autoinc map[string]bool // lower-case column name
	uniques []namedCols
	fks     []namedCols
	checks  []Check // Name is empty for an unnamed check
}

// namedCols is a constraint's name (empty when unnamed) and columns.
type namedCols struct {
	name string
	cols []string
}

// parseSQLiteTable reads the constraints of a CREATE TABLE statement. It
// honours quotes, comments and nested parentheses; what it does not
// understand it skips, so the pragmas' answers stand.
func parseSQLiteTable(src string) sqliteDef {
	def := sqliteDef{autoinc: map[string]bool{}}
	toks := sqltext.Lex(src, sqltext.SQLite)
	open := -1
	for i, t := range toks {
		if t.IsPunct("(") {
			open = i
			break
		}
	}
	if open < 0 {
		return def // CREATE TABLE … AS SELECT
	}
	end := sqltext.CloseParen(toks, open)
	if end < 0 {
		end = len(toks)
	}
	for _, el := range sqltext.SplitTop(toks[open+1 : end]) {
		if len(el) == 0 {
			continue
		}
		if isTableConstraint(el[0]) {
			def.tableConstraint(src, el)
		} else {
			def.column(src, el)
		}
	}
	return def
}

func isTableConstraint(t sqltext.Token) bool {
	return t.Is("constraint") || t.Is("primary") || t.Is("unique") || t.Is("check") || t.Is("foreign")
}

// tableConstraint reads [CONSTRAINT name] UNIQUE (…) | CHECK (…) |
// FOREIGN KEY (…) ….
func (def *sqliteDef) tableConstraint(src string, el []sqltext.Token) {
	name := ""
	if el[0].Is("constraint") && len(el) > 1 {
		name, el = el[1].Val, el[2:]
	}
	if len(el) == 0 {
		return
	}
	switch {
	case el[0].Is("unique"):
		if cols, ok := parenNames(el[1:]); ok {
			def.uniques = append(def.uniques, namedCols{name, cols})
		}
	case el[0].Is("foreign") && len(el) > 1 && el[1].Is("key"):
		if cols, ok := parenNames(el[2:]); ok {
			def.fks = append(def.fks, namedCols{name, cols})
		}
	case el[0].Is("check"):
		if expr, _, ok := parenText(src, el, 1); ok {
			def.checks = append(def.checks, Check{Name: name, Expr: expr})
		}
	}
}

// column reads the constraints of one column definition: name type
// [CONSTRAINT name] PRIMARY KEY … AUTOINCREMENT | UNIQUE | CHECK (…) |
// REFERENCES … .
func (def *sqliteDef) column(src string, el []sqltext.Token) {
	col := el[0].Val
	name := ""
	for i := 1; i < len(el); i++ {
		t := el[i]
		switch {
		case t.IsPunct("("):
			if j := sqltext.CloseParen(el, i); j > 0 {
				i = j
			}
		case t.Is("constraint") && i+1 < len(el):
			name = el[i+1].Val
			i++
		case t.Is("autoincrement"):
			def.autoinc[strings.ToLower(col)] = true
		case t.Is("unique"):
			def.uniques = append(def.uniques, namedCols{name, []string{col}})
			name = ""
		case t.Is("references"):
			def.fks = append(def.fks, namedCols{name, []string{col}})
			name = ""
		case t.Is("check"):
			if expr, j, ok := parenText(src, el, i+1); ok {
				def.checks = append(def.checks, Check{Name: name, Expr: expr})
				i = j
			}
			name = ""
		case t.Is("primary") || t.Is("not") || t.Is("null") || t.Is("default") || t.Is("collate") ||
			t.Is("generated") || t.Is("as"):
			name = ""
		}
	}
}

// parenNames reads "(a, b COLLATE x DESC, …)" at the start of toks: the
// first name of each element.
func parenNames(toks []sqltext.Token) ([]string, bool) {
	if len(toks) == 0 || !toks[0].IsPunct("(") {
		return nil, false
	}
	end := sqltext.CloseParen(toks, 0)
	if end < 0 {
		return nil, false
	}
	var cols []string
	for _, part := range sqltext.SplitTop(toks[1:end]) {
		if len(part) == 0 || part[0].Kind != sqltext.Word && part[0].Kind != sqltext.Quoted {
			return nil, false
		}
		cols = append(cols, part[0].Val)
	}
	return cols, len(cols) > 0
}

// parenText returns the source text inside the parentheses that open at
// toks[i], and the index of the closing one.
func parenText(src string, toks []sqltext.Token, i int) (string, int, bool) {
	if i >= len(toks) || !toks[i].IsPunct("(") {
		return "", 0, false
	}
	end := sqltext.CloseParen(toks, i)
	if end < 0 {
		return "", 0, false
	}
	return strings.TrimSpace(src[toks[i].End:toks[end].Start]), end, true
}

// sqliteIndexDef is what a CREATE INDEX statement says beyond the pragmas:
// the text of each key part (for expressions) and the WHERE of a partial
// index.
type sqliteIndexDef struct {
	parts []string
	where string
}

func parseSQLiteIndex(src string) sqliteIndexDef {
	var def sqliteIndexDef
	toks := sqltext.Lex(src, sqltext.SQLite)
	on := -1
	for i, t := range toks {
		if t.Is("on") {
			on = i
			break
		}
	}
	if on < 0 {
		return def
	}
	open := -1
	for i := on + 1; i < len(toks); i++ {
		if toks[i].IsPunct("(") {
			open = i
			break
		}
	}
	if open < 0 {
		return def
	}
	end := sqltext.CloseParen(toks, open)
	if end < 0 {
		return def
	}
	for _, part := range sqltext.SplitTop(toks[open+1 : end]) {
		def.parts = append(def.parts, sqltext.Text(src, part))
	}
	if end+1 < len(toks) && toks[end+1].Is("where") {
		def.where = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(src[toks[end+1].End:]), ";"))
	}
	return def
}

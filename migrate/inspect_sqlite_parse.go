package migrate

import "strings"

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
	toks := lexSQL(src, famSQLite)
	open := -1
	for i, t := range toks {
		if t.punct("(") {
			open = i
			break
		}
	}
	if open < 0 {
		return def // CREATE TABLE … AS SELECT
	}
	end := tokCloseParen(toks, open)
	if end < 0 {
		end = len(toks)
	}
	for _, el := range tokSplitTop(toks[open+1 : end]) {
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

func isTableConstraint(t sqlTok) bool {
	return t.is("constraint") || t.is("primary") || t.is("unique") || t.is("check") || t.is("foreign")
}

// tableConstraint reads [CONSTRAINT name] UNIQUE (…) | CHECK (…) |
// FOREIGN KEY (…) ….
func (def *sqliteDef) tableConstraint(src string, el []sqlTok) {
	name := ""
	if el[0].is("constraint") && len(el) > 1 {
		name, el = el[1].val, el[2:]
	}
	if len(el) == 0 {
		return
	}
	switch {
	case el[0].is("unique"):
		if cols, ok := parenNames(el[1:]); ok {
			def.uniques = append(def.uniques, namedCols{name, cols})
		}
	case el[0].is("foreign") && len(el) > 1 && el[1].is("key"):
		if cols, ok := parenNames(el[2:]); ok {
			def.fks = append(def.fks, namedCols{name, cols})
		}
	case el[0].is("check"):
		if expr, _, ok := parenText(src, el, 1); ok {
			def.checks = append(def.checks, Check{Name: name, Expr: expr})
		}
	}
}

// column reads the constraints of one column definition: name type
// [CONSTRAINT name] PRIMARY KEY … AUTOINCREMENT | UNIQUE | CHECK (…) |
// REFERENCES … .
func (def *sqliteDef) column(src string, el []sqlTok) {
	col := el[0].val
	name := ""
	for i := 1; i < len(el); i++ {
		t := el[i]
		switch {
		case t.punct("("):
			if j := tokCloseParen(el, i); j > 0 {
				i = j
			}
		case t.is("constraint") && i+1 < len(el):
			name = el[i+1].val
			i++
		case t.is("autoincrement"):
			def.autoinc[strings.ToLower(col)] = true
		case t.is("unique"):
			def.uniques = append(def.uniques, namedCols{name, []string{col}})
			name = ""
		case t.is("references"):
			def.fks = append(def.fks, namedCols{name, []string{col}})
			name = ""
		case t.is("check"):
			if expr, j, ok := parenText(src, el, i+1); ok {
				def.checks = append(def.checks, Check{Name: name, Expr: expr})
				i = j
			}
			name = ""
		case t.is("primary") || t.is("not") || t.is("null") || t.is("default") || t.is("collate") ||
			t.is("generated") || t.is("as"):
			name = ""
		}
	}
}

// parenNames reads "(a, b COLLATE x DESC, …)" at the start of toks: the
// first name of each element.
func parenNames(toks []sqlTok) ([]string, bool) {
	if len(toks) == 0 || !toks[0].punct("(") {
		return nil, false
	}
	end := tokCloseParen(toks, 0)
	if end < 0 {
		return nil, false
	}
	var cols []string
	for _, part := range tokSplitTop(toks[1:end]) {
		if len(part) == 0 || part[0].kind != tWord && part[0].kind != tQuoted {
			return nil, false
		}
		cols = append(cols, part[0].val)
	}
	return cols, len(cols) > 0
}

// parenText returns the source text inside the parentheses that open at
// toks[i], and the index of the closing one.
func parenText(src string, toks []sqlTok, i int) (string, int, bool) {
	if i >= len(toks) || !toks[i].punct("(") {
		return "", 0, false
	}
	end := tokCloseParen(toks, i)
	if end < 0 {
		return "", 0, false
	}
	return strings.TrimSpace(src[toks[i].end:toks[end].start]), end, true
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
	toks := lexSQL(src, famSQLite)
	on := -1
	for i, t := range toks {
		if t.is("on") {
			on = i
			break
		}
	}
	if on < 0 {
		return def
	}
	open := -1
	for i := on + 1; i < len(toks); i++ {
		if toks[i].punct("(") {
			open = i
			break
		}
	}
	if open < 0 {
		return def
	}
	end := tokCloseParen(toks, open)
	if end < 0 {
		return def
	}
	for _, part := range tokSplitTop(toks[open+1 : end]) {
		def.parts = append(def.parts, tokText(src, part))
	}
	if end+1 < len(toks) && toks[end+1].is("where") {
		def.where = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(src[toks[end+1].end:]), ";"))
	}
	return def
}

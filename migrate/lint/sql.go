package lint

import (
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// Statements lints the SQL statements of one migration, in order, as d's
// engine runs them. It reads the statements it knows (CREATE TABLE, CREATE
// INDEX, DROP TABLE, ALTER TABLE and its actions) and passes over the
// others. A table created earlier in the statements is new and empty, so
// changes to it are not reported; a table dropped and replaced by another
// renamed to its name is a rebuild (SQLiteRebuild on SQLite), not a drop.
// An engine lint does not know gets no warnings.
func Statements(d dialect.Dialect, stmts []string) []Warning {
	fam, ok := family(d)
	if !ok {
		return nil
	}
	l := &sqlLinter{d: d, fam: fam, created: map[string]bool{}}
	var drops []Warning
	renamedTo := map[string]bool{}
	for i, stmt := range stmts {
		toks := sqltext.Lex(stmt, fam)
		at := func(w Warning) Warning {
			w.Engine, w.Statement, w.Index = d.Name(), strings.TrimSpace(stmt), i+1
			return advice(w, fam)
		}
		switch {
		case words(toks, "create", "table"), words(toks, "create", "temporary", "table"), words(toks, "create", "temp", "table"):
			if name := l.nameAfter(toks, "table"); name != "" {
				l.created[lower(name)] = true
			}
		case words(toks, "create", "index"), words(toks, "create", "unique", "index"):
			if fam == sqltext.Postgres {
				if w, ok := l.createIndex(toks); ok {
					l.out = append(l.out, at(w))
				}
			}
		case words(toks, "drop", "table"):
			for _, name := range l.dropTables(toks) {
				if !l.created[lower(name)] {
					drops = append(drops, at(Warning{Kind: DropTable, Table: name}))
				}
			}
		case words(toks, "alter", "table"):
			table, actions := l.alterTable(toks)
			if table == "" {
				continue
			}
			for _, act := range actions {
				if to, ok := renameTo(act); ok {
					renamedTo[lower(to)] = true
					continue
				}
				if l.created[lower(table)] {
					continue
				}
				if w, ok := l.action(table, act); ok {
					l.out = append(l.out, at(w))
				}
			}
		}
	}
	for _, w := range drops {
		if !renamedTo[lower(w.Table)] {
			l.out = append(l.out, w)
			continue
		}
		if fam == sqltext.SQLite { // a table replaced by a copy: the rebuild
			w.Kind = SQLiteRebuild
			l.out = append(l.out, advice(w, fam))
		}
	}
	return l.out
}

type sqlLinter struct {
	d       dialect.Dialect
	fam     sqltext.Family
	created map[string]bool // tables created by the migration, lower case
	out     []Warning
}

// words reports whether toks start with the bare words ws.
func words(toks []sqltext.Token, ws ...string) bool {
	if len(toks) < len(ws) {
		return false
	}
	for i, w := range ws {
		if !toks[i].Is(w) {
			return false
		}
	}
	return true
}

// skip returns toks after the optional words ws (IF NOT EXISTS, ONLY, …)
// wherever they appear at the front, in order.
func skip(toks []sqltext.Token, ws ...string) []sqltext.Token {
	if words(toks, ws...) {
		return toks[len(ws):]
	}
	return toks
}

// name reads a possibly qualified name at the start of toks: schema.table
// is table. It returns the name and the tokens after it.
func name(toks []sqltext.Token) (string, []sqltext.Token) {
	if len(toks) == 0 || toks[0].Kind != sqltext.Word && toks[0].Kind != sqltext.Quoted {
		return "", toks
	}
	n, rest := toks[0].Val, toks[1:]
	for len(rest) > 1 && rest[0].IsPunct(".") && (rest[1].Kind == sqltext.Word || rest[1].Kind == sqltext.Quoted) {
		n, rest = rest[1].Val, rest[2:]
	}
	return n, rest
}

// nameAfter is the name after the word kw: CREATE TABLE [IF NOT EXISTS] x.
func (l *sqlLinter) nameAfter(toks []sqltext.Token, kw string) string {
	for i, t := range toks {
		if t.Is(kw) {
			n, _ := name(skip(toks[i+1:], "if", "not", "exists"))
			return n
		}
	}
	return ""
}

// createIndex reads CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS]
// [name] ON [ONLY] table.
func (l *sqlLinter) createIndex(toks []sqltext.Token) (Warning, bool) {
	concurrent := false
	for i, t := range toks {
		switch {
		case t.Is("concurrently"):
			concurrent = true
		case t.Is("on"):
			table, _ := name(skip(toks[i+1:], "only"))
			if concurrent || table == "" || l.created[lower(table)] {
				return Warning{}, false
			}
			return Warning{Kind: IndexLock, Table: table}, true
		}
	}
	return Warning{}, false
}

// dropTables reads DROP TABLE [IF EXISTS] a, b [CASCADE].
func (l *sqlLinter) dropTables(toks []sqltext.Token) []string {
	var out []string
	for _, part := range sqltext.SplitTop(skip(toks[2:], "if", "exists")) {
		if n, _ := name(part); n != "" && !strings.EqualFold(n, "cascade") && !strings.EqualFold(n, "restrict") {
			out = append(out, n)
		}
	}
	return out
}

// alterTable reads ALTER TABLE [IF EXISTS] [ONLY] table action, action…
func (l *sqlLinter) alterTable(toks []sqltext.Token) (string, [][]sqltext.Token) {
	rest := skip(skip(toks[2:], "if", "exists"), "only")
	table, rest := name(rest)
	return table, sqltext.SplitTop(rest)
}

// renameTo reads RENAME TO x (not RENAME COLUMN).
func renameTo(act []sqltext.Token) (string, bool) {
	if words(act, "rename", "to") || words(act, "rename", "as") {
		n, _ := name(act[2:])
		return n, n != ""
	}
	return "", false
}

// constraintWords start the ADD and DROP actions that are not columns.
var constraintWords = map[string]bool{
	"constraint": true, "primary": true, "unique": true, "foreign": true, "check": true,
	"index": true, "key": true, "fulltext": true, "spatial": true, "partition": true, "exclude": true,
}

// action reads one ALTER TABLE action.
func (l *sqlLinter) action(table string, act []sqltext.Token) (Warning, bool) {
	if len(act) == 0 {
		return Warning{}, false
	}
	switch {
	case act[0].Is("add"):
		rest := act[1:]
		if len(rest) > 0 && rest[0].Is("constraint") {
			_, rest = name(rest[1:])
			if l.fam == sqltext.Postgres && len(rest) > 0 && (rest[0].Is("unique") || rest[0].Is("primary")) && !has(rest, "using") {
				return Warning{Kind: IndexLock, Table: table}, true
			}
			return Warning{}, false
		}
		if len(rest) > 0 && rest[0].Kind == sqltext.Word && constraintWords[lower(rest[0].Val)] {
			if l.fam == sqltext.Postgres && (rest[0].Is("unique") || rest[0].Is("primary")) && !has(rest, "using") {
				return Warning{Kind: IndexLock, Table: table}, true
			}
			return Warning{}, false
		}
		col, def := name(skip(skip(rest, "column"), "if", "not", "exists"))
		if col == "" || !notNull(def) || has(def, "default") || has(def, "generated") || has(def, "as") {
			return Warning{}, false
		}
		return Warning{Kind: NotNullNoDefault, Table: table, Column: col}, true
	case act[0].Is("drop"):
		rest := act[1:]
		if len(rest) > 0 && rest[0].Kind == sqltext.Word && constraintWords[lower(rest[0].Val)] ||
			len(rest) > 0 && (rest[0].Is("default") || rest[0].Is("not")) {
			return Warning{}, false
		}
		col, _ := name(skip(skip(rest, "column"), "if", "exists"))
		if col == "" {
			return Warning{}, false
		}
		return Warning{Kind: DropColumn, Table: table, Column: col}, true
	case act[0].Is("alter") && l.fam == sqltext.Postgres:
		col, rest := name(skip(act[1:], "column"))
		if words(rest, "type") || words(rest, "set", "data", "type") {
			return Warning{Kind: TypeRewrite, Table: table, Column: col}, true
		}
	case (act[0].Is("modify") || act[0].Is("change")) && l.fam == sqltext.MySQL:
		col, _ := name(skip(act[1:], "column"))
		return Warning{Kind: TypeRewrite, Table: table, Column: col}, col != ""
	}
	return Warning{}, false
}

// has reports whether toks hold the bare word w.
func has(toks []sqltext.Token, w string) bool {
	for _, t := range toks {
		if t.Is(w) {
			return true
		}
	}
	return false
}

// notNull reports whether a column definition says NOT NULL (or PRIMARY
// KEY, which implies it).
func notNull(def []sqltext.Token) bool {
	for i, t := range def {
		if t.Is("not") && i+1 < len(def) && def[i+1].Is("null") || t.Is("primary") {
			return true
		}
	}
	return false
}

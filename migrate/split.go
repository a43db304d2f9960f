package migrate

import (
	"fmt"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// Split returns the statements of a SQL script as d's engine reads them,
// without their terminating semicolons and surrounding whitespace; comments
// between statements are dropped, comments inside a statement are kept.
//
// A semicolon ends a statement except inside a '…' string (a doubled quote
// stays inside it, and so does \' on MySQL and in PostgreSQL's E'…'), a "…"
// or `…` quoted name, a -- or /* */ comment (nested on PostgreSQL; on MySQL
// # starts one too, and -- only before a space), a PostgreSQL $$ or $tag$
// body, or the BEGIN … END block of a CREATE TRIGGER, FUNCTION, PROCEDURE or
// EVENT (SQLite and MySQL triggers, MySQL procedures with nested blocks, IF,
// CASE and loops, PostgreSQL's BEGIN ATOMIC). MySQL's /*! … */ comments hold
// code and are kept as statements. SQLite's [bracketed] names are not
// recognized: quote names with "…" or `…`.
//
// The mysql client's DELIMITER command is not SQL and is refused: end every
// statement with a semicolon, bodies included.
func Split(d dialect.Dialect, src string) ([]string, error) {
	stmts, err := splitStatements(syntaxFor(d), src)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = s.sql
	}
	return out, nil
}

// statement is one statement of a script and the line it starts on.
type statement struct {
	sql  string
	line int
}

func splitStatements(sx syntax, src string) ([]statement, error) {
	spans, err := scan(sx, src)
	if err != nil {
		return nil, err
	}
	var out []statement
	for _, s := range spans {
		if !s.comment {
			out = append(out, statement{sql: src[s.start:s.end], line: s.line})
		}
	}
	return out, nil
}

// splitError is a script that cannot be split, at a line.
type splitError struct {
	line int
	msg  string
}

func (e *splitError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// syntax is what the lexer needs to know about an engine.
type syntax struct {
	mysql  bool // \ escapes in '…' and "…", # comments, "--" only before a space, /*! … */ is code
	dollar bool // PostgreSQL: $tag$ bodies, E'…' escape strings, nested /* */ comments
}

// syntaxFor reads the lexical rules of d from its features.
func syntaxFor(d dialect.Dialect) syntax {
	return syntax{mysql: d.Has(dialect.BackslashEscapes), dollar: d.Has(dialect.DollarQuotes)}
}

// span is a statement or a comment between statements: src[start:end].
type span struct {
	start, end int
	line       int // 1-based line of start
	comment    bool
}

// lexer walks a script once; see scan.
type lexer struct {
	sx   syntax
	src  string
	pos  int
	line int // line of pos

	spans    []span
	start    int // start of the current statement, -1 between statements
	sline    int
	words    int  // words seen in the current statement
	deciding bool // a CREATE whose kind of object is not known yet
	block    bool // a CREATE TRIGGER/FUNCTION/PROCEDURE/EVENT: count BEGIN … END
	depth    int  // open BEGIN/CASE blocks
	bline    int  // line of the outermost open block
	skip     bool // the next word is consumed by END (END IF, END CASE …)
}

// scan splits src into statement and comment spans. Bytes outside every span
// are whitespace and the semicolons that separate statements.
func scan(sx syntax, src string) ([]span, error) {
	lx := &lexer{sx: sx, src: src, line: 1, start: -1}
	if err := lx.run(); err != nil {
		return nil, err
	}
	return lx.spans, nil
}

func (lx *lexer) run() error {
	s := lx.src
	for lx.pos < len(s) {
		c := s[lx.pos]
		switch {
		case c == '\n':
			lx.line++
			lx.pos++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			lx.pos++
		case c == ';':
			if lx.start >= 0 && lx.depth == 0 {
				lx.endStatement(lx.pos)
			}
			lx.pos++
		case c == '-' && lx.lineComment(), c == '#' && lx.sx.mysql:
			start := lx.pos
			lx.comment(start, lx.skipLine(), lx.line)
		case c == '/' && lx.at("/*"):
			start, line := lx.pos, lx.line
			code := lx.sx.mysql && (lx.at("/*!") || lx.at("/*M!"))
			if err := lx.blockComment(); err != nil {
				return err
			}
			if code {
				lx.code(start, line)
			} else {
				lx.comment(start, lx.pos, line)
			}
		case c == '\'' || c == '"' || c == '`':
			start, line := lx.pos, lx.line
			if err := lx.quoted(c, c != '`' && lx.sx.mysql); err != nil {
				return err
			}
			lx.code(start, line)
		case c == '$' && lx.sx.dollar:
			start, line := lx.pos, lx.line
			if err := lx.dollarQuoted(); err != nil {
				return err
			}
			lx.code(start, line)
		case sqltext.IsIdentStart(c):
			start, line := lx.pos, lx.line
			end := start + 1
			for end < len(s) && sqltext.IsIdentCont(s[end]) {
				end++
			}
			lx.pos = end
			lx.code(start, line)
			if end == start+1 && (c == 'E' || c == 'e') && lx.sx.dollar && end < len(s) && s[end] == '\'' {
				if err := lx.quoted('\'', true); err != nil { // PostgreSQL E'…'
					return err
				}
				continue
			}
			if err := lx.word(start, end); err != nil {
				return err
			}
		default:
			lx.code(lx.pos, lx.line)
			lx.pos++
		}
	}
	if lx.depth > 0 {
		return &splitError{lx.bline, "BEGIN … END block not closed by the end of the script"}
	}
	if lx.start >= 0 {
		lx.endStatement(len(s))
	}
	return nil
}

// at reports whether the input continues with p.
func (lx *lexer) at(p string) bool { return strings.HasPrefix(lx.src[lx.pos:], p) }

// lineComment reports whether "--" at pos starts a comment: always, except on
// MySQL, which needs a space or control character after it (5--1 is 5 - -1).
func (lx *lexer) lineComment() bool {
	s, i := lx.src, lx.pos
	if i+1 >= len(s) || s[i+1] != '-' {
		return false
	}
	return !lx.sx.mysql || i+2 == len(s) || s[i+2] <= ' ' || s[i+2] == 0x7f
}

// skipLine moves to the end of the line (before its newline) and returns it.
func (lx *lexer) skipLine() int {
	if i := strings.IndexByte(lx.src[lx.pos:], '\n'); i >= 0 {
		lx.pos += i
	} else {
		lx.pos = len(lx.src)
	}
	return lx.pos
}

// comment records a comment: part of the statement it is in, or a comment
// span between statements.
func (lx *lexer) comment(start, end, line int) {
	if lx.start < 0 {
		lx.spans = append(lx.spans, span{start: start, end: end, line: line, comment: true})
	}
}

// code notes a code token at start: it opens a statement if none is open.
func (lx *lexer) code(start, line int) {
	if lx.start < 0 {
		lx.start, lx.sline = start, line
		lx.words, lx.deciding, lx.block, lx.depth, lx.skip = 0, false, false, 0, false
	}
}

// endStatement closes the current statement at end (exclusive), dropping
// trailing whitespace.
func (lx *lexer) endStatement(end int) {
	for end > lx.start && isSpace(lx.src[end-1]) {
		end--
	}
	lx.spans = append(lx.spans, span{start: lx.start, end: end, line: lx.sline})
	lx.start = -1
}

func (lx *lexer) blockComment() error {
	s, line := lx.src, lx.line
	depth := 0
	for i := lx.pos; i < len(s)-1; i++ {
		switch {
		case s[i] == '\n':
			lx.line++
		case s[i] == '/' && s[i+1] == '*' && (depth == 0 || lx.sx.dollar):
			depth++
			i++
		case s[i] == '*' && s[i+1] == '/':
			depth--
			i++
			if depth == 0 {
				lx.pos = i + 1
				return nil
			}
		}
	}
	return &splitError{line, "/* comment not closed"}
}

// quoted skips a run quoted with q starting at pos; a doubled quote stays
// inside, and so does a backslash-escaped character when esc.
func (lx *lexer) quoted(q byte, esc bool) error {
	s, line := lx.src, lx.line
	for i := lx.pos + 1; i < len(s); i++ {
		switch s[i] {
		case '\n':
			lx.line++
		case '\\':
			if esc && i+1 < len(s) {
				i++
				if s[i] == '\n' {
					lx.line++
				}
			}
		case q:
			if i+1 < len(s) && s[i+1] == q {
				i++
				continue
			}
			lx.pos = i + 1
			return nil
		}
	}
	what := "string"
	if q != '\'' {
		what = "quoted name"
	}
	return &splitError{line, fmt.Sprintf("%s opened with %c not closed", what, q)}
}

// dollarQuoted skips $tag$…$tag$ at pos, or a lone $ (as in $1).
func (lx *lexer) dollarQuoted() error {
	s, i := lx.src, lx.pos
	j := i + 1
	for j < len(s) && (isWordByte(s[j]) || s[j] >= 0x80) && !(j == i+1 && s[j] >= '0' && s[j] <= '9') {
		j++
	}
	if j >= len(s) || s[j] != '$' {
		lx.pos++
		return nil
	}
	tag := s[i : j+1]
	k := strings.Index(s[j+1:], tag)
	if k < 0 {
		return &splitError{lx.line, "dollar-quoted body " + tag + " not closed"}
	}
	end := j + 1 + k + len(tag)
	lx.line += strings.Count(s[i:end], "\n")
	lx.pos = end
	return nil
}

// blockKinds are the objects whose bodies are BEGIN … END blocks holding
// semicolons; objectKinds decide that a CREATE is something else.
var (
	blockKinds  = map[string]bool{"TRIGGER": true, "PROCEDURE": true, "FUNCTION": true, "EVENT": true}
	objectKinds = map[string]bool{
		"TABLE": true, "VIEW": true, "INDEX": true, "UNIQUE": true, "SCHEMA": true, "DATABASE": true,
		"SEQUENCE": true, "TYPE": true, "DOMAIN": true, "EXTENSION": true, "ROLE": true, "USER": true,
		"POLICY": true, "MATERIALIZED": true, "VIRTUAL": true, "SERVER": true, "TABLESPACE": true,
		"COLLATION": true, "CAST": true, "OPERATOR": true, "RULE": true, "STATISTICS": true,
	}
)

// blockEnds follow END without closing a BEGIN or CASE (MySQL's END IF, …).
var blockEnds = map[string]bool{"IF": true, "LOOP": true, "WHILE": true, "REPEAT": true, "FOR": true}

// word handles the word s[start:end] of the current statement: it tells a
// CREATE TRIGGER (FUNCTION, PROCEDURE, EVENT) apart from other statements —
// the first kind word among its first eight decides, past OR REPLACE,
// DEFINER = … and the like — and in one counts BEGIN and CASE against END.
func (lx *lexer) word(start, end int) error {
	w := lx.src[start:end]
	lx.words++
	switch {
	case lx.words == 1:
		if strings.EqualFold(w, "DELIMITER") {
			return &splitError{lx.line, "DELIMITER is a command of the mysql client, not SQL; " +
				"end every statement with ; (BEGIN … END bodies are kept whole)"}
		}
		lx.deciding = strings.EqualFold(w, "CREATE")
		return nil
	case lx.deciding:
		u := strings.ToUpper(w)
		lx.block = blockKinds[u]
		lx.deciding = !lx.block && !objectKinds[u] && lx.words < 8
		return nil
	case !lx.block || lx.src[start-1] == '.':
		return nil
	case lx.skip:
		lx.skip = false
		return nil
	}
	switch {
	case strings.EqualFold(w, "BEGIN"), strings.EqualFold(w, "CASE"):
		if lx.depth == 0 {
			lx.bline = lx.line
		}
		lx.depth++
	case strings.EqualFold(w, "END") && lx.depth > 0:
		next := lx.peekWord()
		if blockEnds[strings.ToUpper(next)] {
			lx.skip = true
			return nil
		}
		lx.skip = strings.EqualFold(next, "CASE")
		lx.depth--
	}
	return nil
}

// peekWord returns the word after pos, skipping whitespace only.
func (lx *lexer) peekWord() string {
	s, i := lx.src, lx.pos
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && sqltext.IsIdentCont(s[j]) {
		j++
	}
	return s[i:j]
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

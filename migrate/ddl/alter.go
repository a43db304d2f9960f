package ddl

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/schema"
	"github.com/kingletdb/kinglet/query"
)

// Pieces of SQL the query package has no node for (ALTER TABLE and its
// clauses), written through a query.Builder so that identifiers are quoted
// and literals escaped by the dialect.

// sqlFunc is an ad hoc query.Expr.
type sqlFunc func(b *query.Builder)

func (f sqlFunc) AppendSQL(b *query.Builder) { f(b) }

// opIdents appends names as a list of quoted identifiers.
func opIdents(b *query.Builder, cols []string) {
	for i, c := range cols {
		if i > 0 {
			b.Lit(", ")
		}
		b.Ident(c)
	}
}

// columnTypeName is the DDL type of c: Type as written, else the dialect's
// type for Of (key marks a column that is part of a key, which MySQL cannot
// index as LONGTEXT).
func columnTypeName(d dialect.Dialect, c schema.Column, key bool) (string, error) {
	if c.Type != "" {
		if !validTypeName(c.Type) {
			return "", fmt.Errorf("%w: column %s: type %q: only letters, digits, spaces, _ . and balanced ( ) with commas and quoted strings inside are allowed", ErrInvalid, c.Name, c.Type)
		}
		return c.Type, nil
	}
	if c.Of.Kind == fields.KindInvalid {
		return "", fmt.Errorf("%w: column %s has neither Type nor Of", ErrInvalid, c.Name)
	}
	of := c.Of
	of.Key = of.Key || key
	of.AutoInc = of.AutoInc || c.AutoIncrement
	name, err := d.TypeName(of)
	if err != nil {
		return "", fmt.Errorf("kinglet: ddl: column %s: %w", c.Name, err)
	}
	return name, nil
}

// validTypeName accepts what a column type is written with, such as
// VARCHAR(100), NUMERIC(10, 2), bigint unsigned, enum('a','b'),
// timestamp(6) with time zone, and nothing that could end the statement.
func validTypeName(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case sqlWordByte(c) && c < 0x80, c == ' ', c == '.':
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth < 0 {
				return false
			}
		case c == ',' && depth > 0:
		case c == '\'' && depth > 0:
			j := tokSkipQuote(s, i, '\'')
			if j > len(s) || s[j-1] != '\'' || j-1 == i {
				return false
			}
			i = j - 1
		default:
			return false
		}
	}
	return depth == 0 && strings.TrimSpace(s) != ""
}

// unboundedType reports whether a type is MySQL's TEXT, BLOB or JSON, whose
// literal defaults MySQL 8 takes only as a parenthesized expression.
func unboundedType(typ string) bool {
	u := strings.ToUpper(typ)
	return strings.Contains(u, "TEXT") || strings.Contains(u, "BLOB") || strings.Contains(u, "JSON")
}

var (
	reInteger = regexp.MustCompile(`^[-+]?[0-9]+$`)
	reNumber  = regexp.MustCompile(`^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$`)
	// reNiladic matches a function call without arguments or with a
	// precision, such as CURRENT_TIMESTAMP(6) or now(): written bare.
	reNiladic = regexp.MustCompile(`^[A-Za-z_][A-Za-z_0-9]*\([0-9]*\)$`)
)

// defaultValue reads the DEFAULT of c: nil for NULL, a Go string for a
// plain quoted literal (so that the dialect writes and escapes it), an
// int64 for an integer, query.Now() for "now" (see isNow), and otherwise
// the text itself as a query.SQL fragment.
func defaultValue(d dialect.Dialect, c schema.Column) any {
	text := strings.TrimSpace(c.Default)
	switch {
	case strings.EqualFold(text, "NULL"):
		return nil
	case len(text) >= 2 && text[0] == '\'' && tokSkipQuote(text, 0, '\'') == len(text) && text[len(text)-1] == '\'' &&
		!strings.Contains(text, `\`):
		return strings.ReplaceAll(text[1:len(text)-1], "''", "'")
	case reInteger.MatchString(text):
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return n
		}
	case isNow(d, c):
		return query.Now()
	}
	return query.SQL(text)
}

// isNow reports whether the default of c is the dialect's own "now"
// (MySQL's CURRENT_TIMESTAMP(6)), or CURRENT_TIMESTAMP on a column whose
// type the dialect picks from Of, so that it gets the precision of that
// type (MySQL's DATETIME(6) takes only CURRENT_TIMESTAMP(6)).
func isNow(d dialect.Dialect, c schema.Column) bool {
	text := strings.TrimSpace(c.Default)
	if c.Type == "" && c.Of.Kind == fields.KindTime && strings.EqualFold(text, "CURRENT_TIMESTAMP") {
		return true
	}
	ct, ok := d.(dialect.CurrentTimestamper)
	return ok && strings.EqualFold(text, ct.CurrentTimestamp())
}

// constantDefault reports whether SQLite's ALTER TABLE ADD COLUMN accepts
// the default text: a literal, not CURRENT_* and not an expression.
func constantDefault(text string) bool {
	text = strings.TrimSpace(text)
	u := strings.ToUpper(text)
	switch {
	case u == "NULL" || u == "TRUE" || u == "FALSE":
		return true
	case strings.HasPrefix(u, "CURRENT_"):
		return false
	case reNumber.MatchString(text):
		return true
	case len(text) >= 2 && text[0] == '\'' && tokSkipQuote(text, 0, '\'') == len(text):
		return true
	case len(text) >= 3 && (text[0] == 'x' || text[0] == 'X') && text[1] == '\'' && tokSkipQuote(text, 1, '\'') == len(text):
		return true // a blob literal
	}
	return false
}

// appendDefault writes the default of c, a column of type typ: a literal
// as the dialect spells it, and an expression bare when it is one word, a
// number or a call such as CURRENT_TIMESTAMP(6), in parentheses otherwise.
func appendDefault(b *query.Builder, c schema.Column, typ string) {
	d := b.Dialect()
	v := defaultValue(d, c)
	switch v := v.(type) {
	case nil:
		b.Lit("NULL")
		return
	case string, int64:
		if d.Has(dialect.TextDefaultParens) && unboundedType(typ) {
			b.Lit("(")
			b.Arg(v)
			b.Lit(")")
			return
		}
		b.Arg(v)
		return
	}
	t := strings.TrimSpace(c.Default)
	e := v.(query.Ex)
	if isNow(d, c) || reNumber.MatchString(t) || reNiladic.MatchString(t) || bareWord(t) {
		b.Expr(e)
		return
	}
	b.Lit("(")
	b.Expr(e)
	b.Lit(")")
}

// bareWord reports whether s is one word (TRUE, CURRENT_TIMESTAMP).
func bareWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !sqlWordByte(s[i]) || s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// columnSpec says how appendColumnDef writes a column.
type columnSpec struct {
	key    bool // the column is in a key (MySQL maps an unsized string to VARCHAR(255))
	modify bool // MODIFY/CHANGE COLUMN: write NULL explicitly and AUTO_INCREMENT
}

// appendColumnDef writes "name type [NOT NULL|NULL] [DEFAULT x]
// [AUTO_INCREMENT]" for ADD COLUMN and MySQL's MODIFY COLUMN.
func appendColumnDef(b *query.Builder, table string, c schema.Column, spec columnSpec) {
	d := b.Dialect()
	typ, err := columnTypeName(d, c, spec.key)
	if err != nil {
		b.Fail(fmt.Errorf("%w (table %s)", err, table))
		return
	}
	b.Ident(c.Name)
	b.Lit(" " + typ)
	if c.Nullable {
		if spec.modify {
			b.Lit(" NULL")
		}
	} else {
		b.Lit(" NOT NULL")
	}
	if c.HasDefault && !c.AutoIncrement {
		b.Lit(" DEFAULT ")
		appendDefault(b, c, typ)
	}
	if c.AutoIncrement && spec.modify {
		clause, _ := d.AutoIncrement()
		b.Lit(" " + clause)
	}
}

// fkActions are the referential actions, by their spellings.
var fkActions = map[string]string{
	"CASCADE": "CASCADE", "RESTRICT": "RESTRICT", "SET NULL": "SET NULL", "SET_NULL": "SET NULL",
	"SET DEFAULT": "SET DEFAULT", "SET_DEFAULT": "SET DEFAULT", "NO ACTION": "NO ACTION", "NO_ACTION": "NO ACTION",
}

// appendForeignKey writes "[CONSTRAINT n] FOREIGN KEY (…) REFERENCES t (…)
// [ON DELETE …] [ON UPDATE …]".
func appendForeignKey(b *query.Builder, fk schema.ForeignKey) {
	if len(fk.Columns) == 0 || len(fk.Columns) != len(fk.RefColumns) {
		b.Fail(fmt.Errorf("%w: foreign key (%s) references %s (%s): the column lists must be non-empty and of the same length",
			ErrInvalid, strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", ")))
		return
	}
	if fk.Name != "" {
		b.Lit("CONSTRAINT ")
		b.Ident(fk.Name)
		b.Lit(" ")
	}
	b.Lit("FOREIGN KEY (")
	opIdents(b, fk.Columns)
	b.Lit(") REFERENCES ")
	b.Ident(fk.RefTable)
	b.Lit(" (")
	opIdents(b, fk.RefColumns)
	b.Lit(")")
	for _, a := range [2]struct{ clause, action string }{{" ON DELETE ", fk.OnDelete}, {" ON UPDATE ", fk.OnUpdate}} {
		if a.action == "" {
			continue
		}
		act, ok := fkActions[strings.ToUpper(strings.TrimSpace(a.action))]
		if !ok {
			b.Fail(fmt.Errorf("%w: foreign key action %q (want CASCADE, RESTRICT, SET NULL, SET DEFAULT or NO ACTION)", ErrInvalid, a.action))
			return
		}
		if act == "SET DEFAULT" && !b.Require(dialect.FKSetDefault) {
			return
		}
		b.Lit(a.clause + act)
	}
}

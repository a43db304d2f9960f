package gen

import (
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/tagscan"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// genIndexes adds unique, unique_index and index options to the columns'
// tag options and returns notes on the indexes a tag cannot describe.
func genIndexes(t *schema.Table, col func(string) int, opts [][]string) []string {
	var notes []string
	for _, ix := range t.Indexes {
		cols := make([]int, len(ix.Columns))
		for i, c := range ix.Columns {
			cols[i] = col(c)
		}
		switch {
		case len(cols) == 0 || slices.Contains(cols, -1):
			notes = append(notes, "index "+ix.Name+" is on expressions or unknown columns: create it in a migration")
			continue
		case ix.Unique && slices.Equal(ix.Columns, t.PrimaryKey):
			continue // the primary key's own index
		case ix.Where != "":
			notes = append(notes, "partial index "+ix.Name+" ("+strings.Join(ix.Columns, ", ")+") WHERE "+ix.Where+
				": a tag cannot describe it; create it in a migration")
			continue
		case !slices.IsSorted(cols) || len(slices.Compact(slices.Clone(cols))) != len(cols):
			// Fields sharing index:NAME form the index in field order.
			notes = append(notes, "index "+ix.Name+" ("+strings.Join(ix.Columns, ", ")+
				"): its columns are not in field order, which a tag needs; create it in a migration")
			continue
		}
		if len(cols) == 1 {
			c := ix.Columns[0]
			switch {
			case ix.Unique && ix.Name == fields.DerivedName("uq", t.Name, c):
				opts[cols[0]] = append(opts[cols[0]], "unique")
			case ix.Unique:
				opts[cols[0]] = append(opts[cols[0]], "unique_index:"+ix.Name)
			case ix.Name == fields.DerivedName("idx", t.Name, c):
				opts[cols[0]] = append(opts[cols[0]], "index")
			default:
				opts[cols[0]] = append(opts[cols[0]], "index:"+ix.Name)
			}
			continue
		}
		key := "index:"
		if ix.Unique {
			key = "unique_index:"
		}
		for _, i := range cols {
			opts[i] = append(opts[i], key+ix.Name)
		}
	}
	return notes
}

// genForeignKeys adds fk, fk_name, on_delete and on_update options and
// returns notes on the keys a tag cannot describe. A key over several
// columns is an fk_name on each; its columns must be in field order, and
// a column holds one key.
func genForeignKeys(t *schema.Table, col func(string) int, opts [][]string) []string {
	var notes []string
	hasFK := make([]bool, len(t.Columns))
	for _, fk := range t.ForeignKeys {
		desc := "foreign key " + fk.Name + " (" + strings.Join(fk.Columns, ", ") + ") REFERENCES " +
			fk.RefTable + " (" + strings.Join(fk.RefColumns, ", ") + ")"
		cols := make([]int, len(fk.Columns))
		for i, c := range fk.Columns {
			cols[i] = col(c)
		}
		switch {
		case len(cols) == 0 || len(fk.RefColumns) != len(cols) || slices.Contains(cols, -1):
			notes = append(notes, desc+": its columns are unknown; add it in a migration")
			continue
		case strings.Contains(fk.RefTable, "."):
			notes = append(notes, desc+": it refers to another schema, which fk: cannot name; add it in a migration")
			continue
		case !slices.IsSorted(cols) || len(slices.Compact(slices.Clone(cols))) != len(cols):
			notes = append(notes, desc+": its columns are not in field order, which a tag needs; add it in a migration")
			continue
		case slices.ContainsFunc(cols, func(i int) bool { return hasFK[i] }):
			notes = append(notes, desc+": a column of it is in another foreign key already; add it in a migration")
			continue
		}
		named := fk.Name != fields.DerivedName("fk", t.Name, fk.Columns[0])
		for j, i := range cols {
			hasFK[i] = true
			opts[i] = append(opts[i], "fk:"+fk.RefTable+"."+fk.RefColumns[j])
			if named || len(cols) > 1 {
				opts[i] = append(opts[i], "fk_name:"+fk.Name)
			}
			if a := strings.ToLower(fk.OnDelete); a != "" && a != "no action" {
				opts[i] = append(opts[i], "on_delete:"+a)
			}
			if a := strings.ToLower(fk.OnUpdate); a != "" && a != "no action" {
				opts[i] = append(opts[i], "on_update:"+a)
			}
		}
	}
	return notes
}

// genChecks puts each CHECK on the first column its expression names that
// has none yet (a tag holds one check), with check_name unless the name is
// the one the tags derive (ck_<table>_<n> for the n-th check in field
// order), and returns notes on the checks that found no column.
func genChecks(t *schema.Table, opts [][]string) []string {
	var notes []string
	placed := make([]*schema.Check, len(t.Columns))
	for k := range t.Checks {
		ck := &t.Checks[k]
		found := false
		for i, c := range t.Columns {
			if placed[i] != nil || !genMentions(ck.Expr, c.Name) {
				continue
			}
			if !tagscan.Balanced(ck.Expr) {
				break
			}
			placed[i], found = ck, true
			break
		}
		if !found {
			notes = append(notes, "CHECK "+ck.Expr+" ("+ck.Name+"): add it in a migration")
		}
	}
	n := 0
	for i, ck := range placed {
		if ck == nil {
			continue
		}
		n++
		opts[i] = append(opts[i], "check:"+genBareIdents(ck.Expr, t))
		if ck.Name != fields.ShortName("ck_"+t.Name+"_"+strconv.Itoa(n)) {
			opts[i] = append(opts[i], "check_name:"+ck.Name)
		}
	}
	return notes
}

// genBareIdents unquotes the column names in expression expr that need no
// quotes (MariaDB reports `+"`price` >= 0"+` for price >= 0), so that the tag
// reads as it was written and needs no backquotes.
func genBareIdents(expr string, t *schema.Table) string {
	toks := sqltext.Lex(expr, sqltext.MySQL)
	var b strings.Builder
	last := 0
	for _, tok := range toks {
		if tok.Kind != sqltext.Quoted || expr[tok.Start] != '`' || t.Column(tok.Val) == nil || !genPlainIdent(tok.Val) {
			continue
		}
		b.WriteString(expr[last:tok.Start])
		b.WriteString(tok.Val)
		last = tok.End
	}
	b.WriteString(expr[last:])
	return b.String()
}

// genPlainIdent reports whether name can be written without quotes on
// every engine: lower case letters, digits and _, not a reserved word.
func genPlainIdent(name string) bool {
	for i, r := range name {
		if !(r >= 'a' && r <= 'z' || r == '_' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return name != "" && !genReserved[name]
}

// genReserved are SQL words a column name written bare would be taken for.
var genReserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`all alter and any array as asc between both by case cast check collate column
		constraint create cross current_date current_time current_timestamp current_user default delete desc distinct
		do drop else end except exists false fetch for foreign from full grant group having in index inner insert
		intersect interval into is join key leading left like limit localtime localtimestamp natural not null offset
		on only or order outer over partition primary range rank references returning right row rows select
		session_user set some table then to trailing true union unique update user using values when where window with`) {
		genReserved[w] = true
	}
}

// genMentions reports whether SQL expression expr names column name, as a
// word or quoted.
func genMentions(expr, name string) bool {
	re, err := regexp.Compile(`(?i)(^|[^A-Za-z0-9_$])["` + "`" + `]?` + regexp.QuoteMeta(name) + `["` + "`" + `]?($|[^A-Za-z0-9_$])`)
	return err == nil && re.MatchString(expr)
}

// genTagDefault turns a DEFAULT expression into the value of a default: tag
// for a column of kind k: a literal of the kind, or now for the current
// timestamp. ok is false for other expressions.
func genTagDefault(d dialect.Dialect, k fields.Kind, sql string) (string, bool) {
	s := strings.TrimSpace(sql)
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && tagscan.Balanced(s[1:len(s)-1]) {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if i := strings.LastIndex(s, "::"); i > 0 && tagscan.Balanced(s[:i]) && !strings.ContainsAny(s[i:], "'\"") {
		s = strings.TrimSpace(s[:i]) // 'x'::character varying
	}
	if strings.EqualFold(s, "null") || s == "" {
		return "", false
	}
	text, quoted := genUnquoteSQL(d, s)
	if !quoted {
		text = s
		switch u := strings.ToUpper(strings.TrimSuffix(strings.TrimSuffix(s, "()"), "(6)")); u {
		case "CURRENT_TIMESTAMP", "NOW", "LOCALTIMESTAMP", "CURRENT_DATE":
			if k == fields.KindTime || k == fields.KindDate {
				return "now", true
			}
			return "", false
		}
	}
	switch k {
	case fields.KindBool:
		switch strings.ToLower(text) {
		case "true", "1", "t":
			return "true", true
		case "false", "0", "f":
			return "false", true
		}
		return "", false
	case fields.KindInt8, fields.KindInt16, fields.KindInt32, fields.KindInt64:
		if _, err := strconv.ParseInt(text, 10, 64); err != nil {
			return "", false
		}
		return text, true
	case fields.KindUint8, fields.KindUint16, fields.KindUint32, fields.KindUint64:
		if _, err := strconv.ParseUint(text, 10, 64); err != nil {
			return "", false
		}
		return text, true
	case fields.KindFloat32, fields.KindFloat64:
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			return "", false
		}
		return text, true
	case fields.KindDecimal:
		if _, ok := new(big.Rat).SetString(text); !ok || strings.ContainsAny(text, "/xX") {
			return "", false
		}
		return text, true
	case fields.KindTime, fields.KindDate:
		for _, layout := range []string{time.RFC3339Nano, time.DateTime, time.DateOnly} {
			if _, err := time.Parse(layout, text); err == nil && (k == fields.KindTime || layout == time.DateOnly) {
				return "'" + text + "'", true
			}
		}
		return "", false
	case fields.KindString, fields.KindJSON, fields.KindUUID:
		if !quoted {
			return "", false // an expression
		}
		// Always quoted, so that a string 'now' is not the timestamp.
		return "'" + strings.ReplaceAll(text, "'", "''") + "'", true
	}
	return "", false
}

// genUnquoteSQL reads s as one SQL string literal, with doubled quotes
// inside (and on engines with backslash escapes, backslash escapes).
func genUnquoteSQL(d dialect.Dialect, s string) (string, bool) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	backslash := d.Has(dialect.BackslashEscapes)
	var b strings.Builder
	body := s[1 : len(s)-1]
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\'':
			if i+1 < len(body) && body[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return "", false // two literals, or an expression
		case c == '\\' && backslash && i+1 < len(body):
			i++
			switch e := body[i]; e {
			case '0':
				b.WriteByte(0)
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'Z':
				b.WriteByte(26)
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

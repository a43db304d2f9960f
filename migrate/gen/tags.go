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

// genForeignKeys adds fk, on_delete and on_update options for one-column
// foreign keys and returns notes on the others.
func genForeignKeys(t *schema.Table, col func(string) int, opts [][]string) []string {
	var notes []string
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) != 1 || len(fk.RefColumns) != 1 || col(fk.Columns[0]) < 0 {
			notes = append(notes, "foreign key "+fk.Name+" ("+strings.Join(fk.Columns, ", ")+") REFERENCES "+
				fk.RefTable+" ("+strings.Join(fk.RefColumns, ", ")+"): a tag describes one-column keys only; add it in a migration")
			continue
		}
		i := col(fk.Columns[0])
		if slices.ContainsFunc(opts[i], func(o string) bool { return strings.HasPrefix(o, "fk:") }) {
			notes = append(notes, "foreign key "+fk.Name+": column "+fk.Columns[0]+" already has one; add it in a migration")
			continue
		}
		opts[i] = append(opts[i], "fk:"+fk.RefTable+"."+fk.RefColumns[0])
		if a := strings.ToLower(fk.OnDelete); a != "" && a != "no action" {
			opts[i] = append(opts[i], "on_delete:"+a)
		}
		if a := strings.ToLower(fk.OnUpdate); a != "" && a != "no action" {
			opts[i] = append(opts[i], "on_update:"+a)
		}
	}
	return notes
}

// genChecks puts each CHECK on the first column its expression names (a
// tag holds one check per column) and returns notes on the others.
func genChecks(t *schema.Table, opts [][]string) []string {
	var notes []string
	for _, ck := range t.Checks {
		placed := false
		for i, c := range t.Columns {
			if !genMentions(ck.Expr, c.Name) {
				continue
			}
			if slices.ContainsFunc(opts[i], func(o string) bool { return strings.HasPrefix(o, "check:") }) {
				continue
			}
			if !tagscan.Balanced(ck.Expr) {
				break
			}
			opts[i] = append(opts[i], "check:"+ck.Expr)
			placed = true
			break
		}
		if !placed {
			notes = append(notes, "CHECK "+ck.Expr+" ("+ck.Name+"): add it in a migration")
		}
	}
	return notes
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

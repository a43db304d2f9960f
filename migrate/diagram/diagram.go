package diagram

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/migrate/schema"
)

// column describes a column for a diagram: its type and its keys.
type column struct {
	name, typ string
	pk, fk    bool
	unique    bool // unique on its own
	nullable  bool
}

func columns(t *schema.Table) []column {
	out := make([]column, len(t.Columns))
	for i, c := range t.Columns {
		typ := c.Type
		switch {
		case typ == "" && c.Of.Kind != 0:
			typ = c.Of.Kind.String()
		case typ == "":
			typ = "-" // SQLite allows a column without a type
		}
		col := column{name: c.Name, typ: typ, nullable: c.Nullable, pk: slices.Contains(t.PrimaryKey, c.Name)}
		for _, fk := range t.ForeignKeys {
			col.fk = col.fk || slices.Contains(fk.Columns, c.Name)
		}
		for _, ix := range t.Indexes {
			col.unique = col.unique || ix.Unique && ix.Where == "" && slices.Equal(ix.Columns, []string{c.Name})
		}
		out[i] = col
	}
	return out
}

// edge is a foreign key between two tables of the schema.
type edge struct {
	from, to *schema.Table
	fk       schema.ForeignKey
	optional bool // a key column is nullable: the referenced row may be absent
	one      bool // the key is unique: at most one row refers to each
}

func edges(s *schema.Schema) []edge {
	var out []edge
	for _, t := range s.Tables {
		for _, fk := range t.ForeignKeys {
			to := s.Table(fk.RefTable)
			if to == nil {
				continue // another schema, or left out
			}
			e := edge{from: t, to: to, fk: fk, one: slices.Equal(t.PrimaryKey, fk.Columns)}
			for _, c := range fk.Columns {
				if col := t.Column(c); col != nil && col.Nullable {
					e.optional = true
				}
			}
			for _, ix := range t.Indexes {
				e.one = e.one || ix.Unique && ix.Where == "" && slices.Equal(ix.Columns, fk.Columns)
			}
			out = append(out, e)
		}
	}
	return out
}

// Mermaid writes s as a Mermaid erDiagram: an entity per table (a view is
// marked so) with its columns' types, PK, FK and UK, nullable ones noted;
// a relationship per foreign key to a table of s, one-or-zero to many (or
// to one for a unique key), labelled with the key's columns.
func Mermaid(w io.Writer, s *schema.Schema) error {
	b := bufio.NewWriter(w)
	b.WriteString("erDiagram\n")
	for _, t := range s.Tables {
		fmt.Fprintf(b, "    %s {\n", mermaidName(t.Name))
		for _, c := range columns(t) {
			var keys []string
			if c.pk {
				keys = append(keys, "PK")
			}
			if c.fk {
				keys = append(keys, "FK")
			}
			if c.unique && !c.pk {
				keys = append(keys, "UK")
			}
			line := "        " + mermaidType(c.typ) + " " + mermaidName(c.name)
			if len(keys) > 0 {
				line += " " + strings.Join(keys, ", ")
			}
			var notes []string
			if c.nullable {
				notes = append(notes, "null")
			}
			if t.View {
				notes = append(notes, "view")
			}
			if len(notes) > 0 {
				line += ` "` + strings.Join(notes, ", ") + `"`
			}
			b.WriteString(line + "\n")
		}
		b.WriteString("    }\n")
	}
	for _, e := range edges(s) {
		parent, child := "||", "o{"
		if e.optional {
			parent = "|o"
		}
		if e.one {
			child = "o|"
		}
		fmt.Fprintf(b, "    %s %s--%s %s : %s\n", mermaidName(e.to.Name), parent, child, mermaidName(e.from.Name),
			strconv.Quote(strings.Join(e.fk.Columns, ", ")))
	}
	return b.Flush()
}

// mermaidName writes a table or column name as Mermaid reads one: as it
// is when it is a plain word, else in quotes.
func mermaidName(n string) string {
	for _, r := range n {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return strconv.Quote(n)
		}
	}
	return n
}

// mermaidType writes a type as one word: double precision is
// double_precision, numeric(10, 2) is numeric(10,2).
func mermaidType(t string) string {
	t = strings.ReplaceAll(t, ", ", ",")
	return strings.Join(strings.FieldsFunc(t, func(r rune) bool { return r == ' ' || r == '"' }), "_")
}

// DOT writes s as a Graphviz digraph: each table a box listing its
// columns (name, type, and PK, FK, UQ or NULL), each foreign key to a
// table of s an arrow from the key's first column to the column it refers
// to, labelled with the key's name. Render it with dot -Tsvg.
func DOT(w io.Writer, s *schema.Schema) error {
	b := bufio.NewWriter(w)
	b.WriteString(`digraph schema {
	graph [rankdir=LR, nodesep=0.6, ranksep=1.0, fontname="Helvetica"];
	node [shape=plain, fontname="Helvetica", fontsize=11];
	edge [fontname="Helvetica", fontsize=9, color="#555555", arrowhead=tee, arrowtail=crow, dir=both];
`)
	for _, t := range s.Tables {
		head, border := "#dbe8f5", "solid"
		if t.View {
			head, border = "#eeeeee", "dashed"
		}
		fmt.Fprintf(b, "\t%s [label=<<table border=\"1\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"4\" style=\"%s\">\n", dotID(t.Name), border)
		title := "<b>" + html.EscapeString(t.Name) + "</b>"
		if t.View {
			title += " <i>(view)</i>"
		}
		fmt.Fprintf(b, "\t\t<tr><td bgcolor=\"%s\" colspan=\"3\">%s</td></tr>\n", head, title)
		for i, c := range columns(t) {
			var keys []string
			if c.pk {
				keys = append(keys, "PK")
			}
			if c.fk {
				keys = append(keys, "FK")
			}
			if c.unique && !c.pk {
				keys = append(keys, "UQ")
			}
			if c.nullable {
				keys = append(keys, "NULL")
			}
			name := html.EscapeString(c.name)
			if c.pk {
				name = "<u>" + name + "</u>"
			}
			// An edge leaves from the east of a row's last cell (eN) and
			// arrives at the west of its first (wN), past no text.
			fmt.Fprintf(b, "\t\t<tr><td port=\"w%d\" align=\"left\">%s</td><td align=\"left\">%s</td><td port=\"e%d\" align=\"left\">%s</td></tr>\n",
				i, name, dotFont("#555555", c.typ), i, dotFont("#999999", strings.Join(keys, " ")))
		}
		b.WriteString("\t</table>>];\n")
	}
	for _, e := range edges(s) {
		from := slices.IndexFunc(e.from.Columns, func(c schema.Column) bool { return c.Name == e.fk.Columns[0] })
		to := 0
		if len(e.fk.RefColumns) > 0 {
			to = max(0, slices.IndexFunc(e.to.Columns, func(c schema.Column) bool { return c.Name == e.fk.RefColumns[0] }))
		}
		style := ""
		if e.optional {
			style = ", style=dashed"
		}
		fmt.Fprintf(b, "\t%s:e%d:e -> %s:w%d:w [label=%s%s];\n", dotID(e.from.Name), from, dotID(e.to.Name), to, dotID(e.fk.Name), style)
	}
	b.WriteString("}\n")
	return b.Flush()
}

// dotFont writes text in a color; Graphviz refuses an empty <font>.
func dotFont(color, text string) string {
	if text == "" {
		return " "
	}
	return `<font color="` + color + `">` + html.EscapeString(text) + "</font>"
}

// dotID quotes a name as a DOT ID.
func dotID(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

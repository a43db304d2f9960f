package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// printResult prints one migration applied or rolled back:
// "up    0002_add_email (sql, 3ms)".
func printResult(w io.Writer, res migrate.Result) {
	took := res.Duration.Round(time.Millisecond).String()
	if took == "0s" {
		took = "<1ms"
	}
	fmt.Fprintf(w, "%-5s %s (%s, %s)\n", res.Direction, label(res.Version, res.Name), res.Kind, took)
}

// printStatus prints the status as a table.
func printStatus(w io.Writer, st []migrate.MigrationStatus) {
	if len(st) == 0 {
		fmt.Fprintln(w, "no migrations")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tKIND\tSTATE\tAPPLIED AT")
	counts := map[migrate.State]int{}
	for _, s := range st {
		counts[s.State]++
		state := s.State.String()
		if s.Changed {
			state += " (file changed since)"
		}
		kind, at := "-", "-"
		if s.Kind != 0 {
			kind = s.Kind.String()
		}
		if !s.AppliedAt.IsZero() {
			at = s.AppliedAt.UTC().Format("2006-01-02 15:04:05 UTC")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", s.Version, s.Name, kind, state, at)
	}
	tw.Flush()
	var parts []string
	for _, s := range []migrate.State{migrate.Applied, migrate.Pending, migrate.OutOfOrder, migrate.Missing} {
		if n := counts[s]; n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+s.String())
		}
	}
	fmt.Fprintln(w, strings.Join(parts, ", "))
}

// printSchema prints s as readable text, one block per table.
func printSchema(w io.Writer, s *schema.Schema, d dialect.Dialect) {
	if len(s.Tables) == 0 {
		fmt.Fprintf(w, "no tables (%s)\n", d)
		return
	}
	for i, t := range s.Tables {
		if i > 0 {
			fmt.Fprintln(w)
		}
		kind := "table"
		if t.View {
			kind = "view"
		}
		fmt.Fprintf(w, "%s %s\n", kind, t.Name)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, c := range t.Columns {
			var attrs []string
			if c.Nullable {
				attrs = append(attrs, "null")
			} else {
				attrs = append(attrs, "not null")
			}
			if c.HasDefault {
				attrs = append(attrs, "default "+c.Default)
			}
			if len(t.PrimaryKey) == 1 && t.PrimaryKey[0] == c.Name {
				attrs = append(attrs, "pk")
			}
			if c.AutoIncrement {
				attrs = append(attrs, "auto")
			}
			typ := c.Type
			switch {
			case typ == "" && c.Of.Kind != 0:
				typ = c.Of.Kind.String()
			case typ == "":
				typ = "(no type)"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, typ, strings.Join(attrs, " "))
		}
		tw.Flush()
		if len(t.PrimaryKey) > 1 {
			fmt.Fprintf(w, "  primary key (%s)\n", strings.Join(t.PrimaryKey, ", "))
		}
		for _, ix := range t.Indexes {
			kind := "index"
			switch {
			case ix.Constraint:
				kind = "unique constraint"
			case ix.Unique:
				kind = "unique index"
			}
			line := fmt.Sprintf("  %s %s (%s)", kind, ix.Name, strings.Join(ix.Columns, ", "))
			if ix.Where != "" {
				line += " where " + ix.Where
			}
			fmt.Fprintln(w, line)
		}
		for _, fk := range t.ForeignKeys {
			line := fmt.Sprintf("  foreign key %s (%s) references %s (%s)", fk.Name,
				strings.Join(fk.Columns, ", "), fk.RefTable, strings.Join(fk.RefColumns, ", "))
			if fk.OnDelete != "" {
				line += " on delete " + strings.ToLower(fk.OnDelete)
			}
			if fk.OnUpdate != "" {
				line += " on update " + strings.ToLower(fk.OnUpdate)
			}
			fmt.Fprintln(w, line)
		}
		for _, ck := range t.Checks {
			fmt.Fprintf(w, "  check %s (%s)\n", ck.Name, ck.Expr)
		}
	}
}

// The JSON form of a Schema, with lower-case keys and without empty fields.
type (
	jsonSchema struct {
		Tables []jsonTable `json:"tables"`
	}
	jsonTable struct {
		Name        string           `json:"name"`
		View        bool             `json:"view,omitempty"`
		Columns     []jsonColumn     `json:"columns"`
		PrimaryKey  []string         `json:"primary_key,omitempty"`
		Indexes     []jsonIndex      `json:"indexes,omitempty"`
		ForeignKeys []jsonForeignKey `json:"foreign_keys,omitempty"`
		Checks      []jsonCheck      `json:"checks,omitempty"`
	}
	jsonColumn struct {
		Name          string  `json:"name"`
		Type          string  `json:"type"`
		Nullable      bool    `json:"nullable"`
		Default       *string `json:"default,omitempty"`
		AutoIncrement bool    `json:"auto_increment,omitempty"`
	}
	jsonIndex struct {
		Name       string   `json:"name"`
		Columns    []string `json:"columns"`
		Unique     bool     `json:"unique,omitempty"`
		Constraint bool     `json:"constraint,omitempty"`
		Where      string   `json:"where,omitempty"`
	}
	jsonForeignKey struct {
		Name       string   `json:"name"`
		Columns    []string `json:"columns"`
		RefTable   string   `json:"ref_table"`
		RefColumns []string `json:"ref_columns"`
		OnDelete   string   `json:"on_delete,omitempty"`
		OnUpdate   string   `json:"on_update,omitempty"`
	}
	jsonCheck struct {
		Name string `json:"name"`
		Expr string `json:"expr"`
	}
)

// printSchemaJSON prints s as indented JSON.
func printSchemaJSON(w io.Writer, s *schema.Schema) error {
	out := jsonSchema{Tables: []jsonTable{}}
	for _, t := range s.Tables {
		jt := jsonTable{Name: t.Name, View: t.View, Columns: []jsonColumn{}, PrimaryKey: t.PrimaryKey}
		for _, c := range t.Columns {
			jc := jsonColumn{Name: c.Name, Type: c.Type, Nullable: c.Nullable, AutoIncrement: c.AutoIncrement}
			if c.HasDefault {
				jc.Default = &c.Default
			}
			jt.Columns = append(jt.Columns, jc)
		}
		for _, ix := range t.Indexes {
			jt.Indexes = append(jt.Indexes, jsonIndex{Name: ix.Name, Columns: ix.Columns, Unique: ix.Unique, Constraint: ix.Constraint, Where: ix.Where})
		}
		for _, fk := range t.ForeignKeys {
			jt.ForeignKeys = append(jt.ForeignKeys, jsonForeignKey{Name: fk.Name, Columns: fk.Columns, RefTable: fk.RefTable,
				RefColumns: fk.RefColumns, OnDelete: fk.OnDelete, OnUpdate: fk.OnUpdate})
		}
		for _, ck := range t.Checks {
			jt.Checks = append(jt.Checks, jsonCheck{Name: ck.Name, Expr: ck.Expr})
		}
		out.Tables = append(out.Tables, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("kinglet: inspect: %w", err)
	}
	return nil
}

// label names a migration as its files do: 0002_add_email.
func label(v int64, name string) string {
	s := strconv.FormatInt(v, 10)
	for len(s) < 4 {
		s = "0" + s
	}
	return s + "_" + name
}

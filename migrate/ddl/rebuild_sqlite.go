package ddl

import (
	"strings"

	"github.com/kingletdb/kinglet/migrate/schema"
	"github.com/kingletdb/kinglet/query"
)

// SQLite's ALTER TABLE can add, rename and drop columns and rename tables;
// every other change rebuilds the table the way
// https://www.sqlite.org/lang_altertable.html ("Making Other Kinds Of Table
// Schema Changes") describes: create the new definition under a temporary
// name, copy the rows, drop the old table, rename the new one, recreate
// the indexes and triggers.

// rebuildPrefix names the new table while both exist.
const rebuildPrefix = "_kinglet_new_"

// rebuildPlan is a table rebuild, in the order it runs.
type rebuildPlan struct {
	table  string   // the table rebuilt
	stmts  []string // CREATE TABLE new, INSERT INTO new SELECT, sequence, DROP TABLE old
	rename string   // ALTER TABLE new RENAME TO old
	after  []string // indexes and triggers
}

// sqliteObjects is what a rebuild recreates from sqlite_master, read by
// Apply: the statements as they were written, so nothing the model lacks
// (expression indexes, collations, triggers) is lost.
type sqliteObjects struct {
	options   string         // what follows the column list: " WITHOUT ROWID", " STRICT"
	indexes   []sqliteObject // CREATE INDEX statements (not the automatic ones of constraints)
	triggers  []sqliteObject // CREATE TRIGGER statements
	generated []string       // generated columns, which a rebuild cannot copy
}

type sqliteObject struct{ name, sql string }

// sqliteCanAdd reports whether SQLite's ALTER TABLE ADD COLUMN can add c: a
// NOT NULL column needs a default other than NULL, and the default must be
// a constant (not CURRENT_TIMESTAMP, not an expression).
func sqliteCanAdd(c schema.Column) bool {
	if c.HasDefault && !constantDefault(c.Default) {
		return false
	}
	if !c.Nullable && (!c.HasDefault || strings.EqualFold(strings.TrimSpace(c.Default), "NULL")) {
		return false
	}
	return true
}

// sqliteColumnBound reports whether SQLite's ALTER TABLE DROP COLUMN would
// refuse col of t: it is in the primary key, an index (unique constraints
// included) or its predicate, a foreign key or a check.
func sqliteColumnBound(t *schema.Table, col string) bool {
	if columnInKey(t, col) {
		return true
	}
	for _, ix := range t.Indexes {
		if sqlMentions(ix.Where, col) {
			return true
		}
	}
	for _, c := range t.Checks {
		if sqlMentions(c.Expr, col) {
			return true
		}
	}
	return false
}

// rebuild renders the rebuild of old into nt. renamed maps new column names
// to old ones; a column of nt that old lacks is new and gets its default.
func (r *renderer) rebuild(op Op, old, nt *schema.Table, renamed map[string]string) (opPlan, error) {
	objs := r.sqlite[strings.ToLower(old.Name)]
	if objs != nil && len(objs.generated) > 0 {
		return opPlan{}, opInvalid(op, "table %s has generated columns (%s), which rebuilding it (SQLite cannot make this change in place) would turn into plain ones; change the table by hand",
			old.Name, strings.Join(objs.generated, ", "))
	}
	tmp := rebuildPrefix + old.Name
	create, err := r.createTableSQL(op, nt, tmp, false)
	if err != nil {
		return opPlan{}, err
	}
	if objs != nil {
		create += objs.options
	}
	// The copy: every column of nt that comes from a column of old.
	var dst, src []string
	kept := map[string]bool{}
	for _, c := range nt.Columns {
		from := c.Name
		if o, ok := renamed[c.Name]; ok {
			from = o
		}
		if oc := opColumn(old, from); oc != nil {
			dst, src = append(dst, c.Name), append(src, oc.Name)
			kept[strings.ToLower(oc.Name)] = true
		}
	}
	if len(dst) == 0 {
		return opPlan{}, opInvalid(op, "the new definition of %s keeps none of its columns", old.Name)
	}
	var dropped, renamedOld []string
	for _, c := range old.Columns {
		if !kept[strings.ToLower(c.Name)] {
			dropped = append(dropped, c.Name)
		}
	}
	for _, from := range renamed {
		renamedOld = append(renamedOld, from)
	}
	copyRows, err := r.sql(op, func(b *query.Builder) {
		b.Lit("INSERT INTO ")
		b.Ident(tmp)
		b.Lit(" (")
		opIdents(b, dst)
		b.Lit(") SELECT ")
		opIdents(b, src)
		b.Lit(" FROM ")
		b.Ident(old.Name)
	})
	if err != nil {
		return opPlan{}, err
	}
	rb := &rebuildPlan{table: old.Name, stmts: []string{create, copyRows}}
	if hasAutoIncrement(nt) {
		// AUTOINCREMENT never reuses a key; keep the old table's high-water
		// mark, which dropping it deletes.
		seq, err := r.sql(op, func(b *query.Builder) {
			b.Lit("DELETE FROM sqlite_sequence WHERE name = ")
			b.Arg(tmp)
		})
		if err != nil {
			return opPlan{}, err
		}
		seq2, err := r.sql(op, func(b *query.Builder) {
			b.Lit("INSERT INTO sqlite_sequence (name, seq) SELECT ")
			b.Arg(tmp)
			b.Lit(", seq FROM sqlite_sequence WHERE name = ")
			b.Arg(old.Name)
		})
		if err != nil {
			return opPlan{}, err
		}
		rb.stmts = append(rb.stmts, seq, seq2)
	}
	drop, err := r.sql(op, query.DropTable(query.Table(old.Name)).AppendSQL)
	if err != nil {
		return opPlan{}, err
	}
	rb.stmts = append(rb.stmts, drop)
	if rb.rename, err = r.sql(op, func(b *query.Builder) {
		b.Lit("ALTER TABLE ")
		b.Ident(tmp)
		b.Lit(" RENAME TO ")
		b.Ident(old.Name)
	}); err != nil {
		return opPlan{}, err
	}
	if objs == nil {
		if rb.after, err = r.indexesSQL(op, nt, false); err != nil {
			return opPlan{}, err
		}
		return opPlan{rebuild: rb}, nil
	}
	// The original indexes, without those on a dropped column, with
	// renamed columns renamed; and the triggers, unless they use a column
	// that changes.
	for _, ix := range objs.indexes {
		if nt.Index(ix.name) == nil && old.Index(ix.name) != nil {
			continue // the op drops it
		}
		if mentionsAny(ix.sql, dropped, 1) {
			continue
		}
		s := ix.sql
		for to, from := range renamed {
			s = sqlRenameIdentAfter(s, from, to, 1, r.quote)
		}
		rb.after = append(rb.after, s)
	}
	for _, tr := range objs.triggers {
		if mentionsAny(tr.sql, dropped, 0) || mentionsAny(tr.sql, renamedOld, 0) {
			return opPlan{}, opInvalid(op, "trigger %s of table %s uses a column this change drops or renames (%s); drop the trigger first and create it again after",
				tr.name, old.Name, strings.Join(append(dropped, renamedOld...), ", "))
		}
		rb.after = append(rb.after, tr.sql)
	}
	return opPlan{rebuild: rb}, nil
}

// mentionsAny reports whether s uses any of cols as an identifier (after
// the first "(" when afterParen is 1).
func mentionsAny(s string, cols []string, afterParen int) bool {
	if afterParen == 1 {
		for _, t := range sqlTokens(s) {
			if t.kind == sqlTokPunct && s[t.start] == '(' {
				s = s[t.start:]
				break
			}
		}
	}
	for _, c := range cols {
		if sqlMentions(s, c) {
			return true
		}
	}
	return false
}

// hasAutoIncrement reports whether t has an auto-increment column.
func hasAutoIncrement(t *schema.Table) bool {
	for _, c := range t.Columns {
		if c.AutoIncrement {
			return true
		}
	}
	return false
}

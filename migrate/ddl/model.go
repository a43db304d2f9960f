package ddl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kingletdb/kinglet/migrate/schema"
)

// The model side of the operations: how each one changes a *Table, so that
// Statements can follow a sequence of operations on a copy of the current
// schema (and render a SQLite rebuild from the table it leads to). Engines
// do the same to their catalogs: dropping a column drops the indexes,
// foreign keys and checks that involve it (PostgreSQL, SQLite); renaming a
// column or a table is carried into the constraints that name it.

// opTable returns the table called name: an exact match, else the one
// table whose name matches ignoring case (SQLite and MySQL compare table
// names without case).
func opTable(s *schema.Schema, name string) *schema.Table {
	if s == nil {
		return nil
	}
	if t := s.Table(name); t != nil {
		return t
	}
	var found *schema.Table
	for _, t := range s.Tables {
		if strings.EqualFold(t.Name, name) {
			if found != nil {
				return nil
			}
			found = t
		}
	}
	return found
}

// opColumn is opTable for a column of t.
func opColumn(t *schema.Table, name string) *schema.Column {
	if t == nil {
		return nil
	}
	if c := t.Column(name); c != nil {
		return c
	}
	var found *schema.Column
	for i := range t.Columns {
		if strings.EqualFold(t.Columns[i].Name, name) {
			if found != nil {
				return nil
			}
			found = &t.Columns[i]
		}
	}
	return found
}

// opPutTable replaces the table called name in s with t (nil removes it) and
// keeps the tables sorted by name.
func opPutTable(s *schema.Schema, name string, t *schema.Table) {
	s.Tables = slices.DeleteFunc(s.Tables, func(x *schema.Table) bool { return x.Name == name })
	if t != nil {
		s.Tables = append(s.Tables, t)
		slices.SortFunc(s.Tables, func(a, b *schema.Table) int { return strings.Compare(a.Name, b.Name) })
	}
}

// opInvalid wraps ErrInvalid with the operation and what is wrong with it.
func opInvalid(op Op, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalid, op, fmt.Sprintf(format, args...))
}

// opNameList lists the names of xs for messages: "a, b" or "none".
func opNameList[T any](xs []T, name func(T) string) string {
	var out []string
	for _, x := range xs {
		if n := name(x); n != "" {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// opHasColumn reports whether cols names col (ignoring case, as every engine
// does for column names in constraints).
func opHasColumn(cols []string, col string) bool {
	return slices.ContainsFunc(cols, func(c string) bool { return strings.EqualFold(c, col) })
}

// opRenameIn renames from to to in cols.
func opRenameIn(cols []string, from, to string) {
	for i, c := range cols {
		if strings.EqualFold(c, from) {
			cols[i] = to
		}
	}
}

// opMutate changes t (a clone the caller owns) as op does. It checks what the
// model can tell: a column to add that exists, one to drop that does not.
func opMutate(t *schema.Table, op Op, typeOf func(schema.Column) (string, error), quote func(string) string) error {
	col := func(name string) (*schema.Column, error) {
		c := opColumn(t, name)
		if c == nil {
			return nil, opInvalid(op, "table %s has no column %s (it has %s)", t.Name, name,
				opNameList(t.Columns, func(c schema.Column) string { return c.Name }))
		}
		return c, nil
	}
	switch o := op.(type) {
	case AddColumn:
		if opColumn(t, o.Column.Name) != nil {
			return opInvalid(op, "table %s already has a column %s", t.Name, o.Column.Name)
		}
		t.Columns = append(t.Columns, o.Column)
	case DropColumn:
		c, err := col(o.Column)
		if err != nil {
			return err
		}
		name := c.Name
		t.Columns = slices.DeleteFunc(t.Columns, func(c schema.Column) bool { return c.Name == name })
		if opHasColumn(t.PrimaryKey, name) {
			t.PrimaryKey = nil
		}
		t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool {
			return opHasColumn(ix.Columns, name) || sqlMentions(ix.Where, name)
		})
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return opHasColumn(fk.Columns, name) })
		t.Checks = slices.DeleteFunc(t.Checks, func(ck schema.Check) bool { return sqlMentions(ck.Expr, name) })
	case RenameColumn:
		c, err := col(o.From)
		if err != nil {
			return err
		}
		if o.To == "" {
			return opInvalid(op, "empty new name")
		}
		if other := opColumn(t, o.To); other != nil && other != c {
			return opInvalid(op, "table %s already has a column %s", t.Name, o.To)
		}
		from := c.Name
		c.Name = o.To
		opRenameIn(t.PrimaryKey, from, o.To)
		for i := range t.Indexes {
			opRenameIn(t.Indexes[i].Columns, from, o.To)
			t.Indexes[i].Where = sqlRenameIdent(t.Indexes[i].Where, from, o.To, quote)
		}
		for i := range t.ForeignKeys {
			opRenameIn(t.ForeignKeys[i].Columns, from, o.To)
			if strings.EqualFold(t.ForeignKeys[i].RefTable, t.Name) {
				opRenameIn(t.ForeignKeys[i].RefColumns, from, o.To)
			}
		}
		for i := range t.Checks {
			t.Checks[i].Expr = sqlRenameIdent(t.Checks[i].Expr, from, o.To, quote)
		}
	case AlterColumnType:
		c, err := col(o.Column)
		if err != nil {
			return err
		}
		c.Type, c.Of = o.Type, o.Of
		if c.Type == "" && typeOf != nil {
			// Keep the engine's name, so that a later MODIFY or rebuild
			// restates the type this op chose.
			if c.Type, err = typeOf(*c); err != nil {
				return err
			}
		}
	case SetNotNull:
		c, err := col(o.Column)
		if err != nil {
			return err
		}
		c.Nullable = false
	case DropNotNull:
		c, err := col(o.Column)
		if err != nil {
			return err
		}
		c.Nullable = true
	case SetDefault:
		c, err := col(o.Column)
		if err != nil {
			return err
		}
		c.Default, c.HasDefault = o.Default, true
	case DropDefault:
		c, err := col(o.Column)
		if err != nil {
			return err
		}
		c.Default, c.HasDefault = "", false
	case AddIndex:
		if t.Index(o.Index.Name) != nil {
			return opInvalid(op, "table %s already has an index %s", t.Name, o.Index.Name)
		}
		for _, c := range o.Index.Columns {
			if _, err := col(c); err != nil {
				return err
			}
		}
		ix := o.Index
		ix.Columns = slices.Clone(ix.Columns)
		t.Indexes = append(t.Indexes, ix)
	case DropIndex:
		t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool { return ix.Name == o.Name })
	case AddForeignKey:
		for _, c := range o.ForeignKey.Columns {
			if _, err := col(c); err != nil {
				return err
			}
		}
		fk := o.ForeignKey
		fk.Columns, fk.RefColumns = slices.Clone(fk.Columns), slices.Clone(fk.RefColumns)
		t.ForeignKeys = append(t.ForeignKeys, fk)
	case DropForeignKey:
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.Name == o.Name })
	case AddCheck:
		t.Checks = append(t.Checks, o.Check)
	case DropConstraint:
		t.Checks = slices.DeleteFunc(t.Checks, func(c schema.Check) bool { return c.Name == o.Name })
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.Name == o.Name })
		t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool { return ix.Name == o.Name && ix.Constraint })
	}
	return nil
}

// opConstraintKind says what the constraint called name of t is: "check",
// "foreign key", "unique" (a unique constraint or index), or "" when t has
// no such constraint.
func opConstraintKind(t *schema.Table, name string) string {
	if t == nil {
		return ""
	}
	for _, c := range t.Checks {
		if c.Name == name {
			return "check"
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.Name == name {
			return "foreign key"
		}
	}
	if ix := t.Index(name); ix != nil && ix.Unique {
		return "unique"
	}
	return ""
}

package schema

import (
	"slices"

	"github.com/kingletdb/kinglet/fields"
)

// Schema is a database schema as migrate sees it: what Inspect reads from a
// live database, what FromModels derives from model structs, and what a diff
// compares. Tables are sorted by name.
type Schema struct {
	Tables []*Table
}

// Table returns the table called name, or nil.
func (s *Schema) Table(name string) *Table {
	if s == nil {
		return nil
	}
	for _, t := range s.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Clone returns a deep copy of s.
func (s *Schema) Clone() *Schema {
	if s == nil {
		return nil
	}
	out := &Schema{Tables: make([]*Table, len(s.Tables))}
	for i, t := range s.Tables {
		out.Tables[i] = t.Clone()
	}
	return out
}

// Table is one table: its columns in order, primary key, indexes (unique
// constraints included, with Unique set), foreign keys and checks.
type Table struct {
	Name string
	// View marks a view (InspectWith with Filter.Views): its columns only,
	// no keys. A diff leaves views alone.
	View        bool
	Columns     []Column
	PrimaryKey  []string
	Indexes     []Index
	ForeignKeys []ForeignKey
	Checks      []Check
}

// Column returns the column called name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Index returns the index or unique constraint called name, or nil.
func (t *Table) Index(name string) *Index {
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i]
		}
	}
	return nil
}

// Clone returns a deep copy of t.
func (t *Table) Clone() *Table {
	if t == nil {
		return nil
	}
	out := &Table{
		Name:        t.Name,
		View:        t.View,
		Columns:     slices.Clone(t.Columns),
		PrimaryKey:  slices.Clone(t.PrimaryKey),
		Indexes:     slices.Clone(t.Indexes),
		ForeignKeys: slices.Clone(t.ForeignKeys),
		Checks:      slices.Clone(t.Checks),
	}
	for i := range out.Indexes {
		out.Indexes[i].Columns = slices.Clone(out.Indexes[i].Columns)
	}
	for i := range out.ForeignKeys {
		out.ForeignKeys[i].Columns = slices.Clone(out.ForeignKeys[i].Columns)
		out.ForeignKeys[i].RefColumns = slices.Clone(out.ForeignKeys[i].RefColumns)
	}
	return out
}

// Column is one column. Type is the SQL type as written in DDL; when it is
// empty, Of is mapped to the engine's type by the dialect (so one Go
// migration can describe a column for every engine). Introspected columns
// always have Type, normalised by NormalizeType.
type Column struct {
	Name string
	Type string
	Of   fields.ColumnType
	// Nullable columns accept NULL; others are NOT NULL.
	Nullable bool
	// Default is the DEFAULT expression as SQL text ('x', 0,
	// CURRENT_TIMESTAMP); it is only meaningful when HasDefault is set.
	Default    string
	HasDefault bool
	// AutoIncrement marks the auto-generated integer primary key column
	// (AUTOINCREMENT, AUTO_INCREMENT, an identity or serial column).
	AutoIncrement bool
}

// Index is an index or a unique constraint. Where is the predicate of a
// partial index (PostgreSQL and SQLite), as SQL text.
type Index struct {
	Name    string
	Columns []string
	Unique  bool
	Where   string
	// Constraint is set for a UNIQUE table constraint (rather than a
	// CREATE UNIQUE INDEX); engines that do not tell them apart report
	// indexes.
	Constraint bool
}

// ForeignKey is a FOREIGN KEY constraint. OnDelete and OnUpdate are the
// actions in upper case (CASCADE, SET NULL, SET DEFAULT, RESTRICT), empty
// for NO ACTION.
type ForeignKey struct {
	Name       string
	Columns    []string
	RefTable   string
	RefColumns []string
	OnDelete   string
	OnUpdate   string
	// Index is the index the engine made for the key by itself (MySQL and
	// MariaDB do when no index starts with its columns): Inspect reports it
	// here rather than among the table's indexes, and the diff drops it with the
	// key. Empty elsewhere.
	Index string
}

// Check is a CHECK constraint; Expr is its condition as SQL text.
type Check struct {
	Name string
	Expr string
}

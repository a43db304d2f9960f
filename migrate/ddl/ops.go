package ddl

import (
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// Op is one schema operation, rendered per engine by Statements and run by
// Apply. diff.Schemas returns them; Go migrations build them by hand.
type Op interface {
	// String describes the operation: "add column users.email".
	String() string
	// Destructive reports whether the operation can lose data (it drops a
	// table, a column, or narrows a type).
	Destructive() bool
	isOp()
}

// CreateTable creates Table with its columns, primary key, unique
// constraints, foreign keys and checks, then its other indexes.
type CreateTable struct {
	Table *schema.Table
	// IfNotExists adds IF NOT EXISTS to the CREATE TABLE.
	IfNotExists bool
}

// DropTable drops the table called Name.
type DropTable struct {
	Name     string
	IfExists bool
}

// RenameTable renames table From to To.
type RenameTable struct{ From, To string }

// AddColumn adds Column to Table. A NOT NULL column needs a default when
// the table has rows; every engine fills existing rows with it.
type AddColumn struct {
	Table  string
	Column schema.Column
}

// DropColumn drops column Column of Table.
type DropColumn struct{ Table, Column string }

// RenameColumn renames column From of Table to To.
type RenameColumn struct{ Table, From, To string }

// AlterColumnType changes the type of Column to Type (or, when Type is
// empty, to the engine's type for Of). Using is an optional PostgreSQL
// conversion expression (USING ...); other engines convert implicitly.
type AlterColumnType struct {
	Table, Column string
	Type          string
	Of            fields.ColumnType
	Using         string
}

// SetNotNull makes Column NOT NULL; it fails if a row holds NULL.
type SetNotNull struct{ Table, Column string }

// DropNotNull makes Column nullable.
type DropNotNull struct{ Table, Column string }

// SetDefault sets the DEFAULT of Column to the SQL expression Default.
type SetDefault struct{ Table, Column, Default string }

// DropDefault removes the DEFAULT of Column.
type DropDefault struct{ Table, Column string }

// AddIndex creates Index on Table (unique, multi-column, partial where the
// engine supports it). An Index with Constraint set is added as a UNIQUE
// table constraint.
type AddIndex struct {
	Table string
	Index schema.Index
}

// DropIndex drops the index or unique constraint Name of Table.
type DropIndex struct{ Table, Name string }

// AddForeignKey adds ForeignKey to Table.
type AddForeignKey struct {
	Table      string
	ForeignKey schema.ForeignKey
}

// DropForeignKey drops the foreign key Name of Table.
type DropForeignKey struct{ Table, Name string }

// AddCheck adds Check to Table.
type AddCheck struct {
	Table string
	Check schema.Check
}

// DropConstraint drops the constraint (check, unique or foreign key) Name
// of Table.
type DropConstraint struct{ Table, Name string }

func (CreateTable) isOp()     {}
func (DropTable) isOp()       {}
func (RenameTable) isOp()     {}
func (AddColumn) isOp()       {}
func (DropColumn) isOp()      {}
func (RenameColumn) isOp()    {}
func (AlterColumnType) isOp() {}
func (SetNotNull) isOp()      {}
func (DropNotNull) isOp()     {}
func (SetDefault) isOp()      {}
func (DropDefault) isOp()     {}
func (AddIndex) isOp()        {}
func (DropIndex) isOp()       {}
func (AddForeignKey) isOp()   {}
func (DropForeignKey) isOp()  {}
func (AddCheck) isOp()        {}
func (DropConstraint) isOp()  {}

package ddl

import (
	"strings"

	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// String describes the operation: "create table users".
func (o CreateTable) String() string {
	if o.Table == nil {
		return "create table (nil)"
	}
	return "create table " + o.Table.Name
}

// String describes the operation: "drop table users".
func (o DropTable) String() string { return "drop table " + o.Name }

// String describes the operation: "rename table users to people".
func (o RenameTable) String() string { return "rename table " + o.From + " to " + o.To }

// String describes the operation: "add column users.email".
func (o AddColumn) String() string { return "add column " + o.Table + "." + o.Column.Name }

// String describes the operation: "drop column users.email".
func (o DropColumn) String() string { return "drop column " + o.Table + "." + o.Column }

// String describes the operation: "rename column users.email to mail".
func (o RenameColumn) String() string {
	return "rename column " + o.Table + "." + o.From + " to " + o.To
}

// String describes the operation: "alter type of users.age to BIGINT".
func (o AlterColumnType) String() string {
	to := o.Type
	if to == "" {
		to = o.Of.Kind.String()
	}
	s := "alter type of " + o.Table + "." + o.Column + " to " + to
	if o.Using != "" {
		s += " using " + sqltext.Clip(o.Using, 60)
	}
	return s
}

// String describes the operation: "set not null on users.email".
func (o SetNotNull) String() string { return "set not null on " + o.Table + "." + o.Column }

// String describes the operation: "drop not null on users.email".
func (o DropNotNull) String() string { return "drop not null on " + o.Table + "." + o.Column }

// String describes the operation: "set default of users.active to TRUE".
func (o SetDefault) String() string {
	return "set default of " + o.Table + "." + o.Column + " to " + sqltext.Clip(o.Default, 60)
}

// String describes the operation: "drop default of users.active".
func (o DropDefault) String() string { return "drop default of " + o.Table + "." + o.Column }

// String describes the operation: "add unique index users_email on users
// (email)".
func (o AddIndex) String() string {
	kind := "index "
	switch {
	case o.Index.Constraint:
		kind = "unique constraint "
	case o.Index.Unique:
		kind = "unique index "
	}
	s := "add " + kind + o.Index.Name + " on " + o.Table + " (" + strings.Join(o.Index.Columns, ", ") + ")"
	if o.Index.Where != "" {
		s += " where " + sqltext.Clip(o.Index.Where, 60)
	}
	return s
}

// String describes the operation: "drop index users_email on users".
func (o DropIndex) String() string { return "drop index " + o.Name + " on " + o.Table }

// String describes the operation: "add foreign key fk_tweets_user_id on
// tweets (user_id) references users (id)".
func (o AddForeignKey) String() string {
	fk := o.ForeignKey
	s := "add foreign key "
	if fk.Name != "" {
		s += fk.Name + " "
	}
	return s + "on " + o.Table + " (" + strings.Join(fk.Columns, ", ") + ") references " +
		fk.RefTable + " (" + strings.Join(fk.RefColumns, ", ") + ")"
}

// String describes the operation: "drop foreign key fk_tweets_user_id on
// tweets".
func (o DropForeignKey) String() string { return "drop foreign key " + o.Name + " on " + o.Table }

// String describes the operation: "add check ck_users_age on users".
func (o AddCheck) String() string {
	if o.Check.Name == "" {
		return "add check on " + o.Table + " (" + sqltext.Clip(o.Check.Expr, 60) + ")"
	}
	return "add check " + o.Check.Name + " on " + o.Table
}

// String describes the operation: "drop constraint ck_users_age on users".
func (o DropConstraint) String() string { return "drop constraint " + o.Name + " on " + o.Table }

// Destructive is false: creating a table loses nothing.
func (CreateTable) Destructive() bool { return false }

// Destructive is true: the table's rows are lost.
func (DropTable) Destructive() bool { return true }

// Destructive is false: the rows keep their values.
func (RenameTable) Destructive() bool { return false }

// Destructive is false: existing rows get the default (or NULL).
func (AddColumn) Destructive() bool { return false }

// Destructive is true: the column's values are lost.
func (DropColumn) Destructive() bool { return true }

// Destructive is false: the values stay.
func (RenameColumn) Destructive() bool { return false }

// Destructive is true: a narrower type can truncate or round values (and
// whether it is narrower depends on the engine's conversion).
func (AlterColumnType) Destructive() bool { return true }

// Destructive is false: it fails rather than change a row holding NULL.
func (SetNotNull) Destructive() bool { return false }

// Destructive is false.
func (DropNotNull) Destructive() bool { return false }

// Destructive is false: only future inserts see the default.
func (SetDefault) Destructive() bool { return false }

// Destructive is false.
func (DropDefault) Destructive() bool { return false }

// Destructive is false: it fails rather than drop duplicate rows.
func (AddIndex) Destructive() bool { return false }

// Destructive is false: an index holds no data of its own.
func (DropIndex) Destructive() bool { return false }

// Destructive is false: it fails when a row violates the key.
func (AddForeignKey) Destructive() bool { return false }

// Destructive is false.
func (DropForeignKey) Destructive() bool { return false }

// Destructive is false: it fails when a row violates the check.
func (AddCheck) Destructive() bool { return false }

// Destructive is false.
func (DropConstraint) Destructive() bool { return false }

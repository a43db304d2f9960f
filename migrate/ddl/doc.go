// Package ddl describes schema changes once for every engine — AddColumn,
// AlterColumnType, AddIndex, AddForeignKey, DropTable, … (the Op types) —
// and renders them as the engine's statements (Statements) or runs them
// (Apply), reading the current table first:
//
//	ops := []ddl.Op{
//		ddl.AddColumn{Table: "users", Column: schema.Column{Name: "active",
//			Of: fields.ColumnType{Kind: fields.KindBool}, Default: "TRUE", HasDefault: true}},
//		ddl.AddIndex{Table: "users", Index: schema.Index{Name: "users_active", Columns: []string{"active"}}},
//	}
//	sqls, err := ddl.Statements(dialect.Postgres, current, ops...) // the SQL, to write down
//	err = ddl.Apply(ctx, db, dialect.Postgres, ops...)            // or run it now
//
// In a Go migration, Apply runs on the migration's transaction with the
// runner's dialect: ddl.Apply(ctx, tx, migrate.DialectFrom(ctx), ops...).
// diff.Schemas computes the ops that turn one schema into another.
//
// # SQLite rebuilds
//
// SQLite's ALTER TABLE cannot change a column's type, NULL or default, nor
// add or drop constraints: those rebuild the table (a new table, the rows
// copied, the old one dropped, the new one renamed, its indexes and
// triggers recreated), as SQLite's documentation describes; the plan is in
// rebuild_sqlite.go and its execution, with foreign keys off around it and
// PRAGMA foreign_key_check after it, in apply_sqlite.go. MySQL and MariaDB
// restate a column with MODIFY COLUMN, which needs its current definition.
//
// Bad operations are errors wrapping ErrInvalid (or dialect.ErrUnsupported)
// that name the operation; a statement the database refuses is an
// *OpError naming the operation and the statement.
package ddl

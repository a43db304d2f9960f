// Package migrate applies numbered migrations — SQL files and Go functions in
// one version sequence — to SQLite, PostgreSQL and MySQL/MariaDB, under a
// lock, each in a transaction, recorded in a history table.
//
//	//go:embed migrations/*.sql
//	var files embed.FS
//
//	r, err := migrate.New(db, dialect.Postgres,
//		migrate.WithFS(files, "migrations"),
//		migrate.WithGo(migrate.Migration{Version: 3, Name: "backfill", Up: backfill}))
//	if err != nil { … }                  // bad names, duplicate versions: found here
//	applied, err := r.Up(ctx)            // or UpTo, Down, DownTo, Redo
//	var pe *migrate.PartialError         // errors.As: what was applied, what failed
//	status, err := r.Status(ctx)         // applied, pending, out of order, missing
//
// # Files
//
// A SQL migration is a pair of files in one directory: 0001_create_users.up.sql
// and, optionally, 0001_create_users.down.sql (without it the migration cannot
// be rolled back). The number is the version: any width, compared as a number.
// Create writes the next pair. A file is split into statements by Split; a
// comment line "-- kinglet:no-transaction" before the first statement runs
// that file outside a transaction. A checksum of each .up.sql file is recorded
// when it is applied; editing it afterwards makes the runner refuse to go on
// (ErrChecksumMismatch) unless AllowChecksumMismatch is given.
//
// # Transactions and failures
//
// Each migration runs in its own transaction together with its history row,
// so on PostgreSQL and SQLite a failed migration leaves nothing behind. MySQL
// and MariaDB commit DDL implicitly: statements before the failed one may stay
// applied, but the history never records a failed migration, and the
// *StatementError says which statement failed and what may be committed. A
// failure is a *PartialError listing the migrations applied before it.
//
// # Locking
//
// Up, UpTo, Down, DownTo and Redo hold a lock for their whole run, so that
// runners in several processes apply each migration exactly once: a
// PostgreSQL advisory lock and a MySQL GET_LOCK, both on the runner's pinned
// connection, and on SQLite a lease row in <table>_lock, renewed while held
// and checked in every transaction that records a migration. The lock is
// released with context.WithoutCancel, so a cancelled run still unlocks.
// SQLite databases should set a busy timeout (_pragma=busy_timeout(5000)).
//
// # Schema operations
//
// Ops (AddColumn, AlterColumnType, AddForeignKey, …) describe schema changes
// once for every engine. Statements renders them as SQL for one dialect;
// Apply runs them, reading the current table first. A Go migration applies
// them through its transaction with the runner's dialect:
//
//	Up: func(ctx context.Context, tx migrate.Execer) error {
//		return migrate.Apply(ctx, tx, migrate.DialectFrom(ctx),
//			migrate.AddColumn{Table: "users", Column: migrate.Column{Name: "active",
//				Of: fields.ColumnType{Kind: fields.KindBool}, Default: "TRUE", HasDefault: true}})
//	}
//
// SQLite's ALTER TABLE cannot change a column's type, NULL or default, nor
// add or drop constraints: those rebuild the table (a new table, the rows
// copied, the old one dropped, the new one renamed, its indexes and triggers
// recreated), as SQLite's documentation describes.
//
// # Introspection and diff
//
// Inspect reads a live schema (tables, columns with normalised types,
// nullability and defaults, primary keys, indexes and unique constraints,
// foreign keys, checks) on every engine; FromModels derives the schema that
// model structs describe, as orm.CreateTables would create it; Diff compares
// two schemas and returns the Ops that turn one into the other. Types and
// defaults are normalised per engine, so the diff of an up-to-date database
// is empty. Dropping tables and columns is left out unless
// DiffOptions.Destructive is set; the down migration of a diff is the diff
// the other way round, destructive:
//
//	up, err := migrate.DiffModels(ctx, db, d, migrate.DiffOptions{}, &User{}, &Tweet{})
//	sqls, err := migrate.Statements(d, current, up...)
//
// App puts it all behind a command line (migrate up|down|status|redo|to N|
// create, inspect, gen models, diff) for a program's own main; the kinglet
// command is App without models or Go migrations.
//
// # SQLite foreign keys
//
// Dropping a table with foreign keys on deletes the rows that reference it
// (firing their ON DELETE actions), so a rebuild must run with foreign keys
// off, and PRAGMA foreign_keys cannot change inside a transaction. On SQLite
// the runner therefore turns foreign keys off on its connection before it
// begins each migration's transaction, runs PRAGMA foreign_key_check before
// the commit (a violation fails the migration, which is rolled back, with an
// error wrapping ErrForeignKeyViolation that names the table and rowid), and
// turns them back on after. This happens only when foreign keys were on, and
// it means that inside a migration foreign keys are not enforced statement by
// statement and ON DELETE / ON UPDATE actions do not fire: a migration that
// deletes parent rows must delete their children itself.
package migrate

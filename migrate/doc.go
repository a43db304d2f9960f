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
// # Go migrations and schema changes
//
// A Go migration runs on its transaction, whose context carries the
// runner's dialect, so the schema operations of package ddl render for the
// engine the runner is on:
//
//	Up: func(ctx context.Context, tx migrate.Execer) error {
//		return ddl.Apply(ctx, tx, migrate.DialectFrom(ctx),
//			ddl.AddColumn{Table: "users", Column: schema.Column{Name: "active",
//				Of: fields.ColumnType{Kind: fields.KindBool}, Default: "TRUE", HasDefault: true}})
//	}
//
// # The packages around the runner
//
// Each imports only packages listed before it (and dialect, fields, query):
//
//	migrate/schema   the schema model; Inspect per engine, FromModels, NormalizeType
//	migrate/ddl      schema operations (Op): Statements renders them per engine, Apply runs them
//	migrate/diff     Schemas and Models: the ddl operations from one schema to another
//	migrate/lint     Statements and Ops: warnings about locks, table rewrites and data loss
//	migrate/diagram  Mermaid and DOT: a schema as an entity-relationship diagram
//	migrate/gen      Models: Go model structs for a schema; Cols: column handles for models
//	migrate/cli      App: this runner, inspect, gen, lint and diff behind a command line
//
// DryRun plans a command without running it (each Result carries its
// Statements); WithProgress hears of each migration as it is done; WithDir
// reads a directory on disk and names its files as given.
//
// The runner imports none of them, and cli alone imports the runner; the
// kinglet command is a main over cli.App without models or Go migrations. Create, WriteSQL and
// WriteGo write migration files, the last two from the statements a diff
// renders.
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

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
package migrate

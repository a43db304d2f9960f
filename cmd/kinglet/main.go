// Command kinglet manages the schema of a SQLite, PostgreSQL or
// MySQL/MariaDB database with numbered SQL migrations, reads schemas
// back, and writes Go source for them:
//
//	kinglet migrate up [--dry-run]      apply every pending migration (--dry-run: print the SQL)
//	kinglet migrate down [--dry-run]    roll back the latest applied migration
//	kinglet migrate redo [--dry-run]    roll back the latest and apply it again
//	kinglet migrate to VERSION          apply or roll back until VERSION is the latest applied
//	kinglet migrate status              list migrations: applied, pending, out of order, missing
//	kinglet migrate create NAME         write NNNN_name.up.sql and NNNN_name.down.sql
//	kinglet migrate lint [--strict]     warn about locks, table rewrites and data loss
//	kinglet inspect [--format F]        print the schema: text, json, mermaid or dot
//	kinglet gen models [--out FILE]     write Go model structs for the database's tables
//	kinglet gen cols [DIR]              write typed column handles for a package's models
//
// The database is --dsn URL or $DATABASE_URL (sqlite:app.db,
// postgres://user@host/db, mysql://user:pw@host/db); the migrations are the
// .sql files in --dir (default ./migrations). Every command has help:
// kinglet help migrate up, kinglet gen --help.
//
//	go install github.com/kingletdb/kinglet/cmd/kinglet@latest
//	kinglet migrate create "create users"
//	DATABASE_URL=sqlite:app.db kinglet migrate up
//
// kinglet sees only SQL files. Migrations written in Go, files embedded in
// your binary, and diff (which writes the migration from the database to
// your models) need a main of your own with the same commands, built on
// cli.App (package github.com/kingletdb/kinglet/migrate/cli):
//
//	func main() {
//		cli.App{Models: []any{&models.User{}}, FS: files, Dir: "migrations"}.Main()
//	}
package main

import "github.com/kingletdb/kinglet/migrate/cli"

func main() {
	// No FS: the SQL files are read from --dir on disk.
	cli.App{}.Main()
}

// Command kinglet manages the schema of a SQLite, PostgreSQL or
// MySQL/MariaDB database with numbered SQL migrations, and reads schemas
// back:
//
//	kinglet migrate up                  apply every pending migration
//	kinglet migrate down                roll back the latest applied migration
//	kinglet migrate redo                roll back the latest and apply it again
//	kinglet migrate to VERSION          apply or roll back until VERSION is the latest applied
//	kinglet migrate status              list migrations: applied, pending, out of order, missing
//	kinglet migrate create NAME         write NNNN_name.up.sql and NNNN_name.down.sql
//	kinglet inspect [--json]            print the database's tables, columns, indexes, keys, checks
//	kinglet gen models [--package P] [--out FILE]
//	                                    write Go model structs for the database's tables
//
// The database is --dsn URL or $DATABASE_URL (sqlite:app.db,
// postgres://user@host/db, mysql://user:pw@host/db); the migrations are the
// .sql files in --dir (default ./migrations). Every command has --help.
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

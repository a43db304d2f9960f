// Package dsn opens a database named by a DATABASE_URL-style string and
// detects its dialect from the server version. It is what orm.Open and
// migrate.App (and so the kinglet command) share:
//
//	db, d, err := dsn.Open(ctx, "postgres://postgres@127.0.0.1:5432/app?sslmode=disable")
//
// The forms:
//
//	sqlite:app.db             a file (WAL journal, foreign keys on, 5 s busy timeout,
//	                          times stored as SQLite's text format)
//	sqlite::memory:           a private in-memory database (one connection, so all queries see it)
//	postgres://user@host/db   PostgreSQL through pgx's database/sql driver
//	mysql://user:pw@host:3306/db   MySQL or MariaDB: parseTime, UTC, utf8mb4
//
// Errors carry no package prefix: the caller adds its own ("kinglet: orm: …").
// Passwords never appear in them.
package dsn

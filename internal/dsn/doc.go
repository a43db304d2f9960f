// Package dsn opens a database named by a DATABASE_URL-style string and
// detects its dialect from the server version. It is what orm.Open and
// cli.App (and so the kinglet command) share:
//
//	db, d, err := dsn.Open(ctx, "postgres://postgres@127.0.0.1:5432/app?sslmode=disable")
//
// The forms:
//
//	sqlite:app.db             a file (WAL journal, foreign keys on, 5 s busy timeout,
//	                          no double-quoted strings, write transactions BEGIN IMMEDIATE,
//	                          times stored as SQLite's text format)
//	sqlite::memory:           a private in-memory database (one connection, so all queries see it)
//	postgres://user@host/db   PostgreSQL through pgx's database/sql driver (Open),
//	                          or a pgx pool (PgxConfig: orm.Open's way)
//	mysql://user:pw@host:3306/db   MySQL or MariaDB: parseTime, UTC, utf8mb4
//
// A sqlite: URL's parameters are modernc.org/sqlite's; each default above
// (SQLitePragmas, SQLiteParams) stands unless the URL sets it. _dqs=0 turns
// off SQLite's misfeature of taking a double-quoted name that is no column
// as a string literal, so a misspelled identifier is an error; a legacy
// schema or query that relies on it opens with sqlite:app.db?_dqs=1.
// A mysql:// URL is a URL, not go-sql-driver's DSN: mysql://root@127.0.0.1:3306/db,
// never mysql://root@tcp(127.0.0.1:3306)/db.
//
// Errors carry no package prefix: the caller adds its own ("kinglet: orm: …").
// Passwords never appear in them.
package dsn

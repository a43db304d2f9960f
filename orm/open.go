package orm

import (
	"context"
	"fmt"

	"github.com/kingletdb/kinglet/internal/dsn"
)

// Open connects to the database named by a DATABASE_URL-style string and
// detects its dialect from the server version:
//
//	sqlite:app.db             a file (WAL journal, foreign keys on, 5 s busy timeout,
//	                          times stored as SQLite's text format)
//	sqlite::memory:           a private in-memory database (one connection, so all queries see it)
//	postgres://user@host/db   PostgreSQL through pgx's database/sql driver
//	mysql://user:pw@host:3306/db   MySQL or MariaDB: parseTime, UTC, utf8mb4
//
// Query parameters after ? are passed to the driver (for sqlite:, as the
// file URI's parameters; e.g. sqlite:app.db?_pragma=synchronous(NORMAL)).
// Passwords never appear in its errors.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	sdb, d, err := dsn.Open(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("kinglet: orm: %w", err)
	}
	return New(sdb, d), nil
}

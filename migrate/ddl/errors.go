package ddl

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"

	"github.com/kingletdb/kinglet/migrate/internal/sqlite"
)

// Errors wrapped by the package's errors; check them with errors.Is.
var (
	// ErrInvalid marks an operation that cannot be rendered: a missing
	// table or column name, a type that is neither Type nor Of, an
	// unknown referential action, a nil dialect or Execer.
	ErrInvalid = errors.New("kinglet: ddl: invalid operation")
	// ErrForeignKeysOn marks an Apply on SQLite that would rebuild a table
	// other tables reference, inside a transaction with foreign keys on:
	// dropping the old table would delete the referencing rows, and the
	// pragma cannot change inside a transaction.
	ErrForeignKeysOn = errors.New("kinglet: ddl: SQLite foreign keys are on inside a transaction")
	// ErrForeignKeyViolation marks rows that reference a missing parent
	// after a SQLite rebuild ran with foreign keys off (PRAGMA
	// foreign_key_check). It is migrate.ErrForeignKeyViolation, the one
	// the runner's check before each commit wraps.
	ErrForeignKeyViolation = sqlite.ErrForeignKeyViolation
)

// Execer is what Apply runs its statements on: a *sql.DB, *sql.Conn or
// *sql.Tx, or in a Go migration the migrate.Execer it is given.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// closeConn returns conn to the pool, or discards it when broken: its
// session may hold a pragma that could not be restored.
func closeConn(conn *sql.Conn, broken bool) {
	if broken {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = conn.Close()
}

package schema

import (
	"context"
	"database/sql"
	"errors"
)

// Errors wrapped by the package's errors; check them with errors.Is.
var (
	// ErrInvalid marks input that cannot be read or described: a nil
	// dialect or Querier, an empty table name, a model without a table
	// name, two models for one table, a default that does not fit its
	// column's type.
	ErrInvalid = errors.New("kinglet: schema: invalid input")
	// ErrNoTable marks an InspectTable of a table that does not exist.
	ErrNoTable = errors.New("kinglet: schema: no such table")
)

// Querier is what Inspect reads the catalog through: a *sql.DB, *sql.Conn
// or *sql.Tx (and so a migration's migrate.Execer).
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

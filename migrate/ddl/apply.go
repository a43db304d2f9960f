package ddl

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// OpError is the failure of one operation run by Apply: which operation,
// and the statement that failed (empty when the operation failed before
// running one, e.g. reading the current table).
type OpError struct {
	Op  Op     // the operation
	SQL string // the statement that failed, if any
	Err error  // why
}

// Error says which operation failed, on which statement, and why.
func (e *OpError) Error() string {
	s := "kinglet: ddl: " + e.Op.String()
	if e.SQL != "" {
		s += ": " + sqltext.Clip(e.SQL, 200)
	}
	return s + ": " + withoutPrefix(e.Err.Error())
}

// withoutPrefix drops the "kinglet: <package>: " that an error of this
// module starts with, so that a wrapped message says it once.
func withoutPrefix(msg string) string {
	rest, ok := strings.CutPrefix(msg, "kinglet: ")
	if !ok {
		return msg
	}
	pkg, after, ok := strings.Cut(rest, ": ")
	if !ok || strings.ContainsAny(pkg, " ") {
		return msg
	}
	return after
}

// Unwrap returns the driver's error (or the one reading the table).
func (e *OpError) Unwrap() error { return e.Err }

// Apply performs ops on the database q is connected to, one after the
// other: for each it reads the current definition of the table it changes
// (schema.InspectTable), renders the statements (see Statements) and runs them.
// The first failure stops the run: a statement the database refuses is an
// *OpError naming the operation and the statement; an operation that
// cannot be rendered is an error wrapping ErrInvalid or
// dialect.ErrUnsupported that names it. Whether the operations before it
// stay applied is up to q: in a transaction on PostgreSQL or SQLite nothing
// stays once it is rolled back; MySQL and MariaDB commit each DDL statement.
//
// On SQLite a change that ALTER TABLE cannot make rebuilds the table (see
// Statements), inside a SAVEPOINT, recreating its indexes and triggers from
// sqlite_master. Dropping the old table with foreign keys on would delete
// the rows that reference it, so Apply turns foreign keys off around the
// rebuild and runs PRAGMA foreign_key_check after it (a violation is an
// error wrapping ErrForeignKeyViolation, and the rebuild is rolled back).
// Foreign keys cannot be turned off inside a transaction: there, a rebuild
// of a table that other tables (or itself) reference is refused with an
// error wrapping ErrForeignKeysOn, unless foreign keys are already off —
// as they are in a migration run by the Runner, which checks them before
// it commits. A *sql.DB is pinned to one connection for the whole call,
// since the pragmas belong to a connection.
func Apply(ctx context.Context, q Execer, d dialect.Dialect, ops ...Op) (err error) {
	if d == nil {
		return fmt.Errorf("%w: Apply: nil dialect (DialectFrom returns nil outside a migration runner: pass the engine's dialect)", ErrInvalid)
	}
	if q == nil {
		return fmt.Errorf("%w: Apply: nil Execer", ErrInvalid)
	}
	for i, op := range ops {
		if op == nil {
			return fmt.Errorf("%w: Apply: operation %d is nil", ErrInvalid, i+1)
		}
	}
	a := &applier{q: q, d: d, rebuilds: !d.Has(dialect.AddConstraint)}
	if db, ok := q.(*sql.DB); ok && a.rebuilds {
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("kinglet: ddl: Apply: connect: %w", err)
		}
		defer func() { closeConn(conn, a.broken) }()
		a.q = conn
	}
	for _, op := range ops {
		if err := a.apply(ctx, op); err != nil {
			return err
		}
	}
	return nil
}

// applier runs operations on one Execer.
type applier struct {
	q        Execer
	d        dialect.Dialect
	rebuilds bool // SQLite: changes ALTER TABLE cannot make rebuild the table
	broken   bool // a pragma could not be restored: discard the pinned connection
}

func (a *applier) apply(ctx context.Context, op Op) error {
	r := newRenderer(a.d, nil)
	switch op.(type) {
	case CreateTable, DropTable, RenameTable:
	default:
		name := opTableName(op)
		if name == "" {
			break // step reports it
		}
		t, err := schema.InspectTable(ctx, a.q, a.d, name)
		switch {
		case errors.Is(err, schema.ErrNoTable):
			// Let the statement fail with the engine's own message (or the
			// renderer ask for the table it needs).
		case err != nil:
			return &OpError{Op: op, Err: err}
		default:
			r.s.Tables = []*schema.Table{t}
			if a.rebuilds {
				objs, err := readSQLiteObjects(ctx, a.q, t.Name)
				if err != nil {
					return &OpError{Op: op, Err: err}
				}
				r.sqlite = map[string]*sqliteObjects{strings.ToLower(t.Name): objs}
			}
		}
	}
	p, err := r.step(op)
	if err != nil {
		return err
	}
	if p.rebuild != nil {
		return a.rebuild(ctx, op, p.rebuild)
	}
	return a.exec(ctx, op, p.stmts...)
}

// exec runs statements, failing with the op and the statement.
func (a *applier) exec(ctx context.Context, op Op, stmts ...string) error {
	for _, s := range stmts {
		if _, err := a.q.ExecContext(ctx, s); err != nil {
			return &OpError{Op: op, SQL: s, Err: err}
		}
	}
	return nil
}

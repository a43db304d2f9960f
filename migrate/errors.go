package migrate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/migrate/internal/sqlite"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// Errors wrapped by the runner's errors; check them with errors.Is.
var (
	// ErrInvalid marks a migration source that cannot be used: an unparsable
	// file name, a duplicate version, a Go step and a file with the same
	// version, SQL that cannot be split, a bad option. New reports these.
	ErrInvalid = errors.New("kinglet: migrate: invalid migrations")
	// ErrChecksumMismatch marks an applied SQL migration whose file was
	// edited since; see AllowChecksumMismatch.
	ErrChecksumMismatch = errors.New("kinglet: migrate: applied migration was changed")
	// ErrOutOfOrder marks pending migrations numbered below the latest
	// applied one; see AllowOutOfOrder.
	ErrOutOfOrder = errors.New("kinglet: migrate: pending migrations are older than the latest applied one")
	// ErrIrreversible marks a roll-back through a migration without a down
	// step (no .down.sql file, or a Go migration without Down).
	ErrIrreversible = errors.New("kinglet: migrate: migration cannot be rolled back")
	// ErrMissing marks a roll-back through an applied migration whose source
	// is no longer among the runner's migrations.
	ErrMissing = errors.New("kinglet: migrate: applied migration has no source")
	// ErrLockLost marks a run that found another runner holding its lock
	// (SQLite's lease expired while this runner was stalled).
	ErrLockLost = errors.New("kinglet: migrate: migration lock lost")
	// ErrForeignKeyViolation marks rows that reference a missing parent
	// after a SQLite migration ran with foreign keys off (PRAGMA
	// foreign_key_check before the commit). It is ddl.ErrForeignKeyViolation
	// too, which a table rebuild outside the runner wraps.
	ErrForeignKeyViolation = sqlite.ErrForeignKeyViolation
)

// PartialError is returned when a migration fails: the migrations before it
// in the same call were applied (and recorded), the failed one was not
// recorded. Err says why, as a *StatementError when one SQL statement failed.
type PartialError struct {
	Applied []Result // completed before the failure, in order
	Failed  *Result  // the migration that failed (its Duration is the time spent)
	Err     error
}

// Error says which migration failed, after how many applied, and why.
func (e *PartialError) Error() string {
	var b strings.Builder
	b.WriteString("kinglet: migrate: ")
	if e.Failed != nil {
		fmt.Fprintf(&b, "%s %s failed", e.Failed.label(), e.Failed.Direction)
	} else {
		b.WriteString("migration failed")
	}
	if n := len(e.Applied); n > 0 {
		fmt.Fprintf(&b, " after %d applied (last %s)", n, e.Applied[n-1].label())
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "kinglet: migrate: "))
	}
	return b.String()
}

// Unwrap returns the failed migration's error.
func (e *PartialError) Unwrap() error { return e.Err }

// StatementError is the failure of one statement of a SQL migration.
type StatementError struct {
	Path  string // the file, as named in its fs.FS
	Index int    // 1-based position of the statement in the file
	Total int    // statements in the file
	Line  int    // line the statement starts on
	SQL   string // the statement
	// Committed reports whether statements before it may already be
	// committed: they ran outside a transaction (no-transaction) or the
	// engine commits DDL implicitly (MySQL, MariaDB). Nothing after a
	// failure is recorded in the history, so it stays accurate either way.
	Committed bool
	Engine    string // the engine, when it is why Committed is set
	Err       error
}

// Error names the file, line and statement that failed, and the error.
func (e *StatementError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: statement %d of %d failed: %s: %v", e.Path, e.Line, e.Index, e.Total, sqltext.Clip(e.SQL, 200), e.Err)
	if e.Committed && e.Index > 1 {
		if e.Index == 2 {
			b.WriteString("; statement 1 may")
		} else {
			b.WriteString("; statements 1–" + strconv.Itoa(e.Index-1) + " may")
		}
		b.WriteString(" already be committed")
		if e.Engine != "" {
			b.WriteString(" (" + e.Engine + " commits DDL implicitly)")
		} else {
			b.WriteString(" (the migration runs without a transaction)")
		}
		if e.Index == 2 {
			b.WriteString(": it is not undone")
		} else {
			b.WriteString(": they are not undone")
		}
		b.WriteString(", and the history does not record this migration; repair the database, or make the migration idempotent, before running it again")
	}
	return b.String()
}

// Unwrap returns the database's error.
func (e *StatementError) Unwrap() error { return e.Err }

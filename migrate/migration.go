package migrate

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// Migration is a migration written in Go, registered with WithGo. It takes
// its place in the version sequence with the SQL files.
type Migration struct {
	Version int64  // > 0, unique among all migrations
	Name    string // e.g. "backfill_emails"; recorded in the history
	// Up applies the migration; required. ctx carries the runner's
	// dialect, so schema operations are applied with
	// ddl.Apply(ctx, tx, migrate.DialectFrom(ctx), ops...).
	Up func(ctx context.Context, tx Execer) error
	// Down reverts it; nil makes the migration irreversible.
	Down func(ctx context.Context, tx Execer) error
	// NoTx runs Up and Down outside a transaction, on the runner's one
	// connection (for statements such as CREATE INDEX CONCURRENTLY).
	NoTx bool
}

// Execer is what a Go migration runs its statements on: the migration's
// transaction (a *sql.Tx; on SQLite the runner's connection inside BEGIN
// IMMEDIATE), or with NoTx the runner's *sql.Conn. Placeholders are the
// engine's own ($1 on PostgreSQL, ? elsewhere); query.Build writes them.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Kind is how a migration is written.
type Kind int

// Kinds of migrations.
const (
	SQL Kind = iota + 1 // a pair of .up.sql / .down.sql files
	Go                  // a Migration registered with WithGo
)

// String is sql or go.
func (k Kind) String() string {
	switch k {
	case SQL:
		return "sql"
	case Go:
		return "go"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Direction is whether a migration was applied or rolled back.
type Direction int

// Directions.
const (
	Up Direction = iota + 1
	Down
)

// String is up or down.
func (d Direction) String() string {
	switch d {
	case Up:
		return "up"
	case Down:
		return "down"
	}
	return "direction(" + strconv.Itoa(int(d)) + ")"
}

// Result is one migration applied or rolled back.
type Result struct {
	Version   int64
	Name      string
	Kind      Kind
	Path      string // the SQL file run, as named in its fs.FS; empty for Go
	Direction Direction
	Duration  time.Duration
	// Statements are the SQL statements of a SQL migration's file, in
	// order, in the results of a dry run (DryRun); nil otherwise, and for
	// a Go migration, whose statements are known only when it runs.
	Statements []string
}

// label names the migration in messages: 0002_add_email.
func (r *Result) label() string { return label(r.Version, r.Name) }

func label(v int64, name string) string {
	s := strconv.FormatInt(v, 10)
	for len(s) < 4 {
		s = "0" + s
	}
	return s + "_" + name
}

// State is where a migration stands; see Runner.Status.
type State int

// States of a migration.
const (
	Applied    State = iota + 1 // recorded in the history
	Pending                     // not applied, numbered above every applied one
	OutOfOrder                  // not applied, numbered below an applied one (see AllowOutOfOrder)
	Missing                     // recorded in the history, but no longer among the sources
)

// String is applied, pending, out of order or missing.
func (s State) String() string {
	switch s {
	case Applied:
		return "applied"
	case Pending:
		return "pending"
	case OutOfOrder:
		return "out of order"
	case Missing:
		return "missing"
	}
	return "state(" + strconv.Itoa(int(s)) + ")"
}

// MigrationStatus is one line of Runner.Status.
type MigrationStatus struct {
	Version int64
	Name    string // the source's name; the recorded one when Missing
	Kind    Kind   // zero when Missing
	Path    string // the .up.sql file; empty for Go and Missing
	State   State
	// Changed reports an applied SQL migration whose file no longer matches
	// the checksum recorded when it was applied.
	Changed    bool
	Reversible bool          // it has a down step
	AppliedAt  time.Time     // UTC; zero unless Applied or Missing
	Duration   time.Duration // how long it took to apply, to the millisecond
}

package orm

import (
	"errors"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// Classes of database errors, found by the drivers' codes (PostgreSQL's
// SQLSTATE, MySQL's and MariaDB's error number, SQLite's extended result
// code), never by message text. Every database error kinglet returns —
// from Insert, Update, Get, Select, Exec, ExecContext, QueryContext, Tx's
// begin and commit, and the rows they read — matches its class with
// errors.Is, and still unwraps to the driver's own error, so
// errors.As(err, &pgErr) works as before:
//
//	if errors.Is(err, orm.ErrUniqueViolation) { … }
//
// An error got elsewhere (a *sql.Rows read by hand, db.SQL() directly) is
// classified by Classify. IsRetryable reports the classes a transaction
// can be run again for.
var (
	// ErrSerialization is a transaction that could not be serialized with
	// a concurrent one: PostgreSQL 40001; MariaDB 1020 ("record has
	// changed since last read", under innodb_snapshot_isolation). Run the
	// transaction again.
	ErrSerialization error = &errClass{"serialization failure"}
	// ErrDeadlock is a transaction chosen as a deadlock's victim and
	// rolled back: PostgreSQL 40P01, MySQL/MariaDB 1213 (which is also how
	// a Galera cluster reports a certification failure). Run the
	// transaction again.
	ErrDeadlock error = &errClass{"deadlock"}
	// ErrBusy is SQLite's database file locked by another connection:
	// SQLITE_BUSY and SQLITE_LOCKED with their extended codes (5, 261,
	// 517, 773, 6, 262, 518). SQLite reports with it both a write lock
	// it waited for past the busy timeout and a transaction that cannot
	// take the write lock because another connection wrote since it
	// began reading (517, at once): either way the statement or
	// transaction can be run again. It is its own class, not
	// ErrSerialization or ErrDeadlock, because it is SQLite's only one:
	// IsRetryable covers all three.
	ErrBusy error = &errClass{"database is busy"}
	// ErrLockTimeout is a wait for a row or table lock that ran out:
	// PostgreSQL 55P03 (lock_timeout, NOWAIT), MySQL/MariaDB 1205
	// (innodb_lock_wait_timeout). On MySQL only the statement is rolled
	// back, not the transaction. Not retryable by IsRetryable: the lock's
	// holder may hold it for as long again.
	ErrLockTimeout error = &errClass{"lock timeout"}
	// ErrUniqueViolation is a duplicate value in a unique index or primary
	// key: PostgreSQL 23505, MySQL/MariaDB 1062 and 1586, SQLite 2067
	// (UNIQUE) and 1555 (PRIMARY KEY).
	ErrUniqueViolation error = &errClass{"unique violation"}
	// ErrForeignKeyViolation is a row whose foreign key has no parent, or a
	// parent deleted or changed while rows still refer to it: PostgreSQL
	// 23503, MySQL/MariaDB 1451, 1452, 1216 and 1217, SQLite 787.
	ErrForeignKeyViolation error = &errClass{"foreign key violation"}
	// ErrNotNullViolation is NULL written to a NOT NULL column:
	// PostgreSQL 23502, MySQL/MariaDB 1048 (and 1364, a NOT NULL column
	// without a default left out of an INSERT in strict mode), SQLite 1299.
	ErrNotNullViolation error = &errClass{"not-null violation"}
	// ErrCheckViolation is a row that fails a CHECK constraint: PostgreSQL
	// 23514, MySQL 3819, MariaDB 4025, SQLite 275.
	ErrCheckViolation error = &errClass{"check violation"}
)

// errClass is one class of database errors; its sentinels are the Err…
// variables above.
type errClass struct{ name string }

func (c *errClass) Error() string { return "kinglet: orm: " + c.name }

// Classify returns the class of err — one of ErrSerialization,
// ErrDeadlock, ErrBusy, ErrLockTimeout, ErrUniqueViolation,
// ErrForeignKeyViolation, ErrNotNullViolation, ErrCheckViolation — or nil
// when err is nil or belongs to none. It reads the driver's error anywhere
// in err's chain, so it classifies an error from the driver directly (a
// *sql.Rows read by hand, db.SQL()) as well as one kinglet returned.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	var c *classified
	if errors.As(err, &c) {
		return c.class
	}
	if c := classOf(err); c != nil {
		return c
	}
	return nil
}

// IsRetryable reports whether err is a conflict with a concurrent
// transaction that running the same transaction again can resolve: a
// serialization failure, a deadlock, or SQLite busy (see ErrBusy).
func IsRetryable(err error) bool {
	switch Classify(err) {
	case ErrSerialization, ErrDeadlock, ErrBusy:
		return true
	}
	return false
}

// IsUniqueViolation reports whether err is a unique or primary key
// violation from any of the three engines' drivers: errors.Is(err,
// ErrUniqueViolation), also for an error kinglet did not return.
func IsUniqueViolation(err error) bool { return Classify(err) == ErrUniqueViolation }

// classified is a database error of a known class: errors.Is(err, class)
// is true, and it unwraps to the driver's error.
type classified struct {
	class error // one of the Err… classes, an *errClass
	err   error
}

// Error names the class before the driver's message (MySQL's "Duplicate
// entry" does not say "unique"); the table is named by the message kinglet
// wraps it in, where it knows it.
func (e *classified) Error() string { return e.class.(*errClass).name + ": " + e.err.Error() }

func (e *classified) Unwrap() error { return e.err }

func (e *classified) Is(target error) bool { return target == e.class }

// dbErr is what kinglet returns for an error from the driver: err itself,
// or, when it belongs to a class, err wrapped so that errors.Is finds the
// class. It is called only on the error path.
func dbErr(err error) error {
	if err == nil {
		return nil
	}
	var c *classified
	if errors.As(err, &c) {
		return err // classified on its way up already
	}
	if class := classOf(err); class != nil {
		return &classified{class: class, err: err}
	}
	return err
}

// classOf reads the class from the driver error in err's chain.
func classOf(err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pgClass(pg.Code)
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return mysqlClass(my.Number, my.SQLState)
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return sqliteClass(lite.Code())
	}
	return nil
}

func pgClass(code string) error {
	switch code {
	case "40001":
		return ErrSerialization
	case "40P01":
		return ErrDeadlock
	case "55P03":
		return ErrLockTimeout
	case "23505":
		return ErrUniqueViolation
	case "23503":
		return ErrForeignKeyViolation
	case "23502":
		return ErrNotNullViolation
	case "23514":
		return ErrCheckViolation
	}
	return nil
}

func mysqlClass(n uint16, state [5]byte) error {
	switch n {
	case 1020: // ER_CHECKREAD: MariaDB's snapshot isolation conflict
		return ErrSerialization
	case 1213: // ER_LOCK_DEADLOCK, also Galera's certification failure
		return ErrDeadlock
	case 1205: // ER_LOCK_WAIT_TIMEOUT
		return ErrLockTimeout
	case 1062, 1586: // ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME
		return ErrUniqueViolation
	case 1451, 1452, 1216, 1217: // ER_ROW_IS_REFERENCED_2, ER_NO_REFERENCED_ROW_2, and their older forms
		return ErrForeignKeyViolation
	case 1048, 1364: // ER_BAD_NULL_ERROR, ER_NO_DEFAULT_FOR_FIELD
		return ErrNotNullViolation
	case 3819: // MySQL's ER_CHECK_CONSTRAINT_VIOLATED
		return ErrCheckViolation
	case 4025: // MariaDB's ER_CONSTRAINT_FAILED; MySQL numbers other errors 4025, never in class 23
		if state == [5]byte{'2', '3', '0', '0', '0'} {
			return ErrCheckViolation
		}
	}
	return nil
}

func sqliteClass(code int) error {
	switch code {
	case 2067, 1555: // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
		return ErrUniqueViolation
	case 787: // SQLITE_CONSTRAINT_FOREIGNKEY
		return ErrForeignKeyViolation
	case 1299: // SQLITE_CONSTRAINT_NOTNULL
		return ErrNotNullViolation
	case 275: // SQLITE_CONSTRAINT_CHECK
		return ErrCheckViolation
	}
	switch code & 0xff { // the primary code of an extended one
	case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
		return ErrBusy
	}
	return nil
}

package migrate

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
)

// mysqlEngine locks with GET_LOCK on the runner's pinned connection. Lock
// names are server-wide, so the name holds the database and the history
// table. GET_LOCK waits a second at a time so that a cancelled context is
// noticed; a runner that dies releases the lock with its session.
type mysqlEngine struct{}

// mysqlLockWait is how long one GET_LOCK call waits, in seconds.
const mysqlLockWait = 1

func (mysqlEngine) lock(ctx context.Context, r *Runner, conn *sql.Conn) (lease, error) {
	var db sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&db); err != nil {
		closeConn(conn, false)
		return nil, lockErr(ctx, err)
	}
	name := "kinglet_migrate:" + db.String + "." + r.table
	if len(name) > 64 { // the limit of lock names
		sum := sha256.Sum256([]byte(name))
		name = "kinglet_migrate:" + hex.EncodeToString(sum[:24])
	}
	waiting := false
	for {
		var got sql.NullInt64
		err := conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", name, mysqlLockWait).Scan(&got)
		switch {
		case err != nil:
			discard(conn) // the lock may have been granted as ctx ended
			return nil, lockErr(ctx, err)
		case !got.Valid:
			discard(conn)
			return nil, lockErr(ctx, fmt.Errorf("GET_LOCK(%q) failed", name))
		case got.Int64 == 1:
			return mysqlLease{name}, nil
		}
		if err := ctx.Err(); err != nil {
			closeConn(conn, false)
			return nil, lockErr(ctx, err)
		}
		if !waiting {
			waiting = true
			r.log.InfoContext(ctx, "migrate: waiting for the migration lock", "lock", name)
		}
	}
}

type mysqlLease struct{ name string }

func (mysqlLease) check(context.Context, Execer) error { return nil }

func (l mysqlLease) release(ctx context.Context, conn *sql.Conn, broken bool) error {
	if broken {
		discard(conn) // ending the session releases the lock
		return nil
	}
	var ok sql.NullInt64
	err := conn.QueryRowContext(ctx, "SELECT RELEASE_LOCK(?)", l.name).Scan(&ok)
	if err == nil && ok.Int64 != 1 {
		err = fmt.Errorf("the lock %q was not held", l.name)
	}
	if err != nil {
		discard(conn)
		return fmt.Errorf("kinglet: migrate: release the migration lock (the connection was closed instead): %w", err)
	}
	return conn.Close()
}

func (mysqlEngine) begin(ctx context.Context, conn *sql.Conn) (txn, error) {
	return conn.BeginTx(ctx, nil)
}

func (mysqlEngine) tableExists(ctx context.Context, q Execer, table string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.tables "+
		"WHERE table_schema = DATABASE() AND table_name = ?", table).Scan(&n)
	return n > 0, err
}

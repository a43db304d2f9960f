package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
)

// postgresEngine locks with a session-level advisory lock, taken and
// released on the runner's pinned connection. The key is a hash of the
// schema and the history table, so runners of other schemas do not wait.
// A runner that dies releases it with its session.
type postgresEngine struct{}

func (postgresEngine) lock(ctx context.Context, r *Runner, conn *sql.Conn) (lease, error) {
	var schema sql.NullString // NULL with an empty search_path
	if err := conn.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		closeConn(conn, false)
		return nil, lockErr(ctx, err)
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "kinglet/migrate\x00%s\x00%s", schema.String, r.table)
	key := int64(h.Sum64())
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok); err != nil {
		discard(conn)
		return nil, lockErr(ctx, err)
	}
	if !ok {
		r.log.InfoContext(ctx, "migrate: waiting for the migration lock", "table", r.table, "schema", schema.String)
		// Blocks until granted; cancelling ctx cancels the query. The
		// connection is discarded on error, since the lock may have been
		// granted as the cancel arrived: ending the session releases it.
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
			discard(conn)
			return nil, lockErr(ctx, err)
		}
	}
	return pgLease{key}, nil
}

type pgLease struct{ key int64 }

func (pgLease) check(context.Context, Execer) error { return nil }

func (l pgLease) release(ctx context.Context, conn *sql.Conn, broken bool) error {
	if broken {
		discard(conn) // ending the session releases the lock
		return nil
	}
	var ok bool
	err := conn.QueryRowContext(ctx, "SELECT pg_advisory_unlock($1)", l.key).Scan(&ok)
	if err == nil && !ok {
		err = fmt.Errorf("the advisory lock %d was not held", l.key)
	}
	if err != nil {
		discard(conn)
		return fmt.Errorf("kinglet: migrate: release the migration lock (the connection was closed instead): %w", err)
	}
	return conn.Close()
}

func (postgresEngine) begin(ctx context.Context, conn *sql.Conn) (txn, error) {
	return conn.BeginTx(ctx, nil)
}

func (postgresEngine) tableExists(ctx context.Context, q Execer, table string) (bool, error) {
	var ok bool
	err := q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM information_schema.tables "+
		"WHERE table_schema = current_schema() AND table_name = $1)", table).Scan(&ok)
	return ok, err
}

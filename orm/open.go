package orm

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kingletdb/kinglet/internal/dsn"
)

// ErrInvalidURL is wrapped by Open's error for a URL that cannot name a
// database: no scheme, an unknown scheme, no SQLite path, unparsable
// parameters, or a mysql:// URL written as go-sql-driver's DSN.
var ErrInvalidURL = dsn.ErrInvalidURL

// Open connects to the database named by a DATABASE_URL-style string and
// detects its dialect from the server version:
//
//	sqlite:app.db             a file (WAL journal, foreign keys on, 5 s busy timeout,
//	                          no double-quoted strings, write transactions BEGIN IMMEDIATE,
//	                          times stored as SQLite's text format)
//	sqlite::memory:           a private in-memory database (one connection, so all queries see it)
//	postgres://user@host/db   PostgreSQL on a pgx pool, used natively (see OpenPool)
//	mysql://user:pw@host:3306/db   MySQL or MariaDB: parseTime, UTC, utf8mb4
//
// Query parameters after ? are passed to the driver (for sqlite:, as the
// file URI's parameters; e.g. sqlite:app.db?_pragma=synchronous(NORMAL)),
// and each of the defaults above stands unless the URL sets it. A mysql://
// URL is a URL, not go-sql-driver's DSN: mysql://root@127.0.0.1:3306/db,
// not mysql://root@tcp(127.0.0.1:3306)/db. Passwords never appear in its
// errors.
//
// SQLite connections are opened with _dqs=0: SQLite then no longer takes a
// double-quoted name that is no column as a string literal, so raw SQL
// with a misspelled "identifier" fails ("no such column") instead of
// comparing with a string (a DELETE … WHERE "nmae" <> 'a' would delete
// every row). A string literal in SQL is single-quoted; a legacy schema or
// query that relies on double-quoted strings opens with
// sqlite:app.db?_dqs=1. With _txlock=immediate a transaction that may
// write takes the write lock at BEGIN (see DB.Tx, Immediate, Deferred),
// and the DB queues its writers for as long as the busy timeout (see New).
//
// A postgres:// URL opens a pgx pool and a DB over it, as OpenPool does:
// the ORM's statements run on pgx directly, the fastest path (about 0.75×
// the time of database/sql to read 100 rows), and DB.SQL() is a
// database/sql handle on the same pool, for transactions, QueryContext and
// code that takes a *sql.DB. pgx reads the URL's parameters as its
// database/sql driver does (sslmode, search_path, options,
// connect_timeout, …) and the pool's own: pool_max_conns sizes the pool
// (pgx's default: 4, or the number of CPUs if more), pool_max_conn_idle_time
// and the others. Close closes the pool. For database/sql's own pool
// instead, open one with pgx's driver ("pgx") and use New.
//
// opts configure the DB: Replicas(url...) adds read replicas, to which
// reads outside a transaction go (see DB.WithReplicas for what runs where,
// and ReplicaBalance, MaxReplicaLag and ReplicaChecks for how).
func Open(ctx context.Context, rawURL string, opts ...Option) (*DB, error) {
	var cfg *openConfig
	if len(opts) > 0 {
		if cfg = newOpenConfig(opts); cfg.err != nil {
			return nil, cfg.err
		}
		if err := cfg.errNoReplicas(); err != nil {
			return nil, err
		}
	}
	db, err := open(ctx, rawURL)
	if err != nil || cfg == nil || len(cfg.replicaURLs) == 0 {
		return db, err
	}
	routed, err := db.route(ctx, nil, cfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	return routed, nil
}

// open is Open without options.
func open(ctx context.Context, rawURL string) (*DB, error) {
	if driver, _, _, err := dsn.Parse(rawURL); err == nil && driver == "pgx" {
		db, err := openPgx(ctx, rawURL)
		if err == nil {
			db.addr = urlHost(rawURL)
		}
		return db, err
	}
	sdb, d, err := dsn.Open(ctx, rawURL)
	if err != nil {
		return nil, errorf("kinglet: orm: %w", err)
	}
	db := New(sdb, d)
	db.addr = urlHost(rawURL)
	if wait, ok := dsn.BusyTimeout(rawURL); ok && db.wlock != nil {
		db.wlock.wait = wait // writers wait for each other as long as for another process
	}
	return db, nil
}

// openPgx is Open for a postgres:// URL: a pgx pool, which the DB owns.
func openPgx(ctx context.Context, rawURL string) (*DB, error) {
	cfg, err := dsn.PgxConfig(rawURL)
	if err != nil {
		return nil, errorf("kinglet: orm: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, errorf("kinglet: orm: connect to postgres: %w", err)
	}
	db, err := OpenPool(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	db.own = pool
	return db, nil
}

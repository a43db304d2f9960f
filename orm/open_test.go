package orm_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

// openURL opens rawURL and closes it with the test.
func openURL(t *testing.T, rawURL string) *orm.DB {
	t.Helper()
	db, err := orm.Open(t.Context(), rawURL)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenSQLiteFile(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "app.db")
	db := openURL(t, "sqlite:"+path)
	assert.Equal(t, "sqlite", db.Dialect().Name())

	// Every connection of the pool gets the pragmas: hold several at once.
	var conns []interface{ Close() error }
	for i := range 3 {
		c, err := db.SQL().Conn(ctx)
		require.NoError(t, err)
		conns = append(conns, c)
		var journal string
		var fk, busy int
		require.NoError(t, c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal))
		require.NoError(t, c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
		require.NoError(t, c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
		assert.Equal(t, "wal", strings.ToLower(journal), "conn %d journal_mode", i)
		assert.Equal(t, 1, fk, "conn %d foreign_keys", i)
		assert.Equal(t, 5000, busy, "conn %d busy_timeout", i)
	}
	for _, c := range conns {
		c.Close()
	}

	require.NoError(t, db.CreateTables(ctx, &kUser{}, &kTweet{}))
	u := &kUser{Username: "file"}
	require.NoError(t, db.Insert(ctx, u))
	_, err := os.Stat(path)
	require.NoError(t, err, "the database file exists")

	// Foreign keys are enforced.
	err = db.Insert(ctx, &kTweet{UserID: 999, Content: "orphan"})
	require.Error(t, err)
}

func TestOpenSQLiteMemory(t *testing.T) {
	ctx := t.Context()
	db := openURL(t, "sqlite::memory:")
	assert.Equal(t, "sqlite", db.Dialect().Name())
	assert.Equal(t, 1, db.SQL().Stats().MaxOpenConnections, "one connection, so every query sees the same database")

	require.NoError(t, db.CreateTables(ctx, &kUser{}))
	for _, name := range []string{"a", "b", "c"} {
		require.NoError(t, db.Insert(ctx, &kUser{Username: name}))
	}
	n, err := orm.Select[kUser](db).Count(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 3, n)
	// A transaction and a query after it still see the same database.
	require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error { return tx.Insert(ctx, &kUser{Username: "d"}) }))
	n, err = orm.Select[kUser](db).Count(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 4, n)

	// A second in-memory database is a different one.
	other := openURL(t, "sqlite::memory:")
	_, err = orm.Select[kUser](other).Count(ctx)
	require.Error(t, err, "the table exists only in the first in-memory database")
}

func TestOpenPostgres(t *testing.T) {
	tdb := testdb.Open(t, testdb.Postgres) // an isolated schema; its DSN is a postgres:// URL
	require.True(t, strings.HasPrefix(tdb.DSN, "postgres://") || strings.HasPrefix(tdb.DSN, "postgresql://"), "testdb's DSN is a URL: %s", tdb.DSN)
	ctx := t.Context()
	db := openURL(t, tdb.DSN)
	assert.Equal(t, "postgres", db.Dialect().Name())
	require.NoError(t, db.CreateTables(ctx, &kUser{}))
	require.NoError(t, db.Insert(ctx, &kUser{Username: "pg"}))
	got, err := orm.Select[kUser](db).One(ctx)
	require.NoError(t, err)
	assert.Equal(t, "pg", got.Username)

	// The default DSN from the environment, as documented.
	dsn := os.Getenv(testdb.EnvPostgresDSN)
	if dsn == "" {
		dsn = testdb.DefaultPostgresDSN
	}
	if strings.Contains(dsn, "://") {
		plain := openURL(t, dsn)
		var one int
		require.NoError(t, plain.SQL().QueryRowContext(ctx, "SELECT 1").Scan(&one))
		assert.Equal(t, 1, one)
	}
}

// TestOpenPostgresPgx: a postgres:// URL opens a pgx pool that the DB
// uses natively — the ORM's statements still run with DB.SQL() closed —
// with the URL's parameters applied as pgx's database/sql driver applies
// them (search_path, TimeZone, options) and the pool's own
// (pool_max_conns); DB.SQL() works on the same pool, and Close closes it.
func TestOpenPostgresPgx(t *testing.T) {
	tdb := testdb.Open(t, testdb.Postgres)
	ctx := t.Context()
	u, err := url.Parse(tdb.DSN) // has search_path=<the test's schema> and timezone=UTC
	require.NoError(t, err)
	u.RawQuery += "&pool_max_conns=3&options=-c%20statement_timeout%3D4321"
	db, err := orm.Open(ctx, u.String())
	require.NoError(t, err)
	defer db.Close()

	var schema, timeout, zone string
	require.NoError(t, db.SQL().QueryRowContext(ctx, "SELECT current_schema(), current_setting('statement_timeout'), current_setting('TimeZone')").Scan(&schema, &timeout, &zone))
	assert.Equal(t, tdb.Schema, schema, "search_path")
	assert.Equal(t, "4321ms", timeout, "options")
	assert.Equal(t, "UTC", zone)
	require.NoError(t, db.CreateTables(ctx, &kUser{}))
	var held []*sql.Conn
	for range 3 {
		c, err := db.SQL().Conn(ctx)
		require.NoError(t, err)
		held = append(held, c)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err = db.SQL().Conn(short)
	cancel()
	assert.ErrorIs(t, err, context.DeadlineExceeded, "pool_max_conns=3: a fourth connection waits")
	for _, c := range held {
		c.Close()
	}

	require.NoError(t, db.SQL().Close()) // database/sql only
	u1 := &kUser{Username: "native"}
	require.NoError(t, db.Insert(ctx, u1), "the ORM's statements run on the pool itself")
	got, err := orm.Get[kUser](ctx, db, u1.ID)
	require.NoError(t, err)
	assert.Equal(t, "native", got.Username)
	n, err := orm.Select[kUser](db).Count(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n)

	require.NoError(t, db.Close())
	_, err = orm.Select[kUser](db).All(ctx)
	assert.ErrorContains(t, err, "closed pool", "Close closed the pool Open made")
}

// mysqlURL turns testdb's go-sql-driver DSN into the mysql:// URL form.
func mysqlURL(t *testing.T, dsn string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err)
	u := url.URL{Scheme: "mysql", Host: cfg.Addr, Path: "/" + cfg.DBName}
	if cfg.Passwd != "" {
		u.User = url.UserPassword(cfg.User, cfg.Passwd)
	} else {
		u.User = url.User(cfg.User)
	}
	return u.String()
}

func TestOpenMySQL(t *testing.T) {
	tdb := testdb.Open(t, testdb.MySQL)
	ctx := t.Context()
	db := openURL(t, mysqlURL(t, tdb.DSN))
	assert.Equal(t, tdb.Dialect.Name(), db.Dialect().Name(), "dialect detected from the server version")
	if strings.Contains(strings.ToLower(tdb.Dialect.String()), "mariadb") {
		assert.Equal(t, "mariadb", db.Dialect().Name())
	}

	var tz, charset string
	require.NoError(t, db.SQL().QueryRowContext(ctx, "SELECT @@session.time_zone, @@character_set_connection").Scan(&tz, &charset))
	assert.Equal(t, "+00:00", tz)
	assert.Equal(t, "utf8mb4", charset)
	var now time.Time // parseTime: DATETIME scans into time.Time
	require.NoError(t, db.SQL().QueryRowContext(ctx, "SELECT NOW()").Scan(&now))
	assert.WithinDuration(t, time.Now(), now, time.Hour)
	assert.Equal(t, time.UTC, now.Location())

	// utf8mb4 stores characters outside the BMP.
	require.NoError(t, db.CreateTables(ctx, &kUser{}))
	u := &kUser{Username: "emoji 🐦"}
	require.NoError(t, db.Insert(ctx, u))
	got, err := orm.Get[kUser](ctx, db, u.ID)
	require.NoError(t, err)
	assert.Equal(t, "emoji 🐦", got.Username)

	// clientFoundRows: an update writing the current values still finds its row.
	require.NoError(t, db.Update(ctx, &got))
}

func TestOpenBadURLs(t *testing.T) {
	ctx := t.Context()
	cases := []struct {
		url  string
		want string // in the error
	}{
		{"", "no scheme"},
		{"app.db", "no scheme"},
		{"oracle://scott:tiger@db/orcl", "unknown database URL scheme"},
		{"sqlite:", "needs a file path"},
		{"sqlite://", "needs a file path"},
		{"sqlite:?mode=rwc", "needs a file path"},
		{"mysql://root:tiger@tcp(127.0.0.1:3306)/test", "write it as mysql://user:pass@host:3306/db"},
		{"postgres://postgres:tiger@[::1/db", "postgres URL"},
		{"postgres://postgres:tiger@127.0.0.1/db?pool_max_conns=many", "pool_max_conns"},
		{"postgres://postgres:tiger@127.0.0.1/db?sslmode=sometimes", "sslmode"},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			db, err := orm.Open(ctx, c.url)
			require.Error(t, err)
			assert.Nil(t, db)
			assert.Contains(t, err.Error(), c.want)
			assert.ErrorIs(t, err, orm.ErrInvalidURL)
			assert.True(t, strings.HasPrefix(err.Error(), "kinglet: orm: "), err.Error())
			assert.NotContains(t, err.Error(), "tiger", "the password is redacted")
		})
	}
}

func TestOpenRedactsPassword(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	for _, raw := range []string{
		"oracle://scott:s3cretpw@db/orcl",
		"oracle://scott:s3cretpw@[::1/orcl", // unparsable
		"mysql://root:s3cretpw@[::1/db",     // unparsable
		"mysql://root:s3cretpw@127.0.0.1:1/db",
		"postgres://postgres:s3cretpw@127.0.0.1:1/db?connect_timeout=2",
		"postgres://postgres:s3cretpw@[::1/db",
	} {
		t.Run(raw, func(t *testing.T) {
			db, err := orm.Open(ctx, raw)
			require.Error(t, err)
			assert.Nil(t, db)
			assert.NotContains(t, err.Error(), "s3cretpw")
		})
	}
}

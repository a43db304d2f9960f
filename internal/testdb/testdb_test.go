package testdb

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEngines(t *testing.T) {
	assert.Equal(t, []string{"sqlite", "postgres", "mysql"}, Engines())
	e := Engines()
	e[0] = "changed"
	assert.Equal(t, "sqlite", Engines()[0], "Engines returns a copy")
}

func TestDecide(t *testing.T) {
	refused := errors.New("connect to postgres://postgres@127.0.0.1:5432/test: connection refused")
	tests := []struct {
		name      string
		engine    string
		err       error
		required  string
		skip      bool
		fail      bool
		contains  []string
		forbidden []string
	}{
		{name: "reachable", engine: "postgres", err: nil, required: "sqlite,postgres,mysql"},
		{name: "reachable not required", engine: "mysql", err: nil, required: ""},
		{name: "unreachable not required", engine: "postgres", err: refused, required: "",
			skip: true, contains: []string{"skipping postgres", "connection refused", "KINGLET_POSTGRES_DSN",
				"KINGLET_REQUIRE_DIALECTS=postgres"}},
		{name: "unreachable other required", engine: "mysql", err: refused, required: "sqlite,postgres",
			skip: true, contains: []string{"skipping mysql", "KINGLET_MYSQL_DSN"}},
		{name: "unreachable required", engine: "postgres", err: refused, required: "sqlite,postgres,mysql",
			fail: true, contains: []string{"postgres is required", "KINGLET_REQUIRE_DIALECTS=sqlite,postgres,mysql",
				"connection refused", "KINGLET_POSTGRES_DSN"}, forbidden: []string{"skipping"}},
		{name: "required with spaces and case", engine: "mysql", err: refused, required: " SQLite , MySQL ",
			fail: true, contains: []string{"mysql is required"}},
		{name: "mariadb alias", engine: "mysql", err: refused, required: "mariadb", fail: true},
		{name: "postgresql alias", engine: "postgres", err: refused, required: "postgresql", fail: true},
		{name: "all", engine: "sqlite", err: refused, required: "all", fail: true},
		{name: "prefix is not a match", engine: "postgres", err: refused, required: "post", skip: true},
		{name: "empty items", engine: "postgres", err: refused, required: ",,", skip: true},
		{name: "sqlite unreachable", engine: "sqlite", err: refused, required: "",
			skip: true, contains: []string{"skipping sqlite"}, forbidden: []string{"KINGLET_SQLITE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skip, fail, msg := decide(tt.engine, tt.err, tt.required)
			assert.Equal(t, tt.skip, skip, "skip")
			assert.Equal(t, tt.fail, fail, "fail")
			assert.False(t, skip && fail, "never both")
			if tt.err == nil {
				assert.Empty(t, msg)
			} else {
				assert.Contains(t, msg, tt.engine)
			}
			for _, s := range tt.contains {
				assert.Contains(t, msg, s)
			}
			for _, s := range tt.forbidden {
				assert.NotContains(t, msg, s)
			}
		})
	}
}

func TestRequired(t *testing.T) {
	t.Setenv(EnvRequire, "sqlite,mysql")
	assert.True(t, Required("sqlite"))
	assert.True(t, Required("mysql"))
	assert.True(t, Required("mariadb"))
	assert.False(t, Required("postgres"))
	t.Setenv(EnvRequire, "")
	assert.False(t, Required("sqlite"))
}

// The verdict for an unreachable server comes quickly, names the engine and
// the DSN, and never shows the password.
func TestUnreachable(t *testing.T) {
	for _, tc := range []struct{ engine, env, dsn string }{
		{Postgres, EnvPostgresDSN, "postgres://postgres:s3cret@127.0.0.1:1/test?sslmode=disable"},
		{MySQL, EnvMySQLDSN, "root:s3cret@tcp(127.0.0.1:1)/test?parseTime=true"},
	} {
		t.Run(tc.engine, func(t *testing.T) {
			t.Setenv(tc.env, tc.dsn)
			s := &server{engine: tc.engine}
			start := time.Now()
			s.connect()
			require.Error(t, s.err)
			assert.Less(t, time.Since(start), pingTimeout+2*time.Second)
			assert.Contains(t, s.err.Error(), "127.0.0.1:1")
			assert.NotContains(t, s.err.Error(), "s3cret")
			assert.Nil(t, s.admin)

			skip, fail, msg := decide(tc.engine, s.err, "")
			assert.True(t, skip)
			assert.False(t, fail)
			assert.NotContains(t, msg, "s3cret")
			skip, fail, _ = decide(tc.engine, s.err, tc.engine)
			assert.False(t, skip)
			assert.True(t, fail)
		})
	}
}

// fakeTB records Fatal/Skip calls instead of stopping the test.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Fatal(args ...any)                 { f.fatal = fmt.Sprint(args...) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.fatal = fmt.Sprintf(format, args...) }
func (f *fakeTB) Skip(args ...any)                  { f.skip = fmt.Sprint(args...) }

func TestOpenUnknownEngine(t *testing.T) {
	f := &fakeTB{}
	assert.Nil(t, Open(f, "oracle"))
	assert.Contains(t, f.fatal, `unknown engine "oracle"`)
	assert.Contains(t, f.fatal, "sqlite, postgres, mysql")
}

func TestRedact(t *testing.T) {
	assert.Equal(t, "postgres://postgres:xxxxx@h:5432/test?sslmode=disable",
		redact(Postgres, "postgres://postgres:pw@h:5432/test?sslmode=disable"))
	assert.NotContains(t, redact(Postgres, "postgres://u@h/test?password=pw"), "pw&")
	assert.NotContains(t, redact(Postgres, "postgres://u@h/test?password=pw"), "=pw")
	assert.Equal(t, "host=h password=xxxxx user=u", redact(Postgres, "host=h password=pw user=u"))
	assert.Equal(t, "host=h password=xxxxx user=u", redact(Postgres, "host=h password='p w' user=u"))
	assert.Equal(t, DefaultPostgresDSN, redact(Postgres, DefaultPostgresDSN))
	m := redact(MySQL, "root:pw@tcp(127.0.0.1:3306)/test?parseTime=true")
	assert.NotContains(t, m, ":pw@")
	assert.Contains(t, m, "root:xxxxx@tcp(127.0.0.1:3306)/test")
	assert.Contains(t, redact(MySQL, DefaultMySQLDSN), "root@tcp(127.0.0.1:3306)/test")
}

func TestPgWithParams(t *testing.T) {
	got, err := pgWithParams("postgres://u@h:5432/db?sslmode=disable&search_path=public&TimeZone=Europe/Paris",
		map[string]string{"search_path": "kt_1"}, map[string]string{"timezone": "UTC"})
	require.NoError(t, err)
	u, err := url.Parse(got)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, "kt_1", q.Get("search_path"))
	assert.Equal(t, "disable", q.Get("sslmode"))
	assert.Equal(t, "Europe/Paris", q.Get("TimeZone"), "an explicit time zone is kept")
	assert.False(t, q.Has("timezone"))

	got, err = pgWithParams("postgresql://u@h/db", map[string]string{"search_path": "kt_2"}, map[string]string{"timezone": "UTC"})
	require.NoError(t, err)
	u, err = url.Parse(got)
	require.NoError(t, err)
	assert.Equal(t, "kt_2", u.Query().Get("search_path"))
	assert.Equal(t, "UTC", u.Query().Get("timezone"))

	got, err = pgWithParams("host=h user=u dbname=db", map[string]string{"search_path": "kt_3"}, map[string]string{"timezone": "UTC"})
	require.NoError(t, err)
	assert.Equal(t, "host=h user=u dbname=db search_path=kt_3 timezone=UTC", got)
	got, err = pgWithParams("host=h timezone=CET", nil, map[string]string{"timezone": "UTC"})
	require.NoError(t, err)
	assert.Equal(t, "host=h timezone=CET", got)
}

func TestMySQLDSN(t *testing.T) {
	dsn, err := mysqlDSN(DefaultMySQLDSN, "kt_9")
	require.NoError(t, err)
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err)
	assert.Equal(t, "kt_9", cfg.DBName)
	assert.True(t, cfg.ParseTime)
	assert.True(t, cfg.MultiStatements)
	assert.Equal(t, time.UTC, cfg.Loc)
	assert.Equal(t, "'+00:00'", cfg.Params["time_zone"])
	assert.True(t, cfg.ClientFoundRows, "rows affected counts matched rows, as orm.Open does")
}

func TestUniqueName(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		n := uniqueName()
		require.False(t, seen[n], "duplicate %s", n)
		seen[n] = true
		require.Regexp(t, `^kt_[0-9]+_[0-9]+_[0-9a-f]{6}$`, n)
		require.LessOrEqual(t, len(n), 63, "PostgreSQL identifiers are at most 63 bytes")
	}
}

// wantDialect is the dialect name the server of db must yield.
func wantDialect(t *testing.T, db *DB) string {
	if db.Engine != MySQL {
		return db.Engine
	}
	var v string
	require.NoError(t, db.DB.QueryRowContext(t.Context(), "SELECT VERSION()").Scan(&v))
	if strings.Contains(strings.ToLower(v), "mariadb") {
		return "mariadb"
	}
	return "mysql"
}

func TestOpen(t *testing.T) {
	Each(t, func(t *testing.T, db *DB) {
		require.NotNil(t, db)
		require.NotNil(t, db.DB)
		require.NotNil(t, db.Dialect)
		assert.Equal(t, t.Name()[strings.LastIndexByte(t.Name(), '/')+1:], db.Engine)
		assert.Equal(t, wantDialect(t, db), db.Dialect.Name())
		assert.NotEmpty(t, db.DSN)
		assert.NotEmpty(t, db.Schema)
		require.NoError(t, db.DB.PingContext(t.Context()))
		t.Logf("%s: dialect %s, schema %s", db.Engine, db.Dialect, db.Schema)

		// The isolated database is usable, and a pool of the test's own on
		// db.DSN reaches the same one.
		ctx := t.Context()
		_, err := db.DB.ExecContext(ctx, "CREATE TABLE probe (id INTEGER PRIMARY KEY, name VARCHAR(20))")
		require.NoError(t, err)
		_, err = db.DB.ExecContext(ctx, "INSERT INTO probe (id, name) VALUES (1, 'one')")
		require.NoError(t, err)
		own, err := sql.Open(db.DriverName(), db.DSN)
		require.NoError(t, err)
		defer own.Close()
		var name string
		require.NoError(t, own.QueryRowContext(ctx, "SELECT name FROM probe WHERE id = 1").Scan(&name))
		assert.Equal(t, "one", name)
	})
}

// A table created in one isolated database is invisible in another.
func TestIsolation(t *testing.T) {
	Each(t, func(t *testing.T, a *DB) {
		b := Open(t, a.Engine)
		require.NotEqual(t, a.Schema, b.Schema)
		ctx := t.Context()
		_, err := a.DB.ExecContext(ctx, "CREATE TABLE only_in_a (id INTEGER)")
		require.NoError(t, err)
		_, err = a.DB.ExecContext(ctx, "INSERT INTO only_in_a (id) VALUES (1)")
		require.NoError(t, err)

		var n int
		err = b.DB.QueryRowContext(ctx, "SELECT count(*) FROM only_in_a").Scan(&n)
		require.Error(t, err, "a table created in one isolated database is visible in another")

		// The same name can be created in both.
		_, err = b.DB.ExecContext(ctx, "CREATE TABLE only_in_a (id INTEGER)")
		require.NoError(t, err)
		require.NoError(t, b.DB.QueryRowContext(ctx, "SELECT count(*) FROM only_in_a").Scan(&n))
		assert.Equal(t, 0, n)
		require.NoError(t, a.DB.QueryRowContext(ctx, "SELECT count(*) FROM only_in_a").Scan(&n))
		assert.Equal(t, 1, n)
	})
}

// Many parallel tests each get their own database.
func TestParallelOpen(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]bool{}
			for i := range 6 {
				t.Run(fmt.Sprint(i), func(t *testing.T) {
					t.Parallel()
					db := Open(t, engine)
					mu.Lock()
					assert.False(t, seen[db.Schema])
					seen[db.Schema] = true
					mu.Unlock()
					ctx := t.Context()
					_, err := db.DB.ExecContext(ctx, "CREATE TABLE p (id INTEGER)")
					require.NoError(t, err)
					for j := range 5 {
						_, err = db.DB.ExecContext(ctx, fmt.Sprintf("INSERT INTO p (id) VALUES (%d)", j))
						require.NoError(t, err)
					}
					var n int
					require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT count(*) FROM p").Scan(&n))
					assert.Equal(t, 5, n)
				})
			}
		})
	}
}

// Cleanup closes the pool and drops the schema/database.
func TestCleanup(t *testing.T) {
	Each(t, func(t *testing.T, outer *DB) {
		var inner *DB
		t.Run("inner", func(t *testing.T) {
			inner = Open(t, outer.Engine)
			_, err := inner.DB.ExecContext(t.Context(), "CREATE TABLE leftover (id INTEGER)")
			require.NoError(t, err)
		})
		require.NotNil(t, inner)
		err := inner.DB.PingContext(t.Context())
		require.Error(t, err, "the pool is closed")
		assert.Contains(t, err.Error(), "database is closed")

		srv := servers[inner.Engine]
		var n int
		switch inner.Engine {
		case Postgres:
			require.NoError(t, srv.admin.QueryRowContext(t.Context(),
				"SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1", inner.Schema).Scan(&n))
		case MySQL:
			require.NoError(t, srv.admin.QueryRowContext(t.Context(),
				"SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", inner.Schema).Scan(&n))
		case SQLite:
			return // the file lives in the inner test's TempDir, which testing removes
		}
		assert.Zero(t, n, "%s %s still exists after cleanup", inner.Engine, inner.Schema)
	})
}

// eachConn holds n distinct connections of db's pool at once (so they really
// are n connections), runs fn on each, and releases them all.
func eachConn(t *testing.T, db *sql.DB, n int, fn func(i int, c *sql.Conn)) {
	var cs []*sql.Conn
	defer func() {
		for _, c := range cs {
			c.Close()
		}
	}()
	for range n {
		c, err := db.Conn(t.Context())
		require.NoError(t, err)
		cs = append(cs, c)
	}
	for i, c := range cs {
		fn(i, c)
	}
}

func TestSQLitePragmas(t *testing.T) {
	db := Open(t, SQLite)
	assert.Equal(t, "sqlite", db.Dialect.Name())
	eachConn(t, db.DB, maxOpenPerDB, func(i int, c *sql.Conn) {
		var fk, busy int
		var journal string
		require.NoError(t, c.QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk))
		require.NoError(t, c.QueryRowContext(t.Context(), "PRAGMA busy_timeout").Scan(&busy))
		require.NoError(t, c.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&journal))
		assert.Equal(t, 1, fk, "conn %d: foreign_keys", i)
		assert.Equal(t, 5000, busy, "conn %d: busy_timeout", i)
		assert.Equal(t, "wal", strings.ToLower(journal), "conn %d: journal_mode", i)
		// _dqs=0: a double-quoted name that is no column is an error, not a string.
		var s string
		err := c.QueryRowContext(t.Context(), `SELECT "nosuchcolumn"`).Scan(&s)
		require.Error(t, err, "conn %d: a double-quoted string literal was accepted (%q)", i, s)
		assert.Contains(t, err.Error(), "no such column", "conn %d", i)
	})
	assert.Contains(t, db.DSN, "_txlock=immediate")
	assert.Contains(t, db.DSN, "_dqs=0")

	// Foreign keys are really enforced.
	ctx := t.Context()
	_, err := db.DB.ExecContext(ctx, `CREATE TABLE parent (id INTEGER PRIMARY KEY);
		CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))`)
	require.NoError(t, err)
	_, err = db.DB.ExecContext(ctx, "INSERT INTO child (id, parent_id) VALUES (1, 42)")
	require.Error(t, err)
	assert.Contains(t, strings.ToLower(err.Error()), "foreign key")
}

func TestSQLitePathWithSpecialCharacters(t *testing.T) {
	t.Run("a b%20c#d", func(t *testing.T) {
		db := Open(t, SQLite)
		_, err := db.DB.ExecContext(t.Context(), "CREATE TABLE x (id INTEGER)")
		require.NoError(t, err)
		var file string
		require.NoError(t, db.DB.QueryRowContext(t.Context(), "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file))
		assert.Equal(t, db.Schema, file)
	})
}

func TestPostgresSearchPath(t *testing.T) {
	db := Open(t, Postgres)
	assert.Equal(t, "postgres", db.Dialect.Name())
	eachConn(t, db.DB, maxOpenPerDB, func(i int, c *sql.Conn) {
		var schema, tz string
		require.NoError(t, c.QueryRowContext(t.Context(), "SELECT current_schema()").Scan(&schema))
		require.NoError(t, c.QueryRowContext(t.Context(), "SHOW TimeZone").Scan(&tz))
		assert.Equal(t, db.Schema, schema, "conn %d", i)
		assert.Equal(t, "UTC", tz, "conn %d", i)
	})
}

func TestMySQLTimeZone(t *testing.T) {
	db := Open(t, MySQL)
	assert.Equal(t, wantDialect(t, db), db.Dialect.Name())
	ctx := t.Context()
	eachConn(t, db.DB, maxOpenPerDB, func(i int, c *sql.Conn) {
		var tz, current string
		require.NoError(t, c.QueryRowContext(ctx, "SELECT @@session.time_zone, DATABASE()").Scan(&tz, &current))
		assert.Equal(t, "+00:00", tz, "conn %d", i)
		assert.Equal(t, db.Schema, current, "conn %d", i)
	})
	// NOW() is UTC and scans as time.Time in UTC.
	var now time.Time
	require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT NOW()").Scan(&now))
	assert.Equal(t, time.UTC, now.Location())
	assert.WithinDuration(t, time.Now(), now, 2*time.Minute)
}

// time.Time values round-trip as the same instant on every engine.
func TestTimeRoundTrip(t *testing.T) {
	in := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.FixedZone("X", 2*3600))
	Each(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		typ, ph := map[string]string{SQLite: "DATETIME", Postgres: "TIMESTAMPTZ", MySQL: "DATETIME(6)"}[db.Engine], "?"
		if db.Engine == Postgres {
			ph = "$1"
		}
		_, err := db.DB.ExecContext(ctx, "CREATE TABLE tt (ts "+typ+")")
		require.NoError(t, err)
		_, err = db.DB.ExecContext(ctx, "INSERT INTO tt (ts) VALUES ("+ph+")", in)
		require.NoError(t, err)
		var out time.Time
		require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT ts FROM tt").Scan(&out))
		assert.True(t, in.Equal(out), "wrote %v, read %v", in, out)
		if db.Engine == MySQL { // loc=UTC; pgx returns time.Local for timestamptz
			assert.Equal(t, time.UTC, out.Location())
		}
	})
}

func TestAdminCached(t *testing.T) {
	for _, e := range []string{Postgres, MySQL} {
		t.Run(e, func(t *testing.T) {
			Open(t, e) // sets up (or skips)
			s := servers[e]
			a := s.admin
			s.once.Do(func() { t.Fatal("connect ran twice") })
			assert.Same(t, a, s.admin)
			assert.Equal(t, maxOpenAdmin, s.admin.Stats().MaxOpenConnections)
		})
	}
}

func TestPoolLimits(t *testing.T) {
	Each(t, func(t *testing.T, db *DB) {
		assert.Equal(t, maxOpenPerDB, db.DB.Stats().MaxOpenConnections)
	})
}

func TestPaths(t *testing.T) {
	assert.Equal(t, []string{"sqlite", "postgres", "postgres-pgx", "mysql"}, Paths())
	for path, engine := range map[string]string{"sqlite": "sqlite", "postgres": "postgres", "postgres-pgx": "postgres", "mysql": "mysql", "mariadb": "mysql"} {
		assert.Equal(t, engine, EngineOf(path), path)
	}
}

// TestEachPath: PostgreSQL runs twice, the second time with a pgx pool on
// the same isolated schema as the *sql.DB.
func TestEachPath(t *testing.T) {
	var seen []string
	EachPath(t, func(t *testing.T, db *DB) {
		seen = append(seen, db.Path)
		assert.Equal(t, EngineOf(db.Path), db.Engine)
		if db.Path != PostgresPgx {
			assert.Nil(t, db.Pool)
			return
		}
		require.NotNil(t, db.Pool)
		var schema string
		require.NoError(t, db.Pool.QueryRow(t.Context(), "SELECT current_schema()").Scan(&schema))
		assert.Equal(t, db.Schema, schema, "the pool is on the isolated schema")
		_, err := db.DB.ExecContext(t.Context(), "CREATE TABLE t (x INTEGER)")
		require.NoError(t, err)
		var n int
		require.NoError(t, db.Pool.QueryRow(t.Context(), "SELECT COUNT(*) FROM t").Scan(&n), "both reach the same tables")
	})
	if !t.Failed() && len(seen) > 0 {
		assert.Subset(t, Paths(), seen)
	}
}

package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"

	"github.com/kingletdb/kinglet/dialect"
	kdsn "github.com/kingletdb/kinglet/internal/dsn"
)

// Engine names, as used by [Open], [Each], [Engines] and KINGLET_REQUIRE_DIALECTS.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
	MySQL    = "mysql"
)

// PostgresPgx is PostgreSQL reached through a pgx pool as well, for the
// code that runs on one natively (orm.OpenPool, orm.Open's default): the
// path of [Paths] and [EachPath], and a name for [Open]. Its DB's Engine is
// Postgres, and its Pool is set. KINGLET_REQUIRE_DIALECTS names it
// postgres.
const PostgresPgx = "postgres-pgx"

// Environment variables and their defaults.
const (
	EnvPostgresDSN = "KINGLET_POSTGRES_DSN"
	EnvMySQLDSN    = "KINGLET_MYSQL_DSN"
	EnvRequire     = "KINGLET_REQUIRE_DIALECTS"

	DefaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	DefaultMySQLDSN    = "root@tcp(127.0.0.1:3306)/test?parseTime=true&multiStatements=true"
)

// Pool sizes and timeouts. Several test binaries run at once against the same
// servers (MariaDB allows 151 connections by default, PostgreSQL 100), so the
// pools stay small.
const (
	maxOpenPerDB   = 4
	maxOpenAdmin   = 2
	pingTimeout    = 3 * time.Second
	setupTimeout   = 30 * time.Second
	cleanupTimeout = 30 * time.Second
)

// sqliteExtra is what SQLite test databases add to the DSN parameters of
// orm.Open's sqlite: URLs (internal/dsn: foreign keys, a 5 s busy timeout,
// WAL, _dqs=0, _txlock=immediate, _time_format=sqlite), so that the tests
// run the way users do: synchronous=NORMAL, which under WAL loses no
// consistency, only durability on power loss, and saves an fsync per
// commit.
const sqliteExtra = "_pragma=synchronous(NORMAL)"

// DB is one isolated test database.
type DB struct {
	Engine  string          // "sqlite", "postgres" or "mysql"
	Dialect dialect.Dialect // detected from the server version (MariaDB → the MariaDB dialect)
	DB      *sql.DB         // pool on the isolated schema/database; closed by cleanup
	DSN     string          // DSN that reaches this isolated schema/database (for tests that open their own pools)
	// Schema is what isolates this DB: the PostgreSQL schema, the MySQL
	// database, or the SQLite file path.
	Schema string
	// Path is the name it was opened by: its Engine, or PostgresPgx.
	Path string
	// Pool is a pgx pool on the same isolated schema, for PostgresPgx
	// (nil otherwise), closed by cleanup before the schema is dropped.
	Pool *pgxpool.Pool
}

// DriverName returns the database/sql driver name for the engine: "sqlite",
// "pgx" or "mysql".
func (db *DB) DriverName() string { return driverName(db.Engine) }

// URL returns a DATABASE_URL-style string (sqlite:PATH, postgres://…,
// mysql://…) that reaches this isolated database, for code that opens it the
// way orm.Open and the kinglet command do. It is "" for a PostgreSQL DSN in
// keyword/value form or a MySQL DSN that does not parse.
func (db *DB) URL() string {
	switch db.Engine {
	case SQLite:
		return "sqlite:" + (&url.URL{Path: db.Schema}).EscapedPath()
	case Postgres:
		if strings.HasPrefix(db.DSN, "postgres://") || strings.HasPrefix(db.DSN, "postgresql://") {
			return db.DSN
		}
	case MySQL:
		cfg, err := mysql.ParseDSN(db.DSN)
		if err != nil {
			return ""
		}
		u := url.URL{Scheme: "mysql", Host: cfg.Addr, Path: "/" + cfg.DBName}
		if cfg.Passwd != "" {
			u.User = url.UserPassword(cfg.User, cfg.Passwd)
		} else {
			u.User = url.User(cfg.User)
		}
		return u.String()
	}
	return ""
}

var engines = []string{SQLite, Postgres, MySQL}

// Engines returns the engines every [Each] test runs on, in order.
func Engines() []string { return slices.Clone(engines) }

var paths = []string{SQLite, Postgres, PostgresPgx, MySQL}

// Paths returns the paths every [EachPath] test runs on, in order: the
// engines, and PostgreSQL a second time through a pgx pool (PostgresPgx).
func Paths() []string { return slices.Clone(paths) }

// EngineOf is the engine of a path: Postgres for PostgresPgx, else path.
func EngineOf(path string) string {
	if path == PostgresPgx {
		return Postgres
	}
	return canonical(path)
}

// Required reports whether engine is listed in KINGLET_REQUIRE_DIALECTS, in
// which case an unreachable server fails the test instead of skipping it.
func Required(engine string) bool { return isRequired(engine, os.Getenv(EnvRequire)) }

// Each runs fn as a subtest named after each engine (sqlite, postgres, mysql),
// with a fresh isolated database for each. An engine whose server is
// unreachable skips its subtest (or fails it, see [Required]).
func Each(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, engine := range engines {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine))
		})
	}
}

// EachPath is [Each] over [Paths]: PostgreSQL runs twice, as subtests
// postgres and postgres-pgx, the second with DB.Pool set (a test that
// wraps the database opens it over the pool, e.g. with orm.OpenPool).
func EachPath(t *testing.T, fn func(t *testing.T, db *DB)) {
	t.Helper()
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			fn(t, Open(t, path))
		})
	}
}

// Open returns a new isolated database on engine ("sqlite", "postgres" or
// "mysql", or the path "postgres-pgx"), dropped and closed by t.Cleanup.
// When the server is unreachable it skips the test, or fails it if the
// engine is [Required].
func Open(t testing.TB, engine string) *DB {
	t.Helper()
	path := engine
	engine = EngineOf(engine)
	srv, ok := servers[engine]
	if !ok {
		t.Fatalf("testdb: unknown engine %q (want one of %s)", engine, strings.Join(engines, ", "))
		return nil
	}
	srv.once.Do(srv.connect)
	if skip, fail, msg := decide(engine, srv.err, os.Getenv(EnvRequire)); fail {
		t.Fatal(msg)
	} else if skip {
		t.Skip(msg)
	}
	var (
		db  *DB
		err error
	)
	switch engine {
	case SQLite:
		db, err = srv.openSQLite(t)
	case Postgres:
		db, err = srv.openPostgres(t, path == PostgresPgx)
	case MySQL:
		db, err = srv.openMySQL(t)
	}
	if err != nil {
		t.Fatalf("testdb: %s: %v", path, err)
	}
	db.Path = engine
	if path == PostgresPgx {
		db.Path = path
	}
	return db
}

// decide turns the outcome of connecting to engine's server into what the
// test does: nothing (err == nil), skip, or fail when engine is listed in
// required (the value of KINGLET_REQUIRE_DIALECTS). msg says why and how to
// change it.
func decide(engine string, err error, required string) (skip, fail bool, msg string) {
	if err == nil {
		return false, false, ""
	}
	env := dsnEnv(engine)
	how := ""
	if env != "" {
		how = fmt.Sprintf("start the server or point %s at one", env)
	} else {
		how = "check the driver"
	}
	if isRequired(engine, required) {
		return false, true, fmt.Sprintf("testdb: %s is required (%s=%s) but not reachable: %v; %s",
			engine, EnvRequire, required, err, how)
	}
	return true, false, fmt.Sprintf("testdb: skipping %s: not reachable: %v; to run these tests %s "+
		"(set %s=%s to make this a failure)", engine, err, how, EnvRequire, engine)
}

// isRequired reports whether engine is named in the comma-separated list.
func isRequired(engine, list string) bool {
	engine = canonical(engine)
	for _, e := range strings.Split(list, ",") {
		e = canonical(strings.TrimSpace(e))
		if e == engine || e == "all" {
			return true
		}
	}
	return false
}

// canonical maps engine aliases to the engine names of this package.
func canonical(engine string) string {
	switch e := strings.ToLower(strings.TrimSpace(engine)); e {
	case "sqlite3":
		return SQLite
	case "postgresql", "pgx", "pg":
		return Postgres
	case "mariadb":
		return MySQL
	default:
		return e
	}
}

func dsnEnv(engine string) string {
	switch engine {
	case Postgres:
		return EnvPostgresDSN
	case MySQL:
		return EnvMySQLDSN
	}
	return ""
}

func driverName(engine string) string {
	switch engine {
	case Postgres:
		return "pgx"
	default:
		return engine
	}
}

// baseDSN returns the server DSN of engine from the environment or its default.
func baseDSN(engine string) string {
	switch engine {
	case Postgres:
		if v := os.Getenv(EnvPostgresDSN); v != "" {
			return v
		}
		return DefaultPostgresDSN
	case MySQL:
		if v := os.Getenv(EnvMySQLDSN); v != "" {
			return v
		}
		return DefaultMySQLDSN
	}
	return ""
}

// server is the per-process state of one engine: the admin pool, the detected
// dialect, or why the server could not be reached. It is set up once.
type server struct {
	engine  string
	once    sync.Once
	dsn     string // base DSN (from the environment)
	admin   *sql.DB
	dialect dialect.Dialect
	err     error
}

var servers = map[string]*server{
	SQLite:   {engine: SQLite},
	Postgres: {engine: Postgres},
	MySQL:    {engine: MySQL},
}

// connect opens the admin pool, pings it and detects the dialect. Any error
// is kept in s.err (the cached "unreachable" verdict).
func (s *server) connect() {
	s.dsn = baseDSN(s.engine)
	var (
		adminDSN string
		query    string
	)
	switch s.engine {
	case SQLite:
		adminDSN, query = ":memory:", "SELECT sqlite_version()"
	case Postgres:
		adminDSN, query = s.dsn, "SHOW server_version"
	case MySQL:
		cfg, err := mysql.ParseDSN(s.dsn)
		if err != nil {
			s.err = fmt.Errorf("bad DSN %s: %w", redact(s.engine, s.dsn), err)
			return
		}
		cfg.DBName = "" // CREATE/DROP DATABASE need no current database
		adminDSN, query = cfg.FormatDSN(), "SELECT VERSION()"
	}
	where := redact(s.engine, s.dsn)
	if s.engine == SQLite {
		where = "modernc.org/sqlite"
	}
	db, err := sql.Open(driverName(s.engine), adminDSN)
	if err != nil {
		s.err = fmt.Errorf("open %s: %w", where, err)
		return
	}
	db.SetMaxOpenConns(maxOpenAdmin)
	db.SetMaxIdleConns(maxOpenAdmin)
	db.SetConnMaxIdleTime(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), pingTimeout)
	defer cancel()
	var version string
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		s.err = fmt.Errorf("connect to %s: %w", where, err)
		return
	}
	if err := db.QueryRowContext(ctx, query).Scan(&version); err != nil {
		db.Close()
		s.err = fmt.Errorf("read server version from %s: %w", where, err)
		return
	}
	d, err := dialect.ForVersion(s.engine, version)
	if err != nil {
		db.Close()
		s.err = fmt.Errorf("detect dialect of %s: %w", where, err)
		return
	}
	if s.engine == SQLite {
		// Every SQLite test database is its own file; the in-memory admin
		// database was only needed for the version.
		db.Close()
		db = nil
	}
	s.admin, s.dialect = db, d
}

var seq atomic.Uint64

// uniqueName returns a schema/database name no other test, package or run
// uses concurrently: kt_<pid>_<counter>_<random>. It is lowercase, so that
// PostgreSQL's case folding and MySQL's lower_case_table_names do not matter.
func uniqueName() string {
	return fmt.Sprintf("kt_%d_%d_%06x", os.Getpid(), seq.Add(1), rand.Uint32()&0xffffff)
}

func (s *server) openSQLite(t testing.TB) (*DB, error) {
	path := filepath.Join(t.TempDir(), "kinglet.db")
	// The "file:" form is a SQLite URI, so the path is percent-escaped
	// (t.TempDir may contain '%', '#' or spaces taken from the test name).
	_, dsn, _, err := kdsn.Parse("sqlite:" + (&url.URL{Path: path}).EscapedPath() + "?" + sqliteExtra)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(maxOpenPerDB)
	db.SetMaxIdleConns(maxOpenPerDB)
	t.Cleanup(func() { db.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &DB{Engine: SQLite, Dialect: s.dialect, DB: db, DSN: dsn, Schema: path}, nil
}

func (s *server) openPostgres(t testing.TB, withPool bool) (*DB, error) {
	name := uniqueName()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		return nil, fmt.Errorf("create schema %s: %w", name, err)
	}
	dsn, err := pgWithParams(s.dsn, map[string]string{"search_path": name}, map[string]string{"timezone": "UTC"})
	if err != nil {
		s.dropSchema(t, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
		return nil, err
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		s.dropSchema(t, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
		return nil, err
	}
	db.SetMaxOpenConns(maxOpenPerDB)
	db.SetMaxIdleConns(maxOpenPerDB)
	var pool *pgxpool.Pool
	if withPool {
		cfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			db.Close()
			s.dropSchema(t, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
			return nil, err
		}
		cfg.MaxConns = maxOpenPerDB
		if pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
			db.Close()
			s.dropSchema(t, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
			return nil, err
		}
	}
	// Close the pools first, so that no session of the test still holds a
	// lock on a table in the schema, then drop the schema.
	t.Cleanup(func() {
		db.Close()
		if pool != nil {
			pool.Close()
		}
		s.dropSchema(t, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
	})
	var current string
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&current); err != nil {
		return nil, fmt.Errorf("connect to schema %s: %w", name, err)
	}
	if current != name {
		return nil, fmt.Errorf("search_path not applied: current_schema() is %q, want %q", current, name)
	}
	return &DB{Engine: Postgres, Dialect: s.dialect, DB: db, DSN: dsn, Schema: name, Pool: pool}, nil
}

func (s *server) openMySQL(t testing.TB) (*DB, error) {
	name := uniqueName()
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4"); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	dsn, err := mysqlDSN(s.dsn, name)
	if err != nil {
		s.dropSchema(t, "DROP DATABASE IF EXISTS "+name)
		return nil, err
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		s.dropSchema(t, "DROP DATABASE IF EXISTS "+name)
		return nil, err
	}
	db.SetMaxOpenConns(maxOpenPerDB)
	db.SetMaxIdleConns(maxOpenPerDB)
	t.Cleanup(func() {
		db.Close()
		s.dropSchema(t, "DROP DATABASE IF EXISTS "+name)
	})
	if err := db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("connect to database %s: %w", name, err)
	}
	return &DB{Engine: MySQL, Dialect: s.dialect, DB: db, DSN: dsn, Schema: name}, nil
}

// dropSchema runs a DROP SCHEMA/DATABASE statement on the admin pool and
// reports a failure as a test error (a test that leaks an open transaction
// can make it time out).
func (s *server) dropSchema(t testing.TB, stmt string) {
	ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, stmt); err != nil {
		t.Errorf("testdb: cleanup %s: %s: %v", s.engine, stmt, err)
	}
}

// pgWithParams returns dsn (URL or keyword/value form) with set's parameters
// set, replacing any the DSN has, and def's parameters added where the DSN
// has none. pgx sends parameters it does not know (search_path, timezone) as
// run-time parameters on every new connection.
func pgWithParams(dsn string, set, def map[string]string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("bad %s: %w", EnvPostgresDSN, err)
		}
		q := u.Query()
		for k, v := range set {
			q.Set(k, v)
		}
		for k, v := range def {
			if !hasKeyFold(q, k) {
				q.Set(k, v)
			}
		}
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	// keyword/value form: a later keyword overrides an earlier one.
	var b strings.Builder
	b.WriteString(dsn)
	for _, k := range slices.Sorted(maps.Keys(set)) {
		fmt.Fprintf(&b, " %s=%s", k, set[k])
	}
	for _, k := range slices.Sorted(maps.Keys(def)) {
		if !regexp.MustCompile(`(?i)(^|\s)` + regexp.QuoteMeta(k) + `\s*=`).MatchString(dsn) {
			fmt.Fprintf(&b, " %s=%s", k, def[k])
		}
	}
	return b.String(), nil
}

func hasKeyFold(q url.Values, key string) bool {
	for k := range q {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// mysqlDSN returns dsn pointed at database name, with parseTime=true, loc=UTC
// and the session time_zone '+00:00', so time.Time values round-trip in UTC,
// and clientFoundRows=true, so rows affected counts matched rows.
func mysqlDSN(dsn, name string) (string, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("bad %s: %w", EnvMySQLDSN, err)
	}
	cfg.DBName = name
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	// Count matched rows as affected, as orm.Open does, so that an update
	// writing unchanged values still reports its row.
	cfg.ClientFoundRows = true
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["time_zone"] = "'+00:00'"
	return cfg.FormatDSN(), nil
}

var pgPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// redact returns dsn without its password, for messages.
func redact(engine, dsn string) string {
	switch engine {
	case Postgres:
		if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
			q := u.Query()
			if q.Has("password") {
				q.Set("password", "xxxxx")
				u.RawQuery = q.Encode()
			}
			return u.Redacted()
		}
		return pgPassword.ReplaceAllString(dsn, "${1}xxxxx")
	case MySQL:
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			return "(unparsable DSN)"
		}
		if cfg.Passwd != "" {
			cfg.Passwd = "xxxxx"
		}
		return cfg.FormatDSN()
	}
	return dsn
}

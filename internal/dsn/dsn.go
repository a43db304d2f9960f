package dsn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"

	"github.com/kingletdb/kinglet/dialect"
)

// ErrInvalidURL is wrapped by the errors for a URL that cannot name a
// database: no scheme, an unknown scheme, no SQLite path, unparsable
// parameters.
var ErrInvalidURL = errors.New("invalid database URL")

// urlError is a bad URL: its message is its own, and errors.Is matches
// ErrInvalidURL.
type urlError struct {
	msg string
	err error // the cause, if any
}

func (e *urlError) Error() string {
	if e.err != nil {
		return e.msg + ": " + e.err.Error()
	}
	return e.msg
}

func (e *urlError) Unwrap() error { return e.err }

func (e *urlError) Is(target error) bool { return target == ErrInvalidURL }

func invalid(cause error, format string, args ...any) error {
	return &urlError{msg: fmt.Sprintf(format, args...), err: cause}
}

// Open connects to the database named by rawURL (see the package comment)
// and detects its dialect from the server version: a MariaDB server yields
// dialect.MariaDB although the scheme is mysql://. Query parameters after ?
// are passed to the driver (for sqlite:, as the file URI's parameters; e.g.
// sqlite:app.db?_pragma=synchronous(NORMAL)). The connection is checked:
// an unreachable server is an error, and the pool is closed.
func Open(ctx context.Context, rawURL string) (*sql.DB, dialect.Dialect, error) {
	driver, dsn, setup, err := Parse(rawURL)
	if err != nil {
		return nil, nil, err
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", driver, err)
	}
	if setup != nil {
		setup(db)
	}
	d, err := Detect(ctx, db, driver)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, d, nil
}

// Parse turns rawURL into a database/sql driver name ("sqlite", "pgx" or
// "mysql") and that driver's DSN, and a function to configure the pool
// (nil unless needed: an in-memory SQLite database keeps one connection).
func Parse(rawURL string) (driver, dsn string, setup func(*sql.DB), err error) {
	scheme, rest, ok := strings.Cut(rawURL, ":")
	if !ok {
		return "", "", nil, invalid(nil, "database URL %q has no scheme (want sqlite:, postgres:// or mysql://)", Redact(rawURL))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		return sqliteDSN(rest)
	case "postgres", "postgresql":
		return "pgx", rawURL, nil, nil
	case "mysql", "mariadb":
		dsn, err := mysqlDSN(rawURL)
		return "mysql", dsn, nil, err
	}
	return "", "", nil, invalid(nil, "unknown database URL scheme %q in %q (want sqlite:, postgres:// or mysql://)", scheme, Redact(rawURL))
}

// PgxConfig is the configuration of a pgx pool for a postgres:// URL (the
// driver "pgx" of Parse): pgx reads its parameters as its database/sql
// driver does — sslmode, search_path and other run-time parameters,
// options, connect_timeout, … — and the pool's own (pool_max_conns,
// pool_max_conn_idle_time, …). A URL it cannot parse is ErrInvalidURL,
// without its password.
func PgxConfig(rawURL string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, invalid(err, "postgres URL") // pgx's message has the URL, redacted
	}
	return cfg, nil
}

func sqliteDSN(rest string) (string, string, func(*sql.DB), error) {
	rest = strings.TrimPrefix(rest, "//")
	path, params, _ := strings.Cut(rest, "?")
	if path == "" {
		return "", "", nil, invalid(nil, "sqlite URL needs a file path or :memory:")
	}
	q, err := url.ParseQuery(params)
	if err != nil {
		return "", "", nil, invalid(err, "sqlite URL parameters %q", params)
	}
	memory := path == ":memory:" || q.Get("mode") == "memory"
	// The defaults, each unless the URL sets it: a pragma the URL gives
	// itself must not be overridden by one added after it.
	given := map[string]bool{}
	for _, p := range q["_pragma"] {
		given[pragmaName(p)] = true
	}
	for _, p := range SQLitePragmas {
		if memory && pragmaName(p) == "journal_mode" {
			continue // an in-memory database has no WAL
		}
		if !given[pragmaName(p)] {
			q.Add("_pragma", p)
		}
	}
	for k, v := range SQLiteParams {
		if !q.Has(k) {
			q.Set(k, v)
		}
	}
	dsn := "file:" + path + "?" + q.Encode()
	var setup func(*sql.DB)
	if memory {
		// Each connection to :memory: is a separate empty database.
		setup = func(db *sql.DB) { db.SetMaxOpenConns(1); db.SetConnMaxLifetime(0); db.SetConnMaxIdleTime(0) }
	}
	return "sqlite", dsn, setup, nil
}

// SQLitePragmas are the pragmas of every SQLite connection opened by a
// sqlite: URL (journal_mode only for a file), each unless the URL's own
// _pragma parameters set it: foreign keys enforced, a 5 s busy timeout so
// that a writer waits for another instead of failing with SQLITE_BUSY, and
// WAL, so that readers and a writer do not block each other.
var SQLitePragmas = []string{"foreign_keys(1)", "busy_timeout(5000)", "journal_mode(WAL)"}

// SQLiteParams are modernc.org/sqlite's DSN parameters of every SQLite
// connection opened by a sqlite: URL, each unless the URL sets it:
//
//   - _dqs=0 turns off SQLite's double-quoted string literals
//     (SQLITE_DBCONFIG_DQS_DML and _DDL), before any statement runs: a
//     misspelled "column" is an error ("no such column"), not the string
//     'column'. A legacy schema or query that relies on them takes _dqs=1.
//   - _txlock=immediate begins a transaction that may write with BEGIN
//     IMMEDIATE, taking the write lock at once (waiting for it under the
//     busy timeout): a deferred transaction that reads and then writes
//     fails with SQLITE_BUSY, at once, when another connection wrote in
//     between. A read-only transaction (sql.TxOptions.ReadOnly) still
//     begins with a plain BEGIN.
//   - _time_format=sqlite writes times as SQLite's own text
//     (2006-01-02 15:04:05.999999999-07:00), which its date functions
//     read and which sorts, rather than Go's time.String form.
var SQLiteParams = map[string]string{"_dqs": "0", "_txlock": "immediate", "_time_format": "sqlite"}

// pragmaName is the name of a _pragma value: "busy_timeout" for
// "busy_timeout(5000)" or "busy_timeout=5000", lowercase.
func pragmaName(p string) string {
	if i := strings.IndexAny(p, "(="); i >= 0 {
		p = p[:i]
	}
	return strings.ToLower(strings.TrimSpace(p))
}

// BusyTimeout is the busy timeout of the SQLite connections Open makes for
// rawURL: the URL's own busy_timeout pragma, or the default of
// SQLitePragmas. ok is false for a URL that is not sqlite: or whose
// busy_timeout does not parse.
func BusyTimeout(rawURL string) (d time.Duration, ok bool) {
	driver, dsn, _, err := Parse(rawURL)
	if err != nil || driver != "sqlite" {
		return 0, false
	}
	_, params, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(params)
	if err != nil {
		return 0, false
	}
	ms := ""
	for _, p := range q["_pragma"] {
		if pragmaName(p) == "busy_timeout" {
			ms = strings.Trim(p[strings.IndexAny(p, "(="):], "()= ")
		}
	}
	n, err := strconv.Atoi(ms)
	if err != nil || n < 0 {
		return 0, false
	}
	return time.Duration(n) * time.Millisecond, true
}

func mysqlDSN(raw string) (string, error) {
	if strings.Contains(raw, "tcp(") {
		// go-sql-driver's own form inside a URL, which url.Parse reports
		// as a bad port (":3306)").
		return "", invalid(nil, "mysql URL %q is in go-sql-driver's DSN form (user@tcp(host:port)/db): "+
			"write it as mysql://user:pass@host:3306/db", Redact(raw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the URL, password included: report only its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", invalid(err, "mysql URL %q", Redact(raw))
	}
	cfg := mysql.NewConfig()
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	if u.Port() == "" && u.Host != "" {
		cfg.Addr = u.Host + ":3306"
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	// Rows affected must count matched rows, not changed ones: otherwise an
	// Update that writes the values a row already has reports 0 rows, and
	// Update/Delete would wrongly return ErrNotFound.
	cfg.ClientFoundRows = true
	cfg.Params = map[string]string{"time_zone": "'+00:00'", "charset": "utf8mb4"}
	for k, vs := range u.Query() {
		if len(vs) > 0 {
			cfg.Params[k] = vs[len(vs)-1]
		}
	}
	if v, ok := cfg.Params["parseTime"]; ok {
		cfg.ParseTime = v == "true"
		delete(cfg.Params, "parseTime")
	}
	if v, ok := cfg.Params["multiStatements"]; ok {
		cfg.MultiStatements = v == "true"
		delete(cfg.Params, "multiStatements")
	}
	if v, ok := cfg.Params["clientFoundRows"]; ok {
		cfg.ClientFoundRows = v == "true"
		delete(cfg.Params, "clientFoundRows")
	}
	return cfg.FormatDSN(), nil
}

// Redact hides a password in a URL, for messages, also in a URL that does
// not parse.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err == nil {
		if u.User == nil {
			return raw
		}
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		return u.String()
	}
	// Unparsable: hide whatever stands between "scheme://user:" and the
	// last '@'.
	if i := strings.Index(raw, "://"); i >= 0 {
		rest := raw[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if c := strings.Index(rest[:at], ":"); c >= 0 {
				return raw[:i+3] + rest[:c] + ":xxxxx" + rest[at:]
			}
		}
	}
	return raw
}

// Detect asks the server behind db (opened with driver "sqlite", "pgx" or
// "mysql") for its version and returns the dialect for it.
func Detect(ctx context.Context, db *sql.DB, driver string) (dialect.Dialect, error) {
	var q, engine string
	switch driver {
	case "sqlite":
		q, engine = "SELECT sqlite_version()", "sqlite"
	case "pgx":
		q, engine = "SHOW server_version", "postgres"
	default:
		q, engine = "SELECT VERSION()", "mysql"
	}
	var v string
	if err := db.QueryRowContext(ctx, q).Scan(&v); err != nil {
		return nil, fmt.Errorf("connect to %s: %w", engine, err)
	}
	return dialect.ForVersion(engine, v)
}

// DriverOf is the database/sql driver Parse gives the URLs of an engine,
// named as a dialect names it (dialect.Dialect.Name: "sqlite", "postgres",
// "mysql", "mariadb"): "sqlite", "pgx" or "mysql" (MariaDB speaks MySQL's
// protocol); "" for another.
func DriverOf(engine string) string {
	switch engine {
	case "sqlite":
		return "sqlite"
	case "postgres":
		return "pgx"
	case "mysql", "mariadb":
		return "mysql"
	}
	return ""
}

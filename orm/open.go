package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/kingletdb/kinglet/dialect"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// Open connects to the database named by a DATABASE_URL-style string and
// detects its dialect from the server version:
//
//	sqlite:app.db             a file (WAL journal, foreign keys on, 5 s busy timeout,
//	                          times stored as SQLite's text format)
//	sqlite::memory:           a private in-memory database (one connection, so all queries see it)
//	postgres://user@host/db   PostgreSQL through pgx's database/sql driver
//	mysql://user:pw@host:3306/db   MySQL or MariaDB: parseTime, UTC, utf8mb4
//
// Query parameters after ? are passed to the driver (for sqlite:, as the
// file URI's parameters; e.g. sqlite:app.db?_pragma=synchronous(NORMAL)).
func Open(ctx context.Context, rawURL string) (*DB, error) {
	driver, dsn, setup, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	sdb, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("kinglet: orm: open %s: %w", driver, err)
	}
	if setup != nil {
		setup(sdb)
	}
	d, err := detect(ctx, sdb, driver)
	if err != nil {
		sdb.Close()
		return nil, err
	}
	return New(sdb, d), nil
}

func parseURL(raw string) (driver, dsn string, setup func(*sql.DB), err error) {
	scheme, rest, ok := strings.Cut(raw, ":")
	if !ok {
		return "", "", nil, fmt.Errorf("kinglet: orm: database URL %q has no scheme (want sqlite:, postgres:// or mysql://)", redact(raw))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		return sqliteDSN(rest)
	case "postgres", "postgresql":
		return "pgx", raw, nil, nil
	case "mysql", "mariadb":
		dsn, err := mysqlDSN(raw)
		return "mysql", dsn, nil, err
	}
	return "", "", nil, fmt.Errorf("kinglet: orm: unknown database URL scheme %q in %q (want sqlite:, postgres:// or mysql://)", scheme, redact(raw))
}

func sqliteDSN(rest string) (string, string, func(*sql.DB), error) {
	rest = strings.TrimPrefix(rest, "//")
	path, params, _ := strings.Cut(rest, "?")
	if path == "" {
		return "", "", nil, fmt.Errorf("kinglet: orm: sqlite URL needs a file path or :memory:")
	}
	q, err := url.ParseQuery(params)
	if err != nil {
		return "", "", nil, fmt.Errorf("kinglet: orm: sqlite URL parameters %q: %w", params, err)
	}
	memory := path == ":memory:" || q.Get("mode") == "memory"
	pragmas := []string{"foreign_keys(1)", "busy_timeout(5000)"}
	if !memory {
		pragmas = append(pragmas, "journal_mode(WAL)")
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	if !q.Has("_time_format") {
		// Times as SQLite's own text (2006-01-02 15:04:05.999999999-07:00),
		// which its date functions read, rather than Go's time.String form.
		q.Set("_time_format", "sqlite")
	}
	dsn := "file:" + path + "?" + q.Encode()
	var setup func(*sql.DB)
	if memory {
		// Each connection to :memory: is a separate empty database.
		setup = func(db *sql.DB) { db.SetMaxOpenConns(1); db.SetConnMaxLifetime(0); db.SetConnMaxIdleTime(0) }
	}
	return "sqlite", dsn, setup, nil
}

func mysqlDSN(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the URL, password included: report only its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("kinglet: orm: mysql URL %q: %w", redact(raw), err)
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

// redact hides a password in a URL for error messages, also in a URL that
// does not parse.
func redact(raw string) string {
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

func detect(ctx context.Context, db *sql.DB, driver string) (dialect.Dialect, error) {
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
		return nil, fmt.Errorf("kinglet: orm: connect to %s: %w", engine, err)
	}
	return dialect.ForVersion(engine, v)
}

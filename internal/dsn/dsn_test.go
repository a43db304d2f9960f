package dsn_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/dsn"
	"github.com/kingletdb/kinglet/internal/testdb"
)

func TestParse(t *testing.T) {
	cases := []struct {
		url, driver, dsn string
		oneConn          bool
	}{
		{"sqlite:app.db", "sqlite", "file:app.db?_dqs=0&_pragma=foreign_keys%281%29&_pragma=busy_timeout%285000%29&_pragma=journal_mode%28WAL%29&_time_format=sqlite&_txlock=immediate", false},
		{"sqlite://data/app.db", "sqlite", "file:data/app.db?_dqs=0&_pragma=foreign_keys%281%29&_pragma=busy_timeout%285000%29&_pragma=journal_mode%28WAL%29&_time_format=sqlite&_txlock=immediate", false},
		{"sqlite::memory:", "sqlite", "file::memory:?_dqs=0&_pragma=foreign_keys%281%29&_pragma=busy_timeout%285000%29&_time_format=sqlite&_txlock=immediate", true},
		{"sqlite:x.db?mode=memory&_time_format=unix", "sqlite", "file:x.db?_dqs=0&_pragma=foreign_keys%281%29&_pragma=busy_timeout%285000%29&_time_format=unix&_txlock=immediate&mode=memory", true},
		// The URL's own settings win over the defaults.
		{"sqlite:legacy.db?_dqs=1&_txlock=deferred", "sqlite", "file:legacy.db?_dqs=1&_pragma=foreign_keys%281%29&_pragma=busy_timeout%285000%29&_pragma=journal_mode%28WAL%29&_time_format=sqlite&_txlock=deferred", false},
		{"sqlite:a.db?_pragma=busy_timeout(30000)&_pragma=journal_mode=DELETE", "sqlite", "file:a.db?_dqs=0&_pragma=busy_timeout%2830000%29&_pragma=journal_mode%3DDELETE&_pragma=foreign_keys%281%29&_time_format=sqlite&_txlock=immediate", false},
		{"postgres://u:pw@h/db?sslmode=disable", "pgx", "postgres://u:pw@h/db?sslmode=disable", false},
		{"postgresql://h/db", "pgx", "postgresql://h/db", false},
		{"mysql://root@127.0.0.1/test", "mysql", "root@tcp(127.0.0.1:3306)/test?clientFoundRows=true&parseTime=true&charset=utf8mb4&time_zone=%27%2B00%3A00%27", false},
		{"mariadb://u:p@db:3307/app?multiStatements=true&parseTime=false", "mysql", "u:p@tcp(db:3307)/app?clientFoundRows=true&multiStatements=true&charset=utf8mb4&time_zone=%27%2B00%3A00%27", false},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			driver, got, setup, err := dsn.Parse(c.url)
			require.NoError(t, err)
			assert.Equal(t, c.driver, driver)
			assert.Equal(t, c.dsn, got)
			assert.Equal(t, c.oneConn, setup != nil)
		})
	}
}

func TestParseBad(t *testing.T) {
	cases := []struct{ url, want string }{
		{"", "has no scheme"},
		{"app.db", "has no scheme"},
		{"oracle://scott:tiger@db/orcl", `unknown database URL scheme "oracle"`},
		{"sqlite:", "needs a file path"},
		{"sqlite:?mode=rwc", "needs a file path"},
		{"sqlite:a.db?x=%zz", "sqlite URL parameters"},
		{"mysql://root:tiger@[::1/db", "mysql URL"},
		// go-sql-driver's DSN inside a URL: the message shows the URL form.
		{"mysql://root:tiger@tcp(127.0.0.1:3306)/db", "write it as mysql://user:pass@host:3306/db"},
		{"mysql://root@tcp(127.0.0.1:3306)/db", "go-sql-driver's DSN form"},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			_, _, _, err := dsn.Parse(c.url)
			require.Error(t, err)
			assert.ErrorIs(t, err, dsn.ErrInvalidURL)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), "tiger")
			assert.False(t, strings.HasPrefix(err.Error(), "kinglet:"), "callers add the prefix: %s", err)
		})
	}
}

func TestBusyTimeout(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"sqlite:app.db":   5 * time.Second,
		"sqlite::memory:": 5 * time.Second,
		"sqlite:app.db?_pragma=busy_timeout(30000)":    30 * time.Second,
		"sqlite:app.db?_pragma=busy_timeout%3D250":     250 * time.Millisecond,
		"sqlite:app.db?_pragma=BUSY_TIMEOUT(0)":        0,
		"sqlite:app.db?_pragma=foreign_keys(0)&_dqs=1": 5 * time.Second,
	} {
		got, ok := dsn.BusyTimeout(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"postgres://h/db", "sqlite:app.db?_pragma=busy_timeout(soon)", "sqlite:"} {
		_, ok := dsn.BusyTimeout(in)
		assert.False(t, ok, in)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h/db":  "postgres://u:xxxxx@h/db",
		"postgres://u@h/db":         "postgres://u@h/db",
		"mysql://root:secret@[::1/": "mysql://root:xxxxx@[::1/",
		"sqlite:app.db":             "sqlite:app.db",
	} {
		assert.Equal(t, want, dsn.Redact(in), in)
	}
}

// TestOpen opens each engine's isolated test database by its URL and checks
// the detected dialect and that the connection reaches that database.
func TestOpen(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		_, err := db.DB.ExecContext(ctx, "CREATE TABLE dsn_probe (id INTEGER PRIMARY KEY)")
		require.NoError(t, err)
		_, err = db.DB.ExecContext(ctx, "INSERT INTO dsn_probe (id) VALUES (7)")
		require.NoError(t, err)

		sdb, d, err := dsn.Open(ctx, db.URL())
		require.NoError(t, err, db.URL())
		defer sdb.Close()
		assert.Equal(t, db.Dialect.Name(), d.Name())
		var id int
		require.NoError(t, sdb.QueryRowContext(ctx, "SELECT id FROM dsn_probe").Scan(&id))
		assert.Equal(t, 7, id)
	})
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	for _, raw := range []string{
		"mysql://root:s3cretpw@127.0.0.1:1/db",
		"postgres://postgres:s3cretpw@127.0.0.1:1/db?connect_timeout=2",
	} {
		sdb, d, err := dsn.Open(ctx, raw)
		require.Error(t, err, raw)
		assert.Nil(t, sdb)
		assert.Nil(t, d)
		assert.Contains(t, err.Error(), "connect to")
		assert.NotContains(t, err.Error(), "s3cretpw")
		assert.False(t, errors.Is(err, dsn.ErrInvalidURL), "a valid URL whose server is down is not an invalid URL")
	}
}

func TestDriverOf(t *testing.T) {
	for engine, want := range map[string]string{
		"sqlite": "sqlite", "postgres": "pgx", "mysql": "mysql", "mariadb": "mysql", "oracle": "",
	} {
		if got := dsn.DriverOf(engine); got != want {
			t.Errorf("DriverOf(%q) = %q, want %q", engine, got, want)
		}
	}
}

package migrate_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
)

// files is a migrations directory in memory: name → content, under "migrations/".
func files(kv ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		fsys["migrations/"+kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return fsys
}

// baseFiles are three SQL migrations every engine runs: a table with a
// string holding a semicolon, a column, an index.
func baseFiles() fstest.MapFS {
	return files(
		"0001_create_users.up.sql", "-- The users.\nCREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL);\n"+
			"INSERT INTO users (id, name) VALUES (1, 'semi;colon');\n",
		"0001_create_users.down.sql", "DROP TABLE users;\n",
		"0002_add_email.up.sql", "ALTER TABLE users ADD COLUMN email VARCHAR(200);\n",
		"0002_add_email.down.sql", "ALTER TABLE users DROP COLUMN email;\n",
		"0004_index_name.up.sql", "CREATE INDEX users_name ON users (name);",
		"0004_index_name.down.sql", "DROP INDEX users_name ON users;",
		"README.md", "not a migration",
	)
}

// goSeed is Go migration 3: a row for user 2.
var goSeed = migrate.Migration{
	Version: 3, Name: "seed_go",
	Up: func(ctx context.Context, tx migrate.Execer) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO users (id, name) VALUES (2, 'go')")
		return err
	},
	Down: func(ctx context.Context, tx migrate.Execer) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id = 2")
		return err
	},
}

// portable fixes what differs between engines in baseFiles: DROP INDEX is
// spelled with ON only on MySQL.
func portable(db *testdb.DB, fsys fstest.MapFS) fstest.MapFS {
	if _, ok := fsys["migrations/0004_index_name.down.sql"]; ok && db.Engine != testdb.MySQL {
		fsys["migrations/0004_index_name.down.sql"] = &fstest.MapFile{Data: []byte("DROP INDEX users_name;")}
	}
	return fsys
}

func newRunner(t *testing.T, db *testdb.DB, fsys fs.FS, opts ...migrate.Option) *migrate.Runner {
	t.Helper()
	if fsys != nil {
		opts = append([]migrate.Option{migrate.WithFS(fsys, "migrations")}, opts...)
	}
	r, err := migrate.New(db.DB, db.Dialect, opts...)
	require.NoError(t, err)
	return r
}

// versions returns the versions of results.
func versions(rs []migrate.Result) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.Version)
	}
	return out
}

// states returns "version:state" of each status line.
func states(t *testing.T, r *migrate.Runner) []string {
	t.Helper()
	st, err := r.Status(t.Context())
	require.NoError(t, err)
	var out []string
	for _, s := range st {
		line := fmt.Sprintf("%d:%s", s.Version, s.State)
		if s.Changed {
			line += ":changed"
		}
		out = append(out, line)
	}
	return out
}

// historyVersions reads the history table directly.
func historyVersions(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), "SELECT version FROM kinglet_migrations ORDER BY version")
	require.NoError(t, err)
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		require.NoError(t, rows.Scan(&v))
		out = append(out, v)
	}
	require.NoError(t, rows.Err())
	return out
}

// tableExists asks the engine's catalog.
func tableExists(t *testing.T, db *testdb.DB, table string) bool {
	t.Helper()
	var q string
	switch db.Engine {
	case testdb.SQLite:
		q = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
	case testdb.Postgres:
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
	default:
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?"
	}
	var n int
	require.NoError(t, db.DB.QueryRowContext(t.Context(), q, table).Scan(&n))
	return n > 0
}

func count(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

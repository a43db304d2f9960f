// Package migratetest holds what the tests of migrate and its packages
// share: migrations in memory, a runner on a test database, statements
// with portable placeholders, rows read back as text, and the models of the
// diff tests.
package migratetest

import (
	"context"
	"database/sql"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
)

// OtherDialect is an engine migrate does not know: no lock, no catalog.
type OtherDialect struct{ dialect.Dialect }

// Name is oracle.
func (OtherDialect) Name() string { return "oracle" }

// String is oracle 23.
func (OtherDialect) String() string { return "oracle 23" }

// Noop is a Go migration step that does nothing.
func Noop(context.Context, migrate.Execer) error { return nil }

// Files is a migrations directory in memory: name → content, under "migrations/".
func Files(kv ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		fsys["migrations/"+kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return fsys
}

// BaseFiles are three SQL migrations every engine runs: a table with a
// string holding a semicolon, a column, an index.
func BaseFiles() fstest.MapFS {
	return Files(
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

// GoSeed is Go migration 3: a row for user 2.
var GoSeed = migrate.Migration{
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

// Portable fixes what differs between engines in baseFiles: DROP INDEX is
// spelled with ON only on MySQL.
func Portable(db *testdb.DB, fsys fstest.MapFS) fstest.MapFS {
	if _, ok := fsys["migrations/0004_index_name.down.sql"]; ok && db.Engine != testdb.MySQL {
		fsys["migrations/0004_index_name.down.sql"] = &fstest.MapFile{Data: []byte("DROP INDEX users_name;")}
	}
	return fsys
}

// NewRunner is a runner on db over fsys's "migrations" directory (none when
// fsys is nil), with opts.
func NewRunner(t *testing.T, db *testdb.DB, fsys fs.FS, opts ...migrate.Option) *migrate.Runner {
	t.Helper()
	if fsys != nil {
		opts = append([]migrate.Option{migrate.WithFS(fsys, "migrations")}, opts...)
	}
	r, err := migrate.New(db.DB, db.Dialect, opts...)
	require.NoError(t, err)
	return r
}

// HistoryVersions reads the history table directly.
func HistoryVersions(t *testing.T, db *sql.DB) []int64 {
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

// TableExists asks the engine's catalog.
func TableExists(t *testing.T, db *testdb.DB, table string) bool {
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

// Count counts the rows of table.
func Count(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

// Pool returns db with, on PostgreSQL, a pool that does not cache
// statements: pgx caches the plan of each statement text per connection,
// and one the tests run again after changing a column's type fails with
// "cached plan must not change result type".
func Pool(t *testing.T, db *testdb.DB) *testdb.DB {
	t.Helper()
	if db.Engine != testdb.Postgres {
		return db
	}
	pool, err := sql.Open(db.DriverName(), db.DSN+"&default_query_exec_mode=exec")
	require.NoError(t, err)
	pool.SetMaxOpenConns(2)
	t.Cleanup(func() { pool.Close() })
	out := *db
	out.DB = pool
	return &out
}

// SQL rewrites ? placeholders to $n on PostgreSQL.
func SQL(db *testdb.DB, q string) string {
	if db.Engine != testdb.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Exec runs a statement that must succeed.
func Exec(t *testing.T, db *testdb.DB, q string, args ...any) {
	t.Helper()
	_, err := db.DB.ExecContext(t.Context(), SQL(db, q), args...)
	require.NoError(t, err, q)
}

// ExecErr runs a statement and returns its error.
func ExecErr(t *testing.T, db *testdb.DB, q string, args ...any) error {
	t.Helper()
	_, err := db.DB.ExecContext(t.Context(), SQL(db, q), args...)
	return err
}

// Rows returns the rows of a query as "a|b|c", NULL as NULL and booleans
// as 1 and 0 on every engine.
func Rows(t *testing.T, db *testdb.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.DB.QueryContext(t.Context(), SQL(db, q), args...)
	require.NoError(t, err, q)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	out := []string{}
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		parts := make([]string, len(cols))
		for i, v := range vals {
			switch {
			case !v.Valid:
				parts[i] = "NULL"
			case v.String == "true":
				parts[i] = "1"
			case v.String == "false":
				parts[i] = "0"
			default:
				parts[i] = v.String
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	require.NoError(t, rows.Err())
	return out
}

// The models of the diff tests, covering every tag: pk (auto by default on
// an integer), auto, composite pk, null, pointers, unique, size, decimal,
// type:, default:, default:now, index, index:NAME shared by two columns,
// unique_index:NAME, fk with on_delete and on_update, check, json,
// time.Time, []byte, bool, uint64.
type User struct {
	ID        int64          `db:"id,pk"`
	Username  string         `db:"username,unique,size:64"`
	Email     *string        `db:"email,size:255,index"`
	Active    bool           `db:"active,default:true"`
	Score     float64        `db:"score,default:1.5"`
	Balance   string         `db:"balance,decimal:10:2,default:0.50"`
	Flags     uint64         `db:"flags,default:0"`
	Avatar    []byte         `db:"avatar,null"`
	Meta      map[string]any `db:"meta,json"`
	Bio       string         `db:"bio,default:'it''s'"`
	Note      string         `db:"note,type:VARCHAR(20),default:n/a"`
	Age       *int32         `db:"age,check:age >= 0"`
	First     string         `db:"first_name,size:50,index:idx_users_name"`
	Last      string         `db:"last_name,size:50,index:idx_users_name"`
	CreatedAt time.Time      `db:"created_at,default:now"`
	UpdatedAt *time.Time     `db:"updated_at"`
}

// TableName is users.
func (User) TableName() string { return "users" }

// Post belongs to a user, and to an editor who may be gone.
type Post struct {
	ID       int32   `db:"id,pk,auto"`
	UserID   int64   `db:"user_id,fk:users.id,on_delete:cascade,on_update:cascade,unique_index:uq_posts_user_slug"`
	Slug     string  `db:"slug,size:80,unique_index:uq_posts_user_slug"`
	Status   string  `db:"status,size:16,default:draft,check:status IN ('draft','published')"`
	EditorID *int64  `db:"editor_id,fk:users.id,on_delete:set null"`
	Views    int16   `db:"views,default:0,check:views >= 0"`
	Rating   float32 `db:"rating,null"`
}

// TableName is posts.
func (Post) TableName() string { return "posts" }

// PostTag tags a post: a composite primary key.
type PostTag struct {
	PostID int32  `db:"post_id,pk,fk:posts.id,on_delete:cascade"`
	Tag    string `db:"tag,pk,size:32"`
	Weight uint8  `db:"weight,default:1"`
}

// TableName is post_tags.
func (PostTag) TableName() string { return "post_tags" }

// Models are the models above, as a pointer and as a value.
var Models = []any{&PostTag{}, &User{}, Post{}}

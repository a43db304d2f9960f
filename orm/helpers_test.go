package orm_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

// Models shared by the orm tests. Their names carry a "k" prefix (and a
// TableName) so they cannot collide with the models of other test files in
// this package.

type kUser struct {
	ID        int64     `db:"id,pk"`
	Username  string    `db:"username,unique,size:64"`
	Email     *string   `db:"email"`
	Active    bool      `db:"active,default:true"`
	Age       int       `db:"age"`
	CreatedAt time.Time `db:"created_at,default:now"`
}

func (kUser) TableName() string { return "users" }

type kTweet struct {
	ID      int64  `db:"id,pk"`
	UserID  int64  `db:"user_id,fk:users.id,on_delete:cascade,index"`
	Content string `db:"content"`
	Likes   int    `db:"likes"`
}

func (kTweet) TableName() string { return "tweets" }

// runEach runs fn on every engine with a fresh database wrapped in an
// orm.DB, and on PostgreSQL on both of kinglet's paths: database/sql
// (orm.New, subtest postgres) and a pgx pool (orm.OpenPool, subtest
// postgres-pgx).
func runEach(t *testing.T, fn func(t *testing.T, db *orm.DB, tdb *testdb.DB)) {
	t.Helper()
	testdb.EachPath(t, func(t *testing.T, tdb *testdb.DB) {
		fn(t, ormDB(t, tdb), tdb)
	})
}

// ormDB wraps tdb in an orm.DB: over its pgx pool (OpenPool) on the
// postgres-pgx path, else over its *sql.DB.
func ormDB(t testing.TB, tdb *testdb.DB) *orm.DB {
	t.Helper()
	if tdb.Pool == nil {
		return orm.New(tdb.DB, tdb.Dialect)
	}
	db, err := orm.OpenPool(context.Background(), tdb.Pool)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// withTables runs fn on every engine after creating the models' tables.
func withTables(t *testing.T, models []any, fn func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB)) {
	t.Helper()
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, models...))
		fn(t, ctx, db, tdb)
	})
}

// recorder is a QueryHook that keeps every event it sees.
type recorder struct {
	mu     sync.Mutex
	before int
	events []orm.QueryEvent
}

func (r *recorder) BeforeQuery(ctx context.Context, ev *orm.QueryEvent) context.Context {
	r.mu.Lock()
	r.before++
	r.mu.Unlock()
	return ctx
}

func (r *recorder) AfterQuery(_ context.Context, ev *orm.QueryEvent) {
	r.mu.Lock()
	r.events = append(r.events, *ev)
	r.mu.Unlock()
}

// count is the number of statements run since the last reset.
func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// countPrefix counts statements starting with prefix (case-insensitive).
func (r *recorder) countPrefix(prefix string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ev := range r.events {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(ev.SQL)), strings.ToUpper(prefix)) {
			n++
		}
	}
	return n
}

func (r *recorder) sqls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.events))
	for i, ev := range r.events {
		out[i] = ev.SQL
	}
	return out
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.before, r.events = 0, nil
	r.mu.Unlock()
}

// hooked returns db with a fresh recorder.
func hooked(db *orm.DB) (*orm.DB, *recorder) {
	r := &recorder{}
	return db.WithHooks(r), r
}

// countRows counts the rows of a table with plain SQL.
func countRows(t *testing.T, tdb *testdb.DB, table string) int {
	t.Helper()
	var n int
	require.NoError(t, tdb.DB.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

func ptr[T any](v T) *T { return &v }

package migrate_test

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
)

// Helpers of the schema-operation tests: portable SQL with ? placeholders,
// rows read back as "a|b|c" strings, and a fixture of three tables.

// opPool returns db with, on PostgreSQL, a pool that does not cache
// statements: pgx caches the plan of each statement text per connection,
// and one the tests run again after changing a column's type fails with
// "cached plan must not change result type".
func opPool(t *testing.T, db *testdb.DB) *testdb.DB {
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

// opSQL rewrites ? placeholders to $n on PostgreSQL.
func opSQL(db *testdb.DB, q string) string {
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

// opExec runs a statement that must succeed.
func opExec(t *testing.T, db *testdb.DB, q string, args ...any) {
	t.Helper()
	_, err := db.DB.ExecContext(t.Context(), opSQL(db, q), args...)
	require.NoError(t, err, q)
}

// opExecErr runs a statement and returns its error.
func opExecErr(t *testing.T, db *testdb.DB, q string, args ...any) error {
	t.Helper()
	_, err := db.DB.ExecContext(t.Context(), opSQL(db, q), args...)
	return err
}

// opRows returns the rows of a query as "a|b|c", NULL as NULL and booleans
// as 1 and 0 on every engine.
func opRows(t *testing.T, db *testdb.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.DB.QueryContext(t.Context(), opSQL(db, q), args...)
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

// opApply applies ops through the pool, which must succeed.
func opApply(t *testing.T, db *testdb.DB, ops ...migrate.Op) {
	t.Helper()
	require.NoError(t, migrate.Apply(t.Context(), db.DB, db.Dialect, ops...))
}

// opTable inspects a table that must exist.
func opTable(t *testing.T, db *testdb.DB, name string) *migrate.Table {
	t.Helper()
	tb, err := migrate.InspectTable(t.Context(), db.DB, db.Dialect, name)
	require.NoError(t, err)
	return tb
}

// The fixture: users, tweets (a foreign key to users, ON DELETE CASCADE)
// and likes (no constraints), each with rows.
var (
	opKindInt64 = fields.ColumnType{Kind: fields.KindInt64}
	opKindInt32 = fields.ColumnType{Kind: fields.KindInt32}
)

func opString(size int) fields.ColumnType {
	return fields.ColumnType{Kind: fields.KindString, Size: size}
}

func opUsers() *migrate.Table {
	return &migrate.Table{
		Name: "users",
		Columns: []migrate.Column{
			{Name: "id", Of: opKindInt64, AutoIncrement: true},
			{Name: "name", Of: opString(100)},
			{Name: "email", Of: opString(200), Nullable: true},
			{Name: "age", Of: opKindInt32, Nullable: true, Default: "0", HasDefault: true},
		},
		PrimaryKey: []string{"id"},
		Indexes: []migrate.Index{
			{Name: "users_name", Columns: []string{"name"}},
			{Name: "uq_users_email", Columns: []string{"email"}, Unique: true, Constraint: true},
		},
		Checks: []migrate.Check{{Name: "ck_users_age", Expr: "age >= 0"}},
	}
}

func opTweets() *migrate.Table {
	return &migrate.Table{
		Name: "tweets",
		Columns: []migrate.Column{
			{Name: "id", Of: opKindInt64, AutoIncrement: true},
			{Name: "user_id", Of: opKindInt64},
			{Name: "body", Of: opString(200), Nullable: true},
		},
		PrimaryKey: []string{"id"},
		ForeignKeys: []migrate.ForeignKey{{Name: "fk_tweets_user_id", Columns: []string{"user_id"},
			RefTable: "users", RefColumns: []string{"id"}, OnDelete: "CASCADE"}},
	}
}

func opLikes() *migrate.Table {
	return &migrate.Table{
		Name: "likes",
		Columns: []migrate.Column{
			{Name: "id", Of: opKindInt64},
			{Name: "tweet_id", Of: opKindInt64},
			{Name: "user_id", Of: opKindInt64},
		},
		PrimaryKey: []string{"id"},
	}
}

// opFixture drops and creates the fixture tables and fills them.
func opFixture(t *testing.T, db *testdb.DB) {
	t.Helper()
	opApply(t, db,
		migrate.DropTable{Name: "likes", IfExists: true},
		migrate.DropTable{Name: "posts", IfExists: true},
		migrate.DropTable{Name: "tweets", IfExists: true},
		migrate.DropTable{Name: "users", IfExists: true},
		migrate.CreateTable{Table: opUsers()},
		migrate.CreateTable{Table: opTweets()},
		migrate.CreateTable{Table: opLikes()},
	)
	opExec(t, db, "INSERT INTO users (id, name, email, age) VALUES (1, 'ann', 'ann@x.org', 30), (2, 'bob', NULL, NULL), (3, 'cy', 'cy@x.org', 5)")
	opExec(t, db, "INSERT INTO tweets (id, user_id, body) VALUES (1, 1, 'hi'), (2, 1, 'yo'), (3, 2, 'hey')")
	opExec(t, db, "INSERT INTO likes (id, tweet_id, user_id) VALUES (1, 1, 2), (2, 3, 3)")
}

var (
	opUserRows  = []string{"1|ann|ann@x.org|30", "2|bob|NULL|NULL", "3|cy|cy@x.org|5"}
	opTweetRows = []string{"1|1|hi", "2|1|yo", "3|2|hey"}
	opLikeRows  = []string{"1|1|2", "2|3|3"}
)

// opCheckFixture asserts the fixture's rows and constraints are as created.
func opCheckFixture(t *testing.T, db *testdb.DB) {
	t.Helper()
	require.Equal(t, opUserRows, opRows(t, db, "SELECT id, name, email, age FROM users ORDER BY id"))
	require.Equal(t, opTweetRows, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"))
	require.Equal(t, opLikeRows, opRows(t, db, "SELECT id, tweet_id, user_id FROM likes ORDER BY id"))
	// The unique constraint, the check and the foreign key still hold.
	require.Error(t, opExecErr(t, db, "INSERT INTO users (id, name, email) VALUES (9, 'dup', 'ann@x.org')"))
	require.Error(t, opExecErr(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'neg', -1)"))
	require.Error(t, opExecErr(t, db, "INSERT INTO tweets (id, user_id) VALUES (9, 99)"))
	ut := opTable(t, db, "users")
	require.NotNil(t, ut.Index("users_name"), "index users_name")
}

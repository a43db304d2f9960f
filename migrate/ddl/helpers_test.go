package ddl_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/internal/migratetest"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// Helpers of the schema-operation tests: portable SQL with ? placeholders,
// rows read back as "a|b|c" strings, and a fixture of three tables.
var (
	opPool          = migratetest.Pool
	opExec          = migratetest.Exec
	opExecErr       = migratetest.ExecErr
	opRows          = migratetest.Rows
	files           = migratetest.Files
	newRunner       = migratetest.NewRunner
	historyVersions = migratetest.HistoryVersions
	tableExists     = migratetest.TableExists
	count           = migratetest.Count
)

// opApply applies ops through the pool, which must succeed.
func opApply(t *testing.T, db *testdb.DB, ops ...ddl.Op) {
	t.Helper()
	require.NoError(t, ddl.Apply(t.Context(), db.DB, db.Dialect, ops...))
}

// opTable inspects a table that must exist.
func opTable(t *testing.T, db *testdb.DB, name string) *schema.Table {
	t.Helper()
	tb, err := schema.InspectTable(t.Context(), db.DB, db.Dialect, name)
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

func opUsers() *schema.Table {
	return &schema.Table{
		Name: "users",
		Columns: []schema.Column{
			{Name: "id", Of: opKindInt64, AutoIncrement: true},
			{Name: "name", Of: opString(100)},
			{Name: "email", Of: opString(200), Nullable: true},
			{Name: "age", Of: opKindInt32, Nullable: true, Default: "0", HasDefault: true},
		},
		PrimaryKey: []string{"id"},
		Indexes: []schema.Index{
			{Name: "users_name", Columns: []string{"name"}},
			{Name: "uq_users_email", Columns: []string{"email"}, Unique: true, Constraint: true},
		},
		Checks: []schema.Check{{Name: "ck_users_age", Expr: "age >= 0"}},
	}
}

func opTweets() *schema.Table {
	return &schema.Table{
		Name: "tweets",
		Columns: []schema.Column{
			{Name: "id", Of: opKindInt64, AutoIncrement: true},
			{Name: "user_id", Of: opKindInt64},
			{Name: "body", Of: opString(200), Nullable: true},
		},
		PrimaryKey: []string{"id"},
		ForeignKeys: []schema.ForeignKey{{Name: "fk_tweets_user_id", Columns: []string{"user_id"},
			RefTable: "users", RefColumns: []string{"id"}, OnDelete: "CASCADE"}},
	}
}

func opLikes() *schema.Table {
	return &schema.Table{
		Name: "likes",
		Columns: []schema.Column{
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
		ddl.DropTable{Name: "likes", IfExists: true},
		ddl.DropTable{Name: "posts", IfExists: true},
		ddl.DropTable{Name: "tweets", IfExists: true},
		ddl.DropTable{Name: "users", IfExists: true},
		ddl.CreateTable{Table: opUsers()},
		ddl.CreateTable{Table: opTweets()},
		ddl.CreateTable{Table: opLikes()},
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

package orm_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

type kFollow struct {
	ID         int64 `db:"id,pk"`
	FollowerID int64 `db:"follower_id,fk:users.id,on_delete:cascade,unique_index:uq_follow_pair"`
	FolloweeID int64 `db:"followee_id,fk:users.id,on_delete:cascade,unique_index:uq_follow_pair"`
}

func (kFollow) TableName() string { return "follows" }

// kLike references tweets, which references users: a chain of three.
type kLike struct {
	ID      int64 `db:"id,pk"`
	TweetID int64 `db:"tweet_id,fk:tweets.id,index"`
	UserID  int64 `db:"user_id,fk:users.id"`
}

func (kLike) TableName() string { return "likes" }

type kCycleA struct {
	ID int64 `db:"id,pk"`
	B  int64 `db:"b,fk:cycle_b.id"`
}

func (kCycleA) TableName() string { return "cycle_a" }

type kCycleB struct {
	ID int64 `db:"id,pk"`
	A  int64 `db:"a,fk:cycle_a.id"`
}

func (kCycleB) TableName() string { return "cycle_b" }

// indexNames lists the indexes on table.
func indexNames(t *testing.T, tdb *testdb.DB, table string) []string {
	t.Helper()
	q := map[string]string{
		testdb.SQLite:   "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
		testdb.Postgres: "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1",
		testdb.MySQL:    "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ?",
	}[tdb.Engine]
	rows, err := tdb.DB.QueryContext(t.Context(), q, table)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		out = append(out, n)
	}
	require.NoError(t, rows.Err())
	sort.Strings(out)
	return out
}

func tableExists(t *testing.T, db *orm.DB, table string) bool {
	t.Helper()
	rows, err := db.SQL().QueryContext(t.Context(), "SELECT COUNT(*) FROM "+table)
	if err != nil {
		return false
	}
	rows.Close()
	return true
}

func TestCreateTables(t *testing.T) {
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		ctx := t.Context()
		hdb, rec := hooked(db)
		// Referencing tables first in the arguments: created in FK order anyway.
		require.NoError(t, hdb.CreateTables(ctx, &kLike{}, &kFollow{}, &kTweet{}, &kUser{}))
		var creates []string
		for _, s := range rec.sqls() {
			for _, name := range []string{"users", "tweets", "follows", "likes"} {
				if len(s) > 12 && s[:12] == "CREATE TABLE" && containsIdent(s[:40], name) {
					creates = append(creates, name)
					break
				}
			}
		}
		require.Len(t, creates, 4, "%v", rec.sqls())
		pos := map[string]int{}
		for i, n := range creates {
			pos[n] = i
		}
		assert.Less(t, pos["users"], pos["tweets"])
		assert.Less(t, pos["tweets"], pos["likes"])
		assert.Less(t, pos["users"], pos["follows"])

		// IF NOT EXISTS: a second call is fine and changes nothing.
		require.NoError(t, db.Insert(ctx, &kUser{Username: "keep"}))
		require.NoError(t, db.CreateTables(ctx, &kUser{}, &kTweet{}, &kFollow{}, &kLike{}))
		assert.Equal(t, 1, countRows(t, tdb, "users"))

		// Indexes were created, named as fields names them.
		assert.Contains(t, indexNames(t, tdb, "tweets"), "idx_tweets_user_id")
		assert.Contains(t, indexNames(t, tdb, "likes"), "idx_likes_tweet_id")
		if tdb.Engine == testdb.SQLite {
			// A unique constraint inside CREATE TABLE: SQLite backs it with an
			// unnamed autoindex, and keeps the name in the table's SQL.
			var ddl string
			require.NoError(t, tdb.DB.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE name = 'follows'").Scan(&ddl))
			assert.Contains(t, ddl, "uq_follow_pair")
			assert.NotEmpty(t, indexNames(t, tdb, "follows"))
		} else {
			assert.Contains(t, indexNames(t, tdb, "follows"), "uq_follow_pair")
		}

		// Unique constraints are enforced, single and composite.
		err := db.Insert(ctx, &kUser{Username: "keep"})
		require.Error(t, err)
		assert.True(t, orm.IsUniqueViolation(err), "%v", err)
		a, b := &kUser{Username: "a"}, &kUser{Username: "b"}
		require.NoError(t, db.Insert(ctx, a))
		require.NoError(t, db.Insert(ctx, b))
		require.NoError(t, db.Insert(ctx, &kFollow{FollowerID: a.ID, FolloweeID: b.ID}))
		require.NoError(t, db.Insert(ctx, &kFollow{FollowerID: b.ID, FolloweeID: a.ID}))
		err = db.Insert(ctx, &kFollow{FollowerID: a.ID, FolloweeID: b.ID})
		require.Error(t, err)
		assert.True(t, orm.IsUniqueViolation(err), "%v", err)

		// Foreign keys are enforced.
		err = db.Insert(ctx, &kTweet{UserID: 424242, Content: "orphan"})
		require.Error(t, err)
		assert.False(t, orm.IsUniqueViolation(err))

		// DropTables in reverse FK order, whatever the argument order.
		rec.reset()
		require.NoError(t, hdb.DropTables(ctx, &kUser{}, &kTweet{}, &kFollow{}, &kLike{}))
		for _, name := range []string{"users", "tweets", "follows", "likes"} {
			assert.False(t, tableExists(t, db, name), name)
		}
		var drops []string
		for _, s := range rec.sqls() {
			for _, name := range []string{"users", "tweets", "follows", "likes"} {
				if containsIdent(s, name) {
					drops = append(drops, name)
				}
			}
		}
		require.Len(t, drops, 4)
		assert.Equal(t, "users", drops[3], "the referenced table goes last: %v", drops)
		// Dropping what is not there is fine too.
		require.NoError(t, db.DropTables(ctx, &kUser{}, &kTweet{}))
	})
}

// containsIdent reports whether s mentions name as a quoted identifier.
func containsIdent(s, name string) bool {
	for _, q := range []string{`"` + name + `"`, "`" + name + "`"} {
		if len(s) >= len(q) {
			for i := 0; i+len(q) <= len(s); i++ {
				if s[i:i+len(q)] == q {
					return true
				}
			}
		}
	}
	return false
}

func TestCreateTablesErrors(t *testing.T) {
	db, err := orm.Open(t.Context(), "sqlite::memory:")
	require.NoError(t, err)
	defer db.Close()
	ctx := t.Context()
	err = db.CreateTables(ctx, &kCycleA{}, &kCycleB{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cycle")
	require.Error(t, db.CreateTables(ctx, nil))
	err = db.CreateTables(ctx, &badTag{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "badTag")
	assert.False(t, tableExists(t, db, "cycle_a"))
}

func TestSchemaInTx(t *testing.T) {
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		ctx := t.Context()
		err := db.Tx(ctx, func(tx *orm.Tx) error {
			return tx.CreateTables(ctx, &kUser{}, &kTweet{})
		})
		require.NoError(t, err)
		assert.True(t, tableExists(t, db, "tweets"))
	})
}

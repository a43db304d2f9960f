package orm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// Raw and From: any SQL into models and shapes.

type tweetStat struct {
	UserID int64 `db:"user_id"`
	Name   string
	Tweets int
	Last   *int64 `db:"last_id"`
}

func TestRawAndFrom(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, tdb *testdb.DB) {
		// Raw into a model: ? bound through the dialect ($n on PostgreSQL),
		// a ? inside a string literal left alone.
		tweets, err := orm.Raw[rTweet](db, `SELECT id, user_id, reply_to_id, content FROM rel_tweets
			WHERE user_id = ? AND content <> 'why?' ORDER BY id`, d.alice).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []int64{d.t1, d.t3, d.t4}, tweetIDs(tweets))
		require.Equal(t, "hello", tweets[0].Content)
		require.Equal(t, d.t2, *tweets[1].ReplyToID)
		if tdb.Engine == testdb.Postgres {
			sqlText, args, err := orm.Raw[rTweet](db, "SELECT id FROM rel_tweets WHERE id = ? OR id = ?", 1, 2).Build()
			require.NoError(t, err)
			require.Equal(t, "SELECT id FROM rel_tweets WHERE id = $1 OR id = $2", sqlText)
			require.Equal(t, []any{1, 2}, args)
		}

		// A field no column fills is left as it is; relations load.
		cnt.reset()
		tweets, err = orm.Raw[rTweet](db, "SELECT id, user_id FROM rel_tweets WHERE id = ?", d.t2).Load("User", "Likes").All(ctx)
		require.NoError(t, err)
		require.Len(t, tweets, 1)
		require.Equal(t, "", tweets[0].Content)
		require.Equal(t, "bob", tweets[0].User.Name)
		require.Len(t, tweets[0].Likes, 1)
		require.Equal(t, 3, cnt.n())

		// From: a query of package query into a report shape, by name.
		T, U := relT, relU
		stats := query.Select(T.C("user_id"), U.C("name"), query.Count(T.C("id")).As("tweets"), query.Max(T.C("id")).As("last_id")).
			From(T).Join(U, U.C("id").Eq(T.C("user_id"))).GroupBy(T.C("user_id"), U.C("name")).OrderBy(T.C("user_id"))
		got, err := orm.From[tweetStat](db, stats).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []tweetStat{{d.alice, "alice", 3, &d.t4}, {d.bob, "bob", 1, &d.t2}}, got)

		// One, First, Iter.
		one, err := orm.From[tweetStat](db, stats.Where(U.C("name").Eq("bob"))).One(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, one.Tweets)
		_, err = orm.From[tweetStat](db, stats).One(ctx)
		require.ErrorIs(t, err, orm.ErrTooMany)
		_, err = orm.Raw[tweetStat](db, "SELECT 1 AS user_id WHERE 1 = 0").One(ctx)
		require.ErrorIs(t, err, orm.ErrNotFound)
		first, err := orm.Raw[rTweet](db, "SELECT id, content FROM rel_tweets ORDER BY id DESC").First(ctx)
		require.NoError(t, err)
		require.Equal(t, d.t4, first.ID)
		_, err = orm.From[rTweet](db, query.Select(T.C("id")).From(T).Where(T.C("id").Eq(-1))).First(ctx)
		require.ErrorIs(t, err, orm.ErrNotFound)
		var names []string
		for s, err := range orm.From[tweetStat](db, stats).Iter(ctx) {
			require.NoError(t, err)
			names = append(names, s.Name)
		}
		require.Equal(t, []string{"alice", "bob"}, names)
		n := 0
		for tw, err := range orm.Raw[rTweet](db, "SELECT id, user_id FROM rel_tweets ORDER BY id").Load("User").Iter(ctx) {
			require.NoError(t, err)
			require.NotNil(t, tw.User)
			n++
		}
		require.Equal(t, 4, n)

		// A result column T has no field for is an error naming it, unless
		// AllowUnknownColumns.
		_, err = orm.Raw[tweetStat](db, "SELECT user_id, 1 AS extra FROM rel_tweets").All(ctx)
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		require.ErrorContains(t, err, `"extra"`)
		require.ErrorContains(t, err, "tweetStat")
		rows, err := orm.Raw[tweetStat](db, "SELECT user_id, 1 AS extra FROM rel_tweets ORDER BY id").AllowUnknownColumns().All(ctx)
		require.NoError(t, err)
		require.Len(t, rows, 4)
		require.Equal(t, d.alice, rows[0].UserID)
		// The same columns again, strict: still the error (the lax plan is
		// cached, the check is not skipped).
		_, err = orm.Raw[tweetStat](db, "SELECT user_id, 1 AS extra FROM rel_tweets").First(ctx)
		require.ErrorIs(t, err, orm.ErrUnknownColumn)

		// From keeps the column check of T's models.
		_, err = orm.From[rTweet](db, query.Select(T.C("id")).From(T).Where(T.C("contnt").Eq("x"))).All(ctx)
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		require.ErrorContains(t, err, `"contnt"`)

		// Database errors carry their class and say what ran.
		_, err = orm.Raw[rTweet](db, "SELECT nope FROM rel_tweets").All(ctx)
		require.Error(t, err)
		require.ErrorContains(t, err, "raw query into rTweet")
		_, err = orm.Raw[rTweet](db, "SELECT ?", 1, 2).All(ctx)
		require.ErrorIs(t, err, query.ErrInvalid)
		_, err = orm.Raw[int](db, "SELECT 1").All(ctx)
		require.ErrorContains(t, err, "not a struct")
		_, err = orm.Raw[rTweet](nil, "SELECT 1").All(ctx)
		require.Error(t, err)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err = orm.Raw[rTweet](db, "SELECT id FROM rel_tweets").All(cctx)
		require.ErrorIs(t, err, context.Canceled)
	})
}

// TestRawOnPool: Raw and From on a DB over a pgx pool decode natively.
func TestRawOnPool(t *testing.T) {
	ctx := t.Context()
	db, plain := openPool(t)
	require.NoError(t, plain.CreateTables(ctx, &aEmployee{}))
	boss := &aEmployee{Name: "ada", Dept: "eng", Salary: 300}
	require.NoError(t, plain.Insert(ctx, boss))
	require.NoError(t, plain.Insert(ctx, &aEmployee{Name: "bob", Dept: "eng", Salary: 200, ManagerID: &boss.ID}))
	tree := orgChart()
	q := query.Select(accTree.C("id"), accTree.C("name"), accTree.C("depth"), accTree.C("path")).
		WithRecursive(tree).From(tree).OrderBy(accTree.C("path"))
	want := []OrgRow{{boss.ID, "ada", 0, "ada"}, {boss.ID + 1, "bob", 1, "ada > bob"}}
	for _, c := range []*orm.DB{db, plain} {
		got, err := orm.From[OrgRow](c, q).All(ctx)
		require.NoError(t, err)
		require.Equal(t, want, got)
		got, err = orm.Raw[OrgRow](c, "SELECT id, name, 0 AS depth, name AS path FROM acc_employees WHERE id = ?", boss.ID).All(ctx)
		require.NoError(t, err)
		require.Equal(t, want[:1], got)
		_, err = orm.Raw[OrgRow](c, "SELECT id, 1 AS extra FROM acc_employees").All(ctx)
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		lax, err := orm.Raw[OrgRow](c, "SELECT id, 1 AS extra FROM acc_employees ORDER BY id").AllowUnknownColumns().All(ctx)
		require.NoError(t, err)
		require.Len(t, lax, 2)
	}
	// The ORM's reads with JoinLoad and LoadWith go through database/sql on
	// the same pool.
	type emp struct {
		aEmployee
		Manager *aEmployee `db:"-" rel:"belongs_to,fk:ManagerID"`
	}
	es, err := orm.Select[emp](db).LeftJoinLoad("Manager").OrderBy(accE.C("id")).All(ctx)
	require.NoError(t, err)
	require.Nil(t, es[0].Manager)
	require.Equal(t, "ada", es[1].Manager.Name)
}

package orm_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

var (
	usersT  = query.Table("users")
	tweetsT = query.Table("tweets")
)

// seedTweets makes alice (3 tweets), bob (2) and carol (none).
func seedTweets(t *testing.T, ctx context.Context, db orm.Conn) (alice, bob, carol kUser) {
	t.Helper()
	c := db.(interface {
		Insert(context.Context, any) error
	})
	alice, bob, carol = kUser{Username: "alice", Age: 30, Active: true}, kUser{Username: "bob", Age: 25, Active: true}, kUser{Username: "carol", Age: 41}
	for _, u := range []*kUser{&alice, &bob, &carol} {
		require.NoError(t, c.Insert(ctx, u))
	}
	for i, tw := range []kTweet{
		{UserID: alice.ID, Content: "a1", Likes: 1},
		{UserID: alice.ID, Content: "a2", Likes: 5},
		{UserID: alice.ID, Content: "a3", Likes: 3},
		{UserID: bob.ID, Content: "b1", Likes: 10},
		{UserID: bob.ID, Content: "b2", Likes: 0},
	} {
		require.NoError(t, c.Insert(ctx, &tw), "tweet %d", i)
	}
	return alice, bob, carol
}

func TestSelectWhereJoinOrderLimit(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		alice, _, _ := seedTweets(t, ctx, db)

		users, err := orm.Select[kUser](db).
			Where(usersT.C("username").Like("%o%")).
			OrderBy(usersT.C("username").Desc()).
			All(ctx)
		require.NoError(t, err)
		require.Len(t, users, 2)
		assert.Equal(t, "carol", users[0].Username)
		assert.Equal(t, "bob", users[1].Username)

		// Conditions are ANDed; OrWhere ORs.
		users, err = orm.Select[kUser](db).Where(usersT.C("active").Eq(true), usersT.C("age").Gt(26)).All(ctx)
		require.NoError(t, err)
		require.Len(t, users, 1)
		assert.Equal(t, "alice", users[0].Username)
		users, err = orm.Select[kUser](db).Where(usersT.C("username").Eq("bob")).OrWhere(usersT.C("username").Eq("carol")).All(ctx)
		require.NoError(t, err)
		assert.Len(t, users, 2)

		// A join filters on the other table; the result is still T.
		tweets, err := orm.Select[kTweet](db).
			Join(usersT, tweetsT.C("user_id").Eq(usersT.C("id"))).
			Where(usersT.C("username").Eq("alice")).
			OrderBy(tweetsT.C("likes").Desc()).
			Limit(2).
			All(ctx)
		require.NoError(t, err)
		require.Len(t, tweets, 2)
		assert.Equal(t, []string{"a2", "a3"}, []string{tweets[0].Content, tweets[1].Content})
		assert.Equal(t, alice.ID, tweets[0].UserID)

		// Offset and Paginate.
		page, err := orm.Select[kTweet](db).OrderBy(tweetsT.C("id")).Paginate(2, 2).All(ctx)
		require.NoError(t, err)
		require.Len(t, page, 2)
		assert.Equal(t, "a3", page[0].Content)
		off, err := orm.Select[kTweet](db).OrderBy(tweetsT.C("id")).Offset(4).All(ctx)
		require.NoError(t, err)
		require.Len(t, off, 1)
		assert.Equal(t, "b2", off[0].Content)

		// GroupBy/Having with a model result: users with at least 2 tweets.
		users, err = orm.Select[kUser](db).
			Where(usersT.C("id").In(query.Select(tweetsT.C("user_id")).From(tweetsT).GroupBy(tweetsT.C("user_id")).Having(query.CountAll().Ge(3)))).
			All(ctx)
		require.NoError(t, err)
		require.Len(t, users, 1)
		assert.Equal(t, "alice", users[0].Username)

		// Builders are immutable: a base query derives many.
		base := orm.Select[kTweet](db).Where(tweetsT.C("likes").Gt(0))
		n1, err := base.Count(ctx)
		require.NoError(t, err)
		n2, err := base.Where(tweetsT.C("likes").Gt(4)).Count(ctx)
		require.NoError(t, err)
		n3, err := base.Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 4, n1)
		assert.EqualValues(t, 2, n2)
		assert.Equal(t, n1, n3)
	})
}

func TestSelectOneFirst(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		// Keys inserted out of order: First orders by key.
		for _, u := range []kUser{{ID: 30, Username: "c"}, {ID: 10, Username: "a"}, {ID: 20, Username: "b"}} {
			require.NoError(t, db.Insert(ctx, &u))
		}
		one, err := orm.Select[kUser](db).Where(usersT.C("username").Eq("b")).One(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 20, one.ID)

		_, err = orm.Select[kUser](db).Where(usersT.C("username").Eq("zzz")).One(ctx)
		require.ErrorIs(t, err, orm.ErrNotFound)
		_, err = orm.Select[kUser](db).One(ctx)
		require.ErrorIs(t, err, orm.ErrTooMany)
		assert.Contains(t, err.Error(), "users")

		first, err := orm.Select[kUser](db).First(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 10, first.ID)
		first, err = orm.Select[kUser](db).OrderBy(usersT.C("username").Desc()).First(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 30, first.ID, "an ordered query keeps its order")
		_, err = orm.Select[kUser](db).Where(usersT.C("id").Gt(100)).First(ctx)
		require.ErrorIs(t, err, orm.ErrNotFound)
	})
}

func TestSelectCountExists(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		seedTweets(t, ctx, db)
		n, err := orm.Select[kTweet](db).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 5, n)
		n, err = orm.Select[kTweet](db).Where(tweetsT.C("likes").Ge(3)).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 3, n)

		// Grouped: the number of groups.
		n, err = orm.Select[kTweet](db).GroupBy(tweetsT.C("user_id")).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
		n, err = orm.Select[kTweet](db).GroupBy(tweetsT.C("user_id")).Having(query.CountAll().Gt(2)).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		// Limited: at most the limit.
		n, err = orm.Select[kTweet](db).OrderBy(tweetsT.C("id")).Limit(2).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
		n, err = orm.Select[kTweet](db).OrderBy(tweetsT.C("id")).Limit(10).Offset(3).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
		// Distinct columns.
		n, err = orm.Select[kTweet](db).Columns(tweetsT.C("user_id")).Distinct().Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)

		ok, err := orm.Select[kTweet](db).GroupBy(tweetsT.C("user_id")).Having(query.CountAll().Gt(2)).Exists(ctx)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = orm.Select[kTweet](db).Where(tweetsT.C("content").Eq("b2")).Exists(ctx)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = orm.Select[kTweet](db).Where(tweetsT.C("content").Eq("zz")).Exists(ctx)
		require.NoError(t, err)
		assert.False(t, ok)
	})
}

func TestSelectIter(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		seedTweets(t, ctx, db)
		var contents []string
		for tw, err := range orm.Select[kTweet](db).OrderBy(tweetsT.C("id")).Iter(ctx) {
			require.NoError(t, err)
			contents = append(contents, tw.Content)
		}
		assert.Equal(t, []string{"a1", "a2", "a3", "b1", "b2"}, contents)
		assert.Zero(t, db.SQL().Stats().InUse)

		// Breaking early closes the rows: no connection stays in use.
		for i := range 10 {
			for tw, err := range orm.Select[kTweet](db).OrderBy(tweetsT.C("id")).Iter(ctx) {
				require.NoError(t, err)
				assert.Equal(t, "a1", tw.Content)
				break
			}
			require.Zero(t, db.SQL().Stats().InUse, "iteration %d leaked a connection", i)
		}

		// A failing query yields its error once.
		errs := 0
		for _, err := range orm.Select[kTweet](db).Where(tweetsT.C("nope").Eq(1)).Iter(ctx) {
			require.ErrorIs(t, err, orm.ErrUnknownColumn)
			errs++
		}
		assert.Equal(t, 1, errs)

		// Inside a transaction the rows must be closed before the next
		// statement on the same connection: breaking does that.
		require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
			for range orm.Select[kTweet](tx).Iter(ctx) {
				break
			}
			_, err := orm.Select[kTweet](tx).Count(ctx)
			return err
		}))
		assert.Zero(t, db.SQL().Stats().InUse)
	})
}

type userTweetStats struct {
	Username string `db:"username"`
	Tweets   int64  `db:"tweets"`
	Likes    int64  `db:"likes"`
}

func TestSelectPluckScalarIntoMaps(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		alice, bob, _ := seedTweets(t, ctx, db)

		names, err := orm.Pluck[string](ctx, orm.Select[kUser](db).OrderBy(usersT.C("username")), usersT.C("username"))
		require.NoError(t, err)
		assert.Equal(t, []string{"alice", "bob", "carol"}, names)
		ids, err := orm.Pluck[int64](ctx, orm.Select[kTweet](db).Where(tweetsT.C("user_id").Eq(bob.ID)).OrderBy(tweetsT.C("id")), tweetsT.C("id"))
		require.NoError(t, err)
		assert.Len(t, ids, 2)

		maxLikes, err := orm.Scalar[int64](ctx, orm.Select[kTweet](db), query.Max(tweetsT.C("likes")))
		require.NoError(t, err)
		assert.EqualValues(t, 10, maxLikes)
		avgAge, err := orm.Scalar[float64](ctx, orm.Select[kUser](db).Where(usersT.C("active").Eq(true)), query.Avg(usersT.C("age")))
		require.NoError(t, err)
		assert.InDelta(t, 27.5, avgAge, 1e-9)

		// Into: aggregates over a join, scanned into another struct.
		stats, err := orm.Into[userTweetStats](ctx, orm.Select[kTweet](db).
			Columns(usersT.C("username"), query.CountAll().As("tweets"), query.Sum(tweetsT.C("likes")).As("likes")).
			Join(usersT, tweetsT.C("user_id").Eq(usersT.C("id"))).
			GroupBy(usersT.C("username")).
			OrderBy(usersT.C("username")))
		require.NoError(t, err)
		assert.Equal(t, []userTweetStats{{"alice", 3, 9}, {"bob", 2, 10}}, stats)

		// Into with a result column R has no field for: an error naming it.
		_, err = orm.Into[userTweetStats](ctx, orm.Select[kTweet](db).Columns(tweetsT.C("content")))
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		assert.Contains(t, err.Error(), "content")

		// Columns narrows a model read; the other fields stay zero.
		narrow, err := orm.Select[kUser](db).Columns(usersT.C("id"), usersT.C("username")).Where(usersT.C("id").Eq(alice.ID)).One(ctx)
		require.NoError(t, err)
		assert.Equal(t, "alice", narrow.Username)
		assert.Zero(t, narrow.Age)

		maps, err := orm.Select[kUser](db).Columns(usersT.C("username"), usersT.C("age")).OrderBy(usersT.C("username")).Maps(ctx)
		require.NoError(t, err)
		require.Len(t, maps, 3)
		assert.Equal(t, "alice", asString(maps[0]["username"]))
		assert.Equal(t, "30", asString(maps[0]["age"]))
		assert.Len(t, maps[0], 2)
	})
}

func asString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprint(v)
}

func TestSelectLocking(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		u := &kUser{Username: "locked", Age: 1}
		require.NoError(t, db.Insert(ctx, u))
		err := db.Tx(ctx, func(tx *orm.Tx) error {
			got, err := orm.Select[kUser](tx).Where(usersT.C("id").Eq(u.ID)).ForUpdate().One(ctx)
			if err != nil {
				return err
			}
			got.Age++
			return tx.Update(ctx, &got, "age")
		})
		if !tdb.Dialect.Has(dialect.ForUpdate) {
			require.ErrorIs(t, err, dialect.ErrUnsupported, "SQLite has no row locks")
			assert.Contains(t, err.Error(), "FOR UPDATE")
			return
		}
		require.NoError(t, err)
		got, err := orm.Get[kUser](ctx, db, u.ID)
		require.NoError(t, err)
		assert.Equal(t, 2, got.Age)

		// The lock really is held: a second transaction's NOWAIT lock fails
		// while the first holds the row.
		if tdb.Dialect.Has(dialect.LockNoWait) {
			held := make(chan struct{})
			release := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = db.Tx(ctx, func(tx *orm.Tx) error {
					_, err := orm.Select[kUser](tx).Where(usersT.C("id").Eq(u.ID)).ForUpdate().One(ctx)
					assert.NoError(t, err)
					close(held)
					<-release
					return nil
				})
			}()
			<-held
			err := db.Tx(ctx, func(tx *orm.Tx) error {
				_, err := orm.Select[kUser](tx).Where(usersT.C("id").Eq(u.ID)).ForUpdate(query.NoWait).One(ctx)
				return err
			})
			close(release)
			wg.Wait()
			require.Error(t, err, "the row is locked by the other transaction")
		}

		// ForShare.
		err = db.Tx(ctx, func(tx *orm.Tx) error {
			_, err := orm.Select[kUser](tx).ForShare().All(ctx)
			return err
		})
		require.NoError(t, err)
	})
}

func TestSelectUnknownColumnBeforeDatabase(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)
		bad := usersT.C("no_such_column")
		checks := map[string]func() error{
			"All":    func() error { _, err := orm.Select[kUser](hdb).Where(bad.Eq(1)).All(ctx); return err },
			"One":    func() error { _, err := orm.Select[kUser](hdb).Where(bad.Eq(1)).One(ctx); return err },
			"First":  func() error { _, err := orm.Select[kUser](hdb).OrderBy(bad).First(ctx); return err },
			"Count":  func() error { _, err := orm.Select[kUser](hdb).Where(bad.Eq(1)).Count(ctx); return err },
			"Exists": func() error { _, err := orm.Select[kUser](hdb).Where(bad.Eq(1)).Exists(ctx); return err },
			"Pluck":  func() error { _, err := orm.Pluck[int](ctx, orm.Select[kUser](hdb), bad); return err },
			"Scalar": func() error { _, err := orm.Scalar[int](ctx, orm.Select[kUser](hdb), query.Max(bad)); return err },
			"Maps":   func() error { _, err := orm.Select[kUser](hdb).Where(bad.IsNull()).Maps(ctx); return err },
			"Into": func() error {
				_, err := orm.Into[userTweetStats](ctx, orm.Select[kUser](hdb).Columns(bad.As("username")))
				return err
			},
			"Build":      func() error { _, _, err := orm.Select[kUser](hdb).Where(bad.Eq(1)).Build(); return err },
			"BulkUpdate": func() error { _, err := orm.Update[kUser](hdb).Set("age", 1).Where(bad.Eq(1)).Exec(ctx); return err },
			"BulkSet":    func() error { _, err := orm.Update[kUser](hdb).Set("nope", 1).AllRows().Exec(ctx); return err },
			"BulkDelete": func() error { _, err := orm.Delete[kUser](hdb).Where(bad.Eq(1)).Exec(ctx); return err },
			"Get":        func() error { _, err := orm.Get[kTweet](ctx, hdb, 1); return err }, // fine: a control
		}
		for name, run := range checks {
			err := run()
			if name == "Get" {
				require.ErrorIs(t, err, orm.ErrNotFound)
				continue
			}
			require.ErrorIs(t, err, orm.ErrUnknownColumn, name)
			assert.Contains(t, err.Error(), "no_such_column"[:2], name)
		}
		assert.Equal(t, 1, rec.count(), "only the control query reached the database: %v", rec.sqls())

		// A joined table's columns and aliases are not the model's business.
		_, err := orm.Select[kTweet](db).Join(usersT, tweetsT.C("user_id").Eq(usersT.C("id"))).Where(usersT.C("username").Eq("x")).All(ctx)
		require.NoError(t, err)
	})
}

type kNullable struct {
	ID   int64   `db:"id,pk"`
	N    *int64  `db:"n"`
	Note *string `db:"note"`
}

func (kNullable) TableName() string { return "nullables" }

// kNotNull reads the same table with non-nullable fields.
type kNotNull struct {
	ID   int64  `db:"id,pk"`
	N    int64  `db:"n"`
	Note string `db:"note"`
}

func (kNotNull) TableName() string { return "nullables" }

func TestScanNullIntoNonNullable(t *testing.T) {
	withTables(t, []any{&kNullable{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		require.NoError(t, db.Insert(ctx, &kNullable{Note: ptr("x")}))
		_, err := orm.Select[kNotNull](db).All(ctx)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `column "n"`)
		assert.Contains(t, err.Error(), "kNotNull.N")
		assert.Contains(t, err.Error(), "NULL")

		for _, err := range orm.Select[kNotNull](db).Iter(ctx) {
			require.Error(t, err)
			assert.Contains(t, err.Error(), "kNotNull.N")
		}
		_, err = orm.Get[kNotNull](ctx, db, int64(1))
		require.Error(t, err)
		assert.Contains(t, err.Error(), `column "n"`)

		got, err := orm.Get[kNullable](ctx, db, int64(1))
		require.NoError(t, err)
		assert.Nil(t, got.N)
		assert.Equal(t, "x", *got.Note)
	})
}

func TestScanPlanCached(t *testing.T) {
	p1 := orm.ScanPlanFor[kUser]([]string{"id", "username"})
	p2 := orm.ScanPlanFor[kUser]([]string{"id", "username"})
	p3 := orm.ScanPlanFor[kUser]([]string{"username", "id"})
	p4 := orm.ScanPlanFor[kTweet]([]string{"id"})
	p5 := orm.ScanPlanFor[kUser]([]string{"id"})
	assert.Same(t, p1, p2, "one plan per (type, columns)")
	assert.NotSame(t, p1, p3)
	assert.NotSame(t, p4, p5)

	// Reading rows does not allocate per row beyond the values themselves.
	db, err := orm.Open(t.Context(), "sqlite::memory:")
	require.NoError(t, err)
	defer db.Close()
	ctx := t.Context()
	require.NoError(t, db.CreateTables(ctx, &kUser{}, &kTweet{}))
	require.NoError(t, db.Insert(ctx, &kUser{ID: 1, Username: "u"}))
	batch := make([]kTweet, 200)
	for i := range batch {
		batch[i] = kTweet{UserID: 1, Content: "", Likes: i}
	}
	require.NoError(t, db.InsertMany(ctx, batch))
	q := orm.Select[kTweet](db).Columns(tweetsT.C("id"), tweetsT.C("user_id"), tweetsT.C("likes"))
	small := testing.AllocsPerRun(5, func() { _, _ = q.Limit(10).All(ctx) })
	large := testing.AllocsPerRun(5, func() { _, _ = q.Limit(200).All(ctx) })
	perRow := (large - small) / 190
	t.Logf("allocations: %v for 10 rows, %v for 200 rows, %.2f per row", small, large, perRow)
	assert.Less(t, perRow, 8.0, "scanning allocates little per row")
}

// A slow statement shows up in the hook's duration.
func TestQueryHookDuration(t *testing.T) {
	db, err := orm.Open(t.Context(), "sqlite::memory:")
	require.NoError(t, err)
	defer db.Close()
	hdb, rec := hooked(db)
	start := time.Now()
	rows, err := hdb.QueryContext(t.Context(), "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 200000) SELECT COUNT(*) FROM c")
	require.NoError(t, err)
	rows.Close()
	require.Equal(t, 1, rec.count())
	assert.LessOrEqual(t, rec.events[0].Duration, time.Since(start))
	assert.Positive(t, rec.events[0].Duration)
}

package orm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

func TestBulkUpdate(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		alice, bob, _ := seedTweets(t, ctx, db)

		n, err := orm.Update[kTweet](db).Set("likes", 100).Where(tweetsT.C("user_id").Eq(alice.ID)).Exec(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 3, n)
		likes, err := orm.Pluck[int](ctx, orm.Select[kTweet](db).Where(tweetsT.C("user_id").Eq(alice.ID)), tweetsT.C("likes"))
		require.NoError(t, err)
		assert.Equal(t, []int{100, 100, 100}, likes)

		// An expression on the right-hand side; typed assignments.
		Likes := orm.Field(func(t *kTweet) *int { return &t.Likes })
		n, err = orm.Update[kTweet](db).Set("likes", tweetsT.C("likes").Add(1)).Where(tweetsT.C("user_id").Eq(bob.ID)).Exec(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
		n, err = orm.Update[kTweet](db).SetAll(Likes.Set(7)).Where(Likes.Eq(11)).Exec(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		b, err := orm.Select[kTweet](db).Where(tweetsT.C("content").Eq("b1")).One(ctx)
		require.NoError(t, err)
		assert.Equal(t, 7, b.Likes)

		// Unchanged values still count as affected (clientFoundRows on MySQL).
		n, err = orm.Update[kTweet](db).Set("likes", 100).Where(tweetsT.C("user_id").Eq(alice.ID)).Exec(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 3, n)

		// No match: zero rows, no error.
		n, err = orm.Update[kTweet](db).Set("likes", 1).Where(tweetsT.C("id").Eq(-1)).Exec(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)

		// No WHERE: refused before the database, unless AllRows.
		hdb, rec := hooked(db)
		_, err = orm.Update[kTweet](hdb).Set("likes", 0).Exec(ctx)
		require.ErrorIs(t, err, query.ErrNoWhere)
		assert.Zero(t, rec.count())
		n, err = orm.Update[kTweet](hdb).Set("likes", 0).AllRows().Exec(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 5, n)

		// Unknown columns, by name or by a typed handle.
		_, err = orm.Update[kTweet](db).Set("nope", 1).AllRows().Exec(ctx)
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		_, err = orm.Update[kTweet](db).SetAll(query.Assign("nope", 1)).AllRows().Exec(ctx)
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		_, err = orm.Update[kTweet](db).SetAll(orm.ColOf[int, kTweet]("nope").Set(1)).AllRows().Exec(ctx)
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
	})
}

func TestBulkDelete(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		_, bob, _ := seedTweets(t, ctx, db)

		n, err := orm.Delete[kTweet](db).Where(tweetsT.C("likes").Lt(2)).Exec(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n) // a1 (1), b2 (0)
		n, err = orm.Delete[kTweet](db).Where(tweetsT.C("user_id").Eq(bob.ID)).Exec(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		n, err = orm.Delete[kTweet](db).Where(tweetsT.C("user_id").Eq(bob.ID)).Exec(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)

		hdb, rec := hooked(db)
		_, err = orm.Delete[kTweet](hdb).Exec(ctx)
		require.ErrorIs(t, err, query.ErrNoWhere)
		assert.Zero(t, rec.count(), "refused before the database")
		assert.Equal(t, 2, countRows(t, tdb, "tweets"))
		n, err = orm.Delete[kTweet](hdb).AllRows().Exec(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
		assert.Equal(t, 0, countRows(t, tdb, "tweets"))
	})
}

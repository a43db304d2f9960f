package orm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// LoadWith: relation loading with filters, order, a per-parent limit and a
// strategy, on every relation kind, each case with both strategies and the
// queries counted.

var strategies = []struct {
	name string
	st   orm.LoadStrategy
	// queries is how many statements a load of one relation adds.
	queries int
}{
	{"in", orm.InStrategy, 1},
	{"json", orm.JSONStrategy, 0},
}

func TestLoadWithHasMany(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		for _, st := range strategies {
			t.Run(st.name, func(t *testing.T) {
				S := orm.Strategy(st.st)
				U := func() orm.SelectQuery[rUser] { return orm.Select[rUser](db).OrderBy(relU.C("id")) }

				// The two newest tweets of each user.
				cnt.reset()
				users, err := U().LoadWith("Tweets", S, orm.OrderBy(relTweetID.Desc()), orm.LimitPer(2)).All(ctx)
				require.NoError(t, err)
				require.Equal(t, 1+st.queries, cnt.n(), "queries: %q", cnt.sqls)
				require.Equal(t, []int64{d.t4, d.t3}, tweetIDs(users[0].Tweets))
				require.Equal(t, []int64{d.t2}, tweetIDs(users[1].Tweets))
				require.NotNil(t, users[2].Tweets, "loaded, none")
				require.Empty(t, users[2].Tweets)
				require.Equal(t, "talking to myself", users[0].Tweets[0].Content)
				require.Equal(t, d.t3, *users[0].Tweets[0].ReplyToID)
				require.Equal(t, d.t2, *users[0].Tweets[1].ReplyToID)

				// A filter without a limit, the default order (by key).
				users, err = U().LoadWith("Tweets", S, orm.Where(relT.C("content").Like("hi%"))).All(ctx)
				require.NoError(t, err)
				require.Equal(t, []int64{d.t3}, tweetIDs(users[0].Tweets))
				require.Equal(t, []int64{d.t2}, tweetIDs(users[1].Tweets))

				// Nested: the likes of each user's newest tweet, the likes
				// limited too; the options apply to the last part.
				cnt.reset()
				users, err = U().LoadWith("Tweets", S, orm.OrderBy(relTweetID.Asc()), orm.LimitPer(1)).
					LoadWith("Tweets.Likes", S, orm.OrderBy(relL.C("user_id").Desc()), orm.LimitPer(1)).All(ctx)
				require.NoError(t, err)
				require.Equal(t, 1+2*st.queries, cnt.n(), "queries: %q", cnt.sqls)
				require.Equal(t, []int64{d.t1}, tweetIDs(users[0].Tweets))
				require.Len(t, users[0].Tweets[0].Likes, 1)
				require.Equal(t, d.carol, users[0].Tweets[0].Likes[0].UserID)
				require.Equal(t, []int64{d.t2}, tweetIDs(users[1].Tweets))
				require.Equal(t, d.alice, users[1].Tweets[0].Likes[0].UserID)

				// The same without options through LoadWith equals Load.
				want, err := U().Load("Tweets.Likes").All(ctx)
				require.NoError(t, err)
				got, err := U().LoadWith("Tweets", S).LoadWith("Tweets.Likes", S).All(ctx)
				require.NoError(t, err)
				require.Equal(t, want, got)
			})
		}
	})
}

func TestLoadWithToOneAndManyToMany(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		for _, st := range strategies {
			t.Run(st.name, func(t *testing.T) {
				S := orm.Strategy(st.st)
				U := func() orm.SelectQuery[rUser] { return orm.Select[rUser](db).OrderBy(relU.C("id")) }

				// has_one with a filter: no match leaves it nil.
				users, err := U().LoadWith("Profile", S, orm.Where(relP.C("bio").Eq("a-bio"))).All(ctx)
				require.NoError(t, err)
				require.Equal(t, "a-bio", users[0].Profile.Bio)
				require.Nil(t, users[1].Profile)
				require.Nil(t, users[2].Profile)

				// belongs_to with a filter.
				cnt.reset()
				tweets, err := orm.Select[rTweet](db).OrderBy(relTweetID.Asc()).
					LoadWith("User", S, orm.Where(relUserName.Ne("bob"))).All(ctx)
				require.NoError(t, err)
				require.Equal(t, 1+st.queries, cnt.n())
				require.Equal(t, "alice", tweets[0].User.Name)
				require.Nil(t, tweets[1].User, "bob is filtered out")
				require.Equal(t, "alice", tweets[3].User.Name)
				// Self-referential belongs_to, nested.
				tweets, err = orm.Select[rTweet](db).OrderBy(relTweetID.Asc()).
					LoadWith("ReplyTo", S).LoadWith("ReplyTo.User", S).All(ctx)
				require.NoError(t, err)
				require.Nil(t, tweets[0].ReplyTo)
				require.Equal(t, d.t2, tweets[2].ReplyTo.ID)
				require.Equal(t, "bob", tweets[2].ReplyTo.User.Name)
				require.Equal(t, "alice", tweets[3].ReplyTo.User.Name)

				// many_to_many: ordered by name, one per user, or filtered
				// on the join model.
				cnt.reset()
				users, err = U().LoadWith("Groups", S, orm.OrderBy(relG.C("name").Asc()), orm.LimitPer(1)).All(ctx)
				require.NoError(t, err)
				require.Equal(t, 1+st.queries, cnt.n())
				require.Equal(t, []string{"admins"}, groupNames(users[0].Groups))
				require.Equal(t, []string{"gophers"}, groupNames(users[1].Groups))
				require.NotNil(t, users[2].Groups)
				require.Empty(t, users[2].Groups)
				users, err = U().LoadWith("Groups", S, orm.Where(relM.C("role").Eq("member"))).All(ctx)
				require.NoError(t, err)
				require.Equal(t, []string{"gophers"}, groupNames(users[0].Groups))
				require.Equal(t, []string{"gophers"}, groupNames(users[1].Groups))
				// The other way, into []*S, nested.
				groups, err := orm.Select[rGroup](db).OrderBy(relG.C("id")).
					LoadWith("Members", S, orm.OrderBy(relUserName.Desc())).LoadWith("Members.Tweets", S, orm.LimitPer(1)).All(ctx)
				require.NoError(t, err)
				require.Len(t, groups[0].Members, 2)
				require.Equal(t, "bob", groups[0].Members[0].Name)
				require.Equal(t, "alice", groups[0].Members[1].Name)
				require.Equal(t, []int64{d.t1}, tweetIDs(groups[0].Members[1].Tweets))
				require.Equal(t, []int64{d.t2}, tweetIDs(groups[0].Members[0].Tweets))
			})
		}
	})
}

// TestLoadWithStrategiesAgree: every relation of the rel models, loaded
// with each strategy, gives the same result.
func TestLoadWithStrategiesAgree(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		load := func(st orm.LoadStrategy) []rUser {
			S := orm.Strategy(st)
			users, err := orm.Select[rUser](db).OrderBy(relU.C("id")).
				LoadWith("Tweets", S).LoadWith("Tweets.Likes", S).LoadWith("Tweets.Tags", S).
				LoadWith("Profile", S).LoadWith("Groups", S).LoadWith("Memberships", S).All(ctx)
			require.NoError(t, err)
			return users
		}
		cnt.reset()
		in := load(orm.InStrategy)
		require.Equal(t, 1+6, cnt.n())
		cnt.reset()
		js := load(orm.JSONStrategy)
		require.Equal(t, 1, cnt.n(), "users with all their relations as JSON, the tweets' inside: %q", cnt.sqls)
		require.Equal(t, in, js)
		plain, err := orm.Select[rUser](db).OrderBy(relU.C("id")).Load("Tweets.Likes", "Tweets.Tags", "Profile", "Groups", "Memberships").All(ctx)
		require.NoError(t, err)
		require.Equal(t, plain, in)
		// AfterScan runs on rows read as JSON too.
		for _, tg := range js[0].Tweets[0].Tags {
			require.True(t, tg.Scanned)
		}
	})
}

// TestLoadWithSQL: the statements of each strategy on each engine.
func TestLoadWithSQL(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, tdb *testdb.DB) {
		_, err := orm.Select[rUser](db).Where(relU.C("id").Eq(d.alice)).
			LoadWith("Tweets", orm.OrderBy(relTweetID.Desc()), orm.LimitPer(2)).All(ctx)
		require.NoError(t, err)
		require.Len(t, cnt.sqls, 2)
		// PostgreSQL numbers the whole rows; SQLite and MySQL number the
		// keys alone and join the first rows back (dialect.NarrowWindower).
		narrow := func(q, ph1, ph2 string) string {
			qi := func(parts ...string) string {
				out := ""
				for i, p := range parts {
					if i > 0 {
						out += "."
					}
					out += q + p + q
				}
				return out
			}
			return "SELECT " + qi("rel_tweets", "id") + ", " + qi("rel_tweets", "user_id") + ", " + qi("rel_tweets", "reply_to_id") + ", " + qi("rel_tweets", "content") +
				" FROM " + qi("rel_tweets") + " JOIN (SELECT " + qi("rel_tweets", "id") + " AS " + qi("kinglet_key") + ", " + qi("rel_tweets", "user_id") + " AS " + qi("kinglet_parent") +
				", ROW_NUMBER() OVER (PARTITION BY " + qi("rel_tweets", "user_id") + " ORDER BY " + qi("rel_tweets", "id") + " DESC, " + qi("rel_tweets", "id") + ") AS " + qi("kinglet_rn") +
				" FROM " + qi("rel_tweets") + " WHERE " + qi("rel_tweets", "user_id") + " = " + ph1 + ") AS " + qi("kinglet_rel") +
				" ON " + qi("kinglet_rel", "kinglet_key") + " = " + qi("rel_tweets", "id") + " WHERE " + qi("kinglet_rel", "kinglet_rn") + " <= " + ph2 +
				" ORDER BY " + qi("kinglet_rel", "kinglet_parent") + ", " + qi("kinglet_rel", "kinglet_rn")
		}
		want := map[string]string{
			testdb.SQLite: narrow(`"`, "?", "?"),
			testdb.Postgres: `SELECT "id", "user_id", "reply_to_id", "content" FROM (SELECT "rel_tweets"."id", "rel_tweets"."user_id", "rel_tweets"."reply_to_id", "rel_tweets"."content", ` +
				`ROW_NUMBER() OVER (PARTITION BY "rel_tweets"."user_id" ORDER BY "rel_tweets"."id" DESC, "rel_tweets"."id") AS "kinglet_rn" ` +
				`FROM "rel_tweets" WHERE "rel_tweets"."user_id" = $1) AS "kinglet_rel" WHERE "kinglet_rn" <= $2 ORDER BY "user_id", "kinglet_rn"`,
			testdb.MySQL: narrow("`", "?", "?"),
		}
		require.Equal(t, want[tdb.Engine], cnt.sqls[1])

		sqlText, _, err := orm.Select[rUser](db).LoadWith("Tweets", orm.Strategy(orm.JSONStrategy),
			orm.Where(relT.C("content").Ne("x")), orm.OrderBy(relTweetID.Desc()), orm.LimitPer(2)).Build()
		require.NoError(t, err)
		cols := func(q, prefix string) string {
			s := ""
			for i, c := range []string{"id", "user_id", "reply_to_id", "content"} {
				if i > 0 {
					s += ", "
				}
				s += q + prefix + q + "." + q + c + q
			}
			return s
		}
		wantJSON := map[string]string{
			// SQLite and PostgreSQL: a derived table with LIMIT, each row
			// numbered in the order asked.
			testdb.SQLite: `SELECT "id", "name", (SELECT json_group_array(json_array(` + cols(`"`, "kinglet_k") + `, "kinglet_k"."kinglet_ord")) ` +
				`FROM (SELECT ` + cols(`"`, "rel_tweets") + `, ROW_NUMBER() OVER (ORDER BY "rel_tweets"."id" DESC, "rel_tweets"."id") AS "kinglet_ord" ` +
				`FROM "rel_tweets" WHERE "rel_tweets"."user_id" = "rel_users"."id" AND "rel_tweets"."content" <> ? ORDER BY "rel_tweets"."id" DESC, "rel_tweets"."id" LIMIT ?) AS "kinglet_k") ` +
				`AS "kinglet_json_tweets" FROM "rel_users"`,
			testdb.Postgres: `SELECT "id", "name", (SELECT json_agg(json_build_array(` + cols(`"`, "kinglet_k") + `, "kinglet_k"."kinglet_ord")) ` +
				`FROM (SELECT ` + cols(`"`, "rel_tweets") + `, ROW_NUMBER() OVER (ORDER BY "rel_tweets"."id" DESC, "rel_tweets"."id") AS "kinglet_ord" ` +
				`FROM "rel_tweets" WHERE "rel_tweets"."user_id" = "rel_users"."id" AND "rel_tweets"."content" <> $1 ORDER BY "rel_tweets"."id" DESC, "rel_tweets"."id" LIMIT $2) AS "kinglet_k") ` +
				`AS "kinglet_json_tweets" FROM "rel_users"`,
			// MariaDB: ORDER BY and LIMIT inside JSON_ARRAYAGG (its derived
			// tables cannot see the parent row).
			testdb.MySQL: "SELECT `id`, `name`, (SELECT JSON_ARRAYAGG(JSON_ARRAY(" + cols("`", "rel_tweets") + ") ORDER BY `rel_tweets`.`id` DESC, `rel_tweets`.`id` LIMIT ?) " +
				"FROM `rel_tweets` WHERE `rel_tweets`.`user_id` = `rel_users`.`id` AND `rel_tweets`.`content` <> ?) AS `kinglet_json_tweets` FROM `rel_users`",
		}
		require.Equal(t, wantJSON[tdb.Engine], sqlText)
	})
}

// TestLoadWithRefusals: bad options and what a strategy cannot do, before
// any query runs.
func TestLoadWithRefusals(t *testing.T) {
	type jBlob struct {
		ID     int64  `db:"id,pk"`
		UserID int64  `db:"user_id"`
		Data   []byte `db:"data"`
	}
	cases := []struct {
		name    string
		q       func(db *orm.DB) orm.SelectQuery[rUser]
		want    error
		mention []string
	}{
		{"limit_zero", func(db *orm.DB) orm.SelectQuery[rUser] {
			return orm.Select[rUser](db).LoadWith("Tweets", orm.LimitPer(0))
		}, orm.ErrInvalidArgument, []string{`LoadWith("Tweets")`, "LimitPer(0)"}},
		{"bad_strategy", func(db *orm.DB) orm.SelectQuery[rUser] {
			return orm.Select[rUser](db).LoadWith("Tweets", orm.Strategy(9))
		}, orm.ErrInvalidArgument, []string{"Strategy(9)"}},
		{"twice", func(db *orm.DB) orm.SelectQuery[rUser] {
			return orm.Select[rUser](db).LoadWith("Tweets").LoadWith(" Tweets ")
		}, orm.ErrInvalidArgument, []string{"Tweets", "twice"}},
		{"unknown", func(db *orm.DB) orm.SelectQuery[rUser] {
			return orm.Select[rUser](db).LoadWith("Tweets.Likez", orm.LimitPer(1))
		}, orm.ErrUnknownRelation, []string{"rTweet", `"Likez"`}},
		{"empty", func(db *orm.DB) orm.SelectQuery[rUser] { return orm.Select[rUser](db).LoadWith("") },
			orm.ErrUnknownRelation, []string{"empty name"}},
		{"json_on_compound", func(db *orm.DB) orm.SelectQuery[rUser] {
			q := orm.Select[rUser](db)
			return q.Union(q).LoadWith("Tweets", orm.Strategy(orm.JSONStrategy))
		}, orm.ErrInvalidArgument, []string{"compound"}},
		{"json_member_of_compound", func(db *orm.DB) orm.SelectQuery[rUser] {
			q := orm.Select[rUser](db)
			return q.LoadWith("Tweets", orm.Strategy(orm.JSONStrategy)).Union(q)
		}, orm.ErrInvalidArgument, []string{"Union", "JSON"}},
		{"unknown_column_in_where", func(db *orm.DB) orm.SelectQuery[rUser] {
			return orm.Select[rUser](db).LoadWith("Tweets", orm.Strategy(orm.JSONStrategy), orm.Where(relT.C("contnt").Eq("x")))
		}, orm.ErrUnknownColumn, []string{"rel_tweets", `"contnt"`}},
	}
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, tdb *testdb.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				cnt.reset()
				_, err := c.q(db).All(ctx)
				require.ErrorIs(t, err, c.want)
				for _, m := range c.mention {
					require.ErrorContains(t, err, m)
				}
				require.Equal(t, 0, cnt.n(), "no query: %q", cnt.sqls)
			})
		}
		// A bad column in an IN load's condition fails before its query.
		cnt.reset()
		_, err := orm.Select[rUser](db).LoadWith("Tweets", orm.Where(relT.C("contnt").Eq("x"))).All(ctx)
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		require.ErrorContains(t, err, "load rUser.Tweets")
		require.Equal(t, 1, cnt.n(), "only the users' query: %q", cnt.sqls)
		// A byte string cannot travel as JSON.
		type jOwner struct {
			ID    int64   `db:"id,pk"`
			Blobs []jBlob `db:"-" rel:"has_many,fk:UserID"`
		}
		_, err = orm.Select[jOwner](db).LoadWith("Blobs", orm.Strategy(orm.JSONStrategy)).All(ctx)
		require.ErrorIs(t, err, orm.ErrInvalidArgument)
		require.ErrorContains(t, err, "jBlob.Data")
	})
}

// TestIterLoadsInBatches: Iter loads relations 100 rows at a time, the
// same rows All gives, and refuses in a transaction where the engine
// cannot interleave.
func TestIterLoadsInBatches(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, tdb *testdb.DB) {
		for i := range 247 {
			u := &rUser{Name: fmt.Sprintf("u%03d", i)}
			require.NoError(t, db.Insert(ctx, u))
			require.NoError(t, db.Insert(ctx, &rTweet{UserID: u.ID, Content: "first"}))
			require.NoError(t, db.Insert(ctx, &rTweet{UserID: u.ID, Content: "second"}))
		}
		q := orm.Select[rUser](db).OrderBy(relU.C("id")).Load("Profile").
			LoadWith("Tweets", orm.OrderBy(relTweetID.Desc()), orm.LimitPer(1))
		want, err := q.All(ctx)
		require.NoError(t, err)
		require.Len(t, want, 250)
		cnt.reset()
		var got []rUser
		for u, err := range q.Iter(ctx) {
			require.NoError(t, err)
			got = append(got, u)
		}
		require.Equal(t, want, got)
		// 250 users: one query for them, and per batch of 100 one for the
		// profiles and one for the tweets.
		require.Equal(t, 1+3*2, cnt.n(), "queries: %q", cnt.sqls)
		require.Equal(t, "second", got[249].Tweets[0].Content)

		// Breaking out stops reading, and loads no more batches.
		cnt.reset()
		n := 0
		for _, err := range q.Iter(ctx) {
			require.NoError(t, err)
			if n++; n == 150 {
				break
			}
		}
		require.Equal(t, 1+2*2, cnt.n())

		// JSON loads need no batch: each row comes with its relation.
		cnt.reset()
		n = 0
		for u, err := range orm.Select[rUser](db).OrderBy(relU.C("id")).LoadWith("Tweets", orm.Strategy(orm.JSONStrategy)).Iter(ctx) {
			require.NoError(t, err)
			require.NotNil(t, u.Tweets)
			n++
		}
		require.Equal(t, 250, n)
		require.Equal(t, 1, cnt.n())

		// In a transaction: SQLite runs the relation queries beside the
		// rows; PostgreSQL and MySQL cannot on the one connection.
		err = db.Tx(ctx, func(tx *orm.Tx) error {
			for u, err := range orm.Select[rUser](tx).OrderBy(relU.C("id")).Load("Tweets").Iter(ctx) {
				if err != nil {
					return err
				}
				require.NotNil(t, u.Tweets)
			}
			return nil
		})
		if tdb.Engine == testdb.SQLite {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, query.ErrUnsupported)
			require.ErrorContains(t, err, "use All")
		}
	})
}

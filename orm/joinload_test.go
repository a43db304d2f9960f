package orm_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// JoinLoad: to-one relations filled from a JOIN in one query. The rel*
// models and relEach's rows are those of relations_test.go.

// jMessage has two foreign keys to the same table.
type jMessage struct {
	ID          int64  `db:"id,pk"`
	SenderID    int64  `db:"sender_id,fk:rel_users.id"`
	RecipientID *int64 `db:"recipient_id,fk:rel_users.id"`
	Body        string `db:"body"`
	Sender      *rUser `db:"-" rel:"belongs_to,fk:SenderID"`
	Recipient   *rUser `db:"-" rel:"belongs_to,fk:RecipientID"`
}

func (jMessage) TableName() string { return "jl_messages" }

var (
	relUserName  = orm.Field(func(u *rUser) *string { return &u.Name })
	relTweetID   = orm.Field(func(tw *rTweet) *int64 { return &tw.ID })
	relProfileID = orm.Field(func(p *rProfile) *string { return &p.Bio })
	jlM          = query.Table("jl_messages")
)

func TestJoinLoadBelongsTo(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		tweets, err := orm.Select[rTweet](db).JoinLoad("User").OrderBy(relTweetID.Asc()).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, cnt.n(), "one query: %q", cnt.sqls)
		require.Equal(t, []int64{d.t1, d.t2, d.t3, d.t4}, tweetIDs(tweets))
		for i, want := range []string{"alice", "bob", "alice", "alice"} {
			require.NotNil(t, tweets[i].User)
			require.Equal(t, want, tweets[i].User.Name)
			require.Equal(t, tweets[i].UserID, tweets[i].User.ID)
			require.Nil(t, tweets[i].User.Tweets, "not loaded")
		}
		require.NotSame(t, tweets[0].User, tweets[2].User, "each row its own copy")
		require.Nil(t, tweets[0].ReplyTo, "not asked for")

		// Where and OrderBy on the joined model's typed columns.
		cnt.reset()
		tweets, err = orm.Select[rTweet](db).JoinLoad("User").
			Where(relUserName.Eq("alice")).OrderBy(relUserName.Asc(), relTweetID.Desc()).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []int64{d.t4, d.t3, d.t1}, tweetIDs(tweets))
		require.Equal(t, "alice", tweets[0].User.Name)
		require.Equal(t, 1, cnt.n())

		// Count, Exists, One, First, Iter.
		n, err := orm.Select[rTweet](db).JoinLoad("User").Where(relUserName.Eq("bob")).Count(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		ok, err := orm.Select[rTweet](db).JoinLoad("User").Where(relUserName.Eq("carol")).Exists(ctx)
		require.NoError(t, err)
		require.False(t, ok)
		one, err := orm.Select[rTweet](db).JoinLoad("User").Where(relUserName.Eq("bob")).One(ctx)
		require.NoError(t, err)
		require.Equal(t, "bob", one.User.Name)
		first, err := orm.Select[rTweet](db).JoinLoad("User").First(ctx)
		require.NoError(t, err)
		require.Equal(t, d.t1, first.ID)
		require.Equal(t, "alice", first.User.Name)
		cnt.reset()
		var streamed []string
		for tw, err := range orm.Select[rTweet](db).JoinLoad("User").OrderBy(relTweetID.Desc()).Iter(ctx) {
			require.NoError(t, err)
			streamed = append(streamed, tw.User.Name)
		}
		require.Equal(t, []string{"alice", "alice", "bob", "alice"}, streamed)
		require.Equal(t, 1, cnt.n())

		// A value (not pointer) relation, nested: Like.Tweet.User.
		cnt.reset()
		likes, err := orm.Select[rLike](db).JoinLoad("Tweet.User", "User").OrderBy(relL.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, cnt.n())
		require.Len(t, likes, 4)
		require.Equal(t, d.t1, likes[0].Tweet.ID)
		require.Equal(t, "hello", likes[0].Tweet.Content)
		require.Equal(t, "alice", likes[0].Tweet.User.Name)
		require.Equal(t, "bob", likes[0].User.Name)
		require.Equal(t, "alice", likes[1].User.Name)
		require.Equal(t, "bob", likes[1].Tweet.User.Name)
	})
}

func TestJoinLoadLeftSelfAndHasOne(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		// A self-reference: tweets joined to tweets, aliased "reply_to".
		tweets, err := orm.Select[rTweet](db).LeftJoinLoad("ReplyTo.User").OrderBy(relTweetID.Asc()).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, cnt.n())
		require.Equal(t, []int64{d.t1, d.t2, d.t3, d.t4}, tweetIDs(tweets))
		require.Nil(t, tweets[0].ReplyTo, "LEFT: no row, nil")
		require.Nil(t, tweets[1].ReplyTo)
		require.Equal(t, d.t2, tweets[2].ReplyTo.ID)
		require.Equal(t, "hi all", tweets[2].ReplyTo.Content)
		require.Equal(t, "bob", tweets[2].ReplyTo.User.Name)
		require.Equal(t, d.t3, tweets[3].ReplyTo.ID)
		require.Equal(t, "alice", tweets[3].ReplyTo.User.Name)

		// An inner join leaves out the rows without one; conditions on the
		// alias, through the typed column's Of.
		replies, err := orm.Select[rTweet](db).JoinLoad("ReplyTo").
			Where(relTweetID.Of("reply_to").Eq(d.t2)).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []int64{d.t3}, tweetIDs(replies))
		require.Equal(t, d.t2, replies[0].ReplyTo.ID)

		// Both users of a tweet and its reply: users is joined twice, the
		// second time as "reply_to_user".
		cnt.reset()
		tweets, err = orm.Select[rTweet](db).JoinLoad("User").JoinLoad("ReplyTo.User").
			Where(relUserName.Of("reply_to_user").Eq("bob")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []int64{d.t3}, tweetIDs(tweets))
		require.Equal(t, "alice", tweets[0].User.Name)
		require.Equal(t, "bob", tweets[0].ReplyTo.User.Name)
		require.Equal(t, 1, cnt.n())

		// has_one, LEFT and inner.
		users, err := orm.Select[rUser](db).LeftJoinLoad("Profile").OrderBy(relU.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"alice", "bob", "carol"}, userNames(users))
		require.Equal(t, "a-bio", users[0].Profile.Bio)
		require.Equal(t, "b-bio", users[1].Profile.Bio)
		require.Nil(t, users[2].Profile)
		users, err = orm.Select[rUser](db).JoinLoad("Profile").Where(relProfileID.Ne("b-bio")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"alice"}, userNames(users))

		// Relations below a joined one load onto the joined rows: the user
		// is not fetched again.
		cnt.reset()
		tweets, err = orm.Select[rTweet](db).JoinLoad("User").Load("User.Profile", "User.Tweets").
			OrderBy(relTweetID.Asc()).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 3, cnt.n(), "tweets with users, profiles, tweets: %q", cnt.sqls)
		require.Equal(t, 0, cnt.from("rel_users"), "the users come from the join")
		require.Equal(t, "a-bio", tweets[0].User.Profile.Bio)
		require.Equal(t, []int64{d.t2}, tweetIDs(tweets[1].User.Tweets))
		require.Equal(t, []int64{d.t1, d.t3, d.t4}, tweetIDs(tweets[3].User.Tweets))
	})
}

func TestJoinLoadTwoKeysToOneTable(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, tdb *testdb.DB) {
		require.NoError(t, db.CreateTables(ctx, &jMessage{}))
		for _, m := range []*jMessage{
			{SenderID: d.alice, RecipientID: &d.bob, Body: "hi bob"},
			{SenderID: d.bob, RecipientID: &d.carol, Body: "hi carol"},
			{SenderID: d.carol, Body: "to everyone"},
		} {
			require.NoError(t, db.Insert(ctx, m))
		}
		cnt.reset()
		msgs, err := orm.Select[jMessage](db).JoinLoad("Sender").LeftJoinLoad("Recipient").
			OrderBy(jlM.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, cnt.n())
		require.Len(t, msgs, 3)
		require.Equal(t, "alice", msgs[0].Sender.Name)
		require.Equal(t, "bob", msgs[0].Recipient.Name)
		require.Equal(t, "bob", msgs[1].Sender.Name)
		require.Equal(t, "carol", msgs[1].Recipient.Name)
		require.Equal(t, "carol", msgs[2].Sender.Name)
		require.Nil(t, msgs[2].Recipient)

		// The first keeps the table's name, the second is "recipient".
		msgs, err = orm.Select[jMessage](db).JoinLoad("Sender", "Recipient").
			Where(relUserName.Eq("bob")).OrderBy(relUserName.Of("recipient").Desc()).All(ctx)
		require.NoError(t, err)
		require.Len(t, msgs, 1)
		require.Equal(t, "hi carol", msgs[0].Body)
		msgs, err = orm.Select[jMessage](db).JoinLoad("Sender", "Recipient").
			Where(relU.As("recipient").C("name").Eq("bob")).All(ctx)
		require.NoError(t, err)
		require.Len(t, msgs, 1)
		require.Equal(t, "hi bob", msgs[0].Body)
	})
}

// TestJoinLoadSQL: the SQL of JoinLoad on each engine.
func TestJoinLoadSQL(t *testing.T) {
	want := map[string]string{
		testdb.SQLite: `SELECT "jl_messages"."id", "jl_messages"."sender_id", "jl_messages"."recipient_id", "jl_messages"."body", ` +
			`"rel_users"."id" AS "rel_users__id", "rel_users"."name" AS "rel_users__name", ` +
			`"recipient"."id" AS "recipient__id", "recipient"."name" AS "recipient__name" ` +
			`FROM "jl_messages" JOIN "rel_users" ON "rel_users"."id" = "jl_messages"."sender_id" ` +
			`LEFT JOIN "rel_users" AS "recipient" ON "recipient"."id" = "jl_messages"."recipient_id" ` +
			`WHERE "recipient"."name" = ? ORDER BY "rel_users"."name"`,
		testdb.Postgres: `SELECT "jl_messages"."id", "jl_messages"."sender_id", "jl_messages"."recipient_id", "jl_messages"."body", ` +
			`"rel_users"."id" AS "rel_users__id", "rel_users"."name" AS "rel_users__name", ` +
			`"recipient"."id" AS "recipient__id", "recipient"."name" AS "recipient__name" ` +
			`FROM "jl_messages" JOIN "rel_users" ON "rel_users"."id" = "jl_messages"."sender_id" ` +
			`LEFT JOIN "rel_users" AS "recipient" ON "recipient"."id" = "jl_messages"."recipient_id" ` +
			`WHERE "recipient"."name" = $1 ORDER BY "rel_users"."name"`,
		testdb.MySQL: "SELECT `jl_messages`.`id`, `jl_messages`.`sender_id`, `jl_messages`.`recipient_id`, `jl_messages`.`body`, " +
			"`rel_users`.`id` AS `rel_users__id`, `rel_users`.`name` AS `rel_users__name`, " +
			"`recipient`.`id` AS `recipient__id`, `recipient`.`name` AS `recipient__name` " +
			"FROM `jl_messages` JOIN `rel_users` ON `rel_users`.`id` = `jl_messages`.`sender_id` " +
			"LEFT JOIN `rel_users` AS `recipient` ON `recipient`.`id` = `jl_messages`.`recipient_id` " +
			"WHERE `recipient`.`name` = ? ORDER BY `rel_users`.`name`",
	}
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		sqlText, args, err := orm.Select[jMessage](db).JoinLoad("Sender").LeftJoinLoad("Recipient").
			Where(relUserName.Of("recipient").Eq("bob")).OrderBy(relUserName.Asc()).Build()
		require.NoError(t, err)
		require.Equal(t, want[tdb.Engine], sqlText)
		require.Equal(t, []any{"bob"}, args)
	})
}

// TestJoinLoadRefusals: what JoinLoad refuses, on every engine, before any
// query runs.
func TestJoinLoadRefusals(t *testing.T) {
	cases := []struct {
		name    string
		run     func(db *orm.DB) error
		want    error
		mention []string
	}{
		{"to_many", func(db *orm.DB) error {
			_, err := orm.Select[rUser](db).JoinLoad("Tweets").All(t.Context())
			return err
		}, orm.ErrInvalidArgument, []string{"rUser.Tweets", "has_many", "Load"}},
		{"many_to_many_nested", func(db *orm.DB) error {
			_, err := orm.Select[rTweet](db).JoinLoad("User.Groups").All(t.Context())
			return err
		}, orm.ErrInvalidArgument, []string{"rUser.Groups", "many_to_many"}},
		{"unknown", func(db *orm.DB) error {
			_, err := orm.Select[rTweet](db).JoinLoad("Author").All(t.Context())
			return err
		}, orm.ErrUnknownRelation, []string{"rTweet", `"Author"`}},
		{"empty_part", func(db *orm.DB) error {
			_, err := orm.Select[rTweet](db).LeftJoinLoad("User.").All(t.Context())
			return err
		}, orm.ErrUnknownRelation, []string{"empty name"}},
		{"inner_then_left", func(db *orm.DB) error {
			_, err := orm.Select[rTweet](db).JoinLoad("User").LeftJoinLoad("User").All(t.Context())
			return err
		}, orm.ErrInvalidArgument, []string{"rTweet.User", "inner"}},
		{"alias_unknown_column", func(db *orm.DB) error {
			_, err := orm.Select[rTweet](db).JoinLoad("ReplyTo").Where(relT.As("reply_to").C("contnt").Eq("x")).All(t.Context())
			return err
		}, orm.ErrUnknownColumn, []string{"reply_to", `"contnt"`, "rTweet"}},
		{"joined_unknown_column", func(db *orm.DB) error {
			_, err := orm.Select[rTweet](db).JoinLoad("User").Where(relU.C("nmae").Eq("x")).All(t.Context())
			return err
		}, orm.ErrUnknownColumn, []string{"rel_users", `"nmae"`}},
		{"loadwith_after_joinload", func(db *orm.DB) error {
			_, err := orm.Select[rTweet](db).JoinLoad("User").LoadWith("User", orm.Where(relUserName.Eq("x"))).All(t.Context())
			return err
		}, orm.ErrInvalidArgument, []string{"User", "JoinLoad", "Where"}},
		{"joinload_after_loadwith", func(db *orm.DB) error {
			_, err := orm.Select[rTweet](db).LoadWith("User", orm.Where(relUserName.Eq("x"))).JoinLoad("User").All(t.Context())
			return err
		}, orm.ErrInvalidArgument, []string{"rTweet.User", "LoadWith"}},
		{"compound", func(db *orm.DB) error {
			q := orm.Select[rTweet](db)
			_, err := q.Union(q).JoinLoad("User").All(t.Context())
			return err
		}, orm.ErrInvalidArgument, []string{"compound"}},
		{"member_of_compound", func(db *orm.DB) error {
			q := orm.Select[rTweet](db)
			_, err := q.JoinLoad("User").Union(q).All(t.Context())
			return err
		}, orm.ErrInvalidArgument, []string{"JoinLoad"}},
	}
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				cnt.reset()
				err := c.run(db)
				require.ErrorIs(t, err, c.want)
				for _, m := range c.mention {
					require.ErrorContains(t, err, m)
				}
				require.Equal(t, 0, cnt.n(), "no query runs: %q", cnt.sqls)
			})
		}
	})
}

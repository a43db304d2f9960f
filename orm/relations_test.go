package orm_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// Relation test models; names carry an "r" prefix and tables a "rel_" prefix
// so they do not collide with other test files of the package.

type rUser struct {
	ID          int64         `db:"id,pk"`
	Name        string        `db:"name,size:64"`
	Tweets      []rTweet      `db:"-" rel:"has_many,fk:UserID"`
	Profile     *rProfile     `db:"-" rel:"has_one,fk:UserID"`
	Groups      []rGroup      `db:"-" rel:"many_to_many,through:rMembership,fk:UserID,join_fk:GroupID"`
	Memberships []rMembership `db:"-" rel:"has_many,fk:UserID"` // makes rMembership reachable
}

func (rUser) TableName() string { return "rel_users" }

type rProfile struct {
	ID     int64  `db:"id,pk"`
	UserID int64  `db:"user_id,unique,fk:rel_users.id"`
	Bio    string `db:"bio"`
}

func (rProfile) TableName() string { return "rel_profiles" }

type rTweet struct {
	ID        int64   `db:"id,pk"`
	UserID    int64   `db:"user_id,index,fk:rel_users.id"`
	ReplyToID *int64  `db:"reply_to_id,fk:rel_tweets.id"`
	Content   string  `db:"content"`
	User      *rUser  `db:"-" rel:"belongs_to,fk:UserID"`
	ReplyTo   *rTweet `db:"-" rel:"belongs_to,fk:ReplyToID"` // nullable, self-referential
	Likes     []rLike `db:"-" rel:"has_many,fk:TweetID"`
	Tags      []*rTag `db:"-" rel:"many_to_many,through:rTweetTag,fk:TweetID,join_fk:TagID"` // via Register
}

func (rTweet) TableName() string { return "rel_tweets" }

type rLike struct {
	ID      int64  `db:"id,pk"`
	TweetID int64  `db:"tweet_id,index,fk:rel_tweets.id"`
	UserID  int64  `db:"user_id,fk:rel_users.id"`
	Tweet   rTweet `db:"-" rel:"belongs_to,fk:TweetID"` // a value, not a pointer
	User    *rUser `db:"-" rel:"belongs_to,fk:UserID"`
}

func (rLike) TableName() string { return "rel_likes" }

type rGroup struct {
	ID      int64    `db:"id,pk"`
	Name    string   `db:"name,size:64"`
	Members []*rUser `db:"-" rel:"many_to_many,through:rMembership,fk:GroupID,join_fk:UserID"`
}

func (rGroup) TableName() string { return "rel_groups" }

type rMembership struct {
	UserID  int64  `db:"user_id,pk,fk:rel_users.id"`
	GroupID int64  `db:"group_id,pk,fk:rel_groups.id"`
	Role    string `db:"role,size:16"`
}

func (rMembership) TableName() string { return "rel_memberships" }

type rTag struct {
	ID      int64  `db:"id,pk"`
	Name    string `db:"name,size:32"`
	Scanned bool   `db:"-"` // set by AfterScan
}

func (tg *rTag) AfterScan(context.Context) error { tg.Scanned = true; return nil }

func (rTag) TableName() string { return "rel_tags" }

// rTweetTag is reachable from neither rTweet nor rTag: it must be registered.
type rTweetTag struct {
	TweetID int64 `db:"tweet_id,pk,fk:rel_tweets.id"`
	TagID   int64 `db:"tag_id,pk,fk:rel_tags.id"`
}

func (rTweetTag) TableName() string { return "rel_tweet_tags" }

// rOrphan's join model exists nowhere.
type rOrphan struct {
	ID   int64  `db:"id,pk"`
	Tags []rTag `db:"-" rel:"many_to_many,through:rNowhere"`
}

func (rOrphan) TableName() string { return "rel_orphans" }

// relCounter is a QueryHook that records every statement.
type relCounter struct {
	mu   sync.Mutex
	sqls []string
}

func (c *relCounter) BeforeQuery(ctx context.Context, _ *orm.QueryEvent) context.Context { return ctx }

func (c *relCounter) AfterQuery(_ context.Context, ev *orm.QueryEvent) {
	c.mu.Lock()
	c.sqls = append(c.sqls, ev.SQL)
	c.mu.Unlock()
}

func (c *relCounter) n() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sqls)
}

// from counts the statements reading from table.
func (c *relCounter) from(table string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, s := range c.sqls {
		for _, q := range []string{`"`, "`"} {
			if strings.Contains(s, "FROM "+q+table+q) {
				n++
			}
		}
	}
	return n
}

func (c *relCounter) reset() {
	c.mu.Lock()
	c.sqls = nil
	c.mu.Unlock()
}

// relData are the ids of the seeded rows.
type relData struct {
	alice, bob, carol int64
	t1, t2, t3, t4    int64 // t1 alice, t2 bob, t3 alice (reply to t2), t4 alice (reply to t3)
	admins, gophers   int64
	goTag, sqlTag     int64
}

// relEach runs fn on every engine with the relation tables created and
// seeded; db counts its statements in cnt (reset before fn).
func relEach(t *testing.T, fn func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, tdb *testdb.DB)) {
	t.Helper()
	require.NoError(t, orm.Register(rTweetTag{}))
	testdb.EachPath(t, func(t *testing.T, tdb *testdb.DB) {
		ctx := t.Context()
		plain := ormDB(t, tdb)
		require.NoError(t, plain.CreateTables(ctx, &rUser{}, &rProfile{}, &rTweet{}, &rLike{},
			&rGroup{}, &rMembership{}, &rTag{}, &rTweetTag{}))
		ins := func(m any) {
			t.Helper()
			require.NoError(t, plain.Insert(ctx, m))
		}
		var d relData
		users := []*rUser{{Name: "alice"}, {Name: "bob"}, {Name: "carol"}}
		for _, u := range users {
			ins(u)
		}
		d.alice, d.bob, d.carol = users[0].ID, users[1].ID, users[2].ID
		ins(&rProfile{UserID: d.bob, Bio: "b-bio"})
		ins(&rProfile{UserID: d.alice, Bio: "a-bio"})
		t1 := &rTweet{UserID: d.alice, Content: "hello"}
		ins(t1)
		t2 := &rTweet{UserID: d.bob, Content: "hi all"}
		ins(t2)
		t3 := &rTweet{UserID: d.alice, ReplyToID: &t2.ID, Content: "hi bob"}
		ins(t3)
		t4 := &rTweet{UserID: d.alice, ReplyToID: &t3.ID, Content: "talking to myself"}
		ins(t4)
		d.t1, d.t2, d.t3, d.t4 = t1.ID, t2.ID, t3.ID, t4.ID
		ins(&rLike{TweetID: d.t1, UserID: d.bob})
		ins(&rLike{TweetID: d.t2, UserID: d.alice})
		ins(&rLike{TweetID: d.t1, UserID: d.carol})
		ins(&rLike{TweetID: d.t3, UserID: d.bob})
		admins, gophers := &rGroup{Name: "admins"}, &rGroup{Name: "gophers"}
		ins(gophers)
		ins(admins)
		d.admins, d.gophers = admins.ID, gophers.ID
		// Inserted out of key order, to see the loaded order is by key.
		ins(&rMembership{UserID: d.alice, GroupID: d.admins, Role: "owner"})
		ins(&rMembership{UserID: d.bob, GroupID: d.gophers, Role: "member"})
		ins(&rMembership{UserID: d.alice, GroupID: d.gophers, Role: "member"})
		goTag, sqlTag := &rTag{Name: "go"}, &rTag{Name: "sql"}
		ins(goTag)
		ins(sqlTag)
		d.goTag, d.sqlTag = goTag.ID, sqlTag.ID
		ins(&rTweetTag{TweetID: d.t1, TagID: d.sqlTag})
		ins(&rTweetTag{TweetID: d.t1, TagID: d.goTag})
		ins(&rTweetTag{TweetID: d.t3, TagID: d.sqlTag})

		cnt := &relCounter{}
		fn(t, ctx, plain.WithHooks(cnt), cnt, d, tdb)
	})
}

var (
	relU = query.Table("rel_users")
	relT = query.Table("rel_tweets")
	relL = query.Table("rel_likes")
	relP = query.Table("rel_profiles")
	relG = query.Table("rel_groups")
	relM = query.Table("rel_memberships")
)

func tweetIDs(ts []rTweet) []int64 {
	out := []int64{}
	for _, tw := range ts {
		out = append(out, tw.ID)
	}
	return out
}

func userNames(us []rUser) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.Name)
	}
	return out
}

func groupNames(gs []rGroup) []string {
	out := []string{}
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

func TestRelationLoadAllKinds(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		users, err := orm.Select[rUser](db).Load("Tweets.Likes", "Profile", "Groups").OrderBy(relU.C("id")).All(ctx)
		require.NoError(t, err)
		// users, tweets, likes, profiles, groups: one query each.
		require.Equal(t, 5, cnt.n(), "queries: %q", cnt.sqls)
		require.Equal(t, []string{"alice", "bob", "carol"}, userNames(users))
		alice, bob, carol := users[0], users[1], users[2]

		// has_many, ordered by the child's primary key.
		require.Equal(t, []int64{d.t1, d.t3, d.t4}, tweetIDs(alice.Tweets))
		require.Equal(t, []int64{d.t2}, tweetIDs(bob.Tweets))
		require.NotNil(t, carol.Tweets, "loaded, none: an empty non-nil slice")
		require.Empty(t, carol.Tweets)

		// nested has_many on all tweets at once.
		likers := func(tw rTweet) []int64 {
			out := []int64{}
			for _, l := range tw.Likes {
				require.Equal(t, tw.ID, l.TweetID)
				out = append(out, l.UserID)
			}
			return out
		}
		require.Equal(t, []int64{d.bob, d.carol}, likers(alice.Tweets[0]))
		require.Equal(t, []int64{d.bob}, likers(alice.Tweets[1]))
		require.NotNil(t, alice.Tweets[2].Likes)
		require.Empty(t, alice.Tweets[2].Likes)
		require.Equal(t, []int64{d.alice}, likers(bob.Tweets[0]))

		// has_one.
		require.NotNil(t, alice.Profile)
		require.Equal(t, "a-bio", alice.Profile.Bio)
		require.Equal(t, "b-bio", bob.Profile.Bio)
		require.Nil(t, carol.Profile)

		// many_to_many, ordered by the target's primary key.
		require.Equal(t, []string{"gophers", "admins"}, groupNames(alice.Groups))
		require.Equal(t, []string{"gophers"}, groupNames(bob.Groups))
		require.NotNil(t, carol.Groups)
		require.Empty(t, carol.Groups)

		// What was not asked for stays unloaded.
		require.Nil(t, alice.Memberships)
		require.Nil(t, alice.Tweets[0].User)
		require.Nil(t, alice.Tweets[0].Likes[0].User)
	})
}

func TestRelationLoadBelongsTo(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		tweets, err := orm.Select[rTweet](db).Load("User", "ReplyTo.User", "Tags").OrderBy(relT.C("id")).All(ctx)
		require.NoError(t, err)
		// tweets, users, replied-to tweets, their users, tags.
		require.Equal(t, 5, cnt.n(), "queries: %q", cnt.sqls)
		require.Equal(t, []int64{d.t1, d.t2, d.t3, d.t4}, tweetIDs(tweets))
		t1, t2, t3, t4 := tweets[0], tweets[1], tweets[2], tweets[3]
		require.Equal(t, "alice", t1.User.Name)
		require.Equal(t, "bob", t2.User.Name)
		require.Same(t, t1.User, t4.User, "parents with one target share it")

		// Nullable FK: nil relates to nothing.
		require.Nil(t, t1.ReplyTo)
		require.Nil(t, t2.ReplyTo)
		require.Equal(t, d.t2, t3.ReplyTo.ID)
		require.Equal(t, "bob", t3.ReplyTo.User.Name)
		require.Equal(t, d.t3, t4.ReplyTo.ID)
		require.Equal(t, "alice", t4.ReplyTo.User.Name)
		require.Nil(t, t4.ReplyTo.ReplyTo, "not asked for")

		// many_to_many via a registered join model, into []*S.
		tagNames := func(ts []*rTag) []string {
			out := []string{}
			for _, tg := range ts {
				out = append(out, tg.Name)
			}
			return out
		}
		require.Equal(t, []string{"go", "sql"}, tagNames(t1.Tags))
		require.NotNil(t, t2.Tags)
		require.Empty(t, t2.Tags)
		require.Equal(t, []string{"sql"}, tagNames(t3.Tags))

		// A value (not pointer) belongs_to, with a nested load into it.
		cnt.reset()
		likes, err := orm.Select[rLike](db).Load("Tweet.User", "User").OrderBy(relL.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 4, cnt.n(), "queries: %q", cnt.sqls)
		require.Len(t, likes, 4)
		require.Equal(t, d.t1, likes[0].Tweet.ID)
		require.Equal(t, "hello", likes[0].Tweet.Content)
		require.Equal(t, "alice", likes[0].Tweet.User.Name)
		require.Equal(t, "bob", likes[0].User.Name)
		require.Equal(t, d.t2, likes[1].Tweet.ID)
		require.Equal(t, "bob", likes[1].Tweet.User.Name)

		// No parent with a key: no query for the relation at all.
		cnt.reset()
		roots, err := orm.Select[rTweet](db).Where(relT.C("reply_to_id").IsNull()).Load("ReplyTo").All(ctx)
		require.NoError(t, err)
		require.Len(t, roots, 2)
		require.Equal(t, 1, cnt.n(), "queries: %q", cnt.sqls)
	})
}

func TestRelationLoadManyToManyBothWays(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		groups, err := orm.Select[rGroup](db).Load("Members.Groups").OrderBy(relG.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 3, cnt.n(), "queries: %q", cnt.sqls)
		require.Equal(t, []string{"gophers", "admins"}, groupNames(groups))
		names := func(us []*rUser) []string {
			out := []string{}
			for _, u := range us {
				out = append(out, u.Name)
			}
			return out
		}
		require.Equal(t, []string{"alice", "bob"}, names(groups[0].Members))
		require.Equal(t, []string{"alice"}, names(groups[1].Members))
		// Each member's groups, loaded for all members at once.
		require.Equal(t, []string{"gophers", "admins"}, groupNames(groups[0].Members[0].Groups))
		require.Equal(t, []string{"gophers"}, groupNames(groups[0].Members[1].Groups))
		require.Equal(t, []string{"gophers", "admins"}, groupNames(groups[1].Members[0].Groups))
	})
}

func TestRelationLoadNestedCountsIndependentOfRows(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, tdb *testdb.DB) {
		// A nested name implies its prefix; naming both changes nothing.
		for _, names := range [][]string{{"Tweets.Likes"}, {"Tweets", "Tweets.Likes"}, {"Tweets.Likes", "Tweets"}} {
			cnt.reset()
			users, err := orm.Select[rUser](db).Load(names...).OrderBy(relU.C("id")).All(ctx)
			require.NoError(t, err)
			require.Equal(t, 3, cnt.n(), "%v: queries: %q", names, cnt.sqls)
			require.Equal(t, []int64{d.t1, d.t3, d.t4}, tweetIDs(users[0].Tweets))
			require.Len(t, users[0].Tweets[0].Likes, 2)
		}

		// Many more rows: still three queries.
		plain := ormDB(t, tdb)
		for i := range 30 {
			u := &rUser{Name: "extra" + string(rune('a'+i%26)) + string(rune('a'+i/26))}
			require.NoError(t, plain.Insert(ctx, u))
			for range 3 {
				tw := &rTweet{UserID: u.ID, Content: "x"}
				require.NoError(t, plain.Insert(ctx, tw))
				require.NoError(t, plain.Insert(ctx, &rLike{TweetID: tw.ID, UserID: d.alice}))
				require.NoError(t, plain.Insert(ctx, &rLike{TweetID: tw.ID, UserID: d.bob}))
			}
		}
		cnt.reset()
		users, err := orm.Select[rUser](db).Load("Tweets.Likes").OrderBy(relU.C("id")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 3, cnt.n(), "queries: %q", cnt.sqls)
		require.Len(t, users, 33)
		for _, u := range users[3:] {
			require.Len(t, u.Tweets, 3)
			for _, tw := range u.Tweets {
				require.Equal(t, u.ID, tw.UserID)
				require.Len(t, tw.Likes, 2)
			}
		}
	})
}

func TestRelationLoadChunked(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		q := orm.Select[rUser](db).Load("Tweets.Likes", "Groups", "Profile").OrderBy(relU.C("id"))
		want, err := q.All(ctx)
		require.NoError(t, err)

		restore := orm.SetRelationBatchForTest(2)
		defer restore()
		cnt.reset()
		got, err := q.All(ctx)
		require.NoError(t, err)
		require.Equal(t, want, got, "batched loading gives the same result")
		// 3 users -> 2 batches for tweets, groups and profiles each; 4 tweets -> 2 batches of likes.
		require.Equal(t, 2, cnt.from("rel_tweets"), "queries: %q", cnt.sqls)
		require.Equal(t, 2, cnt.from("rel_likes"), "queries: %q", cnt.sqls)
		require.Equal(t, 2, cnt.from("rel_groups"), "queries: %q", cnt.sqls)
		require.Equal(t, 2, cnt.from("rel_profiles"), "queries: %q", cnt.sqls)
		require.Equal(t, 1+2+2+2+2, cnt.n(), "queries: %q", cnt.sqls)

		// One key per batch.
		orm.SetRelationBatchForTest(1)
		cnt.reset()
		got, err = q.All(ctx)
		require.NoError(t, err)
		require.Equal(t, want, got)
		require.Equal(t, 1+3+4+3+3, cnt.n(), "queries: %q", cnt.sqls)
	})
}

func TestRelationLoadRelationsHelper(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		users, err := orm.Select[rUser](db).OrderBy(relU.C("id")).All(ctx)
		require.NoError(t, err)
		require.Nil(t, users[0].Tweets)

		cnt.reset()
		require.NoError(t, orm.LoadRelations(ctx, db, users, "Tweets", "Profile"))
		require.Equal(t, 2, cnt.n())
		require.Equal(t, []int64{d.t1, d.t3, d.t4}, tweetIDs(users[0].Tweets))
		require.Equal(t, "b-bio", users[1].Profile.Bio)
		require.NotNil(t, users[2].Tweets)
		require.Empty(t, users[2].Tweets)

		// A reload replaces what was there.
		users[0].Profile = &rProfile{Bio: "stale"}
		users[2].Profile = &rProfile{Bio: "stale"}
		require.NoError(t, orm.LoadRelations(ctx, db, users, "Profile"))
		require.Equal(t, "a-bio", users[0].Profile.Bio)
		require.Nil(t, users[2].Profile)

		// Pointers, nil ones skipped; the same model twice is fine.
		cnt.reset()
		ptrs := []*rUser{&users[2], nil, &users[0], &users[0]}
		require.NoError(t, orm.LoadRelations(ctx, db, ptrs, "Groups", "Memberships"))
		require.Equal(t, 2, cnt.n())
		require.Equal(t, []string{"gophers", "admins"}, groupNames(users[0].Groups))
		require.Len(t, users[0].Memberships, 2)
		require.Empty(t, users[2].Groups)
		require.Nil(t, users[1].Groups, "not in the slice: untouched")

		// Within a transaction.
		require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
			one := []rUser{{ID: d.bob}}
			if err := orm.LoadRelations(ctx, tx, one, "Tweets.Likes"); err != nil {
				return err
			}
			require.Equal(t, []int64{d.t2}, tweetIDs(one[0].Tweets))
			require.Len(t, one[0].Tweets[0].Likes, 1)
			return nil
		}))

		// Two parents with one key get a slice each, not a shared one.
		twins := []rUser{{ID: d.alice}, {ID: d.alice}}
		require.NoError(t, orm.LoadRelations(ctx, db, twins, "Tweets.Likes"))
		require.Equal(t, []int64{d.t1, d.t3, d.t4}, tweetIDs(twins[1].Tweets))
		require.Equal(t, twins[0].Tweets, twins[1].Tweets)
		twins[0].Tweets[0].Content = "changed"
		require.Equal(t, "hello", twins[1].Tweets[0].Content)
		require.Len(t, twins[1].Tweets[0].Likes, 2)

		// Nothing to load onto: no query, but names are still checked.
		cnt.reset()
		require.NoError(t, orm.LoadRelations(ctx, db, []rUser{}, "Tweets"))
		require.NoError(t, orm.LoadRelations(ctx, db, []*rUser{nil}, "Tweets"))
		err = orm.LoadRelations(ctx, db, []rUser(nil), "Tweetz")
		require.ErrorIs(t, err, orm.ErrUnknownRelation)
		require.Equal(t, 0, cnt.n())

		err = orm.LoadRelations(ctx, db, []int{1}, "Tweets")
		require.Error(t, err)
	})
}

func TestRelationLoadOneFirst(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		u, err := orm.Select[rUser](db).Where(relU.C("name").Eq("alice")).Load("Tweets", "Profile").One(ctx)
		require.NoError(t, err)
		require.Equal(t, []int64{d.t1, d.t3, d.t4}, tweetIDs(u.Tweets))
		require.Equal(t, "a-bio", u.Profile.Bio)

		cnt.reset()
		u, err = orm.Select[rUser](db).Load("Groups").First(ctx)
		require.NoError(t, err)
		require.Equal(t, "alice", u.Name)
		require.Equal(t, []string{"gophers", "admins"}, groupNames(u.Groups))
		require.Equal(t, 2, cnt.n())

		// Iter loads relations too (in batches, see TestIterLoadsInBatches).
		var names []string
		for u, err := range orm.Select[rUser](db).Load("Tweets").OrderBy(relU.C("id")).Iter(ctx) {
			require.NoError(t, err)
			require.NotNil(t, u.Tweets)
			names = append(names, u.Name)
		}
		require.Equal(t, []string{"alice", "bob", "carol"}, names)
	})
}

func TestRelationLoadErrors(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		check := func(err error, sentinel error, parts ...string) {
			t.Helper()
			require.ErrorIs(t, err, sentinel)
			for _, p := range parts {
				require.Contains(t, err.Error(), p)
			}
		}
		_, err := orm.Select[rUser](db).Load("Twets").All(ctx)
		check(err, orm.ErrUnknownRelation, "rUser", `"Twets"`, "Tweets, Profile, Groups")
		_, err = orm.Select[rUser](db).Load("Tweets.Likez").All(ctx)
		check(err, orm.ErrUnknownRelation, "rTweet", `"Likez"`, `"Tweets.Likez"`)
		_, err = orm.Select[rUser](db).Load("Name").All(ctx) // a column, not a relation
		check(err, orm.ErrUnknownRelation, "rUser", `"Name"`)
		_, err = orm.Select[rUser](db).Load("Tweets.").All(ctx)
		check(err, orm.ErrUnknownRelation, "empty name")
		_, err = orm.Select[rUser](db).Load("Tweets").Load("Nope").One(ctx)
		check(err, orm.ErrUnknownRelation, `"Nope"`)
		_, err = orm.Select[rUser](db).WhereHas("Nope").All(ctx)
		check(err, orm.ErrUnknownRelation, "rUser", `"Nope"`)
		_, err = orm.Select[rUser](db).WhereHasNo("Tweets.Nope").Count(ctx)
		check(err, orm.ErrUnknownRelation, "rTweet", `"Nope"`)
		_, err = orm.Select[rUser](db).Where(orm.Has[rUser]("Nope")).All(ctx)
		check(err, orm.ErrUnknownRelation, `"Nope"`)
		_, err = orm.Select[rOrphan](db).Load("Tags").All(ctx)
		check(err, orm.ErrInvalidRelation, "rOrphan.Tags", "rNowhere", "orm.Register")
		_, err = orm.Select[rOrphan](db).WhereHas("Tags").All(ctx)
		check(err, orm.ErrInvalidRelation, "rNowhere")
		require.Equal(t, 0, cnt.n(), "no query runs: %q", cnt.sqls)
	})
}

func TestRelationWhereHas(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, tdb *testdb.DB) {
		users := func(q orm.SelectQuery[rUser]) []string {
			t.Helper()
			us, err := q.OrderBy(relU.C("id")).All(ctx)
			require.NoError(t, err)
			return userNames(us)
		}
		U := func() orm.SelectQuery[rUser] { return orm.Select[rUser](db) }

		// has_many, with and without conditions on the child.
		require.Equal(t, []string{"alice", "bob"}, users(U().WhereHas("Tweets")))
		require.Equal(t, []string{"alice"}, users(U().WhereHas("Tweets", relT.C("content").Like("%bob%"))))
		require.Equal(t, []string{"carol"}, users(U().WhereHasNo("Tweets")))
		require.Equal(t, []string{"bob", "carol"}, users(U().WhereHasNo("Tweets", relT.C("content").Like("%bob%"))))
		// Nested: the conditions apply to the last level.
		require.Equal(t, []string{"alice", "bob"}, users(U().WhereHas("Tweets.Likes")))
		require.Equal(t, []string{"alice"}, users(U().WhereHas("Tweets.Likes", relL.C("user_id").Eq(d.carol))))
		// has_one.
		require.Equal(t, []string{"bob"}, users(U().WhereHas("Profile", relP.C("bio").Eq("b-bio"))))
		// many_to_many, conditions on the target or on the join model.
		require.Equal(t, []string{"alice", "bob"}, users(U().WhereHas("Groups")))
		require.Equal(t, []string{"alice"}, users(U().WhereHas("Groups", relG.C("name").Eq("admins"))))
		require.Equal(t, []string{"alice"}, users(U().WhereHas("Groups", relM.C("role").Eq("owner"))))
		require.Equal(t, []string{"carol"}, users(U().WhereHasNo("Groups")))
		// Combined with other conditions, with Has, and with Load.
		require.Equal(t, []string{"bob"}, users(U().WhereHas("Tweets").WhereHasNo("Groups", relG.C("name").Eq("admins"))))
		require.Equal(t, []string{"alice", "bob"}, users(U().Where(query.Or(
			orm.Has[rUser]("Profile", relP.C("bio").Eq("a-bio")),
			orm.Has[rUser]("Groups", relG.C("name").Eq("gophers"))))))
		cnt.reset()
		loaded, err := U().WhereHas("Tweets.Likes", relL.C("user_id").Eq(d.alice)).Load("Tweets").All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"bob"}, userNames(loaded))
		require.Equal(t, []int64{d.t2}, tweetIDs(loaded[0].Tweets))
		require.Equal(t, 2, cnt.n())
		n, err := U().WhereHas("Tweets").Count(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 2, n)

		// The other direction of the many_to_many.
		gs, err := orm.Select[rGroup](db).WhereHas("Members", relU.C("name").Eq("bob")).All(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"gophers"}, groupNames(gs))

		// belongs_to, and self-referential ones (aliased by relation name).
		tweets := func(q orm.SelectQuery[rTweet]) []int64 {
			t.Helper()
			ts, err := q.OrderBy(relT.C("id")).All(ctx)
			require.NoError(t, err)
			return tweetIDs(ts)
		}
		T := func() orm.SelectQuery[rTweet] { return orm.Select[rTweet](db) }
		require.Equal(t, []int64{d.t2}, tweets(T().WhereHas("User", relU.C("name").Eq("bob"))))
		require.Equal(t, []int64{d.t3, d.t4}, tweets(T().WhereHas("ReplyTo")))
		require.Equal(t, []int64{d.t1, d.t2}, tweets(T().WhereHasNo("ReplyTo")))
		require.Equal(t, []int64{d.t3}, tweets(T().WhereHas("ReplyTo", relT.As("reply_to").C("user_id").Eq(d.bob))))
		require.Equal(t, []int64{d.t4}, tweets(T().WhereHas("ReplyTo.ReplyTo")))
		require.Equal(t, []int64{d.t4}, tweets(T().WhereHas("ReplyTo.User", relU.C("name").Eq("alice"))))

		if tdb.Engine == testdb.SQLite {
			sqlText, _, err := U().WhereHas("Tweets", relT.C("content").Eq("x")).Build()
			require.NoError(t, err)
			require.Contains(t, sqlText, `WHERE EXISTS (SELECT 1 FROM "rel_tweets" WHERE "rel_tweets"."user_id" = "rel_users"."id" AND "rel_tweets"."content" = ?)`)
			sqlText, _, err = U().WhereHas("Groups").Build()
			require.NoError(t, err)
			require.Contains(t, sqlText, `EXISTS (SELECT 1 FROM "rel_memberships" JOIN "rel_groups" ON "rel_groups"."id" = "rel_memberships"."group_id" WHERE "rel_memberships"."user_id" = "rel_users"."id")`)
			sqlText, _, err = T().WhereHas("ReplyTo").Build()
			require.NoError(t, err)
			require.Contains(t, sqlText, `EXISTS (SELECT 1 FROM "rel_tweets" AS "reply_to" WHERE "reply_to"."id" = "rel_tweets"."reply_to_id")`)
		}
	})
}

func TestRelationLoadAfterScanAndErrors(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		// Related rows run their AfterScan hook like any scanned row.
		tweets, err := orm.Select[rTweet](db).Where(relT.C("id").Eq(d.t1)).Load("Tags").All(ctx)
		require.NoError(t, err)
		require.Len(t, tweets[0].Tags, 2)
		for _, tg := range tweets[0].Tags {
			require.True(t, tg.Scanned, tg.Name)
		}

		// A failing query names the relation it was loading.
		_, err = db.ExecContext(ctx, "DROP TABLE rel_tweet_tags")
		require.NoError(t, err)
		_, err = orm.Select[rTweet](db).Load("Tags").All(ctx)
		require.Error(t, err)
		require.Contains(t, err.Error(), "load rTweet.Tags")
	})
}

package bench

// Relation loading: the same three reads of users and their tweets by
// hand-written two-query database/sql code (the floor), kinglet, GORM and
// bun, all on the same driver and rows per engine:
//
//	has_many    the first 100 users, each with their 10 tweets
//	belongs_to  the 1,000 tweets, each with its user
//	newest_3    the first 100 users, each with their 3 newest tweets
//
//	BenchmarkRelations/<engine>/<op>/<lib>          ns/op, B/op, allocs/op
//	BenchmarkRelations/<engine>/<op>/interleaved    <lib>/raw: median time ratio
//
// kinglet is Load("Tweets"), Load("User") and LoadWith("Tweets",
// OrderBy(newest first), LimitPer(3)): the IN strategy, two queries like the
// floor. kinglet-1q does each in one query: the JSON strategy for the two
// to-many reads, JoinLoad("User") for belongs_to.

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

const (
	relUsers     = 100 // users, all read by has_many and newest_3
	relPerUser   = 10  // tweets per user
	relNewest    = 3   // newest_3's limit per user
	relUserTable = "rb_users"
	relTwTable   = "rb_tweets"
)

var relBase = time.Date(2024, 3, 4, 5, 6, 7, 0, time.UTC)

// relUser and relTweet are the rows every library reads, converted to for
// the checks only.
type relUser struct {
	ID        int64
	Name      string
	Email     *string
	CreatedAt time.Time
	Tweets    []relTweet
}

type relTweet struct {
	ID        int64
	UserID    int64
	Content   string
	Likes     int
	CreatedAt time.Time
	User      *relUser // belongs_to only, without its tweets
}

// relClient is one library's way of doing the three reads; each keeps what
// it read last, in its own types, for the checks.
type relClient interface {
	hasMany(ctx context.Context) (int, error)   // users read
	belongsTo(ctx context.Context) (int, error) // tweets read
	newest(ctx context.Context) (int, error)    // users read
	users() []relUser                           // of the last hasMany or newest
	tweets() []relTweet                         // of the last belongsTo
}

var relLibs = []string{"raw", "kinglet", "kinglet-1q", "gorm", "bun"}

var relOps = []struct {
	name string
	run  func(c relClient, ctx context.Context) (int, error)
	want int
}{
	{"has_many", relClient.hasMany, relUsers},
	{"belongs_to", relClient.belongsTo, relUsers * relPerUser},
	{"newest_3", relClient.newest, relUsers},
}

// relEnv is one engine's database with the rows and every client.
type relEnv struct {
	*env
	clients []relClient
	names   []string
}

// kRelUser and kRelTweet are kinglet's models; they create the tables.
type kRelUser struct {
	ID        int64       `db:"id,pk"`
	Name      string      `db:"name,size:64"`
	Email     *string     `db:"email,size:128"`
	CreatedAt time.Time   `db:"created_at"`
	Tweets    []kRelTweet `db:"-" rel:"has_many,fk:UserID"`
}

func (kRelUser) TableName() string { return relUserTable }

type kRelTweet struct {
	ID        int64     `db:"id,pk"`
	UserID    int64     `db:"user_id,fk:rb_users.id,index"`
	Content   string    `db:"content"`
	Likes     int       `db:"likes"`
	CreatedAt time.Time `db:"created_at"`
	User      *kRelUser `db:"-" rel:"belongs_to,fk:UserID"`
}

func (kRelTweet) TableName() string { return relTwTable }

// seedRelations fills the tables: user i has tweets created i*10+j minutes
// after relBase (j = 0…9), so the newest are the last inserted; a third of
// the users have no email.
func seedRelations(ctx context.Context, db *orm.DB) error {
	if err := db.CreateTables(ctx, &kRelUser{}, &kRelTweet{}); err != nil {
		return err
	}
	users := make([]kRelUser, relUsers)
	for i := range users {
		users[i] = kRelUser{Name: fmt.Sprintf("user%03d", i), CreatedAt: relBase.Add(time.Duration(i) * time.Hour)}
		if i%3 != 0 {
			e := fmt.Sprintf("user%03d@example.com", i)
			users[i].Email = &e
		}
	}
	if err := db.InsertMany(ctx, users); err != nil {
		return err
	}
	tweets := make([]kRelTweet, 0, relUsers*relPerUser)
	for j := range relPerUser {
		for i, u := range users {
			tweets = append(tweets, kRelTweet{UserID: u.ID, Content: fmt.Sprintf("tweet %d of %s", j, u.Name),
				Likes: (i * j) % 17, CreatedAt: relBase.Add(time.Duration(i*relPerUser+j) * time.Minute)})
		}
	}
	return db.InsertMany(ctx, tweets)
}

func setupRelations(tb testing.TB, engine string) *relEnv {
	tb.Helper()
	tdb := testdb.Open(tb, engine)
	e := &relEnv{env: &env{engine: engine, driver: tdb.DriverName(), d: tdb.Dialect, sdb: tdb.DB, dsn: tdb.DSN}}
	if err := seedRelations(context.Background(), orm.New(e.sdb, e.d)); err != nil {
		tb.Fatalf("%s: seed relations: %v", engine, err)
	}
	for _, name := range relLibs {
		c, err := newRelClient(tb, name, e.env)
		if err != nil {
			tb.Fatalf("%s: open %s: %v", engine, name, err)
		}
		e.clients = append(e.clients, c)
		e.names = append(e.names, name)
	}
	return e
}

func newRelClient(tb testing.TB, name string, e *env) (relClient, error) {
	own := func() *env {
		ce := *e
		ce.sdb = e.pool(tb)
		return &ce
	}
	switch name {
	case "raw":
		return newRawRel(own()), nil
	case "kinglet":
		return &kingletRel{db: orm.New(own().sdb, e.d)}, nil
	case "kinglet-1q":
		return &kingletRel{db: orm.New(own().sdb, e.d), oneQuery: true}, nil
	case "gorm":
		return newGormRel(own())
	case "bun":
		ce := own()
		if e.engine == testdb.Postgres {
			be := *e // as in the round trips: bun's text is new every call
			be.dsn = withPgParam(e.dsn, "default_query_exec_mode", "simple_protocol")
			ce.sdb = be.pool(tb)
		}
		return newBunRel(ce)
	}
	return nil, fmt.Errorf("unknown library %q", name)
}

// check makes sure every client reads the same rows as the seed says.
func (e *relEnv) check(ctx context.Context) error {
	for k, c := range e.clients {
		fail := func(format string, a ...any) error {
			return fmt.Errorf("%s: %s: %s", e.engine, e.names[k], fmt.Sprintf(format, a...))
		}
		for _, op := range relOps {
			n, err := op.run(c, ctx)
			if err != nil {
				return fail("%s: %v", op.name, err)
			}
			if n != op.want {
				return fail("%s: %d rows, want %d", op.name, n, op.want)
			}
			if err := checkRel(op.name, c); err != nil {
				return fail("%s: %v", op.name, err)
			}
		}
	}
	return nil
}

func checkRel(op string, c relClient) error {
	if op == "belongs_to" {
		for i, tw := range c.tweets() {
			if tw.User == nil || tw.User.ID != tw.UserID {
				return fmt.Errorf("tweet %d (%d): user %+v, want %d", i, tw.ID, tw.User, tw.UserID)
			}
			u := tw.User
			if want := fmt.Sprintf("user%03d", int(u.CreatedAt.Sub(relBase)/time.Hour)); u.Name != want {
				return fmt.Errorf("tweet %d: user %q, want %q", i, u.Name, want)
			}
			if i > 0 && tw.ID <= c.tweets()[i-1].ID {
				return fmt.Errorf("tweets not in id order at %d", i)
			}
		}
		return nil
	}
	per := relPerUser
	if op == "newest_3" {
		per = relNewest
	}
	for i, u := range c.users() {
		if want := fmt.Sprintf("user%03d", i); u.Name != want || !u.CreatedAt.Equal(relBase.Add(time.Duration(i)*time.Hour)) {
			return fmt.Errorf("user %d: %q %s", i, u.Name, u.CreatedAt)
		}
		if (u.Email == nil) != (i%3 == 0) {
			return fmt.Errorf("user %d: email %v", i, u.Email)
		}
		if len(u.Tweets) != per {
			return fmt.Errorf("user %d: %d tweets, want %d", i, len(u.Tweets), per)
		}
		for j, tw := range u.Tweets {
			k := j // has_many: by id, oldest first; newest_3: newest first
			if op == "newest_3" {
				k = relPerUser - 1 - j
			}
			want := relBase.Add(time.Duration(i*relPerUser+k) * time.Minute)
			if tw.UserID != u.ID || !tw.CreatedAt.Equal(want) || tw.Content != fmt.Sprintf("tweet %d of %s", k, u.Name) || tw.Likes != (i*k)%17 {
				return fmt.Errorf("user %d tweet %d: %+v, want created %s", i, j, tw, want)
			}
		}
	}
	return nil
}

func BenchmarkRelations(b *testing.B) {
	for _, engine := range testdb.Engines() {
		b.Run(engine, func(b *testing.B) {
			e := setupRelations(b, engine)
			ctx := context.Background()
			if err := e.check(ctx); err != nil {
				b.Fatal(err)
			}
			for _, op := range relOps {
				for _, c := range e.clients {
					for range warmups {
						if _, err := op.run(c, ctx); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			for _, op := range relOps {
				b.Run(op.name, func(b *testing.B) {
					for k, c := range e.clients {
						b.Run(e.names[k], func(b *testing.B) {
							b.ReportAllocs()
							for b.Loop() {
								if _, err := op.run(c, ctx); err != nil {
									b.Fatal(err)
								}
							}
						})
					}
					b.Run("interleaved", func(b *testing.B) {
						interleaveRel(b, e, func(c relClient) error { _, err := op.run(c, ctx); return err })
					})
				})
			}
		})
	}
}

// interleaveRel is interleave for the relation clients.
func interleaveRel(b *testing.B, e *relEnv, run func(c relClient) error) {
	times := make([][]time.Duration, len(e.clients))
	order := make([]int, len(e.clients))
	for k := range order {
		order[k] = k
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for b.Loop() {
		rng.Shuffle(len(order), func(x, y int) { order[x], order[y] = order[y], order[x] })
		for _, k := range order {
			start := time.Now()
			if err := run(e.clients[k]); err != nil {
				b.Fatalf("%s: %v", e.names[k], err)
			}
			times[k] = append(times[k], time.Since(start))
		}
	}
	med := make([]float64, len(times))
	for k, ts := range times {
		slices.Sort(ts)
		med[k] = float64(ts[len(ts)/2])
	}
	for k := 1; k < len(e.clients); k++ { // e.clients[0] is raw
		b.ReportMetric(med[k]/med[0], e.names[k]+"/raw")
	}
}

// TestRelationsSame runs the benchmarks' checks: every library reads the
// same users and tweets on every engine.
func TestRelationsSame(t *testing.T) {
	for _, engine := range testdb.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := setupRelations(t, engine)
			if err := e.check(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// rawRel is the floor: the two queries written by hand, the keys of the
// first query's rows put in the second's IN (…), the rows handed to their
// parents through a map.
type rawRel struct {
	db *sql.DB
	d  dialect.Dialect
	us []relUser
	ts []relTweet
	// The statements of the first query; the second one's IN list is
	// written per call, for the keys it gets.
	usersSQL, tweetsSQL string
}

func newRawRel(e *env) *rawRel {
	r := &rawRel{db: e.sdb, d: e.d}
	r.usersSQL = "SELECT id, name, email, created_at FROM " + relUserTable + " ORDER BY id LIMIT " + r.ph(1)
	r.tweetsSQL = "SELECT id, user_id, content, likes, created_at FROM " + relTwTable + " ORDER BY id"
	return r
}

func (r *rawRel) ph(n int) string { return string(r.d.AppendPlaceholder(nil, n)) }

// in is "(?, ?, …)" for n keys.
func (r *rawRel) in(n int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.ph(i + 1))
	}
	b.WriteByte(')')
	return b.String()
}

func (r *rawRel) readUsers(ctx context.Context) ([]relUser, []any, map[int64]int, error) {
	rows, err := r.db.QueryContext(ctx, r.usersSQL, relUsers)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	us := make([]relUser, 0, relUsers)
	ids := make([]any, 0, relUsers)
	at := make(map[int64]int, relUsers)
	for rows.Next() {
		var u relUser
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.CreatedAt); err != nil {
			return nil, nil, nil, err
		}
		at[u.ID] = len(us)
		us = append(us, u)
		ids = append(ids, u.ID)
	}
	return us, ids, at, rows.Err()
}

// withTweets reads the tweets of the users of tweetsSQL (ending with the IN
// list) into them.
func (r *rawRel) withTweets(ctx context.Context, sqlText string, ids []any, us []relUser, at map[int64]int) error {
	rows, err := r.db.QueryContext(ctx, sqlText, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var tw relTweet
		if err := rows.Scan(&tw.ID, &tw.UserID, &tw.Content, &tw.Likes, &tw.CreatedAt); err != nil {
			return err
		}
		u := &us[at[tw.UserID]]
		u.Tweets = append(u.Tweets, tw)
	}
	return rows.Err()
}

func (r *rawRel) hasMany(ctx context.Context) (int, error) {
	us, ids, at, err := r.readUsers(ctx)
	if err != nil || len(us) == 0 {
		return 0, err
	}
	q := "SELECT id, user_id, content, likes, created_at FROM " + relTwTable + " WHERE user_id IN " + r.in(len(ids)) + " ORDER BY user_id, id"
	if err := r.withTweets(ctx, q, ids, us, at); err != nil {
		return 0, err
	}
	r.us = us
	return len(us), nil
}

func (r *rawRel) newest(ctx context.Context) (int, error) {
	us, ids, at, err := r.readUsers(ctx)
	if err != nil || len(us) == 0 {
		return 0, err
	}
	q := "SELECT id, user_id, content, likes, created_at FROM (SELECT id, user_id, content, likes, created_at, " +
		"ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS rn FROM " + relTwTable +
		" WHERE user_id IN " + r.in(len(ids)) + ") AS t WHERE rn <= " + fmt.Sprint(relNewest) + " ORDER BY user_id, rn"
	if err := r.withTweets(ctx, q, ids, us, at); err != nil {
		return 0, err
	}
	r.us = us
	return len(us), nil
}

func (r *rawRel) belongsTo(ctx context.Context) (int, error) {
	rows, err := r.db.QueryContext(ctx, r.tweetsSQL)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var ts []relTweet // a query without LIMIT: its number of rows is not known ahead, to kinglet either
	seen := make(map[int64]bool, relUsers)
	var ids []any
	for rows.Next() {
		var tw relTweet
		if err := rows.Scan(&tw.ID, &tw.UserID, &tw.Content, &tw.Likes, &tw.CreatedAt); err != nil {
			return 0, err
		}
		if !seen[tw.UserID] {
			seen[tw.UserID] = true
			ids = append(ids, tw.UserID)
		}
		ts = append(ts, tw)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	rows.Close()
	urows, err := r.db.QueryContext(ctx, "SELECT id, name, email, created_at FROM "+relUserTable+" WHERE id IN "+r.in(len(ids)), ids...)
	if err != nil {
		return 0, err
	}
	defer urows.Close()
	byID := make(map[int64]*relUser, len(ids))
	for urows.Next() {
		u := new(relUser)
		if err := urows.Scan(&u.ID, &u.Name, &u.Email, &u.CreatedAt); err != nil {
			return 0, err
		}
		byID[u.ID] = u
	}
	if err := urows.Err(); err != nil {
		return 0, err
	}
	for i := range ts {
		ts[i].User = byID[ts[i].UserID]
	}
	r.ts = ts
	return len(ts), nil
}

func (r *rawRel) users() []relUser   { return r.us }
func (r *rawRel) tweets() []relTweet { return r.ts }

// kingletRel is kinglet: Load and LoadWith (the IN strategy), or with
// oneQuery the JSON strategy and JoinLoad.
type kingletRel struct {
	db       *orm.DB
	oneQuery bool
	us       []kRelUser
	ts       []kRelTweet
}

var (
	kRelUserID    = orm.Field(func(u *kRelUser) *int64 { return &u.ID })
	kRelTweetID   = orm.Field(func(t *kRelTweet) *int64 { return &t.ID })
	kRelTweetTime = orm.Field(func(t *kRelTweet) *time.Time { return &t.CreatedAt })
)

func (k *kingletRel) hasMany(ctx context.Context) (n int, err error) {
	q := orm.Select[kRelUser](k.db).OrderBy(kRelUserID.Asc()).Limit(relUsers)
	if k.oneQuery {
		q = q.LoadWith("Tweets", orm.Strategy(orm.JSONStrategy))
	} else {
		q = q.Load("Tweets")
	}
	k.us, err = q.All(ctx)
	return len(k.us), err
}

func (k *kingletRel) newest(ctx context.Context) (n int, err error) {
	opts := []orm.LoadOption{orm.OrderBy(kRelTweetTime.Desc(), kRelTweetID.Desc()), orm.LimitPer(relNewest)}
	if k.oneQuery {
		opts = append(opts, orm.Strategy(orm.JSONStrategy))
	}
	k.us, err = orm.Select[kRelUser](k.db).OrderBy(kRelUserID.Asc()).Limit(relUsers).LoadWith("Tweets", opts...).All(ctx)
	return len(k.us), err
}

func (k *kingletRel) belongsTo(ctx context.Context) (n int, err error) {
	q := orm.Select[kRelTweet](k.db).OrderBy(kRelTweetID.Asc())
	if k.oneQuery {
		q = q.JoinLoad("User")
	} else {
		q = q.Load("User")
	}
	k.ts, err = q.All(ctx)
	return len(k.ts), err
}

func fromKRelTweet(t kRelTweet) relTweet {
	out := relTweet{ID: t.ID, UserID: t.UserID, Content: t.Content, Likes: t.Likes, CreatedAt: t.CreatedAt}
	if t.User != nil {
		u := fromKRelUser(*t.User)
		out.User = &u
	}
	return out
}

func fromKRelUser(u kRelUser) relUser {
	return relUser{ID: u.ID, Name: u.Name, Email: u.Email, CreatedAt: u.CreatedAt, Tweets: clone(u.Tweets, fromKRelTweet)}
}

func (k *kingletRel) users() []relUser   { return clone(k.us, fromKRelUser) }
func (k *kingletRel) tweets() []relTweet { return clone(k.ts, fromKRelTweet) }

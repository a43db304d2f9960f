// Command quickstart is a tour of kinglet's ORM with users and their tweets:
// it defines two models, creates their tables, inserts rows one at a time
// and in bulk, queries them (filtered and ordered, then joined and
// aggregated), updates and deletes one row and many, runs a transaction with
// a savepoint that rolls back, upserts, and loads relations eagerly.
//
//	go run ./examples/quickstart
//
// The database is an in-memory SQLite one unless DATABASE_URL names another:
//
//	DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go run ./examples/quickstart
//	DATABASE_URL='mysql://root@127.0.0.1:3306/test' go run ./examples/quickstart
//
// On a server it works in the tables quickstart_users and quickstart_tweets,
// which it drops (if they exist) before it starts and again when it is done.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// User is a model: a struct whose db tags map fields to columns. An integer
// primary key is auto-increment, a pointer is nullable, and a field tagged
// db:"-" with a rel tag is a relation, loaded only on request (Load).
type User struct {
	ID        int64     `db:"id,pk"`
	Username  string    `db:"username,unique,size:64"`
	Email     *string   `db:"email,size:128"`
	Active    bool      `db:"active,default:true"`
	CreatedAt time.Time `db:"created_at,default:now"`
	Tweets    []Tweet   `db:"-" rel:"has_many,fk:UserID"`
}

// Tweet belongs to a user; deleting the user deletes their tweets.
type Tweet struct {
	ID      int64  `db:"id,pk"`
	UserID  int64  `db:"user_id,fk:quickstart_users.id,on_delete:cascade,index"`
	Content string `db:"content,size:280"`
	Likes   int    `db:"likes"`
	User    *User  `db:"-" rel:"belongs_to,fk:UserID"`
}

// The table names would be users and tweets (the snake_case plural of the
// type); the tour names its own so that it never touches yours.
func (User) TableName() string { return "quickstart_users" }

// TableName is the table of tweets.
func (Tweet) TableName() string { return "quickstart_tweets" }

// Typed column handles: UserName.Eq takes a string, TweetLikes.Gt an int, so
// the compiler checks the values that go into queries.
var (
	UserID       = orm.Field(func(u *User) *int64 { return &u.ID })
	UserName     = orm.Field(func(u *User) *string { return &u.Username })
	UserActive   = orm.Field(func(u *User) *bool { return &u.Active })
	TweetID      = orm.Field(func(t *Tweet) *int64 { return &t.ID })
	TweetUserID  = orm.Field(func(t *Tweet) *int64 { return &t.UserID })
	TweetContent = orm.Field(func(t *Tweet) *string { return &t.Content })
	TweetLikes   = orm.Field(func(t *Tweet) *int { return &t.Likes })
)

// UserStats is the shape of an aggregate query's rows: orm.Into matches its
// columns to the fields by name.
type UserStats struct {
	Username string `db:"username"`
	Tweets   int64  `db:"tweets"`
	Likes    int64  `db:"likes"`
}

func main() {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = "sqlite::memory:"
	}
	if err := run(context.Background(), os.Stdout, url); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, url string) (err error) {
	db, err := orm.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(w, "Connected to %s.\n", db.Dialect().Name())

	// Start from empty tables, and leave none behind.
	if err := db.DropTables(ctx, &User{}, &Tweet{}); err != nil {
		return err
	}
	if err := db.CreateTables(ctx, &User{}, &Tweet{}); err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, db.DropTables(context.WithoutCancel(ctx), &User{}, &Tweet{}))
	}()

	// Insert one row; the database fills in the key and created_at (a zero
	// time with default:now is left to the database). Other fields are
	// written as they are, zero values included: Active must be set.
	email := "alice@example.com"
	alice := &User{Username: "alice", Email: &email, Active: true}
	if err := db.Insert(ctx, alice); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== insert\nalice has id %d, created_at filled in: %t\n", alice.ID, !alice.CreatedAt.IsZero())

	// Insert many rows with one statement (batched under the engine's limit).
	others := []User{{Username: "bob", Active: true}, {Username: "carol", Active: true}, {Username: "dave", Active: true}}
	if err := db.InsertMany(ctx, others); err != nil {
		return err
	}
	bob, carol, dave := &others[0], &others[1], &others[2]
	fmt.Fprintf(w, "bob, carol and dave have ids %d, %d and %d\n", bob.ID, carol.ID, dave.ID)

	tweets := []Tweet{
		{UserID: alice.ID, Content: "hello, world", Likes: 5},
		{UserID: alice.ID, Content: "kinglet is out", Likes: 10},
		{UserID: bob.ID, Content: "hi", Likes: 2},
		{UserID: carol.ID, Content: "gone fishing", Likes: 7},
		{UserID: dave.ID, Content: "anyone here?", Likes: 0},
	}
	if err := db.InsertMany(ctx, tweets); err != nil {
		return err
	}
	fmt.Fprintf(w, "inserted %d tweets\n", len(tweets))

	// Query: WHERE, ORDER BY and LIMIT with typed columns.
	popular, err := orm.Select[Tweet](db).
		Where(TweetLikes.Ge(5)).
		OrderBy(TweetLikes.Desc()).
		Limit(2).
		All(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\n== the two most liked tweets")
	for _, t := range popular {
		fmt.Fprintf(w, "%-16s %2d likes\n", t.Content, t.Likes)
	}

	// A join with aggregates, scanned into another struct shape.
	tweetsTable := query.Table(Tweet{}.TableName())
	stats, err := orm.Into[UserStats](ctx, orm.Select[User](db).
		Columns(UserName.Ex,
			query.Count(TweetID.Ex).As("tweets"),
			query.Coalesce(query.Sum(TweetLikes.Ex), 0).As("likes")).
		LeftJoin(tweetsTable, TweetUserID.EqCol(UserID)).
		Where(UserActive.Eq(true)).
		GroupBy(UserName.Ex).
		OrderBy(query.C("likes").Desc(), UserName.Asc()))
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\n== tweets and likes per active user")
	fmt.Fprintln(w, "user   tweets likes")
	for _, s := range stats {
		fmt.Fprintf(w, "%-6s %6d %5d\n", s.Username, s.Tweets, s.Likes)
	}

	// Update one column of one row, then many rows at once.
	newEmail := "bob@example.com"
	bob.Email = &newEmail
	if err := db.Update(ctx, bob, "email"); err != nil {
		return err
	}
	n, err := orm.Update[User](db).SetAll(UserActive.Set(false)).Where(UserName.Eq("dave")).Exec(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== update\nbob's email is now %s; deactivated %d user\n", *bob.Email, n)

	// Delete many rows, then one.
	n, err = orm.Delete[Tweet](db).Where(TweetLikes.Eq(0)).Exec(ctx)
	if err != nil {
		return err
	}
	if err := db.Delete(ctx, dave); err != nil {
		return err
	}
	users, err := orm.Select[User](db).Count(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== delete\ndeleted %d tweet without likes, and dave; %d users left\n", n, users)

	// A transaction: everything in fn commits together, or nothing does. A
	// nested Tx is a savepoint: its failure undoes only its own work.
	err = db.Tx(ctx, func(tx *orm.Tx) error {
		if err := tx.Insert(ctx, &Tweet{UserID: bob.ID, Content: "inside a transaction", Likes: 1}); err != nil {
			return err
		}
		spErr := tx.Tx(ctx, func(sp *orm.Tx) error {
			if err := sp.Insert(ctx, &Tweet{UserID: bob.ID, Content: "never committed"}); err != nil {
				return err
			}
			return errors.New("changed my mind")
		})
		fmt.Fprintf(w, "\n== transaction\nthe savepoint rolled back: %v\n", spErr)
		return nil
	})
	if err != nil {
		return err
	}
	bobs, err := orm.Pluck[string](ctx, orm.Select[Tweet](db).Where(TweetUserID.Eq(bob.ID)).OrderBy(TweetID.Asc()), TweetContent.Ex)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "bob's tweets after commit: %s\n", strings.Join(bobs, ", "))

	// Upsert: insert, or update the row with the same unique username.
	carolEmail := "carol@example.org"
	again := &User{Username: "carol", Email: &carolEmail, Active: true}
	if err := db.Upsert(ctx, again, "username"); err != nil {
		return err
	}
	got, err := orm.Get[User](ctx, db, again.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== upsert\ncarol kept id %d and now has email %s\n", got.ID, *got.Email)

	// Eager loading: one query for the users, one for all their tweets.
	loaded, err := orm.Select[User](db).OrderBy(UserID.Asc()).Load("Tweets").All(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\n== users with their tweets")
	for _, u := range loaded {
		contents := make([]string, len(u.Tweets))
		for i, t := range u.Tweets {
			contents[i] = t.Content
		}
		fmt.Fprintf(w, "%-6s %s\n", u.Username, strings.Join(contents, " | "))
	}
	withAuthors, err := orm.Select[Tweet](db).Where(TweetLikes.Ge(7)).OrderBy(TweetID.Asc()).Load("User").All(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\n== tweets with 7 likes or more, with their authors")
	for _, t := range withAuthors {
		fmt.Fprintf(w, "%-16s by %s\n", t.Content, t.User.Username)
	}
	return nil
}

package orm_test

import (
	"context"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

var (
	userID       = orm.Field(func(u *kUser) *int64 { return &u.ID })
	userName     = orm.Field(func(u *kUser) *string { return &u.Username })
	userAge      = orm.Field(func(u *kUser) *int { return &u.Age })
	userEmail    = orm.Field(func(u *kUser) **string { return &u.Email })
	tweetUserID  = orm.Field(func(t *kTweet) *int64 { return &t.UserID })
	tweetContent = orm.ColOf[string, kTweet]("content")
)

// kEmbedded has its key in an embedded struct.
type kBase struct {
	ID int64 `db:"id,pk"`
}

type kEmbedded struct {
	kBase
	Title string `db:"title"`
}

func (kEmbedded) TableName() string { return "embedded" }

func TestTypedColumns(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}, &kEmbedded{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		alice, bob, carol := seedTweets(t, ctx, db)
		assert.Equal(t, "id", userID.Name())
		assert.Equal(t, "username", userName.Name())

		got, err := orm.Select[kUser](db).Where(userName.Eq("bob")).One(ctx)
		require.NoError(t, err)
		assert.Equal(t, bob.ID, got.ID)

		users, err := orm.Select[kUser](db).Where(userAge.Between(26, 45)).OrderBy(userAge.Desc()).All(ctx)
		require.NoError(t, err)
		require.Len(t, users, 2)
		assert.Equal(t, carol.ID, users[0].ID)
		assert.Equal(t, alice.ID, users[1].ID)

		n, err := orm.Select[kUser](db).Where(userID.In(alice.ID, bob.ID)).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 2, n)
		n, err = orm.Select[kUser](db).Where(userID.In()).Count(ctx)
		require.NoError(t, err)
		assert.Zero(t, n, "empty IN is always false")
		n, err = orm.Select[kUser](db).Where(userID.NotIn(alice.ID), userAge.Ne(41), userAge.Le(25), userAge.Ge(25), userAge.Lt(99), userAge.Gt(0)).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		n, err = orm.Select[kUser](db).Where(userEmail.IsNull()).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 3, n)

		// Across tables: the handles are qualified with their table.
		tweets, err := orm.Select[kTweet](db).
			Join(usersT, tweetUserID.EqCol(orm.Field(func(u *kUser) *int64 { return &u.ID }))).
			Where(userName.Eq("alice"), tweetContent.Ne("a2")).
			All(ctx)
		require.NoError(t, err)
		assert.Len(t, tweets, 2)

		// A field of an embedded struct.
		embID := orm.Field(func(e *kEmbedded) *int64 { return &e.ID })
		assert.Equal(t, "id", embID.Name())
		require.NoError(t, db.Insert(ctx, &kEmbedded{Title: "x"}))
		e, err := orm.Select[kEmbedded](db).Where(embID.Eq(1)).One(ctx)
		require.NoError(t, err)
		assert.Equal(t, "x", e.Title)
		assert.Equal(t, "title", orm.ColOf[string, kEmbedded]("Title").Name(), "a Go field name works too")
	})
}

func TestTypedColumnErrors(t *testing.T) {
	db, err := orm.Open(t.Context(), "sqlite::memory:")
	require.NoError(t, err)
	defer db.Close()
	hdb, rec := hooked(db)
	ctx := t.Context()
	require.NoError(t, db.CreateTables(ctx, &kUser{}))

	other := new(int64)
	type notAModel int
	run := func(c orm.Col[int64]) error {
		_, err := orm.Select[kUser](hdb).Where(c.Eq(1)).All(ctx)
		return err
	}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"selector returns nil", run(orm.Field(func(u *kUser) *int64 { return nil })), "returned nil"},
		{"selector points elsewhere", run(orm.Field(func(u *kUser) *int64 { return other })), "does not point at a column field of type int64"},
		// Age is an int: the right offset with the wrong type is refused.
		{"wrong type", run(orm.Field(func(u *kUser) *int64 { return (*int64)(unsafe.Pointer(&u.Age)) })), "does not point at a column field of type int64"},
		{"not a struct", func() error {
			c := orm.Field(func(n *notAModel) *int64 { return nil })
			return run(c)
		}(), "not a struct"},
		{"ColOf unknown column", run(orm.ColOf[int64, kUser]("nope")), `no column "nope"`},
		{"ColOf wrong type", func() error {
			_, err := orm.Select[kUser](hdb).Where(orm.ColOf[string, kUser]("age").Eq("1")).All(ctx)
			return err
		}(), "is int, not string"},
		{"bad handle in a bulk update", func() error {
			_, err := orm.Update[kUser](hdb).SetAll(orm.ColOf[int64, kUser]("nope").Set(1)).AllRows().Exec(ctx)
			return err
		}(), `no column "nope"`},
	}
	for _, c := range cases {
		require.Error(t, c.err, c.name)
		assert.Contains(t, c.err.Error(), c.want, c.name)
	}
	assert.Zero(t, rec.count(), "no query ran: %v", rec.sqls())
}

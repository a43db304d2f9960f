package orm_test

import (
	"context"
	"database/sql"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

// The JSON strategy reads every kind of field as the IN strategy does: the
// values each engine's JSON holds (numbers, strings, times in each
// engine's form, booleans as 0/1 or true/false, nested JSON or its text)
// go into the fields as database/sql would put the column values.

type jsOwner struct {
	ID    int64     `db:"id,pk"`
	Items []jsItem  `db:"-" rel:"has_many,fk:OwnerID"`
	Ptrs  []*jsItem `db:"-" rel:"has_many,fk:OwnerID"`
	First *jsItem   `db:"-" rel:"has_one,fk:OwnerID"`
}

func (jsOwner) TableName() string { return "js_owners" }

type jsItem struct {
	ID      int64 `db:"id,pk"`
	OwnerID int64 `db:"owner_id,index"`
	I       int
	I8      int8
	I16     int16
	I32     int32
	I64     int64
	U       uint
	U8      uint8
	U32     uint32
	F32     float32
	F64     float64
	B       bool
	S       string
	At      time.Time
	St      status
	Money   cents `db:"money,kind:int64"`

	PS  *string
	PI  *int64
	PB  *bool
	PF  *float64
	PAt *time.Time

	NS sql.NullString
	NI sql.NullInt64
	NB sql.NullBool
	NT sql.NullTime
	GS sql.Null[string]
	GT sql.Null[time.Time]

	J  fields.JSON[prefs]  `db:"j"`
	PJ *fields.JSON[[]int] `db:"pj"`
	M  map[string]int      `db:"m,json"`

	Owner *jsOwner `db:"-" rel:"belongs_to,fk:OwnerID"`
}

func (jsItem) TableName() string { return "js_items" }

func TestJSONStrategyTypes(t *testing.T) {
	withTables(t, []any{&jsOwner{}, &jsItem{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		at := time.Date(2024, 2, 29, 23, 59, 58, 123456000, time.UTC)
		s, n, b, f := "pö'\\\"x\n", int64(-42), false, 0.25
		full := jsItem{
			I: math.MaxInt32, I8: math.MinInt8, I16: math.MaxInt16, I32: math.MinInt32, I64: math.MinInt64 + 1,
			U: math.MaxInt64, U8: math.MaxUint8, U32: math.MaxUint32,
			F32: 1.5, F64: 0.1, B: true, S: "héllo 'quoted' \\ \"x\" 🐦\t", At: at, St: "open", Money: cents{12345},
			PS: &s, PI: &n, PB: &b, PF: &f, PAt: &at,
			NS: sql.NullString{String: "ns", Valid: true}, NI: sql.NullInt64{Int64: -7, Valid: true},
			NB: sql.NullBool{Bool: true, Valid: true}, NT: sql.NullTime{Time: at, Valid: true},
			GS: sql.Null[string]{V: "g", Valid: true}, GT: sql.Null[time.Time]{V: at, Valid: true},
			J:  fields.JSON[prefs]{V: prefs{Theme: "dark", Sizes: []int{1, 2}}},
			PJ: &fields.JSON[[]int]{V: []int{3, 4}},
			M:  map[string]int{"a": 1},
		}
		o1, o2, o3 := &jsOwner{}, &jsOwner{}, &jsOwner{}
		for _, o := range []*jsOwner{o1, o2, o3} {
			require.NoError(t, db.Insert(ctx, o))
		}
		items := []jsItem{full, {M: map[string]int{}}, full}
		items[0].OwnerID, items[1].OwnerID, items[2].OwnerID = o1.ID, o1.ID, o2.ID
		items[2].S, items[2].B = "second", false
		for i := range items {
			require.NoError(t, db.Insert(ctx, &items[i]))
		}

		load := func(st orm.LoadStrategy) []jsOwner {
			S := orm.Strategy(st)
			got, err := orm.Select[jsOwner](db).OrderBy(orm.Field(func(o *jsOwner) *int64 { return &o.ID }).Asc()).
				LoadWith("Items", S).LoadWith("Ptrs", S).LoadWith("First", S).
				LoadWith("Items.Owner", S).All(ctx)
			require.NoError(t, err)
			return got
		}
		in, js := load(orm.InStrategy), load(orm.JSONStrategy)
		require.Equal(t, in, js)
		require.Len(t, js[0].Items, 2)
		require.Equal(t, full.S, js[0].Items[0].S)
		require.True(t, at.Equal(js[0].Items[0].At), "%s", js[0].Items[0].At)
		require.Equal(t, time.UTC, js[0].Items[0].At.Location())
		require.Nil(t, js[0].Items[1].PS)
		require.False(t, js[0].Items[1].NT.Valid)
		require.Equal(t, o1.ID, js[0].Items[1].Owner.ID)
		require.Equal(t, "dark", js[0].Ptrs[0].J.V.Theme)
		require.Equal(t, items[0].ID, js[0].First.ID)
		require.Equal(t, "second", js[1].Items[0].S)
		require.NotNil(t, js[2].Items)
		require.Empty(t, js[2].Items)
		require.Nil(t, js[2].First)
	})
}

// TestJSONStrategyBelowJoinLoad: a to-many relation of a joined model,
// read as JSON in the same one query.
func TestJSONStrategyBelowJoinLoad(t *testing.T) {
	relEach(t, func(t *testing.T, ctx context.Context, db *orm.DB, cnt *relCounter, d relData, _ *testdb.DB) {
		tweets, err := orm.Select[rTweet](db).LeftJoinLoad("ReplyTo").
			LoadWith("ReplyTo.Likes", orm.Strategy(orm.JSONStrategy), orm.OrderBy(relL.C("user_id").Desc())).
			OrderBy(relTweetID.Asc()).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, cnt.n(), "queries: %q", cnt.sqls)
		require.Nil(t, tweets[0].ReplyTo)
		require.Equal(t, d.t2, tweets[2].ReplyTo.ID)
		require.Len(t, tweets[2].ReplyTo.Likes, 1) // t2 has one like, by alice
		require.Equal(t, d.alice, tweets[2].ReplyTo.Likes[0].UserID)
		require.Equal(t, d.t3, tweets[3].ReplyTo.ID)
		require.Len(t, tweets[3].ReplyTo.Likes, 1)
	})
}

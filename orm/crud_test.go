package orm_test

import (
	"context"
	"database/sql"
	"errors"
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

// kDefaults has columns the database fills when the model leaves them out.
type kDefaults struct {
	ID        int64     `db:"id,pk"`
	Name      string    `db:"name"`
	Status    *string   `db:"status,default:new"`
	Score     *int      `db:"score,default:7"`
	CreatedAt time.Time `db:"created_at,default:now"`
}

func (kDefaults) TableName() string { return "defaults" }

type kMembership struct {
	UserID  int64  `db:"user_id,pk"`
	GroupID int64  `db:"group_id,pk"`
	Role    string `db:"role"`
}

func (kMembership) TableName() string { return "memberships" }

type kTag struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"name,unique,size:64"`
	Uses int    `db:"uses"`
}

func (kTag) TableName() string { return "tags" }

func TestInsertFillsKeyAndDefaults(t *testing.T) {
	withTables(t, []any{&kUser{}, &kDefaults{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		u1, u2 := &kUser{Username: "a"}, &kUser{Username: "b"}
		require.NoError(t, db.Insert(ctx, u1))
		require.NoError(t, db.Insert(ctx, u2))
		assert.Positive(t, u1.ID)
		assert.Greater(t, u2.ID, u1.ID)
		assert.False(t, u1.CreatedAt.IsZero(), "default:now filled on a zero time")
		assert.WithinDuration(t, time.Now(), u1.CreatedAt, time.Hour)

		before := time.Now().Add(-time.Hour)
		d := &kDefaults{Name: "d"}
		require.NoError(t, db.Insert(ctx, d))
		require.NotNil(t, d.Status, "pointer field with a default is filled")
		assert.Equal(t, "new", *d.Status)
		require.NotNil(t, d.Score)
		assert.Equal(t, 7, *d.Score)
		assert.True(t, d.CreatedAt.After(before))
		assert.Equal(t, time.UTC, d.CreatedAt.Location())

		// Set values are written, not replaced by the defaults.
		at := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
		d2 := &kDefaults{Name: "e", Status: ptr("done"), Score: ptr(0), CreatedAt: at}
		require.NoError(t, db.Insert(ctx, d2))
		got, err := orm.Get[kDefaults](ctx, db, d2.ID)
		require.NoError(t, err)
		assert.Equal(t, "done", *got.Status)
		assert.Equal(t, 0, *got.Score)
		assert.True(t, at.Equal(got.CreatedAt))

		// An explicit key is written as given.
		d3 := &kDefaults{ID: 1000, Name: "explicit"}
		require.NoError(t, db.Insert(ctx, d3))
		assert.EqualValues(t, 1000, d3.ID)
		_, err = orm.Get[kDefaults](ctx, db, int64(1000))
		require.NoError(t, err)
	})
}

// TestInsertLastInsertIdPath runs Insert against the MariaDB server with the
// dialect of MariaDB 10.4, which has no RETURNING: the key comes from
// LastInsertId and the defaults from a SELECT by key.
func TestInsertLastInsertIdPath(t *testing.T) {
	tdb := testdb.Open(t, testdb.MySQL)
	if tdb.Dialect.Name() != "mariadb" {
		t.Skipf("needs MariaDB, have %s", tdb.Dialect)
	}
	d, err := dialect.ForVersion("mariadb", "10.4.0")
	require.NoError(t, err)
	require.False(t, d.Has(dialect.InsertReturning))
	ctx := t.Context()
	db, rec := hooked(orm.New(tdb.DB, d))
	require.NoError(t, db.CreateTables(ctx, &kDefaults{}, &kUser{}))

	rec.reset()
	x := &kDefaults{Name: "x"}
	require.NoError(t, db.Insert(ctx, x))
	assert.Positive(t, x.ID)
	require.NotNil(t, x.Status)
	assert.Equal(t, "new", *x.Status)
	require.NotNil(t, x.Score)
	assert.Equal(t, 7, *x.Score)
	assert.False(t, x.CreatedAt.IsZero())
	sqls := rec.sqls()
	require.Len(t, sqls, 2, "INSERT, then SELECT of the defaults: %v", sqls)
	assert.NotContains(t, sqls[0], "RETURNING")
	assert.Contains(t, sqls[1], "SELECT")

	// Only the key is generated: no SELECT.
	rec.reset()
	y := &kDefaults{Name: "y", Status: ptr("s"), Score: ptr(1), CreatedAt: time.Now()}
	require.NoError(t, db.Insert(ctx, y))
	assert.Equal(t, x.ID+1, y.ID)
	assert.Equal(t, 1, rec.count())

	// InsertMany on the same path: first id + i, defaults read back.
	rec.reset()
	many := []kDefaults{{Name: "m1"}, {Name: "m2"}, {Name: "m3"}}
	require.NoError(t, db.InsertMany(ctx, many))
	for i, m := range many {
		assert.Equal(t, y.ID+1+int64(i), m.ID, "row %d", i)
		require.NotNil(t, m.Status)
		assert.Equal(t, "new", *m.Status)
		got, err := orm.Get[kDefaults](ctx, db, m.ID)
		require.NoError(t, err)
		assert.Equal(t, m.Name, got.Name)
	}
	assert.Equal(t, 1, rec.countPrefix("INSERT"), "one multi-row INSERT")

	// Upsert without RETURNING: LAST_INSERT_ID(id) gives the key both times.
	u := &kUser{Username: "up", Age: 1}
	require.NoError(t, db.Upsert(ctx, u, "username"))
	first := u.ID
	assert.Positive(t, first)
	u2 := &kUser{Username: "up", Age: 2}
	require.NoError(t, db.Upsert(ctx, u2, "username"))
	assert.Equal(t, first, u2.ID)
}

func TestUpdate(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		email := "a@example.com"
		u := &kUser{Username: "alice", Email: &email, Active: true, Age: 30}
		require.NoError(t, db.Insert(ctx, u))

		// All columns.
		u.Username, u.Age = "alice2", 31
		require.NoError(t, db.Update(ctx, u))
		got, err := orm.Get[kUser](ctx, db, u.ID)
		require.NoError(t, err)
		assert.Equal(t, "alice2", got.Username)
		assert.Equal(t, 31, got.Age)

		// Unchanged values: still found (MySQL needs clientFoundRows).
		require.NoError(t, db.Update(ctx, u))
		require.NoError(t, db.Update(ctx, u, "age"))

		// Only the named columns (column or Go field names).
		u.Username, u.Age = "ignored", 40
		require.NoError(t, db.Update(ctx, u, "age"))
		got, err = orm.Get[kUser](ctx, db, u.ID)
		require.NoError(t, err)
		assert.Equal(t, "alice2", got.Username, "not in the column list")
		assert.Equal(t, 40, got.Age)
		u.Username = "alice3"
		require.NoError(t, db.Update(ctx, u, "Username"))
		got, err = orm.Get[kUser](ctx, db, u.ID)
		require.NoError(t, err)
		assert.Equal(t, "alice3", got.Username)

		// Zero values are written, never skipped.
		u.Username, u.Age, u.Active, u.Email = "", 0, false, nil
		require.NoError(t, db.Update(ctx, u))
		got, err = orm.Get[kUser](ctx, db, u.ID)
		require.NoError(t, err)
		assert.Equal(t, "", got.Username)
		assert.Equal(t, 0, got.Age)
		assert.False(t, got.Active)
		assert.Nil(t, got.Email)
		u.Age, u.Active = 5, true
		require.NoError(t, db.Update(ctx, u, "age", "active"))
		u.Age, u.Active = 0, false
		require.NoError(t, db.Update(ctx, u, "age", "active"))
		got, err = orm.Get[kUser](ctx, db, u.ID)
		require.NoError(t, err)
		assert.Equal(t, 0, got.Age)
		assert.False(t, got.Active)

		// A row that does not exist.
		err = db.Update(ctx, &kUser{ID: 99999, Username: "ghost"})
		require.ErrorIs(t, err, orm.ErrNotFound)
		assert.ErrorIs(t, err, sql.ErrNoRows)

		// Unknown column.
		err = db.Update(ctx, u, "nope")
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		assert.Contains(t, err.Error(), `"nope"`)
	})
}

func TestDelete(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTweet{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		u := &kUser{Username: "del"}
		require.NoError(t, db.Insert(ctx, u))
		require.NoError(t, db.Insert(ctx, &kTweet{UserID: u.ID, Content: "x"}))
		require.NoError(t, db.Delete(ctx, u))
		assert.Equal(t, 0, countRows(t, tdb, "users"))
		assert.Equal(t, 0, countRows(t, tdb, "tweets"), "on_delete:cascade")

		err := db.Delete(ctx, u)
		require.ErrorIs(t, err, orm.ErrNotFound)
		assert.ErrorIs(t, err, sql.ErrNoRows)
	})
}

func TestGet(t *testing.T) {
	withTables(t, []any{&kUser{}, &kMembership{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		u := &kUser{Username: "get", Age: 7}
		require.NoError(t, db.Insert(ctx, u))
		got, err := orm.Get[kUser](ctx, db, u.ID)
		require.NoError(t, err)
		assert.Equal(t, u.ID, got.ID)
		assert.Equal(t, "get", got.Username)
		assert.Equal(t, 7, got.Age)
		assert.True(t, u.CreatedAt.Equal(got.CreatedAt))

		_, err = orm.Get[kUser](ctx, db, u.ID+100)
		require.ErrorIs(t, err, orm.ErrNotFound)
		assert.True(t, errors.Is(err, sql.ErrNoRows))

		// Composite key: one value per key column, in declaration order.
		require.NoError(t, db.Insert(ctx, &kMembership{UserID: 1, GroupID: 2, Role: "admin"}))
		require.NoError(t, db.Insert(ctx, &kMembership{UserID: 2, GroupID: 1, Role: "member"}))
		m, err := orm.Get[kMembership](ctx, db, 1, 2)
		require.NoError(t, err)
		assert.Equal(t, "admin", m.Role)
		m, err = orm.Get[kMembership](ctx, db, 2, 1)
		require.NoError(t, err)
		assert.Equal(t, "member", m.Role)
		_, err = orm.Get[kMembership](ctx, db, 1, 1)
		require.ErrorIs(t, err, orm.ErrNotFound)

		// Update and Delete by composite key.
		m.Role = "owner"
		require.NoError(t, db.Update(ctx, &m))
		m2, err := orm.Get[kMembership](ctx, db, 2, 1)
		require.NoError(t, err)
		assert.Equal(t, "owner", m2.Role)
		require.NoError(t, db.Delete(ctx, &m2))
		assert.Equal(t, 1, countRows(t, tdb, "memberships"))
	})
}

func TestUpsert(t *testing.T) {
	withTables(t, []any{&kUser{}, &kTag{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		u := &kUser{Username: "up", Age: 1}
		require.NoError(t, db.Upsert(ctx, u, "username"))
		require.Positive(t, u.ID, "id filled on insert")
		first := u.ID

		// A second row first, so that the conflicting id is not the last one.
		require.NoError(t, db.Insert(ctx, &kUser{Username: "other"}))

		u2 := &kUser{Username: "up", Age: 2}
		require.NoError(t, db.Upsert(ctx, u2, "username"))
		assert.Equal(t, first, u2.ID, "id filled on update")
		got, err := orm.Get[kUser](ctx, db, first)
		require.NoError(t, err)
		assert.Equal(t, 2, got.Age, "the other columns were updated")
		assert.Equal(t, 2, countRows(t, tdb, "users"))

		// Unchanged values.
		u3 := &kUser{Username: "up", Age: 2, CreatedAt: got.CreatedAt, Active: got.Active}
		require.NoError(t, db.Upsert(ctx, u3, "username"))
		assert.Equal(t, first, u3.ID)

		// Conflict on the primary key.
		tag := &kTag{ID: 50, Name: "go", Uses: 1}
		require.NoError(t, db.Upsert(ctx, tag, "id"))
		tag = &kTag{ID: 50, Name: "golang", Uses: 2}
		require.NoError(t, db.Upsert(ctx, tag, "id"))
		assert.EqualValues(t, 50, tag.ID)
		gt, err := orm.Get[kTag](ctx, db, int64(50))
		require.NoError(t, err)
		assert.Equal(t, "golang", gt.Name)
		assert.Equal(t, 2, gt.Uses)

		// Bad calls.
		require.Error(t, db.Upsert(ctx, &kUser{Username: "x"}))
		require.ErrorIs(t, db.Upsert(ctx, &kUser{Username: "x"}, "nope"), orm.ErrUnknownColumn)
	})
}

func TestGetOrCreate(t *testing.T) {
	withTables(t, []any{&kTag{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		tag := &kTag{Name: "go", Uses: 1}
		created, err := orm.GetOrCreate(ctx, db, tag, "name")
		require.NoError(t, err)
		assert.True(t, created)
		id := tag.ID
		require.Positive(t, id)

		again := &kTag{Name: "go", Uses: 99}
		created, err = orm.GetOrCreate(ctx, db, again, "Name") // a Go field name works too
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, id, again.ID)
		assert.Equal(t, 1, again.Uses, "filled from the existing row")

		_, err = orm.GetOrCreate(ctx, db, &kTag{Name: "x"}, "nope")
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		_, err = orm.GetOrCreate[kTag](ctx, db, nil, "name")
		require.Error(t, err)
		_, err = orm.GetOrCreate(ctx, db, &kTag{Name: "x"})
		require.Error(t, err)
	})
}

// TestGetOrCreateRace has 8 goroutines ask for the same unique key at once:
// one row, one creator, one id for all.
func TestGetOrCreateRace(t *testing.T) {
	withTables(t, []any{&kTag{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		for round := range 3 {
			name := "race-" + string(rune('a'+round))
			const n = 8
			var (
				wg      sync.WaitGroup
				start   = make(chan struct{})
				ids     [n]int64
				created [n]bool
				errs    [n]error
			)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					tag := &kTag{Name: name, Uses: i}
					created[i], errs[i] = orm.GetOrCreate(ctx, db, tag, "name")
					ids[i] = tag.ID
				}()
			}
			close(start)
			wg.Wait()
			creators := 0
			for i := range n {
				require.NoError(t, errs[i], "goroutine %d", i)
				if created[i] {
					creators++
				}
				assert.Equal(t, ids[0], ids[i], "goroutine %d got another id", i)
			}
			assert.Equal(t, 1, creators, "exactly one goroutine created the row")
			cnt, err := orm.Select[kTag](db).Where(query.C("name").Eq(name)).Count(ctx)
			require.NoError(t, err)
			assert.EqualValues(t, 1, cnt)
		}
	})
}

// TestGetOrCreateInTxLosesRace makes GetOrCreate inside a transaction lose
// the race to another transaction: its INSERT hits the unique key, and the
// transaction must stay usable (on PostgreSQL a failed statement would
// abort it without the savepoint GetOrCreate takes).
func TestGetOrCreateInTxLosesRace(t *testing.T) {
	withTables(t, []any{&kTag{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		if tdb.Engine == testdb.SQLite {
			t.Skip("SQLite has one writer at a time: the other transaction cannot hold an uncommitted row while this one reads")
		}
		other, err := tdb.DB.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer other.Rollback() //nolint:errcheck // a no-op after Commit
		_, err = other.ExecContext(ctx, "INSERT INTO tags (name, uses) VALUES ('raced', 7)")
		require.NoError(t, err)

		var (
			created bool
			tag     = &kTag{Name: "raced", Uses: 1}
			after   int64
		)
		done := make(chan error, 1)
		go func() {
			done <- db.Tx(ctx, func(tx *orm.Tx) error {
				var err error
				// The lookup misses the uncommitted row; the INSERT waits for
				// the other transaction and then fails on the unique key.
				created, err = orm.GetOrCreate(ctx, tx, tag, "name")
				if err != nil {
					return err
				}
				after, err = orm.Select[kTag](tx).Count(ctx) // the transaction still works
				return err
			}, orm.Isolation(sql.LevelReadCommitted))
		}()
		time.Sleep(300 * time.Millisecond)
		require.NoError(t, other.Commit())
		require.NoError(t, <-done)
		assert.False(t, created)
		assert.Equal(t, 7, tag.Uses, "filled from the winner's row")
		assert.EqualValues(t, 1, after)
	})
}

package orm_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

type ctxKey struct{}

// tagHook puts a value into the context in BeforeQuery and checks that
// AfterQuery receives it.
type tagHook struct {
	order *[]string
	name  string
	sawIn bool
}

func (h *tagHook) BeforeQuery(ctx context.Context, ev *orm.QueryEvent) context.Context {
	*h.order = append(*h.order, "before "+h.name)
	return context.WithValue(ctx, ctxKey{}, h.name)
}

func (h *tagHook) AfterQuery(ctx context.Context, ev *orm.QueryEvent) {
	*h.order = append(*h.order, "after "+h.name)
	h.sawIn = ctx.Value(ctxKey{}) != nil
}

func TestQueryHookEvents(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)
		u := &kUser{Username: "hook", Age: 3}
		require.NoError(t, hdb.Insert(ctx, u))
		require.Equal(t, 1, rec.count())
		ev := rec.events[0]
		assert.Contains(t, ev.SQL, "INSERT INTO")
		assert.Contains(t, ev.Args, any("hook"), "the event carries the bound args")
		assert.NoError(t, ev.Err)
		assert.Positive(t, ev.Duration)
		assert.False(t, ev.Start.IsZero())
		assert.Equal(t, 1, rec.before)

		// An Exec reports rows affected.
		rec.reset()
		n, err := orm.Update[kUser](hdb).Set("age", 4).Where(query.C("id").Eq(u.ID)).Exec(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 1, n)
		require.Equal(t, 1, rec.count())
		assert.EqualValues(t, 1, rec.events[0].Rows)
		assert.Equal(t, []any{4, u.ID}, rec.events[0].Args)

		// A query reports Rows = -1 (unknown when the query returns).
		rec.reset()
		_, err = orm.Select[kUser](hdb).All(ctx)
		require.NoError(t, err)
		require.Equal(t, 1, rec.count())
		assert.EqualValues(t, -1, rec.events[0].Rows)
		assert.True(t, strings.HasPrefix(rec.events[0].SQL, "SELECT"))

		// A failing statement reports its error.
		rec.reset()
		_, err = hdb.ExecContext(ctx, "INSERT INTO no_such_table (x) VALUES (1)")
		require.Error(t, err)
		require.Equal(t, 1, rec.count())
		assert.Error(t, rec.events[0].Err)

		// The unhooked DB is unchanged: WithHooks returns a new DB.
		rec.reset()
		_, err = orm.Select[kUser](db).All(ctx)
		require.NoError(t, err)
		assert.Zero(t, rec.count())
	})
}

func TestQueryHookOrderAndContext(t *testing.T) {
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		var order []string
		a, b := &tagHook{order: &order, name: "a"}, &tagHook{order: &order, name: "b"}
		hdb := db.WithHooks(a).WithHooks(b)
		rows, err := hdb.QueryContext(t.Context(), "SELECT 1")
		require.NoError(t, err)
		rows.Close()
		assert.Equal(t, []string{"before a", "before b", "after b", "after a"}, order)
		assert.True(t, a.sawIn && b.sawIn, "AfterQuery gets the context BeforeQuery returned")

		// Hooks run inside transactions too.
		order = nil
		require.NoError(t, hdb.Tx(t.Context(), func(tx *orm.Tx) error {
			_, err := tx.ExecContext(t.Context(), "SELECT 1")
			return err
		}))
		assert.Equal(t, []string{"before a", "before b", "after b", "after a"}, order)
	})
}

func TestSlogHook(t *testing.T) {
	withTables(t, []any{&kUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		var buf bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		ldb := db.WithHooks(orm.SlogHook(logger, slog.LevelDebug))

		secret := "pa55word-value"
		require.NoError(t, ldb.Insert(ctx, &kUser{Username: secret}))
		out := buf.String()
		assert.Contains(t, out, "level=DEBUG")
		assert.Contains(t, out, `msg="kinglet query"`)
		assert.Contains(t, out, "sql=\"INSERT INTO")
		assert.Regexp(t, `args=\d+`, out)
		assert.Regexp(t, `duration=\S+`, out)
		assert.NotContains(t, out, secret, "argument values are never logged")

		// Exec: rows affected is logged.
		buf.Reset()
		_, err := orm.Update[kUser](ldb).Set("age", 9).AllRows().Exec(ctx)
		require.NoError(t, err)
		assert.Contains(t, buf.String(), "rows=1")
		assert.Contains(t, buf.String(), "args=1")

		// A query: rows unknown, not logged.
		buf.Reset()
		_, err = orm.Select[kUser](ldb).All(ctx)
		require.NoError(t, err)
		assert.NotContains(t, buf.String(), "rows=")

		// A failure is logged at ERROR with the error.
		buf.Reset()
		_, err = ldb.ExecContext(ctx, "SELECT * FROM no_such_table WHERE x = ?", secret)
		require.Error(t, err)
		out = buf.String()
		assert.Contains(t, out, "level=ERROR")
		assert.Contains(t, out, "error=")
		assert.NotContains(t, out, secret)

		// Below the handler's level nothing is written, but errors still are.
		buf.Reset()
		quiet := db.WithHooks(orm.SlogHook(slog.New(slog.NewTextHandler(&buf, nil)), slog.LevelDebug))
		_, err = orm.Select[kUser](quiet).All(ctx)
		require.NoError(t, err)
		assert.Empty(t, buf.String())
		_, err = quiet.ExecContext(ctx, "SELECT * FROM no_such_table")
		require.Error(t, err)
		assert.Contains(t, buf.String(), "level=ERROR")
	})
}

// hookedUser records its model hooks and fails the ones named in fail.
type hookedUser struct {
	ID      int64    `db:"id,pk"`
	Name    string   `db:"name"`
	Scanned bool     `db:"-"`
	Calls   []string `db:"-"`
	Fail    string   `db:"-"`
}

func (hookedUser) TableName() string { return "hooked_users" }

var errHook = errors.New("hook refused")

func (u *hookedUser) hook(name string) error {
	u.Calls = append(u.Calls, name)
	if u.Fail == name {
		return errHook
	}
	return nil
}

func (u *hookedUser) BeforeInsert(context.Context) error { return u.hook("BeforeInsert") }
func (u *hookedUser) AfterInsert(context.Context) error  { return u.hook("AfterInsert") }
func (u *hookedUser) BeforeUpdate(context.Context) error { return u.hook("BeforeUpdate") }
func (u *hookedUser) AfterUpdate(context.Context) error  { return u.hook("AfterUpdate") }
func (u *hookedUser) BeforeDelete(context.Context) error { return u.hook("BeforeDelete") }
func (u *hookedUser) AfterDelete(context.Context) error  { return u.hook("AfterDelete") }
func (u *hookedUser) AfterScan(context.Context) error {
	u.Scanned = true
	if u.Name == "bad-scan" {
		return errHook
	}
	return nil
}

func TestModelHooks(t *testing.T) {
	withTables(t, []any{&hookedUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		u := &hookedUser{Name: "a"}
		require.NoError(t, db.Insert(ctx, u))
		assert.Equal(t, []string{"BeforeInsert", "AfterInsert"}, u.Calls)
		u.Calls = nil
		u.Name = "b"
		require.NoError(t, db.Update(ctx, u))
		assert.Equal(t, []string{"BeforeUpdate", "AfterUpdate"}, u.Calls)

		got, err := orm.Get[hookedUser](ctx, db, u.ID)
		require.NoError(t, err)
		assert.True(t, got.Scanned, "AfterScan ran for Get")
		all, err := orm.Select[hookedUser](db).All(ctx)
		require.NoError(t, err)
		require.Len(t, all, 1)
		assert.True(t, all[0].Scanned, "AfterScan ran for All")
		for v, err := range orm.Select[hookedUser](db).Iter(ctx) {
			require.NoError(t, err)
			assert.True(t, v.Scanned, "AfterScan ran for Iter")
		}

		u.Calls = nil
		require.NoError(t, db.Delete(ctx, u))
		assert.Equal(t, []string{"BeforeDelete", "AfterDelete"}, u.Calls)
		assert.Equal(t, 0, countRows(t, tdb, "hooked_users"))

		// An InsertMany runs the hooks of every model.
		many := []*hookedUser{{Name: "m1"}, {Name: "m2"}}
		require.NoError(t, db.InsertMany(ctx, many))
		for _, m := range many {
			assert.Equal(t, []string{"BeforeInsert", "AfterInsert"}, m.Calls)
		}
		_, err = orm.Delete[hookedUser](db).AllRows().Exec(ctx)
		require.NoError(t, err)
	})
}

func TestModelBeforeHookAborts(t *testing.T) {
	withTables(t, []any{&hookedUser{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)

		err := hdb.Insert(ctx, &hookedUser{Name: "x", Fail: "BeforeInsert"})
		require.ErrorIs(t, err, errHook)
		assert.Equal(t, 0, countRows(t, tdb, "hooked_users"), "nothing written")
		assert.Zero(t, rec.count(), "no statement ran")

		err = hdb.InsertMany(ctx, []*hookedUser{{Name: "ok"}, {Name: "no", Fail: "BeforeInsert"}})
		require.ErrorIs(t, err, errHook)
		assert.Equal(t, 0, countRows(t, tdb, "hooked_users"), "no row of the batch written")

		err = hdb.Upsert(ctx, &hookedUser{ID: 5, Name: "x", Fail: "BeforeInsert"}, "id")
		require.ErrorIs(t, err, errHook)
		assert.Equal(t, 0, countRows(t, tdb, "hooked_users"))

		u := &hookedUser{Name: "keep"}
		require.NoError(t, db.Insert(ctx, u))
		rec.reset()
		u.Name, u.Fail = "changed", "BeforeUpdate"
		require.ErrorIs(t, hdb.Update(ctx, u), errHook)
		got, err := orm.Get[hookedUser](ctx, db, u.ID)
		require.NoError(t, err)
		assert.Equal(t, "keep", got.Name, "the update was not written")

		u.Fail = "BeforeDelete"
		require.ErrorIs(t, hdb.Delete(ctx, u), errHook)
		assert.Equal(t, 1, countRows(t, tdb, "hooked_users"), "the delete was not run")
		assert.Zero(t, rec.count(), "no statement ran for refused update and delete")

		// An After hook's error is returned after the write; inside a Tx
		// returning it rolls the write back.
		err = db.Insert(ctx, &hookedUser{Name: "after", Fail: "AfterInsert"})
		require.ErrorIs(t, err, errHook)
		assert.Equal(t, 2, countRows(t, tdb, "hooked_users"), "written before AfterInsert failed")
		err = db.Tx(ctx, func(tx *orm.Tx) error {
			return tx.Insert(ctx, &hookedUser{Name: "after-tx", Fail: "AfterInsert"})
		})
		require.ErrorIs(t, err, errHook)
		assert.Equal(t, 2, countRows(t, tdb, "hooked_users"), "rolled back with the Tx")

		// An AfterScan error fails the read.
		require.NoError(t, db.Insert(ctx, &hookedUser{Name: "bad-scan"}))
		_, err = orm.Select[hookedUser](db).All(ctx)
		require.ErrorIs(t, err, errHook)
	})
}

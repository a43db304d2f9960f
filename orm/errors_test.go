package orm_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

type badTag struct {
	ID  int64 `db:"id,pk"`
	Age int   `db:"age,size:abc"`
}

type badType struct {
	ID int64          `db:"id,pk"`
	M  map[string]int `db:"m"`
}

type noKey struct {
	Name string `db:"name"`
}

func (noKey) TableName() string { return "no_keys" }

func TestBadInputErrors(t *testing.T) {
	withTables(t, []any{&kUser{}, &kMembership{}, &noKey{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)

		// Bad tags: an error naming the struct, the field and the tag, at first use.
		err := hdb.Insert(ctx, &badTag{Age: 1})
		require.ErrorIs(t, err, fields.ErrBadTag)
		var fe *fields.Error
		require.True(t, errors.As(err, &fe))
		assert.Equal(t, "badTag", fe.Model)
		assert.Equal(t, "Age", fe.Field)
		assert.Contains(t, err.Error(), "size:abc")
		_, err = orm.Select[badTag](hdb).All(ctx)
		require.ErrorIs(t, err, fields.ErrBadTag)
		_, err = orm.Get[badTag](ctx, hdb, 1)
		require.ErrorIs(t, err, fields.ErrBadTag)
		err = hdb.InsertMany(ctx, []badTag{{}})
		require.ErrorIs(t, err, fields.ErrBadTag)
		_, err = orm.Update[badTag](hdb).Set("age", 1).AllRows().Exec(ctx)
		require.ErrorIs(t, err, fields.ErrBadTag)
		err = hdb.Insert(ctx, &badType{})
		require.ErrorIs(t, err, fields.ErrUnsupportedType)
		assert.Contains(t, err.Error(), "badType.M")

		// Models that are not a non-nil pointer to a struct.
		var nilUser *kUser
		for name, call := range map[string]func() error{
			"Insert nil":       func() error { return hdb.Insert(ctx, nilUser) },
			"Update nil":       func() error { return hdb.Update(ctx, nilUser) },
			"Delete nil":       func() error { return hdb.Delete(ctx, nilUser) },
			"Upsert nil":       func() error { return hdb.Upsert(ctx, nilUser, "username") },
			"Insert untyped":   func() error { return hdb.Insert(ctx, nil) },
			"Insert value":     func() error { return hdb.Insert(ctx, kUser{Username: "v"}) },
			"Update value":     func() error { return hdb.Update(ctx, kUser{ID: 1}) },
			"Delete value":     func() error { return hdb.Delete(ctx, kUser{ID: 1}) },
			"Insert int ptr":   func() error { return hdb.Insert(ctx, new(int)) },
			"InsertMany nil":   func() error { return hdb.InsertMany(ctx, []*kUser{nil}) },
			"InsertMany ints":  func() error { return hdb.InsertMany(ctx, []int{1}) },
			"GetOrCreate nil":  func() error { _, err := orm.GetOrCreate[kUser](ctx, hdb, nil, "username"); return err },
			"Upsert no target": func() error { return hdb.Upsert(ctx, &kUser{Username: "x"}) },
		} {
			err := call()
			require.ErrorIs(t, err, orm.ErrInvalidArgument, name)
		}
		err = hdb.Insert(ctx, nilUser)
		assert.Contains(t, err.Error(), "nil *orm_test.kUser")
		err = hdb.Insert(ctx, kUser{})
		assert.Contains(t, err.Error(), "needs a pointer to a model struct, got orm_test.kUser")

		// Wrong primary key values for Get: count and type.
		for name, pk := range map[string][]any{
			"none":        {},
			"two for one": {int64(1), int64(2)},
			"string":      {"1"},
			"nil":         {nil},
			"float":       {1.5},
		} {
			_, err := orm.Get[kUser](ctx, hdb, pk...)
			require.ErrorIs(t, err, orm.ErrInvalidArgument, name)
		}
		_, err = orm.Get[kMembership](ctx, hdb, int64(1))
		require.ErrorIs(t, err, orm.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "user_id, group_id")
		_, err = orm.Get[kMembership](ctx, hdb, 1, "x")
		require.ErrorIs(t, err, orm.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "group_id")
		// Any integer type fits an integer key.
		_, err = orm.Get[kUser](ctx, hdb, int32(1))
		require.ErrorIs(t, err, orm.ErrNotFound)
		_, err = orm.Get[kUser](ctx, hdb, uint8(1))
		require.ErrorIs(t, err, orm.ErrNotFound)
		rec.reset()

		// No primary key.
		require.ErrorIs(t, hdb.Update(ctx, &noKey{Name: "x"}), orm.ErrNoPrimaryKey)
		require.ErrorIs(t, hdb.Delete(ctx, &noKey{Name: "x"}), orm.ErrNoPrimaryKey)
		_, err = orm.Get[noKey](ctx, hdb, 1)
		require.ErrorIs(t, err, orm.ErrNoPrimaryKey)

		// Unknown columns.
		require.ErrorIs(t, hdb.Update(ctx, &kUser{ID: 1}, "nope"), orm.ErrUnknownColumn)
		_, err = orm.Select[kUser](hdb).Where(usersT.C("nope").Eq(1)).All(ctx)
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		_, err = orm.GetOrCreate(ctx, hdb, &kUser{}, "nope")
		require.ErrorIs(t, err, orm.ErrUnknownColumn)
		assert.Zero(t, rec.count(), "none of these reached the database: %v", rec.sqls())

		// Selecting a model that is not a struct.
		_, err = orm.Select[int](hdb).All(ctx)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "not a struct")

		// A nil connection.
		_, err = orm.Select[kUser](nil).All(ctx)
		require.Error(t, err)
		_, err = orm.Get[kUser](ctx, nil, 1)
		require.Error(t, err)

		// NULL into an int field (more in TestScanNullIntoNonNullable).
		require.NoError(t, db.Insert(ctx, &kUser{Username: "nulls"}))
		_, err = orm.Scalar[int](ctx, orm.Select[kUser](db), query.Raw("NULL"))
		require.Error(t, err)
	})
}

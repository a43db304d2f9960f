package orm_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

type kNative struct {
	ID    int64      `db:"id,pk"`
	N32   int32      `db:"n32"`
	N     int        `db:"n"`
	Small int        `db:"small,type:SMALLINT"`
	S     string     `db:"s,size:40"`
	PS    *string    `db:"ps"`
	B     bool       `db:"b"`
	PB    *bool      `db:"pb"`
	F     float64    `db:"f"`
	F4    float64    `db:"f4,type:REAL"`
	At    time.Time  `db:"at"`
	PAt   *time.Time `db:"pat"`
	Naive time.Time  `db:"naive,type:TIMESTAMP"`
	Raw   []byte     `db:"raw"`
	PI    *int64     `db:"pi"`
}

func (kNative) TableName() string { return "native" }

// kNativeJSON has a field the binary decoders leave to pgx's Scan.
type kNativeJSON struct {
	ID int64                 `db:"id,pk"`
	J  fields.JSON[[]string] `db:"j"`
	NS sql.NullString        `db:"ns"`
	M  map[string]int        `db:"m,json,null"`
}

func (kNativeJSON) TableName() string { return "native_json" }

type kNativeNull struct {
	ID int64  `db:"id,pk"`
	PS string `db:"ps"` // the column is nullable in native: NULL cannot go here
}

func (kNativeNull) TableName() string { return "native" }

func openPool(t *testing.T) (*orm.DB, *orm.DB) {
	t.Helper()
	tdb := testdb.Open(t, testdb.Postgres)
	pool, err := pgxpool.New(t.Context(), tdb.DSN)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	db, err := orm.OpenPool(t.Context(), pool)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, orm.New(tdb.DB, tdb.Dialect)
}

// TestOpenPool: a DB over a pgx pool reads models by decoding PostgreSQL's
// binary format into the fields, and reads what database/sql reads, NULLs,
// extreme values and times before 2000 included; types it does not decode
// go through pgx's Scan; writes, transactions and hooks work as on any DB.
func TestOpenPool(t *testing.T) {
	ctx := context.Background()
	db, plain := openPool(t)
	require.NoError(t, db.CreateTables(ctx, &kNative{}, &kNativeJSON{}))

	at := time.Date(1969, 7, 20, 20, 17, 40, 123456000, time.UTC)
	s, b, pi := "ps", false, int64(-9)
	rows := []kNative{
		{ID: 1, N32: -2147483648, N: 1 << 40, Small: -32768, S: "héllo 🐦", PS: &s, B: true, PB: &b, F: -1.5e300, F4: 0.25,
			At: at, PAt: &at, Naive: time.Date(2024, 2, 29, 23, 59, 58, 999999000, time.UTC), Raw: []byte{0, 1, 0xff}, PI: &pi},
		{ID: 2, S: "", At: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), Naive: time.Date(1999, 12, 31, 23, 59, 59, 1000, time.UTC), Raw: []byte{}},
	}
	require.NoError(t, db.InsertMany(ctx, rows))

	got, err := orm.Select[kNative](db).OrderBy(orm.ColOf[int64, kNative]("ID").Asc()).All(ctx)
	require.NoError(t, err)
	want, err := orm.Select[kNative](plain).OrderBy(orm.ColOf[int64, kNative]("ID").Asc()).All(ctx)
	require.NoError(t, err)
	assert.Equal(t, rows, got)
	assert.Equal(t, want, got, "the same as through database/sql")

	one, err := orm.Get[kNative](ctx, db, int64(1))
	require.NoError(t, err)
	assert.Equal(t, rows[0], one)
	_, err = orm.Get[kNative](ctx, db, int64(99))
	require.ErrorIs(t, err, orm.ErrNotFound)

	// NULL into a non-pointer field: an error naming column and field.
	_, err = orm.Select[kNativeNull](db).All(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"ps"`)
	assert.Contains(t, err.Error(), "kNativeNull.PS")

	// Fields the decoders leave to pgx's Scan.
	j := kNativeJSON{ID: 1, J: fields.JSON[[]string]{V: []string{"a"}}, NS: sql.NullString{String: "x", Valid: true}, M: map[string]int{"k": 1}}
	require.NoError(t, db.Insert(ctx, &j))
	gotJ, err := orm.Select[kNativeJSON](db).All(ctx)
	require.NoError(t, err)
	assert.Equal(t, []kNativeJSON{j}, gotJ)

	// In a transaction and with hooks, reads go through database/sql and
	// see the same rows.
	require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
		got, err := orm.Select[kNative](tx).OrderBy(orm.ColOf[int64, kNative]("ID").Asc()).All(ctx)
		require.NoError(t, err)
		assert.Equal(t, rows, got)
		return nil
	}))
	hdb, rec := hooked(db)
	got, err = orm.Select[kNative](hdb).OrderBy(orm.ColOf[int64, kNative]("ID").Asc()).All(ctx)
	require.NoError(t, err)
	assert.Equal(t, rows, got)
	assert.Equal(t, 1, rec.count(), "the hook saw the query")
}

func TestOpenPoolNil(t *testing.T) {
	_, err := orm.OpenPool(context.Background(), nil)
	require.ErrorIs(t, err, orm.ErrInvalidArgument)
}

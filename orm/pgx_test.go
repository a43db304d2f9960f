package orm_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
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
	db, plain, _ := openPoolOf(t)
	return db, plain
}

// openPoolOf opens an isolated PostgreSQL database both ways: a DB over a
// pgx pool (OpenPool) and a database/sql DB, and returns the pool too.
func openPoolOf(t *testing.T) (*orm.DB, *orm.DB, *pgxpool.Pool) {
	t.Helper()
	tdb := testdb.Open(t, testdb.Postgres)
	pool, err := pgxpool.New(t.Context(), tdb.DSN)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	db, err := orm.OpenPool(t.Context(), pool)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, orm.New(tdb.DB, tdb.Dialect), pool
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

// TestOpenPoolTypes: every field type kinglet binds and scans goes through
// a DB over a pgx pool as through database/sql — inserted, read, updated
// and inserted many at a time by one, read by the other, in both
// directions, with equal results.
func TestOpenPoolTypes(t *testing.T) {
	ctx := t.Context()
	db, plain := openPool(t)
	require.NoError(t, db.CreateTables(ctx, &kTypes{}, &kNative{}))

	zone := time.FixedZone("UTC-7", -7*3600)
	full := fullTypes()
	empty := kTypes{Dec: "0.00", Raw: []byte{}}

	// Written by each DB, read by both: the same values.
	for _, w := range []struct {
		name string
		db   *orm.DB
	}{{"pgx", db}, {"database/sql", plain}} {
		for _, in := range []kTypes{full, empty} {
			m := in
			require.NoError(t, w.db.Insert(ctx, &m), w.name)
			require.NotZero(t, m.ID, "%s: the key came back", w.name)
			viaPgx, err := orm.Get[kTypes](ctx, db, m.ID)
			require.NoError(t, err)
			viaSQL, err := orm.Get[kTypes](ctx, plain, m.ID)
			require.NoError(t, err)
			assert.Equal(t, viaSQL, viaPgx, "written by %s", w.name)
			m.ID = 0
			viaSQL.ID = 0
			assert.Equal(t, m, viaSQL, "written by %s", w.name)
		}
	}

	// Update through pgx: every column, then some, with a time in another
	// zone; database/sql reads what pgx wrote.
	m := full
	require.NoError(t, db.Insert(ctx, &m))
	local := time.Date(2001, 2, 3, 4, 5, 6, 7000, zone)
	m.S, m.PS, m.At, m.PAt, m.NT, m.J.V.Theme, m.Raw, m.St = "updated", nil, local, &local, sql.NullTime{}, "light", []byte("b"), "closed"
	require.NoError(t, db.Update(ctx, &m))
	got, err := orm.Get[kTypes](ctx, plain, m.ID)
	require.NoError(t, err)
	gotPgx, err := orm.Get[kTypes](ctx, db, m.ID)
	require.NoError(t, err)
	assert.Equal(t, got, gotPgx)
	assert.Equal(t, "updated", got.S)
	assert.Nil(t, got.PS)
	assert.True(t, got.At.Equal(local))
	assert.Equal(t, time.UTC, got.At.Location())
	assert.Equal(t, time.UTC, gotPgx.PAt.Location())
	assert.False(t, got.NT.Valid)
	assert.Equal(t, "light", got.J.V.Theme)
	m.I, m.S = 7, "not written"
	require.NoError(t, db.Update(ctx, &m, "I"))
	got, err = orm.Get[kTypes](ctx, plain, m.ID)
	require.NoError(t, err)
	assert.Equal(t, 7, got.I)
	assert.Equal(t, "updated", got.S)

	// InsertMany through pgx, one statement and several (in pgx's own
	// transaction), read back by database/sql.
	for _, maxParams := range []int{0, 100} {
		restore := orm.SetMaxParams(maxParams)
		batch := []kTypes{full, empty, full}
		err := db.InsertMany(ctx, batch)
		restore()
		require.NoError(t, err)
		for _, in := range batch {
			require.NotZero(t, in.ID)
			got, err := orm.Get[kTypes](ctx, plain, in.ID)
			require.NoError(t, err)
			assert.Equal(t, in, got)
		}
	}

	// Every row, read with Select by both.
	all, err := orm.Select[kTypes](db).OrderBy(query.C("id")).All(ctx)
	require.NoError(t, err)
	allSQL, err := orm.Select[kTypes](plain).OrderBy(query.C("id")).All(ctx)
	require.NoError(t, err)
	assert.Equal(t, allSQL, all)

	// The binary decoders' types, with a naive TIMESTAMP written from
	// another zone: both write the same instant's UTC wall clock.
	nat := kNative{S: "s", At: local, Naive: local, Raw: []byte("r")}
	require.NoError(t, db.Insert(ctx, &nat))
	natSQL := kNative{ID: nat.ID + 1000, S: "s", At: local, Naive: local, Raw: []byte("r")}
	require.NoError(t, plain.Insert(ctx, &natSQL))
	a, err := orm.Get[kNative](ctx, plain, nat.ID)
	require.NoError(t, err)
	bb, err := orm.Get[kNative](ctx, db, natSQL.ID)
	require.NoError(t, err)
	assert.True(t, a.Naive.Equal(local), "naive %v, want %v", a.Naive, local)
	assert.Equal(t, a.Naive, bb.Naive)
	assert.Equal(t, a.At, bb.At)
}

// kPgTag has a unique column for the error and upsert tests.
type kPgTag struct {
	ID      int64      `db:"id,pk"`
	Name    string     `db:"name,unique,size:40"`
	Note    *string    `db:"note"`
	Created time.Time  `db:"created,default:now"`
	Seen    *time.Time `db:"seen,default:now"`
}

func (kPgTag) TableName() string { return "pg_tags" }

type kPgTagName struct {
	Name string `db:"name"`
	N    int64  `db:"n"`
}

// TestOpenPoolNative: on a DB from OpenPool every ORM statement runs on the
// pool itself: all of them still work with the DB's database/sql handle
// closed, while QueryContext (database/sql's *sql.Rows) does not.
func TestOpenPoolNative(t *testing.T) {
	ctx := t.Context()
	setup, _, pool := openPoolOf(t)
	require.NoError(t, setup.CreateTables(ctx, &kPgTag{}))
	db, err := orm.OpenPool(ctx, pool)
	require.NoError(t, err)
	require.NoError(t, db.Close()) // database/sql only: the pool stays open

	tag := &kPgTag{Name: "a"}
	require.NoError(t, db.Insert(ctx, tag))
	assert.NotZero(t, tag.ID)
	assert.False(t, tag.Created.IsZero(), "the default came back through RETURNING")
	assert.Equal(t, time.UTC, tag.Created.Location())
	require.NotNil(t, tag.Seen)
	assert.Equal(t, time.UTC, tag.Seen.Location())

	restore := orm.SetMaxParams(4) // two columns a row: two rows a statement
	many := []*kPgTag{{Name: "b"}, {Name: "c"}, {Name: "d"}, {Name: "e"}, {Name: "f"}}
	err = db.InsertMany(ctx, many)
	restore()
	require.NoError(t, err)
	for _, m := range many {
		assert.NotZero(t, m.ID)
		assert.False(t, m.Created.IsZero())
	}
	require.NoError(t, db.InsertMany(ctx, []kPgTag{{Name: "g"}, {Name: "h"}}))

	note := "n"
	tag.Note = &note
	require.NoError(t, db.Update(ctx, tag))
	got, err := orm.Get[kPgTag](ctx, db, tag.ID)
	require.NoError(t, err)
	assert.Equal(t, *tag, got)

	up := &kPgTag{Name: "a", Note: ptr("upserted")}
	require.NoError(t, db.Upsert(ctx, up, "name"))
	assert.Equal(t, tag.ID, up.ID, "the existing row's key")
	up2 := &kPgTag{Name: "z"}
	require.NoError(t, db.Upsert(ctx, up2, "name"))
	assert.NotZero(t, up2.ID)

	name := orm.ColOf[string, kPgTag]("Name")
	n, err := orm.Select[kPgTag](db).Count(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 9, n)
	ok, err := orm.Select[kPgTag](db).Where(name.Eq("c")).Exists(ctx)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = orm.Select[kPgTag](db).Where(name.Eq("nope")).Exists(ctx)
	require.NoError(t, err)
	assert.False(t, ok)
	one, err := orm.Select[kPgTag](db).Where(name.Eq("a")).One(ctx)
	require.NoError(t, err)
	assert.Equal(t, "upserted", *one.Note)
	first, err := orm.Select[kPgTag](db).First(ctx)
	require.NoError(t, err)
	assert.Equal(t, tag.ID, first.ID)
	var names []string
	for v, err := range orm.Select[kPgTag](db).OrderBy(name.Asc()).Iter(ctx) {
		require.NoError(t, err)
		names = append(names, v.Name)
	}
	assert.Equal(t, []string{"a", "b", "c", "d", "e", "f", "g", "h", "z"}, names)
	narrow, err := orm.Select[kPgTag](db).Columns(query.C("name")).Where(name.Eq("b")).All(ctx)
	require.NoError(t, err)
	assert.Equal(t, []kPgTag{{Name: "b"}}, narrow)
	stats, err := orm.Into[kPgTagName](ctx, orm.Select[kPgTag](db).
		Columns(query.C("name"), query.CountAll().As("n")).Where(name.In("a", "b")).GroupBy(query.C("name")).OrderBy(query.C("name")))
	require.NoError(t, err)
	assert.Equal(t, []kPgTagName{{"a", 1}, {"b", 1}}, stats)

	cnt, err := orm.Update[kPgTag](db).Set("note", "bulk").Where(name.In("b", "c")).Exec(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, cnt)
	res, err := db.ExecContext(ctx, "UPDATE pg_tags SET note = $1 WHERE name = $2", "exec", "d")
	require.NoError(t, err)
	aff, err := res.RowsAffected()
	require.NoError(t, err)
	assert.EqualValues(t, 1, aff)
	_, err = res.LastInsertId()
	assert.Error(t, err, "as pgx's database/sql driver: no LastInsertId")
	res, err = db.Exec(ctx, query.Delete(query.Table("pg_tags")).Where(query.C("name").Eq("h")))
	require.NoError(t, err)
	aff, _ = res.RowsAffected()
	assert.EqualValues(t, 1, aff)
	cnt, err = orm.Delete[kPgTag](db).Where(name.Eq("g")).Exec(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, cnt)
	require.NoError(t, db.Delete(ctx, up2))

	_, err = db.QueryContext(ctx, "SELECT 1")
	assert.ErrorContains(t, err, "database is closed", "QueryContext is database/sql's")
}

// TestOpenPoolErrors: a DB from OpenPool fails as a database/sql DB does,
// with the same messages and the same sentinels.
func TestOpenPoolErrors(t *testing.T) {
	ctx := t.Context()
	db, plain := openPool(t)
	require.NoError(t, db.CreateTables(ctx, &kPgTag{}))
	require.NoError(t, db.Insert(ctx, &kPgTag{Name: "taken"}))
	name := orm.ColOf[string, kPgTag]("Name")

	both := func(what string, op func(db *orm.DB) error) error {
		t.Helper()
		errPgx, errSQL := op(db), op(plain)
		require.Error(t, errPgx, what)
		require.Error(t, errSQL, what)
		assert.Equal(t, errSQL.Error(), errPgx.Error(), what)
		return errPgx
	}

	err := both("duplicate insert", func(db *orm.DB) error { return db.Insert(ctx, &kPgTag{Name: "taken"}) })
	assert.True(t, orm.IsUniqueViolation(err))
	assert.ErrorIs(t, err, orm.ErrUniqueViolation, "the native path classifies too")
	var pgErr *pgconn.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "23505", pgErr.Code)

	err = both("duplicate in a batch", func(db *orm.DB) error {
		return db.InsertMany(ctx, []kPgTag{{Name: "new"}, {Name: "taken"}})
	})
	assert.True(t, orm.IsUniqueViolation(err))
	restore := orm.SetMaxParams(2)
	err = both("duplicate in a later statement", func(db *orm.DB) error {
		return db.InsertMany(ctx, []kPgTag{{Name: "n1"}, {Name: "n2"}, {Name: "taken"}})
	})
	restore()
	assert.True(t, orm.IsUniqueViolation(err))
	assert.ErrorIs(t, err, orm.ErrUniqueViolation, "in pgx's own transaction")
	n, err := orm.Select[kPgTag](db).Count(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 1, n, "nothing of the failed InsertMany stayed")

	err = both("update of a missing row", func(db *orm.DB) error { return db.Update(ctx, &kPgTag{ID: 999, Name: "x"}) })
	assert.ErrorIs(t, err, orm.ErrNotFound)
	err = both("delete of a missing row", func(db *orm.DB) error { return db.Delete(ctx, &kPgTag{ID: 999}) })
	assert.ErrorIs(t, err, orm.ErrNotFound)
	err = both("get of a missing row", func(db *orm.DB) error { _, err := orm.Get[kPgTag](ctx, db, int64(999)); return err })
	assert.ErrorIs(t, err, orm.ErrNotFound)
	assert.ErrorIs(t, err, sql.ErrNoRows)
	err = both("one of none", func(db *orm.DB) error {
		_, err := orm.Select[kPgTag](db).Where(name.Eq("none")).One(ctx)
		return err
	})
	assert.ErrorIs(t, err, orm.ErrNotFound)
	require.NoError(t, db.Insert(ctx, &kPgTag{Name: "other"}))
	err = both("one of two", func(db *orm.DB) error { _, err := orm.Select[kPgTag](db).One(ctx); return err })
	assert.ErrorIs(t, err, orm.ErrTooMany)
	both("first of none", func(db *orm.DB) error {
		_, err := orm.Select[kPgTag](db).Where(name.Eq("none")).First(ctx)
		return err
	})
	both("a bad statement", func(db *orm.DB) error { _, err := db.ExecContext(ctx, "UPDATE nowhere SET x = 1"); return err })
	both("a column the model lacks", func(db *orm.DB) error {
		_, err := orm.Select[kPgTag](db).Columns(query.Raw("1 AS nothing")).All(ctx)
		return err
	})
	both("a count on a broken query", func(db *orm.DB) error {
		_, err := orm.Select[kPgTag](db).Where(query.Raw("nope = 1")).Count(ctx)
		return err
	})
	both("an iteration on a broken query", func(db *orm.DB) error {
		for _, err := range orm.Select[kPgTag](db).Where(query.Raw("nope = 1")).Iter(ctx) {
			return err
		}
		return nil
	})
	// The decoders' own error after the same description of the problem.
	for _, db := range []*orm.DB{db, plain} {
		_, err := orm.Select[kPgTag](db).Columns(query.Raw("NULL::text").As("name")).All(ctx)
		assert.ErrorContains(t, err, `kinglet: orm: scan column "name" into kPgTag.Name (the column is NULL: make the field a pointer, sql.Null[T], or tag it null): `)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err = db.Insert(cctx, &kPgTag{Name: "cancelled"})
	assert.ErrorIs(t, err, context.Canceled)
}

// TestOpenPoolStrings: strings decoded into shared blocks of memory read
// the same as through database/sql, for short, empty, NULL and long values
// and more rows than any block was sized for, and stay intact after later
// reads.
func TestOpenPoolStrings(t *testing.T) {
	ctx := t.Context()
	db, plain := openPool(t)
	require.NoError(t, db.CreateTables(ctx, &kPgTag{}))
	var rows []kPgTag
	for i := range 300 {
		r := kPgTag{Name: fmt.Sprintf("n%03d%s", i, strings.Repeat("é", i%7))}
		switch i % 4 {
		case 1:
			r.Note = ptr("")
		case 2:
			r.Note = ptr(strings.Repeat(fmt.Sprint(i%10), 500+i*20)) // up to 6.5 KB
		case 3:
			r.Note = ptr(fmt.Sprintf("note %d", i))
		}
		rows = append(rows, r)
	}
	require.NoError(t, db.InsertMany(ctx, rows))
	id := orm.ColOf[int64, kPgTag]("ID")
	want, err := orm.Select[kPgTag](plain).OrderBy(id.Asc()).All(ctx)
	require.NoError(t, err)
	got, err := orm.Select[kPgTag](db).OrderBy(id.Asc()).All(ctx)
	require.NoError(t, err)
	page, err := orm.Select[kPgTag](db).OrderBy(id.Asc()).Limit(50).All(ctx)
	require.NoError(t, err)
	var iterated []kPgTag
	for v, err := range orm.Select[kPgTag](db).OrderBy(id.Asc()).Iter(ctx) {
		require.NoError(t, err)
		iterated = append(iterated, v)
	}
	var one []kPgTag
	for _, r := range want[:20] {
		v, err := orm.Get[kPgTag](ctx, db, r.ID)
		require.NoError(t, err)
		one = append(one, v)
	}
	require.Len(t, want, len(rows))
	assert.Equal(t, want, got)
	assert.Equal(t, want[:50], page)
	assert.Equal(t, want, iterated)
	assert.Equal(t, want[:20], one)
	for i := range rows {
		rows[i].ID, rows[i].Created, rows[i].Seen = want[i].ID, want[i].Created, want[i].Seen
	}
	assert.Equal(t, rows, got)
}

type kPgStamp struct {
	Created time.Time `db:"created"`
	Label   string    `db:"label"`
}

type kPgAudit struct {
	By    *string `db:"by_user"`
	Count int32   `db:"count"`
}

// kPgEmbedded has a field behind an embedded pointer struct (no fixed
// offset) and fields of an embedded struct value.
type kPgEmbedded struct {
	ID int64 `db:"id,pk"`
	kPgStamp
	*kPgAudit
	Name string `db:"name"`
}

func (kPgEmbedded) TableName() string { return "pg_embedded" }

// TestOpenPoolEmbedded: fields of embedded structs, by value and behind a
// pointer, read through pgx as through database/sql.
func TestOpenPoolEmbedded(t *testing.T) {
	ctx := t.Context()
	db, plain := openPool(t)
	require.NoError(t, db.CreateTables(ctx, &kPgEmbedded{}))
	at := time.Date(2020, 1, 2, 3, 4, 5, 6000, time.UTC)
	in := []kPgEmbedded{
		{kPgStamp: kPgStamp{Created: at, Label: "l"}, kPgAudit: &kPgAudit{By: ptr("me"), Count: -3}, Name: "a"},
		{kPgStamp: kPgStamp{Created: at, Label: ""}, kPgAudit: &kPgAudit{}, Name: "b"},
	}
	require.NoError(t, db.InsertMany(ctx, in))
	want, err := orm.Select[kPgEmbedded](plain).OrderBy(query.C("id")).All(ctx)
	require.NoError(t, err)
	got, err := orm.Select[kPgEmbedded](db).OrderBy(query.C("id")).All(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Equal(t, in, got)
	one, err := orm.Get[kPgEmbedded](ctx, db, in[0].ID)
	require.NoError(t, err)
	assert.Equal(t, in[0], one)
}

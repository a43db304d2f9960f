package orm_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

type kWide struct {
	ID   int64   `db:"id,pk"`
	Name string  `db:"name,unique,size:64"`
	A    int     `db:"a"`
	B    string  `db:"b"`
	C    bool    `db:"c"`
	D    float64 `db:"d"`
	Note *string `db:"note,default:none"`
}

func (kWide) TableName() string { return "wide" }

func wideRows(n int, prefix string) []kWide {
	out := make([]kWide, n)
	for i := range out {
		out[i] = kWide{Name: fmt.Sprintf("%s%03d", prefix, i), A: i, B: fmt.Sprint("b", i), C: i%2 == 0, D: float64(i) / 2}
	}
	return out
}

// checkWide asserts that every model has a distinct key and that the row
// with that key holds the model's values.
func checkWide(t *testing.T, ctx context.Context, db *orm.DB, rows []kWide) {
	t.Helper()
	seen := map[int64]bool{}
	for i, r := range rows {
		require.Positive(t, r.ID, "row %d has no id", i)
		require.False(t, seen[r.ID], "row %d: id %d given twice", i, r.ID)
		seen[r.ID] = true
		got, err := orm.Get[kWide](ctx, db, r.ID)
		require.NoError(t, err)
		assert.Equal(t, r.Name, got.Name, "row %d: the id belongs to another row", i)
		assert.Equal(t, r.A, got.A)
		require.NotNil(t, r.Note, "row %d: default not filled", i)
		assert.Equal(t, *got.Note, *r.Note)
	}
}

func TestInsertManyBatches(t *testing.T) {
	withTables(t, []any{&kWide{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		// 5 bound columns per row, 10 parameters per statement: 2 rows a
		// batch, so 6 rows take 3 INSERTs.
		defer orm.SetMaxParams(10)()
		hdb, rec := hooked(db)
		rows := wideRows(6, "w")
		require.NoError(t, hdb.InsertMany(ctx, rows))
		assert.Equal(t, 3, rec.countPrefix("INSERT"), "%v", rec.sqls())
		for _, s := range rec.sqls() {
			if len(s) > 6 && s[:6] == "INSERT" {
				assert.Contains(t, s, "), (", "a multi-row INSERT: %s", s)
			}
		}
		checkWide(t, ctx, db, rows)
		for i := 1; i < len(rows); i++ {
			assert.Greater(t, rows[i].ID, rows[i-1].ID, "ids follow the slice order")
		}
		assert.Equal(t, "none", *rows[0].Note)

		// 7 rows: 3 full batches and one of a single row.
		rec.reset()
		ptrs := make([]*kWide, 7)
		for i, r := range wideRows(7, "p") {
			ptrs[i] = &r
		}
		require.NoError(t, hdb.InsertMany(ctx, ptrs))
		assert.Equal(t, 4, rec.countPrefix("INSERT"))
		vals := make([]kWide, len(ptrs))
		for i, p := range ptrs {
			vals[i] = *p
		}
		checkWide(t, ctx, db, vals)
		assert.Equal(t, 13, countRows(t, tdb, "wide"))
	})
}

func TestInsertManyDefaultLimit(t *testing.T) {
	withTables(t, []any{&kWide{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)
		per := db.Dialect().MaxParams() / 5
		rows := wideRows(per+10, "x")
		require.NoError(t, hdb.InsertMany(ctx, rows))
		assert.Equal(t, 2, rec.countPrefix("INSERT"), "%d rows a batch under %d parameters", per, db.Dialect().MaxParams())
		assert.Equal(t, len(rows), countRows(t, tdb, "wide"))
		for _, i := range []int{0, per - 1, per, len(rows) - 1} {
			got, err := orm.Get[kWide](ctx, db, rows[i].ID)
			require.NoError(t, err)
			assert.Equal(t, rows[i].Name, got.Name, "row %d", i)
		}
	})
}

func TestInsertManyMixed(t *testing.T) {
	withTables(t, []any{&kWide{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)
		rows := wideRows(6, "m")
		rows[2].ID = 500          // an explicit key: its own statement
		rows[4].Note = ptr("set") // a set default column: its own statement
		require.NoError(t, hdb.InsertMany(ctx, rows))
		assert.Equal(t, 5, rec.countPrefix("INSERT"), "runs of equal columns: [0 1] [2] [3] [4] [5]: %v", rec.sqls())
		assert.EqualValues(t, 500, rows[2].ID)
		assert.Equal(t, "set", *rows[4].Note)
		checkWide(t, ctx, db, rows)
	})
}

func TestInsertManyAllOrNothing(t *testing.T) {
	withTables(t, []any{&kWide{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		defer orm.SetMaxParams(10)()
		rows := wideRows(6, "d")
		rows[5].Name = rows[0].Name // a unique violation in the third batch
		err := db.InsertMany(ctx, rows)
		require.Error(t, err)
		assert.True(t, orm.IsUniqueViolation(err), "%v", err)
		assert.Equal(t, 0, countRows(t, tdb, "wide"), "the earlier batches were rolled back")

		// Inside a Tx the caller decides: the Tx rolls back as a whole.
		err = db.Tx(ctx, func(tx *orm.Tx) error {
			return tx.InsertMany(ctx, rows)
		})
		require.Error(t, err)
		assert.Equal(t, 0, countRows(t, tdb, "wide"))

		// And commits as a whole.
		good := wideRows(5, "g")
		require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error { return tx.InsertMany(ctx, good) }))
		checkWide(t, ctx, db, good)
	})
}

func TestInsertManyBadInput(t *testing.T) {
	withTables(t, []any{&kWide{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)
		require.NoError(t, hdb.InsertMany(ctx, []kWide{}), "an empty slice is nothing to do")
		require.NoError(t, hdb.InsertMany(ctx, []*kWide(nil)))

		err := hdb.InsertMany(ctx, kWide{Name: "x"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "[]T or []*T")
		require.Error(t, hdb.InsertMany(ctx, nil))
		require.Error(t, hdb.InsertMany(ctx, []int{1, 2}))
		err = hdb.InsertMany(ctx, []*kWide{{Name: "a"}, nil})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "element 1")
		assert.Zero(t, rec.count(), "no statement ran")
	})
}

type kAllDefaults struct {
	ID   int64   `db:"id,pk"`
	Note *string `db:"note,default:dflt"`
}

func (kAllDefaults) TableName() string { return "all_defaults" }

// TestInsertManyOnlyDefaults: rows with nothing to write take one
// DEFAULT VALUES insert each.
func TestInsertManyOnlyDefaults(t *testing.T) {
	withTables(t, []any{&kAllDefaults{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)
		rows := make([]kAllDefaults, 3)
		require.NoError(t, hdb.InsertMany(ctx, rows))
		assert.Equal(t, 3, rec.countPrefix("INSERT"))
		for i, r := range rows {
			assert.Positive(t, r.ID, "row %d", i)
			require.NotNil(t, r.Note)
			assert.Equal(t, "dflt", *r.Note)
		}
		n, err := orm.Select[kAllDefaults](db).Where(query.C("note").Eq("dflt")).Count(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 3, n)
	})
}

// TestInsertManyArgsKept: a query hook may keep the arguments it is shown, so
// with hooks InsertMany never reuses an argument slice; without hooks it
// does, and consecutive and concurrent batches still write their own rows.
func TestInsertManyArgsKept(t *testing.T) {
	withTables(t, []any{&kWide{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		hdb, rec := hooked(db)
		first := wideRows(3, "first")
		require.NoError(t, hdb.InsertMany(ctx, first))
		require.NoError(t, hdb.InsertMany(ctx, wideRows(3, "second")))
		rec.mu.Lock()
		kept := rec.events[0].Args
		rec.mu.Unlock()
		require.NotEmpty(t, kept)
		assert.Equal(t, "first000", kept[0], "a hook's arguments are not overwritten by the next batch")

		var wg sync.WaitGroup
		batches := make([][]kWide, 4)
		for i := range batches {
			batches[i] = wideRows(5, fmt.Sprintf("p%d_", i))
			wg.Go(func() { assert.NoError(t, db.InsertMany(ctx, batches[i])) })
		}
		wg.Wait()
		for _, b := range batches {
			checkWide(t, ctx, db, b)
		}
	})
}

package orm_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

type kRef struct {
	ID    int64     `db:"id,pk"`
	Name  string    `db:"name,size:40"`
	Note  *string   `db:"note,size:40"`
	Big   int64     `db:"big"`
	N     int       `db:"n"`
	Score float64   `db:"score"`
	At    time.Time `db:"at"`
	PAt   *time.Time
}

func (kRef) TableName() string { return "ref_items" }

// TestHooksSeeCopies: statements take arguments that refer to the model's
// fields, except where a query hook sees them: an event a hook keeps must
// not change when the caller reuses the model afterwards.
func TestHooksSeeCopies(t *testing.T) {
	withTables(t, []any{&kRef{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		rec := &recorder{}
		hdb := db.WithHooks(rec)
		note := "note"
		at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
		m := kRef{Name: "first", Note: &note, Big: 1 << 40, N: 1000, Score: 2.5, At: at, PAt: &at}
		require.NoError(t, hdb.Insert(ctx, &m))
		require.NotEmpty(t, rec.events)
		args := rec.events[len(rec.events)-1].Args
		require.Contains(t, args, any("first"))

		// The caller changes the model in place, as a loop reusing it does.
		m.Name, note, m.Big, m.At = "second", "changed", 7, at.Add(time.Hour)
		assert.Contains(t, args, any("first"), "the hook's arguments changed with the model")
		assert.Contains(t, args, any("note"))
		assert.Contains(t, args, any(int64(1<<40)))
		assert.Contains(t, args, any(at))
	})
}

// TestWritesWithReferences: Insert, InsertMany, Update, Upsert and Delete
// bind every kind of field that is passed by reference (string, *string,
// int64, int, float64, time.Time, *time.Time; set and nil), and the rows read
// back as written, on every engine.
func TestWritesWithReferences(t *testing.T) {
	withTables(t, []any{&kRef{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		note := "a note"
		at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
		later := at.Add(48 * time.Hour)
		one := kRef{Name: "one", Note: &note, Big: -1 << 50, N: 123456, Score: -0.125, At: at, PAt: &later}
		require.NoError(t, db.Insert(ctx, &one))
		got, err := orm.Get[kRef](ctx, db, one.ID)
		require.NoError(t, err)
		assert.Equal(t, one, got)

		many := []kRef{{Name: "two", Big: 2, N: 2, At: at}, {Name: "three", Note: &note, Big: 1 << 62, N: -3, Score: 3e10, At: later, PAt: &at}}
		require.NoError(t, db.InsertMany(ctx, many))
		for _, m := range many {
			got, err := orm.Get[kRef](ctx, db, m.ID)
			require.NoError(t, err)
			assert.Equal(t, m, got)
		}

		one.Name, one.Note, one.Big, one.PAt = "one, updated", nil, 5, nil
		require.NoError(t, db.Update(ctx, &one))
		got, err = orm.Get[kRef](ctx, db, one.ID)
		require.NoError(t, err)
		assert.Equal(t, one, got)

		up := kRef{ID: one.ID, Name: "one, upserted", Big: 6, N: 6, At: later}
		require.NoError(t, db.Upsert(ctx, &up, "id"))
		got, err = orm.Get[kRef](ctx, db, one.ID)
		require.NoError(t, err)
		assert.Equal(t, up, got)

		require.NoError(t, db.Delete(ctx, &up))
		_, err = orm.Get[kRef](ctx, db, one.ID)
		assert.ErrorIs(t, err, orm.ErrNotFound)
	})
}

type kLoose struct {
	ID int64 `db:"id,pk"`
	N  int   `db:"n"`
	B  bool  `db:"b"`
}

func (kLoose) TableName() string { return "loose_items" }

// TestGetConvertsAsScan: a value Get cannot store as it comes (SQLite keeps
// the text '42' in a TEXT column read into an int, and 'true' for a bool)
// goes through database/sql's conversion, as Scan into the field does; a
// value no conversion takes is an error naming the column.
func TestGetConvertsAsScan(t *testing.T) {
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		if tdb.Engine != testdb.SQLite {
			t.Skip("the other engines convert the value to the column's type on insert")
		}
		ctx := t.Context()
		_, err := tdb.DB.ExecContext(ctx, "CREATE TABLE loose_items (id INTEGER PRIMARY KEY, n TEXT, b TEXT)")
		require.NoError(t, err)
		t.Cleanup(func() { tdb.DB.ExecContext(context.Background(), "DROP TABLE loose_items") })
		_, err = tdb.DB.ExecContext(ctx, "INSERT INTO loose_items VALUES (1, '42', 'true'), (2, 'x', '1'), (3, NULL, '0')")
		require.NoError(t, err)

		got, err := orm.Get[kLoose](ctx, db, int64(1))
		require.NoError(t, err)
		assert.Equal(t, kLoose{ID: 1, N: 42, B: true}, got)

		_, err = orm.Get[kLoose](ctx, db, int64(2))
		require.Error(t, err)
		assert.Contains(t, err.Error(), `"n"`)
		assert.Contains(t, err.Error(), "kLoose.N")

		_, err = orm.Get[kLoose](ctx, db, int64(3))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "NULL")
		assert.Contains(t, err.Error(), "kLoose.N")
	})
}

// argsTracer is a pgx tracer that keeps every statement's arguments, as a
// tracer exporting them later might.
type argsTracer struct {
	mu   sync.Mutex
	args [][]any
}

func (a *argsTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	a.mu.Lock()
	a.args = append(a.args, data.Args)
	a.mu.Unlock()
	return ctx
}

func (a *argsTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TestPoolTracersSeeCopies: a DB from OpenPool, and a Tx of it (which runs
// through database/sql on the same pool), hand pgx copies of the values, so
// that a tracer keeping the arguments does not see the model change after.
func TestPoolTracersSeeCopies(t *testing.T) {
	tdb := testdb.Open(t, testdb.Postgres)
	cfg, err := pgxpool.ParseConfig(tdb.DSN)
	require.NoError(t, err)
	tr := &argsTracer{}
	cfg.ConnConfig.Tracer = tr
	pool, err := pgxpool.NewWithConfig(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	ctx := t.Context()
	db, err := orm.OpenPool(ctx, pool)
	require.NoError(t, err)
	require.NoError(t, db.CreateTables(ctx, &kRef{}))

	at := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, inTx := range []bool{false, true} {
		m := kRef{Name: fmt.Sprintf("kept %v", inTx), Big: 1 << 40, At: at}
		if inTx {
			require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error { return tx.Insert(ctx, &m) }))
		} else {
			require.NoError(t, db.Insert(ctx, &m))
		}
		var kept []any
		tr.mu.Lock()
		for _, args := range tr.args {
			for _, a := range args {
				if a == any(m.Name) {
					kept = args
				}
			}
		}
		tr.mu.Unlock()
		require.NotNil(t, kept, "the tracer saw no insert of %q", m.Name)
		want := m.Name
		m.Name, m.Big, m.At = "changed", 7, at.Add(time.Hour)
		assert.Contains(t, kept, any(want), "in a Tx: %v", inTx)
		assert.Contains(t, kept, any(int64(1<<40)), "in a Tx: %v", inTx)
	}
}

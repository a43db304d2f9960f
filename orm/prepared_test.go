package orm_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

type kPrep struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"name,size:40"`
	N    int    `db:"n"`
}

func (kPrep) TableName() string { return "prep_items" }

// TestKeptStatements: where the dialect keeps statements prepared (MySQL,
// SQLite), the ORM's fixed statements are prepared once per DB, a Select[T]
// from its second run, and both survive a change of the table's columns
// and the table dropped and made again; PostgreSQL keeps none. A Tx keeps
// its own, on its connection.
func TestKeptStatements(t *testing.T) {
	withTables(t, []any{&kPrep{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		_, keeps := orm.KeptStatements(db)
		assert.Equal(t, db.Dialect().Has(dialect.KeepPrepared), keeps)

		for i := range 3 {
			m := kPrep{Name: "a", N: i}
			require.NoError(t, db.Insert(ctx, &m))
			m.N += 10
			require.NoError(t, db.Update(ctx, &m))
			got, err := orm.Get[kPrep](ctx, db, m.ID)
			require.NoError(t, err)
			assert.Equal(t, m, got)
		}
		n, _ := orm.KeptStatements(db)
		if keeps {
			assert.Equal(t, 3, n, "insert, update and get, each once")
		} else {
			assert.Zero(t, n)
		}

		list := func() []kPrep {
			rows, err := orm.Select[kPrep](db).Where(orm.ColOf[int, kPrep]("N").Ge(10)).All(ctx)
			require.NoError(t, err)
			return rows
		}
		assert.Len(t, list(), 3)
		n1, _ := orm.KeptStatements(db)
		assert.Equal(t, n, n1, "a Select run once is not kept")
		assert.Len(t, list(), 3)
		n2, _ := orm.KeptStatements(db)
		if keeps {
			assert.Equal(t, n+1, n2, "a Select run twice is kept")
		}

		// A new column: kept statements are re-prepared by the engine.
		_, err := tdb.DB.ExecContext(ctx, "ALTER TABLE prep_items ADD COLUMN extra INTEGER")
		require.NoError(t, err)
		got, err := orm.Get[kPrep](ctx, db, int64(1))
		require.NoError(t, err)
		assert.Equal(t, "a", got.Name)
		assert.Len(t, list(), 3)
		m := kPrep{Name: "b", N: 99}
		require.NoError(t, db.Insert(ctx, &m))

		// In a transaction, on its own connection: a rollback undoes it. Its statements are
		// kept for it (the DB's taken over), and a savepoint shares them.
		require.Error(t, db.Tx(ctx, func(tx *orm.Tx) error {
			m := kPrep{Name: "tx", N: 50}
			require.NoError(t, tx.Insert(ctx, &m))
			_, err := orm.Get[kPrep](ctx, tx, m.ID)
			require.NoError(t, err)
			require.NoError(t, tx.Tx(ctx, func(sp *orm.Tx) error {
				m.N++
				return sp.Update(ctx, &m)
			}))
			require.NoError(t, tx.Delete(ctx, &m)) // never run on the DB: prepared on the transaction
			n, txKeeps := orm.TxKeptStatements(tx)
			assert.Equal(t, keeps, txKeeps)
			if txKeeps {
				assert.Equal(t, 4, n, "insert, get, update and delete")
			}
			return assert.AnError
		}))
		assert.Len(t, list(), 4, "the rolled back row is gone")
		// A committed transaction's statements are closed with it; the DB's
		// own are still there.
		m = kPrep{Name: "committed", N: 51}
		require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error { return tx.Insert(ctx, &m) }))
		got, err = orm.Get[kPrep](ctx, db, m.ID)
		require.NoError(t, err)
		assert.Equal(t, m, got)
		require.NoError(t, db.Delete(ctx, &m))

		// Dropped and made again: no kept statement holds on to the table
		// (SQLite refuses DROP TABLE while a statement on it is still
		// running), and each one then prepares again against the new table.
		require.NoError(t, db.DropTables(ctx, &kPrep{}))
		require.NoError(t, db.CreateTables(ctx, &kPrep{}))
		assert.Empty(t, list())
		m = kPrep{Name: "c", N: 12}
		require.NoError(t, db.Insert(ctx, &m))
		m.N++
		require.NoError(t, db.Update(ctx, &m))
		got, err = orm.Get[kPrep](ctx, db, m.ID)
		require.NoError(t, err)
		assert.Equal(t, m, got)
		assert.Len(t, list(), 1)
	})
}

// TestTxStatementsOneConnection: with a single connection in the pool, a
// transaction's statements are prepared on the transaction itself, never on
// the DB (which would wait for the transaction's own connection forever).
func TestTxStatementsOneConnection(t *testing.T) {
	withTables(t, []any{&kPrep{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		tdb.DB.SetMaxOpenConns(1)
		t.Cleanup(func() { tdb.DB.SetMaxOpenConns(0) })
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		err := db.Tx(ctx, func(tx *orm.Tx) error {
			for i := range 3 {
				m := kPrep{Name: "one", N: i}
				if err := tx.Insert(ctx, &m); err != nil {
					return err
				}
				if _, err := orm.Get[kPrep](ctx, tx, m.ID); err != nil {
					return err
				}
			}
			return nil
		})
		require.NoError(t, err)
		n, err := orm.Select[kPrep](db).Count(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(3), n)
	})
}

package migrate_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
)

// TestFailureInTheMiddle: migration 2 of 3 fails at its third statement.
// With transactional DDL (PostgreSQL, SQLite) nothing of it remains; on
// MariaDB its CREATE TABLE stays committed, and on every engine the history
// holds migration 1 only and the error names the statement.
func TestFailureInTheMiddle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		r := newRunner(t, db, files(
			"0001_first.up.sql", "CREATE TABLE first (x INT);\nINSERT INTO first VALUES (1);",
			"0002_broken.up.sql", "CREATE TABLE second (x INT);\nINSERT INTO second VALUES (1);\n\n"+
				"INSERT INTO no_such_table VALUES (1);\nCREATE TABLE never (x INT);\n",
			"0003_third.up.sql", "CREATE TABLE third (x INT);",
		))
		res, err := r.Up(ctx)
		var pe *migrate.PartialError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, []int64{1}, versions(res))
		assert.Equal(t, []int64{1}, versions(pe.Applied))
		require.NotNil(t, pe.Failed)
		assert.Equal(t, int64(2), pe.Failed.Version)
		assert.Equal(t, "broken", pe.Failed.Name)
		assert.Equal(t, migrate.Up, pe.Failed.Direction)

		var se *migrate.StatementError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "migrations/0002_broken.up.sql", se.Path)
		assert.Equal(t, 3, se.Index)
		assert.Equal(t, 4, se.Total)
		assert.Equal(t, 4, se.Line)
		assert.Equal(t, "INSERT INTO no_such_table VALUES (1)", se.SQL)
		assert.Contains(t, err.Error(), "0002_broken up failed after 1 applied (last 0001_first)")
		assert.Contains(t, err.Error(), "migrations/0002_broken.up.sql:4: statement 3 of 4 failed: INSERT INTO no_such_table VALUES (1)")

		assert.Equal(t, []int64{1}, historyVersions(t, db.DB), "the history never claims the failed migration")
		assert.False(t, tableExists(t, db, "third"))
		assert.False(t, tableExists(t, db, "never"))
		if db.Dialect.Has(dialect.TransactionalDDL) {
			assert.False(t, se.Committed)
			assert.False(t, tableExists(t, db, "second"), "rolled back with its migration")
			assert.NotContains(t, err.Error(), "committed")
		} else {
			assert.True(t, se.Committed)
			assert.True(t, tableExists(t, db, "second"), "MariaDB commits DDL implicitly")
			assert.Contains(t, err.Error(), "statements 1–2 may already be committed ("+db.Dialect.String()+" commits DDL implicitly)")
		}
		st, err := r.Status(ctx)
		require.NoError(t, err)
		assert.Equal(t, []migrate.State{migrate.Applied, migrate.Pending, migrate.Pending},
			[]migrate.State{st[0].State, st[1].State, st[2].State})
	})
}

func TestGoMigrationFailure(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		r := newRunner(t, db, files("0001_t.up.sql", "CREATE TABLE t (x INT);"),
			migrate.WithGo(migrate.Migration{Version: 2, Name: "fails", Up: func(ctx context.Context, tx migrate.Execer) error {
				if _, err := tx.ExecContext(ctx, "INSERT INTO t VALUES (2)"); err != nil {
					return err
				}
				return errBoom
			}}))
		res, err := r.Up(ctx)
		require.ErrorIs(t, err, errBoom)
		var pe *migrate.PartialError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, []int64{1}, versions(res))
		assert.Equal(t, migrate.Go, pe.Failed.Kind)
		assert.Equal(t, 0, count(t, db.DB, "t"), "the insert is rolled back with the migration")
		assert.Equal(t, []int64{1}, historyVersions(t, db.DB))
	})
}

// TestDownFailure: a failing down step keeps the migration recorded.
func TestDownFailure(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		r := newRunner(t, db, files(
			"0001_t.up.sql", "CREATE TABLE t (x INT);",
			"0001_t.down.sql", "DROP TABLE t;",
			"0002_u.up.sql", "INSERT INTO t VALUES (1);",
			"0002_u.down.sql", "DELETE FROM t;\nDROP TABLE no_such_table;",
		))
		_, err := r.Up(ctx)
		require.NoError(t, err)
		res, err := r.DownTo(ctx, 0)
		var pe *migrate.PartialError
		require.ErrorAs(t, err, &pe)
		assert.Empty(t, res)
		assert.Equal(t, migrate.Down, pe.Failed.Direction)
		assert.Equal(t, "migrations/0002_u.down.sql", pe.Failed.Path)
		assert.Equal(t, []int64{1, 2}, historyVersions(t, db.DB))
		if db.Dialect.Has(dialect.TransactionalDDL) {
			assert.Equal(t, 1, count(t, db.DB, "t"), "the DELETE is rolled back")
		} else {
			// MariaDB commits before the DROP TABLE runs, so the DELETE stays.
			assert.Equal(t, 0, count(t, db.DB, "t"))
			assert.Contains(t, err.Error(), "statement 1 may already be committed")
		}
	})
}

// TestNoTransaction runs what cannot run in a transaction: CREATE INDEX
// CONCURRENTLY on PostgreSQL, VACUUM on SQLite. A no-transaction migration
// that fails keeps its earlier statements and is not recorded.
func TestNoTransaction(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		special := map[string]string{
			testdb.Postgres: "CREATE INDEX CONCURRENTLY t_x ON t (x);",
			testdb.SQLite:   "VACUUM;",
			testdb.MySQL:    "CREATE INDEX t_x ON t (x);",
		}[db.Engine]
		r := newRunner(t, db, files(
			"0001_t.up.sql", "CREATE TABLE t (x INT);",
			"0002_special.up.sql", "-- kinglet:no-transaction\n"+special,
			"0003_partial.up.sql", "-- kinglet:no-transaction\nINSERT INTO t VALUES (1);\nINSERT INTO no_such_table VALUES (1);",
		))
		// The same statement inside a transaction fails on PostgreSQL and SQLite.
		if db.Engine != testdb.MySQL {
			_, err := newRunner(t, db, files("0001_t.up.sql", "CREATE TABLE t (x INT);", "0002_special.up.sql", special)).Up(ctx)
			require.Error(t, err)
			require.NoError(t, func() error { _, err := db.DB.ExecContext(ctx, "DROP TABLE t"); return err }())
			_, err = db.DB.ExecContext(ctx, "DELETE FROM kinglet_migrations")
			require.NoError(t, err)
		}
		res, err := r.Up(ctx)
		var se *migrate.StatementError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, []int64{1, 2}, versions(res))
		assert.True(t, se.Committed)
		assert.Contains(t, err.Error(), "statement 1 may already be committed (the migration runs without a transaction)")
		assert.Equal(t, 1, count(t, db.DB, "t"), "statement 1 ran outside a transaction")
		assert.Equal(t, []int64{1, 2}, historyVersions(t, db.DB))

		// A Go migration with NoTx runs on the connection.
		_, err = newRunner(t, db, nil, migrate.WithGo(migrate.Migration{Version: 1, Name: "conn", NoTx: true,
			Up: func(ctx context.Context, tx migrate.Execer) error {
				if _, ok := tx.(interface{ Commit() error }); ok {
					return errors.New("got a transaction")
				}
				return nil
			}}), migrate.WithTable("go_history")).Up(ctx)
		require.NoError(t, err)
	})
}

// TestPanic: a panicking Go migration is rolled back, the panic reaches the
// caller, and the lock is released.
func TestPanic(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		for _, noTx := range []bool{false, true} {
			r := newRunner(t, db, nil, migrate.WithGo(migrate.Migration{Version: 1, Name: "panics", NoTx: noTx,
				Up: func(ctx context.Context, tx migrate.Execer) error {
					if _, err := tx.ExecContext(ctx, "CREATE TABLE panicked (x INT)"); err != nil {
						return err
					}
					panic("boom")
				}}))
			assert.PanicsWithValue(t, "boom", func() { _, _ = r.Up(ctx) })
			assert.Equal(t, noTx || !db.Dialect.Has(dialect.TransactionalDDL), tableExists(t, db, "panicked"), "noTx=%t", noTx)
			if tableExists(t, db, "panicked") {
				_, err := db.DB.ExecContext(ctx, "DROP TABLE panicked")
				require.NoError(t, err)
			}
			tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			_, err := newRunner(t, db, files("0001_ok.up.sql", "SELECT 1;")).Up(tctx)
			cancel()
			require.NoError(t, err, "the lock was released")
			_, err = db.DB.ExecContext(ctx, "DELETE FROM kinglet_migrations")
			require.NoError(t, err)
		}
	})
}

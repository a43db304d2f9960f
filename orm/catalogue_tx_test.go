package orm_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// catalogueTx: §6 and §7 of issue 13: transactions under contention and
// error classification; §2's double-quoted strings on SQLite; §8's mysql://
// URL in the driver's form.
var catalogueTx = []badCase{
	// Constraint violations: the class, through the ORM and raw SQL.
	{name: "tx: unique violation through Insert", models: txModels, want: orm.ErrUniqueViolation,
		mention: []string{"unique violation", "insert into tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			parentOf(t, ctx, db, "dup")
			return db.Insert(ctx, &kTxParent{Name: "dup"})
		}},
	{name: "tx: unique violation through raw ExecContext", models: txModels, want: orm.ErrUniqueViolation,
		mention: []string{"unique violation", "name"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			parentOf(t, ctx, db, "dup")
			_, err := db.ExecContext(ctx, "INSERT INTO tx_parents (name) VALUES ("+ph(db, 1)+")", "dup")
			return err
		}},
	{name: "tx: unique violation in a later row of InsertMany, nothing kept", models: txModels, want: orm.ErrUniqueViolation,
		mention: []string{"unique violation", "tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			parentOf(t, ctx, db, "dup")
			restore := orm.SetMaxParams(2) // one row per statement: InsertMany's own transaction
			defer restore()
			err := db.InsertMany(ctx, []kTxParent{{Name: "n1"}, {Name: "n2"}, {Name: "dup"}})
			if n := countRows(t, tdb, "tx_parents"); n != 1 {
				t.Errorf("%d rows after the failed InsertMany, want 1", n)
			}
			return err
		}},
	{name: "tx: unique violation through Update", models: txModels, want: orm.ErrUniqueViolation,
		mention: []string{"unique violation", "tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			parentOf(t, ctx, db, "dup")
			p := parentOf(t, ctx, db, "other")
			p.Name = "dup"
			return db.Update(ctx, p)
		}},
	{name: "tx: foreign key violation through Insert", models: txModels, want: orm.ErrForeignKeyViolation,
		mention: []string{"foreign key violation", "insert into tx_children"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			return db.Insert(ctx, &kTxChild{ParentID: 404, Note: "orphan"})
		}},
	{name: "tx: foreign key violation through Delete of a referenced row", models: txModels, want: orm.ErrForeignKeyViolation,
		mention: []string{"foreign key violation", "tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			p := parentOf(t, ctx, db, "parent")
			if err := db.Insert(ctx, &kTxChild{ParentID: p.ID, Note: "child"}); err != nil {
				t.Fatal(err)
			}
			return db.Delete(ctx, p)
		}},
	{name: "tx: foreign key violation through a bulk Delete", models: txModels, want: orm.ErrForeignKeyViolation,
		mention: []string{"foreign key violation", "tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			p := parentOf(t, ctx, db, "parent")
			if err := db.Insert(ctx, &kTxChild{ParentID: p.ID, Note: "child"}); err != nil {
				t.Fatal(err)
			}
			_, err := orm.Delete[kTxParent](db).Where(query.C("name").Eq("parent")).Exec(ctx)
			return err
		}},
	{name: "tx: not-null violation through Insert of a nil pointer", models: txModels, want: orm.ErrNotNullViolation,
		mention: []string{"not-null violation", "insert into tx_children", "note"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			p := parentOf(t, ctx, db, "parent")
			return db.Insert(ctx, &kTxChildLoose{ParentID: p.ID})
		}},
	{name: "tx: not-null violation through a bulk Update to NULL", models: txModels, want: orm.ErrNotNullViolation,
		mention: []string{"not-null violation", "tx_children", "note"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			p := parentOf(t, ctx, db, "parent")
			if err := db.Insert(ctx, &kTxChild{ParentID: p.ID, Note: "set"}); err != nil {
				t.Fatal(err)
			}
			_, err := orm.Update[kTxChildLoose](db).Set("note", nil).Where(query.C("parent_id").Eq(p.ID)).Exec(ctx)
			return err
		}},
	{name: "tx: not-null violation through raw ExecContext leaving a column out", models: txModels, want: orm.ErrNotNullViolation,
		mention: []string{"not-null violation", "note"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			p := parentOf(t, ctx, db, "parent")
			_, err := db.ExecContext(ctx, "INSERT INTO tx_children (parent_id, qty) VALUES ("+ph(db, 1)+", 1)", p.ID)
			return err
		}},
	{name: "tx: check violation through Insert", models: txModels, want: orm.ErrCheckViolation,
		mention: []string{"check violation", "insert into tx_children"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			p := parentOf(t, ctx, db, "parent")
			return db.Insert(ctx, &kTxChild{ParentID: p.ID, Qty: -5, Note: "negative"})
		}},
	{name: "tx: check violation through raw ExecContext", models: txModels, want: orm.ErrCheckViolation,
		mention: []string{"check violation", "tx_children"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			p := parentOf(t, ctx, db, "parent")
			if err := db.Insert(ctx, &kTxChild{ParentID: p.ID, Note: "row"}); err != nil {
				t.Fatal(err)
			}
			_, err := db.ExecContext(ctx, "UPDATE tx_children SET qty = -1 WHERE parent_id = "+ph(db, 1), p.ID)
			return err
		}},
	{name: "tx: foreign key violation found at commit", engines: on("sqlite", "postgres"), models: txModels,
		want: orm.ErrForeignKeyViolation, mention: []string{"commit", "foreign key violation"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			if tdb.Engine == testdb.Postgres {
				if _, err := db.ExecContext(ctx, "CREATE TABLE tx_deferred (id INT PRIMARY KEY, "+
					"parent_id BIGINT REFERENCES tx_parents (id) DEFERRABLE INITIALLY DEFERRED)"); err != nil {
					t.Fatal(err)
				}
			}
			return db.Tx(ctx, func(tx *orm.Tx) error {
				stmt := "INSERT INTO tx_deferred (id, parent_id) VALUES (1, 404)"
				if tdb.Engine == testdb.SQLite {
					if _, err := tx.ExecContext(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
						return err
					}
					stmt = "INSERT INTO tx_children (parent_id, qty, note) VALUES (404, 1, 'orphan')"
				}
				_, err := tx.ExecContext(ctx, stmt)
				return err // nil: the check waits for COMMIT
			})
		}},
	{name: "tx: an error taken from the driver directly classifies", models: txModels,
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			parentOf(t, ctx, db, "dup")
			_, err := db.SQL().ExecContext(ctx, "INSERT INTO tx_parents (name) VALUES ("+ph(db, 1)+")", "dup")
			if got := orm.Classify(err); got != orm.ErrUniqueViolation || !orm.IsUniqueViolation(err) {
				t.Errorf("Classify(%v) = %v, want ErrUniqueViolation", err, got)
			}
			if errors.Is(err, orm.ErrUniqueViolation) {
				t.Errorf("the bare driver error %v matches errors.Is; only kinglet's errors do", err)
			}
			return nil
		}},

	// Conflicts between transactions: retryable, each for real.
	{name: "tx: deadlock between two transactions", engines: on("postgres", "mysql"), models: txModels,
		want: orm.ErrDeadlock, mention: []string{"deadlock", "update tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			e0, e1 := provokeDeadlock(t, ctx, db)
			if (e0 == nil) == (e1 == nil) {
				t.Fatalf("want one victim: %v; %v", e0, e1)
			}
			if !orm.IsRetryable(errors.Join(e0, e1)) {
				t.Errorf("a deadlock is retryable")
			}
			return errors.Join(e0, e1)
		}},
	{name: "tx: serialization failure under REPEATABLE READ", engines: on("postgres", "mysql"), models: txModels,
		want: orm.ErrSerialization, mention: []string{"serialization failure", "tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			if db.Dialect().Name() == "mysql" {
				t.Skip("MySQL's REPEATABLE READ updates the newest row; only MariaDB has innodb_snapshot_isolation")
			}
			return provokeSerialization(t, ctx, db)
		}},
	{name: "tx: lock timeout waiting for a row", engines: on("postgres", "mysql"), models: txModels,
		want: orm.ErrLockTimeout, mention: []string{"lock timeout", "tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			err := provokeLockTimeout(t, ctx, db)
			if orm.IsRetryable(err) {
				t.Errorf("a lock timeout is not retryable: %v", err)
			}
			return err
		}},
	{name: "tx: SQLite busy on a second connection with busy_timeout 0", engines: on("sqlite"), models: txModels,
		want: orm.ErrBusy, mention: []string{"database is busy", "insert into tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			return provokeBusy(t, ctx, db, tdb)
		}},
	{name: "tx: SQLite Deferred transaction writing after another write", engines: on("sqlite"), models: txModels,
		want: orm.ErrBusy, mention: []string{"database is busy", "517"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			return provokeSnapshotBusy(t, ctx, db)
		}},
	{name: "tx: SQLite write on the DB inside its own transaction", engines: on("sqlite"), models: txModels,
		want: orm.ErrBusy, mention: []string{"database is busy", "write lock", "inside db.Tx", "tx_parents"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			odb, err := orm.Open(ctx, tdb.URL()+"?_pragma=busy_timeout(100)")
			if err != nil {
				t.Fatal(err)
			}
			defer odb.Close()
			return odb.Tx(ctx, func(tx *orm.Tx) error {
				if err := tx.Insert(ctx, &kTxParent{Name: "tx"}); err != nil {
					return err
				}
				return odb.Insert(ctx, &kTxParent{Name: "db"})
			})
		}},
	{name: "tx: SQLite read-then-write transactions under contention all commit", engines: on("sqlite"), models: txModels,
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			odb, err := orm.Open(ctx, tdb.URL())
			if err != nil {
				t.Fatal(err)
			}
			defer odb.Close()
			p := parentOf(t, ctx, odb, "0")
			var wg sync.WaitGroup
			errs := make(chan error, 8*10)
			for range 8 {
				wg.Go(func() {
					for range 10 {
						errs <- odb.Tx(ctx, func(tx *orm.Tx) error {
							got, err := orm.Get[kTxParent](ctx, tx, p.ID)
							if err != nil {
								return err
							}
							var n int
							fmt.Sscan(got.Name, &n)
							got.Name = fmt.Sprint(n + 1)
							return tx.Update(ctx, &got)
						})
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					return err
				}
			}
			got, err := orm.Get[kTxParent](ctx, odb, p.ID)
			if err != nil {
				return err
			}
			if got.Name != "80" {
				t.Errorf("the counter is %s after 80 increments", got.Name)
			}
			return nil
		}},

	// SQLite's double-quoted strings are off on every connection kinglet opens.
	{name: "tx: SQLite misspelled double-quoted identifier through QueryContext", engines: on("sqlite"), models: txModels,
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			parentOf(t, ctx, db, "a")
			rows, err := db.QueryContext(ctx, `SELECT id FROM tx_parents WHERE "nmae" = 'a'`)
			if err == nil {
				rows.Close()
				t.Fatal(`"nmae" was taken as a string: the query ran`)
			}
			if !strings.Contains(err.Error(), `no such column: "nmae"`) {
				t.Errorf("the error %q does not name the column", err)
			}
			return nil
		}},
	{name: "tx: SQLite misspelled double-quoted identifier through orm.Open deletes nothing", engines: on("sqlite"), models: txModels,
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			parentOf(t, ctx, db, "a")
			parentOf(t, ctx, db, "b")
			odb, err := orm.Open(ctx, tdb.URL())
			if err != nil {
				t.Fatal(err)
			}
			defer odb.Close()
			_, err = odb.ExecContext(ctx, `DELETE FROM tx_parents WHERE "nmae" <> 'a'`)
			if err == nil || !strings.Contains(err.Error(), `no such column: "nmae"`) {
				t.Errorf(`want no such column: "nmae", got %v`, err)
			}
			if n := countRows(t, tdb, "tx_parents"); n != 2 {
				t.Errorf("%d rows left of 2", n)
			}
			return nil
		}},
	{name: "tx: SQLite double-quoted strings back on with _dqs=1", engines: on("sqlite"),
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			odb, err := orm.Open(ctx, tdb.URL()+"?_dqs=1")
			if err != nil {
				t.Fatal(err)
			}
			defer odb.Close()
			var s string
			if err := odb.SQL().QueryRowContext(ctx, `SELECT "legacy"`).Scan(&s); err != nil || s != "legacy" {
				t.Errorf(`SELECT "legacy" with _dqs=1 = %q, %v; want the string`, s, err)
			}
			return nil
		}},

	// §8: go-sql-driver's DSN inside a mysql:// URL.
	{name: "tx: mysql URL in the driver's tcp() form", engines: on("mysql"), want: orm.ErrInvalidURL,
		mention: []string{"tcp(", "mysql://user:pass@host:3306/db"},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			odb, err := orm.Open(ctx, "mysql://root:hunter2@tcp(127.0.0.1:3306)/test")
			if odb != nil {
				odb.Close()
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the password is in the error: %v", err)
			}
			return err
		}},
}

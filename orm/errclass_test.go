package orm_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"modernc.org/sqlite"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

// Models of the error-class tests and of catalogueTx.

type kTxParent struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"name,unique,size:32"`
}

func (kTxParent) TableName() string { return "tx_parents" }

type kTxChild struct {
	ID       int64  `db:"id,pk"`
	ParentID int64  `db:"parent_id,fk:tx_parents.id"`
	Qty      int    `db:"qty,check:qty >= 0"`
	Note     string `db:"note,size:32"`
}

func (kTxChild) TableName() string { return "tx_children" }

// kTxChildLoose is kTxChild's table with a nullable note, to write NULL
// into the NOT NULL column.
type kTxChildLoose struct {
	ID       int64   `db:"id,pk"`
	ParentID int64   `db:"parent_id"`
	Qty      int     `db:"qty"`
	Note     *string `db:"note"`
}

func (kTxChildLoose) TableName() string { return "tx_children" }

var txModels = []any{&kTxParent{}, &kTxChild{}}

// ph is the n-th placeholder of db's dialect.
func ph(db *orm.DB, n int) string { return string(db.Dialect().AppendPlaceholder(nil, n)) }

// driverCode is the engine's own code in err: PostgreSQL's SQLSTATE,
// MySQL's error number, SQLite's extended result code.
func driverCode(err error) string {
	var pg *pgconn.PgError
	var my *mysql.MySQLError
	var lite *sqlite.Error
	switch {
	case errors.As(err, &pg):
		return pg.Code
	case errors.As(err, &my):
		return fmt.Sprint(my.Number)
	case errors.As(err, &lite):
		return fmt.Sprint(lite.Code())
	}
	return ""
}

// parentOf inserts a tx_parents row named name.
func parentOf(t *testing.T, ctx context.Context, db *orm.DB, name string) *kTxParent {
	t.Helper()
	p := &kTxParent{Name: name}
	require.NoError(t, db.Insert(ctx, p))
	return p
}

// provokeDeadlock runs two transactions that each update one row and then
// the other's, in opposite orders, and returns their errors: the engine
// rolls one of them back as a deadlock's victim.
func provokeDeadlock(t *testing.T, ctx context.Context, db *orm.DB) (error, error) {
	a, b := parentOf(t, ctx, db, "a"), parentOf(t, ctx, db, "b")
	var wg sync.WaitGroup
	var errs [2]error
	locked := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	for i, rows := range [2][2]*kTxParent{{a, b}, {b, a}} {
		wg.Go(func() {
			errs[i] = db.Tx(ctx, func(tx *orm.Tx) error {
				first := *rows[0]
				first.Name += fmt.Sprint(i)
				if err := tx.Update(ctx, &first); err != nil {
					return err
				}
				close(locked[i])
				<-locked[1-i]
				second := *rows[1]
				second.Name += fmt.Sprint(i)
				return tx.Update(ctx, &second)
			})
		})
	}
	wg.Wait()
	return errs[0], errs[1]
}

// provokeSerialization has a REPEATABLE READ transaction read a row, another
// connection update it, and the transaction then update it too: PostgreSQL
// refuses, as MariaDB does under innodb_snapshot_isolation.
func provokeSerialization(t *testing.T, ctx context.Context, db *orm.DB) error {
	p := parentOf(t, ctx, db, "s")
	return db.Tx(ctx, func(tx *orm.Tx) error {
		if db.Dialect().Name() == "mariadb" {
			if _, err := tx.ExecContext(ctx, "SET SESSION innodb_snapshot_isolation = ON"); err != nil {
				return err
			}
		}
		got, err := orm.Get[kTxParent](ctx, tx, p.ID) // the snapshot
		if err != nil {
			return err
		}
		if err := db.Update(ctx, &kTxParent{ID: p.ID, Name: "outside"}); err != nil {
			return fmt.Errorf("the other connection's update: %w", err)
		}
		got.Name = "inside"
		return tx.Update(ctx, &got)
	}, orm.Isolation(sql.LevelRepeatableRead))
}

// provokeLockTimeout has a transaction wait for a row another one holds,
// with a short lock timeout.
func provokeLockTimeout(t *testing.T, ctx context.Context, db *orm.DB) error {
	p := parentOf(t, ctx, db, "l")
	var inner error
	_ = db.Tx(ctx, func(holder *orm.Tx) error {
		if err := holder.Update(ctx, &kTxParent{ID: p.ID, Name: "held"}); err != nil {
			inner = err
			return err
		}
		inner = db.Tx(ctx, func(tx *orm.Tx) error {
			set := "SET LOCAL lock_timeout = '100ms'"
			if db.Dialect().Name() != "postgres" {
				set = "SET SESSION innodb_lock_wait_timeout = 1"
			}
			if _, err := tx.ExecContext(ctx, set); err != nil {
				return err
			}
			return tx.Update(ctx, &kTxParent{ID: p.ID, Name: "waited"})
		})
		return errRollback
	})
	return inner
}

// provokeBusy writes through a second pool on the same SQLite file, with
// busy_timeout 0, while a transaction of db holds the write lock.
func provokeBusy(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
	other, err := orm.Open(ctx, tdb.URL()+"?_pragma=busy_timeout(0)")
	require.NoError(t, err)
	defer other.Close()
	var busy error
	require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
		if err := tx.Insert(ctx, &kTxParent{Name: "holder"}); err != nil {
			return err
		}
		busy = other.Insert(ctx, &kTxParent{Name: "blocked"})
		return nil
	}))
	return busy
}

// provokeSnapshotBusy has a Deferred transaction read, another connection
// write, and the transaction then write: SQLITE_BUSY_SNAPSHOT, at once.
func provokeSnapshotBusy(t *testing.T, ctx context.Context, db *orm.DB) error {
	p := parentOf(t, ctx, db, "d")
	return db.Tx(ctx, func(tx *orm.Tx) error {
		if _, err := orm.Get[kTxParent](ctx, tx, p.ID); err != nil {
			return err
		}
		if err := db.Insert(ctx, &kTxParent{Name: "between"}); err != nil {
			return fmt.Errorf("the other write: %w", err)
		}
		return tx.Update(ctx, &kTxParent{ID: p.ID, Name: "late"})
	}, orm.Deferred())
}

// TestErrorClassConstraints provokes each constraint class on each engine,
// through the ORM and through raw ExecContext, and checks that errors.Is
// finds it, that the driver's error is still there for errors.As, and that
// the same statement's error taken from the driver directly classifies the
// same.
func TestErrorClassConstraints(t *testing.T) {
	withTables(t, txModels, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		p := parentOf(t, ctx, db, "taken")
		child := fmt.Sprintf("INSERT INTO tx_children (parent_id, qty, note) VALUES (%s, %s, %s)", ph(db, 1), ph(db, 2), ph(db, 3))
		cases := []struct {
			class   error
			orm     func() error
			sql     string
			args    []any
			mention string // what the ORM's error names
		}{
			{orm.ErrUniqueViolation, func() error { return db.Insert(ctx, &kTxParent{Name: "taken"}) },
				"INSERT INTO tx_parents (name) VALUES (" + ph(db, 1) + ")", []any{"taken"}, "insert into tx_parents"},
			{orm.ErrUniqueViolation, func() error { return db.Update(ctx, &kTxParent{ID: parentOf(t, ctx, db, "free").ID, Name: "taken"}) },
				"UPDATE tx_parents SET name = " + ph(db, 1) + " WHERE name = " + ph(db, 2), []any{"taken", "free"}, "tx_parents"},
			{orm.ErrForeignKeyViolation, func() error { return db.Insert(ctx, &kTxChild{ParentID: 999, Note: "orphan"}) },
				child, []any{999, 1, "orphan"}, "insert into tx_children"},
			{orm.ErrForeignKeyViolation, func() error {
				if err := db.Insert(ctx, &kTxChild{ParentID: p.ID, Note: "kept"}); err != nil {
					return err
				}
				return db.Delete(ctx, p)
			}, "DELETE FROM tx_parents WHERE id = " + ph(db, 1), []any{p.ID}, "tx_parents"},
			{orm.ErrNotNullViolation, func() error { return db.Insert(ctx, &kTxChildLoose{ParentID: p.ID}) },
				child, []any{p.ID, 1, nil}, "insert into tx_children"},
			// A NOT NULL column without a default left out (MySQL 1364 in strict mode).
			{orm.ErrNotNullViolation, func() error {
				_, err := db.ExecContext(ctx, "INSERT INTO tx_children (parent_id, qty) VALUES ("+ph(db, 1)+", 1)", p.ID)
				return err
			}, "INSERT INTO tx_children (parent_id, qty) VALUES (" + ph(db, 1) + ", 1)", []any{p.ID}, "note"},
			{orm.ErrCheckViolation, func() error { return db.Insert(ctx, &kTxChild{ParentID: p.ID, Qty: -1, Note: "neg"}) },
				child, []any{p.ID, -1, "neg"}, "insert into tx_children"},
		}
		for i, c := range cases {
			t.Run(fmt.Sprintf("%d %s", i, strings.TrimPrefix(c.class.Error(), "kinglet: orm: ")), func(t *testing.T) {
				err := c.orm()
				require.Error(t, err)
				assert.ErrorIs(t, err, c.class)
				assert.Equal(t, c.class, orm.Classify(err))
				assert.False(t, orm.IsRetryable(err))
				assert.Equal(t, c.class == orm.ErrUniqueViolation, orm.IsUniqueViolation(err))
				assert.NotEmpty(t, driverCode(err), "the driver's error unwraps: %v", err)
				msg := strings.TrimPrefix(c.class.Error(), "kinglet: orm: ")
				assert.Contains(t, err.Error(), msg)
				assert.Contains(t, err.Error(), c.mention)

				_, err = db.ExecContext(ctx, c.sql, c.args...)
				require.Error(t, err, c.sql)
				assert.ErrorIs(t, err, c.class, "raw ExecContext")
				assert.Contains(t, err.Error(), msg)

				_, raw := tdb.DB.ExecContext(ctx, c.sql, c.args...)
				require.Error(t, raw)
				assert.NotErrorIs(t, raw, c.class, "a bare driver error has no class for errors.Is")
				assert.Equal(t, c.class, orm.Classify(raw), "Classify reads the driver's code: %v", raw)
				assert.Equal(t, driverCode(err), driverCode(raw))
			})
		}
	})
}

// TestErrorClassHooksAndRows: a query hook sees the classified error, and
// so does a caller of QueryContext, where the error of INSERT … RETURNING
// comes with the rows.
func TestErrorClassHooksAndRows(t *testing.T) {
	withTables(t, txModels, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		parentOf(t, ctx, db, "taken")
		hdb, rec := hooked(db)
		err := hdb.Insert(ctx, &kTxParent{Name: "taken"})
		require.ErrorIs(t, err, orm.ErrUniqueViolation)
		var hookErr error
		for _, ev := range rec.events {
			if ev.Err != nil {
				hookErr = ev.Err
			}
		}
		if !db.Dialect().Has(dialect.InsertReturning) {
			// With RETURNING the error comes with the rows, after the hook.
			assert.ErrorIs(t, hookErr, orm.ErrUniqueViolation, "the hook's event")
		}
		assert.True(t, hookErr == nil || errors.Is(hookErr, orm.ErrUniqueViolation), "the hook's event: %v", hookErr)

		err = hdb.InsertMany(ctx, []kTxParent{{Name: "new"}, {Name: "taken"}})
		assert.ErrorIs(t, err, orm.ErrUniqueViolation, "InsertMany")
		err = hdb.Upsert(ctx, &kTxParent{ID: 1, Name: "other"}, "name")
		if db.Dialect().Name() != "mysql" && db.Dialect().Name() != "mariadb" { // ON DUPLICATE KEY takes any key
			assert.ErrorIs(t, err, orm.ErrUniqueViolation, "Upsert on another unique key")
		}
		require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
			err := tx.Tx(ctx, func(inner *orm.Tx) error { return inner.Insert(ctx, &kTxParent{Name: "taken"}) })
			assert.ErrorIs(t, err, orm.ErrUniqueViolation, "in a savepoint")
			return nil // the savepoint's rollback left the transaction usable
		}))

		if db.Dialect().Has(dialect.InsertReturning) {
			rows, err := db.QueryContext(ctx, "INSERT INTO tx_parents (name) VALUES ("+ph(db, 1)+") RETURNING id", "taken")
			if err == nil {
				for rows.Next() {
				}
				err = rows.Err()
				rows.Close()
				assert.Equal(t, orm.ErrUniqueViolation, orm.Classify(err), "an error read from rows by hand: Classify")
			} else {
				assert.ErrorIs(t, err, orm.ErrUniqueViolation)
			}
		}
	})
}

func TestErrorClassDeadlock(t *testing.T) {
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		if tdb.Engine == testdb.SQLite {
			t.Skip("SQLite has one writer: no deadlock, ErrBusy instead (TestErrorClassBusy)")
		}
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, txModels...))
		e0, e1 := provokeDeadlock(t, ctx, db)
		if e0 == nil {
			e0, e1 = e1, e0
		}
		require.Error(t, e0, "one transaction is the victim")
		assert.NoError(t, e1, "the other commits")
		assert.ErrorIs(t, e0, orm.ErrDeadlock)
		assert.True(t, orm.IsRetryable(e0))
		assert.Contains(t, e0.Error(), "deadlock: ")
		assert.Contains(t, []string{"40P01", "1213"}, driverCode(e0))
	})
}

func TestErrorClassSerialization(t *testing.T) {
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		if tdb.Engine == testdb.SQLite || db.Dialect().Name() == "mysql" {
			t.Skipf("%s: the transaction's update does not conflict", db.Dialect())
		}
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, txModels...))
		err := provokeSerialization(t, ctx, db)
		require.Error(t, err)
		assert.ErrorIs(t, err, orm.ErrSerialization)
		assert.True(t, orm.IsRetryable(err))
		assert.Contains(t, err.Error(), "serialization failure: ")
		assert.Contains(t, []string{"40001", "1020"}, driverCode(err))
	})
}

func TestErrorClassLockTimeout(t *testing.T) {
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		if tdb.Engine == testdb.SQLite {
			t.Skip("SQLite locks the database, not rows: ErrBusy (TestErrorClassBusy)")
		}
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, txModels...))
		err := provokeLockTimeout(t, ctx, db)
		require.Error(t, err)
		assert.ErrorIs(t, err, orm.ErrLockTimeout)
		assert.False(t, orm.IsRetryable(err))
		assert.Contains(t, err.Error(), "lock timeout: ")
		assert.Contains(t, []string{"55P03", "1205"}, driverCode(err))
	})
}

// TestErrorClassBusy: a second pool on the file with busy_timeout 0 fails
// at once while a transaction holds the write lock (SQLITE_BUSY, 5), and a
// Deferred transaction that reads and then writes after another connection
// wrote fails at once too (SQLITE_BUSY_SNAPSHOT, 517); an Immediate one, the
// default, does not.
func TestErrorClassBusy(t *testing.T) {
	ctx := t.Context()
	tdb := testdb.Open(t, testdb.SQLite)
	db := orm.New(tdb.DB, tdb.Dialect)
	require.NoError(t, db.CreateTables(ctx, txModels...))

	err := provokeBusy(t, ctx, db, tdb)
	require.Error(t, err)
	assert.ErrorIs(t, err, orm.ErrBusy)
	assert.True(t, orm.IsRetryable(err))
	assert.Equal(t, "5", driverCode(err))
	assert.Contains(t, err.Error(), "database is busy: ")

	err = provokeSnapshotBusy(t, ctx, db)
	require.Error(t, err)
	assert.ErrorIs(t, err, orm.ErrBusy)
	assert.True(t, orm.IsRetryable(err))
	assert.Equal(t, "517", driverCode(err))

	// The same transaction, Immediate: the other write waits for it, on a
	// DB of its own (a write on the same DB inside its Tx would wait for
	// itself, see TestTxWritesOnTheDBInsideTx).
	other := orm.New(tdb.DB, tdb.Dialect)
	p := parentOf(t, ctx, db, "i")
	done := make(chan error, 1)
	require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
		if _, err := orm.Get[kTxParent](ctx, tx, p.ID); err != nil {
			return err
		}
		go func() { done <- other.Insert(ctx, &kTxParent{Name: "after"}) }()
		return tx.Update(ctx, &kTxParent{ID: p.ID, Name: "in time"})
	}, orm.Immediate()))
	require.NoError(t, <-done, "the other write waited under the busy timeout")
}

// TestClassifyCodes maps the drivers' codes, one by one, including those
// the engines here do not produce (MySQL's own 3819 and 1216/1217, Galera's
// 1213): PostgreSQL and MySQL errors are plain structs.
func TestClassifyCodes(t *testing.T) {
	for code, want := range map[string]error{
		"40001": orm.ErrSerialization, "40P01": orm.ErrDeadlock, "55P03": orm.ErrLockTimeout,
		"23505": orm.ErrUniqueViolation, "23503": orm.ErrForeignKeyViolation, "23502": orm.ErrNotNullViolation,
		"23514": orm.ErrCheckViolation, "23000": nil, "42P01": nil, "57014": nil,
	} {
		err := fmt.Errorf("wrapped: %w", &pgconn.PgError{Code: code})
		assert.Equal(t, want, orm.Classify(err), "SQLSTATE %s", code)
	}
	state := func(s string) (b [5]byte) { copy(b[:], s); return b }
	for _, c := range []struct {
		n     uint16
		state string
		want  error
	}{
		{1213, "40001", orm.ErrDeadlock}, {1020, "HY000", orm.ErrSerialization}, {1205, "HY000", orm.ErrLockTimeout},
		{1062, "23000", orm.ErrUniqueViolation}, {1586, "23000", orm.ErrUniqueViolation},
		{1451, "23000", orm.ErrForeignKeyViolation}, {1452, "23000", orm.ErrForeignKeyViolation},
		{1216, "23000", orm.ErrForeignKeyViolation}, {1217, "23000", orm.ErrForeignKeyViolation},
		{1048, "23000", orm.ErrNotNullViolation}, {1364, "HY000", orm.ErrNotNullViolation},
		{3819, "HY000", orm.ErrCheckViolation}, {4025, "23000", orm.ErrCheckViolation},
		{4025, "HY000", nil}, {1146, "42S02", nil}, {1064, "42000", nil},
	} {
		err := fmt.Errorf("wrapped: %w", &mysql.MySQLError{Number: c.n, SQLState: state(c.state)})
		assert.Equal(t, c.want, orm.Classify(err), "MySQL %d (%s)", c.n, c.state)
	}
	assert.Nil(t, orm.Classify(nil))
	assert.Nil(t, orm.Classify(errors.New("UNIQUE constraint failed")), "never by the text")
	assert.Nil(t, orm.Classify(orm.ErrNotFound))
	assert.Nil(t, orm.Classify(context.Canceled))
	assert.False(t, orm.IsRetryable(nil))
	assert.Equal(t, "kinglet: orm: unique violation", orm.ErrUniqueViolation.Error())
	assert.Equal(t, "kinglet: orm: database is busy", orm.ErrBusy.Error())
}

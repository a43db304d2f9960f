package ddl_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// The SQLite table rebuild: a parent table with rows, an expression unique
// index, a partial index, a trigger, checks, an AUTOINCREMENT key and a
// view, referenced by a child table with ON DELETE CASCADE that has rows.

const rebuildSchema = `
CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE users (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	email TEXT NOT NULL,
	name TEXT,
	age INTEGER DEFAULT 18 CHECK (age >= 0),
	team_id INTEGER,
	CONSTRAINT ck_users_name CHECK (length(name) > 0)
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_adult ON users (age) WHERE age >= 18;
CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER, what TEXT);
CREATE TRIGGER users_audit AFTER UPDATE OF name ON users BEGIN
	INSERT INTO audit (user_id, what) VALUES (NEW.id, 'renamed ' || NEW.name);
END;
CREATE TABLE tweets (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, body TEXT);
CREATE VIEW adults AS SELECT id, name FROM users WHERE age >= 18;
INSERT INTO teams (id, name) VALUES (1, 'red'), (2, 'blue');
INSERT INTO users (id, email, name, age, team_id) VALUES
	(1, 'ann@x.org', 'ann', 30, 1), (2, 'bob@x.org', 'bob', 12, 2), (3, 'cy@x.org', 'cy', 40, NULL), (10, 'gone@x.org', 'gone', 1, NULL);
DELETE FROM users WHERE id = 10;
INSERT INTO tweets (id, user_id, body) VALUES (1, 1, 'hi'), (2, 1, 'yo'), (3, 2, 'hey'), (4, 3, 'sup');
`

var (
	rebuildUsers  = []string{"1|ann@x.org|ann|30|1", "2|bob@x.org|bob|12|2", "3|cy@x.org|cy|40|NULL"}
	rebuildTweets = []string{"1|1|hi", "2|1|yo", "3|2|hey", "4|3|sup"}
)

// openRebuild opens a SQLite database with one connection (so that the
// pragmas read are those of the connection Apply used) and the schema.
func openRebuild(t *testing.T) *testdb.DB {
	t.Helper()
	db := testdb.Open(t, testdb.SQLite)
	db.DB.SetMaxOpenConns(1)
	_, err := db.DB.ExecContext(t.Context(), rebuildSchema) // the driver runs every statement
	require.NoError(t, err)
	return db
}

// usersObjects lists the indexes and triggers of users as sqlite_master
// keeps them.
func usersObjects(t *testing.T, db *testdb.DB) []string {
	return opRows(t, db, "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'users' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name")
}

// tableSQL is the CREATE TABLE statement of table.
func tableSQL(t *testing.T, db *testdb.DB, table string) string {
	return opRows(t, db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table)[0]
}

// checkRebuilt asserts everything the rebuild must keep.
func checkRebuilt(t *testing.T, db *testdb.DB, objects []string) {
	t.Helper()
	require.Equal(t, rebuildUsers, opRows(t, db, "SELECT id, email, name, age, team_id FROM users ORDER BY id"))
	require.Equal(t, rebuildTweets, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"), "no cascade fired")
	require.Equal(t, objects, usersObjects(t, db), "indexes and trigger recreated verbatim")
	require.Equal(t, []string{"1"}, opRows(t, db, "PRAGMA foreign_keys"), "foreign keys back on")
	require.Equal(t, []string{"0"}, opRows(t, db, "PRAGMA legacy_alter_table"))
	require.Empty(t, opRows(t, db, "SELECT name FROM sqlite_master WHERE name LIKE '_kinglet_new_%'"))
	require.Empty(t, opRows(t, db, "PRAGMA foreign_key_check"))
	require.Equal(t, []string{"1|ann", "3|cy"}, opRows(t, db, "SELECT id, name FROM adults ORDER BY id"), "the view still reads users")
	require.Equal(t, []string{"users_adult"}, opRows(t, db, "SELECT name FROM pragma_index_list('users') WHERE partial = 1"))

	// The expression unique index, the trigger and the foreign key work.
	require.ErrorContains(t, opExecErr(t, db, "INSERT INTO users (email, name) VALUES ('ANN@x.org', 'dup')"), "UNIQUE")
	opExec(t, db, "UPDATE users SET name = 'anna' WHERE id = 1")
	require.Equal(t, []string{"1|renamed anna"}, opRows(t, db, "SELECT user_id, what FROM audit"))
	require.ErrorContains(t, opExecErr(t, db, "INSERT INTO tweets (id, user_id) VALUES (9, 99)"), "FOREIGN KEY")
	// AUTOINCREMENT kept its high-water mark: 10 was used and deleted.
	opExec(t, db, "INSERT INTO users (email, name, age) VALUES ('new@x.org', 'new', 20)")
	require.Equal(t, []string{"11"}, opRows(t, db, "SELECT id FROM users WHERE email = 'new@x.org'"))
	// ON DELETE CASCADE still works.
	opExec(t, db, "DELETE FROM users WHERE id = 3")
	require.Equal(t, []string{"1", "2", "3"}, opRows(t, db, "SELECT id FROM tweets ORDER BY id"))
}

// TestSQLiteRebuild: changes ALTER TABLE cannot make keep every row of the
// parent and the child, the indexes, the trigger and the view.
func TestSQLiteRebuild(t *testing.T) {
	cases := []struct {
		name  string
		op    ddl.Op
		check func(t *testing.T, db *testdb.DB)
	}{
		{"alter a column's type", ddl.AlterColumnType{Table: "users", Column: "age", Type: "BIGINT"}, func(t *testing.T, db *testdb.DB) {
			require.Equal(t, []string{"BIGINT"}, opRows(t, db, "SELECT type FROM pragma_table_info('users') WHERE name = 'age'"))
		}},
		{"set NOT NULL", ddl.SetNotNull{Table: "users", Column: "name"}, func(t *testing.T, db *testdb.DB) {
			require.ErrorContains(t, opExecErr(t, db, "INSERT INTO users (email, name) VALUES ('n@x.org', NULL)"), "NOT NULL")
		}},
		{"drop a default", ddl.DropDefault{Table: "users", Column: "age"}, func(t *testing.T, db *testdb.DB) {
			opExec(t, db, "INSERT INTO users (id, email, name) VALUES (5, 'd@x.org', 'd')")
			require.Equal(t, []string{"NULL"}, opRows(t, db, "SELECT age FROM users WHERE id = 5"))
			opExec(t, db, "DELETE FROM users WHERE id = 5")
		}},
		{"add a foreign key", ddl.AddForeignKey{Table: "users", ForeignKey: schema.ForeignKey{Name: "fk_users_team_id",
			Columns: []string{"team_id"}, RefTable: "teams", RefColumns: []string{"id"}, OnDelete: "SET NULL"}}, func(t *testing.T, db *testdb.DB) {
			require.ErrorContains(t, opExecErr(t, db, "INSERT INTO users (email, name, team_id) VALUES ('t@x.org', 't', 99)"), "FOREIGN KEY")
			require.Equal(t, []string{"teams|SET NULL"}, opRows(t, db, `SELECT "table", on_delete FROM pragma_foreign_key_list('users')`))
		}},
		{"drop a check", ddl.DropConstraint{Table: "users", Name: "ck_users_name"}, func(t *testing.T, db *testdb.DB) {
			opExec(t, db, "INSERT INTO users (id, email, name) VALUES (5, 'e@x.org', '')")
			opExec(t, db, "DELETE FROM users WHERE id = 5")
			require.ErrorContains(t, opExecErr(t, db, "INSERT INTO users (email, name, age) VALUES ('f@x.org', 'f', -1)"), "CHECK", "the other check stays")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := openRebuild(t)
			objects := usersObjects(t, db)
			require.Len(t, objects, 3)
			opApply(t, db, c.op)
			c.check(t, db)
			checkRebuilt(t, db, objects)
		})
	}
}

// TestSQLiteRebuildInRunner: the same through a Go migration, where the
// runner has turned foreign keys off for the migration's transaction.
func TestSQLiteRebuildInRunner(t *testing.T) {
	db := openRebuild(t)
	objects := usersObjects(t, db)
	r := newRunner(t, db, nil, migrate.WithGo(migrate.Migration{Version: 1, Name: "alter_users",
		Up: func(ctx context.Context, tx migrate.Execer) error {
			var fk int
			if err := tx.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 0 {
				return errors.Join(err, errors.New("foreign keys are on inside the migration"))
			}
			return ddl.Apply(ctx, tx, migrate.DialectFrom(ctx),
				ddl.SetNotNull{Table: "users", Column: "name"},
				ddl.AlterColumnType{Table: "users", Column: "age", Type: "BIGINT"})
		}}))
	_, err := r.Up(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{"BIGINT"}, opRows(t, db, "SELECT type FROM pragma_table_info('users') WHERE name = 'age'"))
	checkRebuilt(t, db, objects)
}

// TestSQLiteRebuildViolation: a rebuild that would leave a row without its
// parent fails with the violation and leaves the table as it was, both
// alone and in the runner's rolled back transaction.
func TestSQLiteRebuildViolation(t *testing.T) {
	addFK := ddl.AddForeignKey{Table: "users", ForeignKey: schema.ForeignKey{Name: "fk_users_team_id",
		Columns: []string{"team_id"}, RefTable: "teams", RefColumns: []string{"id"}}}
	setup := func(t *testing.T) (*testdb.DB, string) {
		db := openRebuild(t)
		opExec(t, db, "UPDATE users SET team_id = 77 WHERE id = 3")
		return db, tableSQL(t, db, "users")
	}
	unchanged := func(t *testing.T, db *testdb.DB, create string) {
		t.Helper()
		require.Equal(t, create, tableSQL(t, db, "users"))
		require.Empty(t, opRows(t, db, "SELECT * FROM pragma_foreign_key_list('users')"))
		require.Equal(t, 3, count(t, db.DB, "users"))
		require.Equal(t, rebuildTweets, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"))
		require.Equal(t, []string{"1"}, opRows(t, db, "PRAGMA foreign_keys"))
		require.Empty(t, opRows(t, db, "SELECT name FROM sqlite_master WHERE name LIKE '_kinglet_new_%'"))
	}

	t.Run("Apply", func(t *testing.T) {
		db, create := setup(t)
		err := ddl.Apply(t.Context(), db.DB, db.Dialect, addFK)
		require.ErrorIs(t, err, migrate.ErrForeignKeyViolation)
		require.ErrorContains(t, err, "add foreign key fk_users_team_id on users")
		require.ErrorContains(t, err, "users rowid 3 (team_id) references a missing row of teams")
		unchanged(t, db, create)
	})
	t.Run("runner", func(t *testing.T) {
		db, create := setup(t)
		r := newRunner(t, db, nil, migrate.WithGo(migrate.Migration{Version: 1, Name: "fk",
			Up: func(ctx context.Context, tx migrate.Execer) error {
				return ddl.Apply(ctx, tx, migrate.DialectFrom(ctx), addFK)
			}}))
		_, err := r.Up(t.Context())
		var pe *migrate.PartialError
		require.ErrorAs(t, err, &pe)
		require.ErrorIs(t, err, migrate.ErrForeignKeyViolation)
		require.ErrorContains(t, err, "users rowid 3 (team_id) references a missing row of teams")
		unchanged(t, db, create)
		require.Empty(t, historyVersions(t, db.DB))
	})
	t.Run("runner, SQL migration", func(t *testing.T) {
		db, _ := setup(t)
		opExec(t, db, "UPDATE users SET team_id = NULL WHERE id = 3")
		r := newRunner(t, db, files(
			"0001_orphan.up.sql", "INSERT INTO tweets (id, user_id, body) VALUES (9, 99, 'orphan');",
		))
		_, err := r.Up(t.Context())
		require.ErrorIs(t, err, migrate.ErrForeignKeyViolation)
		require.ErrorContains(t, err, "tweets rowid 9 (user_id) references a missing row of users")
		require.Equal(t, rebuildTweets, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"))
		require.Equal(t, []string{"1"}, opRows(t, db, "PRAGMA foreign_keys"))
		require.Empty(t, historyVersions(t, db.DB))
	})
}

// TestSQLiteRebuildInTransaction: foreign keys cannot be turned off inside
// a transaction, so a rebuild of a referenced table is refused there rather
// than deleting the child rows; an unreferenced table is rebuilt.
func TestSQLiteRebuildInTransaction(t *testing.T) {
	db := openRebuild(t)
	create := tableSQL(t, db, "users")
	tx, err := db.DB.BeginTx(t.Context(), nil)
	require.NoError(t, err)
	err = ddl.Apply(t.Context(), tx, db.Dialect, ddl.SetNotNull{Table: "users", Column: "name"})
	require.ErrorIs(t, err, ddl.ErrForeignKeysOn)
	require.ErrorContains(t, err, "rebuilds table users")
	require.ErrorContains(t, err, "rows of tweets that reference it")
	require.NoError(t, ddl.Apply(t.Context(), tx, db.Dialect, ddl.SetNotNull{Table: "audit", Column: "what"}))
	require.NoError(t, tx.Commit())
	require.Equal(t, create, tableSQL(t, db, "users"))
	require.Equal(t, rebuildTweets, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"))
	require.Equal(t, []string{"1"}, opRows(t, db, `SELECT "notnull" FROM pragma_table_info('audit') WHERE name = 'what'`))
}

// TestSQLiteRebuildRefusals: what a rebuild cannot carry over is an error
// that names it, and nothing changes.
func TestSQLiteRebuildRefusals(t *testing.T) {
	t.Run("trigger on a dropped column", func(t *testing.T) {
		db := openRebuild(t)
		create := tableSQL(t, db, "users")
		err := ddl.Apply(t.Context(), db.DB, db.Dialect, ddl.DropColumn{Table: "users", Column: "name"})
		require.ErrorIs(t, err, ddl.ErrInvalid)
		require.ErrorContains(t, err, "trigger users_audit of table users uses a column this change drops or renames (name)")
		require.Equal(t, create, tableSQL(t, db, "users"))
	})
	t.Run("generated column", func(t *testing.T) {
		db := openRebuild(t)
		opExec(t, db, "CREATE TABLE g (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL)")
		err := ddl.Apply(t.Context(), db.DB, db.Dialect, ddl.SetNotNull{Table: "g", Column: "a"})
		require.ErrorIs(t, err, ddl.ErrInvalid)
		require.ErrorContains(t, err, "table g has generated columns (b)")
	})
}

// TestSQLiteRebuildKeepsTableOptions: STRICT and WITHOUT ROWID survive, and
// dropping an indexed column drops only that column's index.
func TestSQLiteRebuildKeepsTableOptions(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	opExec(t, db, "CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER, w TEXT) STRICT, WITHOUT ROWID")
	opExec(t, db, "CREATE INDEX kv_v ON kv (v)")
	opExec(t, db, "CREATE INDEX kv_w ON kv (w)")
	opExec(t, db, "INSERT INTO kv (k, v, w) VALUES ('a', 1, 'x'), ('b', 2, 'y')")
	opApply(t, db, ddl.SetNotNull{Table: "kv", Column: "v"}, ddl.DropColumn{Table: "kv", Column: "w"})
	create := tableSQL(t, db, "kv")
	require.True(t, strings.HasSuffix(create, ") STRICT, WITHOUT ROWID"), create)
	require.Equal(t, []string{"a|1", "b|2"}, opRows(t, db, "SELECT k, v FROM kv ORDER BY k"))
	require.Equal(t, []string{"kv_v"}, opRows(t, db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kv' AND sql IS NOT NULL"))
	require.ErrorContains(t, opExecErr(t, db, "INSERT INTO kv (k, v) VALUES ('c', 'not a number')"), "cannot store TEXT value in INTEGER column")
}

// TestSQLiteApplyPinsConnection: through a *sql.DB of several connections,
// a rebuild runs on one (the pragmas are per connection) and the pool's
// connections all end with foreign keys on.
func TestSQLiteApplyPinsConnection(t *testing.T) {
	db := openRebuild(t)
	db.DB.SetMaxOpenConns(4)
	objects := usersObjects(t, db)
	opApply(t, db, ddl.SetNotNull{Table: "users", Column: "email"}, ddl.DropDefault{Table: "users", Column: "age"})
	conns := make([]*sql.Conn, 4)
	for i := range conns {
		c, err := db.DB.Conn(t.Context())
		require.NoError(t, err)
		conns[i] = c
		var fk int
		require.NoError(t, c.QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk))
		require.Equal(t, 1, fk)
	}
	for _, c := range conns {
		require.NoError(t, c.Close())
	}
	db.DB.SetMaxOpenConns(1)
	checkRebuilt(t, db, objects)
}

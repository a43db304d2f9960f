package migrate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
)

// bodies are migrations whose statements hold semicolons — strings,
// comments, trigger and function bodies — written for each engine.
var bodies = map[string][]string{
	testdb.SQLite: {
		"0001_tables.up.sql", `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL); -- a comment; with a semicolon
CREATE TABLE audit (item_id INTEGER, note TEXT);
/* a block comment;
   over lines */`,
		"0002_trigger.up.sql", `CREATE TRIGGER items_ai AFTER INSERT ON items
BEGIN
  INSERT INTO audit VALUES (new.id, 'added; ' || CASE WHEN new.name = '' THEN 'unnamed' ELSE new.name END);
  UPDATE audit SET note = note || ';' WHERE item_id = new.id;
END;
INSERT INTO items (id, name) VALUES (1, 'it''s; here');`,
		"0002_trigger.down.sql", "DROP TRIGGER items_ai;",
	},
	testdb.Postgres: {
		"0001_tables.up.sql", `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL); -- a comment; with a semicolon
CREATE TABLE audit (item_id INTEGER, note TEXT);
/* a /* nested; */ block comment; */`,
		"0002_trigger.up.sql", `CREATE FUNCTION items_audit() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  -- semicolons; everywhere
  INSERT INTO audit VALUES (NEW.id, 'added; ' || CASE WHEN NEW.name = '' THEN 'unnamed' ELSE NEW.name END || $$;$$);
  RETURN NEW;
END;
$body$;
CREATE TRIGGER items_ai AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_audit();
INSERT INTO items (id, name) VALUES (1, E'it\'s; here');`,
		"0002_trigger.down.sql", "DROP TRIGGER items_ai ON items;\nDROP FUNCTION items_audit();",
	},
	testdb.MySQL: {
		"0001_tables.up.sql", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL); -- a comment; with a semicolon\n" +
			"CREATE TABLE audit (item_id INTEGER, note TEXT); # another; comment\n/* a block comment; */",
		"0002_trigger.up.sql", `CREATE TRIGGER items_ai AFTER INSERT ON items FOR EACH ROW
BEGIN
  DECLARE n TEXT;
  IF NEW.name = '' THEN SET n = 'unnamed'; ELSE SET n = NEW.name; END IF;
  INSERT INTO audit VALUES (NEW.id, CONCAT('added; ', n, ';'));
END;
INSERT INTO items (id, name) VALUES (1, 'it\'s; here');`,
		"0002_trigger.down.sql", "DROP TRIGGER items_ai;",
	},
}

func TestBodies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		r := newRunner(t, db, files(bodies[db.Engine]...))
		res, err := r.Up(ctx)
		require.NoError(t, err)
		assert.Len(t, res, 2)
		var note string
		require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT note FROM audit WHERE item_id = 1").Scan(&note))
		assert.Equal(t, "added; it's; here;", note)

		_, err = r.Down(ctx)
		require.NoError(t, err)
		_, err = db.DB.ExecContext(ctx, "INSERT INTO items (id, name) VALUES (2, 'x')")
		require.NoError(t, err)
		assert.Equal(t, 1, count(t, db.DB, "audit"), "the trigger is gone")
	})
}

// TestProcedure runs a MySQL stored procedure with nested blocks and loops.
func TestProcedure(t *testing.T) {
	db := testdb.Open(t, testdb.MySQL)
	ctx := t.Context()
	r := newRunner(t, db, files("0001_proc.up.sql", `CREATE TABLE nums (n INT);
CREATE PROCEDURE fill(IN upto INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  fill_loop: WHILE i < upto DO
    SET i = i + 1;
    CASE WHEN i % 2 = 0 THEN
      BEGIN INSERT INTO nums VALUES (i); END;
    ELSE
      INSERT INTO nums VALUES (CASE WHEN i > 100 THEN 0 ELSE -i END);
    END CASE;
  END WHILE fill_loop;
END;
CALL fill(4);`))
	_, err := r.Up(ctx)
	require.NoError(t, err)
	var sum int
	require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT SUM(n) FROM nums").Scan(&sum))
	assert.Equal(t, 2, sum) // -1 + 2 - 3 + 4
}

// TestBeginAtomic runs a PostgreSQL 14+ SQL-standard function body.
func TestBeginAtomic(t *testing.T) {
	db := testdb.Open(t, testdb.Postgres)
	ctx := t.Context()
	var version int
	require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version))
	if version < 140000 {
		t.Skipf("BEGIN ATOMIC needs PostgreSQL 14, server is %d", version)
	}
	r := newRunner(t, db, files("0001_fn.up.sql", `CREATE TABLE calls (n INT);
CREATE FUNCTION twice(a int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO calls VALUES (a);
  SELECT CASE WHEN a > 0 THEN a * 2 ELSE 0 END;
END;
SELECT twice(21);`))
	_, err := r.Up(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, count(t, db.DB, "calls"))
}

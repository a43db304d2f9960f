package migrate

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
)

// fails is an expected Split error: a substring of its message.
type fails string

// splitCase expects, per engine ("sqlite", "postgres", "mysql"; "all" for
// the others), the statements ([]string) or an error (fails).
type splitCase struct {
	name string
	src  string
	want map[string]any
}

var splitDialects = []struct {
	key string
	d   dialect.Dialect
}{
	{"sqlite", dialect.SQLite}, {"postgres", dialect.Postgres}, {"mysql", dialect.MySQL}, {"mysql", dialect.MariaDB},
}

func all(stmts ...string) map[string]any { return map[string]any{"all": stmts} }

func failAll(msg string) map[string]any { return map[string]any{"all": fails(msg)} }

var splitCases = []splitCase{
	{"two statements", "CREATE TABLE a (x int);\nCREATE TABLE b (y int);\n",
		all("CREATE TABLE a (x int)", "CREATE TABLE b (y int)")},
	{"no final semicolon", "SELECT 1;\n  SELECT 2  \n", all("SELECT 1", "SELECT 2")},
	{"empty statements", " ; ;;\n;", all()},
	{"only comments", "-- one\n/* two; */\n-- three;\n", all()},
	{"empty", "", all()},
	{"leading comments dropped, inner kept", "-- header\n-- kinglet:no-transaction\n\nCREATE INDEX i ON t (x) -- why\n;\n-- trailing",
		all("CREATE INDEX i ON t (x) -- why")},
	{"semicolon in string", "INSERT INTO t VALUES ('a;b');SELECT 2", all("INSERT INTO t VALUES ('a;b')", "SELECT 2")},
	{"doubled quote", "SELECT 'it''s; fine'; SELECT 2", all("SELECT 'it''s; fine'", "SELECT 2")},
	{"escaped backslash", `SELECT 'a\\'; SELECT 2`, all(`SELECT 'a\\'`, "SELECT 2")},
	{"backslash before quote", `SELECT 'C:\'; SELECT ';'`, map[string]any{
		"sqlite":   []string{`SELECT 'C:\'`, `SELECT ';'`},
		"postgres": []string{`SELECT 'C:\'`, `SELECT ';'`},
		"mysql":    fails("line 1: string opened with ' not closed"),
	}},
	{"E string", `SELECT E'a\';b'; SELECT e'\\'; SELECT 3`, map[string]any{
		"postgres": []string{`SELECT E'a\';b'`, `SELECT e'\\'`, "SELECT 3"},
		"sqlite":   fails("string opened with ' not closed"),
		"mysql":    []string{`SELECT E'a\';b'`, `SELECT e'\\'`, "SELECT 3"},
	}},
	{"name ending in E is no E string", `SELECT typE'x;'; SELECT 2`, all(`SELECT typE'x;'`, "SELECT 2")},
	{"double-quoted name", `CREATE TABLE "a;b" ("c""; d" int); SELECT 1`, all(`CREATE TABLE "a;b" ("c""; d" int)`, "SELECT 1")},
	{"backquoted name", "CREATE TABLE `a;b` (`c``;` int); SELECT 1", all("CREATE TABLE `a;b` (`c``;` int)", "SELECT 1")},
	{"line comment", "SELECT 1 -- not; split\n; SELECT 2", all("SELECT 1 -- not; split", "SELECT 2")},
	{"hash comment", "SELECT 1 # a;b\n; SELECT 2", map[string]any{
		"mysql": []string{"SELECT 1 # a;b", "SELECT 2"},
		"all":   []string{"SELECT 1 # a", "b", "SELECT 2"},
	}},
	{"double dash without space", "SELECT 5--1; SELECT 2", map[string]any{
		"mysql": []string{"SELECT 5--1", "SELECT 2"},
		"all":   []string{"SELECT 5--1; SELECT 2"},
	}},
	{"double dash at the end", "SELECT 1;--", all("SELECT 1")},
	{"block comment", "SELECT 1 /* ; */; /* x; */ SELECT 2", all("SELECT 1 /* ; */", "SELECT 2")},
	{"nested block comment", "/* a /* b; */ c; */ SELECT 1; SELECT 2", map[string]any{
		"postgres": []string{"SELECT 1", "SELECT 2"},
		"all":      []string{"c", "*/ SELECT 1", "SELECT 2"},
	}},
	{"mysql executable comment", "/*!40101 SET NAMES utf8mb4 */;\nSELECT 1", map[string]any{
		"mysql": []string{"/*!40101 SET NAMES utf8mb4 */", "SELECT 1"},
		"all":   []string{"SELECT 1"},
	}},
	{"dollar-quoted function", `CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now(); -- a comment; with a semicolon
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER t BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();`, map[string]any{
		"postgres": []string{`CREATE FUNCTION touch() RETURNS trigger AS $$
BEGIN
  NEW.updated_at := now(); -- a comment; with a semicolon
  RETURN NEW;
END;
$$ LANGUAGE plpgsql`, "CREATE TRIGGER t BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch()"},
	}},
	{"tagged dollar quote", "DO $body$ BEGIN PERFORM '$$;'; END $body$; SELECT $1, a$b, $x", map[string]any{
		"postgres": []string{"DO $body$ BEGIN PERFORM '$$;'; END $body$", "SELECT $1, a$b, $x"},
	}},
	{"unclosed dollar quote", "SELECT 1;\nSELECT $q$ x;", map[string]any{"postgres": fails("line 2: dollar-quoted body $q$ not closed")}},
	{"sqlite trigger", `CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
  INSERT INTO log VALUES (new.id, 'a;');
  UPDATE c SET n = CASE WHEN n IS NULL THEN 1 ELSE n + 1 END;
END;
INSERT INTO t VALUES (1);`, map[string]any{
		"sqlite": []string{`CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
  INSERT INTO log VALUES (new.id, 'a;');
  UPDATE c SET n = CASE WHEN n IS NULL THEN 1 ELSE n + 1 END;
END`, "INSERT INTO t VALUES (1)"},
	}},
	{"temp trigger if not exists", "CREATE TEMP TRIGGER IF NOT EXISTS x AFTER DELETE ON t BEGIN DELETE FROM u; END; SELECT 1",
		map[string]any{"sqlite": []string{"CREATE TEMP TRIGGER IF NOT EXISTS x AFTER DELETE ON t BEGIN DELETE FROM u; END", "SELECT 1"}}},
	{"qualified end is a name", "CREATE TRIGGER x AFTER UPDATE ON t BEGIN UPDATE u SET a = new.end; END; SELECT 1",
		all("CREATE TRIGGER x AFTER UPDATE ON t BEGIN UPDATE u SET a = new.end; END", "SELECT 1")},
	{"mysql trigger with definer", "CREATE DEFINER=`root`@`localhost` TRIGGER bi BEFORE INSERT ON t FOR EACH ROW BEGIN\n" +
		"  IF NEW.x < 0 THEN SET NEW.x = 0; END IF;\n  SET NEW.y = NEW.x;\nEND;\nSELECT 1",
		map[string]any{"mysql": []string{"CREATE DEFINER=`root`@`localhost` TRIGGER bi BEFORE INSERT ON t FOR EACH ROW BEGIN\n" +
			"  IF NEW.x < 0 THEN SET NEW.x = 0; END IF;\n  SET NEW.y = NEW.x;\nEND", "SELECT 1"}}},
	{"mysql procedure", `CREATE PROCEDURE p(IN n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  lbl: WHILE i < n DO
    SET i = i + 1;
    CASE i WHEN 1 THEN SELECT 'one;'; ELSE BEGIN SELECT CASE WHEN i > 5 THEN 'big' END; END; END CASE;
    REPEAT SET i = i + 0; UNTIL TRUE END REPEAT;
    LOOP LEAVE lbl; END LOOP;
  END WHILE lbl;
END;
CALL p(3)`, map[string]any{"mysql": []string{`CREATE PROCEDURE p(IN n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  lbl: WHILE i < n DO
    SET i = i + 1;
    CASE i WHEN 1 THEN SELECT 'one;'; ELSE BEGIN SELECT CASE WHEN i > 5 THEN 'big' END; END; END CASE;
    REPEAT SET i = i + 0; UNTIL TRUE END REPEAT;
    LOOP LEAVE lbl; END LOOP;
  END WHILE lbl;
END`, "CALL p(3)"}}},
	{"postgres begin atomic", "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT a;\nEND;\nSELECT f(1)",
		map[string]any{"postgres": []string{"CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT a;\nEND", "SELECT f(1)"}}},
	{"function without a block", "CREATE FUNCTION f() RETURNS INT RETURN CASE WHEN 1 THEN 2 END; SELECT 1",
		all("CREATE FUNCTION f() RETURNS INT RETURN CASE WHEN 1 THEN 2 END", "SELECT 1")},
	{"transaction BEGIN is a statement", "BEGIN;\nCREATE TABLE a (x int);\nCOMMIT;", all("BEGIN", "CREATE TABLE a (x int)", "COMMIT")},
	{"columns named begin and end", "CREATE TABLE t (begin INT, `end` INT); CREATE TABLE u (start INT, end INT); SELECT 1",
		all("CREATE TABLE t (begin INT, `end` INT)", "CREATE TABLE u (start INT, end INT)", "SELECT 1")},
	{"table named trigger", "CREATE TABLE trigger_log (id INT); SELECT 1", all("CREATE TABLE trigger_log (id INT)", "SELECT 1")},
	{"view with case", "CREATE VIEW v AS SELECT CASE WHEN a THEN 1 END AS b FROM t; SELECT 1",
		all("CREATE VIEW v AS SELECT CASE WHEN a THEN 1 END AS b FROM t", "SELECT 1")},
	{"unclosed block", "SELECT 1;\nCREATE TRIGGER x AFTER INSERT ON t\nBEGIN SELECT 1;",
		failAll("line 3: BEGIN … END block not closed")},
	{"delimiter", "DELIMITER $$\nCREATE TRIGGER x BEGIN END$$\nDELIMITER ;", failAll("line 1: DELIMITER is a command of the mysql client")},
	{"unclosed string", "SELECT 1;\n\nSELECT 'abc;", failAll("line 3: string opened with ' not closed")},
	{"unclosed quoted name", "SELECT \"abc;", failAll(`line 1: quoted name opened with " not closed`)},
	{"unclosed comment", "SELECT 1; /* abc;", failAll("line 1: /* comment not closed")},
	{"crlf", "SELECT 1;\r\nSELECT 2;\r\n", all("SELECT 1", "SELECT 2")},
	{"unicode", "INSERT INTO café VALUES ('naïve; 😀');SELECT 'é'", all("INSERT INTO café VALUES ('naïve; 😀')", "SELECT 'é'")},
}

func TestSplit(t *testing.T) {
	for _, c := range splitCases {
		t.Run(c.name, func(t *testing.T) {
			for _, sd := range splitDialects {
				want, ok := c.want[sd.key]
				if !ok {
					want, ok = c.want["all"]
				}
				if !ok {
					continue
				}
				got, err := Split(sd.d, c.src)
				switch w := want.(type) {
				case fails:
					require.Error(t, err, "%s: %q", sd.d, got)
					assert.True(t, errors.Is(err, ErrInvalid), "%s: %v", sd.d, err)
					assert.Contains(t, err.Error(), string(w), sd.d.String())
				case []string:
					require.NoError(t, err, sd.d.String())
					if len(w) == 0 {
						w = nil
					}
					if len(got) == 0 {
						got = nil
					}
					assert.Equal(t, w, got, sd.d.String())
				}
			}
		})
	}
}

func TestSplitLines(t *testing.T) {
	src := "-- header\n\nCREATE TABLE a (\n  x int\n);\n/* note\n;\n */ INSERT INTO a VALUES (1);\n\n\nSELECT 'x\ny'; SELECT 3"
	got, err := splitStatements(syntaxFor(dialect.SQLite), src)
	require.NoError(t, err)
	var lines []int
	for _, s := range got {
		lines = append(lines, s.line)
	}
	assert.Equal(t, []int{3, 8, 11, 12}, lines)
}

// TestSplitDirectivesAndStatements checks that the statements of a file with
// a directive header do not include the header.
func TestSplitDirectivesAndStatements(t *testing.T) {
	sc, err := parseScript("0001_x.up.sql", "-- kinglet:no-transaction\n-- about\nCREATE INDEX CONCURRENTLY i ON t (x);\n", syntaxFor(dialect.Postgres))
	require.NoError(t, err)
	assert.True(t, sc.noTx)
	require.Len(t, sc.stmts, 1)
	assert.Equal(t, "CREATE INDEX CONCURRENTLY i ON t (x)", sc.stmts[0].sql)
	assert.Equal(t, 3, sc.stmts[0].line)

	for src, msg := range map[string]string{
		"-- kinglet:no-transactions\nSELECT 1":   `unknown directive "-- kinglet:no-transactions"`,
		"SELECT 1;\n-- kinglet:no-transaction\n": "must come before the first statement",
		"SELECT 'unclosed":                       "invalid migrations: 0001_x.up.sql:1: string opened with ' not closed",
	} {
		_, err := parseScript("0001_x.up.sql", src, syntaxFor(dialect.SQLite))
		require.Error(t, err, src)
		assert.ErrorIs(t, err, ErrInvalid)
		assert.Contains(t, err.Error(), msg)
	}
}

package migrate

import (
	"reflect"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
)

func TestCanonExpr(t *testing.T) {
	for _, c := range []struct {
		fam         family
		stored, src string
	}{
		{famPostgres, "age >= 0", "age >= 0"},
		{famMySQL, "`age` >= 0", "age >= 0"},
		{famMySQL, "(`age` >= 0)", "age >= 0"},
		{famPostgres, "balance > 0::numeric", "balance > 0"},
		{famPostgres, "s2::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])", "s2 IN ('a','b')"},
		{famPostgres, "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", "status IN ('a', 'b')"},
		{famPostgres, "s2::text <> ALL (ARRAY['a'::text, 'b'::text])", "s2 NOT IN ('a','b')"},
		{famMySQL, "(`status` in (_utf8mb4'a',_utf8mb4'b'))", "status IN ('a','b')"},
		{famMySQL, "`s2` in ('a','b')", "s2 in ('a','b')"},
		{famPostgres, "age >= 1 AND age <= 5", "age BETWEEN 1 AND 5"},
		{famPostgres, "age < 1 OR age > 5", "age NOT BETWEEN 1 AND 5"},
		{famMySQL, "`age` between 1 and 5", "age BETWEEN 1 AND 5"},
		{famPostgres, "bio ~~ 'x%'::text", "bio LIKE 'x%'"},
		{famPostgres, "bio !~~ 'x%'::text", "bio NOT LIKE 'x%'"},
		{famPostgres, "age <> 3", "age != 3"},
		{famMySQL, "octet_length(`bio`) > 0", "length(bio) > 0"},
		{famPostgres, "length(bio) > 0", "LENGTH(bio) > 0"},
		{famMySQL, "`name` <> 'it\\'s'", "name <> 'it''s'"},
		{famSQLite, "\"deleted_at\" IS NULL", "deleted_at is null"},
		{famPostgres, "views >= '-1'::integer", "views >= -1"},
		{famPostgres, "(views >= (- 1))", "views >= -1"},
		{famPostgres, "a - 1 > 0", "a - 1 > 0"},
		{famPostgres, "created_at > '2020-01-01 00:00:00+00'::timestamp with time zone", "created_at > '2020-01-01 00:00:00+00'"},
	} {
		if got, want := canonExpr(c.stored, c.fam), canonExpr(c.src, c.fam); got != want {
			t.Errorf("canonExpr(%q) = %q, canonExpr(%q) = %q; want equal", c.stored, got, c.src, want)
		}
	}
	for _, c := range [][2]string{
		{"age >= 0", "age > 0"},
		{"status IN ('a','b')", "status IN ('a','c')"},
		{"a = 'X'", "a = 'x'"},
		{"a - 1 > 0", "a > -1"},
	} {
		if canonExpr(c[0], famPostgres) == canonExpr(c[1], famPostgres) {
			t.Errorf("canonExpr(%q) == canonExpr(%q); want different", c[0], c[1])
		}
	}
}

func TestNormalizeDefault(t *testing.T) {
	for _, c := range []struct {
		d       dialect.Dialect
		in, out string
	}{
		{dialect.Postgres, "'x'::character varying", "'x'"},
		{dialect.Postgres, "'it''s'::text", "'it''s'"},
		{dialect.Postgres, "'-1'::integer", "-1"},
		{dialect.Postgres, "'-0.25'::numeric", "-0.25"},
		{dialect.Postgres, "'12'::text", "'12'"},
		{dialect.Postgres, "NULL::character varying", "NULL"},
		{dialect.Postgres, "true", "TRUE"},
		{dialect.Postgres, "now()", "CURRENT_TIMESTAMP"},
		{dialect.Postgres, "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
		{dialect.Postgres, "'{}'::jsonb", "'{}'"},
		{dialect.Postgres, "'\\x0102'::bytea", "'\\x0102'"},
		{dialect.Postgres, "lower('X'::text)", "lower('X'::text)"},
		{dialect.MariaDB, "current_timestamp()", "CURRENT_TIMESTAMP"},
		{dialect.MariaDB, "current_timestamp(6)", "CURRENT_TIMESTAMP(6)"},
		{dialect.MariaDB, "'it''s'", "'it''s'"},
		{dialect.MariaDB, "'it\\'s'", "'it''s'"},
		{dialect.MariaDB, "'a\\\\b'", "'a\\\\b'"},
		{dialect.MySQL, "('hello')", "'hello'"},
		{dialect.MySQL, "(_utf8mb4'hello')", "'hello'"},
		{dialect.MySQL, "_utf8mb4'hello'", "'hello'"},
		{dialect.MySQL, "now(6)", "CURRENT_TIMESTAMP(6)"},
		{dialect.SQLite, "(-1)", "-1"},
		{dialect.SQLite, "  1.5 ", "1.5"},
		{dialect.SQLite, "((( 'a' )))", "'a'"},
		{dialect.SQLite, "(lower('X'))", "(lower('X'))"},
		{dialect.SQLite, "X'0102'", "X'0102'"},
		{dialect.SQLite, "now", "now"},
		{dialect.SQLite, "", ""},
	} {
		if got := normalizeDefault(c.d, c.in); got != c.out {
			t.Errorf("%s: normalizeDefault(%q) = %q, want %q", c.d, c.in, got, c.out)
		}
	}
}

func TestDefaultsEqual(t *testing.T) {
	for _, c := range []struct {
		a, b string
		eq   bool
	}{
		{"0.50", "0.5", true},
		{"TRUE", "1", true},
		{"FALSE", "0", true},
		{"TRUE", "0", false},
		{"'1'", "1", false},
		{"-1", "-1.0", true},
		{"1e2", "100", true},
		{"'a'", "'b'", false},
		{"CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", true},
	} {
		if got := defaultsEqual(c.a, c.b); got != c.eq {
			t.Errorf("defaultsEqual(%q, %q) = %v, want %v", c.a, c.b, got, c.eq)
		}
	}
}

// TestMySQLDefaults: what COLUMN_DEFAULT holds on MySQL 8 and on MariaDB,
// and the default Inspect reports for it.
func TestMySQLDefaults(t *testing.T) {
	for _, c := range []struct {
		mariadb               bool
		dflt, dataType, extra string
		want                  string
	}{
		{false, "abc", "varchar", "", "'abc'"},
		{false, "it's", "varchar", "", "'it''s'"},
		{false, "1", "varchar", "", "'1'"},
		{false, "0", "tinyint", "", "0"},
		{false, "-1.5", "double", "", "-1.5"},
		{false, "CURRENT_TIMESTAMP(6)", "datetime", "default_generated", "CURRENT_TIMESTAMP(6)"},
		{false, `_utf8mb4\'hello\'`, "longtext", "default_generated", "'hello'"},
		{false, "2020-01-01 00:00:00", "datetime", "", "'2020-01-01 00:00:00'"},
		{true, "'abc'", "varchar", "", "'abc'"},
		{true, "'it''s'", "varchar", "", "'it''s'"},
		{true, "current_timestamp()", "timestamp", "", "CURRENT_TIMESTAMP"},
		{true, "1", "tinyint", "", "1"},
		{true, "NULL", "varchar", "", "NULL"},
	} {
		d := dialect.MySQL
		if c.mariadb {
			d = dialect.MariaDB
		}
		cat := mysqlCatalog{d: d, mariadb: c.mariadb}
		if got := normalizeDefault(d, cat.defaultSQL(c.dflt, c.dataType, c.extra)); got != c.want {
			t.Errorf("%s: default %q (%s, %q) = %q, want %q", d, c.dflt, c.dataType, c.extra, got, c.want)
		}
	}
}

func TestParseSQLiteTable(t *testing.T) {
	def := parseSQLiteTable(`CREATE TABLE "t" ( -- a comment with ( and ,
		"id" INTEGER CONSTRAINT pk PRIMARY KEY AUTOINCREMENT,
		[a b] TEXT CONSTRAINT uq_ab UNIQUE CONSTRAINT ck_ab CHECK ([a b] <> 'x)'' ,'),
		c NUMERIC(10, 2) DEFAULT (1 + 2) REFERENCES other (id) ON DELETE CASCADE,
		d TEXT /* unique */ UNIQUE CHECK (length(d) > 0),
		e INT CONSTRAINT fk_e REFERENCES other,
		UNIQUE (c, d),
		CONSTRAINT uq_cd UNIQUE ("c" COLLATE NOCASE, d DESC),
		CONSTRAINT ck_t CHECK (c > 0 AND (d IS NULL OR d <> '')),
		CHECK (e IS NOT NULL),
		CONSTRAINT fk_cd FOREIGN KEY (c, d) REFERENCES other (x, y)
	) WITHOUT ROWID`)
	if !def.autoinc["id"] || len(def.autoinc) != 1 {
		t.Errorf("autoinc = %v, want only id", def.autoinc)
	}
	wantUniques := []namedCols{{"uq_ab", []string{"a b"}}, {"", []string{"d"}}, {"", []string{"c", "d"}}, {"uq_cd", []string{"c", "d"}}}
	if !reflect.DeepEqual(def.uniques, wantUniques) {
		t.Errorf("uniques = %v, want %v", def.uniques, wantUniques)
	}
	wantFKs := []namedCols{{"", []string{"c"}}, {"fk_e", []string{"e"}}, {"fk_cd", []string{"c", "d"}}}
	if !reflect.DeepEqual(def.fks, wantFKs) {
		t.Errorf("fks = %v, want %v", def.fks, wantFKs)
	}
	wantChecks := []Check{
		{"ck_ab", "[a b] <> 'x)'' ,'"},
		{"", "length(d) > 0"},
		{"ck_t", "c > 0 AND (d IS NULL OR d <> '')"},
		{"", "e IS NOT NULL"},
	}
	if !reflect.DeepEqual(def.checks, wantChecks) {
		t.Errorf("checks = %q, want %q", def.checks, wantChecks)
	}
	named := sqliteChecks("t", append(def.checks, Check{Name: "ck_t_2", Expr: "1"}))
	if got := []string{named[1].Name, named[3].Name}; !reflect.DeepEqual(got, []string{"ck_t_3", "ck_t_4"}) {
		t.Errorf("derived check names = %v, want ck_t_3 (ck_t_2 is taken), ck_t_4", got)
	}

	ix := parseSQLiteIndex(`CREATE UNIQUE INDEX "ix" ON "t" (lower("a b"), c DESC, "d") WHERE d IS NOT NULL AND c > 'where'`)
	if want := []string{`lower("a b")`, "c DESC", `"d"`}; !reflect.DeepEqual(ix.parts, want) {
		t.Errorf("parts = %q, want %q", ix.parts, want)
	}
	if want := "d IS NOT NULL AND c > 'where'"; ix.where != want {
		t.Errorf("where = %q, want %q", ix.where, want)
	}
	if def := parseSQLiteTable("CREATE TABLE t AS SELECT 1"); len(def.checks)+len(def.uniques)+len(def.fks) != 0 {
		t.Errorf("CREATE TABLE AS: %v", def)
	}
	parseSQLiteTable("CREATE TABLE t (a CHECK (") // unbalanced: no panic
	parseSQLiteIndex("CREATE INDEX i ON t (a")    // unbalanced: no panic
}

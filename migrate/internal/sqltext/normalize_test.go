package sqltext

import (
	"testing"

	"github.com/kingletdb/kinglet/dialect"
)

func TestCanonExpr(t *testing.T) {
	for _, c := range []struct {
		fam         Family
		stored, src string
	}{
		{Postgres, "age >= 0", "age >= 0"},
		{MySQL, "`age` >= 0", "age >= 0"},
		{MySQL, "(`age` >= 0)", "age >= 0"},
		{Postgres, "balance > 0::numeric", "balance > 0"},
		{Postgres, "s2::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])", "s2 IN ('a','b')"},
		{Postgres, "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", "status IN ('a', 'b')"},
		{Postgres, "s2::text <> ALL (ARRAY['a'::text, 'b'::text])", "s2 NOT IN ('a','b')"},
		{MySQL, "(`status` in (_utf8mb4'a',_utf8mb4'b'))", "status IN ('a','b')"},
		{MySQL, "`s2` in ('a','b')", "s2 in ('a','b')"},
		{Postgres, "age >= 1 AND age <= 5", "age BETWEEN 1 AND 5"},
		{Postgres, "age < 1 OR age > 5", "age NOT BETWEEN 1 AND 5"},
		{MySQL, "`age` between 1 and 5", "age BETWEEN 1 AND 5"},
		{Postgres, "bio ~~ 'x%'::text", "bio LIKE 'x%'"},
		{Postgres, "bio !~~ 'x%'::text", "bio NOT LIKE 'x%'"},
		{Postgres, "age <> 3", "age != 3"},
		{MySQL, "octet_length(`bio`) > 0", "length(bio) > 0"},
		{Postgres, "length(bio) > 0", "LENGTH(bio) > 0"},
		{MySQL, "`name` <> 'it\\'s'", "name <> 'it''s'"},
		{SQLite, "\"deleted_at\" IS NULL", "deleted_at is null"},
		{Postgres, "views >= '-1'::integer", "views >= -1"},
		{Postgres, "(views >= (- 1))", "views >= -1"},
		{Postgres, "a - 1 > 0", "a - 1 > 0"},
		{Postgres, "created_at > '2020-01-01 00:00:00+00'::timestamp with time zone", "created_at > '2020-01-01 00:00:00+00'"},
	} {
		if got, want := CanonExpr(c.stored, c.fam), CanonExpr(c.src, c.fam); got != want {
			t.Errorf("canonExpr(%q) = %q, canonExpr(%q) = %q; want equal", c.stored, got, c.src, want)
		}
	}
	for _, c := range [][2]string{
		{"age >= 0", "age > 0"},
		{"status IN ('a','b')", "status IN ('a','c')"},
		{"a = 'X'", "a = 'x'"},
		{"a - 1 > 0", "a > -1"},
	} {
		if CanonExpr(c[0], Postgres) == CanonExpr(c[1], Postgres) {
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
		if got := NormalizeDefault(c.d, c.in); got != c.out {
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
		if got := DefaultsEqual(c.a, c.b); got != c.eq {
			t.Errorf("defaultsEqual(%q, %q) = %v, want %v", c.a, c.b, got, c.eq)
		}
	}
}

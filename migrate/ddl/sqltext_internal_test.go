package ddl

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/schema"
)

func TestSQLMentions(t *testing.T) {
	cases := []struct {
		sql, name string
		want      bool
	}{
		{"age >= 0", "age", true},
		{"AGE >= 0", "age", true},
		{`"age" >= 0`, "age", true},
		{"`age` >= 0", "age", true},
		{"[age] >= 0", "age", true},
		{"NEW.age > 1", "age", true},
		{"'age' = x", "age", false},       // a string
		{"age_max > 0", "age", false},     // another word
		{"-- age\nx > 0", "age", false},   // a comment
		{"/* age */ x > 0", "age", false}, // a comment
		{"length(name) > 0", "length", false},
		{"length(name) > 0", "name", true},
		{`"we""ird" > 0`, `we"ird`, true},
		{"", "age", false},
	}
	for _, c := range cases {
		require.Equal(t, c.want, sqlMentions(c.sql, c.name), "%q in %q", c.name, c.sql)
	}
}

func TestSQLRenameIdent(t *testing.T) {
	quote := func(s string) string { return string(dialect.SQLite.AppendIdent(nil, s)) }
	cases := []struct {
		sql, from, to string
		after         int
		want          string
	}{
		{"age >= 0 AND 'age' <> x", "age", "years", 0, "years >= 0 AND 'age' <> x"},
		{`"age" >= 0`, "age", "years", 0, `"years" >= 0`},
		{"`age` >= 0", "age", "ye`ars", 0, "`ye``ars` >= 0"},
		{"age >= 0", "age", "Years", 0, `"Years" >= 0`},
		{`CREATE INDEX age ON age (age, lower(age)) WHERE age > 0`, "age", "years", 1,
			`CREATE INDEX age ON age (years, lower(years)) WHERE years > 0`},
	}
	for _, c := range cases {
		require.Equal(t, c.want, sqlRenameIdentAfter(c.sql, c.from, c.to, c.after, quote))
	}
}

func TestSQLiteTableOptions(t *testing.T) {
	require.Equal(t, "", sqliteTableOptions(`CREATE TABLE t (a INT, b TEXT DEFAULT ')')`))
	require.Equal(t, " STRICT, WITHOUT ROWID", sqliteTableOptions("CREATE TABLE t (a INT CHECK (a > (1)), b) STRICT, WITHOUT ROWID"))
	require.Equal(t, " WITHOUT ROWID", sqliteTableOptions(`CREATE TABLE "t(" (a) WITHOUT ROWID`))
}

func TestValidTypeName(t *testing.T) {
	for _, ok := range []string{"INTEGER", "VARCHAR(100)", "NUMERIC(10, 2)", "bigint unsigned", "enum('a','b''c')",
		"timestamp(6) with time zone", "double precision", "pg_catalog.int4"} {
		require.True(t, validTypeName(ok), ok)
	}
	for _, bad := range []string{"", " ", "INT; DROP TABLE x", "INT)", "VARCHAR(10", "INT -- x", "enum('a)", "TEXT'", "INT, x INT"} {
		require.False(t, validTypeName(bad), bad)
	}
}

func TestDefaults(t *testing.T) {
	require.Nil(t, defaultValue(dialect.Postgres, schema.Column{Default: "null"}))
	require.Equal(t, "it's", defaultValue(dialect.Postgres, schema.Column{Default: "'it''s'"}))
	require.Equal(t, int64(-5), defaultValue(dialect.Postgres, schema.Column{Default: "-5"}))
	for _, c := range []struct {
		text string
		ok   bool
	}{{"'x'", true}, {"-1.5", true}, {"TRUE", true}, {"NULL", true}, {"X'00ff'", true},
		{"CURRENT_TIMESTAMP", false}, {"(1 + 1)", false}, {"lower('x')", false}} {
		require.Equal(t, c.ok, constantDefault(c.text), c.text)
	}
	require.True(t, sqliteCanAdd(schema.Column{Nullable: true}))
	require.True(t, sqliteCanAdd(schema.Column{Default: "0", HasDefault: true}))
	require.False(t, sqliteCanAdd(schema.Column{}), "NOT NULL without a default")
	require.False(t, sqliteCanAdd(schema.Column{Default: "NULL", HasDefault: true}), "NOT NULL defaulting to NULL")
	require.False(t, sqliteCanAdd(schema.Column{Nullable: true, Default: "CURRENT_TIMESTAMP", HasDefault: true}))
}

package lint_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/lint"
	"github.com/kingletdb/kinglet/migrate/schema"
)

var engines = []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL, dialect.MariaDB}

// found is a warning as the tests expect it: kind table.column.
func found(ws []lint.Warning) []string {
	var out []string
	for _, w := range ws {
		s := w.Kind.String() + " " + w.Table
		if w.Column != "" {
			s += "." + w.Column
		}
		out = append(out, s)
	}
	return out
}

// TestStatements: each warning on each engine it applies to, from SQL as
// people write it, and the near misses that are safe.
func TestStatements(t *testing.T) {
	type want map[string][]string // engine name -> warnings; absent: none
	all := func(ws ...string) want {
		return want{"sqlite": ws, "postgres": ws, "mysql": ws, "mariadb": ws}
	}
	for _, c := range []struct {
		name  string
		stmts []string
		want  want
	}{
		{"not null without default", []string{"ALTER TABLE users ADD COLUMN age INTEGER NOT NULL"},
			all("not-null-without-default users.age")},
		{"not null without default, no COLUMN word, quoted, qualified", []string{`ALTER TABLE app."Users" ADD "Age" int NOT NULL, ADD note text`},
			all("not-null-without-default Users.Age")},
		{"not null with a default", []string{"ALTER TABLE users ADD COLUMN age INTEGER NOT NULL DEFAULT 0"}, nil},
		{"nullable", []string{"ALTER TABLE users ADD COLUMN age INTEGER"}, nil},
		{"on a table of this migration", []string{"CREATE TABLE t (id INTEGER PRIMARY KEY)", "ALTER TABLE t ADD COLUMN a INTEGER NOT NULL",
			"CREATE INDEX t_a ON t (a)", "ALTER TABLE t DROP COLUMN a"}, nil},
		{"type change", []string{"ALTER TABLE users ALTER COLUMN age TYPE bigint", "ALTER TABLE users ALTER name SET DATA TYPE text"},
			want{"postgres": {"type-rewrite users.age", "type-rewrite users.name"}}},
		{"modify", []string{"ALTER TABLE users MODIFY COLUMN age BIGINT NOT NULL", "ALTER TABLE users CHANGE name full_name VARCHAR(200)"},
			want{"mysql": {"type-rewrite users.age", "type-rewrite users.name"}, "mariadb": {"type-rewrite users.age", "type-rewrite users.name"}}},
		{"index", []string{"CREATE INDEX users_age ON users (age)", "CREATE UNIQUE INDEX IF NOT EXISTS users_email ON ONLY public.users (email)"},
			want{"postgres": {"index-lock users", "index-lock users"}}},
		{"index concurrently", []string{"CREATE INDEX CONCURRENTLY users_age ON users (age)"}, nil},
		{"unique constraint", []string{"ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)"},
			want{"postgres": {"index-lock users"}}},
		{"unique constraint from an index", []string{"ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email"}, nil},
		{"drop column", []string{"ALTER TABLE users DROP COLUMN age", "ALTER TABLE users DROP IF EXISTS note"},
			all("drop-column users.age", "drop-column users.note")},
		{"drop constraint, default, not null", []string{"ALTER TABLE users DROP CONSTRAINT ck", "ALTER TABLE users ALTER COLUMN a DROP DEFAULT",
			"ALTER TABLE users ALTER COLUMN a DROP NOT NULL", "ALTER TABLE users DROP FOREIGN KEY fk", "ALTER TABLE users DROP INDEX ix"}, nil},
		{"drop table", []string{"DROP TABLE IF EXISTS users, tweets CASCADE"}, all("drop-table users", "drop-table tweets")},
		{"rebuild", []string{`CREATE TABLE "_kinglet_new_users" (id INTEGER PRIMARY KEY, age INTEGER NOT NULL)`,
			`INSERT INTO "_kinglet_new_users" (id, age) SELECT id, age FROM "users"`, `DROP TABLE "users"`,
			`ALTER TABLE "_kinglet_new_users" RENAME TO "users"`},
			want{"sqlite": {"sqlite-rebuild users"}}},
		{"other statements", []string{"INSERT INTO users VALUES (1)", "UPDATE users SET a = 1", "PRAGMA foreign_keys = ON", "SELECT 1"}, nil},
	} {
		for _, d := range engines {
			t.Run(c.name+"/"+d.Name(), func(t *testing.T) {
				ws := lint.Statements(d, c.stmts)
				assert.Equal(t, c.want[d.Name()], found(ws))
				for _, w := range ws {
					assert.Equal(t, d.Name(), w.Engine)
					assert.NotEmpty(t, w.Message)
					assert.NotEmpty(t, w.Suggestion)
					assert.Equal(t, strings.TrimSpace(c.stmts[w.Index-1]), w.Statement)
				}
			})
		}
	}
}

// TestOps: the same warnings from a diff's operations, against the schema
// they change.
func TestOps(t *testing.T) {
	current := &schema.Schema{Tables: []*schema.Table{{
		Name: "users",
		Columns: []schema.Column{
			{Name: "id", Of: fields.ColumnType{Kind: fields.KindInt64}, AutoIncrement: true},
			{Name: "age", Of: fields.ColumnType{Kind: fields.KindInt32}, Nullable: true},
			{Name: "note", Of: fields.ColumnType{Kind: fields.KindString}, Nullable: true},
		},
		PrimaryKey: []string{"id"},
	}, {
		Name:       "old",
		Columns:    []schema.Column{{Name: "id", Of: fields.ColumnType{Kind: fields.KindInt64}}},
		PrimaryKey: []string{"id"},
	}}}
	i64 := fields.ColumnType{Kind: fields.KindInt64}
	for _, c := range []struct {
		name string
		ops  []ddl.Op
		want map[string][]string
	}{
		{"not null without default", []ddl.Op{ddl.AddColumn{Table: "users", Column: schema.Column{Name: "level", Of: i64}}},
			map[string][]string{"sqlite": {"not-null-without-default users.level", "sqlite-rebuild users"},
				"postgres": {"not-null-without-default users.level"}, "mysql": {"not-null-without-default users.level"},
				"mariadb": {"not-null-without-default users.level"}}},
		{"not null with a default", []ddl.Op{ddl.AddColumn{Table: "users", Column: schema.Column{Name: "level", Of: i64, Default: "0", HasDefault: true}}}, nil},
		{"type change", []ddl.Op{ddl.AlterColumnType{Table: "users", Column: "age", Of: i64}},
			map[string][]string{"sqlite": {"sqlite-rebuild users"}, "postgres": {"type-rewrite users.age"},
				"mysql": {"type-rewrite users.age"}, "mariadb": {"type-rewrite users.age"}}},
		{"index", []ddl.Op{ddl.AddIndex{Table: "users", Index: schema.Index{Name: "users_age", Columns: []string{"age"}}}},
			map[string][]string{"postgres": {"index-lock users"}}},
		{"new table", []ddl.Op{
			ddl.CreateTable{Table: &schema.Table{Name: "t", Columns: []schema.Column{{Name: "id", Of: i64}}, PrimaryKey: []string{"id"}}},
			ddl.AddColumn{Table: "t", Column: schema.Column{Name: "a", Of: i64}},
			ddl.AddIndex{Table: "t", Index: schema.Index{Name: "t_a", Columns: []string{"a"}}}}, nil},
		{"drops", []ddl.Op{ddl.DropColumn{Table: "users", Column: "note"}, ddl.DropTable{Name: "old"}},
			map[string][]string{"sqlite": {"drop-column users.note", "drop-table old"}, "postgres": {"drop-column users.note", "drop-table old"},
				"mysql": {"drop-column users.note", "drop-table old"}, "mariadb": {"drop-column users.note", "drop-table old"}}},
		{"set not null", []ddl.Op{ddl.SetNotNull{Table: "users", Column: "age"}},
			map[string][]string{"sqlite": {"sqlite-rebuild users"}}},
	} {
		for _, d := range engines {
			t.Run(c.name+"/"+d.Name(), func(t *testing.T) {
				ws, err := lint.Ops(d, current, c.ops)
				require.NoError(t, err)
				assert.Equal(t, c.want[d.Name()], found(ws))
			})
		}
	}
}

func TestWarningString(t *testing.T) {
	ws := lint.Statements(dialect.Postgres, []string{"ALTER TABLE users ADD COLUMN age int NOT NULL"})
	require.Len(t, ws, 1)
	assert.Equal(t, "postgres: users.age: adding NOT NULL column age without a default fails when users has rows; "+
		"safer: add age as NULL, backfill it in batches, then make it NOT NULL in a later migration (or give it a DEFAULT)", ws[0].String())
	assert.Empty(t, lint.Statements(nil, []string{"DROP TABLE x"}))
	assert.Equal(t, "kind(99)", lint.Kind(99).String())
}

func ExampleStatements() {
	for _, w := range lint.Statements(dialect.Postgres, []string{
		"CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL)",
		"CREATE INDEX tags_name ON tags (name)", // a new table: nothing to lock
		"CREATE INDEX users_email ON users (email)",
		"ALTER TABLE users DROP COLUMN nickname",
	}) {
		fmt.Printf("%d %s %s: %s\n", w.Index, w.Kind, w.Table, w.Suggestion)
	}
	// Output:
	// 3 index-lock users: CREATE INDEX CONCURRENTLY (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX, for a constraint) in a migration of its own whose file starts with -- kinglet:no-transaction
	// 4 drop-column users: stop reading and writing nickname in the code and deploy that first, back the data up, then drop it in a later migration
}

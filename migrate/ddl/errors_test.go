package ddl_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// TestStatementsErrors: bad operations fail with an error that wraps a
// sentinel and names the operation, the table or column, and the dialect
// where it matters.
func TestStatementsErrors(t *testing.T) {
	mysql8015, err := dialect.ForVersion("mysql", "8.0.15")
	require.NoError(t, err)
	cases := []struct {
		name    string
		d       dialect.Dialect
		current *schema.Schema // nil: goldenSchema()
		noCur   bool           // pass a nil current schema
		op      ddl.Op
		is      error
		want    []string // in the message
	}{
		{"nil op", dialect.Postgres, nil, false, nil, ddl.ErrInvalid, []string{"operation 1 is nil"}},
		{"empty table", dialect.Postgres, nil, false, ddl.AddColumn{Column: schema.Column{Name: "x", Type: "INT"}}, ddl.ErrInvalid,
			[]string{"add column .x", "empty table name"}},
		{"empty column", dialect.SQLite, nil, false, ddl.DropColumn{Table: "users"}, ddl.ErrInvalid, []string{"empty column name"}},
		{"unknown column", dialect.Postgres, nil, false, ddl.DropColumn{Table: "users", Column: "nope"}, ddl.ErrInvalid,
			[]string{"drop column users.nope", "table users has no column nope (it has id, name, email, age)"}},
		{"existing column", dialect.MySQL, nil, false, ddl.AddColumn{Table: "users", Column: schema.Column{Name: "email", Type: "INT"}}, ddl.ErrInvalid,
			[]string{"table users already has a column email"}},
		{"no type", dialect.Postgres, nil, false, ddl.AddColumn{Table: "users", Column: schema.Column{Name: "x"}}, ddl.ErrInvalid,
			[]string{"column x has neither Type nor Of", "users"}},
		{"bad type", dialect.Postgres, nil, false, ddl.AddColumn{Table: "users", Column: schema.Column{Name: "x", Type: "INT; DROP TABLE users"}}, ddl.ErrInvalid,
			[]string{"column x", `type "INT; DROP TABLE users"`}},
		{"auto-increment column added", dialect.Postgres, nil, false, ddl.AddColumn{Table: "users", Column: schema.Column{Name: "n", Type: "BIGINT", AutoIncrement: true}},
			ddl.ErrInvalid, []string{"auto-increment column is created with its table"}},
		{"alter type without a type", dialect.Postgres, nil, false, ddl.AlterColumnType{Table: "users", Column: "age"}, ddl.ErrInvalid,
			[]string{"neither Type nor Of"}},
		{"MODIFY without the schema", dialect.MySQL, nil, true, ddl.SetNotNull{Table: "users", Column: "email"}, ddl.ErrInvalid,
			[]string{"set not null on users.email", "MODIFY COLUMN on mysql 8.0.31 needs the current definition of table users"}},
		{"rebuild without the schema", dialect.SQLite, nil, true, ddl.AlterColumnType{Table: "users", Column: "age", Type: "BIGINT"}, ddl.ErrInvalid,
			[]string{"rebuilding the table on sqlite 3.46.0 needs the current definition of table users"}},
		{"partial index on MySQL", dialect.MySQL, nil, false, ddl.AddIndex{Table: "users", Index: schema.Index{Name: "i", Columns: []string{"age"}, Where: "age > 0"}},
			dialect.ErrUnsupported, []string{"add index i on users", "partial index", "mysql 8.0.31"}},
		{"partial unique constraint", dialect.Postgres, nil, false, ddl.AddIndex{Table: "users", Index: schema.Index{Name: "u", Columns: []string{"age"}, Constraint: true, Unique: true, Where: "age > 0"}},
			ddl.ErrInvalid, []string{"a unique constraint cannot have a WHERE"}},
		{"index without columns", dialect.SQLite, nil, false, ddl.AddIndex{Table: "users", Index: schema.Index{Name: "i"}}, ddl.ErrInvalid,
			[]string{"index i has no columns"}},
		{"index without a name", dialect.SQLite, nil, false, ddl.AddIndex{Table: "users", Index: schema.Index{Columns: []string{"age"}}}, ddl.ErrInvalid,
			[]string{"empty index name"}},
		{"index on a missing column", dialect.Postgres, nil, false, ddl.AddIndex{Table: "users", Index: schema.Index{Name: "i", Columns: []string{"nope"}}}, ddl.ErrInvalid,
			[]string{"table users has no column nope"}},
		{"foreign key action", dialect.Postgres, nil, false, ddl.AddForeignKey{Table: "tweets", ForeignKey: schema.ForeignKey{Columns: []string{"user_id"},
			RefTable: "users", RefColumns: []string{"id"}, OnDelete: "EXPLODE"}}, ddl.ErrInvalid, []string{`foreign key action "EXPLODE"`}},
		{"foreign key columns", dialect.MySQL, nil, false, ddl.AddForeignKey{Table: "tweets", ForeignKey: schema.ForeignKey{Columns: []string{"user_id"},
			RefTable: "users"}}, ddl.ErrInvalid, []string{"the column lists must be non-empty and of the same length"}},
		{"SET DEFAULT on InnoDB", dialect.MariaDB, nil, false, ddl.AddForeignKey{Table: "tweets", ForeignKey: schema.ForeignKey{Columns: []string{"user_id"},
			RefTable: "users", RefColumns: []string{"id"}, OnDelete: "SET DEFAULT"}}, dialect.ErrUnsupported, []string{"ON DELETE SET DEFAULT", "mariadb"}},
		{"unknown foreign key on SQLite", dialect.SQLite, nil, false, ddl.DropForeignKey{Table: "tweets", Name: "fk_nope"}, ddl.ErrInvalid,
			[]string{"table tweets has no foreign key named fk_nope (it has fk_tweets_user_id)"}},
		{"unknown constraint on SQLite", dialect.SQLite, nil, false, ddl.DropConstraint{Table: "users", Name: "nope"}, ddl.ErrInvalid,
			[]string{"table users has no constraint named nope (checks: ck_users_age; foreign keys: none; unique: uq_users_email)"}},
		{"check without CHECK support", mysql8015, nil, false, ddl.AddCheck{Table: "users", Check: schema.Check{Name: "c", Expr: "age > 0"}},
			dialect.ErrUnsupported, []string{"add check c on users", "CHECK constraints on mysql 8.0.15"}},
		{"empty check", dialect.Postgres, nil, false, ddl.AddCheck{Table: "users", Check: schema.Check{Name: "c"}}, ddl.ErrInvalid,
			[]string{"empty check expression"}},
		{"existing table", dialect.Postgres, nil, false, ddl.CreateTable{Table: &schema.Table{Name: "users", Columns: []schema.Column{{Name: "id", Type: "INT"}}}},
			ddl.ErrInvalid, []string{"create table users: table users already exists"}},
		{"nil table", dialect.Postgres, nil, false, ddl.CreateTable{}, ddl.ErrInvalid, []string{"create table (nil): nil Table"}},
		{"rename to nothing", dialect.Postgres, nil, false, ddl.RenameTable{From: "users"}, ddl.ErrInvalid, []string{"empty new table name"}},
		{"rename onto a column", dialect.SQLite, nil, false, ddl.RenameColumn{Table: "users", From: "name", To: "email"}, ddl.ErrInvalid,
			[]string{"table users already has a column email"}},
		{"table without columns", dialect.SQLite, nil, false, ddl.CreateTable{Table: &schema.Table{Name: "empty"}}, nil,
			[]string{"create table empty", "has no columns"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cur := c.current
			if cur == nil && !c.noCur {
				cur = goldenSchema()
			}
			_, err := ddl.Statements(c.d, cur, c.op)
			require.Error(t, err)
			if c.is != nil {
				require.ErrorIs(t, err, c.is)
			}
			for _, w := range c.want {
				require.ErrorContains(t, err, w)
			}
		})
	}
	_, err = ddl.Statements(nil, nil, ddl.DropTable{Name: "x"})
	require.ErrorIs(t, err, ddl.ErrInvalid)
}

// TestStatementsWithoutSchema: what needs no current schema renders
// without one.
func TestStatementsWithoutSchema(t *testing.T) {
	ops := []ddl.Op{
		ddl.AddColumn{Table: "users", Column: schema.Column{Name: "x", Of: fields.ColumnType{Kind: fields.KindInt32}, Default: "1", HasDefault: true}},
		ddl.SetNotNull{Table: "users", Column: "x"},
		ddl.DropIndex{Table: "users", Name: "users_x"},
	}
	got, err := ddl.Statements(dialect.Postgres, nil, ops...)
	require.NoError(t, err)
	require.Equal(t, []string{
		`ALTER TABLE "users" ADD COLUMN "x" INTEGER NOT NULL DEFAULT 1`,
		`ALTER TABLE "users" ALTER COLUMN "x" SET NOT NULL`,
		`DROP INDEX "users_x"`,
	}, got)
	got, err = ddl.Statements(dialect.SQLite, nil, ops[0], ops[2], ddl.DropColumn{Table: "users", Column: "x"})
	require.NoError(t, err)
	require.Equal(t, []string{
		`ALTER TABLE "users" ADD COLUMN "x" INTEGER NOT NULL DEFAULT 1`,
		`DROP INDEX "users_x"`,
		`ALTER TABLE "users" DROP COLUMN "x"`,
	}, got)
}

// TestStatementsCreateExisting: IF NOT EXISTS of a table current has
// creates no indexes (MySQL could not say IF NOT EXISTS for them).
func TestStatementsCreateExisting(t *testing.T) {
	users := goldenSchema().Table("users")
	got, err := ddl.Statements(dialect.MySQL, goldenSchema(), ddl.CreateTable{Table: users, IfNotExists: true})
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Contains(t, got[0], "CREATE TABLE IF NOT EXISTS `users`")
	got, err = ddl.Statements(dialect.MySQL, nil, ddl.CreateTable{Table: users, IfNotExists: true})
	require.NoError(t, err)
	require.Equal(t, "CREATE INDEX `users_name` ON `users` (`name`)", got[1])
}

// TestOpStrings: String names the operation and its objects; Destructive
// marks what can lose data.
func TestOpStrings(t *testing.T) {
	cases := []struct {
		op          ddl.Op
		str         string
		destructive bool
	}{
		{ddl.CreateTable{Table: &schema.Table{Name: "users"}}, "create table users", false},
		{ddl.DropTable{Name: "users"}, "drop table users", true},
		{ddl.RenameTable{From: "users", To: "people"}, "rename table users to people", false},
		{ddl.AddColumn{Table: "users", Column: schema.Column{Name: "email"}}, "add column users.email", false},
		{ddl.DropColumn{Table: "users", Column: "email"}, "drop column users.email", true},
		{ddl.RenameColumn{Table: "users", From: "email", To: "mail"}, "rename column users.email to mail", false},
		{ddl.AlterColumnType{Table: "users", Column: "age", Type: "BIGINT", Using: "age::bigint"}, "alter type of users.age to BIGINT using age::bigint", true},
		{ddl.AlterColumnType{Table: "users", Column: "age", Of: fields.ColumnType{Kind: fields.KindInt64}}, "alter type of users.age to int64", true},
		{ddl.SetNotNull{Table: "users", Column: "email"}, "set not null on users.email", false},
		{ddl.DropNotNull{Table: "users", Column: "email"}, "drop not null on users.email", false},
		{ddl.SetDefault{Table: "users", Column: "active", Default: "TRUE"}, "set default of users.active to TRUE", false},
		{ddl.DropDefault{Table: "users", Column: "active"}, "drop default of users.active", false},
		{ddl.AddIndex{Table: "users", Index: schema.Index{Name: "users_name", Columns: []string{"name", "age"}}}, "add index users_name on users (name, age)", false},
		{ddl.AddIndex{Table: "users", Index: schema.Index{Name: "u", Columns: []string{"age"}, Unique: true, Where: "age > 0"}}, "add unique index u on users (age) where age > 0", false},
		{ddl.AddIndex{Table: "users", Index: schema.Index{Name: "u", Columns: []string{"age"}, Unique: true, Constraint: true}}, "add unique constraint u on users (age)", false},
		{ddl.DropIndex{Table: "users", Name: "users_name"}, "drop index users_name on users", false},
		{ddl.AddForeignKey{Table: "tweets", ForeignKey: schema.ForeignKey{Name: "fk", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}}},
			"add foreign key fk on tweets (user_id) references users (id)", false},
		{ddl.DropForeignKey{Table: "tweets", Name: "fk"}, "drop foreign key fk on tweets", false},
		{ddl.AddCheck{Table: "users", Check: schema.Check{Name: "ck", Expr: "age > 0"}}, "add check ck on users", false},
		{ddl.AddCheck{Table: "users", Check: schema.Check{Expr: "age > 0"}}, "add check on users (age > 0)", false},
		{ddl.DropConstraint{Table: "users", Name: "ck"}, "drop constraint ck on users", false},
	}
	for _, c := range cases {
		require.Equal(t, c.str, c.op.String())
		require.Equal(t, c.destructive, c.op.Destructive(), c.str)
	}
}

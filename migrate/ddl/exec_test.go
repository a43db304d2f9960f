package ddl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// opCase is one schema change executed on every engine: up, then down (its
// inverse), then up again, on tables with rows, asserting the state after
// each.
type opCase struct {
	name string
	up   []ddl.Op
	down []ddl.Op
	// after asserts the state after up; it must leave the rows as it found
	// them.
	after func(t *testing.T, db *testdb.DB)
	// before asserts the state after down; nil means the fixture as
	// created (opCheckFixture).
	before func(t *testing.T, db *testdb.DB)
}

func opCases() []opCase {
	return []opCase{{
		name: "add NOT NULL columns with defaults to a table with rows",
		up: []ddl.Op{
			ddl.AddColumn{Table: "users", Column: schema.Column{Name: "active", Of: fields.ColumnType{Kind: fields.KindBool}, Default: "TRUE", HasDefault: true}},
			ddl.AddColumn{Table: "users", Column: schema.Column{Name: "nick", Type: "VARCHAR(20)", Default: "'it''s'", HasDefault: true}},
		},
		down: []ddl.Op{ddl.DropColumn{Table: "users", Column: "nick"}, ddl.DropColumn{Table: "users", Column: "active"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Equal(t, []string{"1|1|it's", "2|1|it's", "3|1|it's"}, opRows(t, db, "SELECT id, active, nick FROM users ORDER BY id"))
			require.Error(t, opExecErr(t, db, "INSERT INTO users (id, name, nick) VALUES (9, 'z', NULL)"), "nick is NOT NULL")
		},
	}, {
		name: "add a NOT NULL column defaulting to the current time (a rebuild on SQLite)",
		up: []ddl.Op{ddl.AddColumn{Table: "users", Column: schema.Column{Name: "created_at",
			Of: fields.ColumnType{Kind: fields.KindTime}, Default: "CURRENT_TIMESTAMP", HasDefault: true}}},
		down: []ddl.Op{ddl.DropColumn{Table: "users", Column: "created_at"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Equal(t, []string{"0"}, opRows(t, db, "SELECT COUNT(*) FROM users WHERE created_at IS NULL"))
			require.Equal(t, opUserRows, opRows(t, db, "SELECT id, name, email, age FROM users ORDER BY id"))
		},
	}, {
		name: "add a column and an index on it in one call",
		up: []ddl.Op{
			ddl.AddColumn{Table: "users", Column: schema.Column{Name: "code", Type: "VARCHAR(10)", Default: "'x'", HasDefault: true}},
			ddl.AddIndex{Table: "users", Index: schema.Index{Name: "users_code", Columns: []string{"code"}}},
		},
		down: []ddl.Op{ddl.DropIndex{Table: "users", Name: "users_code"}, ddl.DropColumn{Table: "users", Column: "code"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Equal(t, []string{"x", "x", "x"}, opRows(t, db, "SELECT code FROM users ORDER BY id"))
			ix := opTable(t, db, "users").Index("users_code")
			require.NotNil(t, ix)
			require.Equal(t, []string{"code"}, ix.Columns)
		},
	}, {
		name: "drop a column that is in a unique constraint",
		up:   []ddl.Op{ddl.DropColumn{Table: "users", Column: "email"}},
		down: []ddl.Op{
			ddl.AddColumn{Table: "users", Column: schema.Column{Name: "email", Of: opString(200), Nullable: true}},
			ddl.AddIndex{Table: "users", Index: schema.Index{Name: "uq_users_email", Columns: []string{"email"}, Unique: true, Constraint: true}},
		},
		after: func(t *testing.T, db *testdb.DB) {
			require.Nil(t, opTable(t, db, "users").Column("email"))
			require.Equal(t, []string{"1|ann|30", "2|bob|NULL", "3|cy|5"}, opRows(t, db, "SELECT id, name, age FROM users ORDER BY id"))
			require.Equal(t, opTweetRows, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"))
			require.NotNil(t, opTable(t, db, "users").Index("users_name"))
		},
		before: func(t *testing.T, db *testdb.DB) {
			// The values are gone (DropColumn is destructive); the column
			// and its constraint are back.
			require.Equal(t, []string{"1|ann|NULL|30", "2|bob|NULL|NULL", "3|cy|NULL|5"}, opRows(t, db, "SELECT id, name, email, age FROM users ORDER BY id"))
			opExec(t, db, "UPDATE users SET email = 'ann@x.org' WHERE id = 1")
			require.Error(t, opExecErr(t, db, "INSERT INTO users (id, name, email) VALUES (9, 'dup', 'ann@x.org')"))
			opExec(t, db, "UPDATE users SET email = NULL WHERE id = 1")
		},
	}, {
		name: "rename a column",
		up:   []ddl.Op{ddl.RenameColumn{Table: "users", From: "name", To: "full_name"}},
		down: []ddl.Op{ddl.RenameColumn{Table: "users", From: "full_name", To: "name"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Equal(t, []string{"1|ann", "2|bob", "3|cy"}, opRows(t, db, "SELECT id, full_name FROM users ORDER BY id"))
			require.Equal(t, []string{"full_name"}, opTable(t, db, "users").Index("users_name").Columns)
		},
	}, {
		name: "widen a column's type",
		up:   []ddl.Op{ddl.AlterColumnType{Table: "users", Column: "age", Of: opKindInt64}},
		down: []ddl.Op{ddl.AlterColumnType{Table: "users", Column: "age", Of: opKindInt32}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Equal(t, opUserRows, opRows(t, db, "SELECT id, name, email, age FROM users ORDER BY id"))
			opExec(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'big', 5000000000)")
			require.Equal(t, []string{"5000000000"}, opRows(t, db, "SELECT age FROM users WHERE id = 9"))
			opExec(t, db, "DELETE FROM users WHERE id = 9")
			c := opTable(t, db, "users").Column("age")
			require.True(t, c.Nullable, "AlterColumnType keeps NULL")
			require.Equal(t, "0", c.Default, "AlterColumnType keeps the default")
		},
	}, {
		name: "lengthen a string column",
		up:   []ddl.Op{ddl.AlterColumnType{Table: "users", Column: "name", Of: opString(300)}},
		down: []ddl.Op{ddl.AlterColumnType{Table: "users", Column: "name", Of: opString(100)}},
		after: func(t *testing.T, db *testdb.DB) {
			long := strings.Repeat("n", 250)
			opExec(t, db, "INSERT INTO users (id, name) VALUES (9, ?)", long)
			require.Equal(t, []string{long}, opRows(t, db, "SELECT name FROM users WHERE id = 9"))
			opExec(t, db, "DELETE FROM users WHERE id = 9")
			require.False(t, opTable(t, db, "users").Column("name").Nullable)
			require.Error(t, opExecErr(t, db, "INSERT INTO users (id, name) VALUES (9, NULL)"))
		},
	}, {
		name: "drop NOT NULL",
		up:   []ddl.Op{ddl.DropNotNull{Table: "users", Column: "name"}},
		down: []ddl.Op{ddl.SetNotNull{Table: "users", Column: "name"}},
		after: func(t *testing.T, db *testdb.DB) {
			opExec(t, db, "INSERT INTO users (id, name) VALUES (9, NULL)")
			opExec(t, db, "DELETE FROM users WHERE id = 9")
			require.Equal(t, opUserRows, opRows(t, db, "SELECT id, name, email, age FROM users ORDER BY id"))
		},
	}, {
		name: "set NOT NULL",
		up:   []ddl.Op{ddl.SetNotNull{Table: "tweets", Column: "body"}},
		down: []ddl.Op{ddl.DropNotNull{Table: "tweets", Column: "body"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Error(t, opExecErr(t, db, "INSERT INTO tweets (id, user_id, body) VALUES (9, 1, NULL)"))
			require.Equal(t, opTweetRows, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"))
		},
	}, {
		name: "set a default",
		up:   []ddl.Op{ddl.SetDefault{Table: "users", Column: "age", Default: "42"}},
		down: []ddl.Op{ddl.SetDefault{Table: "users", Column: "age", Default: "0"}},
		after: func(t *testing.T, db *testdb.DB) {
			opExec(t, db, "INSERT INTO users (id, name) VALUES (9, 'z')")
			require.Equal(t, []string{"42"}, opRows(t, db, "SELECT age FROM users WHERE id = 9"))
			opExec(t, db, "DELETE FROM users WHERE id = 9")
		},
		before: func(t *testing.T, db *testdb.DB) {
			opCheckFixture(t, db)
			opExec(t, db, "INSERT INTO users (id, name) VALUES (9, 'z')")
			require.Equal(t, []string{"0"}, opRows(t, db, "SELECT age FROM users WHERE id = 9"))
			opExec(t, db, "DELETE FROM users WHERE id = 9")
		},
	}, {
		name: "drop a default",
		up:   []ddl.Op{ddl.DropDefault{Table: "users", Column: "age"}},
		down: []ddl.Op{ddl.SetDefault{Table: "users", Column: "age", Default: "0"}},
		after: func(t *testing.T, db *testdb.DB) {
			opExec(t, db, "INSERT INTO users (id, name) VALUES (9, 'z')")
			require.Equal(t, []string{"NULL"}, opRows(t, db, "SELECT age FROM users WHERE id = 9"))
			opExec(t, db, "DELETE FROM users WHERE id = 9")
			require.False(t, opTable(t, db, "users").Column("age").HasDefault)
		},
	}, {
		name: "add a unique index",
		up:   []ddl.Op{ddl.AddIndex{Table: "users", Index: schema.Index{Name: "users_name_age", Columns: []string{"name", "age"}, Unique: true}}},
		down: []ddl.Op{ddl.DropIndex{Table: "users", Name: "users_name_age"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Error(t, opExecErr(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'ann', 30)"), "unique violation")
			opExec(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'ann', 31)")
			opExec(t, db, "DELETE FROM users WHERE id = 9")
		},
		before: func(t *testing.T, db *testdb.DB) {
			opCheckFixture(t, db)
			opExec(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'ann', 30)")
			opExec(t, db, "DELETE FROM users WHERE id = 9")
		},
	}, {
		name: "add a unique constraint",
		up:   []ddl.Op{ddl.AddIndex{Table: "users", Index: schema.Index{Name: "uq_users_name", Columns: []string{"name"}, Unique: true, Constraint: true}}},
		down: []ddl.Op{ddl.DropIndex{Table: "users", Name: "uq_users_name"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Error(t, opExecErr(t, db, "INSERT INTO users (id, name) VALUES (9, 'ann')"), "unique violation")
			ix := opTable(t, db, "users").Index("uq_users_name")
			require.NotNil(t, ix)
			require.True(t, ix.Unique)
		},
	}, {
		name: "drop a unique constraint",
		up:   []ddl.Op{ddl.DropIndex{Table: "users", Name: "uq_users_email"}},
		down: []ddl.Op{ddl.AddIndex{Table: "users", Index: schema.Index{Name: "uq_users_email", Columns: []string{"email"}, Unique: true, Constraint: true}}},
		after: func(t *testing.T, db *testdb.DB) {
			opExec(t, db, "INSERT INTO users (id, name, email) VALUES (9, 'dup', 'ann@x.org')")
			opExec(t, db, "DELETE FROM users WHERE id = 9")
			require.Nil(t, opTable(t, db, "users").Index("uq_users_email"))
		},
	}, {
		name: "drop an index",
		up:   []ddl.Op{ddl.DropIndex{Table: "users", Name: "users_name"}},
		down: []ddl.Op{ddl.AddIndex{Table: "users", Index: schema.Index{Name: "users_name", Columns: []string{"name"}}}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Nil(t, opTable(t, db, "users").Index("users_name"))
			require.Equal(t, opUserRows, opRows(t, db, "SELECT id, name, email, age FROM users ORDER BY id"))
		},
	}, {
		name: "add a foreign key",
		up: []ddl.Op{ddl.AddForeignKey{Table: "likes", ForeignKey: schema.ForeignKey{Name: "fk_likes_user_id",
			Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: "CASCADE"}}},
		down: []ddl.Op{ddl.DropForeignKey{Table: "likes", Name: "fk_likes_user_id"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Error(t, opExecErr(t, db, "INSERT INTO likes (id, tweet_id, user_id) VALUES (9, 1, 99)"), "foreign key violation")
			require.Equal(t, opLikeRows, opRows(t, db, "SELECT id, tweet_id, user_id FROM likes ORDER BY id"))
			fks := opTable(t, db, "likes").ForeignKeys
			require.Len(t, fks, 1)
			require.Equal(t, "CASCADE", fks[0].OnDelete)
		},
		before: func(t *testing.T, db *testdb.DB) {
			opCheckFixture(t, db)
			opExec(t, db, "INSERT INTO likes (id, tweet_id, user_id) VALUES (9, 1, 99)")
			opExec(t, db, "DELETE FROM likes WHERE id = 9")
		},
	}, {
		name: "drop a foreign key",
		up:   []ddl.Op{ddl.DropForeignKey{Table: "tweets", Name: "fk_tweets_user_id"}},
		down: []ddl.Op{ddl.AddForeignKey{Table: "tweets", ForeignKey: opTweets().ForeignKeys[0]}},
		after: func(t *testing.T, db *testdb.DB) {
			opExec(t, db, "INSERT INTO tweets (id, user_id) VALUES (9, 99)")
			opExec(t, db, "DELETE FROM tweets WHERE id = 9")
			require.Empty(t, opTable(t, db, "tweets").ForeignKeys)
			require.Equal(t, opTweetRows, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"))
		},
	}, {
		name: "add a check",
		up:   []ddl.Op{ddl.AddCheck{Table: "users", Check: schema.Check{Name: "ck_users_age_max", Expr: "age < 1000"}}},
		down: []ddl.Op{ddl.DropConstraint{Table: "users", Name: "ck_users_age_max"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Error(t, opExecErr(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'old', 5000)"), "check violation")
			opExec(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'ok', 500)")
			opExec(t, db, "DELETE FROM users WHERE id = 9")
		},
		before: func(t *testing.T, db *testdb.DB) {
			opCheckFixture(t, db)
			opExec(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'old', 5000)")
			opExec(t, db, "DELETE FROM users WHERE id = 9")
		},
	}, {
		name: "drop a check",
		up:   []ddl.Op{ddl.DropConstraint{Table: "users", Name: "ck_users_age"}},
		down: []ddl.Op{ddl.AddCheck{Table: "users", Check: schema.Check{Name: "ck_users_age", Expr: "age >= 0"}}},
		after: func(t *testing.T, db *testdb.DB) {
			opExec(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'neg', -1)")
			opExec(t, db, "DELETE FROM users WHERE id = 9")
			require.Empty(t, opTable(t, db, "users").Checks)
		},
	}, {
		name: "rename a table",
		up:   []ddl.Op{ddl.RenameTable{From: "tweets", To: "posts"}},
		down: []ddl.Op{ddl.RenameTable{From: "posts", To: "tweets"}},
		after: func(t *testing.T, db *testdb.DB) {
			require.Equal(t, opTweetRows, opRows(t, db, "SELECT id, user_id, body FROM posts ORDER BY id"))
			require.Error(t, opExecErr(t, db, "INSERT INTO posts (id, user_id) VALUES (9, 99)"), "the foreign key moved along")
			require.False(t, tableExists(t, db, "tweets"))
		},
	}, {
		name: "drop and create a table",
		up:   []ddl.Op{ddl.DropTable{Name: "likes"}},
		down: []ddl.Op{ddl.CreateTable{Table: opLikes()}},
		after: func(t *testing.T, db *testdb.DB) {
			require.False(t, tableExists(t, db, "likes"))
		},
		before: func(t *testing.T, db *testdb.DB) {
			require.True(t, tableExists(t, db, "likes"))
			require.Equal(t, []string{"0"}, opRows(t, db, "SELECT COUNT(*) FROM likes"))
			opExec(t, db, "INSERT INTO likes (id, tweet_id, user_id) VALUES (1, 1, 2), (2, 3, 3)")
		},
	}}
}

// TestApplyOps runs every case up, down and up again on every engine.
func TestApplyOps(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		db = opPool(t, db)
		for _, c := range opCases() {
			t.Run(c.name, func(t *testing.T) {
				opFixture(t, db)
				before := c.before
				if before == nil {
					before = opCheckFixture
				}
				opApply(t, db, c.up...)
				c.after(t, db)
				opApply(t, db, c.down...)
				before(t, db)
				opApply(t, db, c.up...)
				c.after(t, db)
			})
		}
	})
}

// TestApplyPartialIndex: a partial unique index where the engine has them,
// a clear error where it does not.
func TestApplyPartialIndex(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		opFixture(t, db)
		add := ddl.AddIndex{Table: "users", Index: schema.Index{Name: "users_age_pos", Columns: []string{"age"}, Unique: true, Where: "age > 0"}}
		err := ddl.Apply(t.Context(), db.DB, db.Dialect, add)
		if !db.Dialect.Has(dialect.PartialIndex) {
			require.ErrorIs(t, err, dialect.ErrUnsupported)
			require.ErrorContains(t, err, "partial index")
			require.ErrorContains(t, err, db.Dialect.Name())
			return
		}
		require.NoError(t, err)
		require.Error(t, opExecErr(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'z', 30)"), "unique among age > 0")
		opExec(t, db, "INSERT INTO users (id, name, age) VALUES (9, 'z', 0), (10, 'w', 0)")
		ix := opTable(t, db, "users").Index("users_age_pos")
		require.NotNil(t, ix)
		require.NotEmpty(t, ix.Where)
		opApply(t, db, ddl.DropIndex{Table: "users", Name: "users_age_pos"})
		opExec(t, db, "INSERT INTO users (id, name, age) VALUES (11, 'v', 30)")
	})
}

// TestApplyFailures: an op the rows do not allow fails with an *OpError
// naming the op and the statement, and leaves the table as it was.
func TestApplyFailures(t *testing.T) {
	cases := []struct {
		name  string
		setup string // a row that makes op fail
		op    ddl.Op
		want  string // in the error
	}{
		{"NOT NULL over a NULL", "", ddl.SetNotNull{Table: "users", Column: "email"}, "set not null on users.email"},
		{"unique over duplicates", "", ddl.AddIndex{Table: "tweets", Index: schema.Index{Name: "tweets_user", Columns: []string{"user_id"}, Unique: true}},
			"add unique index tweets_user on tweets (user_id)"},
		{"foreign key over a missing parent", "INSERT INTO likes (id, tweet_id, user_id) VALUES (3, 77, 1)",
			ddl.AddForeignKey{Table: "likes", ForeignKey: schema.ForeignKey{Name: "fk_likes_tweet_id",
				Columns: []string{"tweet_id"}, RefTable: "users", RefColumns: []string{"id"}}}, "add foreign key fk_likes_tweet_id on likes"},
		{"check over a violating row", "", ddl.AddCheck{Table: "users", Check: schema.Check{Name: "ck_young", Expr: "age < 10"}}, "add check ck_young on users"},
	}
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		db = opPool(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				opFixture(t, db)
				if c.setup != "" {
					opExec(t, db, c.setup)
				}
				err := ddl.Apply(t.Context(), db.DB, db.Dialect, c.op)
				require.Error(t, err)
				var oe *ddl.OpError
				require.True(t, errors.As(err, &oe), "%T: %v", err, err)
				require.ErrorContains(t, err, c.want)
				if db.Engine == testdb.SQLite && c.setup != "" {
					require.ErrorIs(t, err, migrate.ErrForeignKeyViolation)
					require.ErrorContains(t, err, "likes rowid 3 (tweet_id) references a missing row of users")
				}
				opExec(t, db, "DELETE FROM likes WHERE id = 3")
				opCheckFixture(t, db)
			})
		}
	})
}

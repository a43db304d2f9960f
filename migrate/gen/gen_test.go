package gen_test

import (
	"errors"
	"flag"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/gen"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// updateGen rewrites testdata/gen/*.golden: go test ./migrate -run GoModels -update-gen
var updateGen = flag.Bool("update-gen", false, "rewrite the golden files of GoModels")

// genSchema is a blog as Inspect would read it on d: types as the engine
// reports them (normalised), defaults as SQL text.
func genSchema(d dialect.Dialect) *schema.Schema {
	type types struct{ id, small, str, text, flag, ts, date, dec, blob, real, json string }
	ty := map[string]types{
		"sqlite":   {"integer", "integer", "varchar(64)", "text", "boolean", "datetime", "date", "numeric(10,2)", "blob", "real", "text"},
		"postgres": {"bigint", "smallint", "varchar(64)", "text", "boolean", "timestamptz", "date", "numeric(10,2)", "bytea", "double precision", "jsonb"},
		"mysql":    {"bigint", "smallint", "varchar(64)", "longtext", "tinyint(1)", "datetime(6)", "date", "decimal(10,2)", "longblob", "double", "json"},
	}[d.Name()]
	now := "CURRENT_TIMESTAMP"
	return &schema.Schema{Tables: []*schema.Table{
		{
			Name: "users",
			Columns: []schema.Column{
				{Name: "id", Type: ty.id, AutoIncrement: true},
				{Name: "username", Type: ty.str},
				{Name: "email", Type: ty.str, Nullable: true},
				{Name: "active", Type: ty.flag, HasDefault: true, Default: "TRUE"},
				{Name: "created_at", Type: ty.ts, HasDefault: true, Default: now},
				{Name: "birthday", Type: ty.date, Nullable: true},
				{Name: "balance", Type: ty.dec, HasDefault: true, Default: "0.50"},
				{Name: "avatar", Type: ty.blob, Nullable: true},
				{Name: "homepage_url", Type: ty.text, Nullable: true},
				{Name: "bio", Type: ty.text, HasDefault: true, Default: "'it''s, (me)'"},
				{Name: "score", Type: ty.real, HasDefault: true, Default: "1.5"},
				{Name: "prefs", Type: ty.json, Nullable: true},
				{Name: "level", Type: ty.small, HasDefault: true, Default: "1"},
			},
			PrimaryKey: []string{"id"},
			Indexes: []schema.Index{
				{Name: "uq_users_username", Columns: []string{"username"}, Unique: true, Constraint: true},
				{Name: "users_email_key", Columns: []string{"email"}, Unique: true},
				{Name: "idx_users_created_at", Columns: []string{"created_at"}},
				{Name: "users_active_level", Columns: []string{"active", "level"}},
				{Name: "users_level_active", Columns: []string{"level", "active"}},
			},
			Checks: []schema.Check{{Name: "ck_users_level", Expr: "level >= 0"}},
		},
		{
			Name: "tweets",
			Columns: []schema.Column{
				{Name: "id", Type: ty.id, AutoIncrement: true},
				{Name: "user_id", Type: ty.id},
				{Name: "content", Type: ty.str},
				{Name: "likes", Type: ty.id, HasDefault: true, Default: "0"},
			},
			PrimaryKey:  []string{"id"},
			Indexes:     []schema.Index{{Name: "idx_tweets_user_id", Columns: []string{"user_id"}}},
			ForeignKeys: []schema.ForeignKey{{Name: "fk_tweets_user_id", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: "CASCADE"}},
		},
		{
			// Not the plural of its struct name, with a composite key,
			// names that are not Go identifiers and an expression default.
			Name: "tweet_tag",
			Columns: []schema.Column{
				{Name: "tweet_id", Type: ty.id},
				{Name: "tag", Type: ty.str},
				{Name: "2nd-label", Type: ty.str, Nullable: true},
				{Name: "TableName", Type: ty.str, Nullable: true},
				{Name: "tagUUID", Type: ty.str, HasDefault: true, Default: "lower('X')"},
			},
			PrimaryKey:  []string{"tweet_id", "tag"},
			ForeignKeys: []schema.ForeignKey{{Name: "fk_tweet_tag_tweet_id", Columns: []string{"tweet_id"}, RefTable: "tweets", RefColumns: []string{"id"}}},
			Indexes:     []schema.Index{{Name: "tweet_tag_partial", Columns: []string{"tag"}, Where: "tag <> ''"}},
		},
		{
			Name:    "people",
			Columns: []schema.Column{{Name: "id", Type: ty.id}, {Name: "name", Type: "char(3)"}},
			// a natural key: not auto-increment
			PrimaryKey: []string{"id"},
			// a self-reference, named as PostgreSQL names it
			ForeignKeys: []schema.ForeignKey{{Name: "people_id_fkey", Columns: []string{"id"}, RefTable: "users", RefColumns: []string{"id"}}},
		},
		{
			// A pure join table: many_to_many on both sides.
			Name:       "followers",
			Columns:    []schema.Column{{Name: "follower_id", Type: ty.id}, {Name: "followee_id", Type: ty.id}},
			PrimaryKey: []string{"follower_id", "followee_id"},
			ForeignKeys: []schema.ForeignKey{
				{Name: "fk_followers_followee_id", Columns: []string{"followee_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: "CASCADE"},
				{Name: "fk_followers_follower_id", Columns: []string{"follower_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: "CASCADE"},
			},
		},
		{
			// A key over two columns, a named check, a key to a unique
			// column, a self-reference.
			Name: "mentions",
			Columns: []schema.Column{
				{Name: "id", Type: ty.id, AutoIncrement: true},
				{Name: "tweet_id", Type: ty.id},
				{Name: "tag", Type: ty.str},
				{Name: "username", Type: ty.str, Nullable: true},
				{Name: "reply_to", Type: ty.id, Nullable: true},
			},
			PrimaryKey: []string{"id"},
			ForeignKeys: []schema.ForeignKey{
				{Name: "mentions_reply_fkey", Columns: []string{"reply_to"}, RefTable: "mentions", RefColumns: []string{"id"}, OnDelete: "SET NULL"},
				{Name: "mentions_tag_fkey", Columns: []string{"tweet_id", "tag"}, RefTable: "tweet_tag", RefColumns: []string{"tweet_id", "tag"}, OnDelete: "CASCADE"},
				{Name: "mentions_user_fkey", Columns: []string{"username"}, RefTable: "users", RefColumns: []string{"username"}},
			},
			Checks: []schema.Check{{Name: "ck_mentions_1", Expr: "tag <> ''"}, {Name: "mentions_reply_check", Expr: "reply_to <> id"}},
		},
	}}
}

// TestGoModelsGolden renders genSchema for each dialect and compares it
// with testdata/gen/<dialect>.golden; the source must parse.
func TestGoModelsGolden(t *testing.T) {
	for _, d := range []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL} {
		t.Run(d.Name(), func(t *testing.T) {
			src, err := gen.Models(genSchema(d), d, "models")
			require.NoError(t, err)
			_, err = parser.ParseFile(token.NewFileSet(), "models.go", src, parser.AllErrors)
			require.NoError(t, err, "%s", src)
			path := filepath.Join("testdata", "gen", d.Name()+".golden")
			if *updateGen {
				require.NoError(t, os.WriteFile(path, src, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./migrate -run GoModelsGolden -update-gen to create it")
			assert.Equal(t, string(want), string(src))
		})
	}
}

func TestGoModelsErrors(t *testing.T) {
	ok := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []schema.Column{{Name: "a", Type: "integer"}}}}}
	cases := []struct {
		name string
		s    *schema.Schema
		d    dialect.Dialect
		pkg  string
		want string
	}{
		{"nil schema", nil, dialect.SQLite, "m", "nil schema"},
		{"nil dialect", ok, nil, "m", "nil dialect"},
		{"bad package", ok, dialect.SQLite, "my-models", `package name "my-models"`},
		{"keyword package", ok, dialect.SQLite, "func", `package name "func"`},
		{"no columns", &schema.Schema{Tables: []*schema.Table{{Name: "empty"}}}, dialect.SQLite, "m", "table empty has no columns"},
		{"no table name", &schema.Schema{Tables: []*schema.Table{{}}}, dialect.SQLite, "m", "table 1 has no name"},
		{"no column name", &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []schema.Column{{Type: "text"}}}}}, dialect.SQLite, "m", "table t: column 1 has no name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := gen.Models(c.s, c.d, c.pkg)
			require.Error(t, err)
			assert.True(t, errors.Is(err, gen.ErrInvalid), err.Error())
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

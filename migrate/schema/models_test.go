package schema_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/internal/migratetest"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// The models of the diff tests (migratetest), which cover every tag.
type (
	mUser    = migratetest.User
	mPost    = migratetest.Post
	mPostTag = migratetest.PostTag
)

var models = migratetest.Models

func TestFromModelsPostgres(t *testing.T) {
	s, err := schema.FromModels(dialect.Postgres, models...)
	require.NoError(t, err)
	ct := func(k fields.Kind) fields.ColumnType { return fields.ColumnType{Kind: k} }
	col := func(name, typ string, of fields.ColumnType, nullable bool, def string) schema.Column {
		return schema.Column{Name: name, Type: typ, Of: of, Nullable: nullable, Default: def, HasDefault: def != ""}
	}
	want := &schema.Schema{Tables: []*schema.Table{
		{
			Name: "post_tags",
			Columns: []schema.Column{
				col("post_id", "INTEGER", fields.ColumnType{Kind: fields.KindInt32, Key: true}, false, ""),
				col("tag", "VARCHAR(32)", fields.ColumnType{Kind: fields.KindString, Size: 32, Key: true}, false, ""),
				col("weight", "SMALLINT", ct(fields.KindUint8), false, "1"),
			},
			PrimaryKey: []string{"post_id", "tag"},
			ForeignKeys: []schema.ForeignKey{
				{Name: "fk_post_tags_post_id", Columns: []string{"post_id"}, RefTable: "posts", RefColumns: []string{"id"}, OnDelete: "CASCADE"},
			},
		},
		{
			Name: "posts",
			Columns: []schema.Column{
				{Name: "id", Type: "INTEGER", Of: fields.ColumnType{Kind: fields.KindInt32, AutoInc: true, Key: true}, AutoIncrement: true},
				col("user_id", "BIGINT", fields.ColumnType{Kind: fields.KindInt64, Key: true}, false, ""),
				col("slug", "VARCHAR(80)", fields.ColumnType{Kind: fields.KindString, Size: 80, Key: true}, false, ""),
				col("status", "VARCHAR(16)", fields.ColumnType{Kind: fields.KindString, Size: 16}, false, "'draft'"),
				col("editor_id", "BIGINT", fields.ColumnType{Kind: fields.KindInt64, Key: true}, true, ""),
				col("views", "SMALLINT", ct(fields.KindInt16), false, "0"),
				col("rating", "REAL", ct(fields.KindFloat32), true, ""),
			},
			PrimaryKey: []string{"id"},
			Indexes: []schema.Index{
				{Name: "uq_posts_user_slug", Columns: []string{"user_id", "slug"}, Unique: true, Constraint: true},
			},
			ForeignKeys: []schema.ForeignKey{
				{Name: "fk_posts_editor_id", Columns: []string{"editor_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: "SET NULL"},
				{Name: "fk_posts_user_id", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"}, OnDelete: "CASCADE", OnUpdate: "CASCADE"},
			},
			Checks: []schema.Check{
				{Name: "ck_posts_1", Expr: "status IN ('draft','published')"},
				{Name: "ck_posts_2", Expr: "views >= 0"},
			},
		},
		{
			Name: "users",
			Columns: []schema.Column{
				{Name: "id", Type: "BIGINT", Of: fields.ColumnType{Kind: fields.KindInt64, AutoInc: true, Key: true}, AutoIncrement: true},
				col("username", "VARCHAR(64)", fields.ColumnType{Kind: fields.KindString, Size: 64, Key: true}, false, ""),
				col("email", "VARCHAR(255)", fields.ColumnType{Kind: fields.KindString, Size: 255, Key: true}, true, ""),
				col("active", "BOOLEAN", ct(fields.KindBool), false, "TRUE"),
				col("score", "DOUBLE PRECISION", ct(fields.KindFloat64), false, "1.5"),
				col("balance", "NUMERIC(10,2)", fields.ColumnType{Kind: fields.KindDecimal, Precision: 10, Scale: 2}, false, "0.50"),
				col("flags", "NUMERIC(20)", ct(fields.KindUint64), false, "0"),
				col("avatar", "BYTEA", ct(fields.KindBytes), true, ""),
				col("meta", "JSONB", ct(fields.KindJSON), false, ""),
				col("bio", "TEXT", ct(fields.KindString), false, "'it''s'"),
				col("note", "VARCHAR(20)", ct(fields.KindString), false, "'n/a'"),
				col("age", "INTEGER", ct(fields.KindInt32), true, ""),
				col("first_name", "VARCHAR(50)", fields.ColumnType{Kind: fields.KindString, Size: 50, Key: true}, false, ""),
				col("last_name", "VARCHAR(50)", fields.ColumnType{Kind: fields.KindString, Size: 50, Key: true}, false, ""),
				col("created_at", "TIMESTAMPTZ", ct(fields.KindTime), false, "CURRENT_TIMESTAMP"),
				col("updated_at", "TIMESTAMPTZ", ct(fields.KindTime), true, ""),
			},
			PrimaryKey: []string{"id"},
			Indexes: []schema.Index{
				{Name: "idx_users_email", Columns: []string{"email"}},
				{Name: "idx_users_name", Columns: []string{"first_name", "last_name"}},
				{Name: "uq_users_username", Columns: []string{"username"}, Unique: true, Constraint: true},
			},
			Checks: []schema.Check{{Name: "ck_users_1", Expr: "age >= 0"}},
		},
	}}
	require.Equal(t, want, s)
}

// TestFromModelsDialects: what differs per engine is what the dialect
// writes: types, boolean literals, the current timestamp, and MySQL 8's
// parentheses around a TEXT default.
func TestFromModelsDialects(t *testing.T) {
	cases := []struct {
		d                                    dialect.Dialect
		id, active, flags, meta, bio, bioDef string
		createdDef, weight                   string
	}{
		{dialect.SQLite, "INTEGER", "1", "INTEGER", "TEXT", "VARCHAR", "'it''s'", "CURRENT_TIMESTAMP", "INTEGER"},
		{dialect.Postgres, "BIGINT", "TRUE", "NUMERIC(20)", "JSONB", "TEXT", "'it''s'", "CURRENT_TIMESTAMP", "SMALLINT"},
		{dialect.MySQL, "BIGINT", "TRUE", "BIGINT UNSIGNED", "JSON", "LONGTEXT", "('it''s')", "CURRENT_TIMESTAMP(6)", "TINYINT UNSIGNED"},
		{dialect.MariaDB, "BIGINT", "TRUE", "BIGINT UNSIGNED", "JSON", "LONGTEXT", "'it''s'", "CURRENT_TIMESTAMP(6)", "TINYINT UNSIGNED"},
	}
	for _, c := range cases {
		t.Run(c.d.Name(), func(t *testing.T) {
			s, err := schema.FromModels(c.d, models...)
			require.NoError(t, err)
			require.Equal(t, []string{"post_tags", "posts", "users"}, tableNames(s))
			u := s.Table("users")
			require.Equal(t, c.id, u.Column("id").Type)
			require.True(t, u.Column("id").AutoIncrement)
			require.Equal(t, c.active, u.Column("active").Default)
			require.Equal(t, c.flags, u.Column("flags").Type)
			require.Equal(t, c.meta, u.Column("meta").Type)
			require.Equal(t, c.bio, u.Column("bio").Type)
			require.Equal(t, c.bioDef, u.Column("bio").Default)
			require.Equal(t, "VARCHAR(20)", u.Column("note").Type) // type: is written verbatim
			require.Equal(t, c.createdDef, u.Column("created_at").Default)
			require.Equal(t, c.weight, s.Table("post_tags").Column("weight").Type)
			require.False(t, s.Table("post_tags").Column("post_id").AutoIncrement) // composite key
			require.Equal(t, "ck_users_1", u.Checks[0].Name)
		})
	}
}

func tableNames(s *schema.Schema) []string {
	var out []string
	for _, t := range s.Tables {
		out = append(out, t.Name)
	}
	return out
}

type badDecimal struct {
	ID  int64  `db:"id,pk"`
	Amt string `db:"amt,kind:decimal"`
}

type badTag struct {
	ID int64 `db:"id,pk,size:x"`
}

type otherUser struct {
	ID int64 `db:"id,pk"`
}

func (otherUser) TableName() string { return "users" }

func TestFromModelsErrors(t *testing.T) {
	_, err := schema.FromModels(dialect.SQLite, nil)
	require.ErrorIs(t, err, schema.ErrInvalid)
	require.ErrorContains(t, err, "model 1 is nil")

	_, err = schema.FromModels(nil, &mUser{})
	require.ErrorIs(t, err, schema.ErrInvalid)

	_, err = schema.FromModels(dialect.SQLite, 42)
	require.ErrorIs(t, err, fields.ErrInvalidModel)
	require.ErrorContains(t, err, "model int")

	_, err = schema.FromModels(dialect.SQLite, &badTag{})
	require.ErrorIs(t, err, fields.ErrBadTag)
	require.ErrorContains(t, err, "badTag")

	_, err = schema.FromModels(dialect.MySQL, &badDecimal{})
	require.ErrorContains(t, err, "badDecimal")
	require.ErrorContains(t, err, "column amt")
	require.ErrorContains(t, err, "precision")

	_, err = schema.FromModels(dialect.SQLite, &mUser{}, &otherUser{})
	require.ErrorIs(t, err, schema.ErrInvalid)
	require.ErrorContains(t, err, "both map to table users")

	// The same model twice is one table.
	s, err := schema.FromModels(dialect.SQLite, &mUser{}, mUser{})
	require.NoError(t, err)
	require.Len(t, s.Tables, 1)
}

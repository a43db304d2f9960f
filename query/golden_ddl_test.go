package query_test

import (
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

func ddlCases() []goldenCase {
	users, tweets := query.Table("users"), query.Table("tweets")
	id := query.ColumnDef{Name: "id", Type: fields.ColumnType{Kind: fields.KindInt64, AutoInc: true}, PrimaryKey: true}
	str := func(name string, size int) query.ColumnDef {
		return query.ColumnDef{Name: name, Type: fields.ColumnType{Kind: fields.KindString, Size: size}}
	}
	kind := func(name string, k fields.Kind) query.ColumnDef {
		return query.ColumnDef{Name: name, Type: fields.ColumnType{Kind: k}}
	}
	username := str("username", 64)
	username.NotNull, username.Unique = true, true
	active := kind("active", fields.KindBool)
	active.NotNull, active.Default = true, true
	created := kind("created_at", fields.KindTime)
	created.NotNull, created.Default = true, query.Now()
	email := str("email", 0)
	motto := str("motto", 200)
	motto.Default = `it's a \ "test"`
	nullable := kind("note", fields.KindString)
	nullable.HasDefault = true // DEFAULT NULL
	visits := kind("visits", fields.KindInt32)
	visits.NotNull, visits.Default, visits.Check = true, 0, query.C("visits").Ge(0)
	score := query.ColumnDef{Name: "score", Type: fields.ColumnType{Kind: fields.KindDecimal, Precision: 10, Scale: 2},
		Default: 1.5}
	computed := kind("weight", fields.KindInt64)
	computed.Default = query.V(2).Mul(3)
	userID := kind("user_id", fields.KindInt64)
	userID.NotNull = true
	tags := kind("tags", fields.KindJSON)
	every := []query.ColumnDef{kind("b", fields.KindBool), kind("i8", fields.KindInt8), kind("i16", fields.KindInt16),
		kind("i32", fields.KindInt32), kind("i64", fields.KindInt64), kind("u8", fields.KindUint8),
		kind("u16", fields.KindUint16), kind("u32", fields.KindUint32), kind("u64", fields.KindUint64),
		kind("f32", fields.KindFloat32), kind("f64", fields.KindFloat64), kind("s", fields.KindString),
		str("s40", 40), kind("by", fields.KindBytes), kind("t", fields.KindTime), kind("d", fields.KindDate),
		kind("j", fields.KindJSON), kind("uu", fields.KindUUID),
		{Name: "dec", Type: fields.ColumnType{Kind: fields.KindDecimal, Precision: 12, Scale: 4}},
		{Name: "custom", SQLType: "VARCHAR(12)"}}
	return []goldenCase{
		{"create_table", query.CreateTable(users).Column(id, username, email, active, created)},
		{"create_table_if_not_exists", query.CreateTable(users).IfNotExists().Column(id, username)},
		{"column_types", query.CreateTable(query.Table("kinds")).Column(every...)},
		{"defaults_literals", query.CreateTable(query.Table("defaults")).Column(id, motto, nullable, visits, score,
			computed, tags)},
		// MySQL 8 (not MariaDB) takes a literal default on a TEXT/BLOB
		// column only as an expression: DEFAULT ('none').
		{"default_on_unbounded_text", query.CreateTable(query.Table("notes")).Column(query.ColumnDef{Name: "body",
			Type: fields.ColumnType{Kind: fields.KindString}, Default: "none"})},
		{"default_bytes_and_bool", query.CreateTable(query.Table("blobs")).Column(
			query.ColumnDef{Name: "data", Type: fields.ColumnType{Kind: fields.KindBytes, Size: 16},
				Default: []byte{0xde, 0xad}},
			query.ColumnDef{Name: "flag", Type: fields.ColumnType{Kind: fields.KindBool}, Default: false, NotNull: true})},
		{"unique_and_check_constraints", query.CreateTable(query.Table("accounts")).
			Column(id, str("org", 32), str("login", 32), visits).
			Unique("accounts_org_login", "org", "login").Unique("", "login").
			Check("visits_small", query.C("visits").Lt(1000000)).
			Check("", query.C("org").Ne(""))},
		{"composite_primary_key", query.CreateTable(query.Table("memberships")).
			Column(kind("user_id", fields.KindInt64), kind("group_id", fields.KindInt64), str("role", 16)).
			PrimaryKey("user_id", "group_id")},
		{"string_primary_key", query.CreateTable(query.Table("codes")).
			Column(query.ColumnDef{Name: "code", Type: fields.ColumnType{Kind: fields.KindString}, PrimaryKey: true},
				kind("label", fields.KindString))},
		{"auto_increment_int32", query.CreateTable(query.Table("small")).Column(query.ColumnDef{Name: "id",
			Type: fields.ColumnType{Kind: fields.KindInt32, AutoInc: true}, PrimaryKey: true})},
		{"foreign_keys", query.CreateTable(tweets).Column(id, userID, str("content", 280),
			kind("reply_to", fields.KindInt64)).
			ForeignKey(query.ForeignKey{Columns: []string{"user_id"}, RefTable: users, RefColumns: []string{"id"},
				OnDelete: "CASCADE", OnUpdate: "no_action"}).
			ForeignKey(query.ForeignKey{Name: "tweets_reply_fk", Columns: []string{"reply_to"}, RefTable: tweets,
				RefColumns: []string{"id"}, OnDelete: "set null"})},
		{"composite_foreign_key", query.CreateTable(query.Table("grants")).
			Column(kind("user_id", fields.KindInt64), kind("group_id", fields.KindInt64)).
			ForeignKey(query.ForeignKey{Columns: []string{"user_id", "group_id"},
				RefTable: query.Table("memberships"), RefColumns: []string{"user_id", "group_id"},
				OnDelete: "RESTRICT"})},
		{"fk_set_default", query.CreateTable(query.Table("posts")).Column(id, userID).
			ForeignKey(query.ForeignKey{Columns: []string{"user_id"}, RefTable: users, RefColumns: []string{"id"},
				OnDelete: "SET DEFAULT"})},
		// SQLite: a foreign key cannot name a schema (REFERENCES
		// "app"."users" is a syntax error), so it names the bare table.
		{"schema_qualified", query.CreateTable(query.SchemaTable("app", "events")).IfNotExists().
			Column(id, str("name", 100)).
			ForeignKey(query.ForeignKey{Columns: []string{"id"}, RefTable: query.SchemaTable("app", "users"),
				RefColumns: []string{"id"}})},
		{"drop_table", query.DropTable(users)},
		{"drop_table_if_exists", query.DropTable(users).IfExists()},
		{"drop_table_cascade", query.DropTable(users).IfExists().Cascade()},
		{"drop_tables", query.DropTable(tweets, users).IfExists()},
		{"create_index", query.CreateIndex("tweets_user_id", tweets, "user_id")},
		{"create_unique_index_multi", query.CreateIndex("users_org_login", users, "org", "login").Unique()},
		{"create_index_if_not_exists", query.CreateIndex("tweets_user_id", tweets, "user_id").IfNotExists()},
		{"create_partial_index", query.CreateIndex("tweets_popular", tweets, "likes").
			Where(query.C("likes").Gt(100).And(query.C("content").Ne("")))},
		{"create_index_orderings", query.CreateIndex("users_active_created", users).
			On(query.C("active"), query.C("created_at").Desc())},
		// An expression key part is parenthesized (PostgreSQL and MySQL
		// need it); MariaDB has no expression indexes: ErrUnsupported.
		{"create_index_function", query.CreateIndex("users_lower_name", users).On(query.Lower(query.C("username")))},
		// SQLite: the schema goes on the index name
		// (CREATE INDEX "app"."events_name" ON "events").
		{"create_index_schema", query.CreateIndex("events_name", query.SchemaTable("app", "events"), "name")},
		{"drop_index", query.DropIndex("tweets_user_id", tweets)},
		{"drop_index_if_exists", query.DropIndex("tweets_user_id", tweets).IfExists()},
		{"drop_index_schema", query.DropIndex("events_name", query.SchemaTable("app", "events"))},
	}
}

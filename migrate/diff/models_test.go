package diff_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/diff"
	"github.com/kingletdb/kinglet/migrate/schema"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// The second version of the models: users gains nickname and level, email
// grows, score loses its default, bio's default changes, age becomes NOT
// NULL with a default, avatar goes, the name index goes and created_at
// gets one; posts' views check and editor foreign key change; comments is
// new; post_tags goes.
type mUser2 struct {
	ID        int64          `db:"id,pk"`
	Username  string         `db:"username,unique,size:64"`
	Email     *string        `db:"email,size:320,index"`
	Active    bool           `db:"active,default:true"`
	Score     float64        `db:"score"`
	Balance   string         `db:"balance,decimal:10:2,default:0.50"`
	Flags     uint64         `db:"flags,default:0"`
	Meta      map[string]any `db:"meta,json"`
	Bio       string         `db:"bio,default:hello"`
	Note      string         `db:"note,type:VARCHAR(20),default:n/a"`
	Age       int32          `db:"age,default:0,check:age >= 0"`
	First     string         `db:"first_name,size:50"`
	Last      string         `db:"last_name,size:50"`
	CreatedAt time.Time      `db:"created_at,default:now,index"`
	UpdatedAt *time.Time     `db:"updated_at"`
	Nickname  *string        `db:"nickname,size:40"`
	Level     int32          `db:"level,default:1"`
}

func (mUser2) TableName() string { return "users" }

type mPost2 struct {
	ID       int32   `db:"id,pk,auto"`
	UserID   int64   `db:"user_id,fk:users.id,on_delete:cascade,on_update:cascade,unique_index:uq_posts_user_slug"`
	Slug     string  `db:"slug,size:80,unique_index:uq_posts_user_slug"`
	Status   string  `db:"status,size:16,default:draft,check:status IN ('draft','published')"`
	EditorID *int64  `db:"editor_id,fk:users.id,on_delete:cascade"`
	Views    int16   `db:"views,default:0,check:views >= -1"`
	Rating   float32 `db:"rating,null"`
}

func (mPost2) TableName() string { return "posts" }

type mComment struct {
	ID     int64  `db:"id,pk"`
	PostID int32  `db:"post_id,fk:posts.id,on_delete:cascade,index"`
	Body   string `db:"body"`
}

func (mComment) TableName() string { return "comments" }

var models2 = []any{&mUser2{}, &mPost2{}, &mComment{}}

// TestDiffModels is the round trip: tables created by orm.CreateTables
// diff empty against their models; changed models diff to exactly the
// expected operations; applied, they diff empty again; the reverse diff,
// applied, brings back the first schema.
func TestDiffModels(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		d := db.Dialect
		require.NoError(t, orm.New(db.DB, d).CreateTables(ctx, models...))
		// The runner's history (and, on SQLite, lock) tables are never
		// dropped, Destructive or not.
		r, err := migrate.New(db.DB, d, migrate.WithGo(migrate.Migration{Version: 1, Name: "noop", Up: noop}))
		require.NoError(t, err)
		_, err = r.Up(ctx)
		require.NoError(t, err)
		require.True(t, tableExists(t, db, migrate.DefaultTable))
		for _, destructive := range []bool{false, true} {
			ops, err := diff.Models(ctx, db.DB, d, diff.Options{Destructive: destructive}, models...)
			require.NoError(t, err)
			require.Empty(t, opStrings(ops), "destructive=%v", destructive)
		}
		// A row that must survive the changes: age is set, as it becomes
		// NOT NULL.
		insert(t, db, query.Insert(query.Table("users")).
			Columns("username", "email", "meta", "age", "first_name", "last_name", "avatar").
			Values("ann", "ann@example.com", "{}", 30, "Ann", "Lee", []byte{1, 2}))

		before, err := schema.Inspect(ctx, db.DB, d)
		require.NoError(t, err)
		want, err := schema.FromModels(d, models2...)
		require.NoError(t, err)
		users, posts := want.Table("users"), want.Table("posts")
		alters := []ddl.Op{
			ddl.AlterColumnType{Table: "users", Column: "email", Type: users.Column("email").Type, Of: users.Column("email").Of},
			ddl.DropDefault{Table: "users", Column: "score"},
			ddl.SetDefault{Table: "users", Column: "bio", Default: users.Column("bio").Default},
			ddl.SetDefault{Table: "users", Column: "age", Default: "0"},
			ddl.SetNotNull{Table: "users", Column: "age"},
			ddl.AddColumn{Table: "users", Column: *users.Column("nickname")},
			ddl.AddColumn{Table: "users", Column: *users.Column("level")},
		}
		adds := []ddl.Op{
			ddl.AddCheck{Table: "posts", Check: schema.Check{Name: "ck_posts_2", Expr: "views >= -1"}},
			ddl.AddIndex{Table: "users", Index: schema.Index{Name: "idx_users_created_at", Columns: []string{"created_at"}}},
			ddl.AddForeignKey{Table: "posts", ForeignKey: posts.ForeignKeys[0]},
		}
		head := []ddl.Op{
			ddl.DropForeignKey{Table: "posts", Name: "fk_posts_editor_id"},
			ddl.DropConstraint{Table: "posts", Name: "ck_posts_2"},
			ddl.DropIndex{Table: "users", Name: "idx_users_name"},
			ddl.CreateTable{Table: want.Table("comments")},
		}
		ops, err := diff.Models(ctx, db.DB, d, diff.Options{}, models2...)
		require.NoError(t, err)
		require.Equal(t, concat(head, alters, adds), ops)

		destructive := concat(head, alters, []ddl.Op{
			ddl.DropColumn{Table: "users", Column: "avatar"},
			ddl.DropTable{Name: "post_tags"},
		}, adds)
		ops, err = diff.Models(ctx, db.DB, d, diff.Options{Destructive: true}, models2...)
		require.NoError(t, err)
		require.Equal(t, destructive, ops)

		// Applied, the diff leaves nothing to do, and the row is there with
		// the new columns' defaults.
		require.NoError(t, ddl.Apply(ctx, db.DB, d, ops...))
		ops, err = diff.Models(ctx, db.DB, d, diff.Options{Destructive: true}, models2...)
		require.NoError(t, err)
		require.Empty(t, opStrings(ops))
		var (
			email    string
			nickname sql.NullString
			level    int
			age      int
		)
		row(t, db, query.Select(query.C("email"), query.C("nickname"), query.C("level"), query.C("age")).
			From(query.Table("users")).Where(query.C("username").Eq("ann")), &email, &nickname, &level, &age)
		require.Equal(t, "ann@example.com", email)
		require.False(t, nickname.Valid)
		require.Equal(t, 1, level)
		require.Equal(t, 30, age)
		// New rows get the new defaults; an email of 300 bytes fits now.
		long := make([]byte, 300)
		for i := range long {
			long[i] = 'x'
		}
		insert(t, db, query.Insert(query.Table("users")).
			Columns("username", "email", "meta", "first_name", "last_name", "score").
			Values("bob", string(long), "{}", "Bob", "Ray", 2.5))
		var bio string
		row(t, db, query.Select(query.C("bio"), query.C("age"), query.C("level")).
			From(query.Table("users")).Where(query.C("username").Eq("bob")), &bio, &age, &level)
		require.Equal(t, []any{"hello", 0, 1}, []any{bio, age, level})

		// The reverse diff brings back the first schema.
		after, err := schema.Inspect(ctx, db.DB, d)
		require.NoError(t, err)
		down, err := diff.Schemas(d, after, before, diff.Options{Destructive: true})
		require.NoError(t, err)
		require.NotEmpty(t, down)
		_, err = db.DB.ExecContext(ctx, "DELETE FROM users WHERE username = 'bob'") // its email is too long for the old column
		require.NoError(t, err)
		require.NoError(t, ddl.Apply(ctx, db.DB, d, down...))
		ops, err = diff.Models(ctx, db.DB, d, diff.Options{Destructive: true}, models...)
		require.NoError(t, err)
		require.Empty(t, opStrings(ops))
		back, err := schema.Inspect(ctx, db.DB, d)
		require.NoError(t, err)
		// A column dropped and added again comes last.
		require.Equal(t, byColumnName(before), byColumnName(back))
	})
}

// byColumnName returns a copy of s with each table's columns sorted by name.
func byColumnName(s *schema.Schema) *schema.Schema {
	s = s.Clone()
	for _, t := range s.Tables {
		slices.SortFunc(t.Columns, func(a, b schema.Column) int { return strings.Compare(a.Name, b.Name) })
	}
	return s
}

func concat(parts ...[]ddl.Op) []ddl.Op {
	var out []ddl.Op
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func insert(t *testing.T, db *testdb.DB, q query.InsertQuery) {
	t.Helper()
	s, args, err := q.Build(db.Dialect)
	require.NoError(t, err)
	_, err = db.DB.ExecContext(context.Background(), s, args...)
	require.NoError(t, err, s)
}

func row(t *testing.T, db *testdb.DB, q query.SelectQuery, dest ...any) {
	t.Helper()
	s, args, err := q.Build(db.Dialect)
	require.NoError(t, err)
	require.NoError(t, db.DB.QueryRowContext(context.Background(), s, args...).Scan(dest...), s)
}

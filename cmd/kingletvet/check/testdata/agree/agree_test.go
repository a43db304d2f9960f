package agree

import (
	"context"
	"errors"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

type agreeCase struct {
	name string
	want error // nil: the query works
	run  func(ctx context.Context, db *orm.DB) error
}

func all[T any](ctx context.Context, q orm.SelectQuery[T]) error { _, err := q.All(ctx); return err }

var posts, users, others = query.Table("posts"), query.Table("users"), query.Table("others")

var cases = []agreeCase{
	// Columns: reported, and refused at run time.
	{"unqualified typo", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		_, err := orm.Select[User](db).Where(query.C("nmae").Eq("a")).All(ctx) // want `users has no column "nmae" \(model User\); did you mean "name"\?`
		return err
	}},
	{"typo through a variable", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		typo := query.C("nmae")
		_, err := orm.Select[User](db).OrderBy(typo).First(ctx) // want `typo: users has no column "nmae"`
		return err
	}},
	{"typo beside a join with a related table", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		_, err := orm.Select[User](db).Join(posts, posts.C("user_id").Eq(users.C("id"))).
			Where(query.C("contnet").Eq("x")).All(ctx) // want `users has no column "contnet" \(model User\), nor has posts \(model Post\); did you mean "content"\?`
		return err
	}},
	{"qualified typo in a join condition", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Join(posts, posts.C("usr_id").Eq(users.C("id")))) // want `posts has no column "usr_id" \(model Post\); did you mean "user_id"\?`
	}},
	{"qualified typo in a WhereHas condition", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).WhereHas("Posts", posts.C("contnt").Ne(""))) // want `posts has no column "contnt" \(model Post\); did you mean "content"\?`
	}},
	{"Pluck of a typo", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		_, err := orm.Pluck[string](ctx, orm.Select[User](db), query.C("emial")) // want `did you mean "email"\?`
		return err
	}},
	{"Count with a typo in Having", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		_, err := orm.Select[User](db).GroupBy(query.C("name")).Having(query.Max(query.C("idd")).Gt(0)).Count(ctx) // want `users has no column "idd"`
		return err
	}},
	{"a name a raw select item defines (the ORM's check does not read raw SQL)", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		type row struct {
			N int64 `db:"n"`
		}
		_, err := orm.Into[row](ctx, orm.Select[User](db).Columns(query.Raw("count(*) AS n")).OrderBy(query.C("n"))) // want `users has no column "n" \(model User\)$`
		return err
	}},
	{"Update Set of a column the model lacks", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		_, err := orm.Update[User](db).Set("nmae", "x").AllRows().Exec(ctx) // want `users has no column "nmae" \(model User\); did you mean "name"\?`
		return err
	}},
	{"Update Set of an expression with a typo", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		_, err := orm.Update[User](db).Set("name", query.Lower(query.C("nmae"))).AllRows().Exec(ctx) // want `did you mean "name"\?`
		return err
	}},
	{"Delete Where typo", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		_, err := orm.Delete[Post](db).Where(query.C("contnet").Eq("")).Exec(ctx) // want `posts has no column "contnet" \(model Post\); did you mean "content"\?`
		return err
	}},
	{"ColOf of a typo", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Where(orm.ColOf[string, User]("nmae").Eq("a"))) // want `users has no column "nmae"`
	}},
	{"Load of a relation the model lacks", orm.ErrUnknownRelation, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Load("Post")) // want `User has no relation "Post"; did you mean "Posts"\?`
	}},
	{"Load of a nested typo", orm.ErrUnknownRelation, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Load("Posts.Usr")) // want `Post has no relation "Usr" \(in "Posts.Usr"\); did you mean "User"\?`
	}},
	{"Has of a typo", orm.ErrUnknownRelation, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Where(orm.Has[User]("Postz"))) // want `User has no relation "Postz"; did you mean "Posts"\?`
	}},

	// Columns: not reported, and working.
	{"the model's columns, in any case", nil, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Where(query.C("id").Gt(0), query.C("NAME").Ne(""), query.C("email").IsNull()))
	}},
	{"a select-list alias", nil, func(ctx context.Context, db *orm.DB) error {
		type row struct {
			Name string `db:"name"`
			N    int64  `db:"n"`
		}
		_, err := orm.Into[row](ctx, orm.Select[User](db).Columns(query.C("name"), query.CountAll().As("n")).
			GroupBy(query.C("name")).OrderBy(query.C("n").Desc()))
		return err
	}},
	{"a joined related table's column", nil, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Join(posts, posts.C("user_id").Eq(users.C("id"))).Where(query.C("content").Ne("")))
	}},
	{"a joined table no model relates to", nil, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).LeftJoin(others, others.C("id").Eq(users.C("id"))).Where(query.C("note").IsNull()))
	}},
	{"an aliased joined table", nil, func(ctx context.Context, db *orm.DB) error {
		p := query.Table("posts").As("p")
		return all(ctx, orm.Select[User](db).Join(p, p.C("user_id").Eq(users.C("id"))).Where(query.C("content").Ne("")))
	}},
	{"a WhereHas condition in the related table's scope", nil, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).WhereHas("Posts", query.C("content").Ne("")))
	}},
	{"a subquery's own table", nil, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Where(query.C("id").In(query.Select(query.C("user_id")).From(posts).Where(query.C("content").Ne("")))))
	}},
	{"a typed handle by Go name, relations by Go name", nil, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Where(orm.ColOf[string, User]("Name").Ne("")).Load("Posts", "Posts.User").WhereHas("Posts"))
	}},

	// Left to run time: a typo in a correlated subquery.
	{"a subquery's typo", orm.ErrUnknownColumn, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Where(query.Exists(query.Select(query.Raw("1")).From(posts).Where(query.C("contnet").Ne("")))))
	}},

	// Bulk writes without a condition.
	{"Update without Where", query.ErrNoWhere, func(ctx context.Context, db *orm.DB) error {
		_, err := orm.Update[User](db).Set("name", "x").Exec(ctx) // want `UPDATE without Where or AllRows`
		return err
	}},
	{"Delete without Where, through a variable", query.ErrNoWhere, func(ctx context.Context, db *orm.DB) error {
		d := orm.Delete[Post](db)
		_, err := d.Exec(ctx) // want `DELETE without Where or AllRows`
		return err
	}},
	{"query.Delete without Where", query.ErrNoWhere, func(ctx context.Context, db *orm.DB) error {
		_, _, err := query.Delete(users).Build(dialect.SQLite) // want `DELETE without Where or AllRows: Build fails`
		return err
	}},
	{"Delete with a Where on some path", nil, func(ctx context.Context, db *orm.DB) error {
		d := orm.Delete[Post](db)
		if ctx != nil {
			d = d.Where(query.C("id").Eq(-1))
		}
		_, err := d.Exec(ctx)
		return err
	}},

	// Raw SQL.
	{"Raw with a missing argument", query.ErrInvalid, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Where(query.Raw("lower(name) = ?"))) // want `raw SQL "lower\(name\) = \?" has 1 \? but 0 argument\(s\)`
	}},
	{"Raw with a ? in a string", nil, func(ctx context.Context, db *orm.DB) error {
		return all(ctx, orm.Select[User](db).Where(query.Raw("name <> '?' AND id > ?", 0)))
	}},
}

// discarded shows why a discarded Where is reported: it filters nothing.
func discarded(ctx context.Context, db *orm.DB) (int, error) {
	q := orm.Select[User](db)
	q.Where(query.C("name").Eq("ann")) // want `result of orm.SelectQuery\[User\].Where is not used`
	rows, err := q.All(ctx)
	return len(rows), err
}

func TestAgree(t *testing.T) {
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateTables(ctx, &User{}, &Post{}, &Other{}); err != nil {
		t.Fatal(err)
	}
	if err := db.InsertMany(ctx, []User{{Name: "ann"}, {Name: "bob"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.InsertMany(ctx, []Post{{UserID: 1, Content: "x"}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run(ctx, db)
			switch {
			case c.want == nil && err != nil:
				t.Errorf("the query fails: %v", err)
			case c.want != nil && !errors.Is(err, c.want):
				t.Errorf("got %v, want an error wrapping %v", err, c.want)
			}
		})
	}
	n, err := discarded(ctx, db)
	if err != nil || n != 2 {
		t.Errorf("the discarded Where: %d rows, %v; want both users", n, err)
	}
}

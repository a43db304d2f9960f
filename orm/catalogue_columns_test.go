package orm_test

import (
	"context"
	"testing"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// catalogueColumns: §2 of issue 13: unknown columns caught before the
// database, unqualified ones included (on SQLite an unknown double-quoted
// name used to be read as a string literal: a DELETE whose WHERE named one
// deleted every row).
var catalogueColumns = columnCases()

// cAuthor and cPost are a model and its related model, for joins and
// WhereHas conditions.
type cAuthor struct {
	ID    int64   `db:"id,pk"`
	Name  string  `db:"name"`
	Age   int     `db:"age"`
	Posts []cPost `db:"-" rel:"has_many,fk:AuthorID"`
}

func (cAuthor) TableName() string { return "c_authors" }

type cPost struct {
	ID       int64  `db:"id,pk"`
	AuthorID int64  `db:"author_id,fk:c_authors.id"`
	Title    string `db:"title"`
	Likes    int    `db:"likes"`
}

func (cPost) TableName() string { return "c_posts" }

// cOther is a table no model of the cases relates to.
type cOther struct {
	ID   int64  `db:"id,pk"`
	Note string `db:"note"`
}

func (cOther) TableName() string { return "c_others" }

func cSeed(ctx context.Context, db *orm.DB) error {
	a := []cAuthor{{Name: "ann", Age: 30}, {Name: "bob", Age: 40}}
	if err := db.InsertMany(ctx, a); err != nil {
		return err
	}
	return db.InsertMany(ctx, []cPost{{AuthorID: 1, Title: "x", Likes: 3}, {AuthorID: 1, Title: "y", Likes: 5}, {AuthorID: 2, Title: "z"}})
}

// cCount fails t unless table has n rows.
func cCount(t *testing.T, tdb *testdb.DB, table string, n int) {
	t.Helper()
	if got := countRows(t, tdb, table); got != n {
		t.Errorf("%s has %d rows, want %d", table, got, n)
	}
}

func columnCases() []badCase {
	typo := query.C("nmae")
	authors := []any{&cAuthor{}, &cPost{}, &cOther{}}
	refused := func(name string, call func(ctx context.Context, db *orm.DB) error, mention ...string) badCase {
		return badCase{
			name:   "columns: " + name,
			models: authors,
			run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
				if err := cSeed(ctx, db); err != nil {
					return err
				}
				hdb, rec := hooked(db)
				err := call(ctx, hdb)
				if n := rec.count(); n != 0 {
					t.Errorf("%d statements reached the database: %v", n, rec.sqls())
				}
				cCount(t, tdb, "c_authors", 2)
				cCount(t, tdb, "c_posts", 3)
				return err
			},
			want:    orm.ErrUnknownColumn,
			mention: append([]string{"c_authors", `"nmae"`}, mention...),
		}
	}
	works := func(name string, call func(t *testing.T, ctx context.Context, db *orm.DB) error) badCase {
		return badCase{
			name:   "columns: " + name,
			models: authors,
			run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
				if err := cSeed(ctx, db); err != nil {
					return err
				}
				return call(t, ctx, db)
			},
		}
	}
	return []badCase{
		refused("Delete[T] Where on an unqualified typo", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Delete[cAuthor](db).Where(typo.Ne("a")).Exec(ctx)
			return err
		}, "cAuthor"),
		refused("Update[T] Where on an unqualified typo", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Update[cAuthor](db).Set("age", 1).Where(typo.Eq("ann")).Exec(ctx)
			return err
		}),
		refused("Update[T] Set of an expression with a typo", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Update[cAuthor](db).Set("age", typo.Add(1)).Where(query.C("id").Eq(1)).Exec(ctx)
			return err
		}),
		refused("Update[T] Set of a column the model lacks", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Update[cAuthor](db).Set("nmae", 1).Where(query.C("id").Eq(1)).Exec(ctx)
			return err
		}),
		refused("Select[T] Where", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Select[cAuthor](db).Where(typo.Eq("ann")).All(ctx)
			return err
		}),
		refused("Select[T] OrderBy", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Select[cAuthor](db).OrderBy(typo.Desc()).All(ctx)
			return err
		}),
		refused("Select[T] GroupBy", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Into[struct{ N int64 }](ctx, orm.Select[cAuthor](db).
				Columns(query.CountAll().As("n")).GroupBy(typo))
			return err
		}),
		refused("Select[T] Having", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Into[struct{ Age int }](ctx, orm.Select[cAuthor](db).
				Columns(query.C("age")).GroupBy(query.C("age")).Having(query.Count(typo).Gt(0)))
			return err
		}),
		refused("Select[T] Columns", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Select[cAuthor](db).Columns(query.C("id"), typo).All(ctx)
			return err
		}),
		refused("Select[T] Count", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Select[cAuthor](db).Where(typo.Eq("ann")).Count(ctx)
			return err
		}),
		refused("Select[T] Exists", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Select[cAuthor](db).Where(typo.Eq("ann")).Exists(ctx)
			return err
		}),
		refused("Select[T] One", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Select[cAuthor](db).Where(typo.Eq("ann")).One(ctx)
			return err
		}),
		refused("Select[T] First", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Select[cAuthor](db).OrderBy(typo).First(ctx)
			return err
		}),
		refused("Select[T] Iter", func(ctx context.Context, db *orm.DB) error {
			for _, err := range orm.Select[cAuthor](db).Where(typo.Eq("ann")).Iter(ctx) {
				if err != nil {
					return err
				}
			}
			return nil
		}),
		refused("Pluck of a typo", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Pluck[string](ctx, orm.Select[cAuthor](db), typo)
			return err
		}),
		refused("Scalar of a typo", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Scalar[int64](ctx, orm.Select[cAuthor](db), query.Max(typo))
			return err
		}),
		refused("a correlated subquery's typo, in neither its table nor the outer one", func(ctx context.Context, db *orm.DB) error {
			P := query.Table("c_posts")
			_, err := orm.Select[cAuthor](db).Where(query.Exists(query.Select(query.Raw("1")).From(P).
				Where(P.C("author_id").Eq(query.C("id")), query.C("likes").Gt(query.C("nmae"))))).All(ctx)
			return err
		}),
		refused("a qualified typo", func(ctx context.Context, db *orm.DB) error {
			_, err := orm.Select[cAuthor](db).Where(query.Table("c_authors").C("nmae").Eq("ann")).All(ctx)
			return err
		}),
		badCase{
			name:   "columns: a typo in a joined related model",
			models: authors,
			run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
				P := query.Table("c_posts")
				_, err := orm.Select[cAuthor](db).Join(P, P.C("author_id").Eq(query.Table("c_authors").C("id"))).
					Where(query.C("titel").Eq("x")).All(ctx)
				return err
			},
			want:    orm.ErrUnknownColumn,
			mention: []string{"c_authors", "c_posts", `"titel"`, "cAuthor"},
		},
		badCase{
			name:   "columns: a qualified typo in a WhereHas condition",
			models: authors,
			run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
				_, err := orm.Select[cAuthor](db).WhereHas("Posts", query.Table("c_posts").C("likez").Gt(1)).All(ctx)
				return err
			},
			want:    orm.ErrUnknownColumn,
			mention: []string{"c_posts", `"likez"`},
		},
		works("a select-list alias in OrderBy", func(t *testing.T, ctx context.Context, db *orm.DB) error {
			type row struct {
				Age int   `db:"age"`
				N   int64 `db:"n"`
			}
			rows, err := orm.Into[row](ctx, orm.Select[cAuthor](db).
				Columns(query.C("age"), query.CountAll().As("n")).GroupBy(query.C("age")).
				Having(query.CountAll().Gt(0)).OrderBy(query.C("n").Desc(), query.C("age")))
			if err == nil && len(rows) != 2 {
				t.Errorf("got %v", rows)
			}
			return err
		}),
		works("a joined related model's column, unqualified", func(t *testing.T, ctx context.Context, db *orm.DB) error {
			P, A := query.Table("c_posts"), query.Table("c_authors")
			rows, err := orm.Select[cAuthor](db).Join(P, P.C("author_id").Eq(A.C("id"))).
				Where(query.C("title").Eq("y")).All(ctx)
			if err == nil && (len(rows) != 1 || rows[0].Name != "ann") {
				t.Errorf("got %v", rows)
			}
			return err
		}),
		works("a joined table no model relates to", func(t *testing.T, ctx context.Context, db *orm.DB) error {
			if err := db.Insert(ctx, &cOther{Note: "n"}); err != nil {
				return err
			}
			O, A := query.Table("c_others"), query.Table("c_authors")
			rows, err := orm.Select[cAuthor](db).Join(O, O.C("id").Eq(A.C("id"))).
				Where(query.C("note").Eq("n")).All(ctx)
			if err == nil && len(rows) != 1 {
				t.Errorf("got %v", rows)
			}
			return err
		}),
		works("a derived table's and a CTE's columns", func(t *testing.T, ctx context.Context, db *orm.DB) error {
			P := query.Table("c_posts")
			totals := query.Select(P.C("author_id").As("aid"), query.Sum(P.C("likes")).As("total")).From(P).
				GroupBy(P.C("author_id"))
			top := totals.CTE("tops")
			n, err := orm.Select[cAuthor](db).
				Where(query.C("id").In(query.Select(query.C("aid")).With(top).From(top.Table()).Where(query.C("total").Gt(4)))).
				Count(ctx)
			if err == nil && n != 1 {
				t.Errorf("counted %d through the CTE, want 1", n)
			}
			if err != nil {
				return err
			}
			n, err = orm.Select[cAuthor](db).
				Where(query.C("id").In(query.Select(query.C("aid")).From(totals.As("d")).Where(query.C("total").Gt(4)))).
				Count(ctx)
			if err == nil && n != 1 {
				t.Errorf("counted %d through the derived table, want 1", n)
			}
			return err
		}),
		works("a correlated subquery naming the outer model", func(t *testing.T, ctx context.Context, db *orm.DB) error {
			P := query.Table("c_posts")
			rows, err := orm.Select[cAuthor](db).Where(query.Exists(query.Select(query.Raw("1")).From(P).
				Where(P.C("author_id").Eq(query.Table("c_authors").C("id")), query.C("likes").Gt(query.C("age").Sub(26))))).
				All(ctx)
			if err == nil && (len(rows) != 1 || rows[0].Name != "ann") {
				t.Errorf("got %v", rows)
			}
			return err
		}),
	}
}

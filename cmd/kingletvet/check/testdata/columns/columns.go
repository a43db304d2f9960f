package columns

import (
	"context"

	"example.com/vet/models"
	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

var db *orm.DB

const nameCol = "nmae"

// Users is the users table, as a package variable.
var Users = query.Table("users")

func reported(ctx context.Context) {
	orm.Select[models.User](db).Where(query.C("nmae").Eq("a")).All(ctx)                                      // want `users has no column "nmae" \(model User\); did you mean "name"\?`
	orm.Select[models.User](db).Where(query.C(nameCol).Eq("a")).All(ctx)                                     // want `users has no column "nmae" \(model User\); did you mean "name"\?`
	orm.Select[models.User](db).Where(query.And(query.C("id").Gt(1), query.C("emial").IsNull())).Count(ctx)  // want `users has no column "emial" \(model User\); did you mean "email"\?`
	orm.Select[models.User](db).OrderBy(query.C("CreatedAt").Desc()).First(ctx)                              // want `did you mean "created_at"\?`
	orm.Select[models.User](db).Where(query.Not(query.C("secret").Eq(""))).Exists(ctx)                       // want `users has no column "secret" \(model User\)`
	orm.Select[models.User](db).GroupBy(query.C("nick")).Having(query.Count(query.C("zzz")).Gt(1)).Maps(ctx) // want `users has no column "zzz" \(model User\)$`
	orm.Select[models.User](db).Columns(query.C("name"), query.C("scroe")).All(ctx)                          // want `did you mean "score"\?`
	orm.Pluck[string](ctx, orm.Select[models.User](db), query.C("nmae"))                                     // want `did you mean "name"\?`
	orm.Select[models.Tweet](db).Where(query.C("user").Eq(1)).All(ctx)                                       // want `posts has no column "user" \(model Tweet\)`
	orm.Select[models.Event](db).Where(query.C("time").IsNull()).All(ctx)                                    // want `events has no column "time" \(model Event\)$`

	// Qualified with the model's table: refused whatever the query joins.
	orm.Select[models.User](db).Where(query.Table("users").C("nmae").Eq(1)).All(ctx) // want `users has no column "nmae"`
	orm.Select[models.User](db).Join(query.Table("posts"), Users.C("id").Eq(query.Table("posts").C("user_id"))).
		Where(Users.C("nmae").Eq(1)).All(ctx) // want `users has no column "nmae"`
	// Joined with a related model's table: its columns join the scope, and
	// its qualified names are checked too.
	posts := query.Table("posts")
	orm.Select[models.User](db).Join(posts, posts.C("user_id").Eq(Users.C("id"))).
		Where(query.C("contnet").Eq("x")).All(ctx) // want `users has no column "contnet" \(model User\), nor has posts \(model Tweet\); did you mean "content"\?`
	orm.Select[models.User](db).LeftJoin(posts, posts.C("usr_id").Eq(Users.C("id"))).All(ctx) // want `posts has no column "usr_id" \(model Tweet\); did you mean "user_id"\?`
	orm.Select[models.User](db).WhereHas("Tweets", posts.C("likez").Gt(1)).All(ctx)           // want `posts has no column "likez" \(model Tweet\)$`
	u := query.Table("users")
	orm.Select[models.User](db).OrderBy(u.C("emali")).All(ctx) // want `did you mean "email"\?`

	// Through variables.
	typo := query.C("nmae")
	orm.Select[models.User](db).Where(typo.Eq(1)).All(ctx) // want `typo: users has no column "nmae" \(model User\); did you mean "name"\?`
	q := orm.Select[models.User](db)
	q = q.Where(query.C("nmae").Eq(1)) // want `did you mean "name"\?`
	q.All(ctx)

	// A model whose table name is computed: its unqualified names are
	// still its columns.
	orm.Select[models.Dynamic](db).Where(query.C("nope").Eq(1)).All(ctx) // want `model Dynamic has no column "nope"$`
	orm.Delete[models.Dynamic](db).Where(query.C("ids").Eq(1)).Exec(ctx) // want `model Dynamic has no column "ids"; did you mean "id"\?`

	// Update and Delete: Set, SetAll, Where.
	orm.Update[models.User](db).Set("nmae", "x").Where(query.C("id").Eq(1)).Exec(ctx)                   // want `users has no column "nmae" \(model User\); did you mean "name"\?`
	orm.Update[models.User](db).SetAll(query.Assign("emial", nil)).Where(query.C("id").Eq(1)).Exec(ctx) // want `did you mean "email"\?`
	orm.Update[models.User](db).Set("name", query.Lower(query.C("nmae"))).AllRows().Exec(ctx)           // want `did you mean "name"\?`
	orm.Update[models.User](db).Set("name", "x").Where(query.C("idd").Eq(1)).Exec(ctx)                  // want `users has no column "idd"`
	orm.Delete[models.Tweet](db).Where(query.C("contnet").Eq("")).Exec(ctx)                             // want `posts has no column "contnet" \(model Tweet\); did you mean "content"\?`

	// Typed handles.
	_ = orm.ColOf[string, models.User]("nmae") // want `users has no column "nmae" \(model User\); did you mean "name"\?`

	// Relations.
	orm.Select[models.User](db).Load("Tweet").All(ctx)                          // want `User has no relation "Tweet"; did you mean "Tweets"\?`
	orm.Select[models.User](db).Load("Tweets", "Tweets.Like").All(ctx)          // want `Tweet has no relation "Like" \(in "Tweets.Like"\); did you mean "Likes"\?`
	orm.Select[models.User](db).Load("Tweets.Likes.User").All(ctx)              // want `Like has no relation "User" \(in "Tweets.Likes.User"\): it has no relations`
	orm.Select[models.User](db).WhereHas("Profil").All(ctx)                     // want `User has no relation "Profil"; did you mean "Profile"\?`
	orm.Select[models.User](db).WhereHasNo("Comments").All(ctx)                 // want `User has no relation "Comments"; it has Tweets, Profile`
	orm.Select[models.Tweet](db).Where(orm.Has[models.Tweet]("Likez")).All(ctx) // want `Tweet has no relation "Likez"; did you mean "Likes"\?`
	orm.Select[models.User](db).Load("Tweets..Likes").All(ctx)                  // want `empty relation name in "Tweets..Likes"`
}

// Not reported.
func fine(ctx context.Context, cond query.Expr, conds []query.Expr, cols []query.Expr, name string) {
	// The model's columns, in any case, flattened from Base, by default names.
	orm.Select[models.User](db).Where(query.C("id").Eq(1), query.C("created_at").IsNull(), query.C("NAME").Eq("a"),
		query.C("email").IsNull(), query.C("nick").Eq(""), query.C("tags").IsNull(), query.C("score").Gt(1)).All(ctx)
	orm.Select[models.Event](db).Where(query.C("stamp").IsNull()).All(ctx)
	// A name that is not a constant.
	orm.Select[models.User](db).Where(query.C(name).Eq(1)).All(ctx)
	// Aliases of the select list.
	orm.Select[models.User](db).Columns(query.C("name"), query.CountAll().As("n")).GroupBy(query.C("name")).OrderBy(query.C("n")).All(ctx)
	orm.Select[models.User](db).OrderBy(query.C("total")).Columns(query.Sum(query.C("id")).As("total")).All(ctx)
	// A select list the analyzer cannot see may define aliases.
	orm.Select[models.User](db).Columns(cols...).OrderBy(query.C("n")).All(ctx)
	orm.Select[models.User](db).Columns(cond).OrderBy(query.C("n")).All(ctx)
	// Joins: unqualified names may be the joined table's.
	orm.Select[models.User](db).Join(query.Table("posts"), query.C("user_id").Eq(query.Table("users").C("id"))).
		Where(query.C("content").Eq("x")).All(ctx)
	orm.Select[models.User](db).LeftJoin(query.Table("others"), query.Raw("true")).Where(query.C("likes").Gt(1)).All(ctx)
	orm.Select[models.User](db).Join(query.Table("posts").As("p"), query.Raw("true")).Where(query.C("likes").Gt(1)).All(ctx)
	orm.Select[models.User](db).Join(query.Table("posts"), query.Raw("true")).Where(query.C("content").Eq("x")).All(ctx)
	j := orm.Select[models.User](db)
	if name != "" {
		j = j.Join(query.Table("posts"), query.Raw("true"))
	}
	j = j.Where(query.C("content").Eq("x"))
	j.All(ctx)
	// A subquery has a scope of its own.
	orm.Select[models.User](db).Where(query.C("id").In(
		query.Select(query.C("user_id")).From(query.Table("posts")).Where(query.C("content").Eq("x")))).All(ctx)
	orm.Select[models.User](db).Where(query.Exists(query.Select().From(query.Table("posts")).Where(query.C("likes").Gt(1)))).All(ctx)
	// WhereHas conditions are in the related model's scope.
	orm.Select[models.User](db).WhereHas("Tweets", query.C("content").Eq("x")).All(ctx)
	orm.Select[models.User](db).Where(orm.Has[models.User]("Tweets.Likes", query.C("tweet_id").Gt(1))).All(ctx)
	// Unchecked, a CTE's columns, other tables, aliased tables.
	orm.Select[models.User](db).Where(query.Unchecked(query.C("whatever"))).All(ctx)
	orm.Select[models.User](db).Where(query.Table("others").C("nope").Eq(1)).All(ctx)
	orm.Select[models.User](db).Where(query.Table("users").As("u").C("nope").Eq(1)).All(ctx)
	// An expression variable with more than one value, or none visible.
	e := query.C("nope")
	if name != "" {
		e = query.C("id")
	}
	orm.Select[models.User](db).Where(e.Eq(1), cond).All(ctx)
	// Conditions the analyzer cannot see.
	orm.Select[models.User](db).Where(cond).Where(conds...).All(ctx)
	// A query used as a subquery (its names may be the outer query's), or
	// returned, or kept in a variable used elsewhere.
	sub := orm.Select[models.User](db).Columns(query.C("id")).Where(query.C("user_id").Eq(1)).Query()
	_ = sub
	escaped := orm.Select[models.User](db).Where(query.C("content").Eq("x"))
	joined := escaped.Join(query.Table("posts"), query.Raw("true"))
	joined.All(ctx)
	// Not run in sight.
	_ = orm.Select[models.User](db).Where(query.C("content").Eq("x"))
	// A model whose table name is computed: qualified names are not checked.
	orm.Select[models.Dynamic](db).Where(query.Table("app_dynamic").C("nope").Eq(1)).All(ctx)
	// Models that are not structs (refused at run time on their own).
	orm.Select[*models.User](db).Where(query.C("nope").Eq(1)).All(ctx)
	// Relations and typed handles by Go name.
	orm.Select[models.User](db).Load("Tweets", "Tweets.Likes", " Profile ", "Tweets.User.Profile").All(ctx)
	_ = orm.ColOf[string, models.User]("Name")
	_ = orm.ColOf[string, models.User]("name")
	orm.Update[models.User](db).Set("NAME", "x").SetAll(orm.ColOf[string, models.User]("name").Set("y")).Where(query.C("id").Eq(1)).Exec(ctx)
	// Names passed through a variable or spread.
	rels := []string{"Nope"}
	orm.Select[models.User](db).Load(rels...).All(ctx)
	// Plain query builders have no model.
	query.Select(query.C("nope")).From(query.Table("users")).Where(query.C("nope").Eq(1)).Build(dialect.SQLite)
	query.Update(query.Table("users")).Set("nope", 1).Where(query.C("nope").Eq(1)).Build(dialect.SQLite)
}

// Generic code: the model is a type parameter.
func generic[T any](ctx context.Context) {
	orm.Select[T](db).Where(query.C("nope").Eq(1)).All(ctx)
	orm.Update[T](db).Set("nope", 1).AllRows().Exec(ctx)
}

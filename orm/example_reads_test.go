package orm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// openExample opens an in-memory SQLite database with the models' tables.
func openExample(ctx context.Context, models ...any) *orm.DB {
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	if err := db.CreateTables(ctx, models...); err != nil {
		log.Fatal(err)
	}
	return db
}

type exEmployee struct {
	ID        int64  `db:"id,pk"`
	Name      string `db:"name,size:64"`
	ManagerID *int64 `db:"manager_id"`
	Dept      string `db:"dept,size:16"`
	Salary    int    `db:"salary"`
}

func (exEmployee) TableName() string { return "employees" }

// seedEmployees: ada leads bob and cy; bob leads dan.
func seedEmployees(ctx context.Context, db *orm.DB) {
	ids := map[string]int64{}
	for _, e := range []struct {
		name, dept, manager string
		salary              int
	}{{"ada", "eng", "", 300}, {"bob", "eng", "ada", 200}, {"cy", "ops", "ada", 180}, {"dan", "eng", "bob", 150}} {
		m := &exEmployee{Name: e.name, Dept: e.dept, Salary: e.salary}
		if e.manager != "" {
			id := ids[e.manager]
			m.ManagerID = &id
		}
		if err := db.Insert(ctx, m); err != nil {
			log.Fatal(err)
		}
		ids[e.name] = m.ID
	}
}

// ExampleRaw reads hand-written SQL into a struct that is not a model: the
// result columns go to its fields by name, and a column it has no field for
// is an error.
func ExampleRaw() {
	ctx := context.Background()
	db := openExample(ctx, &exEmployee{})
	defer db.Close()
	seedEmployees(ctx, db)

	type Line struct {
		Name  string
		Depth int
	}
	chart, err := orm.Raw[Line](db, `WITH RECURSIVE chart (id, name, depth) AS (
		SELECT id, name, 0 FROM employees WHERE manager_id IS NULL
		UNION ALL
		SELECT e.id, e.name, chart.depth + 1 FROM employees e JOIN chart ON e.manager_id = chart.id)
		SELECT name, depth FROM chart WHERE depth <= ? ORDER BY depth, name`, 2).All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range chart {
		fmt.Println(l.Depth, l.Name)
	}
	_, err = orm.Raw[Line](db, "SELECT name, 0 AS depth, salary FROM employees").All(ctx)
	fmt.Println(errors.Is(err, orm.ErrUnknownColumn), err)
	// Output:
	// 0 ada
	// 1 bob
	// 1 cy
	// 2 dan
	// true kinglet: orm: unknown column: result column "salary" has no field in orm_test.Line (table lines)
}

// ExampleFrom scans a query of package query — here a report with
// RANK() OVER (PARTITION BY …) — into a struct.
func ExampleFrom() {
	ctx := context.Background()
	db := openExample(ctx, &exEmployee{})
	defer db.Close()
	seedEmployees(ctx, db)

	type Ranked struct {
		Dept string
		Name string
		Rank int
	}
	E := query.Table("employees")
	byPay := query.NewWindow().PartitionBy(E.C("dept")).OrderBy(E.C("salary").Desc())
	report := query.Select(E.C("dept"), E.C("name"), query.Func("RANK").Over(byPay).As("rank")).
		From(E).OrderBy(E.C("dept"), query.C("rank"))
	rows, err := orm.From[Ranked](db, report).All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rows {
		fmt.Println(r.Dept, r.Rank, r.Name)
	}
	// Output:
	// eng 1 ada
	// eng 2 bob
	// eng 3 dan
	// ops 1 cy
}

// ExampleSelectQuery_WithRecursive walks the org chart with a recursive
// CTE on a typed query. The path grows on every level: query.TextType
// casts it to a text type that can grow on every engine (TEXT, or
// CHAR(65535) on MySQL).
func ExampleSelectQuery_WithRecursive() {
	ctx := context.Background()
	db := openExample(ctx, &exEmployee{})
	defer db.Close()
	seedEmployees(ctx, db)

	E, chart := query.Table("employees"), query.Table("chart")
	cte := query.Select(E.C("id"), E.C("name").Cast(query.TextType)).From(E).Where(E.C("manager_id").IsNull()).
		UnionAll(query.Select(E.C("id"), chart.C("path").Concat(" > ", E.C("name")).Cast(query.TextType)).
			From(E).Join(chart, E.C("manager_id").Eq(chart.C("id")))).
		CTE("chart", "id", "path")

	type Line struct {
		Name string
		Path string
	}
	lines, err := orm.Into[Line](ctx, orm.Select[exEmployee](db).WithRecursive(cte).
		Join(chart, chart.C("id").Eq(E.C("id"))).
		Columns(E.C("name"), chart.C("path")).OrderBy(chart.C("path")))
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range lines {
		fmt.Println(l.Path)
	}
	// Output:
	// ada
	// ada > bob
	// ada > bob > dan
	// ada > cy
}

// ExampleSelectQuery_With names a query in a WITH clause and reads T's
// rows through it: the employees paid above their department's average.
func ExampleSelectQuery_With() {
	ctx := context.Background()
	db := openExample(ctx, &exEmployee{})
	defer db.Close()
	seedEmployees(ctx, db)

	E, avg := query.Table("employees"), query.Table("dept_avg")
	cte := query.Select(E.C("dept"), query.Avg(E.C("salary")).As("pay")).From(E).GroupBy(E.C("dept")).CTE("dept_avg")
	es, err := orm.Select[exEmployee](db).With(cte).
		Join(avg, avg.C("dept").Eq(E.C("dept"))).
		Where(E.C("salary").Gt(avg.C("pay"))).
		OrderBy(E.C("name")).All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range es {
		fmt.Println(e.Name, e.Dept, e.Salary)
	}
	// Output:
	// ada eng 300
}

// ExampleSelectQuery_Union combines two typed queries; the ORDER BY and
// LIMIT after Union apply to the whole compound and name its columns.
func ExampleSelectQuery_Union() {
	ctx := context.Background()
	db := openExample(ctx, &exEmployee{})
	defer db.Close()
	seedEmployees(ctx, db)

	E := query.Table("employees")
	ops := orm.Select[exEmployee](db).Where(E.C("dept").Eq("ops"))
	rich := orm.Select[exEmployee](db).Where(E.C("salary").Ge(200))
	es, err := ops.Union(rich).OrderBy(query.C("name")).All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range es {
		fmt.Println(e.Name, e.Dept, e.Salary)
	}
	// Output:
	// ada eng 300
	// bob eng 200
	// cy ops 180
}

type exUser struct {
	ID      int64     `db:"id,pk"`
	Name    string    `db:"name,size:32"`
	Tweets  []exTweet `db:"-" rel:"has_many,fk:UserID"`
	Profile *exBio    `db:"-" rel:"has_one,fk:UserID"`
}

func (exUser) TableName() string { return "users" }

type exBio struct {
	ID     int64  `db:"id,pk"`
	UserID int64  `db:"user_id,unique"`
	Text   string `db:"text"`
}

func (exBio) TableName() string { return "bios" }

type exTweet struct {
	ID      int64     `db:"id,pk"`
	UserID  int64     `db:"user_id,index"`
	Content string    `db:"content"`
	Posted  time.Time `db:"posted"`
	User    *exUser   `db:"-" rel:"belongs_to,fk:UserID"`
}

func (exTweet) TableName() string { return "tweets" }

func seedExTweets(ctx context.Context, db *orm.DB) {
	day := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for i, name := range []string{"alice", "bob"} {
		u := &exUser{Name: name}
		if err := db.Insert(ctx, u); err != nil {
			log.Fatal(err)
		}
		if name == "alice" {
			if err := db.Insert(ctx, &exBio{UserID: u.ID, Text: "gopher"}); err != nil {
				log.Fatal(err)
			}
		}
		for k := range 3 - i {
			tw := &exTweet{UserID: u.ID, Content: fmt.Sprintf("%s #%d", name, k+1), Posted: day.AddDate(0, 0, k)}
			if err := db.Insert(ctx, tw); err != nil {
				log.Fatal(err)
			}
		}
	}
}

// ExampleSelectQuery_JoinLoad fills a to-one relation from a JOIN in the
// same query, and filters and orders on the joined model's typed column.
func ExampleSelectQuery_JoinLoad() {
	ctx := context.Background()
	db := openExample(ctx, &exUser{}, &exBio{}, &exTweet{})
	defer db.Close()
	seedExTweets(ctx, db)

	UserName := orm.Field(func(u *exUser) *string { return &u.Name })
	TweetID := orm.Field(func(t *exTweet) *int64 { return &t.ID })
	q := orm.Select[exTweet](db).JoinLoad("User").Where(UserName.Ne("carol")).OrderBy(UserName.Desc(), TweetID.Asc())
	tweets, err := q.All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, tw := range tweets {
		fmt.Println(tw.User.Name, "wrote", tw.Content)
	}
	sqlText, _, _ := q.Build()
	fmt.Println(sqlText)

	// LEFT: users without a bio keep a nil one.
	UserID := orm.Field(func(u *exUser) *int64 { return &u.ID })
	users, err := orm.Select[exUser](db).LeftJoinLoad("Profile").OrderBy(UserID.Asc()).All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(users[0].Name, users[0].Profile.Text, users[1].Name, users[1].Profile == nil)
	// Output:
	// bob wrote bob #1
	// bob wrote bob #2
	// alice wrote alice #1
	// alice wrote alice #2
	// alice wrote alice #3
	// SELECT "tweets"."id", "tweets"."user_id", "tweets"."content", "tweets"."posted", "users"."id" AS "users__id", "users"."name" AS "users__name" FROM "tweets" JOIN "users" ON "users"."id" = "tweets"."user_id" WHERE "users"."name" <> ? ORDER BY "users"."name" DESC, "tweets"."id"
	// alice gopher bob true
}

// ExampleSelectQuery_LoadWith loads each user's two newest tweets, in one
// more query for all users; with the JSON strategy, in the users' own.
func ExampleSelectQuery_LoadWith() {
	ctx := context.Background()
	db := openExample(ctx, &exUser{}, &exBio{}, &exTweet{})
	defer db.Close()
	seedExTweets(ctx, db)

	Posted := orm.Field(func(t *exTweet) *time.Time { return &t.Posted })
	for _, st := range []orm.LoadStrategy{orm.InStrategy, orm.JSONStrategy} {
		users, err := orm.Select[exUser](db).OrderBy(query.C("id")).
			LoadWith("Tweets", orm.OrderBy(Posted.Desc()), orm.LimitPer(2), orm.Strategy(st)).
			All(ctx)
		if err != nil {
			log.Fatal(err)
		}
		for _, u := range users {
			fmt.Print(u.Name, ":")
			for _, tw := range u.Tweets {
				fmt.Print(" ", tw.Content, " (", tw.Posted.Format("Jan 2"), ")")
			}
			fmt.Println()
		}
	}
	// Output:
	// alice: alice #3 (May 3) alice #2 (May 2)
	// bob: bob #2 (May 2) bob #1 (May 1)
	// alice: alice #3 (May 3) alice #2 (May 2)
	// bob: bob #2 (May 2) bob #1 (May 1)
}

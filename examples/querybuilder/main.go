// Command querybuilder is a tour of kinglet's query builder. It builds a
// handful of queries — a join with aggregates, an upsert, an update with an
// expression, a window function and a recursive CTE — prints the SQL and
// arguments of each for SQLite, PostgreSQL and MySQL, and then runs them on a
// real database and prints the rows.
//
//	go run ./examples/querybuilder
//
// The database is an in-memory SQLite one unless DATABASE_URL names another:
//
//	DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go run ./examples/querybuilder
//	DATABASE_URL='mysql://root@127.0.0.1:3306/test' go run ./examples/querybuilder
//
// On a server it creates (and afterwards drops) tables whose names start
// with qb_.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "querybuilder:", err)
		os.Exit(1)
	}
}

// The tables, as query.TableRef values: a TableRef renders as "qb_users" AS
// "u" in FROM and as "u" in front of its columns.
var (
	Users     = query.Table("qb_users")
	Tweets    = query.Table("qb_tweets")
	Counters  = query.Table("qb_counters")
	Employees = query.Table("qb_employees")
)

// printDialects are the engines every query is shown for.
var printDialects = []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL}

func run(w io.Writer) error {
	ctx := context.Background()
	db, d, err := open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer db.Close()

	if err := createSchema(ctx, db, d); err != nil {
		return err
	}
	defer dropSchema(context.WithoutCancel(ctx), db, d)
	if err := seed(ctx, db, d); err != nil {
		return err
	}
	fmt.Fprintf(w, "Running on %s.\n", d.Name())

	for _, ex := range examples() {
		fmt.Fprintf(w, "\n== %s\n", ex.title)
		tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
		for _, pd := range printDialects {
			text, args, err := query.Build(pd, ex.q)
			if err != nil {
				return fmt.Errorf("%s on %s: %w", ex.title, pd.Name(), err)
			}
			fmt.Fprintf(tw, "%s\t%s\n\targs %s\n", pd.Name(), text, formatArgs(args))
		}
		tw.Flush()
		if err := execute(ctx, w, db, d, ex); err != nil {
			return fmt.Errorf("%s: %w", ex.title, err)
		}
	}
	return nil
}

type example struct {
	title string
	q     query.Expr
	times int        // executions of a statement (default 1)
	after query.Expr // a SELECT run afterwards to show the statement's effect
}

func examples() []example {
	U := Users.As("u")
	T := Tweets.As("t")

	// 1. A join with aggregates: tweets and likes per active user.
	perUser := query.Select(
		U.C("username"),
		query.Count(T.C("id")).As("tweets"),
		query.Coalesce(query.Sum(T.C("likes")), 0).As("likes"),
	).
		From(U).
		LeftJoin(T, T.C("user_id").Eq(U.C("id"))).
		Where(U.C("active").Eq(true)).
		GroupBy(U.C("id"), U.C("username")).
		OrderBy(query.C("likes").Desc(), U.C("username"))

	// 2. An upsert: count page hits, one row per page. ON CONFLICT … DO
	// UPDATE on SQLite and PostgreSQL, ON DUPLICATE KEY UPDATE on MySQL.
	hit := query.Insert(Counters).Columns("page", "hits").
		Values("/home", 1).
		OnConflict(query.Conflict("page").DoUpdate(
			query.Assign("hits", Counters.C("hits").Add(query.Excluded("hits"))),
		))
	showCounters := query.Select(Counters.C("page"), Counters.C("hits")).From(Counters)

	// 3. An update with an expression: everyone likes alice's tweets a bit more.
	like := query.Update(Tweets).
		Set("likes", Tweets.C("likes").Add(1)).
		Where(Tweets.C("user_id").In(
			query.Select(Users.C("id")).From(Users).Where(Users.C("username").Eq("alice")),
		))

	// 4. A window function: each user's tweets ranked by likes.
	rank := query.Func("RANK").Over(query.NewWindow().
		PartitionBy(T.C("user_id")).
		OrderBy(T.C("likes").Desc()))
	ranked := query.Select(U.C("username"), T.C("content"), T.C("likes"), rank.As("rank")).
		From(T).
		Join(U, U.C("id").Eq(T.C("user_id"))).
		OrderBy(U.C("username"), query.C("rank"))

	// 5. A recursive CTE: the chain of managers above dave.
	E := Employees.As("e")
	Chain := query.Table("chain")
	body := query.Select(E.C("id"), E.C("name"), E.C("manager_id"), query.SQL("0")).
		From(E).Where(E.C("name").Eq("dave")).
		UnionAll(query.Select(E.C("id"), E.C("name"), E.C("manager_id"), Chain.C("depth").Add(1)).
			From(E).Join(Chain, Chain.C("manager_id").Eq(E.C("id"))))
	chain := query.NewCTE("chain", body, "id", "name", "manager_id", "depth")
	managers := query.Select(Chain.C("name"), Chain.C("depth")).
		From(chain).
		WithRecursive(chain).
		OrderBy(Chain.C("depth"))

	return []example{
		{title: "1. join + aggregate: tweets and likes per active user", q: perUser},
		{title: "2. upsert, run 3 times: page hits", q: hit, times: 3, after: showCounters},
		{title: "3. update with an expression: likes = likes + 1 for alice's tweets", q: like,
			after: query.Select(T.C("content"), T.C("likes")).From(T).OrderBy(T.C("id"))},
		{title: "4. window function: tweets ranked by likes per user", q: ranked},
		{title: "5. recursive CTE: dave's chain of managers", q: managers},
	}
}

// execute runs ex on db: a SELECT prints its rows, anything else prints the
// rows it affected and then the rows of ex.after.
func execute(ctx context.Context, w io.Writer, db *sql.DB, d dialect.Dialect, ex example) error {
	if _, isSelect := ex.q.(query.SelectQuery); isSelect {
		fmt.Fprintf(w, "-- rows on %s:\n", d.Name())
		return printRows(ctx, w, db, d, ex.q)
	}
	text, args, err := query.Build(d, ex.q)
	if err != nil {
		return err
	}
	times := max(ex.times, 1)
	var affected int64
	for range times {
		res, err := db.ExecContext(ctx, text, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		affected += n
	}
	fmt.Fprintf(w, "-- executed %d time(s) on %s\n", times, d.Name())
	if ex.after != nil {
		return printRows(ctx, w, db, d, ex.after)
	}
	fmt.Fprintf(w, "rows affected: %d\n", affected)
	return nil
}

// printRows runs q and prints its rows as an aligned table.
func printRows(ctx context.Context, w io.Writer, db *sql.DB, d dialect.Dialect, q query.Expr) error {
	text, args, err := query.Build(d, q)
	if err != nil {
		return err
	}
	rows, err := db.QueryContext(ctx, text, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, strings.Join(cols, "\t| "))
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			cells[i] = formatValue(v)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t| "))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tw.Flush()
}

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

func formatArgs(args []any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok {
			parts[i] = fmt.Sprintf("%q", s)
		} else {
			parts[i] = fmt.Sprint(a)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

var (
	int64Type  = fields.ColumnType{Kind: fields.KindInt64}
	serialType = fields.ColumnType{Kind: fields.KindInt64, AutoInc: true}
	nameType   = fields.ColumnType{Kind: fields.KindString, Size: 64}
)

func schema() []query.Expr {
	return []query.Expr{
		query.CreateTable(Users).Column(
			query.ColumnDef{Name: "id", Type: serialType, PrimaryKey: true},
			query.ColumnDef{Name: "username", Type: nameType, NotNull: true, Unique: true},
			query.ColumnDef{Name: "active", Type: fields.ColumnType{Kind: fields.KindBool}, NotNull: true, Default: true},
		),
		query.CreateTable(Tweets).Column(
			query.ColumnDef{Name: "id", Type: serialType, PrimaryKey: true},
			query.ColumnDef{Name: "user_id", Type: int64Type, NotNull: true},
			query.ColumnDef{Name: "content", Type: fields.ColumnType{Kind: fields.KindString, Size: 280}, NotNull: true},
			query.ColumnDef{Name: "likes", Type: int64Type, NotNull: true, Default: 0},
		).ForeignKey(query.ForeignKey{
			Columns: []string{"user_id"}, RefTable: Users, RefColumns: []string{"id"}, OnDelete: "CASCADE",
		}),
		query.CreateTable(Counters).Column(
			query.ColumnDef{Name: "page", Type: nameType, PrimaryKey: true},
			query.ColumnDef{Name: "hits", Type: int64Type, NotNull: true},
		),
		query.CreateTable(Employees).Column(
			query.ColumnDef{Name: "id", Type: int64Type, PrimaryKey: true},
			query.ColumnDef{Name: "name", Type: nameType, NotNull: true},
			query.ColumnDef{Name: "manager_id", Type: int64Type},
		),
	}
}

func createSchema(ctx context.Context, db *sql.DB, d dialect.Dialect) error {
	dropSchema(ctx, db, d) // leftovers of an interrupted run on a server
	for _, q := range schema() {
		if err := exec(ctx, db, d, q); err != nil {
			return err
		}
	}
	return nil
}

func dropSchema(ctx context.Context, db *sql.DB, d dialect.Dialect) {
	for _, t := range []query.TableRef{Tweets, Users, Counters, Employees} {
		_ = exec(ctx, db, d, query.DropTable(t).IfExists())
	}
}

func seed(ctx context.Context, db *sql.DB, d dialect.Dialect) error {
	for _, q := range []query.Expr{
		query.Insert(Users).Columns("username", "active").
			Values("alice", true).
			Values("bob", true).
			Values("carol", false),
		query.Insert(Tweets).Columns("user_id", "content", "likes").
			Values(1, "hello, world", 5).
			Values(1, "kinglet is out", 10).
			Values(2, "hi", 2).
			Values(3, "gone fishing", 7),
		query.Insert(Employees).Columns("id", "name", "manager_id").
			Values(1, "ada", nil).
			Values(2, "grace", 1).
			Values(3, "linus", 2).
			Values(4, "dave", 3),
	} {
		if err := exec(ctx, db, d, q); err != nil {
			return err
		}
	}
	return nil
}

func exec(ctx context.Context, db *sql.DB, d dialect.Dialect, q query.Expr) error {
	text, args, err := query.Build(d, q)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, text, args...); err != nil {
		return fmt.Errorf("%s: %w", text, err)
	}
	return nil
}

// open connects to the database named by url (in-memory SQLite when empty)
// with orm.Open, which takes the same URLs as the kinglet command and
// detects the dialect from the server's version; the tour then works on the
// *sql.DB underneath.
func open(ctx context.Context, url string) (*sql.DB, dialect.Dialect, error) {
	if url == "" {
		url = "sqlite::memory:"
	}
	db, err := orm.Open(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	return db.SQL(), db.Dialect(), nil
}

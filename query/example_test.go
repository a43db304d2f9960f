package query_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// exampleDialects are the engines the examples print for.
var exampleDialects = []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL}

func printEach(q query.Expr) {
	for _, d := range exampleDialects {
		sql, args, err := query.Build(d, q)
		if err != nil {
			fmt.Printf("%s: error: %v\n", d.Name(), err)
			continue
		}
		fmt.Printf("%s: %s %v\n", d.Name(), sql, args)
	}
}

// A table renders as "users" AS "u" in FROM and as "u" in front of its
// columns; values always become placeholders, numbered for the dialect.
func ExampleSelect() {
	U := query.Table("users").As("u")
	q := query.Select(U.C("id"), U.C("username")).
		From(U).
		Where(U.C("active").Eq(true), U.C("username").Like("a%")).
		OrderBy(U.C("id").Desc()).
		Limit(10)
	printEach(q)
	// Output:
	// sqlite: SELECT "u"."id", "u"."username" FROM "users" AS "u" WHERE "u"."active" = ? AND "u"."username" LIKE ? ORDER BY "u"."id" DESC LIMIT ? [true a% 10]
	// postgres: SELECT "u"."id", "u"."username" FROM "users" AS "u" WHERE "u"."active" = $1 AND "u"."username" LIKE $2 ORDER BY "u"."id" DESC LIMIT $3 [true a% 10]
	// mysql: SELECT `u`.`id`, `u`.`username` FROM `users` AS `u` WHERE `u`.`active` = ? AND `u`.`username` LIKE ? ORDER BY `u`.`id` DESC LIMIT ? [true a% 10]
}

func ExampleSelectQuery_Join() {
	U := query.Table("users").As("u")
	T := query.Table("tweets").As("t")
	q := query.Select(U.C("username"), query.Count(T.C("id")).As("tweets")).
		From(U).
		LeftJoin(T, T.C("user_id").Eq(U.C("id"))).
		GroupBy(U.C("username")).
		Having(query.Count(T.C("id")).Gt(1)).
		OrderBy(query.C("tweets").Desc(), U.C("username"))
	sql, args, _ := q.Build(dialect.Postgres)
	fmt.Println(sql, args)
	// Output:
	// SELECT "u"."username", COUNT("t"."id") AS "tweets" FROM "users" AS "u" LEFT JOIN "tweets" AS "t" ON "t"."user_id" = "u"."id" GROUP BY "u"."username" HAVING COUNT("t"."id") > $1 ORDER BY "tweets" DESC, "u"."username" [1]
}

// Builders are immutable: each call returns a new query, so a base query can
// be shared and extended.
func ExampleSelectQuery_Where() {
	U := query.Table("users")
	base := query.Select(U.C("id")).From(U).Where(U.C("active").Eq(true))
	admins := base.Where(U.C("role").Eq("admin"))
	recent := base.Where(U.C("created_at").Gt(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
	for _, q := range []query.SelectQuery{base, admins, recent} {
		sql, args, _ := q.Build(dialect.SQLite)
		fmt.Println(sql, len(args))
	}
	// Output:
	// SELECT "users"."id" FROM "users" WHERE "users"."active" = ? 1
	// SELECT "users"."id" FROM "users" WHERE "users"."active" = ? AND "users"."role" = ? 2
	// SELECT "users"."id" FROM "users" WHERE "users"."active" = ? AND "users"."created_at" > ? 2
}

// An upsert is ON CONFLICT … DO UPDATE on SQLite and PostgreSQL, and ON
// DUPLICATE KEY UPDATE on MySQL, where Excluded reads VALUES(col).
func ExampleInsertQuery_OnConflict() {
	C := query.Table("counters")
	q := query.Insert(C).Columns("name", "hits").
		Values("home", 1).
		OnConflict(query.Conflict("name").DoUpdate(
			query.Assign("hits", C.C("hits").Add(query.Excluded("hits"))),
		))
	printEach(q)
	// Output:
	// sqlite: INSERT INTO "counters" ("name", "hits") VALUES (?, ?) ON CONFLICT ("name") DO UPDATE SET "hits" = "counters"."hits" + EXCLUDED."hits" [home 1]
	// postgres: INSERT INTO "counters" ("name", "hits") VALUES ($1, $2) ON CONFLICT ("name") DO UPDATE SET "hits" = "counters"."hits" + EXCLUDED."hits" [home 1]
	// mysql: INSERT INTO `counters` (`name`, `hits`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `hits` = `counters`.`hits` + VALUES(`hits`) [home 1]
}

func ExampleInsertQuery_Returning() {
	q := query.Insert(query.Table("users")).Columns("username").
		Values("alice").
		Values("bob").
		Returning(query.C("id"))
	printEach(q)
	// Output:
	// sqlite: INSERT INTO "users" ("username") VALUES (?), (?) RETURNING "id" [alice bob]
	// postgres: INSERT INTO "users" ("username") VALUES ($1), ($2) RETURNING "id" [alice bob]
	// mysql: error: kinglet: not supported by this dialect: INSERT … RETURNING on mysql 8.0.31
}

func ExampleUpdate() {
	C := query.Table("counters")
	q := query.Update(C).
		Set("hits", C.C("hits").Add(1)).
		Where(C.C("name").Eq("home"))
	printEach(q)

	// Without a Where, an UPDATE needs AllRows.
	_, _, err := query.Update(C).Set("hits", 0).Build(dialect.SQLite)
	fmt.Println(errors.Is(err, query.ErrNoWhere))
	// Output:
	// sqlite: UPDATE "counters" SET "hits" = "counters"."hits" + ? WHERE "counters"."name" = ? [1 home]
	// postgres: UPDATE "counters" SET "hits" = "counters"."hits" + $1 WHERE "counters"."name" = $2 [1 home]
	// mysql: UPDATE `counters` SET `hits` = `counters`.`hits` + ? WHERE `counters`.`name` = ? [1 home]
	// true
}

func ExampleDelete() {
	T := query.Table("tweets")
	q := query.Delete(T).Where(T.C("created_at").Lt(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)))
	sql, args, _ := q.Build(dialect.Postgres)
	fmt.Println(sql, args)
	// Output:
	// DELETE FROM "tweets" WHERE "tweets"."created_at" < $1 [2020-01-01 00:00:00 +0000 UTC]
}

// A Raw fragment's ? become the dialect's placeholders; a ? inside a string
// literal or comment stays as it is, and ?? is a literal ? (PostgreSQL's
// jsonb operator).
func ExampleRaw() {
	q := query.Select(query.C("id")).From(query.Table("docs")).Where(
		query.Raw("lower(title) = lower(?)", "Hello"),
		query.Raw("data ?? 'tag' AND note <> '?'"),
		query.C("views").Gt(query.Raw("? * 2", 50)),
	)
	sql, args, _ := q.Build(dialect.Postgres)
	fmt.Println(sql, args)
	// Output:
	// SELECT "id" FROM "docs" WHERE (lower(title) = lower($1)) AND (data ? 'tag' AND note <> '?') AND "views" > ($2 * 2) [Hello 50]
}

// IN with an empty list is always false (NOT IN always true), instead of the
// invalid IN (); a slice is expanded, and a subquery stays one.
func ExampleEx_In() {
	U := query.Table("users")
	for _, cond := range []query.Ex{
		U.C("id").In(1, 2, 3),
		U.C("id").In([]int64{7, 8}),
		U.C("id").In([]int64{}),
		U.C("id").NotIn(),
		U.C("id").In(query.Select(query.C("user_id")).From(query.Table("admins"))),
	} {
		sql, args, _ := query.Select(U.C("name")).From(U).Where(cond).Build(dialect.SQLite)
		fmt.Println(sql, args)
	}
	// Output:
	// SELECT "users"."name" FROM "users" WHERE "users"."id" IN (?, ?, ?) [1 2 3]
	// SELECT "users"."name" FROM "users" WHERE "users"."id" IN (?, ?) [7 8]
	// SELECT "users"."name" FROM "users" WHERE 1 = 0 []
	// SELECT "users"."name" FROM "users" WHERE 1 = 1 []
	// SELECT "users"."name" FROM "users" WHERE "users"."id" IN (SELECT "user_id" FROM "admins") []
}

func ExampleFn_Over() {
	S := query.Table("scores")
	rank := query.Func("RANK").Over(query.NewWindow().
		PartitionBy(S.C("game")).
		OrderBy(S.C("points").Desc()))
	running := query.Sum(S.C("points")).Over(query.NewWindow().
		OrderBy(S.C("played_at")).
		Rows(query.UnboundedPreceding, query.CurrentRow))
	q := query.Select(S.C("player"), rank.As("rank"), running.As("running")).From(S)
	sql, _, _ := q.Build(dialect.MySQL)
	fmt.Println(sql)
	// Output:
	// SELECT `scores`.`player`, RANK() OVER (PARTITION BY `scores`.`game` ORDER BY `scores`.`points` DESC) AS `rank`, SUM(`scores`.`points`) OVER (ORDER BY `scores`.`played_at` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `running` FROM `scores`
}

// A recursive CTE: the chain of managers above employee 7.
func ExampleSelectQuery_WithRecursive() {
	E := query.Table("employees")
	R := query.Table("chain") // the CTE, referred to in its own body
	body := query.Select(E.C("id"), E.C("manager_id"), query.SQL("0")).From(E).Where(E.C("id").Eq(7)).
		UnionAll(query.Select(E.C("id"), E.C("manager_id"), R.C("depth").Add(1)).
			From(E).Join(R, R.C("manager_id").Eq(E.C("id"))))
	chain := query.NewCTE("chain", body, "id", "manager_id", "depth")
	q := query.Select(R.C("id"), R.C("depth")).From(chain).WithRecursive(chain).OrderBy(R.C("depth"))
	sql, args, _ := q.Build(dialect.Postgres)
	fmt.Println(sql, args)
	// Output:
	// WITH RECURSIVE "chain" ("id", "manager_id", "depth") AS (SELECT "employees"."id", "employees"."manager_id", 0 FROM "employees" WHERE "employees"."id" = $1 UNION ALL SELECT "employees"."id", "employees"."manager_id", "chain"."depth" + $2 FROM "employees" JOIN "chain" ON "chain"."manager_id" = "employees"."id") SELECT "chain"."id", "chain"."depth" FROM "chain" ORDER BY "chain"."depth" [7 1]
}

// Debug and String inline the values, for logs only: never execute them.
func ExampleDebug() {
	U := query.Table("users")
	q := query.Select(U.C("id")).From(U).Where(U.C("name").Eq("O'Brien"), U.C("active").Eq(true))
	fmt.Println(query.Debug(dialect.SQLite, q))
	fmt.Println(query.Debug(dialect.MySQL, q))
	fmt.Println(q) // String: the PostgreSQL spelling
	// Output:
	// SELECT "users"."id" FROM "users" WHERE "users"."name" = 'O''Brien' AND "users"."active" = 1
	// SELECT `users`.`id` FROM `users` WHERE `users`.`name` = 'O''Brien' AND `users`.`active` = TRUE
	// SELECT "users"."id" FROM "users" WHERE "users"."name" = 'O''Brien' AND "users"."active" = TRUE
}

// A feature the engine lacks is an error naming it and the engine, or a
// documented emulation, never SQL the server would reject.
func ExampleSelectQuery_ForUpdate() {
	A := query.Table("accounts")
	q := query.Select(A.C("balance")).From(A).Where(A.C("id").Eq(1)).ForUpdate(query.SkipLocked)
	printEach(q)
	// Output:
	// sqlite: error: kinglet: not supported by this dialect: FOR UPDATE on sqlite 3.46.0
	// postgres: SELECT "accounts"."balance" FROM "accounts" WHERE "accounts"."id" = $1 FOR UPDATE SKIP LOCKED [1]
	// mysql: SELECT `accounts`.`balance` FROM `accounts` WHERE `accounts`.`id` = ? FOR UPDATE SKIP LOCKED [1]
}

func ExampleEx_ILike() {
	U := query.Table("users")
	q := query.Select(U.C("id")).From(U).Where(U.C("email").ILike("%@EXAMPLE.com")).
		OrderBy(U.C("last_login").Desc().NullsLast())
	printEach(q)
	// Output:
	// sqlite: SELECT "users"."id" FROM "users" WHERE LOWER("users"."email") LIKE LOWER(?) ORDER BY "users"."last_login" DESC NULLS LAST [%@EXAMPLE.com]
	// postgres: SELECT "users"."id" FROM "users" WHERE "users"."email" ILIKE $1 ORDER BY "users"."last_login" DESC NULLS LAST [%@EXAMPLE.com]
	// mysql: SELECT `users`.`id` FROM `users` WHERE LOWER(`users`.`email`) LIKE LOWER(?) ORDER BY `users`.`last_login` IS NULL, `users`.`last_login` DESC [%@EXAMPLE.com]
}

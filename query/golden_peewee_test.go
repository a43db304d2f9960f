package query_test

import (
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// Expectations ported from peewee's SQL tests, written out in full per
// dialect so that a change in any of them reads as a plain diff here.

func TestPeeweeAggregateLeftJoinGroupHaving(t *testing.T) {
	users, tweets := query.Table("users"), query.Table("tweets")
	q := query.Select(users.C("username"), query.Count(tweets.C("id")).As("ct")).
		From(users).
		LeftJoin(tweets, tweets.C("user_id").Eq(users.C("id"))).
		GroupBy(users.C("username")).
		Having(query.Count(tweets.C("id")).Gt(10)).
		OrderBy(query.C("ct").Desc())
	expectSQL(t, dialect.SQLite, q, `SELECT "users"."username", COUNT("tweets"."id") AS "ct" FROM "users" `+
		`LEFT JOIN "tweets" ON "tweets"."user_id" = "users"."id" GROUP BY "users"."username" `+
		`HAVING COUNT("tweets"."id") > ? ORDER BY "ct" DESC`, 10)
	expectSQL(t, dialect.Postgres, q, `SELECT "users"."username", COUNT("tweets"."id") AS "ct" FROM "users" `+
		`LEFT JOIN "tweets" ON "tweets"."user_id" = "users"."id" GROUP BY "users"."username" `+
		`HAVING COUNT("tweets"."id") > $1 ORDER BY "ct" DESC`, 10)
	expectSQL(t, dialect.MySQL, q, "SELECT `users`.`username`, COUNT(`tweets`.`id`) AS `ct` FROM `users` "+
		"LEFT JOIN `tweets` ON `tweets`.`user_id` = `users`.`id` GROUP BY `users`.`username` "+
		"HAVING COUNT(`tweets`.`id`) > ? ORDER BY `ct` DESC", 10)
}

func TestPeeweeOffsetWithoutLimit(t *testing.T) {
	users := query.Table("users")
	q := query.Select(users.C("id")).From(users).OrderBy(users.C("id")).Offset(10)
	expectSQL(t, dialect.SQLite, q, `SELECT "users"."id" FROM "users" ORDER BY "users"."id" LIMIT -1 OFFSET ?`,
		int64(10))
	expectSQL(t, dialect.Postgres, q, `SELECT "users"."id" FROM "users" ORDER BY "users"."id" OFFSET $1`, int64(10))
	expectSQL(t, dialect.MySQL, q,
		"SELECT `users`.`id` FROM `users` ORDER BY `users`.`id` LIMIT 18446744073709551615 OFFSET ?", int64(10))
	expectSQL(t, dialect.MariaDB, q,
		"SELECT `users`.`id` FROM `users` ORDER BY `users`.`id` LIMIT 18446744073709551615 OFFSET ?", int64(10))
}

func TestPeeweeRecursiveFibonacci(t *testing.T) {
	fib := query.Table("fibonacci")
	base := query.Select(query.V(1), query.V(0), query.V(1))
	step := query.Select(query.C("n").Add(1), query.C("next_fib_n"), query.C("fib_n").Add(query.C("next_fib_n"))).
		From(fib).Where(query.C("n").Lt(10))
	cte := query.NewCTE("fibonacci", base.UnionAll(step), "n", "fib_n", "next_fib_n")
	q := query.Select(query.C("n"), query.C("fib_n")).WithRecursive(cte).From(cte.Table())
	expectSQL(t, dialect.SQLite, q, `WITH RECURSIVE "fibonacci" ("n", "fib_n", "next_fib_n") AS `+
		`(SELECT ?, ?, ? UNION ALL SELECT "n" + ?, "next_fib_n", "fib_n" + "next_fib_n" FROM "fibonacci" WHERE "n" < ?) `+
		`SELECT "n", "fib_n" FROM "fibonacci"`, 1, 0, 1, 1, 10)
	expectSQL(t, dialect.Postgres, q, `WITH RECURSIVE "fibonacci" ("n", "fib_n", "next_fib_n") AS `+
		`(SELECT $1, $2, $3 UNION ALL SELECT "n" + $4, "next_fib_n", "fib_n" + "next_fib_n" FROM "fibonacci" `+
		`WHERE "n" < $5) SELECT "n", "fib_n" FROM "fibonacci"`, 1, 0, 1, 1, 10)
	expectSQL(t, dialect.MySQL, q, "WITH RECURSIVE `fibonacci` (`n`, `fib_n`, `next_fib_n`) AS "+
		"(SELECT ?, ?, ? UNION ALL SELECT `n` + ?, `next_fib_n`, `fib_n` + `next_fib_n` FROM `fibonacci` WHERE `n` < ?) "+
		"SELECT `n`, `fib_n` FROM `fibonacci`", 1, 0, 1, 1, 10)
}

func TestPeeweeInsertThreeRows(t *testing.T) {
	q := query.Insert(query.Table("person")).Columns("first", "last").
		Values("huey", "cat").Values("mickey", "dog").Values("zaizee", "cat")
	args := []any{"huey", "cat", "mickey", "dog", "zaizee", "cat"}
	expectSQL(t, dialect.SQLite, q, `INSERT INTO "person" ("first", "last") VALUES (?, ?), (?, ?), (?, ?)`, args...)
	expectSQL(t, dialect.Postgres, q,
		`INSERT INTO "person" ("first", "last") VALUES ($1, $2), ($3, $4), ($5, $6)`, args...)
	expectSQL(t, dialect.MySQL, q, "INSERT INTO `person` (`first`, `last`) VALUES (?, ?), (?, ?), (?, ?)", args...)
}

func TestPeeweeUpdateCounter(t *testing.T) {
	stat := query.Table("stat")
	q := query.Update(stat).Set("count", stat.C("count").Add(1)).Where(stat.C("url").Eq("/peewee"))
	expectSQL(t, dialect.SQLite, q, `UPDATE "stat" SET "count" = "stat"."count" + ? WHERE "stat"."url" = ?`,
		1, "/peewee")
	expectSQL(t, dialect.Postgres, q, `UPDATE "stat" SET "count" = "stat"."count" + $1 WHERE "stat"."url" = $2`,
		1, "/peewee")
	expectSQL(t, dialect.MySQL, q, "UPDATE `stat` SET `count` = `stat`.`count` + ? WHERE `stat`.`url` = ?",
		1, "/peewee")
}

func TestPeeweePostgresUpsertTwoColumnTargetWhere(t *testing.T) {
	emp := query.Table("emp")
	q := query.Insert(emp).Columns("first", "last", "empno").Values("huey", "kitty", "4567").
		OnConflict(query.Conflict("first", "last").Update("empno").
			Where(emp.C("empno").Lt(query.Excluded("empno"))))
	expectSQL(t, dialect.Postgres, q, `INSERT INTO "emp" ("first", "last", "empno") VALUES ($1, $2, $3) `+
		`ON CONFLICT ("first", "last") DO UPDATE SET "empno" = EXCLUDED."empno" `+
		`WHERE "emp"."empno" < EXCLUDED."empno"`, "huey", "kitty", "4567")
	expectSQL(t, dialect.SQLite, q, `INSERT INTO "emp" ("first", "last", "empno") VALUES (?, ?, ?) `+
		`ON CONFLICT ("first", "last") DO UPDATE SET "empno" = EXCLUDED."empno" `+
		`WHERE "emp"."empno" < EXCLUDED."empno"`, "huey", "kitty", "4567")
	expectErr(t, dialect.MySQL, q, query.ErrUnsupported, "WHERE on an upsert", "mysql 8.0.31")
}

func TestPeeweeMySQLUpsertPreserveAndConcat(t *testing.T) {
	emp := query.Table("emp")
	q := query.Insert(emp).Columns("first", "last", "empno").Values("huey", "kitty", "4567").
		OnConflict(query.Conflict("empno").Update("first").
			DoUpdate(query.Assign("last", emp.C("last").Concat(query.Excluded("last")))))
	want := "INSERT INTO `emp` (`first`, `last`, `empno`) VALUES (?, ?, ?) " +
		"ON DUPLICATE KEY UPDATE `first` = VALUES(`first`), `last` = CONCAT(`emp`.`last`, VALUES(`last`))"
	expectSQL(t, dialect.MySQL, q, want, "huey", "kitty", "4567")
	expectSQL(t, dialect.MariaDB, q, want, "huey", "kitty", "4567")
	expectSQL(t, dialect.Postgres, q, `INSERT INTO "emp" ("first", "last", "empno") VALUES ($1, $2, $3) `+
		`ON CONFLICT ("empno") DO UPDATE SET "first" = EXCLUDED."first", "last" = "emp"."last" || EXCLUDED."last"`,
		"huey", "kitty", "4567")
}

func TestPeeweeEmptyInAndTuples(t *testing.T) {
	users := query.Table("users")
	empty := query.Select(users.C("id")).From(users).Where(users.C("id").In())
	notEmpty := query.Select(users.C("id")).From(users).Where(users.C("id").NotIn([]int{}))
	tuple := query.Select(users.C("id")).From(users).
		Where(query.Tuple(users.C("username"), users.C("email")).Eq(query.Tuple("huey", "h@x")))
	expectSQL(t, dialect.SQLite, empty, `SELECT "users"."id" FROM "users" WHERE 1 = 0`)
	expectSQL(t, dialect.Postgres, empty, `SELECT "users"."id" FROM "users" WHERE 1 = 0`)
	expectSQL(t, dialect.MySQL, empty, "SELECT `users`.`id` FROM `users` WHERE 1 = 0")
	expectSQL(t, dialect.Postgres, notEmpty, `SELECT "users"."id" FROM "users" WHERE 1 = 1`)
	expectSQL(t, dialect.SQLite, tuple,
		`SELECT "users"."id" FROM "users" WHERE ("users"."username", "users"."email") = (?, ?)`, "huey", "h@x")
	expectSQL(t, dialect.Postgres, tuple,
		`SELECT "users"."id" FROM "users" WHERE ("users"."username", "users"."email") = ($1, $2)`, "huey", "h@x")
	expectSQL(t, dialect.MySQL, tuple,
		"SELECT `users`.`id` FROM `users` WHERE (`users`.`username`, `users`.`email`) = (?, ?)", "huey", "h@x")
}

func TestPeeweeWindowRowsBetween(t *testing.T) {
	s := query.Table("sample")
	q := query.Select(s.C("counter"), query.Avg(s.C("value")).Over(query.NewWindow().OrderBy(s.C("counter")).
		Rows(query.UnboundedPreceding, query.Following(2))).As("avg")).From(s)
	const win = `OVER (ORDER BY "sample"."counter" ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)`
	expectSQL(t, dialect.SQLite, q, `SELECT "sample"."counter", AVG("sample"."value") `+win+` AS "avg" FROM "sample"`)
	expectSQL(t, dialect.Postgres, q, `SELECT "sample"."counter", AVG("sample"."value") `+win+` AS "avg" FROM "sample"`)
	expectSQL(t, dialect.MySQL, q, "SELECT `sample`.`counter`, AVG(`sample`.`value`) OVER (ORDER BY `sample`.`counter` "+
		"ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING) AS `avg` FROM `sample`")
}

func TestPeeweeForUpdateOfNoWait(t *testing.T) {
	users, tweets := query.Table("users"), query.Table("tweets")
	q := query.Select(users.C("id")).From(users).Join(tweets, tweets.C("user_id").Eq(users.C("id"))).
		ForUpdate(query.Of(users), query.NoWait)
	expectSQL(t, dialect.Postgres, q, `SELECT "users"."id" FROM "users" JOIN "tweets" ON "tweets"."user_id" = `+
		`"users"."id" FOR UPDATE OF "users" NOWAIT`)
	expectSQL(t, dialect.MySQL, q, "SELECT `users`.`id` FROM `users` JOIN `tweets` ON `tweets`.`user_id` = "+
		"`users`.`id` FOR UPDATE OF `users` NOWAIT")
	expectErr(t, dialect.SQLite, q, query.ErrUnsupported, "FOR UPDATE", "sqlite")
	expectErr(t, dialect.MariaDB, q, query.ErrUnsupported, "FOR UPDATE OF", "mariadb")
	// MariaDB has NOWAIT without OF.
	expectSQL(t, dialect.MariaDB, query.Select(users.C("id")).From(users).ForUpdate(query.NoWait),
		"SELECT `users`.`id` FROM `users` FOR UPDATE NOWAIT")
}

func TestRawPlaceholders(t *testing.T) {
	p := query.Table("products")
	sel := func(cond query.Expr) query.SelectQuery {
		return query.Select(p.C("id")).From(p).Where(p.C("qty").Eq(1), cond, p.C("price").Gt(2))
	}
	// $n continues from the surrounding arguments.
	expectSQL(t, dialect.Postgres, sel(query.Raw("lower(name) = ? OR sku = ?", "x", "y")),
		`SELECT "products"."id" FROM "products" WHERE "products"."qty" = $1 AND (lower(name) = $2 OR sku = $3) `+
			`AND "products"."price" > $4`, 1, "x", "y", 2)
	// ? inside strings, identifiers, comments and dollar quotes stays; ?? is a literal ?.
	expectSQL(t, dialect.Postgres, query.Raw(`'?' "?" -- ?
/* ? */ $$?$$ $q$?$q$ ?? ?`, 7), `'?' "?" -- ?
/* ? */ $$?$$ $q$?$q$ ? $1`, 7)
	expectSQL(t, dialect.SQLite, query.Raw("`?` '?' ? /* ? */", 7), "`?` '?' ? /* ? */", 7)
	expectSQL(t, dialect.MySQL, query.Raw("`?` '\\'?' # ?\n ?", 7), "`?` '\\'?' # ?\n ?", 7)
	// Where ? is the placeholder, ?? would leave a stray one: refused.
	expectErr(t, dialect.MySQL, query.Raw("tags ?? 'x' AND qty > ?", 1), query.ErrInvalid, "??")
	expectErr(t, dialect.SQLite, query.Raw("tags ?? 'x'"), query.ErrInvalid, "??")
	// Expr arguments render in place, and their own args are numbered in order.
	expectSQL(t, dialect.Postgres, query.Raw("? > ? AND ?", p.C("qty").Add(5), 3, query.Raw("sku = ?", "z")),
		`("products"."qty" + $1) > $2 AND (sku = $3)`, 5, 3, "z")
	// A compound Expr argument keeps its shape.
	expectSQL(t, dialect.SQLite, query.Raw("? * 2", p.C("qty").Add(1)), `("products"."qty" + ?) * 2`, 1)
	expectErr(t, dialect.Postgres, query.Raw("a = ? AND b = ?", 1), query.ErrInvalid, "more ? than")
	expectErr(t, dialect.Postgres, query.Raw("a = '?'", 1), query.ErrInvalid, "0 ? but 1 argument(s)")
}

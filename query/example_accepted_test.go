package query_test

import (
	"errors"
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// A CTE joined without With is defined by the query's WITH all the same.
func ExampleCTE_join() {
	T := query.Table("tweets")
	U := query.Table("users")
	counts := query.Select(T.C("user_id"), query.CountAll()).From(T).GroupBy(T.C("user_id")).CTE("counts", "uid", "n")
	q := query.Select(U.C("username"), counts.C("n")).From(U).Join(counts, counts.C("uid").Eq(U.C("id")))
	sql, _, _ := q.Build(dialect.Postgres)
	fmt.Println(sql)
	// Output:
	// WITH "counts" ("uid", "n") AS (SELECT "tweets"."user_id", COUNT(*) FROM "tweets" GROUP BY "tweets"."user_id") SELECT "users"."username", "counts"."n" FROM "users" JOIN "counts" ON "counts"."uid" = "users"."id"
}

// More parameters than the engine takes fail at Build, before the database.
func ExampleErrTooManyParams() {
	ids := make([]any, 40000)
	for i := range ids {
		ids[i] = i
	}
	U := query.Table("users")
	_, _, err := query.Select(U.C("id")).From(U).Where(U.C("id").In(ids...)).Build(dialect.SQLite)
	fmt.Println(errors.Is(err, query.ErrTooManyParams), errors.Is(err, query.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true true
	// kinglet: query: invalid query: too many bound parameters: the statement has 40000, sqlite 3.46.0 takes at most 32766: split the list into batches, or pass it as a subquery or through a temporary table (on PostgreSQL, col = ANY(?) with one array argument)
}

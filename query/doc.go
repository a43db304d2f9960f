// Package query is kinglet's expression tree and statement builders. Every
// node — column, value, operator, function, statement — implements Expr and
// renders into a Builder for one dialect; values always become bound
// parameters, numbered by the Builder alone.
//
//	U := query.Table("users").As("u")
//	T := query.Table("tweets").As("t")
//	q := query.Select(U.C("username"), query.Count(T.C("id")).As("n")).
//		From(U).
//		LeftJoin(T, T.C("user_id").Eq(U.C("id"))).
//		Where(U.C("active").Eq(true)).
//		GroupBy(U.C("username")).
//		OrderBy(query.C("n").Desc()).
//		Limit(10)
//	sql, args, err := q.Build(dialect.Postgres)
//
// Builders are immutable values: each method returns a new query, so a base
// query can be reused to derive many, also concurrently.
//
// Building is cheap: nodes and the first arrays of a query's lists are
// handed out from shared blocks (of 32 nodes of a kind), so a SELECT with a
// join, three predicates, ORDER BY and LIMIT takes three allocations, SQL
// text and arguments included. The price is that a query kept for a long
// time also keeps alive the blocks its nodes came from, a few kilobytes each.
// Tables and columns declared once in package variables are cheaper still.
//
// A construct the target engine lacks is either emulated (ILIKE, NULLS
// FIRST/LAST and FILTER on MySQL, OFFSET without LIMIT, DELETE … USING on
// SQLite — each documented on its method) or refused with an error wrapping
// ErrUnsupported that names the feature and the dialect. UPDATE and DELETE
// without WHERE are refused (ErrNoWhere) unless AllRows says otherwise.
//
// Raw fragments (Raw("lower(?) = ?", a, b)) may stand anywhere an expression
// can; their ? placeholders are renumbered for the dialect and never matched
// inside string literals, quoted identifiers or comments.
package query

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
// Building is cheap, in three ways:
//
//   - Tables, aliases, columns and EXCLUDED references are immutable leaves,
//     so one node stands for every use of a name: Table("users") and
//     U.C("id") hand back the node made for that name the last time, from
//     small fixed-size caches, and a column or table keeps the SQL text it
//     rendered to, per quote character, for the next build. The caches
//     never grow; a program that makes new names at run time only misses
//     in them, and a miss costs less than twice what making the node does.
//   - A statement keeps its first few columns, conditions, assignments and
//     ORDER BY items in the query value itself, so most statements need no
//     list on the heap; other nodes (operators, functions) come from shared
//     blocks of about 31 nodes of a kind.
//   - Build renders through a pooled Builder, and hands back the SQL text and
//     the arguments of a statement of up to 16 arguments and 512 bytes in
//     one allocation.
//
// A SELECT with a join, three predicates, ORDER BY and LIMIT so takes two
// allocations, SQL text and arguments included, and an UPDATE or an upsert
// one. The price is that a query kept for a long time also keeps alive the
// blocks its operator nodes came from, a couple of kilobytes each, and that
// a SQL text kept after its query ran keeps that query's arguments alive:
// keep a strings.Clone of a text you store, in a cache keyed by SQL say.
// PERFORMANCE.md, beside this file, describes each of these pieces once
// and what it buys on the benchmarks.
//
// A construct the target engine lacks is either emulated (ILIKE, NULLS
// FIRST/LAST and FILTER on MySQL, OFFSET without LIMIT, DELETE … USING on
// SQLite — each documented on its method) or refused with an error wrapping
// ErrUnsupported that names the feature and the dialect. UPDATE and DELETE
// without WHERE are refused (ErrNoWhere) unless AllRows says otherwise, and
// so is a statement with more bound parameters than the dialect's MaxParams
// (ErrTooManyParams).
//
// Raw fragments (Raw("lower(?) = ?", a, b)) may stand anywhere an expression
// can; their ? placeholders are renumbered for the dialect and never matched
// inside string literals, quoted identifiers or comments, and a quote or
// comment a fragment opens and does not close is an error.
package query

package query_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/query"
)

// TestExecAccepted runs the constructs of golden_accepted_test.go (SQL a
// server used to reject, issue 13 §5) on the real engines, with their rows
// asserted; where an engine lacks a feature, the build fails naming it.
func TestExecAccepted(t *testing.T) {
	t.Parallel()
	U, T := exUsers, exTweets
	exSeeded(t, func(t *testing.T, db *testdb.DB) {
		t.Run("readme_headline_query", func(t *testing.T) {
			// README.md, "The query builder", exactly: the active users by
			// their number of tweets.
			exCheck(t, db, readmeQuery(), xt(xr("alice", 3), xr("bob", 2), xr("dave", 0)))
		})
		t.Run("nulls_order_of_an_aggregate_alias", func(t *testing.T) {
			// dave has no tweets: his MAX is NULL, which each engine puts
			// elsewhere by default (first ascending on MySQL and SQLite,
			// last on PostgreSQL).
			best := query.Max(T.C("likes"))
			base := query.Select(U.C("username"), best.As("best")).From(U).LeftJoin(T, T.C("user_id").Eq(U.C("id"))).
				Where(U.C("active").Eq(true)).GroupBy(U.C("username"))
			exCheck(t, db, base.OrderBy(query.C("best").Asc().NullsLast()),
				xt(xr("bob", 7), xr("alice", 10), xr("dave", nil)))
			exCheck(t, db, base.OrderBy(query.C("best").Desc().NullsFirst()),
				xt(xr("dave", nil), xr("alice", 10), xr("bob", 7)))
			exCheck(t, db, base.OrderBy(best.As("best").Asc().NullsFirst()),
				xt(xr("dave", nil), xr("bob", 7), xr("alice", 10)))
			exCheck(t, db, base.OrderBy(best.As("best").Desc().NullsLast()),
				xt(xr("alice", 10), xr("bob", 7), xr("dave", nil)))
		})
		t.Run("nulls_order_of_an_expression_alias_and_a_column", func(t *testing.T) {
			// An alias of a plain expression, with an argument bound twice
			// on MySQL, and a plain column.
			q := query.Select(U.C("id"), U.C("age").Add(1).As("next")).From(U).
				OrderBy(query.C("next").Asc().NullsFirst(), U.C("id"))
			exCheck(t, db, q, xt(xr(4, nil), xr(2, 26), xr(5, 29), xr(1, 31), xr(3, 36)))
			exCheck(t, db, query.Select(U.C("id")).From(U).OrderBy(U.C("email").Desc().NullsLast(), U.C("id")),
				xt(xr(5), xr(3), xr(1), xr(2), xr(4)))
		})
		t.Run("data_modifying_cte", func(t *testing.T) {
			gone := query.NewCTE("gone", query.Delete(T).Where(T.C("likes").Eq(0)).Returning(T.C("id"), T.C("user_id")))
			q := query.Select(gone.C("user_id"), query.CountAll()).With(gone).From(gone).GroupBy(gone.C("user_id"))
			if !db.Dialect.Has(dialect.DataModifyingCTE) {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "DELETE", "in WITH", "gone", db.Dialect.Name())
				return
			}
			exCheck(t, db, q, xt(xr(3, 1)))
			exCheck(t, db, query.Select(query.CountAll()).From(T).Where(T.C("likes").Eq(0)), xt(xr(0)))
			// Not inside a subquery, which PostgreSQL refuses.
			exBuildErr(t, db.Dialect, query.Select(U.C("id")).From(U).
				Where(U.C("id").In(query.Select(gone.C("user_id")).With(gone).From(gone))),
				query.ErrInvalid, "gone", "DELETE", "outermost")
		})
		t.Run("index_expressions_unqualified", func(t *testing.T) {
			plain := query.CreateIndex("idx_users_email_id", U).On(U.C("email"), U.C("id").Desc())
			exExec(t, db, plain)
			exCheck(t, db, query.Select(U.C("id")).From(U).Where(U.C("email").Eq("eve@example.com")), xt(xr(5)))
			lower := query.CreateIndex("idx_users_lower_username", U).On(query.Lower(U.C("username")))
			if !db.Dialect.Has(dialect.IndexExpressions) {
				exBuildErr(t, db.Dialect, lower, query.ErrUnsupported, "expression index", "mariadb")
			} else {
				exExec(t, db, lower)
				exCheck(t, db, query.Select(U.C("id")).From(U).Where(query.Lower(U.C("username")).Eq("carol")), xt(xr(3)))
			}
			partial := query.CreateIndex("idx_users_active_age", U).On(U.C("age")).Where(U.C("active").Eq(true))
			if !db.Dialect.Has(dialect.PartialIndex) {
				exBuildErr(t, db.Dialect, partial, query.ErrUnsupported, "partial index")
				return
			}
			exExec(t, db, partial)
			exCheck(t, db, query.Select(U.C("id")).From(U).Where(U.C("active").Eq(true), U.C("age").Lt(28)), xt(xr(2)))
		})
		t.Run("cte_used_without_with", func(t *testing.T) {
			active := query.Select(U.C("id"), U.C("username")).From(U).Where(U.C("active").Eq(true)).CTE("active_users")
			counts := query.Select(T.C("user_id"), query.CountAll()).From(T).GroupBy(T.C("user_id")).CTE("counts", "uid", "n")
			exCheck(t, db, query.Select(active.C("username")).From(active).OrderBy(active.C("username")),
				xt(xr("alice"), xr("bob"), xr("dave")))
			exCheck(t, db, query.Select(active.C("username"), counts.C("n")).From(active).
				Join(counts, counts.C("uid").Eq(active.C("id"))).OrderBy(active.C("username")),
				xt(xr("alice", 3), xr("bob", 2)))
			// With after From: one definition, before the CTE that reads it.
			exCheck(t, db, query.Select(counts.C("n")).From(counts).Join(active, active.C("id").Eq(counts.C("uid"))).
				With(active).OrderBy(counts.C("n")), xt(xr(2), xr(3)))
			// A subquery reading its outer query's CTE does not define it again.
			q := query.Select(active.C("username")).From(active).
				Where(active.C("id").In(query.Select(counts.C("uid")).From(counts).
					Join(active, active.C("id").Eq(counts.C("uid"))).Where(counts.C("n").Gt(2)))).
				OrderBy(active.C("username"))
			exCheck(t, db, q, xt(xr("alice")))
			// The members of a compound: their CTEs go to its WITH. (On
			// PostgreSQL data_modifying_cte deleted carol's one tweet.)
			want := xt(xr(1), xr(2), xr(3), xr(4), xr(5))
			if db.Engine == testdb.Postgres {
				want = xt(xr(1), xr(2), xr(4), xr(5))
			}
			exCheck(t, db, query.Select(active.C("id")).From(active).
				Union(query.Select(counts.C("uid")).From(counts)).OrderBy(query.C("id")), want)
			// A WITH ends with its statement: the derived table after the
			// subquery that defined counts defines it again. (On PostgreSQL
			// data_modifying_cte deleted carol's one tweet.)
			users := exPerEngine(db, 4, 3, 4)
			exCheck(t, db, query.Select(query.Select(query.CountAll()).With(counts).From(counts), query.CountAll()).
				From(query.Select(counts.C("uid")).From(counts).As("dt")), xt(xr(users, users)))
			// Two sibling subqueries, each defining its own.
			exCheck(t, db, query.Select(U.C("username")).From(U).
				Where(U.C("id").In(query.Select(active.C("id")).From(active)),
					U.C("id").In(query.Select(counts.C("uid")).From(counts))).OrderBy(U.C("id")),
				xt(xr("alice"), xr("bob")))
		})
		t.Run("parameter_limit", func(t *testing.T) {
			// Exactly the limit is what the engine takes; one more fails
			// before the database.
			limit := db.Dialect.MaxParams()
			in := func(n int) query.SelectQuery {
				return query.Select(query.CountAll()).From(U).Where(U.C("id").In(manyInts(n)...))
			}
			exCheck(t, db, in(limit), xt(xr(5)))
			exBuildErr(t, db.Dialect, in(limit+1), query.ErrTooManyParams, itoa(limit+1), itoa(limit))
		})
		t.Run("raw_line_comment_at_the_end", func(t *testing.T) {
			exCheck(t, db, query.Select(U.C("id")).From(U).Where(query.Raw("age > ? -- older", 26), U.C("active").Eq(true)),
				xt(xr(1)))
			exBuildErr(t, db.Dialect, query.Select(U.C("id")).From(U).Where(query.Raw("username = 'bob", 1)),
				query.ErrInvalid, "unterminated string literal", "offset 11")
		})
	})
}

// TestExecLongDerivedNames creates a model whose derived index and
// constraint names pass 63 bytes on every engine (MySQL refused them), and
// reads the names back.
func TestExecLongDerivedNames(t *testing.T) {
	t.Parallel()
	exEach(t, func(t *testing.T, db *testdb.DB) {
		tbl, err := fields.Of(&LongNamedRecord{})
		require.NoError(t, err)
		create, err := query.CreateTableFor(tbl)
		require.NoError(t, err)
		exExec(t, db, create)
		for _, ix := range query.IndexesFor(tbl) {
			exExec(t, db, ix)
		}
		r := query.Table(tbl.Name)
		exExec(t, db, query.Insert(r).Columns("id", tbl.Fields[1].Column, tbl.Fields[2].Column).Values(1, 1, "a"))
		exCheck(t, db, query.Select(r.C("id")).From(r).Where(r.C(tbl.Fields[2].Column).Eq("a")), xt(xr(1)))
		// The unique constraint holds under its shortened name.
		s, args := exBuild(t, db.Dialect, query.Insert(r).Columns("id", tbl.Fields[1].Column, tbl.Fields[2].Column).Values(2, 1, "a"))
		_, err = db.DB.ExecContext(t.Context(), s, args...)
		require.Error(t, err)
	})
}

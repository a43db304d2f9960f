package orm

import (
	"fmt"

	"github.com/kingletdb/kinglet/query"
)

// The query builder's other clauses on typed queries: CTEs, compounds,
// every kind of join, named windows and DISTINCT ON. Each passes to
// query.SelectQuery, so the refusals per engine are the builder's (an
// error wrapping query.ErrUnsupported that names the feature and the
// engine, when the query is built).

// With adds common table expressions (WITH name AS (…)). A CTE given to
// From or Join of the query package is added to the WITH by itself; With
// is for the CTEs a condition or a subquery reads.
func (s SelectQuery[T]) With(ctes ...query.CTE) SelectQuery[T] {
	s.q = s.q.With(ctes...)
	return s
}

// WithRecursive adds common table expressions and makes the WITH
// RECURSIVE, for a CTE that reads itself:
//
//	tree := query.Select(…).From(E).Where(E.C("manager_id").IsNull()).
//		UnionAll(query.Select(…).From(E).Join(query.Table("tree"), …)).
//		CTE("tree", "id", "depth")
//	orm.Select[Employee](db).WithRecursive(tree).Join(tree, …)
func (s SelectQuery[T]) WithRecursive(ctes ...query.CTE) SelectQuery[T] {
	s.q = s.q.WithRecursive(ctes...)
	return s
}

// RightJoin adds RIGHT JOIN t ON on… (SQLite 3.39 or later). T's columns
// are NULL on the rows that only t has: scan them into a shape whose fields
// take NULL (Into, or pointer fields).
func (s SelectQuery[T]) RightJoin(t query.Expr, on ...query.Expr) SelectQuery[T] {
	s.q = s.q.RightJoin(t, on...)
	s.joined = true
	return s
}

// FullJoin adds FULL JOIN t ON on… (not on MySQL or MariaDB, where it is
// an error wrapping query.ErrUnsupported).
func (s SelectQuery[T]) FullJoin(t query.Expr, on ...query.Expr) SelectQuery[T] {
	s.q = s.q.FullJoin(t, on...)
	s.joined = true
	return s
}

// CrossJoin adds CROSS JOIN t.
func (s SelectQuery[T]) CrossJoin(t query.Expr) SelectQuery[T] {
	s.q = s.q.CrossJoin(t)
	s.joined = true
	return s
}

// JoinUsing adds INNER JOIN t USING (cols…).
func (s SelectQuery[T]) JoinUsing(t query.Expr, cols ...string) SelectQuery[T] {
	s.q = s.q.JoinUsing(t, cols...)
	s.joined = true
	return s
}

// LeftJoinUsing adds LEFT JOIN t USING (cols…).
func (s SelectQuery[T]) LeftJoinUsing(t query.Expr, cols ...string) SelectQuery[T] {
	s.q = s.q.LeftJoinUsing(t, cols...)
	s.joined = true
	return s
}

// Window defines a named window, WINDOW name AS (w), for the
// query.Fn.OverName of a column given to Columns.
func (s SelectQuery[T]) Window(name string, w query.Window) SelectQuery[T] {
	s.q = s.q.Window(name, w)
	return s
}

// DistinctOn is PostgreSQL's SELECT DISTINCT ON (es…): the first row of
// each group of rows equal on es, in the query's order (which must start
// with es). An error wrapping query.ErrUnsupported on the other engines.
func (s SelectQuery[T]) DistinctOn(es ...query.Expr) SelectQuery[T] {
	s.q = s.q.DistinctOn(es...)
	return s
}

// Union is s UNION other: the rows of either query, without duplicates,
// into []T. OrderBy, Limit and Offset called on the result apply to the
// whole compound and name its result columns, unqualified
// (query.C("name")); a Where, Join or GroupBy after Union is an error that
// says to select from the compound as a derived table instead. Each
// member's own OrderBy and Limit stay its own. Load on the result loads
// the relations of the compound's rows; other may not have Load, JoinLoad
// or LoadWith of its own.
func (s SelectQuery[T]) Union(other SelectQuery[T]) SelectQuery[T] {
	return s.combine("Union", query.SelectQuery.Union, other)
}

// UnionAll is s UNION ALL other: the rows of both, duplicates kept.
func (s SelectQuery[T]) UnionAll(other SelectQuery[T]) SelectQuery[T] {
	return s.combine("UnionAll", query.SelectQuery.UnionAll, other)
}

// Intersect is s INTERSECT other: the rows both return (MySQL 8.0.31 and
// MariaDB 10.3 or later).
func (s SelectQuery[T]) Intersect(other SelectQuery[T]) SelectQuery[T] {
	return s.combine("Intersect", query.SelectQuery.Intersect, other)
}

// Except is s EXCEPT other: the rows of s that other does not return
// (MySQL 8.0.31 and MariaDB 10.3 or later).
func (s SelectQuery[T]) Except(other SelectQuery[T]) SelectQuery[T] {
	return s.combine("Except", query.SelectQuery.Except, other)
}

func (s SelectQuery[T]) combine(op string, join func(query.SelectQuery, query.SelectQuery) query.SelectQuery, other SelectQuery[T]) SelectQuery[T] {
	if s.err == nil {
		switch {
		case other.err != nil:
			s.err = other.err
		case len(other.preload) > 0 || other.rd != nil:
			s.err = fmt.Errorf("%w: %s: the other query of a compound loads relations; call Load or LoadWith on the compound", ErrInvalidArgument, op)
		case s.rd.hasJoins():
			s.err = fmt.Errorf("%w: %s of a query with JoinLoad: the members of a compound select their own columns; JoinLoad is not part of them", ErrInvalidArgument, op)
		case len(s.rd.rootJSON()) > 0:
			s.err = fmt.Errorf("%w: %s of a query with a JSON-strategy LoadWith: the JSON is a column of its own query, which the compound does not have; call LoadWith on the compound", ErrInvalidArgument, op)
		}
	}
	s.q = join(s.withColumns(), other.withColumns())
	s.compound = true
	s.cols, s.grouped, s.joined, s.limit = nil, false, false, 0
	return s
}

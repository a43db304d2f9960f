// Package check is kingletvet's analyzer: it reports, before the program
// runs, the mistakes kinglet would otherwise refuse (or silently ignore) at
// run time.
//
//	go vet -vettool=$(which kingletvet) ./...
//	go vet -vettool=$(which kingletvet) -checks=columns,relations ./...
//
// Each report belongs to one check (its category in -json output); the
// -checks flag lists those to report, all five by default.
//
// # Discarded builder results (category discard)
//
// kinglet's builders are immutable values: q.Where(x) returns a new query
// and leaves q alone, so as a statement of its own it does nothing. Any
// call of a function or method of package query or orm whose result is one
// of their builders (a struct type with a value method returning its own
// type: query.SelectQuery, InsertQuery, UpdateQuery, DeleteQuery, Ex, Fn,
// Ordering, Window, CTE, …, orm.SelectQuery[T], UpdateQuery[T],
// DeleteQuery[T]) is reported when its result is not used. When the chain
// starts at a variable of the result's type the suggested fix assigns the
// result back to it:
//
//	q.Where(x)      // result of query.SelectQuery.Where is not used: …
//	q = q.Where(x)  // the fix
//
// # Unknown columns and relations (categories columns, relations)
//
// When the model T of orm.Select[T], Update[T] or Delete[T] is a concrete
// type, its columns are read from its struct type the way package fields
// reads them (db tags, snake_case names of untagged exported fields, db:"-",
// flattened embedded structs, TableName returning a constant, also from
// another package), and constant names are checked as the ORM's own column
// check would refuse them:
//
//   - query.C("name") in Where, OrWhere, OrderBy, GroupBy, Having and
//     Columns of a select chain that is run (All, One, First, Count, Exists,
//     Iter, Maps, Build, orm.Pluck, Scalar, Into), in Where and OrWhere of
//     Update[T] and Delete[T], and in the values of their Set and SetAll;
//   - query.Table("users").C("name"), or a variable holding such a table,
//     qualified with the table of T or of a model T reaches through its
//     relations, anywhere in those methods, Join conditions and WhereHas
//     conditions included;
//   - Set("name", v) and query.Assign("name", v) of Update[T],
//     orm.ColOf[V, T]("name") (a column or Go field name);
//   - relation paths of Load, WhereHas, WhereHasNo and orm.Has[T]: Go
//     names of rel-tagged fields, nested with dots.
//
// The message names the table and model and the nearest column, with a
// fix that writes it when the name is a string literal:
//
//	users has no column "nmae" (model User); did you mean "name"?
//
// An expression kept in a variable with one visible value (typo :=
// query.C("nmae")) is followed, and reported at the variable. The check
// stays silent when it cannot be sure: an unqualified name in a select
// chain that joins a table no model of T's relations has (or one it cannot
// name), a select list holding expressions it cannot see (which may define
// aliases), a chain it cannot follow from orm.Select to the run (a
// parameter, another function, a variable that is also used elsewhere,
// Query() as a subquery), names inside subqueries, query.Unchecked and
// WhereHas conditions (their own scopes), names that are not constants,
// models that are type parameters, and models whose columns it cannot read
// statically (an embedded type it cannot classify, a tag package fields
// would refuse). A TableName that does not return a constant leaves only
// the unqualified names of a model without relations to check. Aliases
// defined with As("n") in the select list are columns too; a name that a
// raw select item defines (query.Raw("count(*) AS n")) is not, for the
// ORM's check as for this one.
//
// # Bulk writes without a condition (category nowhere)
//
// An orm.Update[T], orm.Delete[T], query.Update or query.Delete chain that
// is run or built (Exec, Build, BuildChecked, db.Exec(ctx, q),
// query.Build(d, q)) with neither Where, OrWhere nor AllRows anywhere in
// it fails with ErrNoWhere every time. The chain is followed through local
// variables whose every value is visible (flow-insensitively: a Where on
// some path is enough to stay silent).
//
// # Raw SQL arguments (category rawargs)
//
// query.Raw, query.SQL and orm.Raw with a constant text whose number of ?
// differs from the number of arguments, or that writes a positional
// parameter ($1) of its own. The ? are counted as query.Raw reads them: not
// inside '…' strings, "…" and `…` names, -- and /* */ comments or $$
// bodies, ?? being a literal ?. Where MySQL reads the text differently (#
// comments, backslash escapes) a count that fits either reading is not
// reported, and spread arguments (args...) are never counted.
package check

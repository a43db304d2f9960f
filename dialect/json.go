package dialect

// JSONAgg describes how an engine aggregates rows into one JSON array of
// arrays: Agg(Array(col1, col2, …)) over the rows of a subquery. The ORM's
// JSON relation strategy reads a parent's related rows that way, in the
// parent's own query.
type JSONAgg struct {
	// Agg aggregates its argument over the rows into a JSON array:
	// json_agg, json_group_array, JSON_ARRAYAGG. Over no rows it may be
	// NULL or [].
	Agg string
	// Array makes a JSON array of its arguments: json_build_array,
	// json_array, JSON_ARRAY.
	Array string
	// OrderInAgg: the aggregate takes an ORDER BY of its own,
	// Agg(x ORDER BY …).
	OrderInAgg bool
	// LimitInAgg: it takes a LIMIT too, Agg(x ORDER BY … LIMIT n)
	// (MariaDB, whose derived tables cannot see an enclosing query's
	// columns).
	LimitInAgg bool
	// CorrelatedDerived: a derived table inside a subquery may refer to the
	// columns of the query around that subquery, as in
	// (SELECT Agg(…) FROM (SELECT … WHERE c.fk = parent.id LIMIT n) AS k).
	CorrelatedDerived bool
}

// JSONAggregator is implemented by dialects that aggregate rows into JSON
// (see JSONAgg); ok is false for a version without the functions.
type JSONAggregator interface {
	JSONAgg() (agg JSONAgg, ok bool)
}

func (d sqliteDialect) JSONAgg() (JSONAgg, bool) {
	return JSONAgg{Agg: "json_group_array", Array: "json_array", OrderInAgg: d.v.AtLeast(3, 44, 0),
		CorrelatedDerived: true}, d.v.AtLeast(3, 38, 0)
}

func (postgresDialect) JSONAgg() (JSONAgg, bool) {
	return JSONAgg{Agg: "json_agg", Array: "json_build_array", OrderInAgg: true, CorrelatedDerived: true}, true
}

func (d mysqlDialect) JSONAgg() (JSONAgg, bool) {
	if d.name == "mariadb" {
		// JSON_ARRAYAGG, with ORDER BY and LIMIT inside, since 10.5.
		return JSONAgg{Agg: "JSON_ARRAYAGG", Array: "JSON_ARRAY", OrderInAgg: true, LimitInAgg: true}, d.v.AtLeast(10, 5, 0)
	}
	// Outer references in derived tables since 8.0.14.
	return JSONAgg{Agg: "JSON_ARRAYAGG", Array: "JSON_ARRAY", CorrelatedDerived: true}, d.v.AtLeast(8, 0, 14)
}

// ResultsInterleaver is implemented by dialects whose connections run a
// statement while the rows of another are still being read. Where a
// dialect lacks it (PostgreSQL and MySQL through their drivers), a second
// statement on a connection that is reading rows fails: a transaction,
// which has one connection, must read all rows first.
type ResultsInterleaver interface {
	InterleavedResults() bool
}

// InterleavedResults is true: SQLite steps several statements of one
// connection side by side.
func (sqliteDialect) InterleavedResults() bool { return true }

// NarrowWindower is implemented by dialects where numbering the rows of
// each group (ROW_NUMBER() OVER (PARTITION BY …), for a limit per group)
// costs less over the keys alone, the rows then joined back by primary key,
// than over the whole rows: MySQL and MariaDB sort rows that have a TEXT
// or BLOB column in an on-disk temporary table, and SQLite sorts narrow
// records faster. PostgreSQL numbers whole rows faster than it joins back.
type NarrowWindower interface {
	NarrowWindows() bool
}

// NarrowWindows is true: see NarrowWindower.
func (sqliteDialect) NarrowWindows() bool { return true }

// NarrowWindows is true: see NarrowWindower.
func (mysqlDialect) NarrowWindows() bool { return true }

// KeyOrderedIn is implemented by dialects whose engine reads the rows of
// WHERE fk IN (…) through fk's index in (fk, primary key) order, so that
// ORDER BY fk, pk costs no sort: SQLite, whose index entries end with the
// rowid. Elsewhere the ORM's relation loads order by the primary key alone
// and put each parent's rows together themselves: MySQL and MariaDB would
// sort whole rows, and rows with a TEXT column in an on-disk temporary
// table; PostgreSQL sorts either way.
type KeyOrderedIn interface {
	KeyOrderedIn() bool
}

// KeyOrderedIn is true: see the interface.
func (sqliteDialect) KeyOrderedIn() bool { return true }

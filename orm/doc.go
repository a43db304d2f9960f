// Package orm maps Go structs to tables and runs typed queries over them.
//
//	type User struct {
//		ID       int64   `db:"id,pk"`
//		Username string  `db:"username,unique,size:64"`
//		Email    *string `db:"email"`
//	}
//
//	db, err := orm.Open(ctx, "sqlite:app.db")
//	err = db.CreateTables(ctx, &User{})
//	u := &User{Username: "alice"}
//	err = db.Insert(ctx, u)                                   // fills u.ID
//	users, err := orm.Select[User](db).Where(orm.Field(func(u *User) *string { return &u.Username }).Eq("alice")).All(ctx)
//	err = db.Tx(ctx, func(tx *orm.Tx) error { return tx.Update(ctx, u) })
//
// DB and Tx share one API (the Conn interface), so everything works inside a
// transaction; a nested Tx is a SAVEPOINT. Queries are built with package
// query and always bind their values. Results are scanned through plans
// cached per (type, result columns): no per-row reflection lookups.
//
// On MySQL/MariaDB and SQLite a DB keeps its own statements prepared (Get,
// Insert, Update, Delete, Upsert, InsertMany, and a Select[T] from its
// second run, up to 128 per DB): on MySQL each then runs in one round trip
// instead of three, with the values still bound, and SQLite skips parsing
// and planning it; both engines re-prepare a statement whose table has
// changed. PostgreSQL is left to pgx, which keeps its statements itself.
// A Tx keeps its statements too, on its connection, taking over those the
// DB keeps.
//
// A database error matches its class with errors.Is whatever the engine —
// ErrUniqueViolation, ErrForeignKeyViolation, ErrNotNullViolation,
// ErrCheckViolation, ErrLockTimeout, ErrDeadlock, ErrSerialization, and
// SQLite's ErrBusy — read from the driver's code, never its text (see
// Classify, IsRetryable). On SQLite a write transaction begins with the
// write lock taken and a DB queues its own writers, so concurrent writers
// wait for each other instead of failing (see DB.Tx, New).
//
// Writes refuse, before the database is called, a value the engine would
// store but not give back (ErrInvalidValue, see dialect.Limits: NaN where
// it becomes NULL, a time outside the engine's range) and, in bulk Set, a
// value whose Go type does not fit the field (see fields.Field.Arg). A nil
// []byte in a NOT NULL column is written as an empty one, and the zero
// value of a decimal, JSON or UUID string as that kind's zero, so that a
// row read back can always be written again. Update and Delete of a model
// whose auto-increment key is zero are ErrZeroKey. Typed handles (Field,
// ColOf) compare NULL as SQL does: Eq(nil) is IS NULL; NullField and
// NullColOf give a nullable column's handle whose comparisons take the
// plain value.
//
// Reads go past Select[T]'s own table. Raw[T] (SQL text, its ? bound as
// query.Raw binds them) and From[T] (a query.SelectQuery: CTEs, compounds,
// window functions) scan any result into a model or any struct, matching
// columns to fields by name through the cached scan plans; a column the
// struct has no field for is ErrUnknownColumn unless AllowUnknownColumns.
// Select[T] takes the builder's clauses too: With, WithRecursive, Union,
// UnionAll, Intersect and Except (ORDER BY and LIMIT on the compound),
// RightJoin, FullJoin, CrossJoin, JoinUsing, Window and DistinctOn, with
// the builder's refusals per engine. Relations load on request only:
// Load(names…) in one query per relation; LoadWith(name, Where(…),
// OrderBy(…), LimitPer(n), Strategy(…)) with a filter, an order and a
// limit per parent (ROW_NUMBER() OVER (PARTITION BY key …)), or in the
// parent's own query with JSONStrategy; JoinLoad and LeftJoinLoad fill
// to-one relations from a JOIN in the same query; Iter loads relations 100
// rows at a time, in constant memory.
//
// OpenPool opens a DB over a pgx pool: the same API, with the ORM's own
// statements on pgx directly — model reads (Get, Select[T]'s All, One,
// First, Iter, Count, Exists, Into, and Raw[T] and From[T]'s All) decoding
// PostgreSQL's binary format into the fields, and Insert, InsertMany,
// Update, Delete, Upsert, bulk updates and deletes and ExecContext binding
// the values database/sql would pass to pgx. Inside a Tx, for QueryContext, and for the reads with
// JoinLoad, LoadWith or relations loaded by Iter, statements go through
// database/sql on the same pool.
//
// Query hooks (DB.WithHooks, QueryHook) see every statement on every path,
// with its operation, table, dialect, transaction and rows, and never change
// how it runs: on a DB over a pgx pool they run around the pgx calls. A hook
// that also implements TxHook sees transactions and savepoints begin and
// end. The OpenTelemetry hook (module github.com/kingletdb/kinglet/otel)
// is built on them.
//
// Open with Replicas (or DB.WithReplicas over pools of one's own) routes
// reads outside a transaction to healthy replicas and everything else to
// the primary; OnPrimary(ctx) keeps a read on the primary for
// read-your-writes. A replica that does not answer is stepped around and
// checked again after a backoff, one too far behind (MaxReplicaLag) is
// skipped; DB.Stats reports each node and QueryEvent.Node names the one a
// statement ran on. Retry and RetryBackoff run a transaction again after a
// serialization failure, a deadlock or SQLite busy (see IsRetryable),
// never after its commit succeeded.
package orm

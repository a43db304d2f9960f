// Package kotel traces and measures kinglet's statements with
// OpenTelemetry: a query hook (orm.QueryHook and orm.TxHook) that makes one
// client span per statement, following the semantic conventions for
// database client spans, and records the db.client.operation.duration
// histogram.
//
//	hook := kotel.New(
//		kotel.WithTracerProvider(tp),   // default: otel.GetTracerProvider()
//		kotel.WithMeterProvider(mp),    // default: otel.GetMeterProvider()
//		kotel.WithAttributes(semconv.ServerAddress("db.internal"), semconv.DBNamespace("app")),
//	)
//	db = db.WithHooks(hook)
//
// The hook sees every statement on every path — database/sql, the native
// pgx path of orm.OpenPool and orm.Open's postgres:// (which it does not
// move to database/sql), statements kept prepared, transactions — and
// changes nothing about how they run.
//
// A statement's span is named "{operation} {table}" ("SELECT users") for
// the ORM's statements on one model, "{operation}" for the query builder's
// and a nested Tx's SAVEPOINT, and "{db.system.name}" ("postgresql") for
// SQL text given to ExecContext or QueryContext, whose operation and table
// kinglet does not parse. Its attributes:
//
//	db.system.name             sqlite, postgresql, mysql or mariadb
//	db.operation.name          the operation, where kinglet knows it (see orm.QueryEvent.Operation)
//	db.collection.name         the model's table, where there is one (orm.QueryEvent.Table)
//	db.query.summary           the span's name, where kinglet knows the operation
//	db.query.text              the SQL with its placeholders: values are never part of it (WithoutQueryText leaves it out)
//	db.response.returned_rows  the rows a query returned, where kinglet reads them
//	kinglet.rows_affected      the rows a statement without a result changed
//	db.response.status_code    the driver's code of a failure: PostgreSQL's SQLSTATE, MySQL's error number, SQLite's extended result code
//	error.type                 a failure's class (see below)
//	and those of WithAttributes (server.address, server.port, db.namespace)
//
// error.type is kinglet's class of the error where it has one (orm.Classify):
// unique_violation, foreign_key_violation, not_null_violation,
// check_violation, deadlock, serialization_failure, lock_timeout, busy;
// else the driver's code (db.response.status_code); else timeout or
// canceled for the context's errors; else the Go type of the error. A
// failed statement's span has status Error with the error's message.
//
// Transactions and savepoints (DB.Tx, Tx.Tx, and the transaction of an
// InsertMany of several statements) are spans named "transaction" and
// "savepoint", parents of their statements' spans: a statement run in a
// Tx with the context passed to DB.Tx (or one derived from it without a
// span of its own) is a child of the transaction's span; a statement run
// with a context carrying another span stays that span's child. Their
// status is Error when they roll back because of an error.
//
// The histogram db.client.operation.duration (seconds, with the
// conventions' buckets) gets one measurement per statement, with
// db.system.name, db.operation.name, db.collection.name,
// db.response.status_code, error.type and WithAttributes' attributes; its
// value is the span's duration: for the ORM's reads, until the rows are
// read.
//
// On no-op providers (trace/noop, metric/noop) the hook starts no span and
// records nothing: a statement costs it a few checks (0.5–2% of the
// fastest statement measured, see BENCH.md). On OpenTelemetry's global
// providers with no SDK installed, each statement starts a span that does
// not record. Attributes are built only for spans that record, and
// measurements only for an enabled instrument; samplers see a span's name,
// not its attributes. The hook never reads a statement's arguments
// (orm.ArgsIgnorer), so the ORM does not copy them for it.
package kotel

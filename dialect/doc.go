// Package dialect describes how each database engine spells SQL: identifier
// quoting, bound-parameter placeholders, literals for DDL, column type names,
// and the features each engine (and engine version) has.
//
// Dialects are plain values, never registered at init time:
//
//	dialect.SQLite    // SQLite 3.35 or later (the embedded modernc.org/sqlite is newer)
//	dialect.Postgres  // PostgreSQL 12 or later
//	dialect.MySQL     // MySQL 8.0.31 or later
//	dialect.MariaDB   // MariaDB 10.6 or later
//
// For an older server, ForVersion("sqlite", "3.31.1") returns a dialect whose
// feature set matches that version, so that the query builder refuses (with an
// error wrapping ErrUnsupported) what the server would reject.
//
// Differences between engines live here, as Dialect methods and Feature flags,
// so that the query package never switches on an engine's name. A renderer
// that writes quotes and placeholders itself, as the query package does for
// speed, takes the characters from MarksOf.
//
// LimitsOf says which values an engine stores and gives back unchanged
// where that is less than Go holds (NaN, ±Inf, the range of times): the ORM
// refuses the others before they reach the table.
package dialect

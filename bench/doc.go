// Package bench compares kinglet with the raw drivers and with its peers
// (squirrel, goqu, sqlx, bun, GORM, native pgx) in one run per engine. It is a
// separate module, so that the peers never become dependencies of kinglet.
//
// Query building, no database (BenchmarkBuild<Statement>/<lib>, plus
// <Statement>/interleaved, which builds a batch with every library in turn
// and reports each one's median batch time over kinglet's):
//
//	go test -run '^$' -bench '^BenchmarkBuild' -benchmem ./
//
// Round trips on SQLite, PostgreSQL and MariaDB
// (BenchmarkRoundTrip/<engine>/<op>/<lib>, plus <op>/interleaved, which runs
// every library alternately and reports each one's median time over raw's):
//
//	go test -run '^$' -bench 'BenchmarkRoundTrip/sqlite' -benchmem ./
//
// Relation loading on the same engines (BenchmarkRelations/<engine>/<op>/<lib>:
// has_many, belongs_to and newest_3 over 100 users with 10 tweets each, by
// hand-written two-query database/sql, kinglet, GORM and bun, plus
// <op>/interleaved):
//
//	go test -run '^$' -bench 'BenchmarkRelations/postgres' -benchmem ./
//
// Streaming a million rows in constant memory (TestIterMillionConstantMemory,
// skipped with -short; BenchmarkIterMillion/sqlite runs only when
// KINGLET_BENCH_MILLION=1). bash run.sh runs it all and writes RESULTS.md and
// ratios.png through cmd/report.
//
// bash instructions.sh counts the machine instructions of one build of each
// statement under callgrind (query's BenchmarkInstructions): a number that
// repeats exactly where the time on a shared VM swings by half.
//
// The servers are found as in kinglet's own tests (KINGLET_POSTGRES_DSN,
// KINGLET_MYSQL_DSN); each run works in its own schema or database.
package bench

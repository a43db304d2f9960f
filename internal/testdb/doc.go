// Package testdb is the shared test harness that runs kinglet's tests against
// real SQLite, PostgreSQL and MySQL/MariaDB databases.
//
// Each call to [Open] returns a [DB] isolated from every other test, in this
// package or in any package running in parallel:
//
//   - sqlite: a fresh database file in t.TempDir(), opened with
//     modernc.org/sqlite (driver "sqlite") with the DSN parameters orm.Open
//     gives a sqlite: URL — WAL, foreign_keys=1, busy_timeout=5000,
//     _dqs=0 (no double-quoted string literals), _txlock=immediate and
//     _time_format=sqlite — plus synchronous=NORMAL.
//   - postgres: a new schema with a unique name (kt_<pid>_<counter>_<random>)
//     created in the database named by KINGLET_POSTGRES_DSN, and a pool
//     (driver "pgx", github.com/jackc/pgx/v5/stdlib) whose every connection
//     has search_path set to that schema and TimeZone=UTC. Cleanup drops the
//     schema with CASCADE.
//   - postgres-pgx (a path, not an engine: see [Paths], [EachPath]): the
//     same as postgres, and a pgx pool (DB.Pool, at most 4 connections)
//     on the same schema, for code that runs on one natively.
//   - mysql: a new database with a unique name on the server named by
//     KINGLET_MYSQL_DSN, and a pool (driver "mysql") on it with parseTime=true,
//     loc=UTC and time_zone='+00:00', so time.Time round-trips in UTC.
//     Cleanup drops the database.
//
// The dialect is detected from the server version, so a MariaDB server yields
// the MariaDB dialect (Dialect.Name() == "mariadb") although the engine is
// "mysql".
//
// Server DSNs come from the environment, with defaults for a local server:
//
//	KINGLET_POSTGRES_DSN  postgres://postgres@127.0.0.1:5432/test?sslmode=disable
//	KINGLET_MYSQL_DSN     root@tcp(127.0.0.1:3306)/test?parseTime=true&multiStatements=true
//
// A server that cannot be reached (3s ping) skips the test with a message that
// says how to enable it, unless its engine is listed in
// KINGLET_REQUIRE_DIALECTS (comma-separated, e.g. "sqlite,postgres,mysql"; CI
// sets it), in which case the test fails. The admin connection to each server,
// and an "unreachable" verdict, are cached for the life of the test process,
// so many tests do not each reconnect.
//
// The replicated engines of scripts/replicas.sh (a PostgreSQL primary and
// standby, a MariaDB primary and replica, a three-node Galera cluster) are
// reached through the URLs `eval "$(scripts/replicas.sh up)"` exports
// (KINGLET_PG_PRIMARY_URL, KINGLET_PG_REPLICA_URL, KINGLET_MY_PRIMARY_URL,
// KINGLET_MY_REPLICA_URL, KINGLET_GALERA_URLS): [OpenReplicated] makes an
// isolated schema or database on the primary, which replication makes on
// the others, and returns each server's URL to it. Without the variables
// the test skips, unless KINGLET_REQUIRE_DIALECTS names postgres-replica,
// mysql-replica or galera.
//
// Pools are kept small (at most 4 open connections per isolated database, 2
// for each admin pool) because the test binaries of several packages run at
// the same time against the same servers.
//
// Typical use:
//
//	func TestInsert(t *testing.T) {
//		testdb.Each(t, func(t *testing.T, db *testdb.DB) {
//			_, err := db.DB.ExecContext(t.Context(), "CREATE TABLE t (id INTEGER)")
//			…
//		})
//	}
package testdb

package dialect

import (
	"strconv"
	"strings"
)

// Replicator is implemented by dialects of engines whose replicas replay a
// primary's changes (PostgreSQL's streaming replication, MySQL's and
// MariaDB's binlog replication): how to ask a replica how far behind it is,
// for an ORM that routes reads to replicas and skips those that lag.
type Replicator interface {
	ReplicaLag() ReplicaLag
}

// ReplicaLag says how to measure a replica's replay lag.
type ReplicaLag struct {
	// Query runs on the replica. Its first row holds, in the column named
	// Column, the lag in seconds, or NULL when the replica cannot tell (its
	// replay is stopped with changes still to replay). No row: the server
	// replicates from no one, and lags behind no one.
	Query, Column string
	// Position, when set, runs on the replica and PrimaryPosition on the
	// primary, each answering one text value; the replica has replayed
	// everything the primary wrote, whatever Query says, when
	// CaughtUp(replica, primary).
	Position, PrimaryPosition string
	CaughtUp                  func(replica, primary string) bool
}

// ReplicaLag on PostgreSQL: a standby that has replayed all the WAL it
// received is not behind (pg_last_xact_replay_timestamp alone grows on an
// idle primary); otherwise it is behind by the age of the last
// transaction it replayed, NULL when it has replayed none.
func (postgresDialect) ReplicaLag() ReplicaLag {
	return ReplicaLag{
		Query: "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 " +
			"WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 " +
			"ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) END AS lag",
		Column: "lag",
	}
}

// ReplicaLag on MySQL and MariaDB: Seconds_Behind_Master (MySQL 8.0.22
// and later: Seconds_Behind_Source), which is NULL while the replica's SQL
// thread is stopped; MariaDB's replica has caught up when its
// gtid_slave_pos has every transaction of the primary's gtid_binlog_pos.
func (d mysqlDialect) ReplicaLag() ReplicaLag {
	if d.name == "mariadb" {
		return ReplicaLag{
			Query: "SHOW SLAVE STATUS", Column: "Seconds_Behind_Master",
			Position: "SELECT @@gtid_slave_pos", PrimaryPosition: "SELECT @@gtid_binlog_pos",
			CaughtUp: MariaDBGTIDCovers,
		}
	}
	if d.v.AtLeast(8, 0, 22) {
		return ReplicaLag{Query: "SHOW REPLICA STATUS", Column: "Seconds_Behind_Source"}
	}
	return ReplicaLag{Query: "SHOW SLAVE STATUS", Column: "Seconds_Behind_Master"}
}

// MariaDBGTIDCovers reports whether the MariaDB GTID position have
// (domain-server-sequence, comma-separated, as @@gtid_slave_pos) holds
// every transaction of want: for each replication domain of want, a
// sequence number at least as high. A position that does not parse covers
// nothing.
func MariaDBGTIDCovers(have, want string) bool {
	seqs := map[string]uint64{}
	for _, g := range strings.Split(have, ",") {
		if g = strings.TrimSpace(g); g == "" {
			continue
		}
		domain, seq, ok := mariaGTID(g)
		if !ok {
			return false
		}
		seqs[domain] = max(seqs[domain], seq)
	}
	for _, g := range strings.Split(want, ",") {
		if g = strings.TrimSpace(g); g == "" {
			continue
		}
		domain, seq, ok := mariaGTID(g)
		if !ok {
			return false
		}
		if got, ok := seqs[domain]; !ok || got < seq {
			return false
		}
	}
	return true
}

// mariaGTID splits one GTID, domain-server-sequence.
func mariaGTID(g string) (domain string, seq uint64, ok bool) {
	parts := strings.Split(g, "-")
	if len(parts) != 3 {
		return "", 0, false
	}
	seq, err := strconv.ParseUint(parts[2], 10, 64)
	return parts[0], seq, err == nil
}

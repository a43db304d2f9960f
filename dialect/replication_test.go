package dialect_test

import (
	"testing"

	"github.com/kingletdb/kinglet/dialect"
)

func TestReplicaLag(t *testing.T) {
	mysql8022, err := dialect.ForVersion("mysql", "8.0.22")
	if err != nil {
		t.Fatal(err)
	}
	mysql80, err := dialect.ForVersion("mysql", "8.0.21")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		d                  dialect.Dialect
		query, col, posSQL string
	}{
		{dialect.Postgres, "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 " +
			"WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 " +
			"ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) END AS lag", "lag", ""},
		{dialect.MariaDB, "SHOW SLAVE STATUS", "Seconds_Behind_Master", "SELECT @@gtid_slave_pos"},
		{mysql8022, "SHOW REPLICA STATUS", "Seconds_Behind_Source", ""},
		{mysql80, "SHOW SLAVE STATUS", "Seconds_Behind_Master", ""},
	}
	for _, c := range cases {
		r, ok := c.d.(dialect.Replicator)
		if !ok {
			t.Fatalf("%s: no Replicator", c.d)
		}
		lag := r.ReplicaLag()
		if lag.Query != c.query || lag.Column != c.col || lag.Position != c.posSQL {
			t.Errorf("%s: ReplicaLag() = %q, %q, %q; want %q, %q, %q", c.d, lag.Query, lag.Column, lag.Position, c.query, c.col, c.posSQL)
		}
		if (lag.Position != "") != (lag.CaughtUp != nil) || (lag.Position != "") != (lag.PrimaryPosition != "") {
			t.Errorf("%s: a position without its primary's or its comparison", c.d)
		}
	}
	if _, ok := dialect.SQLite.(dialect.Replicator); ok {
		t.Error("sqlite: a Replicator, but SQLite replicates nothing")
	}
}

func TestMariaDBGTIDCovers(t *testing.T) {
	cases := []struct {
		have, want string
		covers     bool
	}{
		{"0-1-42", "0-1-42", true},
		{"0-1-43", "0-1-42", true},
		{"0-1-41", "0-1-42", false},
		{"", "", true},
		{"0-1-5", "", true},
		{"", "0-1-1", false},
		{"0-1-10,1-2-5", "1-2-5,0-1-9", true},
		{"0-1-10", "0-1-9,1-2-5", false}, // a domain the replica has not seen
		{"0-2-10", "0-1-10", true},       // another server of the domain, same sequence
		{" 0-1-3 ", "0-1-3", true},
		{"x", "0-1-1", false},
		{"0-1-3", "0-1-y", false},
	}
	for _, c := range cases {
		if got := dialect.MariaDBGTIDCovers(c.have, c.want); got != c.covers {
			t.Errorf("MariaDBGTIDCovers(%q, %q) = %v, want %v", c.have, c.want, got, c.covers)
		}
	}
}

package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	kdsn "github.com/kingletdb/kinglet/internal/dsn"
)

// The replicated and multi-primary engines scripts/replicas.sh starts, as
// KINGLET_REQUIRE_DIALECTS names them.
const (
	PostgresReplica = "postgres-replica" // a PostgreSQL primary and a streaming hot standby
	MySQLReplica    = "mysql-replica"    // a MariaDB primary and a GTID replica
	Galera          = "galera"           // a three-node MariaDB Galera cluster
)

// The variables `eval "$(scripts/replicas.sh up)"` sets: URLs in the form
// orm.Open takes.
const (
	EnvPGPrimaryURL   = "KINGLET_PG_PRIMARY_URL"
	EnvPGReplicaURL   = "KINGLET_PG_REPLICA_URL"
	EnvMyPrimaryURL   = "KINGLET_MY_PRIMARY_URL"
	EnvMyReplicaURL   = "KINGLET_MY_REPLICA_URL"
	EnvGaleraURLs     = "KINGLET_GALERA_URLS" // comma-separated
	EnvReplicasScript = "KINGLET_REPLICAS_SCRIPT"
)

// Replicated is an isolated database on the servers of a replicated
// engine: a schema (PostgreSQL) or database (MariaDB) made on the primary
// (on Galera, its first node), which replication makes on the others.
type Replicated struct {
	Kind string
	// URLs reach the isolated database on each server, the primary (or
	// first node) first: for PostgresReplica and MySQLReplica, the
	// primary and the replica.
	URLs   []string
	Schema string
	// Admin is a pool on the primary's own database, for the test's
	// setup.
	Admin *sql.DB
}

// Primary is URLs[0]: the primary, or Galera's first node.
func (r *Replicated) Primary() string { return r.URLs[0] }

// Replica is URLs[1]: the replica, or Galera's second node.
func (r *Replicated) Replica() string { return r.URLs[1] }

// OpenReplicated returns an isolated database on the servers of kind
// (PostgresReplica, MySQLReplica or Galera), dropped by t.Cleanup. When
// their variables are not set it skips the test, with how to start them,
// or fails it if kind is [Required].
func OpenReplicated(t testing.TB, kind string) *Replicated {
	t.Helper()
	var urls []string
	var vars string
	switch kind {
	case PostgresReplica:
		vars = EnvPGPrimaryURL + " and " + EnvPGReplicaURL
		urls = []string{os.Getenv(EnvPGPrimaryURL), os.Getenv(EnvPGReplicaURL)}
	case MySQLReplica:
		vars = EnvMyPrimaryURL + " and " + EnvMyReplicaURL
		urls = []string{os.Getenv(EnvMyPrimaryURL), os.Getenv(EnvMyReplicaURL)}
	case Galera:
		vars = EnvGaleraURLs
		if v := os.Getenv(EnvGaleraURLs); v != "" {
			urls = strings.Split(v, ",")
		}
	default:
		t.Fatalf("testdb: unknown replicated engine %q (want %s, %s or %s)", kind, PostgresReplica, MySQLReplica, Galera)
	}
	for _, u := range urls {
		if u == "" {
			urls = nil
		}
	}
	if len(urls) == 0 {
		msg := fmt.Sprintf("testdb: %s: %s not set; start the servers with eval \"$(scripts/replicas.sh up)\"", kind, vars)
		if Required(kind) {
			t.Fatalf("%s (%s=%s requires them)", msg, EnvRequire, os.Getenv(EnvRequire))
		}
		t.Skip(msg + " (set " + EnvRequire + "=" + kind + " to make this a failure)")
	}
	name := uniqueName()
	r := &Replicated{Kind: kind, Schema: name}
	driver, dsn, setup, err := kdsn.Parse(urls[0])
	if err != nil {
		t.Fatalf("testdb: %s: %v", kind, err)
	}
	admin, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("testdb: %s: %v", kind, err)
	}
	if setup != nil {
		setup(admin)
	}
	admin.SetMaxOpenConns(maxOpenAdmin)
	r.Admin = admin
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	create, drop := "CREATE DATABASE "+name+" CHARACTER SET utf8mb4", "DROP DATABASE IF EXISTS "+name
	if driver == "pgx" {
		create, drop = "CREATE SCHEMA "+name, "DROP SCHEMA IF EXISTS "+name+" CASCADE"
	}
	if _, err := admin.ExecContext(ctx, create); err != nil {
		admin.Close()
		t.Fatalf("testdb: %s: %s: %v", kind, create, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if _, err := admin.ExecContext(ctx, drop); err != nil {
			t.Errorf("testdb: %s: %s: %v", kind, drop, err)
		}
		admin.Close()
	})
	for _, u := range urls[1:] {
		if err := replicated(ctx, u, name); err != nil {
			t.Fatalf("testdb: %s: %v", kind, err)
		}
	}
	for _, u := range urls {
		iu, err := isolatedURL(u, name)
		if err != nil {
			t.Fatalf("testdb: %s: %v", kind, err)
		}
		r.URLs = append(r.URLs, iu)
	}
	return r
}

// replicated waits until the schema or database name, made on the
// primary, is on the server of raw too.
func replicated(ctx context.Context, raw, name string) error {
	driver, dsn, setup, err := kdsn.Parse(raw)
	if err != nil {
		return err
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if setup != nil {
		setup(db)
	}
	q := "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?"
	if driver == "pgx" {
		q = "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = $1"
	}
	for {
		var n int
		err := db.QueryRowContext(ctx, q, name).Scan(&n)
		if err == nil && n == 1 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not replicated to %s: %w (last: %v)", name, kdsn.Redact(raw), ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// isolatedURL is raw with the isolated schema (postgres://, as its
// search_path) or database (mysql://) selected.
func isolatedURL(raw, name string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("URL %s: %w", kdsn.Redact(raw), err)
	}
	switch u.Scheme {
	case "postgres", "postgresql":
		q := u.Query()
		q.Set("search_path", name)
		q.Set("timezone", "UTC")
		u.RawQuery = q.Encode()
	case "mysql", "mariadb":
		u.Path = "/" + name
	default:
		return "", fmt.Errorf("URL %s: want postgres:// or mysql://", kdsn.Redact(raw))
	}
	return u.String(), nil
}

// ReplicasScript is scripts/replicas.sh as `up` named it, for a test that
// stops and starts a node; "" when not set.
func ReplicasScript() string { return os.Getenv(EnvReplicasScript) }

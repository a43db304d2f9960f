package orm

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestReadsByText(t *testing.T) {
	cases := []struct {
		sql      string
		orm, raw bool
	}{
		{`SELECT "id" FROM "users" WHERE "id" = $1`, true, true},
		{"SELECT `id` FROM `users` LIMIT 2", true, true},
		{`SELECT "id" FROM "users" FOR UPDATE`, false, false},
		{`SELECT "id" FROM "users" FOR UPDATE OF "users" SKIP LOCKED`, false, false},
		{`SELECT "id" FROM "users" FOR SHARE NOWAIT`, false, false},
		{`SELECT "id" FROM "users" FOR NO KEY UPDATE`, false, false},
		{`SELECT "id" FROM "users" FOR KEY SHARE`, false, false},
		{"SELECT `id` FROM `users` LOCK IN SHARE MODE", false, false},
		{`INSERT INTO "users" ("name") VALUES ($1) RETURNING "id"`, false, false},
		{`UPDATE "users" SET "name" = $1`, false, false},
		{`WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x`, false, false},
		{`(SELECT 1) UNION (SELECT 2)`, false, false},
		{"  \n\tselect id from users", false, true},
		{"Select id\nfrom users\nfor update", false, false},
		{"select id from users\tlock in share mode", false, false},
		{"select id from users where note = 'waiting for you'", false, false}, // the primary, for safety
		{"select id from users where note = 'for you'", false, true},
		{"select format from users", false, true},
		{"select id from users where before = 1", false, true},
		{"select id from locks", false, true},
		{"selectx", false, false},
		{"", false, false},
	}
	for _, c := range cases {
		if got := ormRead(c.sql); got != c.orm {
			t.Errorf("ormRead(%q) = %v, want %v", c.sql, got, c.orm)
		}
		if got := rawRead(c.sql); got != c.raw && !(c.orm && !c.raw) {
			t.Errorf("rawRead(%q) = %v, want %v", c.sql, got, c.raw)
		}
	}
}

func TestFailover(t *testing.T) {
	cases := []struct {
		name        string
		err         error
		retry, down bool
	}{
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true, true},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true, true},
		{"eof", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), true, true},
		{"bad conn", driver.ErrBadConn, true, true},
		{"mysql invalid conn", mysql.ErrInvalidConn, true, true},
		{"mysql shutdown", &mysql.MySQLError{Number: 1053}, true, true},
		{"galera not ready", &mysql.MySQLError{Number: 1047}, true, true},
		{"pg shutting down", &pgconn.PgError{Code: "57P01"}, true, true},
		{"pg starting up", &pgconn.PgError{Code: "57P03"}, true, true},
		{"pg connection failure", &pgconn.PgError{Code: "08006"}, true, true},
		{"pg recovery conflict", &pgconn.PgError{Code: "40001"}, true, false},
		{"pg syntax", &pgconn.PgError{Code: "42601"}, false, false},
		{"pg no table", &pgconn.PgError{Code: "42P01"}, false, false},
		{"mysql no table", &mysql.MySQLError{Number: 1146}, false, false},
		{"cancelled", context.Canceled, false, false},
		{"deadline", fmt.Errorf("read: %w", context.DeadlineExceeded), false, false},
		{"other", errors.New("kinglet: orm: scan"), false, false},
	}
	for _, c := range cases {
		retry, down := failover(c.err)
		if retry != c.retry || down != c.down {
			t.Errorf("%s: failover(%v) = %v, %v; want %v, %v", c.name, c.err, retry, down, c.retry, c.down)
		}
	}
}

// BenchmarkRouteDecision is the cost of routing one read, alone: the
// decision (a SELECT without a lock, not OnPrimary), the pick of a
// replica, and the bookkeeping after it.
func BenchmarkRouteDecision(b *testing.B) {
	set := &routeSet{cfg: defaultRoute, primary: &node{name: primaryName, primary: true}}
	rt := &router{set: set}
	for i := range 2 {
		set.replicas = append(set.replicas, &node{name: "replica" + fmt.Sprint(i+1)})
		rt.conns = append(rt.conns, &conn{})
	}
	c := &conn{rt: rt}
	ctx := context.WithValue(context.Background(), struct{}{}, 1)
	const q = `SELECT "users"."id", "users"."username", "users"."email", "users"."active", "users"."age", "users"."created_at" FROM "users" WHERE "users"."id" = $1 LIMIT 2`
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			var r readRoute
			n := c.readStart(ctx, &r, q, false)
			if n == c || r.next(ctx, c, nil) != nil {
				b.Fatal("not routed")
			}
		}
	})
}

// BenchmarkRouteDecisionSerial is BenchmarkRouteDecision on one goroutine:
// no contention on the counters.
func BenchmarkRouteDecisionSerial(b *testing.B) {
	set := &routeSet{cfg: defaultRoute, primary: &node{name: primaryName, primary: true}}
	rt := &router{set: set}
	for i := range 2 {
		set.replicas = append(set.replicas, &node{name: "replica" + fmt.Sprint(i+1)})
		rt.conns = append(rt.conns, &conn{})
	}
	c := &conn{rt: rt}
	ctx := context.WithValue(context.Background(), struct{}{}, 1)
	const q = `SELECT "users"."id", "users"."username", "users"."email", "users"."active", "users"."age", "users"."created_at" FROM "users" WHERE "users"."id" = $1 LIMIT 2`
	b.ReportAllocs()
	for b.Loop() {
		var r readRoute
		n := c.readStart(ctx, &r, q, false)
		if n == c || r.next(ctx, c, nil) != nil {
			b.Fatal("not routed")
		}
	}
}

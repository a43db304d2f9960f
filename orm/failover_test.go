package orm_test

import (
	"database/sql"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

// tcpProxy forwards connections to a server; kill closes them all and
// refuses new ones, as a server that died would, and revive listens again
// on the same address.
type tcpProxy struct {
	t      testing.TB
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

func startProxy(t testing.TB, target string) *tcpProxy {
	t.Helper()
	p := &tcpProxy{t: t, target: target, conns: map[net.Conn]struct{}{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(func() { p.kill(); p.wg.Wait() })
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			if !p.track(c, s) {
				continue
			}
			for _, pair := range [][2]net.Conn{{c, s}, {s, c}} {
				p.wg.Add(1)
				go func() {
					defer p.wg.Done()
					io.Copy(pair[0], pair[1])
					pair[0].Close()
					pair[1].Close()
				}()
			}
		}
	}()
}

func (p *tcpProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		for _, c := range cs {
			c.Close()
		}
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *tcpProxy) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

func (p *tcpProxy) revive() {
	ln, err := net.Listen("tcp", p.addr)
	require.NoError(p.t, err)
	p.serve(ln)
}

// proxied returns tdb's DSN reaching the server through a proxy instead.
func proxied(t *testing.T, tdb *testdb.DB) (dsn string, p *tcpProxy) {
	t.Helper()
	switch tdb.Engine {
	case testdb.Postgres:
		u, err := url.Parse(tdb.DSN)
		require.NoError(t, err)
		p = startProxy(t, u.Host)
		u.Host = p.addr
		return u.String(), p
	case testdb.MySQL:
		cfg, err := mysql.ParseDSN(tdb.DSN)
		require.NoError(t, err)
		p = startProxy(t, cfg.Addr)
		cfg.Addr = p.addr
		return cfg.FormatDSN(), p
	}
	t.Skipf("no network to fail on %s", tdb.Engine)
	return "", nil
}

// replicaThroughProxy opens a DB on tdb's database through a proxy, on
// tdb's path (a pgx pool on postgres-pgx): a replica that is the primary's
// server, and that the proxy can kill.
func replicaThroughProxy(t *testing.T, tdb *testdb.DB) (*orm.DB, *tcpProxy) {
	t.Helper()
	dsn, p := proxied(t, tdb)
	if tdb.Pool != nil {
		cfg, err := pgxpool.ParseConfig(dsn)
		require.NoError(t, err)
		cfg.MaxConns = 4
		pool, err := pgxpool.NewWithConfig(t.Context(), cfg)
		require.NoError(t, err)
		t.Cleanup(pool.Close)
		db, err := orm.OpenPool(t.Context(), pool)
		require.NoError(t, err)
		return db, p
	}
	sdb, err := sql.Open(tdb.DriverName(), dsn)
	require.NoError(t, err)
	sdb.SetMaxOpenConns(4)
	return orm.New(sdb, tdb.Dialect), p
}

// waitFor polls cond until it holds, or fails after d.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not %s after %v", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestReplicaFailover kills a replica (a proxy to the primary's server)
// while goroutines read: every read succeeds, on the replica, then on the
// primary while the replica is out, then on the replica again once it is
// back and its backoff has passed.
func TestReplicaFailover(t *testing.T) {
	testdb.EachPath(t, func(t *testing.T, tdb *testdb.DB) {
		ctx := t.Context()
		primary := ormDB(t, tdb)
		require.NoError(t, primary.CreateTables(ctx, &kNode{}))
		require.NoError(t, primary.Insert(ctx, &kNode{Name: "row"}))
		replica, proxy := replicaThroughProxy(t, tdb)
		rec := &nodeRecorder{}
		routed, err := primary.WithHooks(rec).WithReplicas(ctx, []*orm.DB{replica},
			orm.ReplicaChecks(50*time.Millisecond, 100*time.Millisecond, 300*time.Millisecond))
		require.NoError(t, err)
		defer routed.Close()

		readAll := func() error {
			_, err := orm.Select[kNode](routed).All(ctx)
			return err
		}
		require.NoError(t, readAll())
		require.Equal(t, []string{"replica1"}, rec.take())

		var reads, errs atomic.Int64
		var firstErr atomic.Value
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					var err error
					switch (g + i) % 3 {
					case 0:
						err = readAll()
					case 1:
						_, err = orm.Get[kNode](ctx, routed, int64(1))
					default:
						_, err = orm.Select[kNode](routed).Count(ctx)
					}
					reads.Add(1)
					if err != nil {
						errs.Add(1)
						firstErr.CompareAndSwap(nil, err)
					}
				}
			}()
		}
		time.Sleep(200 * time.Millisecond)
		proxy.kill()
		waitFor(t, 5*time.Second, "replica down", func() bool { return routed.Stats()[1].State == orm.NodeDown })
		time.Sleep(300 * time.Millisecond)
		rec.take()
		time.Sleep(100 * time.Millisecond)
		// Out: the reads go to the primary.
		onDown := rec.take()
		proxy.revive()
		waitFor(t, 5*time.Second, "replica up", func() bool { return routed.Stats()[1].State == orm.NodeUp })
		time.Sleep(200 * time.Millisecond)
		close(stop)
		wg.Wait()

		require.Zero(t, errs.Load(), "errors returned to the caller, the first: %v", firstErr.Load())
		require.NotEmpty(t, onDown)
		for _, n := range onDown {
			require.Equal(t, "primary", n)
		}
		rec.take()
		require.NoError(t, readAll())
		require.Equal(t, []string{"replica1"}, rec.take())
		st := routed.Stats()
		t.Logf("%d reads; primary: %d reads; replica: %d reads, %d failed over, %d failures, last: %v",
			reads.Load(), st[0].Reads, st[1].Reads, st[1].Failovers, st[1].Failures, st[1].LastError)
		require.GreaterOrEqual(t, st[1].Failures, uint64(1))
		require.Equal(t, reads.Load()+2, int64(st[0].Reads+st[1].Reads-st[1].Failovers))
		require.Zero(t, st[0].InUse+st[1].InUse)
		require.NotNil(t, st[1].LastError)
	})
}

// TestReplicaDownAtOpen: a replica that cannot be reached when the DB is
// made takes no reads, and is no error.
func TestReplicaDownAtOpen(t *testing.T) {
	for _, path := range []string{testdb.Postgres, testdb.PostgresPgx, testdb.MySQL} {
		t.Run(path, func(t *testing.T) {
			tdb := testdb.Open(t, path)
			ctx := t.Context()
			primary := ormDB(t, tdb)
			require.NoError(t, primary.CreateTables(ctx, &kNode{}))
			replica, proxy := replicaThroughProxy(t, tdb)
			proxy.kill()
			rec := &nodeRecorder{}
			routed, err := primary.WithHooks(rec).WithReplicas(ctx, []*orm.DB{replica})
			require.NoError(t, err)
			defer routed.Close()
			require.Equal(t, orm.NodeDown, routed.Stats()[1].State)
			_, err = orm.Select[kNode](routed).All(ctx)
			require.NoError(t, err)
			require.Equal(t, []string{"primary"}, rec.take())
			require.True(t, strings.Contains(routed.Stats()[1].LastError.Error(), "refused") ||
				strings.Contains(routed.Stats()[1].LastError.Error(), "connect"), routed.Stats()[1].LastError)
		})
	}
}

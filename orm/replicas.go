package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/dsn"
)

// maxReplicas bounds the replicas of one DB (a read keeps the nodes it
// tried in a bit set).
const maxReplicas = 63

// WithReplicas returns a DB that runs its reads outside a transaction on
// the replicas, and everything else on db, the primary; the form of Open's
// Replicas over pools of one's own (a DB from New over a *sql.DB, or from
// OpenPool over a pgx pool), each of the primary's engine and path
// (database/sql or pgx). The returned DB shares db's pool, as WithHooks
// does, and takes the replicas: its Close closes them and the primary.
// opts are Open's (ReplicaBalance, MaxReplicaLag, ReplicaChecks, and
// Replicas, whose URLs add replicas as Open opens them).
//
// What runs where:
//
//   - a read outside a transaction — Select[T] (All, One, First, Iter,
//     Count, Exists, Into), Get, relation loading, Query of a SELECT, and
//     QueryContext of SQL that begins with SELECT — goes to a healthy
//     replica, in turn (RoundRobin) or to the least busy (LeastInUse);
//   - a read that locks rows (ForUpdate, ForShare: FOR UPDATE, FOR SHARE,
//     LOCK IN SHARE MODE in its text), and any read under OnPrimary(ctx),
//     goes to the primary;
//   - writes (Insert, Update, Delete, Upsert, InsertMany, Exec,
//     ExecContext), the reading back of what an insert wrote, and every
//     statement of a Tx go to the primary;
//   - with no healthy replica, reads go to the primary.
//
// A read that fails on a replica because the replica did not answer it
// (connection refused or lost, server shutting down) runs again on
// another replica, or on the primary, and the replica is taken out and
// checked again after a backoff (see ReplicaChecks); the caller sees no
// error. A read whose rows were already coming is not run again: the
// error of reading them is the caller's. A replica whose replay lag is
// over MaxReplicaLag takes no reads until it has caught up. DB.Stats
// reports each node; each statement's QueryEvent names its Node.
//
// A replica serves what it has replayed: a read on it may not see a write
// the primary has just committed. A read that must see it runs under
// OnPrimary(ctx), or in the Tx that wrote it.
func (db *DB) WithReplicas(ctx context.Context, replicas []*DB, opts ...Option) (*DB, error) {
	cfg := newOpenConfig(opts)
	if cfg.err != nil {
		return nil, cfg.err
	}
	if len(replicas) == 0 && len(cfg.replicaURLs) == 0 {
		return nil, fmt.Errorf("%w: WithReplicas: no replica", ErrInvalidArgument)
	}
	nodes := make([]*node, 0, len(replicas)+len(cfg.replicaURLs))
	for i, r := range replicas {
		if r == nil {
			return nil, fmt.Errorf("%w: WithReplicas: replica %d is nil", ErrInvalidArgument, i+1)
		}
		nodes = append(nodes, &node{db: r})
	}
	return db.route(ctx, nodes, cfg)
}

// route is WithReplicas: db with the replicas of nodes (and of
// cfg.replicaURLs, which it opens), checked once before it returns.
func (db *DB) route(ctx context.Context, nodes []*node, cfg *openConfig) (*DB, error) {
	if db == nil || db.sql == nil {
		return nil, fmt.Errorf("%w: WithReplicas: nil primary DB", ErrInvalidArgument)
	}
	if db.rt != nil {
		return nil, fmt.Errorf("%w: WithReplicas: the DB routes to replicas already", ErrInvalidArgument)
	}
	opened := 0
	for _, u := range cfg.replicaURLs {
		r, err := db.openReplica(u)
		if err != nil {
			for _, n := range nodes[len(nodes)-opened:] {
				n.db.Close()
			}
			return nil, err
		}
		nodes = append(nodes, &node{db: r, addr: urlHost(u)})
		opened++
	}
	closeOpened := func() {
		for _, n := range nodes[len(nodes)-opened:] {
			n.db.Close()
		}
	}
	if len(nodes) > maxReplicas {
		closeOpened()
		return nil, fmt.Errorf("%w: WithReplicas: %d replicas, at most %d", ErrInvalidArgument, len(nodes), maxReplicas)
	}
	rep, canLag := db.d.(dialect.Replicator)
	if cfg.route.maxLag > 0 && !canLag {
		closeOpened()
		return nil, fmt.Errorf("%w: MaxReplicaLag: %s measures no replica lag", ErrInvalidArgument, db.d)
	}
	for i, n := range nodes {
		r := n.db
		switch {
		case r.rt != nil:
			closeOpened()
			return nil, fmt.Errorf("%w: WithReplicas: replica %d routes to replicas itself", ErrInvalidArgument, i+1)
		case r.sql == db.sql:
			closeOpened()
			return nil, fmt.Errorf("%w: WithReplicas: replica %d is the primary's pool", ErrInvalidArgument, i+1)
		case r.d == nil || dsn.DriverOf(r.d.Name()) != dsn.DriverOf(db.d.Name()):
			closeOpened()
			return nil, fmt.Errorf("%w: WithReplicas: replica %d is %s, the primary %s", ErrInvalidArgument, i+1, r.d, db.d)
		case r.native() != db.native():
			closeOpened()
			return nil, fmt.Errorf("%w: WithReplicas: replica %d and the primary must both be pgx pools (OpenPool) or both database/sql (New)",
				ErrInvalidArgument, i+1)
		}
		n.name = "replica" + strconv.Itoa(i+1)
	}
	set := &routeSet{
		cfg:      cfg.route,
		primary:  &node{name: primaryName, primary: true, db: db, addr: db.addr},
		replicas: nodes,
		stop:     make(chan struct{}),
	}
	set.checks, set.cancelChecks = context.WithCancel(context.Background())
	if canLag && cfg.route.maxLag > 0 {
		set.lag = rep.ReplicaLag()
	}
	rt := &router{set: set, conns: make([]*conn, len(nodes))}
	for i, n := range nodes {
		c := n.db.conn
		c.d, c.hooks, c.node, c.wlock = db.d, db.hooks, n.name, nil
		rt.conns[i] = &c
	}
	out := *db
	out.rt = rt
	set.checkAll(ctx)
	set.watch()
	return &out, nil
}

// openReplica opens a replica's URL as Open opens the primary's, without
// connecting (a replica that is down now is checked again later): of the
// primary's engine and path, with the primary's dialect.
func (db *DB) openReplica(rawURL string) (*DB, error) {
	driver, dsnText, setup, err := dsn.Parse(rawURL)
	if err != nil {
		return nil, errorf("kinglet: orm: replica: %w", err)
	}
	if driver != dsn.DriverOf(db.d.Name()) {
		return nil, fmt.Errorf("%w: replica %s is not %s, the primary's engine", ErrInvalidArgument, dsn.Redact(rawURL), db.d)
	}
	if driver == "pgx" && db.native() {
		cfg, err := dsn.PgxConfig(rawURL)
		if err != nil {
			return nil, errorf("kinglet: orm: replica: %w", err)
		}
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			return nil, errorf("kinglet: orm: replica: connect to postgres: %w", err)
		}
		r := New(stdlib.OpenDBFromPool(pool), db.d)
		r.pgx, r.pool, r.own = pool, true, pool
		return r, nil
	}
	sdb, err := sql.Open(driver, dsnText)
	if err != nil {
		return nil, errorf("kinglet: orm: replica: open %s: %w", driver, err)
	}
	if setup != nil {
		setup(sdb)
	}
	return New(sdb, db.d), nil
}

// urlHost is the host:port of a URL, for NodeStats.Addr; the path of a
// sqlite: one.
func urlHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.Host != "" {
		return u.Host
	}
	if u.Opaque != "" {
		return u.Opaque
	}
	return u.Path
}

// close stops the monitors and closes the replicas, once.
func (s *routeSet) close() error {
	var errs []error
	s.closed.Do(func() {
		close(s.stop)
		s.cancelChecks()
		s.wg.Wait()
		for _, n := range s.replicas {
			if err := n.db.Close(); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", n.name, err))
			}
		}
	})
	return errors.Join(errs...)
}

// checkAll checks every replica once, at the same time, before the DB is
// handed out: a replica down or behind takes no read.
func (s *routeSet) checkAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, n := range s.replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.check(ctx, n)
		}()
	}
	wg.Wait()
}

// watch starts a monitor for each replica.
func (s *routeSet) watch() {
	for _, n := range s.replicas {
		s.wg.Add(1)
		go s.monitor(n)
	}
}

// monitor checks n every cfg.every, and a down n when its backoff ends,
// until the DB is closed.
func (s *routeSet) monitor(n *node) {
	defer s.wg.Done()
	t := time.NewTimer(s.wait(n))
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		s.check(s.checks, n)
		t.Reset(s.wait(n))
	}
}

// wait is how long n's monitor sleeps before its next check.
func (s *routeSet) wait(n *node) time.Duration {
	if NodeState(n.state.Load()) == NodeDown {
		if d := time.Until(time.Unix(0, n.retryAt.Load())); d < s.cfg.every {
			return max(d, time.Millisecond)
		}
	}
	return s.cfg.every
}

// checkTimeout bounds one check of a replica.
const checkTimeout = 2 * time.Second

// check checks n once: its lag (with MaxReplicaLag) or a ping. A replica
// that does not answer goes down; one that answers comes up, or is
// lagging when its lag is over the bound or could not be measured.
func (s *routeSet) check(ctx context.Context, n *node) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	if NodeState(n.state.Load()) == NodeDown && time.Now().UnixNano() < n.retryAt.Load() {
		return
	}
	if s.lag.Query == "" {
		if err := n.db.sql.PingContext(ctx); err != nil {
			if s.checks.Err() == nil {
				n.markDown(err, &s.cfg)
			}
			return
		}
		n.fails.Store(0)
		n.state.Store(uint32(NodeUp))
		return
	}
	lag, err := s.measure(ctx, n)
	if err != nil && s.checks.Err() != nil {
		return // the DB is closing
	}
	if err != nil {
		if _, down := failover(err); down || errors.Is(err, context.DeadlineExceeded) {
			n.markDown(err, &s.cfg)
			return
		}
		// The replica answers, but not how far behind it is: it takes no
		// reads, and says why in NodeStats.LastError.
		n.fails.Store(0)
		n.lastErr.Store(&errBox{err})
		n.lag.Store(math.MaxInt64)
		n.state.Store(uint32(NodeLagging))
		return
	}
	n.fails.Store(0)
	n.lag.Store(int64(lag))
	if lag > s.cfg.maxLag {
		n.state.Store(uint32(NodeLagging))
	} else {
		n.state.Store(uint32(NodeUp))
	}
}

// measure is n's replay lag, by s.lag: the lag the replica reports; 0
// when its position has everything of the primary's; the time since it
// was last seen caught up when it cannot tell.
func (s *routeSet) measure(ctx context.Context, n *node) (time.Duration, error) {
	secs, known, err := lagQuery(ctx, n.db.sql, s.lag.Query, s.lag.Column)
	if err != nil {
		return 0, err
	}
	now := time.Now()
	if s.lag.Position != "" && (!known || secs > 0) {
		var have, want string
		if err := n.db.sql.QueryRowContext(ctx, s.lag.Position).Scan(&have); err != nil {
			return 0, err
		}
		// The primary's position: a primary that does not answer leaves
		// the replica's own word.
		if s.primary.db.sql.QueryRowContext(ctx, s.lag.PrimaryPosition).Scan(&want) == nil && s.lag.CaughtUp(have, want) {
			secs, known = 0, true
		}
	}
	if !known {
		if n.caughtUp.IsZero() {
			return math.MaxInt64, nil
		}
		return now.Sub(n.caughtUp), nil
	}
	lag := time.Duration(secs * float64(time.Second))
	n.caughtUp = now.Add(-lag)
	return lag, nil
}

// lagQuery runs q and reads the column col of its first row as seconds:
// known is false when it is NULL; a result with no row is no lag.
func lagQuery(ctx context.Context, db *sql.DB, q, col string) (secs float64, known bool, err error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, false, err
	}
	at := -1
	for i, c := range cols {
		if strings.EqualFold(c, col) {
			at = i
		}
	}
	if at < 0 {
		return 0, false, fmt.Errorf("kinglet: orm: replica lag: %q has no column %s", q, col)
	}
	if !rows.Next() {
		return 0, true, rows.Err()
	}
	vals := make([]sql.NullString, len(cols))
	dst := make([]any, len(cols))
	for i := range vals {
		dst[i] = &vals[i]
	}
	if err := rows.Scan(dst...); err != nil {
		return 0, false, err
	}
	if !vals[at].Valid {
		return 0, false, rows.Close()
	}
	secs, err = strconv.ParseFloat(strings.TrimSpace(vals[at].String), 64)
	if err != nil {
		return 0, false, fmt.Errorf("kinglet: orm: replica lag: %s = %q: %w", col, vals[at].String, err)
	}
	return max(secs, 0), true, rows.Close()
}

// NodeStats describes one node of a DB: its primary, and the replicas of
// a DB with replicas.
type NodeStats struct {
	// Name is the node's, as QueryEvent.Node says it: "primary", and
	// "replica1", "replica2", … in the order given.
	Name string
	// Addr is the host:port of the node's URL (a sqlite: URL's path); ""
	// for a pool given to WithReplicas or New.
	Addr    string
	Primary bool
	State   NodeState
	// Lag is a replica's replay lag at its last check, with
	// MaxReplicaLag (math.MaxInt64: not known).
	Lag time.Duration
	// Reads are the reads outside a transaction sent to the node (on a DB
	// with replicas; the primary counts those under OnPrimary or that
	// lock rows, and those no replica took), InUse those running now.
	Reads uint64
	InUse int
	// Failovers are the reads that failed on the node because it did not
	// answer and ran again on another.
	Failovers uint64
	// Failures are the times the node was taken out, a read or a check
	// having failed to reach it; LastError is the last one's error (or
	// why its lag is not known).
	Failures  uint64
	LastError error
	// RetryAt is when a down replica is checked again.
	RetryAt time.Time
	// Conns and ConnsInUse are the connections of the node's pool, open
	// and in use.
	Conns, ConnsInUse int
}

// Stats describes the DB's nodes: the primary, then each replica.
func (db *DB) Stats() []NodeStats {
	if db.rt == nil {
		return []NodeStats{(&node{name: primaryName, primary: true, db: db, addr: db.addr}).stats()}
	}
	set := db.rt.set
	out := make([]NodeStats, 0, 1+len(set.replicas))
	out = append(out, set.primary.stats())
	for _, n := range set.replicas {
		out = append(out, n.stats())
	}
	return out
}

func (n *node) stats() NodeStats {
	st := NodeStats{
		Name: n.name, Addr: n.addr, Primary: n.primary, State: NodeState(n.state.Load()),
		Lag: time.Duration(n.lag.Load()), Reads: n.reads.Load(), InUse: int(n.inUse.Load()),
		Failovers: n.failovers.Load(), Failures: n.failures.Load(),
	}
	if e := n.lastErr.Load(); e != nil {
		st.LastError = e.err
	}
	if st.State == NodeDown {
		st.RetryAt = time.Unix(0, n.retryAt.Load())
	}
	if p, ok := n.db.pgx.(*pgxpool.Pool); ok {
		ps := p.Stat()
		st.Conns, st.ConnsInUse = int(ps.TotalConns()), int(ps.AcquiredConns())
	} else {
		ds := n.db.sql.Stats()
		st.Conns, st.ConnsInUse = ds.OpenConnections, ds.InUse
	}
	return st
}

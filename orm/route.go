package orm

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kingletdb/kinglet/dialect"
)

// Read/write routing: on a DB with replicas (Open with Replicas, or
// DB.WithReplicas), a read outside a transaction runs on a healthy replica,
// and everything else on the primary. The decision is made where a
// statement meets its connection (queryText, queryStmt, Query,
// QueryContext, pgQueryOf: see readStart), from the statement's text: the
// ORM's reads and a caller's SQL alike are reads when they begin with
// SELECT and take no row lock. A DB without replicas pays one nil check.

// primaryName and the replicas' names ("replica1", …) are what
// QueryEvent.Node and NodeStats.Name say.
const primaryName = "primary"

type onPrimaryKey struct{}

// OnPrimary returns a context whose reads run on the primary, for
// read-your-writes outside a transaction: a read that must see what this
// program has just written, which a replica may not have replayed yet.
// Inside a Tx every statement runs on the primary already.
func OnPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, onPrimaryKey{}, true)
}

func onPrimary(ctx context.Context) bool { return ctx.Value(onPrimaryKey{}) != nil }

// NodeState is a node's state (NodeStats.State): whether it takes reads.
type NodeState uint32

const (
	// NodeUp is a node that takes reads.
	NodeUp NodeState = iota
	// NodeDown is a replica taken out after a read or a check failed to
	// reach it; it is checked again after a backoff.
	NodeDown
	// NodeLagging is a replica whose replay lag is over MaxReplicaLag (or
	// could not be measured); it takes reads again once a check finds it
	// caught up.
	NodeLagging
)

// String is "up", "down" or "lagging".
func (s NodeState) String() string {
	switch s {
	case NodeUp:
		return "up"
	case NodeDown:
		return "down"
	case NodeLagging:
		return "lagging"
	}
	return "NodeState(" + strconv.Itoa(int(s)) + ")"
}

// node is one server of a routed DB: its pool, health and counters.
type node struct {
	name, addr string
	primary    bool
	db         *DB  // its pool
	own        bool // opened by Open: Close closes it

	state   atomic.Uint32 // a NodeState
	fails   atomic.Int32  // failures in a row
	retryAt atomic.Int64  // a down node: when to check it again (unix ns)
	lag     atomic.Int64  // the last measured lag (ns)

	// Written by every read: on a cache line of their own, away from
	// state, which every read of every goroutine reads.
	_     [64]byte
	inUse atomic.Int32
	// reads are the reads sent to the node, failovers those of them that
	// failed there and ran elsewhere, failures the times it was taken out.
	reads, failovers, failures atomic.Uint64
	lastErr                    atomic.Pointer[errBox]

	// caughtUp is when the primary was at the point the replica has
	// replayed, as last measured: the replica's lag, when it cannot tell
	// its own, is the time since. Its monitor's alone.
	caughtUp time.Time
}

type errBox struct{ err error }

func (n *node) healthy() bool { return NodeState(n.state.Load()) == NodeUp }

// markDown takes n out after err: it is checked again after a backoff
// that doubles with each failure in a row.
func (n *node) markDown(err error, cfg *routeConfig) {
	f := n.fails.Add(1)
	n.retryAt.Store(time.Now().Add(jittered(cfg.backoffMin, cfg.backoffMax, int(f))).UnixNano())
	n.state.Store(uint32(NodeDown))
	n.failures.Add(1)
	n.lastErr.Store(&errBox{err})
}

// routeSet is what every DB of one routed pool shares (DB.WithHooks
// copies a DB): the nodes, their health, and the monitors that check them.
type routeSet struct {
	cfg      routeConfig
	primary  *node
	replicas []*node
	lag      dialect.ReplicaLag // Query "": no lag measured
	_        [64]byte           // rr, written by every read, apart from the fields read
	rr       atomic.Uint32
	_        [60]byte
	stop     chan struct{}
	// checks is the context of the monitors' checks, cancelled by close
	// so that a check in flight does not hold it up.
	checks       context.Context
	cancelChecks context.CancelFunc
	wg           sync.WaitGroup
	closed       sync.Once
}

// router is a DB's view of its routeSet: a conn on each replica's pool
// that runs the DB's hooks and names the node in their events.
type router struct {
	set   *routeSet
	conns []*conn // conns[i] runs on set.replicas[i]
}

// withHooks is rt for a DB with hooks.
func (rt *router) withHooks(hooks []QueryHook) *router {
	n := &router{set: rt.set, conns: make([]*conn, len(rt.conns))}
	for i, c := range rt.conns {
		cc := *c
		cc.hooks = hooks
		n.conns[i] = &cc
	}
	return n
}

// readRoute follows one read through the nodes: the node it runs on, and
// those it tried (bit i: replica i; a read tries each node once, the
// primary last).
type readRoute struct {
	rt    *router
	nd    *node // nil: the statement is no routed read
	tried uint64
}

// readStart returns the connection a statement of c runs on: c itself
// (no replicas, or not a read), the primary's (OnPrimary), or a healthy
// replica's. raw is SQL text of the caller's (QueryContext), which the
// ORM did not write: read case-insensitively. After the statement, r.next
// says where to run it again after it failed, if anywhere.
func (c *conn) readStart(ctx context.Context, r *readRoute, sqlText string, raw bool) *conn {
	if raw && !rawRead(sqlText) || !raw && !ormRead(sqlText) {
		return c
	}
	r.rt = c.rt
	if onPrimary(ctx) {
		r.onPrimary()
		return c
	}
	if n := r.pick(); n != nil {
		return n
	}
	r.onPrimary()
	return c
}

// onPrimary counts the read on the primary.
func (r *readRoute) onPrimary() {
	r.nd = r.rt.set.primary
	r.tried = ^uint64(0)
	r.nd.inUse.Add(1)
	r.nd.reads.Add(1)
}

// pick chooses a healthy replica not tried yet; nil when there is none.
func (r *readRoute) pick() *conn {
	set := r.rt.set
	n := len(set.replicas)
	best := -1
	if set.cfg.balance == LeastInUse {
		var least int32
		for i, nd := range set.replicas {
			if r.tried&(1<<i) == 0 && nd.healthy() {
				if u := nd.inUse.Load(); best < 0 || u < least {
					best, least = i, u
				}
			}
		}
	} else {
		start := int(set.rr.Add(1)) % n
		for k := range n {
			i := start + k
			if i >= n {
				i -= n
			}
			if r.tried&(1<<i) == 0 && set.replicas[i].healthy() {
				best = i
				break
			}
		}
	}
	if best < 0 {
		return nil
	}
	r.tried |= 1 << best
	nd := set.replicas[best]
	r.nd = nd
	nd.inUse.Add(1)
	nd.reads.Add(1)
	return r.rt.conns[best]
}

// next ends the read's run on its node, which returned err, and returns
// the connection to run it again on: another replica, or the primary,
// when err says the node did not answer it (see failover); nil when the
// read is done, failed for good, or was no routed read.
func (r *readRoute) next(ctx context.Context, c *conn, err error) *conn {
	nd := r.nd
	if nd == nil {
		return nil
	}
	nd.inUse.Add(-1)
	if err == nil || nd.primary || ctx.Err() != nil {
		return nil
	}
	retry, down := failover(err)
	if !retry {
		return nil
	}
	if down {
		nd.markDown(err, &r.rt.set.cfg)
	}
	nd.failovers.Add(1)
	if n := r.pick(); n != nil {
		return n
	}
	r.onPrimary()
	return c
}

// ormRead reports whether sqlText, a statement the ORM wrote (upper-case
// keywords, single spaces), is a read a replica can take: a SELECT
// without a row lock (FOR UPDATE, FOR SHARE, FOR NO KEY UPDATE, FOR KEY
// SHARE, LOCK IN SHARE MODE).
func ormRead(s string) bool {
	return len(s) > 7 && s[:7] == "SELECT " && !hasWord(s, "FOR ") && !hasWord(s, "LOCK IN SHARE MODE")
}

// hasWord reports whether w is in s after a space. It looks for w's first
// letter, which is rare, and not for the space, which is everywhere.
func hasWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		if i += j; i > 0 && s[i-1] == ' ' {
			return true
		}
		i += len(w)
	}
}

// rawRead is ormRead for SQL text of the caller's: SELECT in any case after
// leading white space, and the word FOR, or LOCK IN SHARE MODE, nowhere
// (a lock, or something kinglet will not guess about, as a string that
// says "for": the primary takes it).
func rawRead(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	if len(s) < 7 || !strings.EqualFold(s[:6], "select") || !isSpace(s[6]) {
		return false
	}
	for i := 7; i < len(s); i++ {
		switch s[i] | 0x20 {
		case 'f':
			if isSpace(s[i-1]) && i+3 < len(s) && strings.EqualFold(s[i:i+3], "for") && isSpace(s[i+3]) {
				return false
			}
		case 'l':
			const lock = "lock in share mode"
			if isSpace(s[i-1]) && len(s)-i >= len(lock) && strings.EqualFold(s[i:i+len(lock)], lock) {
				return false
			}
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

package orm

import (
	"fmt"
	"time"
)

// Option configures a DB as Open, OpenPool or DB.WithReplicas makes it:
// the replicas its reads go to, and how (Replicas, ReplicaBalance,
// MaxReplicaLag, ReplicaChecks). An option that is given a bad value makes
// the function that takes it fail, naming the option.
type Option func(*openConfig)

// openConfig is what the options set.
type openConfig struct {
	replicaURLs []string
	route       routeConfig
	routeOpt    string // the name of a routing option given, for the error without replicas
	err         error  // the first bad option's
}

// fail records the first bad option.
func (c *openConfig) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// newOpenConfig applies opts over the defaults.
func newOpenConfig(opts []Option) *openConfig {
	c := &openConfig{route: defaultRoute}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	return c
}

// errNoReplicas is the error of a routing option given to Open or
// OpenPool without Replicas.
func (c *openConfig) errNoReplicas() error {
	if c.routeOpt == "" || len(c.replicaURLs) > 0 {
		return nil
	}
	return fmt.Errorf("%w: %s without Replicas: it applies to a DB with replicas", ErrInvalidArgument, c.routeOpt)
}

// routeConfig is how a DB routes its reads (see route.go).
type routeConfig struct {
	balance Balance
	// maxLag is the replay lag past which a replica is skipped; 0: lag is
	// not measured.
	maxLag time.Duration
	// every is how often each replica is checked (its lag, or a ping), and
	// timeout how long one check may take.
	every, timeout time.Duration
	// backoffMin and backoffMax bound the wait before a failed replica is
	// tried again: doubled at each failure in a row, jittered.
	backoffMin, backoffMax time.Duration
}

var defaultRoute = routeConfig{
	balance:    RoundRobin,
	every:      time.Second,
	timeout:    2 * time.Second,
	backoffMin: 500 * time.Millisecond,
	backoffMax: 30 * time.Second,
}

// Replicas adds read replicas to the DB Open makes, by URL, in the form
// Open takes; they must be of the primary's engine (and, for postgres://,
// are pgx pools as the primary). Reads outside a transaction then go to a
// healthy replica (see DB.WithReplicas for what is routed where). A
// replica that cannot be reached when the DB is opened is not an error:
// it is taken out, and tried again later.
func Replicas(urls ...string) Option {
	return func(c *openConfig) {
		if len(urls) == 0 {
			c.fail(fmt.Errorf("%w: Replicas: no URL", ErrInvalidArgument))
		}
		c.replicaURLs = append(c.replicaURLs, urls...)
	}
}

// Balance is how reads are spread over the healthy replicas.
type Balance uint8

const (
	// RoundRobin sends each read to the next healthy replica in turn, the
	// default.
	RoundRobin Balance = iota
	// LeastInUse sends each read to the healthy replica with the fewest
	// of this DB's reads in flight (counted from the read's start until
	// its query returns its first row), the first in order on a tie.
	LeastInUse
)

// String names the policy: "RoundRobin", "LeastInUse".
func (b Balance) String() string {
	switch b {
	case RoundRobin:
		return "RoundRobin"
	case LeastInUse:
		return "LeastInUse"
	}
	return fmt.Sprintf("Balance(%d)", uint8(b))
}

// ReplicaBalance sets how reads are spread over the healthy replicas:
// RoundRobin (the default) or LeastInUse.
func ReplicaBalance(b Balance) Option {
	return func(c *openConfig) {
		if b != RoundRobin && b != LeastInUse {
			c.fail(fmt.Errorf("%w: ReplicaBalance(%v): want RoundRobin or LeastInUse", ErrInvalidArgument, b))
		}
		c.route.balance, c.routeOpt = b, "ReplicaBalance"
	}
}

// MaxReplicaLag bounds how far behind the primary a replica may be and
// still take reads: each replica's replay lag is measured at every check
// (see ReplicaChecks) — on PostgreSQL from pg_last_xact_replay_timestamp()
// and the WAL positions, on MariaDB from Seconds_Behind_Master and the GTID
// positions, on MySQL from Seconds_Behind_Source — and a replica over the
// bound is skipped until a check finds it caught up. 0, the default,
// measures no lag.
func MaxReplicaLag(d time.Duration) Option {
	return func(c *openConfig) {
		if d < 0 {
			c.fail(fmt.Errorf("%w: MaxReplicaLag(%v): a negative lag", ErrInvalidArgument, d))
		}
		c.route.maxLag, c.routeOpt = d, "MaxReplicaLag"
	}
}

// ReplicaChecks sets how often each replica is checked (default 1 s): its
// lag measured (see MaxReplicaLag), or, without a lag bound, a ping; and
// how long a replica that failed waits before it is tried again: minWait
// after its first failure, doubled (with jitter) after each failure in a
// row up to maxWait (default 500 ms to 30 s). A check that takes more than 2 s fails.
func ReplicaChecks(every, minWait, maxWait time.Duration) Option {
	return func(c *openConfig) {
		if every <= 0 || minWait <= 0 || maxWait < minWait {
			c.fail(fmt.Errorf("%w: ReplicaChecks(%v, %v, %v): want every > 0 and 0 < min <= max",
				ErrInvalidArgument, every, minWait, maxWait))
		}
		c.route.every, c.route.backoffMin, c.route.backoffMax = every, minWait, maxWait
		c.routeOpt = "ReplicaChecks"
	}
}

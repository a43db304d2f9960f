package orm_test

import (
	"context"
	"fmt"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
)

// The tests on real replication: a PostgreSQL primary with a streaming
// hot standby, and a MariaDB primary with a GTID replica, as
// scripts/replicas.sh starts them (KINGLET_PG_PRIMARY_URL and the others;
// without them the tests skip, unless KINGLET_REQUIRE_DIALECTS names
// postgres-replica and mysql-replica).

// replicated is one replicated pair under test.
type replicated struct {
	kind string
	node string // the replica's name for replicas.sh stop/start
	// pause and resume stop and restart the replica's replay.
	pause, resume string
}

var replicatedPairs = []replicated{
	{testdb.PostgresReplica, "pg-replica", "SELECT pg_wal_replay_pause()", "SELECT pg_wal_replay_resume()"},
	{testdb.MySQLReplica, "my-replica", "STOP SLAVE SQL_THREAD", "START SLAVE SQL_THREAD"},
}

// eachReplicated runs fn on each pair, with an isolated database on it,
// the routed DB (with hooks rec) and a DB on the replica alone.
func eachReplicated(t *testing.T, fn func(t *testing.T, p replicated, r *testdb.Replicated, db, replica *orm.DB, rec *nodeRecorder), opts ...orm.Option) {
	for _, p := range replicatedPairs {
		t.Run(p.kind, func(t *testing.T) {
			r := testdb.OpenReplicated(t, p.kind)
			ctx := t.Context()
			rec := &nodeRecorder{}
			db, err := orm.Open(ctx, r.Primary(), append([]orm.Option{orm.Replicas(r.Replica())}, opts...)...)
			require.NoError(t, err)
			t.Cleanup(func() { db.Close() })
			replica, err := orm.Open(ctx, r.Replica())
			require.NoError(t, err)
			t.Cleanup(func() { replica.Close() })
			fn(t, p, r, db.WithHooks(rec), replica, rec)
		})
	}
}

// replayed waits until the replica has n rows in nodes.
func replayed(t *testing.T, replica *orm.DB, n int64) {
	t.Helper()
	waitFor(t, 30*time.Second, fmt.Sprintf("%d rows replayed", n), func() bool {
		got, err := orm.Select[kNode](replica).Count(context.Background())
		return err == nil && got == n
	})
}

func TestReplicationRouting(t *testing.T) {
	eachReplicated(t, func(t *testing.T, p replicated, r *testdb.Replicated, db, replica *orm.DB, rec *nodeRecorder) {
		ctx := t.Context()
		// Writes land on the primary, and appear on the replica after replay.
		require.NoError(t, db.CreateTables(ctx, &kNode{}))
		for i := range 5 {
			require.NoError(t, db.Insert(ctx, &kNode{Name: fmt.Sprint("row", i)}))
		}
		for _, n := range rec.take() {
			require.Equal(t, "primary", n)
		}
		replayed(t, replica, 5)

		// Reads are routed to the replica, and counted there.
		before := db.Stats()
		for range 10 {
			rows, err := orm.Select[kNode](db).All(ctx)
			require.NoError(t, err)
			require.Len(t, rows, 5)
			_, err = orm.Get[kNode](ctx, db, rows[0].ID)
			require.NoError(t, err)
		}
		st := db.Stats()
		require.EqualValues(t, 20, st[1].Reads-before[1].Reads)
		require.EqualValues(t, 0, st[0].Reads-before[0].Reads)
		for _, n := range rec.take() {
			require.Equal(t, "replica1", n)
		}
		require.Equal(t, orm.NodeUp, st[1].State)
		require.NotEmpty(t, st[1].Addr)

		// Read-your-writes: with OnPrimary, and inside a Tx.
		for i := range 5 {
			u := &kNode{Name: fmt.Sprint("new", i)}
			require.NoError(t, db.Insert(ctx, u))
			got, err := orm.Get[kNode](orm.OnPrimary(ctx), db, u.ID)
			require.NoError(t, err)
			require.Equal(t, u.Name, got.Name)
			require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
				v := &kNode{Name: fmt.Sprint("tx", i)}
				if err := tx.Insert(ctx, v); err != nil {
					return err
				}
				got, err := orm.Get[kNode](ctx, tx, v.ID)
				require.NoError(t, err)
				require.Equal(t, v.Name, got.Name)
				return nil
			}))
		}
		// Locking reads go to the primary, in a Tx and outside one.
		_, err := orm.Select[kNode](db).ForUpdate().All(ctx)
		require.NoError(t, err)
		require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
			_, err := orm.Select[kNode](tx).ForShare().All(ctx)
			return err
		}))
		for _, n := range rec.take() {
			require.Equal(t, "primary", n)
		}
		replayed(t, replica, 15)
	})
}

// TestReplicationReplicaKilled stops the replica's server (as a crash
// would) while goroutines read: no read fails, the reads move to the
// primary, and back once the replica runs again.
func TestReplicationReplicaKilled(t *testing.T) {
	opts := orm.ReplicaChecks(100*time.Millisecond, 100*time.Millisecond, 500*time.Millisecond)
	eachReplicated(t, func(t *testing.T, p replicated, r *testdb.Replicated, db, replica *orm.DB, rec *nodeRecorder) {
		script := testdb.ReplicasScript()
		if script == "" {
			t.Skipf("%s not set: the test cannot stop the replica", testdb.EnvReplicasScript)
		}
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, &kNode{}))
		require.NoError(t, db.Insert(ctx, &kNode{Name: "row"}))
		replayed(t, replica, 1)

		var reads, errs atomic.Int64
		var firstErr atomic.Value
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					n, err := orm.Select[kNode](db).Count(ctx)
					reads.Add(1)
					if err == nil && n != 1 {
						err = fmt.Errorf("%d rows", n)
					}
					if err != nil {
						errs.Add(1)
						firstErr.CompareAndSwap(nil, err)
					}
				}
			}()
		}
		ctl := func(cmd string) {
			out, err := exec.CommandContext(ctx, script, cmd, p.node).CombinedOutput()
			require.NoError(t, err, "%s %s %s: %s", script, cmd, p.node, out)
		}
		time.Sleep(300 * time.Millisecond)
		ctl("stop")
		started := false
		t.Cleanup(func() { // the other tests need the replica
			if !started {
				exec.Command(script, "start", p.node).Run()
			}
		})
		waitFor(t, 10*time.Second, "replica down", func() bool { return db.Stats()[1].State == orm.NodeDown })
		rec.take()
		time.Sleep(200 * time.Millisecond)
		onDown := rec.take()
		ctl("start")
		started = true
		waitFor(t, 60*time.Second, "replica up", func() bool { return db.Stats()[1].State == orm.NodeUp })
		time.Sleep(200 * time.Millisecond)
		close(stop)
		wg.Wait()

		require.Zero(t, errs.Load(), "errors returned to the caller, the first: %v", firstErr.Load())
		require.NotEmpty(t, onDown)
		for _, n := range onDown {
			require.Equal(t, "primary", n)
		}
		rec.take()
		_, err := orm.Select[kNode](db).Count(ctx)
		require.NoError(t, err)
		require.Equal(t, []string{"replica1"}, rec.take())
		st := db.Stats()
		t.Logf("%d reads, 0 errors; primary: %d reads; replica: %d reads, %d failed over, %d failures, last: %v",
			reads.Load(), st[0].Reads, st[1].Reads, st[1].Failovers, st[1].Failures, st[1].LastError)
	}, opts)
}

// TestReplicationLag pauses the replica's replay: past MaxReplicaLag it is
// skipped (the reads go to the primary, and see the new rows), and once
// replay resumes and catches up it takes the reads again.
func TestReplicationLag(t *testing.T) {
	opts := []orm.Option{
		orm.MaxReplicaLag(time.Second),
		orm.ReplicaChecks(100*time.Millisecond, 100*time.Millisecond, 500*time.Millisecond),
	}
	eachReplicated(t, func(t *testing.T, p replicated, r *testdb.Replicated, db, replica *orm.DB, rec *nodeRecorder) {
		ctx := t.Context()
		require.NoError(t, db.CreateTables(ctx, &kNode{}))
		require.NoError(t, db.Insert(ctx, &kNode{Name: "row"}))
		replayed(t, replica, 1)
		waitFor(t, 10*time.Second, "replica up", func() bool { return db.Stats()[1].State == orm.NodeUp })

		_, err := replica.ExecContext(ctx, p.pause)
		require.NoError(t, err)
		resumed := false
		defer func() {
			if !resumed {
				replica.ExecContext(context.Background(), p.resume)
			}
		}()
		for i := range 3 {
			require.NoError(t, db.Insert(ctx, &kNode{Name: fmt.Sprint("while paused ", i)}))
		}
		waitFor(t, 15*time.Second, "replica lagging", func() bool { return db.Stats()[1].State == orm.NodeLagging })
		st := db.Stats()[1]
		t.Logf("paused: lag %v", st.Lag)
		require.Greater(t, st.Lag, time.Second)
		rec.take()
		n, err := orm.Select[kNode](db).Count(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 4, n)
		require.Equal(t, []string{"primary"}, rec.take())
		// The replica itself has not replayed the rows.
		n, err = orm.Select[kNode](replica).Count(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)

		_, err = replica.ExecContext(ctx, p.resume)
		require.NoError(t, err)
		resumed = true
		waitFor(t, 30*time.Second, "replica caught up", func() bool { return db.Stats()[1].State == orm.NodeUp })
		rec.take()
		n, err = orm.Select[kNode](db).Count(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 4, n)
		require.Equal(t, []string{"replica1"}, rec.take())
		t.Logf("resumed: lag %v", db.Stats()[1].Lag)
	}, opts...)
}

package orm_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// TestGaleraCounters: 8 goroutines increment the same three counters,
// each through one of a Galera cluster's three nodes, in transactions
// under Retry. Transactions that touch the same rows on different nodes
// conflict at COMMIT (a certification failure, reported as the deadlock
// 1213), or are aborted by a replicated one; Retry runs them again, and the
// totals are exact on every node.
func TestGaleraCounters(t *testing.T) {
	r := testdb.OpenReplicated(t, testdb.Galera)
	ctx := t.Context()
	var dbs []*orm.DB
	for _, u := range r.URLs {
		db, err := orm.Open(ctx, u)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		dbs = append(dbs, db)
	}
	require.Len(t, dbs, 3)
	require.NoError(t, dbs[0].CreateTables(ctx, &kTally{}))
	for id := int64(1); id <= 3; id++ {
		require.NoError(t, dbs[0].Insert(ctx, &kTally{ID: id}))
	}
	total := func(db *orm.DB) int64 {
		rows, err := orm.Select[kTally](db).All(ctx)
		if err != nil || len(rows) != 3 {
			return -1
		}
		return rows[0].N + rows[1].N + rows[2].N
	}
	for i, db := range dbs {
		waitFor(t, 30*time.Second, fmt.Sprintf("the rows on node %d", i+1), func() bool { return total(db) == 0 })
	}

	const goroutines, each = 8, 25
	var runs, conflicts atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*each)
	start := time.Now()
	for g := range goroutines {
		db := dbs[g%len(dbs)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				ids := []int64{1, 2, 3}
				rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
				errs <- db.Tx(ctx, func(tx *orm.Tx) error {
					runs.Add(1)
					for _, id := range ids {
						if _, err := tx.ExecContext(ctx, "UPDATE tallies SET n = n + 1 WHERE id = ?", id); err != nil {
							if orm.IsRetryable(err) {
								conflicts.Add(1)
							}
							return err
						}
					}
					return nil
				}, orm.Retry(100))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	elapsed := time.Since(start)
	retries := runs.Load() - goroutines*each
	for i, db := range dbs {
		waitFor(t, 30*time.Second, fmt.Sprintf("the totals replicated to node %d", i+1), func() bool {
			return total(db) == 3*goroutines*each
		})
		rows, err := orm.Select[kTally](db).OrderBy(query.C("id")).All(ctx)
		require.NoError(t, err)
		for _, row := range rows {
			require.EqualValues(t, goroutines*each, row.N, "counter %d on node %d", row.ID, i+1)
		}
	}
	t.Logf("Galera: %d transactions of 3 increments through 3 nodes in %v: %d retries (%d of them on a statement, the others at COMMIT)",
		goroutines*each, elapsed.Round(time.Millisecond), retries, conflicts.Load())
	require.Positive(t, retries, "no transaction conflicted: the test shows nothing")
}

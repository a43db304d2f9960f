package orm_test

import (
	"context"
	"math/rand/v2"
	"net/url"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// BenchmarkReplicaReads reads with 16 goroutines from the primary alone,
// then from the primary with its streaming replica (reads on the replica),
// in one run, on the PostgreSQL pair of scripts/replicas.sh:
//
//	eval "$(scripts/replicas.sh up)"
//	go test -run '^$' -bench BenchmarkReplicaReads -benchtime 3s -count 3 ./orm
//
// Each pool may open 16 connections, so that the replica adds a server,
// not connections. On one machine the primary, the replica and the client
// share its cores: the figure says what routing costs there and what a
// second server's cores would add, not what a second machine would.
func BenchmarkReplicaReads(b *testing.B) {
	r := testdb.OpenReplicated(b, testdb.PostgresReplica)
	ctx := context.Background()
	withConns := func(raw string) string {
		u, err := url.Parse(raw)
		require.NoError(b, err)
		q := u.Query()
		q.Set("pool_max_conns", "16")
		u.RawQuery = q.Encode()
		return u.String()
	}
	primaryURL, replicaURL := withConns(r.Primary()), withConns(r.Replica())
	primary, err := orm.Open(ctx, primaryURL)
	require.NoError(b, err)
	defer primary.Close()
	require.NoError(b, primary.CreateTables(ctx, &benchUser{}))
	users := make([]benchUser, benchSeed)
	for i := range users {
		users[i] = newBenchUser(i)
	}
	require.NoError(b, primary.InsertMany(ctx, users))
	replica, err := orm.Open(ctx, replicaURL)
	require.NoError(b, err)
	waitFor(b, 30*time.Second, "the rows replayed", func() bool {
		n, err := orm.Select[benchUser](replica).Count(ctx)
		return err == nil && n == benchSeed
	})
	replica.Close()
	routed, err := orm.Open(ctx, primaryURL, orm.Replicas(replicaURL))
	require.NoError(b, err)
	defer routed.Close()

	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	reads := []struct {
		name string
		read func(db *orm.DB) error
	}{
		{"get_pk", func(db *orm.DB) error {
			_, err := orm.Get[benchUser](ctx, db, ids[rand.IntN(len(ids))])
			return err
		}},
		{"select_100", func(db *orm.DB) error {
			_, err := orm.Select[benchUser](db).Where(query.C("id").Gt(ids[rand.IntN(len(ids)-100)])).
				OrderBy(query.C("id")).Limit(100).All(ctx)
			return err
		}},
	}
	for _, rd := range reads {
		for _, node := range []struct {
			name string
			db   *orm.DB
		}{{"primary", primary}, {"primary+replica", routed}} {
			b.Run(rd.name+"/"+node.name, func(b *testing.B) {
				b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := rd.read(node.db); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
	st := routed.Stats()
	b.Logf("routed reads: primary %d, replica %d", st[0].Reads, st[1].Reads)
}

// BenchmarkRoutingCost is the cost of routing itself: a Get by key on a
// DB without replicas, and on the same DB routed to a "replica" that is a
// second pool on the same server, schema and table — the same work, plus
// the routing. On the local PostgreSQL (pgx, Open's default path):
//
//	go test -run '^$' -bench BenchmarkRoutingCost -benchtime 3s -count 5 ./orm
//
// The decision alone, without the read, is BenchmarkRouteDecision.
func BenchmarkRoutingCost(b *testing.B) {
	tdb := testdb.Open(b, testdb.PostgresPgx)
	ctx := context.Background()
	plain, err := orm.OpenPool(ctx, tdb.Pool)
	require.NoError(b, err)
	require.NoError(b, plain.CreateTables(ctx, &benchUser{}))
	users := make([]benchUser, benchSeed)
	for i := range users {
		users[i] = newBenchUser(i)
	}
	require.NoError(b, plain.InsertMany(ctx, users))
	cfg, err := pgxpool.ParseConfig(tdb.DSN)
	require.NoError(b, err)
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(b, err)
	defer pool.Close()
	second, err := orm.OpenPool(ctx, pool)
	require.NoError(b, err)
	routed, err := plain.WithReplicas(ctx, []*orm.DB{second})
	require.NoError(b, err)
	defer routed.Close()
	for _, c := range []struct {
		name string
		db   *orm.DB
	}{{"primary-only", plain}, {"routed", routed}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := orm.Get[benchUser](ctx, c.db, users[i%len(users)].ID); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
	if st := routed.Stats(); st[1].Reads == 0 {
		b.Fatal("the routed reads did not go to the replica")
	}
}

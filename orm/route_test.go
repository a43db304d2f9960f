package orm_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// kNode is a row that says which node it is on: each node of the SQLite
// routing tests holds a different one, so a read shows where it ran.
type kNode struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"name"`
}

func (kNode) TableName() string { return "nodes" }

// nodeRecorder keeps the node of every statement, and of every
// transaction's run.
type nodeRecorder struct {
	mu       sync.Mutex
	nodes    []string
	sqls     []string
	attempts []int
}

func (r *nodeRecorder) BeforeQuery(ctx context.Context, _ *orm.QueryEvent) context.Context {
	return ctx
}

func (r *nodeRecorder) AfterQuery(_ context.Context, ev *orm.QueryEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nodes = append(r.nodes, ev.Node)
	r.sqls = append(r.sqls, ev.SQL)
}

func (r *nodeRecorder) BeforeTx(ctx context.Context, _ *orm.TxEvent) context.Context { return ctx }

func (r *nodeRecorder) AfterTx(_ context.Context, ev *orm.TxEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ev.Depth == 0 {
		r.attempts = append(r.attempts, ev.Attempt)
	}
}

func (r *nodeRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.nodes
	r.nodes, r.sqls = nil, nil
	return out
}

// sqliteNodes opens a primary and n replicas, each a SQLite file whose
// nodes table holds one row naming it, and routes reads over them.
func sqliteNodes(t *testing.T, n int, opts ...orm.Option) (routed *orm.DB, primary *orm.DB) {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	open := func(name string) *orm.DB {
		db, err := orm.Open(ctx, "sqlite:"+filepath.Join(dir, name+".db"))
		require.NoError(t, err)
		require.NoError(t, db.CreateTables(ctx, &kNode{}))
		require.NoError(t, db.Insert(ctx, &kNode{Name: name}))
		return db
	}
	primary = open("primary")
	var reps []*orm.DB
	for i := range n {
		reps = append(reps, open("replica"+string(rune('1'+i))))
	}
	routed, err := primary.WithReplicas(ctx, reps, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, routed.Close()) })
	return routed, primary
}

func readNode(t *testing.T, ctx context.Context, db orm.Conn) string {
	t.Helper()
	rows, err := orm.Select[kNode](db).All(ctx)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	return rows[0].Name
}

func TestRouteReadsToReplicas(t *testing.T) {
	rec := &nodeRecorder{}
	routed, _ := sqliteNodes(t, 2)
	db := routed.WithHooks(rec)
	ctx := t.Context()

	// Round robin: each read on the next replica, and the hooks name it.
	var got []string
	for range 6 {
		got = append(got, readNode(t, ctx, db))
	}
	require.ElementsMatch(t, []string{"replica1", "replica1", "replica1", "replica2", "replica2", "replica2"}, got)
	require.NotEqual(t, got[0], got[1])
	require.Equal(t, got, rec.take())

	// Every kind of read goes to a replica.
	reads := map[string]func() error{
		"Get": func() error { _, err := orm.Get[kNode](ctx, db, int64(1)); return err },
		"Count": func() error {
			n, err := orm.Select[kNode](db).Count(ctx)
			require.EqualValues(t, 1, n)
			return err
		},
		"Exists": func() error { _, err := orm.Select[kNode](db).Exists(ctx); return err },
		"First":  func() error { _, err := orm.Select[kNode](db).First(ctx); return err },
		"Query": func() error {
			rows, err := db.Query(ctx, query.Select(query.C("name")).From(query.Table("nodes")))
			if err == nil {
				rows.Close()
			}
			return err
		},
		"QueryContext": func() error {
			rows, err := db.QueryContext(ctx, "  select name from nodes")
			if err == nil {
				rows.Close()
			}
			return err
		},
	}
	for name, read := range reads {
		require.NoError(t, read(), name)
		nodes := rec.take()
		require.Len(t, nodes, 1, name)
		require.Contains(t, []string{"replica1", "replica2"}, nodes[0], name)
	}

	// OnPrimary, a transaction, writes, and raw SQL that is no plain
	// SELECT run on the primary.
	require.Equal(t, "primary", readNode(t, orm.OnPrimary(ctx), db))
	require.Equal(t, []string{"primary"}, rec.take())
	require.NoError(t, db.Tx(ctx, func(tx *orm.Tx) error {
		require.Equal(t, "primary", readNode(t, ctx, tx))
		return tx.Insert(ctx, &kNode{Name: "in tx"})
	}))
	require.Equal(t, []string{"primary", "primary"}, rec.take())
	require.NoError(t, db.Insert(ctx, &kNode{Name: "written"}))
	_, err := db.ExecContext(ctx, "UPDATE nodes SET name = name WHERE id = 1")
	require.NoError(t, err)
	rows, err := db.QueryContext(ctx, "WITH x AS (SELECT 1) SELECT * FROM x")
	require.NoError(t, err)
	rows.Close()
	require.Equal(t, []string{"primary", "primary", "primary"}, rec.take())

	// The writes are on the primary only.
	n, err := orm.Select[kNode](db).Count(orm.OnPrimary(ctx))
	require.NoError(t, err)
	require.EqualValues(t, 3, n)
	n, err = orm.Select[kNode](db).Count(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	st := routed.Stats()
	require.Len(t, st, 3)
	require.Equal(t, "primary", st[0].Name)
	require.True(t, st[0].Primary)
	require.EqualValues(t, 2, st[0].Reads) // the OnPrimary reads: no Tx, no write, no WITH
	require.Equal(t, []string{"replica1", "replica2"}, []string{st[1].Name, st[2].Name})
	require.EqualValues(t, 6+len(reads)+1, st[1].Reads+st[2].Reads)
	for _, s := range st {
		require.Equal(t, orm.NodeUp, s.State, s.Name)
		require.Zero(t, s.InUse, s.Name)
	}
}

func TestRouteLeastInUse(t *testing.T) {
	db, _ := sqliteNodes(t, 3, orm.ReplicaBalance(orm.LeastInUse))
	ctx := t.Context()
	// One read at a time: none is in flight, and the first replica wins
	// each tie.
	for range 4 {
		require.Equal(t, "replica1", readNode(t, ctx, db))
	}
	// Rows held open do not count: a read is in flight until its query
	// returns. Reads in parallel spread.
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]int{}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				rows, err := orm.Select[kNode](db).All(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[rows[0].Name]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.Equal(t, 160, seen["replica1"]+seen["replica2"]+seen["replica3"])
	require.Zero(t, seen["primary"])
}

func TestWithReplicasRefuses(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	open := func(name string) *orm.DB {
		db, err := orm.Open(ctx, "sqlite:"+filepath.Join(dir, name+".db"))
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return db
	}
	primary, replica := open("p"), open("r")
	routed, err := primary.WithReplicas(ctx, []*orm.DB{replica})
	require.NoError(t, err)
	pg, err := orm.Open(ctx, "postgres://postgres@127.0.0.1:1/none?connect_timeout=1")
	if err == nil {
		t.Cleanup(func() { pg.Close() })
	}
	cases := []struct {
		name string
		run  func() error
		want string
	}{
		{"no replica", func() error { _, err := primary.WithReplicas(ctx, nil); return err }, "no replica"},
		{"nil replica", func() error { _, err := primary.WithReplicas(ctx, []*orm.DB{nil}); return err }, "replica 1 is nil"},
		{"the primary itself", func() error { _, err := primary.WithReplicas(ctx, []*orm.DB{primary}); return err }, "replica 1 is the primary's pool"},
		{"routed twice", func() error { _, err := routed.WithReplicas(ctx, []*orm.DB{open("x")}); return err }, "routes to replicas already"},
		{"a routed replica", func() error { _, err := open("y").WithReplicas(ctx, []*orm.DB{routed}); return err }, "replica 1 routes to replicas itself"},
		{"lag on sqlite", func() error {
			_, err := primary.WithReplicas(ctx, []*orm.DB{open("z")}, orm.MaxReplicaLag(time.Second))
			return err
		}, "sqlite 3"},
		{"another engine's URL", func() error {
			_, err := primary.WithReplicas(ctx, nil, orm.Replicas("mysql://root@127.0.0.1:1/x"))
			return err
		}, "is not sqlite"},
		{"Replicas()", func() error { _, err := orm.Open(ctx, "sqlite::memory:", orm.Replicas()); return err }, "Replicas: no URL"},
		{"balance", func() error {
			_, err := orm.Open(ctx, "sqlite::memory:", orm.Replicas("sqlite::memory:"), orm.ReplicaBalance(7))
			return err
		}, "ReplicaBalance(Balance(7))"},
		{"negative lag", func() error { _, err := orm.Open(ctx, "sqlite::memory:", orm.MaxReplicaLag(-1)); return err }, "MaxReplicaLag(-1ns)"},
		{"checks", func() error {
			_, err := orm.Open(ctx, "sqlite::memory:", orm.ReplicaChecks(time.Second, 2*time.Second, time.Second))
			return err
		}, "ReplicaChecks(1s, 2s, 1s)"},
		{"routing without replicas", func() error {
			_, err := orm.Open(ctx, "sqlite::memory:", orm.ReplicaBalance(orm.LeastInUse))
			return err
		}, "ReplicaBalance without Replicas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			require.Error(t, err)
			require.ErrorIs(t, err, orm.ErrInvalidArgument)
			require.Contains(t, err.Error(), c.want)
		})
	}
	if pg != nil {
		_, err := primary.WithReplicas(ctx, []*orm.DB{pg})
		require.ErrorIs(t, err, orm.ErrInvalidArgument)
		require.Contains(t, err.Error(), "replica 1 is postgres")
	}
	require.True(t, errors.Is(routed.Close(), nil))
}

// TestRouteRelations: the loading of relations is a read, routed as the
// query that found the parents.
func TestRouteRelations(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	var dbs []*orm.DB
	for _, name := range []string{"primary", "replica"} {
		db, err := orm.Open(ctx, "sqlite:"+filepath.Join(dir, name+".db"))
		require.NoError(t, err)
		require.NoError(t, db.CreateTables(ctx, &hAuthor{}, &hPost{}))
		a := &hAuthor{Name: name}
		require.NoError(t, db.Insert(ctx, a))
		require.NoError(t, db.Insert(ctx, &hPost{AuthorID: a.ID, Title: "on " + name}))
		dbs = append(dbs, db)
	}
	rec := &nodeRecorder{}
	routed, err := dbs[0].WithHooks(rec).WithReplicas(ctx, dbs[1:])
	require.NoError(t, err)
	defer routed.Close()
	authors, err := orm.Select[hAuthor](routed).All(ctx)
	require.NoError(t, err)
	require.NoError(t, orm.LoadRelations(ctx, routed, authors, "Posts"))
	require.Equal(t, "on replica", authors[0].Posts[0].Title)
	require.Equal(t, []string{"replica1", "replica1"}, rec.take())
	require.NoError(t, orm.LoadRelations(orm.OnPrimary(ctx), routed, authors, "Posts"))
	require.Equal(t, "on primary", authors[0].Posts[0].Title)
	require.Equal(t, []string{"primary"}, rec.take())
}

package orm_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

type hAuthor struct {
	ID    int64   `db:"id,pk"`
	Name  string  `db:"name,unique,size:40"`
	Posts []hPost `db:"-" rel:"has_many,fk:AuthorID"`
}

func (hAuthor) TableName() string { return "hk_authors" }

type hPost struct {
	ID       int64  `db:"id,pk"`
	AuthorID int64  `db:"author_id,fk:hk_authors.id"`
	Title    string `db:"title"`
}

func (hPost) TableName() string { return "hk_posts" }

type hTitle struct {
	Title string `db:"title"`
}

// txRecorder is a recorder that also implements orm.TxHook.
type txRecorder struct {
	recorder
	txMu  sync.Mutex
	begun []*orm.TxEvent
	ended []orm.TxEvent
}

func (r *txRecorder) BeforeTx(ctx context.Context, ev *orm.TxEvent) context.Context {
	r.txMu.Lock()
	r.begun = append(r.begun, ev)
	r.txMu.Unlock()
	return context.WithValue(ctx, ctxKey{}, "tx")
}

func (r *txRecorder) AfterTx(ctx context.Context, ev *orm.TxEvent) {
	r.txMu.Lock()
	r.ended = append(r.ended, *ev)
	r.txMu.Unlock()
}

func (r *txRecorder) resetAll() {
	r.reset()
	r.txMu.Lock()
	r.begun, r.ended = nil, nil
	r.txMu.Unlock()
}

// stmt is what a test expects of one QueryEvent: -2 for a count not checked.
type stmt struct {
	op, table      string
	rows, returned int64
}

// got reduces the events to what stmt checks.
func (r *recorder) got() []stmt {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]stmt, len(r.events))
	for i, ev := range r.events {
		out[i] = stmt{ev.Operation, ev.Table, ev.Rows, ev.Returned}
	}
	return out
}

// TestQueryHookEveryPath: a hook sees every statement on every path — the
// engines' database/sql pools, a pgx pool's own path (postgres-pgx),
// statements kept prepared (a Select's second run on SQLite and MySQL),
// InsertMany's batches in their own transaction, relation loading, and a
// Tx with savepoints — each with its operation, table, dialect,
// transaction, and rows affected or returned.
func TestQueryHookEveryPath(t *testing.T) {
	runEach(t, func(t *testing.T, db *orm.DB, tdb *testdb.DB) {
		ctx := t.Context()
		rec := &txRecorder{}
		hdb := db.WithHooks(rec)
		require.NoError(t, hdb.CreateTables(ctx, &hAuthor{}, &hPost{}))
		require.NotEmpty(t, rec.events)
		assert.Equal(t, "CREATE TABLE", rec.events[0].Operation)
		returning := tdb.Dialect.Has(dialect.InsertReturning)
		check := func(what string, want ...stmt) {
			t.Helper()
			got := rec.got()
			if assert.Len(t, got, len(want), "%s: %q", what, rec.sqls()) {
				for i := range want {
					g, w := got[i], want[i]
					if w.rows == -2 {
						g.rows = -2
					}
					if w.returned == -2 {
						g.returned = -2
					}
					assert.Equal(t, w, g, "%s: statement %d: %s", what, i, rec.sqls()[i])
				}
			}
			for _, ev := range rec.events {
				assert.Equal(t, tdb.Dialect, ev.Dialect, what)
				assert.NoError(t, ev.Err, what)
				assert.Positive(t, ev.Duration, what)
			}
			rec.resetAll()
		}
		rec.resetAll()

		// Insert: RETURNING reads the key back as a row; without it, the
		// key comes with the rows affected.
		a := &hAuthor{Name: "ann"}
		require.NoError(t, hdb.Insert(ctx, a))
		if returning {
			check("insert", stmt{"INSERT", "hk_authors", -1, 1})
		} else {
			check("insert", stmt{"INSERT", "hk_authors", 1, -1})
		}

		// InsertMany in several statements: in a transaction of its own,
		// which the TxHook sees, and every statement carries it.
		restore := orm.SetMaxParams(4) // two columns a row: two rows a statement
		posts := []hPost{{AuthorID: a.ID, Title: "p1"}, {AuthorID: a.ID, Title: "p2"}, {AuthorID: a.ID, Title: "p3"}}
		err := hdb.InsertMany(ctx, posts)
		restore()
		require.NoError(t, err)
		require.Len(t, rec.ended, 1)
		assert.True(t, rec.ended[0].Committed)
		assert.Zero(t, rec.ended[0].Depth)
		for _, ev := range rec.events {
			assert.Same(t, rec.begun[0], ev.Tx, "InsertMany's statements carry its transaction")
		}
		if returning {
			check("insert many", stmt{"INSERT", "hk_posts", -1, 2}, stmt{"INSERT", "hk_posts", -1, 1})
		} else {
			check("insert many", stmt{"INSERT", "hk_posts", 2, -1}, stmt{"INSERT", "hk_posts", 1, -1})
		}

		// Reads report the rows they returned; a Select's second run is a
		// statement kept prepared where the dialect keeps them.
		_, err = orm.Get[hAuthor](ctx, hdb, a.ID)
		require.NoError(t, err)
		_, err = orm.Get[hAuthor](ctx, hdb, a.ID+100)
		require.ErrorIs(t, err, orm.ErrNotFound)
		title := orm.ColOf[string, hPost]("Title")
		for range 2 {
			ps, err := orm.Select[hPost](hdb).OrderBy(title.Asc()).All(ctx)
			require.NoError(t, err)
			require.Len(t, ps, 3)
		}
		n, err := orm.Select[hPost](hdb).Count(ctx)
		require.NoError(t, err)
		require.EqualValues(t, 3, n)
		ok, err := orm.Select[hPost](hdb).Where(title.Eq("p2")).Exists(ctx)
		require.NoError(t, err)
		require.True(t, ok)
		check("reads",
			stmt{"SELECT", "hk_authors", -1, 1}, stmt{"SELECT", "hk_authors", -1, 0},
			stmt{"SELECT", "hk_posts", -1, 3}, stmt{"SELECT", "hk_posts", -1, 3},
			stmt{"SELECT", "hk_posts", -1, 1}, stmt{"SELECT", "hk_posts", -1, 1})

		for _, err := range orm.Select[hPost](hdb).Iter(ctx) {
			require.NoError(t, err)
		}
		for _, err := range orm.Select[hPost](hdb).Iter(ctx) {
			require.NoError(t, err)
			break
		}
		titles, err := orm.Into[hTitle](ctx, orm.Select[hPost](hdb).Columns(query.C("title")).Where(title.Ne("p1")))
		require.NoError(t, err)
		require.Len(t, titles, 2)
		names, err := orm.Pluck[string](ctx, orm.Select[hAuthor](hdb), query.C("name"))
		require.NoError(t, err)
		require.Equal(t, []string{"ann"}, names)
		none, err := orm.Select[hPost](hdb).Columns(query.C("title")).Where(title.Eq("none")).All(ctx)
		require.NoError(t, err)
		require.Empty(t, none)
		check("iter, into, pluck",
			stmt{"SELECT", "hk_posts", -1, 3}, stmt{"SELECT", "hk_posts", -1, 1},
			stmt{"SELECT", "hk_posts", -1, 2}, stmt{"SELECT", "hk_authors", -1, 1},
			stmt{"SELECT", "hk_posts", -1, 0})

		// Relation loading: the related table's query.
		as, err := orm.Select[hAuthor](hdb).Load("Posts").All(ctx)
		require.NoError(t, err)
		require.Len(t, as, 1)
		require.Len(t, as[0].Posts, 3)
		check("load", stmt{"SELECT", "hk_authors", -1, 1}, stmt{"SELECT", "hk_posts", -1, 3})

		// Writes report the rows affected.
		a.Name = "anne"
		require.NoError(t, hdb.Update(ctx, a))
		_, err = orm.Update[hPost](hdb).Set("title", "x").Where(title.Eq("p3")).Exec(ctx)
		require.NoError(t, err)
		up := &hAuthor{Name: "anne"}
		require.NoError(t, hdb.Upsert(ctx, up, "name"))
		require.Equal(t, a.ID, up.ID)
		_, err = orm.Delete[hPost](hdb).Where(title.Eq("x")).Exec(ctx)
		require.NoError(t, err)
		require.NoError(t, hdb.Delete(ctx, &posts[1]))
		upsert := stmt{"INSERT", "hk_authors", -1, 1}
		if !returning {
			upsert = stmt{"INSERT", "hk_authors", -2, -1} // MySQL counts an update as 2 rows
		}
		check("writes",
			stmt{"UPDATE", "hk_authors", 1, -1}, stmt{"UPDATE", "hk_posts", 1, -1},
			upsert, stmt{"DELETE", "hk_posts", 1, -1}, stmt{"DELETE", "hk_posts", 1, -1})

		// SQL text is the caller's: no operation or table. A builder query
		// tells its kind.
		_, err = hdb.ExecContext(ctx, "UPDATE hk_posts SET title = title")
		require.NoError(t, err)
		rows, err := hdb.QueryContext(ctx, "SELECT title FROM hk_posts")
		require.NoError(t, err)
		rows.Close()
		_, err = hdb.Exec(ctx, query.Update(query.Table("hk_posts")).Set("title", "y").Where(query.C("title").Eq("nope")))
		require.NoError(t, err)
		check("raw", stmt{"", "", 1, -1}, stmt{"", "", -1, -1}, stmt{"UPDATE", "", 0, -1})

		// A Tx and its savepoints: the TxHook sees each begin and end, and
		// each statement carries its innermost transaction.
		errInner := errors.New("undo")
		require.NoError(t, hdb.Tx(ctx, func(tx *orm.Tx) error {
			require.Len(t, rec.begun, 1)
			assert.Equal(t, "tx", rec.begun[0].Context().Value(ctxKey{}), "TxEvent.Context is what BeforeTx returned")
			assert.Nil(t, rec.begun[0].Parent)
			assert.Empty(t, rec.begun[0].Savepoint)
			if err := tx.Insert(ctx, &hPost{AuthorID: a.ID, Title: "in tx"}); err != nil {
				return err
			}
			if err := tx.Tx(ctx, func(sp *orm.Tx) error {
				return sp.Insert(ctx, &hPost{AuthorID: a.ID, Title: "in savepoint"})
			}); err != nil {
				return err
			}
			err := tx.Tx(ctx, func(sp *orm.Tx) error { return errInner })
			require.ErrorIs(t, err, errInner)
			return nil
		}))
		require.Len(t, rec.begun, 3)
		txEv, sp1, sp2 := rec.begun[0], rec.begun[1], rec.begun[2]
		assert.Equal(t, []int{0, 1, 1}, []int{txEv.Depth, sp1.Depth, sp2.Depth})
		assert.Same(t, txEv, sp1.Parent)
		assert.Same(t, txEv, sp2.Parent)
		assert.NotEmpty(t, sp1.Savepoint)
		require.Len(t, rec.ended, 3)
		// Ended innermost first: the savepoints, then the transaction.
		assert.True(t, rec.ended[0].Committed, "the first savepoint was released")
		assert.False(t, rec.ended[1].Committed, "the second was rolled back")
		assert.ErrorIs(t, rec.ended[1].Err, errInner)
		assert.True(t, rec.ended[2].Committed, "the transaction committed")
		assert.Nil(t, rec.ended[2].Err)
		assert.Positive(t, rec.ended[2].Duration)
		var txs []*orm.TxEvent
		for _, ev := range rec.events {
			txs = append(txs, ev.Tx)
		}
		assert.Equal(t, []*orm.TxEvent{txEv, sp1, sp1, sp1, sp2, sp2}, txs, "%q", rec.sqls())
		ins := stmt{"INSERT", "hk_posts", -1, 1}
		if !returning {
			ins = stmt{"INSERT", "hk_posts", 1, -1}
		}
		check("tx", ins,
			stmt{"SAVEPOINT", "", -2, -1}, ins, stmt{"RELEASE SAVEPOINT", "", -2, -1},
			stmt{"SAVEPOINT", "", -2, -1}, stmt{"ROLLBACK TO SAVEPOINT", "", -2, -1})

		// A failing statement: its error, classified, on every path.
		err = hdb.Insert(ctx, &hAuthor{Name: "anne"})
		require.ErrorIs(t, err, orm.ErrUniqueViolation)
		require.Equal(t, 1, rec.count())
		assert.ErrorIs(t, rec.events[0].Err, orm.ErrUniqueViolation)
		rec.resetAll()
		// A failing transaction: rolled back, with the error.
		err = hdb.Tx(ctx, func(tx *orm.Tx) error { return tx.Insert(ctx, &hAuthor{Name: "anne"}) })
		require.ErrorIs(t, err, orm.ErrUniqueViolation)
		require.Len(t, rec.ended, 1)
		assert.False(t, rec.ended[0].Committed)
		assert.ErrorIs(t, rec.ended[0].Err, orm.ErrUniqueViolation)
	})
}

// TestOpenPoolHooksStayNative: on a DB from OpenPool the ORM's statements
// run on the pgx pool with a hook too — they still work with the DB's
// database/sql handle closed — and the hook sees each of them.
func TestOpenPoolHooksStayNative(t *testing.T) {
	ctx := t.Context()
	setup, _, pool := openPoolOf(t)
	require.NoError(t, setup.CreateTables(ctx, &hAuthor{}, &hPost{}))
	db, err := orm.OpenPool(ctx, pool)
	require.NoError(t, err)
	require.NoError(t, db.Close()) // database/sql only: the pool stays open
	rec := &txRecorder{}
	hdb := db.WithHooks(rec)

	a := &hAuthor{Name: "ann"}
	require.NoError(t, hdb.Insert(ctx, a))
	restore := orm.SetMaxParams(4)
	err = hdb.InsertMany(ctx, []hPost{{AuthorID: a.ID, Title: "p1"}, {AuthorID: a.ID, Title: "p2"}, {AuthorID: a.ID, Title: "p3"}})
	restore()
	require.NoError(t, err)
	_, err = orm.Get[hAuthor](ctx, hdb, a.ID)
	require.NoError(t, err)
	ps, err := orm.Select[hPost](hdb).All(ctx)
	require.NoError(t, err)
	require.Len(t, ps, 3)
	_, err = orm.Select[hPost](hdb).Count(ctx)
	require.NoError(t, err)
	for _, err := range orm.Select[hPost](hdb).Iter(ctx) {
		require.NoError(t, err)
	}
	a.Name = "anne"
	require.NoError(t, hdb.Update(ctx, a))
	_, err = orm.Update[hPost](hdb).Set("title", "x").AllRows().Exec(ctx)
	require.NoError(t, err)
	_, err = hdb.ExecContext(ctx, "UPDATE hk_posts SET title = $1", "y")
	require.NoError(t, err)
	require.NoError(t, hdb.Delete(ctx, &ps[0]))
	err = hdb.Insert(ctx, &hAuthor{Name: "anne"})
	require.ErrorIs(t, err, orm.ErrUniqueViolation)

	ops := make([]string, 0, rec.count())
	for _, ev := range rec.events {
		ops = append(ops, ev.Operation+" "+ev.Table)
	}
	assert.Equal(t, []string{"INSERT hk_authors", "INSERT hk_posts", "INSERT hk_posts", "SELECT hk_authors",
		"SELECT hk_posts", "SELECT hk_posts", "SELECT hk_posts", "UPDATE hk_authors", "UPDATE hk_posts", " ",
		"DELETE hk_posts", "INSERT hk_authors"}, ops)
	assert.Len(t, rec.ended, 1, "InsertMany's transaction, on pgx")
	assert.True(t, slices.ContainsFunc(rec.events, func(ev orm.QueryEvent) bool { return ev.Err != nil }))

	// What needs database/sql fails: it is closed, and nothing above used it.
	_, err = hdb.QueryContext(ctx, "SELECT 1")
	assert.ErrorContains(t, err, "database is closed")
	assert.True(t, strings.Contains(rec.events[len(rec.events)-1].Err.Error(), "closed"))
}

// argsBlind is a hook that says it never reads the arguments.
type argsBlind struct{ recorder }

func (*argsBlind) IgnoresArgs() bool { return true }

// TestArgsIgnorer: the events of a DB whose hooks all ignore the
// arguments carry none, and the statements run with them as usual; with
// one hook that reads them, every hook sees them.
func TestArgsIgnorer(t *testing.T) {
	withTables(t, []any{&hAuthor{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		blind := &argsBlind{}
		require.NoError(t, db.WithHooks(blind).Insert(ctx, &hAuthor{Name: "ann"}))
		got, err := orm.Select[hAuthor](db.WithHooks(blind)).Where(query.C("name").Eq("ann")).All(ctx)
		require.NoError(t, err)
		require.Len(t, got, 1, "the statements ran with their arguments")
		require.Equal(t, 2, blind.count())
		for _, ev := range blind.events {
			assert.Nil(t, ev.Args)
		}

		blind.reset()
		rec := &recorder{}
		require.NoError(t, db.WithHooks(blind, rec).Insert(ctx, &hAuthor{Name: "bob"}))
		require.Equal(t, 1, blind.count())
		assert.Contains(t, blind.events[0].Args, any("bob"), "another hook reads them: every hook sees them")
		assert.Contains(t, rec.events[0].Args, any("bob"))
	})
}

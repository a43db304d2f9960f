package orm

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"
)

// prepared keeps the ORM's own statements (Get, Insert, Update, Delete,
// Upsert, InsertMany: fixed SQL per model) prepared on a DB, where the
// dialect has dialect.KeepPrepared. On MySQL and MariaDB each then runs in
// one round trip (COM_STMT_EXECUTE) instead of three (prepare, execute,
// close), with its values still bound; on SQLite it skips the parse and
// plan (get_pk in about half the time in BenchmarkORM). database/sql
// prepares a kept statement once on each connection that runs it; its
// *sql.Stmt path costs one allocation more per call than DB.QueryContext,
// which the ORM saves elsewhere (fields.Field.ValueRef, scanRow).
// PostgreSQL is left out: pgx already keeps its statements, and a kept
// statement there fails after the table's columns change ("cached plan must
// not change result type").
type prepared struct {
	db    *sql.DB
	stmts sync.Map     // *stmt → *sql.Stmt
	texts sync.Map     // SQL text of a Select[T] → *sql.Stmt, or seenOnce
	n     atomic.Int32 // kept statements
	seen  atomic.Int32 // entries of texts
	// closed is set by close; no statement is prepared after it.
	closed atomic.Bool
}

// maxPrepared bounds the statements a DB keeps (the server's limit is
// global: MySQL's max_prepared_stmt_count is 16382 by default, for every
// connection of every client). Statements past it run unprepared.
const maxPrepared = 128

// get returns s kept prepared, or nil (p is nil, the limit is reached, or
// preparing failed: the statement then runs unprepared, and reports its own
// error if it has one).
func (p *prepared) get(ctx context.Context, s *stmt) *sql.Stmt {
	if p == nil {
		return nil
	}
	if st := p.kept(s); st != nil {
		return st
	}
	if p.closed.Load() || p.n.Load() >= maxPrepared {
		return nil
	}
	st, err := p.db.PrepareContext(ctx, s.sql)
	if err != nil {
		return nil
	}
	if v, loaded := p.stmts.LoadOrStore(s, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	p.n.Add(1)
	return st
}

// seenOnce marks SQL text run once: a Select[T] query is kept prepared the
// second time it runs, so that one-off queries do not take the places.
type seenOnce struct{}

// maxSeen bounds the texts remembered as seen once.
const maxSeen = 1024

// getText is get for the SQL text of a query built per call (Select[T]):
// nil the first time a text runs, then the text kept prepared.
func (p *prepared) getText(ctx context.Context, sqlText string) *sql.Stmt {
	if p == nil {
		return nil
	}
	v, ok := p.texts.Load(sqlText)
	if ok {
		if st, isStmt := v.(*sql.Stmt); isStmt {
			return st
		}
	} else {
		if p.seen.Load() < maxSeen {
			// A clone: the text may share its allocation with the
			// query's arguments (see query.Build), which a key kept here
			// would keep alive.
			if _, loaded := p.texts.LoadOrStore(strings.Clone(sqlText), seenOnce{}); !loaded {
				p.seen.Add(1)
			}
		}
		return nil
	}
	if p.closed.Load() || p.n.Load() >= maxPrepared {
		return nil
	}
	st, err := p.db.PrepareContext(ctx, sqlText)
	if err != nil {
		return nil
	}
	if !p.texts.CompareAndSwap(sqlText, v, st) {
		st.Close()
		if v, ok := p.texts.Load(sqlText); ok {
			if st, isStmt := v.(*sql.Stmt); isStmt {
				return st
			}
		}
		return nil
	}
	p.n.Add(1)
	return st
}

// kept returns the statement the DB keeps for s, without preparing it.
func (p *prepared) kept(s *stmt) *sql.Stmt {
	if v, ok := p.stmts.Load(s); ok {
		return v.(*sql.Stmt)
	}
	return nil
}

// forTx returns the statements of a transaction on p's DB, nil when p is.
// Ten inserts in a transaction (BenchmarkORM's tx_insert_10) take 0.63×
// the time of hand-written unprepared statements on MySQL, with fewer
// allocations, and 0.68× on SQLite, where database/sql's statements bound
// to a transaction cost about nine allocations per call (a context,
// dependency tracking, a connection grab) against the six the ORM saves:
// about 9% more than the hand-written code.
func (p *prepared) forTx(tx *sql.Tx) *txPrepared {
	if p == nil {
		return nil
	}
	return &txPrepared{db: p, tx: tx}
}

// txPrepared keeps the ORM's own statements prepared for one transaction,
// on its connection: a statement the DB keeps is taken over
// (sql.Tx.StmtContext, which prepares it on the transaction's connection
// only if it is not prepared there yet), and any other is prepared on the
// transaction. Never on the DB from inside the transaction: with one
// connection in the pool (SQLite's :memory:), that would wait for the
// transaction's own connection forever. database/sql closes them all when
// the transaction ends. Savepoints share their transaction's.
type txPrepared struct {
	db    *prepared
	tx    *sql.Tx
	mu    sync.Mutex
	stmts map[*stmt]*sql.Stmt
}

// get returns s prepared on the transaction, or nil past maxPrepared or
// when preparing failed (the statement then runs unprepared and reports its
// own error).
func (p *txPrepared) get(ctx context.Context, s *stmt) *sql.Stmt {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.stmts[s]; ok {
		return st
	}
	if len(p.stmts) >= maxPrepared {
		return nil
	}
	var st *sql.Stmt
	if parent := p.db.kept(s); parent != nil {
		st = p.tx.StmtContext(ctx, parent)
	} else if prep, err := p.tx.PrepareContext(ctx, s.sql); err == nil {
		st = prep
	}
	if p.stmts == nil {
		p.stmts = map[*stmt]*sql.Stmt{}
	}
	p.stmts[s] = st
	return st
}

// close closes every kept statement.
func (p *prepared) close() {
	if p == nil {
		return
	}
	p.closed.Store(true)
	for _, m := range []*sync.Map{&p.stmts, &p.texts} {
		m.Range(func(k, v any) bool {
			if st, ok := v.(*sql.Stmt); ok {
				st.Close()
			}
			m.Delete(k)
			return true
		})
	}
}

package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kingletdb/kinglet/dialect"
)

// apply runs one step and records it in the history. A migration in a
// transaction is recorded in that transaction, so on engines with
// transactional DDL it is all or nothing. A no-transaction migration is
// recorded in a transaction of its own once every statement has succeeded.
// Either way a failed migration is never recorded.
func (r *Runner) apply(ctx context.Context, s *session, st step) (Result, error) {
	res := st.m.result(st.dir)
	sc := st.m.script(st.dir)
	start := time.Now()
	record := func(tx Execer) error {
		if err := s.lease.check(ctx, tx); err != nil {
			return err
		}
		if st.dir == Down {
			return r.hist.remove(ctx, tx, st.m)
		}
		return r.hist.add(ctx, tx, st.m, time.Since(start))
	}
	var err error
	if sc.noTx {
		defer func() {
			if p := recover(); p != nil {
				s.broken = true // the connection's state is unknown
				panic(p)
			}
		}()
		if err = r.exec(ctx, s.conn, sc, true); err == nil {
			err = r.inTx(ctx, s, record)
		}
	} else {
		err = r.inTx(ctx, s, func(tx Execer) error {
			if err := r.exec(ctx, tx, sc, !r.d.Has(dialect.TransactionalDDL)); err != nil {
				return err
			}
			if c, ok := tx.(foreignKeyChecker); ok { // SQLite ran it with foreign keys off
				if err := c.checkForeignKeys(ctx); err != nil {
					return err
				}
			}
			return record(tx)
		})
	}
	res.Duration = time.Since(start)
	if err != nil {
		return res, err
	}
	r.log.InfoContext(ctx, "migrate: "+st.dir.String(), "version", res.Version, "name", res.Name,
		"duration", res.Duration)
	return res, nil
}

// exec runs a script's statements, or its Go function, on q. committed says
// whether statements that ran before a failure may stay committed.
func (r *Runner) exec(ctx context.Context, q Execer, sc *script, committed bool) error {
	if sc.fn != nil {
		return sc.fn(withDialect(ctx, r.d), q)
	}
	for i, stmt := range sc.stmts {
		if _, err := q.ExecContext(ctx, stmt.sql); err != nil {
			se := &StatementError{Path: sc.path, Index: i + 1, Total: len(sc.stmts), Line: stmt.line,
				SQL: stmt.sql, Committed: committed, Err: err}
			if committed && !sc.noTx {
				se.Engine = r.d.String()
			}
			return se
		}
	}
	return nil
}

// inTx runs fn in a transaction on the session's connection. When the
// transaction cannot be ended cleanly, the connection is marked broken so
// that it is discarded rather than returned to the pool.
func (r *Runner) inTx(ctx context.Context, s *session, fn func(tx Execer) error) error {
	tx, err := r.eng.begin(ctx, s.conn)
	if err != nil {
		return fmt.Errorf("kinglet: migrate: begin: %w", err)
	}
	defer func() {
		// A panicking Go migration: end the transaction (a *sql.Tx left open
		// would block closing the connection), drop the connection, and let
		// the panic go on; the run's deferred unlock still happens.
		if p := recover(); p != nil {
			_ = tx.Rollback()
			s.broken = true
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			s.broken = true
			return errors.Join(err, fmt.Errorf("kinglet: migrate: roll back: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		s.broken = true
		return fmt.Errorf("kinglet: migrate: commit: %w", err)
	}
	return nil
}

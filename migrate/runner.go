package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
)

// Runner applies and rolls back one sequence of migrations on one database.
// It is safe for concurrent use, and so are runners in other processes: every
// command that changes the database holds a lock for its whole run, so each
// migration is applied exactly once.
type Runner struct {
	db    *sql.DB
	d     dialect.Dialect
	eng   engine
	table string
	hist  history
	migs  []*migration // by version
	byVer map[int64]*migration
	log   *slog.Logger

	outOfOrder, checksumMismatch bool
	dryRun                       bool
	progress                     func(Result)
}

// New returns a Runner for db, whose engine d describes. It reads and checks
// every source now: a bad file name, a duplicate version, a Go migration and
// a file of the same version, SQL that cannot be split or an invalid option
// is an error wrapping ErrInvalid. It does not touch the database.
func New(db *sql.DB, d dialect.Dialect, opts ...Option) (*Runner, error) {
	if db == nil {
		return nil, fmt.Errorf("%w: nil *sql.DB", ErrInvalid)
	}
	if d == nil {
		return nil, fmt.Errorf("%w: nil dialect", ErrInvalid)
	}
	c := config{table: DefaultTable}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil option", ErrInvalid)
		}
		if err := o.apply(&c); err != nil {
			return nil, err
		}
	}
	eng, err := engineFor(d)
	if err != nil {
		return nil, err
	}
	hist, err := newHistory(d, c.table)
	if err != nil {
		return nil, err
	}
	migs, err := loadSources(&c, syntaxFor(d))
	if err != nil {
		return nil, err
	}
	r := &Runner{
		db: db, d: d, eng: eng, table: c.table, hist: hist, migs: migs,
		byVer: make(map[int64]*migration, len(migs)), log: c.logger,
		outOfOrder: c.outOfOrder, checksumMismatch: c.checksumMismatch,
		dryRun: c.dryRun, progress: c.progress,
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	for _, m := range migs {
		r.byVer[m.version] = m
	}
	return r, nil
}

// Up applies every pending migration in version order and returns what it
// applied. A failed migration stops the run with a *PartialError; the
// migrations before it stay applied. Pending migrations numbered below an
// applied one are refused (ErrOutOfOrder) unless AllowOutOfOrder. With
// nothing pending it returns no results and no error. An error releasing the
// lock is joined to the result.
func (r *Runner) Up(ctx context.Context) ([]Result, error) { return r.UpTo(ctx, math.MaxInt64) }

// UpTo applies the pending migrations numbered up to and including version.
func (r *Runner) UpTo(ctx context.Context, version int64) ([]Result, error) {
	return r.run(ctx, func(applied map[int64]record, last int64) ([]step, error) {
		var plan []step
		var late []string
		for _, m := range r.migs {
			if _, ok := applied[m.version]; ok || m.version > version {
				continue
			}
			if m.version < last {
				late = append(late, label(m.version, m.name))
			}
			plan = append(plan, step{m, Up})
		}
		if len(late) > 0 {
			if !r.outOfOrder {
				return nil, fmt.Errorf("%w: %s (latest applied is %d); nothing was applied: renumber them, or allow with AllowOutOfOrder",
					ErrOutOfOrder, strings.Join(late, ", "), last)
			}
			r.log.WarnContext(ctx, "migrate: applying migrations out of order", "migrations", late, "latest_applied", last)
		}
		return plan, nil
	})
}

// Down rolls back the applied migration with the highest version.
func (r *Runner) Down(ctx context.Context) ([]Result, error) {
	return r.run(ctx, func(applied map[int64]record, last int64) ([]step, error) {
		if len(applied) == 0 {
			return nil, nil
		}
		return r.downPlan(applied, last-1)
	})
}

// DownTo rolls back, newest first, every applied migration numbered above
// version; DownTo(ctx, 0) rolls back all of them.
func (r *Runner) DownTo(ctx context.Context, version int64) ([]Result, error) {
	return r.run(ctx, func(applied map[int64]record, _ int64) ([]step, error) {
		return r.downPlan(applied, version)
	})
}

// Redo rolls back the applied migration with the highest version and applies
// it again, under one lock.
func (r *Runner) Redo(ctx context.Context) ([]Result, error) {
	return r.run(ctx, func(applied map[int64]record, last int64) ([]step, error) {
		if len(applied) == 0 {
			return nil, nil
		}
		plan, err := r.downPlan(applied, last-1)
		if err != nil {
			return nil, err
		}
		return append(plan, step{plan[0].m, Up}), nil
	})
}

// downPlan rolls back every applied version above target, refusing up front
// when one of them has no source or no down step.
func (r *Runner) downPlan(applied map[int64]record, target int64) ([]step, error) {
	var plan []step
	for i := len(r.migs) - 1; i >= 0; i-- { // newest first
		if m := r.migs[i]; m.version > target {
			if _, ok := applied[m.version]; ok {
				plan = append(plan, step{m, Down})
			}
		}
	}
	for v, rec := range applied {
		if v > target && r.byVer[v] == nil {
			return nil, fmt.Errorf("%w: cannot roll back %s: it is not among the migrations; nothing was rolled back",
				ErrMissing, label(v, rec.name))
		}
	}
	for _, s := range plan {
		if s.m.down == nil {
			return nil, fmt.Errorf("%w: %s has no down step; nothing was rolled back", ErrIrreversible, label(s.m.version, s.m.name))
		}
	}
	return plan, nil
}

// step is one migration in one direction.
type step struct {
	m   *migration
	dir Direction
}

// planner decides the steps of a command from the history (by version) and
// the highest applied version.
type planner func(applied map[int64]record, last int64) ([]step, error)

// run takes the lock, reads the history, plans and applies the steps.
func (r *Runner) run(ctx context.Context, plan planner) (results []Result, err error) {
	if r.dryRun {
		return r.dry(ctx, plan)
	}
	s, err := r.open(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := s.close(ctx); cerr != nil {
			r.log.WarnContext(ctx, "migrate: "+cerr.Error())
			err = errors.Join(err, cerr)
		}
	}()
	recs, err := r.hist.read(ctx, s.conn)
	if err != nil {
		return nil, err
	}
	applied := make(map[int64]record, len(recs))
	var last int64
	for _, rec := range recs {
		applied[rec.version] = rec
		last = max(last, rec.version)
	}
	if err := r.verify(ctx, recs); err != nil {
		return nil, err
	}
	steps, err := plan(applied, last)
	if err != nil {
		return nil, err
	}
	for _, st := range steps {
		res, err := r.apply(ctx, s, st)
		if err != nil {
			return results, &PartialError{Applied: results, Failed: &res, Err: err}
		}
		results = append(results, res)
		if r.progress != nil {
			r.progress(res)
		}
	}
	return results, nil
}

// dry plans as run does, without the lock, and returns the steps with
// their statements, running none.
func (r *Runner) dry(ctx context.Context, plan planner) ([]Result, error) {
	recs, err := r.peek(ctx)
	if err != nil {
		return nil, err
	}
	applied := make(map[int64]record, len(recs))
	var last int64
	for _, rec := range recs {
		applied[rec.version] = rec
		last = max(last, rec.version)
	}
	if err := r.verify(ctx, recs); err != nil {
		return nil, err
	}
	steps, err := plan(applied, last)
	if err != nil {
		return nil, err
	}
	out := make([]Result, 0, len(steps))
	for _, st := range steps {
		res := st.m.result(st.dir)
		if sc := st.m.script(st.dir); sc.fn == nil {
			res.Statements = make([]string, len(sc.stmts))
			for i, stmt := range sc.stmts {
				res.Statements[i] = stmt.sql
			}
		}
		out = append(out, res)
	}
	return out, nil
}

// open pins a connection, takes the lock on it and makes sure the history
// table exists (only under the lock: concurrent CREATE TABLE IF NOT EXISTS
// can fail on PostgreSQL).
func (r *Runner) open(ctx context.Context) (*session, error) {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("kinglet: migrate: connect: %w", err)
	}
	l, err := r.eng.lock(ctx, r, conn)
	if err != nil {
		return nil, err
	}
	s := &session{conn: conn, lease: l}
	if _, err := conn.ExecContext(ctx, r.hist.create); err != nil {
		err = fmt.Errorf("kinglet: migrate: create the history table %s: %w", r.table, err)
		return nil, errors.Join(err, s.close(ctx))
	}
	return s, nil
}

// verify refuses to go on when an applied SQL migration was edited, unless
// allowed; missing migrations are only logged.
func (r *Runner) verify(ctx context.Context, recs []record) error {
	var changed, missing []string
	for _, rec := range recs {
		m := r.byVer[rec.version]
		switch {
		case m == nil:
			missing = append(missing, label(rec.version, rec.name))
		case m.kind == SQL && m.checksum != rec.checksum:
			changed = append(changed, m.up.path)
		}
	}
	if len(missing) > 0 {
		r.log.WarnContext(ctx, "migrate: applied migrations are not among the sources", "migrations", missing)
	}
	if len(changed) == 0 {
		return nil
	}
	if r.checksumMismatch {
		r.log.WarnContext(ctx, "migrate: applied migrations were changed since", "files", changed)
		return nil
	}
	return fmt.Errorf("%w since it was applied: %s; restore the file and add a new migration instead, or allow with AllowChecksumMismatch",
		ErrChecksumMismatch, strings.Join(changed, ", "))
}

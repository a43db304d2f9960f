package migrate

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// Status reports every migration, known or recorded, in version order:
// applied (Changed when its file was edited since), pending, out of order
// (pending, but numbered below an applied one) or missing (recorded, but not
// among the sources). It only reads, takes no lock and creates nothing.
func (r *Runner) Status(ctx context.Context) ([]MigrationStatus, error) {
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
	out := make([]MigrationStatus, 0, len(r.migs)+len(recs))
	for _, m := range r.migs {
		st := MigrationStatus{Version: m.version, Name: m.name, Kind: m.kind, Reversible: m.down != nil}
		if m.kind == SQL {
			st.Path = m.up.path
		}
		rec, ok := applied[m.version]
		switch {
		case ok:
			st.State, st.AppliedAt, st.Duration = Applied, rec.appliedAt, rec.duration
			st.Changed = m.kind == SQL && rec.checksum != m.checksum
		case m.version < last:
			st.State = OutOfOrder
		default:
			st.State = Pending
		}
		out = append(out, st)
	}
	for _, rec := range recs {
		if r.byVer[rec.version] == nil {
			out = append(out, MigrationStatus{Version: rec.version, Name: rec.name, State: Missing,
				AppliedAt: rec.appliedAt, Duration: rec.duration})
		}
	}
	slices.SortFunc(out, func(a, b MigrationStatus) int { return cmp.Compare(a.Version, b.Version) })
	return out, nil
}

// peek reads the history without the lock, and without creating the
// history table: none is no history.
func (r *Runner) peek(ctx context.Context) ([]record, error) {
	exists, err := r.eng.tableExists(ctx, r.db, r.table)
	if err != nil {
		return nil, fmt.Errorf("kinglet: migrate: look for the history table %s: %w", r.table, err)
	}
	if !exists {
		return nil, nil
	}
	return r.hist.read(ctx, r.db)
}

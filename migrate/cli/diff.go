package cli

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/diff"
	"github.com/kingletdb/kinglet/migrate/lint"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// runDiff writes the migration from the database to the App's models.
func runDiff(ctx context.Context, r *appRun, args []string) error {
	if len(r.app.Models) == 0 {
		return fmt.Errorf("kinglet: diff needs the models: run it from a program of your own whose cli.App lists them in Models (see %s diff --help)", r.prog)
	}
	if r.flags.sqlKind && r.flags.goKind {
		return usagef("diff: --sql and --go exclude each other")
	}
	if !hasSlug(args[0]) {
		return usagef("diff: NAME %q has no letters or digits", args[0])
	}
	db, d, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if r.hasSources() {
		if err := r.checkApplied(ctx, db, d); err != nil {
			return err
		}
	}

	current, err := schema.Inspect(ctx, db, d)
	if err != nil {
		return err
	}
	desired, err := schema.FromModels(d, r.app.Models...)
	if err != nil {
		return err
	}
	ignore := r.historyTables()
	up, err := diff.Schemas(d, current, desired, diff.Options{Destructive: r.flags.destructive, Ignore: ignore})
	if err != nil {
		return err
	}
	if len(up) == 0 {
		fmt.Fprintln(r.stdout, "no changes: the database matches the models")
		return nil
	}
	upSQL, err := ddl.Statements(d, current, up...)
	if err != nil {
		return err
	}
	after := afterDiff(current, desired, r.flags.destructive)
	down, err := diff.Schemas(d, after, current, diff.Options{Destructive: true, Ignore: ignore})
	if err != nil {
		return err
	}
	downSQL, err := ddl.Statements(d, after, down...)
	if err != nil {
		return err
	}

	dir := r.dir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kinglet: diff: create the migrations directory: %w", err)
	}
	kind, write := migrate.SQL, migrate.WriteSQL
	if r.flags.goKind {
		kind, write = migrate.Go, migrate.WriteGo
	}
	for _, op := range up {
		line := "  " + op.String()
		if op.Destructive() {
			line += " (destructive)"
		}
		fmt.Fprintln(r.stdout, line)
	}
	warnings, err := lint.Ops(d, current, up)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		printWarning(r.stdout, "lint", w)
	}
	paths, err := write(dir, args[0], upSQL, downSQL)
	if err != nil {
		return err
	}
	r.printWritten(paths, kind)
	return nil
}

// checkApplied refuses to diff while migrations are pending: the new
// migration would repeat them.
func (r *appRun) checkApplied(ctx context.Context, db *sql.DB, d dialect.Dialect) error {
	opts, err := r.options()
	if err != nil {
		return err
	}
	run, err := migrate.New(db, d, opts...)
	if err != nil {
		return err
	}
	st, err := run.Status(ctx)
	if err != nil {
		return err
	}
	var waiting []string
	for _, s := range st {
		if s.State == migrate.Pending || s.State == migrate.OutOfOrder {
			waiting = append(waiting, label(s.Version, s.Name))
		}
	}
	if len(waiting) > 0 {
		return fmt.Errorf("kinglet: diff: %d migration%s not applied (%s): apply %s first (%s migrate up), so that the new migration does not repeat %s",
			len(waiting), plural(len(waiting)), strings.Join(waiting, ", "), pronoun(len(waiting)), r.prog, pronoun(len(waiting)))
	}
	return nil
}

// hasSources reports whether there is any migration: a Go one, or a .sql
// file in the directory (the runner refuses one named otherwise).
func (r *appRun) hasSources() bool {
	if len(r.app.Migrations) > 0 {
		return true
	}
	fsys, dir := r.app.FS, r.dir()
	if fsys == nil {
		if !dirExists(dir) {
			return false
		}
		fsys, dir = os.DirFS(dir), "."
	}
	m, _ := fs.Glob(fsys, path.Join(filepath.ToSlash(dir), "*.sql"))
	return len(m) > 0
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// afterDiff is the schema a diff from current to desired leaves: desired's
// tables, and without destructive also the tables and columns of current
// that desired lacks (diff.Schemas leaves them alone). Columns keep the order the
// engine gives them: the surviving ones where they were, added ones last.
func afterDiff(current, desired *schema.Schema, destructive bool) *schema.Schema {
	out := &schema.Schema{}
	for _, dt := range desired.Tables {
		ct := current.Table(dt.Name)
		if ct == nil {
			out.Tables = append(out.Tables, dt.Clone())
			continue
		}
		t := dt.Clone()
		t.Columns = t.Columns[:0]
		for _, c := range ct.Columns {
			if dc := dt.Column(c.Name); dc != nil {
				t.Columns = append(t.Columns, *dc)
			} else if !destructive {
				t.Columns = append(t.Columns, c)
			}
		}
		for _, c := range dt.Columns {
			if ct.Column(c.Name) == nil {
				t.Columns = append(t.Columns, c)
			}
		}
		out.Tables = append(out.Tables, t)
	}
	for _, ct := range current.Tables {
		if desired.Table(ct.Name) == nil && !destructive {
			out.Tables = append(out.Tables, ct.Clone())
		}
	}
	slices.SortFunc(out.Tables, func(a, b *schema.Table) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// hasSlug reports whether name has a letter or digit that migrate.Create
// and WriteSQL keep in the file name (a-z, 0-9 after lower-casing): without
// one they refuse it.
func hasSlug(name string) bool {
	return strings.IndexFunc(strings.ToLower(name), func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
	}) >= 0
}

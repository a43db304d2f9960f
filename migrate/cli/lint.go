package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
	"github.com/kingletdb/kinglet/migrate/lint"
)

// lintTarget is one migration's up step to lint.
type lintTarget struct {
	label, path string
	stmts       []string
	goKind      bool
}

// runLint lints the pending migrations (or, with --all or without a
// database, every one) for the engine of the database or --engine.
func runLint(ctx context.Context, r *appRun, _ []string) error {
	if !r.hasSources() {
		if dir := r.dir(); r.app.FS == nil && !dirExists(dir) {
			return fmt.Errorf("kinglet: migrate lint: migrations directory %s does not exist (give --dir)", dir)
		}
		r.noMigrations()
		return nil
	}
	var targets []lintTarget
	var d dialect.Dialect
	switch {
	case r.dbURL() != "" && r.flags.engine == "":
		db, dd, err := r.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		d = dd
		if r.flags.all {
			if targets, err = r.lintFiles(d); err != nil {
				return err
			}
			break
		}
		opts, err := r.options()
		if err != nil {
			return err
		}
		run, err := migrate.New(db, d, append(opts, migrate.DryRun())...)
		if err != nil {
			return err
		}
		pending, err := run.Up(ctx)
		if err != nil {
			return err
		}
		for _, res := range pending {
			targets = append(targets, lintTarget{label: label(res.Version, res.Name), path: res.Path, stmts: res.Statements, goKind: res.Kind == migrate.Go})
		}
	default:
		dd, ok, err := r.engine()
		if err != nil {
			return err
		}
		if !ok {
			return usagef("migrate lint needs the engine: give --engine (sqlite, postgres, mysql, mariadb) or a database with --dsn")
		}
		d = dd
		if targets, err = r.lintFiles(d); err != nil {
			return err
		}
	}
	return r.printLint(r.stdout, d, targets)
}

// upFile is an up file's name: NNNN_name.up.sql.
var upFile = regexp.MustCompile(`^([0-9]+)_(.+)\.up\.sql$`)

// lintFiles reads every migration's up file, and the Go migrations.
func (r *appRun) lintFiles(d dialect.Dialect) ([]lintTarget, error) {
	fsys, dir, shown := r.app.FS, r.dir(), r.dir()
	if fsys == nil {
		fsys, dir = os.DirFS(dir), "."
	}
	entries, err := fs.ReadDir(fsys, filepath.ToSlash(dir))
	if err != nil && len(r.app.Migrations) == 0 {
		return nil, fmt.Errorf("kinglet: migrate lint: %w", err)
	}
	type numbered struct {
		v int64
		t lintTarget
	}
	var all []numbered
	for _, e := range entries {
		m := upFile.FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			continue
		}
		v, _ := strconv.ParseInt(m[1], 10, 64)
		data, err := fs.ReadFile(fsys, path.Join(filepath.ToSlash(dir), e.Name()))
		if err != nil {
			return nil, fmt.Errorf("kinglet: migrate lint: %w", err)
		}
		p := filepath.Join(shown, e.Name())
		stmts, err := migrate.Split(d, string(data))
		if err != nil {
			return nil, fmt.Errorf("kinglet: migrate lint: %s: %w", p, err)
		}
		all = append(all, numbered{v, lintTarget{label: label(v, m[2]), path: p, stmts: stmts}})
	}
	for _, g := range r.app.Migrations {
		all = append(all, numbered{g.Version, lintTarget{label: label(g.Version, g.Name), goKind: true}})
	}
	slices.SortFunc(all, func(a, b numbered) int { return cmp.Compare(a.v, b.v) })
	out := make([]lintTarget, len(all))
	for i, n := range all {
		out[i] = n.t
	}
	return out, nil
}

// printLint prints the warnings of each target, and a summary; with
// --strict, warnings are an error.
func (r *appRun) printLint(w io.Writer, d dialect.Dialect, targets []lintTarget) error {
	if len(targets) == 0 {
		fmt.Fprintln(w, "nothing to lint: no pending migration")
		return nil
	}
	warned, linted := 0, 0
	migrations := 0
	for _, t := range targets {
		if t.goKind {
			fmt.Fprintf(w, "%s: a Go migration, not linted: its statements are known only when it runs\n", t.label)
			continue
		}
		linted++
		ws := lint.Statements(d, t.stmts)
		if len(ws) > 0 {
			migrations++
		}
		for _, wn := range ws {
			warned++
			printWarning(w, t.path+": statement "+strconv.Itoa(wn.Index), wn)
		}
	}
	if warned == 0 {
		fmt.Fprintf(w, "no warnings in %s (%s)\n", pluralize(linted, "migration"), d.Name())
		return nil
	}
	fmt.Fprintf(w, "%s in %s of %s (%s)\n", pluralize(warned, "warning"), pluralize(migrations, "migration"), strconv.Itoa(linted), d.Name())
	if r.flags.strict {
		return fmt.Errorf("kinglet: migrate lint: %s (--strict)", pluralize(warned, "warning"))
	}
	return nil
}

// printWarning prints one warning: where, the statement, what happens on
// the engine and the safer way.
func printWarning(w io.Writer, where string, wn lint.Warning) {
	fmt.Fprintf(w, "%s: %s\n", where, clipLine(wn.Statement))
	fmt.Fprintf(w, "  warning (%s, %s): %s\n", wn.Engine, wn.Kind, wn.Message)
	fmt.Fprintf(w, "  safer: %s\n", wn.Suggestion)
}

// clipLine keeps a statement on one line of reasonable length.
func clipLine(s string) string { return sqltext.Clip(s, 120) }

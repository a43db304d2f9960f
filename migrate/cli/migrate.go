package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kingletdb/kinglet/internal/dsn"
	"github.com/kingletdb/kinglet/migrate"
)

// migrateCmd is one of the runner's commands as migrate up, down and redo
// run it.
type migrateCmd struct {
	run          func(*migrate.Runner, context.Context) ([]migrate.Result, error)
	did, nothing string // "applied", "nothing to apply: …"
}

var (
	migrateUp   = migrateCmd{(*migrate.Runner).Up, "applied", "nothing to apply: the database is up to date"}
	migrateDown = migrateCmd{(*migrate.Runner).Down, "rolled back", "nothing to roll back: no migration is applied"}
	migrateRedo = migrateCmd{(*migrate.Runner).Redo, "redone", "nothing to redo: no migration is applied"}
)

// without reports whether there are no migrations to run, and says so:
// nil for an empty directory, an error for one that does not exist
// (unless the command only reads, as status). A missing database URL is a
// usage error first.
func (r *appRun) without(readOnly bool) (bool, error) {
	url := r.dbURL()
	if url == "" {
		return true, usagef("no database: give --dsn URL or set DATABASE_URL")
	}
	if _, _, _, err := dsn.Parse(url); err != nil {
		return true, fmt.Errorf("kinglet: open the database: %w", err)
	}
	if r.hasSources() {
		return false, nil
	}
	if dir := r.dir(); !readOnly && r.app.FS == nil && !dirExists(dir) {
		return true, fmt.Errorf("kinglet: migrations directory %s does not exist (give --dir, or create the first migration with: %s migrate create NAME)", dir, r.prog)
	}
	r.noMigrations()
	return true, nil
}

// noMigrations says that there are none, where, and how to make one.
func (r *appRun) noMigrations() {
	dir := r.dir()
	if r.app.FS == nil && !dirExists(dir) {
		fmt.Fprintf(r.stdout, "no migrations: directory %s does not exist (create the first with: %s migrate create NAME)\n", dir, r.prog)
		return
	}
	fmt.Fprintf(r.stdout, "no migrations in %s (create the first with: %s migrate create NAME)\n", dir, r.prog)
}

// migrate runs one Runner command, printing each migration as it is done
// and a summary; with --dry-run it prints what it would run.
func (r *appRun) migrate(ctx context.Context, c migrateCmd) error {
	if none, err := r.without(false); none {
		return err
	}
	run, db, err := r.runner(ctx, r.runOptions()...)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	results, err := c.run(run, ctx)
	if err != nil {
		return err
	}
	r.summary(ctx, run, results, c.did, c.nothing, time.Since(start))
	return nil
}

// runOptions print each result as it is done, or plan only (--dry-run).
func (r *appRun) runOptions() []migrate.Option {
	if r.flags.dryRun {
		return []migrate.Option{migrate.DryRun()}
	}
	r.progress = true
	return []migrate.Option{migrate.WithProgress(func(res migrate.Result) { printResult(r.stdout, res) })}
}

// summary ends a run: what it did, how long it took and where the
// database stands; for a dry run, the SQL of each migration.
func (r *appRun) summary(ctx context.Context, run *migrate.Runner, results []migrate.Result, did, nothing string, took time.Duration) {
	if len(results) == 0 {
		fmt.Fprintln(r.stdout, nothing)
		return
	}
	n := len(results)
	if did == "redone" {
		n /= 2
	}
	if r.flags.dryRun {
		for _, res := range results {
			printDry(r.stdout, res)
		}
		fmt.Fprintf(r.stdout, "dry run: %s would be %s; nothing was changed\n", pluralize(n, "migration"), did)
		return
	}
	line := fmt.Sprintf("%s %s in %s", did, pluralize(n, "migration"), roundDuration(took))
	if st, err := run.Status(ctx); err == nil {
		var last int64
		for _, s := range st {
			if s.State == migrate.Applied || s.State == migrate.Missing {
				last = max(last, s.Version)
			}
		}
		if last > 0 {
			line += "; the database is at version " + strconv.FormatInt(last, 10)
		} else {
			line += "; no migration is applied"
		}
	}
	fmt.Fprintln(r.stdout, line)
}

// printDry prints the SQL a dry run would run for one migration.
func printDry(w io.Writer, res migrate.Result) {
	where := res.Kind.String()
	if res.Path != "" {
		where += ", " + res.Path
	}
	fmt.Fprintf(w, "-- %s %s (%s)\n", res.Direction, label(res.Version, res.Name), where)
	if res.Kind == migrate.Go {
		fmt.Fprintf(w, "-- a Go function: its statements are known only when it runs\n\n")
		return
	}
	if len(res.Statements) == 0 {
		fmt.Fprintf(w, "-- no statements\n\n")
		return
	}
	for _, stmt := range res.Statements {
		stmt = strings.TrimSpace(stmt)
		if !strings.HasSuffix(stmt, ";") {
			stmt += ";"
		}
		fmt.Fprintf(w, "%s\n", stmt)
	}
	fmt.Fprintln(w)
}

func roundDuration(d time.Duration) string {
	if d < time.Millisecond {
		return "<1ms"
	}
	return d.Round(time.Millisecond).String()
}

func runTo(ctx context.Context, r *appRun, args []string) error {
	target, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || target < 0 {
		return usagef("migrate to: VERSION must be a migration number (0 or more), not %q", args[0])
	}
	if none, err := r.without(false); none {
		return err
	}
	run, db, err := r.runner(ctx, r.runOptions()...)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := run.Status(ctx)
	if err != nil {
		return err
	}
	var last int64
	for _, s := range st {
		if s.State == migrate.Applied || s.State == migrate.Missing {
			last = max(last, s.Version)
		}
	}
	start := time.Now()
	if last > target {
		results, err := run.DownTo(ctx, target)
		if err != nil {
			return err
		}
		r.summary(ctx, run, results, "rolled back", "", time.Since(start))
		return nil
	}
	results, err := run.UpTo(ctx, target)
	if err != nil {
		return err
	}
	r.summary(ctx, run, results, "applied", fmt.Sprintf("nothing to apply: every migration up to %d is applied", target), time.Since(start))
	return nil
}

func runStatus(ctx context.Context, r *appRun, _ []string) error {
	if none, err := r.without(true); none {
		return err
	}
	run, db, err := r.runner(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := run.Status(ctx)
	if err != nil {
		return err
	}
	printStatus(r.stdout, st)
	return nil
}

func runCreate(ctx context.Context, r *appRun, args []string) error {
	dir := r.dir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kinglet: create the migrations directory: %w", err)
	}
	kind := migrate.SQL
	if r.flags.goKind {
		kind = migrate.Go
	}
	paths, err := migrate.Create(dir, args[0], kind)
	if err != nil {
		return err
	}
	r.printWritten(paths, kind)
	return nil
}

// printWritten lists new migration files and what to do next.
func (r *appRun) printWritten(paths []string, kind migrate.Kind) {
	for _, p := range paths {
		fmt.Fprintf(r.stdout, "created %s\n", p)
	}
	switch {
	case kind == migrate.Go:
		fmt.Fprintf(r.stdout, "register %s in cli.App's Migrations (or with migrate.WithGo), then rebuild\n", goVar(paths[0]))
	case r.app.FS != nil:
		fmt.Fprintln(r.stdout, "rebuild the program to embed the new files")
	}
}

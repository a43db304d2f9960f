package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/gen"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// appCommand is one command of App.
type appCommand struct {
	name             string // "migrate up"
	args             string // the arguments in the usage line: "NAME"
	minArgs, maxArgs int
	summary          string
	help             string // what it does, in more words, and examples
	flags            func(fs *flag.FlagSet, f *appFlags)
	run              func(ctx context.Context, r *appRun, args []string) error
}

// appCommands are App's commands in the order the usage lists them.
var appCommands []*appCommand

func init() {
	appCommands = []*appCommand{
		{
			name: "migrate up", summary: "apply every pending migration",
			help: `Applies the pending migrations in version order, each in its own
transaction, under a lock. A failure stops the run: the migrations before it
stay applied, and the failed statement is printed.`,
			run: func(ctx context.Context, r *appRun, _ []string) error {
				return r.migrate(ctx, "applied", "nothing to apply: the database is up to date", (*migrate.Runner).Up)
			},
		},
		{
			name: "migrate down", summary: "roll back the latest applied migration",
			run: func(ctx context.Context, r *appRun, _ []string) error {
				return r.migrate(ctx, "rolled back", "nothing to roll back: no migration is applied", (*migrate.Runner).Down)
			},
		},
		{
			name: "migrate redo", summary: "roll back the latest applied migration and apply it again",
			run: func(ctx context.Context, r *appRun, _ []string) error {
				return r.migrate(ctx, "redone", "nothing to redo: no migration is applied", (*migrate.Runner).Redo)
			},
		},
		{
			name: "migrate to", args: "VERSION", minArgs: 1, maxArgs: 1,
			summary: "apply or roll back until VERSION is the latest applied",
			help: `Applies the pending migrations up to and including VERSION or, when a
migration above VERSION is applied, rolls back every migration above it.
"to 0" rolls back everything.`,
			run: runTo,
		},
		{
			name: "migrate status", summary: "list the migrations: applied, pending, out of order, missing",
			help: `Lists every migration known to the program or recorded in the database
with its state and when it was applied. It only reads: no lock is taken and
nothing is created.`,
			run: runStatus,
		},
		{
			name: "migrate create", args: "NAME", minArgs: 1, maxArgs: 1,
			summary: "write the files of a new migration",
			help: `Writes NNNN_name.up.sql and NNNN_name.down.sql (or, with --go,
NNNN_name.go declaring a Migration) numbered after the last migration in the
directory. It needs no database. A Go migration only runs in a program that
lists it in cli.App's Migrations (or registers it with migrate.WithGo).`,
			flags: func(fs *flag.FlagSet, f *appFlags) {
				fs.BoolVar(&f.goKind, "go", false, "write a Go migration instead of SQL files")
			},
			run: runCreate,
		},
		{
			name: "inspect", summary: "print the database's schema: tables, columns, indexes, keys, checks",
			flags: func(fs *flag.FlagSet, f *appFlags) {
				fs.BoolVar(&f.json, "json", false, "print JSON instead of text")
			},
			run: runInspect,
		},
		{
			name: "gen models", summary: "write Go model structs for the database's tables",
			help: `Reads the schema of the database and writes one model struct per table
(the history table aside), with db tags that describe the same schema.`,
			flags: func(fs *flag.FlagSet, f *appFlags) {
				fs.StringVar(&f.pkg, "package", "models", "the Go `package` of the source")
				fs.StringVar(&f.out, "out", "", "write the source to `FILE` instead of stdout")
			},
			run: runGenModels,
		},
		{
			name: "diff", args: "NAME", minArgs: 1, maxArgs: 1,
			summary: "write a migration that turns the database into the program's models",
			help: `Compares the database with the models of the program (cli.App's
Models) and writes the next migration: its up file holds the statements that
change the database into the models, its down file those that change it
back. Indexes and constraints the models lack are dropped; tables and
columns they lack only with --destructive. The down file drops what the up
file adds.
Prints "no changes" and writes nothing when they agree. Pending migrations
must be applied first. Only a program that fills cli.App's Models can run
it; the generic kinglet command cannot.`,
			flags: func(fs *flag.FlagSet, f *appFlags) {
				fs.BoolVar(&f.destructive, "destructive", false, "also drop the tables and columns the models lack")
				fs.BoolVar(&f.sqlKind, "sql", false, "write NNNN_name.up.sql and .down.sql (the default)")
				fs.BoolVar(&f.goKind, "go", false, "write NNNN_name.go, a Go migration running the statements")
			},
			run: runDiff,
		},
	}
}

// findCommand finds the command named by the first one or two words of
// args and returns how many words it took.
func findCommand(args []string) (*appCommand, int, error) {
	group := false
	for _, c := range appCommands {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, len(words), nil
		}
		group = group || (len(words) > 1 && words[0] == args[0])
	}
	if group {
		if len(args) == 1 {
			return nil, 0, usagef("%s needs a command", args[0])
		}
		return nil, 0, usagef("unknown command %q", args[0]+" "+args[1])
	}
	return nil, 0, usagef("unknown command %q", args[0])
}

// migrate runs one Runner command and prints its results.
func (r *appRun) migrate(ctx context.Context, did, nothing string, cmd func(*migrate.Runner, context.Context) ([]migrate.Result, error)) error {
	run, db, err := r.runner(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	results, err := cmd(run, ctx)
	if err != nil {
		return err
	}
	r.printResults(results, did, nothing)
	return nil
}

func (r *appRun) printResults(results []migrate.Result, did, nothing string) {
	if len(results) == 0 {
		fmt.Fprintln(r.stdout, nothing)
		return
	}
	for _, res := range results {
		printResult(r.stdout, res)
	}
	n := len(results)
	if did == "redone" {
		n /= 2
	}
	fmt.Fprintf(r.stdout, "%s %d migration%s\n", did, n, plural(n))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func runTo(ctx context.Context, r *appRun, args []string) error {
	target, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || target < 0 {
		return usagef("migrate to: VERSION must be a migration number (0 or more), not %q", args[0])
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
	var last int64
	for _, s := range st {
		if s.State == migrate.Applied || s.State == migrate.Missing {
			last = max(last, s.Version)
		}
	}
	if last > target {
		results, err := run.DownTo(ctx, target)
		if err != nil {
			return err
		}
		r.printResults(results, "rolled back", "")
		return nil
	}
	results, err := run.UpTo(ctx, target)
	if err != nil {
		return err
	}
	r.printResults(results, "applied", fmt.Sprintf("nothing to apply: every migration up to %d is applied", target))
	return nil
}

func runStatus(ctx context.Context, r *appRun, _ []string) error {
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

func runInspect(ctx context.Context, r *appRun, _ []string) error {
	db, d, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := schema.Inspect(ctx, db, d)
	if err != nil {
		return err
	}
	if r.flags.json {
		return printSchemaJSON(r.stdout, s)
	}
	printSchema(r.stdout, s, d)
	return nil
}

func runGenModels(ctx context.Context, r *appRun, _ []string) error {
	db, d, err := r.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := schema.Inspect(ctx, db, d)
	if err != nil {
		return err
	}
	s = r.withoutHistory(s)
	src, err := gen.Models(s, d, r.flags.pkg)
	if err != nil {
		return err
	}
	if r.flags.out == "" {
		_, err = r.stdout.Write(src)
		return err
	}
	if dir := filepath.Dir(r.flags.out); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("kinglet: gen models: %w", err)
		}
	}
	if err := os.WriteFile(r.flags.out, src, 0o644); err != nil {
		return fmt.Errorf("kinglet: gen models: %w", err)
	}
	fmt.Fprintf(r.stdout, "wrote %s: %d model%s\n", r.flags.out, len(s.Tables), plural(len(s.Tables)))
	return nil
}

// historyTables are the tables the runner keeps: the history and, on
// SQLite, its lock.
func (r *appRun) historyTables() []string {
	t := r.table()
	if t == "" {
		t = migrate.DefaultTable
	}
	return []string{t, t + "_lock"}
}

// withoutHistory is s without the runner's own tables.
func (r *appRun) withoutHistory(s *schema.Schema) *schema.Schema {
	out := &schema.Schema{}
	skip := r.historyTables()
	for _, t := range s.Tables {
		if t.Name != skip[0] && t.Name != skip[1] {
			out.Tables = append(out.Tables, t)
		}
	}
	return out
}

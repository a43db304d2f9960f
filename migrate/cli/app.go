package cli

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/dsn"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// App is a migration command line in a program of your own: the kinglet
// command's commands over your embedded SQL files and Go migrations, plus
// diff, which compares the database with your models. Fill it in a small
// main and call Main:
//
//	//go:embed migrations/*.sql
//	var files embed.FS
//
//	func main() {
//		cli.App{
//			Models:     []any{&models.User{}, &models.Tweet{}},
//			Migrations: []migrate.Migration{migrations.Migration0003Backfill},
//			FS:         files,
//			Dir:        "migrations",
//		}.Main()
//	}
//
// then run it: go run ./cmd/migrate migrate up --dsn sqlite:app.db. Its
// --help lists the commands.
type App struct {
	// Models are the model structs (pointers to them) that diff compares
	// the database with; without them diff is refused.
	Models []any
	// Migrations are the migrations written in Go (see WithGo).
	Migrations []migrate.Migration
	// FS holds the SQL migrations in directory Dir (an embed.FS). Without
	// it the SQL files are read from Dir on disk.
	FS fs.FS
	// Dir is the migrations directory: in FS, and on disk where create and
	// diff write new migrations. The --dir flag overrides it; the default
	// is "migrations".
	Dir string
	// Table is the history table (default kinglet_migrations); the --table
	// flag overrides it.
	Table string
	// Stdout and Stderr receive the output and the errors; nil means
	// os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer
}

// Main runs the command line in os.Args and exits with its status: 0 on
// success, 1 when the command failed, 2 for a usage error. An interrupt
// (Ctrl-C) cancels the command; the runner still releases its lock.
func (a App) Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := a.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// Run runs one command line, args without the program name (os.Args[1:]),
// and returns the exit status: 0 on success, 1 when the command failed (the
// error is on Stderr), 2 for a usage error (unknown command or flag,
// missing argument or database URL: the usage is on Stderr). --help prints
// the usage on Stdout and returns 0.
func (a App) Run(ctx context.Context, args []string) int {
	r := &appRun{app: a, stdout: a.Stdout, stderr: a.Stderr, prog: filepath.Base(os.Args[0])}
	if r.stdout == nil {
		r.stdout = os.Stdout
	}
	if r.stderr == nil {
		r.stderr = os.Stderr
	}
	if r.prog == "" || r.prog == "." {
		r.prog = "kinglet"
	}
	return r.main(ctx, args)
}

// appRun is one run of an App.
type appRun struct {
	app            App
	stdout, stderr io.Writer
	prog           string
	flags          appFlags
	cmd            *appCommand
	progress       bool // results are printed as each migration is done
}

// appFlags are the flags every command takes, before or after its name.
type appFlags struct {
	dsn, dir, table              string
	outOfOrder, checksumMismatch bool
	verbose                      bool

	// command flags
	goKind, sqlKind, json, destructive bool
	pkg, out                           string
	dryRun, all, strict                bool
	engine, format                     string
	tables, exclude, schemaName, types string
	views, models, nullCols            bool
}

func (f *appFlags) common(set *flag.FlagSet) {
	set.StringVar(&f.dsn, "dsn", f.dsn, "the database `URL`: sqlite:app.db, postgres://user@host/db, mysql://user:pw@host/db (default $DATABASE_URL)")
	set.StringVar(&f.dir, "dir", f.dir, "the migrations `directory` (default the program's, else migrations)")
	set.StringVar(&f.table, "table", f.table, "the history `table` (default kinglet_migrations)")
	set.BoolVar(&f.outOfOrder, "allow-out-of-order", f.outOfOrder, "apply pending migrations numbered below the latest applied one")
	set.BoolVar(&f.checksumMismatch, "allow-checksum-mismatch", f.checksumMismatch, "go on when an applied SQL file was edited since")
	set.BoolVar(&f.verbose, "v", f.verbose, "log each migration and lock wait on stderr")
}

// usageError is a command line that cannot run: exit status 2, with usage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

func (r *appRun) main(ctx context.Context, args []string) int {
	global := r.flagSet("")
	rest, err := r.parse(global, args, false)
	if err != nil {
		return r.fail(err)
	}
	if len(rest) == 0 {
		return r.fail(usagef("no command"))
	}
	if rest[0] == "help" {
		return r.help(rest[1:])
	}
	if g := findGroup(rest[0]); g != nil && len(rest) > 1 && isHelpFlag(rest[1]) {
		r.groupUsage(r.stdout, g)
		return 0
	}
	cmd, n, err := findCommand(rest)
	if err != nil {
		return r.fail(err)
	}
	r.cmd = cmd
	set := r.flagSet(cmd.name)
	if cmd.flags != nil {
		cmd.flags(set, &r.flags)
	}
	pos, err := r.parse(set, rest[n:], true)
	if err != nil {
		return r.fail(err)
	}
	if len(pos) < cmd.minArgs || len(pos) > cmd.maxArgs {
		switch {
		case cmd.maxArgs == 0:
			return r.fail(usagef("%s takes no arguments, got %q", cmd.name, strings.Join(pos, " ")))
		case len(pos) < cmd.minArgs:
			return r.fail(usagef("%s needs %s", cmd.name, cmd.args))
		default:
			return r.fail(usagef("%s takes only %s, got %q", cmd.name, strings.Trim(cmd.args, "[]"), strings.Join(pos, " ")))
		}
	}
	if err := cmd.run(ctx, r, pos); err != nil {
		return r.fail(err)
	}
	return 0
}

// isHelpFlag reports whether arg asks for help: -h, --help, -help.
func isHelpFlag(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "--h"
}

// flagSet is a FlagSet that reports errors to main instead of printing.
func (r *appRun) flagSet(name string) *flag.FlagSet {
	set := flag.NewFlagSet(name, flag.ContinueOnError)
	set.SetOutput(io.Discard)
	set.Usage = func() {}
	r.flags.common(set)
	return set
}

// parse parses flags; with interspersed, flags may follow the arguments
// (create NAME --go), and "--" ends the flags. Without it, parsing stops at
// the first argument, the command's name.
func (r *appRun) parse(set *flag.FlagSet, args []string, interspersed bool) ([]string, error) {
	var pos []string
	for {
		err := set.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		}
		if err != nil {
			return nil, usagef("%v", err)
		}
		rest := set.Args()
		if !interspersed {
			return rest, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// errHelp asks for the usage on stdout.
var errHelp = errors.New("help requested")

// fail prints err and returns the exit status for it.
func (r *appRun) fail(err error) int {
	var ue *usageError
	switch {
	case errors.Is(err, errHelp):
		r.usage(r.stdout)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(r.stderr, "%s: %s\n\n", r.prog, ue.msg)
		r.shortUsage(r.stderr)
		return 2
	}
	r.printError(err)
	return 1
}

// printError prints err in full: what a failed run applied (unless it
// was printed as it ran), and the whole statement that failed.
func (r *appRun) printError(err error) {
	w := r.stderr
	var pe *migrate.PartialError
	if errors.As(err, &pe) && !r.progress {
		for _, res := range pe.Applied {
			printResult(w, res)
		}
	}
	fmt.Fprintf(w, "error: %v\n", err)
	var se *migrate.StatementError
	if errors.As(err, &se) && sqltext.Clip(se.SQL, 200) != strings.Join(strings.Fields(se.SQL), " ") {
		fmt.Fprintf(w, "the statement (%s:%d):\n", se.Path, se.Line)
		for _, line := range strings.Split(strings.TrimRight(se.SQL, "\n"), "\n") {
			fmt.Fprintf(w, "    %s\n", line)
		}
	}
}

// usage prints the help of the command being run, or the tool's.
func (r *appRun) usage(w io.Writer) {
	if r.cmd != nil {
		r.commandUsage(w, r.cmd)
		return
	}
	r.toolUsage(w)
}

func (r *appRun) help(topic []string) int {
	if len(topic) == 0 {
		r.toolUsage(r.stdout)
		return 0
	}
	if g := findGroup(topic[0]); g != nil && len(topic) == 1 {
		r.groupUsage(r.stdout, g)
		return 0
	}
	cmd, n, err := findCommand(topic)
	if err != nil || n != len(topic) {
		return r.fail(usagef("no help for %q: unknown command", strings.Join(topic, " ")))
	}
	r.commandUsage(r.stdout, cmd)
	return 0
}

// dir is the migrations directory: --dir, App.Dir, or migrations.
func (r *appRun) dir() string {
	switch {
	case r.flags.dir != "":
		return r.flags.dir
	case r.app.Dir != "":
		return r.app.Dir
	}
	return "migrations"
}

// open connects to the database of --dsn or $DATABASE_URL.
func (r *appRun) open(ctx context.Context) (*sql.DB, dialect.Dialect, error) {
	url := r.dbURL()
	if url == "" {
		return nil, nil, usagef("no database: give --dsn URL or set DATABASE_URL")
	}
	db, d, err := dsn.Open(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("kinglet: open the database: %w", err)
	}
	return db, d, nil
}

// runner opens the database and a Runner over the App's migrations, with
// extra options.
func (r *appRun) runner(ctx context.Context, extra ...migrate.Option) (*migrate.Runner, *sql.DB, error) {
	db, d, err := r.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	opts, err := r.options()
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	run, err := migrate.New(db, d, append(opts, extra...)...)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return run, db, nil
}

// options are the Runner options of the App and the flags.
func (r *appRun) options() ([]migrate.Option, error) {
	var opts []migrate.Option
	dir := r.dir()
	switch {
	case r.app.FS != nil:
		opts = append(opts, migrate.WithFS(r.app.FS, dir))
	case dirExists(dir):
		opts = append(opts, migrate.WithDir(dir)) // files named with dir as given
	case len(r.app.Migrations) == 0:
		return nil, fmt.Errorf("kinglet: migrations directory %s does not exist (give --dir, or create the first migration with: %s migrate create NAME)", dir, r.prog)
	}
	if len(r.app.Migrations) > 0 {
		opts = append(opts, migrate.WithGo(r.app.Migrations...))
	}
	if t := r.table(); t != "" {
		opts = append(opts, migrate.WithTable(t))
	}
	if r.flags.outOfOrder {
		opts = append(opts, migrate.AllowOutOfOrder())
	}
	if r.flags.checksumMismatch {
		opts = append(opts, migrate.AllowChecksumMismatch())
	}
	level := slog.LevelWarn
	if r.flags.verbose {
		level = slog.LevelInfo
	}
	opts = append(opts, migrate.WithLogger(slog.New(slog.NewTextHandler(r.stderr, &slog.HandlerOptions{Level: level}))))
	return opts, nil
}

func (r *appRun) table() string {
	if r.flags.table != "" {
		return r.flags.table
	}
	return r.app.Table
}

func dirExists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}

// goVar is the variable a Go migration file written by Create or WriteGo
// declares: 0003_add_email.go -> Migration0003AddEmail.
func goVar(file string) string {
	num, slug, _ := strings.Cut(strings.TrimSuffix(path.Base(filepath.ToSlash(file)), ".go"), "_")
	return "Migration" + num + camel(slug)
}

// camel turns add_email into AddEmail, as migrate.WriteGo names its
// variable.
func camel(slug string) string {
	var b strings.Builder
	for _, p := range strings.Split(slug, "_") {
		if p != "" {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}

package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

// appCommand is one command of App.
type appCommand struct {
	name             string // "migrate up"
	args             string // the arguments in the usage line: "NAME"
	minArgs, maxArgs int
	summary          string
	help             string // what it does, in more words
	flags            func(fs *flag.FlagSet, f *appFlags)
	run              func(ctx context.Context, r *appRun, args []string) error
}

// appGroup is the first word of commands that have two: migrate, gen.
type appGroup struct {
	name, summary, help string
}

var appGroups = []*appGroup{
	{name: "migrate", summary: "apply, roll back, list, create and lint the migrations",
		help: `Migrations are numbered SQL files (NNNN_name.up.sql, NNNN_name.down.sql) in
the migrations directory and, in a program of your own, Go functions; each runs
in its own transaction, under a lock, and is recorded in the history table.`},
	{name: "gen", summary: "write Go source: model structs for a database, column handles for models",
		help: `gen models reads a database and writes model structs whose tags describe it;
gen cols reads a package's models and writes typed column handles for them.`},
}

func findGroup(name string) *appGroup {
	for _, g := range appGroups {
		if g.name == name {
			return g
		}
	}
	return nil
}

// dryRunFlag is the --dry-run of the commands that change the database.
func dryRunFlag(fs *flag.FlagSet, f *appFlags) {
	fs.BoolVar(&f.dryRun, "dry-run", false, "print the SQL of each migration it would run, and change nothing")
}

// filterFlags choose the tables inspect and gen models read.
func filterFlags(fs *flag.FlagSet, f *appFlags) {
	fs.StringVar(&f.tables, "tables", "", "only the tables matching these comma-separated `patterns` (users,order_*)")
	fs.StringVar(&f.exclude, "exclude", "", "leave out the tables matching these comma-separated `patterns`")
	fs.StringVar(&f.schemaName, "schema", "", "the PostgreSQL `schema` or MySQL database to read (default the connection's)")
	fs.BoolVar(&f.views, "views", false, "read views too")
}

// appCommands are App's commands in the order the usage lists them.
var appCommands []*appCommand

func init() {
	appCommands = []*appCommand{
		{
			name: "migrate up", summary: "apply every pending migration",
			help: `Applies the pending migrations in version order, each in its own
transaction, under a lock, printing one line per migration as it is done
with its duration, then a summary. A failure stops the run: the migrations
before it stay applied, and the failed statement is printed. With --dry-run
it prints the SQL of each pending migration and changes nothing.`,
			flags: dryRunFlag,
			run: func(ctx context.Context, r *appRun, _ []string) error {
				return r.migrate(ctx, migrateUp)
			},
		},
		{
			name: "migrate down", summary: "roll back the latest applied migration",
			help: `Rolls back the applied migration with the highest version with its down
step (NNNN_name.down.sql, or a Go migration's Down). A migration without one
cannot be rolled back. With --dry-run it prints the SQL and changes nothing.`,
			flags: dryRunFlag,
			run: func(ctx context.Context, r *appRun, _ []string) error {
				return r.migrate(ctx, migrateDown)
			},
		},
		{
			name: "migrate redo", summary: "roll back the latest applied migration and apply it again",
			help: `Rolls back the latest applied migration and applies it again, under one
lock: for the migration being written. With --dry-run it prints the SQL of
both steps and changes nothing.`,
			flags: dryRunFlag,
			run: func(ctx context.Context, r *appRun, _ []string) error {
				return r.migrate(ctx, migrateRedo)
			},
		},
		{
			name: "migrate to", args: "VERSION", minArgs: 1, maxArgs: 1,
			summary: "apply or roll back until VERSION is the latest applied",
			help: `Applies the pending migrations up to and including VERSION or, when a
migration above VERSION is applied, rolls back every migration above it.
"to 0" rolls back everything. With --dry-run it prints the SQL of each step
and changes nothing.`,
			flags: dryRunFlag,
			run:   runTo,
		},
		{
			name: "migrate status", summary: "list the migrations: applied, pending, out of order, missing",
			help: `Lists every migration known to the program or recorded in the database
with its state and when it was applied. It only reads: no lock is taken and
nothing is created. Without migrations it says so.`,
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
			name: "migrate lint", summary: "warn about migrations that lock or rewrite big tables or lose data",
			help: `Reads the SQL of the migrations' up files and warns, per statement, about
changes that lock or rewrite a big table or lose data: a NOT NULL column
added without a default, a column type change that rewrites the table, an
index built without CONCURRENTLY on PostgreSQL, a dropped column or table, a
SQLite table rebuild. Each warning names the engine and a safer sequence.
With a database (--dsn or $DATABASE_URL) it lints the pending migrations on
that engine; with --all, or without a database, every migration, on the
engine --engine names. Go migrations are not linted. It exits 0 unless
--strict is given and there are warnings.`,
			flags: func(fs *flag.FlagSet, f *appFlags) {
				fs.StringVar(&f.engine, "engine", "", "lint for this `engine` (sqlite, postgres, mysql, mariadb) without a database")
				fs.BoolVar(&f.all, "all", false, "lint every migration, applied ones too")
				fs.BoolVar(&f.strict, "strict", false, "exit with status 1 when there are warnings")
			},
			run: runLint,
		},
		{
			name: "inspect", summary: "print the database's schema: as text, JSON or an entity-relationship diagram",
			help: `Reads the database's schema and prints its tables, columns, indexes,
keys and checks (the history and lock tables aside): as text, as JSON, or as
an entity-relationship diagram in Mermaid (an erDiagram, which GitHub shows
in Markdown) or Graphviz DOT (render it with dot -Tsvg). With --models it
describes the program's models (cli.App's Models) instead, for the engine
of --dsn or --engine, without connecting.`,
			flags: func(fs *flag.FlagSet, f *appFlags) {
				fs.StringVar(&f.format, "format", "text", "the output `format`: text, json, mermaid or dot")
				fs.BoolVar(&f.json, "json", false, "print JSON (the same as --format json)")
				fs.BoolVar(&f.models, "models", false, "describe the program's models instead of the database")
				fs.StringVar(&f.engine, "engine", "", "with --models: the `engine` whose types to show (sqlite, postgres, mysql, mariadb)")
				filterFlags(fs, f)
			},
			run: runInspect,
		},
		{
			name: "gen models", summary: "write Go model structs for the database's tables",
			help: `Reads the schema of the database and writes one model struct per table
(the history and lock tables aside), with db tags that describe the same
schema: the diff of the models against the database is empty. Constraint
names are kept; foreign keys become relation fields (belongs_to, has_many,
many_to_many across join tables); a Models variable lists the models.`,
			flags: func(fs *flag.FlagSet, f *appFlags) {
				fs.StringVar(&f.pkg, "package", "models", "the Go `package` of the source")
				fs.StringVar(&f.out, "out", "", "write the source to `FILE` instead of stdout")
				filterFlags(fs, f)
			},
			run: runGenModels,
		},
		{
			name: "gen cols", args: "[DIR]", maxArgs: 1,
			summary: "write typed column handles and relation names for a package's models",
			help: `Reads the model structs of the Go package in DIR (default the current
directory) and writes, for each model User, Users (its columns as typed
handles: Users.Email.Eq("a@example.com") compiles only with a string) and
UserRel (its relation names: Load(UserRel.Tweets)). A nullable column's
handle is a Col of the field's type (Users.Email a Col[*string]); with
--nullcols an orm.NullCol, whose comparisons take the plain value. Put it in
a //go:generate line beside the models; it needs no database.`,
			flags: func(fs *flag.FlagSet, f *appFlags) {
				fs.StringVar(&f.types, "types", "", "only these comma-separated model `types` (default every struct with db or rel tags)")
				fs.BoolVar(&f.nullCols, "nullcols", false, "give nullable columns orm.NullCol handles, whose comparisons take the plain value")
				fs.StringVar(&f.out, "out", "", "the `FILE` to write (default DIR/kinglet_cols.go; - for stdout)")
			},
			run: runGenCols,
		},
		{
			name: "diff", args: "NAME", minArgs: 1, maxArgs: 1,
			summary: "write a migration that turns the database into the program's models",
			help: `Compares the database with the models of the program (cli.App's
Models) and writes the next migration: its up file holds the statements that
change the database into the models, its down file those that change it
back. Indexes and constraints the models lack are dropped; tables and
columns they lack only with --destructive. The down file drops what the up
file adds. The changes are linted as migrate lint does, and the warnings
printed.
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
	for _, c := range appCommands {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, len(words), nil
		}
	}
	if findGroup(args[0]) != nil {
		if len(args) == 1 {
			return nil, 0, usagef("%s needs a command", args[0])
		}
		return nil, 0, usagef("unknown command %q", args[0]+" "+args[1])
	}
	return nil, 0, usagef("unknown command %q", args[0])
}

// groupCommands are the commands of group g.
func groupCommands(g *appGroup) []*appCommand {
	var out []*appCommand
	for _, c := range appCommands {
		if strings.HasPrefix(c.name, g.name+" ") {
			out = append(out, c)
		}
	}
	return out
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func pluralize(n int, word string) string { return fmt.Sprintf("%d %s%s", n, word, plural(n)) }

package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kingletdb/kinglet/migrate"
)

// commonFlagsHelp describes the flags every command takes.
const commonFlagsHelp = `  --dsn URL                  the database: sqlite:app.db, sqlite::memory:,
                             postgres://user@host:5432/db?sslmode=disable,
                             mysql://user:password@host:3306/db (default $DATABASE_URL)
  --dir DIR                  the migrations directory (default %s)
  --table NAME               the history table (default %s)
  --allow-out-of-order       apply pending migrations numbered below the latest applied one
  --allow-checksum-mismatch  go on when an applied SQL file was edited since
  -v                         log each migration and lock wait on stderr
`

func (r *appRun) commonFlags(w io.Writer) {
	table := r.app.Table
	if table == "" {
		table = migrate.DefaultTable
	}
	fmt.Fprintf(w, commonFlagsHelp, r.defaultDir(), table)
}

func (r *appRun) defaultDir() string {
	if r.app.Dir != "" {
		return r.app.Dir
	}
	return "migrations"
}

// shortUsage is the usage after a usage error: the command line, the
// commands or the command's own flags, and where to read more.
func (r *appRun) shortUsage(w io.Writer) {
	if c := r.cmd; c != nil {
		fmt.Fprintf(w, "Usage: %s %s [flags]\n\n", r.prog, strings.TrimSpace(c.name+" "+c.args))
		r.commandFlags(w, c)
		fmt.Fprintf(w, "Run '%s %s --help' for every flag and examples.\n", r.prog, c.name)
		return
	}
	fmt.Fprintf(w, "Usage: %s [flags] COMMAND [arguments] [flags]\n\nCommands:\n\n", r.prog)
	r.commandList(w)
	fmt.Fprintf(w, "\nRun '%s --help' for the flags and examples.\n", r.prog)
}

func (r *appRun) commandList(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range appCommands {
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprintf(tw, "  help COMMAND\tthe help of a command (or COMMAND --help)\n")
	tw.Flush()
}

// groupUsage is the help of a group of commands: kinglet help migrate.
func (r *appRun) groupUsage(w io.Writer, g *appGroup) {
	fmt.Fprintf(w, "Usage: %s %s COMMAND [arguments] [flags]\n\n%s\n\nCommands:\n\n", r.prog, g.name, g.help)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range groupCommands(g) {
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun '%s help %s COMMAND' (or '%s %s COMMAND --help') for a command's flags and examples.\n", r.prog, g.name, r.prog, g.name)
}

// toolUsage is the help of the whole tool.
func (r *appRun) toolUsage(w io.Writer) {
	p := r.prog
	fmt.Fprintf(w, "%s manages the schema of a SQLite, PostgreSQL or MySQL/MariaDB database with\n", p)
	fmt.Fprintf(w, "numbered migrations: SQL files (NNNN_name.up.sql, NNNN_name.down.sql) and Go functions.\n\n")
	fmt.Fprintf(w, "Usage:\n\n  %s [flags] COMMAND [arguments] [flags]\n\nCommands:\n\n", p)
	r.commandList(w)
	fmt.Fprintf(w, "\nFlags of every command:\n\n")
	r.commonFlags(w)
	fmt.Fprintf(w, `
Examples:

  export DATABASE_URL=sqlite:app.db
  %[1]s migrate create "add users"      # writes migrations/0001_add_users.up.sql and .down.sql
  %[1]s migrate up                      # applies what is pending
  %[1]s migrate status
  %[1]s migrate up --dry-run            # prints the SQL, changes nothing
  %[1]s migrate lint                    # warns about locks, rewrites and data loss
  %[1]s migrate to 3 --dsn postgres://postgres@localhost:5432/app?sslmode=disable
  %[1]s inspect --format mermaid        # an entity-relationship diagram
  %[1]s gen models --package models --out models/models.go

Exit status: 0 on success, 1 when the command failed, 2 for a usage error.
`, p)
	if r.app.Models == nil && r.app.Migrations == nil && r.app.FS == nil {
		fmt.Fprintf(w, "\n%s", ownMainHelp)
	}
}

// ownMainHelp tells users of the generic tool how to get diff and Go
// migrations: a program of their own.
const ownMainHelp = `This program reads SQL files from --dir only. Go migrations, embedded files and
diff (which compares the database with your models) need a small main of your
own built on cli.App (github.com/kingletdb/kinglet/migrate/cli), with the
same commands:

  package main

  import (
      "embed"

      "github.com/kingletdb/kinglet/migrate/cli"
      "example.com/app/models"
  )

  //go:embed migrations/*.sql
  var files embed.FS

  func main() {
      cli.App{
          Models: []any{&models.User{}, &models.Tweet{}},
          FS:     files,
          Dir:    "migrations",
          // Migrations: []migrate.Migration{...}, written in Go
      }.Main()
  }

Run it as: go run ./cmd/migrate diff "add tweets" --dsn sqlite:app.db
`

// commandUsage is the help of one command.
func (r *appRun) commandUsage(w io.Writer, c *appCommand) {
	fmt.Fprintf(w, "Usage: %s %s [flags]\n\n", r.prog, strings.TrimSpace(c.name+" "+c.args))
	if c.help != "" {
		fmt.Fprintf(w, "%s\n\n", c.help)
	} else {
		fmt.Fprintf(w, "%s%s.\n\n", strings.ToUpper(c.summary[:1]), c.summary[1:])
	}
	r.commandFlags(w, c)
	fmt.Fprintf(w, "Flags of every command:\n\n")
	r.commonFlags(w)
	if ex := commandExamples[c.name]; ex != "" {
		fmt.Fprintf(w, "\nExamples:\n\n%s", strings.ReplaceAll(ex, "PROG", r.prog))
	}
	if c.name == "diff" && r.app.Models == nil {
		fmt.Fprintf(w, "\n%s", ownMainHelp)
	}
}

// commandFlags lists the flags of c that other commands do not take.
func (r *appRun) commandFlags(w io.Writer, c *appCommand) {
	if c.flags == nil {
		return
	}
	fmt.Fprintf(w, "Flags:\n\n")
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	var f appFlags
	c.flags(fs, &f)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fs.VisitAll(func(fl *flag.Flag) {
		name, usage := flag.UnquoteUsage(fl)
		arg := "--" + fl.Name
		if name != "" {
			arg += " " + name
		}
		if fl.DefValue != "" && fl.DefValue != "false" {
			usage += " (default " + fl.DefValue + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", arg, usage)
	})
	tw.Flush()
	fmt.Fprintln(w)
}

// commandExamples are shown in a command's help; PROG is the program.
var commandExamples = map[string]string{
	"migrate up":     "  PROG migrate up --dsn sqlite:app.db\n  PROG migrate up --dry-run             # the SQL of each pending migration\n  DATABASE_URL=mysql://root@127.0.0.1:3306/app PROG migrate up -v\n",
	"migrate down":   "  PROG migrate down --dsn sqlite:app.db\n  PROG migrate down --dry-run\n",
	"migrate redo":   "  PROG migrate redo --dsn sqlite:app.db   # after editing the latest migration\n",
	"migrate to":     "  PROG migrate to 12    # apply up to 12, or roll back to it\n  PROG migrate to 0     # roll back everything\n  PROG migrate to 3 --dry-run\n",
	"migrate status": "  PROG migrate status --dsn postgres://postgres@127.0.0.1:5432/app?sslmode=disable\n",
	"migrate create": "  PROG migrate create \"add email to users\"        # 0003_add_email_to_users.up.sql, .down.sql\n  PROG migrate create backfill_emails --go        # 0004_backfill_emails.go\n",
	"migrate lint":   "  PROG migrate lint --dsn postgres://postgres@127.0.0.1:5432/app   # the pending migrations\n  PROG migrate lint --engine mysql --strict                          # every migration, for CI\n",
	"inspect":        "  PROG inspect --dsn sqlite:app.db\n  PROG inspect --json > schema.json\n  PROG inspect --format dot | dot -Tsvg > schema.svg\n  PROG inspect --format mermaid --tables 'order*'\n",
	"gen models":     "  PROG gen models --dsn sqlite:app.db --package models --out models/models.go\n  PROG gen models --schema billing --exclude 'tmp_*' --views\n",
	"gen cols":       "  //go:generate PROG gen cols       (in the models' package: writes kinglet_cols.go)\n  PROG gen cols ./models --types User,Tweet --out - \n",
	"diff":           "  PROG diff \"add tweets\"                  # writes NNNN_add_tweets.up.sql and .down.sql\n  PROG diff \"drop legacy\" --destructive\n  PROG diff \"add tweets\" --go\n",
}

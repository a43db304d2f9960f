// Command migrations is a tour of kinglet's migration runner: SQL files
// embedded in the binary and a migration written in Go form one numbered
// sequence, applied in order, each in its own transaction, and recorded in
// a history table.
//
//	migrations/0001_create_authors.up.sql   (and .down.sql)
//	migrations/0002_create_books.up.sql     (and .down.sql)
//	addPages, version 3, in Go: schema operations through ddl.Apply,
//	          which writes the right ALTER TABLE for the engine, and a backfill
//	migrations/0004_book_list.up.sql        (and .down.sql)
//
// It applies them all, prints the status and the rows, rolls back the
// latest, redoes it, and finally rolls everything back:
//
//	go run ./examples/migrations
//
// The database is an in-memory SQLite one unless DATABASE_URL names another:
//
//	DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go run ./examples/migrations
//	DATABASE_URL='mysql://root@127.0.0.1:3306/test' go run ./examples/migrations
//
// On a server it works in the tables example_authors and example_books, the
// view example_book_list and the history table example_migrations, all of
// which it removes before it exits.
//
// In a real program, give cli.App (package migrate/cli) the same embedded files and Go
// migrations, and you get a command line (migrate up, down, status, create,
// diff…) instead of this tour; see the kinglet command.
package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/schema"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// files are the SQL migrations, compiled into the binary.
//
//go:embed migrations/*.sql
var files embed.FS

// historyTable is the runner's history table for this tour, so that it
// never touches a kinglet_migrations of yours.
const historyTable = "example_migrations"

// addPages is migration 3, written in Go. Schema operations are values that
// ddl.Apply renders for the engine the runner is on (DialectFrom), so
// one function serves SQLite, PostgreSQL and MySQL; the backfill is a
// query with bound parameters.
var addPages = migrate.Migration{
	Version: 3,
	Name:    "add_pages",
	Up: func(ctx context.Context, tx migrate.Execer) error {
		d := migrate.DialectFrom(ctx)
		err := ddl.Apply(ctx, tx, d,
			ddl.AddColumn{Table: "example_books", Column: schema.Column{
				Name: "pages", Of: fields.ColumnType{Kind: fields.KindInt32}, HasDefault: true, Default: "0",
			}},
			ddl.AddIndex{Table: "example_books", Index: schema.Index{Name: "example_books_pages", Columns: []string{"pages"}}},
		)
		if err != nil {
			return err
		}
		B := query.Table("example_books")
		for id, pages := range map[int64]int{1: 387, 2: 184, 3: 165} {
			sql, args, err := query.Update(B).Set("pages", pages).Where(B.C("id").Eq(id)).Build(d)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, sql, args...); err != nil {
				return err
			}
		}
		return nil
	},
	Down: func(ctx context.Context, tx migrate.Execer) error {
		return ddl.Apply(ctx, tx, migrate.DialectFrom(ctx),
			ddl.DropIndex{Table: "example_books", Name: "example_books_pages"},
			ddl.DropColumn{Table: "example_books", Column: "pages"},
		)
	},
}

func main() {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		url = "sqlite::memory:"
	}
	if err := run(context.Background(), os.Stdout, url); err != nil {
		fmt.Fprintln(os.Stderr, "migrations:", err)
		os.Exit(1)
	}
}

// run is the tour, on the database at url, writing to w.
func run(ctx context.Context, w io.Writer, url string) (err error) {
	db, err := orm.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(w, "database: %s\n", db.Dialect().Name())

	r, err := migrate.New(db.SQL(), db.Dialect(),
		migrate.WithFS(files, "migrations"),
		migrate.WithGo(addPages),
		migrate.WithTable(historyTable),
	)
	if err != nil {
		return err // a bad file name or a duplicate version is found here
	}
	defer func() { err = errors.Join(err, cleanUp(ctx, w, db, r)) }()

	if err := printStatus(ctx, w, r); err != nil {
		return err
	}
	applied, err := r.Up(ctx)
	if err != nil {
		// A *migrate.PartialError says what was applied before the
		// failure and which statement failed.
		return err
	}
	printResults(w, "up", applied)
	if err := printStatus(ctx, w, r); err != nil {
		return err
	}
	if err := printBooks(ctx, w, db); err != nil {
		return err
	}

	down, err := r.Down(ctx)
	if err != nil {
		return err
	}
	printResults(w, "down", down)
	redo, err := r.UpTo(ctx, 4)
	if err != nil {
		return err
	}
	printResults(w, "up again", redo)
	return nil
}

// cleanUp rolls every migration back and drops the history table (and, on
// SQLite, its lock table), leaving the database as the tour found it.
func cleanUp(ctx context.Context, w io.Writer, db *orm.DB, r *migrate.Runner) error {
	down, err := r.DownTo(ctx, 0)
	if err != nil {
		return err
	}
	printResults(w, "clean up", down)
	for _, t := range []string{historyTable, historyTable + "_lock"} {
		sql, _, err := query.DropTable(query.Table(t)).IfExists().Build(db.Dialect())
		if err != nil {
			return err
		}
		if _, err := db.SQL().ExecContext(ctx, sql); err != nil {
			return err
		}
	}
	return nil
}

func printResults(w io.Writer, what string, results []migrate.Result) {
	var names []string
	for _, res := range results {
		names = append(names, fmt.Sprintf("%04d_%s (%s)", res.Version, res.Name, res.Kind))
	}
	fmt.Fprintf(w, "%s: %s\n", what, strings.Join(names, ", "))
}

func printStatus(ctx context.Context, w io.Writer, r *migrate.Runner) error {
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "status:")
	for _, s := range st {
		fmt.Fprintf(w, "  %04d %-16s %-4s %s\n", s.Version, s.Name, s.Kind, s.State)
	}
	return nil
}

// bookRow is a row of the view made by migration 4.
type bookRow struct {
	ID     int64  `db:"id"`
	Title  string `db:"title"`
	Pages  int    `db:"pages"`
	Author string `db:"author"`
}

// TableName is the view's name: models read views like tables.
func (bookRow) TableName() string { return "example_book_list" }

func printBooks(ctx context.Context, w io.Writer, db *orm.DB) error {
	books, err := orm.Select[bookRow](db).OrderBy(query.Table("example_book_list").C("id")).All(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "books:")
	for _, b := range books {
		fmt.Fprintf(w, "  %d. %s, %s (%d pages)\n", b.ID, b.Title, b.Author, b.Pages)
	}
	return nil
}

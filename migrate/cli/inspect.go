package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/dsn"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/diagram"
	"github.com/kingletdb/kinglet/migrate/gen"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// historyTables are the tables the runner keeps: the history and, on
// SQLite, its lock.
func (r *appRun) historyTables() []string {
	t := r.table()
	if t == "" {
		t = migrate.DefaultTable
	}
	return []string{t, t + "_lock"}
}

// filter is what --tables, --exclude, --schema and --views choose, the
// runner's own tables left out.
func (r *appRun) filter() schema.Filter {
	return schema.Filter{
		Schema:  r.flags.schemaName,
		Tables:  splitList(r.flags.tables),
		Exclude: append(splitList(r.flags.exclude), r.historyTables()...),
		Views:   r.flags.views,
	}
}

// inspect reads the database's schema through the filter.
func (r *appRun) inspect(ctx context.Context) (*schema.Schema, dialect.Dialect, error) {
	db, d, err := r.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	s, err := schema.InspectWith(ctx, db, d, r.filter())
	return s, d, err
}

// engines are the names --engine takes.
var engines = map[string]dialect.Dialect{
	"sqlite": dialect.SQLite, "postgres": dialect.Postgres, "mysql": dialect.MySQL, "mariadb": dialect.MariaDB,
}

// engine is the dialect of --engine, else of the database URL's scheme
// (read without connecting); ok is false when there is neither.
func (r *appRun) engine() (dialect.Dialect, bool, error) {
	if name := r.flags.engine; name != "" {
		d, ok := engines[strings.ToLower(name)]
		if !ok {
			return nil, false, usagef("--engine %q: want sqlite, postgres, mysql or mariadb", name)
		}
		return d, true, nil
	}
	url := r.dbURL()
	if url == "" {
		return nil, false, nil
	}
	driver, _, _, err := dsn.Parse(url)
	if err != nil {
		return nil, false, fmt.Errorf("kinglet: %w", err)
	}
	return map[string]dialect.Dialect{"sqlite": dialect.SQLite, "pgx": dialect.Postgres, "mysql": dialect.MySQL}[driver], true, nil
}

// dbURL is --dsn, else $DATABASE_URL.
func (r *appRun) dbURL() string {
	if r.flags.dsn != "" {
		return r.flags.dsn
	}
	return os.Getenv("DATABASE_URL")
}

func runInspect(ctx context.Context, r *appRun, _ []string) error {
	format := strings.ToLower(r.flags.format)
	if r.flags.json {
		format = "json"
	}
	switch format {
	case "text", "json", "mermaid", "dot":
	default:
		return usagef("inspect: --format %q: want text, json, mermaid or dot", r.flags.format)
	}
	var s *schema.Schema
	var d dialect.Dialect
	var err error
	if r.flags.models {
		s, d, err = r.modelSchema()
	} else {
		s, d, err = r.inspect(ctx)
	}
	if err != nil {
		return err
	}
	switch format {
	case "json":
		return printSchemaJSON(r.stdout, s)
	case "mermaid":
		return diagram.Mermaid(r.stdout, s)
	case "dot":
		return diagram.DOT(r.stdout, s)
	}
	printSchema(r.stdout, s, d)
	return nil
}

// modelSchema is the schema of the App's models on the engine of --engine
// or of the database URL (sqlite when there is neither).
func (r *appRun) modelSchema() (*schema.Schema, dialect.Dialect, error) {
	if len(r.app.Models) == 0 {
		return nil, nil, fmt.Errorf("kinglet: inspect --models needs the models: run it from a program of your own whose cli.App lists them in Models (see %s diff --help)", r.prog)
	}
	d, ok, err := r.engine()
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		d = dialect.SQLite
	}
	all, err := schema.FromModels(d, r.app.Models...)
	if err != nil {
		return nil, nil, err
	}
	f := r.filter()
	f.Exclude = splitList(r.flags.exclude)
	out := &schema.Schema{}
	for _, t := range all.Tables {
		if f.Match(t.Name) {
			out.Tables = append(out.Tables, t)
		}
	}
	return out, d, nil
}

func runGenModels(ctx context.Context, r *appRun, _ []string) error {
	s, d, err := r.inspect(ctx)
	if err != nil {
		return err
	}
	src, err := gen.Models(s, d, r.flags.pkg)
	if err != nil {
		return err
	}
	if r.flags.out == "" {
		_, err = r.stdout.Write(src)
		return err
	}
	if err := writeFile(r.flags.out, src); err != nil {
		return fmt.Errorf("kinglet: gen models: %w", err)
	}
	fmt.Fprintf(r.stdout, "wrote %s: %s\n", r.flags.out, pluralize(len(s.Tables), "model"))
	return nil
}

func runGenCols(_ context.Context, r *appRun, args []string) error {
	dir := "."
	if len(args) > 0 {
		dir = args[0]
	}
	src, err := gen.ColsWith(dir, gen.ColsOptions{Types: splitList(r.flags.types), NullCols: r.flags.nullCols})
	if err != nil {
		return err
	}
	out := r.flags.out
	switch out {
	case "-":
		_, err = r.stdout.Write(src)
		return err
	case "":
		out = filepath.Join(dir, "kinglet_cols.go")
	}
	if err := writeFile(out, src); err != nil {
		return fmt.Errorf("kinglet: gen cols: %w", err)
	}
	fmt.Fprintf(r.stdout, "wrote %s\n", out)
	return nil
}

// writeFile writes src to path, creating its directory.
func writeFile(path string, src []byte) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(path, src, 0o644)
}

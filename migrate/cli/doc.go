// Package cli is the migration command line: the commands of the kinglet
// command (migrate up|down|redo|to N|status|create|lint, inspect, gen
// models, gen cols) plus diff and inspect --models, over a program's own
// embedded SQL files, Go migrations and models. A program fills App in a
// small main:
//
//	//go:embed migrations/*.sql
//	var files embed.FS
//
//	func main() {
//		cli.App{Models: []any{&models.User{}}, Migrations: []migrate.Migration{m3}, FS: files, Dir: "migrations"}.Main()
//	}
//
// and runs it: go run ./cmd/migrate migrate up --dsn sqlite:app.db. The
// kinglet command (cmd/kinglet) is App without models or Go migrations,
// reading SQL files from --dir. Every command and group has help: kinglet
// help migrate, kinglet migrate up --help.
//
// migrate up, down, redo and to print each migration as it is done, with
// its duration, and a summary; with --dry-run they print the SQL of each
// migration and change nothing. migrate lint and diff warn about changes
// that lock or rewrite big tables or lose data (package lint). inspect
// prints the schema as text, JSON, or a diagram (--format mermaid|dot,
// package diagram); inspect and gen models leave out the runner's history
// and lock tables and take --tables, --exclude, --schema and --views.
package cli

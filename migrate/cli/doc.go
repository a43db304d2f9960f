// Package cli is the migration command line: the commands of the kinglet
// command (migrate up|down|redo|to N|status|create, inspect, gen models)
// plus diff, over a program's own embedded SQL files, Go migrations and
// models. A program fills App in a small main:
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
// reading SQL files from --dir.
package cli

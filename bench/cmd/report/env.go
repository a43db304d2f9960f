package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	_ "github.com/go-sql-driver/mysql" // database/sql driver "mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	_ "modernc.org/sqlite"             // database/sql driver "sqlite"
)

// Environment variables and defaults of the servers, as kinglet's tests use
// them (internal/testdb).
const (
	envPostgresDSN     = "KINGLET_POSTGRES_DSN"
	envMySQLDSN        = "KINGLET_MYSQL_DSN"
	defaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	defaultMySQLDSN    = "root@tcp(127.0.0.1:3306)/test"
)

// envKeys are the lines of env.txt, in order.
var envKeys = []string{"date", "cpu", "cores", "memory", "os", "kernel", "go", "sqlite", "postgres", "mariadb", "count", "benchtime", "note"}

// gatherEnv describes this machine and the database servers, for the
// results' header.
func gatherEnv(count, benchtime, note string) map[string]string {
	env := map[string]string{
		"date":      time.Now().UTC().Format("2006-01-02 15:04 MST"),
		"cpu":       cpuModel(),
		"cores":     strconv.Itoa(runtime.NumCPU()),
		"memory":    memTotal(),
		"os":        osName(),
		"kernel":    strings.TrimSpace(readFile("/proc/sys/kernel/osrelease")),
		"go":        runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH,
		"count":     count,
		"benchtime": benchtime,
		"note":      strings.Join(strings.Fields(note), " "),
	}
	env["sqlite"] = serverVersion("sqlite", ":memory:", "SELECT sqlite_version()", "modernc.org/sqlite, SQLite ")
	env["postgres"] = serverVersion("pgx", dsnFromEnv(envPostgresDSN, defaultPostgresDSN), "SHOW server_version", "PostgreSQL ")
	env["mariadb"] = serverVersion("mysql", dsnFromEnv(envMySQLDSN, defaultMySQLDSN), "SELECT VERSION()", "")
	return env
}

func dsnFromEnv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func readFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

func cpuModel() string {
	for _, line := range strings.Split(readFile("/proc/cpuinfo"), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown (" + runtime.GOARCH + ")"
}

func memTotal() string {
	for _, line := range strings.Split(readFile("/proc/meminfo"), "\n") {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err == nil {
				return fmt.Sprintf("%.1f GiB", kb/(1<<20))
			}
		}
	}
	return "unknown"
}

func osName() string {
	for _, line := range strings.Split(readFile("/etc/os-release"), "\n") {
		if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return runtime.GOOS
}

func serverVersion(driver, dsn, q, prefix string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return "not reachable: " + err.Error()
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, q).Scan(&v); err != nil {
		return "not reachable: " + err.Error()
	}
	return prefix + v
}

// writeEnv writes env as "key: value" lines.
func writeEnv(w io.Writer, env map[string]string) error {
	for _, k := range envKeys {
		if _, err := fmt.Fprintf(w, "%s: %s\n", k, env[k]); err != nil {
			return err
		}
	}
	return nil
}

// readEnv reads what writeEnv wrote.
func readEnv(r io.Reader) (map[string]string, error) {
	env := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ": "); ok {
			env[k] = v
		}
	}
	return env, sc.Err()
}

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommand builds the kinglet command and runs it as a user would: the
// exit status, the help, and a migration created, applied and listed on a
// SQLite file.
func TestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "kinglet")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := func(args ...string) (code int, stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), "DATABASE_URL=sqlite:"+filepath.Join(tmp, "app.db"))
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errOut.String()
	}

	code, out, _ := run("--help")
	if code != 0 || !strings.Contains(out, "kinglet [flags] COMMAND") || !strings.Contains(out, "cli.App{") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	for _, c := range []struct{ args, want string }{
		{"help migrate", "Usage: kinglet migrate COMMAND"},
		{"migrate --help", "Usage: kinglet migrate COMMAND"},
		{"gen --help", "Usage: kinglet gen COMMAND"},
		{"help gen cols", "Usage: kinglet gen cols [DIR]"},
		{"migrate lint -h", "Usage: kinglet migrate lint"},
	} {
		if code, out, errOut := run(strings.Fields(c.args)...); code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%s: exit %d\n%s%s", c.args, code, out, errOut)
		}
	}
	if code, _, errOut := run("bogus"); code != 2 || !strings.Contains(errOut, `kinglet: unknown command "bogus"`) {
		t.Errorf("bogus: exit %d\n%s", code, errOut)
	}

	if code, out, errOut := run("migrate", "create", "create users"); code != 0 || !strings.Contains(out, "created migrations/0001_create_users.up.sql") {
		t.Fatalf("create: exit %d\n%s%s", code, out, errOut)
	}
	up := filepath.Join(tmp, "migrations", "0001_create_users.up.sql")
	if err := os.WriteFile(up, []byte("CREATE TABLE users (id INTEGER PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run("migrate", "up"); code != 0 || !strings.Contains(out, "applied 1 migration") {
		t.Fatalf("up: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := run("migrate", "status"); code != 0 || !strings.Contains(out, "create_users  sql   applied") {
		t.Errorf("status: exit %d\n%s", code, out)
	}
	if code, out, _ := run("inspect"); code != 0 || !strings.Contains(out, "table users") {
		t.Errorf("inspect: exit %d\n%s", code, out)
	}

	// A failing migration: exit 1, the statement named.
	bad := filepath.Join(tmp, "migrations", "0002_bad.up.sql")
	if err := os.WriteFile(bad, []byte("CREATE TABLE users (id INTEGER);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run("migrate", "up"); code != 1 || !strings.Contains(errOut, "0002_bad up failed") {
		t.Errorf("failing up: exit %d\n%s", code, errOut)
	}
}

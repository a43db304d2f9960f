package query_test

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// Golden SQL tests: every case is built for every dialect and compared with
// query/testdata/<group>.golden. Refresh the files with
//
//	go test ./query/ -run TestGolden -update
//
// and review the diff line by line: a golden file that records wrong SQL is
// worse than none.
var update = flag.Bool("update", false, "rewrite golden files")

type goldenCase struct {
	name string
	q    query.Expr
}

type goldenGroup struct {
	name  string // file name without .golden, and the case-name prefix
	cases []goldenCase
}

// goldenDialects are the dialects every case is built for, in file order.
var goldenDialects = []struct {
	name string
	d    dialect.Dialect
}{
	{"sqlite", dialect.SQLite},
	{"postgres", dialect.Postgres},
	{"mysql", dialect.MySQL},
	{"mariadb", dialect.MariaDB},
}

func goldenGroups() []goldenGroup {
	return []goldenGroup{
		{"ident", identCases()},
		{"expr", exprCases()},
		{"func", funcCases()},
		{"select", selectCases()},
		{"insert", insertCases()},
		{"update", updateCases()},
		{"delete", deleteCases()},
		{"ddl", ddlCases()},
		{"raw", rawCases()},
		{"errors", errorCases()},
		{"accepted", acceptedCases()},
	}
}

func TestGolden(t *testing.T) {
	total := 0
	for _, g := range goldenGroups() {
		total += len(g.cases)
		t.Run(g.name, func(t *testing.T) { runGoldenGroup(t, g) })
	}
	if total < 70 {
		t.Errorf("only %d golden cases; the issue asks for every construct (70+)", total)
	}
}

func runGoldenGroup(t *testing.T, g goldenGroup) {
	path := filepath.Join("testdata", g.name+".golden")
	seen := map[string]bool{}
	var keys []string
	got := map[string]string{}
	for _, c := range g.cases {
		if seen[c.name] {
			t.Fatalf("duplicate case name %s/%s", g.name, c.name)
		}
		seen[c.name] = true
		for _, d := range goldenDialects {
			k := goldenKey(g.name, c.name, d.name)
			keys = append(keys, k)
			got[k] = renderGolden(d.d, c.q)
		}
	}
	if *update {
		var buf bytes.Buffer
		fmt.Fprintf(&buf, "# Golden SQL for query/%s cases; regenerate with: go test ./query/ -run TestGolden -update\n", g.name)
		for _, k := range keys {
			fmt.Fprintf(&buf, "\n-- case: %s\n%s\n", k, got[k])
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := readGolden(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	for _, c := range g.cases {
		t.Run(c.name, func(t *testing.T) {
			for _, d := range goldenDialects {
				k := goldenKey(g.name, c.name, d.name)
				w, ok := want[k]
				switch {
				case !ok:
					t.Errorf("%s: no expectation in %s (run with -update)\ngot:\n%s", k, path, got[k])
				case w != got[k]:
					t.Errorf("%s: SQL differs from %s\n--- want\n%s\n--- got\n%s", k, path, w, got[k])
				}
			}
		})
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("%s: stale expectation in %s (run with -update)", k, path)
		}
	}
}

func goldenKey(group, name, dialect string) string {
	return group + "/" + name + " [" + dialect + "]"
}

// renderGolden builds q for d and formats the result: the SQL and its args,
// or the error and the sentinel it wraps.
func renderGolden(d dialect.Dialect, q query.Expr) string {
	sql, args, err := query.Build(d, q)
	if err != nil {
		return "error: " + err.Error() + "\nis: " + sentinelName(err)
	}
	return sql + "\nargs: " + formatArgs(args)
}

func sentinelName(err error) string {
	switch {
	case errors.Is(err, query.ErrUnsupported):
		return "ErrUnsupported"
	case errors.Is(err, query.ErrNoWhere):
		return "ErrNoWhere"
	case errors.Is(err, query.ErrInvalid):
		return "ErrInvalid"
	}
	return "none"
}

// formatArgs writes args with their types visible: int64(1), "x", nil.
func formatArgs(args []any) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, a := range args {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(formatArg(a))
	}
	sb.WriteByte(']')
	return sb.String()
}

func formatArg(a any) string {
	switch v := a.(type) {
	case nil:
		return "nil"
	case string:
		return strconv.Quote(v)
	case bool:
		return strconv.FormatBool(v)
	case []byte:
		return fmt.Sprintf("[]byte(%q)", v)
	case time.Time:
		return "time.Time(" + v.Format(time.RFC3339Nano) + ")"
	}
	if rv := reflect.ValueOf(a); rv.Kind() == reflect.String {
		return fmt.Sprintf("%T(%q)", a, rv.String())
	}
	return fmt.Sprintf("%T(%v)", a, a)
}

// readGolden parses a golden file into expectation by key. A block starts
// with "-- case: <key>" and runs to the next blank line followed by a header.
func readGolden(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	var key string
	var body []string
	flush := func() error {
		if key == "" {
			return nil
		}
		if _, dup := out[key]; dup {
			return fmt.Errorf("%s: case %s appears twice", path, key)
		}
		for len(body) > 0 && body[len(body)-1] == "" {
			body = body[:len(body)-1]
		}
		out[key] = strings.Join(body, "\n")
		return nil
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if k, ok := strings.CutPrefix(line, "-- case: "); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			key, body = k, nil
			continue
		}
		if key != "" {
			body = append(body, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// expectSQL builds q for d and checks the exact SQL and args.
func expectSQL(t *testing.T, d dialect.Dialect, q query.Expr, wantSQL string, wantArgs ...any) {
	t.Helper()
	sql, args, err := query.Build(d, q)
	if err != nil {
		t.Errorf("%s: unexpected error: %v", d, err)
		return
	}
	if sql != wantSQL {
		t.Errorf("%s: SQL\n got: %s\nwant: %s", d, sql, wantSQL)
	}
	if len(wantArgs) == 0 {
		wantArgs = nil
	}
	if !reflect.DeepEqual(args, wantArgs) {
		t.Errorf("%s: args\n got: %s\nwant: %s", d, formatArgs(args), formatArgs(wantArgs))
	}
}

// expectErr builds q for d and checks that it fails with an error wrapping
// sentinel whose message contains every fragment.
func expectErr(t *testing.T, d dialect.Dialect, q query.Expr, sentinel error, fragments ...string) {
	t.Helper()
	sql, _, err := query.Build(d, q)
	if err == nil {
		t.Errorf("%s: built %q, want an error wrapping %v", d, sql, sentinel)
		return
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("%s: error %q does not wrap %v", d, err, sentinel)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("%s: error %q does not mention %q", d, err, f)
		}
	}
}

package migrate

import (
	"bufio"
	"fmt"
	"go/format"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// numbered matches the files Create counts: NNNN_… .sql or .go.
var numbered = regexp.MustCompile(`^([0-9]+)_.*\.(sql|go)$`)

// Create writes the skeleton of the next migration into directory dir (on
// the operating system's file system) and returns the paths it wrote. The
// number is one more than the highest numbered .sql or .go file in dir,
// zero-padded to the same width (4 digits in an empty directory). name is
// lower-cased, with runs of other characters turned into _.
//
// For SQL it writes NNNN_name.up.sql and NNNN_name.down.sql. For Go it
// writes NNNN_name.go declaring a Migration variable in dir's package (named
// after the other .go files there, or the directory); register it with
// WithGo. Existing files are never overwritten.
func Create(dir, name string, kind Kind) ([]string, error) {
	slug := slugify(name)
	if slug == "" {
		return nil, fmt.Errorf("%w: Create: name %q has no letters or digits", ErrInvalid, name)
	}
	if kind != SQL && kind != Go {
		return nil, fmt.Errorf("%w: Create: unknown kind %d (want migrate.SQL or migrate.Go)", ErrInvalid, int(kind))
	}
	num, next, pkg, err := nextNumber("Create", dir)
	if err != nil {
		return nil, err
	}
	base := num + "_" + slug
	if kind == SQL {
		up := filepath.Join(dir, base+".up.sql")
		down := filepath.Join(dir, base+".down.sql")
		if err := writeNew(up, fmt.Sprintf("-- %s: %s (up)\n\n", num, name)); err != nil {
			return nil, err
		}
		if err := writeNew(down, fmt.Sprintf("-- %s: %s (down): undo the up file.\n\n", num, name)); err != nil {
			os.Remove(up)
			return nil, err
		}
		return []string{up, down}, nil
	}
	if pkg == "" {
		pkg = packageName(filepath.Base(dir))
	}
	src, err := format.Source(fmt.Appendf(nil, goSkeleton, pkg, "Migration"+num+camel(slug), next, slug))
	if err != nil {
		return nil, fmt.Errorf("kinglet: migrate: Create: format the Go skeleton: %w", err)
	}
	p := filepath.Join(dir, base+".go")
	if err := writeNew(p, string(src)); err != nil {
		return nil, err
	}
	return []string{p}, nil
}

// nextNumber finds the next migration number in directory dir: one more
// than the highest numbered .sql or .go file, zero-padded to the same width
// (4 digits in an empty directory); num is it as a file name prefix. pkg is
// the package of the first numbered .go file, if any. op names the caller in
// errors.
func nextNumber(op, dir string) (num string, next int64, pkg string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", 0, "", fmt.Errorf("kinglet: migrate: %s: %w", op, err)
	}
	var last int64
	width := 4
	for _, e := range entries {
		m := numbered.FindStringSubmatch(e.Name())
		if e.IsDir() || m == nil {
			continue
		}
		v, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			return "", 0, "", fmt.Errorf("%w: %s: %s: version %s out of range", ErrInvalid, op, e.Name(), m[1])
		}
		if v > last || v == last && len(m[1]) > width {
			last, width = v, len(m[1])
		}
		if m[2] == "go" && pkg == "" {
			pkg = packageOf(filepath.Join(dir, e.Name()))
		}
	}
	if last == 1<<63-1 {
		return "", 0, "", fmt.Errorf("%w: %s: no version after %d", ErrInvalid, op, last)
	}
	next = last + 1
	return fmt.Sprintf("%0*d", width, next), next, pkg, nil
}

const goSkeleton = `package %[1]s

import (
	"context"

	"github.com/kingletdb/kinglet/migrate"
)

// %[2]s is migration %[3]d; register it with migrate.WithGo.
var %[2]s = migrate.Migration{
	Version: %[3]d,
	Name:    %[4]q,
	Up: func(ctx context.Context, tx migrate.Execer) error {
		return nil
	},
	Down: func(ctx context.Context, tx migrate.Execer) error {
		return nil
	},
}
`

// writeNew creates path with content, failing when it exists.
func writeNew(path, content string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("kinglet: migrate: Create: %w", err)
	}
	_, err = f.WriteString(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("kinglet: migrate: Create: %w", err)
	}
	return nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugify turns "Add users' e-mail" into add_users_e_mail, at most 100 bytes.
func slugify(name string) string {
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "_"), "_")
	if len(s) > 100 {
		s = strings.TrimRight(s[:100], "_")
	}
	return s
}

// camel turns add_email into AddEmail.
func camel(slug string) string {
	var b strings.Builder
	for _, p := range strings.Split(slug, "_") {
		if p != "" {
			b.WriteString(strings.ToUpper(p[:1]) + p[1:])
		}
	}
	return b.String()
}

// packageOf reads the package clause of a Go file; "" when there is none.
func packageOf(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "package "); ok {
			if name := strings.TrimSpace(rest); token.IsIdentifier(name) {
				return name
			}
			return ""
		}
	}
	return ""
}

// packageName makes a package name of a directory name.
func packageName(dir string) string {
	name := strings.ReplaceAll(slugify(dir), "_", "")
	if !token.IsIdentifier(name) || token.IsKeyword(name) {
		return "migrations"
	}
	return name
}

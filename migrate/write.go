package migrate

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// WriteSQL writes the next migration in directory dir (numbered like
// Create) as NNNN_name.up.sql holding the up statements and
// NNNN_name.down.sql holding the down ones, each statement ended by ";\n",
// and returns the two paths. It is how a diff becomes a migration:
//
//	up, _ := ddl.Statements(d, current, ops...)
//	paths, err := migrate.WriteSQL("migrations", "add email", up, down)
//
// up must hold a statement; an empty down writes a down file that does
// nothing. Existing files are never overwritten.
func WriteSQL(dir, name string, up, down []string) ([]string, error) {
	slug, err := writeCheck("WriteSQL", name, up)
	if err != nil {
		return nil, err
	}
	num, _, _, err := nextNumber("WriteSQL", dir)
	if err != nil {
		return nil, err
	}
	base := filepath.Join(dir, num+"_"+slug)
	paths := []string{base + ".up.sql", base + ".down.sql"}
	contents := []string{
		writeSQLFile(fmt.Sprintf("%s: %s (up)", num, name), up),
		writeSQLFile(fmt.Sprintf("%s: %s (down)", num, name), down),
	}
	for i, p := range paths {
		if err := writeFile("WriteSQL", p, contents[i]); err != nil {
			for _, done := range paths[:i] {
				os.Remove(done)
			}
			return nil, err
		}
	}
	return paths, nil
}

// WriteGo writes the next migration in directory dir (numbered like Create)
// as NNNN_name.go: a Migration variable, in dir's package, whose Up and Down
// run the statements in order. Register it with WithGo (or in
// cli.App's Migrations); Go code such as a backfill can go between the
// statements. up must hold a statement; an empty down makes an irreversible
// migration (Down is nil).
func WriteGo(dir, name string, up, down []string) ([]string, error) {
	slug, err := writeCheck("WriteGo", name, up)
	if err != nil {
		return nil, err
	}
	num, next, pkg, err := nextNumber("WriteGo", dir)
	if err != nil {
		return nil, err
	}
	if pkg == "" {
		pkg = packageName(filepath.Base(dir))
	}
	v := "Migration" + num + camel(slug)
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n\nimport (\n\t\"context\"\n\n\t\"github.com/kingletdb/kinglet/migrate\"\n)\n\n", pkg)
	fmt.Fprintf(&b, "// %s is migration %d, %s; register it with migrate.WithGo.\n", v, next, strings.Join(strings.Fields(name), " "))
	fmt.Fprintf(&b, "var %s = migrate.Migration{\n\tVersion: %d,\n\tName: %q,\n", v, next, slug)
	writeGoFunc(&b, "Up", up)
	if len(down) > 0 {
		writeGoFunc(&b, "Down", down)
	}
	b.WriteString("}\n")
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("kinglet: migrate: WriteGo: format the Go source: %w", err)
	}
	p := filepath.Join(dir, num+"_"+slug+".go")
	if err := writeFile("WriteGo", p, string(src)); err != nil {
		return nil, err
	}
	return []string{p}, nil
}

func writeCheck(op, name string, up []string) (string, error) {
	slug := slugify(name)
	if slug == "" {
		return "", fmt.Errorf("%w: %s: name %q has no letters or digits", ErrInvalid, op, name)
	}
	if len(up) == 0 {
		return "", fmt.Errorf("%w: %s: %s: no up statements", ErrInvalid, op, slug)
	}
	for i, s := range up {
		if strings.TrimSpace(s) == "" {
			return "", fmt.Errorf("%w: %s: %s: up statement %d is empty", ErrInvalid, op, slug, i+1)
		}
	}
	return slug, nil
}

// writeSQLFile is a comment line, then each statement followed by ";\n".
func writeSQLFile(title string, stmts []string) string {
	var b strings.Builder
	b.WriteString("-- " + title + "\n\n")
	if len(stmts) == 0 {
		b.WriteString("-- Nothing to undo.\n")
	}
	for _, s := range stmts {
		s = strings.TrimRight(strings.TrimSpace(s), ";")
		if s == "" {
			continue
		}
		b.WriteString(s + ";\n")
	}
	return b.String()
}

// writeGoFunc writes the field called field: a function running stmts in order.
func writeGoFunc(b *strings.Builder, field string, stmts []string) {
	fmt.Fprintf(b, "\t%s: func(ctx context.Context, tx migrate.Execer) error {\n\t\tfor _, s := range []string{\n", field)
	for _, s := range stmts {
		b.WriteString("\t\t\t" + writeGoString(strings.TrimRight(strings.TrimSpace(s), ";")) + ",\n")
	}
	b.WriteString("\t\t} {\n\t\t\tif _, err := tx.ExecContext(ctx, s); err != nil {\n\t\t\t\treturn err\n\t\t\t}\n\t\t}\n\t\treturn nil\n\t},\n")
}

// writeGoString is s as a Go string literal: a raw string when it can be one,
// so that multi-line SQL stays readable.
func writeGoString(s string) string {
	if !strings.ContainsAny(s, "`\r") && strconv.CanBackquote(strings.ReplaceAll(s, "\n", " ")) {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}

// writeFile creates path with content, failing when it exists.
func writeFile(op, path, content string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("kinglet: migrate: %s: %w", op, err)
	}
	_, err = f.WriteString(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("kinglet: migrate: %s: %w", op, err)
	}
	return nil
}

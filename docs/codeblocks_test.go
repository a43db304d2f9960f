package docs_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A page's ```go blocks are checked as Go, three kinds of them:
//
//   - a block that starts with a package clause is a file of its own,
//     checked as a package by itself (a complete program);
//   - a block of declarations (types, funcs, vars, consts) joins the page's
//     package, so later blocks of the page can use what it declares;
//   - any other block is statements: it becomes the body of a function
//     returning error, in the page's package.
//
// The page's package imports the packages in snippetImports under their
// own names and declares ctx, db and tx, which the snippets use without
// declaring (unless a block declares them). Unused variables and imports
// are allowed (a snippet shows one step); every other error fails the
// test, reported at its line in the Markdown file.

// snippetImports are the packages every page may use without importing.
var snippetImports = []string{
	"context", "database/sql", "embed", "errors", "fmt", "log", "log/slog", "os", "strings", "time",
	"github.com/jackc/pgx/v5/pgxpool",
	"github.com/kingletdb/kinglet/dialect",
	"github.com/kingletdb/kinglet/fields",
	"github.com/kingletdb/kinglet/query",
	"github.com/kingletdb/kinglet/orm",
	"github.com/kingletdb/kinglet/migrate",
	"github.com/kingletdb/kinglet/migrate/cli",
	"github.com/kingletdb/kinglet/migrate/ddl",
	"github.com/kingletdb/kinglet/migrate/diagram",
	"github.com/kingletdb/kinglet/migrate/diff",
	"github.com/kingletdb/kinglet/migrate/gen",
	"github.com/kingletdb/kinglet/migrate/lint",
	"github.com/kingletdb/kinglet/migrate/schema",
}

// snippetVars are what statement blocks use without declaring them.
var snippetVars = []struct{ name, typ string }{
	{"ctx", "context.Context"}, {"db", "*orm.DB"}, {"tx", "*orm.Tx"},
}

// block is one ```go block of a page.
type block struct {
	page string
	line int // of its first line of code
	src  string
}

// readBlocks returns the ```go blocks of a Markdown page.
func readBlocks(path string) ([]block, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []block
	var cur *block
	var b strings.Builder
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			info := strings.Fields(strings.TrimPrefix(trimmed, "```"))
			if len(info) > 0 && info[0] == "go" {
				cur = &block{page: path, line: n + 1}
				b.Reset()
			} else if len(info) > 0 || trimmed == "```" {
				cur = &block{line: -1} // another language: skipped to its end
			}
		case cur != nil && trimmed == "```":
			if cur.line > 0 {
				cur.src = b.String()
				out = append(out, *cur)
			}
			cur = nil
		case cur != nil && cur.line > 0:
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("%s: a code block is not closed", path)
	}
	return out, sc.Err()
}

// isFile reports whether src starts with a package clause.
func isFile(src string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
	return err == nil && f.Name != nil
}

// isDecls reports whether src is a list of declarations.
func isDecls(src string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, parser.SkipObjectResolution)
	return err == nil
}

// pageSource is the page's package as one file: the imports, the blocks
// (each behind a //line directive naming its place in the page), and the
// variables the snippets take for granted.
func pageSource(page string, blocks []block) string {
	var b strings.Builder
	b.WriteString("package page\n\nimport (\n")
	for _, imp := range snippetImports {
		fmt.Fprintf(&b, "\t%q\n", imp)
	}
	b.WriteString(")\n\n")
	declared := map[string]bool{}
	for i, bl := range blocks {
		if isFile(bl.src) {
			continue
		}
		if isDecls(bl.src) {
			f, _ := parser.ParseFile(token.NewFileSet(), "", "package p\n"+bl.src, parser.SkipObjectResolution)
			for _, d := range f.Decls {
				for _, n := range declNames(d) {
					declared[n] = true
				}
			}
			fmt.Fprintf(&b, "//line %s:%d\n%s\n", page, bl.line, bl.src)
			continue
		}
		fmt.Fprintf(&b, "func block%d() error {\n//line %s:%d\n%s\n\treturn nil\n}\n\n", i, page, bl.line, bl.src)
	}
	for _, v := range snippetVars {
		if !declared[v.name] {
			fmt.Fprintf(&b, "var %s %s\n", v.name, v.typ)
		}
	}
	return b.String()
}

func declNames(d ast.Decl) []string {
	var out []string
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			out = append(out, d.Name.Name)
		}
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				out = append(out, s.Name.Name)
			case *ast.ValueSpec:
				for _, n := range s.Names {
					out = append(out, n.Name)
				}
			}
		}
	}
	return out
}

// exportData returns the export data file of each package, built by the go
// command (from its build cache, as go vet leaves it).
func exportData(t *testing.T, pkgs []string) map[string]string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	cmd := exec.Command(goTool, append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}, pkgs...)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list -export: %v\n%s", err, errOut.String())
	}
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if path, file, ok := strings.Cut(line, "\t"); ok && file != "" {
			m[path] = file
		}
	}
	return m
}

// TestCodeBlocks type-checks every Go block of every page of the guide.
func TestCodeBlocks(t *testing.T) {
	pages, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(pages)
	if len(pages) < 7 {
		t.Fatalf("the guide has %d pages: %v", len(pages), pages)
	}
	fset := token.NewFileSet()
	type unit struct {
		name  string
		files []*ast.File
	}
	var units []unit
	imports := map[string]bool{}
	for _, imp := range snippetImports {
		imports[imp] = true
	}
	total := 0
	for _, page := range pages {
		blocks, err := readBlocks(page)
		if err != nil {
			t.Fatal(err)
		}
		total += len(blocks)
		var pageFiles []*ast.File
		for i, bl := range blocks {
			if !isFile(bl.src) {
				continue
			}
			src := fmt.Sprintf("//line %s:%d\n%s", page, bl.line, bl.src)
			f, err := parser.ParseFile(fset, page+"#"+strconv.Itoa(i), src, parser.ParseComments)
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				imports[p] = true
			}
			units = append(units, unit{page + " block at line " + strconv.Itoa(bl.line), []*ast.File{f}})
		}
		f, err := parser.ParseFile(fset, page+".go", pageSource(page, blocks), parser.ParseComments)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		pageFiles = append(pageFiles, f)
		units = append(units, unit{page, pageFiles})
	}
	if t.Failed() {
		return
	}
	if total == 0 {
		t.Fatal("no Go blocks in the guide")
	}
	var list []string
	for p := range imports {
		list = append(list, p)
	}
	slices.Sort(list)
	exports := exportData(t, list)
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
	for _, u := range units {
		t.Run(u.name, func(t *testing.T) {
			conf := types.Config{Importer: imp, Error: func(err error) {
				var te types.Error
				if errors.As(err, &te) && te.Soft && (strings.Contains(te.Msg, "declared and not used") || strings.Contains(te.Msg, "imported and not used")) {
					return // a snippet shows one step
				}
				t.Error(err)
			}}
			_, _ = conf.Check(u.files[0].Name.Name, fset, u.files, nil)
		})
	}
}

// TestReadBlocks: the blocks and their lines, other languages skipped.
func TestReadBlocks(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "p.md")
	src := "# T\n\n```sh\ngo test\n```\n\n```go\nx := 1\n```\n\ntext\n\n```go\ntype T int\n```\n"
	if err := os.WriteFile(page, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bs, err := readBlocks(page)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].line != 8 || bs[0].src != "x := 1\n" || bs[1].line != 14 || !isDecls(bs[1].src) || isDecls(bs[0].src) {
		t.Fatalf("%+v", bs)
	}
	if err := os.WriteFile(page, []byte("```go\nx := 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readBlocks(page); err == nil {
		t.Fatal("an open block is an error")
	}
}

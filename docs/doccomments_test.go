package docs_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocComments: every exported identifier of the module's packages has
// a doc comment — functions, methods of exported types, types, and
// constants and variables (a comment on their group, or at the end of
// their line, counts). Struct fields are described by their type's
// comment or their own, as each type reads best, and are not checked.
// Test files, testdata and the modules nested in the repository (bench,
// cmd/kingletvet, …) are not part of it.
func TestDocComments(t *testing.T) {
	root := ".."
	fset := token.NewFileSet()
	var missing []string
	files := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p == root {
				return nil
			}
			if name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		for _, name := range undocumented(f) {
			missing = append(missing, fset.Position(name.Pos()).String()+": "+name.Name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d files: is the walk rooted at the module?", files)
	}
	for _, m := range missing {
		t.Errorf("%s has no doc comment", m)
	}
}

// undocumented returns the exported identifiers of f declared without a
// doc comment.
func undocumented(f *ast.File) []*ast.Ident {
	var out []*ast.Ident
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Name.IsExported() && d.Doc == nil && exportedReceiver(d) {
				out = append(out, d.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() && s.Doc == nil && d.Doc == nil {
						out = append(out, s.Name)
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() && s.Doc == nil && d.Doc == nil && s.Comment == nil {
							out = append(out, n)
						}
					}
				}
			}
		}
	}
	return out
}

// exportedReceiver reports whether d is a function, or a method of an
// exported type (methods of unexported types are not part of the API).
func exportedReceiver(d *ast.FuncDecl) bool {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return true
	}
	t := d.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	id, ok := t.(*ast.Ident)
	return !ok || id.IsExported()
}

// TestUndocumented: the check finds what it should.
func TestUndocumented(t *testing.T) {
	src := `package p

// Doc is documented.
func Doc() {}
func Bare() {}
func (t T) Method() {}
func (u *unexported) Hidden() {}

// T is documented.
type T int

type U int

// Group of constants.
const (
	A = 1
	B = 2
)

const C = 3 // C has a line comment.

var D, e = 1, 2
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, id := range undocumented(f) {
		got = append(got, id.Name)
	}
	if strings.Join(got, " ") != "Bare Method U D" {
		t.Fatalf("undocumented: %v", got)
	}
}

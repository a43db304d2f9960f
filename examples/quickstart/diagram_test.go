package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate/cli"
	"github.com/kingletdb/kinglet/orm"
)

var updateDiagram = flag.Bool("update-diagram", false, "rewrite docs/images/quickstart-schema.dot (scripts/schema-diagram.sh does)")

// diagramFile is the picture of the tour's schema that the README shows,
// rendered to SVG by scripts/schema-diagram.sh.
var diagramFile = filepath.Join("..", "..", "docs", "images", "quickstart-schema.dot")

// TestSchemaDiagram creates the tour's tables on SQLite and draws them
// with kinglet inspect --format dot: the drawing in the repository must be
// the one the command makes today.
func TestSchemaDiagram(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	if err := orm.New(db.DB, db.Dialect).CreateTables(t.Context(), &User{}, &Tweet{}); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	app := cli.App{Stdout: &out, Stderr: &errOut}
	if code := app.Run(t.Context(), []string{"inspect", "--format", "dot", "--dsn", db.URL()}); code != 0 {
		t.Fatalf("inspect: exit %d: %s", code, errOut.String())
	}
	if *updateDiagram {
		if err := os.WriteFile(diagramFile, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(diagramFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != out.String() {
		t.Errorf("%s is out of date: run scripts/schema-diagram.sh\nwant:\n%s\ngot:\n%s", diagramFile, want, out.String())
	}
}

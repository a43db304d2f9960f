package check_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kingletdb/kinglet/cmd/kingletvet/check"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestAnalyzer runs the analyzer over the packages of testdata, a module
// that uses the real kinglet packages (replaced by this repository), and
// checks its reports against the // want comments and its fixes against
// the .golden files.
func TestAnalyzer(t *testing.T) {
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	// analysistest loads the module with GOPROXY=off: make sure the
	// module cache holds kinglet's dependencies.
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Logf("go mod download in testdata: %v\n%s", err, out)
	}
	analysistest.RunWithSuggestedFixes(t, dir, check.Analyzer, "./...")
}

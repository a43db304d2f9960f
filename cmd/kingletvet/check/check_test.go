package check_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kingletdb/kinglet/cmd/kingletvet/check"
	"golang.org/x/tools/go/analysis/analysistest"
)

// raceFlag is -race when this test runs with the race detector, so that the
// test of testdata/agree shares its build cache.
var raceFlag []string

// testdata is the module of the analyzer's test packages: it uses the real
// kinglet packages (replaced by this repository).
func testdata(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestAnalyzer runs the analyzer over the packages of testdata and checks
// its reports against their // want comments and its fixes against the
// .golden files.
func TestAnalyzer(t *testing.T) {
	dir := testdata(t)
	// analysistest loads the module with GOPROXY=off: make sure the module
	// cache holds kinglet's dependencies.
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Logf("go mod download in testdata: %v\n%s", err, out)
	}
	analysistest.RunWithSuggestedFixes(t, dir, check.Analyzer, "./...")
}

// TestAgree runs the queries of testdata/agree against SQLite: those the
// analyzer reports (TestAnalyzer checks which) fail at run time with the
// error the report predicts, and the others work.
func TestAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the test of testdata/agree")
	}
	cmd := exec.Command("go", append(append([]string{"test", "-count=1"}, raceFlag...), "./agree")...)
	cmd.Dir = testdata(t)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test ./agree in testdata: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

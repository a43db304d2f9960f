package migrate_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/internal/migratetest"
)

// versions returns the versions of results.
func versions(rs []migrate.Result) []int64 {
	var out []int64
	for _, r := range rs {
		out = append(out, r.Version)
	}
	return out
}

// states returns "version:state" of each status line.
func states(t *testing.T, r *migrate.Runner) []string {
	t.Helper()
	st, err := r.Status(t.Context())
	require.NoError(t, err)
	var out []string
	for _, s := range st {
		line := fmt.Sprintf("%d:%s", s.Version, s.State)
		if s.Changed {
			line += ":changed"
		}
		out = append(out, line)
	}
	return out
}

// Shared with the tests of migrate's packages.
var (
	baseFiles       = migratetest.BaseFiles
	goSeed          = migratetest.GoSeed
	portable        = migratetest.Portable
	files           = migratetest.Files
	newRunner       = migratetest.NewRunner
	historyVersions = migratetest.HistoryVersions
	tableExists     = migratetest.TableExists
	count           = migratetest.Count
)

package cli_test

import "github.com/kingletdb/kinglet/migrate/internal/migratetest"

// Shared with the tests of migrate and its other packages.
var (
	baseFiles       = migratetest.BaseFiles
	goSeed          = migratetest.GoSeed
	portable        = migratetest.Portable
	files           = migratetest.Files
	historyVersions = migratetest.HistoryVersions
)

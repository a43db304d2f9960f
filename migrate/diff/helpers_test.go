package diff_test

import "github.com/kingletdb/kinglet/migrate/internal/migratetest"

// Shared with the tests of migrate's other packages.
var (
	opPool      = migratetest.Pool
	opExec      = migratetest.Exec
	opExecErr   = migratetest.ExecErr
	opRows      = migratetest.Rows
	tableExists = migratetest.TableExists
	count       = migratetest.Count
	noop        = migratetest.Noop
	models      = migratetest.Models
)

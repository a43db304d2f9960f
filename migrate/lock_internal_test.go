package migrate

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
)

// TestSQLiteLeaseRenewal: a migration that outlasts the lease keeps the lock,
// because the lease is renewed while it runs; a second runner waits.
func TestSQLiteLeaseRenewal(t *testing.T) {
	defer func(d, r time.Duration) { leaseDuration, leaseRenewal = d, r }(leaseDuration, leaseRenewal)
	leaseDuration, leaseRenewal = 300*time.Millisecond, 50*time.Millisecond

	db := testdb.Open(t, testdb.SQLite)
	ctx := t.Context()
	slow := Migration{Version: 1, Name: "slow", NoTx: true, Up: func(ctx context.Context, tx Execer) error {
		time.Sleep(4 * leaseDuration)
		_, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS effects (n INT)")
		if err == nil {
			_, err = tx.ExecContext(ctx, "INSERT INTO effects VALUES (1)")
		}
		return err
	}}
	var wg sync.WaitGroup
	results := make([][]Result, 2)
	errs := make([]error, 2)
	for i := range 2 {
		pool, err := sql.Open(db.DriverName(), db.DSN)
		require.NoError(t, err)
		defer pool.Close()
		r, err := New(pool, db.Dialect, WithGo(slow))
		require.NoError(t, err)
		wg.Go(func() {
			time.Sleep(time.Duration(i) * 100 * time.Millisecond) // runner 0 first
			results[i], errs[i] = r.Up(ctx)
		})
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	assert.Len(t, results[0], 1)
	assert.Empty(t, results[1], "the second runner found the migration applied")
	var n int
	require.NoError(t, db.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM effects").Scan(&n))
	assert.Equal(t, 1, n)
}

func TestIsBusy(t *testing.T) {
	assert.True(t, isBusy(codeErr(5)))
	assert.True(t, isBusy(codeErr(517))) // SQLITE_BUSY_SNAPSHOT
	assert.True(t, isBusy(codeErr(6)))
	assert.False(t, isBusy(codeErr(1)))
	assert.True(t, isBusy(errString("database is locked")))
	assert.False(t, isBusy(context.Canceled))
}

type codeErr int

func (e codeErr) Error() string { return "sqlite error" }
func (e codeErr) Code() int     { return int(e) }

type errString string

func (e errString) Error() string { return string(e) }

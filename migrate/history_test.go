package migrate

import (
	"database/sql"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/kingletdb/kinglet/dialect"
)

func TestParseTime(t *testing.T) {
	want := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	for _, v := range []any{
		want, want.In(time.FixedZone("X", 3600)),
		"2024-05-06 07:08:09.123456",           // MySQL without parseTime ([]byte below)
		[]byte("2024-05-06 07:08:09.123456"),   //
		"2024-05-06 07:08:09.123456+00:00",     // SQLite, _time_format=sqlite
		"2024-05-06 07:08:09.123456 +0000 UTC", // modernc's default (time.Time.String)
		"2024-05-06T09:08:09.123456+02:00",     // RFC 3339
	} {
		assert.True(t, want.Equal(parseTime(v)), "%v → %v", v, parseTime(v))
		assert.Equal(t, time.UTC, parseTime(v).Location())
	}
	assert.True(t, parseTime("yesterday").IsZero())
	assert.True(t, parseTime(42).IsZero())
}

// TestAppliedAtDefaultDSN: applied_at reads back on a SQLite DSN without
// _time_format, as users open it.
func TestAppliedAtDefaultDSN(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+t.TempDir()+"/plain.db")
	require.NoError(t, err)
	defer db.Close()
	r, err := New(db, dialect.SQLite, WithFS(fstest.MapFS{"m/0001_a.up.sql": {Data: []byte("SELECT 1;")}}, "m"))
	require.NoError(t, err)
	before := time.Now().Add(-time.Second)
	_, err = r.Up(t.Context())
	require.NoError(t, err)
	st, err := r.Status(t.Context())
	require.NoError(t, err)
	require.Len(t, st, 1)
	assert.WithinRange(t, st[0].AppliedAt, before, time.Now().Add(time.Second))
}

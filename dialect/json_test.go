package dialect_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
)

// TestJSONAggByVersion: which versions aggregate rows into JSON, and how.
func TestJSONAggByVersion(t *testing.T) {
	cases := []struct {
		engine, version string
		ok              bool
		agg             string
		orderIn, limIn  bool
		correlated      bool
	}{
		{"sqlite", "3.46.0", true, "json_group_array", true, false, true},
		{"sqlite", "3.40.1", true, "json_group_array", false, false, true}, // ORDER BY inside aggregates since 3.44
		{"sqlite", "3.37.0", false, "json_group_array", false, false, true},
		{"postgres", "12.0", true, "json_agg", true, false, true},
		{"mysql", "8.0.31", true, "JSON_ARRAYAGG", false, false, true},
		{"mysql", "8.0.13", false, "JSON_ARRAYAGG", false, false, true},
		{"mysql", "10.11.19-MariaDB", true, "JSON_ARRAYAGG", true, true, false},
		{"mysql", "10.4.2-MariaDB", false, "JSON_ARRAYAGG", true, true, false},
	}
	for _, c := range cases {
		d, err := dialect.ForVersion(c.engine, c.version)
		require.NoError(t, err)
		ja, ok := d.(dialect.JSONAggregator).JSONAgg()
		require.Equal(t, c.ok, ok, "%s %s", c.engine, c.version)
		require.Equal(t, c.agg, ja.Agg)
		require.Equal(t, c.orderIn, ja.OrderInAgg, "%s %s", c.engine, c.version)
		require.Equal(t, c.limIn, ja.LimitInAgg, "%s %s", c.engine, c.version)
		require.Equal(t, c.correlated, ja.CorrelatedDerived, "%s %s", c.engine, c.version)
	}
	// The other optional interfaces of the reads.
	_, ok := dialect.Postgres.(dialect.NarrowWindower)
	require.False(t, ok, "PostgreSQL numbers whole rows")
	require.True(t, dialect.MySQL.(dialect.NarrowWindower).NarrowWindows())
	require.True(t, dialect.SQLite.(dialect.NarrowWindower).NarrowWindows())
	require.True(t, dialect.SQLite.(dialect.ResultsInterleaver).InterleavedResults())
	_, ok = dialect.MariaDB.(dialect.ResultsInterleaver)
	require.False(t, ok)
}

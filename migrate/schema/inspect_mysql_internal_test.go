package schema

import (
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// TestMySQLDefaults: what COLUMN_DEFAULT holds on MySQL 8 and on MariaDB,
// and the default Inspect reports for it.
func TestMySQLDefaults(t *testing.T) {
	for _, c := range []struct {
		mariadb               bool
		dflt, dataType, extra string
		want                  string
	}{
		{false, "abc", "varchar", "", "'abc'"},
		{false, "it's", "varchar", "", "'it''s'"},
		{false, "1", "varchar", "", "'1'"},
		{false, "0", "tinyint", "", "0"},
		{false, "-1.5", "double", "", "-1.5"},
		{false, "CURRENT_TIMESTAMP(6)", "datetime", "default_generated", "CURRENT_TIMESTAMP(6)"},
		{false, `_utf8mb4\'hello\'`, "longtext", "default_generated", "'hello'"},
		{false, "2020-01-01 00:00:00", "datetime", "", "'2020-01-01 00:00:00'"},
		{true, "'abc'", "varchar", "", "'abc'"},
		{true, "'it''s'", "varchar", "", "'it''s'"},
		{true, "current_timestamp()", "timestamp", "", "CURRENT_TIMESTAMP"},
		{true, "1", "tinyint", "", "1"},
		{true, "NULL", "varchar", "", "NULL"},
	} {
		d := dialect.MySQL
		if c.mariadb {
			d = dialect.MariaDB
		}
		cat := mysqlCatalog{d: d, mariadb: c.mariadb}
		if got := sqltext.NormalizeDefault(d, cat.defaultSQL(c.dflt, c.dataType, c.extra)); got != c.want {
			t.Errorf("%s: default %q (%s, %q) = %q, want %q", d, c.dflt, c.dataType, c.extra, got, c.want)
		}
	}
}

package schema_test

import (
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/schema"
)

func TestNormalizeType(t *testing.T) {
	for _, c := range []struct {
		d       dialect.Dialect
		in, out string
	}{
		// PostgreSQL: format_type's spellings and kinglet's meet.
		{dialect.Postgres, "character varying(255)", "varchar(255)"},
		{dialect.Postgres, "VARCHAR(255)", "varchar(255)"},
		{dialect.Postgres, "character varying", "varchar"},
		{dialect.Postgres, "timestamp with time zone", "timestamptz"},
		{dialect.Postgres, "TIMESTAMPTZ", "timestamptz"},
		{dialect.Postgres, "timestamp(3) with time zone", "timestamptz(3)"},
		{dialect.Postgres, "timestamp without time zone", "timestamp"},
		{dialect.Postgres, "time with time zone", "timetz"},
		{dialect.Postgres, "integer", "integer"},
		{dialect.Postgres, "int4", "integer"},
		{dialect.Postgres, "INT", "integer"},
		{dialect.Postgres, "serial", "integer"},
		{dialect.Postgres, "int8", "bigint"},
		{dialect.Postgres, "bigserial", "bigint"},
		{dialect.Postgres, "int2", "smallint"},
		{dialect.Postgres, "bool", "boolean"},
		{dialect.Postgres, "BOOLEAN", "boolean"},
		{dialect.Postgres, "float8", "double precision"},
		{dialect.Postgres, "DOUBLE   PRECISION", "double precision"},
		{dialect.Postgres, "float(10)", "real"},
		{dialect.Postgres, "float(53)", "double precision"},
		{dialect.Postgres, "float4", "real"},
		{dialect.Postgres, "NUMERIC(20)", "numeric(20,0)"},
		{dialect.Postgres, "numeric(20,0)", "numeric(20,0)"},
		{dialect.Postgres, "decimal(10, 2)", "numeric(10,2)"},
		{dialect.Postgres, "character(3)", "char(3)"},
		{dialect.Postgres, "character", "char(1)"},
		{dialect.Postgres, "int4[]", "integer[]"},
		{dialect.Postgres, "text[3][]", "text[][]"},
		{dialect.Postgres, "JSONB", "jsonb"},
		{dialect.Postgres, `"MyEnum"`, `"MyEnum"`},
		// MySQL and MariaDB: display widths go, tinyint(1) stays.
		{dialect.MariaDB, "int(11)", "int"},
		{dialect.MariaDB, "INT", "int"},
		{dialect.MySQL, "integer", "int"},
		{dialect.MariaDB, "bigint(20) unsigned", "bigint unsigned"},
		{dialect.MariaDB, "BIGINT UNSIGNED", "bigint unsigned"},
		{dialect.MariaDB, "tinyint(3) unsigned", "tinyint unsigned"},
		{dialect.MariaDB, "tinyint(4)", "tinyint"},
		{dialect.MariaDB, "tinyint(1)", "tinyint(1)"},
		{dialect.MariaDB, "BOOLEAN", "tinyint(1)"},
		{dialect.MySQL, "bool", "tinyint(1)"},
		{dialect.MariaDB, "datetime(6)", "datetime(6)"},
		{dialect.MariaDB, "DATETIME(6)", "datetime(6)"},
		{dialect.MariaDB, "decimal(10,2)", "decimal(10,2)"},
		{dialect.MariaDB, "NUMERIC", "decimal(10,0)"},
		{dialect.MariaDB, "dec(12)", "decimal(12,0)"},
		{dialect.MariaDB, "double precision", "double"},
		{dialect.MariaDB, "REAL", "double"},
		{dialect.MariaDB, "VARCHAR(64)", "varchar(64)"},
		{dialect.MariaDB, "LONGTEXT", "longtext"},
		{dialect.MariaDB, "JSON", "json"},
		{dialect.MariaDB, "enum('A','b')", "enum('A','b')"},
		{dialect.MariaDB, "int(10) unsigned zerofill", "int unsigned zerofill"},
		// SQLite keeps the declared type.
		{dialect.SQLite, "VARCHAR(64)", "varchar(64)"},
		{dialect.SQLite, "  NUMERIC( 10 , 2 ) ", "numeric(10,2)"},
		{dialect.SQLite, "unsigned   big int", "unsigned big int"},
		{dialect.SQLite, "INT", "int"},
		{dialect.SQLite, "", ""},
	} {
		if got := schema.NormalizeType(c.d, c.in); got != c.out {
			t.Errorf("%s: NormalizeType(%q) = %q, want %q", c.d.Name(), c.in, got, c.out)
		}
	}
}

// TestNormalizeTypeName: every type the dialects write for a model is its
// own normal form's preimage: NormalizeType is idempotent on them.
func TestNormalizeTypeName(t *testing.T) {
	kinds := []fields.ColumnType{
		{Kind: fields.KindBool}, {Kind: fields.KindInt8}, {Kind: fields.KindInt16}, {Kind: fields.KindInt32},
		{Kind: fields.KindInt64}, {Kind: fields.KindUint8}, {Kind: fields.KindUint16}, {Kind: fields.KindUint32},
		{Kind: fields.KindUint64}, {Kind: fields.KindFloat32}, {Kind: fields.KindFloat64},
		{Kind: fields.KindDecimal, Precision: 10, Scale: 2}, {Kind: fields.KindString}, {Kind: fields.KindString, Size: 20},
		{Kind: fields.KindString, Key: true}, {Kind: fields.KindBytes}, {Kind: fields.KindTime}, {Kind: fields.KindDate},
		{Kind: fields.KindJSON}, {Kind: fields.KindUUID},
	}
	for _, d := range []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL, dialect.MariaDB} {
		for _, k := range kinds {
			name, err := d.TypeName(k)
			if err != nil {
				t.Fatalf("%s %v: %v", d, k, err)
			}
			n := schema.NormalizeType(d, name)
			if again := schema.NormalizeType(d, n); again != n {
				t.Errorf("%s: NormalizeType(%q) = %q, but NormalizeType(%q) = %q", d, name, n, n, again)
			}
		}
	}
}

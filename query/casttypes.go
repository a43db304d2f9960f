package query

import "github.com/kingletdb/kinglet/dialect"

// Portable types for Cast, written as each dialect spells them (see
// dialect.CastText): CAST(x AS TEXT) on one engine is CAST(x AS CHAR(65535))
// on another. Any other type name is written as given.
const (
	// TextType is a string of any length: TEXT, or CHAR(65535) on MySQL
	// and MariaDB.
	TextType = dialect.CastText
	// IntegerType is a 64-bit integer: BIGINT, INTEGER on SQLite, SIGNED
	// on MySQL and MariaDB.
	IntegerType = dialect.CastInteger
	// FloatType is a double-precision float: DOUBLE PRECISION, REAL on
	// SQLite, DOUBLE on MySQL and MariaDB.
	FloatType = dialect.CastFloat
	// BytesType is a byte string: BLOB, BYTEA on PostgreSQL, BINARY on
	// MySQL and MariaDB.
	BytesType = dialect.CastBytes
)

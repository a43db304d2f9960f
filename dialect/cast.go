package dialect

// Portable CAST types: names a CAST may use on every engine, which each
// dialect spells its own way where the engines differ (see CastName). Their
// text is the standard spelling, so a CAST written with one of them means
// the same to a reader whatever the engine.
const (
	// CastText is a character string of any length: TEXT on SQLite and
	// PostgreSQL, CHAR(65535) on MySQL and MariaDB (whose CAST takes no
	// TEXT, and whose CHAR without a length keeps the length of its
	// operand: a growing value, such as the path a recursive CTE builds,
	// would not fit).
	CastText = "TEXT"
	// CastInteger is a 64-bit integer: INTEGER on SQLite, BIGINT on
	// PostgreSQL, SIGNED on MySQL and MariaDB.
	CastInteger = "BIGINT"
	// CastFloat is a double-precision float: REAL on SQLite, DOUBLE
	// PRECISION on PostgreSQL, DOUBLE on MySQL and MariaDB.
	CastFloat = "DOUBLE PRECISION"
	// CastBytes is a byte string: BLOB on SQLite, BYTEA on PostgreSQL,
	// BINARY on MySQL and MariaDB.
	CastBytes = "BLOB"
)

// CastNamer is implemented by dialects that spell some portable CAST types
// (CastText, CastInteger, CastFloat, CastBytes) their own way. CastName
// returns the engine's spelling of typeName, or "" to keep it as written.
type CastNamer interface {
	CastName(typeName string) string
}

// CastName is the type d's CAST is written with for typeName: the engine's
// own spelling of a portable type (see CastText), typeName itself for any
// other type, or for a dialect without CastNamer.
func CastName(d Dialect, typeName string) string {
	if cn, ok := d.(CastNamer); ok {
		if s := cn.CastName(typeName); s != "" {
			return s
		}
	}
	return typeName
}

func (sqliteDialect) CastName(typeName string) string {
	switch typeName {
	case CastInteger:
		return "INTEGER"
	case CastFloat:
		return "REAL"
	}
	return "" // TEXT and BLOB as written
}

func (postgresDialect) CastName(typeName string) string {
	if typeName == CastBytes {
		return "BYTEA"
	}
	return ""
}

func (mysqlDialect) CastName(typeName string) string {
	switch typeName {
	case CastText:
		return "CHAR(65535)"
	case CastInteger:
		return "SIGNED"
	case CastFloat:
		return "DOUBLE"
	case CastBytes:
		return "BINARY"
	}
	return ""
}

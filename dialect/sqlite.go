package dialect

import (
	"fmt"

	"github.com/kingletdb/kinglet/fields"
)

// SQLite is SQLite 3.46 or later, the version embedded by modernc.org/sqlite.
var SQLite Dialect = newSQLite(Version{3, 46, 0})

type sqliteDialect struct {
	v         Version
	feats     Feature
	maxParams int // SQLITE_MAX_VARIABLE_NUMBER's default: 32766 since 3.32, 999 before
}

func newSQLite(v Version) sqliteDialect {
	// KeepPrepared: a kept statement skips SQLite's parse and plan, and
	// sqlite3_prepare_v2's statements re-prepare after a schema change.
	f := NullsOrder | IntersectExcept | DefaultValues | TransactionalDDL |
		ConcatOperator | CheckConstraints | CTE | RowValues | KeepPrepared
	if v.AtLeast(3, 24, 0) {
		f |= UpsertOnConflict | InsertAlias
	}
	if v.AtLeast(3, 25, 0) {
		f |= WindowFunctions | RenameColumn
	}
	if v.AtLeast(3, 30, 0) {
		f |= AggregateFilter
	}
	if v.AtLeast(3, 33, 0) {
		f |= UpdateFrom
	}
	if v.AtLeast(3, 35, 0) {
		f |= InsertReturning | UpdateReturning | DeleteReturning | DropColumn | UpsertUpdateNoTarget | MaterializedCTE
	}
	if v.AtLeast(3, 39, 0) {
		f |= RightJoin | FullJoin | IsDistinctFrom
	}
	// Indexes: IF NOT EXISTS, IF EXISTS and partial indexes have been there
	// since 3.8.
	f |= IndexIfNotExists | DropIndexIfExists | PartialIndex | LimitInSubquery | FKSetDefault |
		CTEBeforeInsert | CTEBeforeUpdateDelete | IndexExpressions | SchemaOnIndexName | ReturningBareColumns
	maxParams := 999
	if v.AtLeast(3, 32, 0) {
		maxParams = 32766
	}
	return sqliteDialect{v: v, feats: f, maxParams: maxParams}
}

func (sqliteDialect) Name() string         { return "sqlite" }
func (d sqliteDialect) String() string     { return "sqlite " + d.v.String() }
func (d sqliteDialect) Has(f Feature) bool { return d.feats&f == f }
func (d sqliteDialect) MaxParams() int     { return d.maxParams }
func (sqliteDialect) NoLimit() string      { return "-1" }
func (sqliteDialect) SingleWriter() bool   { return true }
func (sqliteDialect) IdentQuote() byte     { return '"' }
func (sqliteDialect) AppendIdent(b []byte, s string) []byte {
	return appendQuoted(b, s, '"')
}
func (sqliteDialect) AppendPlaceholder(b []byte, n int) []byte { return appendQuestion(b, n) }
func (sqliteDialect) AppendString(b []byte, s string) []byte {
	return appendQuoted(b, s, '\'')
}
func (sqliteDialect) AppendBytes(b []byte, v []byte) []byte { return appendXBlob(b, v) }
func (sqliteDialect) AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, '1')
	}
	return append(b, '0')
}
func (sqliteDialect) AutoIncrement() (string, bool) { return "PRIMARY KEY AUTOINCREMENT", true }

// TypeName follows SQLite's type affinity rules: every integer is INTEGER (an
// auto-increment key must be spelled exactly INTEGER to alias the rowid), and
// times use DATETIME so that the driver parses them back into time.Time.
// Decimals are NUMERIC(p,s): SQLite has no exact decimal type, so a value
// with a fraction is stored as a REAL (about 15 significant digits) while
// comparisons stay numeric; use a TEXT column (type:TEXT) for exact digits.
func (d sqliteDialect) TypeName(t fields.ColumnType) (string, error) {
	switch t.Kind {
	case fields.KindBool:
		return "BOOLEAN", nil
	case fields.KindInt8, fields.KindInt16, fields.KindInt32, fields.KindInt64,
		fields.KindUint8, fields.KindUint16, fields.KindUint32, fields.KindUint64:
		return "INTEGER", nil
	case fields.KindFloat32, fields.KindFloat64:
		return "REAL", nil
	case fields.KindDecimal:
		return decimal("NUMERIC", t.Precision, t.Scale), nil
	case fields.KindString:
		return sized("VARCHAR", t.Size), nil
	case fields.KindBytes:
		return "BLOB", nil
	case fields.KindTime:
		return "DATETIME", nil
	case fields.KindDate:
		return "DATE", nil
	case fields.KindJSON, fields.KindUUID:
		return "TEXT", nil
	}
	return "", fmt.Errorf("kinglet: dialect: %s has no column type for kind %s", d, t.Kind)
}

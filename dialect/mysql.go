package dialect

import (
	"fmt"

	"github.com/kingletdb/kinglet/fields"
)

// MySQL is MySQL 8.0.31 or later.
var MySQL Dialect = newMySQL(Version{8, 0, 31})

// MariaDB is MariaDB 10.6 or later.
var MariaDB Dialect = newMariaDB(Version{10, 6, 0})

type mysqlDialect struct {
	name  string
	v     Version
	feats Feature
}

const mysqlCommon = ParenCompound | ForUpdate | MultiTableUpdate | MultiTableDelete | NullSafeEqual |
	UpsertOnDuplicateKey | DropIndexOnTable | WindowFunctions | RowValues | CTE | BackslashEscapes |
	AlterColumn | DropColumn | UpdateLimit | DropManyTables | NamedLock | AddConstraint | ModifyColumn | DropForeignKey | KeepPrepared

func newMySQL(v Version) mysqlDialect {
	f := mysqlCommon | RightJoin
	if v.AtLeast(8, 0, 0) {
		f |= ForShare | LockOf | LockNoWait | LockSkipLocked | RenameColumn | CTEBeforeUpdateDelete
	}
	if v.AtLeast(8, 0, 13) {
		f |= IndexExpressions | TextDefaultParens
	}
	if v.AtLeast(8, 0, 16) {
		f |= CheckConstraints
	}
	if v.AtLeast(8, 0, 31) {
		f |= IntersectExcept
	}
	return mysqlDialect{name: "mysql", v: v, feats: f}
}

func newMariaDB(v Version) mysqlDialect {
	f := mysqlCommon | RightJoin | LockInShareMode | IndexIfNotExists | DropIndexIfExists | CheckConstraints
	if v.AtLeast(10, 3, 0) {
		f |= LockNoWait | IntersectExcept
	}
	if v.AtLeast(10, 5, 0) {
		f |= InsertReturning | DeleteReturning | RenameColumn
	}
	if v.AtLeast(10, 6, 0) {
		f |= LockSkipLocked
	}
	return mysqlDialect{name: "mariadb", v: v, feats: f}
}

func (d mysqlDialect) Name() string       { return d.name }
func (d mysqlDialect) String() string     { return d.name + " " + d.v.String() }
func (d mysqlDialect) Has(f Feature) bool { return d.feats&f == f }
func (mysqlDialect) MaxParams() int       { return 65535 }
func (mysqlDialect) NoLimit() string      { return "18446744073709551615" }
func (mysqlDialect) IdentQuote() byte     { return '`' }
func (mysqlDialect) AppendIdent(b []byte, s string) []byte {
	return appendQuoted(b, s, '`')
}
func (mysqlDialect) AppendPlaceholder(b []byte, n int) []byte { return appendQuestion(b, n) }

// AppendString escapes both the quote and the backslash, so the literal means
// the same whether or not NO_BACKSLASH_ESCAPES is set... except that with it
// set a backslash is doubled; kinglet assumes the default sql_mode.
func (mysqlDialect) AppendString(b []byte, s string) []byte {
	b = append(b, '\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			b = append(b, '\'', '\'')
		case '\\':
			b = append(b, '\\', '\\')
		case 0:
			b = append(b, '\\', '0')
		default:
			b = append(b, c)
		}
	}
	return append(b, '\'')
}
func (mysqlDialect) AppendBytes(b []byte, v []byte) []byte { return appendXBlob(b, v) }
func (mysqlDialect) AppendBool(b []byte, v bool) []byte    { return appendBoolWord(b, v) }
func (mysqlDialect) AutoIncrement() (string, bool)         { return "AUTO_INCREMENT", false }

// TypeName uses LONGTEXT/LONGBLOB for unbounded values (TEXT would fail past
// 64 KiB) and VARCHAR(255)/VARBINARY(255) for unbounded key columns, since
// MySQL cannot index a TEXT column without a prefix length. DECIMAL needs an
// explicit precision: MySQL's default DECIMAL(10,0) would drop the fraction.
func (d mysqlDialect) TypeName(t fields.ColumnType) (string, error) {
	switch t.Kind {
	case fields.KindBool:
		return "BOOLEAN", nil
	case fields.KindInt8:
		return "TINYINT", nil
	case fields.KindInt16:
		return "SMALLINT", nil
	case fields.KindInt32:
		return "INT", nil
	case fields.KindInt64:
		return "BIGINT", nil
	case fields.KindUint8:
		return "TINYINT UNSIGNED", nil
	case fields.KindUint16:
		return "SMALLINT UNSIGNED", nil
	case fields.KindUint32:
		return "INT UNSIGNED", nil
	case fields.KindUint64:
		return "BIGINT UNSIGNED", nil
	case fields.KindFloat32:
		return "FLOAT", nil
	case fields.KindFloat64:
		return "DOUBLE", nil
	case fields.KindDecimal:
		if t.Precision <= 0 {
			return "", fmt.Errorf("kinglet: dialect: %s: a decimal column needs a precision (DECIMAL(p,s)); the default DECIMAL(10,0) would drop the fraction", d)
		}
		return decimal("DECIMAL", t.Precision, t.Scale), nil
	case fields.KindString:
		switch {
		case t.Size > 0:
			return sized("VARCHAR", t.Size), nil
		case t.Key:
			return "VARCHAR(255)", nil
		}
		return "LONGTEXT", nil
	case fields.KindBytes:
		switch {
		case t.Size > 0:
			return sized("VARBINARY", t.Size), nil
		case t.Key:
			return "VARBINARY(255)", nil
		}
		return "LONGBLOB", nil
	case fields.KindTime:
		return "DATETIME(6)", nil
	case fields.KindDate:
		return "DATE", nil
	case fields.KindJSON:
		return "JSON", nil
	case fields.KindUUID:
		return "CHAR(36)", nil
	}
	return "", fmt.Errorf("kinglet: dialect: %s has no column type for kind %s", d, t.Kind)
}

// TableOptions makes every table InnoDB (foreign keys, transactions) with
// utf8mb4, whatever the server's default character set is.
func (mysqlDialect) TableOptions() string { return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" }

// CurrentTimestamp matches the DATETIME(6) used for time columns.
func (mysqlDialect) CurrentTimestamp() string { return "CURRENT_TIMESTAMP(6)" }

package dialect

import (
	"errors"
	"fmt"
	"math"

	"github.com/kingletdb/kinglet/fields"
)

// ErrUnsupported is wrapped by every error that reports a feature the target
// engine (or engine version) does not have.
var ErrUnsupported = errors.New("kinglet: not supported by this dialect")

// Unsupported returns an error wrapping ErrUnsupported that names the feature
// and the dialect.
func Unsupported(d Dialect, feature string) error {
	return fmt.Errorf("%w: %s on %s", ErrUnsupported, feature, d)
}

// Dialect is how one engine spells SQL. Implementations are immutable values
// safe for concurrent use.
type Dialect interface {
	// Name is the engine family: "sqlite", "postgres", "mysql" or "mariadb".
	Name() string
	// String is the name and version, e.g. "mariadb 10.6"; used in errors.
	String() string
	// Has reports whether the engine supports f.
	Has(f Feature) bool
	// AppendIdent appends name as one quoted identifier, escaping any quote
	// character inside it.
	AppendIdent(b []byte, name string) []byte
	// AppendPlaceholder appends the n-th (1-based) bound parameter marker.
	AppendPlaceholder(b []byte, n int) []byte
	// AppendString appends s as a string literal. Only DDL (where engines
	// accept no bound parameters) and debug output use literals.
	AppendString(b []byte, s string) []byte
	// AppendBytes appends v as a binary literal.
	AppendBytes(b []byte, v []byte) []byte
	// AppendBool appends a boolean literal.
	AppendBool(b []byte, v bool) []byte
	// TypeName returns the column type for t, or an error naming what cannot
	// be stored.
	TypeName(t fields.ColumnType) (string, error)
	// AutoIncrement returns the clause written after the type of an
	// auto-increment primary key column, and whether that clause already
	// declares the primary key (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT).
	AutoIncrement() (clause string, declaresPK bool)
	// MaxParams is the most bound parameters one statement may carry.
	MaxParams() int
}

// IdentQuoter is implemented by dialects whose AppendIdent encloses a name
// in one quote character, doubling that character inside it; renderers use
// it to quote the common identifier (no quote, no NUL) in one pass.
type IdentQuoter interface {
	IdentQuote() byte
}

// Marks are the characters a dialect writes around names and for bound
// parameters, for renderers that write the common cases themselves instead
// of calling the Dialect for each name and each parameter.
type Marks struct {
	// IdentQuote encloses a name, doubled inside it (see IdentQuoter); 0
	// when the dialect quotes otherwise: call AppendIdent.
	IdentQuote byte
	// Placeholder is '?' when every parameter is written ?, '$' when the
	// n-th is written $n; 0 otherwise: call AppendPlaceholder.
	Placeholder byte
	// MaxParams is the dialect's MaxParams, or math.MaxInt when that is
	// zero or less (no limit stated).
	MaxParams int
}

// MarksOf returns d's Marks. The dialects of this package are told by their
// type alone, which costs less than asking for an interface; any other
// dialect reports its quote through IdentQuoter.
func MarksOf(d Dialect) Marks {
	switch x := d.(type) {
	case postgresDialect:
		return Marks{'"', '$', x.MaxParams()}
	case sqliteDialect:
		return Marks{'"', '?', x.MaxParams()}
	case mysqlDialect:
		return Marks{'`', '?', x.MaxParams()}
	}
	m := Marks{MaxParams: math.MaxInt}
	if iq, ok := d.(IdentQuoter); ok {
		m.IdentQuote = iq.IdentQuote()
	}
	if n := d.MaxParams(); n > 0 {
		m.MaxParams = n
	}
	return m
}

// NoLimiter is implemented by dialects that cannot write OFFSET without LIMIT;
// NoLimit is the LIMIT operand that means "all rows" (SQLite -1, MySQL 2^64-1).
// A dialect without it writes OFFSET alone.
type NoLimiter interface {
	NoLimit() string
}

// Feature is one capability an engine may have. Dialect.Has answers for it.
type Feature uint64

// Features the query builder consults. Where a feature is missing, the builder
// either emulates it (documented on the builder method) or fails with an
// error wrapping ErrUnsupported.
const (
	InsertReturning       Feature = 1 << iota // INSERT … RETURNING
	UpdateReturning                           // UPDATE … RETURNING
	DeleteReturning                           // DELETE … RETURNING
	NullsOrder                                // ORDER BY x NULLS FIRST|LAST (emulated otherwise)
	DistinctOn                                // SELECT DISTINCT ON (…)
	ILike                                     // ILIKE operator (emulated with LOWER otherwise)
	RightJoin                                 // RIGHT JOIN
	FullJoin                                  // FULL JOIN
	IntersectExcept                           // INTERSECT and EXCEPT
	ParenCompound                             // a compound member may be parenthesized
	ForUpdate                                 // SELECT … FOR UPDATE
	ForShare                                  // SELECT … FOR SHARE
	LockInShareMode                           // shared lock spelled LOCK IN SHARE MODE (MariaDB)
	ForNoKeyUpdate                            // FOR NO KEY UPDATE / FOR KEY SHARE (PostgreSQL)
	LockOf                                    // FOR UPDATE OF t
	LockNoWait                                // NOWAIT
	LockSkipLocked                            // SKIP LOCKED
	IndexIfNotExists                          // CREATE INDEX IF NOT EXISTS
	DropIndexIfExists                         // DROP INDEX IF EXISTS
	DropIndexOnTable                          // DROP INDEX name ON table (MySQL)
	PartialIndex                              // CREATE INDEX … WHERE
	UpdateFrom                                // UPDATE t SET … FROM other
	MultiTableUpdate                          // UPDATE t JOIN other ON … SET … (MySQL)
	DeleteUsing                               // DELETE FROM t USING other
	MultiTableDelete                          // DELETE t FROM t JOIN other (MySQL)
	AggregateFilter                           // agg(…) FILTER (WHERE …) (emulated with CASE otherwise)
	IsDistinctFrom                            // IS [NOT] DISTINCT FROM
	NullSafeEqual                             // <=> (MySQL's IS NOT DISTINCT FROM)
	ConcatOperator                            // || concatenates (otherwise CONCAT())
	UpsertOnConflict                          // INSERT … ON CONFLICT (…) DO …
	UpsertOnDuplicateKey                      // INSERT … ON DUPLICATE KEY UPDATE
	DefaultValues                             // INSERT … DEFAULT VALUES (otherwise () VALUES ())
	DropTableCascade                          // DROP TABLE … CASCADE that really cascades
	TransactionalDDL                          // DDL can be rolled back
	InsertAlias                               // INSERT INTO t AS alias
	WindowFunctions                           // OVER (…), WINDOW clause
	RowValues                                 // (a, b) = (1, 2)
	CTE                                       // WITH and WITH RECURSIVE
	BackslashEscapes                          // string literals treat \ as an escape and # starts a comment (MySQL)
	CheckConstraints                          // CHECK constraints are enforced
	AlterColumn                               // ALTER TABLE … ALTER/MODIFY COLUMN
	RenameColumn                              // ALTER TABLE … RENAME COLUMN
	DropColumn                                // ALTER TABLE … DROP COLUMN
	UpsertUpdateNoTarget                      // ON CONFLICT DO UPDATE without a conflict target (SQLite 3.35)
	MaterializedCTE                           // WITH x AS [NOT] MATERIALIZED (…)
	ConflictOnConstraint                      // ON CONFLICT ON CONSTRAINT name (PostgreSQL)
	FKSetDefault                              // ON DELETE/UPDATE SET DEFAULT (not InnoDB)
	DropManyTables                            // DROP TABLE a, b
	CTEBeforeInsert                           // WITH … INSERT (MySQL and MariaDB take WITH only inside INSERT … SELECT)
	CTEBeforeUpdateDelete                     // WITH … UPDATE/DELETE (not MariaDB)
	IndexExpressions                          // CREATE INDEX on expressions ((lower(x)))
	SchemaOnIndexName                         // CREATE INDEX "schema"."idx" ON "t"; REFERENCES names no schema (SQLite)
	ReturningBareColumns                      // RETURNING cannot use the target alias (SQLite)
	TextDefaultParens                         // a literal DEFAULT on TEXT/BLOB/JSON must be parenthesized (MySQL 8)
	DollarQuotes                              // $tag$ bodies, E'…' strings and nested comments (PostgreSQL)
	AdvisoryLock                              // session advisory locks: pg_advisory_lock (PostgreSQL)
	NamedLock                                 // named locks: GET_LOCK (MySQL, MariaDB)
	UpdateLimit                               // UPDATE/DELETE … ORDER BY … LIMIT
	LimitInSubquery                           // LIMIT inside an IN (subquery)
	AddConstraint                             // ALTER TABLE … ADD/DROP CONSTRAINT (FOREIGN KEY, UNIQUE, CHECK); SQLite rebuilds the table
	ModifyColumn                              // type and NULL changes restate the column: ALTER TABLE … MODIFY COLUMN (MySQL)
	DropForeignKey                            // ALTER TABLE … DROP FOREIGN KEY (MySQL; otherwise DROP CONSTRAINT)
	KeepPrepared                              // statements kept prepared per connection pay off, and the engine re-prepares them after schema changes: one round trip instead of three (MySQL, MariaDB), no parse and plan per statement (SQLite)
	DataModifyingCTE                          // WITH x AS (INSERT/UPDATE/DELETE … RETURNING …) SELECT … (PostgreSQL)
)

// featureNames names each Feature for error messages.
var featureNames = map[Feature]string{
	InsertReturning: "INSERT … RETURNING", UpdateReturning: "UPDATE … RETURNING",
	DeleteReturning: "DELETE … RETURNING", NullsOrder: "NULLS FIRST/LAST", DistinctOn: "DISTINCT ON",
	ILike: "ILIKE", RightJoin: "RIGHT JOIN", FullJoin: "FULL JOIN", IntersectExcept: "INTERSECT/EXCEPT",
	ParenCompound: "parenthesized compound members", ForUpdate: "FOR UPDATE", ForShare: "FOR SHARE",
	LockInShareMode: "LOCK IN SHARE MODE", ForNoKeyUpdate: "FOR NO KEY UPDATE / FOR KEY SHARE",
	LockOf: "FOR UPDATE OF", LockNoWait: "NOWAIT", LockSkipLocked: "SKIP LOCKED",
	IndexIfNotExists: "CREATE INDEX IF NOT EXISTS", DropIndexIfExists: "DROP INDEX IF EXISTS",
	DropIndexOnTable: "DROP INDEX … ON", PartialIndex: "partial index (CREATE INDEX … WHERE)",
	UpdateFrom: "UPDATE … FROM", MultiTableUpdate: "multi-table UPDATE", DeleteUsing: "DELETE … USING",
	MultiTableDelete: "multi-table DELETE", AggregateFilter: "aggregate FILTER (WHERE …)",
	IsDistinctFrom: "IS DISTINCT FROM", NullSafeEqual: "<=>", ConcatOperator: "|| concatenation",
	UpsertOnConflict: "ON CONFLICT", UpsertOnDuplicateKey: "ON DUPLICATE KEY UPDATE",
	DefaultValues: "DEFAULT VALUES", DropTableCascade: "DROP TABLE … CASCADE",
	TransactionalDDL: "transactional DDL", InsertAlias: "INSERT INTO … AS alias",
	WindowFunctions: "window functions", RowValues: "row values", CTE: "WITH (common table expressions)",
	BackslashEscapes: "backslash escapes in strings", CheckConstraints: "CHECK constraints",
	AlterColumn: "ALTER COLUMN", RenameColumn: "RENAME COLUMN", DropColumn: "DROP COLUMN",
	UpdateLimit: "UPDATE/DELETE … LIMIT", DollarQuotes: "dollar quoting", AdvisoryLock: "advisory locks", NamedLock: "named locks (GET_LOCK)", CTEBeforeInsert: "WITH before INSERT", CTEBeforeUpdateDelete: "WITH before UPDATE/DELETE", IndexExpressions: "expression index", SchemaOnIndexName: "schema on the index name", ReturningBareColumns: "RETURNING without the target alias", TextDefaultParens: "parenthesized TEXT defaults", DropManyTables: "DROP TABLE of several tables", FKSetDefault: "ON DELETE SET DEFAULT", ConflictOnConstraint: "ON CONFLICT ON CONSTRAINT", MaterializedCTE: "MATERIALIZED CTE", UpsertUpdateNoTarget: "ON CONFLICT DO UPDATE without a conflict target", LimitInSubquery: "LIMIT in an IN subquery",
	AddConstraint: "ALTER TABLE … ADD CONSTRAINT", ModifyColumn: "ALTER TABLE … MODIFY COLUMN", DropForeignKey: "ALTER TABLE … DROP FOREIGN KEY",
	KeepPrepared: "statements kept prepared", DataModifyingCTE: "INSERT/UPDATE/DELETE in WITH",
}

// String names the feature, e.g. "FOR UPDATE OF".
func (f Feature) String() string {
	if n, ok := featureNames[f]; ok {
		return n
	}
	return fmt.Sprintf("feature(%#x)", uint64(f))
}

// Require returns nil when d has f, and otherwise an error wrapping
// ErrUnsupported that names f and d.
func Require(d Dialect, f Feature) error {
	if d.Has(f) {
		return nil
	}
	return Unsupported(d, f.String())
}

// TableOptioner is implemented by dialects that append options to CREATE
// TABLE (MySQL: the storage engine and a full-Unicode character set).
type TableOptioner interface {
	TableOptions() string
}

// CurrentTimestamper is implemented by dialects whose "now" default must
// match the column's precision (MySQL's DATETIME(6) needs
// CURRENT_TIMESTAMP(6)). Without it, CURRENT_TIMESTAMP is used.
type CurrentTimestamper interface {
	CurrentTimestamp() string
}

// SingleWriter is implemented by dialects whose engine lets one connection
// write to a database at a time, and where a transaction that has read
// cannot always take the write lock later (SQLite: SQLITE_BUSY at once when
// another connection wrote in between). An ORM over such a dialect queues
// its own writers and begins its write transactions with the write lock
// taken; the migration runner locks a run with a lease row written under
// that lock, and reads the schema from the engine's file (sqlite_schema and
// its pragmas). Without it, the engine locks rows as statements run.
type SingleWriter interface {
	SingleWriter() bool
}

// Package gormlite is a GORM dialector for SQLite over a *sql.DB that the
// caller opened with modernc.org/sqlite, so that the benchmarks run GORM on
// exactly the driver, file and pool settings that kinglet, raw database/sql,
// sqlx and bun use.
//
// Why not an existing dialector: gorm.io/driver/sqlite imports
// github.com/mattn/go-sqlite3 (cgo: with CGO_ENABLED=1 every build compiles
// SQLite's C source, even when Conn is an existing pool of another driver),
// and github.com/glebarez/sqlite brings its own fork of the modernc driver,
// which registers the database/sql driver name "sqlite" a second time (a
// panic at init next to modernc.org/sqlite).
//
// The SQL GORM produces through it is the SQL gorm.io/driver/sqlite v1.6
// produces on SQLite ≥ 3.35: ? placeholders, identifiers in backticks, INSERT,
// UPDATE and DELETE with RETURNING, LIMIT as a number in the text. Only what
// the benchmarks need is here; migrations (AutoMigrate) are not supported.
package gormlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/callbacks"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"
)

// Dialector is a gorm.Dialector over an open SQLite pool.
type Dialector struct {
	// Conn is the pool GORM runs its statements on.
	Conn *sql.DB
}

// New returns a dialector that runs GORM on db, a pool of modernc.org/sqlite.
func New(db *sql.DB) gorm.Dialector { return Dialector{Conn: db} }

// Name is "sqlite", the name GORM's own SQLite dialector has.
func (Dialector) Name() string { return "sqlite" }

// Initialize installs GORM's default callbacks with RETURNING clauses, which
// SQLite has since 3.35.0; an older library is an error.
func (d Dialector) Initialize(db *gorm.DB) error {
	if d.Conn == nil {
		return fmt.Errorf("gormlite: no *sql.DB")
	}
	db.ConnPool = d.Conn
	var version string
	if err := d.Conn.QueryRowContext(context.Background(), "SELECT sqlite_version()").Scan(&version); err != nil {
		return fmt.Errorf("gormlite: read the SQLite version: %w", err)
	}
	if !atLeast(version, 3, 35) {
		return fmt.Errorf("gormlite: SQLite %s has no RETURNING (3.35.0 or newer needed)", version)
	}
	callbacks.RegisterDefaultCallbacks(db, &callbacks.Config{
		CreateClauses:        []string{"INSERT", "VALUES", "ON CONFLICT", "RETURNING"},
		UpdateClauses:        []string{"UPDATE", "SET", "FROM", "WHERE", "RETURNING"},
		DeleteClauses:        []string{"DELETE", "FROM", "WHERE", "RETURNING"},
		LastInsertIDReversed: true,
	})
	if _, ok := db.ClauseBuilders["LIMIT"]; !ok {
		db.ClauseBuilders["LIMIT"] = buildLimit
	}
	return nil
}

// buildLimit writes LIMIT and OFFSET as numbers in the text, as GORM's
// SQLite dialector does (GORM's default binds them), with LIMIT -1 for an
// OFFSET alone, which SQLite needs.
func buildLimit(c clause.Clause, b clause.Builder) {
	l, ok := c.Expression.(clause.Limit)
	if !ok {
		c.Build(b)
		return
	}
	n := -1
	if l.Limit != nil && *l.Limit >= 0 {
		n = *l.Limit
	}
	if n < 0 && l.Offset <= 0 {
		return
	}
	b.WriteString("LIMIT ")
	b.WriteString(strconv.Itoa(n))
	if l.Offset > 0 {
		b.WriteString(" OFFSET ")
		b.WriteString(strconv.Itoa(l.Offset))
	}
}

// atLeast reports whether a dotted version is at least major.minor.
func atLeast(version string, major, minor int) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || ma == major && mi >= minor
}

// Migrator is GORM's generic migrator; the benchmarks create their tables
// themselves and never call it.
func (d Dialector) Migrator(db *gorm.DB) gorm.Migrator {
	return migrator.Migrator{Config: migrator.Config{DB: db, Dialector: d, CreateIndexAfterCreateTable: true}}
}

// DataTypeOf maps GORM's data types to SQLite column types.
func (Dialector) DataTypeOf(f *schema.Field) string {
	switch f.DataType {
	case schema.Bool:
		return "numeric"
	case schema.Int, schema.Uint:
		if f.AutoIncrement {
			return "integer PRIMARY KEY AUTOINCREMENT"
		}
		return "integer"
	case schema.Float:
		return "real"
	case schema.String:
		return "text"
	case schema.Time:
		return "datetime"
	case schema.Bytes:
		return "blob"
	}
	return string(f.DataType)
}

// DefaultValueOf makes an auto-increment column NULL on insert, which SQLite
// turns into the next rowid.
func (Dialector) DefaultValueOf(f *schema.Field) clause.Expression {
	if f.AutoIncrement {
		return clause.Expr{SQL: "NULL"}
	}
	return clause.Expr{SQL: "DEFAULT"}
}

// BindVarTo writes SQLite's positional placeholder.
func (Dialector) BindVarTo(w clause.Writer, _ *gorm.Statement, _ any) { w.WriteByte('?') }

// QuoteTo writes an identifier, or a dotted table.column, in backticks,
// doubling any backtick inside a name.
func (Dialector) QuoteTo(w clause.Writer, s string) {
	for i, part := range strings.Split(s, ".") {
		if i > 0 {
			w.WriteByte('.')
		}
		w.WriteByte('`')
		w.WriteString(strings.ReplaceAll(part, "`", "``"))
		w.WriteByte('`')
	}
}

// Explain inlines vars into sql for GORM's logger.
func (Dialector) Explain(sql string, vars ...any) string {
	return logger.ExplainSQL(sql, nil, `"`, vars...)
}

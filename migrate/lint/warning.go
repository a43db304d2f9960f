package lint

import (
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// Kind is what a Warning is about.
type Kind int

// The changes lint warns about.
const (
	// NotNullNoDefault is a NOT NULL column added to a table without a
	// default: the rows already there have no value for it.
	NotNullNoDefault Kind = iota + 1
	// TypeRewrite is a column type change, which rewrites or copies the
	// table on PostgreSQL and MySQL.
	TypeRewrite
	// IndexLock is an index built without CONCURRENTLY on PostgreSQL,
	// which blocks writes to the table until it is built.
	IndexLock
	// DropColumn is a dropped column: its data is lost.
	DropColumn
	// DropTable is a dropped table: its rows are lost.
	DropTable
	// SQLiteRebuild is a SQLite table rebuilt to change it: a new table,
	// every row copied, the old one dropped, the new one renamed.
	SQLiteRebuild
)

var kindNames = [...]string{
	NotNullNoDefault: "not-null-without-default",
	TypeRewrite:      "type-rewrite",
	IndexLock:        "index-lock",
	DropColumn:       "drop-column",
	DropTable:        "drop-table",
	SQLiteRebuild:    "sqlite-rebuild",
}

// String is the kind's name: not-null-without-default, type-rewrite,
// index-lock, drop-column, drop-table, sqlite-rebuild.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Warning is one risky change.
type Warning struct {
	Kind   Kind
	Engine string // the dialect's name: sqlite, postgres, mysql, mariadb
	Table  string
	Column string // for NotNullNoDefault, TypeRewrite and DropColumn
	// Statement is the SQL statement (Statements) or the operation
	// (Ops) that makes the change; Index is its position, from 1.
	Statement string
	Index     int
	// Message says what happens on Engine; Suggestion, a safer sequence.
	Message    string
	Suggestion string
}

// String is the warning on one line: "postgres: users.age: adding … ;
// safer: …".
func (w Warning) String() string {
	what := w.Table
	if w.Column != "" {
		what += "." + w.Column
	}
	return w.Engine + ": " + what + ": " + w.Message + "; safer: " + w.Suggestion
}

// advice fills in the message and suggestion of w for engine family fam.
func advice(w Warning, fam sqltext.Family) Warning {
	t, c := w.Table, w.Column
	switch w.Kind {
	case NotNullNoDefault:
		switch fam {
		case sqltext.Postgres:
			w.Message = "adding NOT NULL column " + c + " without a default fails when " + t + " has rows"
		case sqltext.MySQL:
			w.Message = "adding NOT NULL column " + c + " without a default gives the rows of " + t +
				" the type's implicit value (0, '') without a word, or fails in strict mode"
		default:
			w.Message = "SQLite cannot add NOT NULL column " + c + " without a default: the table is rebuilt, and the copy fails when " + t + " has rows"
		}
		w.Suggestion = "add " + c + " as NULL, backfill it in batches, then make it NOT NULL in a later migration (or give it a DEFAULT)"
	case TypeRewrite:
		if fam == sqltext.MySQL {
			w.Message = "changing the definition of " + c + " copies " + t + " (ALGORITHM=COPY), blocking writes until every row is copied"
		} else {
			w.Message = "changing the type of " + c + " rewrites " + t + " and its indexes under an ACCESS EXCLUSIVE lock (only a longer varchar or text is free)"
		}
		w.Suggestion = "add a new column of the new type, backfill it in batches, move the code to it, then drop " + c + " in a later migration"
	case IndexLock:
		w.Message = "building the index without CONCURRENTLY blocks writes to " + t + " until it is built"
		w.Suggestion = "CREATE INDEX CONCURRENTLY (CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … UNIQUE USING INDEX, for a constraint) " +
			"in a migration of its own whose file starts with -- kinglet:no-transaction"
	case DropColumn:
		w.Message = "dropping " + c + " loses its data, and code still reading it fails"
		w.Suggestion = "stop reading and writing " + c + " in the code and deploy that first, back the data up, then drop it in a later migration"
	case DropTable:
		w.Message = "dropping " + t + " loses its rows, and code still using it fails"
		w.Suggestion = "stop using " + t + " in the code and deploy that first, back it up (or rename it and drop it later), then drop it"
	case SQLiteRebuild:
		w.Message = "the change rebuilds " + t + ": every row is copied into a new table while the database is locked for writes"
		w.Suggestion = "run it when writes can wait for the copy; on a big table, make the change in steps ALTER TABLE can take " +
			"(ADD COLUMN with a constant default, DROP COLUMN, RENAME) where the design allows"
	}
	return w
}

// family is d's engine family, or false for an engine lint does not know.
func family(d dialect.Dialect) (sqltext.Family, bool) {
	if d == nil {
		return 0, false
	}
	fam := sqltext.FamilyOf(d)
	return fam, fam == sqltext.SQLite || fam == sqltext.Postgres || fam == sqltext.MySQL
}

// lower folds an identifier for comparison, as the engines do for
// unquoted names.
func lower(s string) string { return strings.ToLower(s) }

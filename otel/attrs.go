package kotel

import (
	"context"
	"errors"
	"strconv"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"modernc.org/sqlite"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/orm"
)

// systemName is db.system.name for the engine of ev's dialect.
func systemName(ev *orm.QueryEvent) attribute.KeyValue { return systemOf(ev.Dialect) }

// systemOf maps kinglet's engines to the conventions' names.
func systemOf(d dialect.Dialect) attribute.KeyValue {
	if d == nil {
		return semconv.DBSystemNameOtherSQL
	}
	switch d.Name() {
	case "sqlite":
		return semconv.DBSystemNameSQLite
	case "postgres":
		return semconv.DBSystemNamePostgreSQL
	case "mysql":
		return semconv.DBSystemNameMySQL
	case "mariadb":
		return semconv.DBSystemNameMariaDB
	}
	return semconv.DBSystemNameOtherSQL
}

// appendErr appends error.type and, where the driver gave one,
// db.response.status_code for err.
func appendErr(attrs []attribute.KeyValue, err error) []attribute.KeyValue {
	code := statusCode(err)
	if code != "" {
		attrs = append(attrs, semconv.DBResponseStatusCode(code))
	}
	return append(attrs, semconv.ErrorTypeKey.String(errorType(err, code)))
}

// statusCode is the driver's code for err: PostgreSQL's SQLSTATE, MySQL's
// and MariaDB's error number, SQLite's extended result code; "" if none.
func statusCode(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		return strconv.Itoa(int(my.Number))
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return strconv.Itoa(lite.Code())
	}
	return ""
}

// errorType is error.type for err (see the package documentation).
func errorType(err error, code string) string {
	switch orm.Classify(err) {
	case orm.ErrUniqueViolation:
		return "unique_violation"
	case orm.ErrForeignKeyViolation:
		return "foreign_key_violation"
	case orm.ErrNotNullViolation:
		return "not_null_violation"
	case orm.ErrCheckViolation:
		return "check_violation"
	case orm.ErrDeadlock:
		return "deadlock"
	case orm.ErrSerialization:
		return "serialization_failure"
	case orm.ErrLockTimeout:
		return "lock_timeout"
	case orm.ErrBusy:
		return "busy"
	}
	switch {
	case code != "":
		return code
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return semconv.ErrorType(err).Value.AsString()
}

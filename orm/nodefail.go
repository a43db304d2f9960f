package orm

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// failover reports what the error of a read on a replica says about the
// replica: whether the read got no answer there and may run elsewhere
// (retry), and whether the replica is to be taken out (down). Connection
// failures (refused, reset, closed mid-statement, a server shutting down or
// starting up, too many connections) are both; a PostgreSQL standby's
// cancelling of a query that conflicts with what it replays (40001 there,
// for a read outside a transaction) is a retry on another node, the
// replica staying in. Anything the server answered otherwise (a syntax
// error, a missing table) is the read's own: it would fail anywhere.
func failover(err error) (retry, down bool) {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false, false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case strings.HasPrefix(pg.Code, "08"), // connection exception
			strings.HasPrefix(pg.Code, "57P"), // admin/crash shutdown, cannot connect now
			pg.Code == "53300":                // too many connections
			return true, true
		case pg.Code == "40001", pg.Code == "40P01": // a conflict with recovery
			return true, false
		}
		return false, false
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		switch my.Number {
		case 1040, // too many connections
			1047,                                                 // Galera: WSREP has not yet prepared the node for application use
			1053,                                                 // server shutdown in progress
			1077,                                                 // normal shutdown
			1078,                                                 // got signal, aborting
			1079,                                                 // shutdown complete
			1152,                                                 // aborted connection
			1153, 1154, 1155, 1156, 1157, 1158, 1159, 1160, 1161, // network read and write errors
			1927,                   // connection was killed
			2002, 2003, 2006, 2013: // the client's: cannot connect, server gone away, lost connection
			return true, true
		}
		return false, false
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return false, false
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	if errors.As(err, &ne) || errors.As(err, &ce) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true, true
	}
	return false, false
}

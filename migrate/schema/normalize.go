package schema

import (
	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// NormalizeType returns the canonical lower-case spelling of column type
// typ on d, so that what d.TypeName writes and what the engine's catalog
// reports compare equal:
//
//   - everywhere: lower case outside quotes, single spaces, no spaces
//     around parentheses and commas (NUMERIC(10, 2) -> numeric(10,2));
//   - PostgreSQL: the SQL-standard and internal aliases fold to one name
//     (character varying(255) and varchar(255) -> varchar(255), int4 ->
//     integer, int8 -> bigint, bool -> boolean, float8 -> double precision,
//     timestamp with time zone -> timestamptz, numeric(20) ->
//     numeric(20,0), serial -> integer);
//   - MySQL and MariaDB: display widths are dropped (int(11) -> int,
//     bigint(20) unsigned -> bigint unsigned) except tinyint(1), which is
//     how BOOLEAN is stored; integer -> int, numeric -> decimal(10,0),
//     real and double precision -> double;
//   - SQLite: the declared type is kept (SQLite stores it as written).
func NormalizeType(d dialect.Dialect, typ string) string { return sqltext.NormalizeType(d, typ) }

package migrate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// history is the SQL of the history table, rendered once for the dialect:
//
//	version     BIGINT PRIMARY KEY  -- the migration's number
//	name        VARCHAR(255)        -- its name
//	checksum    VARCHAR(64)         -- hex SHA-256 of the .up.sql file; empty for Go
//	applied_at  timestamp           -- UTC
//	duration_ms BIGINT              -- how long Up took
type history struct {
	create, selectAll, insert, delete string
}

func newHistory(d dialect.Dialect, table string) (history, error) {
	T := query.Table(table)
	str := func(n int) fields.ColumnType { return fields.ColumnType{Kind: fields.KindString, Size: n} }
	i64 := fields.ColumnType{Kind: fields.KindInt64}
	var h history
	var err error
	build := func(dst *string, q interface {
		Build(dialect.Dialect) (string, []any, error)
	}) {
		if err == nil {
			*dst, _, err = q.Build(d)
		}
	}
	build(&h.create, query.CreateTable(T).IfNotExists().Column(
		query.ColumnDef{Name: "version", Type: i64, NotNull: true, PrimaryKey: true},
		query.ColumnDef{Name: "name", Type: str(255), NotNull: true},
		query.ColumnDef{Name: "checksum", Type: str(64), NotNull: true},
		query.ColumnDef{Name: "applied_at", Type: fields.ColumnType{Kind: fields.KindTime}, NotNull: true},
		query.ColumnDef{Name: "duration_ms", Type: i64, NotNull: true},
	))
	build(&h.selectAll, query.Select(T.C("version"), T.C("name"), T.C("checksum"), T.C("applied_at"), T.C("duration_ms")).
		From(T).OrderBy(T.C("version").Asc()))
	// The values only fix the placeholders; each call passes its own.
	build(&h.insert, query.Insert(T).Columns("version", "name", "checksum", "applied_at", "duration_ms").
		Values(int64(0), "", "", time.Time{}, int64(0)))
	build(&h.delete, query.Delete(T).Where(T.C("version").Eq(int64(0))))
	if err != nil {
		return history{}, fmt.Errorf("%w: history table %q: %v", ErrInvalid, table, err)
	}
	return h, nil
}

// record is one row of the history table.
type record struct {
	version   int64
	name      string
	checksum  string
	appliedAt time.Time
	duration  time.Duration
}

// read returns the history, in version order.
func (h history) read(ctx context.Context, q Execer) ([]record, error) {
	rows, err := q.QueryContext(ctx, h.selectAll)
	if err != nil {
		return nil, fmt.Errorf("kinglet: migrate: read the history: %w", err)
	}
	defer rows.Close()
	var out []record
	for rows.Next() {
		var (
			r  record
			at any
			ms int64
		)
		if err := rows.Scan(&r.version, &r.name, &r.checksum, &at, &ms); err != nil {
			return nil, fmt.Errorf("kinglet: migrate: read the history: %w", err)
		}
		r.appliedAt, r.duration = parseTime(at), time.Duration(ms)*time.Millisecond
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("kinglet: migrate: read the history: %w", err)
	}
	return out, nil
}

func (h history) add(ctx context.Context, q Execer, m *migration, d time.Duration) error {
	_, err := q.ExecContext(ctx, h.insert, m.version, m.name, m.checksum, time.Now().UTC(), d.Milliseconds())
	if err != nil {
		return fmt.Errorf("kinglet: migrate: record %s in the history: %w", label(m.version, m.name), err)
	}
	return nil
}

func (h history) remove(ctx context.Context, q Execer, m *migration) error {
	res, err := q.ExecContext(ctx, h.delete, m.version)
	if err == nil {
		if n, nerr := res.RowsAffected(); nerr == nil && n != 1 {
			err = fmt.Errorf("%d rows deleted, want 1", n)
		}
	}
	if err != nil {
		return fmt.Errorf("kinglet: migrate: remove %s from the history: %w", label(m.version, m.name), err)
	}
	return nil
}

// timeLayouts are the forms a timestamp comes back in when the driver
// returns text: MySQL without parseTime, SQLite in its various formats.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}

// parseTime reads applied_at whatever the driver made of it; what cannot be
// read is the zero time (the column is informational).
func parseTime(v any) time.Time {
	var s string
	switch v := v.(type) {
	case time.Time:
		return v.UTC()
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return time.Time{}
	}
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

package orm

import (
	"context"
	"log/slog"
	"time"
)

// QueryEvent describes one statement for query hooks.
type QueryEvent struct {
	SQL      string
	Args     []any
	Start    time.Time
	Duration time.Duration // set before AfterQuery
	Rows     int64         // rows affected by Exec; -1 for queries
	Err      error         // set before AfterQuery
}

// QueryHook observes every statement a DB or Tx runs. BeforeQuery may return
// a derived context (e.g. carrying a trace span) that the query and
// AfterQuery receive. Hooks run in the order added, AfterQuery in reverse.
type QueryHook interface {
	BeforeQuery(ctx context.Context, ev *QueryEvent) context.Context
	AfterQuery(ctx context.Context, ev *QueryEvent)
}

// SlogHook logs every statement at level, and failures at slog.LevelError,
// with the SQL, the number of arguments (not their values, which may be
// secrets), the duration and the rows affected.
func SlogHook(logger *slog.Logger, level slog.Level) QueryHook {
	return slogHook{logger, level}
}

type slogHook struct {
	l     *slog.Logger
	level slog.Level
}

func (slogHook) BeforeQuery(ctx context.Context, _ *QueryEvent) context.Context { return ctx }

func (h slogHook) AfterQuery(ctx context.Context, ev *QueryEvent) {
	level := h.level
	if ev.Err != nil {
		level = slog.LevelError
	}
	if !h.l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("sql", ev.SQL),
		slog.Int("args", len(ev.Args)),
		slog.Duration("duration", ev.Duration),
	}
	if ev.Rows >= 0 {
		attrs = append(attrs, slog.Int64("rows", ev.Rows))
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.String("error", ev.Err.Error()))
	}
	h.l.LogAttrs(ctx, level, "kinglet query", attrs...)
}

package orm

import (
	"context"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
)

type nopHook struct{}

func (nopHook) BeforeQuery(ctx context.Context, _ *QueryEvent) context.Context { return ctx }
func (nopHook) AfterQuery(context.Context, *QueryEvent)                        {}

// BenchmarkObserve is what a statement's observation costs with one hook
// that does nothing: the ORM's share of a hook's overhead.
func BenchmarkObserve(b *testing.B) {
	c := &conn{d: dialect.SQLite, hooks: []QueryHook{nopHook{}}}
	args := []any{"name", int64(3), true, "e", 4}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		o := c.observe(ctx, about{table: "users"}, "INSERT INTO users (a) VALUES (?)", args, true)
		o.ev.Returned = 1
		o.end(nil)
	}
}

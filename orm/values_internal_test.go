package orm

import (
	"testing"
	"time"
	"unsafe"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
)

type checkedRow struct {
	ID      int64     `db:"id,pk"`
	Name    string    `db:"name"`
	Email   *string   `db:"email"`
	Age     int       `db:"age"`
	Active  bool      `db:"active"`
	Created time.Time `db:"created"`
}

// BenchmarkArgs is the per-call work of Insert's arguments, without and
// with the value checks (one time column: a type switch and two compares).
func BenchmarkArgs(b *testing.B) {
	t, err := fields.TableFor[checkedRow]()
	if err != nil {
		b.Fatal(err)
	}
	row := checkedRow{ID: 1, Name: "n", Age: 3, Created: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)}
	ptr := unsafe.Pointer(&row)
	c := &conn{d: dialect.SQLite}
	s := &stmt{cols: t.Fields[1:]}
	s.limit(c.d)
	if len(s.vals) != 1 {
		b.Fatalf("%d checked columns, want 1 (created)", len(s.vals))
	}
	b.Run("append", func(b *testing.B) {
		for b.Loop() {
			var buf [argsBuf]any
			a := c.appendArgs(buf[:0], s, ptr)
			sinkArgs = len(a)
		}
	})
	b.Run("append+check", func(b *testing.B) {
		for b.Loop() {
			var buf [argsBuf]any
			a := c.appendArgs(buf[:0], s, ptr)
			if len(s.vals) > 0 {
				if err := s.checkArgs(a); err != nil {
					b.Fatal(err)
				}
			}
			sinkArgs = len(a)
		}
	})
}

var sinkArgs int

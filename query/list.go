package query

import "sync/atomic"

// list is an append-only slice shared between immutable query values. A query
// derived by appending claims the next free slots of the shared backing array
// with a compare-and-swap on its high-water mark, so chains of appends cost
// amortised O(1); a second query appending to the same base finds the slots
// taken and copies instead. Slots below any query's length are never written
// again, so every query value keeps seeing exactly its own items.
type list[T any] struct {
	items []T
	used  *atomic.Int64 // high-water mark of items written into the backing array
}

func (l list[T]) add(vs ...T) list[T] {
	n := len(l.items)
	if l.used != nil && cap(l.items)-n >= len(vs) && l.used.CompareAndSwap(int64(n), int64(n+len(vs))) {
		return list[T]{items: append(l.items, vs...), used: l.used}
	}
	c := 2 * (n + len(vs))
	if c < 4 {
		c = 4
	}
	items := make([]T, n, c)
	copy(items, l.items)
	items = append(items, vs...)
	used := new(atomic.Int64)
	used.Store(int64(len(items)))
	return list[T]{items: items, used: used}
}

// of makes a list holding vs without copying; vs must not be modified later.
func listOf[T any](vs []T) list[T] {
	return list[T]{items: vs[:len(vs):len(vs)]}
}

func (l list[T]) len() int { return len(l.items) }

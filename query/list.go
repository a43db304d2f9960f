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
	out, dst := l.grow(len(vs))
	copy(dst, vs)
	return out
}

// addUnwrapped is add(unwrapAll(es)...) without the intermediate slice.
func addUnwrapped(l list[Expr], es []Expr) list[Expr] {
	out, dst := l.grow(len(es))
	for i, e := range es {
		dst[i] = unwrap(e)
	}
	return out
}

// grow returns the list with k more slots, and those slots, which the caller
// fills before the list is shared.
func (l list[T]) grow(k int) (list[T], []T) {
	n := len(l.items)
	if k == 0 {
		return l, nil
	}
	if l.used != nil && cap(l.items)-n >= k && l.used.CompareAndSwap(int64(n), int64(n+k)) {
		items := l.items[:n+k]
		return list[T]{items: items, used: l.used}, items[n:]
	}
	var (
		items []T
		used  *atomic.Int64
	)
	if n+k <= smallList {
		// One allocation holds both the items and their high-water mark.
		sb := newSmallBuf[T]()
		items, used = sb.items[:n+k], &sb.used
	} else {
		items, used = make([]T, n+k, 2*(n+k)), new(atomic.Int64)
	}
	copy(items, l.items)
	used.Store(int64(n + k))
	return list[T]{items: items, used: used}, items[n:]
}

// smallList is the capacity of a list's first backing array.
const smallList = 4

type smallBuf[T any] struct {
	used  atomic.Int64
	items [smallList]T
}

func (l list[T]) len() int { return len(l.items) }

// newSmallBuf returns a zero smallBuf; those of expressions come from a slab.
func newSmallBuf[T any]() *smallBuf[T] {
	switch any((*smallBuf[T])(nil)).(type) {
	case *smallBuf[Expr]:
		return any(exprBufs.get()).(*smallBuf[T])
	case *smallBuf[join]:
		return any(joinBufs.get()).(*smallBuf[T])
	case *smallBuf[any]:
		return any(anyBufs.get()).(*smallBuf[T])
	}
	return new(smallBuf[T])
}

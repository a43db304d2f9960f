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
	used  *int64 // high-water mark of items written into the backing array; accessed atomically once shared
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
	if l.used != nil && cap(l.items)-n >= k && atomic.CompareAndSwapInt64(l.used, int64(n), int64(n+k)) {
		items := l.items[:n+k]
		return list[T]{items: items, used: l.used}, items[n:]
	}
	items, used := newBuf[T](n + k)
	copy(items, l.items)
	// The new array is not shared yet: a plain write publishes the mark
	// together with the list.
	*used = int64(n + k)
	return list[T]{items: items, used: used}, items[n:]
}

// smallList is the capacity of a list's first backing array (smallJoins for
// joins, which are larger and fewer).
const (
	smallList  = 4
	smallJoins = 2
)

type smallBuf[T any] struct {
	used  int64
	items [smallList]T
}

// exprBuf8 and exprBuf16 are the next arrays of expression lists.
type exprBuf8 struct {
	used  int64
	items [8]Expr
}

type exprBuf16 struct {
	used  int64
	items [16]Expr
}

type joinBuf struct {
	used  int64
	items [smallJoins]join
}

func (l list[T]) len() int { return len(l.items) }

// newBuf returns a backing array of n items (with room to grow) and its
// high-water mark; the small first arrays of expressions, assignments and
// joins come from slabs, one allocation holding both the items and the mark.
func newBuf[T any](n int) ([]T, *int64) {
	switch any((*T)(nil)).(type) {
	case *Expr:
		switch {
		case n <= smallList:
			sb := exprBufs.get()
			return any(&sb.items).(*[smallList]T)[:n], &sb.used
		case n <= 8:
			// A model's column list: one allocation rather than two.
			sb := exprBufs8.get()
			return any(&sb.items).(*[8]T)[:n], &sb.used
		case n <= 16:
			sb := exprBufs16.get()
			return any(&sb.items).(*[16]T)[:n], &sb.used
		}
	case *Assignment:
		if n <= smallList {
			sb := assignBufs.get()
			return any(&sb.items).(*[smallList]T)[:n], &sb.used
		}
	case *join:
		if n <= smallJoins {
			sb := joinBufs.get()
			return any(&sb.items).(*[smallJoins]T)[:n], &sb.used
		}
	}
	if n <= smallList {
		sb := new(smallBuf[T])
		return sb.items[:n], &sb.used
	}
	return make([]T, n, 2*n), new(int64)
}

// cloneStrings copies names the caller may reuse (columns, conflict
// targets). Unlike slices.Clone it allocates exactly len(s), which is
// cheaper for the few names a statement has.
func cloneStrings(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	c := make([]string, len(s))
	copy(c, s)
	return c
}

// inline2 and inline4 are lists whose first items live in the query value
// itself. A statement with no more items than that, as most have, then
// needs no backing array on the heap, and no claim to share one: each query
// value has its own copy of the inline items, so deriving two queries from
// one base leaves all three as they were. An item past the array moves them
// all to a shared list (see list), where they stay.
type (
	inline2[T any] struct {
		arr  [2]T
		n    uint8   // items in arr; 0 once they have moved to more
		more list[T] // all items, once there are more than arr holds
	}
	inline4[T any] struct {
		arr  [4]T
		n    uint8
		more list[T]
	}
)

// items is the list's items. The slice may point into the value l points
// at: use it while that value is live, never store it.
func (l *inline2[T]) items() []T { return inlineItems(l.arr[:], l.n, l.more) }
func (l *inline4[T]) items() []T { return inlineItems(l.arr[:], l.n, l.more) }

func (l *inline2[T]) len() int { return int(l.n) + l.more.len() }
func (l *inline4[T]) len() int { return int(l.n) + l.more.len() }

// grow adds k slots to the list and returns them for the caller to fill.
func (l *inline2[T]) grow(k int) []T { return inlineGrow(l.arr[:], &l.n, &l.more, k) }
func (l *inline4[T]) grow(k int) []T { return inlineGrow(l.arr[:], &l.n, &l.more, k) }

// add appends vs.
func (l *inline2[T]) add(vs ...T) { copy(l.grow(len(vs)), vs) }

func inlineItems[T any](arr []T, n uint8, more list[T]) []T {
	if more.len() > 0 {
		return more.items
	}
	return arr[:n]
}

func inlineGrow[T any](arr []T, n *uint8, more *list[T], k int) []T {
	i := int(*n)
	switch {
	case k == 0:
		return nil
	case more.len() > 0:
		var dst []T
		*more, dst = more.grow(k)
		return dst
	case i+k <= len(arr):
		*n = uint8(i + k)
		return arr[i : i+k]
	}
	m, dst := list[T]{}.grow(i + k)
	copy(dst, arr[:i])
	clear(arr)
	*more, *n = m, 0
	return dst[i:]
}

// addUnwrappedTo appends es to the slots grow gives, each unwrapped (see
// unwrap).
func addUnwrappedTo(dst []Expr, es []Expr) {
	for i, e := range es {
		dst[i] = unwrap(e)
	}
}

// ownCopy is a new copy of *p (a new zero T for nil): a query's rare parts,
// shared with the values it was derived from, copied before a change.
func ownCopy[T any](p *T) *T {
	r := new(T)
	if p != nil {
		*r = *p
	}
	return r
}

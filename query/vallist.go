package query

import "sync/atomic"

// valList is the append-only list of an INSERT's values, shared between
// immutable query values like list (see list.go), but kept in chunks: a long
// loop of Values calls never copies the values already added, and the memory
// it takes stays close to the values' own size.
//
// Each append claims the next free slots of the last chunk with a
// compare-and-swap on the chunk's high-water mark. When they are taken (a
// second query derived from the same base) or the chunk is full, the list
// continues in a new chunk. A chunk's part of a list runs from its start to
// the next chunk's start (or the list's end), so a list never reads slots
// that another query wrote.
type valList struct {
	last *valChunk
	n    int // values in the list
}

type valChunk struct {
	prev  *valChunk
	start int   // the list index of items[0]
	used  int64 // high-water mark of items written; accessed atomically once shared
	items []any
}

// Chunk sizes: the first fits the first append (at least minChunk slots),
// later ones double up to maxChunk.
const (
	minChunk = 4
	maxChunk = 256
)

func (l valList) len() int { return l.n }

// grow returns the list with k more values and their slots, contiguous in
// one chunk, which the caller fills before the list is shared.
func (l valList) grow(k int) (valList, []any) {
	if k == 0 {
		return l, nil
	}
	c := l.last
	if c != nil {
		p := l.n - c.start // this list's values in c
		if p+k <= len(c.items) && atomic.CompareAndSwapInt64(&c.used, int64(p), int64(p+k)) {
			return valList{c, l.n + k}, c.items[p : p+k]
		}
		if p+k <= len(c.items) {
			// Another query took the slots after ours: copy our part of c.
			nc := &valChunk{prev: c.prev, start: c.start, used: int64(p + k), items: make([]any, len(c.items))}
			copy(nc.items, c.items[:p])
			return valList{nc, l.n + k}, nc.items[p : p+k]
		}
	}
	if l.n == 0 && k <= minChunk {
		// The first chunk of a short list: one allocation.
		sc := valChunkSlab.get()
		sc.used, sc.items = int64(k), sc.arr[:]
		return valList{&sc.valChunk, k}, sc.items[:k]
	}
	size := min(max(2*l.n, minChunk), maxChunk)
	nc := &valChunk{prev: c, start: l.n, used: int64(k), items: make([]any, max(k, size))}
	return valList{nc, l.n + k}, nc.items[:k]
}

// smallValChunk is a first chunk with its items in the same allocation.
type smallValChunk struct {
	valChunk
	arr [minChunk]any
}

// add appends vs.
func (l valList) add(vs ...any) valList {
	out, dst := l.grow(len(vs))
	copy(dst, vs)
	return out
}

// valCursor reads a valList's values in order, a run at a time. It is a
// value (next returns the moved cursor) so that it and the chunk array it
// uses stay on the caller's stack.
type valCursor struct {
	l   valList
	cs  []*valChunk // the chunks not yet read, last first
	cur []any       // what is left of the current chunk's part
}

// newValCursor starts reading l, keeping its chunks in buf.
func newValCursor(l valList, buf []*valChunk) valCursor {
	cs := buf[:0]
	for c := l.last; c != nil; c = c.prev {
		cs = append(cs, c)
	}
	return valCursor{l: l, cs: cs}
}

// next returns the cursor moved past the next n values and those values,
// which one grow call made contiguous, or false if fewer are left.
func (v valCursor) next(n int) (valCursor, []any, bool) {
	for len(v.cur) == 0 && n > 0 && len(v.cs) > 0 {
		c := v.cs[len(v.cs)-1]
		v.cs = v.cs[:len(v.cs)-1]
		end := v.l.n
		if len(v.cs) > 0 {
			end = v.cs[len(v.cs)-1].start
		}
		v.cur = c.items[:end-c.start]
	}
	if n > len(v.cur) {
		return v, nil, false
	}
	row := v.cur[:n]
	v.cur = v.cur[n:]
	return v, row, true
}

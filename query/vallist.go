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

// chunks appends l's chunks to buf, last first: a reader walks them from
// the end, reading part(cs, i) of each.
func (l valList) chunks(buf []*valChunk) []*valChunk {
	for c := l.last; c != nil; c = c.prev {
		buf = append(buf, c)
	}
	return buf
}

// part is the values of chunk cs[i] (cs from chunks) that belong to l. One
// grow call's values are contiguous in one part.
func (l valList) part(cs []*valChunk, i int) []any {
	end := l.n
	if i > 0 {
		end = cs[i-1].start
	}
	c := cs[i]
	return c.items[:end-c.start]
}

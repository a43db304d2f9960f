package query

import "sync/atomic"

// slab hands out the zeroed elements of a shared array one by one, so that
// building a query makes one allocation per slabSize nodes of a kind instead
// of one per node. Nodes are immutable once built and the garbage collector
// keeps a slab alive while any of its nodes is referenced, so the only cost
// is that a long-lived node keeps its (small) slab's memory. Safe for
// concurrent use: claiming an element is one atomic add.
type slab[T any] struct {
	cur atomic.Pointer[slabBlock[T]]
}

type slabBlock[T any] struct {
	next  atomic.Int32
	items [slabSize]T
}

// slabSize balances allocations saved against memory a live node can pin.
const slabSize = 31

// get returns a pointer to a fresh zero T.
func (s *slab[T]) get() *T {
	for {
		blk := s.cur.Load()
		if blk != nil {
			if i := blk.next.Add(1) - 1; i < slabSize {
				return &blk.items[i]
			}
		}
		nb := new(slabBlock[T])
		nb.next.Store(1)
		if s.cur.CompareAndSwap(blk, nb) {
			return &nb.items[0]
		}
	}
}

// Slabs of the nodes every query is made of.
var (
	columnSlab slab[held[column]]
	binarySlab slab[held[binary]]
	exprBufs   slab[smallBuf[Expr]]
	exprBufs8  slab[exprBuf8]
	exprBufs16 slab[exprBuf16]
	tableSlab  slab[tableData]
	orderSlab  slab[ordering]
	joinBufs   slab[joinBuf]
	assignBufs slab[smallBuf[Assignment]]

	valChunkSlab slab[smallValChunk]
	conflictSlab slab[ConflictClause]
)

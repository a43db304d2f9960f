package query

import (
	"math/bits"
	"sync/atomic"
)

// Tables, aliased tables, columns and EXCLUDED references are leaves of the
// tree and immutable once made, so one node can stand for every use of the
// same name. A program names the same few tables and columns in every
// request; small caches hand back the node made for a name the last time
// instead of allocating a new one.
//
// Each cache is direct-mapped: a name hashes to one slot, which holds the
// node last made for a name with that hash. A lookup compares the node's
// content with what is asked for, so a slot taken over by another name is a
// miss, never a wrong node; a miss makes a new node and takes the slot over.
// The caches therefore never grow: at most interned nodes stay reachable
// from them, whatever names a program builds (names made at run time, say).
// Slots are atomic pointers to immutable nodes, safe for concurrent use.
//
// Only nodes that are fully named by their key are cached: a table with a
// schema or a subquery, and the columns of such a table, are made anew each
// time, as before.

// Slot counts: powers of two. Columns get more, as a program has many more
// of them than tables.
const (
	tableSlots  = 512
	columnSlots = 4096
	exclSlots   = 512
)

var (
	tableCache  [tableSlots]atomic.Pointer[internedTable] // plain and aliased tables
	columnCache [columnSlots]atomic.Pointer[internedColumn]
	exclCache   [exclSlots]atomic.Pointer[held[excluded]]
)

// nameHash is the hash of name the caches index by: a few wide loads and
// one multiply for the usual short name (maphash costs several times as
// much). It needs no seed: a collision only costs a miss, as a slot holds
// one name and a lookup compares the whole name.
func nameHash(s string) uint64 {
	n := len(s)
	var a, b uint64
	switch {
	case n > 16:
		i := 0
		for ; i+16 < n; i += 16 {
			a = mum(a^load64(s[i:])^hashK1, load64(s[i+8:])^hashK2)
		}
		a ^= load64(s[n-16:]) // the last 16 bytes, overlapping those before
		b = load64(s[n-8:])
	case n >= 8:
		a, b = load64(s), load64(s[n-8:])
	case n >= 4:
		a, b = load32(s), load32(s[n-4:])
	case n > 0:
		a = uint64(s[0])<<16 | uint64(s[n>>1])<<8 | uint64(s[n-1])
	}
	return mum(a^hashK1, b^hashK2^uint64(n))
}

// Odd constants with well spread bits, for mum.
const (
	hashK1 = 0xa0761d6478bd642f
	hashK2 = 0xe7037ed1a0b428db
)

// mum folds the 128-bit product of a and b to 64 bits.
func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// mix combines the hash of a node's parent (a column's table, an alias's
// base table) with the hash of its own name.
func mix(parent, h uint64) uint64 { return (parent*0x9E3779B97F4A7C15 ^ h) + parent>>29 }

// internTable returns the plain table name (h: nameHash(name)), from the
// cache when it holds it.
func internTable(name string, h uint64) TableRef {
	slot := &tableCache[h&(tableSlots-1)]
	if p := slot.Load(); p != nil && p.hash == h && p.name == name && p.alias == "" {
		return TableRef{&p.tableData}
	}
	return newInterned(slot, tableData{name: name, hash: h})
}

// internedTable is an interned table and the text it renders to as a FROM
// item.
type internedTable struct {
	tableData
	text renderedText
}

func newInterned(slot *atomic.Pointer[internedTable], d tableData) TableRef {
	p := &internedTable{tableData: d}
	p.interned, p.fromText = true, &p.text
	slot.Store(p)
	return TableRef{&p.tableData}
}

// internAlias returns the interned table base aliased as alias.
func internAlias(base *tableData, alias string) TableRef {
	h := mix(base.hash, nameHash(alias))
	slot := &tableCache[h&(tableSlots-1)]
	if p := slot.Load(); p != nil && p.hash == h && p.alias == alias && p.name == base.name {
		return TableRef{&p.tableData}
	}
	return newInterned(slot, tableData{name: base.name, alias: alias, hash: h})
}

// internColumn returns column name of the interned table t (nil: an
// unqualified column).
func internColumn(t *tableData, name string) Ex {
	h := nameHash(name)
	if t != nil {
		h = mix(t.hash, h)
	}
	slot := &columnCache[h&(columnSlots-1)]
	if p := slot.Load(); p != nil && p.v.t.p == t && p.v.name == name {
		return Ex{&p.node}
	}
	p := &internedColumn{held: held[column]{v: column{t: TableRef{t}, name: name}}}
	p.v.text = &p.text
	p.e = &p.v
	slot.Store(p)
	return Ex{&p.node}
}

// internedColumn is an interned column and the text it renders to.
type internedColumn struct {
	held[column]
	text renderedText
}

// renderedText keeps the SQL text of an interned node, made the first time
// the node is rendered, so that later renders copy it instead of quoting
// its names again: one slot for dialects that quote with '"', one for the
// others ('`'). Under dialect.IdentQuoter's contract the quote character
// alone decides how a name is quoted, and a slot is used only when its text
// starts with the quote character of the Builder at hand.
type renderedText struct {
	dq, other atomic.Pointer[string]
}

func (r *renderedText) slot(q byte) *atomic.Pointer[string] {
	if q == '"' {
		return &r.dq
	}
	return &r.other
}

// appendRendered appends the text r keeps for the Builder's quote character,
// or renders it with render and keeps it. Builders that check columns, write
// SQLite's bare RETURNING columns or have no quote character render without
// it.
func (b *Builder) appendRendered(r *renderedText, render func(*Builder)) {
	if r == nil || b.q == 0 || b.bare != nil || b.check != nil || b.err != nil {
		render(b)
		return
	}
	slot := r.slot(b.q)
	if s := slot.Load(); s != nil && (*s)[0] == b.q {
		b.buf = append(b.buf, *s...)
		return
	}
	start := len(b.buf)
	render(b)
	if b.err == nil && len(b.buf) > start && b.buf[start] == b.q {
		s := string(b.buf[start:])
		slot.Store(&s)
	}
}

// internExcluded returns Excluded(col).
func internExcluded(col string) Ex {
	slot := &exclCache[nameHash(col)&(exclSlots-1)]
	if p := slot.Load(); p != nil && string(p.v) == col {
		return Ex{&p.node}
	}
	p := &held[excluded]{v: excluded(col)}
	p.e = &p.v
	slot.Store(p)
	return Ex{&p.node}
}

// load64 and load32 are nameHash's word-at-a-time reads; the compiler turns
// each into one load (little-endian, the first 8 or 4 bytes of s).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func load32(s string) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}

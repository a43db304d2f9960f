package query

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
)

type compound struct {
	first SelectQuery
	parts []compoundPart
}

type compoundPart struct {
	op string
	q  SelectQuery
}

// Union is q UNION other. ORDER BY, LIMIT and OFFSET on the result apply to
// the whole compound.
func (q SelectQuery) Union(other SelectQuery) SelectQuery { return q.combine("UNION", other) }

// UnionAll is q UNION ALL other.
func (q SelectQuery) UnionAll(other SelectQuery) SelectQuery { return q.combine("UNION ALL", other) }

// Intersect is q INTERSECT other.
func (q SelectQuery) Intersect(other SelectQuery) SelectQuery { return q.combine("INTERSECT", other) }

// Except is q EXCEPT other.
func (q SelectQuery) Except(other SelectQuery) SelectQuery { return q.combine("EXCEPT", other) }

func (q SelectQuery) combine(op string, other SelectQuery) SelectQuery {
	c := &compound{}
	if q.x().compound != nil && !q.hasOwnTail() && (op != "INTERSECT" || q.x().compound.allIntersect()) {
		// Extend a flat chain: a UNION b UNION c. INTERSECT binds more
		// tightly than UNION and EXCEPT on PostgreSQL and MySQL (SQLite reads
		// left to right), so (a UNION b) INTERSECT c stays nested.
		c.first = q.x().compound.first
		c.parts = append(c.parts, q.x().compound.parts...)
	} else {
		c.first = q
	}
	w := q.x().with
	if ow := other.x().with; len(ow.ctes) > 0 {
		// The CTEs From or Join added to a member go to the compound's
		// WITH, the only place a member's CTE may be defined.
		var used bool
		if w, used = w.hoistUsed(ow); used {
			other.setRare().with = ow.withoutUsed()
		}
	}
	c.parts = append(c.parts, compoundPart{op, other})
	out := SelectQuery{rare: &selectRare{compound: c, with: w}, err: q.err}
	if c.first.rare != nil && len(c.first.rare.with.ctes) > 0 {
		c.first.setRare().with = with{}
	}
	if other.err != nil && out.err == nil {
		out.err = other.err
	}
	return out
}

// hasOwnTail reports whether a compound query has its own outer ORDER BY,
// LIMIT or OFFSET (then a further combine must treat it as one member).
func (q SelectQuery) hasOwnTail() bool {
	return q.orderBy.len() > 0 || q.hasLimit || q.hasOffset
}

// limitsRows reports whether q, or any member of q's compound, has its own
// LIMIT or OFFSET (MySQL refuses one anywhere in an IN subquery).
func (q SelectQuery) limitsRows() bool {
	if q.hasLimit || q.hasOffset {
		return true
	}
	if q.x().compound == nil {
		return false
	}
	if q.x().compound.first.limitsRows() {
		return true
	}
	for _, p := range q.x().compound.parts {
		if p.q.limitsRows() {
			return true
		}
	}
	return false
}

func (c *compound) allIntersect() bool {
	for _, p := range c.parts {
		if p.op != "INTERSECT" {
			return false
		}
	}
	return true
}

func (c *compound) appendSQL(b *Builder) {
	appendMember(b, c.first)
	for _, p := range c.parts {
		if p.op == "INTERSECT" || p.op == "EXCEPT" {
			if !b.Require(dialect.IntersectExcept) {
				return
			}
		}
		b.byte(' ')
		b.Lit(p.op)
		b.byte(' ')
		appendMember(b, p.q)
	}
}

// appendMember renders one member of a compound. A member with its own ORDER
// BY, LIMIT or nested compound is parenthesized, or, on SQLite (which takes
// no parenthesized members), wrapped as SELECT * FROM (member).
func appendMember(b *Builder, q SelectQuery) {
	if q.err != nil {
		b.Fail(q.err)
		return
	}
	if len(q.x().with.ctes) > 0 {
		b.Fail(fmt.Errorf("%w: WITH inside a compound member; attach it to the whole compound", ErrInvalid))
		return
	}
	if q.x().lock != nil {
		// PostgreSQL refuses FOR UPDATE/SHARE with UNION/INTERSECT/EXCEPT.
		b.Unsupported("a row lock (FOR UPDATE/SHARE) on a member of UNION/INTERSECT/EXCEPT")
		return
	}
	if !q.hasTail() {
		q.appendBody(b)
		return
	}
	if !b.d.Has(dialect.ParenCompound) {
		b.Lit("SELECT * FROM ")
	}
	b.depth++
	b.Expr(q)
	b.depth--
}

package query

import (
	"fmt"
	"slices"
	"strings"
)

// Scopes of unqualified names, for BuildChecked. A column written without a
// table, C("name"), is looked up the way SQL resolves it: in the statement it
// stands in (its FROM and join tables, the aliases of its select list, the
// columns of its derived tables and CTEs), then in the statements around it
// (a correlated subquery). The check vets it against each plain table in
// those scopes, and the name passes as soon as one table accepts it or a
// scope defines it itself. A scope whose columns cannot be listed (a raw
// FROM item, a derived table selecting *) lets every name pass; so does a
// check that knows nothing of a table, so a join with a table the check
// does not know leaves unqualified names to the database.
//
// Scopes are kept only while a check is set, in slices of the pooled
// Builder: names and tables are copied as strings, so no statement is
// moved to the heap to be looked at later.

// Unchecked renders es, separated by commas, without the column check of
// BuildChecked: for columns the caller made from what the check itself
// knows (the ORM's select list of a model's own columns), which need no
// second look in every build. Without a check it renders es as they are.
// Its columns still name result columns of a derived table or CTE for the
// check of the statement around it.
func Unchecked(es ...Expr) Ex { return mk(unchecked(unwrapAll(es))) }

type unchecked []Expr

func (u *unchecked) prec() int {
	if len(*u) == 1 {
		return precOf((*u)[0])
	}
	return precAtom
}

func (u *unchecked) AppendSQL(b *Builder) {
	check := b.check
	b.check = nil
	b.list(*u)
	b.check = check
}

// scopeFrame is one statement's scope: its tables are srcs[src:] and the
// names it defines defs[def:], up to the next frame's marks.
type scopeFrame struct {
	src, def int
	open     bool // some source's columns cannot be listed: every name passes
	// detached: the statement is a derived table or a CTE body, which sees
	// the statements around the one it stands in, but not that one.
	detached bool
}

// scopeSource is a plain table in a FROM or join.
type scopeSource struct{ table, alias string }

// pushScope starts a statement's scope and returns the mark popScope takes.
func (b *Builder) pushScope() int {
	b.scopes = append(b.scopes, scopeFrame{src: len(b.srcs), def: len(b.defs), detached: b.detach})
	b.detach = false
	return len(b.scopes) - 1
}

// detached renders st, a derived table's or a CTE's statement, in a scope
// that skips the statement it stands in.
func (b *Builder) detached(st Expr) {
	b.detach = b.check != nil
	b.Expr(st)
	b.detach = false
}

// popScope ends the scope pushScope started at mark.
func (b *Builder) popScope(mark int) {
	f := b.scopes[mark]
	clear(b.srcs[f.src:])
	clear(b.defs[f.def:])
	b.srcs, b.defs, b.scopes = b.srcs[:f.src], b.defs[:f.def], b.scopes[:mark]
}

// pushWriteScope starts the scope of an UPDATE or DELETE: its WITH, its
// target, and the tables of its FROM or USING and joins.
func (b *Builder) pushWriteScope(w with, target TableRef, from []Expr, joins []join) int {
	m := b.pushScope()
	b.scopeWith(w)
	b.scopeSource(target)
	for _, f := range from {
		b.scopeSource(f)
	}
	for _, j := range joins {
		b.scopeSource(j.t)
	}
	return m
}

func (b *Builder) frame() *scopeFrame { return &b.scopes[len(b.scopes)-1] }

// scopeSource adds a FROM, join or write-target item to the current scope.
func (b *Builder) scopeSource(e Expr) {
	switch x := unwrap(e).(type) {
	case TableRef:
		if sub := x.d().sub(); sub != nil {
			b.scopeOutputs(sub)
			return
		}
		if x.d().name == "" {
			return // rendering reports it
		}
		b.srcs = append(b.srcs, scopeSource{x.d().name, x.d().alias})
	case CTE:
		b.scopeCTE(x)
	default:
		b.frame().open = true // a table function, a raw item: columns unknown
	}
}

// scopeCTE defines a CTE's columns in the current scope.
func (b *Builder) scopeCTE(c CTE) {
	if len(c.cols) > 0 {
		b.defs = append(b.defs, c.cols...)
		return
	}
	b.scopeOutputs(c.body)
}

// scopeOutputs defines the result columns of a derived table's or a CTE's
// statement in the current scope.
func (b *Builder) scopeOutputs(st Statement) {
	q, ok := st.(SelectQuery)
	if !ok {
		b.frame().open = true // an INSERT/UPDATE/DELETE … RETURNING
		return
	}
	if c := q.x().compound; c != nil {
		q = c.first // a compound's columns are named by its first member
	}
	if q.cols.len() == 0 {
		b.frame().open = true // SELECT *
		return
	}
	b.scopeNames(q.cols.items())
}

// scopeNames defines the result columns of a derived table's or CTE's
// select list: the aliases and the names of plain columns; a * makes the
// scope open. (A statement's own aliases join its scope as its select list
// renders, see alias.)
func (b *Builder) scopeNames(cols []Expr) {
	for _, c := range cols {
		switch x := unwrap(c).(type) {
		case alias:
			b.defs = append(b.defs, x.name)
		case *alias:
			b.defs = append(b.defs, x.name)
		case *column:
			b.defs = append(b.defs, x.name)
		case *starColumn:
			b.frame().open = true
		case *unchecked:
			b.scopeNames(*x)
		}
	}
}

// scopeWith defines the columns of a WITH clause's CTEs.
func (b *Builder) scopeWith(w with) {
	for _, c := range w.ctes {
		b.scopeCTE(c)
	}
}

// checkUnqualified vets an unqualified column name against the scopes
// (see the top of this file) and reports whether it may be rendered.
func (b *Builder) checkUnqualified(name string) bool {
	var (
		first  error
		others []string // the other tables that refused it
	)
	srcEnd, defEnd := len(b.srcs), len(b.defs)
	for i := len(b.scopes) - 1; i >= 0; i-- {
		f := &b.scopes[i]
		if f.open {
			return true
		}
		for _, d := range b.defs[f.def:defEnd] {
			if d == name {
				return true
			}
		}
		for _, s := range b.srcs[f.src:srcEnd] {
			err := b.check(s.table, s.alias, name)
			if err == nil {
				return true
			}
			if first == nil {
				first = err
			} else if !slices.Contains(others, s.table) {
				others = append(others, s.table)
			}
		}
		srcEnd, defEnd = f.src, f.def
		if f.detached && i > 0 {
			i--
			srcEnd, defEnd = b.scopes[i].src, b.scopes[i].def
		}
	}
	if first != nil {
		if len(others) > 0 {
			first = fmt.Errorf("%w; nor has %s", first, strings.Join(others, " or "))
		}
		b.Fail(first)
		return false
	}
	return true
}

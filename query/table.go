package query

import "fmt"

// TableRef names a table, a derived table (a subquery with an alias) or a
// common table expression. In FROM and JOIN it renders as "users" AS "u";
// as a qualifier of its columns it renders as "u".
//
// A TableRef is one pointer to immutable data, so it is cheap to copy, to
// keep in every column of the table and to pass where an Expr is expected.
// The zero TableRef has no name: rendering it is an error.
type TableRef struct{ p *tableData }

type tableData struct {
	name     string
	alias    string
	ext      *tableExt     // the rare parts; nil for a plain table
	hash     uint64        // interned: the key of the table's cache slot
	interned bool          // made by internTable or internAlias (intern.go)
	fromText *renderedText // interned: the kept text of appendFrom
}

// tableExt holds a table's schema, or a derived table's subquery.
type tableExt struct {
	schema string
	sub    Statement // a derived table: (SELECT …) AS alias
}

func (d *tableData) schema() string {
	if d.ext == nil {
		return ""
	}
	return d.ext.schema
}

func (d *tableData) sub() Statement {
	if d.ext == nil {
		return nil
	}
	return d.ext.sub
}

var noTable tableData

// d is t's data; the zero TableRef reads as empty.
func (t TableRef) d() *tableData {
	if t.p == nil {
		return &noTable
	}
	return t.p
}

func newTable(d tableData) TableRef {
	p := tableSlab.get()
	*p = d
	return TableRef{p}
}

// Table refers to the table name in the connection's default schema.
func Table(name string) TableRef { return internTable(name, nameHash(name)) }

// SchemaTable refers to schema.name.
func SchemaTable(schema, name string) TableRef {
	return newTable(tableData{name: name, ext: &tableExt{schema: schema}})
}

// As gives the table an alias, e.g. for self-joins.
func (t TableRef) As(alias string) TableRef {
	if p := t.p; p != nil && p.interned && p.alias == "" {
		return internAlias(p, alias)
	}
	d := *t.d()
	d.interned, d.hash, d.fromText = false, 0, nil
	d.alias = alias
	return newTable(d)
}

// withoutSchema is t without its schema.
func (t TableRef) withoutSchema() TableRef {
	d := *t.d()
	d.interned, d.hash, d.fromText = false, 0, nil
	if d.ext != nil && d.ext.sub == nil {
		d.ext = nil
	}
	return newTable(d)
}

// Name is the table's name (empty for a derived table).
func (t TableRef) Name() string { return t.d().name }

// Alias is the alias given with As, if any.
func (t TableRef) Alias() string { return t.d().alias }

// C is a column of this table, qualified by the alias if there is one.
func (t TableRef) C(name string) Ex {
	if t.p == nil || t.p.interned {
		return internColumn(t.p, name)
	}
	return newColumn(column{t: t, name: name})
}

// Star is t.* .
func (t TableRef) Star() Ex { return mk(starColumn{t}) }

// AppendSQL renders the table as a qualifier: its alias, or its (schema-
// qualified) name.
func (t TableRef) AppendSQL(b *Builder) {
	switch {
	case t.d().alias != "":
		b.ident(t.d().alias)
	case t.d().sub() != nil:
		b.Fail(fmt.Errorf("%w: a derived table needs an alias (use As)", ErrInvalid))
	case t.d().schema() != "":
		b.Ident(t.d().schema(), t.d().name)
	default:
		b.ident(t.d().name)
	}
}

// appendFrom renders the table as a FROM or JOIN item.
func (t TableRef) appendFrom(b *Builder) {
	if t.p != nil && t.p.fromText != nil {
		b.appendRendered(t.p.fromText, t.renderFrom)
		return
	}
	t.renderFrom(b)
}

func (t TableRef) renderFrom(b *Builder) {
	if t.d().sub() != nil {
		if t.d().alias == "" {
			b.Fail(fmt.Errorf("%w: a derived table needs an alias (use As)", ErrInvalid))
			return
		}
		b.depth++ // force parentheses even at the top level
		b.detached(t.d().sub())
		b.depth--
		b.Lit(" AS ")
		b.ident(t.d().alias)
		return
	}
	if t.d().schema() != "" {
		b.Ident(t.d().schema(), t.d().name)
	} else {
		b.ident(t.d().name)
	}
	if t.d().alias != "" {
		b.Lit(" AS ")
		b.ident(t.d().alias)
	}
}

// appendTarget renders the table as the target of INSERT/UPDATE/DELETE.
func (t TableRef) appendTarget(b *Builder) {
	if t.d().sub() != nil {
		b.Fail(fmt.Errorf("%w: a derived table cannot be the target of a write", ErrInvalid))
		return
	}
	t.appendFrom(b)
}

// fromItem is implemented by what can stand in FROM: tables, derived tables
// and CTEs. Anything else in From is rendered as an expression (e.g. a Raw
// table function).
type fromItem interface {
	appendFrom(b *Builder)
}

func appendFromItem(b *Builder, e Expr) {
	if t, ok := e.(TableRef); ok { // the usual item, without an interface lookup
		t.appendFrom(b)
		return
	}
	if f, ok := e.(fromItem); ok {
		f.appendFrom(b)
		return
	}
	b.Expr(e)
}

// C is an unqualified column, or a reference to a select-list alias.
func C(name string) Ex { return internColumn(nil, name) }

// Star is * .
func Star() Ex { return mk(starColumn{}) }

type column struct {
	t    TableRef
	name string
	text *renderedText // an interned column's kept text (see intern.go); nil for others
}

// starColumn is * or t.* .
type starColumn struct{ t TableRef }

func (c *starColumn) AppendSQL(b *Builder) {
	if qualify(b, c.t) {
		b.byte('*')
	}
}

// qualify writes t's qualifier and a dot for a column of t, unless t is
// empty or the column renders bare (SQLite RETURNING, index expressions); it
// reports false after an error.
func qualify(b *Builder, t TableRef) bool {
	d := t.d()
	if d.name == "" && d.alias == "" && d.sub() == nil {
		return true
	}
	if b.bare == nil {
		t.AppendSQL(b)
		b.byte('.')
		return true
	}
	if bd := b.bare.d(); d.sub() != nil || d.schema() != bd.schema() || d.name != bd.name || d.alias != bd.alias {
		return b.bareOther(t)
	}
	return true
}

func (c *column) AppendSQL(b *Builder) {
	if c.text != nil {
		b.appendRendered(c.text, c.render)
		return
	}
	c.render(b)
}

func (c *column) render(b *Builder) {
	if c.t.p == nil {
		if b.check != nil && len(b.scopes) > 0 && b.err == nil && !b.checkUnqualified(c.name) {
			return
		}
		b.ident(c.name)
		return
	}
	if d := c.t.p; d != nil && d.ext == nil && b.bare == nil && b.check == nil && b.q != 0 {
		// The usual column, t.name or alias.name: both quoted in one pass.
		q := d.alias
		if q == "" {
			q = d.name
		}
		if b.identPair(q, c.name) {
			return
		}
	}
	if !qualify(b, c.t) {
		return
	}
	if b.check != nil && c.t.d().name != "" && b.err == nil {
		if err := b.check(c.t.d().name, c.t.d().alias, c.name); err != nil {
			b.Fail(err)
			return
		}
	}
	b.ident(c.name)
}

// ColumnName is the unqualified name of a column expression, and whether e
// is a column at all.
func ColumnName(e Expr) (string, bool) {
	if c, ok := unwrap(e).(*column); ok {
		return c.name, true
	}
	return "", false
}

// newColumn makes an Ex of c, from the column slab.
func newColumn(c column) Ex {
	h := columnSlab.get()
	h.v = c
	h.e = &h.v
	return Ex{&h.node}
}

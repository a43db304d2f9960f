package query

import "fmt"

// TableRef names a table, a derived table (a subquery with an alias) or a
// common table expression. In FROM and JOIN it renders as "users" AS "u";
// as a qualifier of its columns it renders as "u".
type TableRef struct {
	schema string
	name   string
	alias  string
	sub    Statement // a derived table: (SELECT …) AS alias
}

// Table refers to the table name in the connection's default schema.
func Table(name string) TableRef { return TableRef{name: name} }

// SchemaTable refers to schema.name.
func SchemaTable(schema, name string) TableRef { return TableRef{schema: schema, name: name} }

// As gives the table an alias, e.g. for self-joins.
func (t TableRef) As(alias string) TableRef { t.alias = alias; return t }

// Name is the table's name (empty for a derived table).
func (t TableRef) Name() string { return t.name }

// Alias is the alias given with As, if any.
func (t TableRef) Alias() string { return t.alias }

// C is a column of this table, qualified by the alias if there is one.
func (t TableRef) C(name string) Ex { return newColumn(column{t: t, name: name}) }

// Star is t.* .
func (t TableRef) Star() Ex { return newColumn(column{t: t, star: true}) }

// AppendSQL renders the table as a qualifier: its alias, or its (schema-
// qualified) name.
func (t TableRef) AppendSQL(b *Builder) {
	switch {
	case t.alias != "":
		b.ident(t.alias)
	case t.sub != nil:
		b.Fail(fmt.Errorf("%w: a derived table needs an alias (use As)", ErrInvalid))
	case t.schema != "":
		b.Ident(t.schema, t.name)
	default:
		b.ident(t.name)
	}
}

// appendFrom renders the table as a FROM or JOIN item.
func (t TableRef) appendFrom(b *Builder) {
	if t.sub != nil {
		if t.alias == "" {
			b.Fail(fmt.Errorf("%w: a derived table needs an alias (use As)", ErrInvalid))
			return
		}
		b.depth++ // force parentheses even at the top level
		b.Expr(t.sub)
		b.depth--
		b.Lit(" AS ")
		b.ident(t.alias)
		return
	}
	if t.schema != "" {
		b.Ident(t.schema, t.name)
	} else {
		b.ident(t.name)
	}
	if t.alias != "" {
		b.Lit(" AS ")
		b.ident(t.alias)
	}
}

// appendTarget renders the table as the target of INSERT/UPDATE/DELETE.
func (t TableRef) appendTarget(b *Builder) {
	if t.sub != nil {
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
	if f, ok := e.(fromItem); ok {
		f.appendFrom(b)
		return
	}
	b.Expr(e)
}

// C is an unqualified column, or a reference to a select-list alias.
func C(name string) Ex { return newColumn(column{name: name}) }

// Star is * .
func Star() Ex { return newColumn(column{star: true}) }

type column struct {
	t    TableRef
	name string
	star bool
}

func (c *column) AppendSQL(b *Builder) {
	if c.t.name != "" || c.t.alias != "" || c.t.sub != nil {
		switch {
		case b.bare == nil:
			c.t.AppendSQL(b)
			b.byte('.')
		case c.t.sub != nil || c.t.schema != b.bare.schema || c.t.name != b.bare.name || c.t.alias != b.bare.alias:
			b.Unsupported("RETURNING a column of another table than the target")
			return
		}
	}
	if c.star {
		b.byte('*')
		return
	}
	if b.check != nil && c.t.name != "" && b.err == nil {
		if err := b.check(c.t.name, c.t.alias, c.name); err != nil {
			b.Fail(err)
			return
		}
	}
	b.ident(c.name)
}

// ColumnName is the unqualified name of a column expression, and whether e
// is a column at all.
func ColumnName(e Expr) (string, bool) {
	if c, ok := unwrap(e).(*column); ok && !c.star {
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

package query

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
)

// ddl renders body with values as literals: engines take no bound parameters
// in DDL.
func ddl(b *Builder, body func()) {
	inline := b.inline
	b.inline = true
	b.nested(body)
	b.inline = inline
}

func (CreateTableQuery) isStatement() {}
func (DropTableQuery) isStatement()   {}
func (CreateIndexQuery) isStatement() {}
func (DropIndexQuery) isStatement()   {}

// ColumnDef describes one column of CREATE TABLE.
type ColumnDef struct {
	Name       string
	Type       fields.ColumnType // mapped to a type name by the dialect
	SQLType    string            // overrides Type when set (written verbatim)
	NotNull    bool
	PrimaryKey bool // a single-column primary key; see also CreateTableQuery.PrimaryKey
	Unique     bool
	Default    any  // a value (written as a literal) or an Expr such as Now()
	HasDefault bool // Default is set (a nil Default means DEFAULT NULL)
	Check      Expr // a column CHECK constraint
}

// Now is the current timestamp, for column defaults: CURRENT_TIMESTAMP, or
// CURRENT_TIMESTAMP(6) on MySQL to match DATETIME(6).
func Now() Ex { return mk(now{}) }

type now struct{}

func (now) AppendSQL(b *Builder) {
	if ct, ok := b.d.(dialect.CurrentTimestamper); ok {
		b.Lit(ct.CurrentTimestamp())
		return
	}
	b.Lit("CURRENT_TIMESTAMP")
}

// ForeignKey is a FOREIGN KEY table constraint.
type ForeignKey struct {
	Name       string // optional constraint name
	Columns    []string
	RefTable   TableRef
	RefColumns []string
	OnDelete   string // CASCADE, RESTRICT, SET NULL, SET DEFAULT, NO ACTION
	OnUpdate   string
}

// CreateTableQuery is CREATE TABLE; like every builder here it is immutable.
type CreateTableQuery struct {
	table       TableRef
	ifNotExists bool
	cols        []ColumnDef
	pk          []string
	uniques     []uniqueDef
	fks         []ForeignKey
	checks      []checkDef
}

type uniqueDef struct {
	name string
	cols []string
}

type checkDef struct {
	name string
	e    Expr
}

// CreateTable starts a CREATE TABLE t.
func CreateTable(t TableRef) CreateTableQuery { return CreateTableQuery{table: t} }

// IfNotExists adds IF NOT EXISTS.
func (q CreateTableQuery) IfNotExists() CreateTableQuery { q.ifNotExists = true; return q }

// Column adds column definitions.
func (q CreateTableQuery) Column(cols ...ColumnDef) CreateTableQuery {
	q.cols = append(q.cols[:len(q.cols):len(q.cols)], cols...)
	return q
}

// PrimaryKey sets a (possibly composite) primary key.
func (q CreateTableQuery) PrimaryKey(cols ...string) CreateTableQuery {
	q.pk = slices.Clone(cols)
	return q
}

// Unique adds a UNIQUE table constraint, named when name is not empty.
func (q CreateTableQuery) Unique(name string, cols ...string) CreateTableQuery {
	q.uniques = append(q.uniques[:len(q.uniques):len(q.uniques)], uniqueDef{name, slices.Clone(cols)})
	return q
}

// ForeignKey adds a FOREIGN KEY constraint. It is always written as a table
// constraint: MySQL ignores REFERENCES inside a column definition.
func (q CreateTableQuery) ForeignKey(fk ForeignKey) CreateTableQuery {
	q.fks = append(q.fks[:len(q.fks):len(q.fks)], fk)
	return q
}

// Check adds a CHECK table constraint, named when name is not empty.
func (q CreateTableQuery) Check(name string, cond Expr) CreateTableQuery {
	q.checks = append(q.checks[:len(q.checks):len(q.checks)], checkDef{name, unwrap(cond)})
	return q
}

// Build renders the statement for d.
func (q CreateTableQuery) Build(d dialect.Dialect) (string, []any, error) { return Build(d, q) }

// AppendSQL renders the statement.
func (q CreateTableQuery) AppendSQL(b *Builder) { ddl(b, func() { q.appendBody(b) }) }

func (q CreateTableQuery) appendBody(b *Builder) {
	if len(q.cols) == 0 {
		b.Fail(fmt.Errorf("%w: CREATE TABLE %s has no columns", ErrInvalid, q.table.d().name))
		return
	}
	pk := q.pk
	for _, c := range q.cols {
		if c.PrimaryKey {
			if len(q.pk) > 0 {
				b.Fail(fmt.Errorf("%w: CREATE TABLE %s: column %s is marked PrimaryKey and the table has PrimaryKey(%s) too", ErrInvalid, q.table.d().name, c.Name, strings.Join(q.pk, ", ")))
				return
			}
			pk = append(pk[:len(pk):len(pk)], c.Name)
		}
	}
	b.Lit("CREATE TABLE ")
	if q.ifNotExists {
		b.Lit("IF NOT EXISTS ")
	}
	q.table.appendTarget(b)
	b.Lit(" (")
	pkDeclared := false
	for i, c := range q.cols {
		if i > 0 {
			b.Lit(", ")
		}
		if appendColumnDef(b, q.table.d().name, c, pk) {
			pkDeclared = true
		}
	}
	if len(pk) > 0 && !pkDeclared {
		b.Lit(", PRIMARY KEY (")
		b.idents(pk)
		b.byte(')')
	}
	for _, u := range q.uniques {
		b.Lit(", ")
		appendConstraintName(b, u.name)
		b.Lit("UNIQUE (")
		b.idents(u.cols)
		b.byte(')')
	}
	for _, fk := range q.fks {
		b.Lit(", ")
		appendForeignKey(b, fk)
	}
	for _, c := range q.checks {
		b.Lit(", ")
		appendConstraintName(b, c.name)
		b.Lit("CHECK (")
		b.Expr(c.e)
		b.byte(')')
	}
	b.byte(')')
	if o, ok := b.d.(dialect.TableOptioner); ok {
		b.Lit(o.TableOptions())
	}
}

func appendConstraintName(b *Builder, name string) {
	if name != "" {
		b.Lit("CONSTRAINT ")
		b.ident(name)
		b.byte(' ')
	}
}

// appendColumnDef writes one column and reports whether it declared the
// table's primary key itself (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT).
func appendColumnDef(b *Builder, table string, c ColumnDef, pk []string) (declaredPK bool) {
	b.ident(c.Name)
	b.byte(' ')
	inPK := false
	for _, p := range pk {
		inPK = inPK || p == c.Name
	}
	if c.SQLType != "" {
		if !validTypeName(c.SQLType) {
			b.Fail(fmt.Errorf("%w: column %s.%s: type %q: only letters, digits, spaces, _ and balanced ( ) with commas inside are allowed", ErrInvalid, table, c.Name, c.SQLType))
			return false
		}
		b.Lit(c.SQLType)
	} else {
		t := c.Type
		t.Key = t.Key || inPK || c.Unique
		name, err := b.d.TypeName(t)
		if err != nil {
			b.Fail(fmt.Errorf("kinglet: query: column %s.%s: %w", table, c.Name, err))
			return false
		}
		b.Lit(name)
	}
	if c.Type.AutoInc {
		if !c.Type.Kind.IsInteger() {
			b.Fail(fmt.Errorf("%w: column %s.%s: auto-increment needs an integer kind, not %s", ErrInvalid, table, c.Name, c.Type.Kind))
			return false
		}
		clause, declares := b.d.AutoIncrement()
		if declares {
			if len(pk) != 1 || !inPK {
				b.Unsupported(fmt.Sprintf("auto-increment column %s.%s outside a single-column primary key", table, c.Name))
				return false
			}
			declaredPK = true
		}
		b.byte(' ')
		b.Lit(clause)
	}
	if c.NotNull || inPK {
		b.Lit(" NOT NULL")
	}
	if c.HasDefault || c.Default != nil {
		b.Lit(" DEFAULT ")
		if e, ok := c.Default.(Expr); ok {
			if defaultNeedsParens(e) {
				b.byte('(')
				b.Expr(e)
				b.byte(')')
			} else {
				b.Expr(e)
			}
		} else {
			if b.d.Has(dialect.TextDefaultParens) && c.Default != nil && unboundedType(c) {
				// MySQL 8 takes a default on TEXT, BLOB and JSON only as
				// an expression.
				b.byte('(')
				b.literal(c.Default)
				b.byte(')')
			} else {
				b.literal(c.Default)
			}
		}
	}
	if c.Unique {
		b.Lit(" UNIQUE")
	}
	if c.Check != nil {
		b.Lit(" CHECK (")
		b.Expr(c.Check)
		b.byte(')')
	}
	return declaredPK
}

// defaultNeedsParens reports whether a DEFAULT expression is written in
// parentheses: SQLite and MySQL 8 take a literal, CURRENT_TIMESTAMP or
// (expr) there, not a bare function call, CASE or CAST. A value, Now() and a
// one-token SQL fragment (a number or keyword) stay bare.
func defaultNeedsParens(e Expr) bool {
	switch x := unwrap(e).(type) {
	case now, value, *now, *value:
		return false
	case *raw:
		return x.prec() < precAtom
	}
	return true
}

var fkActions = map[string]string{
	"CASCADE": "CASCADE", "RESTRICT": "RESTRICT", "SET NULL": "SET NULL", "SET_NULL": "SET NULL",
	"SET DEFAULT": "SET DEFAULT", "SET_DEFAULT": "SET DEFAULT", "NO ACTION": "NO ACTION", "NO_ACTION": "NO ACTION",
}

func appendForeignKey(b *Builder, fk ForeignKey) {
	if len(fk.Columns) == 0 || len(fk.Columns) != len(fk.RefColumns) {
		b.Fail(fmt.Errorf("%w: foreign key %v -> %s%v: column counts differ or are zero", ErrInvalid, fk.Columns, fk.RefTable.d().name, fk.RefColumns))
		return
	}
	appendConstraintName(b, fk.Name)
	b.Lit("FOREIGN KEY (")
	b.idents(fk.Columns)
	b.Lit(") REFERENCES ")
	if b.d.Has(dialect.SchemaOnIndexName) {
		// SQLite: a foreign key refers to a table of its own schema, by
		// bare name.
		fk.RefTable.withoutSchema().appendTarget(b)
	} else {
		fk.RefTable.appendTarget(b)
	}
	b.Lit(" (")
	b.idents(fk.RefColumns)
	b.byte(')')
	appendFKAction(b, " ON DELETE ", fk.OnDelete)
	appendFKAction(b, " ON UPDATE ", fk.OnUpdate)
}

func appendFKAction(b *Builder, clause, action string) {
	if action == "" {
		return
	}
	a, ok := fkActions[strings.ToUpper(strings.TrimSpace(action))]
	if !ok {
		b.Fail(fmt.Errorf("%w: foreign key action %q (want CASCADE, RESTRICT, SET NULL, SET DEFAULT or NO ACTION)", ErrInvalid, action))
		return
	}
	if a == "SET DEFAULT" && !b.Require(dialect.FKSetDefault) {
		return
	}
	b.Lit(clause)
	b.Lit(a)
}

// DropTableQuery is DROP TABLE.
type DropTableQuery struct {
	tables   []TableRef
	ifExists bool
	cascade  bool
}

// DropTable starts a DROP TABLE of one or more tables.
func DropTable(tables ...TableRef) DropTableQuery {
	return DropTableQuery{tables: slices.Clone(tables)}
}

// IfExists adds IF EXISTS.
func (q DropTableQuery) IfExists() DropTableQuery { q.ifExists = true; return q }

// Cascade also drops dependent objects (PostgreSQL; an error elsewhere, where
// CASCADE would be accepted but do nothing).
func (q DropTableQuery) Cascade() DropTableQuery { q.cascade = true; return q }

// Build renders the statement for d.
func (q DropTableQuery) Build(d dialect.Dialect) (string, []any, error) { return Build(d, q) }

// AppendSQL renders the statement.
func (q DropTableQuery) AppendSQL(b *Builder) {
	ddl(b, func() {
		if len(q.tables) == 0 {
			b.Fail(fmt.Errorf("%w: DROP TABLE of no table", ErrInvalid))
			return
		}
		if len(q.tables) > 1 && !b.Require(dialect.DropManyTables) {
			return
		}
		b.Lit("DROP TABLE ")
		if q.ifExists {
			b.Lit("IF EXISTS ")
		}
		for i, t := range q.tables {
			if i > 0 {
				b.Lit(", ")
			}
			t.appendTarget(b)
		}
		if q.cascade && b.Require(dialect.DropTableCascade) {
			b.Lit(" CASCADE")
		}
	})
}

// CreateIndexQuery is CREATE INDEX.
type CreateIndexQuery struct {
	name        string
	table       TableRef
	cols        []Expr
	unique      bool
	ifNotExists bool
	where       Expr
}

// CreateIndex starts a CREATE INDEX name ON t (cols…).
func CreateIndex(name string, t TableRef, cols ...string) CreateIndexQuery {
	es := make([]Expr, len(cols))
	for i, c := range cols {
		es[i] = C(c).n()
	}
	return CreateIndexQuery{name: name, table: t, cols: es}
}

// Name is the index name.
func (q CreateIndexQuery) Name() string { return q.name }

// On replaces the indexed columns with expressions or orderings
// (C("a").Desc()).
func (q CreateIndexQuery) On(es ...Expr) CreateIndexQuery { q.cols = unwrapAll(es); return q }

// Unique makes it a UNIQUE index.
func (q CreateIndexQuery) Unique() CreateIndexQuery { q.unique = true; return q }

// IfNotExists adds IF NOT EXISTS (not on MySQL 8).
func (q CreateIndexQuery) IfNotExists() CreateIndexQuery { q.ifNotExists = true; return q }

// Where makes it a partial index (PostgreSQL, SQLite).
func (q CreateIndexQuery) Where(cond Expr) CreateIndexQuery { q.where = unwrap(cond); return q }

// Build renders the statement for d.
func (q CreateIndexQuery) Build(d dialect.Dialect) (string, []any, error) { return Build(d, q) }

// AppendSQL renders the statement.
func (q CreateIndexQuery) AppendSQL(b *Builder) {
	ddl(b, func() {
		if len(q.cols) == 0 {
			b.Fail(fmt.Errorf("%w: index %s has no columns", ErrInvalid, q.name))
			return
		}
		b.Lit("CREATE ")
		if q.unique {
			b.Lit("UNIQUE ")
		}
		b.Lit("INDEX ")
		if q.ifNotExists && b.Require(dialect.IndexIfNotExists) {
			b.Lit("IF NOT EXISTS ")
		}
		tbl := q.table
		if tbl.d().schema() != "" && b.d.Has(dialect.SchemaOnIndexName) {
			b.Ident(tbl.d().schema(), q.name) // SQLite: CREATE INDEX "s"."i" ON "t"
			tbl = tbl.withoutSchema()
		} else {
			b.ident(q.name)
		}
		b.Lit(" ON ")
		tbl.appendTarget(b)
		// The indexed table is implied: its columns are written unqualified
		// in key parts and WHERE, which SQLite requires of expressions.
		t := q.table
		b.bare, b.index = &t, q.name
		b.Lit(" (")
		for i, c := range q.cols {
			if i > 0 {
				b.Lit(", ")
			}
			appendIndexItem(b, c)
		}
		b.byte(')')
		if q.where != nil && b.Require(dialect.PartialIndex) {
			b.Lit(" WHERE ")
			b.Expr(q.where)
		}
		b.bare, b.index = nil, ""
	})
}

// bareOther is qualify for a column of t where only the columns of b.bare
// may stand: RETURNING on SQLite, an index. An index takes a column of its
// table however that is qualified; anything else fails the build.
func (b *Builder) bareOther(t TableRef) bool {
	if b.index == "" {
		b.Unsupported("RETURNING a column of another table than the target")
		return false
	}
	d, bd := t.d(), b.bare.d()
	if d.sub() == nil && d.name == bd.name && (d.schema() == "" || bd.schema() == "" || d.schema() == bd.schema()) {
		return true
	}
	name := d.name
	if d.alias != "" {
		name = d.alias
	}
	b.Fail(fmt.Errorf("%w: index %s on %s names a column of %s: an index takes only its own table's columns", ErrInvalid, b.index, bd.name, name))
	return false
}

// DropIndexQuery is DROP INDEX.
type DropIndexQuery struct {
	name     string
	table    TableRef
	ifExists bool
}

// DropIndex starts a DROP INDEX name. The table is needed on MySQL (DROP
// INDEX name ON t) and gives the schema on PostgreSQL.
func DropIndex(name string, t TableRef) DropIndexQuery { return DropIndexQuery{name: name, table: t} }

// IfExists adds IF EXISTS (not on MySQL 8).
func (q DropIndexQuery) IfExists() DropIndexQuery { q.ifExists = true; return q }

// Build renders the statement for d.
func (q DropIndexQuery) Build(d dialect.Dialect) (string, []any, error) { return Build(d, q) }

// AppendSQL renders the statement.
func (q DropIndexQuery) AppendSQL(b *Builder) {
	ddl(b, func() {
		b.Lit("DROP INDEX ")
		if q.ifExists && b.Require(dialect.DropIndexIfExists) {
			b.Lit("IF EXISTS ")
		}
		onTable := b.d.Has(dialect.DropIndexOnTable)
		if q.table.d().schema() != "" && !onTable {
			b.Ident(q.table.d().schema(), q.name)
		} else {
			b.ident(q.name)
		}
		if onTable {
			if q.table.d().name == "" {
				b.Fail(fmt.Errorf("%w: DROP INDEX %s needs its table on %s", ErrInvalid, q.name, b.d))
				return
			}
			b.Lit(" ON ")
			q.table.appendTarget(b)
		}
	})
}

// unboundedType reports whether c maps to MySQL's TEXT, BLOB or JSON types.
func unboundedType(c ColumnDef) bool {
	if c.SQLType != "" {
		u := strings.ToUpper(c.SQLType)
		return strings.Contains(u, "TEXT") || strings.Contains(u, "BLOB") || strings.Contains(u, "JSON")
	}
	switch c.Type.Kind {
	case fields.KindJSON:
		return true
	case fields.KindString, fields.KindBytes:
		return c.Type.Size == 0
	}
	return false
}

// appendIndexItem writes one key part of an index: a column as is, an
// expression in parentheses (which PostgreSQL requires and SQLite and MySQL
// accept), and an ordering of either.
func appendIndexItem(b *Builder, e Expr) {
	ord, isOrder := e.(Ordering)
	isOrder = isOrder && ord.o != nil
	inner := e
	var o ordering
	if isOrder {
		o = *ord.o
		inner = o.e
	}
	if _, isCol := ColumnName(inner); isCol {
		b.Expr(e)
		return
	}
	if !b.Require(dialect.IndexExpressions) {
		return
	}
	b.byte('(')
	b.Expr(inner)
	b.byte(')')
	if isOrder && o.desc {
		b.Lit(" DESC")
	}
}

package ddl

import (
	"fmt"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/schema"
	"github.com/kingletdb/kinglet/query"
)

// Statements returns the SQL statements, without trailing semicolons, that
// perform ops on the engine d, given the current schema. It follows the ops
// on a copy of current, so that a sequence such as AddColumn then AddIndex
// on the same table renders; current itself is not changed.
//
// current may be nil when no op needs it. Those that do: on SQLite, every
// change ALTER TABLE cannot make (types, NULL, defaults, constraints, and
// dropping a column that is in a key, an index or a check) rebuilds the
// table from its definition in current; on MySQL and MariaDB, changing a
// type or NULL restates the whole column with MODIFY COLUMN, taking the
// rest of its definition from current. An op that needs a table current
// does not have is an error wrapping ErrInvalid.
//
// CreateTable renders CREATE TABLE and then CREATE INDEX for the indexes
// that are not unique constraints; with IfNotExists both say IF NOT EXISTS
// where the engine can (MySQL 8 cannot for indexes: a table current already
// has gets no index statements).
//
// A SQLite rebuild creates the new table as "_kinglet_new_<table>", copies
// the rows (and the AUTOINCREMENT high-water mark), drops the old table,
// renames the new one with PRAGMA legacy_alter_table on (so that views and
// triggers of other tables that name the table do not stop the rename), and
// recreates the indexes of the table in current. Schema knows no triggers: Apply, which
// reads the original CREATE INDEX and CREATE TRIGGER statements from
// sqlite_master, recreates them too, so prefer it for tables with
// triggers. The statements must run with foreign keys off (otherwise
// dropping the old table deletes the rows that reference it, with their
// ON DELETE actions): the migration runner turns them off around each
// migration on SQLite and checks them before it commits; see the package
// documentation.
func Statements(d dialect.Dialect, current *schema.Schema, ops ...Op) ([]string, error) {
	if d == nil {
		return nil, fmt.Errorf("%w: Statements: nil dialect", ErrInvalid)
	}
	r := newRenderer(d, current)
	var out []string
	for i, op := range ops {
		if op == nil {
			return nil, fmt.Errorf("%w: Statements: operation %d is nil", ErrInvalid, i+1)
		}
		p, err := r.step(op)
		if err != nil {
			return nil, err
		}
		out = append(out, p.statements()...)
	}
	return out, nil
}

// renderer turns operations into SQL for one dialect, following them on
// its copy of the schema.
type renderer struct {
	d dialect.Dialect
	s *schema.Schema
	// sqlite holds, per table (lower-cased name), what a SQLite rebuild
	// recreates verbatim; Apply reads it from sqlite_master. Without it a
	// rebuild recreates the indexes of the model.
	sqlite map[string]*sqliteObjects
}

func newRenderer(d dialect.Dialect, current *schema.Schema) *renderer {
	s := current.Clone()
	if s == nil {
		s = &schema.Schema{}
	}
	return &renderer{d: d, s: s}
}

// opPlan is one operation rendered: plain statements, or a table rebuild.
type opPlan struct {
	stmts   []string
	rebuild *rebuildPlan
}

// statements flattens the plan into the statements Statements returns.
func (p opPlan) statements() []string {
	if p.rebuild == nil {
		return p.stmts
	}
	rb := p.rebuild
	out := append([]string{}, rb.stmts...)
	// With legacy_alter_table off, the rename would check every view and
	// trigger that names the table, which is missing at that moment.
	out = append(out, "PRAGMA legacy_alter_table = ON", rb.rename, "PRAGMA legacy_alter_table = OFF")
	return append(out, rb.after...)
}

// quote quotes an identifier for the dialect.
func (r *renderer) quote(name string) string { return string(r.d.AppendIdent(nil, name)) }

// typeOf is the engine's type name for c.
func (r *renderer) typeOf(c schema.Column) (string, error) { return columnTypeName(r.d, c, false) }

// sql renders one statement, wrapping an error with op and the dialect.
func (r *renderer) sql(op Op, f func(b *query.Builder)) (string, error) {
	s, err := query.BuildInline(r.d, sqlFunc(f))
	if err != nil {
		return "", opWrap(op, err)
	}
	return s, nil
}

// opWrap wraps an error of the query package with the op it rendered.
func opWrap(op Op, err error) error {
	return fmt.Errorf("kinglet: ddl: %s: %w", op, err)
}

// alterSQL renders ALTER TABLE table <clause>.
func (r *renderer) alterSQL(op Op, table string, clause func(b *query.Builder)) (opPlan, error) {
	s, err := r.sql(op, func(b *query.Builder) {
		b.Lit("ALTER TABLE ")
		b.Ident(table)
		b.Lit(" ")
		clause(b)
	})
	return opPlan{stmts: []string{s}}, err
}

// opRequire checks that each pair (what, value) of an op has a value.
func opRequire(op Op, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return opInvalid(op, "empty %s", pairs[i])
		}
	}
	return nil
}

// opFields checks that an op that changes a table names what it changes.
func opFields(op Op) error {
	switch o := op.(type) {
	case AddColumn:
		return opRequire(op, "column name", o.Column.Name)
	case DropColumn:
		return opRequire(op, "column name", o.Column)
	case RenameColumn:
		return opRequire(op, "column name", o.From, "new column name", o.To)
	case AlterColumnType:
		return opRequire(op, "column name", o.Column)
	case SetNotNull:
		return opRequire(op, "column name", o.Column)
	case DropNotNull:
		return opRequire(op, "column name", o.Column)
	case SetDefault:
		return opRequire(op, "column name", o.Column, "default", o.Default)
	case DropDefault:
		return opRequire(op, "column name", o.Column)
	case AddIndex:
		return opRequire(op, "index name", o.Index.Name)
	case DropIndex:
		return opRequire(op, "index name", o.Name)
	case AddForeignKey:
		return opRequire(op, "referenced table", o.ForeignKey.RefTable)
	case DropForeignKey:
		return opRequire(op, "foreign key name", o.Name)
	case AddCheck:
		return opRequire(op, "check expression", o.Check.Expr)
	case DropConstraint:
		return opRequire(op, "constraint name", o.Name)
	}
	return nil
}

// opTableName is the table an op changes.
func opTableName(op Op) string {
	switch o := op.(type) {
	case AddColumn:
		return o.Table
	case DropColumn:
		return o.Table
	case RenameColumn:
		return o.Table
	case AlterColumnType:
		return o.Table
	case SetNotNull:
		return o.Table
	case DropNotNull:
		return o.Table
	case SetDefault:
		return o.Table
	case DropDefault:
		return o.Table
	case AddIndex:
		return o.Table
	case DropIndex:
		return o.Table
	case AddForeignKey:
		return o.Table
	case DropForeignKey:
		return o.Table
	case AddCheck:
		return o.Table
	case DropConstraint:
		return o.Table
	case CreateTable:
		if o.Table != nil {
			return o.Table.Name
		}
	case DropTable:
		return o.Name
	case RenameTable:
		return o.From
	}
	return ""
}

// step renders op and moves the schema on past it.
func (r *renderer) step(op Op) (opPlan, error) {
	switch o := op.(type) {
	case CreateTable:
		return r.createTable(o)
	case DropTable:
		if err := opRequire(op, "table name", o.Name); err != nil {
			return opPlan{}, err
		}
		q := query.DropTable(query.Table(o.Name))
		if o.IfExists {
			q = q.IfExists()
		}
		s, err := r.sql(op, q.AppendSQL)
		if t := opTable(r.s, o.Name); t != nil {
			opPutTable(r.s, t.Name, nil)
		}
		return opPlan{stmts: []string{s}}, err
	case RenameTable:
		if err := opRequire(op, "table name", o.From, "new table name", o.To); err != nil {
			return opPlan{}, err
		}
		p, err := r.alterSQL(op, o.From, func(b *query.Builder) {
			b.Lit("RENAME TO ")
			b.Ident(o.To)
		})
		if t := opTable(r.s, o.From); t != nil {
			nt := t.Clone()
			nt.Name = o.To
			opPutTable(r.s, t.Name, nil)
			opPutTable(r.s, nt.Name, nt)
		}
		// Engines repoint the foreign keys that reference the table.
		for _, t := range r.s.Tables {
			for i := range t.ForeignKeys {
				if strings.EqualFold(t.ForeignKeys[i].RefTable, o.From) {
					t.ForeignKeys[i].RefTable = o.To
				}
			}
		}
		return p, err
	}
	name := opTableName(op)
	if err := opRequire(op, "table name", name); err != nil {
		return opPlan{}, err
	}
	if err := opFields(op); err != nil {
		return opPlan{}, err
	}
	old := opTable(r.s, name)
	var nt *schema.Table
	if old != nil {
		nt = old.Clone()
		if err := opMutate(nt, op, r.typeOf, r.quote); err != nil {
			return opPlan{}, err
		}
	}
	p, err := r.alter(op, name, old, nt)
	if err != nil {
		return opPlan{}, err
	}
	if nt != nil {
		opPutTable(r.s, old.Name, nt)
	}
	return p, nil
}

// needTable is the error of an op that needs the table's current
// definition and does not have it.
func (r *renderer) needTable(op Op, table, why string) error {
	return opInvalid(op, "%s on %s needs the current definition of table %s, which is not in the current schema", why, r.d, table)
}

// alter renders an op that changes one existing table. old is the table
// before it and nt after it (both nil when the schema does not have it).
func (r *renderer) alter(op Op, table string, old, nt *schema.Table) (opPlan, error) {
	d := r.d
	inPlace := d.Has(dialect.AddConstraint) // otherwise SQLite: rebuild
	rebuild := func(renamed map[string]string) (opPlan, error) {
		if old == nil {
			return opPlan{}, r.needTable(op, table, "rebuilding the table")
		}
		return r.rebuild(op, old, nt, renamed)
	}
	// modify restates a column with MySQL's MODIFY COLUMN (or CHANGE COLUMN
	// to rename it).
	modify := func(col, newName string) (opPlan, error) {
		c := opColumn(old, col)
		if c == nil {
			return opPlan{}, r.needTable(op, table, "MODIFY COLUMN")
		}
		after := *opColumn(nt, newName)
		return r.alterSQL(op, table, func(b *query.Builder) {
			if newName != c.Name {
				b.Lit("CHANGE COLUMN ")
				b.Ident(c.Name)
				b.Lit(" ")
			} else {
				b.Lit("MODIFY COLUMN ")
			}
			appendColumnDef(b, table, after, columnSpec{key: columnInKey(nt, after.Name), modify: true})
		})
	}
	switch o := op.(type) {
	case AddColumn:
		if o.Column.AutoIncrement {
			return opPlan{}, opInvalid(op, "an auto-increment column is created with its table (CreateTable), not added")
		}
		if !inPlace && !sqliteCanAdd(o.Column) {
			return rebuild(nil)
		}
		return r.alterSQL(op, table, func(b *query.Builder) {
			b.Lit("ADD COLUMN ")
			appendColumnDef(b, table, o.Column, columnSpec{})
		})
	case DropColumn:
		if !inPlace && (!d.Has(dialect.DropColumn) || old != nil && sqliteColumnBound(old, o.Column)) {
			return rebuild(nil)
		}
		return r.alterSQL(op, table, func(b *query.Builder) {
			b.Lit("DROP COLUMN ")
			b.Ident(o.Column)
		})
	case RenameColumn:
		switch {
		case d.Has(dialect.RenameColumn):
			return r.alterSQL(op, table, func(b *query.Builder) {
				b.Lit("RENAME COLUMN ")
				b.Ident(o.From)
				b.Lit(" TO ")
				b.Ident(o.To)
			})
		case d.Has(dialect.ModifyColumn):
			return modify(o.From, o.To)
		}
		return rebuild(map[string]string{o.To: o.From})
	case AlterColumnType:
		if o.Type == "" && o.Of.Kind == fields.KindInvalid {
			return opPlan{}, opInvalid(op, "neither Type nor Of says the new type")
		}
		switch {
		case d.Has(dialect.ModifyColumn):
			return modify(o.Column, o.Column)
		case d.Has(dialect.AlterColumn):
			typ, err := columnTypeName(d, schema.Column{Name: o.Column, Type: o.Type, Of: o.Of}, columnInKey(old, o.Column))
			if err != nil {
				return opPlan{}, fmt.Errorf("%w (%s)", err, op)
			}
			return r.alterSQL(op, table, func(b *query.Builder) {
				b.Lit("ALTER COLUMN ")
				b.Ident(o.Column)
				b.Lit(" TYPE " + typ)
				if o.Using != "" {
					b.Lit(" USING ")
					b.Expr(query.SQL(o.Using))
				}
			})
		}
		return rebuild(nil)
	case SetNotNull, DropNotNull:
		col, clause := "", ""
		if sn, ok := o.(SetNotNull); ok {
			col, clause = sn.Column, "SET NOT NULL"
		} else {
			col, clause = o.(DropNotNull).Column, "DROP NOT NULL"
		}
		switch {
		case d.Has(dialect.ModifyColumn):
			return modify(col, col)
		case d.Has(dialect.AlterColumn):
			return r.alterSQL(op, table, func(b *query.Builder) {
				b.Lit("ALTER COLUMN ")
				b.Ident(col)
				b.Lit(" " + clause)
			})
		}
		return rebuild(nil)
	case SetDefault:
		if !d.Has(dialect.AlterColumn) {
			return rebuild(nil)
		}
		col, typ := schema.Column{Name: o.Column, Type: "TEXT"}, ""
		if c := opColumn(old, o.Column); c != nil {
			col = *c
			typ, _ = columnTypeName(d, col, false)
		}
		col.Default, col.HasDefault = o.Default, true
		return r.alterSQL(op, table, func(b *query.Builder) {
			b.Lit("ALTER COLUMN ")
			b.Ident(o.Column)
			b.Lit(" SET DEFAULT ")
			appendDefault(b, col, typ)
		})
	case DropDefault:
		if !d.Has(dialect.AlterColumn) {
			return rebuild(nil)
		}
		return r.alterSQL(op, table, func(b *query.Builder) {
			b.Lit("ALTER COLUMN ")
			b.Ident(o.Column)
			b.Lit(" DROP DEFAULT")
		})
	case AddIndex:
		ix := o.Index
		if len(ix.Columns) == 0 {
			return opPlan{}, opInvalid(op, "index %s has no columns", ix.Name)
		}
		if !ix.Constraint {
			s, err := r.createIndexSQL(op, table, ix, false)
			return opPlan{stmts: []string{s}}, err
		}
		if ix.Where != "" {
			return opPlan{}, opInvalid(op, "a unique constraint cannot have a WHERE; add a unique index (Constraint false) instead")
		}
		if !inPlace {
			return rebuild(nil)
		}
		return r.alterSQL(op, table, func(b *query.Builder) {
			b.Lit("ADD CONSTRAINT ")
			b.Ident(ix.Name)
			b.Lit(" UNIQUE (")
			opIdents(b, ix.Columns)
			b.Lit(")")
		})
	case DropIndex:
		return r.dropIndex(op, table, o.Name, old, rebuild)
	case AddForeignKey:
		if !inPlace {
			return rebuild(nil)
		}
		return r.alterSQL(op, table, func(b *query.Builder) {
			b.Lit("ADD ")
			appendForeignKey(b, o.ForeignKey)
		})
	case DropForeignKey:
		if !inPlace {
			if old != nil && opConstraintKind(old, o.Name) != "foreign key" {
				return opPlan{}, opInvalid(op, "table %s has no foreign key named %s (it has %s)", table, o.Name,
					opNameList(old.ForeignKeys, func(fk schema.ForeignKey) string { return fk.Name }))
			}
			return rebuild(nil)
		}
		return r.alterSQL(op, table, func(b *query.Builder) {
			if d.Has(dialect.DropForeignKey) {
				b.Lit("DROP FOREIGN KEY ")
			} else {
				b.Lit("DROP CONSTRAINT ")
			}
			b.Ident(o.Name)
		})
	case AddCheck:
		if !d.Has(dialect.CheckConstraints) {
			return opPlan{}, opWrap(op, dialect.Unsupported(d, dialect.CheckConstraints.String()))
		}
		if !inPlace {
			return rebuild(nil)
		}
		return r.alterSQL(op, table, func(b *query.Builder) {
			b.Lit("ADD ")
			if o.Check.Name != "" {
				b.Lit("CONSTRAINT ")
				b.Ident(o.Check.Name)
				b.Lit(" ")
			}
			b.Lit("CHECK (")
			b.Expr(query.SQL(o.Check.Expr))
			b.Lit(")")
		})
	case DropConstraint:
		kind := opConstraintKind(old, o.Name)
		if kind == "unique" && !old.Index(o.Name).Constraint {
			return r.dropIndex(op, table, o.Name, old, rebuild)
		}
		if !inPlace {
			if old != nil && kind == "" {
				return opPlan{}, opInvalid(op, "table %s has no constraint named %s (checks: %s; foreign keys: %s; unique: %s)", table, o.Name,
					opNameList(old.Checks, func(c schema.Check) string { return c.Name }),
					opNameList(old.ForeignKeys, func(fk schema.ForeignKey) string { return fk.Name }),
					opNameList(old.Indexes, func(ix schema.Index) string {
						if ix.Constraint {
							return ix.Name
						}
						return ""
					}))
			}
			return rebuild(nil)
		}
		if kind == "unique" && d.Has(dialect.DropIndexOnTable) {
			s, err := r.sql(op, query.DropIndex(o.Name, query.Table(table)).AppendSQL)
			return opPlan{stmts: []string{s}}, err
		}
		return r.alterSQL(op, table, func(b *query.Builder) {
			if kind == "foreign key" && d.Has(dialect.DropForeignKey) {
				b.Lit("DROP FOREIGN KEY ")
			} else {
				b.Lit("DROP CONSTRAINT ")
			}
			b.Ident(o.Name)
		})
	}
	return opPlan{}, fmt.Errorf("%w: unknown operation %T", ErrInvalid, op)
}

// dropIndex drops an index, or a unique constraint the way the engine
// drops one: DROP CONSTRAINT on PostgreSQL, DROP INDEX on MySQL, a rebuild
// on SQLite.
func (r *renderer) dropIndex(op Op, table, name string, old *schema.Table, rebuild func(map[string]string) (opPlan, error)) (opPlan, error) {
	var ix *schema.Index
	if old != nil {
		ix = old.Index(name)
	}
	if ix != nil && ix.Constraint && !r.d.Has(dialect.DropIndexOnTable) {
		if !r.d.Has(dialect.AddConstraint) {
			return rebuild(nil)
		}
		return r.alterSQL(op, table, func(b *query.Builder) {
			b.Lit("DROP CONSTRAINT ")
			b.Ident(name)
		})
	}
	s, err := r.sql(op, query.DropIndex(name, query.Table(table)).AppendSQL)
	return opPlan{stmts: []string{s}}, err
}

// columnInKey reports whether col of t is in its primary key, an index or
// a foreign key (false when t is nil).
func columnInKey(t *schema.Table, col string) bool {
	if t == nil {
		return false
	}
	if opHasColumn(t.PrimaryKey, col) {
		return true
	}
	for _, ix := range t.Indexes {
		if opHasColumn(ix.Columns, col) {
			return true
		}
	}
	for _, fk := range t.ForeignKeys {
		if opHasColumn(fk.Columns, col) {
			return true
		}
	}
	return false
}

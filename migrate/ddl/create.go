package ddl

import (
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/schema"
	"github.com/kingletdb/kinglet/query"
)

// CREATE TABLE and CREATE INDEX from the schema model, with the query
// package's DDL nodes: for CreateTable, and for the new table of a SQLite
// rebuild.

// createTable renders CREATE TABLE and the table's other indexes.
func (r *renderer) createTable(o CreateTable) (opPlan, error) {
	if o.Table == nil {
		return opPlan{}, opInvalid(o, "nil Table")
	}
	if err := opRequire(o, "table name", o.Table.Name); err != nil {
		return opPlan{}, err
	}
	exists := opTable(r.s, o.Table.Name) != nil
	if exists && !o.IfNotExists {
		return opPlan{}, opInvalid(o, "table %s already exists", o.Table.Name)
	}
	create, err := r.createTableSQL(o, o.Table, o.Table.Name, o.IfNotExists)
	if err != nil {
		return opPlan{}, err
	}
	if exists {
		// IF NOT EXISTS of a table the schema has: its indexes are there
		// too (and MySQL has no CREATE INDEX IF NOT EXISTS).
		return opPlan{stmts: []string{create}}, nil
	}
	idx, err := r.indexesSQL(o, o.Table, o.IfNotExists)
	if err != nil {
		return opPlan{}, err
	}
	opPutTable(r.s, o.Table.Name, o.Table.Clone())
	return opPlan{stmts: append([]string{create}, idx...)}, nil
}

// createTableSQL renders t as CREATE TABLE name with query's DDL nodes:
// columns, primary key, unique constraints, foreign keys and checks.
func (r *renderer) createTableSQL(op Op, t *schema.Table, name string, ifNotExists bool) (string, error) {
	q := query.CreateTable(query.Table(name))
	if ifNotExists {
		q = q.IfNotExists()
	}
	cols := make([]query.ColumnDef, 0, len(t.Columns))
	for _, c := range t.Columns {
		if c.Type == "" && c.Of.Kind == fields.KindInvalid {
			return "", opInvalid(op, "column %s.%s has neither Type nor Of", t.Name, c.Name)
		}
		cd := query.ColumnDef{Name: c.Name, SQLType: c.Type, Type: c.Of, NotNull: !c.Nullable}
		cd.Type.Key = cd.Type.Key || columnInKey(t, c.Name)
		switch {
		case c.AutoIncrement:
			cd.Type.AutoInc = true
			if !cd.Type.Kind.IsInteger() {
				cd.Type.Kind = fields.KindInt64 // the type is SQLType; the kind only says "an integer"
			}
		case c.HasDefault:
			cd.Default, cd.HasDefault = defaultValue(r.d, c), true
		}
		cols = append(cols, cd)
	}
	q = q.Column(cols...)
	if len(t.PrimaryKey) > 0 {
		q = q.PrimaryKey(t.PrimaryKey...)
	}
	for _, ix := range t.Indexes {
		if !ix.Constraint {
			continue
		}
		if ix.Where != "" {
			return "", opInvalid(op, "unique constraint %s of %s has a WHERE: only an index can be partial", ix.Name, t.Name)
		}
		q = q.Unique(ix.Name, ix.Columns...)
	}
	for _, fk := range t.ForeignKeys {
		q = q.ForeignKey(query.ForeignKey{Name: fk.Name, Columns: fk.Columns, RefTable: query.Table(fk.RefTable),
			RefColumns: fk.RefColumns, OnDelete: fk.OnDelete, OnUpdate: fk.OnUpdate})
	}
	for _, c := range t.Checks {
		if strings.TrimSpace(c.Expr) == "" {
			return "", opInvalid(op, "check %s of %s has no expression", c.Name, t.Name)
		}
		q = q.Check(c.Name, query.SQL(c.Expr))
	}
	s, _, err := q.Build(r.d)
	if err != nil {
		return "", opWrap(op, err)
	}
	return s, nil
}

// indexesSQL renders CREATE INDEX for the indexes of t that are not unique
// constraints.
func (r *renderer) indexesSQL(op Op, t *schema.Table, ifNotExists bool) ([]string, error) {
	var out []string
	for _, ix := range t.Indexes {
		if ix.Constraint {
			continue
		}
		s, err := r.createIndexSQL(op, t.Name, ix, ifNotExists)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (r *renderer) createIndexSQL(op Op, table string, ix schema.Index, ifNotExists bool) (string, error) {
	if err := opRequire(op, "index name", ix.Name); err != nil {
		return "", err
	}
	if len(ix.Columns) == 0 {
		return "", opInvalid(op, "index %s has no columns", ix.Name)
	}
	q := query.CreateIndex(ix.Name, query.Table(table), ix.Columns...)
	if ix.Unique {
		q = q.Unique()
	}
	if ix.Where != "" {
		q = q.Where(query.SQL(ix.Where))
	}
	if ifNotExists && r.d.Has(dialect.IndexIfNotExists) {
		q = q.IfNotExists()
	}
	return r.sql(op, q.AppendSQL)
}

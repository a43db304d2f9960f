package lint

import (
	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// Ops lints schema operations (a diff's) that run on current, the schema
// as it is before them: a table current lacks is new, so changes to it are
// not reported. On SQLite the operations are rendered (ddl.Statements) to
// find the tables they rebuild; an operation ddl cannot render is its
// error. A rebuild's Statement is "rebuild TABLE" and its Index 0: it
// comes from the rendering, not from one operation.
func Ops(d dialect.Dialect, current *schema.Schema, ops []ddl.Op) ([]Warning, error) {
	fam, ok := family(d)
	if !ok {
		return nil, nil
	}
	var out []Warning
	add := func(i int, op ddl.Op, w Warning) {
		w.Engine, w.Statement, w.Index = d.Name(), op.String(), i+1
		out = append(out, advice(w, fam))
	}
	exists := func(table string) bool { return current.Table(table) != nil }
	for i, op := range ops {
		switch op := op.(type) {
		case ddl.AddColumn:
			if c := op.Column; exists(op.Table) && !c.Nullable && !c.HasDefault && !c.AutoIncrement {
				add(i, op, Warning{Kind: NotNullNoDefault, Table: op.Table, Column: c.Name})
			}
		case ddl.AlterColumnType:
			if fam != sqltext.SQLite && exists(op.Table) {
				add(i, op, Warning{Kind: TypeRewrite, Table: op.Table, Column: op.Column})
			}
		case ddl.AddIndex:
			if fam == sqltext.Postgres && exists(op.Table) {
				add(i, op, Warning{Kind: IndexLock, Table: op.Table})
			}
		case ddl.DropColumn:
			add(i, op, Warning{Kind: DropColumn, Table: op.Table, Column: op.Column})
		case ddl.DropTable:
			add(i, op, Warning{Kind: DropTable, Table: op.Name})
		}
	}
	if fam != sqltext.SQLite || len(ops) == 0 {
		return out, nil
	}
	stmts, err := ddl.Statements(d, current, ops...)
	if err != nil {
		return out, err
	}
	for _, w := range Statements(d, stmts) {
		if w.Kind == SQLiteRebuild {
			// The statement is ddl's DROP TABLE, not one of the operations.
			w.Statement, w.Index = "rebuild "+w.Table, 0
			out = append(out, w)
		}
	}
	return out, nil
}

package diff

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// historyTable is migrate.DefaultTable, the runner's history table (a test
// keeps them equal): diff does not import the runner.
const historyTable = "kinglet_migrations"

// Errors wrapped by the package's errors; check them with errors.Is.
// A model that cannot be described wraps schema.ErrInvalid instead.
var ErrInvalid = errors.New("kinglet: diff: invalid input")

// Options tunes Schemas and Models.
type Options struct {
	// Destructive allows the operations that lose data: DropColumn for a
	// column the desired schema does not have, DropTable for a table.
	// Without it those columns and tables are left alone.
	Destructive bool
	// Ignore names tables that the diff never touches, on either side.
	// The runner's history table (migrate.DefaultTable) and its lock table
	// (migrate.DefaultTable+"_lock") are always ignored.
	Ignore []string
}

// Schemas returns the operations that bring the schema current to desired on
// d, in an order that can be applied one after the other:
//
//  1. foreign keys that change or go (DropForeignKey), so that nothing
//     below is held by one;
//  2. checks and indexes that change or go (DropConstraint, DropIndex): an
//     index or check whose definition changed is dropped and added again;
//  3. new tables (CreateTable), a referenced table before the tables that
//     reference it; foreign keys in a cycle are added in step 8;
//  4. per table, new columns (AddColumn) and changed ones
//     (AlterColumnType, SetDefault/DropDefault, SetNotNull/DropNotNull);
//  5. with opts.Destructive, columns that go (DropColumn);
//  6. with opts.Destructive, tables that go (DropTable), a referencing
//     table before the tables it references;
//  7. new indexes and checks (AddIndex, AddCheck);
//  8. new foreign keys (AddForeignKey).
//
// Within a step tables come in name order, so the output is deterministic.
// Types are compared as schema.NormalizeType spells them, defaults as the engine
// stores them (0.50 equals 0.5, TRUE equals 1), checks and index
// predicates after undoing the rewrites engines make; so the diff of a
// database against the schema it was created from is empty. Unique
// indexes and UNIQUE constraints are not told apart. A changed primary key
// is an error wrapping ErrInvalid: there is no operation for it.
//
// The reverse of a diff, to roll it back, is
//
//	diff.Schemas(d, desired, current, diff.Options{Destructive: true})
//
// which drops what the diff created.
func Schemas(d dialect.Dialect, current, desired *schema.Schema, opts Options) ([]ddl.Op, error) {
	if d == nil {
		return nil, fmt.Errorf("%w: nil dialect", ErrInvalid)
	}
	df := &differ{d: d, fam: sqltext.FamilyOf(d), opts: opts, ignore: map[string]bool{
		historyTable: true, historyTable + "_lock": true,
	}}
	for _, n := range opts.Ignore {
		df.ignore[n] = true
	}
	cur, err := df.tables("current", current)
	if err != nil {
		return nil, err
	}
	des, err := df.tables("desired", desired)
	if err != nil {
		return nil, err
	}
	var created, dropped []*schema.Table
	for _, t := range des {
		c := findTable(cur, t.Name)
		if c == nil {
			created = append(created, t)
			continue
		}
		if err := df.table(c, t); err != nil {
			return nil, err
		}
	}
	for _, t := range cur {
		if findTable(des, t.Name) == nil {
			dropped = append(dropped, t)
		}
	}
	df.createTables(created)
	if opts.Destructive {
		order := dependencyOrder(dropped)
		for i := len(order) - 1; i >= 0; i-- {
			df.dropTables = append(df.dropTables, ddl.DropTable{Name: order[i].Name})
		}
	}
	var ops []ddl.Op
	for _, phase := range [][]ddl.Op{df.dropFKs, df.dropIdx, df.creates, df.alters, df.dropCols, df.dropTables, df.addIdx, df.addFKs} {
		ops = append(ops, phase...)
	}
	return ops, nil
}

// Models is Schemas from the database q is connected to (schema.Inspect)
// to the schema of the models (schema.FromModels).
func Models(ctx context.Context, q schema.Querier, d dialect.Dialect, opts Options, models ...any) ([]ddl.Op, error) {
	desired, err := schema.FromModels(d, models...)
	if err != nil {
		return nil, err
	}
	current, err := schema.Inspect(ctx, q, d)
	if err != nil {
		return nil, err
	}
	return Schemas(d, current, desired, opts)
}

// differ collects the operations of one diff, by step.
type differ struct {
	d      dialect.Dialect
	fam    sqltext.Family
	opts   Options
	ignore map[string]bool

	dropFKs, dropIdx, creates, alters, dropCols, dropTables, addIdx, addFKs []ddl.Op
}

// tables checks a schema and returns its tables that are not ignored, by
// name.
func (df *differ) tables(side string, s *schema.Schema) ([]*schema.Table, error) {
	if s == nil {
		return nil, nil
	}
	seen := map[string]bool{}
	var out []*schema.Table
	for i, t := range s.Tables {
		switch {
		case t == nil:
			return nil, fmt.Errorf("%w: %s schema: table %d is nil", ErrInvalid, side, i+1)
		case t.Name == "":
			return nil, fmt.Errorf("%w: %s schema: table %d has no name", ErrInvalid, side, i+1)
		case seen[t.Name]:
			return nil, fmt.Errorf("%w: %s schema: table %s appears twice", ErrInvalid, side, t.Name)
		}
		seen[t.Name] = true
		if df.ignore[t.Name] || t.View {
			continue
		}
		for _, c := range t.Columns {
			if c.Name == "" {
				return nil, fmt.Errorf("%w: %s schema: table %s has a column without a name", ErrInvalid, side, t.Name)
			}
			if _, err := df.typeOf(c); err != nil {
				return nil, fmt.Errorf("%w: %s schema: column %s.%s: %v", ErrInvalid, side, t.Name, c.Name, err)
			}
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b *schema.Table) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func findTable(ts []*schema.Table, name string) *schema.Table {
	for _, t := range ts {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// typeOf is a column's type, normalised: Type, or d's type for Of.
func (df *differ) typeOf(c schema.Column) (string, error) {
	if c.Type != "" {
		return schema.NormalizeType(df.d, c.Type), nil
	}
	if c.Of.Kind == 0 {
		return "", fmt.Errorf("no Type and no Of")
	}
	typ, err := df.d.TypeName(c.Of)
	if err != nil {
		return "", err
	}
	return schema.NormalizeType(df.d, typ), nil
}

// table diffs one table that both schemas have.
func (df *differ) table(cur, des *schema.Table) error {
	if len(des.PrimaryKey) > 0 || len(cur.PrimaryKey) > 0 {
		if !slices.Equal(cur.PrimaryKey, des.PrimaryKey) {
			return fmt.Errorf("%w: table %s: the primary key changes from (%s) to (%s), which a diff cannot do; write that migration by hand",
				ErrInvalid, des.Name, strings.Join(cur.PrimaryKey, ", "), strings.Join(des.PrimaryKey, ", "))
		}
	}
	df.foreignKeys(cur, des)
	if df.d.Has(dialect.CheckConstraints) {
		df.checks(cur, des)
	}
	df.indexes(cur, des)
	for _, c := range des.Columns {
		old := cur.Column(c.Name)
		if old == nil {
			df.alters = append(df.alters, ddl.AddColumn{Table: des.Name, Column: c})
			continue
		}
		df.column(des, *old, c)
	}
	if df.opts.Destructive {
		for _, c := range cur.Columns {
			if des.Column(c.Name) == nil {
				df.dropCols = append(df.dropCols, ddl.DropColumn{Table: des.Name, Column: c.Name})
			}
		}
	}
	return nil
}

// column diffs one column: type, default, then nullability (a default set
// first is there for rows written after SET NOT NULL).
func (df *differ) column(t *schema.Table, cur, des schema.Column) {
	curType, _ := df.typeOf(cur)
	desType, _ := df.typeOf(des)
	if curType != desType {
		df.alters = append(df.alters, ddl.AlterColumnType{Table: t.Name, Column: des.Name, Type: des.Type, Of: des.Of})
	}
	if !cur.AutoIncrement && !des.AutoIncrement {
		curDef, curHas := df.defaultOf(cur)
		desDef, desHas := df.defaultOf(des)
		switch {
		case desHas && (!curHas || !sqltext.DefaultsEqual(curDef, desDef)):
			df.alters = append(df.alters, ddl.SetDefault{Table: t.Name, Column: des.Name, Default: des.Default})
		case !desHas && curHas:
			df.alters = append(df.alters, ddl.DropDefault{Table: t.Name, Column: des.Name})
		}
	}
	if slices.Contains(t.PrimaryKey, des.Name) {
		return // a key column is NOT NULL whatever it says
	}
	switch {
	case cur.Nullable && !des.Nullable:
		df.alters = append(df.alters, ddl.SetNotNull{Table: t.Name, Column: des.Name})
	case !cur.Nullable && des.Nullable:
		df.alters = append(df.alters, ddl.DropNotNull{Table: t.Name, Column: des.Name})
	}
}

// defaultOf is a column's default, normalised; DEFAULT NULL is none.
func (df *differ) defaultOf(c schema.Column) (string, bool) {
	if !c.HasDefault {
		return "", false
	}
	s := sqltext.NormalizeDefault(df.d, c.Default)
	if s == "" || s == "NULL" {
		return "", false
	}
	return s, true
}

func (df *differ) indexes(cur, des *schema.Table) {
	for _, ix := range cur.Indexes {
		if n := des.Index(ix.Name); n == nil || !df.sameIndex(ix, *n) {
			df.dropIdx = append(df.dropIdx, ddl.DropIndex{Table: des.Name, Name: ix.Name})
		}
	}
	for _, ix := range des.Indexes {
		if o := cur.Index(ix.Name); o == nil || !df.sameIndex(*o, ix) {
			df.addIdx = append(df.addIdx, ddl.AddIndex{Table: des.Name, Index: cloneIndex(ix)})
		}
	}
}

// sameIndex compares definitions: key parts (expressions after undoing
// rewrites), uniqueness and the predicate; not whether a unique one is a
// constraint or an index, which some engines do not tell apart.
func (df *differ) sameIndex(a, b schema.Index) bool {
	if a.Unique != b.Unique || len(a.Columns) != len(b.Columns) ||
		sqltext.CanonExpr(a.Where, df.fam) != sqltext.CanonExpr(b.Where, df.fam) {
		return false
	}
	for i := range a.Columns {
		x, y := a.Columns[i], b.Columns[i]
		if x != y && (!strings.HasPrefix(x, "(") || sqltext.CanonExpr(x, df.fam) != sqltext.CanonExpr(y, df.fam)) {
			return false
		}
	}
	return true
}

func (df *differ) foreignKeys(cur, des *schema.Table) {
	find := func(fks []schema.ForeignKey, name string) *schema.ForeignKey {
		for i := range fks {
			if fks[i].Name == name {
				return &fks[i]
			}
		}
		return nil
	}
	for _, fk := range cur.ForeignKeys {
		if n := find(des.ForeignKeys, fk.Name); n == nil || !df.sameFK(fk, *n) {
			df.dropFKs = append(df.dropFKs, ddl.DropForeignKey{Table: des.Name, Name: fk.Name})
			if fk.Index != "" && des.Index(fk.Index) == nil && (n == nil || !slices.Equal(n.Columns, fk.Columns)) {
				// The engine's own index for the key outlives it (MySQL):
				// it goes too, unless a key on the same columns takes it.
				df.dropIdx = append(df.dropIdx, ddl.DropIndex{Table: des.Name, Name: fk.Index})
			}
		}
	}
	for _, fk := range des.ForeignKeys {
		if o := find(cur.ForeignKeys, fk.Name); o == nil || !df.sameFK(*o, fk) {
			df.addFKs = append(df.addFKs, ddl.AddForeignKey{Table: des.Name, ForeignKey: cloneFK(fk)})
		}
	}
}

func (df *differ) sameFK(a, b schema.ForeignKey) bool {
	return slices.Equal(a.Columns, b.Columns) && a.RefTable == b.RefTable &&
		(len(a.RefColumns) == 0 || len(b.RefColumns) == 0 || slices.Equal(a.RefColumns, b.RefColumns)) &&
		df.action(a.OnDelete) == df.action(b.OnDelete) && df.action(a.OnUpdate) == df.action(b.OnUpdate)
}

// action spells a referential action one way: upper case, NO ACTION
// empty, and on MySQL and MariaDB RESTRICT empty too, since InnoDB checks
// both at once and MariaDB reports RESTRICT for a foreign key declared
// without an action.
func (df *differ) action(a string) string {
	a = sqltext.FKAction(strings.ReplaceAll(a, "_", " "))
	if a == "RESTRICT" && df.fam == sqltext.MySQL {
		return ""
	}
	return a
}

// checks matches checks by name, and an unnamed desired check by its
// expression.
func (df *differ) checks(cur, des *schema.Table) {
	matched := make([]bool, len(cur.Checks))
	same := func(a, b schema.Check) bool {
		return sqltext.CanonExpr(a.Expr, df.fam) == sqltext.CanonExpr(b.Expr, df.fam)
	}
	var adds []schema.Check
	for _, ck := range des.Checks {
		found := false
		for i, o := range cur.Checks {
			if !matched[i] && (ck.Name != "" && o.Name == ck.Name || ck.Name == "" && same(o, ck)) {
				matched[i], found = true, true
				if !same(o, ck) {
					df.dropIdx = append(df.dropIdx, ddl.DropConstraint{Table: des.Name, Name: o.Name})
					adds = append(adds, ck)
				}
				break
			}
		}
		if !found {
			adds = append(adds, ck)
		}
	}
	for i, o := range cur.Checks {
		if !matched[i] {
			df.dropIdx = append(df.dropIdx, ddl.DropConstraint{Table: des.Name, Name: o.Name})
		}
	}
	for _, ck := range adds {
		df.addIdx = append(df.addIdx, ddl.AddCheck{Table: des.Name, Check: ck})
	}
}

// createTables creates the new tables, each after the new tables it
// references; a foreign key that closes a cycle is left to AddForeignKey.
func (df *differ) createTables(tables []*schema.Table) {
	done := map[string]bool{}
	for _, t := range dependencyOrder(tables) {
		ct := t.Clone()
		ct.ForeignKeys = ct.ForeignKeys[:0]
		for _, fk := range t.ForeignKeys {
			if fk.RefTable != t.Name && findTable(tables, fk.RefTable) != nil && !done[fk.RefTable] {
				df.addFKs = append(df.addFKs, ddl.AddForeignKey{Table: t.Name, ForeignKey: cloneFK(fk)})
				continue
			}
			ct.ForeignKeys = append(ct.ForeignKeys, cloneFK(fk))
		}
		done[t.Name] = true
		df.creates = append(df.creates, ddl.CreateTable{Table: ct})
	}
}

// dependencyOrder sorts tables so that a table comes after the tables
// (among these) it references, by name where that leaves a choice; in a
// cycle the first table by name goes first.
func dependencyOrder(tables []*schema.Table) []*schema.Table {
	in := map[string]*schema.Table{}
	for _, t := range tables {
		in[t.Name] = t
	}
	placed := map[string]bool{}
	ready := func(t *schema.Table) bool {
		for _, fk := range t.ForeignKeys {
			if fk.RefTable != t.Name && in[fk.RefTable] != nil && !placed[fk.RefTable] {
				return false
			}
		}
		return true
	}
	rest := slices.Clone(tables)
	slices.SortFunc(rest, func(a, b *schema.Table) int { return strings.Compare(a.Name, b.Name) })
	out := make([]*schema.Table, 0, len(tables))
	for len(rest) > 0 {
		next := 0 // in a cycle: the first by name
		for i, t := range rest {
			if ready(t) {
				next = i
				break
			}
		}
		out = append(out, rest[next])
		placed[rest[next].Name] = true
		rest = slices.Delete(rest, next, next+1)
	}
	return out
}

func cloneIndex(ix schema.Index) schema.Index {
	ix.Columns = slices.Clone(ix.Columns)
	return ix
}

func cloneFK(fk schema.ForeignKey) schema.ForeignKey {
	fk.Columns = slices.Clone(fk.Columns)
	fk.RefColumns = slices.Clone(fk.RefColumns)
	return fk
}

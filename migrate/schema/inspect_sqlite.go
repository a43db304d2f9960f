package schema

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// sqliteCatalog reads SQLite's schema through the table-valued pragma
// functions, which take bound parameters, and the CREATE statements kept in
// sqlite_master for what the pragmas do not tell.
type sqliteCatalog struct{ d dialect.Dialect }

func (sqliteCatalog) tableNames(ctx context.Context, q Querier, views bool) ([]listedTable, error) {
	types := "'table'"
	if views {
		types += ", 'view'"
	}
	var names []listedTable
	err := scanRows(ctx, q, `SELECT name, type = 'view' FROM sqlite_master WHERE type IN (`+types+`) AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`, nil,
		func(scan func(...any) error) error {
			var l listedTable
			if err := scan(&l.name, &l.view); err != nil {
				return err
			}
			names = append(names, l)
			return nil
		})
	return names, err
}

func (c sqliteCatalog) view(ctx context.Context, q Querier, name string) (*Table, error) {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'view' AND name = ?", name).Scan(&n); err != nil || n == 0 {
		return nil, err
	}
	t := &Table{Name: name, View: true}
	if err := c.columns(ctx, q, t, sqliteDef{}); err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	t.PrimaryKey = nil
	return t, nil
}

func (c sqliteCatalog) table(ctx context.Context, q Querier, name string) (*Table, error) {
	var src sql.NullString
	err := q.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&src)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	def := parseSQLiteTable(src.String)
	t := &Table{Name: name}
	if err := c.columns(ctx, q, t, def); err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	if err := c.indexes(ctx, q, t, def); err != nil {
		return nil, fmt.Errorf("indexes: %w", err)
	}
	if err := c.foreignKeys(ctx, q, t, def); err != nil {
		return nil, fmt.Errorf("foreign keys: %w", err)
	}
	t.Checks = sqliteChecks(name, def.checks)
	sortIndexes(t)
	return t, nil
}

func (c sqliteCatalog) columns(ctx context.Context, q Querier, t *Table, def sqliteDef) error {
	type pkCol struct {
		name string
		pos  int
	}
	var pk []pkCol
	err := scanRows(ctx, q, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`, []any{t.Name},
		func(scan func(...any) error) error {
			var (
				col     Column
				notnull bool
				dflt    sql.NullString
				pos     int
			)
			if err := scan(&col.Name, &col.Type, &notnull, &dflt, &pos); err != nil {
				return err
			}
			col.Type = NormalizeType(c.d, col.Type)
			col.Nullable = !notnull
			if dflt.Valid {
				setDefault(c.d, &col, dflt.String)
			}
			if pos > 0 {
				pk = append(pk, pkCol{col.Name, pos})
			}
			t.Columns = append(t.Columns, col)
			return nil
		})
	if err != nil {
		return err
	}
	slices.SortFunc(pk, func(a, b pkCol) int { return a.pos - b.pos })
	for _, p := range pk {
		t.PrimaryKey = append(t.PrimaryKey, p.name)
	}
	if len(pk) == 1 {
		col := t.Column(pk[0].name)
		// INTEGER PRIMARY KEY is the rowid: never NULL, assigned when
		// omitted; AUTOINCREMENT also never reuses a deleted one.
		if col.Type == "integer" {
			col.Nullable = false
			col.AutoIncrement = def.autoinc[strings.ToLower(col.Name)]
		}
	}
	return nil
}

func (c sqliteCatalog) indexes(ctx context.Context, q Querier, t *Table, def sqliteDef) error {
	type listed struct {
		name    string
		unique  bool
		origin  string
		partial bool
	}
	var list []listed
	err := scanRows(ctx, q, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, []any{t.Name},
		func(scan func(...any) error) error {
			var l listed
			if err := scan(&l.name, &l.unique, &l.origin, &l.partial); err != nil {
				return err
			}
			if l.origin != "pk" {
				list = append(list, l)
			}
			return nil
		})
	if err != nil {
		return err
	}
	used := make([]bool, len(def.uniques))
	for _, l := range list {
		ix := Index{Name: l.name, Unique: l.unique, Constraint: l.origin == "u"}
		var src sql.NullString
		if l.origin == "c" {
			err := q.QueryRowContext(ctx, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", l.name).Scan(&src)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("index %s: %w", l.name, err)
			}
		}
		idef := parseSQLiteIndex(src.String)
		err := scanRows(ctx, q, "SELECT seqno, name FROM pragma_index_info(?) ORDER BY seqno", []any{l.name},
			func(scan func(...any) error) error {
				var (
					seq int
					col sql.NullString
				)
				if err := scan(&seq, &col); err != nil {
					return err
				}
				switch {
				case col.Valid:
					ix.Columns = append(ix.Columns, col.String)
				case seq < len(idef.parts):
					ix.Columns = append(ix.Columns, parenthesized(idef.parts[seq])) // an expression
				default:
					ix.Columns = append(ix.Columns, "(?)")
				}
				return nil
			})
		if err != nil {
			return fmt.Errorf("index %s: %w", l.name, err)
		}
		if l.partial {
			ix.Where = idef.where
		}
		if ix.Constraint {
			// sqlite_autoindex_<table>_<n>: the name is in the CREATE TABLE
			// text when it was given.
			ix.Name = ""
			for i, u := range def.uniques {
				if !used[i] && sameNames(u.cols, ix.Columns) {
					used[i], ix.Name = true, u.name
					break
				}
			}
			if ix.Name == "" {
				ix.Name = derivedName("uq", t.Name, ix.Columns)
			}
		}
		t.Indexes = append(t.Indexes, ix)
	}
	return nil
}

func (c sqliteCatalog) foreignKeys(ctx context.Context, q Querier, t *Table, def sqliteDef) error {
	byID := map[int]*ForeignKey{}
	var ids []int
	err := scanRows(ctx, q, `SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, []any{t.Name},
		func(scan func(...any) error) error {
			var (
				id                 int
				ref, from          string
				to                 sql.NullString
				onUpdate, onDelete string
			)
			if err := scan(&id, &ref, &from, &to, &onUpdate, &onDelete); err != nil {
				return err
			}
			fk := byID[id]
			if fk == nil {
				fk = &ForeignKey{RefTable: ref, OnDelete: sqltext.FKAction(onDelete), OnUpdate: sqltext.FKAction(onUpdate)}
				byID[id] = fk
				ids = append(ids, id)
			}
			fk.Columns = append(fk.Columns, from)
			fk.RefColumns = append(fk.RefColumns, to.String) // empty: the referenced primary key
			return nil
		})
	if err != nil {
		return err
	}
	// pragma_foreign_key_list numbers the constraints from the last one
	// declared; declaration order is what the names are matched in.
	slices.Reverse(ids)
	used := make([]bool, len(def.fks))
	for _, id := range ids {
		fk := byID[id]
		if slices.Contains(fk.RefColumns, "") {
			ref, err := c.primaryKey(ctx, q, fk.RefTable)
			if err != nil {
				return err
			}
			if len(ref) == len(fk.RefColumns) {
				fk.RefColumns = ref
			}
		}
		for i, n := range def.fks {
			if !used[i] && sameNames(n.cols, fk.Columns) {
				used[i], fk.Name = true, n.name
				break
			}
		}
		if fk.Name == "" {
			fk.Name = derivedName("fk", t.Name, fk.Columns)
		}
		t.ForeignKeys = append(t.ForeignKeys, *fk)
	}
	return nil
}

// primaryKey returns the primary key columns of table, in key order.
func (sqliteCatalog) primaryKey(ctx context.Context, q Querier, table string) ([]string, error) {
	var cols []string
	err := scanRows(ctx, q, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", []any{table},
		func(scan func(...any) error) error {
			var n string
			if err := scan(&n); err != nil {
				return err
			}
			cols = append(cols, n)
			return nil
		})
	return cols, err
}

// sqliteChecks names the unnamed checks ck_<table>_<n>, n being the
// check's position among the table's checks (as models number theirs),
// skipping names already taken.
func sqliteChecks(table string, checks []Check) []Check {
	taken := map[string]bool{}
	for _, c := range checks {
		taken[c.Name] = true
	}
	out := slices.Clone(checks)
	for i := range out {
		if out[i].Name != "" {
			continue
		}
		n := i + 1
		name := fields.ShortName("ck_" + table + "_" + strconv.Itoa(n))
		for taken[name] {
			n++
			name = fields.ShortName("ck_" + table + "_" + strconv.Itoa(n))
		}
		taken[name] = true
		out[i].Name = name
	}
	return out
}

// sameNames reports whether two column lists name the same columns in the
// same order; SQLite compares names without regard to case.
func sameNames(a, b []string) bool {
	return slices.EqualFunc(a, b, strings.EqualFold)
}

// parenthesized returns expression s in parentheses, as key parts that are
// expressions are reported on every engine.
func parenthesized(s string) string {
	toks := sqltext.Lex(s, sqltext.SQLite)
	if len(toks) > 1 && toks[0].IsPunct("(") && sqltext.CloseParen(toks, 0) == len(toks)-1 {
		return s
	}
	return "(" + s + ")"
}

package schema

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/internal/sqltext"
)

// FromModels returns the schema that the models (struct values or pointers
// to structs, described by their db tags) have on d: what
// orm.CreateTables creates, so that a diff against an inspected database
// that CreateTables made is empty. Columns have the type d.TypeName gives
// (or the type: tag), Of set as well, NOT NULL unless the field is
// nullable, defaults as SQL text for d (default:now is d's current
// timestamp); unique indexes are UNIQUE constraints, and indexes, foreign
// keys and checks are named as the models name them (idx_, uq_, fk_ and
// ck_<table>_<n>). A model that is not usable, or that d cannot store, is
// an error naming the model.
func FromModels(d dialect.Dialect, models ...any) (*Schema, error) {
	if d == nil {
		return nil, fmt.Errorf("%w: FromModels: nil dialect", ErrInvalid)
	}
	s := &Schema{}
	owner := map[string]reflect.Type{}
	for i, m := range models {
		if m == nil {
			return nil, fmt.Errorf("%w: FromModels: model %d is nil", ErrInvalid, i+1)
		}
		mt, err := fields.Of(m)
		if err != nil {
			return nil, fmt.Errorf("kinglet: schema: model %T: %w", m, err)
		}
		if mt.Name == "" {
			return nil, fmt.Errorf("%w: model %T has no table name", ErrInvalid, m)
		}
		if prev, dup := owner[mt.Name]; dup {
			if prev == mt.Type {
				continue
			}
			return nil, fmt.Errorf("%w: models %s and %s both map to table %s", ErrInvalid, prev, mt.Type, mt.Name)
		}
		owner[mt.Name] = mt.Type
		t, err := tableFromModel(d, mt)
		if err != nil {
			return nil, fmt.Errorf("kinglet: schema: model %s (table %s) on %s: %w", mt.Type, mt.Name, d, err)
		}
		s.Tables = append(s.Tables, t)
	}
	slices.SortFunc(s.Tables, func(a, b *Table) int { return strings.Compare(a.Name, b.Name) })
	return s, nil
}

// tableFromModel mirrors query.CreateTableFor and query.IndexesFor.
func tableFromModel(d dialect.Dialect, mt *fields.Table) (*Table, error) {
	t := &Table{Name: mt.Name}
	for _, f := range mt.Fields {
		c := Column{
			Name:          f.Column,
			Of:            f.ColumnType(),
			Nullable:      f.Nullable && !f.PK,
			AutoIncrement: f.Auto,
		}
		if f.SQLType != "" {
			c.Type = f.SQLType
		} else {
			typ, err := d.TypeName(c.Of)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", f.Column, err)
			}
			c.Type = typ
		}
		switch {
		case f.DefaultNow:
			c.Default, c.HasDefault = currentTimestamp(d), true
		case f.HasDefault:
			v, err := defaultLiteral(d, f)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", f.Column, err)
			}
			c.Default, c.HasDefault = v, true
		}
		t.Columns = append(t.Columns, c)
	}
	for _, f := range mt.PK {
		t.PrimaryKey = append(t.PrimaryKey, f.Column)
	}
	for _, ix := range mt.Indexes {
		t.Indexes = append(t.Indexes, Index{Name: ix.Name, Columns: slices.Clone(ix.Columns), Unique: ix.Unique, Constraint: ix.Unique})
	}
	for _, fk := range mt.ForeignKeys {
		t.ForeignKeys = append(t.ForeignKeys, ForeignKey{
			Name: fk.Name, Columns: slices.Clone(fk.Columns), RefTable: fk.RefTable, RefColumns: slices.Clone(fk.RefColumns),
			OnDelete: modelAction(fk.OnDelete), OnUpdate: modelAction(fk.OnUpdate),
		})
	}
	for i, expr := range mt.Checks {
		t.Checks = append(t.Checks, Check{Name: mt.CheckNames[i], Expr: expr})
	}
	sortIndexes(t)
	return t, nil
}

// currentTimestamp is what query.Now() writes for d.
func currentTimestamp(d dialect.Dialect) string {
	if ct, ok := d.(dialect.CurrentTimestamper); ok {
		return ct.CurrentTimestamp()
	}
	return "CURRENT_TIMESTAMP"
}

// modelAction spells a model's foreign key action as ForeignKey does.
func modelAction(a fields.Action) string {
	if a == fields.ActionUnset || a == fields.ActionNoAction {
		return ""
	}
	return strings.ToUpper(a.String())
}

// defaultLiteral writes a default:VALUE tag as the literal CREATE TABLE
// writes: booleans and numbers as such, decimals as given, anything else as
// a string literal (in parentheses on a TEXT, BLOB or JSON column where
// the engine wants them, MySQL 8).
func defaultLiteral(d dialect.Dialect, f *fields.Field) (string, error) {
	v := f.Default
	switch {
	case f.Kind == fields.KindBool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return "", fmt.Errorf("%w: default %q is not a boolean", ErrInvalid, v)
		}
		return string(d.AppendBool(nil, b)), nil
	case f.Kind.IsInteger():
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return strconv.FormatInt(n, 10), nil
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return "", fmt.Errorf("%w: default %q is not an integer", ErrInvalid, v)
		}
		return strconv.FormatUint(n, 10), nil
	case f.Kind == fields.KindFloat32 || f.Kind == fields.KindFloat64:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return "", fmt.Errorf("%w: default %q is not a number", ErrInvalid, v)
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case f.Kind == fields.KindDecimal:
		if !sqltext.IsNumberLit(v) || strings.ContainsAny(v, "eE") {
			return "", fmt.Errorf("%w: default %q is not a decimal number", ErrInvalid, v)
		}
		return v, nil
	}
	if !d.Has(dialect.BackslashEscapes) && strings.IndexByte(v, 0) >= 0 {
		return "", fmt.Errorf("%w: default %q contains a NUL byte, which %s cannot write in SQL text", ErrInvalid, v, d)
	}
	lit := string(d.AppendString(nil, v))
	if d.Has(dialect.TextDefaultParens) && unboundedColumn(f) {
		lit = "(" + lit + ")"
	}
	return lit, nil
}

// unboundedColumn reports whether f is stored as TEXT, BLOB or JSON.
func unboundedColumn(f *fields.Field) bool {
	if f.SQLType != "" {
		u := strings.ToUpper(f.SQLType)
		return strings.Contains(u, "TEXT") || strings.Contains(u, "BLOB") || strings.Contains(u, "JSON")
	}
	switch f.Kind {
	case fields.KindJSON:
		return true
	case fields.KindString, fields.KindBytes:
		return f.Size == 0
	}
	return false
}

package query

import (
	"fmt"
	"strconv"

	"github.com/kingletdb/kinglet/fields"
)

// CreateTableFor describes model table t as CREATE TABLE: columns with their
// kinds, NOT NULL for non-nullable fields, defaults, the primary key, unique
// constraints (named, inline), foreign keys and checks. Non-unique indexes
// are separate statements: see IndexesFor.
func CreateTableFor(t *fields.Table) (CreateTableQuery, error) {
	if t == nil || t.Name == "" {
		return CreateTableQuery{}, fmt.Errorf("%w: CreateTableFor needs a model with a table name", ErrInvalid)
	}
	q := CreateTable(Table(t.Name))
	cols := make([]ColumnDef, 0, len(t.Fields))
	for _, f := range t.Fields {
		c := ColumnDef{Name: f.Column, Type: f.ColumnType(), SQLType: f.SQLType, NotNull: !f.Nullable}
		switch {
		case f.DefaultNow:
			c.Default, c.HasDefault = Now(), true
		case f.HasDefault:
			v, err := defaultValue(f)
			if err != nil {
				return CreateTableQuery{}, fmt.Errorf("kinglet: query: %s.%s: %w", t.Name, f.Column, err)
			}
			c.Default, c.HasDefault = v, true
		}
		cols = append(cols, c)
	}
	q = q.Column(cols...)
	if len(t.PK) > 0 {
		pk := make([]string, len(t.PK))
		for i, f := range t.PK {
			pk[i] = f.Column
		}
		q = q.PrimaryKey(pk...)
	}
	for _, ix := range t.Indexes {
		if ix.Unique {
			q = q.Unique(ix.Name, ix.Columns...)
		}
	}
	for _, fk := range t.ForeignKeys {
		q = q.ForeignKey(ForeignKey{
			Name: fk.Name, Columns: fk.Columns, RefTable: Table(fk.RefTable), RefColumns: fk.RefColumns,
			OnDelete: fk.OnDelete.String(), OnUpdate: fk.OnUpdate.String(),
		})
	}
	for i, c := range t.Checks {
		q = q.Check(t.CheckNames[i], SQL(c))
	}
	return q, nil
}

// IndexesFor returns CREATE INDEX statements for the non-unique indexes of
// model table t (unique ones are constraints of CreateTableFor).
func IndexesFor(t *fields.Table) []CreateIndexQuery {
	var out []CreateIndexQuery
	for _, ix := range t.Indexes {
		if !ix.Unique {
			out = append(out, CreateIndex(ix.Name, Table(t.Name), ix.Columns...))
		}
	}
	return out
}

// defaultValue turns a default:VALUE tag into a literal of the field's kind;
// numbers are written as numbers, everything else as a string literal.
func defaultValue(f *fields.Field) (any, error) {
	v := f.Default
	switch {
	case f.Kind == fields.KindBool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%w: default %q is not a boolean", ErrInvalid, v)
		}
		return b, nil
	case f.Kind.IsInteger():
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n, nil
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: default %q is not an integer", ErrInvalid, v)
		}
		return n, nil
	case f.Kind == fields.KindFloat32 || f.Kind == fields.KindFloat64:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: default %q is not a number", ErrInvalid, v)
		}
		return x, nil
	case f.Kind == fields.KindDecimal:
		if !isDecimalLiteral(v) {
			return nil, fmt.Errorf("%w: default %q is not a decimal number", ErrInvalid, v)
		}
		return SQL(v), nil // validated digits, written exactly as given
	}
	return v, nil
}

// isDecimalLiteral reports whether s is [-+]digits[.digits].
func isDecimalLiteral(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

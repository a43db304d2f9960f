package orm

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// ErrInvalidValue is fields.ErrInvalidValue, the same error under the name
// an ORM user looks for: a write refused a value before it reached the
// table, because its Go type does not fit the column (Update[T].Set) or
// because the engine would not give it back unchanged (a NaN on SQLite, a
// time outside the engine's range; see dialect.Limits). The message names
// the table, the column, the value and the engine.
var ErrInvalidValue = fields.ErrInvalidValue

// argCheck is an argument of a cached statement whose value the engine may
// not give back: a float or a time, per dialect.Limits.Checks.
type argCheck struct {
	i int // its position among one row's arguments
	f *fields.Field
}

// limit records which of s's arguments (s.cols) the engine of d limits,
// for checkArgs. Called once, when s is built.
func (s *stmt) limit(d dialect.Dialect) {
	lim := dialect.LimitsOf(d)
	for i, f := range s.cols {
		if f != nil && lim.Checks(f.Kind) {
			s.vals = append(s.vals, argCheck{i, f})
		}
	}
	if len(s.vals) > 0 {
		s.lim = &lim
	}
}

// checkArgs refuses a row of arguments for s (a, in s.cols' order) that
// holds a value the engine would not give back. A statement with no such
// column costs a length check.
func (s *stmt) checkArgs(a []any) error {
	for _, c := range s.vals {
		if err := s.lim.Check(c.f.Kind, a[c.i]); err != nil {
			return fmt.Errorf("column %s (field %s): %w", c.f.Column, c.f.GoName, err)
		}
	}
	return nil
}

// checkRows is checkArgs for a statement of several rows.
func (s *stmt) checkRows(a []any) error {
	if len(s.vals) == 0 {
		return nil
	}
	n := len(s.cols)
	for r := 0; r+n <= len(a); r += n {
		if err := s.checkArgs(a[r : r+n]); err != nil {
			return err
		}
	}
	return nil
}

// checkKeyValues refuses key values for Get that c's engine would not
// store (a time outside its range): no row can have them. Keys of other
// kinds cost a switch.
func checkKeyValues(c Conn, t *fields.Table, pk []any) error {
	var lim *dialect.Limits
	for i, f := range t.PK {
		if !limitedKind(f.Kind) {
			continue
		}
		if lim == nil {
			cc, err := coreOf(c)
			if err != nil {
				return nil // Get reports it
			}
			l := dialect.LimitsOf(cc.d)
			lim = &l
		}
		if err := lim.Check(f.Kind, pk[i]); err != nil {
			return errorf("kinglet: orm: %s: key column %s: %w", t.Name, f.Column, err)
		}
	}
	return nil
}

// writeArg binds v, a value written to t's column f outside a model (bulk
// Set, Col.Set), refusing it when the query is built — the first point
// where the engine is known — if the engine would not give it back.
type writeArg struct {
	t *fields.Table
	f *fields.Field
	v any
}

func (w writeArg) AppendSQL(b *query.Builder) {
	lim := dialect.LimitsOf(b.Dialect())
	if err := lim.Check(w.f.Kind, w.v); err != nil {
		b.Fail(errorf("kinglet: orm: update %s: column %s: %w", w.t.Name, w.f.Column, err))
		return
	}
	b.Arg(w.v)
}

// limitedKind reports whether some engine limits values of kind k, so that
// a value written to such a column is bound through a writeArg.
func limitedKind(k fields.Kind) bool {
	switch k {
	case fields.KindFloat32, fields.KindFloat64, fields.KindDecimal, fields.KindTime, fields.KindDate:
		return true
	}
	return false
}

// setArg is the value bulk Set binds for v written to t's column f: v
// converted to the column's bind value (fields.Field.Arg), an Expr as it is.
func setArg(t *fields.Table, f *fields.Field, v any) (any, error) {
	if _, isExpr := v.(query.Expr); isExpr {
		return v, nil
	}
	a, err := f.Arg(v)
	if err != nil {
		return nil, errorf("kinglet: orm: update %s: %w", t.Name, err)
	}
	if a != nil && limitedKind(f.Kind) {
		return writeArg{t, f, a}, nil
	}
	return a, nil
}

package orm

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
)

// Reading the JSON strategy's columns: a small reader of the arrays the
// engines' JSON aggregates write, and the storing of their values in fields.

// jsonVal is one value of a JSON row: its kind and its text (a string's
// without the quotes, still escaped when esc).
type jsonVal struct {
	kind byte // 'n' null, 't' true, 'f' false, '0' number, '"' string, '[' or '{' nested (raw)
	text []byte
	esc  bool
}

type jsonRow struct {
	vals []jsonVal
	ord  int64 // the row's number, when the array carries one
}

// jsonReader reads the JSON array of arrays of one parent.
type jsonReader struct {
	b []byte
	i int
}

func (r *jsonReader) ws() {
	for r.i < len(r.b) && (r.b[r.i] == ' ' || r.b[r.i] == '\n' || r.b[r.i] == '\t' || r.b[r.i] == '\r') {
		r.i++
	}
}

func (r *jsonReader) errf(format string, a ...any) error {
	return fmt.Errorf("malformed JSON at byte %d: %s", r.i, fmt.Sprintf(format, a...))
}

// rows reads [[v, …], …] whose arrays hold nf values, or nf+1 with the
// row number last; rows with numbers are put in their order.
func (r *jsonReader) rows(nf int) ([]jsonRow, error) {
	r.ws()
	if r.i == len(r.b) || r.b[r.i] != '[' {
		return nil, r.errf("want an array")
	}
	r.i++
	var out []jsonRow
	vals := make([]jsonVal, 0, 8*(nf+1))
	numbered := false
	for {
		r.ws()
		if r.i < len(r.b) && r.b[r.i] == ']' && len(out) == 0 {
			r.i++
			break
		}
		if r.i == len(r.b) || r.b[r.i] != '[' {
			return nil, r.errf("want a row array")
		}
		r.i++
		start := len(vals)
		for {
			r.ws()
			if r.i < len(r.b) && r.b[r.i] == ']' && len(vals) == start {
				r.i++
				break
			}
			v, err := r.value()
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
			r.ws()
			if r.i < len(r.b) && r.b[r.i] == ',' {
				r.i++
				continue
			}
			if r.i < len(r.b) && r.b[r.i] == ']' {
				r.i++
				break
			}
			return nil, r.errf("want , or ]")
		}
		row := jsonRow{vals: vals[start:len(vals):len(vals)]}
		switch len(row.vals) {
		case nf:
		case nf + 1:
			last := row.vals[nf]
			n, err := strconv.ParseInt(string(last.text), 10, 64)
			if last.kind != '0' || err != nil {
				return nil, r.errf("row number %q", last.text)
			}
			row.ord, row.vals, numbered = n, row.vals[:nf], true
		default:
			return nil, r.errf("%d values in a row of %d columns", len(row.vals), nf)
		}
		out = append(out, row)
		r.ws()
		if r.i < len(r.b) && r.b[r.i] == ',' {
			r.i++
			continue
		}
		if r.i < len(r.b) && r.b[r.i] == ']' {
			r.i++
			break
		}
		return nil, r.errf("want , or ]")
	}
	if numbered && !slices.IsSortedFunc(out, func(a, b jsonRow) int { return int(a.ord - b.ord) }) {
		slices.SortStableFunc(out, func(a, b jsonRow) int { return int(a.ord - b.ord) })
	}
	return out, nil
}

func (r *jsonReader) value() (jsonVal, error) {
	if r.i == len(r.b) {
		return jsonVal{}, r.errf("unexpected end")
	}
	switch c := r.b[r.i]; {
	case c == '"':
		r.i++
		start, esc := r.i, false
		for r.i < len(r.b) && r.b[r.i] != '"' {
			if r.b[r.i] == '\\' {
				esc = true
				r.i++
			}
			r.i++
		}
		if r.i >= len(r.b) {
			return jsonVal{}, r.errf("unterminated string")
		}
		v := jsonVal{kind: '"', text: r.b[start:r.i], esc: esc}
		r.i++
		return v, nil
	case c == '[' || c == '{':
		start, depth, inStr := r.i, 0, false
		for ; r.i < len(r.b); r.i++ {
			ch := r.b[r.i]
			switch {
			case inStr && ch == '\\':
				r.i++
			case ch == '"':
				inStr = !inStr
			case !inStr && (ch == '[' || ch == '{'):
				depth++
			case !inStr && (ch == ']' || ch == '}'):
				depth--
			}
			if depth == 0 {
				r.i++
				return jsonVal{kind: c, text: r.b[start:r.i]}, nil
			}
		}
		return jsonVal{}, r.errf("unterminated %c", c)
	case c == 'n' || c == 't' || c == 'f':
		words := map[byte]string{'n': "null", 't': "true", 'f': "false"}
		w := words[c]
		if !strings.HasPrefix(string(r.b[r.i:min(len(r.b), r.i+len(w))]), w) {
			return jsonVal{}, r.errf("bad literal")
		}
		r.i += len(w)
		return jsonVal{kind: c}, nil
	case c == '-' || c >= '0' && c <= '9':
		start := r.i
		for r.i < len(r.b) && strings.IndexByte("+-0123456789.eE", r.b[r.i]) >= 0 {
			r.i++
		}
		return jsonVal{kind: '0', text: r.b[start:r.i]}, nil
	}
	return jsonVal{}, r.errf("unexpected %q", r.b[r.i])
}

func (v jsonVal) str() (string, error) {
	if !v.esc {
		return string(v.text), nil
	}
	var s string
	err := json.Unmarshal(append(append([]byte{'"'}, v.text...), '"'), &s)
	return s, err
}

// store puts the row's values into the fields of the struct at p.
func (row jsonRow) store(t *fields.Table, p unsafe.Pointer) error {
	for i, f := range t.Fields {
		if err := storeJSON(f, p, row.vals[i]); err != nil {
			return fmt.Errorf("column %q into %s.%s: %w", f.Column, typeName(t.Type), f.GoName, err)
		}
	}
	toUTCAmong(t.Fields, p)
	return nil
}

// timeLayouts are the forms the engines' JSON gives a time in: PostgreSQL's
// ISO 8601 with an offset, MySQL's DATETIME text, SQLite's stored text.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

func parseJSONTime(s string) (time.Time, error) {
	if t, ok := parseISOTime(s); ok {
		return t, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a time", s)
}

// parseISOTime reads the forms of timeLayouts without trying them one by
// one: YYYY-MM-DD, then [T ]hh:mm:ss[.fraction][Z|±hh:mm|±hhmm].
func parseISOTime(s string) (time.Time, bool) {
	num := func(i, n int) (int, bool) {
		v := 0
		for k := i; k < i+n; k++ {
			if k >= len(s) || s[k] < '0' || s[k] > '9' {
				return 0, false
			}
			v = v*10 + int(s[k]-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	if !ok1 || !ok2 || !ok3 || len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	if y == 0 && mo == 0 && d == 0 {
		return time.Time{}, true // MySQL's zero date, which its driver reads as the zero time
	}
	if len(s) == 10 {
		return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), true
	}
	h, ok1 := num(11, 2)
	mi, ok2 := num(14, 2)
	sec, ok3 := num(17, 2)
	if !ok1 || !ok2 || !ok3 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	i, ns := 19, 0
	if i < len(s) && s[i] == '.' {
		i++
		scale := 100000000
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			ns += int(s[i]-'0') * scale
			scale /= 10
		}
	}
	off := 0
	switch {
	case i == len(s):
	case s[i] == 'Z' && i+1 == len(s):
	case s[i] == '+' || s[i] == '-':
		oh, ok1 := num(i+1, 2)
		j := i + 3
		if j < len(s) && s[j] == ':' {
			j++
		}
		om, ok2 := num(j, 2)
		if !ok1 || !ok2 || j+2 != len(s) {
			return time.Time{}, false
		}
		off = oh*3600 + om*60
		if s[i] == '-' {
			off = -off
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC)
	return t.Add(-time.Duration(off) * time.Second), true
}

// storeJSON puts one JSON value into field f: as the driver value a
// database/sql scan would get (int64, float64, bool, string, time, []byte
// for nested JSON, nil), through the field's fast store, its Scanner, or
// a conversion by the field's kind.
func storeJSON(f *fields.Field, p unsafe.Pointer, v jsonVal) error {
	var src any
	switch v.kind {
	case 'n':
		src = nil
	case 't', 'f':
		src = v.kind == 't'
	case '0':
		if n, err := strconv.ParseInt(string(v.text), 10, 64); err == nil {
			src = n
		} else if x, err := strconv.ParseFloat(string(v.text), 64); err == nil && f.Kind != fields.KindDecimal && f.Kind != fields.KindString {
			src = x
		} else {
			src = string(v.text)
		}
	case '"':
		s, err := v.str()
		if err != nil {
			return err
		}
		src = s
		if f.Kind == fields.KindTime || f.Kind == fields.KindDate {
			t, err := parseJSONTime(s)
			if err != nil {
				return err
			}
			src = t
		}
	default: // nested JSON: a JSON column
		src = slices.Clone(v.text)
	}
	if f.Stores() && f.Store(p, src) {
		return nil
	}
	dest := f.Ptr(p)
	if sc, ok := dest.(sql.Scanner); ok {
		return sc.Scan(src)
	}
	return assignJSON(reflect.ValueOf(dest).Elem(), src)
}

// assignJSON converts src into dv by dv's kind, as database/sql's
// conversions do for the values JSON holds.
func assignJSON(dv reflect.Value, src any) error {
	if src == nil {
		switch dv.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			dv.SetZero()
			return nil
		}
		return fmt.Errorf("NULL into %s (make the field a pointer or sql.Null[T])", dv.Type())
	}
	if dv.Kind() == reflect.Pointer {
		nv := reflect.New(dv.Type().Elem())
		if err := assignJSON(nv.Elem(), src); err != nil {
			return err
		}
		dv.Set(nv)
		return nil
	}
	if dv.CanAddr() {
		if sc, ok := dv.Addr().Interface().(sql.Scanner); ok {
			return sc.Scan(src) // under a pointer: *fields.JSON[T], *sql.NullString
		}
	}
	if sv := reflect.ValueOf(src); sv.Type().AssignableTo(dv.Type()) {
		dv.Set(sv)
		return nil
	}
	s := fmt.Sprint(src)
	if b, ok := src.(bool); ok {
		s = "0"
		if b {
			s = "1"
		}
	}
	switch dv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, dv.Type().Bits())
		if err != nil {
			return err
		}
		dv.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, dv.Type().Bits())
		if err != nil {
			return err
		}
		dv.SetUint(n)
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(s, dv.Type().Bits())
		if err != nil {
			return err
		}
		dv.SetFloat(x)
	case reflect.Bool:
		x, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		dv.SetBool(x)
	case reflect.String:
		dv.SetString(s)
	default:
		return fmt.Errorf("cannot store %T into %s", src, dv.Type())
	}
	return nil
}

package fields

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// builder walks one model struct and assembles its Table.
type builder struct {
	typ     reflect.Type
	model   string
	entries []entry
	stack   []reflect.Type // the chain of embedded structs being walked, against cycles
}

// entry is a column or a relation found by walk, before Go's rule that a
// shallower field hides deeper ones of the same name is applied.
type entry struct {
	name  string
	path  string // Go field path for errors: Base.ID
	depth int
	field *Field
	spec  *colSpec
	rel   *Relation
}

func modelName(t reflect.Type) string {
	if n := t.Name(); n != "" {
		return n
	}
	return t.String()
}

func (b *builder) fail(sentinel error, path, option, msg string) *Error {
	return &Error{Model: b.model, Field: path, Option: option, Msg: msg, Err: sentinel}
}

func build(t reflect.Type) (*Table, error) {
	if t.Kind() != reflect.Struct {
		return nil, &Error{Model: t.String(), Msg: "a model must be a struct or a pointer to a struct", Err: ErrInvalidModel}
	}
	b := &builder{typ: t, model: modelName(t), stack: []reflect.Type{t}}
	if err := b.walk(t, nil, "", 0); err != nil {
		return nil, err
	}
	name, err := b.tableName()
	if err != nil {
		return nil, err
	}
	return b.assemble(name)
}

// tableName calls the model's TableName method, on a zero value, if it has
// one; a panic there is an error, not a crash.
func (b *builder) tableName() (name string, err error) {
	n, ok := reflect.New(b.typ).Interface().(interface{ TableName() string })
	if !ok {
		if base := baseName(b.typ); base != "" {
			return Plural(SnakeCase(base)), nil
		}
		return "", nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = b.fail(ErrInvalidModel, "", "", fmt.Sprintf("TableName panicked on a zero value: %v", r))
		}
	}()
	if name = n.TableName(); name == "" {
		return "", b.fail(ErrInvalidModel, "", "", "TableName returned an empty name")
	}
	return name, nil
}

// walk collects the columns and relations of struct t, reached from the model
// by index, flattening embedded structs depth first.
func (b *builder) walk(t reflect.Type, index []int, path string, depth int) error {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		idx := append(slices.Clip(index), i)
		fpath := sf.Name
		if path != "" {
			fpath = path + "." + sf.Name
		}
		dbTag, hasDB := sf.Tag.Lookup("db")
		relTag, hasRel := sf.Tag.Lookup("rel")
		if sf.Anonymous {
			base := sf.Type
			if base.Kind() == reflect.Pointer {
				base = base.Elem()
			}
			if base.Kind() == reflect.Struct && !isValueType(base) {
				switch {
				case dbTag == "-":
					continue
				case hasDB:
					return b.fail(ErrBadTag, fpath, dbTag, `an embedded struct is flattened into columns; its only db tag is "-"`)
				case hasRel:
					return b.fail(ErrBadTag, fpath, relTag, "an embedded struct cannot be a relation")
				case slices.Contains(b.stack, base):
					return b.fail(ErrInvalidModel, fpath, "", "embeds "+base.String()+" within itself")
				}
				b.stack = append(b.stack, base)
				err := b.walk(base, idx, fpath, depth+1)
				b.stack = b.stack[:len(b.stack)-1]
				if err != nil {
					return err
				}
				continue
			}
		}
		if !sf.IsExported() {
			if (hasDB && dbTag != "-") || hasRel {
				opt := relTag
				if hasDB {
					opt = dbTag
				}
				return b.fail(ErrBadTag, fpath, opt, "an unexported field cannot be mapped")
			}
			continue
		}
		if hasRel {
			if hasDB && dbTag != "-" {
				return b.fail(ErrBadTag, fpath, dbTag, `a relation is not a column: tag it db:"-" or not at all`)
			}
			r, terr := parseRel(b.typ, sf, relTag)
			if terr != nil {
				return b.fail(ErrBadTag, fpath, terr.option, terr.msg)
			}
			r.Index, r.acc = idx, newAccessor(b.typ, idx)
			b.entries = append(b.entries, entry{name: sf.Name, path: fpath, depth: depth, rel: r})
			continue
		}
		if dbTag == "-" {
			continue
		}
		f, s, err := b.column(sf, idx, fpath, dbTag)
		if err != nil {
			return err
		}
		b.entries = append(b.entries, entry{name: sf.Name, path: fpath, depth: depth, field: f, spec: s})
	}
	return nil
}

// column builds the Field for sf from its db tag.
func (b *builder) column(sf reflect.StructField, index []int, path, tag string) (*Field, *colSpec, error) {
	name, opts, terr := parseDBTag(tag)
	if terr != nil {
		return nil, nil, b.fail(ErrBadTag, path, terr.option, terr.msg)
	}
	f := &Field{GoName: sf.Name, Column: name, Index: index, Type: sf.Type, Tag: tag}
	if f.Column == "" {
		f.Column = SnakeCase(sf.Name)
	}
	s := &colSpec{}
	for _, o := range opts {
		if terr := s.apply(f, o); terr != nil {
			return nil, nil, b.fail(ErrBadTag, path, terr.option, terr.msg)
		}
	}
	if err := b.resolve(f, s, path); err != nil {
		return nil, nil, err
	}
	f.acc = newAccessor(b.typ, index)
	f.conv = convFor(sf.Type, s.wrap, f.Nullable)
	if s.jsonBytes {
		f.conv.val = jsonBytesVal(sf.Type, f.Nullable)
	} else if zero := zeroText(f.Kind); zero != "" && !s.wrap && !s.nominal {
		f.conv = textZero(f.conv, sf.Type, zero)
	}
	return f, s, nil
}

// resolve settles f's Kind and nullability from its Go type and options, and
// checks the options that depend on them.
func (b *builder) resolve(f *Field, s *colSpec, path string) error {
	bad := func(key, msg string) error { return b.fail(ErrBadTag, path, s.raw[key], msg) }
	g := classify(f.Type)
	if s.kind == KindJSON {
		s.json = true
	}
	switch {
	case s.json:
		if s.decimal {
			return bad("decimal", "decimal and json exclude each other")
		}
		if s.kind != KindInvalid && s.kind != KindJSON {
			return bad("kind", "kind:"+s.kind.String()+" and json exclude each other")
		}
		if !jsonable(f.Type) {
			return b.fail(ErrUnsupportedType, path, "", "unsupported type "+f.Type.String()+": encoding/json cannot store it")
		}
		f.Kind = KindJSON
		// Strings, byte slices and Scanner/Valuer types hold JSON text
		// themselves; anything else is marshalled on the way in and out.
		s.wrap = !g.ok || !(g.custom || g.kind == KindString || g.kind == KindBytes)
		s.jsonBytes = g.ok && !g.custom && g.kind == KindBytes
		f.Nullable = g.nullable || f.Type.Kind() == reflect.Pointer
	case !g.ok:
		return b.unsupported(f, path)
	default:
		f.Kind, f.Nullable = g.kind, g.nullable
		want, key := s.kind, "kind"
		if s.decimal {
			if want != KindInvalid && want != KindDecimal {
				return bad("kind", "kind:"+want.String()+" contradicts decimal")
			}
			want, key = KindDecimal, "decimal"
		}
		if want != KindInvalid {
			if !kindFits(g, want) {
				return bad(key, "a "+want.String()+" column does not fit Go type "+f.Type.String())
			}
			f.Kind = want
		}
		if f.Kind == KindInvalid {
			if f.SQLType == "" {
				return b.fail(ErrUnsupportedType, path, "", "type "+f.Type.String()+
					" implements sql.Scanner and driver.Valuer but has no basic kind: give it kind:NAME, decimal:P:S, json or type:SQL")
			}
			// The dialect writes type: verbatim; the kind is nominal.
			f.Kind, s.nominal = KindString, true
		}
	}
	return b.checkOptions(f, s, path)
}

func (b *builder) checkOptions(f *Field, s *colSpec, path string) error {
	bad := func(key, msg string) error { return b.fail(ErrBadTag, path, s.raw[key], msg) }
	if s.null {
		if f.PK {
			return bad("null", "a primary key cannot be null")
		}
		f.Nullable = true
	}
	if f.PK {
		f.Nullable = false
	}
	if f.Size > 0 && f.Kind != KindString && f.Kind != KindBytes {
		return bad("size", "size applies to string and bytes columns, not "+f.Kind.String())
	}
	if f.HasDefault && !s.nominal {
		if msg := checkDefault(f.Kind, f.Default); msg != "" {
			return bad("default", msg)
		}
	}
	if s.checkName != "" && f.Check == "" {
		return bad("check_name", "check_name needs check:EXPR")
	}
	if s.fkTable == "" {
		for _, key := range []string{"on_delete", "on_update", "fk_name"} {
			if _, ok := s.raw[key]; ok {
				return bad(key, key+" needs fk:table.column")
			}
		}
	}
	for i, a := range [2]Action{s.onDelete, s.onUpdate} {
		key := [2]string{"on_delete", "on_update"}[i]
		if a == ActionSetNull && !f.Nullable {
			return bad(key, "set null needs a nullable column")
		}
		if a == ActionSetDefault && !f.HasDefault {
			return bad(key, "set default needs default:VALUE")
		}
	}
	switch {
	case s.auto && s.noauto:
		return bad("noauto", "auto and noauto exclude each other")
	case s.auto && !f.PK:
		return bad("auto", "auto applies to a primary key")
	case s.noauto && !f.PK:
		return bad("noauto", "noauto applies to a primary key")
	case s.auto && !f.Kind.IsInteger():
		return bad("auto", "auto needs an integer column, not "+f.Kind.String())
	}
	return nil
}

func (b *builder) unsupported(f *Field, path string) error {
	msg := "unsupported type " + f.Type.String()
	if _, rel := relationTarget(f.Type); rel {
		msg += `: a relation needs a rel tag; otherwise skip the field with db:"-"`
	} else if k := f.Type.Kind(); k == reflect.Map || k == reflect.Slice || k == reflect.Array ||
		k == reflect.Struct || k == reflect.Interface {
		msg += `: store it as JSON with the json option, or skip the field with db:"-"`
	}
	return b.fail(ErrUnsupportedType, path, "", msg)
}

// assemble applies Go's hiding rule, then collects keys, indexes, foreign
// keys and checks in field order.
func (b *builder) assemble(name string) (*Table, error) {
	t := &Table{Name: name, Type: b.typ,
		byColumn: map[string]*Field{}, byName: map[string]*Field{}, relByNm: map[string]*Relation{}}
	shallowest := map[string]int{}
	for _, e := range b.entries {
		if d, ok := shallowest[e.name]; !ok || e.depth < d {
			shallowest[e.name] = e.depth
		}
	}
	var cols []entry
	for _, e := range b.entries {
		switch {
		case e.depth > shallowest[e.name]:
		case e.rel != nil:
			t.Relations = append(t.Relations, e.rel)
			if _, dup := t.relByNm[e.name]; !dup {
				t.relByNm[e.name] = e.rel
			}
		default:
			cols = append(cols, e)
		}
	}
	if len(cols) == 0 {
		return nil, b.fail(ErrInvalidModel, "", "", "no columns")
	}
	owner := map[string]string{} // lower-case column -> Go path
	for _, e := range cols {
		f := e.field
		key := strings.ToLower(f.Column)
		if prev, dup := owner[key]; dup {
			return nil, b.fail(ErrInvalidModel, e.path, "", "column "+f.Column+" is also the column of "+prev)
		}
		owner[key] = e.path
		t.Fields = append(t.Fields, f)
		t.columns = append(t.columns, f.Column)
		t.byColumn[f.Column] = f
		if _, dup := t.byName[f.GoName]; !dup {
			t.byName[f.GoName] = f
		}
		if f.PK {
			t.PK = append(t.PK, f)
		}
		if f.Check != "" {
			t.Checks = append(t.Checks, f.Check)
			name := e.spec.checkName
			if name == "" {
				name = ShortName("ck_" + t.Name + "_" + itoa(len(t.Checks)))
			}
			t.CheckNames = append(t.CheckNames, name)
		}
	}
	for _, e := range cols {
		switch f := e.field; {
		case !f.PK:
		case len(t.PK) > 1 && e.spec.auto:
			return nil, b.fail(ErrBadTag, e.path, e.spec.raw["auto"], "a composite primary key cannot be auto-increment")
		case len(t.PK) == 1 && (e.spec.auto || f.Kind.IsInteger() && !e.spec.noauto):
			f.Auto, t.Auto = true, f
		}
	}
	if err := b.indexes(t, cols); err != nil {
		return nil, err
	}
	if err := b.foreignKeys(t, cols); err != nil {
		return nil, err
	}
	for _, e := range b.entries {
		if r := e.rel; r != nil && r.Kind == BelongsTo {
			if _, ok := t.byName[r.FK]; !ok {
				return nil, b.fail(ErrBadTag, e.path, r.Tag, "fk field "+r.FK+" is not a column of "+b.model)
			}
		}
	}
	return t, nil
}

func (b *builder) indexes(t *Table, cols []entry) error {
	byName := map[string]int{}
	for _, e := range cols {
		f := e.field
		for _, r := range e.spec.indexes {
			name := r.name
			if name == "" {
				prefix := "idx"
				if r.unique {
					prefix = "uq"
				}
				name = DerivedName(prefix, t.Name, f.Column)
			}
			i, ok := byName[name]
			if !ok {
				byName[name] = len(t.Indexes)
				t.Indexes = append(t.Indexes, Index{Name: name, Columns: []string{f.Column}, Unique: r.unique})
				f.Indexed = true
				continue
			}
			ix := &t.Indexes[i]
			if ix.Unique != r.unique {
				return b.fail(ErrBadTag, e.path, r.raw, "index "+name+" is declared both unique and not unique")
			}
			if slices.Contains(ix.Columns, f.Column) {
				return b.fail(ErrBadTag, e.path, r.raw, "column "+f.Column+" is already in index "+name)
			}
			ix.Columns = append(ix.Columns, f.Column)
			f.Indexed = true
		}
	}
	for _, ix := range t.Indexes {
		if ix.Unique && len(ix.Columns) == 1 {
			t.byColumn[ix.Columns[0]].Unique = true
		}
	}
	return nil
}

// foreignKeys collects the fk: references in field order. Fields that
// share an fk_name form one key over their columns, in field order.
func (b *builder) foreignKeys(t *Table, cols []entry) error {
	var owners [][]*Field
	named := map[string]int{}
	for _, e := range cols {
		s := e.spec
		if s.fkTable == "" {
			continue
		}
		if i, ok := named[s.fkName]; ok && s.fkName != "" {
			fk := &t.ForeignKeys[i]
			bad := func(what string) error {
				return b.fail(ErrBadTag, e.path, s.raw["fk_name"], "foreign key "+s.fkName+" "+what)
			}
			switch {
			case fk.RefTable != s.fkTable:
				return bad("refers to table " + fk.RefTable + " on an earlier field, not " + s.fkTable)
			case s.onDelete != ActionUnset && fk.OnDelete != ActionUnset && s.onDelete != fk.OnDelete:
				return bad("has on_delete:" + fk.OnDelete.String() + " on an earlier field, not " + s.onDelete.String())
			case s.onUpdate != ActionUnset && fk.OnUpdate != ActionUnset && s.onUpdate != fk.OnUpdate:
				return bad("has on_update:" + fk.OnUpdate.String() + " on an earlier field, not " + s.onUpdate.String())
			}
			fk.Columns = append(fk.Columns, e.field.Column)
			fk.RefColumns = append(fk.RefColumns, s.fkColumn)
			fk.OnDelete = max(fk.OnDelete, s.onDelete) // the one given, if any
			fk.OnUpdate = max(fk.OnUpdate, s.onUpdate)
			owners[i] = append(owners[i], e.field)
			continue
		}
		name := s.fkName
		if name == "" {
			name = DerivedName("fk", t.Name, e.field.Column)
		} else {
			named[name] = len(t.ForeignKeys)
		}
		t.ForeignKeys = append(t.ForeignKeys, ForeignKey{
			Name:       name,
			Columns:    []string{e.field.Column},
			RefTable:   s.fkTable,
			RefColumns: []string{s.fkColumn},
			OnDelete:   s.onDelete,
			OnUpdate:   s.onUpdate,
		})
		owners = append(owners, []*Field{e.field})
	}
	for i, fs := range owners {
		for _, f := range fs {
			f.FK = &t.ForeignKeys[i]
		}
	}
	return nil
}

// nameStem is the table name as used inside index and constraint names: a
// schema-qualified "app.users" becomes "app_users".
func nameStem(table string) string { return strings.ReplaceAll(table, ".", "_") }

package check

import (
	"go/types"
	"reflect"
	"strings"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/tagscan"
)

// model is what a model struct's type says about its table, read the way
// package fields reads it at run time (see fields/build.go): db tags name the
// columns, untagged exported fields take their snake_case name, db:"-"
// skips, embedded structs are flattened (unless they are stored in one
// column, like time.Time or a sql.Scanner), a shallower field hides deeper
// ones of its name, and rel-tagged fields are relations.
type model struct {
	key     string // types.TypeString of the type
	name    string // the Go type's name, for messages
	table   string // the table name; "" when unknown (a TableName the analyzer cannot read)
	columns []string
	byGo    map[string]string     // Go field name -> column (after hiding)
	rels    map[string]types.Type // relation (Go field name) -> target struct type
	relList []string              // relation names in field order
}

// hasColumn reports whether name is one of m's columns (compared as
// fields.Table.FieldByColumn compares them: exactly, or ignoring case).
func (m *model) hasColumn(name string) bool {
	for _, c := range m.columns {
		if strings.EqualFold(c, name) {
			return true
		}
	}
	return false
}

// modelEntry is a column or relation found by walk, before hiding.
type modelEntry struct {
	goName string
	depth  int
	column string     // "" for a relation
	target types.Type // a relation's target
}

// modelOf reads model type t, or returns nil when its columns are not
// statically certain: not a named struct, a type parameter, a tag or
// embedding the analyzer does not follow, or a model that package fields
// would refuse (which fails at run time with its own error).
func (c *checker) modelOf(t types.Type) *model {
	if t == nil || hasTypeParams(t) {
		return nil
	}
	key := types.TypeString(t, nil)
	if m, ok := c.models[key]; ok {
		return m
	}
	c.models[key] = nil // a model reached again while it is read is not known yet
	m := c.readModel(t)
	if m != nil {
		m.key = key
	}
	c.models[key] = m
	return m
}

func (c *checker) readModel(t types.Type) *model {
	n := named(t)
	if n == nil {
		return nil
	}
	st, ok := n.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var entries []modelEntry
	if !c.walkStruct(st, 0, []types.Type{n}, &entries) {
		return nil
	}
	m := &model{
		name: types.TypeString(n, func(*types.Package) string { return "" }),
		byGo: map[string]string{}, rels: map[string]types.Type{},
	}
	table, known := c.tableName(n)
	if !known {
		table = ""
	}
	m.table = table
	shallowest := map[string]int{}
	for _, e := range entries {
		if d, ok := shallowest[e.goName]; !ok || e.depth < d {
			shallowest[e.goName] = e.depth
		}
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.depth > shallowest[e.goName] {
			continue
		}
		if e.target != nil {
			if _, dup := m.rels[e.goName]; !dup {
				m.rels[e.goName] = e.target
				m.relList = append(m.relList, e.goName)
			}
			continue
		}
		low := strings.ToLower(e.column)
		if seen[low] {
			return nil // two fields, one column: fields refuses the model
		}
		seen[low] = true
		m.columns = append(m.columns, e.column)
		if _, dup := m.byGo[e.goName]; !dup {
			m.byGo[e.goName] = e.column
		}
	}
	if len(m.columns) == 0 {
		return nil
	}
	return m
}

// dbOptions are the option keys a db tag may hold after the column name.
var dbOptions = map[string]bool{
	"pk": true, "auto": true, "noauto": true, "null": true, "unique": true, "index": true,
	"unique_index": true, "size": true, "decimal": true, "kind": true, "type": true, "json": true,
	"default": true, "fk": true, "on_delete": true, "on_update": true, "check": true,
	"fk_name": true, "check_name": true,
}

// walkStruct collects st's columns and relations; false means the model is
// not statically certain.
func (c *checker) walkStruct(st *types.Struct, depth int, stack []types.Type, out *[]modelEntry) bool {
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		tag := reflect.StructTag(st.Tag(i))
		dbTag, hasDB := tag.Lookup("db")
		relTag, hasRel := tag.Lookup("rel")
		if f.Embedded() {
			base := f.Type()
			if p, ok := types.Unalias(base).(*types.Pointer); ok {
				base = p.Elem()
			}
			if bs, ok := base.Underlying().(*types.Struct); ok {
				value, known := c.isValueType(base)
				if !known {
					return false
				}
				if !value {
					switch {
					case dbTag == "-":
						continue
					case hasDB, hasRel:
						return false
					}
					for _, s := range stack {
						if types.Identical(s, base) {
							return false
						}
					}
					if !c.walkStruct(bs, depth+1, append(stack, base), out) {
						return false
					}
					continue
				}
			}
		}
		if !f.Exported() {
			if (hasDB && dbTag != "-") || hasRel {
				return false
			}
			continue
		}
		if hasRel {
			if hasDB && dbTag != "-" {
				return false
			}
			target, ok := c.relationTarget(f.Type(), relTag)
			if !ok {
				return false
			}
			*out = append(*out, modelEntry{goName: f.Name(), depth: depth, target: target})
			continue
		}
		if dbTag == "-" {
			continue
		}
		parts, _, _, ok := tagscan.Split(dbTag, ',')
		if !ok || parts[0] == "-" {
			return false
		}
		for _, p := range parts[1:] {
			key, _, _ := strings.Cut(p, ":")
			if !dbOptions[strings.TrimSpace(key)] {
				return false
			}
		}
		col := parts[0]
		if col == "" {
			col = fields.SnakeCase(f.Name())
		}
		*out = append(*out, modelEntry{goName: f.Name(), depth: depth, column: col})
	}
	return true
}

// relationTarget is the struct type behind a relation field of type t (S,
// *S, []S or []*S), checked against the relation kind the tag names.
func (c *checker) relationTarget(t types.Type, tag string) (types.Type, bool) {
	parts, _, _, ok := tagscan.Split(tag, ',')
	if !ok {
		return nil, false
	}
	var many bool
	switch parts[0] {
	case "belongs_to", "has_one":
	case "has_many", "many_to_many":
		many = true
	default:
		return nil, false
	}
	s, isSlice := types.Unalias(t).(*types.Slice)
	if isSlice != many {
		return nil, false
	}
	if isSlice {
		t = s.Elem()
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if _, ok := t.Underlying().(*types.Struct); !ok || named(t) == nil {
		return nil, false
	}
	if value, known := c.isValueType(t); value || !known {
		return nil, false
	}
	return t, true
}

// isValueType reports whether struct type t is stored in one column rather
// than flattened (fields.isValueType): time.Time, database/sql's Null types,
// fields.JSON, and types whose pointer implements sql.Scanner and
// driver.Valuer. known is false when t has methods of those names whose
// signatures the analyzer cannot match.
func (c *checker) isValueType(t types.Type) (value, known bool) {
	if n := named(t); n != nil {
		o := n.Origin().Obj()
		if o.Pkg() != nil {
			switch {
			case o.Pkg().Path() == "time" && o.Name() == "Time":
				return true, true
			case o.Pkg().Path() == "database/sql" && strings.HasPrefix(o.Name(), "Null"):
				return true, true
			}
		}
	}
	ms := types.NewMethodSet(types.NewPointer(t))
	var scan, value2 bool
	for i := 0; i < ms.Len(); i++ {
		fn, ok := ms.At(i).Obj().(*types.Func)
		if !ok {
			continue
		}
		sig := fn.Signature()
		switch fn.Name() {
		case "kingletJSON":
			if fn.Pkg() != nil && fn.Pkg().Path() == fieldsPath {
				return true, true
			}
		case "Scan":
			if sig.Params().Len() != 1 || sig.Results().Len() != 1 || !isError(sig.Results().At(0).Type()) {
				return false, false
			}
			if it, ok := sig.Params().At(0).Type().Underlying().(*types.Interface); !ok || !it.Empty() {
				return false, false
			}
			scan = true
		case "Value":
			if sig.Params().Len() != 0 || sig.Results().Len() != 2 || !isError(sig.Results().At(1).Type()) ||
				!isType(sig.Results().At(0).Type(), "database/sql/driver", "Value") {
				return false, false
			}
			value2 = true
		}
	}
	return scan && value2, true
}

func isError(t types.Type) bool { return types.Identical(t, types.Universe.Lookup("error").Type()) }

// tableName is n's table name: what its TableName method returns (when the
// analyzer could read it, see tableNameFact), or the plural snake_case of its
// name. known is false when a TableName method returns something the
// analyzer cannot read.
func (c *checker) tableName(n *types.Named) (string, bool) {
	ms := types.NewMethodSet(types.NewPointer(n))
	if sel := ms.Lookup(nil, "TableName"); sel != nil {
		fn, ok := sel.Obj().(*types.Func)
		if !ok {
			return "", false
		}
		sig := fn.Signature()
		if sig.Params().Len() != 0 || sig.Results().Len() != 1 || !types.Identical(sig.Results().At(0).Type(), types.Typ[types.String]) {
			return fields.Plural(fields.SnakeCase(n.Obj().Name())), true // not the method fields calls
		}
		var fact tableNameFact
		if c.pass.ImportObjectFact(fn.Origin(), &fact) {
			return fact.Name, true
		}
		return "", false
	}
	return fields.Plural(fields.SnakeCase(n.Obj().Name())), true
}

// reach maps the table names of the models m reaches through its
// relations, transitively, to those models, with m first under its own
// table: the tables the ORM's column check knows (orm/cache.go,
// columnCheck). ok is false when a model on the way is not statically
// known, or m's own table name is not and m has relations (whose tables
// might be m's). A model without relations whose table name is unknown is
// alone under "".
func (c *checker) reach(m *model) (map[string][]*model, bool) {
	if m.table == "" {
		if len(m.relList) > 0 {
			return nil, false
		}
		return map[string][]*model{"": {m}}, true
	}
	out := map[string][]*model{m.table: {m}}
	seen := map[string]bool{m.key: true}
	queue := []*model{m}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, r := range cur.relList {
			key := types.TypeString(cur.rels[r], nil)
			if seen[key] {
				continue
			}
			seen[key] = true
			rm := c.modelOf(cur.rels[r])
			if rm == nil || rm.table == "" {
				return nil, false
			}
			out[rm.table] = append(out[rm.table], rm)
			queue = append(queue, rm)
		}
	}
	return out, true
}

package orm

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// JoinLoad fills the named to-one relations of T (belongs_to and has_one,
// nested with dots: "User.Profile") from an INNER JOIN in the same query:
// the related model's columns are selected beside T's under generated
// aliases and scanned into the relation field. The rows of T without a
// related row are left out, as the join says; LeftJoinLoad keeps them with
// the relation nil (the zero value for a non-pointer field).
//
//	tweets, err := orm.Select[Tweet](db).JoinLoad("User").
//		Where(UserName.Eq("alice")).OrderBy(UserName.Asc()).All(ctx)   // one query
//
// A nested name joins its prefix too ("User.Profile" joins User), with the
// same kind of join unless the prefix was joined before. The joined model's
// table keeps its name, so typed columns of that model (orm.Field on User)
// work in Where and OrderBy. A table that the query has already (T's own,
// for a self-reference such as Tweet.ReplyTo, or one joined by an earlier
// JoinLoad: two foreign keys to the same table) is aliased as the relation
// path in snake_case, the parts joined by "_" ("reply_to", "reply_to_user"),
// with a number added when that alias is taken too; refer to its columns
// with Col.Of(alias) or query.Table(name).As(alias).C(column), which the
// column check vets against the joined model.
//
// Each row gets its own copy of the related model. A has_one whose target
// has several rows for one parent repeats the parent once per row, as the
// join does: make its key unique, or use Load. To-many relations
// (has_many, many_to_many) are an error wrapping ErrInvalidArgument: use
// Load or LoadWith. Load and LoadWith may load relations below a joined one
// ("User.Tweets" after JoinLoad("User")): the joined rows are loaded onto,
// not fetched again.
func (s SelectQuery[T]) JoinLoad(names ...string) SelectQuery[T] {
	return s.joinLoad(false, names)
}

// LeftJoinLoad is JoinLoad with a LEFT JOIN: rows of T without a related
// row are kept, with the relation left nil.
func (s SelectQuery[T]) LeftJoinLoad(names ...string) SelectQuery[T] {
	return s.joinLoad(true, names)
}

func (s SelectQuery[T]) joinLoad(left bool, names []string) SelectQuery[T] {
	if s.err != nil || s.t == nil {
		return s
	}
	if s.compound {
		s.err = fmt.Errorf("%w: JoinLoad on a compound (Union, Intersect, Except): call it on a query selecting from the compound", ErrInvalidArgument)
		return s
	}
	rd := s.rd.clone()
	for _, name := range names {
		q, err := rd.addJoin(s.t, s.q, name, left)
		if err != nil {
			s.err = err
			return s
		}
		s.q = q
	}
	s.rd = rd
	s.joined = true
	return s
}

// joinNode is one relation JoinLoad fills.
type joinNode struct {
	path     string // "User.Profile"
	info     *relInfo
	parent   int  // index of the node it hangs from, -1 for T
	left     bool // joined with LEFT JOIN
	nullable bool // left, or below a left one: its columns may be NULL
	ref      query.TableRef
	plan     *scanPlan // the target's fields, in order
	probe    int       // the field (in plan.fields) that is NULL exactly when no row matched
	slab     bool      // a pointer relation: the rows' structs come from a slab
}

// addJoin adds the joins of one JoinLoad name to q, and its nodes to r.
func (r *readOpts) addJoin(t *fields.Table, q query.SelectQuery, name string, left bool) (query.SelectQuery, error) {
	if len(r.used) == 0 {
		r.used = append(r.used, strings.ToLower(t.Name))
	}
	cur, parent, path := t, -1, ""
	parentRef := query.Table(t.Name)
	for part := range strings.SplitSeq(name, ".") {
		part = strings.TrimSpace(part)
		if part == "" {
			return q, fmt.Errorf("%w: %s: empty name in JoinLoad(%q)", ErrUnknownRelation, typeName(t.Type), name)
		}
		if path != "" {
			path += "."
		}
		path += part
		if path == name && r.withIndex(path) >= 0 {
			return q, fmt.Errorf("%w: JoinLoad(%q): %s.%s is loaded by LoadWith already", ErrInvalidArgument, name, typeName(cur.Type), part)
		}
		if i := r.joinIndex(path); i >= 0 {
			n := r.joins[i]
			if path == name && n.left != left {
				kind := "an inner"
				if n.left {
					kind = "a left"
				}
				return q, fmt.Errorf("%w: %s.%s is joined already with %s join: JoinLoad and LeftJoinLoad of one relation", ErrInvalidArgument, typeName(t.Type), path, kind)
			}
			cur, parent, parentRef = n.info.target, i, n.ref
			continue
		}
		rel, ok := cur.Relation(part)
		if !ok {
			return q, unknownRelation(cur, part, name)
		}
		ri, err := resolveRel(cur, rel)
		if err != nil {
			return q, err
		}
		if ri.many {
			return q, fmt.Errorf("%w: JoinLoad(%q): %s.%s is %s; JoinLoad fills to-one relations (belongs_to, has_one): use Load or LoadWith", ErrInvalidArgument, name, typeName(cur.Type), part, rel.Kind)
		}
		n := &joinNode{path: path, info: ri, parent: parent, left: left, nullable: left,
			plan: newPlan(ri.target, ri.target.Fields), slab: ri.ptrElem}
		if parent >= 0 && r.joins[parent].nullable {
			n.nullable = true
		}
		for k, f := range ri.target.Fields {
			if f == ri.matchKey {
				n.probe = k
			}
		}
		n.ref = r.tableFor(ri.target, path)
		on := n.ref.C(ri.matchKey.Column).Eq(parentRef.C(ri.ownerKey.Column))
		if left {
			q = q.LeftJoin(n.ref, on)
		} else {
			q = q.Join(n.ref, on)
		}
		r.joins = append(r.joins, n)
		r.addJoinColumns(n)
		cur, parent, parentRef = ri.target, len(r.joins)-1, n.ref
	}
	return q, nil
}

func (r *readOpts) joinIndex(path string) int {
	if r == nil {
		return -1
	}
	for i, n := range r.joins {
		if n.path == path {
			return i
		}
	}
	return -1
}

// tableFor is the joined model's table: its name when the query has no
// table of that name yet, else aliased by the relation path.
func (r *readOpts) tableFor(target *fields.Table, path string) query.TableRef {
	name := strings.ToLower(target.Name)
	if !r.isUsed(name) {
		r.used = append(r.used, name)
		return query.Table(target.Name)
	}
	parts := strings.Split(path, ".")
	for i, p := range parts {
		parts[i] = fields.SnakeCase(p)
	}
	base := strings.Join(parts, "_")
	alias := base
	for n := 2; r.isUsed(alias); n++ {
		alias = base + "_" + strconv.Itoa(n)
	}
	r.used = append(r.used, alias)
	if r.aliases == nil {
		r.aliases = map[string]*fields.Table{}
	}
	r.aliases[alias] = target
	return query.Table(target.Name).As(alias)
}

func (r *readOpts) isUsed(name string) bool {
	for _, u := range r.used {
		if u == name {
			return true
		}
	}
	return false
}

// addJoinColumns adds n's columns to the joined select list, each as
// "<table or alias>__<column>" (or a short numbered name when that would be
// longer than an engine keeps).
func (r *readOpts) addJoinColumns(n *joinNode) {
	sqlName := n.ref.Alias()
	if sqlName == "" {
		sqlName = n.ref.Name()
	}
	for k, f := range n.info.target.Fields {
		alias := sqlName + "__" + f.Column
		if len(alias) > 60 {
			alias = "kinglet_j" + strconv.Itoa(len(r.joins)) + "_" + strconv.Itoa(k)
		}
		r.joinCols = append(r.joinCols, n.ref.C(f.Column).As(alias))
	}
}

// aliasCheck extends T's column check to the tables JoinLoad aliased: a
// column of one must be a column of its model.
func (r *readOpts) aliasCheck(base query.ColumnCheck) query.ColumnCheck {
	aliases := r.aliases
	return func(table, alias, column string) error {
		if m, ok := aliases[alias]; ok && alias != "" && strings.EqualFold(table, m.Name) {
			if _, ok := m.FieldByColumn(column); ok {
				return nil
			}
			return fmt.Errorf("%w: %s (joined as %s) has no column %q (model %s)", ErrUnknownColumn, table, alias, column, m.Type)
		}
		return base(table, alias, column)
	}
}

// Of is the handle of the same column in the table under alias: the
// alias JoinLoad gives a model joined a second time (UserName.Of("sender")).
func (c Col[V]) Of(alias string) Col[V] {
	if c.t == nil {
		return c // a bad handle keeps its error
	}
	c.Ex = query.Table(c.t.Name).As(alias).C(c.name)
	return c
}

// target returns the struct that node n's columns go to on this row:
// parent is the struct holding the relation field. A pointer relation gets
// a new struct, from the slab.
func (n *joinNode) target(parent unsafe.Pointer, sl *slab) unsafe.Pointer {
	addr := n.info.rel.Addr(parent)
	if !n.slab {
		return addr
	}
	p := sl.next()
	*(*unsafe.Pointer)(addr) = p
	return p
}

// slab hands out zeroed structs of one type from blocks, one allocation per
// block rather than per row.
type slab struct {
	typ  reflect.Type
	size uintptr
	base unsafe.Pointer
	n, i int
}

func newSlab(t reflect.Type, hint int) *slab {
	return &slab{typ: t, size: t.Size(), n: max(hint, 8)}
}

func (s *slab) next() unsafe.Pointer {
	if s.base == nil || s.i == s.n {
		if s.base != nil {
			s.n = min(2*s.n, 1024)
		}
		s.base = reflect.MakeSlice(reflect.SliceOf(s.typ), s.n, s.n).UnsafePointer()
		s.i = 0
	}
	p := unsafe.Add(s.base, uintptr(s.i)*s.size)
	s.i++
	return p
}

// probe receives the key column of a LEFT-joined model: NULL means no row.
type probe struct{ null bool }

func (p *probe) Scan(src any) error { p.null = src == nil; return nil }

package orm

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/kingletdb/kinglet/fields"
)

// relInfo is a relation resolved against its models: the key fields on each
// side and, for a many_to_many, the join model. Resolved once per relation.
type relInfo struct {
	rel    *fields.Relation
	owner  *fields.Table // the model that has the relation field
	target *fields.Table // the related model

	// ownerKey is the owner's field whose values are collected: the FK for
	// belongs_to, the referenced key (References, default the primary key)
	// otherwise.
	ownerKey *fields.Field
	// matchKey is the field compared with the collected values: on target
	// for belongs_to (References or the primary key) and has_one/has_many
	// (the FK), on the join model for many_to_many (the FK).
	matchKey *fields.Field
	through  *fields.Table // many_to_many: the join model
	joinKey  *fields.Field // many_to_many: the join model's field referring to target
	targetPK *fields.Field // many_to_many: the target field joinKey refers to

	many      bool // a slice field
	ptrElem   bool // *S or []*S rather than S or []S
	afterScan bool // *S implements AfterScanner
}

var relInfos sync.Map // *fields.Relation -> *relInfo

func typeName(t reflect.Type) string {
	if n := t.Name(); n != "" {
		return n
	}
	return t.String()
}

// baseTypeName is a type's name without type arguments: Page[int] -> Page.
func baseTypeName(t reflect.Type) string {
	n := t.Name()
	if i := strings.IndexByte(n, '['); i >= 0 {
		n = n[:i]
	}
	return n
}

func unknownRelation(t *fields.Table, name, path string) error {
	names := make([]string, len(t.Relations))
	for i, r := range t.Relations {
		names[i] = r.Name
	}
	has := "it has no relations"
	if len(names) > 0 {
		has = "it has " + strings.Join(names, ", ")
	}
	where := ""
	if path != name {
		where = " (in " + strconv.Quote(path) + ")"
	}
	return fmt.Errorf("%w: %s has no relation %s%s; %s", ErrUnknownRelation, typeName(t.Type), strconv.Quote(name), where, has)
}

// resolveRel resolves relation r of model owner. Successes are cached;
// failures are not, so that a join model registered later is found.
func resolveRel(owner *fields.Table, r *fields.Relation) (*relInfo, error) {
	if v, ok := relInfos.Load(r); ok {
		return v.(*relInfo), nil
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s.%s (rel:%q): %s", ErrInvalidRelation, typeName(owner.Type), r.Name, r.Tag, fmt.Sprintf(format, a...))
	}
	target, err := fields.TableOf(r.Target)
	if err != nil {
		return nil, fmt.Errorf("%w: %s.%s: %w", ErrInvalidRelation, typeName(owner.Type), r.Name, err)
	}
	if target.Name == "" {
		return nil, bad("%s has no table name", r.Target)
	}
	ri := &relInfo{rel: r, owner: owner, target: target,
		many:      r.Kind == fields.HasMany || r.Kind == fields.ManyToMany,
		afterScan: reflect.PointerTo(target.Type).Implements(afterScanType)}
	elem := r.Type
	if elem.Kind() == reflect.Slice {
		elem = elem.Elem()
	}
	ri.ptrElem = elem.Kind() == reflect.Pointer

	// field looks up a field of t by Go name, for the option opt.
	field := func(t *fields.Table, name, opt string) (*fields.Field, error) {
		if f, ok := t.FieldByName(name); ok {
			return f, nil
		}
		return nil, bad("%s field %s is not a column of %s", opt, name, typeName(t.Type))
	}
	// key is the field that a key refers to: references:Field, or else the
	// single-column primary key.
	key := func(t *fields.Table, references string) (*fields.Field, error) {
		if references != "" {
			return field(t, references, "references")
		}
		if len(t.PK) != 1 {
			return nil, bad("%s needs a one-column primary key (or references:Field), it has %d", typeName(t.Type), len(t.PK))
		}
		return t.PK[0], nil
	}
	switch r.Kind {
	case fields.BelongsTo:
		if ri.ownerKey, err = field(owner, r.FK, "fk"); err != nil {
			return nil, err
		}
		if ri.matchKey, err = key(target, r.References); err != nil {
			return nil, err
		}
	case fields.HasOne, fields.HasMany:
		if ri.ownerKey, err = key(owner, r.References); err != nil {
			return nil, err
		}
		if ri.matchKey, err = field(target, r.FK, "fk"); err != nil {
			return nil, err
		}
	case fields.ManyToMany:
		if ri.ownerKey, err = key(owner, r.References); err != nil {
			return nil, err
		}
		if ri.through, err = findThrough(owner, target, r.Through); err != nil {
			return nil, bad("%v", err)
		}
		if ri.matchKey, err = field(ri.through, r.FK, "fk"); err != nil {
			return nil, err
		}
		if ri.joinKey, err = field(ri.through, r.JoinFK, "join_fk"); err != nil {
			return nil, err
		}
		if ri.targetPK, err = key(target, ""); err != nil {
			return nil, err
		}
	default:
		return nil, bad("unknown relation kind %s", r.Kind)
	}
	v, _ := relInfos.LoadOrStore(r, ri)
	return v.(*relInfo), nil
}

// The registry of models known by type name, for through:Model.
var (
	registryMu sync.RWMutex
	registry   = map[string][]*fields.Table{}
)

// Register makes model types known by their type name, so that a
// many_to_many relation's through:Model can name them. Pass a value or a
// pointer of each model: orm.Register(Membership{}). A join model reachable
// through relations from either side of the many_to_many (say User has
// Memberships []Membership `rel:"has_many"`) is found without registering.
// Registering a type twice is harmless. Safe for concurrent use; register
// before building queries (e.g. in an init function).
func Register(models ...any) error {
	for _, m := range models {
		if m == nil {
			return fmt.Errorf("kinglet: orm: Register: nil model")
		}
		t, err := fields.Of(m)
		if err != nil {
			return err
		}
		if t.Name == "" {
			return fmt.Errorf("kinglet: orm: Register: %s has no table name", t.Type)
		}
		name := baseTypeName(t.Type)
		registryMu.Lock()
		if !slices.Contains(registry[name], t) {
			registry[name] = append(registry[name], t)
		}
		registryMu.Unlock()
	}
	return nil
}

// findThrough finds the join model called name: among registered models
// first, then among the models reachable through relations from owner and
// target. Several candidates are narrowed to those in owner's package.
func findThrough(owner, target *fields.Table, name string) (*fields.Table, error) {
	registryMu.RLock()
	cands := slices.Clone(registry[name])
	registryMu.RUnlock()
	if len(cands) == 0 {
		cands = reachable(name, owner.Type, target.Type)
	}
	if len(cands) > 1 {
		var same []*fields.Table
		for _, c := range cands {
			if c.Type.PkgPath() == owner.Type.PkgPath() {
				same = append(same, c)
			}
		}
		cands = same
	}
	switch len(cands) {
	case 0:
		return nil, fmt.Errorf("join model %s not found: register it with orm.Register(%s{}), or give one of the two models a relation to it", name, name)
	case 1:
		return cands[0], nil
	}
	return nil, fmt.Errorf("join model %s is ambiguous: several types of that name are registered", name)
}

// reachable walks the relation graph from the roots and returns the valid
// models whose type is called name.
func reachable(name string, roots ...reflect.Type) []*fields.Table {
	seen := map[reflect.Type]bool{}
	queue := slices.Clone(roots)
	var out []*fields.Table
	for len(queue) > 0 {
		rt := queue[0]
		queue = queue[1:]
		if seen[rt] {
			continue
		}
		seen[rt] = true
		t, err := fields.TableOf(rt)
		if err != nil {
			continue
		}
		if baseTypeName(rt) == name && t.Name != "" {
			out = append(out, t)
		}
		for _, r := range t.Relations {
			queue = append(queue, r.Target)
		}
	}
	return out
}

// loadNode is one relation to load, with the relations to load below it.
type loadNode struct {
	info *relInfo
	sub  []*loadNode
}

type loadPlanKey struct {
	t     *fields.Table
	names string
}

var loadPlans sync.Map // loadPlanKey -> []*loadNode

// planLoad resolves relation names (nested with dots) on t into a tree, in
// the order first named; a nested name implies its prefixes.
func planLoad(t *fields.Table, names []string) ([]*loadNode, error) {
	if len(names) == 0 {
		return nil, nil
	}
	key := loadPlanKey{t, strings.Join(names, "\x00")}
	if v, ok := loadPlans.Load(key); ok {
		return v.([]*loadNode), nil
	}
	var roots []*loadNode
	for _, name := range names {
		level, cur := &roots, t
		for part := range strings.SplitSeq(name, ".") {
			part = strings.TrimSpace(part)
			if part == "" {
				return nil, fmt.Errorf("%w: %s: empty name in %q", ErrUnknownRelation, typeName(t.Type), name)
			}
			var node *loadNode
			for _, n := range *level {
				if n.info.rel.Name == part {
					node = n
					break
				}
			}
			if node == nil {
				r, ok := cur.Relation(part)
				if !ok {
					return nil, unknownRelation(cur, part, name)
				}
				ri, err := resolveRel(cur, r)
				if err != nil {
					return nil, err
				}
				node = &loadNode{info: ri}
				*level = append(*level, node)
			}
			level, cur = &node.sub, node.info.target
		}
	}
	v, _ := loadPlans.LoadOrStore(key, roots)
	return v.([]*loadNode), nil
}

// relPath resolves a dotted relation path on t, for WhereHas.
func relPath(t *fields.Table, name string) ([]*relInfo, error) {
	var out []*relInfo
	cur := t
	for part := range strings.SplitSeq(name, ".") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("%w: %s: empty name in %q", ErrUnknownRelation, typeName(t.Type), name)
		}
		r, ok := cur.Relation(part)
		if !ok {
			return nil, unknownRelation(cur, part, name)
		}
		ri, err := resolveRel(cur, r)
		if err != nil {
			return nil, err
		}
		out = append(out, ri)
		cur = ri.target
	}
	return out, nil
}

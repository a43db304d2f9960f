package fields

import (
	"reflect"
	"strconv"
	"strings"
	"unsafe"
)

// RelKind is the shape of a relation between two models.
type RelKind uint8

// The relation kinds a rel tag can name.
const (
	BelongsTo  RelKind = iota + 1 // this model holds the key: Tweet.User via Tweet.UserID
	HasOne                        // the other model holds the key, one row: User.Profile via Profile.UserID
	HasMany                       // the other model holds the key, many rows: User.Tweets via Tweet.UserID
	ManyToMany                    // a join model holds both keys: Post.Tags via PostTag
)

var relKindNames = [...]string{
	BelongsTo:  "belongs_to",
	HasOne:     "has_one",
	HasMany:    "has_many",
	ManyToMany: "many_to_many",
}

// String returns the kind as spelled in a rel tag, e.g. "has_many".
func (k RelKind) String() string {
	if k > 0 && int(k) < len(relKindNames) {
		return relKindNames[k]
	}
	return "relkind(" + itoa(int(k)) + ")"
}

// Relation describes a field tagged rel:"KIND,options…": a related model that
// is loaded on request, never a column. Options name Go fields, not columns:
//
//	fk:Field          the key field: on this model for belongs_to (default <Name>ID),
//	                  on Target for has_one/has_many, on the join model for
//	                  many_to_many (default <ThisModel>ID)
//	references:Field  the field the key refers to (default: the primary key)
//	through:Model     many_to_many only, required: the join model's type name
//	join_fk:Field     many_to_many only: the join model's field referring to
//	                  Target (default <Target>ID)
type Relation struct {
	Name       string       // the Go field name
	Kind       RelKind      //
	Index      []int        // the reflect index path from the model struct
	Type       reflect.Type // the field's type: *S or S for one, []S or []*S for many
	Target     reflect.Type // the related struct type S
	FK         string
	References string
	Through    string
	JoinFK     string
	Tag        string // the rel tag as written

	acc accessor
}

// Addr returns the address of the relation field in the struct at structPtr
// (which must point to a value of the model type), allocating nil embedded
// pointers on the way. Convert it with reflect.NewAt(r.Type, p).
func (r *Relation) Addr(structPtr unsafe.Pointer) unsafe.Pointer { return r.acc.addr(structPtr, true) }

// parseRel parses a rel tag on field sf of model.
func parseRel(model reflect.Type, sf reflect.StructField, tag string) (*Relation, *tagError) {
	parts, terr := splitTag(tag)
	if terr != nil {
		return nil, terr
	}
	r := &Relation{Name: sf.Name, Type: sf.Type, Tag: tag}
	for k, n := range relKindNames {
		if n != "" && n == parts[0] {
			r.Kind = RelKind(k)
		}
	}
	if r.Kind == 0 {
		return nil, &tagError{tag, "unknown relation kind " + strconv.Quote(parts[0]) + " (want belongs_to, has_one, has_many or many_to_many)"}
	}
	many := r.Kind == HasMany || r.Kind == ManyToMany
	target, ok := relationTarget(sf.Type)
	if ok && (sf.Type.Kind() == reflect.Slice) != many {
		ok = false
	}
	if !ok {
		want := "a struct or pointer to struct"
		if many {
			want = "a slice of structs or of pointers to structs"
		}
		return nil, &tagError{tag, r.Kind.String() + " needs " + want + ", not " + sf.Type.String()}
	}
	r.Target = target
	seen := map[string]bool{}
	for _, p := range parts[1:] {
		key, val, _ := strings.Cut(p, ":")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		fail := func(msg string) (*Relation, *tagError) { return nil, &tagError{p, msg} }
		if seen[key] {
			return fail("option " + key + " is given twice")
		}
		seen[key] = true
		if val == "" {
			return fail(key + " needs a value: " + key + ":Field")
		}
		switch key {
		case "fk":
			r.FK = val
		case "references":
			r.References = val
		case "through", "join_fk":
			if r.Kind != ManyToMany {
				return fail(key + " applies to many_to_many only")
			}
			if key == "through" {
				r.Through = val
			} else {
				r.JoinFK = val
			}
		default:
			return fail("unknown relation option " + strconv.Quote(key))
		}
	}
	switch r.Kind {
	case BelongsTo:
		if r.FK == "" {
			r.FK = sf.Name + "ID"
		}
	case ManyToMany:
		if r.Through == "" {
			return nil, &tagError{tag, "many_to_many needs through:Model"}
		}
		if r.JoinFK == "" {
			r.JoinFK = baseName(target) + "ID"
		}
		fallthrough
	default:
		if r.FK == "" {
			r.FK = baseName(model) + "ID"
		}
	}
	return r, nil
}

// baseName is a type's name without type arguments: Page[int] -> Page.
func baseName(t reflect.Type) string {
	n := t.Name()
	if i := strings.IndexByte(n, '['); i >= 0 {
		n = n[:i]
	}
	return n
}

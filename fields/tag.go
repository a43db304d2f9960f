package fields

import (
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/internal/tagscan"
)

// Action is what a foreign key does when the referenced row is deleted or its
// key updated. The zero value means no action was given (the engine's default,
// which is "no action"). Its String form is a name for the dialect to map, not
// SQL text.
type Action uint8

// The foreign key actions a tag can name with on_delete: and on_update:.
const (
	ActionUnset Action = iota
	ActionNoAction
	ActionRestrict
	ActionCascade
	ActionSetNull
	ActionSetDefault
)

var actionNames = [...]string{
	ActionUnset:      "",
	ActionNoAction:   "no action",
	ActionRestrict:   "restrict",
	ActionCascade:    "cascade",
	ActionSetNull:    "set null",
	ActionSetDefault: "set default",
}

// String returns the action's lower-case name ("set null"), or "" when unset.
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "action(" + itoa(int(a)) + ")"
}

// parseAction accepts the names in any case, with words separated by spaces,
// underscores or hyphens: "set null", "SET_NULL", "set-null".
func parseAction(s string) (Action, bool) {
	norm := strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '_' || r == '-'
	}), " ")
	for a, name := range actionNames {
		if a != int(ActionUnset) && name == norm {
			return Action(a), true
		}
	}
	return ActionUnset, false
}

// option is one comma-separated element of a tag after the column name:
// key, or key:value (split at the first colon).
type option struct {
	raw    string
	key    string
	val    string
	hasVal bool
}

// tagError is a tag problem before the builder adds the model and field.
type tagError struct {
	option string
	msg    string
}

// splitTag splits a tag at commas that are outside parentheses and quotes, so
// that "check:status IN ('a','b')" and "type:numeric(10,2)" stay one option.
// Elements are trimmed of surrounding spaces.
func splitTag(tag string) ([]string, *tagError) {
	parts, at, early, ok := tagscan.Split(tag, ',')
	switch {
	case early:
		return nil, &tagError{strings.TrimSpace(tag[at:]), "unbalanced parenthesis"}
	case !ok:
		return nil, &tagError{strings.TrimSpace(tag[at:]), "unbalanced parenthesis or quote"}
	}
	return parts, nil
}

// parseDBTag splits a db tag into the column name (possibly empty) and its
// options. The name is everything before the first comma, taken as it is:
// quotes and parentheses in it are part of the name (db:"a\"b" is the column
// a"b), so a column name cannot contain a comma. Only the options are split
// with quotes and parentheses in mind.
func parseDBTag(tag string) (string, []option, *tagError) {
	name, rest, hasOpts := strings.Cut(tag, ",")
	name = strings.TrimSpace(name)
	if name == "-" && hasOpts {
		return "", nil, &tagError{tag, `"-" skips the field and takes no options`}
	}
	if !hasOpts {
		return name, nil, nil
	}
	parts, terr := splitTag(rest)
	if terr != nil {
		return "", nil, terr
	}
	opts := make([]option, 0, len(parts))
	for _, p := range parts {
		if p == "" {
			return "", nil, &tagError{tag, "empty option"}
		}
		key, val, hasVal := strings.Cut(p, ":")
		opts = append(opts, option{raw: p, key: strings.TrimSpace(key), val: strings.TrimSpace(val), hasVal: hasVal})
	}
	return name, opts, nil
}

// colSpec holds what the options say beyond the Field's own fields, until the
// table as a whole is assembled.
type colSpec struct {
	null, auto, noauto bool
	json, decimal      bool
	kind               Kind // from kind:NAME
	indexes            []indexRef
	fkTable, fkColumn  string
	fkName, checkName  string // fk_name:NAME, check_name:NAME
	onDelete, onUpdate Action
	raw                map[string]string // option key -> option as written

	wrap      bool // json on a type that does not hold JSON text: marshal it
	jsonBytes bool // json on a plain byte slice: bind it as text
	nominal   bool // the kind only stands in for a type: override
}

type indexRef struct {
	name   string // "" = the default name
	unique bool
	raw    string
}

// flagOptions are the options that take no value.
var flagOptions = map[string]bool{"pk": true, "auto": true, "noauto": true, "null": true, "unique": true, "json": true}

// apply records one option on f and s, checking only the option's own syntax;
// checks that depend on the field's kind come later, in resolve.
func (s *colSpec) apply(f *Field, o option) *tagError {
	fail := func(msg string) *tagError { return &tagError{o.raw, msg} }
	if s.raw == nil {
		s.raw = make(map[string]string, 4)
	}
	if _, dup := s.raw[o.key]; dup && o.key != "index" && o.key != "unique_index" {
		return fail("option " + o.key + " is given twice")
	}
	s.raw[o.key] = o.raw
	if flagOptions[o.key] && o.hasVal {
		return fail(o.key + " takes no value")
	}
	needValue := func(form string) *tagError {
		if !o.hasVal || o.val == "" {
			return fail(o.key + " needs a value: " + form)
		}
		return nil
	}
	switch o.key {
	case "pk":
		f.PK = true
	case "auto":
		s.auto = true
	case "noauto":
		s.noauto = true
	case "null":
		s.null = true
	case "json":
		s.json = true
	case "unique":
		s.indexes = append(s.indexes, indexRef{unique: true, raw: o.raw})
	case "index", "unique_index":
		if o.hasVal && o.val == "" {
			return fail("empty index name")
		}
		s.indexes = append(s.indexes, indexRef{name: o.val, unique: o.key == "unique_index", raw: o.raw})
	case "size":
		if err := needValue("size:N"); err != nil {
			return err
		}
		n, err := strconv.Atoi(o.val)
		if err != nil || n <= 0 {
			return fail("size must be a positive integer")
		}
		f.Size = n
	case "decimal":
		if err := needValue("decimal:P or decimal:P:S"); err != nil {
			return err
		}
		p, sc, ok := parseDecimal(o.val)
		if !ok {
			return fail("decimal needs decimal:P or decimal:P:S with 1 <= P <= 1000 and 0 <= S <= P")
		}
		s.decimal, f.Precision, f.Scale = true, p, sc
	case "kind":
		if err := needValue("kind:NAME"); err != nil {
			return err
		}
		k, ok := kindByName(o.val)
		if !ok {
			return fail("unknown kind " + strconv.Quote(o.val))
		}
		s.kind = k
	case "type":
		if err := needValue("type:SQL"); err != nil {
			return err
		}
		f.SQLType = o.val
	case "default":
		if !o.hasVal {
			return fail("default needs a value: default:VALUE")
		}
		f.HasDefault, f.Default = true, unquote(o.val)
		f.DefaultNow = o.val == "now"
	case "check":
		if err := needValue("check:EXPR"); err != nil {
			return err
		}
		f.Check = o.val
	case "fk":
		if err := needValue("fk:table.column"); err != nil {
			return err
		}
		table, column, ok := strings.Cut(o.val, ".")
		if !ok || table == "" || column == "" || strings.Contains(column, ".") {
			return fail("fk needs fk:table.column")
		}
		s.fkTable, s.fkColumn = table, column
	case "fk_name", "check_name":
		if err := needValue(o.key + ":NAME"); err != nil {
			return err
		}
		if o.key == "fk_name" {
			s.fkName = o.val
		} else {
			s.checkName = o.val
		}
	case "on_delete", "on_update":
		if err := needValue(o.key + ":ACTION"); err != nil {
			return err
		}
		a, ok := parseAction(o.val)
		if !ok {
			return fail("unknown action " + strconv.Quote(o.val) + " (want cascade, restrict, set null, set default or no action)")
		}
		if o.key == "on_delete" {
			s.onDelete = a
		} else {
			s.onUpdate = a
		}
	default:
		return fail("unknown option " + strconv.Quote(o.key))
	}
	return nil
}

// parseDecimal parses "P" or "P:S".
func parseDecimal(v string) (precision, scale int, ok bool) {
	ps, ss, hasScale := strings.Cut(v, ":")
	p, err := strconv.Atoi(ps)
	if err != nil || p < 1 || p > 1000 {
		return 0, 0, false
	}
	if hasScale {
		s, err := strconv.Atoi(ss)
		if err != nil || s < 0 || s > p {
			return 0, 0, false
		}
		return p, s, true
	}
	return p, 0, true
}

// unquote strips one pair of single quotes and undoubles inner quotes, so that
// a default may contain a comma: default:'a,b'.
func unquote(v string) string {
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	return v
}

func kindByName(name string) (Kind, bool) {
	for k, n := range kindNames {
		if k != int(KindInvalid) && n == name {
			return Kind(k), true
		}
	}
	return KindInvalid, false
}

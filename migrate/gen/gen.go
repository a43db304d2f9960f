package gen

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// ErrInvalid marks input Models cannot write: a nil schema or dialect, a
// package name that is not a Go identifier, a table or column without a
// name. Check it with errors.Is.
var ErrInvalid = errors.New("kinglet: gen: invalid input")

// Models writes Go source for package pkg with one model struct per table
// of s, whose db tags describe the same schema again: schema.FromModels of
// the structs gives back s's tables, so that the diff of the models against
// the database they were read from is empty (kinglet gen models runs it on
// schema.Inspect's result). d is the engine s was read from: it decides the
// Go types, since the same SQL type name means different things per engine
// (INTEGER is 64 bits on SQLite, 32 on PostgreSQL).
//
// Struct names are the singular CamelCase of the table (order_items ->
// OrderItem) and fields the CamelCase of the column with Go's initialisms
// (user_id -> UserID); a struct whose table name is not the snake_case
// plural of its name gets a TableName method. Nullable columns are pointers
// ([]byte with the null option); decimals are strings; a type the Go type
// would not map back to is kept with type:SQL. The names of indexes,
// unique constraints, foreign keys and checks are kept (index:NAME,
// unique_index:NAME, fk_name:NAME, check_name:NAME) unless they are the
// names the tags derive; a foreign key over several columns is an fk_name
// shared by its columns.
//
// Each foreign key to a table of s also becomes relation fields, loaded on
// request (orm's Load): belongs_to on the table that holds the key (Tweet.User),
// has_many on the table it refers to (User.Tweets), has_one when the key
// is unique. A pure join table (two one-column foreign keys and nothing
// else) gives many_to_many on both sides (Post.Tags through PostTag).
// Views (schema.Table.View) are structs without relations, left out of
// the Models variable that lists the tables' models for diff and cli.App.
//
// What a tag cannot say (a partial index, an index on expressions or with
// columns out of field order, a default that is an expression) is left in
// a comment. The source is gofmt'ed.
func Models(s *schema.Schema, d dialect.Dialect, pkg string) ([]byte, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: nil schema", ErrInvalid)
	}
	if d == nil {
		return nil, fmt.Errorf("%w: nil dialect", ErrInvalid)
	}
	if !token.IsIdentifier(pkg) || token.IsKeyword(pkg) || pkg == "_" {
		return nil, fmt.Errorf("%w: package name %q is not a Go identifier", ErrInvalid, pkg)
	}
	structs := make([]*genStruct, 0, len(s.Tables))
	typeNames := genNames{modelsVar: true}
	usesTime := false
	for i, t := range s.Tables {
		if t == nil || t.Name == "" {
			return nil, fmt.Errorf("%w: table %d has no name", ErrInvalid, i+1)
		}
		if len(t.Columns) == 0 {
			return nil, fmt.Errorf("%w: table %s has no columns", ErrInvalid, t.Name)
		}
		gs, err := genTable(t, d, typeNames)
		if err != nil {
			return nil, err
		}
		for _, f := range gs.fields {
			usesTime = usesTime || strings.Contains(f.typ, "time.Time")
		}
		structs = append(structs, gs)
	}
	genRelations(structs)

	var b bytes.Buffer
	fmt.Fprintf(&b, "// Package %s holds the models kinglet gen models wrote for the tables of\n", pkg)
	fmt.Fprintf(&b, "// a %s database. Edit them freely: they are a starting point.\n", d.Name())
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	if usesTime {
		b.WriteString("import \"time\"\n\n")
	}
	var tables []string
	for _, gs := range structs {
		if !gs.t.View {
			tables = append(tables, "&"+gs.name+"{}")
		}
	}
	fmt.Fprintf(&b, "// %s are the models of the tables, for diff and cli.App's Models.\n", modelsVar)
	fmt.Fprintf(&b, "var %s = []any{%s}\n\n", modelsVar, strings.Join(tables, ", "))
	for _, gs := range structs {
		gs.write(&b)
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("kinglet: gen: format the source: %w", err)
	}
	return src, nil
}

// modelsVar is the variable listing the models.
const modelsVar = "Models"

// genStruct is one model struct to write.
type genStruct struct {
	t           *schema.Table
	name, table string
	tableName   bool     // write a TableName method
	notes       []string // what the tags cannot say
	fields      []genField
	rels        []genField        // relation fields
	names       genNames          // the struct's field names, taken
	byColumn    map[string]string // column -> Go field name
	keyed       map[string]bool   // the columns given an fk: option
}

type genField struct {
	name, typ, tag string
	notes          []string
}

func (gs *genStruct) write(b *bytes.Buffer) {
	what := "a row of table"
	if gs.t.View {
		what = "a row of view"
	}
	fmt.Fprintf(b, "// %s is %s %s.\n", gs.name, what, genOneLine(gs.table))
	fmt.Fprintf(b, "type %s struct {\n", gs.name)
	// The notes go inside the struct: gofmt would rewrite the SQL quotes
	// in a doc comment ('' becomes a typographic quote).
	if gs.t.View {
		b.WriteString("\t// A view: read it with orm.Select; leave it out of the models diff compares.\n\n")
	}
	if len(gs.notes) > 0 {
		b.WriteString("\t// Not described by the tags:\n")
		for _, n := range gs.notes {
			fmt.Fprintf(b, "\t//   - %s\n", genOneLine(n))
		}
		b.WriteString("\n")
	}
	for _, f := range gs.fields {
		for _, n := range f.notes {
			fmt.Fprintf(b, "\t// %s\n", genOneLine(n))
		}
		fmt.Fprintf(b, "\t%s %s %s\n", f.name, f.typ, f.tag)
	}
	if len(gs.rels) > 0 {
		b.WriteString("\n\t// Relations, loaded on request (Load, LoadRelations).\n")
		for _, f := range gs.rels {
			fmt.Fprintf(b, "\t%s %s %s\n", f.name, f.typ, f.tag)
		}
	}
	b.WriteString("}\n\n")
	if gs.tableName {
		fmt.Fprintf(b, "// TableName is the table of %s: not %s, the plural of its name.\n", gs.name, fields.Plural(fields.SnakeCase(gs.name)))
		fmt.Fprintf(b, "func (%s) TableName() string { return %s }\n\n", gs.name, strconv.Quote(gs.table))
	}
}

// genOneLine keeps a comment on one line.
func genOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func genTable(t *schema.Table, d dialect.Dialect, typeNames genNames) (*genStruct, error) {
	t = genFieldOrder(t)
	gs := &genStruct{t: t, table: t.Name, names: genNames{}, byColumn: map[string]string{}, keyed: map[string]bool{}}
	base := genExportedName(genSingular(t.Name))
	if base == "" {
		base = "Table"
	}
	gs.name = typeNames.unique(base)
	gs.tableName = fields.Plural(fields.SnakeCase(gs.name)) != t.Name

	if gs.tableName {
		gs.names["TableName"] = true
	}
	opts := make([][]string, len(t.Columns)) // tag options after the column name, per column
	notes := make([][]string, len(t.Columns))
	types := make([]string, len(t.Columns))
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Name == "" {
			return gs, fmt.Errorf("%w: table %s: column %d has no name", ErrInvalid, t.Name, i+1)
		}
		typ, o, n := genColumn(t, c, d)
		types[i], opts[i], notes[i] = typ, o, n
	}
	col := func(name string) int {
		return slices.IndexFunc(t.Columns, func(c schema.Column) bool { return c.Name == name })
	}
	gs.notes = append(gs.notes, genIndexes(t, col, opts)...)
	gs.notes = append(gs.notes, genForeignKeys(t, col, opts)...)
	gs.notes = append(gs.notes, genChecks(t, opts)...)
	for i, c := range t.Columns {
		name := genExportedName(c.Name)
		if name == "" {
			name = "Column" + strconv.Itoa(i+1)
		}
		tag := strings.Join(append([]string{c.Name}, opts[i]...), ",")
		f := genField{
			name:  gs.names.unique(name),
			typ:   types[i],
			tag:   genStructTag(tag),
			notes: notes[i],
		}
		gs.byColumn[c.Name] = f.name
		gs.keyed[c.Name] = slices.ContainsFunc(opts[i], func(o string) bool { return strings.HasPrefix(o, "fk:") })
		gs.fields = append(gs.fields, f)
	}
	return gs, nil
}

// genFieldOrder is t with the primary key's columns in key order (tags
// make a composite key of the pk fields in field order), each in the place
// of one of them; the other columns keep their places.
func genFieldOrder(t *schema.Table) *schema.Table {
	var at []int
	for i, c := range t.Columns {
		if slices.Contains(t.PrimaryKey, c.Name) {
			at = append(at, i)
		}
	}
	if len(at) != len(t.PrimaryKey) {
		return t
	}
	out := *t
	out.Columns = slices.Clone(t.Columns)
	for k, name := range t.PrimaryKey {
		out.Columns[at[k]] = *t.Column(name)
	}
	return &out
}

// genStructTag writes `db:"…"`, or a quoted string when the tag holds a
// backquote.
func genStructTag(db string) string { return genTag("db:" + strconv.Quote(db)) }

// genTag writes a struct tag in backquotes, or as a quoted string when it
// holds a backquote.
func genTag(tag string) string {
	if strings.Contains(tag, "`") {
		return strconv.Quote(tag)
	}
	return "`" + tag + "`"
}

// genColumn chooses the Go type and the tag options that describe c itself
// (key, null, type, default); indexes, foreign keys and checks come later.
func genColumn(t *schema.Table, c *schema.Column, d dialect.Dialect) (typ string, opts, notes []string) {
	inPK := slices.Contains(t.PrimaryKey, c.Name)
	ct, exact := genKindOf(d, c, genIsKey(t, c.Name))
	typ = genGoTypes[ct.Kind]
	if inPK {
		opts = append(opts, "pk")
		if len(t.PrimaryKey) == 1 && ct.Kind.IsInteger() {
			if c.AutoIncrement {
				opts = append(opts, "auto")
			} else {
				opts = append(opts, "noauto")
			}
		} else if c.AutoIncrement {
			notes = append(notes, "auto-increment: a tag can only say so for a single-column integer primary key")
		}
	} else if c.AutoIncrement {
		notes = append(notes, "auto-increment outside the primary key: a tag cannot say so")
	}
	if c.Nullable && !inPK {
		if typ == "[]byte" {
			opts = append(opts, "null")
		} else {
			typ = "*" + typ
		}
	}
	if (ct.Kind == fields.KindString || ct.Kind == fields.KindBytes) && ct.Size > 0 {
		opts = append(opts, "size:"+strconv.Itoa(ct.Size))
	}
	switch ct.Kind {
	case fields.KindDecimal:
		opts = append(opts, "decimal:"+strconv.Itoa(ct.Precision)+":"+strconv.Itoa(ct.Scale))
	case fields.KindDate, fields.KindJSON, fields.KindUUID:
		opts = append(opts, "kind:"+ct.Kind.String())
	}
	switch {
	case !exact && c.Type != "":
		opts = append(opts, "type:"+c.Type)
	case !exact && !t.View:
		notes = append(notes, "no declared type (SQLite allows that); kinglet's CREATE TABLE gives it "+typ)
	}
	if c.HasDefault && !t.View {
		if v, ok := genTagDefault(d, ct.Kind, c.Default); ok {
			opts = append(opts, "default:"+v)
		} else if !c.AutoIncrement {
			notes = append(notes, "DEFAULT "+c.Default+": an expression, which a default: tag cannot hold")
		}
	}
	return typ, opts, notes
}

// genGoTypes are the Go types of each kind, for a NOT NULL column.
var genGoTypes = map[fields.Kind]string{
	fields.KindBool: "bool", fields.KindInt8: "int8", fields.KindInt16: "int16", fields.KindInt32: "int32",
	fields.KindInt64: "int64", fields.KindUint8: "uint8", fields.KindUint16: "uint16", fields.KindUint32: "uint32",
	fields.KindUint64: "uint64", fields.KindFloat32: "float32", fields.KindFloat64: "float64",
	fields.KindDecimal: "string", fields.KindString: "string", fields.KindBytes: "[]byte",
	fields.KindTime: "time.Time", fields.KindDate: "time.Time", fields.KindJSON: "string", fields.KindUUID: "string",
}

// genIsKey reports whether column name is in the primary key, an index or a
// foreign key: some engines type such columns differently (MySQL's
// VARCHAR(255) for an unbounded string).
func genIsKey(t *schema.Table, name string) bool {
	if slices.Contains(t.PrimaryKey, name) {
		return true
	}
	for _, ix := range t.Indexes {
		if slices.Contains(ix.Columns, name) {
			return true
		}
	}
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Columns, name) {
			return true
		}
	}
	return false
}

// genKindOf finds the column type whose d.TypeName is c's type, so that the
// Go type maps back to it; exact is false when none does, and the Go type
// is then guessed from the type name (as SQLite's affinity rules do).
func genKindOf(d dialect.Dialect, c *schema.Column, key bool) (ct fields.ColumnType, exact bool) {
	got := schema.NormalizeType(d, c.Type)
	base, args, _ := strings.Cut(got, "(")
	var nums []int
	if args != "" {
		for _, a := range strings.Split(strings.TrimSuffix(args[:strings.IndexByte(args+")", ')')], ")"), ",") {
			n, err := strconv.Atoi(strings.TrimSpace(a))
			if err != nil {
				nums = nil
				break
			}
			nums = append(nums, n)
		}
	}
	arg := func(i int) int {
		if i < len(nums) {
			return nums[i]
		}
		return 0
	}
	cands := []fields.ColumnType{
		{Kind: fields.KindBool},
		{Kind: fields.KindInt64}, {Kind: fields.KindInt32}, {Kind: fields.KindInt16}, {Kind: fields.KindInt8},
		{Kind: fields.KindFloat64}, {Kind: fields.KindFloat32},
		{Kind: fields.KindDecimal, Precision: arg(0), Scale: arg(1)},
		{Kind: fields.KindString, Size: arg(0)},
		{Kind: fields.KindBytes, Size: arg(0)},
		{Kind: fields.KindTime}, {Kind: fields.KindDate},
		{Kind: fields.KindUint64}, {Kind: fields.KindUint32}, {Kind: fields.KindUint16}, {Kind: fields.KindUint8},
	}
	// JSON and UUID columns are TEXT or CHAR(36) on some engines: only a
	// type that says so is taken for one.
	if strings.Contains(base, "json") {
		cands = append([]fields.ColumnType{{Kind: fields.KindJSON}}, cands...)
	}
	if strings.Contains(base, "uuid") {
		cands = append([]fields.ColumnType{{Kind: fields.KindUUID}}, cands...)
	}
	for _, ct := range cands {
		ct.Key, ct.AutoInc = key, c.AutoIncrement
		if ct.Kind == fields.KindDecimal && ct.Precision == 0 {
			continue // decimal: needs a precision
		}
		name, err := d.TypeName(ct)
		if err == nil && schema.NormalizeType(d, name) == got {
			return ct, true
		}
	}
	return fields.ColumnType{Kind: genAffinity(base), Size: 0}, false
}

// genAffinity guesses the kind of a type no kind maps to, by the words in its
// name, the way SQLite gives a declared type its affinity.
func genAffinity(base string) fields.Kind {
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(base, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("bool"):
		return fields.KindBool
	case has("int", "serial"):
		return fields.KindInt64
	case has("char", "text", "clob", "string", "enum", "set"):
		return fields.KindString
	case has("blob", "binary", "bytea"):
		return fields.KindBytes
	case has("real", "floa", "doub"):
		return fields.KindFloat64
	case has("date", "timestamp"):
		return fields.KindTime
	}
	return fields.KindString // numeric, decimal, time of day, intervals…: their text
}

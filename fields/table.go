package fields

import (
	"reflect"
	"strings"
	"sync"
)

// Table describes one model struct: its table name, columns, keys, indexes,
// constraints and relations. A Table is built once per struct type by TableOf
// and shared; treat it and everything it points to as read-only.
type Table struct {
	// Name is the table name: the model's TableName() method if it has one
	// (on a value or pointer receiver), else the snake_case plural of the type
	// name (User -> users, OrderItem -> order_items). Empty for an unnamed
	// struct type, which can still describe query results.
	Name string
	// Type is the struct type (never a pointer).
	Type reflect.Type
	// Fields are the columns in declaration order, embedded structs flattened
	// in place.
	Fields []*Field
	// PK are the primary key columns in declaration order; empty if none.
	PK []*Field
	// Auto is the auto-increment primary key column, or nil.
	Auto *Field
	// Indexes are the indexes and unique constraints, in the order their
	// first column appears. Unnamed ones are called idx_<table>_<column> and
	// uq_<table>_<column>.
	Indexes []Index
	// ForeignKeys are the fk: references, in field order.
	ForeignKeys []ForeignKey
	// Checks are the check: expressions, in field order.
	Checks []string
	// CheckNames are their names, one per check: check_name:NAME, or
	// ck_<table>_<n> for the n-th check.
	CheckNames []string
	// Relations are the rel-tagged fields, in declaration order.
	Relations []*Relation

	columns  []string
	byColumn map[string]*Field
	byName   map[string]*Field
	relByNm  map[string]*Relation
}

// Field describes one column of a model.
type Field struct {
	GoName string       // the Go field name (as promoted, for an embedded struct's field)
	Column string       // the column name
	Index  []int        // the reflect index path from the model struct, through embedded structs
	Type   reflect.Type // the field's Go type
	Tag    string       // the db tag as written

	// Kind is the storage class. For a Scanner/Valuer type with no basic
	// kind that only has a type: override, it is KindString, nominally.
	Kind      Kind
	Size      int // size:N for strings and bytes; 0 = unbounded
	Precision int // decimal:P:S
	Scale     int

	Nullable bool // a pointer, sql.Null*, or the null option; never for a primary key
	PK       bool // part of the primary key
	Auto     bool // the auto-increment primary key
	Unique   bool // unique on its own: the unique option or a one-column unique_index
	Indexed  bool // part of some index or unique constraint

	Default    string // default:VALUE, unquoted; a value of the column's kind, not SQL
	HasDefault bool
	DefaultNow bool   // default:now, the current timestamp
	SQLType    string // type:SQL, a column type the dialect writes verbatim
	Check      string // check:EXPR, SQL written verbatim into a CHECK constraint
	FK         *ForeignKey

	acc  accessor
	conv conv
}

// Index is an index or a unique constraint over one or more columns.
type Index struct {
	Name    string
	Columns []string // in field order
	Unique  bool
}

// ForeignKey is a reference from columns of this table to columns of another.
type ForeignKey struct {
	// Name is fk_name:NAME, or fk_<table>_<column>. Fields that share an
	// fk_name form one key over several columns, in field order.
	Name       string
	Columns    []string
	RefTable   string
	RefColumns []string
	OnDelete   Action
	OnUpdate   Action
}

// ColumnType returns what a dialect needs to choose f's SQL type. Key is set
// for columns in a primary key, unique constraint, index or foreign key,
// because some engines cannot index unbounded text.
func (f *Field) ColumnType() ColumnType {
	return ColumnType{
		Kind:      f.Kind,
		Size:      f.Size,
		Precision: f.Precision,
		Scale:     f.Scale,
		AutoInc:   f.Auto,
		Key:       f.PK || f.Unique || f.Indexed || f.FK != nil,
	}
}

// FieldByColumn returns the field stored in column name. An exact match is
// preferred; otherwise the match ignores case, as engines fold names.
func (t *Table) FieldByColumn(name string) (*Field, bool) {
	if f, ok := t.byColumn[name]; ok {
		return f, true
	}
	for _, f := range t.Fields {
		if strings.EqualFold(f.Column, name) {
			return f, true
		}
	}
	return nil, false
}

// FieldByName returns the column field with Go name goName (a promoted name
// for fields of embedded structs).
func (t *Table) FieldByName(goName string) (*Field, bool) {
	f, ok := t.byName[goName]
	return f, ok
}

// Relation returns the relation field with Go name goName.
func (t *Table) Relation(goName string) (*Relation, bool) {
	r, ok := t.relByNm[goName]
	return r, ok
}

// Columns returns the column names in field order. The slice is shared: do
// not modify it.
func (t *Table) Columns() []string { return t.columns }

type cached struct {
	table *Table
	err   error
}

var tables sync.Map // reflect.Type -> *cached

// TableOf returns the metadata of struct type t (or *t), building it on first
// use and caching it, errors included, for every later call. Bad tags and
// unsupported types are reported here, as an *Error wrapping ErrBadTag,
// ErrUnsupportedType or ErrInvalidModel. Safe for concurrent use; every call
// for one type returns the same *Table.
func TableOf(t reflect.Type) (*Table, error) {
	if t == nil {
		return nil, &Error{Model: "<nil>", Msg: "a model must be a struct or a pointer to a struct", Err: ErrInvalidModel}
	}
	if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		t = t.Elem()
	}
	if c, ok := tables.Load(t); ok {
		c := c.(*cached)
		return c.table, c.err
	}
	table, err := build(t)
	c, _ := tables.LoadOrStore(t, &cached{table, err})
	return c.(*cached).table, c.(*cached).err
}

// TableFor returns the metadata of model type T, a struct or pointer to struct.
func TableFor[T any]() (*Table, error) {
	return TableOf(reflect.TypeFor[T]())
}

// Of returns the metadata of model's type; model is a struct value or a
// pointer to one.
func Of(model any) (*Table, error) {
	return TableOf(reflect.TypeOf(model))
}

// Package fields turns Go model structs into table metadata: columns, keys,
// indexes and the kinds of their values. It knows nothing of SQL text; the
// dialect package maps each Kind to an engine's type name.
//
//	type User struct {
//		ID    int64                 `db:"id,pk"` // integer pk: auto-increment
//		Name  string                `db:"name,unique,size:64"`
//		Email *string               // nullable, column "email"
//		Tags  fields.JSON[[]string] `db:"tags"`
//	}
//	t, err := fields.TableFor[User]()  // parsed once, cached; bad tags are an error here
//	t.Name                             // "users"
//	f, _ := t.FieldByColumn("name")    // f.Kind == KindString, f.ColumnType() for the dialect
//	p, _ := t.Pointer(&u)              // then f.Ptr(p) for rows.Scan, f.Value(p) for binding
//
// # Tags
//
// One tag, db:"column,option,…". An empty column name (db:",pk") or no tag
// takes the snake_case of the field name; db:"-" skips the field. The column
// name is everything before the first comma, as written (spaces around it
// trimmed): quotes and parentheses in it are part of the name, so
// db:"say \"hi\"" is the column say "hi". A column name cannot contain a
// comma (what follows one is taken as options). Options:
//
//	pk                      part of the primary key (several make a composite key)
//	auto, noauto            a single integer pk is auto-increment unless noauto;
//	                        auto forces it, and is an error on a composite key
//	null                    nullable (pointers, sql.Null* and sql.Null[T] are already)
//	unique                  a unique constraint, uq_<table>_<column>
//	index, index:NAME       an index, idx_<table>_<column> or NAME; fields sharing
//	unique_index[:NAME]     a NAME form one multi-column index, in field order
//	size:N                  maximum length of a string or bytes column
//	decimal:P, decimal:P:S  an exact numeric of precision P and scale S (KindDecimal)
//	kind:NAME               the Kind by name (uuid, date, json, …), where the Go type allows
//	type:SQL                a column type the dialect writes verbatim
//	json                    store the value as JSON text via encoding/json (KindJSON)
//	default:VALUE           a default value of the column's kind; default:now is the
//	                        current timestamp; 'quoted' values may hold commas
//	fk:table.column         a foreign key; with on_delete:ACTION and on_update:ACTION,
//	                        ACTION one of cascade, restrict, set null, set default,
//	                        no action (set_null and SET-NULL spellings work too)
//	fk_name:NAME            the foreign key's name (default fk_<table>_<column>); fields
//	                        sharing an fk_name form one key over several columns, in
//	                        field order, all referring to one table
//	check:EXPR              a CHECK constraint, SQL written verbatim
//	check_name:NAME         the check's name (default ck_<table>_<n>)
//
// A derived name (uq_, idx_, fk_, ck_<table>_<n>) longer than 63 bytes, the
// limit of PostgreSQL (which cuts longer names) and under MySQL's 64 (which
// refuses them), keeps its start and ends in a hash of the whole name: see
// ShortName. A NAME given in a tag is used as it is.
//
// Commas separate options except inside parentheses or quotes, so
// check:status IN ('a','b') and type:numeric(10,2) are one option each;
// quotes and parentheses in the options must balance.
//
// A field with rel:"belongs_to|has_one|has_many|many_to_many,…" is a Relation,
// not a column; see Relation for its options.
//
// # Types
//
// Integers (int and uint are 64-bit), floats, bool, string, []byte, time.Time,
// pointers to these (nullable), sql.Null* and sql.Null[T] (nullable), named
// types by their underlying kind (type Status string), JSON[T], and types
// implementing sql.Scanner and driver.Valuer: a 16-byte array such as a UUID is
// KindUUID, other such types (decimal.Decimal) need kind:, decimal:, json or
// type: to say what they store. Embedded structs are flattened into their
// fields, unless they are such value types. Anything else is an error wrapping
// ErrUnsupportedType, unless skipped with db:"-".
//
// # Values
//
// Field.Value gives a field's bind argument: a nil []byte in a column that
// is not nullable binds as an empty one (drivers send nil as NULL, and an
// empty BLOB reads back as nil). Field.Arg converts a loose value (for a
// bulk UPDATE … SET) to the same, or refuses it with an error wrapping
// ErrInvalidValue when its Go type does not convert to the field's without
// loss.
package fields

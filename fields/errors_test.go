package fields_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/kingletdb/kinglet/fields"
)

type BadSize struct {
	Age int `db:"age,size:abc"`
}

type NoColumns struct {
	Skip   string `db:"-"`
	hidden int    //nolint:unused // unexported: ignored
}

type OnlyRelations struct {
	Posts []Post `rel:"has_many"`
}

type DupColumns struct {
	A string `db:"name"`
	B string `db:"NAME"`
}

type DupEmbedded struct {
	Base
	Other string `db:"note"`
}

type Node struct {
	ID int64 `db:"id,pk"`
	*Node
}

type TaggedEmbedded struct {
	Base `db:"base"`
}

type RelEmbedded struct {
	Base `rel:"has_one"`
}

type TaggedUnexported struct {
	ID   int64  `db:"id"`
	name string `db:"name"` //nolint:unused // the mistake under test
}

type RelAndColumn struct {
	ID     int64   `db:"id"`
	Author *Author `db:"author" rel:"belongs_to"`
}

type CompositeAuto struct {
	A int64 `db:"a,pk,auto"`
	B int64 `db:"b,pk"`
}

type PanickyName struct {
	ID  int64 `db:"id"`
	ptr *int  //nolint:unused // dereferenced by TableName
}

func (p PanickyName) TableName() string { return "x" + string(rune(*p.ptr)) }

type EmptyName struct {
	ID int64 `db:"id"`
}

func (EmptyName) TableName() string { return "" }

type IndexUniqueClash struct {
	A string `db:"a,index:ix"`
	B string `db:"b,unique_index:ix"`
}

type IndexTwice struct {
	A string `db:"a,index:ix,index:ix"`
}

type BelongsMissingFK struct {
	ID     int64   `db:"id"`
	Author *Author `rel:"belongs_to"`
}

type RelBadKind struct {
	ID int64   `db:"id"`
	X  *Author `rel:"owns"`
}

type RelOneOnSlice struct {
	ID int64    `db:"id"`
	X  []Author `rel:"belongs_to"`
}

type RelManyOnPointer struct {
	ID int64   `db:"id"`
	X  *Author `rel:"has_many"`
}

type RelOnScalar struct {
	ID int64 `db:"id"`
	X  int   `rel:"has_one"`
}

type RelNoThrough struct {
	ID int64    `db:"id"`
	X  []Author `rel:"many_to_many"`
}

type RelThroughOnHasMany struct {
	ID int64    `db:"id"`
	X  []Author `rel:"has_many,through:T"`
}

type RelUnknownOption struct {
	ID int64    `db:"id"`
	X  []Author `rel:"has_many,order:id"`
}

type RelEmptyOption struct {
	ID int64    `db:"id"`
	X  []Author `rel:"has_many,fk:"`
}

type RelDupOption struct {
	ID int64    `db:"id"`
	X  []Author `rel:"has_many,fk:A,fk:B"`
}

type UntaggedRelation struct {
	ID    int64  `db:"id"`
	Posts []Post // neither rel nor db:"-"
}

type EmbeddedBad struct {
	ID int64 `db:"id"`
	Inner
}

type Inner struct {
	Size string `db:"size,size:-1"`
}

func TestModelErrors(t *testing.T) {
	tests := []struct {
		typ      reflect.Type
		sentinel error
		msg      string
	}{
		{reflect.TypeFor[BadSize](), fields.ErrBadTag, `kinglet: fields: BadSize.Age: tag "size:abc": size must be a positive integer`},
		{reflect.TypeFor[int](), fields.ErrInvalidModel, `kinglet: fields: int: a model must be a struct or a pointer to a struct`},
		{reflect.TypeFor[**Account](), fields.ErrInvalidModel, `kinglet: fields: **fields_test.Account: a model must be a struct or a pointer to a struct`},
		{reflect.TypeFor[[]Account](), fields.ErrInvalidModel, `kinglet: fields: []fields_test.Account: a model must be a struct or a pointer to a struct`},
		{reflect.TypeFor[NoColumns](), fields.ErrInvalidModel, `kinglet: fields: NoColumns: no columns`},
		{reflect.TypeFor[OnlyRelations](), fields.ErrInvalidModel, `kinglet: fields: OnlyRelations: no columns`},
		{reflect.TypeFor[DupColumns](), fields.ErrInvalidModel, `kinglet: fields: DupColumns.B: column NAME is also the column of A`},
		{reflect.TypeFor[DupEmbedded](), fields.ErrInvalidModel, `kinglet: fields: DupEmbedded.Other: column note is also the column of Base.Note`},
		{reflect.TypeFor[Node](), fields.ErrInvalidModel, `kinglet: fields: Node.Node: embeds fields_test.Node within itself`},
		{reflect.TypeFor[TaggedEmbedded](), fields.ErrBadTag, `kinglet: fields: TaggedEmbedded.Base: tag "base": an embedded struct is flattened into columns; its only db tag is "-"`},
		{reflect.TypeFor[RelEmbedded](), fields.ErrBadTag, `kinglet: fields: RelEmbedded.Base: tag "has_one": an embedded struct cannot be a relation`},
		{reflect.TypeFor[TaggedUnexported](), fields.ErrBadTag, `kinglet: fields: TaggedUnexported.name: tag "name": an unexported field cannot be mapped`},
		{reflect.TypeFor[RelAndColumn](), fields.ErrBadTag, `kinglet: fields: RelAndColumn.Author: tag "author": a relation is not a column: tag it db:"-" or not at all`},
		{reflect.TypeFor[CompositeAuto](), fields.ErrBadTag, `kinglet: fields: CompositeAuto.A: tag "auto": a composite primary key cannot be auto-increment`},
		{reflect.TypeFor[PanickyName](), fields.ErrInvalidModel, `kinglet: fields: PanickyName: TableName panicked on a zero value: runtime error: invalid memory address or nil pointer dereference`},
		{reflect.TypeFor[EmptyName](), fields.ErrInvalidModel, `kinglet: fields: EmptyName: TableName returned an empty name`},
		{reflect.TypeFor[IndexUniqueClash](), fields.ErrBadTag, `kinglet: fields: IndexUniqueClash.B: tag "unique_index:ix": index ix is declared both unique and not unique`},
		{reflect.TypeFor[IndexTwice](), fields.ErrBadTag, `kinglet: fields: IndexTwice.A: tag "index:ix": column a is already in index ix`},
		{reflect.TypeFor[BelongsMissingFK](), fields.ErrBadTag, `kinglet: fields: BelongsMissingFK.Author: tag "belongs_to": fk field AuthorID is not a column of BelongsMissingFK`},
		{reflect.TypeFor[RelBadKind](), fields.ErrBadTag, `kinglet: fields: RelBadKind.X: tag "owns": unknown relation kind "owns" (want belongs_to, has_one, has_many or many_to_many)`},
		{reflect.TypeFor[RelOneOnSlice](), fields.ErrBadTag, `kinglet: fields: RelOneOnSlice.X: tag "belongs_to": belongs_to needs a struct or pointer to struct, not []fields_test.Author`},
		{reflect.TypeFor[RelManyOnPointer](), fields.ErrBadTag, `kinglet: fields: RelManyOnPointer.X: tag "has_many": has_many needs a slice of structs or of pointers to structs, not *fields_test.Author`},
		{reflect.TypeFor[RelOnScalar](), fields.ErrBadTag, `kinglet: fields: RelOnScalar.X: tag "has_one": has_one needs a struct or pointer to struct, not int`},
		{reflect.TypeFor[RelNoThrough](), fields.ErrBadTag, `kinglet: fields: RelNoThrough.X: tag "many_to_many": many_to_many needs through:Model`},
		{reflect.TypeFor[RelThroughOnHasMany](), fields.ErrBadTag, `kinglet: fields: RelThroughOnHasMany.X: tag "through:T": through applies to many_to_many only`},
		{reflect.TypeFor[RelUnknownOption](), fields.ErrBadTag, `kinglet: fields: RelUnknownOption.X: tag "order:id": unknown relation option "order"`},
		{reflect.TypeFor[RelEmptyOption](), fields.ErrBadTag, `kinglet: fields: RelEmptyOption.X: tag "fk:": fk needs a value: fk:Field`},
		{reflect.TypeFor[RelDupOption](), fields.ErrBadTag, `kinglet: fields: RelDupOption.X: tag "fk:B": option fk is given twice`},
		{reflect.TypeFor[UntaggedRelation](), fields.ErrUnsupportedType, `kinglet: fields: UntaggedRelation.Posts: unsupported type []fields_test.Post: a relation needs a rel tag; otherwise skip the field with db:"-"`},
		{reflect.TypeFor[EmbeddedBad](), fields.ErrBadTag, `kinglet: fields: EmbeddedBad.Inner.Size: tag "size:-1": size must be a positive integer`},
	}
	for _, tc := range tests {
		t.Run(tc.typ.String(), func(t *testing.T) {
			tab, err := fields.TableOf(tc.typ)
			if tab != nil {
				t.Errorf("got a table along with the error")
			}
			wantError(t, err, tc.sentinel, tc.msg)
			equal(t, err.Error(), tc.msg, "message")
			for _, other := range []error{fields.ErrBadTag, fields.ErrUnsupportedType, fields.ErrInvalidModel} {
				if other != tc.sentinel && errors.Is(err, other) {
					t.Errorf("error also wraps %v", other)
				}
			}
		})
	}
}

func TestErrorDetails(t *testing.T) {
	_, err := fields.TableFor[BadSize]()
	var fe *fields.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %T is not a *fields.Error", err)
	}
	equal(t, *fe, fields.Error{Model: "BadSize", Field: "Age", Option: "size:abc",
		Msg: "size must be a positive integer", Err: fields.ErrBadTag}, "*Error")
}

func TestErrorsAreCached(t *testing.T) {
	_, err1 := fields.TableFor[BadSize]()
	_, err2 := fields.TableFor[*BadSize]()
	_, err3 := fields.Of(BadSize{})
	if err1 == nil || err1 != err2 || err1 != err3 {
		t.Fatalf("errors differ between calls: %p %p %p", err1, err2, err3)
	}
	_, err4 := fields.TableFor[int]()
	_, err5 := fields.TableFor[int]()
	if err4 == nil || err4 != err5 {
		t.Fatal("non-struct error is not cached")
	}
}

func TestNilModel(t *testing.T) {
	_, err := fields.Of(nil)
	wantError(t, err, fields.ErrInvalidModel, "kinglet: fields: <nil>: a model must be a struct or a pointer to a struct")
	_, err = fields.TableOf(nil)
	wantError(t, err, fields.ErrInvalidModel, "a model must be a struct or a pointer to a struct")
}

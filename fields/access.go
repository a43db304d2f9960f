package fields

import (
	"database/sql"
	"reflect"
	"time"
	"unsafe"
)

// Field access for the scan and bind hot paths. Each field precomputes its
// byte offset from the model struct and, where the path crosses embedded
// pointer structs, one hop per pointer; per call there is no FieldByName, no
// map lookup and, for the common Go types, no reflection.
//
// The unsafe.Pointer arguments must point to a value of the Table's Type;
// Table.Pointer checks that once per model value.

// accessor locates a field: follow each hop (an embedded pointer at an
// offset), then add off.
type accessor struct {
	hops []hop
	off  uintptr
}

type hop struct {
	off  uintptr
	elem reflect.Type // the struct the embedded pointer points to, to allocate it
}

func newAccessor(root reflect.Type, index []int) accessor {
	var a accessor
	t := root
	for i, x := range index {
		sf := t.Field(x)
		a.off += sf.Offset
		if i == len(index)-1 {
			break
		}
		t = sf.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
			a.hops = append(a.hops, hop{off: a.off, elem: t})
			a.off = 0
		}
	}
	return a
}

// addr returns the field's address. A nil embedded pointer on the way is
// allocated when alloc is set; otherwise addr returns nil.
func (a *accessor) addr(p unsafe.Pointer, alloc bool) unsafe.Pointer {
	for i := range a.hops {
		h := &a.hops[i]
		pp := (*unsafe.Pointer)(unsafe.Add(p, h.off))
		if *pp == nil {
			if !alloc {
				return nil
			}
			*pp = reflect.New(h.elem).UnsafePointer()
		}
		p = *pp
	}
	return unsafe.Add(p, a.off)
}

// conv turns a field's address into a scan destination (ptr) and a bind
// argument (val).
type conv struct {
	ptr  func(unsafe.Pointer) any
	val  func(unsafe.Pointer) any
	fast fastKind // what ptr and val do, for Ptr and Value to do inline
}

// fastKind names the most common field types, whose scan destination and
// bind value Ptr and Value make inline rather than through conv's functions:
// a third of the cost of preparing a row's scan destinations.
type fastKind uint8

const (
	fastNone fastKind = iota
	fastBool
	fastInt
	fastInt32
	fastInt64
	fastFloat64
	fastString
	fastTime
	fastBoolPtr
	fastIntPtr
	fastInt64Ptr
	fastFloat64Ptr
	fastStringPtr
	fastTimePtr
)

// fastKinds leaves out []byte: a json-option byte slice replaces val.
var fastKinds = map[reflect.Type]fastKind{
	reflect.TypeFor[bool](): fastBool, reflect.TypeFor[int](): fastInt,
	reflect.TypeFor[int32](): fastInt32, reflect.TypeFor[int64](): fastInt64,
	reflect.TypeFor[float64](): fastFloat64, reflect.TypeFor[string](): fastString,
	reflect.TypeFor[time.Time](): fastTime, reflect.TypeFor[*bool](): fastBoolPtr,
	reflect.TypeFor[*int](): fastIntPtr, reflect.TypeFor[*int64](): fastInt64Ptr,
	reflect.TypeFor[*float64](): fastFloat64Ptr, reflect.TypeFor[*string](): fastStringPtr,
	reflect.TypeFor[*time.Time](): fastTimePtr,
}

func valueConv[T any]() (reflect.Type, conv) {
	return reflect.TypeFor[T](), conv{
		ptr: func(p unsafe.Pointer) any { return (*T)(p) },
		val: func(p unsafe.Pointer) any { return *(*T)(p) },
	}
}

// pointerConv is for *T fields: nil binds as SQL NULL, otherwise as the T.
func pointerConv[T any]() (reflect.Type, conv) {
	return reflect.TypeFor[*T](), conv{
		ptr: func(p unsafe.Pointer) any { return (**T)(p) },
		val: func(p unsafe.Pointer) any {
			if v := *(**T)(p); v != nil {
				return *v
			}
			return nil
		},
	}
}

// fastConvs covers the Go types models use most, without reflection.
var fastConvs = func() map[reflect.Type]conv {
	m := map[reflect.Type]conv{}
	add := func(t reflect.Type, c conv) { c.fast = fastKinds[t]; m[t] = c }
	add(valueConv[bool]())
	add(valueConv[int]())
	add(valueConv[int8]())
	add(valueConv[int16]())
	add(valueConv[int32]())
	add(valueConv[int64]())
	add(valueConv[uint]())
	add(valueConv[uint8]())
	add(valueConv[uint16]())
	add(valueConv[uint32]())
	add(valueConv[uint64]())
	add(valueConv[float32]())
	add(valueConv[float64]())
	add(valueConv[string]())
	add(valueConv[[]byte]())
	add(valueConv[time.Time]())
	add(pointerConv[bool]())
	add(pointerConv[int]())
	add(pointerConv[int8]())
	add(pointerConv[int16]())
	add(pointerConv[int32]())
	add(pointerConv[int64]())
	add(pointerConv[uint]())
	add(pointerConv[uint8]())
	add(pointerConv[uint16]())
	add(pointerConv[uint32]())
	add(pointerConv[uint64]())
	add(pointerConv[float32]())
	add(pointerConv[float64]())
	add(pointerConv[string]())
	add(pointerConv[[]byte]())
	add(pointerConv[time.Time]())
	add(valueConv[sql.NullString]())
	add(valueConv[sql.NullInt64]())
	add(valueConv[sql.NullInt32]())
	add(valueConv[sql.NullInt16]())
	add(valueConv[sql.NullByte]())
	add(valueConv[sql.NullFloat64]())
	add(valueConv[sql.NullBool]())
	add(valueConv[sql.NullTime]())
	return m
}()

// unnamed is the unnamed Go type with each basic kind's memory layout.
var unnamed = map[reflect.Kind]reflect.Type{
	reflect.Bool: reflect.TypeFor[bool](), reflect.String: reflect.TypeFor[string](),
	reflect.Int: reflect.TypeFor[int](), reflect.Int8: reflect.TypeFor[int8](),
	reflect.Int16: reflect.TypeFor[int16](), reflect.Int32: reflect.TypeFor[int32](),
	reflect.Int64: reflect.TypeFor[int64](), reflect.Uint: reflect.TypeFor[uint](),
	reflect.Uint8: reflect.TypeFor[uint8](), reflect.Uint16: reflect.TypeFor[uint16](),
	reflect.Uint32: reflect.TypeFor[uint32](), reflect.Uint64: reflect.TypeFor[uint64](),
	reflect.Float32: reflect.TypeFor[float32](), reflect.Float64: reflect.TypeFor[float64](),
}

// convFor chooses how to scan and bind a field of type t. A named type with
// a basic kind and no methods of its own that database/sql would call
// (type Status string) is accessed as its unnamed twin (*string), which
// database/sql and every driver handle without reflection.
func convFor(t reflect.Type, jsonWrap, nullable bool) conv {
	if jsonWrap {
		return conv{
			ptr: func(p unsafe.Pointer) any { return &jsonTarget{ptr: reflect.NewAt(t, p)} },
			val: func(p unsafe.Pointer) any { return jsonArg{ptr: reflect.NewAt(t, p), nullable: nullable} },
		}
	}
	if c, ok := fastConvs[t]; ok {
		return notNullBytes(c, t, nullable)
	}
	if plain := plainTwin(t); plain != nil {
		return notNullBytes(fastConvs[plain], plain, nullable)
	}
	c := conv{ptr: func(p unsafe.Pointer) any { return reflect.NewAt(t, p).Interface() }}
	switch {
	case t.Kind() == reflect.Pointer:
		// Bind the pointer itself only when the Valuer is on the pointer
		// alone; otherwise the pointed-to value, which drivers understand.
		keepPtr := t.Implements(valuerType) && !t.Elem().Implements(valuerType)
		c.val = func(p unsafe.Pointer) any {
			v := reflect.NewAt(t, p).Elem()
			if v.IsNil() {
				return nil
			}
			if keepPtr {
				return v.Interface()
			}
			return v.Elem().Interface()
		}
	case !t.Implements(valuerType) && reflect.PointerTo(t).Implements(valuerType):
		c.val = func(p unsafe.Pointer) any { return reflect.NewAt(t, p).Interface() }
	default:
		c.val = func(p unsafe.Pointer) any { return reflect.NewAt(t, p).Elem().Interface() }
	}
	return c
}

// emptyBytes is what a nil byte slice binds as in a NOT NULL column: every
// driver sends a nil []byte as NULL, and an empty BLOB comes back as nil, so
// without it a model read back could not be written again. Never written to.
var emptyBytes = []byte{}

// notNullBytes makes c, the conversion of a field of type t, bind a nil
// []byte as an empty one when the column is not nullable.
func notNullBytes(c conv, t reflect.Type, nullable bool) conv {
	if nullable || t != bytesType {
		return c
	}
	c.val = func(p unsafe.Pointer) any {
		if b := *(*[]byte)(p); b != nil {
			return b
		}
		return emptyBytes
	}
	return c
}

var (
	bytesType     = reflect.TypeFor[[]byte]()
	stringType    = reflect.TypeFor[string]()
	stringPtrType = reflect.TypeFor[*string]()
)

// zeroText is the text a string field of kind k binds for its zero value
// "", which the column's type would refuse (PostgreSQL and MySQL parse a
// decimal, JSON or UUID column's text): the kind's own zero. "" for the
// kinds that take any text.
func zeroText(k Kind) string {
	switch k {
	case KindDecimal:
		return "0"
	case KindJSON:
		return "null"
	case KindUUID:
		return "00000000-0000-0000-0000-000000000000"
	}
	return ""
}

// textZero makes c, the conversion of a string or *string field of type t
// (or a named twin), bind "" as zero; other types keep c.
func textZero(c conv, t reflect.Type, zero string) conv {
	plain := t
	if t != stringType && t != stringPtrType {
		plain = plainTwin(t)
	}
	switch plain {
	case stringType:
		c.val = func(p unsafe.Pointer) any {
			if s := *(*string)(p); s != "" {
				return s
			}
			return zero
		}
	case stringPtrType:
		c.val = func(p unsafe.Pointer) any {
			sp := *(**string)(p)
			switch {
			case sp == nil:
				return nil
			case *sp == "":
				return zero
			}
			return *sp
		}
	default:
		return c
	}
	c.fast = fastNone // Value and Ptr go through c, not the inline string cases
	return c
}

// plainTwin returns the unnamed type (or pointer to it) sharing t's layout,
// or nil when t is unnamed already or has Scan/Value methods to respect.
func plainTwin(t reflect.Type) reflect.Type {
	elem, ptr := t, false
	if t.Kind() == reflect.Pointer {
		elem, ptr = t.Elem(), true
	}
	pt := reflect.PointerTo(elem)
	if pt.Implements(scannerType) || pt.Implements(valuerType) {
		return nil
	}
	var plain reflect.Type
	if elem.Kind() == reflect.Slice && elem.Elem() == byteType {
		plain = reflect.TypeFor[[]byte]()
	} else {
		plain = unnamed[elem.Kind()]
	}
	if plain == nil || plain == elem {
		return nil
	}
	if ptr {
		return reflect.PointerTo(plain)
	}
	return plain
}

// Addr returns the address of f in the struct at structPtr, allocating nil
// embedded pointer structs on the way.
func (f *Field) Addr(structPtr unsafe.Pointer) unsafe.Pointer { return f.acc.addr(structPtr, true) }

// Ptr returns a scan destination for f in the struct at structPtr, suitable
// for rows.Scan: a pointer to the field (typed *int64, *string, … for the
// common types), or a decoder for a field with the json option. Nil embedded
// pointer structs on the way are allocated.
func (f *Field) Ptr(structPtr unsafe.Pointer) any {
	if len(f.acc.hops) > 0 {
		return f.conv.ptr(f.acc.addr(structPtr, true))
	}
	p := unsafe.Add(structPtr, f.acc.off)
	switch f.conv.fast {
	case fastBool:
		return (*bool)(p)
	case fastInt:
		return (*int)(p)
	case fastInt32:
		return (*int32)(p)
	case fastInt64:
		return (*int64)(p)
	case fastFloat64:
		return (*float64)(p)
	case fastString:
		return (*string)(p)
	case fastTime:
		return (*time.Time)(p)
	case fastBoolPtr:
		return (**bool)(p)
	case fastIntPtr:
		return (**int)(p)
	case fastInt64Ptr:
		return (**int64)(p)
	case fastFloat64Ptr:
		return (**float64)(p)
	case fastStringPtr:
		return (**string)(p)
	case fastTimePtr:
		return (**time.Time)(p)
	}
	return f.conv.ptr(p)
}

// Value returns f's value in the struct at structPtr as a bind argument: the
// value itself (int and int32 widened to int64, a driver.Value, so that
// database/sql does not convert it again), nil for a nil pointer (SQL NULL),
// the pointer for a type whose Value method has a pointer receiver, an
// encoder for a json-option field. A field inside a nil embedded pointer
// struct is nil.
func (f *Field) Value(structPtr unsafe.Pointer) any {
	var p unsafe.Pointer
	if len(f.acc.hops) == 0 {
		p = unsafe.Add(structPtr, f.acc.off)
	} else if p = f.acc.addr(structPtr, false); p == nil {
		return nil
	}
	switch f.conv.fast {
	case fastBool:
		return *(*bool)(p)
	case fastInt:
		// As int64, a driver.Value: database/sql would otherwise convert
		// (and allocate) again.
		return int64(*(*int)(p))
	case fastInt32:
		return int64(*(*int32)(p))
	case fastInt64:
		return *(*int64)(p)
	case fastFloat64:
		return *(*float64)(p)
	case fastString:
		return *(*string)(p)
	case fastTime:
		return *(*time.Time)(p)
	case fastBoolPtr:
		return derefOrNil(*(**bool)(p))
	case fastIntPtr:
		if ip := *(**int)(p); ip != nil {
			return int64(*ip)
		}
		return nil
	case fastInt64Ptr:
		return derefOrNil(*(**int64)(p))
	case fastFloat64Ptr:
		return derefOrNil(*(**float64)(p))
	case fastStringPtr:
		return derefOrNil(*(**string)(p))
	case fastTimePtr:
		return derefOrNil(*(**time.Time)(p))
	}
	return f.conv.val(p)
}

// derefOrNil is pointerConv's val: nil binds as SQL NULL, otherwise the T.
func derefOrNil[T any](v *T) any {
	if v == nil {
		return nil
	}
	return *v
}

// IsZero reports whether f holds its type's zero value (or sits inside a nil
// embedded pointer struct); an insert leaves out an auto key that is zero.
func (f *Field) IsZero(structPtr unsafe.Pointer) bool {
	p := f.acc.addr(structPtr, false)
	if p == nil {
		return true
	}
	switch f.conv.fast { // the usual auto keys and default:now times, without reflection
	case fastInt:
		return *(*int)(p) == 0
	case fastInt64:
		return *(*int64)(p) == 0
	case fastTime:
		return *(*time.Time)(p) == time.Time{} // as reflect's IsZero: a zero time in a zone is not zero
	case fastStringPtr, fastInt64Ptr, fastTimePtr, fastBoolPtr, fastIntPtr, fastFloat64Ptr:
		return *(*unsafe.Pointer)(p) == nil
	}
	return reflect.NewAt(f.Type, p).Elem().IsZero()
}

// Pointer checks that model is a non-nil pointer to t's struct type and
// returns it for the Field accessors.
func (t *Table) Pointer(model any) (unsafe.Pointer, error) {
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer || v.Type().Elem() != t.Type {
		return nil, &Error{Model: modelName(t.Type), Msg: "want a *" + t.Type.String() + ", got " + typeString(model), Err: ErrInvalidModel}
	}
	if v.IsNil() {
		return nil, &Error{Model: modelName(t.Type), Msg: "nil *" + t.Type.String(), Err: ErrInvalidModel}
	}
	return v.UnsafePointer(), nil
}

func typeString(v any) string {
	if v == nil {
		return "nil"
	}
	return reflect.TypeOf(v).String()
}

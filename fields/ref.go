package fields

import (
	"math"
	"strconv"
	"time"
	"unsafe"
)

// eface is the layout of an empty interface: its type word and a pointer to
// its value (for every type ValueRef makes: none is pointer-shaped).
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

var (
	stringWord  = typeWord("")
	int64Word   = typeWord(int64(0))
	float64Word = typeWord(float64(0))
	timeWord    = typeWord(time.Time{})
)

// refTo is an interface of the type whose word is typ, holding the value at p
// instead of a copy of it.
func refTo(typ, p unsafe.Pointer) (v any) {
	e := (*eface)(unsafe.Pointer(&v))
	e.typ, e.data = typ, p
	return v
}

// ValueRef is Value without the copy: for a string, time.Time, int64,
// float64 or (on 64-bit platforms) int field, or a pointer to one, the
// interface it returns refers to the value where it is (in the struct, or
// where the pointer points) instead of holding a copy, which Value allocates
// for each of them. It is for the arguments of a statement that does not keep
// them past the call (database/sql converts and binds them before it
// returns), and only while the struct is not written; other fields give what
// Value gives.
func (f *Field) ValueRef(structPtr unsafe.Pointer) any {
	if len(f.acc.hops) > 0 {
		return f.Value(structPtr)
	}
	k, p := f.conv.fast, unsafe.Add(structPtr, f.acc.off)
	isPtr := k >= fastBoolPtr && int(k) < len(ptrElem)
	if isPtr {
		k = ptrElem[k]
	}
	w := refWord(k)
	if w == nil {
		return f.Value(structPtr)
	}
	if isPtr {
		if p = *(*unsafe.Pointer)(p); p == nil {
			return nil
		}
	}
	return refTo(w, p)
}

// refWord is the type word ValueRef gives a value of kind k, nil for the
// kinds it copies (bool and int32: boxing them does not allocate, or
// widens).
func refWord(k fastKind) unsafe.Pointer {
	switch k {
	case fastString:
		return stringWord
	case fastTime:
		return timeWord
	case fastInt64:
		return int64Word
	case fastFloat64:
		return float64Word
	case fastInt:
		if strconv.IntSize == 64 {
			return int64Word
		}
	}
	return nil
}

// Stores reports whether Store can take values into f: it is one of the
// common types (bool, int, int32, int64, float64, string, time.Time, or a
// pointer to one), not behind an embedded pointer struct.
func (f *Field) Stores() bool { return f.conv.fast != fastNone && len(f.acc.hops) == 0 }

// Store puts src, a column value as database/sql's Scan into a *any yields
// it, into the field of the struct at structPtr, when it is a conversion that
// Scan into the field itself would make the same way and that cannot fail:
// int64 into an integer field it fits, 0 or 1 into a bool, string and
// []byte into a string, float64, time.Time, and NULL into a pointer (any
// other value into a pointer gets a new value, as database/sql makes one).
// It reports false, writing nothing, for anything else (NULL into a
// non-pointer field, a string into an int, …): scan into Ptr's destination
// then, for database/sql's conversion or its error. structPtr does not
// escape. f must Store (see Stores).
func (f *Field) Store(structPtr unsafe.Pointer, src any) bool {
	p := unsafe.Add(structPtr, f.acc.off)
	if k := f.conv.fast; k >= fastBoolPtr && int(k) < len(ptrElem) {
		return storePtr(ptrElem[k], p, src)
	}
	return storeValue(f.conv.fast, p, src)
}

// ptrElem is the kind a pointer kind points to.
var ptrElem = [...]fastKind{
	fastBoolPtr: fastBool, fastIntPtr: fastInt, fastInt64Ptr: fastInt64,
	fastFloat64Ptr: fastFloat64, fastStringPtr: fastString, fastTimePtr: fastTime,
}

func storeValue(k fastKind, p unsafe.Pointer, src any) bool {
	switch k {
	case fastBool:
		switch v := src.(type) {
		case bool:
			*(*bool)(p) = v
		case int64:
			if v != 0 && v != 1 {
				return false
			}
			*(*bool)(p) = v == 1
		default:
			return false
		}
	case fastInt:
		v, ok := src.(int64)
		if !ok || v != int64(int(v)) {
			return false
		}
		*(*int)(p) = int(v)
	case fastInt32:
		v, ok := src.(int64)
		if !ok || v < math.MinInt32 || v > math.MaxInt32 {
			return false
		}
		*(*int32)(p) = int32(v)
	case fastInt64:
		v, ok := src.(int64)
		if !ok {
			return false
		}
		*(*int64)(p) = v
	case fastFloat64:
		v, ok := src.(float64)
		if !ok {
			return false
		}
		*(*float64)(p) = v
	case fastString:
		switch v := src.(type) {
		case string:
			*(*string)(p) = v
		case []byte:
			*(*string)(p) = string(v)
		default:
			return false
		}
	case fastTime:
		v, ok := src.(time.Time)
		if !ok {
			return false
		}
		*(*time.Time)(p) = v
	default:
		return false
	}
	return true
}

// storePtr is Store for a pointer field whose element is of kind elem.
func storePtr(elem fastKind, p unsafe.Pointer, src any) bool {
	if src == nil {
		*(*unsafe.Pointer)(p) = nil
		return true
	}
	var np unsafe.Pointer
	switch elem {
	case fastBool:
		np = unsafe.Pointer(new(bool))
	case fastInt:
		np = unsafe.Pointer(new(int))
	case fastInt64:
		np = unsafe.Pointer(new(int64))
	case fastFloat64:
		np = unsafe.Pointer(new(float64))
	case fastString:
		np = unsafe.Pointer(new(string))
	case fastTime:
		np = unsafe.Pointer(new(time.Time))
	default:
		return false
	}
	if !storeValue(elem, np, src) {
		return false
	}
	*(*unsafe.Pointer)(p) = np
	return true
}

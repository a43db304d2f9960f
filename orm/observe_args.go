package orm

import (
	"time"
	"unsafe"
)

// The event's copy of a statement's arguments. A statement may take values
// that refer to the model's fields (fields.Field.ValueRef: strings, times,
// int64s and float64s read where they are, saving an allocation each); a
// hook may keep its event's arguments, which must not change when the
// caller reuses the model afterwards. So the event gets copies of those
// values, in storage of its own: one allocation for a statement of up to
// smallArgs arguments, whatever their types, and the statement then runs
// with the copies.

// smallArgs is the number of arguments eventArgs copies in one allocation.
const smallArgs = 6

// argBlock holds the copies of up to smallArgs arguments.
type argBlock struct {
	args  [smallArgs]any
	strs  [smallArgs]string
	times [smallArgs]time.Time
	nums  [smallArgs]uint64 // int64 and float64 values
}

// eface is the layout of an empty interface: its type word and a pointer to
// its value.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// eventArgs returns copies of args for a QueryEvent (see above); nil for
// none.
func eventArgs(args []any) []any {
	if len(args) == 0 {
		return nil
	}
	if len(args) > smallArgs {
		return copyArgs(args)
	}
	b := new(argBlock)
	out := b.args[:len(args):len(args)]
	for i, a := range args {
		out[i] = a
		e := (*eface)(unsafe.Pointer(&out[i]))
		switch v := a.(type) {
		case string:
			b.strs[i] = v
			e.data = unsafe.Pointer(&b.strs[i])
		case time.Time:
			b.times[i] = v
			e.data = unsafe.Pointer(&b.times[i])
		case int64:
			b.nums[i] = uint64(v)
			e.data = unsafe.Pointer(&b.nums[i])
		case float64:
			*(*float64)(unsafe.Pointer(&b.nums[i])) = v
			e.data = unsafe.Pointer(&b.nums[i])
		}
	}
	return out
}

// copyArgs is eventArgs for many arguments (InsertMany's batches): a
// copy of each value that may refer to a model's field, boxed anew.
func copyArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = v
		case time.Time:
			out[i] = v
		case int64:
			out[i] = v
		case float64:
			out[i] = v
		default:
			out[i] = a
		}
	}
	return out
}

package query

import (
	"time"
	"unsafe"
)

// A statement's SQL text and its arguments leave Build together and are
// dropped together, so the usual small statement gets both in one
// allocation: a block holding the argument array and then the text, which
// the returned string and slice point into (a string may point into any
// object; the block lives while either does). That is one allocation instead
// of two, per build, for a statement of up to 16 arguments and 512 bytes of
// text whose arguments are all small values (see allSmall); any other gets a
// string and a slice of its own.
//
// The text can outlive the arguments: a driver may keep it as the key of its
// statement cache (pgx does), and the block then keeps the arguments too.
// Holding small values only bounds what such a key keeps to the block
// itself, at most 768 bytes: never a model the arguments point into (the
// ORM's arguments may), nor a large string or byte slice.
//
// The blocks are sized to fill one of the allocator's size classes.
func textAndArgs(text []byte, args []any) (string, []any) {
	na, nt := len(args), len(text)
	switch {
	case na == 0:
		return string(text), nil
	case nt == 0 || na > 16 || nt > 512 || !allSmall(args):
		a := make([]any, na)
		copy(a, args)
		return string(text), a
	case na <= 1 && nt <= 48: // 64 bytes
		p := new(struct {
			a [1]any
			t [48]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 2 && nt <= 64: // 96
		p := new(struct {
			a [2]any
			t [64]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 2 && nt <= 96: // 128
		p := new(struct {
			a [2]any
			t [96]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 4 && nt <= 64: // 128
		p := new(struct {
			a [4]any
			t [64]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 2 && nt <= 160: // 192
		p := new(struct {
			a [2]any
			t [160]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 4 && nt <= 128: // 192
		p := new(struct {
			a [4]any
			t [128]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 4 && nt <= 192: // 256
		p := new(struct {
			a [4]any
			t [192]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 8 && nt <= 128: // 256
		p := new(struct {
			a [8]any
			t [128]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 4 && nt <= 320: // 384
		p := new(struct {
			a [4]any
			t [320]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 8 && nt <= 256: // 384
		p := new(struct {
			a [8]any
			t [256]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 8 && nt <= 384: // 512
		p := new(struct {
			a [8]any
			t [384]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	case na <= 16 && nt <= 256: // 512
		p := new(struct {
			a [16]any
			t [256]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	default: // 768
		p := new(struct {
			a [16]any
			t [512]byte
		})
		return pack(p.a[:], p.t[:], text, args)
	}
}

// pack copies text and args into a block's arrays a and t, and returns the
// string and the slice (its capacity cut to its length) that point into it.
func pack(a []any, t []byte, text []byte, args []any) (string, []any) {
	n := copy(t, text)
	copy(a, args)
	return unsafe.String(&t[0], n), a[:len(args):len(args)]
}

// smallValue is the longest string or byte array an argument kept in a
// block may hold.
const smallValue = 64

// allSmall reports whether every argument is a value that holds nothing
// beyond itself but a short string or byte array: booleans, numbers, times,
// nil, and strings and byte slices of up to smallValue bytes (a byte slice
// by its capacity, which is what it keeps).
func allSmall(args []any) bool {
	for _, a := range args {
		switch x := a.(type) {
		case nil, bool, int, int64, int32, int16, int8, uint, uint64, uint32, uint16, uint8, float64, float32, time.Time:
		case string:
			if len(x) > smallValue {
				return false
			}
		case []byte:
			if cap(x) > smallValue {
				return false
			}
		default:
			return false
		}
	}
	return true
}

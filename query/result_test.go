package query

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"time"
	"unsafe"
)

// textAndArgs must hand back exact copies, whatever block they land in:
// every argument count up to past the largest block, text lengths at and
// around every block's limit, the result independent of the buffers it was
// copied from, and still intact after collections.
func TestTextAndArgs(t *testing.T) {
	type result struct {
		text, want string
		args, in   []any
	}
	var kept []result
	for na := 0; na <= 18; na++ {
		for _, nt := range []int{0, 1, 2, 31, 32, 33, 47, 48, 49, 63, 64, 65, 95, 96, 97, 127, 128, 129, 159, 160, 161,
			191, 192, 193, 255, 256, 257, 319, 320, 321, 383, 384, 385, 511, 512, 513, 2000} {
			text := bytes.Repeat([]byte("0123456789abcdef"), nt/16+1)[:nt]
			args := make([]any, na)
			for i := range args {
				args[i] = fmt.Sprintf("arg %d of %d", i, na) // pointers for the collector to follow
			}
			want := string(text)
			in := append([]any(nil), args...)
			sql, out := textAndArgs(text, args)
			if sql != want || !reflect.DeepEqual(out, in) && !(len(out) == 0 && len(in) == 0) {
				t.Fatalf("%d args, %d bytes: got %q %v", na, nt, sql, out)
			}
			if cap(out) != len(out) {
				t.Errorf("%d args, %d bytes: cap %d, len %d", na, nt, cap(out), len(out))
			}
			// The caller's buffers are pooled and reused: the result must not
			// see that.
			for i := range text {
				text[i] = 'X'
			}
			clear(args)
			kept = append(kept, result{sql, want, out, in})
		}
	}
	for range 3 {
		runtime.GC()
		garbage := make([][]byte, 0, 1000)
		for i := range 1000 {
			garbage = append(garbage, bytes.Repeat([]byte{byte(i)}, 64))
		}
		_ = garbage
	}
	for _, r := range kept {
		if r.text != r.want || !reflect.DeepEqual(r.args, r.in) && !(len(r.args) == 0 && len(r.in) == 0) {
			t.Fatalf("after collections: %q %v, want %q %v", r.text, r.args, r.want, r.in)
		}
	}
}

// A block may outlive the statement as a driver's cache key, so only small
// values go into one: a long string, a byte slice with a large array behind
// it, or a value that points elsewhere (the ORM's arguments point into the
// model) gets the text and the arguments of their own, which the text then
// does not keep alive.
func TestTextAndArgsOnlySmallValuesShare(t *testing.T) {
	text := []byte("SELECT 1 WHERE a = ? AND b = ?")
	long := string(bytes.Repeat([]byte("x"), smallValue+1))
	bigArray := make([]byte, 4, 4096)
	n := int64(7)
	for _, c := range []struct {
		name  string
		args  []any
		share bool
	}{
		{"numbers, bools, times, nil", []any{1, int64(2), uint8(3), 1.5, true, time.Unix(0, 0), nil}, true},
		{"short string and bytes", []any{"short", []byte("short")}, true},
		{"a string at the limit", []any{long[:smallValue]}, true},
		{"a long string", []any{1, long}, false},
		{"a short slice of a large array", []any{bigArray}, false},
		{"a pointer", []any{&n}, false},
		{"a Valuer-like struct", []any{struct{ p *int64 }{&n}}, false},
	} {
		sql, out := textAndArgs(text, c.args)
		if sql != string(text) || !reflect.DeepEqual(out, c.args) {
			t.Errorf("%s: got %q %v", c.name, sql, out)
		}
		if allSmall(c.args) != c.share {
			t.Errorf("%s: allSmall = %v, want %v", c.name, !c.share, c.share)
		}
		if c.share && !sharesBlock(sql, out) {
			t.Errorf("%s: the text and the arguments are not in one block", c.name)
		}
	}
}

// sharesBlock reports whether the text lies within 768 bytes after the start
// of the arguments' array, as it does in every block.
func sharesBlock(sql string, args []any) bool {
	a := uintptr(unsafe.Pointer(unsafe.SliceData(args)))
	s := uintptr(unsafe.Pointer(unsafe.StringData(sql)))
	return s > a && s-a < 768
}

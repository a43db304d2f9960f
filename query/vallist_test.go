package query

import (
	"reflect"
	"testing"
)

// TestValListSiblings derives queries from shared bases at every length
// across the chunk boundaries and checks each sees exactly its own values.
func TestValListSiblings(t *testing.T) {
	var l valList
	want := []any{}
	for n := range 300 {
		// Two siblings of the current list: one value, then three.
		a := l.add("a", n)
		b := l.add("b", n, n, n)
		if got := valListItems(a); !reflect.DeepEqual(got, append(want[:len(want):len(want)], "a", n)) {
			t.Fatalf("length %d: sibling a has %v", n, got[len(want):])
		}
		if got := valListItems(b); !reflect.DeepEqual(got, append(want[:len(want):len(want)], "b", n, n, n)) {
			t.Fatalf("length %d: sibling b has %v", n, got[len(want):])
		}
		if got := valListItems(l); !reflect.DeepEqual(got, want) {
			t.Fatalf("length %d: base changed", n)
		}
		// Continue from one or the other, so both paths are the base in turn.
		if n%2 == 0 {
			l, want = a, append(want, "a", n)
		} else {
			l, want = b, append(want, "b", n, n, n)
		}
	}
	big := make([]any, 1000)
	for i := range big {
		big[i] = i
	}
	l2 := l.add(big...)
	if got := valListItems(l2); !reflect.DeepEqual(got, append(want[:len(want):len(want)], big...)) {
		t.Fatal("one append larger than a chunk")
	}
}

func valListItems(l valList) []any {
	out := []any{}
	cs := l.chunks(nil)
	for i := len(cs) - 1; i >= 0; i-- {
		out = append(out, l.part(cs, i)...)
	}
	if len(out) != l.len() {
		panic("parts and length disagree")
	}
	return out
}

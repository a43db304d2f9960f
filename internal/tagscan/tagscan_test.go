package tagscan

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		in    string
		parts []string
		at    int
		early bool
		ok    bool
	}{
		{"name", []string{"name"}, 0, false, true},
		{"name, pk ,default:'a,b'", []string{"name", "pk", "default:'a,b'"}, 0, false, true},
		{`x,check:(a > 0, "b)")`, []string{"x", `check:(a > 0, "b)")`}, 0, false, true},
		{"", []string{""}, 0, false, true},
		{"a,b)", nil, 2, true, false},
		{"a,check:(x", nil, 2, false, false},
		{"a,default:'x", nil, 2, false, false},
	} {
		parts, at, early, ok := Split(tc.in, ',')
		if !reflect.DeepEqual(parts, tc.parts) || at != tc.at || early != tc.early || ok != tc.ok {
			t.Errorf("Split(%q) = %q, %d, %v, %v; want %q, %d, %v, %v", tc.in, parts, at, early, ok, tc.parts, tc.at, tc.early, tc.ok)
		}
	}
	if !Balanced("(a, 'b)')") || Balanced("(a") || Balanced("a)(") || Balanced(`"a`) {
		t.Error("Balanced")
	}
}

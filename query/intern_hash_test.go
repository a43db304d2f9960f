package query

import (
	"fmt"
	"strings"
	"testing"
)

// nameHash reads words of 4 and 8 bytes with overlapping tails: every length
// up to past four words must hash without a panic, the same for equal names
// and differently for these.
func TestNameHashEveryLength(t *testing.T) {
	seen := map[uint64]string{}
	for n := 0; n <= 70; n++ {
		for _, base := range []string{"abcdefghij", "ABCDEFGHIJ", "0123456789"} {
			name := strings.Repeat(base, 8)[:n]
			h := nameHash(name)
			if h != nameHash(strings.Clone(name)) {
				t.Fatalf("nameHash(%q) differs between two copies", name)
			}
			if other, ok := seen[h]; ok && other != name {
				t.Fatalf("nameHash(%q) = nameHash(%q)", name, other)
			}
			seen[h] = name
		}
	}
}

// TestNameHashSpreads checks that the usual names fill the column cache's
// slots about as a random function would: 2,000 names in 4,096 slots.
func TestNameHashSpreads(t *testing.T) {
	used := map[uint64]int{}
	const n = 2000
	for i := range n {
		var name string
		switch i % 4 {
		case 0:
			name = fmt.Sprintf("c%d", i)
		case 1:
			name = fmt.Sprintf("user_%d_id", i)
		case 2:
			name = fmt.Sprintf("created_at_%d", i)
		default:
			name = fmt.Sprintf("a_rather_long_column_name_%d_of_a_table", i)
		}
		used[nameHash(name)&(columnSlots-1)]++
	}
	// A random function leaves about 4096*(1-exp(-2000/4096)) = 1,589 slots
	// used; far fewer means clustering.
	if len(used) < 1500 {
		t.Errorf("%d names use only %d of %d slots", n, len(used), columnSlots)
	}
}

package check

import (
	"strings"

	"github.com/kingletdb/kinglet/fields"
)

// closest is the candidate nearest to name, for a "did you mean": the one
// whose snake_case form name is (a Go field name written for its column),
// else the one at the smallest edit distance, when that distance is small
// for the name's length; "" when none is near.
func closest(name string, candidates []string) string {
	snake := fields.SnakeCase(name)
	for _, c := range candidates {
		if strings.EqualFold(c, snake) {
			return c
		}
	}
	best, bestD := "", (len(name)+2)/3
	low := strings.ToLower(name)
	for _, c := range candidates {
		if d := distance(low, strings.ToLower(c)); d <= bestD && (best == "" || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// bytes each cost one.
func distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

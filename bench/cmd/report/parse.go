package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// results are the benchmark lines of one or more `go test -bench` outputs:
// for every benchmark (its name without the -GOMAXPROCS suffix), every
// sample of every unit (ns/op, B/op, allocs/op, kinglet/raw, …), in the
// order read.
type results struct {
	samples map[string]map[string][]float64
	order   []string          // benchmark names in first-seen order
	header  map[string]string // goos, goarch, pkg, cpu
}

func newResults() *results {
	return &results{samples: map[string]map[string][]float64{}, header: map[string]string{}}
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads `go test -bench` output. Lines other than benchmark results
// and the goos/goarch/pkg/cpu header are ignored; a benchmark line that does
// not parse is an error naming the line.
func (r *results) parse(in io.Reader, source string) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		for _, key := range []string{"goos", "goarch", "pkg", "cpu"} {
			if v, ok := strings.CutPrefix(text, key+": "); ok {
				r.header[key] = strings.TrimSpace(v)
			}
		}
		if !strings.HasPrefix(text, "Benchmark") {
			continue
		}
		f := strings.Fields(text)
		// Name, iterations, then value/unit pairs. "BenchmarkX" alone on a
		// line (a benchmark that logs before its result) is no result.
		if len(f) < 4 || len(f)%2 != 0 {
			if len(f) <= 1 {
				continue
			}
			return fmt.Errorf("%s:%d: not a benchmark result: %q", source, line, text)
		}
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			return fmt.Errorf("%s:%d: iterations %q: %v", source, line, f[1], err)
		}
		name := procSuffix.ReplaceAllString(f[0], "")
		units := r.samples[name]
		if units == nil {
			units = map[string][]float64{}
			r.samples[name] = units
			r.order = append(r.order, name)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("%s:%d: value %q of %s: %v", source, line, f[i], f[i+1], err)
			}
			units[f[i+1]] = append(units[f[i+1]], v)
		}
	}
	return sc.Err()
}

// median returns the median of name's samples of unit, and whether there
// are any.
func (r *results) median(name, unit string) (float64, bool) {
	s := r.samples[name][unit]
	if len(s) == 0 {
		return 0, false
	}
	s = slices.Clone(s)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

// count is how many samples of ns/op (or of any unit) name has.
func (r *results) count(name string) int {
	n := 0
	for _, s := range r.samples[name] {
		n = max(n, len(s))
	}
	return n
}

// children returns the distinct path elements that follow prefix+"/" in
// the benchmark names, in first-seen order.
func (r *results) children(prefix string) []string {
	var out []string
	for _, name := range r.order {
		rest, ok := strings.CutPrefix(name, prefix+"/")
		if !ok {
			continue
		}
		child, _, _ := strings.Cut(rest, "/")
		if !slices.Contains(out, child) {
			out = append(out, child)
		}
	}
	return out
}

// stat is the medians of one benchmark.
type stat struct {
	ns, bytes, allocs float64
	ok                bool // there is an ns/op
	n                 int  // samples
}

func (r *results) stat(name string) stat {
	var s stat
	s.ns, s.ok = r.median(name, "ns/op")
	s.bytes, _ = r.median(name, "B/op")
	s.allocs, _ = r.median(name, "allocs/op")
	s.n = r.count(name)
	return s
}

package main

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: github.com/kingletdb/kinglet/bench
cpu: AMD EPYC
BenchmarkBuildSelect/kinglet-2     	  100	      1000 ns/op	    2000 B/op	      30 allocs/op
BenchmarkBuildSelect/kinglet-2     	  100	      1200 ns/op	    2000 B/op	      30 allocs/op
BenchmarkBuildSelect/kinglet-2     	  100	      1100 ns/op	    2000 B/op	      30 allocs/op
BenchmarkBuildSelect/squirrel-2    	  100	      9000 ns/op	    7000 B/op	     120 allocs/op
BenchmarkBuildSelect/goqu-2        	  100	      6000 ns/op	    7000 B/op	     200 allocs/op
BenchmarkBuildSelect/interleaved-2 	  100	    300000 ns/op	         7.4 squirrel/kinglet	         8.5 goqu/kinglet
BenchmarkBuildSelect/interleaved-2 	  100	    300000 ns/op	         7.6 squirrel/kinglet	         8.7 goqu/kinglet
BenchmarkRoundTrip/sqlite/get_pk/raw-2         	 1000	     10000 ns/op	    1000 B/op	      30 allocs/op
BenchmarkRoundTrip/sqlite/get_pk/raw-2         	 1000	     12000 ns/op	    1000 B/op	      30 allocs/op
BenchmarkRoundTrip/sqlite/get_pk/kinglet-2     	 1000	     10500 ns/op	    1000 B/op	      31 allocs/op
BenchmarkRoundTrip/sqlite/get_pk/kinglet-2     	 1000	     10700 ns/op	    1000 B/op	      31 allocs/op
BenchmarkRoundTrip/sqlite/get_pk/bun-2         	 1000	     11000 ns/op	    5000 B/op	      30 allocs/op
BenchmarkRoundTrip/sqlite/get_pk/interleaved-2 	 1000	     33000 ns/op	         1.02 kinglet/raw	         1.30 bun/raw
BenchmarkRoundTrip/sqlite/get_pk/interleaved-2 	 1000	     33000 ns/op	         1.04 kinglet/raw	         1.10 bun/raw
--- BENCH: BenchmarkIterMillion/sqlite-2
    iter_test.go:64: made 1000000 rows
BenchmarkIterMillion/sqlite-2 	       1	2000000000 ns/op	      2000 ns/row	         6.5 peak-heap-MB	349384672 B/op	12000672 allocs/op
PASS
`

func parsed(t *testing.T) *results {
	t.Helper()
	r := newResults()
	if err := r.parse(strings.NewReader(sample), "sample"); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseMedians(t *testing.T) {
	r := parsed(t)
	for _, c := range []struct {
		name, unit string
		want       float64
	}{
		{"BenchmarkBuildSelect/kinglet", "ns/op", 1100},
		{"BenchmarkRoundTrip/sqlite/get_pk/raw", "ns/op", 11000},
		{"BenchmarkRoundTrip/sqlite/get_pk/interleaved", "kinglet/raw", 1.03},
		{"BenchmarkIterMillion/sqlite", "peak-heap-MB", 6.5},
	} {
		got, ok := r.median(c.name, c.unit)
		if !ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("median(%s, %s) = %v, %v; want %v", c.name, c.unit, got, ok, c.want)
		}
	}
	if r.header["cpu"] != "AMD EPYC" {
		t.Errorf("cpu = %q", r.header["cpu"])
	}
	if got := strings.Join(r.children("BenchmarkRoundTrip/sqlite/get_pk"), ","); got != "raw,kinglet,bun,interleaved" {
		t.Errorf("children = %s", got)
	}
}

func TestParseRejectsGarbledLine(t *testing.T) {
	r := newResults()
	err := r.parse(strings.NewReader("BenchmarkX-2 10 abc ns/op\n"), "bad.txt")
	if err == nil || !strings.Contains(err.Error(), "bad.txt:1") {
		t.Fatalf("err = %v, want one naming bad.txt:1", err)
	}
}

func TestVerdicts(t *testing.T) {
	r := parsed(t)
	bv := buildVerdict(buildRows(r))
	// The separate runs' medians (kinglet 1100 ns) would say squirrel 8.2×
	// (met) and goqu 5.5× (missed); the interleaved medians decide:
	// squirrel 7.5× (missed), goqu 8.6× (met).
	if bv.checked != 2 || len(bv.misses) != 1 || !strings.Contains(bv.misses[0], "squirrel 7.5×") {
		t.Errorf("build verdict %+v", bv)
	}
	// Without interleaved runs, the separate medians decide.
	r2 := newResults()
	if err := r2.parse(strings.NewReader(strings.ReplaceAll(sample, "BenchmarkBuildSelect/interleaved", "BenchmarkOther")), "sample"); err != nil {
		t.Fatal(err)
	}
	if bv := buildVerdict(buildRows(r2)); bv.checked != 2 || len(bv.misses) != 1 || !strings.Contains(bv.misses[0], "goqu 5.5×") {
		t.Errorf("build verdict without interleaved runs %+v", bv)
	}
	rts := roundTrips(r)
	if len(rts) != 1 || len(rts[0].ops) != 1 {
		t.Fatalf("round trips %+v", rts)
	}
	vs := ormVerdicts(rts[0])
	if len(vs[0].misses) != 0 { // kinglet 1.03× interleaved
		t.Errorf("time verdict %+v", vs[0])
	}
	if len(vs[1].misses) != 1 { // 31 allocs vs raw's 30
		t.Errorf("alloc verdict %+v", vs[1])
	}
	if len(vs[2].misses) != 0 || vs[2].checked != 1 { // bun 1.20×
		t.Errorf("ahead verdict %+v", vs[2])
	}
}

func TestReportFiles(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"date": "2026-01-02 03:04 UTC", "cpu": "Test CPU", "cores": "2", "count": "2", "benchtime": "1s"}
	var eb bytes.Buffer
	if err := writeEnv(&eb, env); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"env.txt": eb.String(), "sqlite.txt": sample} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	md, pngPath := filepath.Join(dir, "RESULTS.md"), filepath.Join(dir, "ratios.png")
	if err := run([]string{"-in", dir, "-md", md, "-png", pngPath}); err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| CPU | Test CPU (2 cores) |",
		"| get_pk | **kinglet** | 10,600 | 1,000 | 31 | 0.96× | 1.03× |",
		"| Select | squirrel | 9,000 | 7,000 | 120 | 8.18× | 7.50× | 4.00× |",
		"Not measured (server not reachable during the run): PostgreSQL, MariaDB.",
		"| 1,000,000 | 2.00 s | 2,000 | 6.5 MB |",
	} {
		if !strings.Contains(string(text), want) {
			t.Errorf("RESULTS.md lacks %q", want)
		}
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != chartWidth || b.Dy() != headHeight+panelHeight {
		t.Errorf("chart is %v, want %dx%d", b, chartWidth, headHeight+panelHeight)
	}
}

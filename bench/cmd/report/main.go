// Command report turns the raw `go test -bench` output of bench/run.sh into
// bench/RESULTS.md and the bar chart bench/ratios.png.
//
//	report env -count 5 -benchtime 1s [-note TEXT] > out/env.txt   # the machine, servers, date
//	report -in out -md RESULTS.md -png ratios.png     # reads out/*.txt
//	report relations -in out -md RESULTS.md           # rewrites RESULTS.md's relation section alone
//
// Every number is the median over the runs (-count) of a benchmark. The
// time ratios to raw database/sql come from the interleaved benchmarks,
// where every library runs once per iteration.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) > 0 && args[0] == "env" {
		fs := flag.NewFlagSet("report env", flag.ContinueOnError)
		count := fs.String("count", "", "the -count of the run")
		benchtime := fs.String("benchtime", "1s", "the -benchtime of the run")
		note := fs.String("note", "", "a remark on the run for RESULTS.md (e.g. what else the machine was doing)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return writeEnv(os.Stdout, gatherEnv(*count, *benchtime, *note))
	}
	if len(args) > 0 && args[0] == "relations" {
		fs := flag.NewFlagSet("report relations", flag.ContinueOnError)
		in := fs.String("in", "out", "directory of the raw outputs (*.txt) and env.txt")
		md := fs.String("md", "RESULTS.md", "the Markdown file whose relation section to rewrite")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return runRelations(*in, *md)
	}
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	in := fs.String("in", "out", "directory of the raw outputs (*.txt) and env.txt")
	md := fs.String("md", "RESULTS.md", "the Markdown file to write")
	pngPath := fs.String("png", "ratios.png", "the chart to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r, env, err := load(*in)
	if err != nil {
		return err
	}
	if len(r.order) == 0 {
		return fmt.Errorf("no benchmark results in %s/*.txt", *in)
	}
	if err := os.WriteFile(*md, []byte(markdown(r, env)), 0o644); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := drawChart(&buf, "kinglet and its peers: time / raw database/sql (lower is better)",
		"median of interleaved runs (every library once per iteration, random order); the red line is raw = 1.0; "+
			"env: "+env["cpu"]+", "+env["cores"]+" cores, "+env["date"],
		panels(roundTrips(r))); err != nil {
		return err
	}
	return os.WriteFile(*pngPath, buf.Bytes(), 0o644)
}

// load parses every *.txt in dir but env.txt, in the order build, sqlite,
// postgres, mysql, then the rest by name, and reads env.txt.
func load(dir string) (*results, map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, nil, err
	}
	rank := func(p string) int {
		i := slices.Index([]string{"build", "sqlite", "postgres", "mysql"}, strings.TrimSuffix(filepath.Base(p), ".txt"))
		if i < 0 {
			return 100
		}
		return i
	}
	slices.SortStableFunc(files, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	r := newResults()
	env := map[string]string{}
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return nil, nil, err
		}
		if filepath.Base(p) == "env.txt" {
			env, err = readEnv(f)
		} else {
			err = r.parse(f, p)
		}
		f.Close()
		if err != nil {
			return nil, nil, err
		}
	}
	if len(env) == 0 {
		return nil, nil, errors.New("no " + filepath.Join(dir, "env.txt") + " (run: report env > " + filepath.Join(dir, "env.txt") + ")")
	}
	return r, env, nil
}

// panels are the chart's: one per engine, a group per operation, a bar per
// library other than raw.
func panels(rts []roundTrip) []panel {
	var out []panel
	for _, rt := range rts {
		p := panel{title: rt.title}
		for _, o := range rt.ops {
			for _, l := range o.libs {
				if l.lib != "raw" && !slices.Contains(p.libs, l.lib) {
					p.libs = append(p.libs, l.lib)
				}
			}
		}
		for _, o := range rt.ops {
			p.groups = append(p.groups, o.op)
			row := make([]float64, len(p.libs))
			for i, lib := range p.libs {
				row[i] = math.NaN()
				if l, ok := o.lib(lib); ok {
					row[i] = l.ratio()
				}
			}
			p.values = append(p.values, row)
		}
		out = append(out, p)
	}
	return out
}

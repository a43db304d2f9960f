package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// engines in the order of the results, with their titles.
var engines = []struct{ name, title string }{
	{"sqlite", "SQLite"},
	{"postgres", "PostgreSQL"},
	{"mysql", "MariaDB"},
}

// buildStatements are the BenchmarkBuild<Name> statements, in order.
var buildStatements = []string{"Select", "Insert100", "Upsert", "Update"}

// Targets.
const (
	buildSpeedup  = 8.0  // kinglet at least this many times faster than squirrel and goqu
	buildBatch    = 16   // statements per library per interleaved iteration (bench/build_test.go)
	ormTimeTarget = 1.05 // kinglet's time at most this times raw's
)

var peersOfKinglet = []string{"sqlx", "bun", "gorm"}

// roundTrip is one engine's table.
type roundTrip struct {
	engine, title string
	ops           []opResult
}

type opResult struct {
	op   string
	libs []libResult // raw first
}

type libResult struct {
	lib         string
	st          stat
	sep         float64 // ns/op over raw's ns/op
	interleaved float64 // median time over raw's, measured interleaved; NaN if not measured
}

// ratio is the time ratio the targets and the chart use: the interleaved
// one when measured.
func (l libResult) ratio() float64 {
	if !math.IsNaN(l.interleaved) {
		return l.interleaved
	}
	return l.sep
}

func (o opResult) lib(name string) (libResult, bool) {
	for _, l := range o.libs {
		if l.lib == name {
			return l, true
		}
	}
	return libResult{}, false
}

func roundTrips(r *results) []roundTrip { return engineTables(r, "BenchmarkRoundTrip") }

// engineTables are the tables of the benchmarks <bench>/<engine>/<op>/<lib>
// (with <op>/interleaved's <lib>/raw ratios).
func engineTables(r *results, bench string) []roundTrip {
	var out []roundTrip
	for _, e := range engines {
		prefix := bench + "/" + e.name
		ops := r.children(prefix)
		if len(ops) == 0 {
			continue
		}
		rt := roundTrip{engine: e.name, title: e.title}
		for _, op := range ops {
			base := prefix + "/" + op
			raw := r.stat(base + "/raw")
			if !raw.ok {
				continue
			}
			o := opResult{op: op}
			for _, lib := range r.children(base) {
				if lib == "interleaved" {
					continue
				}
				st := r.stat(base + "/" + lib)
				if !st.ok {
					continue
				}
				l := libResult{lib: lib, st: st, sep: st.ns / raw.ns, interleaved: math.NaN()}
				if lib == "raw" {
					l.interleaved = 1
				} else if v, ok := r.median(base+"/interleaved", lib+"/raw"); ok {
					l.interleaved = v
				}
				o.libs = append(o.libs, l)
			}
			rt.ops = append(rt.ops, o)
		}
		out = append(out, rt)
	}
	return out
}

// buildRow is one library's result for one statement.
type buildRow struct {
	statement, lib string
	st             stat
	interleaved    float64 // median time over kinglet's, measured interleaved; NaN if not measured
}

// speedup is how many times faster kinglet is than this library: the
// interleaved ratio when there is one (the steadier), else the ratio of the
// separate runs' medians.
func (row buildRow) speedup(k stat) float64 {
	if !math.IsNaN(row.interleaved) {
		return row.interleaved
	}
	return row.st.ns / k.ns
}

func buildRows(r *results) map[string][]buildRow {
	out := map[string][]buildRow{}
	for _, s := range buildStatements {
		prefix := "BenchmarkBuild" + s
		for _, lib := range r.children(prefix) {
			if lib == "interleaved" {
				continue
			}
			st := r.stat(prefix + "/" + lib)
			if !st.ok {
				continue
			}
			row := buildRow{s, lib, st, math.NaN()}
			if lib == "kinglet" {
				row.interleaved = 1
			} else if v, ok := r.median(prefix+"/interleaved", lib+"/kinglet"); ok {
				row.interleaved = v
			}
			out[s] = append(out[s], row)
		}
	}
	return out
}

func findBuild(rows []buildRow, lib string) (buildRow, bool) {
	for _, b := range rows {
		if b.lib == lib {
			return b, true
		}
	}
	return buildRow{}, false
}

// verdict is one target: met when nothing missed it.
type verdict struct {
	what    string
	checked int
	misses  []string
	detail  []string // the numbers, met or not
}

func (v verdict) line() string {
	state := "**met**"
	switch {
	case v.checked == 0:
		state = "**not measured**"
	case len(v.misses) > 0:
		state = fmt.Sprintf("**not met** (%d of %d)", len(v.misses), v.checked)
	}
	s := "- " + v.what + ": " + state
	if len(v.misses) > 0 {
		s += " — missed by " + strings.Join(v.misses, "; ")
	} else if len(v.detail) > 0 {
		s += " — " + strings.Join(v.detail, "; ")
	}
	return s
}

func buildVerdict(rows map[string][]buildRow) verdict {
	v := verdict{what: fmt.Sprintf("Query building at least %.0f× faster than squirrel and goqu, with fewer allocations", buildSpeedup)}
	for _, s := range buildStatements {
		k, ok := findBuild(rows[s], "kinglet")
		if !ok {
			continue
		}
		for _, peer := range []string{"squirrel", "goqu"} {
			p, ok := findBuild(rows[s], peer)
			if !ok {
				continue
			}
			v.checked++
			speed := p.speedup(k.st)
			d := fmt.Sprintf("%s vs %s %.1f×, %s vs %s allocs", s, peer, speed, num(k.st.allocs), num(p.st.allocs))
			v.detail = append(v.detail, d)
			if speed < buildSpeedup || k.st.allocs >= p.st.allocs {
				v.misses = append(v.misses, d)
			}
		}
	}
	return v
}

func ormVerdicts(rt roundTrip) []verdict {
	timeV := verdict{what: fmt.Sprintf("%s: kinglet at most %.2f× raw (interleaved median)", rt.title, ormTimeTarget)}
	allocV := verdict{what: rt.title + ": kinglet allocations at most raw's"}
	aheadV := verdict{what: rt.title + ": kinglet faster than sqlx, bun and GORM"}
	for _, o := range rt.ops {
		raw, _ := o.lib("raw")
		k, ok := o.lib("kinglet")
		if !ok {
			continue
		}
		timeV.checked++
		allocV.checked++
		d := fmt.Sprintf("%s %.3f×", o.op, k.ratio())
		timeV.detail = append(timeV.detail, d)
		if k.ratio() > ormTimeTarget {
			timeV.misses = append(timeV.misses, d)
		}
		ad := fmt.Sprintf("%s %s vs %s", o.op, num(k.st.allocs), num(raw.st.allocs))
		allocV.detail = append(allocV.detail, ad)
		if k.st.allocs > raw.st.allocs {
			allocV.misses = append(allocV.misses, ad)
		}
		for _, peer := range peersOfKinglet {
			p, ok := o.lib(peer)
			if !ok {
				continue
			}
			aheadV.checked++
			if k.ratio() >= p.ratio() {
				aheadV.misses = append(aheadV.misses, fmt.Sprintf("%s: %s %.2f× vs kinglet %.2f×", o.op, peer, p.ratio(), k.ratio()))
			}
		}
	}
	out := []verdict{timeV, allocV, aheadV}
	pgxV := verdict{what: fmt.Sprintf("%s: kinglet on a pgx pool (orm.OpenPool) reads 100 rows in at most %.2f× raw", rt.title, pgxReadTarget)}
	for _, o := range rt.ops {
		if k, ok := o.lib("kinglet-pgx"); ok && o.op == "select_100" {
			pgxV.checked++
			d := fmt.Sprintf("%s %.3f×", o.op, k.ratio())
			pgxV.detail = append(pgxV.detail, d)
			if k.ratio() > pgxReadTarget {
				pgxV.misses = append(pgxV.misses, d)
			}
		}
	}
	if pgxV.checked > 0 {
		out = append(out, pgxV)
	}
	return out
}

// pgxReadTarget is the target of kinglet's native pgx reads.
const pgxReadTarget = 0.8

// num formats a number with thousands separators, and one decimal below 10.
func num(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if math.Abs(v) < 10 && v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func ratioText(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + "×"
}

// markdown writes RESULTS.md.
func markdown(r *results, env map[string]string) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	get := func(k string) string {
		if v := env[k]; v != "" {
			return v
		}
		return "unknown"
	}
	rts := roundTrips(r)
	build := buildRows(r)

	w("# kinglet benchmarks\n\n")
	w("Written by `bench/cmd/report` from the output of `bash bench/run.sh` (COUNT=%s, benchtime %s, `-benchmem`), %s.\n",
		get("count"), get("benchtime"), get("date"))
	w("Every number is the median over the %s runs; the raw `go test` output is in `bench/out/` (not committed).\n\n", get("count"))
	if note := env["note"]; note != "" {
		w("**Note on this run:** %s\n\n", note)
	}
	w("On a small or busy machine the separate ns/op runs are noisy (each library's runs come one after the other, so\n")
	w("they see different load). The *interleaved* ratios (every library once per iteration, in random order, median\n")
	w("time over raw's median) hold still far better, and the targets and the chart use them.\n\n")

	w("## Machine\n\n| | |\n|---|---|\n")
	w("| CPU | %s (%s cores) |\n", get("cpu"), get("cores"))
	w("| Memory | %s |\n", get("memory"))
	w("| OS | %s, Linux %s |\n", get("os"), get("kernel"))
	w("| Go | %s |\n", get("go"))
	w("| SQLite | %s (file in a temporary directory, WAL, synchronous=NORMAL) |\n", get("sqlite"))
	w("| PostgreSQL | %s (127.0.0.1, synchronous_commit=off for the benchmark's sessions) |\n", get("postgres"))
	w("| MariaDB | %s (127.0.0.1) |\n", get("mariadb"))
	w("| Date | %s |\n\n", get("date"))

	w("## Targets\n\n")
	w("%s\n", buildVerdict(build).line())
	for _, rt := range rts {
		for _, v := range ormVerdicts(rt) {
			w("%s\n", v.line())
		}
	}
	w("\n")

	w("## Query building (no database; PostgreSQL dialect)\n\n")
	w("Each run builds the statement from scratch and renders SQL text and arguments. `hand` is the floor: the text a\n")
	w("programmer writes by hand (a constant, or a `strings.Builder` for the 100 rows) and the argument slice.\n")
	w("`× kinglet` is the library's time over kinglet's: how many times faster kinglet is, from the separate runs and\n")
	w("measured interleaved (every library builds a batch of %d per iteration, in random order; median batch times): the\n", buildBatch)
	w("interleaved ratio is the steadier one, and the one the target uses.\n\n")
	w("| statement | library | ns/op | B/op | allocs/op | × kinglet (separate) | × kinglet (interleaved) | × kinglet (allocs) |\n")
	w("|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range buildStatements {
		k, hasK := findBuild(build[s], "kinglet")
		for _, row := range build[s] {
			tr, ar := math.NaN(), math.NaN()
			if hasK {
				tr, ar = row.st.ns/k.st.ns, row.st.allocs/k.st.allocs
			}
			w("| %s | %s | %s | %s | %s | %s | %s | %s |\n", s, row.lib, num(row.st.ns), num(row.st.bytes), num(row.st.allocs),
				ratioText(tr), ratioText(row.interleaved), ratioText(ar))
		}
	}
	w("\n")

	if len(rts) > 0 {
		w("## Round trips\n\n")
		w("Same table, same rows, same driver and pool per engine. `÷ raw` is the library's time over hand-written\n")
		w("`database/sql` (the floor): from the separate runs, and measured interleaved (the steadier one).\n\n")
		w("![time ratios to raw database/sql per engine, operation and library](ratios.png)\n\n")
	}
	for _, rt := range rts {
		w("### %s\n\n", rt.title)
		w("| op | library | ns/op | B/op | allocs/op | ÷ raw (separate) | ÷ raw (interleaved) |\n")
		w("|---|---|---:|---:|---:|---:|---:|\n")
		for _, o := range rt.ops {
			for _, l := range o.libs {
				name := l.lib
				if name == "kinglet" {
					name = "**kinglet**"
				}
				w("| %s | %s | %s | %s | %s | %s | %s |\n", o.op, name, num(l.st.ns), num(l.st.bytes), num(l.st.allocs), ratioText(l.sep), ratioText(l.interleaved))
			}
		}
		w("\n")
	}
	if missing := missingEngines(rts); len(missing) > 0 {
		w("Not measured (server not reachable during the run): %s.\n\n", strings.Join(missing, ", "))
	}

	w("## Streaming a million rows (SQLite, `orm.Select[T](db).Iter(ctx)`)\n\n")
	const it = "BenchmarkIterMillion/sqlite"
	if st := r.stat(it); st.ok {
		nsRow, _ := r.median(it, "ns/row")
		peak := slices.Max(r.samples[it]["peak-heap-MB"])
		w("| rows | time per pass | ns/row | peak heap in use (max over runs) | B/op | allocs/op |\n|---:|---:|---:|---:|---:|---:|\n")
		w("| 1,000,000 | %.2f s | %s | %.1f MB | %s | %s |\n\n", st.ns/1e9, num(nsRow), peak, num(st.bytes), num(st.allocs))
		w("`TestIterMillionConstantMemory` asserts that all 1,000,000 rows arrive in order with their values and that the\n")
		w("heap (HeapInuse and HeapAlloc, sampled every 10,000 rows and every 2 ms) stays under 50 MB. B/op counts every\n")
		w("allocation of the pass; the garbage is collected as the rows go by.\n\n")
	} else {
		w("Not run (set KINGLET_BENCH_MILLION=1, as run.sh does).\n\n")
	}

	if rels := engineTables(r, "BenchmarkRelations"); len(rels) > 0 {
		b.WriteString(relationsSection(rels, env))
	}
	b.WriteString(methodNotes)
	return b.String()
}

func missingEngines(rts []roundTrip) []string {
	var out []string
	for _, e := range engines {
		if !slices.ContainsFunc(rts, func(rt roundTrip) bool { return rt.engine == e.name }) {
			out = append(out, e.title)
		}
	}
	return out
}

const methodNotes = `## How each library is used

All of them run on one ` + "`*sql.DB`" + ` per engine (pool of 4), opened with the driver kinglet uses — modernc.org/sqlite,
pgx's ` + "`stdlib`" + `, go-sql-driver/mysql — except native pgx, which has its own pgxpool of 4 connections. The table
(id auto-increment primary key, name, email NULL for a third of the rows, age, active, created_at) is created by
kinglet's DDL and seeded with 1,000 rows; ` + "`select_100`" + ` reads the first 100 by id, ` + "`get_pk`" + ` cycles through
the 1,000 keys, ` + "`update_one`" + ` rewrites every column of one row, the inserts fill the generated ids. A test
(` + "`TestRoundTripSame`" + `) checks on every engine that each library reads the seeded rows with the right values and
that what it writes reads back right; the benchmark runs the same check before it starts, then warms every
library up. Rows inserted by a run are deleted before the next run (outside the timing).

- **raw**: ` + "`database/sql`" + ` by hand — ` + "`QueryRowContext(...).Scan(&u.ID, ...)`" + `, the statements kinglet emits
  (RETURNING where the engine has it, including MariaDB ≥ 10.5; LIMIT bound).
- **kinglet**: ` + "`db.Insert`, `db.InsertMany`, `db.Update`, `orm.Get[T]`, `orm.Select[T](db).OrderBy(id).Limit(100).All`" + `.
- **pgx** (PostgreSQL only): pgxpool, the raw statements, ` + "`QueryRow().Scan`" + ` and ` + "`pgx.CollectRows(rows, pgx.RowToStructByPos[T])`" + `.
- **sqlx**: ` + "`NamedQueryContext`/`NamedExecContext`" + ` with the struct (a slice for the 100-row insert), ` + "`GetContext`, `SelectContext`" + `.
- **bun**: ` + "`NewInsert().Model(&u)`, `NewInsert().Model(&users)`, `NewUpdate().Model(&u).WherePK()`, `NewSelect().Model(&u).WherePK()`,\n  `NewSelect().Model(&users).Order(\"id\").Limit(100)`" + `. bun writes the values into the SQL text rather than binding them.
- **GORM**: ` + "`Create`, `Save`, `First(&u, id)`, `Order(\"id\").Limit(100).Find(&users)`" + ` with
  ` + "`SkipDefaultTransaction: true`" + ` (the first advice of GORM's performance guide) and a silent logger. PrepareStmt is
  off: no other library here keeps prepared statements, and on MariaDB it would swap the protocol (one statement
  prepared once instead of prepare/execute/close per call). On SQLite GORM runs through ` + "`bench/internal/gormlite`" + `, a
  small dialector over the same modernc pool, because gorm.io/driver/sqlite imports the cgo driver mattn/go-sqlite3
  (compiled in whenever cgo is on) and github.com/glebarez/sqlite brings a fork of the modernc driver that registers
  the driver name "sqlite" a second time; gormlite emits the SQL gorm.io/driver/sqlite emits (backticks, ` + "`?`" + `,
  RETURNING, LIMIT as a number).

Things that make the comparison uneven, and are left as they are because they are how the libraries work:

- On MariaDB, go-sql-driver/mysql runs a statement with bound arguments as prepare, execute, close: three round
  trips. bun interpolates values and sends plain text in one round trip, which is why bun can beat raw there.
- kinglet keeps its own statements prepared on MariaDB and SQLite (one round trip instead of three; no parse and plan
  per call), as a careful programmer would with ` + "`db.Prepare`" + `; raw, as written here, does not.
- On PostgreSQL the same interpolation costs bun: pgx's database/sql driver prepares and caches a statement with
  bound arguments per connection, while bun's text differs on every call and is parsed and planned each time.
- GORM's ` + "`First`" + ` adds ` + "`ORDER BY id LIMIT 1`" + ` to the lookup by key; its ` + "`Find`" + ` selects ` + "`*`" + `.
- The query-building benchmark binds LIMIT in every library (squirrel through ` + "`Suffix(\"LIMIT ?\", 20)`" + `), and
  goqu compares the boolean through ` + "`goqu.V(true)`" + `, because its ` + "`Eq(true)`" + ` renders ` + "`IS TRUE`" + ` with one argument fewer;
  ` + "`TestBuildEquivalent`" + ` checks that the four libraries build the same statements with the same arguments.
`

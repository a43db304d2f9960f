package main

import (
	"fmt"
	"os"
	"strings"
)

// Relation loading: BenchmarkRelations (bench/relations_test.go).

// relTimeTarget is kinglet's relation loads' time at most this times the
// hand-written floor's.
const relTimeTarget = 1.10

var relPeers = []string{"gorm", "bun"}

// relationsHeading starts the section; relationsSection writes it and
// spliceSection replaces it in an existing RESULTS.md.
const relationsHeading = "## Relation loading"

func relVerdicts(rt roundTrip) []verdict {
	timeV := verdict{what: fmt.Sprintf("%s: kinglet at most %.2f× the hand-written two-query floor (interleaved median)", rt.title, relTimeTarget)}
	allocV := verdict{what: rt.title + ": kinglet allocations at most the floor's"}
	aheadV := verdict{what: rt.title + ": kinglet faster than GORM and bun"}
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
		if k.ratio() > relTimeTarget {
			timeV.misses = append(timeV.misses, d)
		}
		ad := fmt.Sprintf("%s %s vs %s", o.op, num(k.st.allocs), num(raw.st.allocs))
		allocV.detail = append(allocV.detail, ad)
		if k.st.allocs > raw.st.allocs {
			allocV.misses = append(allocV.misses, ad)
		}
		for _, peer := range relPeers {
			p, ok := o.lib(peer)
			if !ok {
				continue
			}
			aheadV.checked++
			pd := fmt.Sprintf("%s: %s %.2f× vs kinglet %.2f×", o.op, peer, p.ratio(), k.ratio())
			aheadV.detail = append(aheadV.detail, pd)
			if k.ratio() >= p.ratio() {
				aheadV.misses = append(aheadV.misses, pd)
			}
		}
	}
	return []verdict{timeV, allocV, aheadV}
}

// relationsSection is the Markdown of the relation benchmarks.
func relationsSection(rts []roundTrip, env map[string]string) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("%s\n\n", relationsHeading)
	w("`BenchmarkRelations` (bench/relations_test.go), one `go test -bench` per engine:\n")
	w("`go test -run '^$' -bench 'BenchmarkRelations/<engine>' -benchmem -count 5 -benchtime 2s ./` in `bench/`, then\n")
	w("`go run ./cmd/report relations -in out -md RESULTS.md`, which rewrites this section alone. 100 users with 10 tweets\n")
	w("each: `has_many` reads the users with their tweets, `belongs_to` the 1,000 tweets with their user, `newest_3` the\n")
	w("users with their 3 newest tweets. `TestRelationsSame` checks that every library reads the same rows.\n")
	if d := env["date"]; d != "" {
		w("Measured %s (COUNT=%s, benchtime %s), on the machine above.", d, env["count"], env["benchtime"])
		if note := env["note"]; note != "" {
			w(" **Note on this run:** %s", note)
		}
		w("\n")
	}
	w("\n")
	w("- **raw** (the floor): hand-written `database/sql`, two queries — the parents, then the children\n")
	w("  `WHERE fk IN (…)` (for `newest_3` a `ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC)`\n")
	w("  subquery), handed to their parents through a map.\n")
	w("- **kinglet**: `Load(\"Tweets\")`, `Load(\"User\")`, `LoadWith(\"Tweets\", orm.OrderBy(newest first), orm.LimitPer(3))`:\n")
	w("  the IN strategy, two queries like the floor. On SQLite and MariaDB its per-parent limit numbers the keys alone\n")
	w("  and joins the first rows back (`dialect.NarrowWindower`), and off SQLite it orders the children by key alone and\n")
	w("  groups them itself (`dialect.KeyOrderedIn`): MariaDB sorts rows with a TEXT column in an on-disk temporary table.\n")
	w("  It keeps its statements prepared on SQLite and MariaDB, as everywhere (see the notes at the end).\n")
	w("- **kinglet-1q**: the same in one query: `orm.Strategy(orm.JSONStrategy)` for the two to-many reads (the tweets\n")
	w("  aggregated as JSON in the users' query), `JoinLoad(\"User\")` for `belongs_to`.\n")
	w("- **GORM**: `Preload(\"Tweets\", order by id)`, `Preload(\"User\")`; **bun**: `Relation(\"Tweets\")`, `Relation(\"User\")`\n")
	w("  (a JOIN for belongs-to). Neither limits per parent: for `newest_3` both filter the preload with the same\n")
	w("  `ROW_NUMBER()` subquery, by hand.\n\n")
	w("### Targets\n\n")
	for _, rt := range rts {
		for _, v := range relVerdicts(rt) {
			w("%s\n", v.line())
		}
	}
	w("\n")
	for _, rt := range rts {
		w("### %s: relations\n\n", rt.title)
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
	w("When each strategy wins: on these local servers the IN strategy (kinglet) is the one to use — it reads every\n")
	w("child row once, in a second round trip that costs little here. The JSON strategy (kinglet-1q) saves that round\n")
	w("trip and pays in the server's JSON building and the client's decoding, so it wins where a round trip costs more\n")
	w("than that work — a database across a network, a handful of children per parent (it is ahead on `newest_3` on\n")
	w("SQLite and MariaDB even here) — and it streams with `Iter` without batches. `JoinLoad` reads a to-one relation in\n")
	w("the same query but repeats the related row's columns on every row: it wins when few rows share each related row,\n")
	w("or when the query filters or orders on the related model.\n\n")
	return b.String()
}

// spliceSection replaces the section of text that starts with heading (up
// to the next "## " heading) with section, or puts section before the
// heading before, when text has none.
func spliceSection(text, heading, section, before string) string {
	if i := strings.Index(text, "\n"+heading+"\n"); i >= 0 {
		rest := text[i+1+len(heading):]
		end := len(text)
		if j := strings.Index(rest, "\n## "); j >= 0 {
			end = i + 1 + len(heading) + j + 1
		}
		return text[:i+1] + section + text[end:]
	}
	if i := strings.Index(text, "\n"+before); i >= 0 {
		return text[:i+1] + section + text[i+1:]
	}
	return strings.TrimRight(text, "\n") + "\n\n" + section
}

// runRelations is `report relations -in DIR -md FILE`: the relation section
// of FILE rewritten from DIR's outputs, the rest of FILE kept.
func runRelations(in, md string) error {
	r, env, err := load(in)
	if err != nil {
		return err
	}
	rts := engineTables(r, "BenchmarkRelations")
	if len(rts) == 0 {
		return fmt.Errorf("no BenchmarkRelations results in %s/*.txt", in)
	}
	old, err := os.ReadFile(md)
	if err != nil {
		return err
	}
	out := spliceSection(string(old), relationsHeading, relationsSection(rts, env), "## How each library is used")
	return os.WriteFile(md, []byte(out), 0o644)
}

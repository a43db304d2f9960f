#!/usr/bin/env bash
# ormratio.sh: the raw-vs-kinglet table of BenchmarkORM (orm/bench_test.go).
#
#   go test -run '^$' -bench BenchmarkORM -benchmem -count 6 ./orm/ | bash bench/ormratio.sh
#
# Reads `go test -bench` output (stdin or file arguments). For every
# engine/op it takes the median ns/op, B/op and allocs/op of the raw and the
# kinglet runs and prints them with the time ratio (kinglet/raw), the median
# ratio measured by the interleaved run (raw and kinglet alternating op by op,
# which a busy machine skews far less), and the allocs; it flags what misses
# the targets (time <= 1.05x raw by the interleaved ratio, no more allocs than
# raw).
set -euo pipefail

awk '
function median(s,    n, a, i, j, t) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^BenchmarkORM\// {
	name = $1; sub(/-[0-9]+$/, "", name)              # drop the GOMAXPROCS suffix
	n = split(name, p, "/")                           # BenchmarkORM engine op variant
	if (n != 4) next
	key = p[2] "/" p[3]; v = p[4]
	for (i = 3; i < NF; i++) {
		if ($(i + 1) == "ns/op") ns[key, v] = ns[key, v] " " $i
		if ($(i + 1) == "B/op") by[key, v] = by[key, v] " " $i
		if ($(i + 1) == "allocs/op") al[key, v] = al[key, v] " " $i
		if ($(i + 1) == "kinglet/raw") il[key] = il[key] " " $i
	}
	if (!(key in seen)) { seen[key] = 1; order[++nk] = key }
}
END {
	printf "%-22s %11s %11s %6s %7s %8s %8s %7s %7s  %s\n", "engine/op", "raw ns/op", "kinglet", "ratio", "interl.", "raw B/op", "kinglet", "raw al", "kinglet", "targets"
	for (k = 1; k <= nk; k++) {
		key = order[k]
		if (ns[key, "raw"] == "" || ns[key, "kinglet"] == "") continue
		rn = median(ns[key, "raw"]); kn = median(ns[key, "kinglet"])
		rb = median(by[key, "raw"]); kb = median(by[key, "kinglet"])
		ra = median(al[key, "raw"]); ka = median(al[key, "kinglet"])
		r = kn / rn
		ir = il[key] == "" ? r : median(il[key])
		note = ""
		if (ir > 1.05) note = note " time"
		if (ka > ra) note = note " allocs(+" ka - ra ")"
		if (note == "") note = " ok"
		printf "%-22s %11.0f %11.0f %5.2fx %6.3fx %8.0f %8.0f %7.0f %7.0f %s\n", key, rn, kn, r, ir, rb, kb, ra, ka, note
	}
}' "$@"

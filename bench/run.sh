#!/usr/bin/env bash
# run.sh: every benchmark of the bench module — query building, then the round
# trips and the relation loads on SQLite, PostgreSQL and MariaDB (one
# `go test -bench` per engine, all libraries side by side in one process), and
# the million-row stream — then
# RESULTS.md and ratios.png through cmd/report.
#
#   bash bench/run.sh                  # COUNT=5
#   COUNT=3 BENCHTIME=500ms bash bench/run.sh
#   ENGINES="sqlite postgres" bash bench/run.sh
#   NOTE="laptop on battery" bash bench/run.sh   # a remark printed in RESULTS.md
#
# Raw outputs go to bench/out/ (git-ignored): build.txt, <engine>.txt, env.txt.
# An unreachable server is skipped with a message (set
# KINGLET_REQUIRE_DIALECTS=sqlite,postgres,mysql to make it a failure);
# KINGLET_POSTGRES_DSN and KINGLET_MYSQL_DSN point at other servers.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-1s}
ENGINES=${ENGINES:-sqlite postgres mysql}
OUT=out
[ "$COUNT" -ge 1 ] 2>/dev/null || { echo "run.sh: COUNT must be a positive number, not '$COUNT'" >&2; exit 2; }

mkdir -p "$OUT"
rm -f "$OUT"/*.txt
start=$SECONDS
note() { printf '\n==== %s  (+%ds)\n' "$*" "$((SECONDS - start))"; }

note "environment"
go run ./cmd/report env -count "$COUNT" -benchtime "$BENCHTIME" -note "${NOTE:-}" | tee "$OUT/env.txt"

bench() { # bench OUTFILE PATTERN [ENV=VALUE...]
	local out=$1 pattern=$2
	shift 2
	env "$@" go test -run '^$' -bench "$pattern" -benchmem -count "$COUNT" -benchtime "$BENCHTIME" \
		-timeout 90m . | tee "$out"
}

note "query building"
bench "$OUT/build.txt" '^BenchmarkBuild'

for engine in $ENGINES; do
	case $engine in
	sqlite)
		note "round trips, relation loading and the million-row stream on sqlite"
		bench "$OUT/sqlite.txt" '^Benchmark(RoundTrip|Relations|IterMillion)$/^sqlite$' KINGLET_BENCH_MILLION=1
		;;
	postgres | mysql)
		note "round trips and relation loading on $engine"
		bench "$OUT/$engine.txt" "^Benchmark(RoundTrip|Relations)\$/^$engine\$"
		;;
	*)
		echo "run.sh: unknown engine '$engine' (want sqlite, postgres or mysql)" >&2
		exit 2
		;;
	esac
done

note "report"
go run ./cmd/report -in "$OUT" -md RESULTS.md -png ratios.png
echo "wrote $(pwd)/RESULTS.md and $(pwd)/ratios.png in $((SECONDS - start))s"

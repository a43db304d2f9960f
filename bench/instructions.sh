#!/usr/bin/env bash
# instructions.sh: machine instructions per query build, counted by callgrind.
# Unlike the time on a shared VM, the count repeats exactly, so a change to the
# builder can be judged by it (a count is not a time: the collector and the
# caches are not in it the way they are in a benchmark).
#
#   bash bench/instructions.sh                 # every statement of BenchmarkInstructions
#   bash bench/instructions.sh update upsert   # some of them
#
# Each statement runs N and 3N times under valgrind --tool=callgrind, counting
# only inside query_test.buildOnce; the difference over 2N is the count per
# build. The runtime's asynchronous preemption (signals callgrind mishandles)
# and the collector are off, so that the runs repeat.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
N=${N:-20000}
bin=$(mktemp -d)/query.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./query/
count() { # count STATEMENT RUNS
	GODEBUG=asyncpreemptoff=1 GOGC=off valgrind --tool=callgrind --toggle-collect='*query_test.buildOnce' \
		--callgrind-out-file=/dev/null "$bin" -test.run '^$' -test.bench "^BenchmarkInstructions\$/^$1\$" \
		-test.benchtime "${2}x" 2>&1 | sed -n 's/.*I *refs: *//p' | tr -d ,
}
stmts=("$@")
[ ${#stmts[@]} -gt 0 ] || stmts=(select insert100 upsert update)
for s in "${stmts[@]}"; do
	n=$N
	[ "$s" = insert100 ] && n=$((N / 20))
	a=$(count "$s" "$n")
	b=$(count "$s" $((3 * n)))
	[ -n "$a" ] && [ -n "$b" ] || { echo "instructions.sh: no count for $s" >&2; exit 1; }
	printf '%-10s %8d instructions per build\n' "$s" $(((b - a) / (2 * n)))
done

#!/usr/bin/env bash
# Draws the quickstart's schema, as the README shows it: the tour's tables
# are created on SQLite and drawn by `kinglet inspect --format dot` (in
# examples/quickstart's TestSchemaDiagram, which writes
# docs/images/quickstart-schema.dot), and Graphviz renders the drawing to
# docs/images/quickstart-schema.svg. Both files are committed; CI checks
# that the .dot is the one the command makes today.
#
#   bash scripts/schema-diagram.sh      (Debian: apt-get install -y graphviz)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v dot >/dev/null 2>&1; then
	echo "schema-diagram.sh needs Graphviz's dot: apt-get install -y graphviz" >&2
	exit 1
fi
go test ./examples/quickstart -run '^TestSchemaDiagram$' -count=1 -update-diagram >/dev/null
dot -Tsvg docs/images/quickstart-schema.dot -o docs/images/quickstart-schema.svg
echo "wrote docs/images/quickstart-schema.dot and docs/images/quickstart-schema.svg ($(dot -V 2>&1))"

#!/usr/bin/env bash
# Runs leadstatus's benchmark suite and prints one markdown table on standard
# output (progress goes to standard error). Run from the repository root:
#
#   bash importer/bench/run.sh [benchrun size flags, e.g. -csv-rows 200000]
#
# Everything is generated into a temporary directory that is removed at the
# end, the fake API listens only on 127.0.0.1, and every process started here
# is stopped on exit or Ctrl-C. Takes about 7 minutes on 2 cores; benchrun
# -steps picks scenarios (e.g. -steps noise,slowstart,shed; bursts and window,
# the limiter shapes, are not in the default suite: about 4 minutes together).
set -euo pipefail

if [[ ! -f go.mod || ! -d importer/bench ]]; then
	echo "run.sh: run it from the repository root: bash importer/bench/run.sh" >&2
	exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/leadstatus-bench.XXXXXX")"
pid=""
cleanup() {
	if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
		# benchrun stops its own children (each in its own process group) on TERM.
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v curl >/dev/null; then
	echo "run.sh: curl is missing; installing it" >&2
	apt-get install -y curl >&2
fi

echo "run.sh: building leadstatus and the benchmark driver" >&2
go build -o "$work/leadstatus" .
go build -o "$work/benchrun" ./importer/bench/cmd/benchrun

"$work/benchrun" -leadstatus "$work/leadstatus" -dir "$work" -scripts importer/bench "$@" &
pid=$!
wait "$pid"

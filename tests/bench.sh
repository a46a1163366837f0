#!/usr/bin/env bash
# tests/bench.sh BUILD - runs every benchmark: BUILD/tests/bench_* binaries and
# tests/bench_*.sh scripts.  Each prints "BENCH name=<id> value=<n> unit=<u>"
# lines (with " peer=<name> ratio=<r>" where a peer ran in the same run).
set -u
build=${1:-build}
cd "$(dirname "$0")/.."
export GROOVE_ROOT=$PWD GROOVE_BUILD=$build OPENBLAS_NUM_THREADS=1
rc=0
for b in "$build"/tests/bench_*; do [ -x "$b" ] && { "$b" || rc=1; }; done
for s in tests/bench_*.sh; do [ -f "$s" ] && { bash "$s" || rc=1; }; done
exit $rc

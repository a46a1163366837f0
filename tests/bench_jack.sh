#!/usr/bin/env bash
# bench_jack.sh - real-time playback through JACK's dummy backend (see
# jack_lib.sh): 8 bars of rock-basic at 240 BPM with 256-frame periods.
#   jack_callback_worst      worst audio callback, wall clock (us)
#   jack_callback_worst_cpu  the same callback's own CPU time (us)
#   jack_callback_mean       mean callback, wall clock (us)
#   jack_underruns           buffers PortAudio flagged as underflowed
# Figures of a shared machine: a busy neighbour shows here, never in make test.
set -u
bin=${GROOVE_BIN:-./groove}
cd "${GROOVE_ROOT:-.}" || exit 1
fail() { echo "bench_jack: $*" >&2; jack_log >&2; exit 1; }
. tests/jack_lib.sh
jack_wait_up >/dev/null
line=$("$bin" play rock-basic --loops 4 --tempo 240 --audio-device jack --latency 5 --stats 2>&1 | grep '^played ')
[ -n "$line" ] || fail "groove play printed no statistics"
get() { echo "$line" | sed -nE "s/$1/\1/p"; }
echo "BENCH name=jack_callback_worst value=$(get '.*worst callback ([0-9.]+) us.*') unit=us"
echo "BENCH name=jack_callback_worst_cpu value=$(get '.*worst callback [0-9.]+ us \(([0-9.]+) us on the CPU\).*') unit=us"
echo "BENCH name=jack_callback_mean value=$(get '.*mean ([0-9.]+) us.*') unit=us"
echo "BENCH name=jack_underruns value=$(get '.* ([0-9]+) underruns.*') unit=buffers"

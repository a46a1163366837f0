#!/usr/bin/env bash
# e2e_jack.sh - playback through a real audio server: JACK's dummy backend
# (jackd2), which runs at real-time pace without a sound card, driven by
# PortAudio's JACK host API.  A second JACK client (tests/jack_tap.c) records
# what groove plays.  Checks behaviour only: audio flowed (the recording is
# non-silent and has drum onsets), the pattern played to its end, and the
# process exited cleanly.  It never asserts underruns or callback times: this
# machine is shared, and speed belongs to `make bench` (bench_jack.sh).
# Sample-accurate placement of notes is tested offline, through the render
# path (test_synth), where no clock is involved.  Then, with the server gone,
# checks the "no device" path: one clear line.
set -u
bin=${GROOVE_BIN:-./groove}
cd "${GROOVE_ROOT:-.}" || exit 1
tap=${GROOVE_BUILD:-build}/tests/jack_tap
[ -x "$tap" ] || { echo "FAIL: $tap is not built (make tests)"; exit 1; }
fail() { echo "FAIL: $*"; jack_log; [ -f "$jtmp/tap.out" ] && cat "$jtmp/tap.out"; exit 1; }
. tests/jack_lib.sh
jack_wait_up
"$bin" devices

# the recorder first, so that it sees groove's ports appear
"$tap" PortAudio "$jtmp/rec.wav" 120 >"$jtmp/tap.out" 2>&1 &
tap_pid=$!
for _ in $(seq 1 600); do grep -q 'tap: ready' "$jtmp/tap.out" && break; sleep 0.1; done
grep -q 'tap: ready' "$jtmp/tap.out" || fail "the recording client did not start"

# 8 bars: a 2-bar preset looped 4 times, fast so the test stays short
out=$("$bin" play rock-basic --loops 4 --tempo 240 --audio-device jack --latency 5 --stats 2>&1)
rc=$?
echo "$out"
[ $rc = 0 ] || fail "groove play exited $rc"
echo "$out" | grep -q '^played 4 loops (8 bars) on JACK' || fail "did not play 8 bars on JACK"

kill -TERM "$tap_pid"
wait "$tap_pid" || fail "the recording client failed"
tap_pid=
line=$(grep '^tap: frames=' "$jtmp/tap.out")
echo "$line"
[ -n "$line" ] || fail "no recording summary"
val() { echo "$line" | sed -nE "s/.* $1=([0-9.]+).*/\1/p"; }
[ "$(val connected)" -ge 1 ] || fail "the recorder never connected to groove's output"
awk -v p="$(val peak)" 'BEGIN { exit !(p > 0.05) }' || fail "the recording is silent"
# rock-basic has a hit on every 8th: 8 bars hold 64; audio lost to xruns on a
# loaded machine may take some, never most of them
[ "$(val onsets)" -ge 16 ] || fail "only $(val onsets) drum onsets recorded"
[ -s "$jtmp/rec.wav" ] || fail "no recording written"

# no server, no sound card: one clear line, exit 1
kill "$jpid"; wait "$jpid" 2>/dev/null
if "$bin" devices 2>&1 | grep -qE '^ +[0-9]+ '; then
    echo "an audio output exists here: skipping the no-device check"
else
    err=$("$bin" play rock-basic --loops 1 2>&1 >/dev/null); rc=$?
    [ $rc = 1 ] || fail "play without a device exited $rc"
    [ "$(echo "$err" | wc -l)" = 1 ] || fail "expected one line, got: $err"
    echo "$err" | grep -q '^groove: .*audio output' || fail "unclear message: $err"
    echo "no device: $err"
fi
echo "ok"

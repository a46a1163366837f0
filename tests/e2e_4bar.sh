#!/usr/bin/env bash
# e2e_4bar.sh - a 4-bar model through the command line (issue 23): a tiny
# random groovae-hier model (written by test_rnn's a_tiny_four_bar_model_file
# to $GV_TINY4_OUT) makes 4 bars in one piece with generate --bars 4, 8 bars
# with sample --bars 8, interpolates 4 bars; groove info shows its arch,
# modes and length; a mode it lacks (humanize, --lanes) is refused in one
# line naming the model and the mode, and so are the jam and the TUI (2-bar
# windows).
# MIDI files are read back with mido (/usr/bin/python3).
set -u
bin=$(realpath "${GROOVE_BIN:-./groove}")
cd "${GROOVE_ROOT:-.}" || exit 1
build=${GROOVE_BUILD:-build}
tmp=$(mktemp -d /tmp/groove-e2e-4bar.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
M=$tmp/tiny4.safetensors
GV_TINY4_OUT=$M "$build/tests/test_rnn" --filter 'rnn/a_tiny_four_bar_model_file' > "$tmp/log" 2>&1 ||
    fail "test_rnn could not write the model: $(tail -n 5 "$tmp/log")"
[ -f "$M" ] || fail "no model at $M"
export GROOVE_MODEL=

# steps FILE: the file's length in 16th steps (its last event's time, rounded up to a bar)
steps() {
    /usr/bin/python3 - "$1" << 'PY'
import math, mido, sys
m = mido.MidiFile(sys.argv[1])
end = max(sum(e.time for e in t) for t in m.tracks)
print(math.ceil(end / m.ticks_per_beat / 4) * 16)
PY
}

"$bin" info --model "$M" > "$tmp/info" || fail "info: $(cat "$tmp/info")"
grep -q '^arch *groovae-hier$' "$tmp/info" || fail "info: no arch: $(cat "$tmp/info")"
grep -q '^modes *drumify$' "$tmp/info" || fail "info: no modes: $(cat "$tmp/info")"
grep -q '^length *4 bars (64 steps)' "$tmp/info" || fail "info: no length: $(cat "$tmp/info")"
"$bin" info --json --model "$M" | /usr/bin/python3 -c \
    "import json,sys; c=json.load(sys.stdin)['config']; assert c['arch']=='groovae-hier' and c['modes']==['drumify'], c" ||
    fail "info --json: arch or modes"
"$bin" info --json --model engine/models/default.safetensors | /usr/bin/python3 -c \
    "import json,sys; c=json.load(sys.stdin)['config']; assert c['modes']==['drumify','lanes','humanize','full'], c" ||
    fail "info --json: the shipped model's modes (none declared: what its inputs allow)"

# a validation take, 4 bars from bar 2 (as e2e_golden.sh takes them)
take=$(awk -F, '$NF=="validation" && $6=="beat"{print "patterns/gmd/" $8}' patterns/gmd/info.csv | head -n 1)
stem=$(basename "$take" .mid)
"$bin" generate "$take" --start-bar 2 --bars 4 -n 2 --seed 3 --model "$M" -o "$tmp/g" > /dev/null 2> "$tmp/err" ||
    fail "generate --bars 4: $(cat "$tmp/err")"
for f in "$tmp/g/$stem-01.mid" "$tmp/g/$stem-02.mid"; do
    [ "$(steps "$f")" = 64 ] || fail "generate --bars 4: $f has $(steps "$f") steps"
done
"$bin" generate "$take" --start-bar 2 --bars 4 -n 2 --seed 3 --model "$M" -o "$tmp/g2" > /dev/null 2>&1
cmp -s "$tmp/g/$stem-02.mid" "$tmp/g2/$stem-02.mid" || fail "generate: same seed, other bytes"
"$bin" sample --bars 8 -n 1 --seed 4 --temperature 0.5 --model "$M" -o "$tmp/s" > /dev/null 2> "$tmp/err" ||
    fail "sample --bars 8: $(cat "$tmp/err")"
"$bin" sample --model "$M" -o "$tmp/s4" > /dev/null 2> "$tmp/err" || fail "sample: $(cat "$tmp/err")"
[ "$(steps "$tmp/s4/sample-01.mid")" = 64 ] || fail "sample: not the model's 4 bars by default"
"$bin" interpolate "$tmp/g/$stem-01.mid" "$tmp/g/$stem-02.mid" --bars 4 --steps 3 --model "$M" \
    -o "$tmp/i" > /dev/null 2> "$tmp/err" || fail "interpolate --bars 4: $(cat "$tmp/err")"
[ "$(ls "$tmp/i" | wc -l)" = 3 ] || fail "interpolate: $(ls "$tmp/i")"
for f in "$tmp"/s/*.mid "$tmp"/i/*.mid; do
    want=64; [ "${f#"$tmp"/s/}" != "$f" ] && want=128
    [ "$(steps "$f")" = $want ] || fail "$f: $(steps "$f") steps, want $want"
done

# encode 4 bars, decode the latent back to 4 bars
"$bin" encode "$tmp/g/$stem-01.mid" --bars 4 --json --model "$M" > "$tmp/mu.json" 2> "$tmp/err" ||
    fail "encode --bars 4: $(cat "$tmp/err")"
"$bin" decode --z-file "$tmp/mu.json" -o "$tmp/d" --model "$M" > /dev/null 2> "$tmp/err" || fail "decode: $(cat "$tmp/err")"
[ "$(steps "$tmp/d/mu-01.mid")" = 64 ] || fail "decode: not 4 bars"

# modes it lacks: one line naming the model and the mode, exit 1
for args in "humanize patterns/presets/rock-basic.tab -o $tmp/h.mid|no humanize mode" \
    "generate patterns/presets/rock-basic.tab --lanes 2 -o $tmp/r|no lanes mode"; do
    rc=0
    "$bin" ${args%|*} --model "$M" > "$tmp/out" 2> "$tmp/err" || rc=$?
    [ "$rc" = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
        grep -q "^groove: $M: this 4-bar groovae-hier model has ${args#*|} (its modes: drumify)$" "$tmp/err" ||
        fail "${args%|*}: exit $rc: $(cat "$tmp/err")"
done
rc=0
"$bin" jam --taps "$tmp/g/$stem-01.mid" -o "$tmp/j.mid" --model "$M" > /dev/null 2> "$tmp/err" || rc=$?
[ "$rc" = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "works in 2-bar windows" "$tmp/err" ||
    fail "jam with a 4-bar model: exit $rc: $(cat "$tmp/err")"
rc=0
HOME=$tmp XDG_CONFIG_HOME=$tmp/c XDG_DATA_HOME=$tmp/d XDG_STATE_HOME=$tmp/s timeout 60 "$bin" tui --model "$M" \
    < /dev/null > /dev/null 2> "$tmp/err" || rc=$?
[ "$rc" = 1 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "^groove: $M: a 4-bar model (groovae-hier): this works in 2-bar windows" "$tmp/err" ||
    fail "tui with a 4-bar model: exit $rc: $(cat "$tmp/err")"
echo "e2e_4bar: ok"

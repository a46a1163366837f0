#!/usr/bin/env bash
# e2e_swing.sh - swing written as it is heard: `groove convert --swing S`
# puts every odd 16th S/2 of a step late in the .mid (checked with mido, an
# independent reader) and in a .tab's offset lines; `groove render --swing S`
# sounds the odd 16ths at the same place; bad values are usage errors.
set -u
bin=${GROOVE_BIN:-./groove}
cd "${GROOVE_ROOT:-.}" || exit 1
tmp=$(mktemp -d /tmp/groove-e2e-swing.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# hats on every 16th, kick on the beats, on the grid, 120 BPM
cat > "$tmp/grid.tab" << 'EOF'
# tempo: 120
HH  |xxxxxxxxxxxxxxxx|xxxxxxxxxxxxxxxx|
KD  |X---X---X---X---|X---X---X---X---|
EOF
# expect DELAY: mido_check's expectation for grid.tab with odd 16ths DELAY late
expect() {
    printf 'steps 32\nbpm 120\n'
    for s in $(seq 0 31); do
        d=0
        [ $((s % 2)) = 1 ] && d=$1
        echo "$s 42 0.7 $d"
        [ $((s % 4)) = 0 ] && echo "$s 36 1 0"
    done
    return 0
}
mido() { /usr/bin/python3 tests/reference/mido_check.py written "$1" "$2" 2>&1; }

# --swing 0.32 (MPC 58%): odd 16ths 0.16 step (19 ticks at 480 PPQ) late
"$bin" convert "$tmp/grid.tab" "$tmp/s.mid" --swing 0.32 > /dev/null 2> "$tmp/err" ||
    fail "convert --swing: $(cat "$tmp/err")"
expect 0.16 > "$tmp/s.txt"
out=$(mido "$tmp/s.mid" "$tmp/s.txt") || fail "convert --swing 0.32: mido disagrees: $out"
# without --swing: straight, as before
"$bin" convert "$tmp/grid.tab" "$tmp/0.mid" > /dev/null || fail "convert"
expect 0 > "$tmp/0.txt"
out=$(mido "$tmp/0.mid" "$tmp/0.txt") || fail "convert without --swing is not straight: $out"
# .tab: the delay goes into the offset line (1/20 step: 3 = 0.15)
"$bin" convert "$tmp/grid.tab" "$tmp/s.tab" --swing 0.32 > /dev/null || fail "convert to .tab --swing"
grep -qE '^HH~ +\|-3-3-3-3-3-3-3-3\|-3-3-3-3-3-3-3-3\|' "$tmp/s.tab" ||
    fail "no swing in the tab's offset line: $(cat "$tmp/s.tab")"
# .mid in, swung .mid out, read back by groove: odd hats late by 0.16 step
"$bin" show "$tmp/s.mid" --ascii > "$tmp/show" || fail "show of the swung file"

# render: the one hat on the second 16th (cell 1, an odd one) sounds 0.16 step late;
# 120 BPM at 48 kHz is 6000 frames a step
printf '# tempo: 120\nHH  |-x--------------|\n' > "$tmp/one.tab"
onset() { # first frame with a sample over 1e-3
    sox "$1" -t dat - 2> /dev/null | awk '!/^;/ { if ($2 > 1e-3 || $2 < -1e-3) { print NR - 3; exit } }'
}
"$bin" render "$tmp/one.tab" "$tmp/0.wav" > /dev/null || fail "render"
"$bin" render "$tmp/one.tab" "$tmp/s.wav" --swing 0.32 > /dev/null || fail "render --swing"
a=$(onset "$tmp/0.wav") b=$(onset "$tmp/s.wav")
[ -n "$a" ] && [ -n "$b" ] || fail "no onset in the renders ($a, $b)"
[ $((b - a)) -ge 958 ] && [ $((b - a)) -le 962 ] || fail "render --swing 0.32 moved the onset by $((b - a)) frames, want 960"

# usage errors: the range and meaning of `groove play --swing`
for bad in 2 -0.1 x; do
    "$bin" convert "$tmp/grid.tab" "$tmp/x.mid" --swing "$bad" 2> "$tmp/err"
    [ $? = 2 ] || fail "convert --swing $bad is a usage error"
    grep -q -- '--swing' "$tmp/err" || fail "convert --swing $bad: $(cat "$tmp/err")"
done
[ -e "$tmp/x.mid" ] && fail "no output on usage errors"
"$bin" convert --help | grep -q -- '--swing S' || fail "convert --help has no --swing"
echo ok

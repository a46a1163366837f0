#!/usr/bin/env bash
# e2e_jam.sh - `groove jam --taps`: the drums follow a recorded take; the
# export is one format-1 file (drums on channel 10 over the jam's bars, the
# taps as played), the WAV is written, same seed same bytes, bad input one
# line.  Files are read back with mido.
set -eu
cd "$(dirname "$0")/.."
G=${GROOVE_BIN:-$PWD/groove}
export GROOVE_MODEL=$PWD/engine/models/default.safetensors
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
take=$(awk -F, '$NF=="validation" && $6=="beat" && $10 > 40 {print "patterns/gmd/" $8}' patterns/gmd/info.csv | head -n 1)

"$G" jam --taps "$take" --lanes 1 -o "$work/a.mid" --wav "$work/a.wav" > "$work/out.txt"
grep -q "patterns; wrote $work/a.mid and $work/a.wav" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
[ -s "$work/a.wav" ] || { echo "no wav"; exit 1; }
/usr/bin/python3 - "$take" "$work/a.mid" <<'PY'
import sys, mido
take, out = sys.argv[1], sys.argv[2]
t = mido.MidiFile(take)
taps = sum(1 for tr in t.tracks for m in tr if m.type == "note_on" and m.velocity > 0)
m = mido.MidiFile(out)
assert m.type == 1 and len(m.tracks) == 2, (m.type, len(m.tracks))
drums = [x for x in m.tracks[0] if x.type == "note_on" and x.velocity > 0]
assert drums and all(x.channel == 9 for x in drums), "drums on channel 10"
tap_notes = [x for x in m.tracks[1] if x.type == "note_on" and x.velocity > 0]
assert len(tap_notes) == taps, (len(tap_notes), taps)
# the drums cover the jam: from bar 2 (after the first regeneration) to the end
tick, first, last = 0, None, 0
for x in m.tracks[0]:
    tick += x.time
    if x.type == "note_on" and x.velocity > 0:
        first = tick if first is None else first
        last = tick
bar = m.ticks_per_beat * 4
assert bar - bar // 8 <= first < 3 * bar, f"first drum at bar {first / bar:.2f}"
ttick, tlast = 0, 0
for x in m.tracks[1]:
    ttick += x.time
    if x.type == "note_on" and x.velocity > 0:
        tlast = ttick
assert last >= tlast - 2 * bar, f"drums stop at bar {last / bar:.1f}, taps at {tlast / bar:.1f}"
tempo = [x for x in m.tracks[0] if x.type == "set_tempo"]
assert tempo and abs(mido.tempo2bpm(tempo[0].tempo) - mido.tempo2bpm([x for tr in t.tracks for x in tr if x.type == "set_tempo"][0].tempo)) < 0.01
print(f"jam: {len(drums)} drum notes, {len(tap_notes)} taps, bars {first / bar:.0f}..{last / bar:.0f}")
PY

# Same seed, same bytes; another seed, other drums.
"$G" jam --taps "$take" --lanes 1 -o "$work/b.mid" > /dev/null
cmp -s "$work/a.mid" "$work/b.mid" || { echo "same seed gave different files"; exit 1; }
"$G" jam --taps "$take" --lanes 1 --seed 7 -o "$work/c.mid" > /dev/null
! cmp -s "$work/a.mid" "$work/c.mid" || { echo "seed 7 gave the same file"; exit 1; }
# Every beat, half follow, 3 lanes from the drum map: runs and writes.
"$G" jam --taps "$take" --every beat --follow 0.5 -o "$work/d.mid" > "$work/d.txt"
grep -q "wrote $work/d.mid" "$work/d.txt"

# Bad input: one line naming the problem, non-zero exit.
set +e
"$G" jam -o "$work/x.mid" 2> "$work/err1"; rc1=$?
printf 'not midi' > "$work/bad.mid"
"$G" jam --taps "$work/bad.mid" -o "$work/x.mid" 2> "$work/err2"; rc2=$?
"$G" jam --taps "$take" --every 3 -o "$work/x.mid" 2> "$work/err3"; rc3=$?
set -e
[ "$rc1" = 2 ] && grep -q -- "--taps TAKE.mid is required" "$work/err1" || { cat "$work/err1"; exit 1; }
[ "$rc2" = 1 ] && [ "$(wc -l < "$work/err2")" = 1 ] && grep -q "$work/bad.mid" "$work/err2" || { cat "$work/err2"; exit 1; }
[ "$rc3" = 2 ] && grep -q "beat, bar or 2bars" "$work/err3" || { cat "$work/err3"; exit 1; }
[ ! -e "$work/x.mid" ] || { echo "a failed jam wrote its output"; exit 1; }
echo "e2e_jam: ok"

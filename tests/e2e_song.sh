#!/usr/bin/env bash
# e2e_song.sh - `groove song FILE.json -o OUT.mid` and `groove render
# FILE.json OUT.wav`: a 3-section song of library patterns and a file, with
# a generated fill and a library fill; the export read back with mido
# (length, markers, notes per section), same song same bytes, the WAV as long
# as the song, bad songs one line and a non-zero exit.
set -eu
cd "$(dirname "$0")/.."
G=${GROOVE_BIN:-$PWD/groove}
export GROOVE_MODEL=$PWD/engine/models/default.safetensors
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data
lib=$XDG_DATA_HOME/groove/library
mkdir -p "$lib"
"$G" convert rock-basic "$lib/rock.mid" > /dev/null
"$G" convert funk-basic "$lib/funk.mid" > /dev/null
"$G" convert disco "$work/disco.mid" > /dev/null
cat > "$work/demo.json" <<'JSON'
{"version": 1, "name": "demo", "bpm": 110,
 "sections": [
   {"name": "intro", "pattern": "rock", "repeat": 2},
   {"name": "verse", "pattern": "funk", "repeat": 3, "fill": {"method": "vary", "seed": 4}},
   {"name": "out", "file": "disco.mid", "fill": {"pattern": "rock"}}]}
JSON

"$G" song "$work/demo.json" -o "$work/a.mid" > "$work/out.txt"
grep -q "a.mid: 3 sections, 12 bars at 110 BPM" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
"$G" song "$work/demo.json" -o "$work/b.mid" > /dev/null
cmp "$work/a.mid" "$work/b.mid" || { echo "same song, different bytes"; exit 1; }
/usr/bin/python3 - "$work/a.mid" <<'PY'
import sys, mido
m = mido.MidiFile(sys.argv[1])
assert m.type == 1 and len(m.tracks) == 1, (m.type, len(m.tracks))
bar = m.ticks_per_beat * 4
t, marks, ons, end = 0, [], [], None
for x in m.tracks[0]:
    t += x.time
    if x.type == "marker":
        marks.append((t // bar, x.text))
    elif x.type == "note_on" and x.velocity > 0:
        assert x.channel == 9
        ons.append(t)
    elif x.type == "end_of_track":
        end = t
assert marks == [(0, "intro"), (4, "verse"), (10, "out")], marks
assert end == 12 * bar, end / bar
assert abs(m.length - 12 * 4 * 60 / 110) < 1e-3, m.length
per = [sum(1 for o in ons if a * bar <= o < b * bar) for a, b in ((0, 4), (4, 10), (10, 12))]
assert all(n > 0 for n in per), per
PY

"$G" render "$work/demo.json" "$work/a.wav" > "$work/out.txt"
grep -q "a song of 3 sections (6 parts) at 110 BPM" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }
secs=$(soxi -D "$work/a.wav")
awk -v s="$secs" 'BEGIN { exit !(s >= 12 * 4 * 60 / 110 && s < 12 * 4 * 60 / 110 + 9) }' ||
    { echo "render lasts $secs s"; exit 1; }
"$G" render "$work/demo.json" "$work/t.wav" --tempo 220 > "$work/out.txt"
grep -q "at 220 BPM" "$work/out.txt" || { cat "$work/out.txt"; exit 1; }

# bad songs: one line naming the file, non-zero exit, nothing written
fail() { # expected-substring, then the command
    local want=$1; shift
    if "$@" > "$work/o.txt" 2> "$work/e.txt"; then echo "accepted: $*"; exit 1; fi
    [ "$(wc -l < "$work/e.txt")" = 1 ] || { echo "not one line: $*"; cat "$work/e.txt"; exit 1; }
    grep -q -- "$want" "$work/e.txt" || { echo "want '$want': $*"; cat "$work/e.txt"; exit 1; }
}
printf '{"version": 1, "sections": [tru' > "$work/bad.json"
fail "bad.json: not JSON" "$G" song "$work/bad.json" -o "$work/x.mid"
printf '{"version": 1, "sections": [{"pattern": "gone"}]}' > "$work/gone.json"
fail "gone.json: section 1 (1 gone): " "$G" song "$work/gone.json" -o "$work/x.mid"
fail "gone.json: section 1" "$G" render "$work/gone.json" "$work/x.wav"
printf '{"version": 1, "sections": [{"pattern": "rock", "repeat": 0}]}' > "$work/rep.json"
fail "rep.json: section 1: \"repeat\" must be" "$G" song "$work/rep.json" -o "$work/x.mid"
fail "x.wav: the output must be a .mid" "$G" song "$work/demo.json" -o "$work/x.wav"
fail "-o OUT.mid is required" "$G" song "$work/demo.json"
fail "missing.json: " "$G" song "$work/missing.json" -o "$work/x.mid"
[ ! -e "$work/x.mid" ] && [ ! -e "$work/x.wav" ] || { echo "a failed song wrote a file"; exit 1; }
echo "e2e_song: ok"

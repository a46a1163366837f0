#!/usr/bin/env bash
# e2e_long_take.sh - `groove generate TAKE.mid` on an 87-second GMD take
# (29 bars) generates all of it: one format-1 file a suggestion covering the
# whole take, a plausible number of notes in every 16 bars, the first 16
# bars exactly what the 16-bar window gives (what generate wrote before the
# cap was lifted), same seed same bytes, and suggestion i again from its own
# seed with -n 1.  Files are read back with mido.
set -eu
cd "$(dirname "$0")/.."
G=${GROOVE_BIN:-$PWD/groove}
export GROOVE_MODEL=$PWD/engine/models/default.safetensors
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
take=patterns/gmd/drummer1/session1/1_funk_80_beat_4-4.mid
stem=1_funk_80_beat_4-4

"$G" generate "$take" -n 2 --seed 3 -o "$work/long" --json > "$work/long.json"
"$G" generate "$take" -n 2 --seed 3 -o "$work/again" > /dev/null
"$G" generate "$take" -n 2 --seed 3 --bars 16 -o "$work/short" > /dev/null
seed2=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"][1]["seed"])' "$work/long.json")
"$G" generate "$take" -n 1 --seed "$seed2" -o "$work/one" > /dev/null
for i in 01 02; do cmp "$work/long/$stem-$i.mid" "$work/again/$stem-$i.mid" || { echo "same seed, other bytes"; exit 1; }; done

/usr/bin/python3 - "$take" "$work" "$stem" <<'PY'
import json, sys, mido
take, work, stem = sys.argv[1:]

def onsets(path):
    m = mido.MidiFile(path)
    out = []
    for tr in m.tracks:
        t = 0
        for x in tr:
            t += x.time
            if x.type == "note_on" and x.velocity > 0:
                out.append((t * 480 // m.ticks_per_beat, x.note, x.velocity))
    return sorted(out), m

src, sm = onsets(take)
bar = 1920
first_bar = min(t for t, _, _ in src) // bar
last_bar = max(t for t, _, _ in src) // bar
bars = last_bar - first_bar + 1
assert bars > 16, bars
for i in ("01", "02"):
    got, m = onsets(f"{work}/long/{stem}-{i}.mid")
    short, _ = onsets(f"{work}/short/{stem}-{i}.mid")
    assert m.type == 1, m.type
    # the whole take: the file lasts its bars, drums up to its last bar
    end = sum(x.time for x in m.tracks[0])
    assert end == bars * bar, (end / bar, bars)
    assert max(t for t, _, _ in got) >= (bars - 1) * bar - 60, "drums stop before the last bar"
    # the first 16 bars are the 16-bar window's, note for note
    head = [x for x in got if x[0] < 16 * bar - 60]
    assert head == [x for x in short if x[0] < 16 * bar - 60], "first 16 bars differ"
    # plausible: every 16 bars about as busy as the first (per bar)
    rate0 = len(head) / 16
    tail = [x for x in got if x[0] >= 16 * bar - 60]
    rate1 = len(tail) / (bars - 16)
    assert 0.4 * rate0 < rate1 < 2.5 * rate0, (rate0, rate1)
    assert 0.3 * len(src) < len(got) < 4 * len(src), (len(got), len(src))
one, _ = onsets(f"{work}/one/{stem}-01.mid")
two, _ = onsets(f"{work}/long/{stem}-02.mid")
assert one == two, "suggestion 2 not reproduced from its seed"
rec = json.load(open(f"{work}/long.json"))["files"]
assert len(rec) == 2 and all(len(r["z"]) == 15 for r in rec), [len(r["z"]) for r in rec]
PY
echo "e2e_long_take: ok"

#!/usr/bin/env bash
# e2e_modes.sh - issue 20's modes through the command line with the shipped
# (conditioned) model: `generate --lanes N` hits only where a lane has a tap
# and sounds every tap; `--keep-voices` gives the kept voices back note for
# note; `humanize` keeps every hit and moves velocities and timing; `sample`
# draws from the model's mixture prior; `eval` in a mode checks its promises;
# a model of the groove alone refuses the modes in one line.  MIDI files are
# read back with mido (an independent reader).
set -u
bin=${GROOVE_BIN:-./groove}
cd "${GROOVE_ROOT:-.}" || exit 1
tmp=$(mktemp -d /tmp/groove-e2e-modes.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
py() { /usr/bin/python3 - "$@" || fail "check failed (see above)"; }

cond=$(sed -n 's/^#define GV_COND_FEATURES \([0-9]*\).*/\1/p' engine/cond.h)
grep -q "\"src_features\":[[:space:]]*$cond," engine/models/default.json ||
    fail "the shipped model is not conditioned (src_features $cond)"

# A groove of kick, snare, closed hat, toms and a crash, with accents, ghosts and offsets.
cat > "$tmp/in.tab" << 'EOF'
# tempo: 100
CR  |X---------------|----------------|
HH  |XoxoXoxoXoxoXoxo|x-x-x-x-x-x-x-xx|
HH~ |-1-2-1-2-1-2-1-2|----------------|
HT  |----------------|------------x---|
MT  |----------------|-------------x--|
SD  |----X--o----X---|----X-------X--o|
SD~ |-------3--------|---------------c|
LT  |----------------|--------------x-|
KD  |X-x-------x--x--|X-----x---x-----|
KD~ |--3-------------|------a---------|
EOF
"$bin" convert "$tmp/in.tab" "$tmp/in.mid" 2> "$tmp/err" || fail "convert: $(cat "$tmp/err")"

# mido: a file's notes as {(step, note): velocity} (480 PPQ, 120 ticks a step)
cat > "$tmp/notes.py" << 'EOF'
import mido
def notes(path):
    out, t = {}, 0
    for msg in mido.MidiFile(path).tracks[0]:
        t += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            out[(int(t // 120 + (1 if t % 120 >= 60 else 0)), msg.note)] = (t, msg.velocity)
    return out
# GM notes groove writes per voice and each voice's lane (patterns/lanes.h)
NOTE = {"kick": 36, "snare": 38, "chat": 42, "ohat": 46, "ltom": 43, "mtom": 47, "htom": 50, "crash": 49, "ride": 51}
LANE3 = {36: 0, 43: 0, 38: 1, 47: 1, 50: 1, 42: 2, 46: 2, 49: 2, 51: 2}
LANE2 = {n: (0 if l == 0 else 1) for n, l in LANE3.items()}
EOF

# --lanes 2 and 3: drums only where their lane has a tap, and every tap sounds
for n in 2 3; do
    "$bin" generate "$tmp/in.mid" --lanes $n -n 4 --seed 5 -o "$tmp/l$n" 2> "$tmp/err" || fail "--lanes $n: $(cat "$tmp/err")"
    py "$tmp" $n << 'EOF'
import sys, glob; sys.path.insert(0, sys.argv[1]); from notes import *
lanes = LANE3 if sys.argv[2] == "3" else LANE2
taps = {(s, lanes[n]) for (s, n) in notes(sys.argv[1] + "/in.mid")}
outs = sorted(glob.glob(sys.argv[1] + "/l" + sys.argv[2] + "/*.mid"))
assert len(outs) == 4, outs
for f in outs:
    got = {(s, lanes[n]) for (s, n) in notes(f)}
    assert got <= taps, (f, "hits off their lane", sorted(got - taps))
    assert got == taps, (f, "taps not sounded", sorted(taps - got))
EOF
done

# --keep-voices kick,snare: those notes exactly as in the input (tick and velocity)
"$bin" generate "$tmp/in.mid" --keep-voices kick,SD -n 4 --seed 2 -o "$tmp/k" 2> "$tmp/err" || fail "--keep-voices: $(cat "$tmp/err")"
py "$tmp" << 'EOF'
import sys, glob; sys.path.insert(0, sys.argv[1]); from notes import *
inp = notes(sys.argv[1] + "/in.mid")
kept = {k: v for k, v in inp.items() if k[1] in (36, 38)}
for f in sorted(glob.glob(sys.argv[1] + "/k/*.mid")):
    out = notes(f)
    mine = {k: v for k, v in out.items() if k[1] in (36, 38)}
    assert mine == kept, (f, sorted(set(mine.items()) ^ set(kept.items())))
    assert any(k[1] not in (36, 38) for k in out), (f, "nothing generated around the kept voices")
EOF
"$bin" generate "$tmp/in.mid" --keep-voices kick --lanes 3 -o "$tmp/x" 2> "$tmp/err" && fail "--keep-voices with --lanes 3 accepted"
grep -q "one or the other" "$tmp/err" || fail "--keep-voices with --lanes: $(cat "$tmp/err")"

# humanize: a quantized beat at one velocity keeps every hit and gets a feel
"$bin" convert rock-basic "$tmp/rock.mid" 2> "$tmp/err" || fail "convert rock-basic: $(cat "$tmp/err")"
"$bin" humanize "$tmp/rock.mid" -o "$tmp/h.mid" --seed 3 > "$tmp/hout" 2> "$tmp/err" || fail "humanize: $(cat "$tmp/err")"
grep -q "^wrote $tmp/h.mid: [0-9]* hits kept; velocity moved" "$tmp/hout" || fail "humanize said: $(cat "$tmp/hout")"
"$bin" humanize "$tmp/rock.mid" -o "$tmp/h2.mid" --seed 3 > /dev/null 2>&1 || fail "humanize again"
cmp -s "$tmp/h.mid" "$tmp/h2.mid" || fail "humanize: same seed, different bytes"
py "$tmp" << 'EOF'
import sys; sys.path.insert(0, sys.argv[1]); from notes import *
a, b = notes(sys.argv[1] + "/rock.mid"), notes(sys.argv[1] + "/h.mid")
assert set(a) == set(b), ("hits changed", sorted(set(a) ^ set(b)))
vel = sum(a[k][1] != b[k][1] for k in a)
tim = sum(a[k][0] != b[k][0] for k in a)
assert vel > len(a) // 2 and tim > 0, (vel, tim, len(a))
EOF
"$bin" humanize "$tmp/rock.mid" 2> "$tmp/err" && fail "humanize without -o accepted"
grep -q "^groove: humanize: -o OUT.mid is required$" "$tmp/err" || fail "humanize without -o: $(cat "$tmp/err")"

# sample: from the mixture prior, reproducible
"$bin" sample -n 3 --seed 4 -o "$tmp/s1" 2> "$tmp/err" || fail "sample: $(cat "$tmp/err")"
"$bin" sample -n 3 --seed 4 -o "$tmp/s2" 2> /dev/null || fail "sample again"
for i in 01 02 03; do cmp -s "$tmp/s1/sample-$i.mid" "$tmp/s2/sample-$i.mid" || fail "sample $i differs"; done
grep -q '"prior_components"' engine/models/default.json || fail "the shipped model has no fitted prior"

# eval in a mode: its promises hold on a few real drummers
GMD="--data patterns/gmd --max-files 2"
"$bin" eval $GMD --lanes 3 --no-anchors --json > "$tmp/e3" 2> "$tmp/err" || fail "eval --lanes 3: $(cat "$tmp/err")"
py "$tmp/e3" << 'EOF'
import json, sys; d = json.load(open(sys.argv[1]))["modes"]["lanes3"]
assert d["off_lane"] == 0 and d["rhythm_f1"] == 1.0 and 0 < d["f1"] <= 1, d
EOF
"$bin" eval $GMD --keep-voices kick,snare --no-anchors --json > "$tmp/ek" 2> "$tmp/err" || fail "eval --keep-voices: $(cat "$tmp/err")"
py "$tmp/ek" << 'EOF'
import json, sys; d = json.load(open(sys.argv[1]))["modes"]["lanes1_keep_kick_snare"]
assert d["kept_changed"] == 0 and d["off_lane"] == 0 and d["f1_voice"]["kick"] == 0, d
EOF
"$bin" eval $GMD --humanize --no-anchors --json > "$tmp/eh" 2> "$tmp/err" || fail "eval --humanize: $(cat "$tmp/err")"
py "$tmp/eh" << 'EOF'
import json, sys; d = json.load(open(sys.argv[1]))["modes"]["humanize"]
assert d["f1"] == 1.0 and 0 < d["velocity_mae"] < 0.5 and 0 < d["offset_mae"] < 0.5, d
EOF

# A model of the groove alone refuses the modes: one line naming it, exit 1.
"$bin" train $GMD --inputs groove --epochs 1 --batch 16 -o "$tmp/g.safetensors" --quiet > /dev/null 2> "$tmp/err" ||
    fail "train --inputs groove: $(cat "$tmp/err")"
for args in "generate $tmp/in.mid --lanes 2 -o $tmp/r" "generate $tmp/in.mid --keep-voices kick -o $tmp/r" \
    "humanize $tmp/in.mid -o $tmp/r.mid"; do
    rc=0
    "$bin" $args --model "$tmp/g.safetensors" > "$tmp/out" 2> "$tmp/err" || rc=$?
    [ "$rc" = 1 ] || fail "$args with a groove-only model: exit $rc"
    [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "^groove: $tmp/g.safetensors: this model takes the groove alone" "$tmp/err" ||
        fail "$args with a groove-only model: $(cat "$tmp/err")"
done
rc=0
"$bin" eval $GMD --lanes 2 --model "$tmp/g.safetensors" > /dev/null 2> "$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q "this model takes the groove alone" "$tmp/err" || fail "eval --lanes 2, groove model: $rc $(cat "$tmp/err")"
echo "e2e_modes: ok"

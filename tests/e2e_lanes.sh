#!/usr/bin/env bash
# e2e_lanes.sh - `groove eval --anchors-only` (issue 20's anchors) from the
# command line: with 3 lanes the copy anchor is exact on a groove of kick,
# snare and closed hat; no k-NN hit where its lane has no tap; kept voices
# come back exactly; a refused voice name is one line and exit 2.
set -u
bin=${GROOVE_BIN:-./groove}
cd "${GROOVE_ROOT:-.}" || exit 1
tmp=$(mktemp -d /tmp/groove-e2e-lanes.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $2" "$1" || fail "$3: $(cat "$1")"; }

# A data folder whose info.csv puts the presets in train and a groove of
# kick, snare and closed hat only (accents, ghosts, offsets) in validation.
mkdir -p "$tmp/d"
echo "split,beat_type,time_signature,midi_filename" > "$tmp/d/info.csv"
for f in funk-basic rock-basic disco afrobeat breakbeat-amen bossa-nova; do
    "$bin" convert --bars 0 "patterns/presets/$f.tab" "$tmp/d/$f.mid" 2> "$tmp/err" || fail "convert $f: $(cat "$tmp/err")"
    echo "train,beat,4-4,$f.mid" >> "$tmp/d/info.csv"
done
cat > "$tmp/ksh.tab" << 'EOF'
# tempo: 100
HH  |XoxoXoxoXoxoXoxo|x-x-x-x-x-x-x-xx|XxXxXxXxXxXxXxXx|x-x-x-x-x-x-x-x-|
HH~ |-1-2-1-2-1-2-1-2|----------------|a-b-a-b-a-b-a-b-|----------------|
SD  |----X--o----X---|----X-------X--o|----X--o-o--X---|--o-X---o---X-o-|
SD~ |-------3--------|---------------c|-------2-2------|--1-----1-----1-|
KD  |X-x-------x--x--|X-----x---x-----|X-x---x---x-----|X-------X-X-----|
KD~ |--3-------------|------a---------|----------------|--------2-------|
EOF
"$bin" convert --bars 0 "$tmp/ksh.tab" "$tmp/d/ksh.mid" 2> "$tmp/err" || fail "convert ksh: $(cat "$tmp/err")"
echo "validation,beat,4-4,ksh.mid" >> "$tmp/d/info.csv"

"$bin" eval --anchors-only --data "$tmp/d" --lanes 3 --json > "$tmp/l3" 2> "$tmp/err" || fail "lanes 3: $(cat "$tmp/err")"
json "$tmp/l3" "a = d['lanes3']; assert d['windows'] == 3, d['windows']; \
assert a['copy']['f1'] == 1.0 and a['copy']['velocity_mae'] < 1e-6 and a['copy']['offset_mae'] < 1e-6, a['copy']; \
assert a['knn']['off_lane'] == 0 and a['copy']['off_lane'] == 0 and a['knn_fill']['off_lane'] == 0; \
assert 1 <= a['k'] <= 16 and 1 <= a['k_fill'] <= 16" \
    "the 3-lane copy of a kick / snare / closed hat groove is not exact"
# two lanes put the snare on the hat: no longer exact
"$bin" eval --anchors-only --data "$tmp/d" --lanes 2 --json > "$tmp/l2" 2> "$tmp/err" || fail "lanes 2: $(cat "$tmp/err")"
json "$tmp/l2" "a = d['lanes2']; assert a['copy']['f1'] < 1.0 and a['knn']['off_lane'] == 0" "lanes 2"

# On real drummers (a few GMD files): every configuration stays on its lanes
# and gives the kept voices back; humanize keeps every hit.
GMD="--data patterns/gmd --max-files 3"
"$bin" eval --anchors-only $GMD --json --threads 2 > "$tmp/all" 2> "$tmp/err" || fail "all anchors: $(cat "$tmp/err")"
json "$tmp/all" "cfg = ['lanes1', 'lanes2', 'lanes3', 'lanes1_keep_kick_snare']; \
assert all(d[c][m]['off_lane'] == 0 and d[c][m]['kept_changed'] == 0 for c in cfg for m in ('copy', 'knn', 'knn_fill')); \
assert all(0 < d[c][m]['f1'] < 1 for c in cfg for m in ('copy', 'knn', 'knn_fill')); \
assert all(d[c]['knn_fill']['rhythm_f1'] == 1.0 for c in cfg); \
assert d['lanes1_keep_kick_snare']['keep'] == 'kick,snare'; \
assert d['lanes1_keep_kick_snare']['knn']['f1_voice']['kick'] == 0 and d['lanes1_keep_kick_snare']['knn']['f1_voice']['snare'] == 0; \
h = d['humanize']; assert all(h[m]['f1'] == 1.0 for m in ('quantized', 'voice_mean', 'nearest_feel')); \
assert h['voice_mean']['velocity_mae'] < h['quantized']['velocity_mae']" "anchors on GMD"
# any voices by name or label, with lanes; --k fixes k
"$bin" eval --anchors-only $GMD --lanes 3 --keep-voices 'HH,ride' --k 4 --json > "$tmp/kv" 2> "$tmp/err" ||
    fail "--keep-voices HH,ride: $(cat "$tmp/err")"
json "$tmp/kv" "a = d['lanes3_keep_closed_hat_ride']; assert a['k'] == 4 and not a['k_picked']; \
assert a['knn']['kept_changed'] == 0 and a['knn']['off_lane'] == 0 and a['copy']['kept_changed'] == 0; \
assert a['knn_fill']['kept_changed'] == 0 and a['knn_fill']['off_lane'] == 0 and a['k_fill'] == 4" "keep HH,ride"
"$bin" eval --anchors-only $GMD --humanize > "$tmp/h" 2> "$tmp/err" || fail "--humanize: $(cat "$tmp/err")"
grep -q "^humanize: per-voice mean" "$tmp/h" && grep -q "^humanize: nearest feel" "$tmp/h" || fail "humanize rows: $(cat "$tmp/h")"
grep -q "^lanes" "$tmp/h" && fail "--humanize alone printed lane anchors"

# Refusals: one line, exit 2, nothing on stdout.
refused() { # refused PATTERN ARGS...
    local pat=$1 rc=0
    shift
    "$bin" eval "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
    [ "$rc" = 2 ] || fail "eval $*: exit $rc, not 2"
    [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "^groove: $pat" "$tmp/err" || fail "eval $*: $(cat "$tmp/err")"
    [ -s "$tmp/out" ] && fail "eval $*: printed $(cat "$tmp/out")"
    return 0
}
refused "eval: --keep-voices: unknown voice 'cowbell'; voices: kick (KD), snare (SD)" --anchors-only $GMD --keep-voices kick,cowbell
refused "eval: --keep-voices: empty voice name" --anchors-only $GMD --keep-voices kick,
refused "eval: --keep-voices: every voice kept" --anchors-only $GMD --keep-voices KD,SD,HH,OH,LT,MT,HT,CR,RD
refused "--lanes: '4'" --anchors-only $GMD --lanes 4
refused "--k: '17'" --anchors-only $GMD --k 17
refused "eval: --anchors-only takes no --model" --anchors-only --model "$tmp/m.safetensors"
echo "e2e_lanes: ok"

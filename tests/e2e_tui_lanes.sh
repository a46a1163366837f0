#!/usr/bin/env bash
# e2e_tui_lanes.sh - issue 20 in the TUI, driven through tmux: the lane
# count on the status line (the lanes key cycles it; a tap on one keyboard
# row is 1 lane, on two rows 3 lanes), a locked voice marked on its row and
# kept exactly in every suggestion (read back from the session file), and
# humanize changing the input's velocity and timing, with undo giving the
# input back exactly; g on an empty input generates from nothing.  Needs a model that takes lanes: the shipped one when it
# does, else a tiny one trained here in a second.  Every wait is bounded; the
# tmux server is private and killed on exit.
set -eu
. "$(dirname "$0")/tmux_lib.sh"
tmux_init lanes

# A model that takes lanes, kept voices and humanize (src_features GV_COND_FEATURES).
MODEL=
COND=$(sed -n 's/^#define GV_COND_FEATURES \([0-9]*\).*/\1/p' "$R/engine/cond.h")
if ! grep -qE "\"src_features\":[[:space:]]*$COND," "$R/engine/models/default.json" 2> /dev/null; then
    (cd "$R" && "$G" train --data patterns/gmd --max-files 8 --epochs 1 --d-model 32 --ff 64 --layers 1 \
        --latent 16 --seed 3 -o "$T/m.safetensors") > "$T/train.log" 2>&1 || { cat "$T/train.log"; exit 1; }
    MODEL="--model '$T/m.safetensors'"
fi

SESSION="$T/home/.local/state/groove/session.json"
start() { # start ARGS...: groove in a fresh 80x24 session
    stop_server
    tm new-session -d -x 80 -y 24 -s "$S" \
        "cd '$T/work' && exec env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME='$T/home' \
         LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' GROOVE_CLOCK_FILE='$T/clock' \
         '$G' $MODEL $* 2>>'$T/stderr'"
}
status() { screen | tail -1; }
lit() { tm send-keys -t "$S" -l "$1"; }

# ---- the reference: the preset as the session saves it ----
start rock-basic
wait_for ' GR ' "the first screen"
wait_for 'opened .*rock-basic' "the preset to open"
keys q
wait_exit
cp "$SESSION" "$T/ref.json"

# ---- the lanes key: 1 -> 2 -> 3 -> 1 on the status line ----
start --fresh rock-basic
wait_for 'opened .*rock-basic' "the preset to open"
keys '?' # the new keys are in the help, on its first page
wait_for 'input lanes: 1 / 2 / 3' "the lanes key in the help"
for k in 'L +lock / unlock cursor voice' "; / ' +cursor voice: cap" '\( / \) +cursor voice: density' 'H +humanize'; do
    screen | grep -qE "$k" || fail "no '$k' in the help"
done
keys Escape
wait_gone 'input lanes: 1' "the help"
status | grep -q '1 lane' || fail "no '1 lane' on the status line"
keys a
wait_for '2 lanes: low' "the 2-lane message"
status | grep -q '2 lanes' || fail "no '2 lanes' on the status line"
keys a
wait_for '3 lanes: low' "the 3-lane message"
status | grep -q '3 lanes' || fail "no '3 lanes' on the status line"
keys a
wait_for '1 lane: the groove alone' "the 1-lane message"

# ---- lock the kick (the cursor's row): marked, kept in every suggestion ----
screen | grep -q '^ KD' || fail "the kick row is marked before it is locked"
keys L
wait_for 'kick locked' "the lock message"
wait_for '^(■|#)KD' "the lock mark on the kick row"
keys g
wait_for '[0-9] suggestions, [0-9]+ hits' "the suggestions"

# ---- humanize: every hit kept, velocity and timing moved; u undoes ----
hits=$(screen | grep -oE '[│|] [0-9]+ hits *$' | grep -oE '[0-9]+')
[ -n "$hits" ] || fail "no hit count in the side panel"
keys H
wait_for 'humanized [0-9]+ hits: velocity moved' "the humanize message"
msg=$(screen | head -1)
echo "$msg" | grep -qE "humanized $hits hits" || fail "humanize did not keep the $hits hits: $msg"
/usr/bin/python3 - "$msg" << 'EOF' || fail "humanize changed nothing: $msg"
import re, sys
m = re.search(r"velocity moved ([0-9.]+) \(MIDI\) and timing ([0-9.]+) steps", sys.argv[1])
sys.exit(0 if m and (float(m.group(1)) > 0 or float(m.group(2)) > 0) else 1)
EOF
screen | grep -qE '[│|] humanized *$' || fail "the input's source is not 'humanized'"
keys u
wait_for 'groove +undone' "undo"

keys q
wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
keys y
wait_for 'Replace the saved session' "the replace question"
keys y
wait_exit
/usr/bin/python3 - "$SESSION" "$T/ref.json" << 'EOF' || fail "the session does not hold what was asked"
import json, sys
s, ref = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
KICK = 0
cells = lambda p, v=None: sorted(tuple(h) for h in p["hits"] if v is None or h[1] == v)
ok = True
if cells(s["input"]) != cells(ref["input"]):
    print("undo did not give the input back:", cells(s["input"])[:4], cells(ref["input"])[:4]); ok = False
if s["settings"].get("locked") != "kick":
    print("locked:", s["settings"].get("locked")); ok = False
kick = cells(s["input"], KICK)
if not kick:
    print("the input has no kick"); ok = False
for i, g in enumerate(s["suggestions"]):
    if cells(g["pattern"], KICK) != kick:
        print("suggestion", i + 1, "kick", cells(g["pattern"], KICK), "input", kick); ok = False
if len(s["suggestions"]) < 1:
    print("no suggestions"); ok = False
sys.exit(0 if ok else 1)
EOF

# ---- tap: one row is 1 lane, two rows 3 lanes ----
# The TUI reads its clock from $T/clock (GROOVE_CLOCK_FILE): each tap is sent
# at its step's time and awaited before time moves on (see e2e_tui.sh).
clock() { echo "$1" > "$T/clock.tmp" && mv "$T/clock.tmp" "$T/clock"; }
tap() { # tap "STEP:KEY ...": one take at 75 BPM (a step is 200 ms)
    local base n=0
    base=$(awk '{ printf "%d", $1 }' /proc/uptime)
    clock "$base"
    keys t
    wait_for 'count-in' "the count-in"
    for sk in $1; do
        clock "$(awk -v b="$base" -v s="${sk%%:*}" 'BEGIN { printf "%.4f", b + (16 + s) * 0.2 + 0.02 }')"
        wait_for 'REC' "recording at step ${sk%%:*}"
        lit "${sk#*:}"
        n=$((n + 1))
        wait_for " $n taps" "tap $n"
    done
    clock "$((base + 11))" # past the 2 bars: the tap ends
    wait_for '[│|] tap *$' "the tap to finish"
    rm -f "$T/clock"
}
start --fresh rock-basic
wait_for 'opened .*rock-basic' "the preset to open"
bpm=$(status | grep -oE '[0-9]+ ?(bpm|BPM)' | grep -oE '[0-9]+')
[ -n "$bpm" ] || fail "no tempo on the status line"
while [ "$bpm" -gt 75 ]; do keys ,; bpm=$((bpm - 1)); done
wait_for '75 ?(bpm|BPM)' "75 BPM"
# ---- g on an empty input: from nothing, as groove sample ----
keys C
wait_for 'input cleared' "the cleared input"
keys g
wait_for '[0-9] suggestions, [0-9]+ hits' "suggestions from nothing"
keys a a # 3 lanes before the tap: the tap decides
wait_for '3 lanes: low' "3 lanes"
tap "0:q 4:w 8:e 12:r 16:q 20:w"
wait_for '[0-9] suggestions, [0-9]+ hits' "suggestions from the one-row tap"
status | grep -q '1 lane' || fail "a tap on one row is not 1 lane"
tap "0:z 4:a 8:z 10:z 12:a 16:z 20:a 24:z 28:a"
wait_for '[0-9] suggestions, [0-9]+ hits' "suggestions from the two-row tap"
status | grep -q '3 lanes' || fail "a tap on two rows is not 3 lanes"
keys q
wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
keys y
wait_for 'Replace the saved session' "the replace question"
keys y
wait_exit

if grep -qE 'Sanitizer|runtime error|leak' "$T/stderr" 2> /dev/null; then
    cat "$T/stderr"
    exit 1
fi
grep -q . "$T/stderr" && { echo "stderr is not empty:"; cat "$T/stderr"; exit 1; }
echo "e2e_tui_lanes: ok"

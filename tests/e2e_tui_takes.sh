#!/usr/bin/env bash
# e2e_tui_takes.sh - issue 22 in the TUI, driven through tmux: a long GMD
# take whose first notes are a pickup opens at its first full bar with a
# backbeat (bars 2-3), with its place and mini-map on the take line; o
# FILE:20 and the bar keys move the window to bar 20 (the input read back
# from the session file is the command line's --start-bar 20 window); three
# generations are three batches, and z steps back through them (the session
# file's suggestions follow); the new keys are in the help.  The model is
# the shipped one.  Every wait is bounded; the tmux server is private and
# killed on exit.  Nothing here is timed.
set -eu
command -v python3 > /dev/null || { echo "python3 is not installed"; exit 1; }
. "$(dirname "$0")/tmux_lib.sh"
tmux_init takes

TAKE="$R/patterns/gmd/drummer1/session1/102_funk_95_beat_4-4.mid"
SESSION="$T/home/.local/state/groove/session.json"
start() { # start ARGS...: groove in a fresh 100x30 session
    stop_server
    tm new-session -d -x 100 -y 30 -s "$S" \
        "cd '$T/work' && exec env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME='$T/home' \
         LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' GROOVE_CLOCK_FILE='$T/clock' \
         '$G' $* 2>>'$T/stderr'"
}
lit() { tm send-keys -t "$S" -l "$1"; }
# session KEY: a value of the saved session, as python prints it
session() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$SESSION"; }
# ---- the take opens at its first full bar with a backbeat ----
start --fresh "'$TAKE'"
wait_for 'bars 2-3 of [0-9]+' "the take line"
screen | grep -q 'first full bar with a backbeat' || fail "the open message does not say where it starts"
screen | grep -qE 'bars 2-3 of [0-9]+ [▁▂▃▄▅▆▇█·]{20}' || fail "no mini-map beside the place"
keys '?' # the new keys are in the help, on one page or the next
wait_for 'this help' "the help"
seen=
for page in 1 2 3 4; do
    for k in 'b / w move the window a bar, pgup / pgdn 2 bars' 'z / Z older / newer batch (32 kept), R makes the shown one'; do
        screen | grep -qF "$k" && seen="$seen|$k"
    done
    keys NPage
    sleep 0.3 # a poll, not a timing: the next page is drawn before it is read
done
for k in 'b / w move the window a bar, pgup / pgdn 2 bars' 'z / Z older / newer batch (32 kept), R makes the shown one'; do
    case "$seen" in *"|$k"*) ;; *) fail "no '$k' in the help" ;; esac
done
keys Escape
wait_gone 'this help' "the help"

# ---- to bar 20: o FILE:18, then a bar on twice ----
keys o
lit "$TAKE:18"
keys Enter
wait_for 'bars 18-19 of' "the window at bar 18"
keys w
wait_for 'bars 19-20 of' "a bar on"
keys w
wait_for 'bars 20-21 of' "a bar on again"
keys PageDown
wait_for 'bars 22-23 of' "a window on"
keys PageUp
wait_for 'bars 20-21 of' "a window back"

# ---- three batches, then back through them ----
keys g
wait_for '[0-9] suggestions, [0-9]+ hits in all \(seed [0-9]+; batch 1 of 1\)' "the first batch"
wait_for 'batch 1/1' "the batch on the take line"
keys g
wait_for 'batch 2 of 2\)' "the second batch"
wait_for 'batch 2/2' "the second batch on the take line"
keys g
wait_for 'batch 3 of 3\)' "the third batch"
wait_for 'batch 3/3' "the third batch on the take line"
keys z
wait_for 'batch 2 of 3: [0-9] generated, seed' "back a batch"
wait_for 'batch 2/3' "batch 2 on the take line"
keys z
wait_for 'batch 1 of 3: [0-9] generated, seed' "back two batches"
wait_for 'batch 1/3' "batch 1 on the take line"
keys z
wait_for 'batch 1 of 3: the oldest' "the oldest batch"
keys Z
wait_for 'batch 2 of 3: [0-9] generated' "on a batch"
keys z
wait_for 'batch 1 of 3: [0-9] generated' "back again"
SEED1=$(screen | sed -n 's/.*batch 1 of 3: [0-9] generated, seed \([0-9]*\).*/\1/p' | head -1)
[ -n "$SEED1" ] || fail "no seed in the batch message"
keys q
wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
keys y
wait_exit

# ---- the files: the input is the --start-bar 20 window; the batch shown is the first ----
[ -f "$SESSION" ] || fail "no session file"
[ "$(session "d['take']['bar']")" = 20 ] || fail "the session's take is not at bar 20: $(session "d.get('take')")"
"$G" convert "$TAKE" "$T/w.tab" --start-bar 20 --bars 2 > /dev/null 2>&1 || fail "convert --start-bar 20"
python3 - "$SESSION" "$T/w.tab" << 'PY' || fail "the session's input is not the --start-bar 20 window"
import json, sys
d = json.load(open(sys.argv[1]))
got = {(int(h[0]), int(h[1])) for h in d['input']['hits']}
rows = [l for l in open(sys.argv[2]) if '|' in l and '~' not in l.split('|')[0]][:9]
want = {(s, v) for v, l in enumerate(rows) for s, ch in enumerate(l.split('|', 1)[1].replace('|', '').strip()) if ch != '-'}
sys.exit(0 if got == want and got else 1)
PY
SEEDS=$(session "' '.join(str(s['meta']['seed']) for s in d['suggestions'])")
case " $SEEDS " in *" $SEED1 "*) ;; *) fail "the session's suggestions ($SEEDS) are not batch 1's (seed $SEED1)" ;; esac

# ---- restored: the take and its place come back; the window keys still work ----
start
wait_for 'bars 20-21 of' "the take restored"
keys b
wait_for 'bars 19-20 of' "a bar back after the restore"
if grep -qE 'Sanitizer|runtime error|leak' "$T/stderr" 2> /dev/null; then
    cat "$T/stderr"
    exit 1
fi
echo "e2e_tui_takes: ok"

#!/usr/bin/env bash
# e2e_tui.sh - the TUI driven through tmux as a person would: open a file
# (with Tab completion), step the feel, generate, select, keep (the library gets the entry),
# export (read back with `groove show`), browse the library, tap a rhythm
# with timed keys and check the groove on screen, resize to 50x12 and back,
# quit through the y/n prompt, and start again on the saved session; MIDI
# asked for where there is none (the TUI runs on, the status line says so).
# Every wait is bounded; the tmux server is private and killed on exit.
set -eu
. "$(dirname "$0")/tmux_lib.sh"
tmux_init e2e

start() { # start ARGS...: groove in a fresh 80x24 session
    stop_server
    tm new-session -d -x 80 -y 24 -s e2e \
        "cd '$T/work' && exec env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME='$T/home' \
         LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' GROOVE_CLOCK_FILE='$T/clock' \
         '$G' $* 2>>'$T/stderr'"
}
quit_yes() { # q, the unsaved-suggestions prompt, y
    keys q
    wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
    keys y
    wait_exit
}
lit() { tm send-keys -t e2e -l "$1"; }

# ---- start on a GMD file, then open a preset through the prompt ----
GMD=patterns/gmd/drummer1/session1/102_funk_95_beat_4-4.mid
start --fresh "'$R/$GMD'"
wait_for ' GR ' "the first screen"
wait_for 'opened .*102_funk_95' "the file to open"
screen | grep -q 'KD' || fail "no kick row"
screen | tail -1 | grep -q 'midi off' || fail "no 'midi off' on the status line"

keys o
wait_for 'Open:' "the open prompt"
lit "presets/funk-b"
keys Tab
wait_for 'Open: presets/funk-basic\.tab' "completion"
keys Enter
wait_for 'opened presets/funk-basic\.tab' "the preset to open"
wait_for '96 ?bpm|96 BPM' "the preset's tempo"

# ---- the feel: f steps it, the status line shows it; back to auto ----
screen | tail -1 | grep -q 'feel auto' || fail "no 'feel auto' on the status line"
keys f
wait_for 'feel: groove timing \+ dynamics' "the feel message"
screen | tail -1 | grep -q 'feel groove' || fail "no 'feel groove' on the status line"
keys f f f
wait_for 'feel auto:' "the feel back to auto"
screen | tail -1 | grep -q 'feel auto' || fail "the status line did not follow the feel"

# ---- generate, select, keep ----
keys g
wait_for '4 suggestions' "4 suggestions"
screen | grep -qE '^ +1 +[0-9]+ hits' || fail "no suggestion titles"
keys 2
keys k
wait_for 'kept suggestion 2 as ' "keep"
LIB="$T/home/.local/share/groove/library"
ls "$LIB"/*-2.mid > /dev/null 2>&1 || fail "no .mid in the library"
ls "$LIB"/*-2.json > /dev/null 2>&1 || fail "no sidecar in the library"
grep -q '"z"' "$LIB"/*-2.json || fail "the sidecar has no latent"
grep -q '"seed"' "$LIB"/*-2.json || fail "the sidecar has no seed"
wait_for ' kept' "the kept mark"

# ---- export: the default name, read back ----
keys e
wait_for 'Export to: groove-[0-9]{8}-[0-9]{6}-2\.mid' "the export prompt"
keys Enter
wait_for 'exported suggestion 2 to groove-' "export"
OUT=$(ls "$T/work"/groove-*-2.mid) || fail "no exported file"
"$G" show "$OUT" > "$T/show_out" 2>&1 || fail "groove show cannot read the export: $(cat "$T/show_out")"
"$G" show "$LIB"/*-2.mid > "$T/show_lib" 2>&1 || fail "groove show cannot read the kept file"
# the kept and the exported file hold the same pattern (names aside)
diff <(grep -E '^ *(KD|SD|HH|GRV)' "$T/show_out") <(grep -E '^ *(KD|SD|HH|GRV)' "$T/show_lib") > /dev/null ||
    fail "kept and exported patterns differ"
grep -qE '^ *KD' "$T/show_out" || fail "no kick in the export"

# ---- the library ----
keys l
wait_for 'library \(1\)' "the library"
keys Escape
wait_gone 'library \(' "the library"
wait_for ' kept' "the main screen"

# ---- tap: at 75 BPM a step is 200 ms; taps must land within half a step ----
bpm=$(screen | tail -1 | grep -oE '[0-9]+ ?(bpm|BPM)' | grep -oE '[0-9]+')
[ -n "$bpm" ] || fail "no tempo on the status line"
while [ "$bpm" -gt 75 ]; do keys ,; bpm=$((bpm - 1)); done
while [ "$bpm" -lt 75 ]; do keys .; bpm=$((bpm + 1)); done
wait_for '75 ?(bpm|BPM)' "75 BPM"
STEPS="0 3 6 10 12 16 19 22 26 28"   # tapped steps; 12 and 28 accented
# The TUI reads its clock from $T/clock (GROOVE_CLOCK_FILE): each tap is
# sent at its step's time and its count awaited before time moves on, so
# the taps land on their steps however slowly keys travel on this machine.
# (No audio device here: the tap starts at the silent clock's latency.)
clock() { echo "$1" > "$T/clock.tmp" && mv "$T/clock.tmp" "$T/clock"; }
base=$(awk '{ printf "%d", $1 }' /proc/uptime) # near the monotonic clock, which takes over after
clock "$base"
keys t
wait_for 'count-in' "the count-in"
n=0
for s in $STEPS; do
    clock "$(awk -v b="$base" -v s="$s" 'BEGIN { printf "%.4f", b + (16 + s) * 0.2 + 0.02 }')"
    wait_for 'REC' "recording at step $s"
    case $s in 12 | 28) keys S ;; 0 | 16) keys z ;; *) keys q ;; esac
    n=$((n + 1))
    wait_for " $n taps" "tap $n"
done
clock "$((base + 11))" # past the 2 bars: the tap ends
wait_for '[│|] tap *$' "the tap to finish"
wait_for '4 suggestions' "suggestions from the tapped groove"
rm -f "$T/clock" # the real clock again
screen | grep -qE '[│|] 10 hits *$' || fail "the tap did not record 10 hits"
screen > "$T/tap_screen"
/usr/bin/python3 - "$T/tap_screen" "$STEPS" << 'EOF' || fail "the tapped groove is not on screen"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
want = [int(s) for s in sys.argv[2].split()]
gr = next(l for l in lines if l.startswith(" GR "))
# 80 columns: step s has its grid column at 5 + 2s; early / late hits sit
# one column to the left / right.
glyphs = {i: ch for i, ch in enumerate(gr) if ch in "▂▄▆█"}
found = sorted(glyphs)
ok = len(found) == len(want) and all(abs(c - (5 + 2 * s)) <= 1 for c, s in zip(found, want))
accents = [s for c, s in zip(found, want) if glyphs[c] == "█"]
ok = ok and accents == [12, 28]
if not ok:
    print("groove row:", gr)
    print("columns:", found, "expected steps:", want, "accents:", accents)
sys.exit(0 if ok else 1)
EOF

# ---- resize: a message below 80x24, a full redraw after ----
tm resize-window -t e2e -x 50 -y 12
wait_for 'needs at least 80x24' "the small-terminal message"
screen | grep -q 'this terminal is 50x12' || fail "the size is not shown"
tm resize-window -t e2e -x 80 -y 24
wait_for ' GR ' "the redraw at 80x24"
screen | grep -q 'needs at least' && fail "the message stayed after the resize"

# ---- quit: unsaved suggestions ask first ----
keys q
wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
keys n
wait_gone 'Quit anyway' "the prompt"
tm has-session -t e2e 2> /dev/null || fail "n quit anyway"
quit_yes
[ -s "$T/home/.local/state/groove/session.json" ] || fail "no session file"

# ---- the session comes back ----
start
wait_for 'session restored: 4 suggestions' "the restored session"
# without an audio device the reason joins the start-up message, whenever
# the audio thread finishes: it does not replace it
if ! "$G" devices 2>&1 | grep -qE '^ +[0-9]+ '; then
    wait_for '[│|] no audio' "'no audio' on the status line"
    wait_for 'session restored: 4 suggestions; no audio output' "the audio note beside the restored session"
fi
wait_for '75 ?(bpm|BPM)' "the restored tempo"
quit_yes

# ---- MIDI asked for on a machine without it: said, and the rest works ----
if [ ! -e /dev/snd/seq ]; then
    start --fresh --midi-out 0
    wait_for 'no midi' "the MIDI state on the status line"
    wait_for 'MIDI output: no MIDI devices' "the reason on the message line"
    keys M
    wait_for 'no MIDI devices \(no ALSA sequencer' "the empty port list"
    keys c # clock out: the default output, missing too
    wait_for 'MIDI output: no MIDI devices' "clock out without an output"
    keys space
    wait_for 'playing input|▶ input|> input' "playback without MIDI"
    keys space
    keys '?'
    wait_for 'MIDI clock: off / out / in' "the clock key in the help"
    keys Escape
    keys q
    wait_exit
fi

if grep -qE 'Sanitizer|runtime error|leak' "$T/stderr" 2> /dev/null; then
    cat "$T/stderr"
    exit 1
fi
grep -q . "$T/stderr" && { echo "stderr is not empty:"; cat "$T/stderr"; exit 1; }
echo "e2e_tui: ok"

#!/usr/bin/env bash
# e2e_tui_jam.sh - issue 21's jam in the TUI, driven through tmux: J starts
# a jam, taps on the keyboard rows for 8 bars (new drums after each bar
# line), the controls on the status line and in the help, Esc ends it and
# the take is exported as one MIDI file: one drums track covering the jam's
# bars and the taps track with every tap (read back with mido).  The TUI's
# clock is the file $T/clock (GROOVE_CLOCK_FILE): time moves only when the
# script moves it, each tap is awaited before the next, so nothing here
# depends on how fast this machine is; the asserts are on counts and file
# contents only.  The tmux server is private and killed on exit.
set -eu
. "$(dirname "$0")/tmux_lib.sh"
tmux_init jam

tm new-session -d -x 80 -y 24 -s "$S" \
    "cd '$T/work' && exec env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME='$T/home' \
     LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' GROOVE_CLOCK_FILE='$T/clock' \
     '$G' --fresh rock-basic 2>>'$T/stderr'"
status() { screen | tail -1; }
clock() { echo "$1" > "$T/clock.tmp" && mv "$T/clock.tmp" "$T/clock"; }
base=1000
clock "$base"
wait_for 'opened .*rock-basic' "the preset to open"
wait_gone 'audio \.\.\.' "audio (or its absence) to come up"
BPM=100
DT=$(awk -v b=$BPM 'BEGIN { printf "%.6f", 15 / b }') # seconds a step
at() { awk -v b="$base" -v s="$1" -v d="$DT" 'BEGIN { printf "%.4f", b + s * d }'; }

# ---- J starts the jam; the controls are on the status line and in the help ----
keys J
wait_for 'JAM +bar 1' "the jam to start"
status | grep -qE 'every bar|[│|] bar[│|]' || fail "no 'every bar' on the status line"
status | grep -qE 'follow 1\.0|f1\.0' || fail "no follow on the status line"
keys F1
wait_for 'any key closes|space: more' "the help"
for _ in 1 2 3; do # the jam's keys may be on a later page
    screen | grep -qE 'F8 +hold the drums' && break
    keys Space
    sleep 0.3
done
wait_for 'F8 +hold the drums' "the hold key in the help"
keys Escape
wait_gone 'F8 +hold the drums' "the help"
keys F8
wait_for 'HOLD' "hold on the status line"
keys F8
wait_gone 'HOLD' "hold off"

# ---- 8 bars of taps: kick on 1 and 3, snare on 2 and 4, hats on the 8ths ----
# Each bar: time moves a step and a half past its line (the jam's step 0 is
# heard one output latency after J), the new drums from the 2 bars before
# are awaited, then its 8 taps, each awaited.
n=0
for b in 0 1 2 3 4 5 6 7 8; do
    clock "$(at "$((b * 16)).5")"
    clock "$(at "$((b * 16 + 1)).5")"
    [ $b -eq 0 ] || wait_for " $b new drums" "new drums after bar $b"
    [ $b -lt 8 ] || break
    for s in 0 2 4 6 8 10 12 14; do
        clock "$(at "$((b * 16 + s + 1)).6")"
        case $s in 0 | 8) k=z ;; 4 | 12) k=a ;; *) k=q ;; esac
        keys $k
        n=$((n + 1))
        wait_for " $n taps" "tap $n (bar $((b + 1)))"
    done
done
keys 1 # not a tap key: nothing
wait_for 'JAM +bar 9' "bar 9"
screen | grep -q " $n taps" || fail "a key that taps nothing counted"
keys Escape
wait_for 'exported to' "the export"
status | grep -q 'stopped' || fail "the jam did not stop the transport"
ls "$T"/work/groove-jam-*.mid > /dev/null 2>&1 || fail "no groove-jam-*.mid in the working directory"
/usr/bin/python3 - "$T"/work/groove-jam-*.mid "$n" << 'EOF' || fail "the exported take is not right"
import sys, mido
f = mido.MidiFile(sys.argv[1])
taps = int(sys.argv[2])
ok = f.type == 1
drums = [t for t in f.tracks if any(m.type == "note_on" and m.velocity > 0 and m.channel == 9 for m in t)]
tapt = [t for t in f.tracks if t.name == "taps"]
if len(drums) != 1 or len(tapt) != 1:
    print("tracks:", [(t.name, len(t)) for t in f.tracks]); sys.exit(1)
bar = 4 * f.ticks_per_beat
length = sum(m.time for m in drums[0])
ons = sum(1 for m in tapt[0] if m.type == "note_on" and m.velocity > 0)
print("drums: %d bars, %d notes; taps: %d" % (length // bar, sum(1 for m in drums[0] if m.type == "note_on" and m.velocity > 0), ons))
if length < 8 * bar:
    print("the drums cover %d ticks, less than the jam's 8 bars" % length); ok = False
if ons != taps:
    print("%d taps in the file, %d played" % (ons, taps)); ok = False
sys.exit(0 if ok else 1)
EOF
keys q
wait_exit
echo "e2e_tui_jam: ok"

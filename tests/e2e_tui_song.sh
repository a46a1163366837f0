#!/usr/bin/env bash
# e2e_tui_song.sh - the song view (issue 22) driven through tmux: three
# generated patterns kept, a song of three sections built from the library
# (the first played twice, a fill on the second), auditioned from its first
# section with the play-head on screen, saved to library/songs and exported;
# the file is read back with mido: its length, a marker at each section
# start, and the notes of each section against the library's patterns (the
# fill's section keeps its first bar and has a last bar of its own).  Then
# the tempo keys: T tapped, B with a number typed.  The model is the shipped
# one.  Every wait is bounded; the tmux server is private and killed on
# exit.  Nothing here is timed.
set -eu
PY=/usr/bin/python3
"$PY" -c 'import mido' 2> /dev/null || { echo "python3-mido is not installed"; exit 1; }
. "$(dirname "$0")/tmux_lib.sh"
tmux_init song

LIB="$T/home/.local/share/groove/library"
tm new-session -d -x 100 -y 30 -s "$S" \
    "cd '$T/work' && exec env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME='$T/home' \
     LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' GROOVE_CLOCK_FILE='$T/clock' \
     '$G' --fresh --seed 7 '$R/patterns/presets/funk-basic.tab' 2>>'$T/stderr'"
lit() { tm send-keys -t "$S" -l "$1"; }
wait_for 'opened .*funk-basic' "the preset"

# ---- three kept patterns ----
keys g
wait_for 'batch 1 of 1' "the first batch"
for k in 1 2 3; do
    keys "$k"
    keys k
    wait_for "kept suggestion $k as" "suggestion $k kept"
done

# ---- the song: 3 sections, the first twice, a fill on the second ----
keys A
wait_for 'song song \(0\)' "the song view"
keys a
wait_for 'song: choose a pattern to add' "the library picker"
keys Enter
wait_for 'section 1: ' "section 1"
keys a
wait_for 'choose a pattern to add' "the picker again"
keys j
keys Enter
wait_for 'section 2: ' "section 2"
keys a
wait_for 'choose a pattern to add' "the picker a third time"
keys j j
keys Enter
wait_for 'section 3: ' "section 3"
keys k k
keys +
wait_for 'section 1 plays 2 times' "two repeats"
keys j
keys f
wait_for 'section 2: a fill on its last bar' "the fill"
screen | grep -qE '\[1 x2' || fail "no block for section 1"
screen | grep -qE '\[2 x1 F' || fail "no fill mark on section 2's block"

# ---- the help, from the song view, lists its keys and comes back to it ----
keys '?'
wait_for 'this help' "the help"
seen=
for page in 1 2 3 4 5; do
    for k in 'IN THE SONG VIEW \(A\)' 'fill on the section.s last bar' 'A the song view' 'T tap tempo'; do
        screen | grep -qE "$k" && seen="$seen|$k"
    done
    keys NPage
    sleep 0.3 # a poll, not a timing: the next page is drawn before it is read
done
for k in 'IN THE SONG VIEW \(A\)' 'fill on the section.s last bar' 'A the song view' 'T tap tempo'; do
    case "$seen" in *"|$k"*) ;; *) fail "no '$k' in the help" ;; esac
done
keys Escape
wait_for 'song song\* \(3\)' "the song view after the help"

# ---- audition from section 1: the play-head moves through the song ----
keys k
keys p
wait_for 'playing the song from section 1 \(1 of 8 bars\)' "the audition"
wait_for 'bar [0-9]+ of 8, section [123]' "the play-head"
screen | tail -1 | grep -q 'song' || fail "the status line does not say the song plays"
keys space
wait_gone 'bar [0-9]+ of 8, section' "the play-head after stop"

# ---- saved, then exported ----
keys w
wait_for 'Save the song as: song' "the save prompt"
keys Enter
wait_for 'saved song song \(3 sections\)' "the save"
[ -f "$LIB/songs/song.json" ] || fail "no library/songs/song.json"
keys e
wait_for 'Export the song to: song\.mid' "the export prompt"
keys C-u
lit "$T/song.mid"
keys Enter
wait_for 'exported the song \(3 sections, 8 bars\)' "the export"

"$PY" - "$T/song.mid" "$LIB" << 'PY' || fail "the exported song is not what was built"
import json, sys, mido
path, lib = sys.argv[1], sys.argv[2]
song = json.load(open(lib + "/songs/song.json"))
secs = song["sections"]
assert [s.get("repeat", 1) for s in secs] == [2, 1, 1], secs
assert "fill" in secs[1] and "fill" not in secs[0] and "fill" not in secs[2], secs
m = mido.MidiFile(path)
ppq, step = m.ticks_per_beat, m.ticks_per_beat // 4
bpm = song["bpm"]
want_len = 8 * 4 * 60.0 / bpm
assert abs(m.length - want_len) < 0.25, (m.length, want_len)

def events(f):
    t, out = 0, []
    for msg in mido.merge_tracks(f.tracks):
        t += msg.time
        out.append((t, msg))
    return out

ev = events(m)
marks = [(t, msg.text) for t, msg in ev if msg.type == "marker"]
assert [t for t, _ in marks] == [0, 64 * step, 96 * step], marks
assert marks[0][1].startswith("1 ") and marks[2][1].startswith("3 "), marks

def notes(f, lo=0, hi=10 ** 9):
    """(step, note) of the note-ons whose nearest step is in lo..hi-1"""
    out = []
    for t, msg in events(f):
        if msg.type == "note_on" and msg.velocity > 0:
            s = round(t / (f.ticks_per_beat / 4))
            if lo <= s < hi:
                out.append((s - lo, msg.note))
    return sorted(out)

pats = [mido.MidiFile("%s/%s.mid" % (lib, s["pattern"])) for s in secs]
p0, p1, p2 = (notes(p, 0, 32) for p in pats)
assert p0 and p1 and p2, "empty library patterns"
assert notes(m, 0, 32) == p0 and notes(m, 32, 64) == p0, "section 1 is not its pattern twice"
assert notes(m, 96, 128) == p2, "section 3 is not its pattern"
assert notes(m, 64, 80) == [n for n in p1 if n[0] < 16], "section 2's first bar is not its pattern's"
fill = notes(m, 80, 96)
assert fill and fill != [(s - 16, n) for s, n in p1 if s >= 16], "no fill on section 2's last bar"
print("song: %d notes, markers %s, %.2f s" % (len(notes(m)), [t // step for t, _ in marks], m.length))
PY

# ---- the tempo keys: 4 taps set a tempo; B takes a number ----
keys Escape
wait_for 'song song kept in the session' "the song view closed"
# The TUI reads its clock from $T/clock (GROOVE_CLOCK_FILE) while it is
# there: the taps are half a second apart on it, whatever the machine does.
clock() { echo "$1" > "$T/clock.tmp" && mv "$T/clock.tmp" "$T/clock"; }
base=$(awk '{ printf "%d", $1 }' /proc/uptime)
for i in 0 1 2 3; do
    clock "$(awk -v b="$base" -v i="$i" 'BEGIN { printf "%.2f", b + i * 0.5 }')"
    keys T
    [ "$i" = 3 ] || wait_for "tap tempo: $((3 - i)) more tap" "tap $((i + 1))"
done
wait_for 'tap tempo: 120\.00 BPM \(4 taps\)' "the tap tempo"
rm -f "$T/clock" # the real clock again
keys B
wait_for 'Tempo \(BPM\): ' "the BPM prompt"
keys C-u
lit "87"
keys Enter
wait_for 'tempo 87\.00 BPM' "the typed tempo"
screen | tail -1 | grep -qE '87 ?(BPM|bpm)' || fail "the status line does not show the tempo"
keys .
wait_for '88 ?(BPM|bpm)' "tempo +1 still on ."

# ---- pattern length: D makes the input 4 bars, shown 2 at a time; g makes 4-bar suggestions ----
keys D
wait_for 'pattern length 4 bars' "the length key"
wait_for '[0-9]+ hits, 4 bars: 1-2' "the input's first 2 bars"
keys Left # from the first step back round to the last: bars 3-4
wait_for '[0-9]+ hits, 4 bars: 3-4' "the input's last 2 bars"
keys g
wait_for 'batch 2 of 2' "a batch at 4 bars"
wait_for ' 1 +[0-9]+ hits, 4 bars' "a 4-bar suggestion"

keys q
wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
keys y
wait_exit
if grep -qE 'Sanitizer|runtime error|leak' "$T/stderr" 2> /dev/null; then
    cat "$T/stderr"
    exit 1
fi
echo "e2e_tui_song: ok"

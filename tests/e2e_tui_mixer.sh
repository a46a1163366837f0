#!/usr/bin/env bash
# e2e_tui_mixer.sh - issue 22's mixer and kits in the TUI, driven through
# tmux: / mutes the cursor voice (m beside its row, the panel says so), 9
# lowers its volume, | solos; K lists the kits groove finds (the built-in
# kit and a Hydrogen kit under $HOME/.hydrogen/data/drumkits, a fixture made
# here with sox) and Enter switches to one, a broken kit is refused with a
# message and the built-in kit plays on; the session file keeps the mixer
# and the kit, and a restart brings them back.  The new keys are in the help,
# and at 80 columns no help text is cut ("feel: ... / model" wraps).  The
# small defects: an early hit on step 1 leaves the bar line, 8 suggestions'
# merged rows have a legend, the library preview has voice labels.  The
# model is the shipped one.
# Every wait is bounded; the tmux server is private and killed on exit.
# Nothing here is timed.
set -eu
command -v python3 > /dev/null || { echo "python3 is not installed"; exit 1; }
command -v sox > /dev/null || { echo "sox is not installed"; exit 1; }
. "$(dirname "$0")/tmux_lib.sh"
tmux_init mixer

KITS="$T/home/.hydrogen/data/drumkits"
mkdir -p "$KITS/Tin Kit" "$KITS/Broken" "$T/work"
sox -n -r 44100 -c 1 -b 16 "$KITS/Tin Kit/tin.wav" synth 0.05 sine 800 2> /dev/null
printf '<?xml version="1.0"?>\n<drumkit_info><name>Tin Kit</name><instrumentList>\n<instrument><name>Kick</name><layer><filename>tin.wav</filename></layer></instrument>\n</instrumentList></drumkit_info>\n' > "$KITS/Tin Kit/drumkit.xml"
printf 'not xml at all\n' > "$KITS/Broken/drumkit.xml"
SESSION="$T/home/.local/state/groove/session.json"
start() { # start ARGS...: groove in a fresh 100x30 session
    stop_server
    tm new-session -d -x 100 -y 30 -s "$S" \
        "cd '$T/work' && exec env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME='$T/home' \
         LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' GROOVE_CLOCK_FILE='$T/clock' \
         '$G' $* 2>>'$T/stderr'"
}
session() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$SESSION"; }
row() { screen | grep -E "^ ?$1" | head -1; } # row LABEL: the input row of a voice ("SD")

start --fresh rock-basic
wait_for 'welcome|opened|rock' "the TUI"
# the cursor starts on the kick row; up once is the snare
keys Up
keys /
wait_for 'snare: muted' "the mute message"
row 'SD' | grep -qE '^ ?SDm' || fail "no m beside the snare row: $(row SD)"
keys 9 9
wait_for 'snare: muted vol 80%' "the volume message"
keys Down
keys '|'
wait_for 'kick: solo' "the solo message"
keys X
wait_for 'export as heard' "the export toggle"

# ---- kits ----
keys K
wait_for 'kits  Enter plays it' "the kit list"
screen | grep -q 'built-in' || fail "no built-in kit listed"
screen | grep -q 'Tin Kit' || fail "the fixture kit is not listed"
# built-in, Broken, Tin Kit (sorted): down once is Broken
keys Down
keys Enter
wait_for 'kit Broken: .*built-in plays on' "the broken kit refused"
keys Down
keys Enter
# the message line's final word on it, not "loading kit Tin Kit ...": that one
# is replaced when the load ends, which could be over a later key's answer
wait_for '^ groove +kit Tin Kit *$' "the fixture kit loaded"
keys Escape
wait_gone 'kits  Enter plays it' "the kit list closing"

# ---- small defects (issue 22) ----
# an early hit on step 1 stays in its cell: the roll's opening bar line stays
keys '<' '<' '<' '<' # the cursor is on the kick's step 1, a hit
wait_for 'off -0.20' "the kick nudged early"
row 'KD' | grep -qE '^ ?KD.│' || fail "the early kick covers the bar line: $(row KD)"
# 8 suggestions: the merged rows (cy/hh/tt) and their legend
keys N N N N g
wait_for '8 suggestions' "8 suggestions"
wait_for 'cy ▀ crash ▄ ride   hh ▀ open ▄ closed   tt ▀ high, mid ▄ low' "the merged rows' legend"
# the library preview has voice labels
keys k
wait_for 'kept suggestion 1' "the keep"
keys l
wait_for 'library \(1\)' "the library"
screen | grep -qE '^│ {20,}KD ' || fail "no voice labels in the library preview"
screen | grep -qE '^│ {20,}CR ' || fail "no voice labels in the library preview"
keys Escape
wait_gone 'library \(1\)' "the library closing"

tm resize-window -t "$S" -x 80 -y 24 # the help at its narrowest two-column width
keys '?' # the new keys are in the help, on one page or the next
wait_for 'this help' "the help"
want=('feel: auto / groove /' 'timing / model' 'MIXER    / mutes the cursor voice, | solos it, 9 / 0 its volume;' 'X export as heard / written; K kits: pick the drum sounds')
seen=
for page in 1 2 3 4; do
    for k in "${want[@]}"; do screen | grep -qF "$k" && seen="$seen|$k"; done
    keys NPage
    sleep 0.3 # a poll, not a timing: the next page is drawn before it is read
done
for k in "${want[@]}"; do case "$seen" in *"|$k"*) ;; *) fail "no '$k' in the help" ;; esac; done
keys Escape
wait_gone 'this help' "the help"
tm resize-window -t "$S" -x 100 -y 30
keys q
wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
keys y
wait_exit

# ---- the session file, and a restart ----
[ -f "$SESSION" ] || fail "no session file"
[ "$(session "d['settings']['mixer']['muted']")" = snare ] || fail "muted: $(session "d['settings'].get('mixer')")"
[ "$(session "d['settings']['mixer']['solo']")" = kick ] || fail "solo: $(session "d['settings'].get('mixer')")"
[ "$(session "round(d['settings']['mixer']['volume'][1], 2)")" = 0.8 ] || fail "volume: $(session "d['settings']['mixer']")"
[ "$(session "d['settings']['mixer']['export_as_heard']")" = True ] || fail "export as heard not saved"
case "$(session "d['kit']")" in *"/.hydrogen/data/drumkits/Tin Kit") ;; *) fail "kit: $(session "d.get('kit')")" ;; esac
start
wait_for 'session restored' "the restore"
row 'SD' | grep -qE '^ ?SDm' || fail "the mute did not come back: $(row SD)"
keys K
wait_for 'kits  Enter plays it' "the kit list"
screen | grep -qE '│ [^ ]+ +~/.hydrogen +Tin Kit' || fail "the restored kit is not the one marked"
keys Escape
if grep -qE 'Sanitizer|runtime error|leak' "$T/stderr" 2> /dev/null; then
    cat "$T/stderr"
    exit 1
fi
echo "e2e_tui_mixer: ok"

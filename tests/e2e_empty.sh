#!/usr/bin/env bash
# e2e_empty.sh - an empty pattern is a pattern: `generate --density 0`
# writes one, and `show`, `convert` and `render` read it back (a file whose
# notes are all outside the drum map is still refused); the TUI asks (y/n)
# before it exports or keeps an empty suggestion, driven through tmux on a
# restored session that holds one.  Every wait is bounded; the tmux server
# is private and killed on exit.
set -eu
. "$(dirname "$0")/tmux_lib.sh"
tmux_init empty
cd "$R"

# ---- the commands ----
"$G" generate funk-basic --density 0 -n 1 -o "$T/gen" > /dev/null 2> "$T/err" || fail "generate: $(cat "$T/err")"
E="$T/gen/funk-basic-01.mid"
"$G" show "$E" --ascii > "$T/show" 2> "$T/err" || fail "show refuses the empty file: $(cat "$T/err")"
grep -q '32 steps (2 bars), 0 hits' "$T/show" || fail "show: $(cat "$T/show")"
"$G" show "$E" --bars 0 > /dev/null 2> "$T/err" || fail "show --bars 0: $(cat "$T/err")"
"$G" convert "$E" "$T/e.tab" 2> "$T/err" || fail "convert: $(cat "$T/err")"
"$G" show "$T/e.tab" > /dev/null 2> "$T/err" || fail "show of the converted tab: $(cat "$T/err")"
"$G" render "$E" "$T/e.wav" > /dev/null 2> "$T/err" || fail "render: $(cat "$T/err")"
# notes, but none a drum (note 20 on channel 10): still "no drum notes"
printf 'MThd\0\0\0\6\0\0\0\1\1\340MTrk\0\0\0\14\0\231\24\144\170\211\24\0\0\377\57\0' > "$T/nodrums.mid"
"$G" show "$T/nodrums.mid" > /dev/null 2> "$T/err" && fail "a file of non-drum notes was accepted"
grep -q "nodrums.mid: no drum notes" "$T/err" || fail "non-drum notes: $(cat "$T/err")"

# ---- the TUI: a session with an empty suggestion 1 and a full suggestion 2 ----
mkdir -p "$T/home/.local/state/groove" "$T/work"
cat > "$T/home/.local/state/groove/session.json" << 'EOF'
{"version":1,"settings":{"bpm":120,"n":2},"input":{"steps":32,"bpm":120,"name":"in","hits":[[0,0,0.9,0]]},
 "selected":0,"suggestions":[
  {"pattern":{"steps":32,"bpm":120,"name":"empty","hits":[]},"meta":{},"kept":false,"exported":false,"kept_name":""},
  {"pattern":{"steps":32,"bpm":120,"name":"full","hits":[[0,0,0.9,0],[4,1,0.8,0]]},"meta":{},"kept":false,"exported":false,"kept_name":""}]}
EOF
tm new-session -d -x 80 -y 24 -s "$S" \
    "cd '$T/work' && exec env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME='$T/home' \
     LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' '$G' 2>>'$T/stderr'"
wait_for 'session restored: 2 suggestions' "the restored session"

# export: asks; n writes nothing
keys e
wait_for 'Suggestion 1 is empty\. Export anyway\? \(y/n\)' "the empty-export prompt"
keys n
wait_for 'not exported' "n to cancel"
ls "$T/work"/*.mid > /dev/null 2>&1 && fail "n still exported"
# y: the usual file name prompt, then a file groove reads back
keys e
wait_for 'Export anyway\? \(y/n\)' "the empty-export prompt again"
keys y
wait_for 'Export to: groove-' "the export prompt after y"
keys C-u
tm send-keys -t "$S" -l "empty.mid"
keys Enter
wait_for 'exported suggestion 1 to empty\.mid' "the export"
"$G" show "$T/work/empty.mid" > "$T/show" 2> "$T/err" || fail "show of the TUI's export: $(cat "$T/err")"
grep -q ' 0 hits' "$T/show" || fail "the export is not empty: $(cat "$T/show")"

# keep: asks; y keeps it
keys k
wait_for 'Suggestion 1 is empty\. Keep anyway\? \(y/n\)' "the empty-keep prompt"
keys y
wait_for 'kept suggestion 1 as ' "the keep"
LIB="$T/home/.local/share/groove/library"
"$G" show "$LIB"/*-1.mid > /dev/null 2> "$T/err" || fail "show of the kept file: $(cat "$T/err")"

# a suggestion with hits asks nothing
keys 2 k
wait_for 'kept suggestion 2 as ' "keeping a full suggestion without a prompt"
keys q
wait_exit
echo ok

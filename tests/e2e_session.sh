#!/usr/bin/env bash
# e2e_session.sh - the TUI's session and terminal handling, driven through
# tmux: nothing the user made is lost (a bad session file is moved aside,
# --fresh and a second instance do not overwrite the saved session, a failed
# save at quit is said on stderr with exit 1), Ctrl-C asks like q, no
# terminal is refused, a split escape sequence is still an arrow, and the
# start-up messages do not hide each other.
# Each case has its own HOME and XDG directories; the tmux server is private
# and killed on exit; every wait is bounded (nothing here measures time).
set -u
G=$(realpath "${GROOVE_BIN:-./groove}")
R=$(realpath "${GROOVE_ROOT:-.}")
command -v tmux > /dev/null || { echo "tmux is not installed"; exit 1; }
T=$(mktemp -d /tmp/groove-e2e-session.XXXXXX)
SOCK="groove-session-$$"
S=a
. "$(dirname "$0")/tmux_lib.sh"
trap 'stop_server; rm -rf "$T"' EXIT
WAIT=${GROOVE_ASAN:+120}
WAIT=${WAIT:-60}
NOTERM="groove: the TUI needs a terminal (stdin and stdout); see groove --help for the commands"

# start SESSION DIR [VAR=VALUE ...] [-- ARGS...]: groove in a new 80x24 ($W x 24) tmux
# session, with HOME=DIR and the XDG directories under it; its stderr goes to
# DIR/stderr and its exit status to DIR/rc.
start() {
    local s=$1 h=$2 envs='' args='' w=${W:-80}
    shift 2
    while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=" '$1'"; shift; done
    [ $# -gt 0 ] && shift
    for a in "$@"; do args+=" '$a'"; done
    mkdir -p "$h/work"
    rm -f "$h/rc"
    S=$s
    FAIL_LOG="$h/stderr"
    tm new-session -d -x "$w" -y 24 -s "$s" \
        "cd '$h/work' && env HOME='$h' XDG_DATA_HOME='$h/data' XDG_CONFIG_HOME='$h/config' \
         XDG_STATE_HOME='$h/state' LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' \
         $envs '$G' $args 2>>'$h/stderr'; echo \$? > '$h/rc'"
}
# The PID of the groove running in tmux session $S.
groove_pid() {
    local sh
    sh=$(tm display-message -p -t "$S" '#{pane_pid}') || return 1
    pgrep -P "$sh" | head -1
}
clean_stderr() { # clean_stderr DIR: nothing on stderr (sanitizers included)
    [ ! -s "$1/stderr" ] || fail "stderr is not empty: $(cat "$1/stderr")"
}

# session_json N: a version-1 session holding N unkept suggestions, written
# by hand (no model needed); the input has 5 hits.
session_json() {
    local i s='' hits='[[0,0,0.9,0],[4,1,0.8,0],[8,0,0.9,0],[12,1,0.8,0],[2,2,0.6,0]]'
    for ((i = 1; i <= $1; i++)); do
        [ "$i" -gt 1 ] && s+=,
        s+="{\"pattern\":{\"steps\":32,\"bpm\":100,\"name\":\"s$i\",\"hits\":$hits},"
        s+="\"meta\":{\"kind\":\"generate\",\"seed\":$i},\"kept\":false}"
    done
    printf '{"version":1,"settings":{"bpm":100},"input":{"steps":32,"bpm":100,"name":"in","hits":%s},"suggestions":[%s]}\n' \
        "$hits" "$s"
}

# ---- no terminal: refused with one line, at once ----
case_no_terminal() {
    local h=$T/noterm rc=0
    mkdir -p "$h"
    HOME=$h XDG_STATE_HOME=$h/state timeout 120 "$G" < /dev/null > "$h/out" 2> "$h/err" || rc=$?
    [ "$rc" != 124 ] || fail "groove < /dev/null > FILE did not exit (stopped after 20 s)"
    [ "$rc" != 0 ] || fail "groove without a terminal exited 0"
    [ "$(cat "$h/err")" = "$NOTERM" ] || fail "groove without a terminal said: $(head -c 300 "$h/err")"
    [ ! -s "$h/out" ] || fail "groove without a terminal wrote $(wc -c < "$h/out") bytes to stdout"
    [ ! -e "$h/state/groove/session.json" ] || fail "groove without a terminal wrote a session"
    # a terminal on stdin, a file on stdout
    S=noterm
    tm new-session -d -x 80 -y 24 -s noterm \
        "env HOME='$h' XDG_STATE_HOME='$h/state' '$G' > '$h/out2' 2> '$h/err2'; echo \$? > '$h/rc2'"
    wait_exit
    [ "$(cat "$h/rc2")" != 0 ] || fail "groove > FILE exited 0"
    [ "$(cat "$h/err2")" = "$NOTERM" ] || fail "groove > FILE said: $(head -c 300 "$h/err2")"
    [ ! -s "$h/out2" ] || fail "groove > FILE wrote to the file"
    # --help needs no terminal
    "$G" --help < /dev/null > "$h/help" 2>&1 || fail "groove --help without a terminal failed"
    "$G" tui --help < /dev/null > "$h/help" 2>&1 || fail "groove tui --help without a terminal failed"
}

# ---- a session save that fails at quit: one line naming the file, exit 1 ----
case_save_fails() {
    local h=$T/savefail
    start a "$h"
    wait_for ' GR ' "the first screen"
    rm -rf "$h/state/groove"
    mkdir -p "$h/state"
    : > "$h/state/groove" # its directory is a file now: the save cannot succeed
    keys x
    keys q
    wait_exit
    [ "$(cat "$h/rc")" = 1 ] || fail "exit $(cat "$h/rc") after a failed session save, want 1"
    [ "$(wc -l < "$h/stderr")" = 1 ] || fail "not one line on stderr: $(cat "$h/stderr")"
    grep -q "^groove: $h/state/groove/session.json: ." "$h/stderr" ||
        fail "the session file is not named: $(cat "$h/stderr")"
}

# ---- an unreadable session (a newer version, truncated) is moved aside,
# not overwritten, and the TUI says where ----
case_bad_session() {
    local h kind bad
    for kind in newer truncated; do
        h=$T/bad-$kind
        mkdir -p "$h/state/groove"
        if [ $kind = newer ]; then
            session_json 4 | sed 's/"version":1/"version":2/' > "$h/state/groove/session.json"
        else
            session_json 4 | head -c 300 > "$h/state/groove/session.json"
        fi
        cp "$h/state/groove/session.json" "$h/orig"
        start a "$h"
        wait_for 'moved the unreadable session to session\.json\.bad-[0-9]{8}-[0-9]{6}' "the session moved aside"
        keys x # a change, so that there is something to save
        keys q
        wait_exit
        bad=$(ls "$h/state/groove/" | grep -E '^session\.json\.bad-[0-9]{8}-[0-9]{6}$') ||
            fail "$kind: no session.json.bad-TIME: $(ls "$h/state/groove/")"
        [ "$(echo "$bad" | wc -l)" = 1 ] || fail "$kind: more than one moved file: $bad"
        cmp -s "$h/state/groove/$bad" "$h/orig" || fail "$kind: the moved file is not the old session"
        grep -q '"version":1' "$h/state/groove/session.json" || fail "$kind: no new session was written"
        [ "$(cat "$h/rc")" = 0 ] || fail "$kind: exit $(cat "$h/rc")"
        grep -qF "groove: $h/state/groove/session.json: " "$h/stderr" && grep -qF "$h/state/groove/$bad" "$h/stderr" ||
            fail "$kind: stderr does not say where the session went: $(cat "$h/stderr")"
        [ "$(wc -l < "$h/stderr")" = 1 ] || fail "$kind: not one line on stderr: $(cat "$h/stderr")"
        stop_server
    done
}

# ---- --fresh does not replace the saved session unless the user says so ----
case_fresh() {
    local h=$T/fresh
    mkdir -p "$h/state/groove"
    session_json 4 > "$h/state/groove/session.json"
    cp "$h/state/groove/session.json" "$h/orig"
    # nothing done: q quits and the saved session stays
    start a "$h" -- --fresh
    wait_for ' GR ' "the first screen"
    keys q
    wait_exit
    cmp -s "$h/state/groove/session.json" "$h/orig" || fail "--fresh then q replaced the saved session"
    # suggestions made: quitting asks; n keeps the saved session
    start a "$h" -- --fresh
    wait_for ' GR ' "the first screen"
    keys g
    wait_for '4 suggestions' "4 suggestions"
    keys q
    wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
    keys y
    wait_for 'Replace the saved session with this one\?' "the question whether to replace the saved session"
    keys Escape # stays
    wait_gone 'Replace the saved session' "the question"
    tm has-session -t "$S" 2> /dev/null || fail "Esc quit"
    keys q
    wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
    keys y
    wait_for 'Replace the saved session with this one\?' "the question whether to replace the saved session"
    keys n
    wait_exit
    cmp -s "$h/state/groove/session.json" "$h/orig" || fail "answering n replaced the saved session"
    # y replaces it
    start a "$h" -- --fresh
    wait_for ' GR ' "the first screen"
    keys g
    wait_for '4 suggestions' "4 suggestions"
    keys q
    wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
    keys y
    wait_for 'Replace the saved session with this one\?' "the question whether to replace the saved session"
    keys y
    wait_exit
    cmp -s "$h/state/groove/session.json" "$h/orig" && fail "answering y did not replace the saved session"
    grep -q '"version":1' "$h/state/groove/session.json" || fail "no session after y"
    # no saved session: --fresh saves as usual
    rm "$h/state/groove/session.json"
    start a "$h" -- --fresh
    wait_for ' GR ' "the first screen"
    keys x
    keys q
    wait_exit
    [ -s "$h/state/groove/session.json" ] || fail "--fresh without a saved session did not save"
    clean_stderr "$h"
}

# ---- two instances: the second neither restores nor saves the session and
# says who holds it; a lock left by a dead process is taken over ----
case_lock() {
    local h=$T/lock pid1 dead lock
    mkdir -p "$h/state/groove"
    session_json 4 > "$h/state/groove/session.json"
    cp "$h/state/groove/session.json" "$h/orig"
    lock=$h/state/groove/session.json.lock
    start a "$h"
    wait_for 'session restored: 4 suggestions' "the restored session"
    pid1=$(groove_pid) || fail "no PID for the first instance"
    [ -n "$pid1" ] || fail "no PID for the first instance"
    [ "$(cat "$lock" 2> /dev/null)" = "$pid1" ] || fail "the lock file does not hold the PID $pid1: $(cat "$lock" 2>&1)"
    start b "$h"
    wait_for "session in use by PID $pid1" "the second instance's message"
    screen | grep -q 'session restored' && fail "the second instance restored the session"
    keys x
    keys q
    wait_exit
    cmp -s "$h/state/groove/session.json" "$h/orig" || fail "the second instance wrote the session"
    [ "$(cat "$lock" 2> /dev/null)" = "$pid1" ] || fail "the second instance took the lock"
    S=a
    tm has-session -t a 2> /dev/null || fail "the first instance went away"
    keys x
    keys q
    wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
    keys y
    wait_exit
    cmp -s "$h/state/groove/session.json" "$h/orig" && fail "the first instance did not save its session"
    cp "$h/state/groove/session.json" "$h/orig"
    # a lock file whose process is gone (kill -9 leaves one)
    sh -c 'exit 0' &
    dead=$!
    wait "$dead"
    echo "$dead" > "$lock"
    start a "$h"
    wait_for 'session restored: 4 suggestions' "the session restored over a dead process's lock"
    [ "$(cat "$lock" 2> /dev/null)" = "$(groove_pid)" ] || fail "the dead process's lock was not taken over"
    keys q
    wait_for 'Quit anyway\? \(y/n\)' "the quit prompt"
    keys y
    wait_exit
    [ -s "$h/state/groove/session.json" ] || fail "no session after taking the lock over"
    clean_stderr "$h"
}

# ---- Ctrl-C is q: it asks about unkept suggestions; a second one quits ----
case_ctrl_c() {
    local h=$T/ctrlc
    start a "$h"
    wait_for ' GR ' "the first screen"
    keys g
    wait_for '4 suggestions' "4 suggestions"
    keys C-c
    wait_for 'Quit anyway\? \(y/n\)' "the quit prompt after Ctrl-C"
    keys n
    wait_gone 'Quit anyway' "the quit prompt"
    tm has-session -t "$S" 2> /dev/null || fail "n after Ctrl-C quit"
    keys C-c
    wait_for 'Quit anyway\? \(y/n\)' "the quit prompt after Ctrl-C"
    keys C-c
    wait_exit
    [ "$(cat "$h/rc")" = 0 ] || fail "exit $(cat "$h/rc") after Ctrl-C Ctrl-C"
    # (the history of batches holds them too: count the suggestions shown)
    [ "$(python3 -c 'import json,sys; print(sum(not s["kept"] for s in json.load(open(sys.argv[1]))["suggestions"]))' \
        "$h/state/groove/session.json")" = 4 ] || fail "the session was not saved with its 4 suggestions"
    # nothing unkept: Ctrl-C quits at once, as q does
    start a "$h"
    wait_for 'session restored: 4 suggestions' "the restored session"
    keys 1 k 2 k 3 k 4 k
    wait_for 'kept suggestion 4' "keep"
    keys C-c
    wait_exit
    clean_stderr "$h"
}

# ---- an arrow key whose escape sequence arrives in two parts (a loaded
# machine, SSH) is still an arrow: with a generous escape delay the 60 ms
# gap is far inside the window, so this does not hang on the machine's speed ----
case_split_escape() {
    local h=$T/esc
    start a "$h" ESCDELAY=3000 -- --fresh
    wait_for ' GR ' "the first screen"
    wait_for 'KD 1\.1\.1' "the cursor on the kick"
    keys Escape
    sleep 0.06
    tm send-keys -t "$S" -l '[A'
    wait_for 'SD 1\.1\.1' "the cursor to move up a row"
    screen | tail -1 | grep -q 'T1\.0' || fail "the temperature changed: '[' was taken as a key"
    screen | grep -q 'temperature' && fail "'[' was taken as a key"
    # the application form (ESC O B) too
    keys Escape
    sleep 0.06
    tm send-keys -t "$S" -l 'OB'
    wait_for 'KD 1\.1\.1' "the cursor to move down a row"
    keys q
    wait_exit
    clean_stderr "$h"
}

# ---- start-up messages do not hide each other: a bad key map stays in view
# when a file is opened ----
case_messages() {
    local h=$T/msg
    mkdir -p "$h/config/groove"
    printf 'frobnicate x\n' > "$h/config/groove/keys"
    W=160 start a "$h" -- funk-basic
    wait_for 'opened funk-basic' "the opened message"
    screen | head -1 | grep -q "keys: line 1: unknown action 'frobnicate'" ||
        fail "the key map error is not on the message line"
    keys q
    wait_exit
    clean_stderr "$h"
}

CASES="no_terminal save_fails bad_session fresh lock ctrl_c split_escape messages"
failed=
for c in ${ONLY:-$CASES}; do
    if (case_$c); then echo "e2e_session: $c ok"; else failed+=" $c"; fi
    stop_server
done
[ -z "$failed" ] || { echo "e2e_session: FAILED:$failed"; exit 1; }
echo "e2e_session: ok"

# tmux_lib.sh - sourced by the TUI's tmux-driven scripts (e2e_tui.sh,
# bench_tui.sh).  The caller sets SOCK (a private tmux server) and S (the
# session name); every wait is bounded by WAIT seconds.  fail() also shows
# the file FAIL_LOG names, when set.
# tmux_init NAME: what every script sets up first: G (the groove binary) and
# R (the source tree) as absolute paths, T (a scratch directory with home/
# and work/, removed on exit with the server), SOCK and S (a private server
# and a session named NAME), FAIL_LOG, and WAIT: bounds, not timings,
# generous so that a loaded machine (and the slower sanitizer build) only
# makes them longer, never fails them.
tmux_init() {
    command -v tmux > /dev/null || { echo "tmux is not installed"; exit 1; }
    G=$(realpath "${GROOVE_BIN:-./groove}")
    R=$(realpath "${GROOVE_ROOT:-.}")
    T=$(mktemp -d)
    SOCK="groove-$1-$$"
    S=$1
    FAIL_LOG="$T/stderr"
    trap 'stop_server; rm -rf "$T"' EXIT
    WAIT=${GROOVE_ASAN:+120}
    WAIT=${WAIT:-60}
    mkdir -p "$T/home" "$T/work"
}
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
screen() { tm capture-pane -p -t "$S" 2> /dev/null; }
keys() { tm send-keys -t "$S" "$@"; }
# Kills the server and waits (bounded) for the program in the pane to exit,
# so that its last session save is done before anyone removes its files.
stop_server() {
    local pid
    pid=$(tm display-message -p -t "$S" '#{pane_pid}' 2> /dev/null) || pid=
    tm kill-server 2> /dev/null || true
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK" # a killed server can leave its socket
    [ -n "$pid" ] || return 0
    for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.05; done
}
fail() {
    echo "FAIL: $*"
    echo "--- screen:"; screen || true
    if [ -n "${FAIL_LOG:-}" ]; then echo "--- $FAIL_LOG:"; cat "$FAIL_LOG" 2> /dev/null || true; fi
    exit 1
}
wait_for() { # wait_for REGEX [what]: until the screen matches, or fail
    local end=$((SECONDS + WAIT))
    while [ $SECONDS -lt $end ]; do
        screen | grep -qE -- "$1" && return 0
        sleep 0.05
    done
    fail "timed out waiting for ${2:-$1}"
}
wait_gone() { # wait_gone REGEX [what]: until the screen no longer matches
    local end=$((SECONDS + WAIT))
    while [ $SECONDS -lt $end ]; do
        screen | grep -qE -- "$1" || return 0
        sleep 0.05
    done
    fail "timed out waiting for ${2:-$1} to go"
}
wait_exit() { # until the session has ended (the program quit), or fail
    local end=$((SECONDS + WAIT))
    while tm has-session -t "$S" 2> /dev/null && [ $SECONDS -lt $end ]; do sleep 0.05; done
    tm has-session -t "$S" 2> /dev/null && fail "the program did not quit"
    return 0
}

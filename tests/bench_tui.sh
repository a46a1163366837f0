#!/usr/bin/env bash
# bench_tui.sh - the TUI's start-up and footprint, with the shipped model:
#   tui_first_frame  ms from exec to the first full screen (median of 5; the
#                    program writes the time of its first frame to
#                    $GROOVE_BENCH_FILE)
#   tui_rss          KiB resident while playing 4 generated suggestions
set -eu
G=$(realpath "${GROOVE_BIN:-./groove}")
R=$(realpath "${GROOVE_ROOT:-.}")
command -v tmux > /dev/null || { echo "bench_tui: tmux is not installed" >&2; exit 1; }
T=$(mktemp -d)
N=0
S=b
SOCK="groove-bench-$$-0"
. "$(dirname "$0")/tmux_lib.sh"
trap 'stop_server; rm -rf "$T"' EXIT
mkdir -p "$T/home"

run() { # starts groove; the shell stamps the time just before exec
    stop_server
    N=$((N + 1))
    SOCK="groove-bench-$$-$N" # a fresh server per run: a dying one is never reused
    rm -f "$T/start" "$T/frame"
    tm new-session -d -x 80 -y 24 -s b \
        "cd '$T' && export HOME='$T/home' LANG=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' \
         GROOVE_BENCH_FILE='$T/frame' && date +%s%N > '$T/start' && exec '$G' --fresh 2> /dev/null"
    for _ in $(seq 1 200); do [ -s "$T/frame" ] && break; sleep 0.02; done
    [ -s "$T/frame" ] || { echo "bench_tui: no first frame" >&2; exit 1; }
}

times=()
for i in 1 2 3 4 5; do
    run
    times+=($(( ($(cat "$T/frame") - $(cat "$T/start")) / 1000 )))
done
med=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
awk -v us="$med" 'BEGIN { printf "BENCH name=tui_first_frame value=%.1f unit=ms\n", us / 1000 }'

# resident memory while playing: generate, play, let it run a second
pid=$(tm display-message -p -t b '#{pane_pid}')
tm send-keys -t b g
sleep 0.5
tm send-keys -t b p
sleep 1.5
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
tm capture-pane -p -t b | tail -1 | grep -q '#1' || { echo "bench_tui: not playing" >&2; exit 1; }
echo "BENCH name=tui_rss value=$rss unit=KiB"

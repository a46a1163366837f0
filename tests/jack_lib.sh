# jack_lib.sh - sourced by e2e_jack.sh and bench_jack.sh: starts a private
# JACK server on the dummy backend (real-time paced, no sound card) and stops
# it on exit.  The caller sets bin (the groove binary) and has a fail().
#
# The server gets a private name (JACK_DEFAULT_SERVER) so that it cannot
# collide with another one, JACK_NO_AUDIO_RESERVATION skips D-Bus device
# reservation, JACK_NO_START_SERVER stops clients from starting servers.  It
# runs with real-time scheduling when the system allows it (as root, or with
# rtprio), else without.
command -v jackd >/dev/null || { echo "FAIL: jackd not found (Debian package jackd2, in DEB_PKGS)"; exit 1; }
jtmp=$(mktemp -d /tmp/groove-jack.XXXXXX)
server=groove-jack-$$
export JACK_DEFAULT_SERVER=$server JACK_NO_AUDIO_RESERVATION=1 JACK_NO_START_SERVER=1
rt=--no-realtime
if command -v chrt >/dev/null && chrt -f 10 true 2>/dev/null; then rt="-R -P 70"; fi
# shellcheck disable=SC2086
jackd $rt -n "$server" -d dummy -r 48000 -p 256 >"$jtmp/jackd.log" 2>&1 &
jpid=$!
jack_cleanup() {
    [ -n "${tap_pid:-}" ] && kill "$tap_pid" 2>/dev/null
    kill "$jpid" 2>/dev/null && wait "$jpid" 2>/dev/null
    rm -rf "$jtmp"
}
trap jack_cleanup EXIT
jack_log() { echo "--- jackd log:"; tail -n 20 "$jtmp/jackd.log"; }

# Waits for the server (bounded: 60 s, for a loaded machine): groove devices
# lists its output once it is up.
jack_wait_up() {
    for _ in $(seq 1 600); do
        kill -0 "$jpid" 2>/dev/null || fail "jackd exited at start-up"
        if "$bin" devices 2>&1 | grep -q "JACK Audio Connection Kit"; then return 0; fi
        sleep 0.1
    done
    fail "jackd did not come up, or PortAudio lacks its JACK host API ('groove devices': $("$bin" devices 2>&1 | tr '\n' ' '))"
}

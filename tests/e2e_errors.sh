#!/usr/bin/env bash
# e2e_errors.sh - bad input gives one line on stderr, "groove: FILE: what is
# wrong", naming the file, with exit 1 (runtime) or 2 (usage): corrupt and
# missing MIDI, truncated and wrong model files, bad flags and values, an
# unwritable output, no audio device, and a corrupt session in the TUI.
# Every run is bounded by a timeout (a hang guard, generous for a loaded
# machine); the whole script takes a few seconds.
set -u
bin=$(realpath "${GROOVE_BIN:-./groove}")
cd "${GROOVE_ROOT:-.}" || exit 1
tmp=$(mktemp -d /tmp/groove-e2e-errors.XXXXXX)
SOCK="groove-errors-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect RC NEEDLE ARGS...: exit status RC, stderr exactly one line starting
# "groove: " and containing NEEDLE (a file name or the problem), nothing of
# ALSA's or JACK's, and no output written on stdout.
expect() {
    local want=$1 needle=$2
    shift 2
    timeout 120 env GROOVE_MODEL= "$bin" "$@" < /dev/null > "$tmp/out" 2> "$tmp/err"
    local rc=$?
    [ "$rc" = "$want" ] || fail "groove $*: exit $rc, want $want: $(cat "$tmp/err")"
    [ "$(wc -l < "$tmp/err")" = 1 ] || fail "groove $*: not one line on stderr: $(cat "$tmp/err")"
    grep -q '^groove: ' "$tmp/err" || fail "groove $*: no 'groove: ' prefix: $(cat "$tmp/err")"
    grep -qF -- "$needle" "$tmp/err" || fail "groove $*: '$needle' not named: $(cat "$tmp/err")"
    [ ! -s "$tmp/out" ] || fail "groove $*: wrote to stdout"
}

mid=$(find patterns/gmd -name '*.mid' -size +1k | head -1)
[ -n "$mid" ] || fail "no GMD file under patterns/gmd"
model=engine/models/default.safetensors
head -c 100 "$mid" > "$tmp/trunc.mid"
: > "$tmp/empty.mid"
head -c 512 /dev/urandom > "$tmp/random.mid"
mkdir "$tmp/dir.mid"
head -c 1000 "$model" > "$tmp/trunc.safetensors"
: > "$tmp/empty.safetensors"

# ---- corrupt and missing patterns: exit 1, the file named ----
for f in trunc.mid empty.mid random.mid dir.mid missing.mid; do
    expect 1 "groove: $tmp/$f: " show "$tmp/$f"
done
expect 1 "groove: $tmp/trunc.mid: " generate "$tmp/trunc.mid" -o "$tmp/g"
expect 1 "groove: $tmp/random.mid: " tui "$tmp/random.mid"

# ---- model files: truncated, empty, a MIDI file, missing, via GROOVE_MODEL ----
for f in trunc.safetensors empty.safetensors; do
    expect 1 "groove: $tmp/$f: " info --model "$tmp/$f"
done
expect 1 "groove: $tmp/trunc.safetensors: " generate "$mid" --model "$tmp/trunc.safetensors" -o "$tmp/g"
expect 1 "groove: $mid: " info --model "$mid"
timeout 120 env GROOVE_MODEL="$tmp/nowhere.safetensors" "$bin" sample -o "$tmp/g" > /dev/null 2> "$tmp/err"
[ $? = 1 ] && [ "$(cat "$tmp/err")" = "groove: $tmp/nowhere.safetensors: No such file or directory" ] ||
    fail "GROOVE_MODEL pointing nowhere: $(cat "$tmp/err")"
[ ! -e "$tmp/g" ] || fail "a failed generate left output behind"

# ---- usage errors: exit 2, one line ----
expect 2 "'--bogus'" generate "$mid" --bogus
expect 2 "'--bogus'" show "$mid" --bogus
expect 2 "(groove render --help)" render "$mid" "$tmp/o.wav" --nope
expect 2 "--tempo: 'fast'" play "$mid" --tempo fast
expect 2 "--temperature: 'hot'" generate "$mid" --temperature hot
expect 2 "unknown command 'frobnicate'" frobnicate
expect 2 "tui: bad option" --bogus
expect 2 "devices: no arguments" devices extra

# ---- an output that cannot be written: exit 1, the target named, not its temp file ----
expect 1 "groove: $tmp/no/such/dir/o.wav: cannot create" render "$mid" "$tmp/no/such/dir/o.wav"
grep -q '\.tmp' "$tmp/err" && fail "the temp file's name leaks: $(cat "$tmp/err")"

# ---- no audio device (none here, or one that does not exist) ----
expect 1 "no audio output device" play "$mid" --audio-device no-such-device-anywhere --loops 1

# ---- the TUI on a corrupt session: it starts, moves the file aside and says where ----
if command -v tmux > /dev/null; then
    mkdir -p "$tmp/home/.local/state/groove"
    printf '{"input": [1, 2, garbage' > "$tmp/home/.local/state/groove/session.json"
    tm new-session -d -x 100 -y 30 -s e \
        "exec env -u XDG_STATE_HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME HOME='$tmp/home' LANG=C.UTF-8 \
         LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_MODEL= '$bin' 2>>'$tmp/tui.err'"
    ok=
    for _ in $(seq 1 1200); do
        tm capture-pane -p -t e 2> /dev/null |
            grep -qE 'moved the unreadable session to session\.json\.bad-[0-9-]+ \(not a JSON object\)' && { ok=1; break; }
        sleep 0.05
    done
    [ -n "$ok" ] || fail "the TUI did not say it moved the session aside: $(tm capture-pane -p -t e 2>&1 | head -3)"
    ls "$tmp/home/.local/state/groove/" | grep -qE '^session\.json\.bad-' || fail "the corrupt session was not moved aside"
    tm kill-server 2> /dev/null
    for _ in $(seq 1 1200); do grep -q . "$tmp/tui.err" 2> /dev/null && break; sleep 0.05; done
    grep -qE "^groove: $tmp/home/.local/state/groove/session.json: not a JSON object; moved to .*\.bad-" "$tmp/tui.err" &&
        [ "$(wc -l < "$tmp/tui.err")" = 1 ] || fail "stderr is not the one line saying where the session went: $(cat "$tmp/tui.err")"
fi
echo "e2e_errors: ok"

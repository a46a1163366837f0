#!/usr/bin/env bash
# e2e_render.sh - `groove render` from the command line: reproducible WAV
# bytes, the formats asked for, sample kits, and clear refusals.
set -u
bin=${GROOVE_BIN:-./groove}
cd "${GROOVE_ROOT:-.}" || exit 1
tmp=$(mktemp -d /tmp/groove-e2e-render.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v sox >/dev/null || fail "sox not found (Debian package sox, in DEB_PKGS)"
soxi() { sox --i "$@" 2>/dev/null; }
info() { soxi "$1" | tr -s ' '; }

"$bin" render funk-basic "$tmp/a.wav" --loops 2 --swing 0.3 >/dev/null || fail "render exited $?"
"$bin" render funk-basic "$tmp/b.wav" --loops 2 --swing 0.3 >/dev/null || fail "second render"
cmp -s "$tmp/a.wav" "$tmp/b.wav" || fail "two renders differ"
[ "$(soxi -c "$tmp/a.wav")" = 2 ] && [ "$(soxi -r "$tmp/a.wav")" = 48000 ] && [ "$(soxi -b "$tmp/a.wav")" = 16 ] ||
    fail "not 16-bit 48 kHz stereo: $(info "$tmp/a.wav")"
# the whole pattern twice plus a tail: at least 2 loops of 2 bars
secs=$(soxi -D "$tmp/a.wav")
bpm=$(sed -nE 's/^# *tempo: *([0-9.]+).*/\1/p' patterns/presets/funk-basic.tab)
[ -n "$bpm" ] || bpm=100
awk -v s="$secs" -v b="$bpm" 'BEGIN { exit !(s >= 2 * 8 * 60 / b) }' || fail "$secs s is shorter than 2 loops at $bpm BPM"
# nothing clips: sox reports the peak level in dBFS
peak=$(sox "$tmp/a.wav" -n stats 2>&1 | awk '/Pk lev dB/ { print $4 }')
awk -v p="$peak" 'BEGIN { exit !(p < 0 && p > -20) }' || fail "peak $peak dBFS"

"$bin" render funk-basic "$tmp/f.wav" --float --rate 44100 --tempo 150 --bars 1 >/dev/null || fail "float render"
[ "$(soxi -r "$tmp/f.wav")" = 44100 ] && soxi -e "$tmp/f.wav" | grep -qi float || fail "not float 44.1 kHz: $(info "$tmp/f.wav")"
# a float WAV tools read without complaint (WAVE_FORMAT_EXTENSIBLE, or a fmt chunk with cbSize)
warn=$(sox --i "$tmp/f.wav" 2>&1 >/dev/null)
[ -z "$warn" ] || fail "soxi warns on a --float WAV: $warn"
sox "$tmp/f.wav" -n stats 2>&1 | grep -qi warn && fail "sox warns reading a --float WAV"

# a kit of files named by voice
mkdir "$tmp/kit"
sox -n -r 44100 "$tmp/kit/kick.wav" synth 0.3 sine 55 fade 0 0.3 0.25 || fail "sox"
sox -n -r 22050 -c 2 "$tmp/kit/snare.flac" synth 0.2 whitenoise fade 0 0.2 0.18 || fail "sox"
"$bin" render funk-basic "$tmp/k.wav" --kit "$tmp/kit" >"$tmp/k.out" 2>"$tmp/k.err" || fail "kit render: $(cat "$tmp/k.err")"
[ -s "$tmp/k.err" ] && fail "a good kit gives no warning: $(cat "$tmp/k.err")"
"$bin" render funk-basic "$tmp/a1.wav" >/dev/null || fail "render"
cmp -s "$tmp/k.wav" "$tmp/a1.wav" && fail "the kit's samples were not used"

# a bad kit: one clear line, the built-in kit, still a file
mkdir "$tmp/bad"
echo "not audio" >"$tmp/bad/kick.wav"
"$bin" render funk-basic "$tmp/c.wav" --kit "$tmp/bad" >/dev/null 2>"$tmp/c.err" || fail "bad kit must fall back"
[ "$(wc -l <"$tmp/c.err")" = 1 ] && grep -q "^groove: $tmp/bad: .*kick.wav.*built-in kit" "$tmp/c.err" ||
    fail "unclear bad-kit message: $(cat "$tmp/c.err")"
cmp -s "$tmp/c.wav" "$tmp/a1.wav" || fail "the fallback is not the built-in kit"

# usage errors
"$bin" render funk-basic "$tmp/x.mp3" 2>/dev/null; [ $? = 2 ] || fail "a non-.wav output is a usage error"
"$bin" render funk-basic "$tmp/x.wav" --swing 2 2>/dev/null; [ $? = 2 ] || fail "--swing 2 is a usage error"
"$bin" render "$tmp/none.mid" "$tmp/x.wav" 2>/dev/null; [ $? = 1 ] || fail "a missing input is a runtime error"
[ -e "$tmp/x.wav" ] && fail "no output on errors"
echo ok

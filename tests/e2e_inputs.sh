#!/usr/bin/env bash
# e2e_inputs.sh - inputs that used to hang or mislead (issue 18): FIFOs and
# other non-regular files given as any input, Hydrogen kits whose samples
# point outside the kit, absurd latents, encode's output fed to decode,
# tempos outside 20..400 BPM, and directories named like a preset or a file.
# Every run is bounded by a timeout (a hang fails the test, it does not stall
# it); nothing here depends on how fast the machine is.
set -u
bin=$(realpath "${GROOVE_BIN:-./groove}")
cd "${GROOVE_ROOT:-.}" || exit 1
root=$PWD
tmp=$(mktemp -d /tmp/groove-e2e-inputs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
model=$root/engine/models/default.safetensors

# run ARGS...: groove with a 10 s bound (a FIFO reader blocks forever), its
# exit status in $rc, stdout in $tmp/out, stderr in $tmp/err.
run() {
    timeout 60 env GROOVE_MODEL= "$bin" "$@" < /dev/null > "$tmp/out" 2> "$tmp/err"
    rc=$?
    [ "$rc" != 124 ] || fail "groove $*: still blocked after 10 s"
}
# expect RC NEEDLE ARGS...: exit status RC and exactly one line on stderr,
# "groove: ..." containing NEEDLE.
expect() {
    local want=$1 needle=$2
    shift 2
    run "$@"
    [ "$rc" = "$want" ] || fail "groove $*: exit $rc, want $want: $(cat "$tmp/err")"
    [ "$(wc -l < "$tmp/err")" = 1 ] || fail "groove $*: not one line on stderr: $(cat "$tmp/err")"
    grep -q '^groove: ' "$tmp/err" || fail "groove $*: no 'groove: ' prefix: $(cat "$tmp/err")"
    grep -qF -- "$needle" "$tmp/err" || fail "groove $*: '$needle' not named: $(cat "$tmp/err")"
}

# ---- FIFOs: refused at once, as "not a regular file", by every reader ----
mkfifo "$tmp/f.mid" "$tmp/f.tab" "$tmp/f.safetensors" "$tmp/f.json" "$tmp/f.ckpt"
expect 1 "groove: $tmp/f.mid: not a regular file" show "$tmp/f.mid"
expect 1 "groove: $tmp/f.tab: not a regular file" show "$tmp/f.tab"
expect 1 "groove: $tmp/f.safetensors: not a regular file" info --model "$tmp/f.safetensors"
expect 1 "groove: $tmp/f.json: not a regular file" decode --z-file "$tmp/f.json" --model "$model"
run train --export --checkpoint "$tmp/f.ckpt" -o "$tmp/m.safetensors"
[ "$rc" = 1 ] && grep -qF "$tmp/f.ckpt" "$tmp/err" && grep -qF "not a regular file" "$tmp/err" ||
    fail "train --export on a FIFO checkpoint: exit $rc: $(cat "$tmp/err")"

# ---- Hydrogen kits: every sample inside the kit folder, regular files only ----
# A refused kit falls back to the built-in one with one line naming the kit
# and the sample; render still writes the file, and never blocks.
run render funk-basic "$tmp/builtin.wav"
[ "$rc" = 0 ] || fail "render with the built-in kit: $(cat "$tmp/err")"
mkdir -p "$tmp/k/kit/sub"
sox -n -r 44100 "$tmp/k/kit/sub/kick.wav" synth 0.3 sine 55 fade 0 0.3 0.25 || fail "sox"
cp "$tmp/k/kit/sub/kick.wav" "$tmp/k/outside.wav"
mkfifo "$tmp/k/kit/snare.wav"
h2kit() { # h2kit KICK-FILE: drumkit.xml with a kick from KICK-FILE
    printf '<?xml version="1.0"?>\n<drumkit_info><name>T</name><instrumentList>\n<instrument><name>Kick</name><layer><filename>%s</filename></layer></instrument>\n</instrumentList></drumkit_info>\n' "$1" > "$tmp/k/kit/drumkit.xml"
}
for bad in ../../../../../../etc/passwd /etc/passwd ../outside.wav snare.wav; do
    h2kit "$bad"
    rm -f "$tmp/k.wav"
    run render funk-basic "$tmp/k.wav" --kit "$tmp/k/kit"
    [ "$rc" = 0 ] || fail "render with a kit sample $bad: exit $rc: $(cat "$tmp/err")"
    [ "$(wc -l < "$tmp/err")" = 1 ] && grep -qF "groove: $tmp/k/kit: " "$tmp/err" && grep -qF "$bad" "$tmp/err" &&
        grep -q "built-in kit" "$tmp/err" || fail "kit sample $bad: unclear message: $(cat "$tmp/err")"
    case $bad in
    snare.wav) grep -q "not a regular file" "$tmp/err" || fail "a FIFO sample: $(cat "$tmp/err")" ;;
    /*) grep -q "absolute" "$tmp/err" || fail "absolute sample path: $(cat "$tmp/err")" ;;
    *) grep -q "outside the kit" "$tmp/err" || fail "sample $bad: $(cat "$tmp/err")" ;;
    esac
    cmp -s "$tmp/k.wav" "$tmp/builtin.wav" || fail "kit sample $bad: the fallback is not the built-in kit"
done
h2kit sub/kick.wav
run render funk-basic "$tmp/k.wav" --kit "$tmp/k/kit"
[ "$rc" = 0 ] && [ ! -s "$tmp/err" ] || fail "a kit sample inside the kit: exit $rc: $(cat "$tmp/err")"
cmp -s "$tmp/k.wav" "$tmp/builtin.wav" && fail "the kit's sample was not used"
rm -f "$tmp/k/kit/drumkit.xml" "$tmp/k/kit/sub/kick.wav"
run render funk-basic "$tmp/k.wav" --kit "$tmp/k/kit" # snare.wav, a FIFO, named by voice
[ "$rc" = 0 ] && grep -q "snare.wav.*not a regular file" "$tmp/err" ||
    fail "a FIFO named by voice: exit $rc: $(cat "$tmp/err")"

# ---- tempos outside 20..400 BPM: clamped on reading, one warning naming the input ----
# fast.mid: 96 PPQ, a tempo of 1 us per quarter (6e7 BPM), one kick
printf 'MThd\0\0\0\6\0\0\0\1\0\140MTrk\0\0\0\23\0\377\121\3\0\0\1\0\231\44\144\60\211\44\0\0\377\57\0' > "$tmp/fast.mid"
run convert "$tmp/fast.mid" "$tmp/x.tab"
[ "$rc" = 0 ] || fail "convert fast.mid: exit $rc: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/err")" = 1 ] && grep -qF "groove: $tmp/fast.mid: tempo 6e+07 BPM is outside 20..400; using 400" "$tmp/err" ||
    fail "convert fast.mid: no one-line warning naming the input: $(cat "$tmp/err")"
grep -qx '# tempo: 400' "$tmp/x.tab" || fail "convert wrote $(grep tempo "$tmp/x.tab")"
run show "$tmp/x.tab"
[ "$rc" = 0 ] && [ ! -s "$tmp/err" ] || fail "show of the converted tab: exit $rc: $(cat "$tmp/err")"
# a tab an older groove wrote with 6e+07: read, clamped, and the tab (not the output) named
sed 's/^# tempo: 400$/# tempo: 6e+07/' "$tmp/x.tab" > "$tmp/old.tab"
run render "$tmp/old.tab" "$tmp/old.wav"
[ "$rc" = 0 ] && [ -s "$tmp/old.wav" ] || fail "render of a 6e+07 tab: exit $rc: $(cat "$tmp/err")"
grep -qF "groove: $tmp/old.tab: tempo 6e+07 BPM is outside 20..400; using 400" "$tmp/err" ||
    fail "render of a 6e+07 tab: $(cat "$tmp/err")"

# ---- a directory named like a preset or given as FILE: say what the path is ----
mkdir -p "$tmp/cwd" "$tmp/somedir" "$tmp/cwd/mydir"
(
    cd "$tmp/cwd" || exit 1
    for k in 1 2; do # the second run finds the first one's output directory named funk-basic
        run generate funk-basic -n 2 -o funk-basic --model "$model"
        [ "$rc" = 0 ] || fail "generate funk-basic -o funk-basic, run $k: exit $rc: $(cat "$tmp/err")"
    done
    [ -s funk-basic/funk-basic-02.mid ] || fail "generate funk-basic wrote no files"
    run show funk-basic
    [ "$rc" = 0 ] && grep -q 'funk-basic' "$tmp/out" || fail "show funk-basic beside a directory of that name: $(cat "$tmp/err")"
    expect 1 "groove: mydir: is a directory" show mydir
) || exit 1
expect 1 "groove: $tmp/somedir: is a directory" show "$tmp/somedir"
expect 1 "groove: $tmp/somedir: is a directory" render "$tmp/somedir" "$tmp/o.wav"
expect 1 "groove: $tmp/f.mid: not a regular file" generate "$tmp/f.mid" -o "$tmp/g" --model "$model"

# ---- a pattern's name survives .mid -> .tab and .mid -> .mid (the track name
# groove wrote); a DAW's default track name ("Midi Drums") is no name ----
run convert rock-basic "$tmp/rb.mid"
run convert "$tmp/rb.mid" "$tmp/rb.tab"
[ "$rc" = 0 ] && grep -qx '# name: Rock basic' "$tmp/rb.tab" || fail ".mid -> .tab lost the name: $(grep name "$tmp/rb.tab")"
run convert "$tmp/rb.mid" "$tmp/rb2.mid"
run convert "$tmp/rb2.mid" "$tmp/rb2.tab"
grep -qx '# name: Rock basic' "$tmp/rb2.tab" || fail ".mid -> .mid lost the name: $(grep name "$tmp/rb2.tab")"
run convert "$root/patterns/gmd/drummer1/session1/1_funk_80_beat_4-4.mid" "$tmp/gmd.tab"
grep -qx '# name: 1_funk_80_beat_4-4' "$tmp/gmd.tab" || fail "a GMD take named $(grep name "$tmp/gmd.tab")"

echo "e2e_inputs: ok"

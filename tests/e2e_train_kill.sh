#!/usr/bin/env bash
# e2e_train_kill.sh - kill -9 at every rename a training run makes (the data
# cache, the mid-epoch checkpoints, and each epoch end: checkpoint, CSV,
# model, model sidecar), then `--resume`: it exits 0 and leaves exactly the
# model and sidecar an uninterrupted run writes, the same epochs in the CSV,
# and no temp file.  Both --keep modes (last: every epoch end writes the
# model; best: an epoch end that is not the best writes none).  strace
# injects the kill (`make deps` installs it).
set -eu
G=${GROOVE_BIN:-./groove}
R=${GROOVE_ROOT:-.}
command -v strace > /dev/null || { echo "strace is not installed (make deps installs it)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# LeakSanitizer cannot run under ptrace: traced runs of an ASan build go without it
TRACED="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# 20 steps an epoch: checkpoints at steps 7, 14, 21, 28, 35 and both epoch ends
TINY="--data $R/patterns/gmd --max-files 4 --d-model 16 --heads 2 --ff 16 --layers 1 --latent 4 --batch 16
      --epochs 2 --checkpoint-every 7 --quiet"

for keep in last best; do
    ref="$T/$keep-ref"
    mkdir "$ref"
    ASAN_OPTIONS=$TRACED strace -f -qq -e trace=rename -o "$T/renames" "$G" train $TINY --keep $keep -o "$ref/m.safetensors" \
        > "$ref/out" 2>&1 || { cat "$ref/out"; fail "the uninterrupted run ($keep)"; }
    grep -E '^[0-9]+ +rename\(' "$T/renames" | sed -E 's/.*rename\("[^"]*", "([^"]*)".*/\1/; s|.*/||' > "$T/targets"
    n=$(wc -l < "$T/targets")
    # the cache, 5 mid-epoch checkpoints, and each epoch end's 2 or 4 files
    [ "$n" -ge 10 ] || fail "$keep: only $n renames in the uninterrupted run"
    [ "$(grep -c '^m\.safetensors$' "$T/targets")" -ge 1 ] || fail "$keep: the model was never written"
    for i in $(seq 1 "$n"); do
        what="kill point $i of $n ($keep, before the rename to $(sed -n "${i}p" "$T/targets"))"
        d="$T/$keep-$i"
        mkdir "$d"
        # (in a subshell whose stderr is $d/kill: bash reports the kill there)
        rc=0
        (ASAN_OPTIONS=$TRACED strace -f -qq -e trace=rename -e inject=rename:signal=KILL:when="$i" -o /dev/null \
            "$G" train $TINY --keep $keep -o "$d/m.safetensors"; exit $?) > "$d/kill" 2>&1 || rc=$?
        [ "$rc" -eq 137 ] || { cat "$d/kill"; fail "$what: exit $rc, not 137 (killed)"; }
        rc=0
        "$G" train $TINY --keep $keep -o "$d/m.safetensors" --resume > "$d/resume" 2>&1 || rc=$?
        [ "$rc" -eq 0 ] || { cat "$d/resume"; fail "$what: --resume exited $rc"; }
        cmp -s "$d/m.safetensors" "$ref/m.safetensors" || fail "$what: the model differs from the uninterrupted run's"
        cmp -s "$d/m.json" "$ref/m.json" || fail "$what: the sidecar differs from the uninterrupted run's"
        # the CSV: the same epochs and losses (its seconds column is wall time)
        [ "$(cut -d, -f1,2,4- "$d/m.csv")" = "$(cut -d, -f1,2,4- "$ref/m.csv")" ] ||
            fail "$what: the CSV differs from the uninterrupted run's"
        grep -q "^wrote .*m.safetensors: epoch [12] of 2" "$d/resume" || { cat "$d/resume"; fail "$what: no 'wrote'"; }
        # the killed run's temp file is gone once the resumed run wrote into the directory
        [ -z "$(ls "$d" | grep '\.tmp$')" ] || { ls -la "$d"; fail "$what: temp files left behind"; }
        rm -rf "$d"
    done
done

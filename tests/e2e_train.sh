#!/usr/bin/env bash
# e2e_train.sh - `groove train` and `groove eval` from the command line on a
# few GMD files: outputs beside the model, Ctrl-C checkpoints and --resume
# finishes, eval prints the model and both anchors.
set -eu
G=${GROOVE_BIN:-./groove}
R=${GROOVE_ROOT:-.}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TINY="--data $R/patterns/gmd --max-files 3 --d-model 16 --heads 2 --ff 16 --layers 1 --latent 4 --batch 16"

"$G" train $TINY --epochs 2 -o "$T/m.safetensors" > "$T/out" 2>&1 || { cat "$T/out"; exit 1; }
for f in m.safetensors m.json m.ckpt m.csv m.windows; do [ -s "$T/$f" ] || { echo "missing $f"; exit 1; }; done
grep -q "^epoch,step" "$T/m.csv"
[ "$(wc -l < "$T/m.csv")" -eq 3 ]
grep -q "data train: .* windows" "$T/out"
grep -q "loss per epoch" "$T/out"

# a second run reads the cache
"$G" train $TINY --epochs 1 -o "$T/m.safetensors" --checkpoint "$T/other.ckpt" > "$T/out2" 2>&1
grep -q "(cache)" "$T/out2"

# --hop 8 adds the half-bar shifts to the training windows only; a hop that does not divide a bar is refused
"$G" train $TINY --epochs 1 --hop 8 -o "$T/h.safetensors" > "$T/hop" 2>&1 || { cat "$T/hop"; exit 1; }
n16=$(sed -n 's/^data train: \([0-9]*\) windows.*/\1/p' "$T/out"); n8=$(sed -n 's/^data train: \([0-9]*\) windows.*/\1/p' "$T/hop")
[ "$n8" -gt $((n16 * 3 / 2)) ] || { echo "--hop 8: $n8 training windows, $n16 with a bar"; exit 1; }
[ "$(grep '^data validation' "$T/out")" = "$(grep '^data validation' "$T/hop")" ]
if "$G" train $TINY --hop 3 -o "$T/h.safetensors" > "$T/hop3" 2>&1; then exit 1; fi
grep -q "^groove: train: --hop: 1, 2, 4, 8 or 16 steps, not '3'" "$T/hop3"

# Ctrl-C: checkpoint, clean exit; --resume finishes the run
"$G" train $TINY --epochs 400 -o "$T/i.safetensors" > "$T/int" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do grep -q "step" "$T/int" 2>/dev/null && break; sleep 0.1; done
grep -q "step" "$T/int" || { echo "training did not start within 120 s"; exit 1; }
kill -INT "$pid"
wait "$pid"
grep -q "interrupted at step" "$T/int"
[ -s "$T/i.ckpt" ] && [ -s "$T/i.safetensors" ]
"$G" train $TINY --epochs 400 -o "$T/i.safetensors" --resume --export > "$T/exp" 2>&1
grep -q "(export)" "$T/exp"

# options that do not match the checkpoint are refused
if "$G" train $TINY --epochs 3 --lr 0.5 -o "$T/m.safetensors" --resume > "$T/bad" 2>&1; then exit 1; fi
grep -q "groove: .*m.ckpt: checkpoint was written with different training options" "$T/bad"

"$G" eval --model "$T/m.safetensors" --data "$R/patterns/gmd" --max-files 3 --max-windows 20 > "$T/ev" 2>&1 || { cat "$T/ev"; exit 1; }
grep -q "^model " "$T/ev" && grep -q "nearest neighbour" "$T/ev" && grep -q "groove on hat" "$T/ev"
"$G" eval --model "$T/m.safetensors" --data "$R/patterns/gmd" --max-files 3 --max-windows 20 --json --no-anchors > "$T/ej" 2>/dev/null
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert all(0 <= r['f1'] <= 1 for r in d['modes'].values()) and set(d['modes']) == \
    {'lanes1', 'lanes2', 'lanes3', 'lanes1_keep_kick_snare', 'humanize'}" "$T/ej"
if "$G" eval --model "$T/nope.safetensors" --data "$R/patterns/gmd" > "$T/e3" 2>&1; then exit 1; fi
grep -q "^groove: .*nope.safetensors: " "$T/e3"

# Outputs that cannot be written are refused before the first step: exit 1,
# one line naming the path, no step taken (no progress line).
refused() { # refused PATH ARGS...: train with ARGS must refuse PATH up front
    local path=$1 rc=0
    shift
    "$@" > "$T/ref" 2>&1 || rc=$?
    [ "$rc" -eq 1 ] || { cat "$T/ref"; echo "exit $rc, not 1, for an unwritable $path"; exit 1; }
    [ "$(grep -c '^groove: ' "$T/ref")" -eq 1 ] && grep -q "^groove: $path: " "$T/ref" ||
        { cat "$T/ref"; echo "no one line naming $path"; exit 1; }
    if grep -q "step\|^epoch" "$T/ref"; then cat "$T/ref"; echo "trained before refusing $path"; exit 1; fi
}
touch "$T/file"
mkdir -p "$T/w/m.json" "$T/w2"
refused "$T/file/m.safetensors" "$G" train $TINY --epochs 1 -o "$T/file/m.safetensors"
refused "$T/w/m.json" "$G" train $TINY --epochs 1 -o "$T/w/m.safetensors"
refused "$T/file/c.ckpt" "$G" train $TINY --epochs 1 -o "$T/w2/m.safetensors" --checkpoint "$T/file/c.ckpt"
refused "$T/file/l.csv" "$G" train $TINY --epochs 1 -o "$T/w2/m.safetensors" --log "$T/file/l.csv"
[ -z "$(ls "$T/w2")" ] || { ls -la "$T/w2"; echo "files left behind by refused runs"; exit 1; }
# a directory without write permission (root ignores permissions: run as nobody)
mkdir "$T/ro" && chmod 555 "$T/ro" && chmod 755 "$T"
AS=
[ "$(id -u)" -eq 0 ] && AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
refused "$T/ro/m.safetensors" $AS "$G" train $TINY --epochs 1 -o "$T/ro/m.safetensors"
# a full disk, and one without room for the checkpoint (a private tmpfs, where mounting is allowed)
mkdir "$T/full"
if unshare -m true 2> /dev/null && unshare -m mount -t tmpfs -o size=256k tmpfs "$T/full" 2> /dev/null; then
    unshare -m sh -c "mount -t tmpfs -o size=256k tmpfs '$T/full' && dd if=/dev/zero of='$T/full/fill' bs=4k 2> /dev/null;
        exec $G train $TINY --epochs 1 -o '$T/full/m.safetensors'" > "$T/ref" 2>&1 && exit 1
    grep -q "^groove: $T/full/m.safetensors: .*No space left on device" "$T/ref" || { cat "$T/ref"; exit 1; }
    if grep -q "step" "$T/ref"; then cat "$T/ref"; echo "trained on a full disk"; exit 1; fi
    unshare -m sh -c "mount -t tmpfs -o size=256k tmpfs '$T/full' && dd if=/dev/zero of='$T/full/fill' bs=4k count=40 2> /dev/null;
        exec $G train $TINY --epochs 1 -o '$T/full/m.safetensors'" > "$T/ref" 2>&1 && exit 1
    grep -q "^groove: $T/full/m.safetensors: .*not enough space" "$T/ref" || { cat "$T/ref"; exit 1; }
    if grep -q "step" "$T/ref"; then cat "$T/ref"; echo "trained without room for the checkpoint"; exit 1; fi
else
    echo "note: no private tmpfs here (unshare/mount not allowed): the full-disk checks are skipped"
fi

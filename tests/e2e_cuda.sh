#!/usr/bin/env bash
# e2e_cuda.sh - `groove devices` says why there is no GPU, through the real
# dlopen path: GROOVE_LIBCUDA missing, a library that is not the driver, and
# a stand-in driver with no device (BUILD/tests/libfakecuda.so).  Passes on a
# machine with a GPU too (the GPU lines are then only checked for shape).
set -u
cd "$(dirname "$0")/.."
G=${GROOVE_BIN:-$PWD/groove}
B=${GROOVE_BUILD:-build}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
gpus() { env "$@" "$G" devices 2>/dev/null | sed -n '/^gpus (--device cuda):$/,$p' | sed -n 2p; }

line=$(gpus GROOVE_LIBCUDA=/nonexistent/libcuda.so.1)
if [ "$line" = "  none (built without CUDA)" ]; then
    built=0
else
    built=1
    case $line in "  none (no libcuda.so.1 ("*) ;; *) fail "missing library: '$line'" ;; esac
    line=$(gpus GROOVE_LIBCUDA=libm.so.6)
    case $line in "  none (libcuda.so.1 lacks cuInit "*) ;; *) fail "wrong library: '$line'" ;; esac
    fake=$(realpath "$B/tests/libfakecuda.so")
    line=$(gpus GROOVE_LIBCUDA="$fake")
    [ "$line" = "  none (no CUDA device)" ] || fail "no device: '$line'"
    line=$(gpus GROOVE_LIBCUDA="$fake" FAKE_CUDA=count0)
    [ "$line" = "  none (no CUDA device)" ] || fail "no device counted: '$line'"
    line=$(gpus GROOVE_LIBCUDA="$fake" FAKE_CUDA=old)
    case $line in "  none (driver too old for the embedded code (needs CUDA "*) ;; *) fail "old driver: '$line'" ;; esac
fi
# --device: cuda without a usable GPU is one line and exit 1; auto and cpu
# run on the CPU and write the same bytes; a bad value is a usage error.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export GROOVE_MODEL=$PWD/engine/models/default.safetensors
env GROOVE_LIBCUDA=/nonexistent/libcuda.so.1 "$G" sample -n 1 --seed 3 --device cuda -o "$work/c" >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 1 ] || fail "sample --device cuda without a GPU: exit $rc"
[ "$(wc -l < "$work/err")" -eq 1 ] || fail "sample --device cuda: not one line: $(cat "$work/err")"
grep -qE '^groove: --device cuda: (no libcuda.so.1 \(|built without CUDA$)' "$work/err" ||
    fail "sample --device cuda: $(cat "$work/err")"
env GROOVE_LIBCUDA=/nonexistent/libcuda.so.1 "$G" train --device cuda --epochs 1 -o "$work/m.safetensors" \
    >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 1 ] || fail "train --device cuda without a GPU: exit $rc"
grep -qE '^groove: train: --device cuda: ' "$work/err" || fail "train --device cuda: $(cat "$work/err")"
[ -e "$work/m.safetensors" ] && fail "train --device cuda wrote a model"
"$G" eval --device gpu >/dev/null 2>"$work/err"
rc=$?
[ $rc -eq 2 ] || fail "eval --device gpu: exit $rc"
grep -q "cpu, cuda or auto, not 'gpu'" "$work/err" || fail "eval --device gpu: $(cat "$work/err")"
"$G" sample -n 2 --seed 7 --device cpu -o "$work/cpu" >/dev/null 2>&1 || fail "sample --device cpu"
env GROOVE_LIBCUDA=/nonexistent/libcuda.so.1 "$G" sample -n 2 --seed 7 --device auto -o "$work/auto" \
    >/dev/null 2>"$work/err" || fail "sample --device auto"
[ -s "$work/err" ] && fail "sample --device auto without a GPU said: $(cat "$work/err")"
diff -r "$work/cpu" "$work/auto" >/dev/null || fail "--device auto and cpu wrote different bytes"
# gpu_kernels (tests/gpu_check.sh's program) without a device: nothing to check, exit 0.
if [ $built = 1 ]; then
    out=$(env GROOVE_LIBCUDA="$fake" "$B/tests/gpu_kernels" 2>&1)
    rc=$?
    [ $rc -eq 0 ] || fail "gpu_kernels without a device: exit $rc"
    case $out in "no CUDA device: nothing to check (no CUDA device)") ;; *) fail "gpu_kernels: '$out'" ;; esac
fi
# The real driver: a GPU line or one reason, never nothing.
line=$(gpus)
case $line in "  gpu 0: "*" (compute capability "*|"  none ("*")") ;; *) fail "real driver: '$line'" ;; esac
[ $fails -eq 0 ] && echo "e2e_cuda: ok (built with CUDA: $built)"
[ $fails -eq 0 ]

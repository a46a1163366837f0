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
# The real driver: a GPU line or one reason, never nothing.
line=$(gpus)
case $line in "  gpu 0: "*" (compute capability "*|"  none ("*")") ;; *) fail "real driver: '$line'" ;; esac
[ $fails -eq 0 ] && echo "e2e_cuda: ok (built with CUDA: $built)"
[ $fails -eq 0 ]

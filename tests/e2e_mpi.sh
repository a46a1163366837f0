#!/usr/bin/env bash
# e2e_mpi.sh - data-parallel training on MPI (issue 24), on a small data set
# (12 GMD files, a tiny model, batch 32, dropout 0.1):
#   - 1 process with batch 32 and `mpirun --oversubscribe -np 2` with 16 rows
#     each give the same model within 1e-5 relative per tensor after 66 steps
#     (the same bits here: the same shards, and a + b is b + a);
#   - a rank killed mid-run ends the job with mpirun's line naming it, no
#     hang; `mpirun -np 2 ... --resume` continues from rank 0's checkpoint to
#     the model an uninterrupted run makes;
#   - rank 0 alone writes: one set of files, no stray temp files.
# A groove built without MPI says so when started by mpirun (checked here by
# the environment mpirun sets).  Runs as root in CI: Open MPI's allow-root
# variables; under ASan, LeakSanitizer skips Open MPI's own allocations
# (tests/lsan_openmpi.supp).  Every run is bounded by a timeout.
set -u
bin=$(realpath "${GROOVE_BIN:-./groove}")
cd "${GROOVE_ROOT:-.}" || exit 1
root=$PWD
tmp=$(mktemp -d /tmp/groove-e2e-mpi.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
# Under ASan: Open MPI's libraries have no frame pointers, so leak stacks are
# unwound the slow way (or they end in "<unknown module>" and no suppression
# matches), and its components stay loaded to be named.
# Last, so that its suppressions win over any the caller set (make asan
# names the Criterion runner's): a later key replaces an earlier one.
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$root/tests/lsan_openmpi.supp:print_suppressions=0"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
export OMPI_MCA_mca_base_component_disable_dlclose=1
SMALL=(--data patterns/gmd --max-files 12 --d-model 32 --heads 2 --ff 48 --layers 1 --latent 16
       --batch 32 --dropout 0.1 --seed 3 --threads 1 --keep last --quiet)

if ! "$bin" train --help | grep -q "MPI: built in"; then
    OMPI_COMM_WORLD_SIZE=2 timeout 60 "$bin" train "${SMALL[@]}" --epochs 1 -o "$tmp/x.safetensors" \
        > /dev/null 2> "$tmp/err" && fail "a build without MPI ran under mpirun's environment"
    grep -q "built without MPI" "$tmp/err" || fail "no 'built without MPI' line: $(cat "$tmp/err")"
    echo "e2e_mpi: this groove has no MPI (it says so); nothing else to check"
    exit 0
fi
command -v mpirun > /dev/null || fail "groove has MPI but there is no mpirun (make deps: openmpi-bin)"

# same_model A B: every tensor of A within 1e-5 relative (to the tensor's
# largest magnitude) of B's; prints the largest relative difference.
same_model() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import json, struct, sys
import numpy as np
def load(p):
    b = open(p, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    h = json.loads(b[8:8 + n]); h.pop("__metadata__", None)
    return {k: np.frombuffer(b[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]], dtype=np.float32)
            for k, v in h.items()}
a, b = load(sys.argv[1]), load(sys.argv[2])
assert a.keys() == b.keys(), "other tensors"
worst = 0.0
for k in a:
    if k.startswith("prior"):  # fitted after training by EM on the latents: not the trained weights
        continue
    scale = max(float(np.abs(a[k]).max()), 1e-12)
    worst = max(worst, float(np.abs(a[k].astype(np.float64) - b[k]).max()) / scale)
print("%.3g" % worst)
sys.exit(0 if worst <= 1e-5 else 1)
PY
}

# ---- 1 process, batch 32 against 2 ranks of 16 ----
mkdir -p "$tmp/one" "$tmp/two"
timeout 300 "$bin" train "${SMALL[@]}" --epochs 3 -o "$tmp/one/m.safetensors" > "$tmp/out" 2>&1 ||
    fail "1 process: $(tail -3 "$tmp/out")"
timeout 300 mpirun -np 2 "$bin" train "${SMALL[@]}" --epochs 3 -o "$tmp/two/m.safetensors" > "$tmp/out" 2>&1 ||
    fail "mpirun -np 2: $(tail -5 "$tmp/out")"
d=$(same_model "$tmp/one/m.safetensors" "$tmp/two/m.safetensors") ||
    fail "2 ranks trained another model: largest relative difference $d"
echo "e2e_mpi: 1 process vs 2 ranks after 66 steps: largest relative difference $d"
ls "$tmp/two" | grep -v -E '^m\.(safetensors|json|ckpt|csv|windows)$' | grep -q . &&
    fail "stray files beside the model: $(ls "$tmp/two")"

# ---- a rank that dies ends the job; --resume continues ----
mkdir -p "$tmp/kill"
timeout 300 "$bin" train "${SMALL[@]}" --epochs 12 -o "$tmp/one/long.safetensors" > "$tmp/out" 2>&1 ||
    fail "1 process, 12 epochs: $(tail -3 "$tmp/out")"
timeout 300 mpirun -np 2 "$bin" train "${SMALL[@]}" --epochs 12 -o "$tmp/kill/m.safetensors" \
    > "$tmp/kill.out" 2>&1 &
mp=$!
# the log is written after the first epoch's checkpoint
for _ in $(seq 600); do [ -s "$tmp/kill/m.csv" ] && break; sleep 0.1; done
[ -s "$tmp/kill/m.csv" ] || { kill "$mp" 2> /dev/null; fail "no epoch's end after 60 s"; }
# rank 1: the process under mpirun (under timeout) whose environment says so
victim=
for p in $(ps -o pid= --ppid "$(ps -o pid= --ppid "$mp" | head -n 1 | tr -d ' ')"); do
    tr '\0' '\n' < "/proc/$p/environ" 2> /dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && victim=$p
done
[ -n "$victim" ] || { kill "$mp"; wait "$mp"; fail "rank 1 not found (the job: $(tail -3 "$tmp/kill.out"))"; }
kill -9 "$victim"
wait "$mp"
rc=$?
[ "$rc" != 0 ] || fail "the job ended well although rank 1 was killed"
[ "$rc" != 124 ] || fail "the job hung after rank 1 was killed"
grep -qiE "rank 1|signal 9|Killed" "$tmp/kill.out" || fail "no line about the dead rank: $(tail -5 "$tmp/kill.out")"
timeout 300 mpirun -np 2 "$bin" train "${SMALL[@]}" --epochs 12 --resume -o "$tmp/kill/m.safetensors" \
    > "$tmp/out" 2>&1 || fail "resume with 2 ranks: $(tail -5 "$tmp/out")"
d=$(same_model "$tmp/one/long.safetensors" "$tmp/kill/m.safetensors") ||
    fail "the resumed 2-rank run made another model: largest relative difference $d"
echo "e2e_mpi: killed rank ended the job (exit $rc: $(grep -m1 -iE "rank 1|signal 9|Killed" "$tmp/kill.out"))"
echo "e2e_mpi: resumed on 2 ranks: largest relative difference $d"

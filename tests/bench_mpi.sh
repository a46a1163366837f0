#!/usr/bin/env bash
# bench_mpi.sh - `make bench` line train_step_mpi2: examples/s of whole
# training steps (the shipped model's config, batch 64, one thread a
# process) on 2 MPI ranks (`mpirun -np 2`), ratio against 1 process, the two
# run in alternation (3 rounds, the best of each: a loaded machine slows both
# alike).  The figure is groove train's own, from its last progress line
# (training steps only: no data loading, validation or prior fit).  No line
# when groove has no MPI or there is no mpirun.
set -u
cd "${GROOVE_ROOT:-.}" || exit 1
bin=$(realpath "${GROOVE_BIN:-./groove}")
"$bin" train --help | grep -q "MPI: built in" && command -v mpirun > /dev/null ||
    { echo "bench_mpi: no MPI in this groove or no mpirun: no train_step_mpi2" >&2; exit 0; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
tmp=$(mktemp -d /tmp/groove-bench-mpi.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
args=(train --data patterns/gmd --max-files 24 --epochs 1 --batch 64 --threads 1 -o "$tmp/m.safetensors")
# exps CMD...: the ex/s of the run's last progress line (0 when it failed)
exps() {
    rm -f "$tmp"/m.safetensors "$tmp"/m.ckpt "$tmp"/m.csv "$tmp"/m.json
    # (under mpirun stdout is a terminal: the progress line is redrawn with \r)
    "$@" 2> /dev/null | tr '\r' '\n' | grep -aE 'epoch 1/1 .*step ' | tail -n 1 |
        sed -nE 's/.* ([0-9.]+) ex\/s .*/\1/p' | grep . || echo 0
}
one=0 two=0
for _ in $(seq "${BENCH_ROUNDS:-3}"); do
    a=$(exps "$bin" "${args[@]}")
    b=$(exps mpirun -np 2 "$bin" "${args[@]}")
    one=$(awk -v x="$a" -v y="$one" 'BEGIN{print (x > y ? x : y)}')
    two=$(awk -v x="$b" -v y="$two" 'BEGIN{print (x > y ? x : y)}')
done
awk -v a="$one" -v b="$two" 'BEGIN{
    if (a <= 0 || b <= 0) { print "bench_mpi: a run failed" > "/dev/stderr"; exit 1 }
    printf "BENCH name=train_step_mpi2 value=%.1f unit=ex/s peer=1rank ratio=%.2f\n", b, b / a }'

#!/usr/bin/env bash
# e2e_golden.sh [--update] - same seed, same bytes, across refactors: hashes
# of what generate, sample, interpolate, vary-by-lanes and humanize write for
# the 26 presets and 10 validation takes, against tests/golden/<isa>.sha256.
# The float paths are dispatched at run time (kernels/simd.h, OpenBLAS), so
# AVX-512 and AVX2 hosts may differ in the last bit: each has its own file.
# On a host with no file for its path the test says so and checks the
# hashes it can (that every run is deterministic: twice, same bytes).
set -eu
cd "$(dirname "$0")/.."
G=${GROOVE_BIN:-$PWD/groove}
isa=avx2; grep -qw avx512f /proc/cpuinfo && isa=avx512
grep -qw avx2 /proc/cpuinfo || isa=baseline
golden=tests/golden/$isa.sha256
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export GROOVE_MODEL=$PWD/engine/models/default.safetensors

make_all() {
    local out=$1
    mkdir -p "$out/gen" "$out/lanes" "$out/keep" "$out/interp" "$out/sample" "$out/hum"
    "$G" generate patterns/presets/*.tab -n 2 --seed 11 -o "$out/gen" >/dev/null
    # The first 10 validation beats (info.csv order), 4 bars from bar 2.
    mapfile -t val < <(awk -F, '$NF=="validation" && $6=="beat"{print "patterns/gmd/" $8}' patterns/gmd/info.csv | head -n 10)
    "$G" generate "${val[@]}" -n 2 --seed 5 --start-bar 2 --bars 4 -o "$out/gen" >/dev/null
    "$G" generate "${val[@]:0:4}" --lanes 3 --seed 3 --start-bar 2 --bars 2 -o "$out/lanes" >/dev/null
    "$G" generate "${val[@]:4:3}" --keep-voices kick,snare --seed 3 --start-bar 2 --bars 2 -o "$out/keep" >/dev/null
    "$G" interpolate patterns/presets/afrobeat.tab patterns/presets/$(ls patterns/presets | sed -n 5p) --steps 5 -o "$out/interp" >/dev/null
    "$G" sample -n 4 --seed 9 -o "$out/sample" >/dev/null
    "$G" humanize "${val[0]}" --start-bar 2 --bars 2 -o "$out/hum/h.mid" >/dev/null
    (cd "$out" && find . -name '*.mid' | LC_ALL=C sort | xargs sha256sum)
}

make_all "$work/a" > "$work/a.sha256"
n=$(wc -l < "$work/a.sha256")
[ "$n" -ge 80 ] || { echo "golden: only $n files written"; exit 1; }
if [ "${1:-}" = --update ]; then
    cp "$work/a.sha256" "$golden"; echo "golden: wrote $golden ($n files)"; exit 0
fi
if [ -f "$golden" ]; then
    if ! diff -u "$golden" "$work/a.sha256"; then
        echo "golden: output differs from $golden (same seed must give the same bytes)"; exit 1
    fi
    echo "golden: $n files identical to $golden"
    # many inputs on 3 threads (side by side): the same bytes
    mkdir -p "$work/t"
    "$G" generate patterns/presets/*.tab -n 2 --seed 11 --threads 3 -o "$work/t" >/dev/null
    diff -r "$work/a/gen" "$work/t" | grep -v '^Only in' | grep -q . &&
        { echo "golden: generate --threads 3 wrote other bytes"; exit 1; }
    [ "$(ls "$work/t" | wc -l)" = "$(ls patterns/presets | wc -l | awk '{print 2 * $1}')" ] ||
        { echo "golden: generate --threads 3 wrote $(ls "$work/t" | wc -l) files"; exit 1; }
    echo "golden: generate --threads 3 on the presets: the same bytes"
else
    make_all "$work/b" > "$work/b.sha256"
    diff -u "$work/a.sha256" "$work/b.sha256" || { echo "golden: two runs differ"; exit 1; }
    echo "golden: no $golden for this host's $isa path; two runs of $n files are identical"
fi

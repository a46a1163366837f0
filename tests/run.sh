#!/usr/bin/env bash
# tests/run.sh BUILD - runs every test binary BUILD/tests/test_* and every
# tests/e2e_*.sh script, then prints one closing line "N passed, M failed".
# The environment passes GROOVE_BIN (the program under test).
set -u
build=${1:-build}
cd "$(dirname "$0")/.."
export GROOVE_ROOT=$PWD GROOVE_BUILD=$build
passed=0 failed=0 failures=()
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    out=$("$t" --jobs 2 2>&1); rc=$?
    echo "$out" | tail -n 40 | grep -vE '^\[----\]' | sed "s|^|[$name] |" | grep -E 'FAIL|Synthesis|CRASH|Assert|ERROR|Sanitizer|runtime error' || true
    syn=$(echo "$out" | grep -E 'Synthesis: Tested' | tail -n1)
    p=$(echo "$syn" | sed -nE 's/.*Passing: ([0-9]+).*/\1/p'); f=$(echo "$syn" | sed -nE 's/.*Failing: ([0-9]+).*/\1/p')
    c=$(echo "$syn" | sed -nE 's/.*Crashing: ([0-9]+).*/\1/p')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] || [ -z "$syn" ]; then
        [ "${f:-0}" -eq 0 ] && failed=$((failed + 1))
        failures+=("$name (exit $rc${c:+, crashing $c})")
        echo "$out" | tail -n 60
    fi
done
# The shape of the tree (file loops, long functions, curses outside the
# TUI, upward dependencies): from this build's object files.
if out=$(tests/structure.sh "$build" 2>&1); then passed=$((passed + 1)); echo "[structure.sh] ok"
else failed=$((failed + 1)); failures+=("structure.sh"); echo "$out" | tail -n 40 | sed "s|^|[structure.sh] |"; fi
for s in tests/e2e_*.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s")
    if out=$(bash "$s" 2>&1); then passed=$((passed + 1)); echo "[$name] ok"
    else failed=$((failed + 1)); failures+=("$name"); echo "$out" | tail -n 40 | sed "s|^|[$name] |"; fi
done
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

#!/usr/bin/env bash
# e2e_train_rnn.sh - `groove train --arch groovae|groovae-hier` (issue 23):
# a tiny model of each kind trained on a few GMD files writes a model file
# that `groove info` reads back as its arch and length, the same seed gives
# the same bytes, the log has a row per epoch, `groove eval --bars N` scores
# it through the engine on windows of its length beside the transformer
# (2 + 2 bars), and the figures agree with the 2-bar eval's own path; bad
# options get one line and exit 2.
set -u
bin=${GROOVE_BIN:-./groove}
cd "${GROOVE_ROOT:-.}" || exit 1
tmp=$(mktemp -d /tmp/groove-e2e-rnn.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

tiny="--max-files 12 --enc 24 --latent 12 --dec 24 --epochs 2 --batch 16 --seed 5 --quiet"
# shellcheck disable=SC2086
"$bin" train --arch groovae $tiny -o "$tmp/a.safetensors" > "$tmp/a.out" 2>&1 || { cat "$tmp/a.out"; fail "train groovae"; }
# shellcheck disable=SC2086
"$bin" train --arch groovae $tiny -o "$tmp/b.safetensors" > /dev/null 2>&1 || fail "train groovae again"
cmp -s "$tmp/a.safetensors" "$tmp/b.safetensors" || fail "same seed, different model bytes"
"$bin" info "$tmp/a.safetensors" > "$tmp/info" || fail "info"
grep -q "^arch *groovae$" "$tmp/info" || { cat "$tmp/info"; fail "info does not say groovae"; }
grep -q "over 32 steps" "$tmp/info" || { cat "$tmp/info"; fail "info: not 32 steps"; }
[ "$(grep -c '^[0-9]' "$tmp/a.csv")" = 2 ] || { cat "$tmp/a.csv"; fail "the log has not 2 epoch rows"; }
grep -q "^wrote $tmp/a.safetensors" "$tmp/a.out" || { cat "$tmp/a.out"; fail "no 'wrote' line"; }

# shellcheck disable=SC2086
"$bin" train --arch groovae-hier $tiny --conductor 16 -o "$tmp/h.safetensors" > /dev/null 2>&1 || fail "train hier"
"$bin" info "$tmp/h.safetensors" > "$tmp/hinfo" || fail "info hier"
grep -q "^arch *groovae-hier$" "$tmp/hinfo" || { cat "$tmp/hinfo"; fail "info does not say groovae-hier"; }
grep -q "over 4 bars" "$tmp/hinfo" || { cat "$tmp/hinfo"; fail "info: not 4 bars"; }

# eval through the engine: the 2-bar figures agree with eval's own path
"$bin" eval --model "$tmp/a.safetensors" --max-files 12 --no-anchors --suggestions 0 --threads 1 > "$tmp/e1" 2>&1 ||
    { cat "$tmp/e1"; fail "eval"; }
"$bin" eval --bars 2 --models "$tmp/a.safetensors" --max-files 12 --suggestions 0 > "$tmp/e2" 2>&1 ||
    { cat "$tmp/e2"; fail "eval --bars 2"; }
f1=$(awk '$1 == "model" && $2 ~ /^[0-9.]+$/ {print $2}' "$tmp/e1")
f2=$(awk '/^a.safetensors/ {print $5}' "$tmp/e2")
[ -n "$f1" ] && [ "$f1" = "$f2" ] || { cat "$tmp/e1" "$tmp/e2"; fail "eval paths disagree: $f1 vs $f2"; }
# 4-bar windows: the transformer in 2 + 2 bars beside the 4-bar model
"$bin" eval --bars 4 --models engine/models/default.safetensors,"$tmp/h.safetensors" --max-files 12 \
    --suggestions 2 > "$tmp/e4" 2>&1 || { cat "$tmp/e4"; fail "eval --bars 4"; }
grep -q "^4-bar windows of validation" "$tmp/e4" || { cat "$tmp/e4"; fail "eval --bars 4: no header"; }
grep -q "^default.safetensors (mgt-vae, 2 bars)" "$tmp/e4" || { cat "$tmp/e4"; fail "no transformer row"; }
grep -q "^h.safetensors (groovae-hier, 4 bars)" "$tmp/e4" || { cat "$tmp/e4"; fail "no 4-bar row"; }

# a bare name that is no file here names a shipped model (engine/models/NAME.safetensors)
(cd "$tmp" && "$bin" info default) | grep -q "^model .*models/default.safetensors$" || fail "--model default"
(cd "$tmp" && "$bin" info no-such-model 2>&1) | grep -q "no-such-model" || fail "a missing name is named"

# bad options: one line, exit 2
out=$("$bin" train --arch lstm 2>&1); rc=$?
[ $rc = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && printf '%s' "$out" | grep -q "mgt-vae, groovae or groovae-hier" ||
    fail "train --arch lstm: rc $rc: $out"
out=$("$bin" train --arch groovae --bars 3 2>&1); rc=$?
[ $rc = 2 ] && printf '%s' "$out" | grep -q "even number of bars" || fail "train --bars 3: rc $rc: $out"
out=$("$bin" train --arch groovae --inputs drums 2>&1); rc=$?
[ $rc = 2 ] && printf '%s' "$out" | grep -q "groove, hits or pattern" || fail "train --inputs drums: rc $rc: $out"
echo "e2e_train_rnn: OK"

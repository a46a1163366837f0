#!/usr/bin/env bash
# e2e_tui_model.sh - the model key (O) in the TUI, driven through tmux: it
# goes to the next shipped model (models/*.safetensors where the default one
# is found, here a $GROOVE_DATA holding the transformer, a tiny GrooVAE
# trained here in seconds and a broken file), says which on the message
# line, generates with it, skips the file that does not load with a word on
# why, and comes back round to the transformer.  Every wait is bounded; the
# tmux server is private and killed on exit.
set -eu
. "$(dirname "$0")/tmux_lib.sh"
tmux_init model

mkdir -p "$T/data/models" "$T/home" "$T/work"
cp "$R/engine/models/default.safetensors" "$R/engine/models/default.json" "$T/data/models/"
(cd "$R" && "$G" train --arch groovae --max-files 8 --enc 16 --latent 8 --dec 16 --epochs 1 --batch 16 \
    --seed 2 --quiet -o "$T/data/models/groovae-2bar.safetensors") > "$T/train.log" 2>&1 ||
    { cat "$T/train.log"; exit 1; }
printf 'not a model' > "$T/data/models/zz-broken.safetensors"

tm new-session -d -x 100 -y 30 -s "$S" \
    "cd '$T/work' && exec env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME='$T/home' \
     LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color GROOVE_ROOT='$R' GROOVE_DATA='$T/data' \
     GROOVE_MODEL= GROOVE_CLOCK_FILE='$T/clock' '$G' --fresh rock-basic 2>>'$T/stderr'"
wait_for 'opened .*rock-basic' "the preset to open"
keys '?' # the model key is on a note line of a later page
for _ in 1 2 3 4 5; do
    screen | grep -qE 'MODEL +O next model' && break
    keys Space
    sleep 0.3
done
screen | grep -qE 'MODEL +O next model' || fail "the model key is not in the help"
keys Escape
keys O
wait_for 'model groovae-2bar: groovae, 2 bars' "the GrooVAE to load"
keys g
wait_for '[0-9] suggestions, [0-9]+ hits' "suggestions from the GrooVAE"
keys O
wait_for 'model default: mgt-vae, 2 bars; skipped zz-broken' "round to the transformer, past the broken file"
keys g
wait_for '[0-9] suggestions, [0-9]+ hits' "suggestions from the transformer"
keys q
wait_for 'Quit anyway' "the quit question (suggestions not kept)"
keys y
wait_exit
[ ! -s "$T/stderr" ] || fail "stderr: $(cat "$T/stderr")"
echo "e2e_tui_model: OK"

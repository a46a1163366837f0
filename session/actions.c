/* actions.c - the action table (see action.h): for every action its handler,
 * its name in the key-map file, its line on the `?` screen and its default
 * keys, and the handlers themselves.  Handlers change the session through
 * state.h and ask the file work, the jobs and MIDI for the rest; none of
 * them calls the key routing above (core.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/action.h"
#include "session/core_hist.h"
#include "session/core_io.h"
#include "session/core_jam.h"
#include "session/core_kits.h"
#include "session/core_job.h"
#include "session/core_midi.h"
#include "session/core_song.h"
#include "session/core_take.h"
#include "session/state.h"
#include "patterns/lanes.h"

typedef void (*action_fn)(gv_core *c, gv_action a, double now);

/* ---- playing and choosing ---- */

static int need_sugg(gv_core *c)
{
    if (c->nsugg > 0)
        return 1;
    gv_core_msg(c, 0, "no suggestions yet: g generates");
    return 0;
}

static void act_play(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    gv_core_play_toggle(c);
}

static void act_generate(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    gv_core_request_generate(c);
}

static void act_select(gv_core *c, gv_action a, double now)
{
    (void)now;
    gv_core_select(c, a - GV_A_SELECT1);
}

static void act_select_step(gv_core *c, gv_action a, double now)
{
    (void)now;
    if (need_sugg(c))
        gv_core_select(c, (c->sel + (a == GV_A_SELECT_NEXT ? 1 : c->nsugg - 1)) % c->nsugg);
}

static void act_audition(gv_core *c, gv_action a, double now)
{
    (void)now;
    if (a == GV_A_AUDITION_INPUT) {
        gv_core_audition(c, GV_PLAY_INPUT);
        gv_core_msg(c, 0, "playing the input from the next bar");
    } else if (need_sugg(c)) {
        gv_core_audition(c, c->sel);
        gv_core_msg(c, 0, "playing suggestion %d from the next bar", c->sel + 1);
    }
}

static void act_use(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    if (!need_sugg(c))
        return;
    char src[64];
    snprintf(src, sizeof src, "suggestion %d", c->sel + 1);
    gv_core_set_input(c, &c->sugg[c->sel].pat, src);
    gv_core_msg(c, 0, "suggestion %d is the input now (u undoes)", c->sel + 1);
}

static void act_tap(gv_core *c, gv_action a, double now)
{
    (void)a;
    gv_tap_start(&c->tap, now, c->set.bpm);
    c->mode = GV_MODE_TAP;
    c->tap_beat = 0;
    gv_core_msg(c, 0, "tap: count-in, then 2 bars (Esc cancels)");
}

static void act_metronome(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    c->set.click = !c->set.click;
    gv_core_msg(c, 0, "metronome %s", c->set.click ? "on" : "off");
}

/* ---- editing the input ---- */

static void act_cursor(gv_core *c, gv_action a, double now)
{
    (void)now;
    int ds = a == GV_A_LEFT ? -1 : a == GV_A_RIGHT ? 1 : 0, dr = a == GV_A_UP ? -1 : a == GV_A_DOWN ? 1 : 0;
    int n = c->input.steps;
    c->cur_step = (c->cur_step + ds + n) % n;
    c->cur_row = (c->cur_row + dr + GV_VOICES) % GV_VOICES;
}

static void act_edit_mode(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    c->edit_mode = !c->edit_mode;
    gv_core_msg(c, 0, c->edit_mode ? "edit mode: hjkl move the cursor (Esc leaves)" : "edit mode off");
}

enum { EDIT_TOGGLE, EDIT_VEL, EDIT_NUDGE, EDIT_VEL_DOWN, EDIT_NUDGE_EARLY };

static void edit_cell(gv_core *c, int kind, float amount)
{
    int s = c->cur_step, v = gv_core_row_voice[c->cur_row];
    gv_pattern *p = &c->input;
    if (kind != EDIT_TOGGLE && !p->hit[s][v]) {
        gv_core_msg(c, 0, "no hit under the cursor (x adds one)");
        return;
    }
    gv_core_push_undo(c, kind == EDIT_TOGGLE ? -1 : amount > 0 ? kind : kind + 2);
    if (kind == EDIT_TOGGLE)
        gv_pattern_set(p, s, v, !p->hit[s][v], GV_EDIT_VEL, 0);
    else if (kind == EDIT_VEL)
        gv_pattern_set(p, s, v, 1, fmaxf(0.05f, p->vel[s][v] + amount), p->off[s][v]);
    else
        gv_pattern_set(p, s, v, 1, p->vel[s][v], p->off[s][v] + amount);
    snprintf(c->input_src, sizeof c->input_src, "edited");
    gv_core_input_changed(c);
}

void gv_core_click_cell(gv_core *c, int step, int row)
{
    if (step < 0 || step >= c->input.steps || row < 0 || row >= GV_VOICES)
        return;
    c->cur_step = step;
    c->cur_row = row;
    edit_cell(c, EDIT_TOGGLE, 0);
}

static void act_edit(gv_core *c, gv_action a, double now)
{
    (void)now;
    switch (a) {
    case GV_A_VEL_UP: edit_cell(c, EDIT_VEL, GV_VEL_STEP); break;
    case GV_A_VEL_DOWN: edit_cell(c, EDIT_VEL, -GV_VEL_STEP); break;
    case GV_A_NUDGE_EARLY: edit_cell(c, EDIT_NUDGE, -GV_NUDGE_STEP); break;
    case GV_A_NUDGE_LATE: edit_cell(c, EDIT_NUDGE, GV_NUDGE_STEP); break;
    default: edit_cell(c, EDIT_TOGGLE, 0); break;
    }
}

static void act_clear(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    gv_pattern empty;
    gv_pattern_init(&empty, gv_core_steps(c), c->set.bpm, "empty");
    gv_core_set_input(c, &empty, "empty");
    gv_core_msg(c, 0, "input cleared (u undoes)");
}

static void act_undo(gv_core *c, gv_action a, double now)
{
    (void)now;
    gv_core_undo(c, a == GV_A_REDO);
}

/* ---- settings ---- */

static void act_temperature(gv_core *c, gv_action a, double now)
{
    (void)now;
    c->set.temperature =
        gv_core_stepf(c->set.temperature, a == GV_A_TEMP_UP ? GV_TEMP_STEP : -GV_TEMP_STEP, 0, GV_TEMP_MAX);
    c->session_dirty = 1;
    gv_core_msg(c, 0, "temperature %.1f%s", c->set.temperature, c->set.temperature == 0 ? " (no noise: z = mu)" : "");
}

static void act_density(gv_core *c, gv_action a, double now)
{
    (void)now;
    c->set.density =
        gv_core_stepf(c->set.density, a == GV_A_DENS_UP ? GV_DENS_STEP : -GV_DENS_STEP, GV_DENS_MIN, GV_DENS_MAX);
    c->session_dirty = 1;
    gv_core_msg(c, 0, "density %.1f", c->set.density);
}

static void act_feel(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    int p = c->set.feel >= 0 && c->set.feel < GV_FEEL_PRESETS ? c->set.feel : GV_FEEL_P_AUTO;
    c->set.feel = (p + 1) % GV_FEEL_PRESETS;
    c->session_dirty = 1;
    gv_core_msg(c, 0, "%s", gv_core_feel_msg(c->set.feel));
}

static void act_count(gv_core *c, gv_action a, double now)
{
    (void)now;
    c->set.n += a == GV_A_MORE ? 1 : -1;
    c->set.n = c->set.n < 1 ? 1 : c->set.n > GV_CORE_MAX_N ? GV_CORE_MAX_N : c->set.n;
    c->session_dirty = 1;
    gv_core_msg(c, 0, "%d suggestion%s per generation", c->set.n, c->set.n > 1 ? "s" : "");
}

static void act_tempo(gv_core *c, gv_action a, double now)
{
    (void)now;
    gv_core_set_tempo(c, c->set.bpm + (a == GV_A_TEMPO_UP ? 1 : -1));
}

/* The input's length: 1 -> 2 -> 4 -> 8 bars -> 1.  A take's window is read
 * again at its length; another input is cut or repeated (u undoes). */
static void act_bars(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    int b = c->set.bars >= GV_CORE_MAX_BARS ? 1 : c->set.bars * 2;
    gv_err e;
    if (c->take.on) {
        c->set.bars = b;
        if (gv_core_take_goto(c, c->take.bar, &e) != 0)
            gv_core_msg(c, 1, "%s: %s", c->take.name, e.msg);
    }
    gv_core_set_bars(c, b);
    gv_core_msg(c, 0, "pattern length %d bar%s: the input and what g makes (u undoes)", c->set.bars,
                c->set.bars == 1 ? "" : "s");
}

static void act_swing(gv_core *c, gv_action a, double now)
{
    (void)now;
    int pct = (int)lroundf(50 + 25 * c->set.swing);
    pct += a == GV_A_SWING ? 4 : -4;
    if (pct > GV_SWING_PCT_MAX)
        pct = 50;
    if (pct < 50)
        pct = GV_SWING_PCT_MAX - (GV_SWING_PCT_MAX - 50) % 4;
    c->set.swing = (pct - 50) / 25.0f;
    c->session_dirty = 1;
    gv_core_msg(c, 0, "swing %d%%%s", pct, pct == 50 ? " (straight)" : "");
}

/* ---- the input as the model is told it (issue 20) ---- */

static void act_lanes(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    static const char *lane_names[4] = {"", "1 lane: the groove alone",
                                        "2 lanes: low (kick, low tom) / high (the rest)",
                                        "3 lanes: low (kick, low tom) / mid (snare, toms) / high (hats, cymbals)"};
    if (c->zdim > 0 && !c->model_cond) {
        gv_core_msg(c, 0, "1 lane: this model takes the groove alone (see groove train --inputs)");
        return;
    }
    c->set.lanes = gv_lanes_valid(c->set.lanes) ? c->set.lanes % 3 + 1 : 1;
    c->session_dirty = 1;
    gv_core_msg(c, 0, "%s", lane_names[c->set.lanes]);
}

static void act_lock(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    int v = gv_core_row_voice[c->cur_row];
    unsigned m = c->set.lock ^ (1u << v);
    if (m == (1u << GV_VOICES) - 1) {
        gv_core_msg(c, 0, "every voice locked would leave nothing to generate");
        return;
    }
    c->set.lock = m;
    c->session_dirty = 1;
    if (m >> v & 1u)
        gv_core_msg(c, 0, "%s locked: kept as it is in every suggestion (L unlocks)", gv_voice_name(v));
    else
        gv_core_msg(c, 0, "%s unlocked", gv_voice_name(v));
}

/* The cursor voice's cap one step down (none -> 16 -> 12 ... -> 0) or up
 * (... 16 -> none). */
static void act_cap(gv_core *c, gv_action a, double now)
{
    (void)now;
    static const int cap_steps[GV_CAP_STEPS] = {0, 1, 2, 3, 4, 6, 8, 12, 16};
    int v = gv_core_row_voice[c->cur_row], cap = c->set.cap[v], next = cap;
    if (a == GV_A_CAP_DOWN) {
        next = cap < 0 ? cap_steps[GV_CAP_STEPS - 1] : 0;
        for (int i = 0; cap >= 0 && i < GV_CAP_STEPS; i++)
            if (cap_steps[i] < cap)
                next = cap_steps[i];
    } else if (cap >= 0) {
        next = -1;
        for (int i = GV_CAP_STEPS - 1; i >= 0; i--)
            if (cap_steps[i] > cap)
                next = cap_steps[i];
    }
    c->set.cap[v] = next;
    c->session_dirty = 1;
    if (c->set.cap[v] < 0)
        gv_core_msg(c, 0, "%s: no cap", gv_voice_name(v));
    else
        gv_core_msg(c, 0, "%s: at most %d hit%s per 2 bars", gv_voice_name(v), c->set.cap[v],
                    c->set.cap[v] == 1 ? "" : "s");
}

static void act_vdens(gv_core *c, gv_action a, double now)
{
    (void)now;
    int v = gv_core_row_voice[c->cur_row], dir = a == GV_A_VDENS_UP ? 1 : -1;
    c->set.vdens[v] = gv_core_stepf(c->set.vdens[v], dir * GV_VDENS_STEP, 0, GV_VDENS_MAX);
    c->session_dirty = 1;
    gv_core_msg(c, 0, "%s: density x%.2f (%.2f with the density %.1f)%s", gv_voice_name(v), c->set.vdens[v],
                c->set.vdens[v] * c->set.density, c->set.density, c->set.vdens[v] == 0 ? ": silent" : "");
}

static void act_humanize(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    gv_core_request_humanize(c);
}

/* ---- keeping, the library, files ---- */

/* An empty suggestion is a valid pattern, but writing one is more often a
 * slip than a wish: 1 when the selection has no hits and the y/n question
 * `kind` is now open (unless it is kept already: keep only says so). */
static int ask_if_empty(gv_core *c, int kind)
{
    const gv_sugg *s = &c->sugg[c->sel];
    if (gv_pattern_count(&s->pat) > 0 || (kind == GV_CONFIRM_EMPTY_KEEP && s->kept))
        return 0;
    c->confirm_kind = kind;
    c->mode = GV_MODE_CONFIRM;
    return 1;
}

static void act_keep(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    gv_err e;
    if (need_sugg(c) && !ask_if_empty(c, GV_CONFIRM_EMPTY_KEEP) && gv_core_keep(c, c->sel, &e) != 0)
        gv_core_msg(c, 1, "keep: %s", e.msg);
}

static void act_library(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    c->lib_pick = 0;
    gv_core_library_open(c);
}

static void act_vary(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    if (need_sugg(c))
        gv_core_request_vary(c, &c->sugg[c->sel]);
}

static void act_interpolate(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    c->lib_pick = 1;
    c->lib_a[0] = 0;
    gv_core_library_open(c);
    if (c->mode == GV_MODE_LIBRARY)
        gv_core_msg(c, 0, "interpolate: choose the start pattern (Enter)");
}

static void act_export(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    if (need_sugg(c) && !ask_if_empty(c, GV_CONFIRM_EMPTY_EXPORT))
        gv_core_export_prompt(c);
}

static void act_open(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    gv_core_open_prompt(c);
}

static void act_midi(gv_core *c, gv_action a, double now)
{
    (void)now;
    if (a == GV_A_MIDI_CLOCK)
        gv_core_midi_clock_cycle(c);
    else
        gv_core_midi_open(c);
}

/* ---- leaving ---- */

static void act_quit(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    if (gv_core_unsaved(c) > 0) {
        c->confirm_kind = GV_CONFIRM_QUIT;
        c->mode = GV_MODE_CONFIRM;
    } else {
        gv_core_quit_or_ask(c);
    }
}

static void act_help(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    c->help_back = c->mode == GV_MODE_SONG ? GV_MODE_SONG : GV_MODE_NORMAL;
    c->mode = GV_MODE_HELP;
    c->help_page = 0;
}

static void act_cancel(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    if (c->edit_mode) {
        c->edit_mode = 0;
        gv_core_msg(c, 0, "edit mode off");
    }
}

/* ---- the jam (core_jam.h) ---- */

static void act_jam(gv_core *c, gv_action a, double now)
{
    (void)a;
    if (!c->jam.on)
        gv_core_jam_start(c, now);
}

static void act_jam_end(gv_core *c, gv_action a, double now)
{
    (void)a;
    gv_core_jam_end(c, now);
}

static void act_follow(gv_core *c, gv_action a, double now)
{
    (void)now;
    gv_jam_prefs *p = &c->set.jam;
    p->follow = gv_core_stepf(p->follow, a == GV_A_FOLLOW_UP ? GV_FOLLOW_STEP : -GV_FOLLOW_STEP, 0, 1);
    gv_core_jam_apply(c);
    gv_core_msg(c, 0, "follow %.1f%s", p->follow,
                p->follow == 0 ? ": the drums keep their latent" : p->follow == 1 ? ": each new groove at once" : "");
}

static void act_hold(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    c->set.jam.hold = !c->set.jam.hold;
    gv_core_jam_apply(c);
    gv_core_msg(c, 0, c->set.jam.hold ? "hold: the drums stay (your taps still record)" : "hold off: following");
}

static void act_every(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    int *e = &c->set.jam.every;
    *e = *e == GV_JAM_EVERY_BEAT ? GV_JAM_EVERY_BAR : *e == GV_JAM_EVERY_BAR ? GV_JAM_EVERY_2BARS : GV_JAM_EVERY_BEAT;
    gv_core_jam_apply(c);
    gv_core_msg(c, 0, "new drums every %s", *e == GV_JAM_EVERY_BEAT ? "beat" : *e == GV_JAM_EVERY_BAR ? "bar" : "2 bars");
}

static void act_jam_feel(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    c->set.jam.feel = !c->set.jam.feel;
    gv_core_jam_apply(c);
    gv_core_msg(c, 0, c->set.jam.feel ? "jam feel: your timing and dynamics" : "jam feel: the model's");
}

static void act_mute(gv_core *c, gv_action a, double now)
{
    (void)a;
    int v = gv_core_row_voice[c->cur_row];
    gv_core_jam_mute(c, v, now);
    gv_core_msg(c, 0, "%s %s", gv_voice_name(v), c->set.jam.mute >> v & 1u ? "muted" : "unmuted");
}

static void act_jam_file(gv_core *c, gv_action a, double now)
{
    gv_err e = {0};
    if (!c->jam.on)
        return;
    if (a == GV_A_JAM_KEEP ? gv_core_jam_keep(c, &e) : gv_core_jam_export(c, now, &e))
        gv_core_msg(c, 1, "jam: %s", e.msg);
}

/* ---- takes and history (issue 22) ---- */

static void act_window(gv_core *c, gv_action a, double now)
{
    (void)now;
    int d = a == GV_A_BAR_BACK ? -1 : a == GV_A_BAR_ON ? 1 : a == GV_A_WINDOW_BACK ? -2 : 2;
    gv_core_take_step(c, d);
}

static void act_batch(gv_core *c, gv_action a, double now)
{
    (void)now;
    if (a == GV_A_REGENERATE)
        gv_hist_regenerate(c);
    else
        gv_hist_step(c, a == GV_A_BATCH_BACK ? -1 : 1);
}

/* The next model (the front end lists and loads them): not under a running
 * job, whose result is the present model's, nor in a jam, whose latent
 * follows it. */
static void act_model(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    if (c->jam.on)
        gv_core_msg(c, 1, "the model stays during a jam: end it first (esc)");
    else if (c->job_pending || c->busy)
        gv_core_msg(c, 1, "generating: switch the model when it is done");
    else
        c->model_request = 1;
}

/* ---- the mixer (issue 22): the cursor voice's channel ---- */

static void act_voice_mix(gv_core *c, gv_action a, double now)
{
    (void)now;
    int v = gv_core_row_voice[c->cur_row];
    gv_vmix *m = &c->set.mix;
    if (a == GV_A_VOICE_MUTE)
        m->mute ^= 1u << v;
    else if (a == GV_A_VOICE_SOLO)
        m->solo ^= 1u << v;
    else
        m->vol[v] = gv_core_stepf(m->vol[v], a == GV_A_VOICE_VOL_UP ? GV_VMIX_VOL_STEP : -GV_VMIX_VOL_STEP, 0, 1);
    gv_core_mix_changed(c);
    char st[32];
    gv_vmix_describe(m, v, st, sizeof st);
    gv_core_msg(c, 0, "%s: %s%s", gv_voice_name(v), st[0] ? st : "vol 100%",
                m->solo && !gv_vmix_sounds(m, v) ? " (silent: another voice is soloed)" : "");
}

static void act_export_heard(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    c->set.export_heard = !c->set.export_heard;
    c->session_dirty = 1;
    gv_core_msg(c, 0, c->set.export_heard ? "export as heard: mutes and volumes go into the velocities"
                                          : "export as written: the mixer is for listening only");
}

static void act_kits(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    gv_core_kits_open(c, getenv("HOME"), GV_KITS_SYSTEM_DIR);
}

/* ---- the song view (core_song.h) ---- */

static void act_song(gv_core *c, gv_action a, double now)
{
    (void)now;
    gv_err e = {0};
    switch (a) {
    case GV_A_SONG: gv_core_song_view(c); break;
    case GV_A_SONG_CLOSE: gv_core_song_close(c); break;
    case GV_A_SONG_UP: gv_core_song_select(c, -1); break;
    case GV_A_SONG_DOWN: gv_core_song_select(c, 1); break;
    case GV_A_SONG_ADD: gv_core_song_pick(c); break;
    case GV_A_SONG_ADD_INPUT:
        if (gv_core_song_add_input(c, &e) != 0)
            gv_core_msg(c, 1, "song: %s", e.msg);
        break;
    case GV_A_SONG_EARLIER: gv_core_song_move(c, -1); break;
    case GV_A_SONG_LATER: gv_core_song_move(c, 1); break;
    case GV_A_SONG_REPEAT_DOWN: gv_core_song_repeat(c, -1); break;
    case GV_A_SONG_REPEAT_UP: gv_core_song_repeat(c, 1); break;
    case GV_A_SONG_FILL: gv_core_song_fill(c); break;
    case GV_A_SONG_DELETE: gv_core_song_delete(c); break;
    case GV_A_SONG_PLAY: gv_core_song_play(c); break;
    case GV_A_SONG_EXPORT: gv_core_song_prompt(c, GV_PROMPT_SONG_EXPORT); break;
    case GV_A_SONG_SAVE: gv_core_song_prompt(c, GV_PROMPT_SONG_SAVE); break;
    case GV_A_SONG_OPEN: gv_core_song_prompt(c, GV_PROMPT_SONG_OPEN); break;
    default: break;
    }
}

/* ---- tempo: tapped, typed ---- */

static void act_tap_tempo(gv_core *c, gv_action a, double now)
{
    (void)a;
    double bpm = gv_tap_tempo_add(&c->tapt, now);
    if (bpm > 0) {
        gv_core_set_tempo(c, (float)bpm);
        gv_core_msg(c, 0, "tap tempo: %.2f BPM (%d taps)", c->set.bpm, c->tapt.n);
    } else {
        gv_core_msg(c, 0, "tap tempo: %d more tap%s", GV_TAP_TEMPO_MIN_TAPS - c->tapt.n,
                    GV_TAP_TEMPO_MIN_TAPS - c->tapt.n == 1 ? "" : "s");
    }
}

static void act_bpm(gv_core *c, gv_action a, double now)
{
    (void)a, (void)now;
    snprintf(c->prompt, sizeof c->prompt, "%.0f", c->set.bpm);
    c->prompt_hint[0] = 0;
    c->prompt_kind = GV_PROMPT_BPM;
    c->mode = GV_MODE_PROMPT;
}

/* ---- the table ---- */

typedef struct action_def {
    gv_action action;
    action_fn handler;
    const char *name, *help;
    const char *keys[GV_CTX_COUNT]; /* default keys, space separated */
    gv_action pair;                 /* shares a help line with this one (listed second) */
    const char *pair_help;          /* that line's text */
} action_def;

#define ACT(id, fn, name, help, keys, ekeys) [id] = {id, fn, name, help, {keys, ekeys, ""}, GV_A_NONE, NULL}
#define PAIR(id, fn, name, help, keys, partner, line) [id] = {id, fn, name, help, {keys, "", ""}, partner, line}
/* with keys in the jam context (jkeys) */
#define ACTJ(id, fn, name, help, keys, ekeys, jkeys) [id] = {id, fn, name, help, {keys, ekeys, jkeys}, GV_A_NONE, NULL}
#define PAIRJ(id, fn, name, help, keys, jkeys, partner, line)                                                      \
    [id] = {id, fn, name, help, {keys, "", jkeys}, partner, line}
/* keys of the song view only (skeys) */
#define PAIRS(id, name, help, skeys, partner, line) [id] = {id, act_song, name, help, {"", "", "", skeys}, partner, line}

static const action_def actions[GV_A_COUNT] = {
    [GV_A_NONE] = {GV_A_NONE, NULL, "none", "", {"", "", ""}, GV_A_NONE, NULL},
    [GV_A_PLAY] = {GV_A_PLAY, act_play, "play", "play / stop", {"space", "", "", "space"}, GV_A_NONE, NULL},
    ACT(GV_A_GENERATE, act_generate, "generate", "generate from the groove", "g", ""),
    ACT(GV_A_SELECT1, act_select, "select-1", "select suggestion 1", "1", ""),
    ACT(GV_A_SELECT2, act_select, "select-2", "select suggestion 2", "2", ""),
    ACT(GV_A_SELECT3, act_select, "select-3", "select suggestion 3", "3", ""),
    ACT(GV_A_SELECT4, act_select, "select-4", "select suggestion 4", "4", ""),
    ACT(GV_A_SELECT5, act_select, "select-5", "select suggestion 5", "5", ""),
    ACT(GV_A_SELECT6, act_select, "select-6", "select suggestion 6", "6", ""),
    ACT(GV_A_SELECT7, act_select, "select-7", "select suggestion 7", "7", ""),
    ACT(GV_A_SELECT8, act_select, "select-8", "select suggestion 8", "8", ""),
    ACT(GV_A_SELECT_NEXT, act_select_step, "select-next", "next suggestion", "tab", ""),
    ACT(GV_A_SELECT_PREV, act_select_step, "select-prev", "previous suggestion", "btab", ""),
    ACT(GV_A_AUDITION, act_audition, "audition", "play selected (next bar)", "p", ""),
    ACT(GV_A_AUDITION_INPUT, act_audition, "audition-input", "play the input (next bar)", "P", ""),
    ACT(GV_A_USE, act_use, "use", "selected becomes the input", "enter", ""),
    ACT(GV_A_TAP, act_tap, "tap", "tap a groove (count-in)", "t", ""),
    ACT(GV_A_METRONOME, act_metronome, "metronome", "metronome on / off", "m", ""),
    ACT(GV_A_LEFT, act_cursor, "cursor-left", "cursor left", "left", "h"),
    ACT(GV_A_RIGHT, act_cursor, "cursor-right", "cursor right", "right", "l"),
    ACTJ(GV_A_UP, act_cursor, "cursor-up", "cursor up", "up", "k", "up"),
    ACTJ(GV_A_DOWN, act_cursor, "cursor-down", "cursor down", "down", "j", "down"),
    ACT(GV_A_EDIT_MODE, act_edit_mode, "edit-mode", "edit mode: hjkl move", "E", ""),
    ACT(GV_A_TOGGLE, act_edit, "toggle", "toggle hit (or click it)", "x", ""),
    PAIR(GV_A_VEL_UP, act_edit, "velocity-up", "velocity +", "+ =", GV_A_VEL_DOWN, "velocity + / -"),
    ACT(GV_A_VEL_DOWN, act_edit, "velocity-down", "velocity -", "-", ""),
    PAIR(GV_A_NUDGE_EARLY, act_edit, "nudge-early", "nudge hit earlier", "<", GV_A_NUDGE_LATE,
         "nudge hit earlier / later"),
    ACT(GV_A_NUDGE_LATE, act_edit, "nudge-late", "nudge hit later", ">", ""),
    ACT(GV_A_CLEAR, act_clear, "clear", "clear the input", "C", ""),
    PAIR(GV_A_UNDO, act_undo, "undo", "undo", "u", GV_A_REDO, "undo / redo"),
    ACT(GV_A_REDO, act_undo, "redo", "redo", "C-r", ""),
    PAIRJ(GV_A_TEMP_DOWN, act_temperature, "temperature-down", "temperature -", "[", "F2", GV_A_TEMP_UP,
          "temperature - / +"),
    ACTJ(GV_A_TEMP_UP, act_temperature, "temperature-up", "temperature +", "]", "", "F3"),
    PAIRJ(GV_A_DENS_DOWN, act_density, "density-down", "density - (fewer hits)", "{", "F4", GV_A_DENS_UP,
          "density - / + (hits)"),
    ACTJ(GV_A_DENS_UP, act_density, "density-up", "density + (more hits)", "}", "", "F5"),
    ACT(GV_A_FEEL, act_feel, "feel", "feel: auto / groove / timing / model", "f", ""),
    ACT(GV_A_LANES, act_lanes, "lanes", "input lanes: 1 / 2 / 3", "a", ""),
    ACT(GV_A_LOCK, act_lock, "lock", "lock / unlock cursor voice", "L", ""),
    PAIRJ(GV_A_CAP_DOWN, act_cap, "cap-down", "cursor voice: cap -", ";", "left", GV_A_CAP_UP,
          "cursor voice: cap - / +"),
    ACTJ(GV_A_CAP_UP, act_cap, "cap-up", "cursor voice: cap + / none", "'", "", "right"),
    PAIR(GV_A_VDENS_DOWN, act_vdens, "voice-density-down", "cursor voice: density -", "(", GV_A_VDENS_UP,
         "cursor voice: density -/+"),
    ACT(GV_A_VDENS_UP, act_vdens, "voice-density-up", "cursor voice: density +", ")", ""),
    ACT(GV_A_HUMANIZE, act_humanize, "humanize", "humanize the input", "H", ""),
    PAIR(GV_A_FEWER, act_count, "fewer", "fewer suggestions", "n", GV_A_MORE, "fewer / more suggestions"),
    ACT(GV_A_MORE, act_count, "more", "more suggestions", "N", ""),
    PAIR(GV_A_TEMPO_DOWN, act_tempo, "tempo-down", "tempo -1 BPM", ",", GV_A_TEMPO_UP, "tempo - / + 1 BPM"),
    ACT(GV_A_TEMPO_UP, act_tempo, "tempo-up", "tempo +1 BPM", ".", ""),
    PAIR(GV_A_SWING, act_swing, "swing", "swing + (wraps to straight)", "s", GV_A_SWING_BACK, "swing + (wraps) / -"),
    ACT(GV_A_SWING_BACK, act_swing, "swing-back", "swing -", "S", ""),
    ACT(GV_A_KEEP, act_keep, "keep", "keep selected in library", "k", ""),
    ACT(GV_A_LIBRARY, act_library, "library", "open the library", "l", ""),
    ACT(GV_A_VARY, act_vary, "vary", "variations of selected", "v", ""),
    ACT(GV_A_INTERPOLATE, act_interpolate, "interpolate", "interpolate two kept ones", "i", ""),
    ACT(GV_A_EXPORT, act_export, "export", "export selected as MIDI", "e", ""),
    ACT(GV_A_OPEN, act_open, "open", "open a file or preset", "o", ""),
    ACT(GV_A_MIDI, act_midi, "midi", "MIDI ports: output / input", "M", ""),
    ACT(GV_A_MIDI_CLOCK, act_midi, "midi-clock", "MIDI clock: off / out / in", "c", ""),
    ACT(GV_A_QUIT, act_quit, "quit", "quit", "q", ""),
    [GV_A_HELP] = {GV_A_HELP, act_help, "help", "this help", {"? F1", "", "F1", "? F1"}, GV_A_NONE, NULL},
    ACT(GV_A_CANCEL, act_cancel, "cancel", "cancel tap / edit mode", "esc", ""),
    ACT(GV_A_JAM, act_jam, "jam", "jam: drums follow your taps", "J", ""),
    ACTJ(GV_A_JAM_END, act_jam_end, "jam-end", "end the jam (exports it)", "", "", "esc"),
    PAIRJ(GV_A_FOLLOW_DOWN, act_follow, "follow-down", "follow -", "", "F6", GV_A_FOLLOW_UP,
          "follow - / + (0 keep, 1 snap)"),
    ACTJ(GV_A_FOLLOW_UP, act_follow, "follow-up", "follow +", "", "", "F7"),
    ACTJ(GV_A_HOLD, act_hold, "hold", "hold the drums / follow", "", "", "F8"),
    ACTJ(GV_A_EVERY, act_every, "regenerate-every", "new drums every beat / bar / 2 bars", "", "", "F9"),
    ACTJ(GV_A_JAM_FEEL, act_jam_feel, "jam-feel", "your feel on the drums: on / off", "", "", "F10"),
    ACTJ(GV_A_MUTE, act_mute, "mute", "mute / unmute cursor voice", "", "", "del"),
    ACTJ(GV_A_JAM_EXPORT, act_jam_file, "jam-export", "export the jam so far (MIDI)", "", "", "F11"),
    ACTJ(GV_A_JAM_KEEP, act_jam_file, "jam-keep", "keep the drums in the library", "", "", "F12"),
    PAIR(GV_A_BAR_BACK, act_window, "bar-back", "window back a bar", "b", GV_A_BAR_ON, "window back / on a bar"),
    ACT(GV_A_BAR_ON, act_window, "bar-on", "window on a bar", "w", ""),
    PAIR(GV_A_WINDOW_BACK, act_window, "window-back", "window back 2 bars", "pgup", GV_A_WINDOW_ON,
         "window back / on 2 bars"),
    ACT(GV_A_WINDOW_ON, act_window, "window-on", "window on 2 bars", "pgdn", ""),
    PAIR(GV_A_BATCH_BACK, act_batch, "batch-back", "older batch of suggestions", "z", GV_A_BATCH_ON,
         "older / newer batch"),
    ACT(GV_A_BATCH_ON, act_batch, "batch-on", "newer batch of suggestions", "Z", ""),
    ACT(GV_A_REGENERATE, act_batch, "regenerate", "make the shown batch again (its seed)", "R", ""),
    ACT(GV_A_VOICE_MUTE, act_voice_mix, "voice-mute", "mixer: mute cursor voice", "/", ""),
    ACT(GV_A_VOICE_SOLO, act_voice_mix, "voice-solo", "mixer: solo cursor voice", "|", ""),
    PAIR(GV_A_VOICE_VOL_DOWN, act_voice_mix, "voice-volume-down", "mixer: cursor voice volume -", "9",
         GV_A_VOICE_VOL_UP, "mixer: voice volume - / +"),
    ACT(GV_A_VOICE_VOL_UP, act_voice_mix, "voice-volume-up", "mixer: cursor voice volume +", "0", ""),
    ACT(GV_A_EXPORT_HEARD, act_export_heard, "export-heard", "export as heard / written", "X", ""),
    ACT(GV_A_KITS, act_kits, "kits", "kits: pick the drum sounds", "K", ""),
    ACT(GV_A_MODEL, act_model, "model", "next model (drummer): the shipped ones", "O", ""),
    ACT(GV_A_SONG, act_song, "song", "song view: kept patterns in a row", "A", ""),
    PAIRS(GV_A_SONG_UP, "song-up", "previous section", "up k", GV_A_SONG_DOWN, "previous / next section"),
    PAIRS(GV_A_SONG_DOWN, "song-down", "next section", "down j", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_ADD, "song-add", "add a kept pattern (library)", "a", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_ADD_INPUT, "song-add-input", "add the input (kept first)", "I", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_EARLIER, "song-earlier", "move the section earlier", "K", GV_A_SONG_LATER,
          "move the section earlier / later"),
    PAIRS(GV_A_SONG_LATER, "song-later", "move the section later", "J", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_REPEAT_DOWN, "song-repeat-down", "section repeats -", "-", GV_A_SONG_REPEAT_UP,
          "section repeats - / +"),
    PAIRS(GV_A_SONG_REPEAT_UP, "song-repeat-up", "section repeats +", "+ =", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_FILL, "song-fill", "fill on the section's last bar: on / off", "f", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_DELETE, "song-delete", "delete the section", "d del", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_PLAY, "song-play", "play the song from the section", "p enter", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_EXPORT, "song-export", "export the song as MIDI (markers)", "e", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_SAVE, "song-save", "save the song (library/songs)", "w", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_OPEN, "song-open", "open a saved song", "o", GV_A_NONE, NULL),
    PAIRS(GV_A_SONG_CLOSE, "song-close", "back to the patterns", "esc A q", GV_A_NONE, NULL),
    ACT(GV_A_TAP_TEMPO, act_tap_tempo, "tap-tempo", "tap tempo (4+ taps)", "T", ""),
    ACT(GV_A_BPM, act_bpm, "bpm", "type a tempo (BPM)", "B", ""),
    ACT(GV_A_BARS, act_bars, "length", "pattern length: 1 / 2 / 4 / 8 bars", "D", ""),
};

static int valid(gv_action a) { return a > GV_A_NONE && a < GV_A_COUNT; }

void gv_core_action(struct gv_core *c, gv_action a, double now)
{
    if (valid(a) && actions[a].handler)
        actions[a].handler(c, a, now);
}

const char *gv_action_name(gv_action a) { return valid(a) ? actions[a].name : "none"; }

const char *gv_action_help(gv_action a) { return valid(a) ? actions[a].help : ""; }

const char *gv_action_default_keys(gv_action a, int ctx)
{
    return valid(a) && ctx >= 0 && ctx < GV_CTX_COUNT && actions[a].keys[ctx] ? actions[a].keys[ctx] : "";
}

gv_action gv_action_parse(const char *name)
{
    for (int a = 1; a < GV_A_COUNT; a++)
        if (!strcmp(name, actions[a].name))
            return (gv_action)a;
    return GV_A_NONE;
}

gv_action gv_action_pair(gv_action a, const char **help)
{
    if (!valid(a) || actions[a].pair == GV_A_NONE)
        return GV_A_NONE;
    if (help)
        *help = actions[a].pair_help;
    return actions[a].pair;
}

int gv_action_paired(gv_action a)
{
    for (int i = 1; i < GV_A_COUNT; i++)
        if (actions[i].pair == a && a != GV_A_NONE)
            return 1;
    return 0;
}

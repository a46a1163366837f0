/* core.c - session state, key routing, editing, undo and settings (see core.h).
 * Files and the library are in core_io.c, generation jobs in core_job.c. */
#include "session/core.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session/core_priv.h"
#include "patterns/lanes.h"

const int gv_core_row_voice[GV_VOICES] = {GV_CRASH, GV_RIDE, GV_OHAT, GV_CHAT, GV_HTOM,
                                         GV_MTOM,  GV_LTOM, GV_SNARE, GV_KICK};

gv_core *gv_core_new(const char *libdir)
{
    gv_core *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    /* calloc'd: pages of the undo history cost memory only once used. */
    c->undo = calloc(GV_CORE_UNDO, sizeof *c->undo);
    c->redo = calloc(GV_CORE_UNDO, sizeof *c->redo);
    if (!c->undo || !c->redo) {
        gv_core_free(c);
        return NULL;
    }
    gv_keymap_default(&c->keys);
    c->set = (gv_settings){.bpm = 120, .swing = 0, .temperature = 1.0f, .density = 1.0f, .n = 4, .click = 0,
                            .feel = GV_FEEL_P_AUTO, .lanes = 1};
    for (int v = 0; v < GV_VOICES; v++) {
        c->set.cap[v] = -1;
        c->set.vdens[v] = 1.f;
    }
    gv_pattern_init(&c->input, GV_MODEL_STEPS, 120, "empty");
    snprintf(c->input_src, sizeof c->input_src, "empty");
    c->cur_row = GV_VOICES - 1;
    c->play_src = GV_PLAY_INPUT;
    c->play = c->input;
    c->next_seed = (uint64_t)time(NULL) & 0xffffffffu;
    c->last_edit = -1;
    gv_load_opts_default(&c->window);
    snprintf(c->libdir, sizeof c->libdir, "%s", libdir ? libdir : "");
    return c;
}

void gv_core_free(gv_core *c)
{
    if (!c)
        return;
    free(c->undo);
    free(c->redo);
    free(c->lib);
    free(c);
}

void gv_core_set_model(gv_core *c, const char *name, int zdim)
{
    snprintf(c->model_name, sizeof c->model_name, "%s", name ? name : "");
    c->zdim = zdim;
}

void gv_core_set_model_cond(gv_core *c, int cond) { c->model_cond = cond != 0; }

int gv_core_lanes(const gv_core *c)
{
    int n = gv_lanes_valid(c->set.lanes) ? c->set.lanes : 1;
    return c->zdim > 0 && !c->model_cond ? 1 : n;
}

int gv_core_tap_lanes(const gv_pattern *p)
{
    unsigned used = 0;
    for (int s = 0; s < p->steps; s++)
        for (int v = 0; v < GV_VOICES; v++)
            if (p->hit[s][v])
                used |= 1u << gv_lane_of_voice(3, v);
    return !used ? 0 : (used & (used - 1)) ? 3 : 1;
}

int gv_core_feel_change(const gv_pattern *a, const gv_pattern *b, float *dvel, float *doff)
{
    double sv = 0, so = 0;
    int n = 0;
    for (int s = 0; s < a->steps && s < b->steps; s++)
        for (int v = 0; v < GV_VOICES; v++)
            if (a->hit[s][v] && b->hit[s][v]) {
                sv += fabsf(a->vel[s][v] - b->vel[s][v]);
                so += fabsf(a->off[s][v] - b->off[s][v]);
                n++;
            }
    *dvel = n ? (float)(sv / n) : 0.f;
    *doff = n ? (float)(so / n) : 0.f;
    return n;
}

void gv_core_msg(gv_core *c, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    c->msg_err = err;
    c->msg_serial++;
    c->msg_empty_input = 0;
}

/* ---- playback requests ---- */

void gv_core_play_refresh(gv_core *c, int next_bar)
{
    const gv_pattern *p = c->play_src == GV_PLAY_INPUT ? &c->input
                          : c->play_src == GV_PLAY_PREVIEW ? &c->lib_pat
                          : c->play_src < c->nsugg ? &c->sugg[c->play_src].pat
                                                   : &c->input;
    if (c->play_src >= c->nsugg)
        c->play_src = GV_PLAY_INPUT;
    c->play = *p;
    c->play.bpm = c->set.bpm;
    c->play_next_bar = next_bar;
    c->play_serial++;
}

void gv_core_audition(gv_core *c, int src)
{
    c->play_src = src;
    c->playing = 1;
    gv_core_play_refresh(c, 1);
}

/* ---- undo ---- */

static void stack_push(gv_pattern *stack, int *n, const gv_pattern *p)
{
    if (*n == GV_CORE_UNDO) {
        memmove(stack, stack + 1, (GV_CORE_UNDO - 1) * sizeof *stack);
        (*n)--;
    }
    stack[(*n)++] = *p;
}

static void input_changed(gv_core *c)
{
    c->session_dirty = 1;
    if (c->msg_empty_input && gv_pattern_count(&c->input) > 0) {
        c->msg[0] = 0; /* no longer true */
        c->msg_empty_input = 0;
        c->msg_serial++;
    }
    if (c->play_src == GV_PLAY_INPUT)
        gv_core_play_refresh(c, 0);
}

/* Records the input before an edit; `kind` >= 0 coalesces repeats of one
 * edit on one cell into a single undo step. */
static void push_undo(gv_core *c, int kind)
{
    int cell = c->cur_step * GV_VOICES + c->cur_row;
    if (kind >= 0 && kind == c->last_edit && cell == c->last_edit_cell)
        return;
    stack_push(c->undo, &c->nundo, &c->input);
    c->nredo = 0;
    c->last_edit = kind;
    c->last_edit_cell = cell;
}

static void undo_redo(gv_core *c, int redo)
{
    gv_pattern *from = redo ? c->redo : c->undo, *to = redo ? c->undo : c->redo;
    int *nfrom = redo ? &c->nredo : &c->nundo, *nto = redo ? &c->nundo : &c->nredo;
    if (*nfrom == 0) {
        gv_core_msg(c, 0, "nothing to %s", redo ? "redo" : "undo");
        return;
    }
    stack_push(to, nto, &c->input);
    c->input = from[--*nfrom];
    c->last_edit = -1;
    input_changed(c);
    gv_core_msg(c, 0, "%s", redo ? "redone" : "undone");
}

void gv_core_set_input(gv_core *c, const gv_pattern *p, const char *src)
{
    push_undo(c, -1);
    c->last_edit = -1;
    gv_pattern_slice(p, 0, GV_MODEL_STEPS, &c->input); /* a 1-bar pattern leaves bar 2 empty */
    if (p->bpm >= GV_BPM_MIN && p->bpm <= GV_BPM_MAX)
        c->set.bpm = roundf(p->bpm);
    snprintf(c->input_src, sizeof c->input_src, "%s", src);
    input_changed(c);
}

/* ---- editing ---- */

enum { EDIT_TOGGLE, EDIT_VEL, EDIT_NUDGE, EDIT_VEL_DOWN, EDIT_NUDGE_EARLY };

static void edit_cell(gv_core *c, int kind, float amount)
{
    int s = c->cur_step, v = gv_core_row_voice[c->cur_row];
    gv_pattern *p = &c->input;
    if (kind != EDIT_TOGGLE && !p->hit[s][v]) {
        gv_core_msg(c, 0, "no hit under the cursor (x adds one)");
        return;
    }
    push_undo(c, kind == EDIT_TOGGLE ? -1 : amount > 0 ? kind : kind + 2);
    if (kind == EDIT_TOGGLE)
        gv_pattern_set(p, s, v, !p->hit[s][v], GV_EDIT_VEL, 0);
    else if (kind == EDIT_VEL)
        gv_pattern_set(p, s, v, 1, fmaxf(0.05f, p->vel[s][v] + amount), p->off[s][v]);
    else
        gv_pattern_set(p, s, v, 1, p->vel[s][v], p->off[s][v] + amount);
    snprintf(c->input_src, sizeof c->input_src, "edited");
    input_changed(c);
}

void gv_core_click_cell(gv_core *c, int step, int row)
{
    if (step < 0 || step >= GV_MODEL_STEPS || row < 0 || row >= GV_VOICES)
        return;
    c->cur_step = step;
    c->cur_row = row;
    edit_cell(c, EDIT_TOGGLE, 0);
}

static void move_cursor(gv_core *c, int ds, int dr)
{
    c->cur_step = (c->cur_step + ds + GV_MODEL_STEPS) % GV_MODEL_STEPS;
    c->cur_row = (c->cur_row + dr + GV_VOICES) % GV_VOICES;
}

/* ---- settings ---- */

static float stepf(float v, float d, float lo, float hi)
{
    v = roundf((v + d) * 100) / 100; /* keeps 0.1 steps free of drift */
    return v < lo ? lo : v > hi ? hi : v;
}

static void set_tempo(gv_core *c, float bpm)
{
    c->set.bpm = stepf(bpm, 0, GV_BPM_MIN, GV_BPM_MAX);
    c->session_dirty = 1;
    c->play.bpm = c->set.bpm; /* the transport reads tempo directly */
}

static const struct {
    gv_feel feel;
    const char *name, *msg;
} feels[GV_FEEL_PRESETS] = {
    [GV_FEEL_P_AUTO] = {{GV_FEEL_AUTO, GV_FEEL_AUTO}, "auto",
                        "feel auto: the groove's timing and dynamics where it has some"},
    [GV_FEEL_P_GROOVE] = {{GV_FEEL_GROOVE, GV_FEEL_GROOVE}, "groove", "feel: groove timing + dynamics"},
    [GV_FEEL_P_TIMING] = {{GV_FEEL_GROOVE, GV_FEEL_MODEL}, "timing", "feel: groove timing, model dynamics"},
    [GV_FEEL_P_MODEL] = {{GV_FEEL_MODEL, GV_FEEL_MODEL}, "model", "feel: model timing + dynamics"},
};

static int feel_preset(int p) { return p >= 0 && p < GV_FEEL_PRESETS ? p : GV_FEEL_P_AUTO; }

gv_feel gv_core_feel(int preset) { return feels[feel_preset(preset)].feel; }

const char *gv_core_feel_name(int preset) { return feels[feel_preset(preset)].name; }

static void cycle_feel(gv_core *c)
{
    c->set.feel = (feel_preset(c->set.feel) + 1) % GV_FEEL_PRESETS;
    c->session_dirty = 1;
    gv_core_msg(c, 0, "%s", feels[c->set.feel].msg);
}

static void cycle_swing(gv_core *c, int dir)
{
    int pct = (int)lroundf(50 + 25 * c->set.swing);
    pct += 4 * dir;
    if (pct > GV_SWING_PCT_MAX)
        pct = 50;
    if (pct < 50)
        pct = GV_SWING_PCT_MAX - (GV_SWING_PCT_MAX - 50) % 4;
    c->set.swing = (pct - 50) / 25.0f;
    c->session_dirty = 1;
    gv_core_msg(c, 0, "swing %d%%%s", pct, pct == 50 ? " (straight)" : "");
}

/* ---- the input as the model is told it (issue 20) ---- */

static const char *lane_names[4] = {"", "1 lane: the groove alone",
                                    "2 lanes: low (kick, low tom) / high (the rest)",
                                    "3 lanes: low (kick, low tom) / mid (snare, toms) / high (hats, cymbals)"};

static void cycle_lanes(gv_core *c)
{
    if (c->zdim > 0 && !c->model_cond) {
        gv_core_msg(c, 0, "1 lane: this model takes the groove alone (see groove train --inputs)");
        return;
    }
    c->set.lanes = gv_lanes_valid(c->set.lanes) ? c->set.lanes % 3 + 1 : 1;
    c->session_dirty = 1;
    gv_core_msg(c, 0, "%s", lane_names[c->set.lanes]);
}

static void toggle_lock(gv_core *c)
{
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

static const int cap_steps[GV_CAP_STEPS] = {0, 1, 2, 3, 4, 6, 8, 12, 16};

/* The cursor voice's cap one step down (none -> 16 -> 12 ... -> 0) or up
 * (... 16 -> none). */
static void step_cap(gv_core *c, int dir)
{
    int v = gv_core_row_voice[c->cur_row], cap = c->set.cap[v], next = cap;
    if (dir < 0) {
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

static void step_vdens(gv_core *c, int dir)
{
    int v = gv_core_row_voice[c->cur_row];
    c->set.vdens[v] = stepf(c->set.vdens[v], dir * GV_VDENS_STEP, 0, GV_VDENS_MAX);
    c->session_dirty = 1;
    gv_core_msg(c, 0, "%s: density x%.2f (%.2f with the density %.1f)%s", gv_voice_name(v), c->set.vdens[v],
                c->set.vdens[v] * c->set.density, c->set.density, c->set.vdens[v] == 0 ? ": silent" : "");
}

void gv_core_select(gv_core *c, int k)
{
    if (k < 0 || k >= c->nsugg) {
        gv_core_msg(c, 0, c->nsugg ? "no suggestion %d" : "no suggestions yet: g generates", k + 1);
        return;
    }
    c->sel = k;
    c->session_dirty = 1;
}

int gv_core_unsaved(const gv_core *c)
{
    int n = 0;
    for (int i = 0; i < c->nsugg; i++)
        n += !c->sugg[i].kept && !c->sugg[i].exported;
    return n;
}

int gv_core_may_save(const gv_core *c)
{
    return !c->session_guard && !c->session_keep;
}

/* Quitting would replace a saved session the user has not seen: ask, but
 * only when this run has something to save (a --fresh run left at once
 * leaves the saved session as it was, with no question). */
static int replace_asks(const gv_core *c)
{
    return c->session_guard && (c->session_dirty || c->nsugg > 0);
}

/* The quit request after the "not kept" question (if any). */
static void quit_or_ask_replace(gv_core *c)
{
    if (replace_asks(c)) {
        c->confirm_kind = GV_CONFIRM_REPLACE_SESSION;
        c->mode = GV_MODE_CONFIRM;
    } else {
        c->quit = 1;
    }
}

static int need_sugg(gv_core *c)
{
    if (c->nsugg > 0)
        return 1;
    gv_core_msg(c, 0, "no suggestions yet: g generates");
    return 0;
}

static void export_prompt(gv_core *c)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(c->prompt, sizeof c->prompt, "groove-%s-%d.mid", stamp, c->sel + 1);
    c->prompt_hint[0] = 0;
    c->prompt_kind = GV_PROMPT_EXPORT;
    c->mode = GV_MODE_PROMPT;
}

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

void gv_core_action(gv_core *c, gv_action a, double now)
{
    gv_err e;
    switch (a) {
    case GV_A_PLAY:
        c->playing = !c->playing;
        if (c->playing)
            gv_core_play_refresh(c, 0);
        break;
    case GV_A_GENERATE: gv_core_request_generate(c); break;
    case GV_A_SELECT1: case GV_A_SELECT2: case GV_A_SELECT3: case GV_A_SELECT4:
    case GV_A_SELECT5: case GV_A_SELECT6: case GV_A_SELECT7: case GV_A_SELECT8:
        gv_core_select(c, a - GV_A_SELECT1);
        break;
    case GV_A_SELECT_NEXT:
    case GV_A_SELECT_PREV:
        if (need_sugg(c))
            gv_core_select(c, (c->sel + (a == GV_A_SELECT_NEXT ? 1 : c->nsugg - 1)) % c->nsugg);
        break;
    case GV_A_AUDITION:
        if (need_sugg(c)) {
            gv_core_audition(c, c->sel);
            gv_core_msg(c, 0, "playing suggestion %d from the next bar", c->sel + 1);
        }
        break;
    case GV_A_AUDITION_INPUT:
        gv_core_audition(c, GV_PLAY_INPUT);
        gv_core_msg(c, 0, "playing the input from the next bar");
        break;
    case GV_A_USE:
        if (need_sugg(c)) {
            char src[64];
            snprintf(src, sizeof src, "suggestion %d", c->sel + 1);
            gv_core_set_input(c, &c->sugg[c->sel].pat, src);
            gv_core_msg(c, 0, "suggestion %d is the input now (u undoes)", c->sel + 1);
        }
        break;
    case GV_A_TAP:
        gv_tap_start(&c->tap, now, c->set.bpm);
        c->mode = GV_MODE_TAP;
        c->tap_beat = 0;
        gv_core_msg(c, 0, "tap: count-in, then 2 bars (Esc cancels)");
        break;
    case GV_A_METRONOME:
        c->set.click = !c->set.click;
        gv_core_msg(c, 0, "metronome %s", c->set.click ? "on" : "off");
        break;
    case GV_A_LEFT: move_cursor(c, -1, 0); break;
    case GV_A_RIGHT: move_cursor(c, 1, 0); break;
    case GV_A_UP: move_cursor(c, 0, -1); break;
    case GV_A_DOWN: move_cursor(c, 0, 1); break;
    case GV_A_EDIT_MODE:
        c->edit_mode = !c->edit_mode;
        gv_core_msg(c, 0, c->edit_mode ? "edit mode: hjkl move the cursor (Esc leaves)" : "edit mode off");
        break;
    case GV_A_TOGGLE: edit_cell(c, EDIT_TOGGLE, 0); break;
    case GV_A_VEL_UP: edit_cell(c, EDIT_VEL, GV_VEL_STEP); break;
    case GV_A_VEL_DOWN: edit_cell(c, EDIT_VEL, -GV_VEL_STEP); break;
    case GV_A_NUDGE_EARLY: edit_cell(c, EDIT_NUDGE, -GV_NUDGE_STEP); break;
    case GV_A_NUDGE_LATE: edit_cell(c, EDIT_NUDGE, GV_NUDGE_STEP); break;
    case GV_A_CLEAR: {
        gv_pattern empty;
        gv_pattern_init(&empty, GV_MODEL_STEPS, c->set.bpm, "empty");
        gv_core_set_input(c, &empty, "empty");
        gv_core_msg(c, 0, "input cleared (u undoes)");
        break;
    }
    case GV_A_UNDO: undo_redo(c, 0); break;
    case GV_A_REDO: undo_redo(c, 1); break;
    case GV_A_TEMP_DOWN:
    case GV_A_TEMP_UP:
        c->set.temperature = stepf(c->set.temperature, a == GV_A_TEMP_UP ? GV_TEMP_STEP : -GV_TEMP_STEP, 0,
                                   GV_TEMP_MAX);
        c->session_dirty = 1;
        gv_core_msg(c, 0, "temperature %.1f%s", c->set.temperature,
                    c->set.temperature == 0 ? " (no noise: z = mu)" : "");
        break;
    case GV_A_DENS_DOWN:
    case GV_A_DENS_UP:
        c->set.density = stepf(c->set.density, a == GV_A_DENS_UP ? GV_DENS_STEP : -GV_DENS_STEP, GV_DENS_MIN,
                               GV_DENS_MAX);
        c->session_dirty = 1;
        gv_core_msg(c, 0, "density %.1f", c->set.density);
        break;
    case GV_A_FEEL: cycle_feel(c); break;
    case GV_A_LANES: cycle_lanes(c); break;
    case GV_A_LOCK: toggle_lock(c); break;
    case GV_A_CAP_DOWN:
    case GV_A_CAP_UP: step_cap(c, a == GV_A_CAP_UP ? 1 : -1); break;
    case GV_A_VDENS_DOWN:
    case GV_A_VDENS_UP: step_vdens(c, a == GV_A_VDENS_UP ? 1 : -1); break;
    case GV_A_HUMANIZE: gv_core_request_humanize(c); break;
    case GV_A_FEWER:
    case GV_A_MORE:
        c->set.n += a == GV_A_MORE ? 1 : -1;
        c->set.n = c->set.n < 1 ? 1 : c->set.n > GV_CORE_MAX_N ? GV_CORE_MAX_N : c->set.n;
        c->session_dirty = 1;
        gv_core_msg(c, 0, "%d suggestion%s per generation", c->set.n, c->set.n > 1 ? "s" : "");
        break;
    case GV_A_TEMPO_DOWN: set_tempo(c, c->set.bpm - 1); break;
    case GV_A_TEMPO_UP: set_tempo(c, c->set.bpm + 1); break;
    case GV_A_SWING: cycle_swing(c, 1); break;
    case GV_A_SWING_BACK: cycle_swing(c, -1); break;
    case GV_A_KEEP:
        if (need_sugg(c) && !ask_if_empty(c, GV_CONFIRM_EMPTY_KEEP) && gv_core_keep(c, c->sel, &e) != 0)
            gv_core_msg(c, 1, "keep: %s", e.msg);
        break;
    case GV_A_LIBRARY:
        c->lib_pick = 0;
        gv_core_library_open(c);
        break;
    case GV_A_VARY:
        if (need_sugg(c))
            gv_core_request_vary(c, &c->sugg[c->sel]);
        break;
    case GV_A_INTERPOLATE:
        c->lib_pick = 1;
        c->lib_a[0] = 0;
        gv_core_library_open(c);
        if (c->mode == GV_MODE_LIBRARY)
            gv_core_msg(c, 0, "interpolate: choose the start pattern (Enter)");
        break;
    case GV_A_EXPORT:
        if (need_sugg(c) && !ask_if_empty(c, GV_CONFIRM_EMPTY_EXPORT))
            export_prompt(c);
        break;
    case GV_A_OPEN:
        c->prompt[0] = 0;
        c->prompt_hint[0] = 0;
        c->prompt_kind = GV_PROMPT_OPEN;
        c->mode = GV_MODE_PROMPT;
        break;
    case GV_A_MIDI: gv_core_midi_open(c); break;
    case GV_A_MIDI_CLOCK: gv_core_midi_clock_cycle(c); break;
    case GV_A_QUIT:
        if (gv_core_unsaved(c) > 0) {
            c->confirm_kind = GV_CONFIRM_QUIT;
            c->mode = GV_MODE_CONFIRM;
        } else {
            quit_or_ask_replace(c);
        }
        break;
    case GV_A_HELP:
        c->mode = GV_MODE_HELP;
        c->help_page = 0;
        break;
    case GV_A_CANCEL:
        if (c->edit_mode) {
            c->edit_mode = 0;
            gv_core_msg(c, 0, "edit mode off");
        }
        break;
    case GV_A_NONE:
    case GV_A_COUNT: break;
    }
}

/* ---- modes ---- */

static void tap_finish(gv_core *c)
{
    gv_pattern p;
    int hits = gv_tap_quantise(&c->tap, &p);
    gv_tap_cancel(&c->tap);
    c->mode = GV_MODE_NORMAL;
    if (hits == 0) {
        gv_core_msg(c, 0, "tap: nothing recorded");
        return;
    }
    gv_core_set_input(c, &p, "tap");
    /* The rows used say how much the player told: one row is a groove, two
     * or more say which drum is which (an unused row's lane is empty). */
    c->set.lanes = gv_core_tap_lanes(&p);
    c->session_dirty = 1;
    if (c->zdim > 0)
        gv_core_request_generate(c);
    int lanes = gv_core_lanes(c);
    gv_core_msg(c, 0, "tapped %d hits: %d lane%s%s", hits, lanes, lanes > 1 ? "s" : "",
                c->job_pending ? ": generating" : "");
}

void gv_core_tick(gv_core *c, double now)
{
    if (c->mode != GV_MODE_TAP)
        return;
    if (gv_tap_update(&c->tap, now, &c->tap_beat) == GV_TAP_DONE)
        tap_finish(c);
}

static void confirm_key(gv_core *c, int key)
{
    int yes = key == 'y' || key == 'Y';
    if (!yes && key != 'n' && key != 'N' && key != 27 && key != 'q')
        return;
    int kind = c->confirm_kind;
    if (kind == GV_CONFIRM_REPLACE_SESSION) {
        /* y: this session replaces the saved one; n: quit, keeping it;
         * Esc (or q): stay */
        c->mode = GV_MODE_NORMAL;
        if (yes)
            c->session_guard = 0;
        else if (key == 'n' || key == 'N')
            c->session_keep = 1;
        else
            return;
        c->quit = 1;
        return;
    }
    c->mode = kind == GV_CONFIRM_DELETE ? GV_MODE_LIBRARY : GV_MODE_NORMAL;
    if (!yes) {
        if (kind == GV_CONFIRM_OVERWRITE || kind == GV_CONFIRM_EMPTY_EXPORT)
            gv_core_msg(c, 0, "not exported");
        else if (kind == GV_CONFIRM_EMPTY_KEEP)
            gv_core_msg(c, 0, "not kept");
        return;
    }
    gv_err e;
    if (kind == GV_CONFIRM_EMPTY_EXPORT)
        export_prompt(c);
    else if (kind == GV_CONFIRM_EMPTY_KEEP) {
        if (gv_core_keep(c, c->sel, &e) != 0)
            gv_core_msg(c, 1, "keep: %s", e.msg);
    } else if (kind == GV_CONFIRM_QUIT)
        quit_or_ask_replace(c);
    else if (kind == GV_CONFIRM_DELETE)
        gv_core_library_delete(c);
    else if (gv_core_export(c, c->sel, c->pending_path, &e) != 0)
        gv_core_msg(c, 1, "%s: %s", c->pending_path, e.msg);
}

void gv_core_interrupt(gv_core *c)
{
    if (c->mode == GV_MODE_CONFIRM &&
        (c->confirm_kind == GV_CONFIRM_QUIT || c->confirm_kind == GV_CONFIRM_REPLACE_SESSION)) {
        c->mode = GV_MODE_NORMAL;
        if (c->session_guard)
            c->session_keep = 1; /* no answer is no licence to replace it */
        c->quit = 1;
        return;
    }
    if (c->mode == GV_MODE_TAP)
        gv_tap_cancel(&c->tap);
    c->mode = GV_MODE_NORMAL;
    c->prompt_hint[0] = 0;
    c->lib_pick = 0;
    c->lib_a[0] = 0;
    gv_core_action(c, GV_A_QUIT, 0);
}

void gv_core_key(gv_core *c, int key, double now)
{
    switch (c->mode) {
    case GV_MODE_HELP:
        if (key == GV_KEY_PGDN || key == ' ' || key == GV_KEY_DOWN)
            c->help_page++;
        else if (key == GV_KEY_PGUP || key == GV_KEY_UP)
            c->help_page = c->help_page > 0 ? c->help_page - 1 : 0;
        else
            c->mode = GV_MODE_NORMAL;
        return;
    case GV_MODE_TAP:
        gv_core_tick(c, now);
        if (c->mode != GV_MODE_TAP)
            return; /* a press after the recording ended is dropped */
        if (key == 27) {
            gv_tap_cancel(&c->tap);
            c->mode = GV_MODE_NORMAL;
            gv_core_msg(c, 0, "tap cancelled");
        } else {
            gv_tap_key(&c->tap, now, key);
        }
        return;
    case GV_MODE_CONFIRM: confirm_key(c, key); return;
    case GV_MODE_PROMPT: gv_core_prompt_key(c, key); return;
    case GV_MODE_LIBRARY: gv_core_library_key(c, key, now); return;
    case GV_MODE_MIDI: gv_core_midi_key(c, key); return;
    default: break;
    }
    if (c->mode == GV_MODE_NORMAL)
        gv_core_action(c, gv_keymap_lookup(&c->keys, c->edit_mode ? GV_CTX_EDIT : GV_CTX_NORMAL, key), now);
}

/* state.c - the session's state and the changes its parts share: messages,
 * undo, the input, playback requests, settings that other parts set, the
 * feel presets (see state.h). */
#include "session/state.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "patterns/lanes.h"

const int gv_core_row_voice[GV_VOICES] = {GV_CRASH, GV_RIDE, GV_OHAT, GV_CHAT, GV_HTOM,
                                         GV_MTOM,  GV_LTOM, GV_SNARE, GV_KICK};

int gv_core_list_key(int key, int n, int *sel)
{
    switch (key) {
    case GV_KEY_UP:
    case 'k':
        if (n)
            *sel = (*sel + n - 1) % n;
        return 0;
    case GV_KEY_DOWN:
    case 'j':
        if (n)
            *sel = (*sel + 1) % n;
        return 0;
    case GV_KEY_HOME: *sel = 0; return 0;
    case GV_KEY_END: *sel = n ? n - 1 : 0; return 0;
    case '\n':
    case '\r':
    case ' ':
    case GV_KEY_ENTER: return *sel < n;
    default: return -1;
    }
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

int gv_core_tap_lanes(const gv_pattern *p) { return gv_lanes_tapped(p); }

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
    const gv_pattern *p = c->play_src == GV_PLAY_INPUT     ? &c->input
                          : c->play_src == GV_PLAY_PREVIEW ? &c->lib_pat
                          : c->play_src == GV_PLAY_JAM     ? &c->jam.cur
                          : c->play_src == GV_PLAY_SONG    ? &c->songv.chunk
                          : c->play_src >= 0 && c->play_src < c->nsugg ? &c->sugg[c->play_src].pat
                                                                       : &c->input;
    if (c->play_src >= c->nsugg || c->play_src < GV_PLAY_SONG)
        c->play_src = GV_PLAY_INPUT;
    c->play = *p;
    c->play.bpm = c->set.bpm;
    c->play_next_bar = next_bar;
    c->play_beat = 0;
    c->play_serial++;
}

void gv_core_audition(gv_core *c, int src)
{
    c->play_src = src;
    c->playing = 1;
    gv_core_play_refresh(c, 1);
}

void gv_core_play_toggle(gv_core *c)
{
    c->playing = !c->playing;
    if (c->playing)
        gv_core_play_refresh(c, 0);
}

void gv_core_heard(const gv_core *c, gv_pattern *out)
{
    gv_vmix_apply(&c->set.mix, &c->play, out);
}

void gv_core_mix_changed(gv_core *c)
{
    c->session_dirty = 1;
    c->play_next_bar = 0;
    c->play_beat = 0;
    c->play_serial++;
}

/* ---- the input and its undo ---- */

static void stack_push(gv_pattern *stack, int *n, const gv_pattern *p)
{
    if (*n == GV_CORE_UNDO) {
        memmove(stack, stack + 1, (GV_CORE_UNDO - 1) * sizeof *stack);
        (*n)--;
    }
    stack[(*n)++] = *p;
}

void gv_core_input_changed(gv_core *c)
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

void gv_core_push_undo(gv_core *c, int kind)
{
    int cell = c->cur_step * GV_VOICES + c->cur_row;
    if (kind >= 0 && kind == c->last_edit && cell == c->last_edit_cell)
        return;
    stack_push(c->undo, &c->nundo, &c->input);
    c->nredo = 0;
    c->last_edit = kind;
    c->last_edit_cell = cell;
}

void gv_core_undo(gv_core *c, int redo)
{
    gv_pattern *from = redo ? c->redo : c->undo, *to = redo ? c->undo : c->redo;
    int *nfrom = redo ? &c->nredo : &c->nundo, *nto = redo ? &c->nundo : &c->nredo;
    if (*nfrom == 0) {
        gv_core_msg(c, 0, "nothing to %s", redo ? "redo" : "undo");
        return;
    }
    stack_push(to, nto, &c->input);
    c->input = from[--*nfrom];
    c->set.bars = c->input.steps / GV_STEPS_PER_BAR; /* a length change is undone too */
    c->cur_step %= c->input.steps;
    c->last_edit = -1;
    gv_core_input_changed(c);
    gv_core_msg(c, 0, "%s", redo ? "redone" : "undone");
}

int gv_core_steps(const gv_core *c)
{
    int b = c->set.bars;
    return (b == 1 || b == 4 || b == GV_CORE_MAX_BARS ? b : 2) * GV_STEPS_PER_BAR;
}

/* p cut or filled to the input's length: a pattern shorter than a long
 * input (4, 8 bars) is repeated; up to 2 bars a 1-bar pattern leaves bar 2
 * empty, as it always did. */
static void fit_input(gv_core *c, const gv_pattern *p)
{
    int n = gv_core_steps(c);
    gv_pattern_slice(p, 0, n, &c->input);
    for (int t = p->steps; n > GV_MODEL_STEPS && p->steps > 0 && t < n; t++) {
        int s = t % p->steps;
        memcpy(c->input.hit[t], p->hit[s], sizeof c->input.hit[t]);
        memcpy(c->input.vel[t], p->vel[s], sizeof c->input.vel[t]);
        memcpy(c->input.off[t], p->off[s], sizeof c->input.off[t]);
    }
    if (c->cur_step >= n)
        c->cur_step %= n;
}

void gv_core_set_bars(gv_core *c, int bars)
{
    c->set.bars = bars == 1 || bars == 4 || bars == GV_CORE_MAX_BARS ? bars : 2;
    c->session_dirty = 1;
    if (c->input.steps == gv_core_steps(c))
        return;
    gv_pattern was = c->input;
    gv_core_push_undo(c, -1);
    c->last_edit = -1;
    fit_input(c, &was);
    gv_core_input_changed(c);
}

void gv_core_set_input(gv_core *c, const gv_pattern *p, const char *src)
{
    gv_core_push_undo(c, -1);
    c->last_edit = -1;
    fit_input(c, p);
    if (p->bpm >= GV_BPM_MIN && p->bpm <= GV_BPM_MAX)
        c->set.bpm = roundf(p->bpm);
    snprintf(c->input_src, sizeof c->input_src, "%s", src);
    gv_core_input_changed(c);
}

void gv_core_forget_undo(gv_core *c)
{
    c->nundo = 0;
    c->nredo = 0;
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

/* ---- settings ---- */

float gv_core_stepf(float v, float d, float lo, float hi)
{
    v = roundf((v + d) * 100) / 100; /* keeps 0.1 steps free of drift */
    return v < lo ? lo : v > hi ? hi : v;
}

void gv_core_set_tempo(gv_core *c, float bpm)
{
    c->set.bpm = gv_core_stepf(bpm, 0, GV_BPM_MIN, GV_BPM_MAX);
    c->session_dirty = 1;
    c->play.bpm = c->set.bpm; /* the transport reads tempo directly */
}

void gv_core_set_seed(gv_core *c, uint64_t seed) { c->next_seed = seed; }

void gv_core_set_window(gv_core *c, const gv_load_opts *window) { c->window = *window; }

void gv_core_tap_anchor(gv_core *c, double t0) { c->tap.t0 = t0; }

int gv_core_tap_hit(gv_core *c, double now, int voice, float vel)
{
    return c->mode == GV_MODE_TAP ? gv_tap_hit(&c->tap, now, voice, vel) : 0;
}

void gv_core_set_midi(gv_core *c, const char *out, const char *in, int clock)
{
    gv_copy(c->midi_out, sizeof c->midi_out, out ? out : "");
    gv_copy(c->midi_in, sizeof c->midi_in, in ? in : "");
    c->midi_clock = clock;
}

int gv_core_help_page(gv_core *c, int pages)
{
    if (c->help_page >= pages)
        c->help_page = pages - 1;
    return c->help_page;
}

void gv_core_guard_session(gv_core *c, int guard) { c->session_guard = guard != 0; }

void gv_core_mark_clean(gv_core *c) { c->session_dirty = 0; }

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

const char *gv_core_feel_msg(int preset) { return feels[feel_preset(preset)].msg; }

/* ---- saving and quitting ---- */

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

void gv_core_quit_or_ask(gv_core *c)
{
    if (replace_asks(c)) {
        c->confirm_kind = GV_CONFIRM_REPLACE_SESSION;
        c->mode = GV_MODE_CONFIRM;
    } else {
        c->quit = 1;
    }
}

/* core_jam.c - the live jam in the session (see core_jam.h). */
#include "session/core_jam.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "session/core_job.h"
#include "session/state.h"
#include "base/fileio.h"
#include "patterns/sequencer.h"

/* ---- the clock ---- */

void gv_core_jam_anchor(gv_core *c, double t0)
{
    c->jam.t0 = t0;
    c->jam.have_clk = 0;
}

void gv_core_jam_clock(gv_core *c, double now, double pos, double lead)
{
    c->jam.have_clk = 1;
    c->jam.clk_t = now;
    c->jam.clk_pos = pos;
    c->jam.lead = lead > 0 ? lead : 0;
}

double gv_core_jam_step(const gv_core *c, double now)
{
    const gv_core_jam *J = &c->jam;
    double rate = c->set.bpm / 15.0; /* steps per second */
    return J->have_clk ? J->clk_pos + (now - J->clk_t) * rate : (now - J->t0) * rate;
}

/* ---- what plays ---- */

/* The running jam's settings from the session's (the seed stays). */
static gv_jam_settings jam_settings(const gv_core *c)
{
    const gv_jam_prefs *p = &c->set.jam;
    gv_jam_settings s = {.every = p->every, .follow = p->follow, .hold = p->hold, .lanes = 0,
                         .seed = c->jam.j.set.seed};
    char why[96];
    if (gv_jam_settings_check(&s, why, sizeof why) != 0) {
        s.every = GV_JAM_EVERY_BAR;
        s.follow = 1.f;
    }
    return s;
}

static void muted(const gv_core *c, gv_pattern *p)
{
    for (int v = 0; v < GV_VOICES; v++)
        if (c->set.jam.mute >> v & 1u)
            for (int s = 0; s < p->steps; s++)
                gv_pattern_set(p, s, v, 0, 0, 0);
}

/* The line (a beat or a bar, as the jam regenerates) where what is queued
 * now can still take over: the transport switches on one at least half a
 * step ahead of what it renders. */
static int64_t unit_of(const gv_core *c)
{
    return c->jam.j.set.every == GV_JAM_EVERY_BEAT ? GV_JAM_EVERY_BEAT : GV_JAM_BAR;
}

static int64_t next_line(const gv_core *c, double pos)
{
    int64_t unit = unit_of(c);
    double can = pos + c->jam.lead + 0.5;
    int64_t at = (int64_t)ceil(can / (double)unit) * unit;
    return at > 0 ? at : 0;
}

/* raw (mutes not yet applied) takes over at step at: into the take and
 * `play`. */
static void queue(gv_core *c, const gv_pattern *raw, int64_t at)
{
    gv_core_jam *J = &c->jam;
    if (raw != &J->raw)
        J->raw = *raw;
    J->cur = J->raw;
    J->cur.bpm = c->set.bpm;
    muted(c, &J->cur);
    gv_err e = {0};
    if (gv_jam_take_swap(&J->take, at, &J->cur, &e) != 0)
        gv_core_msg(c, 1, "jam: %s: the export will miss this pattern", e.msg);
    J->cur_at = at;
    c->play_src = GV_PLAY_JAM;
    gv_core_play_refresh(c, at > 0);
    c->play_beat = at > 0 && unit_of(c) == GV_JAM_EVERY_BEAT;
}

/* A generated pattern takes over at its swap step, or at the next line
 * the transport can make when it came too late for that. */
static void take_over(gv_core *c, double pos)
{
    gv_core_jam *J = &c->jam;
    J->ready = 0;
    int64_t at = J->next_swap, can = next_line(c, pos);
    if (at < can) {
        at = can;
        J->late++;
    }
    J->cur_seed = J->next_seed;
    memcpy(J->cur_groove, J->next_groove, sizeof J->cur_groove);
    queue(c, &J->next, at);
    gv_jam_swapped(&J->j, at);
    J->regens++;
}

/* ---- start, end, taps ---- */

/* What played when the jam started, 2 bars of it (else nothing). */
static void first_drums(const gv_core *c, gv_pattern *p)
{
    const gv_pattern *src = c->playing ? &c->play : c->nsugg > 0 ? &c->sugg[c->sel].pat : &c->input;
    if (src->steps == GV_JAM_STEPS)
        *p = *src;
    else
        gv_pattern_init(p, GV_JAM_STEPS, c->set.bpm, "jam");
}

void gv_core_jam_start(gv_core *c, double now)
{
    if (c->zdim <= 0) {
        gv_core_msg(c, 1, "no model loaded: a jam needs one (see --model)");
        return;
    }
    gv_core_jam *J = &c->jam;
    gv_pattern *first = malloc(sizeof *first);
    if (!first) {
        gv_core_msg(c, 1, "jam: out of memory");
        return;
    }
    first_drums(c, first);
    gv_jam_take_free(&J->take);
    J->j.set.seed = c->next_seed++ & ((1ull << 53) - 1);
    gv_jam_settings s = jam_settings(c);
    gv_jam_init(&J->j, &s);
    gv_jam_take_init(&J->take, c->set.bpm);
    memset(&J->lat, 0, sizeof J->lat);
    J->ready = J->regens = J->late = 0;
    J->path[0] = 0;
    J->cur_seed = 0;
    memset(J->cur_groove, 0, sizeof J->cur_groove);
    gv_core_jam_anchor(c, now);
    J->lead = 0;
    J->on = 1;
    J->serial++;
    c->edit_mode = 0;
    c->playing = 1;
    queue(c, first, 0);
    free(first);
    c->session_dirty = 1;
    static const char *every[] = {"beat", "bar", "2 bars"};
    int k = s.every == GV_JAM_EVERY_BEAT ? 0 : s.every == GV_JAM_EVERY_BAR ? 1 : 2;
    gv_core_msg(c, 0, "jam: tap z..m kick, a..l snare, q..p hat (or pads); new drums every %s; Esc ends", every[k]);
}

void gv_core_jam_end(gv_core *c, double now)
{
    gv_core_jam *J = &c->jam;
    if (!J->on)
        return;
    gv_err e = {0};
    int rc = J->take.ntaps > 0 ? gv_core_jam_export(c, now, &e) : 1;
    J->on = 0;
    J->ready = 0;
    J->serial++;
    c->playing = 0;
    c->play_src = GV_PLAY_INPUT;
    gv_core_play_refresh(c, 0);
    if (rc < 0)
        gv_core_msg(c, 1, "jam ended, not exported: %s", e.msg);
    else if (rc > 0)
        gv_core_msg(c, 0, "jam ended: no taps, nothing to export");
}

int gv_core_jam_hit(gv_core *c, double now, int note, int voice, float vel)
{
    gv_core_jam *J = &c->jam;
    if (!J->on || voice < 0 || voice >= GV_VOICES)
        return 0;
    double step = gv_core_jam_step(c, now);
    if (step < -0.5)
        return 0; /* before the first downbeat could take it as early */
    gv_jam_tap(&J->j, step, voice, vel);
    gv_err e = {0};
    if (gv_jam_take_tap(&J->take, step, note, voice, vel, &e) != 0)
        gv_core_msg(c, 1, "jam: %s: the export will miss taps", e.msg);
    return 1;
}

int gv_core_jam_key(gv_core *c, int key, double now)
{
    int accent;
    int v = gv_tap_voice(key, &accent);
    return v >= 0 && gv_core_jam_hit(c, now, gv_voice_note(v), v, accent ? GV_TAP_ACCENT : GV_TAP_VEL);
}

int gv_core_jam_sync(gv_core *c, double now)
{
    gv_core_jam *J = &c->jam;
    if (!J->on)
        return 0;
    J->now_seen = now;
    double pos = gv_core_jam_step(c, now);
    int changed = 0;
    if (gv_jam_due(&J->j, pos, &J->req)) {
        gv_core_request_jam(c, &J->req);
        changed = 1;
    }
    if (J->ready) {
        take_over(c, pos);
        changed = 1;
    }
    return changed;
}

/* ---- controls ---- */

void gv_core_jam_apply(gv_core *c)
{
    c->session_dirty = 1;
    if (c->jam.on) {
        gv_jam_settings s = jam_settings(c);
        gv_jam_set(&c->jam.j, &s);
    }
}

void gv_core_jam_mute(gv_core *c, int voice, double now)
{
    if (voice < 0 || voice >= GV_VOICES)
        return;
    c->set.jam.mute ^= 1u << voice;
    c->session_dirty = 1;
    gv_core_jam *J = &c->jam;
    if (!J->on)
        return;
    /* what plays (or is queued last) again, from the next line; a pattern
     * still waiting for its line is replaced there */
    int64_t at = next_line(c, gv_core_jam_step(c, now));
    queue(c, &J->raw, J->cur_at > at ? J->cur_at : at);
}

/* ---- export and keep ---- */

/* A fresh file name in the jam directory: groove-jam-STAMP.mid (-2, -3 ...
 * when taken), the working directory spelled out. */
static int jam_file(const gv_core *c, char *path, size_t n, gv_err *e)
{
    char dir[GV_CORE_PATH], stamp[32];
    if (c->jam_dir[0])
        gv_copy(dir, sizeof dir, c->jam_dir);
    else if (!getcwd(dir, sizeof dir))
        return gv_fail(e, "cannot name the working directory");
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int k = 1; k < 100; k++) {
        char sfx[16] = "";
        if (k > 1)
            snprintf(sfx, sizeof sfx, "-%d", k);
        int w = snprintf(path, n, "%s/groove-jam-%s%s.mid", dir, stamp, sfx);
        if (w < 0 || (size_t)w >= n)
            return gv_fail(e, "%s: path too long", dir);
        if (access(path, F_OK) != 0)
            return 0;
    }
    return gv_fail(e, "%s: too many jams this second", dir);
}

int gv_core_jam_export(gv_core *c, double now, gv_err *e)
{
    gv_core_jam *J = &c->jam;
    /* the bar being played goes in whole (not one just begun) */
    double pos = gv_core_jam_step(c, now);
    int64_t until = pos > 0.5 ? (int64_t)ceil((pos - 0.5) / GV_JAM_BAR) * GV_JAM_BAR : 0;
    char path[GV_CORE_PATH];
    unsigned char *data;
    size_t len;
    if (jam_file(c, path, sizeof path, e) != 0 || gv_jam_take_smf(&J->take, until, "jam", &data, &len, e) != 0)
        return -1;
    int rc = gv_write_atomic(path, data, len, e);
    free(data);
    if (rc != 0)
        return -1;
    gv_copy(J->path, sizeof J->path, path);
    c->export_count++;
    int64_t end = until > 0 ? until : gv_jam_take_end(&J->take);
    gv_core_msg(c, 0, "jam: %lld bars, %d taps, %d new patterns: exported to %s", (long long)(end / GV_JAM_BAR),
                J->take.ntaps, J->regens, path);
    return 0;
}

int gv_core_jam_keep(gv_core *c, gv_err *e)
{
    gv_core_jam *J = &c->jam;
    if (!c->libdir[0])
        return gv_fail(e, "no library directory ($HOME is not set)");
    gv_lib_meta *m = malloc(sizeof *m);
    gv_pattern *heard = malloc(sizeof *heard);
    int rc = -1;
    char name[GV_LIB_NAME];
    if (!m || !heard) {
        gv_fail(e, "out of memory");
    } else {
        gv_prov_init(m, "jam");
        gv_copy(m->model, sizeof m->model, c->model_name);
        gv_prov_stamp(m);
        m->seed = J->cur_seed;
        m->temperature = c->set.temperature;
        m->density = c->set.density;
        m->bpm = c->set.bpm;
        m->swing = c->set.swing; /* the sidecar says what the .mid holds */
        m->has_groove = J->regens > 0;
        memcpy(m->groove, J->cur_groove, sizeof m->groove);
        *heard = J->cur;
        heard->bpm = c->set.bpm;
        gv_seq_swing_bake(heard, c->set.swing);
        rc = gv_library_save(c->libdir, heard, m, "jam", name, e);
    }
    if (rc == 0)
        gv_core_msg(c, 0, "kept the jam's drums as %s", name);
    free(m);
    free(heard);
    return rc;
}

/* core_job.c - generation requests, running them on the model, and taking
 * their results back into the session (see core_job.h). */
#include "session/core_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/core_hist.h"
#include "session/jam_gen.h"
#include "session/state.h"
#include "engine/cond.h"
#include "engine/ops.h"
#include "patterns/lanes.h"

/* A job of kind with the settings' options, replacing any pending one. */
static gv_job *fresh_job(gv_core *c, int kind, int n)
{
    gv_job *j = &c->job;
    memset(j, 0, sizeof *j);
    j->id = ++c->job_id;
    j->kind = kind;
    j->n = n;
    gv_gen_opts_default(&j->opts);
    j->opts.temperature = c->set.temperature;
    j->opts.density = c->set.density;
    for (int v = 0; v < GV_VOICES; v++) {
        j->opts.max_hits[v] = c->set.cap[v];
        j->opts.voice_density[v] = c->set.vdens[v];
    }
    j->bpm = c->set.bpm;
    snprintf(j->model, sizeof j->model, "%s", c->model_name);
    c->job_pending = 1;
    return j;
}

/* A new job of kind, with the next seed; NULL (with a message) when there
 * is no model. */
static gv_job *new_job(gv_core *c, int kind, int n)
{
    if (c->zdim <= 0) {
        gv_core_msg(c, 1, "no model loaded: generation is off (see --model)");
        return NULL;
    }
    gv_job *j = fresh_job(c, kind, n);
    j->opts.seed = c->next_seed++ & ((1ull << 53) - 1);
    c->session_dirty = 1;
    return j;
}

void gv_core_request_jam(gv_core *c, const gv_jam_req *r)
{
    if (c->zdim <= 0)
        return;
    gv_job *j = fresh_job(c, GV_JOB_JAM, 1);
    j->opts.seed = r->seed;
    j->opts.feel = gv_core_feel(c->set.jam.feel ? GV_FEEL_P_AUTO : GV_FEEL_P_MODEL);
    j->jreq = *r;
    j->jfollow = c->set.jam.follow;
    j->jlat = c->jam.lat;
}

/* Voices put back into results that do not come from the input's drums
 * (variations, interpolations): locked is what generating keeps. */
static void lock_results(gv_core *c, gv_job *j)
{
    j->lock = c->set.lock;
    j->locked = c->input;
}

void gv_core_request_generate(gv_core *c)
{
    if (gv_pattern_count(&c->input) == 0) {
        /* Nothing given: draw from the prior, as `groove sample` does. */
        gv_job *j = new_job(c, GV_JOB_SAMPLE, c->set.n);
        if (!j)
            return;
        j->opts.sampling = GV_SAMPLING_BERNOULLI; /* as groove sample: as dense as the drummers */
        j->a = c->input; /* nothing in it: its length is the samples' */
        gv_core_msg(c, 0, "the input is empty: %d from nothing (seed %llu)", j->n,
                    (unsigned long long)j->opts.seed);
        return;
    }
    gv_job *j = new_job(c, GV_JOB_GENERATE, c->set.n);
    if (!j)
        return;
    j->a = c->input;
    /* The feel is the groove's, so only generating has one to give back. */
    j->opts.feel = gv_core_feel(c->set.feel);
    j->opts.cond.lanes = gv_core_lanes(c);
    j->opts.cond.keep = c->set.lock;
    char locked[96] = "";
    if (c->set.lock) {
        char names[80];
        gv_voice_set_format(c->set.lock, names, sizeof names);
        snprintf(locked, sizeof locked, ", keeping %s", names);
    }
    gv_core_msg(c, 0, "generating %d from the input in %d lane%s%s (seed %llu)", j->n, j->opts.cond.lanes,
                j->opts.cond.lanes > 1 ? "s" : "", locked, (unsigned long long)j->opts.seed);
}

void gv_core_request_humanize(gv_core *c)
{
    if (gv_pattern_count(&c->input) == 0) {
        gv_core_msg(c, 0, "the input is empty: nothing to humanize");
        c->msg_empty_input = 1;
        return;
    }
    gv_job *j = new_job(c, GV_JOB_HUMANIZE, 1);
    if (!j)
        return;
    j->a = c->input;
    for (int v = 0; v < GV_VOICES; v++) { /* every hit stays: caps and density do not apply */
        j->opts.max_hits[v] = -1;
        j->opts.voice_density[v] = 1.f;
    }
    j->opts.cond.humanize = 1;
    gv_core_msg(c, 0, "humanizing the input (temperature %.1f, seed %llu)", j->opts.temperature,
                (unsigned long long)j->opts.seed);
}

void gv_core_request_vary(gv_core *c, const gv_sugg *src)
{
    gv_job *j = new_job(c, GV_JOB_VARY, c->set.n < 2 ? 2 : c->set.n);
    if (!j)
        return;
    /* Variations stay near their source: half the set temperature. */
    j->opts.temperature = c->set.temperature * 0.5f;
    j->a = src->pat;
    j->ma = src->meta;
    j->src_kept = src->kept;
    j->src_exported = src->exported;
    snprintf(j->src_name, sizeof j->src_name, "%s", src->kept_name);
    lock_results(c, j);
    gv_core_msg(c, 0, "%d variation%s of %s", j->n - 1, j->n == 2 ? "" : "s",
                src->kept_name[0] ? src->kept_name : "the selected suggestion");
}

void gv_core_request_interpolate(gv_core *c, const gv_pattern *a, const gv_lib_meta *ma, const gv_pattern *b,
                                 const gv_lib_meta *mb)
{
    gv_job *j = new_job(c, GV_JOB_INTERPOLATE, c->set.n < 2 ? 2 : c->set.n);
    if (!j)
        return;
    j->a = *a;
    j->b = *b;
    j->ma = *ma;
    j->mb = *mb;
    lock_results(c, j);
    gv_core_msg(c, 0, "interpolating in %d steps", j->n);
}

const gv_job *gv_core_take_job(gv_core *c)
{
    if (!c->job_pending)
        return NULL;
    c->job_pending = 0;
    c->busy = 1;
    return &c->job;
}

/* A humanized input replaces the input it was made from (undoable); an
 * input edited meanwhile stays, since replacing it would lose the edit. */
static void humanized(gv_core *c, const gv_job_result *r)
{
    const gv_pattern *was = &c->job.a;
    const gv_pattern *in = &c->input;
    if (r->n < 1 || memcmp(was->hit, in->hit, sizeof in->hit) || memcmp(was->vel, in->vel, sizeof in->vel) ||
        memcmp(was->off, in->off, sizeof in->off)) {
        gv_core_msg(c, 0, "the input changed while humanizing: H humanizes it again");
        return;
    }
    gv_pattern p = r->s[0].pat;
    snprintf(p.name, sizeof p.name, "%s", was->name);
    p.bpm = c->set.bpm; /* the tempo as it is now, should it have moved meanwhile */
    float dvel, doff;
    int n = gv_core_feel_change(was, &p, &dvel, &doff);
    gv_core_set_input(c, &p, "humanized");
    double step_ms = 60000.0 / c->set.bpm / 4;
    gv_core_msg(c, 0,
                "humanized %d hits: velocity moved %.0f (MIDI) and timing %.2f steps (%.0f ms) on average; u undoes", n,
                dvel * 127, doff, doff * step_ms);
}

/* A jam's pattern: it waits for gv_core_jam_sync to take over. */
static void jammed(gv_core *c, const gv_job_result *r)
{
    if (!c->jam.on)
        return; /* the jam ended meanwhile */
    c->jam.lat = r->jlat;
    c->jam.next = r->s[0].pat;
    c->jam.next_swap = c->job.jreq.swap;
    c->jam.next_index = c->job.jreq.index;
    c->jam.next_seed = c->job.jreq.seed;
    gv_pattern_groove(&c->job.jreq.groove, c->jam.next_groove);
    c->jam.ready = 1;
}

void gv_core_finish_job(gv_core *c, const gv_job_result *r)
{
    c->busy = 0;
    if (r->id != c->job_id)
        return; /* a newer request superseded it */
    if (r->rc == 0 && c->job.kind == GV_JOB_JAM) {
        jammed(c, r);
        return;
    }
    if (r->rc != 0) {
        gv_core_msg(c, 1, "%s failed: %s",
                    c->job.kind == GV_JOB_HUMANIZE ? "humanize" : c->job.kind == GV_JOB_JAM ? "jam" : "generation",
                    r->err);
        return;
    }
    if (c->job.kind == GV_JOB_HUMANIZE) {
        humanized(c, r);
        return;
    }
    gv_hist_push(c, &c->job, r->s, r->n);
    c->nsugg = r->n;
    memcpy(c->sugg, r->s, (size_t)r->n * sizeof *c->sugg);
    if (c->sel >= c->nsugg)
        c->sel = 0;
    if (c->playing && c->play_src >= 0)
        gv_core_play_refresh(c, 1);
    c->session_dirty = 1;
    int hits = 0;
    for (int i = 0; i < r->n; i++)
        hits += gv_pattern_count(&r->s[i].pat);
    gv_core_msg(c, 0, "%d suggestion%s, %d hits in all (seed %llu; batch %d of %d)", r->n, r->n > 1 ? "s" : "",
                hits, (unsigned long long)c->job.opts.seed, c->hist_pos + 1, c->nhist);
}

/* ---- running a job (any thread) ---- */

static const char *kind_name(int kind)
{
    static const char *const names[] = {[GV_JOB_GENERATE] = "generate", [GV_JOB_VARY] = "vary",
                                        [GV_JOB_INTERPOLATE] = "interpolate", [GV_JOB_SAMPLE] = "sample",
                                        [GV_JOB_HUMANIZE] = "humanize", [GV_JOB_JAM] = "jam"};
    return kind >= 0 && kind < (int)(sizeof names / sizeof names[0]) ? names[kind] : "generate";
}

/* The job's options as the model takes them. */
static gv_gen_opts job_opts(const gv_model *m, const gv_job *j)
{
    gv_gen_opts o = j->opts;
    if (m->cfg.src_features != GV_COND_FEATURES)
        o.cond.lanes = 1; /* a model of the groove alone reads any input as 1 lane */
    return o;
}

/* The steps a job's results have: its source's (the input's length when
 * drumming or sampling it, the suggestion's for variations), 2 bars for an
 * interpolation (between library patterns). */
static int job_steps(const gv_job *j)
{
    return j->kind != GV_JOB_INTERPOLATE && j->a.steps >= GV_STEPS_PER_BAR ? j->a.steps : GV_MODEL_STEPS;
}

/* The job's operation (engine/ops.h): made results into out, their latents
 * into z.  Kept latents of the sources are used where they fit. */
static int run_op(const gv_model *m, gv_gen_ws *ws, const gv_job *j, const gv_gen_opts *o, int made,
                  gv_pattern *out, float *z, gv_err *e)
{
    gv_op_src a = {&j->a, j->ma.z, j->ma.zdim}, b = {&j->b, j->mb.z, j->mb.zdim};
    switch (j->kind) {
    case GV_JOB_GENERATE:
    case GV_JOB_HUMANIZE:
        return gv_op_drumify(m, &j->a, made, o, out, z, ws, e);
    case GV_JOB_SAMPLE: /* `groove sample`'s path: the model's prior, nothing given */
        return gv_op_sample(m, made, job_steps(j), j->bpm, o, out, z, ws, e);
    case GV_JOB_VARY:
        return gv_op_vary(m, &a, made, job_steps(j), j->bpm, o, out, z, ws, e);
    default:
        return gv_op_interpolate(m, &a, &b, made, GV_MODEL_STEPS, j->bpm, o, out, z, ws, e);
    }
}

/* The locked voices put back, as generating keeps them. */
static void put_locked(const gv_job *j, gv_pattern *out, int made)
{
    for (int i = 0; j->lock && i < made; i++)
        for (int t = 0; t < out[i].steps; t++)
            for (int v = 0; v < GV_VOICES; v++)
                if (j->lock >> v & 1u && t < j->locked.steps)
                    gv_pattern_set(&out[i], t, v, j->locked.hit[t][v], j->locked.vel[t][v], j->locked.off[t][v]);
}

/* Result k: its pattern and provenance (engine/provenance.h). */
static void result(const gv_model *m, const gv_job *j, const gv_gen_opts *o, int i, int made, int first,
                   const gv_pattern *pat, const float *zi, int C, const char *created, gv_sugg *s)
{
    memset(s, 0, sizeof *s);
    s->pat = *pat;
    s->pat.bpm = j->bpm;
    snprintf(s->pat.name, sizeof s->pat.name, "%s %d", kind_name(j->kind), first + i + 1);
    gv_lib_meta *md = &s->meta;
    gv_op_prov(md, kind_name(j->kind), m, o, i, made, zi, C);
    snprintf(md->model, sizeof md->model, "%s", j->model); /* the session's name for it */
    snprintf(md->created, sizeof md->created, "%s", created);
    md->bpm = j->bpm;
    const gv_pattern *src = j->kind == GV_JOB_INTERPOLATE || j->kind == GV_JOB_SAMPLE ? NULL : &j->a;
    if (j->kind == GV_JOB_VARY && j->ma.has_groove) {
        md->has_groove = 1;
        memcpy(md->groove, j->ma.groove, sizeof md->groove);
    } else if (src) {
        md->has_groove = 1;
        gv_pattern head; /* the record holds 2 bars of groove: a longer input's first 2 */
        gv_pattern_slice(src, 0, GV_MODEL_STEPS, &head);
        gv_pattern_groove(&head, md->groove);
    }
}

/* A variation set starts with its source, as it was. */
static void source_first(const gv_job *j, gv_sugg *s)
{
    memset(s, 0, sizeof *s);
    s->pat = j->a;
    s->meta = j->ma;
    s->kept = j->src_kept;
    s->exported = j->src_exported;
    snprintf(s->kept_name, sizeof s->kept_name, "%s", j->src_name);
}

/* A jam's regeneration: one pattern, the latent moved by the follow. */
static int run_jam(const gv_model *m, gv_gen_ws *ws, const gv_job *j, gv_job_result *r)
{
    gv_err e = {0};
    gv_jam_gen g;
    gv_jam_gen_init(&g, m, ws, &j->opts);
    g.lat = j->jlat;
    gv_sugg *s = &r->s[0];
    memset(s, 0, sizeof *s);
    if (gv_jam_generate(&g, &j->jreq, j->jfollow, j->bpm, &s->pat, &e) != 0) {
        snprintf(r->err, sizeof r->err, "%s", e.msg);
        return r->rc = -1;
    }
    s->pat.bpm = j->bpm;
    snprintf(s->pat.name, sizeof s->pat.name, "jam %lld", (long long)j->jreq.index + 1);
    r->jlat = g.lat;
    r->n = 1;
    return 0;
}

int gv_job_run(const gv_model *m, gv_gen_ws *ws, const gv_job *j, gv_job_result *r)
{
    gv_err e = {0};
    r->id = j->id;
    r->n = 0;
    r->rc = 0;
    r->err[0] = 0;
    if (j->kind == GV_JOB_JAM)
        return run_jam(m, ws, j, r);
    int C = gv_gen_chunks(&m->cfg, job_steps(j)), zl = C * m->cfg.latent_dim;
    int n = j->n < 1 ? 1 : j->n > GV_CORE_MAX_N ? GV_CORE_MAX_N : j->n;
    int first = j->kind == GV_JOB_VARY ? 1 : 0, made = n - first;
    if (zl > GV_Z_MAX) {
        snprintf(r->err, sizeof r->err, "latent of %d floats is more than %d", zl, GV_Z_MAX);
        return r->rc = -1;
    }
    float *z = malloc(sizeof(float) * (size_t)zl * GV_CORE_MAX_N);
    gv_pattern *out = malloc(sizeof *out * GV_CORE_MAX_N);
    gv_gen_opts o = job_opts(m, j);
    int rc = !z || !out ? gv_fail(&e, "out of memory") : run_op(m, ws, j, &o, made, out, z, &e);
    if (rc == 0) {
        put_locked(j, out, made);
        gv_prov stamp;
        gv_prov_stamp(&stamp);
        if (first)
            source_first(j, &r->s[0]);
        for (int i = 0; i < made; i++)
            result(m, j, &o, i, made, first, &out[i], z + (size_t)i * zl, C, stamp.created, &r->s[first + i]);
        r->n = n;
    } else {
        snprintf(r->err, sizeof r->err, "%s", e.msg);
        r->rc = -1;
    }
    free(z);
    free(out);
    return r->rc;
}

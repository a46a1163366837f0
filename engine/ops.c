/* ops.c - the engine's whole operations (see ops.h). */
#include "engine/ops.h"

#include <stdlib.h>
#include <string.h>

int gv_op_model_ok(const gv_model *m, unsigned need, int window, gv_err *e)
{
    int T = m->cfg.steps;
    if (T < GV_MODEL_STEPS || T % GV_MODEL_STEPS)
        return gv_failc(e, GV_E_MODEL, "a %d-step model (%s): generation takes models of 2, 4, 6... bars", T,
                        m->cfg.arch);
    if (window > 0 && T != window)
        return gv_failc(e, GV_E_MODEL, "a %d-bar model (%s): this works in %d-bar windows; give it a %d-bar model",
                        T / GV_STEPS_PER_BAR, m->cfg.arch, window / GV_STEPS_PER_BAR, window / GV_STEPS_PER_BAR);
    return gv_config_need(&m->cfg, need, e);
}

unsigned gv_op_drumify_needs(const gv_cond *c)
{
    return (c->humanize ? GV_MODE_HUMANIZE : GV_MODE_DRUMIFY) | (c->lanes != 1 || c->keep ? GV_MODE_LANES : 0u);
}

int gv_op_drumify(const gv_model *m, const gv_pattern *in, int n, const gv_gen_opts *o, gv_pattern *out, float *z,
                  gv_gen_ws *ws, gv_err *e)
{
    if (gv_op_model_ok(m, gv_op_drumify_needs(&o->cond), 0, e))
        return -1;
    return gv_generate(m, in, n, o, out, z, ws, e);
}

int gv_op_drumify_z(const gv_model *m, const gv_pattern *in, const float *z, const gv_gen_opts *o, gv_pattern *out,
                    gv_gen_ws *ws, gv_err *e)
{
    if (gv_op_model_ok(m, gv_op_drumify_needs(&o->cond), 0, e))
        return -1;
    return gv_generate_z(m, in, z, o, out, ws, e);
}

int gv_op_latent(const gv_model *m, const gv_op_src *src, int steps, float *z, gv_gen_ws *ws, gv_err *e)
{
    int L = m->cfg.latent_dim;
    size_t CL = (size_t)gv_gen_chunks(&m->cfg, steps) * L;
    if (src->z && src->zdim == (int)CL) {
        memcpy(z, src->z, CL * sizeof *z);
        return 0;
    }
    /* the whole pattern's chunks (it may be longer than steps), the first C kept */
    float *mu = malloc(2 * (size_t)GV_GEN_MAX_CHUNKS * L * sizeof *mu);
    if (!mu)
        return gv_fail(e, "out of memory");
    gv_gen_encode(m, src->pat, mu, mu + (size_t)GV_GEN_MAX_CHUNKS * L, ws);
    memcpy(z, mu, CL * sizeof *z);
    free(mu);
    return 0;
}

int gv_op_vary(const gv_model *m, const gv_op_src *src, int n, int steps, float bpm, const gv_gen_opts *o,
               gv_pattern *out, float *z, gv_gen_ws *ws, gv_err *e)
{
    int C = gv_gen_chunks(&m->cfg, steps), L = m->cfg.latent_dim;
    float *za = malloc((size_t)C * L * sizeof *za);
    int rc = za ? gv_op_latent(m, src, steps, za, ws, e) : gv_fail(e, "out of memory");
    if (rc == 0) {
        gv_gen_latents(za, NULL, C, L, n, o, z);
        rc = n > 0 ? gv_gen_decode(m, z, n, steps, bpm, o, out, ws, e) : 0;
    }
    free(za);
    return rc;
}

int gv_op_interpolate(const gv_model *m, const gv_op_src *a, const gv_op_src *b, int K, int steps, float bpm,
                      const gv_gen_opts *o, gv_pattern *out, float *z, gv_gen_ws *ws, gv_err *e)
{
    size_t CL = (size_t)gv_gen_chunks(&m->cfg, steps) * m->cfg.latent_dim;
    float *za = malloc(2 * CL * sizeof *za);
    int rc = za ? 0 : gv_fail(e, "out of memory");
    if (rc == 0)
        rc = gv_op_latent(m, a, steps, za, ws, e) || gv_op_latent(m, b, steps, za + CL, ws, e) ? -1 : 0;
    if (rc == 0) {
        gv_gen_interpolate(za, za + CL, gv_gen_chunks(&m->cfg, steps), m->cfg.latent_dim, K, z);
        rc = gv_gen_decode(m, z, K, steps, bpm, o, out, ws, e);
    }
    free(za);
    return rc;
}

int gv_op_sample(const gv_model *m, int n, int steps, float bpm, const gv_gen_opts *o, gv_pattern *out, float *z,
                 gv_gen_ws *ws, gv_err *e)
{
    gv_gen_prior_latents(m, gv_gen_chunks(&m->cfg, steps), n, o, z);
    return gv_gen_decode(m, z, n, steps, bpm, o, out, ws, e);
}

void gv_op_encode(const gv_model *m, const gv_pattern *p, float *mu, float *logvar, gv_gen_ws *ws)
{
    gv_gen_encode(m, p, mu, logvar, ws);
}

int gv_op_decode(const gv_model *m, const float *z, int n, int steps, float bpm, const gv_gen_opts *o,
                 gv_pattern *out, gv_gen_ws *ws, gv_err *e)
{
    return gv_gen_decode(m, z, n, steps, bpm, o, out, ws, e);
}

void gv_op_prov(gv_prov *p, const char *kind, const gv_model *m, const gv_gen_opts *o, int i, int n,
                const float *zi, int C)
{
    gv_prov_init(p, kind);
    gv_prov_set_model(p, m);
    int interp = !strcmp(kind, "interpolate");
    gv_prov_set_gen(p, o, !strcmp(kind, "generate") || !strcmp(kind, "humanize"));
    p->seed = interp ? 0 : gv_gen_seed(o->seed, i);
    if (interp) { /* the path runs between latents: nothing random */
        p->temperature = 0;
        p->has_t = 1;
        p->t = n > 1 ? (double)i / (n - 1) : 0;
    }
    gv_prov_set_z(p, zi, C, m->cfg.latent_dim);
}

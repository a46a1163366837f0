#include "engine/generate.h"

#include "engine/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEED_MASK ((1ull << 53) - 1)
#define SALT_SUGGESTION 0x9E3779B97F4A7C15ull
#define SALT_CHUNK 0xC2B2AE3D27D4EB4Full
#define SALT_HITS 0x165667B19E3779F9ull
#define SALT_PRIOR 0x27D4EB2F165667C5ull

/* T: the chunk, the model's own length (cfg.steps); maxc = gv_gen_chunks of
 * GV_MAX_STEPS, the most chunks a pattern has. */
struct gv_gen_ws {
    int max_n, L, F, T, maxc;
    gv_infer_ws *infer;
    float *src;                 /* [max_n][T][F]: a batch's rows */
    float *hit_p, *vel, *off;   /* [max_n][T][9] each */
    float *mu, *logvar;         /* [maxc * L] for gv_generate */
    float *csrc;                /* [maxc][T][F]: the input's chunks as the model reads them */
    float *chvo;                /* [maxc][T][27] (+ 32 steps: gv_cond_hvo writes 32 at a time): the input's
                                 * chunks (engine/cond.h layout) */
};

void gv_gen_opts_default(gv_gen_opts *o)
{
    memset(o, 0, sizeof *o);
    o->temperature = 1.f;
    o->density = 1.f;
    o->sampling = GV_SAMPLING_THRESHOLD;
    o->feel = (gv_feel){GV_FEEL_AUTO, GV_FEEL_AUTO};
    for (int v = 0; v < GV_VOICES; v++) {
        o->max_hits[v] = -1;
        o->voice_density[v] = 1.f;
    }
    gv_cond_default(&o->cond);
}

int gv_gen_opts_check(const gv_gen_opts *o, gv_err *e)
{
    if (!isfinite(o->temperature) || o->temperature < 0)
        return gv_fail(e, "temperature must be finite and >= 0");
    if (!isfinite(o->density) || o->density < 0)
        return gv_fail(e, "density must be finite and >= 0");
    for (int v = 0; v < GV_VOICES; v++)
        if (!isfinite(o->voice_density[v]) || o->voice_density[v] < 0)
            return gv_fail(e, "the density of %s must be finite and >= 0", gv_voice_name(v));
    if (o->sampling != GV_SAMPLING_THRESHOLD && o->sampling != GV_SAMPLING_BERNOULLI)
        return gv_fail(e, "unknown sampling mode %d", (int)o->sampling);
    if ((unsigned)o->feel.timing > GV_FEEL_GROOVE || (unsigned)o->feel.dynamics > GV_FEEL_GROOVE)
        return gv_fail(e, "unknown feel mode");
    return gv_cond_check(&o->cond, e);
}

int gv_gen_cond_supported(const gv_model *m, const gv_cond *c, gv_err *e)
{
    unsigned need = (c->lanes != 1 || c->keep ? GV_MODE_LANES : 0u) | (c->humanize ? GV_MODE_HUMANIZE : 0u);
    return gv_config_need(&m->cfg, need, e);
}

int gv_gen_chunks(const gv_config *c, int steps) { return (steps + c->steps - 1) / c->steps; }

/* A seed for another stream, decorrelated through the generator's own
 * seeding (splitmix64) rather than a second hash. */
static uint64_t derive(uint64_t seed, uint64_t salt)
{
    gv_rng r;
    gv_rng_seed(&r, seed ^ salt);
    uint64_t hi = gv_rng_u32(&r);
    return ((hi << 32) | gv_rng_u32(&r)) & SEED_MASK;
}

uint64_t gv_gen_seed(uint64_t seed, int i) { return i ? derive(seed, (uint64_t)i * SALT_SUGGESTION) : seed; }

uint64_t gv_gen_chunk_seed(uint64_t seed, int chunk)
{
    return chunk ? derive(seed, ((uint64_t)chunk << 32) ^ SALT_CHUNK) : seed;
}

gv_gen_ws *gv_gen_ws_new(const gv_config *c, int max_n)
{
    if (max_n < 1)
        max_n = 1;
    gv_gen_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->T = c->steps > 0 ? c->steps : GV_MODEL_STEPS;
    size_t T = (size_t)ws->T, cells = (size_t)max_n * T * GV_VOICES;
    ws->max_n = max_n;
    ws->maxc = (GV_MAX_STEPS + ws->T - 1) / ws->T;
    ws->L = c->latent_dim;
    ws->F = c->src_features;
    ws->infer = gv_infer_ws_new(c, max_n);
    ws->src = malloc((size_t)max_n * T * ws->F * sizeof(float));
    ws->hit_p = malloc(3 * cells * sizeof(float));
    ws->mu = malloc(2 * (size_t)ws->maxc * c->latent_dim * sizeof(float));
    ws->csrc = malloc((size_t)ws->maxc * T * ws->F * sizeof(float));
    ws->chvo = malloc(((size_t)ws->maxc * T + GV_MODEL_STEPS) * GV_COND_HVO * sizeof(float));
    if (!ws->infer || !ws->src || !ws->hit_p || !ws->mu || !ws->csrc || !ws->chvo) {
        gv_gen_ws_free(ws);
        return NULL;
    }
    ws->vel = ws->hit_p + cells;
    ws->off = ws->vel + cells;
    ws->logvar = ws->mu + (size_t)ws->maxc * c->latent_dim;
    return ws;
}

void gv_gen_ws_free(gv_gen_ws *ws)
{
    if (!ws)
        return;
    gv_infer_ws_free(ws->infer);
    free(ws->src);
    free(ws->hit_p);
    free(ws->mu);
    free(ws->csrc);
    free(ws->chvo);
    free(ws);
}

/* The input's chunks into ws->chvo and, as the model reads them under c,
 * ws->csrc: a conditioned transformer's features (engine/cond.h); a
 * recurrent model's first F of each step's 27 (9: the hits; 27: the whole
 * step), as the trainer gives them (trainer/rnn_train.c); else the groove. */
static void input_chunks(const gv_model *m, const gv_pattern *p, const gv_cond *c, gv_gen_ws *ws)
{
    int T = ws->T, C = gv_gen_chunks(&m->cfg, p->steps), F = m->cfg.src_features;
    float groove[GV_MAX_STEPS * GV_SRC_FEATURES];
    if (F == GV_SRC_FEATURES)
        gv_pattern_groove(p, groove);
    for (int k = 0; k < C; k++) {
        float *hvo = ws->chvo + (size_t)k * T * GV_COND_HVO, *s = ws->csrc + (size_t)k * T * F;
        for (int b = 0; b < T; b += GV_MODEL_STEPS) /* 32 steps a call */
            gv_cond_hvo(p, k * T + b, hvo + (size_t)b * GV_COND_HVO);
        if (F == GV_COND_FEATURES) {
            gv_cond_features(c, hvo, s);
            continue;
        }
        if (F != GV_SRC_FEATURES) {
            for (int t = 0; t < T; t++)
                memcpy(s + (size_t)t * F, hvo + (size_t)t * GV_COND_HVO, (size_t)F * sizeof(float));
            continue;
        }
        int first = k * T, len = p->steps - first < T ? p->steps - first : T;
        memcpy(s, groove + first * GV_SRC_FEATURES, (size_t)len * GV_SRC_FEATURES * sizeof(float));
        memset(s + len * GV_SRC_FEATURES, 0, (size_t)(T - len) * GV_SRC_FEATURES * sizeof(float));
    }
}

void gv_gen_encode_cond(const gv_model *m, const gv_pattern *p, const gv_cond *c, float *mu, float *logvar,
                        gv_gen_ws *ws)
{
    input_chunks(m, p, c, ws);
    int C = gv_gen_chunks(&m->cfg, p->steps), L = m->cfg.latent_dim;
    for (int c0 = 0; c0 < C; c0 += ws->max_n) {
        int nb = C - c0 < ws->max_n ? C - c0 : ws->max_n;
        gv_model_encode(m, ws->csrc + (size_t)c0 * ws->T * ws->F, nb, mu + (size_t)c0 * L, logvar + (size_t)c0 * L,
                        ws->infer);
    }
}

void gv_gen_encode(const gv_model *m, const gv_pattern *p, float *mu, float *logvar, gv_gen_ws *ws)
{
    gv_cond c;
    gv_cond_default(&c);
    gv_gen_encode_cond(m, p, &c, mu, logvar, ws);
}

void gv_gen_latents(const float *mu, const float *logvar, int C, int L, int n, const gv_gen_opts *o, float *z)
{
    for (int i = 0; i < n; i++) {
        uint64_t s = gv_gen_seed(o->seed, i);
        for (int c = 0; c < C; c++) {
            float *zi = z + ((size_t)i * C + c) * L;
            const float *m = mu ? mu + (size_t)c * L : NULL, *lv = logvar ? logvar + (size_t)c * L : NULL;
            gv_rng r;
            gv_rng_seed(&r, gv_gen_chunk_seed(s, c));
            for (int l = 0; l < L; l++) {
                float base = m ? m[l] : 0.f;
                if (o->temperature == 0) {
                    zi[l] = base; /* no noise drawn: exp(logvar/2) may be inf */
                    continue;
                }
                float sigma = lv ? expf(0.5f * lv[l]) : 1.f;
                zi[l] = base + sigma * o->temperature * gv_rng_normal(&r);
            }
        }
    }
}

void gv_gen_prior_latents(const gv_model *m, int C, int n, const gv_gen_opts *o, float *z)
{
    int K = m->cfg.prior_components, L = m->cfg.latent_dim;
    if (!K) {
        gv_gen_latents(NULL, NULL, C, L, n, o, z);
        return;
    }
    gv_layout lay;
    gv_layout_build(&m->cfg, &lay, NULL);
    const float *lg = m->params + lay.prior_logits, *mean = m->params + lay.prior_mean;
    const float *lv = m->params + lay.prior_logvar;
    double w[GV_PRIOR_MAX_COMPONENTS], mx = lg[0], sum = 0;
    for (int k = 1; k < K; k++)
        mx = lg[k] > mx ? lg[k] : mx;
    for (int k = 0; k < K; k++)
        sum += w[k] = exp((double)lg[k] - mx);
    for (int i = 0; i < n; i++) {
        uint64_t s = gv_gen_seed(o->seed, i);
        for (int c = 0; c < C; c++) {
            gv_rng r;
            gv_rng_seed(&r, derive(gv_gen_chunk_seed(s, c), SALT_PRIOR));
            double u = gv_rng_uniform(&r) * sum;
            int k = 0;
            for (; k < K - 1 && u >= w[k]; k++)
                u -= w[k];
            float *zi = z + ((size_t)i * C + c) * L;
            for (int l = 0; l < L; l++) {
                float base = mean[(size_t)k * L + l];
                zi[l] = o->temperature == 0
                            ? base
                            : base + expf(0.5f * lv[(size_t)k * L + l]) * o->temperature * gv_rng_normal(&r);
            }
        }
    }
}

void gv_gen_hits(const gv_config *c, const float *hit_p, const float *vel, const float *off,
                 const gv_gen_opts *o, uint64_t chunk_seed, gv_pattern *out, int step0, int nsteps)
{
    int bern = o->sampling == GV_SAMPLING_BERNOULLI && o->temperature > 0;
    float thr[GV_VOICES], dens[GV_VOICES];
    for (int v = 0; v < GV_VOICES; v++) {
        dens[v] = o->density * o->voice_density[v]; /* x 1 is exact: the same hits as before */
        thr[v] = powf(c->thresholds[v], dens[v]);
    }
    gv_rng r;
    if (bern)
        gv_rng_seed(&r, derive(chunk_seed, SALT_HITS));
    uint8_t hit[GV_MAX_STEPS][GV_VOICES];
    for (int t = 0; t < c->steps; t++)
        for (int v = 0; v < GV_VOICES; v++) {
            float p = hit_p[t * GV_VOICES + v];
            if (bern && c->empty_weight != 1.0f) { /* the decoder's p of a weighted BCE, back to a rate */
                float w = c->empty_weight;
                p = w * p / (1.f - p + w * p);
            }
            /* One draw per cell whatever is kept, so every cell's draw is fixed by the seed. */
            float u = bern ? gv_rng_uniform(&r) : 0.f;
            hit[t][v] = t < nsteps && (bern ? powf(u, dens[v]) < p : p >= thr[v]);
        }
    for (int v = 0; v < GV_VOICES; v++) {
        if (o->max_hits[v] < 0)
            continue;
        int count = 0;
        for (int t = 0; t < nsteps; t++)
            count += hit[t][v];
        for (; count > o->max_hits[v]; count--) {
            int drop = -1; /* least probable; the later step on ties */
            for (int t = 0; t < nsteps; t++)
                if (hit[t][v] && (drop < 0 || hit_p[t * GV_VOICES + v] <= hit_p[drop * GV_VOICES + v]))
                    drop = t;
            hit[drop][v] = 0;
        }
    }
    for (int t = 0; t < nsteps; t++)
        for (int v = 0; v < GV_VOICES; v++)
            if (hit[t][v]) {
                float ve = vel[t * GV_VOICES + v];
                gv_pattern_set(out, step0 + t, v, 1, ve > 1.f / 127 ? ve : 1.f / 127, off[t * GV_VOICES + v]);
            }
}

static int check_steps(const gv_model *m, int steps, gv_err *e)
{
    if (m->cfg.steps < GV_MODEL_STEPS || m->cfg.steps % GV_MODEL_STEPS)
        return gv_failc(e, GV_E_MODEL, "a %d-step model: generation takes models of 2, 4, 6... bars", m->cfg.steps);
    if (steps < GV_MIN_STEPS || steps > GV_MAX_STEPS || steps % GV_STEPS_PER_BAR)
        return gv_fail(e, "%d steps: need a multiple of %d in %d..%d", steps, GV_STEPS_PER_BAR, GV_MIN_STEPS,
                       GV_MAX_STEPS);
    return 0;
}

/* One chunk of a conditioned suggestion from its decoder outputs: what was
 * given held, the hits, then the lanes' taps filled and what was given put
 * back (engine/cond.h, 32 steps at a time), written over steps
 * [step0, step0 + len). */
static void cond_chunk(const gv_config *cfg, const float *hvo, float *hp, const float *vel, const float *off,
                       const gv_gen_opts *o, uint64_t chunk_seed, gv_pattern *out, int step0, int len)
{
    const size_t H = GV_COND_HVO, V = GV_VOICES;
    for (int b = 0; b < cfg->steps; b += GV_MODEL_STEPS)
        gv_cond_hold(&o->cond, hvo + b * H, hp + b * V);
    gv_gen_hits(cfg, hp, vel, off, o, chunk_seed, out, step0, len);
    for (int b = 0; b < len; b += GV_MODEL_STEPS) {
        float got[GV_MODEL_STEPS * GV_COND_HVO];
        gv_cond_hvo(out, step0 + b, got);
        if (o->density >= 1.f) /* below 1 the player asked for fewer hits than taps */
            gv_cond_fill(&o->cond, hvo + b * H, hp + b * V, vel + b * V, off + b * V, o->max_hits, got);
        gv_cond_restore(&o->cond, hvo + b * H, vel + b * V, off + b * V, got);
        for (int t = 0; t < len - b && t < GV_MODEL_STEPS; t++)
            for (int v = 0; v < GV_VOICES; v++) {
                const float *g = got + t * GV_COND_HVO;
                gv_pattern_set(out, step0 + b + t, v, g[v] > 0.5f, g[GV_VOICES + v], g[2 * GV_VOICES + v]);
            }
    }
}

/* gv_gen_decode, and with `given` (gv_generate) the input's chunks in ws
 * (input_chunks) that a conditioned model's decoder reads and its
 * suggestions honour. */
static int decode(const gv_model *m, const float *z, int n, int steps, float bpm, const gv_gen_opts *o, int given,
                  gv_pattern *out, gv_gen_ws *ws, gv_err *e)
{
    if (n < 1)
        return gv_fail(e, "need at least one latent");
    if (check_steps(m, steps, e) || gv_gen_opts_check(o, e) || gv_gen_cond_supported(m, &o->cond, e))
        return -1;
    int C = gv_gen_chunks(&m->cfg, steps), L = m->cfg.latent_dim, F = m->cfg.src_features, T = ws->T;
    /* humanize holds the input's hits whatever the model reads (a recurrent one: the hits alone) */
    int cond = given && (F == GV_COND_FEATURES || o->cond.humanize);
    if (ws->L != L || ws->F != F || T != m->cfg.steps)
        return gv_fail(e, "workspace made for latent_dim %d, %d inputs and %d steps, model has %d, %d and %d", ws->L,
                       ws->F, T, L, F, m->cfg.steps);
    for (int i = 0; i < n; i++)
        gv_pattern_init(&out[i], steps, bpm, "");
    int rows = n * C;
    size_t S = (size_t)T * F;
    for (int r0 = 0; r0 < rows; r0 += ws->max_n) {
        int nb = rows - r0 < ws->max_n ? rows - r0 : ws->max_n;
        for (int j = 0; cond && j < nb; j++)
            memcpy(ws->src + j * S, ws->csrc + (size_t)((r0 + j) % C) * S, S * sizeof(float));
        gv_model_decode_cond(m, z + (size_t)r0 * L, cond ? ws->src : NULL, nb, ws->hit_p, ws->vel, ws->off,
                             ws->infer);
        for (int j = 0; j < nb; j++) {
            int i = (r0 + j) / C, c = (r0 + j) % C;
            int len = steps - c * T < T ? steps - c * T : T;
            size_t at = (size_t)j * T * GV_VOICES;
            uint64_t cs = gv_gen_chunk_seed(gv_gen_seed(o->seed, i), c);
            if (!cond) {
                gv_gen_hits(&m->cfg, ws->hit_p + at, ws->vel + at, ws->off + at, o, cs, &out[i], c * T, len);
                continue;
            }
            const float *hvo = ws->chvo + (size_t)c * T * GV_COND_HVO;
            cond_chunk(&m->cfg, hvo, ws->hit_p + at, ws->vel + at, ws->off + at, o, cs, &out[i], c * T, len);
        }
    }
    return 0;
}

int gv_gen_decode(const gv_model *m, const float *z, int n, int steps, float bpm, const gv_gen_opts *o,
                  gv_pattern *out, gv_gen_ws *ws, gv_err *e)
{
    return decode(m, z, n, steps, bpm, o, 0, out, ws, e);
}

/* The checks gv_generate and gv_generate_z share. */
static int drumify_check(const gv_model *m, const gv_pattern *in, int n, const gv_gen_opts *o, gv_gen_ws *ws,
                         gv_err *e)
{
    if (n < 1)
        return gv_fail(e, "need at least one suggestion");
    if (check_steps(m, in->steps, e) || gv_gen_opts_check(o, e))
        return -1;
    if (ws->L != m->cfg.latent_dim || ws->T != m->cfg.steps)
        return gv_fail(e, "workspace made for latent_dim %d and %d steps, model has %d and %d", ws->L, ws->T,
                       m->cfg.latent_dim, m->cfg.steps);
    return gv_gen_cond_supported(m, &o->cond, e);
}

/* Drums for in from latents z[n][C*L] (ws holds in's conditioning): decode,
 * then the player's feel and the kept voices. */
static int drums(const gv_model *m, const gv_pattern *in, int n, const gv_gen_opts *o, const float *z,
                 gv_pattern *out, gv_gen_ws *ws, gv_err *e)
{
    if (decode(m, z, n, in->steps, in->bpm, o, 1, out, ws, e) != 0)
        return -1;
    if (o->cond.humanize) /* the feel is what humanize writes: the input's is flat */
        return 0;
    float hvo[GV_MAX_STEPS * GV_SRC_FEATURES];
    gv_pattern_groove(in, hvo);
    gv_feel f = gv_feel_resolve(o->feel, hvo, in->steps);
    unsigned keep = o->cond.keep;
    for (int i = 0; i < n; i++) {
        gv_feel_pattern(f, hvo, &out[i]);
        for (int t = 0; keep && t < in->steps; t++) /* kept voices as played, whatever the feel did */
            for (int v = 0; v < GV_VOICES; v++)
                if (keep >> v & 1u)
                    gv_pattern_set(&out[i], t, v, in->hit[t][v], in->vel[t][v], in->off[t][v]);
    }
    return 0;
}

int gv_generate(const gv_model *m, const gv_pattern *in, int n, const gv_gen_opts *o, gv_pattern *out,
                float *z, gv_gen_ws *ws, gv_err *e)
{
    if (drumify_check(m, in, n, o, ws, e))
        return -1;
    gv_gen_encode_cond(m, in, &o->cond, ws->mu, ws->logvar, ws);
    gv_gen_latents(ws->mu, ws->logvar, gv_gen_chunks(&m->cfg, in->steps), m->cfg.latent_dim, n, o, z);
    return drums(m, in, n, o, z, out, ws, e);
}

int gv_generate_z(const gv_model *m, const gv_pattern *in, const float *z, const gv_gen_opts *o, gv_pattern *out,
                  gv_gen_ws *ws, gv_err *e)
{
    if (drumify_check(m, in, 1, o, ws, e))
        return -1;
    gv_gen_encode_cond(m, in, &o->cond, ws->mu, ws->logvar, ws); /* the decoder's conditioning */
    return drums(m, in, 1, o, z, out, ws, e);
}

void gv_slerp(const float *a, const float *b, int L, float t, float *out)
{
    double dot = 0, na = 0, nb = 0;
    for (int l = 0; l < L; l++) {
        dot += (double)a[l] * b[l];
        na += (double)a[l] * a[l];
        nb += (double)b[l] * b[l];
    }
    double ka = 1.0 - t, kb = t; /* linear unless the angle is well defined */
    if (na > 0 && nb > 0) {
        double cw = dot / sqrt(na * nb);
        double w = acos(cw < -1 ? -1 : cw > 1 ? 1 : cw), s = sin(w);
        if (s > 1e-6) {
            ka = sin((1.0 - t) * w) / s;
            kb = sin(t * w) / s;
        }
    }
    for (int l = 0; l < L; l++)
        out[l] = (float)(ka * a[l] + kb * b[l]);
}

void gv_gen_interpolate(const float *a, const float *b, int C, int L, int K, float *z)
{
    for (int k = 0; k < K; k++) {
        float t = K > 1 ? (float)k / (float)(K - 1) : 0.f;
        for (int c = 0; c < C; c++)
            gv_slerp(a + (size_t)c * L, b + (size_t)c * L, L, t, z + ((size_t)k * C + c) * L);
    }
}

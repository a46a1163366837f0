/* prior.c - the fitted mixture prior and the measures of its samples (trainer/prior.h). */
#include "trainer/prior.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/generate.h"
#include "kernels/rng.h"

#define VAR_FLOOR 1e-3
#define MAX_ROUNDS 100
#define BATCH 256

/* One latent per window drawn from its posterior: x[n][L]. */
static int posterior_draws(const gv_model *m, const gv_windows *w, uint64_t seed, float *x, gv_err *e)
{
    int L = m->cfg.latent_dim, F = m->cfg.src_features;
    size_t S = (size_t)GV_WIN_STEPS * F;
    gv_infer_ws *ws = gv_infer_ws_new(&m->cfg, BATCH);
    float *src = malloc(BATCH * S * sizeof *src), *lv = malloc((size_t)BATCH * L * sizeof *lv);
    int rc = 0;
    if (!ws || !src || !lv) {
        rc = gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    gv_cond one; /* as `groove sample` decodes: the decoder not told the groove */
    gv_cond_default(&one);
    one.blind = 1;
    gv_rng r;
    gv_rng_seed(&r, seed);
    for (int i = 0; i < w->n; i += BATCH) {
        int N = w->n - i < BATCH ? w->n - i : BATCH;
        for (int j = 0; j < N; j++)
            gv_window_src(w, i + j, &one, F, src + (size_t)j * S);
        float *mu = x + (size_t)i * L;
        gv_model_encode(m, src, N, mu, lv, ws);
        for (size_t k = 0; k < (size_t)N * L; k++)
            mu[k] += expf(0.5f * lv[k]) * gv_rng_normal(&r);
    }
out:
    gv_infer_ws_free(ws);
    free(src);
    free(lv);
    return rc;
}

/* EM's start: K distinct seeded points of x as means, each with the data's
 * overall variance (floored), equal weights. */
static void em_start(const float *x, int n, int L, int K, uint64_t seed, double *w, double *mean, double *var)
{
    double gmean[4096] = {0}, gvar[4096] = {0}; /* L <= config's MAX_DIM 2048 */
    for (int i = 0; i < n; i++)
        for (int d = 0; d < L; d++)
            gmean[d] += x[(size_t)i * L + d] / n;
    for (int i = 0; i < n; i++)
        for (int d = 0; d < L; d++) {
            double t = x[(size_t)i * L + d] - gmean[d];
            gvar[d] += t * t / n;
        }
    gv_rng r;
    gv_rng_seed(&r, seed ^ 0x9d2c5680u);
    int picked[GV_PRIOR_MAX_COMPONENTS];
    for (int k = 0; k < K; k++) { /* K seeded points, distinct indices (n >= K) */
        int pick, dup;
        do {
            pick = (int)gv_rng_below(&r, (uint32_t)n);
            dup = 0;
            for (int j = 0; j < k; j++)
                dup |= picked[j] == pick;
        } while (dup);
        picked[k] = pick;
        for (int d = 0; d < L; d++) {
            mean[(size_t)k * L + d] = x[(size_t)pick * L + d];
            var[(size_t)k * L + d] = gvar[d] > VAR_FLOOR ? gvar[d] : VAR_FLOOR;
        }
        w[k] = 1.0 / K;
    }
}

/* E step: resp[n][K], the responsibilities; returns the mean log-likelihood. */
static double em_expect(const float *x, int n, int L, int K, const double *w, const double *mean,
                        const double *var, double *resp)
{
    double ll = 0, lc[GV_PRIOR_MAX_COMPONENTS];
    for (int k = 0; k < K; k++) {
        lc[k] = log(w[k]);
        for (int d = 0; d < L; d++)
            lc[k] -= 0.5 * log(2 * M_PI * var[(size_t)k * L + d]);
    }
    for (int i = 0; i < n; i++) {
        double *ri = resp + (size_t)i * K, mx = -DBL_MAX;
        const float *xi = x + (size_t)i * L;
        for (int k = 0; k < K; k++) {
            double q = lc[k];
            const double *mk = mean + (size_t)k * L, *vk = var + (size_t)k * L;
            for (int d = 0; d < L; d++) {
                double t = xi[d] - mk[d];
                q -= 0.5 * t * t / vk[d];
            }
            ri[k] = q;
            mx = q > mx ? q : mx;
        }
        double s = 0;
        for (int k = 0; k < K; k++)
            s += ri[k] = exp(ri[k] - mx);
        for (int k = 0; k < K; k++)
            ri[k] /= s;
        ll += mx + log(s);
    }
    return ll / n;
}

/* M step for component k: its weight, mean and (floored) variance. */
static void em_maximise(const float *x, int n, int L, int K, int k, const double *resp, double *w, double *mean,
                        double *var)
{
    double nk = 1e-12;
    for (int i = 0; i < n; i++)
        nk += resp[(size_t)i * K + k];
    double *mk = mean + (size_t)k * L, *vk = var + (size_t)k * L;
    memset(mk, 0, (size_t)L * sizeof *mk);
    memset(vk, 0, (size_t)L * sizeof *vk);
    for (int i = 0; i < n; i++) {
        double rk = resp[(size_t)i * K + k];
        for (int d = 0; d < L; d++)
            mk[d] += rk * x[(size_t)i * L + d];
    }
    for (int d = 0; d < L; d++)
        mk[d] /= nk;
    for (int i = 0; i < n; i++) {
        double rk = resp[(size_t)i * K + k];
        for (int d = 0; d < L; d++) {
            double t = x[(size_t)i * L + d] - mk[d];
            vk[d] += rk * t * t;
        }
    }
    for (int d = 0; d < L; d++)
        vk[d] = vk[d] / nk > VAR_FLOOR ? vk[d] / nk : VAR_FLOOR;
    w[k] = nk / n;
}

/* EM for a K-component diagonal mixture on x[n][L]: until the mean
 * log-likelihood gains less than 1e-5 of itself, or MAX_ROUNDS. */
static void em(const float *x, int n, int L, int K, uint64_t seed, double *w, double *mean, double *var, double *resp)
{
    em_start(x, n, L, K, seed, w, mean, var);
    double prev = -DBL_MAX;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        double ll = em_expect(x, n, L, K, w, mean, var, resp);
        for (int k = 0; k < K; k++)
            em_maximise(x, n, L, K, k, resp, w, mean, var);
        if (ll - prev < 1e-5 * fabs(ll) && round > 0)
            break;
        prev = ll;
    }
}

int gv_prior_fit(gv_model *m, const gv_windows *w, int K, uint64_t seed, gv_err *e)
{
    int L = m->cfg.latent_dim;
    if (K < 1 || K > GV_PRIOR_MAX_COMPONENTS)
        return gv_fail(e, "prior components %d: expected 1..%d", K, GV_PRIOR_MAX_COMPONENTS);
    if (w->n < K)
        return gv_fail(e, "%d windows: too few for a prior of %d components", w->n, K);
    if (L > 4096)
        return gv_fail(e, "latent_dim %d too large for the prior fit", L);
    float *x = malloc((size_t)w->n * L * sizeof *x);
    double *wk = malloc((size_t)K * sizeof *wk), *mean = malloc((size_t)K * L * sizeof *mean);
    double *var = malloc((size_t)K * L * sizeof *var), *resp = malloc((size_t)w->n * K * sizeof *resp);
    float *lg = malloc((size_t)K * sizeof *lg), *mf = malloc((size_t)K * L * sizeof *mf);
    float *lvf = malloc((size_t)K * L * sizeof *lvf);
    int rc = -1;
    if (!x || !wk || !mean || !var || !resp || !lg || !mf || !lvf) {
        gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    if (posterior_draws(m, w, seed, x, e))
        goto out;
    em(x, w->n, L, K, seed, wk, mean, var, resp);
    for (int k = 0; k < K; k++)
        lg[k] = (float)log(wk[k] > 1e-30 ? wk[k] : 1e-30);
    for (size_t i = 0; i < (size_t)K * L; i++) {
        mf[i] = (float)mean[i];
        lvf[i] = (float)log(var[i]);
    }
    rc = gv_model_set_prior(m, K, lg, mf, lvf, e);
out:
    free(x), free(wk), free(mean), free(var), free(resp), free(lg), free(mf), free(lvf);
    return rc;
}

/* A window's hits as 9 bit masks (bit t: step t). */
static void masks_of_tgt(const float *tgt, uint32_t *mk)
{
    for (int v = 0; v < GV_VOICES; v++) {
        mk[v] = 0;
        for (int t = 0; t < GV_WIN_STEPS; t++)
            mk[v] |= (tgt[t * 27 + v] > 0.5f ? 1u : 0u) << t;
    }
}

static void masks_of_pattern(const gv_pattern *p, uint32_t *mk)
{
    for (int v = 0; v < GV_VOICES; v++) {
        mk[v] = 0;
        for (int t = 0; t < GV_WIN_STEPS && t < p->steps; t++)
            mk[v] |= (p->hit[t][v] ? 1u : 0u) << t;
    }
}

static double best_f1(const uint32_t *q, const uint32_t *db, int n)
{
    int nq = 0;
    for (int v = 0; v < GV_VOICES; v++)
        nq += __builtin_popcount(q[v]);
    double best = 0;
    for (int j = 0; j < n; j++) {
        const uint32_t *d = db + (size_t)j * GV_VOICES;
        int tp = 0, nd = 0;
        for (int v = 0; v < GV_VOICES; v++) {
            tp += __builtin_popcount(q[v] & d[v]);
            nd += __builtin_popcount(d[v]);
        }
        double f = nq + nd ? 2.0 * tp / (nq + nd) : 1.0;
        best = f > best ? f : best;
    }
    return best;
}

int gv_eval_sample(const gv_model *m, const gv_windows *train, int n, float T, uint64_t seed, int use_prior,
                   int bernoulli, gv_sample_stats *s, gv_err *e)
{
    memset(s, 0, sizeof *s);
    if (n < 1 || train->n < 1)
        return gv_fail(e, "need samples and training windows");
    int L = m->cfg.latent_dim;
    float *z = malloc((size_t)n * L * sizeof *z);
    gv_pattern *out = malloc((size_t)n * sizeof *out);
    uint32_t *db = malloc((size_t)train->n * GV_VOICES * sizeof *db);
    gv_gen_ws *ws = gv_gen_ws_new(&m->cfg, n < 64 ? n : 64);
    int rc = -1;
    if (!z || !out || !db || !ws) {
        gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.temperature = T;
    o.seed = seed;
    o.sampling = bernoulli ? GV_SAMPLING_BERNOULLI : GV_SAMPLING_THRESHOLD;
    if (use_prior)
        gv_gen_prior_latents(m, 1, n, &o, z);
    else
        gv_gen_latents(NULL, NULL, 1, L, n, &o, z);
    if (gv_gen_decode(m, z, n, GV_WIN_STEPS, 120.f, &o, out, ws, e))
        goto out;
    for (int j = 0; j < train->n; j++) {
        masks_of_tgt(train->tgt + (size_t)j * GV_TGT_DIM, db + (size_t)j * GV_VOICES);
        for (int v = 0; v < GV_VOICES; v++)
            s->data_density[v] += __builtin_popcount(db[(size_t)j * GV_VOICES + v]) / (double)train->n;
    }
    const uint32_t backbeat = 1u << 4 | 1u << 12 | 1u << 20 | 1u << 28;
    const int low_mid[4] = {GV_SNARE, GV_LTOM, GV_MTOM, GV_HTOM};
    int bb = 0, rep = 0;
    for (int i = 0; i < n; i++) {
        uint32_t q[GV_VOICES];
        masks_of_pattern(&out[i], q);
        for (int v = 0; v < GV_VOICES; v++)
            s->density[v] += __builtin_popcount(q[v]) / (double)n;
        int on_bb = 0;
        for (int j = 0; j < 4; j++)
            on_bb |= (q[low_mid[j]] & backbeat) != 0;
        bb += q[GV_KICK] != 0 && on_bb;
        rep += best_f1(q, db, train->n) >= 0.9;
    }
    for (int v = 0; v < GV_VOICES; v++)
        s->voices_within += fabs(s->density[v] - s->data_density[v]) <= 0.25 * s->data_density[v];
    s->samples = n;
    s->backbeat = (double)bb / n;
    s->replayed = (double)rep / n;
    rc = 0;
out:
    free(z);
    free(out);
    free(db);
    gv_gen_ws_free(ws);
    return rc;
}

#include "trainer/eval.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "engine/ops.h"
#include "patterns/lanes.h"


#define CHUNK 256
#define NGRID 49 /* thresholds 0.02, 0.04, ..., 0.98 */
#define ALL_VOICES ((1u << GV_VOICES) - 1)

typedef struct acc {
    long tp[GV_VOICES], fp[GV_VOICES], fn[GV_VOICES], cells, correct, empty;
    double vel_err, off_err;
    long rtp, rfp, rfn;
    double div_sum;
    long div_n;
} acc;

void gv_eval_opts_default(gv_eval_opts *o)
{
    o->suggestions = 8;
    o->temperature = 1.0f;
    o->seed = 1;
    o->max_windows = 0;
    o->feel = (gv_feel){GV_FEEL_AUTO, GV_FEEL_AUTO};
    o->threads = 1;
    gv_cond_default(&o->cond);
}

static double f1_of(long tp, long fp, long fn) { return tp ? 2.0 * tp / (2.0 * tp + fp + fn) : 0.0; }

/* pred and tgt: [32][27] (hit, vel, off blocks of 9); src: the groove [32][3].
 * Cells of the voices in `voices` are scored; rhythm looks at every voice. */
static void score_of(acc *a, const float *pred, const float *tgt, const float *src, unsigned voices)
{
    for (int s = 0; s < GV_WIN_STEPS; s++) {
        int any = 0;
        for (int v = 0; v < GV_VOICES; v++) {
            const float *p = pred + s * 27, *t = tgt + s * 27;
            int ph = p[v] > 0.5f, th = t[v] > 0.5f;
            any |= ph;
            if (!(voices >> v & 1u))
                continue;
            a->tp[v] += ph && th;
            a->fp[v] += ph && !th;
            a->fn[v] += !ph && th;
            a->correct += ph == th;
            a->empty += !th;
            a->cells++;
            if (ph && th) {
                a->vel_err += fabsf(p[9 + v] - t[9 + v]);
                a->off_err += fabsf(p[18 + v] - t[18 + v]);
            }
        }
        int g = src[3 * s] > 0.5f;
        a->rtp += any && g;
        a->rfp += any && !g;
        a->rfn += !any && g;
    }
}

static void score(acc *a, const float *pred, const float *tgt, const float *src)
{
    score_of(a, pred, tgt, src, ALL_VOICES);
}

static void finish(const acc *a, int windows, gv_eval_result *r)
{
    memset(r, 0, sizeof *r);
    r->windows = windows;
    long tp = 0, fp = 0, fn = 0;
    for (int v = 0; v < GV_VOICES; v++) {
        tp += a->tp[v];
        fp += a->fp[v];
        fn += a->fn[v];
        r->f1_voice[v] = f1_of(a->tp[v], a->fp[v], a->fn[v]);
    }
    r->precision = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    r->recall = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    r->f1 = f1_of(tp, fp, fn);
    r->hit_acc = a->cells ? (double)a->correct / (double)a->cells : 0;
    r->empty_acc = a->cells ? (double)a->empty / (double)a->cells : 0;
    r->vel_mae = tp ? a->vel_err / (double)tp : 0;
    r->off_mae = tp ? a->off_err / (double)tp : 0;
    r->vel_mae_own = r->vel_mae;
    r->off_mae_own = r->off_mae;
    r->rhythm_f1 = f1_of(a->rtp, a->rfp, a->rfn);
    r->diversity = a->div_n ? a->div_sum / (double)a->div_n : -1;
    r->kept_changed = r->off_lane = -1;
}

/* The windows scored: all, or max_windows evenly spaced. */
static int pick(const gv_windows *w, const gv_eval_opts *o, int i)
{
    if (o->max_windows <= 0 || o->max_windows >= w->n)
        return i;
    return (int)((long)i * w->n / o->max_windows);
}

static int count_of(const gv_windows *w, const gv_eval_opts *o)
{
    return o->max_windows <= 0 || o->max_windows >= w->n ? w->n : o->max_windows;
}

/* What the model is given of window wi under c, in the tgt layout: the
 * window itself, or for humanize its quantized copy (every hit at velocity
 * 0.7, offset 0), as a programmed beat would come. */
static void window_input(const gv_windows *w, int wi, const gv_cond *c, float *hvo)
{
    memcpy(hvo, w->tgt + (size_t)wi * GV_TGT_DIM, GV_TGT_DIM * sizeof(float));
    if (!c->humanize)
        return;
    for (int s = 0; s < GV_WIN_STEPS; s++)
        for (int v = 0; v < GV_VOICES; v++) {
            float *h = hvo + s * 27;
            h[9 + v] = h[v] > 0.5f ? 0.7f : 0.f;
            h[18 + v] = 0.f;
        }
}

/* Window wi's model input: its groove (a model of 3 src_features) or the
 * conditioned features of window_input. */
static void window_model_src(const gv_model *m, const gv_windows *w, int wi, const gv_cond *c, float *src)
{
    if (m->cfg.src_features != GV_COND_FEATURES || !c->humanize) {
        gv_window_src(w, wi, c, m->cfg.src_features, src);
        return;
    }
    float hvo[GV_TGT_DIM];
    window_input(w, wi, c, hvo);
    gv_cond_features(c, hvo, src);
}

/* Workers' scratch: an inference workspace and buffers each. */
typedef struct scratch {
    gv_infer_ws *ws;
    float *buf;
} scratch;

static void scratch_free(scratch *sc, int nw)
{
    for (int k = 0; sc && k < nw; k++) {
        if (sc[k].ws)
            gv_infer_ws_free(sc[k].ws);
        free(sc[k].buf);
    }
    free(sc);
}

/* nw workers' scratch: a workspace for batches of ws_n, floats floats. */
static scratch *scratch_new(const gv_model *m, int nw, int ws_n, size_t floats)
{
    scratch *sc = calloc((size_t)nw, sizeof *sc);
    for (int k = 0; sc && k < nw; k++)
        if (!(sc[k].ws = gv_infer_ws_new(&m->cfg, ws_n)) || !(sc[k].buf = malloc(floats * sizeof(float)))) {
            scratch_free(sc, nw);
            return NULL;
        }
    return sc;
}

typedef struct probs_job {
    const gv_model *m;
    const gv_windows *w;
    const gv_eval_opts *o;
    float *hp, *vel, *off;
    scratch *sc;
} probs_job;

/* Chunk ch (CHUNK windows) of model_probs on worker k: the same sums
 * whichever worker runs it. */
static void probs_chunk(void *arg, int ch, int k)
{
    probs_job *j = arg;
    const gv_model *m = j->m;
    int n = count_of(j->w, j->o), L = m->cfg.latent_dim, F = m->cfg.src_features, i = ch * CHUNK;
    int N = n - i < CHUNK ? n - i : CHUNK;
    size_t S = (size_t)GV_WIN_STEPS * F;
    float *src = j->sc[k].buf, *mu = src + (size_t)CHUNK * S, *lv = mu + (size_t)CHUNK * L;
    for (int q = 0; q < N; q++)
        window_model_src(m, j->w, pick(j->w, j->o, i + q), &j->o->cond, src + (size_t)q * S);
    gv_model_encode(m, src, N, mu, lv, j->sc[k].ws);
    size_t at = (size_t)i * GV_WIN_STEPS * GV_VOICES;
    gv_model_decode_cond(m, mu, src, N, j->hp + at, j->vel + at, j->off + at, j->sc[k].ws);
    for (int q = 0; F == GV_COND_FEATURES && q < N; q++) {
        float hvo[GV_TGT_DIM];
        window_input(j->w, pick(j->w, j->o, i + q), &j->o->cond, hvo);
        gv_cond_hold(&j->o->cond, hvo, j->hp + at + (size_t)q * GV_WIN_STEPS * GV_VOICES);
    }
}

/* Decoder outputs at z = mu for the picked windows: [n][32][9] each; a
 * conditioned model's hit probabilities held to what it was given
 * (gv_cond_hold), as generation holds them.  Chunks of CHUNK windows on
 * o->threads workers. */
static int model_probs(const gv_model *m, const gv_windows *w, const gv_eval_opts *o, float *hp, float *vel,
                       float *off, gv_err *e)
{
    int n = count_of(w, o), nch = (n + CHUNK - 1) / CHUNK;
    int nw = o->threads < 1 ? 1 : o->threads > nch ? (nch ? nch : 1) : o->threads;
    size_t floats = (size_t)CHUNK * ((size_t)GV_WIN_STEPS * m->cfg.src_features + 2 * (size_t)m->cfg.latent_dim);
    gv_pool *pool = nw > 1 ? gv_pool_new(nw) : NULL;
    nw = gv_pool_size(pool);
    probs_job j = {m, w, o, hp, vel, off, scratch_new(m, nw, CHUNK, floats)};
    if (!j.sc) {
        gv_pool_free(pool);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    gv_pool_for(pool, nch, probs_chunk, &j);
    scratch_free(j.sc, nw);
    gv_pool_free(pool);
    return 0;
}


/* Hits of one window's decoder outputs [32][9] by the model's thresholds
 * (engine/generate.h's threshold rule at density 1). */
static void threshold_hits(const gv_config *c, const float *hp, const float *vel, const float *off, float *pred)
{
    memset(pred, 0, GV_TGT_DIM * sizeof(float));
    for (int s = 0; s < GV_WIN_STEPS; s++)
        for (int v = 0; v < GV_VOICES; v++) {
            int i = s * GV_VOICES + v;
            if (hp[i] >= c->thresholds[v]) {
                pred[s * 27 + v] = 1.f;
                pred[s * 27 + 9 + v] = vel[i];
                pred[s * 27 + 18 + v] = off[i];
            }
        }
}

/* A conditioned model's suggestion from its (held) decoder outputs for the
 * input hvo (window_input), as gv_generate makes it: the hits, the lanes'
 * taps filled, what was given put back. */
static void cond_hits(const gv_model *m, const gv_cond *c, const float *hvo, const float *hp, const float *vel,
                      const float *off, float *pred)
{
    threshold_hits(&m->cfg, hp, vel, off, pred);
    if (m->cfg.src_features != GV_COND_FEATURES)
        return;
    gv_cond_fill(c, hvo, hp, vel, off, NULL, pred);
    gv_cond_restore(c, hvo, vel, off, pred);
}

/* The promises of a conditioned suggestion pred for the window tgt: kept
 * cells that differ from the input, and hits of the other voices where
 * their lane (the groove, with kept voices) has no tap. */
static void cond_checks(const gv_cond *c, const float *tgt, const float *pred, long *kept_changed, long *off_lane)
{
    float lanes[GV_WIN_STEPS * GV_MAX_LANES * 3];
    int nl = gv_cond_taps(c, tgt, lanes);
    for (int s = 0; s < GV_WIN_STEPS; s++)
        for (int v = 0; v < GV_VOICES; v++) {
            const float *p = pred + s * 27, *t = tgt + s * 27;
            if (c->keep >> v & 1u) {
                *kept_changed += (p[v] > 0.5f) != (t[v] > 0.5f) ||
                                 (t[v] > 0.5f && (p[9 + v] != t[9 + v] || p[18 + v] != t[18 + v]));
                continue;
            }
            *off_lane += !c->humanize && p[v] > 0.5f && lanes[(s * nl + gv_lane_of_voice(nl, v)) * 3] < 0.5f;
        }
}

/* The player's feel on one window's hits pred [32][27] from its groove. */
static void feel_window(gv_feel f, const float *src, float *pred)
{
    f = gv_feel_resolve(f, src, GV_WIN_STEPS);
    for (int s = 0; s < GV_WIN_STEPS; s++) {
        float *p = pred + s * 27;
        uint8_t hit[GV_VOICES];
        for (int v = 0; v < GV_VOICES; v++)
            hit[v] = p[v] > 0.5f;
        gv_feel_step(f, src + 3 * s, hit, p + 9, p + 18);
    }
}

static double jaccard_distance(const float *a, const float *b)
{
    long inter = 0, uni = 0;
    for (int s = 0; s < GV_WIN_STEPS; s++)
        for (int v = 0; v < GV_VOICES; v++) {
            int x = a[s * 27 + v] > 0.5f, y = b[s * 27 + v] > 0.5f;
            inter += x && y;
            uni += x || y;
        }
    return uni ? 1.0 - (double)inter / (double)uni : 0.0;
}

typedef struct div_job {
    const gv_model *m;
    const gv_windows *w;
    const gv_eval_opts *o;
    scratch *sc;
    double *d; /* per window */
} div_job;

/* Window i's diversity on worker k (its scratch: src [k][S], mu, lv [L],
 * z [k][L], hp, vel, off [k][32][9], pred [k][27 * 32]). */
static void div_window(void *arg, int i, int wk)
{
    div_job *j = arg;
    const gv_model *m = j->m;
    const gv_eval_opts *o = j->o;
    int k = o->suggestions, L = m->cfg.latent_dim, F = m->cfg.src_features, wi = pick(j->w, o, i);
    size_t S = (size_t)GV_WIN_STEPS * F, cells = (size_t)k * GV_WIN_STEPS * GV_VOICES;
    float *src = j->sc[wk].buf, *mu = src + (size_t)k * S, *lv = mu + L, *z = lv + L, *hp = z + (size_t)k * L;
    float *vel = hp + cells, *off = vel + cells, *pred = off + cells;
    gv_infer_ws *ws = j->sc[wk].ws;
    window_model_src(m, j->w, wi, &o->cond, src);
    for (int q = 1; q < k; q++)
        memcpy(src + (size_t)q * S, src, S * sizeof(float));
    gv_model_encode(m, src, 1, mu, lv, ws);
    gv_rng r;
    gv_rng_seed(&r, o->seed + (uint64_t)wi * 1000003u);
    for (int q = 0; q < k; q++)
        for (int d = 0; d < L; d++)
            z[q * L + d] = mu[d] + expf(0.5f * lv[d]) * o->temperature * gv_rng_normal(&r);
    gv_model_decode_cond(m, z, src, k, hp, vel, off, ws);
    float hvo[GV_TGT_DIM];
    window_input(j->w, wi, &o->cond, hvo);
    for (int q = 0; q < k; q++) {
        size_t at = (size_t)q * GV_WIN_STEPS * GV_VOICES;
        if (F == GV_COND_FEATURES)
            gv_cond_hold(&o->cond, hvo, hp + at);
        cond_hits(m, &o->cond, hvo, hp + at, vel + at, off + at, pred + (size_t)q * GV_TGT_DIM);
    }
    double sum = 0;
    for (int x = 0; x < k; x++)
        for (int y = x + 1; y < k; y++)
            sum += jaccard_distance(pred + (size_t)x * GV_TGT_DIM, pred + (size_t)y * GV_TGT_DIM);
    j->d[i] = sum / (k * (k - 1) / 2);
}

/* k suggestions per window: z = mu + exp(logvar/2) * T * eps (eps seeded per
 * window), decoded and thresholded; mean pairwise Jaccard distance.  The
 * windows on o->threads workers, summed in window order. */
static int diversity(const gv_model *m, const gv_windows *w, const gv_eval_opts *o, acc *a, gv_err *e)
{
    int k = o->suggestions, n = count_of(w, o), L = m->cfg.latent_dim;
    if (k < 2)
        return 0;
    int nw = o->threads < 1 ? 1 : o->threads > n ? (n ? n : 1) : o->threads;
    size_t cells = (size_t)k * GV_WIN_STEPS * GV_VOICES;
    size_t floats = (size_t)k * GV_WIN_STEPS * m->cfg.src_features + 2 * (size_t)L + (size_t)k * L + 3 * cells +
                    (size_t)k * GV_TGT_DIM;
    gv_pool *pool = nw > 1 ? gv_pool_new(nw) : NULL;
    nw = gv_pool_size(pool);
    div_job j = {m, w, o, scratch_new(m, nw, k, floats), malloc((size_t)(n ? n : 1) * sizeof(double))};
    int rc = 0;
    if (!j.sc || !j.d) {
        rc = gv_failc(e, GV_E_NOMEM, "out of memory");
    } else {
        gv_pool_for(pool, n, div_window, &j);
        for (int i = 0; i < n; i++) {
            a->div_sum += j.d[i];
            a->div_n++;
        }
    }
    scratch_free(j.sc, nw);
    free(j.d);
    gv_pool_free(pool);
    return rc;
}

int gv_eval_model(const gv_model *m, const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r, gv_err *e)
{
    int n = count_of(w, o);
    size_t cells = (size_t)(n ? n : 1) * GV_WIN_STEPS * GV_VOICES;
    float *hp = malloc(cells * sizeof(float)), *vel = malloc(cells * sizeof(float)), *off = malloc(cells * sizeof(float));
    float pred[GV_TGT_DIM];
    acc a, own;
    memset(&a, 0, sizeof a);
    memset(&own, 0, sizeof own);
    int rc = 0;
    if (!hp || !vel || !off) {
        rc = gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = model_probs(m, w, o, hp, vel, off, e)) != 0)
        goto out;
    /* kept voices are scored by their own check, not in F1 (they would only flatter) */
    unsigned scored = ALL_VOICES & ~o->cond.keep;
    long kept_changed = 0, off_lane = 0;
    for (int i = 0; i < n; i++) {
        size_t at = (size_t)i * GV_WIN_STEPS * GV_VOICES;
        int wi = pick(w, o, i);
        const float *src = w->src + (size_t)wi * GV_SRC_DIM, *tgt = w->tgt + (size_t)wi * GV_TGT_DIM;
        float hvo[GV_TGT_DIM];
        window_input(w, wi, &o->cond, hvo);
        cond_hits(m, &o->cond, hvo, hp + at, vel + at, off + at, pred);
        score_of(&own, pred, tgt, src, scored);
        if (!o->cond.humanize) /* humanize writes the feel: the input's is flat */
            feel_window(o->feel, src, pred);
        if (o->cond.keep) /* kept voices as played, whatever the feel did (as gv_generate) */
            gv_cond_restore(&o->cond, hvo, vel + at, off + at, pred);
        score_of(&a, pred, tgt, src, scored);
        cond_checks(&o->cond, tgt, pred, &kept_changed, &off_lane);
    }
    rc = diversity(m, w, o, &a, e);
    gv_eval_result r_own;
    finish(&own, n, &r_own);
    finish(&a, n, r);
    r->vel_mae_own = r_own.vel_mae;
    r->off_mae_own = r_own.off_mae;
    if (m->cfg.src_features == GV_COND_FEATURES) {
        r->kept_changed = o->cond.keep ? kept_changed : -1;
        r->off_lane = o->cond.humanize ? -1 : off_lane;
    }
out:
    free(hp);
    free(vel);
    free(off);
    return rc;
}

void gv_eval_nearest(const gv_windows *train, const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r)
{
    acc a;
    memset(&a, 0, sizeof a);
    int n = count_of(w, o);
    for (int i = 0; i < n; i++) {
        int wi = pick(w, o, i), best = 0;
        const float *q = w->src + (size_t)wi * GV_SRC_DIM;
        float bd = FLT_MAX;
        for (int j = 0; j < train->n; j++) {
            const float *c = train->src + (size_t)j * GV_SRC_DIM;
            float d = 0;
            for (int k = 0; k < GV_SRC_DIM && d < bd; k++)
                d += (q[k] - c[k]) * (q[k] - c[k]);
            if (d < bd) {
                bd = d;
                best = j;
            }
        }
        if (train->n > 0)
            score(&a, train->tgt + (size_t)best * GV_TGT_DIM, w->tgt + (size_t)wi * GV_TGT_DIM, q);
    }
    finish(&a, n, r);
}

void gv_eval_hat(const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r)
{
    acc a;
    memset(&a, 0, sizeof a);
    int n = count_of(w, o);
    float pred[GV_TGT_DIM];
    for (int i = 0; i < n; i++) {
        int wi = pick(w, o, i);
        const float *g = w->src + (size_t)wi * GV_SRC_DIM;
        memset(pred, 0, sizeof pred);
        for (int s = 0; s < GV_WIN_STEPS; s++)
            if (g[3 * s] > 0.5f) {
                pred[s * 27 + GV_CHAT] = 1.f;
                pred[s * 27 + 9 + GV_CHAT] = g[3 * s + 1];
                pred[s * 27 + 18 + GV_CHAT] = g[3 * s + 2];
            }
        score(&a, pred, w->tgt + (size_t)wi * GV_TGT_DIM, g);
    }
    finish(&a, n, r);
}

/* ---- windows of any length, through the engine ---- */

static void window_pattern(const float *tgt, int T, gv_pattern *p);

/* p's cells as prediction rows [T][27] (hit, velocity, offset blocks of 9). */
static void pattern_rows(const gv_pattern *p, float *rows)
{
    memset(rows, 0, (size_t)p->steps * 27 * sizeof *rows);
    for (int s = 0; s < p->steps; s++)
        for (int v = 0; v < GV_VOICES; v++)
            if (p->hit[s][v]) {
                rows[s * 27 + v] = 1.f;
                rows[s * 27 + 9 + v] = p->vel[s][v];
                rows[s * 27 + 18 + v] = p->off[s][v];
            }
}

/* Mean pairwise Jaccard distance between n patterns' hit sets. */
static double patterns_diversity(const gv_pattern *p, int n)
{
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++, pairs++) {
            long inter = 0, uni = 0;
            for (int s = 0; s < p[i].steps; s++)
                for (int v = 0; v < GV_VOICES; v++) {
                    int x = p[i].hit[s][v] != 0, y = p[j].hit[s][v] != 0;
                    inter += x && y;
                    uni += x || y;
                }
            sum += uni ? 1.0 - (double)inter / (double)uni : 0.0;
        }
    return pairs ? sum / pairs : 0.0;
}

/* Window wi of w drummed by m as `groove generate` does it; scored into a. */
static int pattern_window(const gv_model *m, const gv_windows *w, int wi, const gv_eval_opts *o, gv_gen_ws *ws,
                          gv_pattern *out, float *z, float *pred, acc *a, gv_err *e)
{
    int T = w->steps;
    const float *tgt = w->tgt + (size_t)wi * T * 27, *src = w->src + (size_t)wi * T * 3;
    gv_pattern in;
    window_pattern(tgt, T, &in);
    gv_gen_opts g;
    gv_gen_opts_default(&g);
    g.temperature = 0.f;
    g.seed = o->seed;
    g.feel = o->feel;
    g.cond = o->cond;
    if (gv_op_drumify(m, &in, 1, &g, out, z, ws, e) != 0)
        return -1;
    pattern_rows(&out[0], pred);
    for (int b = 0; b < T; b += GV_WIN_STEPS) /* score_of reads 2 bars */
        score_of(a, pred + (size_t)b * 27, tgt + (size_t)b * 27, src + (size_t)b * 3, ALL_VOICES);
    if (o->suggestions > 1) {
        g.temperature = o->temperature;
        g.seed = o->seed + (uint64_t)wi;
        if (gv_op_drumify(m, &in, o->suggestions, &g, out, z, ws, e) != 0)
            return -1;
        a->div_sum += patterns_diversity(out, o->suggestions);
        a->div_n++;
    }
    return 0;
}

int gv_eval_patterns(const gv_model *m, const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r, gv_err *e)
{
    int T = w->steps ? w->steps : GV_WIN_STEPS, n = count_of(w, o), ns = o->suggestions > 1 ? o->suggestions : 1;
    if (T % GV_WIN_STEPS)
        return gv_failc(e, GV_E_RANGE, "windows of %d steps: a whole number of 2-bar blocks is scored", T);
    if (gv_op_model_ok(m, gv_op_drumify_needs(&o->cond), 0, e) != 0)
        return -1;
    gv_windows wt = *w;
    wt.steps = T;
    gv_gen_ws *ws = gv_gen_ws_new(&m->cfg, ns);
    gv_pattern *out = malloc((size_t)ns * sizeof *out);
    float *z = malloc((size_t)ns * gv_gen_chunks(&m->cfg, T) * m->cfg.latent_dim * sizeof *z);
    float *pred = malloc((size_t)T * 27 * sizeof *pred);
    acc a;
    memset(&a, 0, sizeof a);
    int rc = !ws || !out || !z || !pred ? gv_failc(e, GV_E_NOMEM, "out of memory") : 0;
    for (int i = 0; rc == 0 && i < n; i++)
        rc = pattern_window(m, &wt, pick(&wt, o, i), o, ws, out, z, pred, &a, e);
    if (rc == 0)
        finish(&a, n, r);
    gv_gen_ws_free(ws);
    free(out);
    free(z);
    free(pred);
    return rc;
}

int gv_calibrate_thresholds(const gv_model *m, const gv_windows *w, float thr[GV_VOICES], gv_err *e)
{
    gv_eval_opts o;
    gv_eval_opts_default(&o);
    size_t cells = (size_t)(w->n ? w->n : 1) * GV_WIN_STEPS * GV_VOICES;
    float *hp = malloc(cells * sizeof(float)), *vel = malloc(cells * sizeof(float)), *off = malloc(cells * sizeof(float));
    long(*tp)[NGRID] = calloc(GV_VOICES, sizeof *tp), (*fp)[NGRID] = calloc(GV_VOICES, sizeof *fp);
    long pos[GV_VOICES] = {0};
    int rc = 0;
    if (!hp || !vel || !off || !tp || !fp) {
        rc = gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = model_probs(m, w, &o, hp, vel, off, e)) != 0)
        goto out;
    for (int i = 0; i < w->n; i++)
        for (int s = 0; s < GV_WIN_STEPS; s++)
            for (int v = 0; v < GV_VOICES; v++) {
                float p = hp[((size_t)i * GV_WIN_STEPS + s) * GV_VOICES + v];
                int t = w->tgt[(size_t)i * GV_TGT_DIM + s * 27 + v] > 0.5f;
                pos[v] += t;
                /* p >= 0.02*(g+1) for g < gmax */
                int gmax = (int)floorf(p / 0.02f + 1e-4f);
                if (gmax > NGRID)
                    gmax = NGRID;
                for (int g = 0; g < gmax; g++)
                    if (p >= 0.02f * (float)(g + 1)) {
                        tp[v][g] += t;
                        fp[v][g] += !t;
                    }
            }
    /* Coordinate ascent on the F1 over all cells (per-voice optima would
     * flood the rare voices with false hits): a few sweeps over the voices,
     * each taking the grid threshold that is best given the others. */
    int g_of[GV_VOICES];
    long post = 0;
    for (int v = 0; v < GV_VOICES; v++) {
        g_of[v] = 24; /* 0.50 */
        post += pos[v];
    }
    for (int sweep = 0; sweep < 4; sweep++)
        for (int v = 0; v < GV_VOICES; v++) {
            long tpo = 0, fpo = 0;
            for (int u = 0; u < GV_VOICES; u++)
                if (u != v) {
                    tpo += tp[u][g_of[u]];
                    fpo += fp[u][g_of[u]];
                }
            double best = -1;
            for (int g = 0; g < NGRID; g++) {
                long TP = tpo + tp[v][g], FP = fpo + fp[v][g];
                double f = f1_of(TP, FP, post - TP);
                if (f > best + 1e-12) {
                    best = f;
                    g_of[v] = g;
                }
            }
        }
    for (int v = 0; v < GV_VOICES; v++)
        thr[v] = pos[v] ? 0.02f * (float)(g_of[v] + 1) : 0.5f;
out:
    free(hp);
    free(vel);
    free(off);
    free(tp);
    free(fp);
    return rc;
}

/* ---- issue 20's anchors: lanes, kept voices, humanize ---- */

/* One window's pattern from its target rows (the inverse of data.c's win_push). */
static void window_pattern(const float *tgt, int T, gv_pattern *p)
{
    gv_pattern_init(p, T, 120.f, NULL);
    for (int s = 0; s < T; s++)
        for (int v = 0; v < GV_VOICES; v++)
            if (tgt[s * 27 + v] > 0.5f)
                gv_pattern_set(p, s, v, 1, tgt[s * 27 + 9 + v], tgt[s * 27 + 18 + v]);
}

/* What an anchor is given of each window: the lanes [32][nl][3] and the
 * search features [dim] (the lanes, then the kept voices' hit, vel, off per
 * step), or with hits_only the 32x9 hits (humanize). */
typedef struct feats {
    int n, nl, dim;
    float *lanes; /* [n][32*nl*3] */
    float *x;     /* [n][dim] */
} feats;

static void feats_free(feats *f)
{
    free(f->lanes);
    free(f->x);
    f->lanes = f->x = NULL;
}

static int feats_build(const gv_windows *w, int nl, unsigned keep, int hits_only, feats *f, gv_err *e)
{
    int nk = 0;
    for (int v = 0; v < GV_VOICES; v++)
        nk += keep >> v & 1u;
    int ldim = GV_WIN_STEPS * nl * 3;
    f->n = w->n;
    f->nl = nl;
    f->dim = hits_only ? GV_WIN_STEPS * GV_VOICES : ldim + GV_WIN_STEPS * nk * 3;
    size_t n = (size_t)(w->n ? w->n : 1);
    f->lanes = malloc(n * (size_t)ldim * sizeof(float));
    f->x = malloc(n * (size_t)f->dim * sizeof(float));
    gv_pattern *p = malloc(sizeof *p);
    if (!f->lanes || !f->x || !p) {
        free(p);
        feats_free(f);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < w->n; i++) {
        const float *t = w->tgt + (size_t)i * GV_TGT_DIM;
        float *l = f->lanes + (size_t)i * ldim, *x = f->x + (size_t)i * f->dim;
        window_pattern(t, GV_WIN_STEPS, p);
        gv_pattern_lanes(p, nl, l);
        if (hits_only) {
            for (int s = 0; s < GV_WIN_STEPS; s++)
                for (int v = 0; v < GV_VOICES; v++)
                    x[s * GV_VOICES + v] = t[s * 27 + v];
            continue;
        }
        memcpy(x, l, (size_t)ldim * sizeof(float));
        x += ldim;
        for (int s = 0; s < GV_WIN_STEPS; s++)
            for (int v = 0; v < GV_VOICES; v++)
                if (keep >> v & 1u)
                    for (int k = 0; k < 3; k++)
                        *x++ = t[s * 27 + 9 * k + v];
    }
    free(p);
    return 0;
}

/* The K nearest rows of db[0..ndb) to each query (L2 over the features,
 * ties to the lower row), nb[q][K] nearest first, -1 past ndb.  Queries are split over threads (pure: every thread writes only
 * its own rows of nb). */
typedef struct knn_job {
    const feats *db, *qf;
    const int *qrow; /* feature rows of the queries */
    int nq, ndb, K;
    int *nb;
    int q0, q1;
} knn_job;

static void *knn_run(void *arg)
{
    knn_job *j = arg;
    int D = j->db->dim, K = j->K;
    float best[GV_ANCHOR_MAX_K];
    for (int q = j->q0; q < j->q1; q++) {
        const float *x = j->qf->x + (size_t)j->qrow[q] * D;
        int *nb = j->nb + (size_t)q * K, have = 0;
        for (int r = 0; r < j->ndb; r++) {
            const float *c = j->db->x + (size_t)r * D;
            float bound = have == K ? best[K - 1] : FLT_MAX, d = 0;
            for (int k = 0; k < D && d < bound; k++)
                d += (x[k] - c[k]) * (x[k] - c[k]);
            if (d >= bound)
                continue;
            int at = have < K ? have++ : K - 1;
            while (at > 0 && best[at - 1] > d) {
                best[at] = best[at - 1];
                nb[at] = nb[at - 1];
                at--;
            }
            best[at] = d;
            nb[at] = r;
        }
        for (int k = have; k < K; k++)
            nb[k] = -1;
    }
    return NULL;
}

static int knn(const feats *db, int ndb, const feats *qf, const int *qrow, int nq, int K,
               int threads, int *nb, gv_err *e)
{
    if (threads < 1)
        threads = 1;
    if (threads > nq)
        threads = nq > 0 ? nq : 1;
    knn_job *jobs = calloc((size_t)threads, sizeof *jobs);
    pthread_t *th = calloc((size_t)threads, sizeof *th);
    char *joined = calloc((size_t)threads, 1);
    if (!jobs || !th || !joined) {
        free(jobs);
        free(th);
        free(joined);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    for (int t = 0; t < threads; t++) {
        jobs[t] = (knn_job){db, qf, qrow, nq, ndb, K, nb, (int)((long)nq * t / threads),
                            (int)((long)nq * (t + 1) / threads)};
        /* the last share runs here, and so does one whose thread cannot start */
        if (t < threads - 1 && pthread_create(&th[t], NULL, knn_run, &jobs[t]) == 0)
            joined[t] = 1;
        else
            knn_run(&jobs[t]);
    }
    for (int t = 0; t < threads; t++)
        if (joined[t])
            pthread_join(th[t], NULL);
    free(jobs);
    free(th);
    free(joined);
    return 0;
}

static void put_kept(const float *in, unsigned keep, float *pred)
{
    for (int s = 0; s < GV_WIN_STEPS; s++)
        for (int v = 0; v < GV_VOICES; v++)
            if (keep >> v & 1u)
                for (int k = 0; k < 3; k++)
                    pred[s * 27 + 9 * k + v] = in[s * 27 + 9 * k + v];
}

static int lane_tap(const float *lanes, int nl, int s, int l) { return lanes[(s * nl + l) * 3] > 0.5f; }

/* Whether a kept voice of lane l plays on step s (the lane's tap is its). */
static int kept_in_lane(const float *in, unsigned keep, int nl, int l, int s)
{
    for (int v = 0; v < GV_VOICES; v++)
        if (((keep & gv_lane_voices(nl, l)) >> v & 1u) && in[s * 27 + v] > 0.5f)
            return 1;
    return 0;
}

/* Each lane's taps on its main voice, but not on a step where a kept voice
 * of the lane plays (the tap is that voice's). */
static void copy_lanes(const float *lanes, int nl, const float *in, unsigned keep, float *pred)
{
    memset(pred, 0, GV_TGT_DIM * sizeof(float));
    put_kept(in, keep, pred);
    for (int s = 0; s < GV_WIN_STEPS; s++)
        for (int l = 0; l < nl; l++) {
            int m = gv_lane_main_voice(nl, l);
            if (!lane_tap(lanes, nl, s, l) || (keep >> m & 1u) || kept_in_lane(in, keep, nl, l, s))
                continue;
            const float *c = lanes + (s * nl + l) * 3;
            pred[s * 27 + m] = 1.f;
            pred[s * 27 + 9 + m] = c[1];
            pred[s * 27 + 18 + m] = c[2];
        }
}

/* The per-cell vote of the k neighbours nb (-1: none), held to the lanes;
 * with fill, a lane tap no voice took (and no kept voice plays) goes to the
 * lane's voice most of the neighbours hit there (the main voice when none
 * did, or the lane's first voice not kept when that one is) at the tap's own
 * velocity and offset. */
static void vote(const gv_windows *train, const int *nb, int k, const float *lanes, int nl, const float *in,
                 unsigned keep, int fill, float *pred)
{
    memset(pred, 0, GV_TGT_DIM * sizeof(float));
    put_kept(in, keep, pred);
    int kv = 0;
    while (kv < k && nb[kv] >= 0)
        kv++;
    for (int s = 0; s < GV_WIN_STEPS; s++) {
        int votes[GV_VOICES] = {0};
        for (int v = 0; v < GV_VOICES; v++) {
            if ((keep >> v & 1u) || !lane_tap(lanes, nl, s, gv_lane_of_voice(nl, v)))
                continue;
            float vel = 0, off = 0;
            for (int j = 0; j < kv; j++) {
                const float *t = train->tgt + (size_t)nb[j] * GV_TGT_DIM + s * 27;
                if (t[v] > 0.5f) {
                    votes[v]++;
                    vel += t[9 + v];
                    off += t[18 + v];
                }
            }
            if (2 * votes[v] > kv) {
                pred[s * 27 + v] = 1.f;
                pred[s * 27 + 9 + v] = vel / (float)votes[v];
                pred[s * 27 + 18 + v] = off / (float)votes[v];
            }
        }
        for (int l = 0; fill && l < nl; l++) {
            if (!lane_tap(lanes, nl, s, l) || kept_in_lane(in, keep, nl, l, s))
                continue;
            int best = -1, taken = 0;
            for (int v = 0; v < GV_VOICES; v++)
                if ((gv_lane_voices(nl, l) & ~keep) >> v & 1u) {
                    taken |= pred[s * 27 + v] > 0.5f;
                    if (votes[v] > 0 && (best < 0 || votes[v] > votes[best]))
                        best = v;
                }
            if (taken)
                continue;
            if (best < 0)
                best = gv_lane_main_voice(nl, l);
            for (int v = 0; (keep >> best & 1u) && v < GV_VOICES; v++)
                if ((gv_lane_voices(nl, l) & ~keep) >> v & 1u)
                    best = v; /* the main voice is kept: the lane's first voice that is not */
            const float *c = lanes + (s * nl + l) * 3;
            pred[s * 27 + best] = 1.f;
            pred[s * 27 + 9 + best] = c[1];
            pred[s * 27 + 18 + best] = c[2];
        }
    }
}

/* The conditioning kept?  Kept cells that differ from the input; hits of the
 * other voices where their lane has no tap. */
static void check(const float *pred, const float *in, const float *lanes, int nl, unsigned keep, long *changed,
                  long *off_lane)
{
    for (int s = 0; s < GV_WIN_STEPS; s++)
        for (int v = 0; v < GV_VOICES; v++) {
            if (keep >> v & 1u) {
                for (int k = 0; k < 3; k++)
                    if (pred[s * 27 + 9 * k + v] != in[s * 27 + 9 * k + v]) {
                        (*changed)++;
                        break;
                    }
            } else if (pred[s * 27 + v] > 0.5f && !lane_tap(lanes, nl, s, gv_lane_of_voice(nl, v))) {
                (*off_lane)++;
            }
        }
}

/* k (plain vote, then filled) by the hit F1 on train's last tenth, searched
 * against train before it less the one window that may overlap the tenth's
 * first (a 1-bar hop). */
static int pick_k(const gv_windows *train, const feats *ft, unsigned keep, int threads, gv_anchor_result *r,
                  gv_err *e)
{
    int cut = train->n - train->n / 10, nq = train->n - cut, ndb = cut - 1;
    r->k = r->k_fill = 1;
    if (nq < 1 || ndb < 1)
        return 0;
    int K = ndb < GV_ANCHOR_MAX_K ? ndb : GV_ANCHOR_MAX_K;
    int *qrow = malloc((size_t)nq * sizeof(int)), *nb = malloc((size_t)nq * K * sizeof(int));
    float *pred = malloc(GV_TGT_DIM * sizeof(float));
    int rc = 0;
    if (!qrow || !nb || !pred) {
        rc = gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    for (int q = 0; q < nq; q++)
        qrow[q] = cut + q;
    if ((rc = knn(ft, ndb, ft, qrow, nq, K, threads, nb, e)) != 0)
        goto out;
    for (int fill = 0; fill < 2; fill++) {
        double best = -1;
        for (int k = 1; k <= K; k++) {
            acc a;
            memset(&a, 0, sizeof a);
            for (int q = 0; q < nq; q++) {
                const float *in = train->tgt + (size_t)qrow[q] * GV_TGT_DIM;
                const float *lanes = ft->lanes + (size_t)qrow[q] * GV_WIN_STEPS * ft->nl * 3;
                vote(train, nb + (size_t)q * K, k, lanes, ft->nl, in, keep, fill, pred);
                score_of(&a, pred, in, train->src + (size_t)qrow[q] * GV_SRC_DIM, ALL_VOICES & ~keep);
            }
            gv_eval_result f;
            finish(&a, nq, &f);
            if (f.f1 > best + 1e-12) {
                best = f.f1;
                *(fill ? &r->k_fill : &r->k) = k;
            }
        }
        *(fill ? &r->slice_f1_fill : &r->slice_f1) = best;
    }
    r->k_picked = 1;
    r->slice = nq;
out:
    free(qrow);
    free(nb);
    free(pred);
    return rc;
}

int gv_eval_lane_anchors(const gv_windows *train, const gv_windows *w, const gv_eval_opts *o, int nlanes,
                         unsigned keep, int k, gv_anchor_result *r, gv_err *e)
{
    memset(r, 0, sizeof *r);
    keep &= ALL_VOICES;
    if (!gv_lanes_valid(nlanes))
        return gv_fail(e, "lanes: 1, 2 or 3, not %d", nlanes);
    if (keep == ALL_VOICES)
        return gv_fail(e, "every voice is kept: nothing to generate");
    if (k < 0 || k > GV_ANCHOR_MAX_K)
        return gv_fail(e, "k: 0 (pick) or 1..%d, not %d", GV_ANCHOR_MAX_K, k);
    feats ft = {0}, fw = {0};
    int n = count_of(w, o), *qrow = NULL, *nb = NULL, rc;
    float *pred = NULL;
    if ((rc = feats_build(train, nlanes, keep, 0, &ft, e)) != 0)
        return rc;
    if ((rc = feats_build(w, nlanes, keep, 0, &fw, e)) != 0)
        goto out;
    if (k == 0) {
        if ((rc = pick_k(train, &ft, keep, o->threads, r, e)) != 0)
            goto out;
    } else {
        r->k = r->k_fill = k;
    }
    int K = r->k > r->k_fill ? r->k : r->k_fill;
    qrow = malloc((size_t)(n ? n : 1) * sizeof(int));
    nb = malloc((size_t)(n ? n : 1) * K * sizeof(int));
    pred = malloc(GV_TGT_DIM * sizeof(float));
    if (!qrow || !nb || !pred) {
        rc = gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++)
        qrow[i] = pick(w, o, i);
    if ((rc = knn(&ft, train->n, &fw, qrow, n, K, o->threads, nb, e)) != 0)
        goto out;
    acc ac, ak, af;
    memset(&ac, 0, sizeof ac);
    memset(&ak, 0, sizeof ak);
    memset(&af, 0, sizeof af);
    long changed[3] = {0, 0, 0}, off_lane[3] = {0, 0, 0};
    for (int i = 0; i < n; i++) {
        const float *in = w->tgt + (size_t)qrow[i] * GV_TGT_DIM, *src = w->src + (size_t)qrow[i] * GV_SRC_DIM;
        const float *lanes = fw.lanes + (size_t)qrow[i] * GV_WIN_STEPS * nlanes * 3;
        copy_lanes(lanes, nlanes, in, keep, pred);
        check(pred, in, lanes, nlanes, keep, &changed[0], &off_lane[0]);
        score_of(&ac, pred, in, src, ALL_VOICES & ~keep);
        vote(train, nb + (size_t)i * K, r->k, lanes, nlanes, in, keep, 0, pred);
        check(pred, in, lanes, nlanes, keep, &changed[1], &off_lane[1]);
        score_of(&ak, pred, in, src, ALL_VOICES & ~keep);
        vote(train, nb + (size_t)i * K, r->k_fill, lanes, nlanes, in, keep, 1, pred);
        check(pred, in, lanes, nlanes, keep, &changed[2], &off_lane[2]);
        score_of(&af, pred, in, src, ALL_VOICES & ~keep);
    }
    finish(&ac, n, &r->copy);
    finish(&ak, n, &r->knn);
    finish(&af, n, &r->knn_fill);
    r->knn_fill.kept_changed = changed[2];
    r->knn_fill.off_lane = off_lane[2];
    r->copy.kept_changed = changed[0];
    r->copy.off_lane = off_lane[0];
    r->knn.kept_changed = changed[1];
    r->knn.off_lane = off_lane[1];
out:
    feats_free(&ft);
    feats_free(&fw);
    free(qrow);
    free(nb);
    free(pred);
    return rc;
}

int gv_eval_humanize_anchors(const gv_windows *train, const gv_windows *w, const gv_eval_opts *o,
                             gv_eval_result *input, gv_eval_result *mean, gv_eval_result *nearest, gv_err *e)
{
    /* each voice's mean feel over train's hits */
    double sv[GV_VOICES] = {0}, so[GV_VOICES] = {0};
    long nh[GV_VOICES] = {0};
    for (int i = 0; i < train->n; i++)
        for (int s = 0; s < GV_WIN_STEPS; s++)
            for (int v = 0; v < GV_VOICES; v++) {
                const float *t = train->tgt + (size_t)i * GV_TGT_DIM + s * 27;
                if (t[v] > 0.5f) {
                    nh[v]++;
                    sv[v] += t[9 + v];
                    so[v] += t[18 + v];
                }
            }
    float mv[GV_VOICES], mo[GV_VOICES];
    for (int v = 0; v < GV_VOICES; v++) {
        mv[v] = nh[v] ? (float)(sv[v] / (double)nh[v]) : 0.7f;
        mo[v] = nh[v] ? (float)(so[v] / (double)nh[v]) : 0.f;
    }
    feats ft = {0}, fw = {0};
    int n = count_of(w, o), *qrow = NULL, *nb = NULL, rc;
    float *pred = NULL;
    if ((rc = feats_build(train, 1, 0, 1, &ft, e)) != 0)
        return rc;
    if ((rc = feats_build(w, 1, 0, 1, &fw, e)) != 0)
        goto out;
    qrow = malloc((size_t)(n ? n : 1) * sizeof(int));
    nb = malloc((size_t)(n ? n : 1) * sizeof(int));
    pred = malloc(3 * GV_TGT_DIM * sizeof(float));
    if (!qrow || !nb || !pred) {
        rc = gv_failc(e, GV_E_NOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++)
        qrow[i] = pick(w, o, i);
    if ((rc = knn(&ft, train->n, &fw, qrow, n, 1, o->threads, nb, e)) != 0)
        goto out;
    acc a[3];
    memset(a, 0, sizeof a);
    for (int i = 0; i < n; i++) {
        const float *in = w->tgt + (size_t)qrow[i] * GV_TGT_DIM, *src = w->src + (size_t)qrow[i] * GV_SRC_DIM;
        const float *nn = nb[i] >= 0 ? train->tgt + (size_t)nb[i] * GV_TGT_DIM : NULL;
        memset(pred, 0, 3 * GV_TGT_DIM * sizeof(float));
        for (int s = 0; s < GV_WIN_STEPS; s++)
            for (int v = 0; v < GV_VOICES; v++) {
                if (in[s * 27 + v] <= 0.5f)
                    continue;
                int there = nn && nn[s * 27 + v] > 0.5f;
                float vel[3] = {0.7f, mv[v], there ? nn[s * 27 + 9 + v] : mv[v]};
                float off[3] = {0.f, mo[v], there ? nn[s * 27 + 18 + v] : mo[v]};
                for (int j = 0; j < 3; j++) {
                    float *p = pred + (size_t)j * GV_TGT_DIM + s * 27;
                    p[v] = 1.f;
                    p[9 + v] = vel[j];
                    p[18 + v] = off[j];
                }
            }
        for (int j = 0; j < 3; j++)
            score(&a[j], pred + (size_t)j * GV_TGT_DIM, in, src);
    }
    finish(&a[0], n, input);
    finish(&a[1], n, mean);
    finish(&a[2], n, nearest);
out:
    feats_free(&ft);
    feats_free(&fw);
    free(qrow);
    free(nb);
    free(pred);
    return rc;
}

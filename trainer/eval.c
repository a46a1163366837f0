#include "trainer/eval.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


#define CHUNK 256
#define NGRID 49 /* thresholds 0.02, 0.04, ..., 0.98 */

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
}

static double f1_of(long tp, long fp, long fn) { return tp ? 2.0 * tp / (2.0 * tp + fp + fn) : 0.0; }

/* pred and tgt: [32][27] (hit, vel, off blocks of 9); src: the groove [32][3]. */
static void score(acc *a, const float *pred, const float *tgt, const float *src)
{
    for (int s = 0; s < GV_WIN_STEPS; s++) {
        int any = 0;
        for (int v = 0; v < GV_VOICES; v++) {
            const float *p = pred + s * 27, *t = tgt + s * 27;
            int ph = p[v] > 0.5f, th = t[v] > 0.5f;
            any |= ph;
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

/* Decoder outputs at z = mu for the picked windows: [n][32][9] each. */
static int model_probs(const gv_model *m, const gv_windows *w, const gv_eval_opts *o, float *hp, float *vel,
                       float *off, gv_err *e)
{
    int n = count_of(w, o), L = m->cfg.latent_dim;
    gv_infer_ws *ws = gv_infer_ws_new(&m->cfg, CHUNK);
    float *src = malloc((size_t)CHUNK * GV_SRC_DIM * sizeof(float));
    float *mu = malloc((size_t)CHUNK * L * sizeof(float)), *lv = malloc((size_t)CHUNK * L * sizeof(float));
    int rc = 0;
    if (!ws || !src || !mu || !lv) {
        rc = gv_fail(e, "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i += CHUNK) {
        int N = n - i < CHUNK ? n - i : CHUNK;
        for (int j = 0; j < N; j++)
            memcpy(src + (size_t)j * GV_SRC_DIM, w->src + (size_t)pick(w, o, i + j) * GV_SRC_DIM,
                   GV_SRC_DIM * sizeof(float));
        gv_model_encode(m, src, N, mu, lv, ws);
        size_t at = (size_t)i * GV_WIN_STEPS * GV_VOICES;
        gv_model_decode(m, mu, N, hp + at, vel + at, off + at, ws);
    }
out:
    if (ws)
        gv_infer_ws_free(ws);
    free(src);
    free(mu);
    free(lv);
    return rc;
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

/* k suggestions per window: z = mu + exp(logvar/2) * T * eps (eps seeded per
 * window), decoded and thresholded; mean pairwise Jaccard distance. */
static int diversity(const gv_model *m, const gv_windows *w, const gv_eval_opts *o, acc *a, gv_err *e)
{
    int k = o->suggestions, n = count_of(w, o), L = m->cfg.latent_dim;
    if (k < 2)
        return 0;
    gv_infer_ws *ws = gv_infer_ws_new(&m->cfg, k);
    float *mu = malloc((size_t)L * sizeof(float)), *lv = malloc((size_t)L * sizeof(float));
    float *z = malloc((size_t)k * L * sizeof(float));
    size_t cells = (size_t)k * GV_WIN_STEPS * GV_VOICES;
    float *hp = malloc(cells * sizeof(float)), *vel = malloc(cells * sizeof(float)), *off = malloc(cells * sizeof(float));
    float *pred = malloc((size_t)k * GV_TGT_DIM * sizeof(float));
    int rc = 0;
    if (!ws || !mu || !lv || !z || !hp || !vel || !off || !pred) {
        rc = gv_fail(e, "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        int wi = pick(w, o, i);
        gv_model_encode(m, w->src + (size_t)wi * GV_SRC_DIM, 1, mu, lv, ws);
        gv_rng r;
        gv_rng_seed(&r, o->seed + (uint64_t)wi * 1000003u);
        for (int j = 0; j < k; j++)
            for (int d = 0; d < L; d++)
                z[j * L + d] = mu[d] + expf(0.5f * lv[d]) * o->temperature * gv_rng_normal(&r);
        gv_model_decode(m, z, k, hp, vel, off, ws);
        for (int j = 0; j < k; j++) {
            size_t at = (size_t)j * GV_WIN_STEPS * GV_VOICES;
            threshold_hits(&m->cfg, hp + at, vel + at, off + at, pred + (size_t)j * GV_TGT_DIM);
        }
        double sum = 0;
        for (int x = 0; x < k; x++)
            for (int y = x + 1; y < k; y++)
                sum += jaccard_distance(pred + (size_t)x * GV_TGT_DIM, pred + (size_t)y * GV_TGT_DIM);
        a->div_sum += sum / (k * (k - 1) / 2);
        a->div_n++;
    }
out:
    if (ws)
        gv_infer_ws_free(ws);
    free(mu);
    free(lv);
    free(z);
    free(hp);
    free(vel);
    free(off);
    free(pred);
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
        rc = gv_fail(e, "out of memory");
        goto out;
    }
    if ((rc = model_probs(m, w, o, hp, vel, off, e)) != 0)
        goto out;
    for (int i = 0; i < n; i++) {
        size_t at = (size_t)i * GV_WIN_STEPS * GV_VOICES;
        int wi = pick(w, o, i);
        const float *src = w->src + (size_t)wi * GV_SRC_DIM, *tgt = w->tgt + (size_t)wi * GV_TGT_DIM;
        threshold_hits(&m->cfg, hp + at, vel + at, off + at, pred);
        score(&own, pred, tgt, src);
        feel_window(o->feel, src, pred);
        score(&a, pred, tgt, src);
    }
    rc = diversity(m, w, o, &a, e);
    gv_eval_result r_own;
    finish(&own, n, &r_own);
    finish(&a, n, r);
    r->vel_mae_own = r_own.vel_mae;
    r->off_mae_own = r_own.off_mae;
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
        rc = gv_fail(e, "out of memory");
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

/* step.c - the sharded, threaded training step of step.h. */
#include "trainer/step.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "trainer/dist.h"
#include "trainer/schedule.h"

enum { CHUNK = 1 << 14 }; /* parameters per reduction / norm / update chunk */

typedef struct gv_step_par {
    int row0, n;          /* this process's rows of each global batch */
    int ns, sh[GV_STEP_SHARDS_MAX + 1]; /* shards: rows [sh[s], sh[s+1]) of the n */
    gv_pool *pool;
    int nw;               /* workers */
    gv_train_ws **ws;     /* one per worker, the largest shard's size */
    float *g[GV_STEP_SHARDS_MAX]; /* a gradient buffer per shard; g[0] ends with the sum */
    float *src, *tgt, *dlogits, *dmu, *dlogvar; /* the n rows */
    gv_rng *rng;          /* per row */
    gv_loss_parts parts[GV_STEP_SHARDS_MAX];
    double *sq;           /* per chunk: squared gradient norm */
    size_t nchunks;
    /* this step */
    const gv_trainer *t;
    long b, step;
    int multi;            /* several processes: gradients summed over them */
    gv_loss_norm norm;
    float beta;
    gv_adamw_k ak;
} gv_step_par;

int gv_step_shards(int B)
{
    int s = (B + GV_STEP_SHARD_ROWS - 1) / GV_STEP_SHARD_ROWS;
    return s < 1 ? 1 : s > GV_STEP_SHARDS_MAX ? GV_STEP_SHARDS_MAX : s;
}

void gv_step_par_free(gv_trainer *t)
{
    gv_step_par *p = t->par;
    if (!p)
        return;
    gv_pool_free(p->pool);
    for (int k = 0; p->ws && k < p->nw; k++)
        if (p->ws[k])
            gv_train_ws_free(p->ws[k]);
    free(p->ws);
    for (int s = 0; s < p->ns; s++)
        free(p->g[s]);
    free(p->src);
    free(p->tgt);
    free(p->dlogits);
    free(p->dmu);
    free(p->dlogvar);
    free(p->rng);
    free(p->sq);
    free(p);
    t->par = NULL;
}

static int par_alloc(gv_step_par *p, const gv_config *c, size_t np)
{
    size_t n = (size_t)p->n, L = (size_t)c->latent_dim;
    p->ws = calloc((size_t)p->nw, sizeof *p->ws);
    for (int k = 0; p->ws && k < p->nw; k++)
        if (!(p->ws[k] = gv_train_ws_new(c, (p->n + p->ns - 1) / p->ns)))
            return -1;
    for (int s = 0; s < p->ns; s++)
        if (!(p->g[s] = calloc(np, sizeof(float))))
            return -1;
    p->src = malloc(n * GV_WIN_STEPS * (size_t)c->src_features * sizeof(float));
    p->tgt = malloc(n * GV_TGT_DIM * sizeof(float));
    p->dlogits = malloc(n * GV_TGT_DIM * sizeof(float));
    p->dmu = malloc(n * L * sizeof(float));
    p->dlogvar = malloc(n * L * sizeof(float));
    p->rng = malloc(n * sizeof *p->rng);
    p->nchunks = (np + CHUNK - 1) / CHUNK;
    p->sq = malloc(p->nchunks * sizeof *p->sq);
    return p->ws && p->src && p->tgt && p->dlogits && p->dmu && p->dlogvar && p->rng && p->sq ? 0 : -1;
}

int gv_step_par_new(gv_trainer *t, int row0, int n, int threads)
{
    gv_step_par_free(t);
    gv_step_par *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    t->par = p;
    p->row0 = row0;
    p->n = n;
    p->ns = gv_step_shards(n);
    for (int s = 0; s <= p->ns; s++)
        p->sh[s] = (int)((long)n * s / p->ns);
    threads = threads < 1 ? 1 : threads;
    p->nw = threads > p->ns ? p->ns : threads;
    if (p->nw > 1 && !(p->pool = gv_pool_new(p->nw))) {
        gv_step_par_free(t);
        return -1;
    }
    p->nw = gv_pool_size(p->pool);
    if (par_alloc(p, &t->o.cfg, t->model.nparams) != 0) {
        gv_step_par_free(t);
        return -1;
    }
    return 0;
}

/* Groove augmentation on the groove columns (0..2) of src, F floats a step. */
static void augment(const gv_train_opts *o, gv_rng *r, float *src, int F)
{
    if (o->note_dropout > 0)
        for (int s = 0; s < GV_WIN_STEPS; s++)
            if (src[F * s] > 0.5f && gv_rng_uniform(r) < o->note_dropout)
                src[F * s] = src[F * s + 1] = src[F * s + 2] = 0.f;
    if (o->vel_dropout > 0 && gv_rng_uniform(r) < o->vel_dropout)
        for (int s = 0; s < GV_WIN_STEPS; s++)
            if (src[F * s] > 0.5f)
                src[F * s + 1] = o->vel_const;
}

/* Kept-voice sets players ask for most (kick + snare, kick, snare, the
 * backbeat and hats, the hats), half of the keep draws; the other half keep
 * each voice with probability 0.35. */
static const unsigned common_keeps[] = {
    1u << GV_KICK | 1u << GV_SNARE, 1u << GV_KICK, 1u << GV_SNARE,
    1u << GV_KICK | 1u << GV_SNARE | 1u << GV_CHAT, 1u << GV_CHAT | 1u << GV_OHAT,
};

/* One example's conditioning for a conditioned model, by the mix (default
 * 30 % 1 lane, 15 % 2 lanes, 15 % 3 lanes, 20 % kept voices, 10 %
 * humanize, 10 % blind: the groove told to the encoder only, the mode of
 * `groove sample`, whose decoder has nothing but the latent), so that one
 * model serves every mode. */
static void draw_cond(gv_rng *r, const float *mix, gv_cond *c)
{
    gv_cond_default(c);
    float total = 0, acc[GV_TRAIN_MODES];
    for (int i = 0; i < GV_TRAIN_MODES; i++)
        acc[i] = total += mix[i];
    float u = gv_rng_uniform(r) * total;
    if (u < acc[0])
        return;
    if (u < acc[1]) {
        c->lanes = 2;
    } else if (u < acc[2]) {
        c->lanes = 3;
    } else if (u >= acc[4]) {
        c->blind = 1;
    } else if (u < acc[3]) {
        if (gv_rng_uniform(r) < 0.5f) {
            c->keep = common_keeps[gv_rng_below(r, sizeof common_keeps / sizeof common_keeps[0])];
        } else {
            do {
                c->keep = 0;
                for (int v = 0; v < GV_VOICES; v++)
                    c->keep |= (gv_rng_uniform(r) < 0.35f ? 1u : 0u) << v;
            } while (c->keep == 0 || c->keep == (1u << GV_VOICES) - 1);
        }
    } else {
        c->humanize = 1;
    }
}

/* An example's input from window idx: its input under a drawn mode
 * (conditioned models) or its groove, augmented where it is the only input;
 * every draw from r, the example's own generator. */
static void example_src(const gv_trainer *t, gv_rng *r, int idx, float *src)
{
    int F = t->o.cfg.src_features;
    gv_cond c;
    gv_cond_default(&c);
    if (F == GV_COND_FEATURES)
        draw_cond(r, t->o.mix, &c);
    gv_window_src(t->train, idx, &c, F, src);
    if (c.humanize) {
        /* a programmed beat: every hit at one velocity, on the grid */
        float vel = 0.5f + 0.4f * gv_rng_uniform(r);
        for (int s = 0; s < GV_WIN_STEPS; s++) {
            src[F * s + 1] = src[F * s] > 0.5f ? vel : 0.f;
            src[F * s + 2] = 0.f;
        }
    } else if (c.lanes == 1 && !c.keep) {
        augment(&t->o, r, src, F);
    }
    for (int s = 0; F == GV_COND_FEATURES && s < GV_WIN_STEPS; s++) /* the decoder's copy of the groove */
        if (src[F * s + GV_COND_GIVEN_DEC] > 0.5f)
            memcpy(src + F * s + GV_COND_GROOVE_DEC, src + F * s, 3 * sizeof *src);
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* Row r of the global batch at step k: its generator, from (seed, k, r). */
static void row_rng(gv_rng *g, uint64_t seed, long k, int r)
{
    gv_rng_seed(g, mix64(mix64(seed ^ 0x726f775f726e6700ull) + (uint64_t)k) + (uint64_t)r);
}

/* Shard s: its rows' inputs, forward, losses (shares of the batch's) and
 * backward into g[s], on worker k's workspace. */
static void shard_run(void *arg, int s, int k)
{
    gv_step_par *p = arg;
    const gv_trainer *t = p->t;
    const gv_train_opts *o = &t->o;
    const gv_config *c = &o->cfg;
    int r0 = p->sh[s], n = p->sh[s + 1] - r0, B = o->batch, L = c->latent_dim, F = c->src_features;
    size_t S = (size_t)GV_WIN_STEPS * F;
    for (int i = r0; i < r0 + n; i++) {
        int row = p->row0 + i, idx = t->perm[p->b * B + row];
        row_rng(&p->rng[i], o->seed, p->step, row);
        example_src(t, &p->rng[i], idx, p->src + (size_t)i * S);
        memcpy(p->tgt + (size_t)i * GV_TGT_DIM, t->train->tgt + (size_t)idx * GV_TGT_DIM,
               GV_TGT_DIM * sizeof(float));
    }
    gv_train_ws *ws = p->ws[k];
    gv_model_forward_train(c, t->model.params, p->src + (size_t)r0 * S, n, o->dropout, NULL, p->rng + r0, ws);
    float *dl = p->dlogits + (size_t)r0 * GV_TGT_DIM, *dmu = p->dmu + (size_t)r0 * L, *dlv = p->dlogvar + (size_t)r0 * L;
    gv_loss_parts *lp = &p->parts[s];
    gv_recon_loss_part(&o->loss, gv_train_ws_logits(ws), p->tgt + (size_t)r0 * GV_TGT_DIM, n, &p->norm, dl, lp);
    gv_kl_loss_part(gv_train_ws_mu(ws), gv_train_ws_logvar(ws), n, B, L, p->beta, o->free_bits, dmu, dlv, lp);
    gv_model_backward(c, t->model.params, p->g[s], dl, dmu, dlv, ws);
}

/* Chunk ch of the parameters: the shards' gradients summed into g[0] in the
 * fixed pairwise tree, the others zeroed for the next step; the chunk's
 * squared norm too when this process is alone (else after the processes'
 * sum). */
static void reduce_chunk(void *arg, int ch, int k)
{
    (void)k;
    gv_step_par *p = arg;
    size_t np = p->t->model.nparams, lo = (size_t)ch * CHUNK, hi = lo + CHUNK < np ? lo + CHUNK : np;
    for (int st = 1; st < p->ns; st *= 2)
        for (int i = 0; i + st < p->ns; i += 2 * st) {
            float *a = p->g[i], *b = p->g[i + st];
            for (size_t j = lo; j < hi; j++)
                a[j] += b[j];
            memset(b + lo, 0, (hi - lo) * sizeof *b);
        }
    if (!p->multi)
        p->sq[ch] = gv_grad_sumsq(p->g[0] + lo, hi - lo);
}

static void norm_chunk(void *arg, int ch, int k)
{
    (void)k;
    gv_step_par *p = arg;
    size_t np = p->t->model.nparams, lo = (size_t)ch * CHUNK, hi = lo + CHUNK < np ? lo + CHUNK : np;
    p->sq[ch] = gv_grad_sumsq(p->g[0] + lo, hi - lo);
}

static void adamw_chunk(void *arg, int ch, int k)
{
    (void)k;
    gv_step_par *p = arg;
    gv_trainer *t = (gv_trainer *)p->t;
    size_t np = t->model.nparams, lo = (size_t)ch * CHUNK, hi = lo + CHUNK < np ? lo + CHUNK : np;
    gv_adamw_consume_range(&t->opt, &p->ak, t->model.params, p->g[0], lo, hi);
}

_Static_assert(sizeof(gv_loss_parts) == 6 * sizeof(double), "gv_loss_parts is summed as 6 doubles");

static void parts_sum(gv_loss_parts *a, const gv_loss_parts *b)
{
    a->hit += b->hit;
    a->vel += b->vel;
    a->off += b->off;
    a->kl += b->kl;
    a->kl_term += b->kl_term;
    a->total += b->total;
}

/* The normalisers of global batch b, from all its targets. */
static void batch_norm(const gv_trainer *t, long b, gv_loss_norm *n)
{
    int B = t->o.batch;
    double w = 0;
    for (int i = 0; i < B; i++) {
        gv_loss_norm one;
        gv_loss_norm_of(&t->o.loss, t->train->tgt + (size_t)t->perm[b * B + i] * GV_TGT_DIM, 1, &one);
        w += one.wsum;
    }
    n->B = B;
    n->wsum = w;
}

void gv_step_run(gv_trainer *t, long b, gv_loss_parts *lp, float *lr_out, float *beta_out)
{
    gv_step_par *p = t->par;
    const gv_train_opts *o = &t->o;
    long total = (long)(t->train->n / o->batch) * o->epochs;
    float lr = gv_lr_at(t->step, o->warmup, total, o->lr, o->lr_min_ratio);
    p->t = t;
    p->multi = t->dist && t->dist->size > 1;
    p->b = b;
    p->step = t->step;
    p->beta = gv_beta_at(t->step, o->beta_kind, o->beta_period, o->beta_ramp, o->beta_max);
    batch_norm(t, b, &p->norm);
    gv_train_ws_pack_shared(p->ws, p->nw, t->model.params);
    gv_pool_for(p->pool, p->ns, shard_run, p);
    gv_pool_for(p->pool, (int)p->nchunks, reduce_chunk, p);
    memset(lp, 0, sizeof *lp);
    for (int s = 0; s < p->ns; s++)
        parts_sum(lp, &p->parts[s]);
    if (p->multi) {
        gv_dist_sum_f(t->dist, p->g[0], t->model.nparams);
        gv_dist_sum_d(t->dist, &lp->hit, sizeof *lp / sizeof lp->hit);
        gv_pool_for(p->pool, (int)p->nchunks, norm_chunk, p);
    }
    double sq = 0;
    for (size_t ch = 0; ch < p->nchunks; ch++)
        sq += p->sq[ch];
    gv_adamw_begin(&t->opt, lr, gv_clip_factor(sqrt(sq), o->clip), &p->ak);
    gv_pool_for(p->pool, (int)p->nchunks, adamw_chunk, p);
    t->step++;
    *lr_out = lr;
    *beta_out = p->beta;
}

/* ---- validation: fixed chunks of windows on the workers, combined in
 * chunk order ---- */

enum { VCHUNK = 256 };

typedef struct val_job {
    const gv_trainer *t;
    const gv_windows *w;
    float beta;
    gv_infer_ws **ws;   /* per worker */
    float **buf;        /* per worker: mu, logvar, logits, src */
    gv_loss_parts *parts; /* per chunk */
    long (*cnt)[3];     /* per chunk: tp, fp, fn */
} val_job;

static void val_chunk(void *arg, int ch, int k)
{
    val_job *v = arg;
    const gv_trainer *t = v->t;
    const gv_windows *w = v->w;
    int L = t->o.cfg.latent_dim, F = t->o.cfg.src_features, i = ch * VCHUNK;
    int N = w->n - i < VCHUNK ? w->n - i : VCHUNK;
    float *mu = v->buf[k], *lv = mu + (size_t)VCHUNK * L, *logits = lv + (size_t)VCHUNK * L;
    float *src = logits + (size_t)VCHUNK * GV_TGT_DIM;
    const float *tg = w->tgt + (size_t)i * GV_TGT_DIM;
    gv_cond one_lane; /* the drumify of today's groove: the figure comparable across models */
    gv_cond_default(&one_lane);
    for (int j = 0; j < N; j++)
        gv_window_src(w, i + j, &one_lane, F, src + (size_t)j * GV_WIN_STEPS * F);
    gv_model_encode(&t->model, src, N, mu, lv, v->ws[k]);
    gv_model_decode_logits_cond(&t->model, mu, src, N, logits, v->ws[k]);
    gv_loss_parts *p = &v->parts[ch];
    gv_recon_loss(&t->o.loss, logits, tg, N, NULL, p);
    gv_kl_loss(mu, lv, N, L, v->beta, t->o.free_bits, NULL, NULL, p);
    long *c3 = v->cnt[ch];
    c3[0] = c3[1] = c3[2] = 0;
    for (size_t c = 0; c < (size_t)N * GV_TGT_DIM; c++) {
        if (c % 27 >= 9)
            continue;
        int pred = logits[c] > 0, truth = tg[c] > 0.5f;
        c3[0] += pred && truth;
        c3[1] += pred && !truth;
        c3[2] += !pred && truth;
    }
}

static void val_combine(const val_job *v, int nch, gv_loss_parts *loss, float *f1)
{
    long tp = 0, fp = 0, fn = 0;
    for (int ch = 0; ch < nch; ch++) {
        int N = v->w->n - ch * VCHUNK < VCHUNK ? v->w->n - ch * VCHUNK : VCHUNK;
        double f = (double)N / v->w->n;
        const gv_loss_parts *b = &v->parts[ch];
        loss->hit += f * b->hit;
        loss->vel += f * b->vel;
        loss->off += f * b->off;
        loss->kl += f * b->kl;
        loss->kl_term += f * b->kl_term;
        loss->total += f * b->total;
        tp += v->cnt[ch][0];
        fp += v->cnt[ch][1];
        fn += v->cnt[ch][2];
    }
    *f1 = tp ? (float)(2.0 * tp / (2.0 * tp + fp + fn)) : 0.f;
}

void gv_step_val(const gv_trainer *t, const gv_windows *w, gv_loss_parts *loss, float *f1)
{
    memset(loss, 0, sizeof *loss);
    *f1 = 0;
    if (w->n == 0)
        return;
    const gv_config *c = &t->o.cfg;
    int nch = (w->n + VCHUNK - 1) / VCHUNK, nw = t->par ? t->par->nw : 1, ok = 1;
    gv_pool *pool = t->par ? t->par->pool : NULL;
    size_t per = (size_t)VCHUNK * (2 * c->latent_dim + GV_TGT_DIM + GV_WIN_STEPS * c->src_features);
    val_job v = {t, w, gv_beta_at(t->step, t->o.beta_kind, t->o.beta_period, t->o.beta_ramp, t->o.beta_max),
                 calloc((size_t)nw, sizeof *v.ws), calloc((size_t)nw, sizeof *v.buf),
                 malloc((size_t)nch * sizeof *v.parts), malloc((size_t)nch * sizeof *v.cnt)};
    ok = v.ws && v.buf && v.parts && v.cnt;
    for (int k = 0; ok && k < nw; k++)
        ok = (v.ws[k] = gv_infer_ws_new(c, VCHUNK)) && (v.buf[k] = malloc(per * sizeof(float)));
    if (ok) {
        gv_pool_for(pool, nch, val_chunk, &v);
        val_combine(&v, nch, loss, f1);
    }
    for (int k = 0; k < nw && v.ws && v.buf; k++) {
        if (v.ws[k])
            gv_infer_ws_free(v.ws[k]);
        free(v.buf[k]);
    }
    free(v.ws);
    free(v.buf);
    free(v.parts);
    free(v.cnt);
}

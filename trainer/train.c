#define _POSIX_C_SOURCE 200809L
#include "trainer/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trainer/schedule.h"

void gv_train_opts_default(gv_train_opts *o)
{
    memset(o, 0, sizeof *o);
    gv_config_default(&o->cfg);
    gv_loss_opts_default(&o->loss);
    o->seed = 1;
    o->epochs = 20;
    o->batch = 64;
    o->lr = 1e-3f;
    o->lr_min_ratio = 0.05f;
    o->weight_decay = 0.01f;
    o->clip = 1.0f;
    o->warmup = 200;
    o->dropout = 0.1f;
    o->beta_max = 0.2f;
    o->beta_kind = 0;
    o->beta_period = 2000;
    o->beta_ramp = 0.5f;
    o->free_bits = 32.0f;
    o->vel_dropout = 0.0f;
    o->vel_const = 0.8f;
    o->note_dropout = 0.0f;
    o->ckpt_every = 0;
    const float mix[GV_TRAIN_MODES] = {0.30f, 0.15f, 0.15f, 0.20f, 0.10f, 0.10f};
    memcpy(o->mix, mix, sizeof mix);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

long gv_trainer_steps_per_epoch(const gv_trainer *t) { return t->train->n / t->o.batch; }

void gv_trainer_free(gv_trainer *t)
{
    gv_model_free(&t->model);
    gv_adamw_free(&t->opt);
    if (t->ws)
        gv_train_ws_free(t->ws);
    free(t->grads);
    free(t->src);
    free(t->tgt);
    free(t->dlogits);
    free(t->dmu);
    free(t->dlogvar);
    free(t->perm);
    t->ws = NULL;
    t->grads = t->src = t->tgt = t->dlogits = t->dmu = t->dlogvar = NULL;
    t->perm = NULL;
}

int gv_trainer_init(gv_trainer *t, const gv_train_opts *o, const gv_windows *train, const gv_windows *val,
                    gv_err *e)
{
    memset(t, 0, sizeof *t);
    t->o = *o;
    t->train = train;
    t->val = val;
    t->perm_epoch = -1;
    if (o->batch < 1 || o->epochs < 1 || o->epochs > GV_TRAIN_MAX_EPOCHS)
        return gv_fail(e, "batch must be >= 1 and epochs 1..%d", GV_TRAIN_MAX_EPOCHS);
    if (train->n < o->batch)
        return gv_fail(e, "%d training windows, fewer than one batch of %d", train->n, o->batch);
    if (gv_config_validate(&o->cfg, e) != 0)
        return -1;
    if (gv_model_init_random(&t->model, &o->cfg, o->seed, e) != 0)
        return -1;
    /* every step changes params, which a packed copy would not follow */
    gv_model_unpack(&t->model);
    int B = o->batch, L = o->cfg.latent_dim;
    size_t np = t->model.nparams;
    t->grads = calloc(np, sizeof(float));
    t->src = malloc((size_t)B * GV_WIN_STEPS * o->cfg.src_features * sizeof(float));
    t->tgt = malloc((size_t)B * GV_TGT_DIM * sizeof(float));
    t->dlogits = malloc((size_t)B * GV_TGT_DIM * sizeof(float));
    t->dmu = malloc((size_t)B * L * sizeof(float));
    t->dlogvar = malloc((size_t)B * L * sizeof(float));
    t->perm = malloc((size_t)train->n * sizeof(int));
    t->ws = gv_train_ws_new(&o->cfg, B);
    if (!t->grads || !t->src || !t->tgt || !t->dlogits || !t->dmu || !t->dlogvar || !t->perm || !t->ws ||
        gv_adamw_init(&t->opt, np, 0.9f, 0.999f, 1e-8f, o->weight_decay) != 0) {
        gv_trainer_free(t);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    gv_rng_seed(&t->rng, o->seed ^ 0x7261696e5f726e67ull);
    return 0;
}

/* The epoch's order: a Fisher-Yates shuffle seeded by (seed, epoch) alone, so
 * a resumed run sees the same order without saving it. */
static void shuffle(gv_trainer *t, int epoch)
{
    int n = t->train->n;
    gv_rng r;
    gv_rng_seed(&r, t->o.seed * 0x9e3779b97f4a7c15ull + (uint64_t)epoch + 1);
    for (int i = 0; i < n; i++)
        t->perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)gv_rng_below(&r, (uint32_t)i + 1);
        int x = t->perm[i];
        t->perm[i] = t->perm[j];
        t->perm[j] = x;
    }
    t->perm_epoch = epoch;
}

/* Groove augmentation on the groove columns (0..2) of src, F floats a step. */
static void augment(gv_trainer *t, float *src, int F)
{
    const gv_train_opts *o = &t->o;
    if (o->note_dropout > 0)
        for (int s = 0; s < GV_WIN_STEPS; s++)
            if (src[F * s] > 0.5f && gv_rng_uniform(&t->rng) < o->note_dropout)
                src[F * s] = src[F * s + 1] = src[F * s + 2] = 0.f;
    if (o->vel_dropout > 0 && gv_rng_uniform(&t->rng) < o->vel_dropout)
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

/* Example i of the batch from window idx: its input under a drawn mode
 * (conditioned models) or its groove, augmented where it is the only input. */
static void example_src(gv_trainer *t, int idx, float *src)
{
    int F = t->o.cfg.src_features;
    gv_cond c;
    gv_cond_default(&c);
    if (F == GV_COND_FEATURES)
        draw_cond(&t->rng, t->o.mix, &c);
    gv_window_src(t->train, idx, &c, F, src);
    if (c.humanize) {
        /* a programmed beat: every hit at one velocity, on the grid */
        float vel = 0.5f + 0.4f * gv_rng_uniform(&t->rng);
        for (int s = 0; s < GV_WIN_STEPS; s++) {
            src[F * s + 1] = src[F * s] > 0.5f ? vel : 0.f;
            src[F * s + 2] = 0.f;
        }
    } else if (c.lanes == 1 && !c.keep) {
        augment(t, src, F);
    }
    for (int s = 0; F == GV_COND_FEATURES && s < GV_WIN_STEPS; s++) /* the decoder's copy of the groove */
        if (src[F * s + GV_COND_GIVEN_DEC] > 0.5f)
            memcpy(src + F * s + GV_COND_GROOVE_DEC, src + F * s, 3 * sizeof *src);
}

static void parts_add(gv_loss_parts *a, const gv_loss_parts *b, double w)
{
    a->hit += w * b->hit;
    a->vel += w * b->vel;
    a->off += w * b->off;
    a->kl += w * b->kl;
    a->kl_term += w * b->kl_term;
    a->total += w * b->total;
}

static float beta_at(const gv_trainer *t, long step)
{
    return gv_beta_at(step, t->o.beta_kind, t->o.beta_period, t->o.beta_ramp, t->o.beta_max);
}

void gv_trainer_val(const gv_trainer *t, const gv_windows *w, gv_loss_parts *loss, float *f1)
{
    memset(loss, 0, sizeof *loss);
    *f1 = 0;
    if (w->n == 0)
        return;
    const int chunk = 256, L = t->o.cfg.latent_dim, F = t->o.cfg.src_features;
    gv_infer_ws *ws = gv_infer_ws_new(&t->o.cfg, chunk);
    float *mu = malloc((size_t)chunk * L * sizeof(float)), *lv = malloc((size_t)chunk * L * sizeof(float));
    float *logits = malloc((size_t)chunk * GV_TGT_DIM * sizeof(float));
    float *src = malloc((size_t)chunk * GV_WIN_STEPS * F * sizeof(float));
    gv_cond one_lane; /* the drumify of today's groove: the figure comparable across models */
    gv_cond_default(&one_lane);
    if (!ws || !mu || !lv || !logits || !src)
        goto out;
    float beta = beta_at(t, t->step);
    long tp = 0, fp = 0, fn = 0;
    for (int i = 0; i < w->n; i += chunk) {
        int N = w->n - i < chunk ? w->n - i : chunk;
        const float *tg = w->tgt + (size_t)i * GV_TGT_DIM;
        for (int j = 0; j < N; j++)
            gv_window_src(w, i + j, &one_lane, F, src + (size_t)j * GV_WIN_STEPS * F);
        gv_model_encode(&t->model, src, N, mu, lv, ws);
        gv_model_decode_logits_cond(&t->model, mu, src, N, logits, ws);
        gv_loss_parts p;
        gv_recon_loss(&t->o.loss, logits, tg, N, NULL, &p);
        gv_kl_loss(mu, lv, N, L, beta, t->o.free_bits, NULL, NULL, &p);
        parts_add(loss, &p, (double)N / w->n);
        for (size_t c = 0; c < (size_t)N * GV_TGT_DIM; c++) {
            if (c % 27 >= 9)
                continue;
            int pred = logits[c] > 0, truth = tg[c] > 0.5f;
            tp += pred && truth;
            fp += pred && !truth;
            fn += !pred && truth;
        }
    }
    *f1 = tp ? (float)(2.0 * tp / (2.0 * tp + fp + fn)) : 0.f;
out:
    if (ws)
        gv_infer_ws_free(ws);
    free(mu);
    free(lv);
    free(logits);
    free(src);
}

/* One optimisation step on batch `b` of the current epoch. */
static void train_step(gv_trainer *t, long b, gv_loss_parts *p, float *lr_out, float *beta_out)
{
    const gv_train_opts *o = &t->o;
    const gv_config *c = &o->cfg;
    int B = o->batch, L = c->latent_dim;
    long total = gv_trainer_steps_per_epoch(t) * o->epochs;
    for (int i = 0; i < B; i++) {
        int idx = t->perm[b * B + i];
        example_src(t, idx, t->src + (size_t)i * GV_WIN_STEPS * c->src_features);
        memcpy(t->tgt + (size_t)i * GV_TGT_DIM, t->train->tgt + (size_t)idx * GV_TGT_DIM, GV_TGT_DIM * sizeof(float));
    }
    float lr = gv_lr_at(t->step, o->warmup, total, o->lr, o->lr_min_ratio);
    float beta = beta_at(t, t->step);
    gv_model_forward_train(c, t->model.params, t->src, B, o->dropout, NULL, &t->rng, t->ws);
    gv_recon_loss(&o->loss, gv_train_ws_logits(t->ws), t->tgt, B, t->dlogits, p);
    gv_kl_loss(gv_train_ws_mu(t->ws), gv_train_ws_logvar(t->ws), B, L, beta, o->free_bits, t->dmu, t->dlogvar, p);
    /* grads are zero here: calloc'd, then zeroed by every step's AdamW */
    gv_model_backward(c, t->model.params, t->grads, t->dlogits, t->dmu, t->dlogvar, t->ws);
    float clip = gv_clip_factor(gv_grad_norm(t->grads, t->model.nparams), o->clip);
    gv_adamw_step_consume(&t->opt, t->model.params, t->grads, lr, clip);
    t->step++;
    *lr_out = lr;
    *beta_out = beta;
}

static int checkpoint(gv_trainer *t, const gv_train_hooks *h, double run_start, gv_err *e)
{
    if (!h || !h->ckpt_path)
        return 0;
    double keep = t->secs_before;
    t->secs_before += now_s() - run_start;
    int rc = gv_checkpoint_save(t, h->ckpt_path, e);
    t->secs_before = keep;
    if (rc == 0 && h->on_checkpoint)
        h->on_checkpoint(t, h->ckpt_path, h->user);
    return rc;
}

int gv_trainer_run(gv_trainer *t, const gv_train_hooks *h, gv_err *e)
{
    const gv_train_opts *o = &t->o;
    long spe = gv_trainer_steps_per_epoch(t), total = spe * o->epochs, step0 = t->step;
    double start = now_s();
    if (t->owed && t->nhist > 0 && h && h->on_epoch)
        h->on_epoch(&t->hist[t->nhist - 1], h->user);
    t->owed = 0;
    while (t->step < total) {
        int epoch = (int)(t->step / spe);
        if (t->perm_epoch != epoch)
            shuffle(t, epoch);
        gv_loss_parts p;
        float lr, beta;
        train_step(t, t->step % spe, &p, &lr, &beta);
        parts_add(&t->ep_sum, &p, 1.0);
        t->ep_count++;
        double el = now_s() - start;
        if (h && h->on_step) {
            gv_step_info si = {epoch + 1, o->epochs, t->step, total, spe, lr, beta, p, 0, 0};
            long done = t->step - step0;
            si.ex_per_s = el > 0 ? (double)done * o->batch / el : 0;
            si.eta_s = done > 0 ? el / done * (double)(total - t->step) : 0;
            h->on_step(&si, h->user);
        }
        if (t->step % spe == 0) {
            gv_epoch_stats *s = &t->hist[t->nhist < GV_TRAIN_MAX_EPOCHS ? t->nhist++ : GV_TRAIN_MAX_EPOCHS - 1];
            memset(s, 0, sizeof *s);
            s->epoch = epoch + 1;
            s->step = t->step;
            s->lr = lr;
            s->beta = beta;
            parts_add(&s->train, &t->ep_sum, 1.0 / (double)(t->ep_count ? t->ep_count : 1));
            memset(&t->ep_sum, 0, sizeof t->ep_sum);
            t->ep_count = 0;
            gv_trainer_val(t, t->val, &s->val, &s->val_f1);
            s->seconds = t->secs_before + now_s() - start;
            /* the checkpoint first, owing on_epoch's outputs: a kill before
             * they are all written is repaired by the resume */
            t->owed = 1;
            if (checkpoint(t, h, start, e) != 0)
                return -1;
            if (h && h->on_epoch)
                h->on_epoch(s, h->user);
            t->owed = 0;
        } else if (o->ckpt_every > 0 && t->step % o->ckpt_every == 0 && checkpoint(t, h, start, e) != 0) {
            return -1;
        }
        if (h && h->stop && *h->stop && t->step < total) {
            if (checkpoint(t, h, start, e) != 0)
                return -1;
            return 1;
        }
    }
    return 0;
}

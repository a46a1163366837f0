#define _POSIX_C_SOURCE 200809L
#include "trainer/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "trainer/dist.h"
#include "trainer/schedule.h"
#include "trainer/step.h"

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
    gv_step_par_free(t);
    free(t->perm);
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
    size_t np = t->model.nparams;
    t->perm = malloc((size_t)train->n * sizeof(int));
    t->threads = 1;
    if (!t->perm || gv_step_par_new(t, 0, o->batch, 1) != 0 ||
        gv_adamw_init(&t->opt, np, 0.9f, 0.999f, 1e-8f, o->weight_decay) != 0) {
        gv_trainer_free(t);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    gv_rng_seed(&t->rng, o->seed ^ 0x7261696e5f726e67ull);
    return 0;
}

/* This process's rows of each batch and the workers, anew. */
static int set_par(gv_trainer *t, const gv_dist *d, int threads, gv_err *e)
{
    int B = t->o.batch, r = d ? d->rank : 0, n = d ? d->size : 1;
    if (n > B)
        return gv_fail(e, "a batch of %d cannot be shared by %d processes", B, n);
    int row0 = (int)((long)B * r / n), rows = (int)((long)B * (r + 1) / n) - row0;
    if (gv_step_par_new(t, row0, rows, threads) != 0)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    t->dist = d;
    t->threads = threads < 1 ? 1 : threads;
    return 0;
}

int gv_trainer_threads(const gv_trainer *t) { return t->threads; }

int gv_trainer_set_threads(gv_trainer *t, int threads, gv_err *e) { return set_par(t, t->dist, threads, e); }

int gv_trainer_set_dist(gv_trainer *t, const gv_dist *d, gv_err *e)
{
    return set_par(t, d, gv_trainer_threads(t), e);
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

static void parts_add(gv_loss_parts *a, const gv_loss_parts *b, double w)
{
    a->hit += w * b->hit;
    a->vel += w * b->vel;
    a->off += w * b->off;
    a->kl += w * b->kl;
    a->kl_term += w * b->kl_term;
    a->total += w * b->total;
}

void gv_trainer_val(const gv_trainer *t, const gv_windows *w, gv_loss_parts *loss, float *f1)
{
    gv_step_val(t, w, loss, f1);
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

/* *h->stop on any of the processes (all of them stop at the same step). */
static int stop_asked(const gv_trainer *t, const gv_train_hooks *h)
{
    double s = h && h->stop && *h->stop;
    if (t->dist && t->dist->size > 1)
        gv_dist_sum_d(t->dist, &s, 1);
    return s > 0;
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
        gv_step_run(t, t->step % spe, &p, &lr, &beta);
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
            if (!t->dist || t->dist->rank == 0) /* the one that reports it */
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
        if (stop_asked(t, h) && t->step < total) {
            if (checkpoint(t, h, start, e) != 0)
                return -1;
            return 1;
        }
    }
    return 0;
}

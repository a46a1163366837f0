/* rnn_train.c - training the recurrent VAE family (see rnn_train.h). */
#include "trainer/rnn_train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/rng.h"
#include "trainer/adamw.h"

void gv_rnn_train_opts_default(gv_rnn_train_opts *o)
{
    *o = (gv_rnn_train_opts){.epochs = 20, .batch = 64, .lr = 1e-3f, .lr_min = 1e-5f, .lr_decay = 0.9999f,
                             .clip = 1.f, .seed = 0, .max_steps = 0, .stop = NULL};
}

/* A window's steps (windows built by hand leave it 0: 2 bars). */
static int win_steps(const gv_windows *w) { return w->steps ? w->steps : GV_WIN_STEPS; }

void gv_rnn_window_input(const gv_rnn_config *c, const gv_windows *w, int i, float *x)
{
    size_t T = (size_t)win_steps(w);
    const float *tgt = w->tgt + (size_t)i * T * GV_RNN_OUT;
    if (c->input == GV_RNN_IN_GROOVE) {
        memcpy(x, w->src + (size_t)i * T * 3, T * 3 * sizeof(float));
        return;
    }
    for (size_t t = 0; t < T; t++)
        memcpy(x + (size_t)t * c->input, tgt + (size_t)t * GV_RNN_OUT, (size_t)c->input * sizeof(float));
}

/* Batch b of examples idx[0..B) into x, y. */
static void gather(const gv_rnn_config *c, const gv_windows *w, const int *idx, int B, float *x, float *y)
{
    size_t T = (size_t)win_steps(w), xs = T * c->input, ys = T * GV_RNN_OUT;
    for (int i = 0; i < B; i++) {
        gv_rnn_window_input(c, w, idx[i], x + (size_t)i * xs);
        memcpy(y + (size_t)i * ys, w->tgt + (size_t)idx[i] * ys, ys * sizeof(float));
    }
}

typedef struct run {
    gv_rnn_ws *ws;
    float *x, *y, *eps, *grads, *best;
    int *idx;
    gv_adamw opt;
} run;

static void run_free(run *r)
{
    gv_rnn_ws_free(r->ws);
    free(r->x), free(r->y), free(r->eps), free(r->grads), free(r->best), free(r->idx);
    gv_adamw_free(&r->opt);
}

static int run_init(run *r, const gv_rnn_config *c, size_t np, int B, int n, gv_err *e)
{
    memset(r, 0, sizeof *r);
    r->ws = gv_rnn_ws_new(c, B);
    r->x = malloc((size_t)B * c->steps * c->input * sizeof(float));
    r->y = malloc((size_t)B * c->steps * GV_RNN_OUT * sizeof(float));
    r->eps = calloc((size_t)B * c->latent, sizeof(float));
    r->grads = calloc(np, sizeof(float));
    r->best = malloc(np * sizeof(float));
    r->idx = malloc((size_t)(n > B ? n : B) * sizeof(int));
    if (!r->ws || !r->x || !r->y || !r->eps || !r->grads || !r->best || !r->idx ||
        gv_adamw_init(&r->opt, np, 0.9f, 0.999f, 1e-8f, 0.f)) {
        run_free(r);
        return gv_fail(e, "out of memory");
    }
    return 0;
}

int gv_rnn_val_loss(const gv_rnn_config *c, const float *params, const gv_windows *w, gv_rnn_loss_parts *p,
                    gv_err *e)
{
    enum { B = 64 };
    memset(p, 0, sizeof *p);
    if (c->steps != win_steps(w))
        return gv_fail(e, "the windows are %d steps, the model %d", win_steps(w), c->steps);
    run r;
    if (run_init(&r, c, 1, B, B, e))
        return -1;
    double n = 0;
    for (int at = 0; at < w->n; at += B) {
        int b = w->n - at < B ? w->n - at : B;
        for (int i = 0; i < b; i++)
            r.idx[i] = at + i;
        gather(c, w, r.idx, b, r.x, r.y);
        gv_rnn_forward(c, params, r.ws, r.x, r.y, r.eps, b, 0, 0, NULL, NULL, NULL);
        gv_rnn_loss_parts q;
        gv_rnn_loss(c, r.ws, r.y, b, &q);
        p->hits += q.hits * b, p->vel += q.vel * b, p->off += q.off * b, p->kl += q.kl * b;
        p->total += q.total * b;
        n += b;
    }
    if (n > 0)
        p->hits /= n, p->vel /= n, p->off /= n, p->kl /= n, p->total /= n;
    run_free(&r);
    return 0;
}

/* One epoch over a seeded shuffle; the mean loss per example. */
static double epoch(const gv_rnn_config *c, float *params, const gv_windows *tr, const gv_rnn_train_opts *o,
                    run *r, long *step, int ep)
{
    gv_rng g;
    gv_rng_seed(&g, o->seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(ep + 1)));
    for (int i = 0; i < tr->n; i++)
        r->idx[i] = i;
    for (int i = tr->n - 1; i > 0; i--) { /* Fisher-Yates */
        int j = (int)gv_rng_below(&g, (uint32_t)i + 1), t = r->idx[i];
        r->idx[i] = r->idx[j], r->idx[j] = t;
    }
    size_t np;
    gv_rnn_tensors(c, NULL, &np);
    double sum = 0;
    int seen = 0, B = o->batch;
    for (int at = 0; at + B <= tr->n; at += B) {
        if ((o->max_steps && *step >= o->max_steps) || (o->stop && *o->stop))
            break;
        gather(c, tr, r->idx + at, B, r->x, r->y);
        for (size_t i = 0; i < (size_t)B * c->latent; i++)
            r->eps[i] = gv_rng_normal(&g);
        gv_rnn_forward(c, params, r->ws, r->x, r->y, r->eps, B, 1, gv_rng_u32(&g) | (uint64_t)*step << 32, NULL,
                       NULL, NULL);
        gv_rnn_loss_parts q;
        gv_rnn_loss(c, r->ws, r->y, B, &q);
        gv_rnn_backward(c, params, r->grads, r->ws, B);
        float lr = o->lr * powf(o->lr_decay, (float)*step);
        lr = lr < o->lr_min ? o->lr_min : lr;
        float k = gv_clip_factor(gv_grad_norm(r->grads, np), o->clip);
        gv_adamw_step_consume(&r->opt, params, r->grads, lr, k);
        sum += q.total * B;
        seen += B;
        (*step)++;
    }
    return seen ? sum / seen : 0.0;
}

int gv_rnn_train(const gv_rnn_config *c, float *params, const gv_windows *tr, const gv_windows *val,
                 const gv_rnn_train_opts *o, gv_rnn_epoch_fn fn, void *u, gv_err *e)
{
    if (gv_rnn_config_check(c, e))
        return -1;
    if (c->steps != win_steps(tr))
        return gv_fail(e, "the windows are %d steps, the model %d", win_steps(tr), c->steps);
    if (tr->n < o->batch)
        return gv_fail(e, "%d training windows, fewer than a batch of %d", tr->n, o->batch);
    size_t np;
    gv_rnn_tensors(c, NULL, &np);
    run r;
    if (run_init(&r, c, np, o->batch, tr->n, e))
        return -1;
    double best = INFINITY;
    long step = 0;
    memcpy(r.best, params, np * sizeof(float));
    for (int ep = 1; ep <= o->epochs; ep++) {
        gv_rnn_epoch s = {.epoch = ep};
        s.train_loss = epoch(c, params, tr, o, &r, &step, ep);
        s.steps = step;
        if (gv_rnn_val_loss(c, params, val, &s.val, e)) {
            run_free(&r);
            return -1;
        }
        if (s.val.total < best) {
            best = s.val.total;
            s.best = 1;
            memcpy(r.best, params, np * sizeof(float));
        }
        if (fn)
            fn(&s, u);
        if ((o->max_steps && step >= o->max_steps) || (o->stop && *o->stop))
            break;
    }
    memcpy(params, r.best, np * sizeof(float));
    run_free(&r);
    return 0;
}

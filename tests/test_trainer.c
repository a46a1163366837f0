/* test_trainer.c - losses and their gradients, schedules, AdamW, the data
 * windows and cache, determinism, exact resume, the whole-model check against
 * PyTorch autograd (tests/reference/train_check.py), evaluation, and a
 * training smoke test on a few GMD files. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/generate.h"
#include "engine/model.h"
#include "base/fileio.h"
#include "trainer/adamw.h"
#include "trainer/data.h"
#include "trainer/eval.h"
#include "trainer/loss.h"
#include "trainer/schedule.h"
#include "trainer/train.h"
#include "tests/helpers.h"

static void tmpdir(char *buf, size_t n)
{
    snprintf(buf, n, "/tmp/gv_trainer_XXXXXX");
    cr_assert_not_null(mkdtemp(buf));
}

static void rm_dir(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A random target batch [B][32][27] (hits 0/1, velocities and offsets on hits). */
static void random_target(gv_rng *r, float *tgt, int B, float density)
{
    for (int b = 0; b < B; b++)
        for (int s = 0; s < 32; s++)
            for (int v = 0; v < 9; v++) {
                float *t = tgt + (size_t)b * 864 + s * 27;
                int h = gv_rng_uniform(r) < density;
                t[v] = (float)h;
                t[9 + v] = h ? 0.1f + 0.9f * gv_rng_uniform(r) : 0.f;
                t[18 + v] = h ? gv_rng_uniform(r) - 0.5f : 0.f;
            }
}

static double recon_total(const gv_loss_opts *o, const float *x, const float *t, int B)
{
    gv_loss_parts p;
    gv_recon_loss(o, x, t, B, NULL, &p);
    return p.total;
}

/* Central differences of the reconstruction loss against dlogits. */
static void check_recon_grad(int hit, int vel, int off, int sig)
{
    enum { B = 2, N = B * 864 };
    gv_rng r;
    gv_rng_seed(&r, 7 + hit * 4 + vel * 2 + off + sig * 8);
    float x[N], t[N], g[N];
    random_target(&r, t, B, 0.3f);
    for (int i = 0; i < N; i++)
        x[i] = 2.f * gv_rng_normal(&r);
    gv_loss_opts o = {hit, 0.4f, vel, off, sig, sig ? 0.3f : 0.f};
    gv_loss_parts p;
    gv_recon_loss(&o, x, t, B, g, &p);
    cr_assert(isfinite(p.total) && p.total > 0);
    cr_assert(fabs(p.total - (p.hit + p.vel + p.off)) < 1e-9);
    double maxerr = 0, maxg = 0;
    for (int i = 0; i < N; i += 7) {
        const float h = 1e-2f;
        float keep = x[i];
        x[i] = keep + h;
        double up = recon_total(&o, x, t, B);
        x[i] = keep - h;
        double dn = recon_total(&o, x, t, B);
        x[i] = keep;
        double fd = (up - dn) / (2.0 * h);
        maxerr = fmax(maxerr, fabs(fd - g[i]));
        maxg = fmax(maxg, fabs(g[i]));
    }
    cr_assert(maxg > 0);
    cr_assert(maxerr <= 2e-3 * maxg, "hit %d vel %d off %d sig %d: grad error %g (max grad %g)", hit, vel, off, sig,
              maxerr, maxg);
}

Test(loss, gradients_match_finite_differences)
{
    for (int sig = 0; sig < 2; sig++) {
        check_recon_grad(GV_LOSS_BCE, GV_LOSS_MSE, GV_LOSS_MSE, sig);
        check_recon_grad(GV_LOSS_DICE, GV_LOSS_BCE, GV_LOSS_BCE, sig);
        check_recon_grad(GV_LOSS_BCE, GV_LOSS_BCE, GV_LOSS_MSE, sig);
        check_recon_grad(GV_LOSS_DICE, GV_LOSS_MSE, GV_LOSS_BCE, sig);
    }
}

Test(loss, known_values)
{
    /* One example, every logit 0: p = 1/2 everywhere. */
    static float x[864], t[864];
    t[0] = 1.f;       /* one kick hit at step 0 */
    t[9] = 1.f;       /* velocity 1 */
    t[18] = 0.25f;    /* offset */
    gv_loss_opts o = {GV_LOSS_BCE, 0.5f, GV_LOSS_MSE, GV_LOSS_MSE, 0, 0.f};
    gv_loss_parts p;
    gv_recon_loss(&o, x, t, 1, NULL, &p);
    double w = 1 + 0.5 * 287, ln2 = log(2.0);
    cr_assert(fabs(p.hit - w * ln2 / 288) < 1e-9);
    /* velocity: sigmoid(0) = 1/2; the one hit cell (1-1/2)^2, empties weigh 0 */
    cr_assert(fabs(p.vel - 0.25) < 1e-9);
    /* offset: tanh(0)/2 = 0 against 0.25 */
    cr_assert(fabs(p.off - 0.0625) < 1e-9);
    o.vo_empty = 0.5f;
    gv_recon_loss(&o, x, t, 1, NULL, &p);
    cr_assert(fabs(p.vel - (0.25 + 287 * 0.25 * 0.5) / (1 + 287 * 0.5)) < 1e-9);
    cr_assert(fabs(p.off - 0.0625 / (1 + 287 * 0.5)) < 1e-9);
    /* no hits and no weight on empties: no velocity/offset loss */
    static float t0[864];
    o.vo_empty = 0.f;
    gv_recon_loss(&o, x, t0, 1, NULL, &p);
    cr_assert(p.vel == 0 && p.off == 0);
    o.hit = GV_LOSS_DICE;
    gv_recon_loss(&o, x, t, 1, NULL, &p);
    cr_assert(fabs(p.hit - (1 - (2 * 0.5 + 1) / (144 + 1 + 1.0))) < 1e-9);
}

Test(loss, kl_free_bits_and_gradients)
{
    enum { B = 3, L = 4 };
    float mu[B * L], lv[B * L], dmu[B * L], dlv[B * L];
    gv_rng r;
    gv_rng_seed(&r, 3);
    for (int i = 0; i < B * L; i++) {
        mu[i] = gv_rng_normal(&r);
        lv[i] = 0.5f * gv_rng_normal(&r);
    }
    /* zero for mu = 0, logvar = 0 */
    float z[L] = {0}, dz[L];
    gv_loss_parts p = {0};
    gv_kl_loss(z, z, 1, L, 1.f, 0.f, dz, NULL, &p);
    cr_assert(fabs(p.kl) < 1e-12 && fabs(p.kl_term) < 1e-12);
    /* mu = 1, logvar = 0: 1/2 per dimension */
    float one[L] = {1, 1, 1, 1};
    memset(&p, 0, sizeof p);
    gv_kl_loss(one, z, 1, L, 0.5f, 0.f, NULL, NULL, &p);
    cr_assert(fabs(p.kl - 2.0) < 1e-9 && fabs(p.kl_term - 1.0) < 1e-9 && fabs(p.total - 1.0) < 1e-9);
    /* free bits above the KL: no term, no gradient; below: the excess */
    memset(&p, 0, sizeof p);
    gv_kl_loss(one, z, 1, L, 0.5f, 3.f, dz, NULL, &p);
    cr_assert(fabs(p.kl - 2.0) < 1e-9 && p.kl_term == 0 && dz[0] == 0);
    memset(&p, 0, sizeof p);
    gv_kl_loss(one, z, 1, L, 0.5f, 1.5f, dz, NULL, &p);
    cr_assert(fabs(p.kl_term - 0.25) < 1e-9 && fabsf(dz[0] - 0.5f) < 1e-7);
    /* finite differences, beta 0.7, free bits 0.1 */
    memset(&p, 0, sizeof p);
    gv_kl_loss(mu, lv, B, L, 0.7f, 0.1f, dmu, dlv, &p);
    for (int i = 0; i < B * L; i++)
        for (int which = 0; which < 2; which++) {
            float *x = which ? lv : mu, keep = x[i], h = 1e-2f;
            gv_loss_parts a = {0}, b = {0};
            x[i] = keep + h;
            gv_kl_loss(mu, lv, B, L, 0.7f, 0.1f, NULL, NULL, &a);
            x[i] = keep - h;
            gv_kl_loss(mu, lv, B, L, 0.7f, 0.1f, NULL, NULL, &b);
            x[i] = keep;
            double fd = (a.kl_term - b.kl_term) / (2.0 * h), g = which ? dlv[i] : dmu[i];
            cr_assert(fabs(fd - g) < 1e-3 * fmax(1.0, fabs(g)), "%s[%d]: fd %g grad %g", which ? "logvar" : "mu", i,
                      fd, g);
        }
}

Test(loss, names)
{
    int k;
    cr_assert_eq(gv_loss_parse("dice", &k), 0);
    cr_assert_eq(k, GV_LOSS_DICE);
    cr_assert_str_eq(gv_loss_name(GV_LOSS_MSE), "mse");
    cr_assert_eq(gv_loss_parse("hinge", &k), -1);
}

Test(schedule, learning_rate_and_beta)
{
    /* warm-up: linear to lr, cosine to lr*min_ratio at the end */
    cr_assert_float_eq(gv_lr_at(0, 10, 110, 1.f, 0.1f), 0.1f, 1e-7);
    cr_assert_float_eq(gv_lr_at(9, 10, 110, 1.f, 0.1f), 1.0f, 1e-7);
    cr_assert_float_eq(gv_lr_at(10, 10, 110, 1.f, 0.1f), 1.0f, 1e-7);
    cr_assert_float_eq(gv_lr_at(60, 10, 110, 1.f, 0.1f), 0.55f, 1e-6);
    cr_assert_float_eq(gv_lr_at(110, 10, 110, 1.f, 0.1f), 0.1f, 1e-7);
    cr_assert_float_eq(gv_lr_at(500, 10, 110, 1.f, 0.1f), 0.1f, 1e-7);
    /* beta: linear warm-up then flat */
    cr_assert_float_eq(gv_beta_at(0, GV_BETA_LINEAR, 100, 0.5f, 0.2f), 0.f, 0);
    cr_assert_float_eq(gv_beta_at(50, GV_BETA_LINEAR, 100, 0.5f, 0.2f), 0.1f, 1e-7);
    cr_assert_float_eq(gv_beta_at(1000, GV_BETA_LINEAR, 100, 0.5f, 0.2f), 0.2f, 1e-7);
    cr_assert_float_eq(gv_beta_at(7, GV_BETA_LINEAR, 0, 0.5f, 0.2f), 0.2f, 0);
    /* cyclic: ramps over half of each 100-step cycle, then flat, then restarts */
    cr_assert_float_eq(gv_beta_at(25, GV_BETA_CYCLIC, 100, 0.5f, 1.f), 0.5f, 1e-7);
    cr_assert_float_eq(gv_beta_at(75, GV_BETA_CYCLIC, 100, 0.5f, 1.f), 1.f, 0);
    cr_assert_float_eq(gv_beta_at(100, GV_BETA_CYCLIC, 100, 0.5f, 1.f), 0.f, 0);
    cr_assert_float_eq(gv_beta_at(110, GV_BETA_CYCLIC, 100, 0.5f, 1.f), 0.2f, 1e-7);
    int k;
    cr_assert_eq(gv_beta_parse("cyclic", &k), 0);
    cr_assert_eq(k, GV_BETA_CYCLIC);
    cr_assert_eq(gv_beta_parse("cosine", &k), -1);
}

Test(adamw, matches_hand_computed_steps)
{
    gv_adamw a;
    cr_assert_eq(gv_adamw_init(&a, 2, 0.9f, 0.999f, 1e-8f, 0.01f), 0);
    float p[2] = {1.f, -2.f}, g[2] = {0.5f, -0.1f};
    /* step 1: m^ = g, v^ = g^2, so the update is lr * sign(g) (eps aside) */
    gv_adamw_step(&a, p, g, 0.1f);
    cr_assert_float_eq(p[0], 1.f * (1 - 0.1f * 0.01f) - 0.1f, 1e-6);
    cr_assert_float_eq(p[1], -2.f * (1 - 0.1f * 0.01f) + 0.1f, 1e-6);
    cr_assert_float_eq(a.m[0], 0.05f, 1e-7);
    cr_assert_float_eq(a.v[0], 0.00025f, 1e-8);
    /* step 2 with the same gradient: m = 0.095, m^ = 0.095/0.19 = 0.5; v^ = 0.25 */
    gv_adamw_step(&a, p, g, 0.1f);
    cr_assert_float_eq(p[0], 0.899f * 0.999f - 0.1f, 1e-6);
    cr_assert_float_eq(a.m[0], 0.095f, 1e-7);
    cr_assert_eq(a.t, 2);
    /* a different gradient: m = 0.9*0.095 + 0.1*(-0.5) = 0.0355, m^ = 0.0355/0.271;
     * v = 0.999*0.00049975 + 0.001*0.25 = 0.00074925025, v^ = v/(1-0.999^3) */
    float g3[2] = {-0.5f, 0.f}, before = p[0];
    gv_adamw_step(&a, p, g3, 0.1f);
    double mh = 0.0355 / (1 - 0.729), vh = 0.00074925025 / (1 - 0.997002999);
    cr_assert_float_eq(p[0], before * 0.999 - 0.1 * mh / (sqrt(vh) + 1e-8), 2e-6);
    gv_adamw_free(&a);

    float c[2] = {3.f, 4.f};
    cr_assert_float_eq(gv_clip_grad_norm(c, 2, 1.f), 5.0, 1e-9);
    cr_assert_float_eq(c[0], 0.6f, 1e-6);
    cr_assert_float_eq(c[1], 0.8f, 1e-6);
    float d[2] = {0.3f, 0.4f};
    cr_assert_float_eq(gv_clip_grad_norm(d, 2, 1.f), 0.5, 1e-7);
    cr_assert_float_eq(d[0], 0.3f, 0);
}

Test(adamw, consume_is_clip_then_step_then_zero)
{
    enum { N = 11 }; /* vector blocks and a tail */
    gv_adamw a, b;
    cr_assert_eq(gv_adamw_init(&a, N, 0.9f, 0.999f, 1e-8f, 0.01f), 0);
    cr_assert_eq(gv_adamw_init(&b, N, 0.9f, 0.999f, 1e-8f, 0.01f), 0);
    float pa[N], pb[N], ga[N], gb[N], g0[N];
    for (int i = 0; i < N; i++) {
        pa[i] = pb[i] = 0.1f * (float)i - 0.4f;
        ga[i] = g0[i] = 0.3f * (float)(i % 5) - 0.5f;
    }
    double norm = gv_grad_norm(ga, N);
    float f = gv_clip_factor(norm, 0.5f);
    cr_assert(f < 1.0f);
    double clipped = gv_clip_grad_norm(ga, N, 0.5f); /* once: the assert may evaluate twice */
    cr_assert_float_eq(clipped, norm, 1e-12);
    for (int k = 0; k < 3; k++) { /* ga clipped in place, gb unclipped each step */
        memcpy(gb, g0, sizeof gb);
        gv_adamw_step(&a, pa, ga, 0.01f);
        gv_adamw_step_consume(&b, pb, gb, 0.01f, f);
        for (int i = 0; i < N; i++)
            cr_assert_eq(gb[i], 0.0f);
    }
    cr_assert_arr_eq(pa, pb, sizeof pa);
    cr_assert_arr_eq(a.m, b.m, sizeof(float) * N);
    cr_assert_eq(gv_clip_factor(norm, 0.f), 1.0f);
    cr_assert_eq(gv_clip_factor(0.1, 1.f), 1.0f);
    gv_adamw_free(&a);
    gv_adamw_free(&b);
}

/* Every element's update is the same bits whichever loop takes it (the
 * 16-lane AVX-512 one, the 4-lane SSE2 one, the scalar tail) and however the
 * range is split: element i of a whole-buffer step equals the step of a
 * range starting at i (where i is a tail or SSE2 element). */
Test(adamw, ranges_and_lane_widths_give_the_same_bits)
{
    enum { N = 53 };
    gv_adamw a, b;
    cr_assert_eq(gv_adamw_init(&a, N, 0.9f, 0.999f, 1e-8f, 0.01f), 0);
    cr_assert_eq(gv_adamw_init(&b, N, 0.9f, 0.999f, 1e-8f, 0.01f), 0);
    float pa[N], pb[N], ga[N], gb[N];
    gv_rng r;
    gv_rng_seed(&r, 8);
    for (int i = 0; i < N; i++)
        pa[i] = pb[i] = gv_rng_normal(&r);
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < N; i++)
            ga[i] = gb[i] = 0.1f * gv_rng_normal(&r);
        gv_adamw_step_consume(&a, pa, ga, 1e-2f, 0.7f);
        gv_adamw_k kk;
        gv_adamw_begin(&b, 1e-2f, 0.7f, &kk);
        for (size_t lo = 0; lo < N; lo += 1 + lo % 7) /* ranges of 1..7: every loop at every offset */
            gv_adamw_consume_range(&b, &kk, pb, gb, lo, lo + 1 + lo % 7 < N ? lo + 1 + lo % 7 : N);
    }
    cr_assert_arr_eq(pa, pb, sizeof pa);
    cr_assert_arr_eq(a.m, b.m, sizeof(float) * N);
    cr_assert_arr_eq(a.v, b.v, sizeof(float) * N);
    for (int i = 0; i < N; i++)
        cr_assert_eq(gb[i], 0.0f);
    gv_adamw_free(&a);
    gv_adamw_free(&b);
}

/* ---- training on synthetic windows ---- */

static void synthetic_windows(gv_windows *w, int n, uint64_t seed)
{
    memset(w, 0, sizeof *w);
    w->n = n;
    w->src = malloc((size_t)n * GV_SRC_DIM * sizeof(float));
    w->tgt = malloc((size_t)n * GV_TGT_DIM * sizeof(float));
    gv_rng r;
    gv_rng_seed(&r, seed);
    static gv_pattern p;
    for (int i = 0; i < n; i++) {
        float *t = w->tgt + (size_t)i * GV_TGT_DIM;
        random_target(&r, t, 1, 0.15f);
        gv_pattern_init(&p, 32, 120, "");
        for (int s = 0; s < 32; s++)
            for (int v = 0; v < 9; v++)
                if (t[s * 27 + v] > 0.5f)
                    gv_pattern_set(&p, s, v, 1, t[s * 27 + 9 + v], t[s * 27 + 18 + v]);
        gv_pattern_groove(&p, w->src + (size_t)i * GV_SRC_DIM);
    }
}

static void tiny_opts(gv_train_opts *o)
{
    gv_train_opts_default(o);
    gv_config *c = &o->cfg;
    c->d_model_enc = c->d_model_dec = 16;
    c->nhead_enc = c->nhead_dec = 2;
    c->dim_feedforward_enc = c->dim_feedforward_dec = 24;
    c->num_encoder_layers = c->num_decoder_layers = 1;
    c->latent_dim = 8;
    o->batch = 8;
    o->epochs = 3;
    o->warmup = 4;
    o->beta_period = 10;
    o->note_dropout = 0.1f;
    o->vel_dropout = 0.3f;
}

typedef struct stop_at {
    long step;
    volatile sig_atomic_t flag;
} stop_at;

static void stop_cb(const gv_step_info *s, void *u)
{
    stop_at *x = u;
    if (s->step == x->step)
        x->flag = 1;
}

static gv_trainer *train_new(const gv_train_opts *o, const gv_windows *tr, const gv_windows *va)
{
    gv_trainer *t = calloc(1, sizeof *t);
    gv_err e;
    cr_assert_eq(gv_trainer_init(t, o, tr, va, &e), 0, "%s", e.msg);
    return t;
}

static void train_del(gv_trainer *t)
{
    gv_trainer_free(t);
    free(t);
}

Test(train, same_seed_same_weights_bit_for_bit)
{
    gv_windows tr, va;
    synthetic_windows(&tr, 40, 1);
    synthetic_windows(&va, 10, 2);
    gv_train_opts o;
    tiny_opts(&o);
    gv_err e;
    gv_trainer *a = train_new(&o, &tr, &va), *b = train_new(&o, &tr, &va);
    cr_assert_eq(gv_trainer_run(a, NULL, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_trainer_run(b, NULL, &e), 0, "%s", e.msg);
    cr_assert_eq(a->step, 3 * (40 / 8));
    cr_assert_eq(memcmp(a->model.params, b->model.params, a->model.nparams * sizeof(float)), 0);
    cr_assert_eq(a->nhist, 3);
    for (size_t i = 0; i < a->model.nparams; i++)
        cr_assert(isfinite(a->model.params[i]));
    /* a different seed trains differently */
    o.seed = 2;
    gv_trainer *c = train_new(&o, &tr, &va);
    cr_assert_eq(gv_trainer_run(c, NULL, &e), 0, "%s", e.msg);
    cr_assert_neq(memcmp(a->model.params, c->model.params, a->model.nparams * sizeof(float)), 0);
    train_del(a);
    train_del(b);
    train_del(c);
    gv_windows_free(&tr);
    gv_windows_free(&va);
}

/* The batch is cut into fixed shards whatever the thread count, and their
 * gradients summed in a fixed order: 1, 2 and 3 threads give the same weights
 * bit for bit after 50 steps (dropout 0.1, augmentation on), and so does a
 * run that changes its thread count half way. */
Test(train, any_thread_count_same_weights_bit_for_bit, .timeout = 60)
{
    gv_windows tr, va;
    synthetic_windows(&tr, 80, 5);
    synthetic_windows(&va, 10, 6);
    gv_train_opts o;
    tiny_opts(&o);
    o.batch = 32; /* 4 shards of 8 */
    o.epochs = 20; /* 2 steps an epoch: 40 steps */
    o.dropout = 0.1f;
    gv_err e;
    gv_trainer *t[3];
    for (int k = 0; k < 3; k++) {
        t[k] = train_new(&o, &tr, &va);
        cr_assert_eq(gv_trainer_set_threads(t[k], k + 1, &e), 0, "%s", e.msg);
        cr_assert_eq(gv_trainer_threads(t[k]), k + 1);
    }
    stop_at st = {21, 0};
    gv_train_hooks h = {stop_cb, NULL, NULL, &st, NULL, &st.flag};
    cr_assert_eq(gv_trainer_run(t[2], &h, &e), 1, "%s", e.msg);
    cr_assert_eq(gv_trainer_set_threads(t[2], 2, &e), 0, "%s", e.msg);
    for (int k = 0; k < 3; k++)
        cr_assert_eq(gv_trainer_run(t[k], NULL, &e), 0, "%s", e.msg);
    size_t nb = t[0]->model.nparams * sizeof(float);
    for (int k = 1; k < 3; k++) {
        cr_assert_eq(t[k]->step, 40);
        cr_assert_eq(memcmp(t[0]->model.params, t[k]->model.params, nb), 0, "%d threads: other weights", k + 1);
        cr_assert_eq(memcmp(t[0]->opt.v, t[k]->opt.v, nb), 0);
        for (int i = 0; i < t[0]->nhist; i++) {
            cr_assert(t[0]->hist[i].train.total == t[k]->hist[i].train.total);
            cr_assert(t[0]->hist[i].val.total == t[k]->hist[i].val.total);
            cr_assert(t[0]->hist[i].val_f1 == t[k]->hist[i].val_f1);
        }
    }
    for (int k = 0; k < 3; k++)
        train_del(t[k]);
    gv_windows_free(&tr);
    gv_windows_free(&va);
}

Test(train, resume_continues_exactly)
{
    gv_windows tr, va;
    synthetic_windows(&tr, 44, 3); /* 5 batches of 8, 4 windows skipped per epoch */
    synthetic_windows(&va, 9, 4);
    gv_train_opts o;
    tiny_opts(&o);
    o.ckpt_every = 4;
    char dir[64], ck[128];
    tmpdir(dir, sizeof dir);
    snprintf(ck, sizeof ck, "%s/t.ckpt", dir);
    gv_err e;
    gv_trainer *full = train_new(&o, &tr, &va);
    cr_assert_eq(gv_trainer_run(full, NULL, &e), 0, "%s", e.msg);

    /* stop mid-epoch at step 7 (as SIGINT would), then a fresh trainer resumes */
    stop_at st = {7, 0};
    gv_train_hooks h = {stop_cb, NULL, NULL, &st, ck, &st.flag};
    gv_trainer *part = train_new(&o, &tr, &va);
    cr_assert_eq(gv_trainer_run(part, &h, &e), 1, "%s", e.msg);
    cr_assert_eq(part->step, 7);
    train_del(part);
    gv_trainer *rest = train_new(&o, &tr, &va);
    cr_assert_eq(gv_trainer_resume(rest, ck, &e), 0, "%s", e.msg);
    cr_assert_eq(rest->step, 7);
    cr_assert_eq(rest->nhist, 1);
    gv_train_hooks h2 = {NULL, NULL, NULL, NULL, ck, NULL};
    cr_assert_eq(gv_trainer_run(rest, &h2, &e), 0, "%s", e.msg);
    size_t nb = full->model.nparams * sizeof(float);
    cr_assert_eq(memcmp(full->model.params, rest->model.params, nb), 0, "resumed weights differ");
    cr_assert_eq(memcmp(full->opt.m, rest->opt.m, nb), 0);
    cr_assert_eq(memcmp(full->opt.v, rest->opt.v, nb), 0);
    cr_assert_eq(rest->nhist, 3);
    cr_assert(fabs(full->hist[2].train.total - rest->hist[2].train.total) == 0);

    /* a checkpoint refuses other options, and a truncated one */
    gv_train_opts o2 = o;
    o2.lr *= 2;
    gv_trainer *other = train_new(&o2, &tr, &va);
    cr_assert_eq(gv_trainer_resume(other, ck, &e), -1);
    cr_assert(strstr(e.msg, "options"), "%s", e.msg);
    train_del(other);
    unsigned char *d;
    size_t len;
    cr_assert_eq(gv_read_file(ck, 1u << 30, &d, &len, &e), 0);
    cr_assert_eq(gv_write_atomic(ck, d, len - 5, &e), 0);
    free(d);
    gv_trainer *bad = train_new(&o, &tr, &va);
    cr_assert_eq(gv_trainer_resume(bad, ck, &e), -1);
    train_del(bad);
    train_del(full);
    train_del(rest);
    rm_dir(dir);
    gv_windows_free(&tr);
    gv_windows_free(&va);
}

/* ---- the whole model against PyTorch autograd ---- */

static void torch_check(int hit, int vel, int off, int sigmoid_off, float beta, float free_bits, float vo_empty,
                        uint64_t seed)
{
    enum { B = 3 };
    char dir[64], mp[128], bp[128], op[128], cmd[1024];
    tmpdir(dir, sizeof dir);
    snprintf(mp, sizeof mp, "%s/m.safetensors", dir);
    snprintf(bp, sizeof bp, "%s/batch.bin", dir);
    snprintf(op, sizeof op, "%s/out.bin", dir);
    gv_config c = gv_test_config(24, 3, 40, 2, 16, 2, 32, 2, 6);
    if (sigmoid_off)
        snprintf(c.o_activation, sizeof c.o_activation, "sigmoid");
    gv_err e;
    gv_model m;
    gv_rng r;
    gv_rng_seed(&r, seed);
    cr_assert_eq(gv_model_init_random(&m, &c, seed, &e), 0, "%s", e.msg);
    for (size_t i = 0; i < m.nparams; i++)
        m.params[i] += 0.05f * gv_rng_normal(&r);
    cr_assert_eq(gv_model_save(&m, mp, &e), 0, "%s", e.msg);
    int L = c.latent_dim;
    size_t nb = 8 + (size_t)B * (GV_SRC_DIM + GV_TGT_DIM + L) * 4;
    unsigned char *batch = malloc(nb);
    int32_t hdr[2] = {B, L};
    memcpy(batch, hdr, 8);
    float *src = (float *)(batch + 8), *tgt = src + B * GV_SRC_DIM, *eps = tgt + B * GV_TGT_DIM;
    gv_windows w;
    synthetic_windows(&w, B, seed + 1);
    memcpy(src, w.src, sizeof(float) * B * GV_SRC_DIM);
    memcpy(tgt, w.tgt, sizeof(float) * B * GV_TGT_DIM);
    gv_windows_free(&w);
    for (int i = 0; i < B * L; i++)
        eps[i] = gv_rng_normal(&r);
    cr_assert_eq(gv_write_atomic(bp, batch, nb, &e), 0, "%s", e.msg);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/reference/train_check.py' %s %s %s %s %s %s %.9g %.9g %.9g %.9g",
             gv_test_root(), mp, bp, op, gv_loss_name(hit), gv_loss_name(vel), gv_loss_name(off), 0.4, (double)beta,
             (double)free_bits, (double)vo_empty);
    cr_assert_eq(system(cmd), 0, "reference failed: %s", cmd);

    gv_train_ws *ws = gv_train_ws_new(&c, B);
    float *dlogits = malloc((size_t)B * GV_TGT_DIM * 4), *dmu = malloc((size_t)B * L * 4),
          *dlv = malloc((size_t)B * L * 4), *grads = calloc(m.nparams, 4);
    gv_model_forward_train(&c, m.params, src, B, 0.f, eps, &r, ws);
    gv_loss_opts lo = {hit, 0.4f, vel, off, sigmoid_off, vo_empty};
    gv_loss_parts p;
    gv_recon_loss(&lo, gv_train_ws_logits(ws), tgt, B, dlogits, &p);
    gv_kl_loss(gv_train_ws_mu(ws), gv_train_ws_logvar(ws), B, L, beta, free_bits, dmu, dlv, &p);
    gv_model_backward(&c, m.params, grads, dlogits, dmu, dlv, ws);

    unsigned char *ref;
    size_t len;
    cr_assert_eq(gv_read_file(op, 1u << 30, &ref, &len, &e), 0, "%s", e.msg);
    cr_assert_eq(len, 48 + m.nparams * 4);
    double tl[6];
    memcpy(tl, ref, 48);
    double ours[6] = {p.hit, p.vel, p.off, p.kl, p.kl_term, p.total};
    for (int i = 0; i < 6; i++)
        cr_assert(fabs(ours[i] - tl[i]) <= 1e-3 * fmax(fabs(tl[i]), 1e-3), "loss part %d: ours %g torch %g", i,
                  ours[i], tl[i]);
    const float *tg = (const float *)(ref + 48);
    gv_tensor_info ti[GV_MAX_PARAMS_TENSORS];
    size_t np;
    int nt = gv_param_table(&c, ti, &np);
    for (int k = 0; k < nt; k++) {
        double num = 0, den = 0;
        for (size_t i = ti[k].offset; i < ti[k].offset + ti[k].numel; i++) {
            num = fmax(num, fabs(grads[i] - tg[i]));
            den = fmax(den, fabs(tg[i]));
        }
        cr_assert(num <= 1e-3 * den + 1e-7, "%s: max grad error %g, max |grad| %g (losses %s/%s/%s)", ti[k].name, num,
                  den, gv_loss_name(hit), gv_loss_name(vel), gv_loss_name(off));
    }
    free(ref);
    free(batch);
    free(dlogits);
    free(dmu);
    free(dlv);
    free(grads);
    gv_train_ws_free(ws);
    gv_model_free(&m);
    rm_dir(dir);
}

Test(torch, whole_model_loss_and_gradients, .timeout = 120)
{
    torch_check(GV_LOSS_BCE, GV_LOSS_MSE, GV_LOSS_MSE, 0, 0.7f, 0.5f, 0.f, 11);
    torch_check(GV_LOSS_DICE, GV_LOSS_BCE, GV_LOSS_BCE, 1, 0.2f, 0.f, 0.3f, 12);
}

/* ---- data, evaluation and a smoke test on GMD files ---- */

static int gmd_dir(char *buf, size_t n)
{
    snprintf(buf, n, "%s/patterns/gmd", gv_test_root());
    return access(buf, R_OK) == 0 ? 0 : -1;
}

Test(data, windows_cache_and_filters)
{
    char gmd[512], dir[64], cache[128];
    cr_assert_eq(gmd_dir(gmd, sizeof gmd), 0, "no %s", gmd);
    tmpdir(dir, sizeof dir);
    snprintf(cache, sizeof cache, "%s/w.cache", dir);
    gv_data_opts o;
    gv_data_opts_default(&o);
    o.max_files = 3;
    const char *splits[2] = {"train", "validation"};
    gv_windows a[2], b[2];
    int cached;
    gv_err e;
    cr_assert_eq(gv_data_load(gmd, &o, splits, 2, cache, a, &cached, &e), 0, "%s", e.msg);
    cr_assert_eq(cached, 0);
    cr_assert(a[0].n > 10 && a[1].n > 0);
    cr_assert_eq(a[0].files, 3);
    for (int i = 0; i < a[0].n; i++) {
        const float *s = a[0].src + (size_t)i * GV_SRC_DIM, *t = a[0].tgt + (size_t)i * GV_TGT_DIM;
        int hits = 0;
        for (int st = 0; st < 32; st++) {
            int any = 0;
            for (int v = 0; v < 9; v++) {
                hits += t[st * 27 + v] > 0.5f;
                any |= t[st * 27 + v] > 0.5f;
                cr_assert(t[st * 27 + 9 + v] >= 0 && t[st * 27 + 9 + v] <= 1);
                cr_assert(fabsf(t[st * 27 + 18 + v]) <= 0.5f);
            }
            cr_assert_eq(s[3 * st] > 0.5f, any, "groove and pattern disagree at step %d", st);
        }
        cr_assert(hits >= o.min_hits);
    }
    cr_assert_eq(gv_data_load(gmd, &o, splits, 2, cache, b, &cached, &e), 0, "%s", e.msg);
    cr_assert_eq(cached, 1);
    cr_assert_eq(a[0].n, b[0].n);
    cr_assert_eq(a[1].dropped, b[1].dropped);
    cr_assert_eq(memcmp(a[0].tgt, b[0].tgt, (size_t)a[0].n * GV_TGT_DIM * 4), 0);
    cr_assert_eq(memcmp(a[1].src, b[1].src, (size_t)a[1].n * GV_SRC_DIM * 4), 0);
    for (int s = 0; s < 2; s++)
        gv_windows_free(&b[s]);
    /* other settings miss the cache; fills only */
    o.min_hits = 1;
    snprintf(o.beat_type, sizeof o.beat_type, "fill");
    cr_assert_eq(gv_data_load(gmd, &o, splits, 1, cache, b, &cached, &e), 0, "%s", e.msg);
    cr_assert_eq(cached, 0);
    cr_assert(b[0].n > 0 && b[0].n < a[0].n);
    gv_windows_free(&b[0]);
    for (int s = 0; s < 2; s++)
        gv_windows_free(&a[s]);
    cr_assert_eq(gv_data_load("/nonexistent/dir", &o, splits, 1, NULL, b, NULL, &e), -1);
    rm_dir(dir);
}

/* Found by fuzz_cache: a cache whose splits all read but that has bytes left
 * over was refused with its windows still in the output, and the rebuild
 * appended to them (a heap overflow past the cache's buffers, and windows
 * counted twice). */
Test(data, cache_with_bytes_left_over_is_rebuilt)
{
    char gmd[512], dir[64], cache[128];
    cr_assert_eq(gmd_dir(gmd, sizeof gmd), 0, "no %s", gmd);
    tmpdir(dir, sizeof dir);
    snprintf(cache, sizeof cache, "%s/w.cache", dir);
    gv_data_opts o;
    gv_data_opts_default(&o);
    o.max_files = 2;
    const char *splits[2] = {"train", "validation"};
    gv_windows a[2], b[2];
    int cached;
    gv_err e;
    cr_assert_eq(gv_data_load(gmd, &o, splits, 2, cache, a, &cached, &e), 0, "%s", e.msg);
    cr_assert_eq(cached, 0);
    FILE *f = fopen(cache, "ab");
    cr_assert_not_null(f);
    cr_assert_eq(fputc(0, f), 0);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(gv_data_load(gmd, &o, splits, 2, cache, b, &cached, &e), 0, "%s", e.msg);
    cr_assert_eq(cached, 0, "a cache with a byte too many was used");
    for (int s = 0; s < 2; s++) {
        cr_assert_eq(b[s].n, a[s].n, "split %d: %d windows, expected %d", s, b[s].n, a[s].n);
        cr_assert_eq(b[s].files, a[s].files);
        cr_assert_eq(memcmp(a[s].src, b[s].src, (size_t)a[s].n * GV_SRC_DIM * sizeof(float)), 0);
        cr_assert_eq(memcmp(a[s].tgt, b[s].tgt, (size_t)a[s].n * GV_TGT_DIM * sizeof(float)), 0);
        gv_windows_free(&a[s]);
        gv_windows_free(&b[s]);
    }
    /* the rebuild rewrote the cache, which is used again */
    cr_assert_eq(gv_data_load(gmd, &o, splits, 2, cache, b, &cached, &e), 0, "%s", e.msg);
    cr_assert_eq(cached, 1);
    for (int s = 0; s < 2; s++)
        gv_windows_free(&b[s]);
    rm_dir(dir);
}

/* Is every window of a (in order) among b's? */
static int windows_subsequence(const gv_windows *a, const gv_windows *b)
{
    int j = 0;
    for (int i = 0; i < a->n; i++) {
        while (j < b->n && memcmp(a->tgt + (size_t)i * GV_TGT_DIM, b->tgt + (size_t)j * GV_TGT_DIM,
                                  GV_TGT_DIM * sizeof(float)))
            j++;
        if (j++ == b->n)
            return 0;
    }
    return 1;
}

Test(data, half_bar_hop_adds_shifted_training_windows)
{
    char gmd[512];
    cr_assert_eq(gmd_dir(gmd, sizeof gmd), 0, "no %s", gmd);
    gv_data_opts o;
    gv_data_opts_default(&o);
    o.max_files = 3;
    const char *splits[2] = {"train", "validation"};
    gv_windows a[2], b[2];
    gv_err e;
    cr_assert_eq(o.train_hop, 16);
    cr_assert_eq(gv_data_load(gmd, &o, splits, 2, NULL, a, NULL, &e), 0, "%s", e.msg);
    o.train_hop = 8;
    cr_assert_eq(gv_data_load(gmd, &o, splits, 2, NULL, b, NULL, &e), 0, "%s", e.msg);
    /* n bar starts give n - 1 half-bar starts between them per file (fewer where windows are dropped) */
    cr_assert(b[0].n > 2 * a[0].n - 2 * 3 - b[0].dropped && b[0].n < 2 * a[0].n, "%d vs %d", b[0].n, a[0].n);
    cr_assert(windows_subsequence(&a[0], &b[0]), "the bar-aligned windows are all still there, in order");
    cr_assert_eq(a[1].n, b[1].n, "the validation split keeps a hop of a bar");
    cr_assert_eq(memcmp(a[1].src, b[1].src, (size_t)a[1].n * GV_SRC_DIM * sizeof(float)), 0);
    for (int s = 0; s < 2; s++) {
        gv_windows_free(&a[s]);
        gv_windows_free(&b[s]);
    }
    o.train_hop = 3;
    cr_assert_eq(gv_data_load(gmd, &o, splits, 2, NULL, a, NULL, &e), -1);
    cr_assert(strstr(e.msg, "hop"), "%s", e.msg);
}

/* 4-bar windows (the recurrent 4-bar models) are two 2-bar windows of the
 * same file back to back: with no hits threshold and a hop of a bar, the
 * 4-bar window at bar k is the 2-bar windows at bars k and k + 2. */
Test(data, four_bar_windows_are_two_bar_windows_joined)
{
    char gmd[512];
    cr_assert_eq(gmd_dir(gmd, sizeof gmd), 0, "no %s", gmd);
    gv_data_opts o;
    gv_data_opts_default(&o);
    o.max_files = 1;
    o.min_hits = 0;
    const char *splits[1] = {"train"};
    gv_windows two, four;
    gv_err e = {0};
    cr_assert_eq(gv_data_load(gmd, &o, splits, 1, NULL, &two, NULL, &e), 0, "%s", e.msg);
    o.steps = 64;
    char cache[] = "/tmp/gv_four_XXXXXX";
    int fd = mkstemp(cache);
    cr_assert(fd >= 0);
    close(fd);
    unlink(cache);
    int cached = 1;
    cr_assert_eq(gv_data_load(gmd, &o, splits, 1, cache, &four, &cached, &e), 0, "%s", e.msg);
    cr_assert_eq(cached, 0);
    cr_assert_eq(two.steps, 32);
    cr_assert_eq(four.steps, 64);
    cr_assert_eq(four.n, two.n - 2, "a file of B bars gives B - 1 2-bar and B - 3 4-bar windows");
    for (int k = 0; k < four.n; k++)
        for (int h = 0; h < 2; h++) {
            const float *f = four.tgt + (size_t)k * 64 * 27 + (size_t)h * 32 * 27;
            cr_assert_eq(memcmp(f, two.tgt + (size_t)(k + 2 * h) * GV_TGT_DIM, GV_TGT_DIM * sizeof(float)), 0,
                         "window %d, half %d", k, h);
            cr_assert_eq(memcmp(four.src + (size_t)k * 64 * 3 + (size_t)h * 32 * 3,
                                two.src + (size_t)(k + 2 * h) * GV_SRC_DIM, GV_SRC_DIM * sizeof(float)), 0);
        }
    /* the cache keeps the length: read back the same, and a 2-bar load does not take it */
    gv_windows again;
    cr_assert_eq(gv_data_load(gmd, &o, splits, 1, cache, &again, &cached, &e), 0, "%s", e.msg);
    cr_assert_eq(cached, 1);
    cr_assert_eq(again.steps, 64);
    cr_assert_eq(again.n, four.n);
    cr_assert_eq(memcmp(again.tgt, four.tgt, (size_t)four.n * 64 * 27 * sizeof(float)), 0);
    gv_windows_free(&again);
    o.steps = 32;
    cr_assert_eq(gv_data_load(gmd, &o, splits, 1, cache, &again, &cached, &e), 0, "%s", e.msg);
    cr_assert_eq(cached, 0, "a 4-bar cache is not read as 2-bar windows");
    cr_assert_eq(again.n, two.n);
    gv_windows_free(&again);
    o.steps = 48;
    cr_assert_eq(gv_data_load(gmd, &o, splits, 1, NULL, &again, NULL, &e), -1);
    cr_assert(strstr(e.msg, "48 steps"), "%s", e.msg);
    unlink(cache);
    gv_windows_free(&two);
    gv_windows_free(&four);
}

Test(eval, anchors_and_metrics)
{
    gv_windows w;
    synthetic_windows(&w, 6, 9);
    /* the truth itself as "training set": nearest neighbour finds each window */
    gv_eval_opts o;
    gv_eval_opts_default(&o);
    gv_eval_result r;
    gv_eval_nearest(&w, &w, &o, &r);
    cr_assert_float_eq(r.f1, 1.0, 1e-12);
    cr_assert_float_eq(r.hit_acc, 1.0, 1e-12);
    cr_assert_float_eq(r.vel_mae, 0.0, 1e-12);
    cr_assert_float_eq(r.rhythm_f1, 1.0, 1e-12);
    cr_assert_eq(r.diversity, -1);
    cr_assert(r.empty_acc > 0.7 && r.empty_acc < 1);
    /* groove on the hat: only closed-hat hits are right */
    gv_eval_hat(&w, &o, &r);
    cr_assert_float_eq(r.rhythm_f1, 1.0, 1e-12);
    cr_assert(r.precision < 0.6 && r.f1 < 1.0);
    cr_assert(r.f1_voice[GV_CHAT] > 0 && r.f1_voice[GV_KICK] == 0);
    gv_windows_free(&w);
}

typedef struct loss_log {
    double first, last;
    int n;
} loss_log;

static void epoch_cb(const gv_epoch_stats *s, void *u)
{
    loss_log *l = u;
    if (l->n++ == 0)
        l->first = s->train.total;
    l->last = s->train.total;
}

Test(smoke, trains_on_gmd_files_loads_and_generates, .timeout = 120)
{
    char gmd[512], dir[64], path[128];
    cr_assert_eq(gmd_dir(gmd, sizeof gmd), 0, "no %s", gmd);
    tmpdir(dir, sizeof dir);
    gv_data_opts d;
    gv_data_opts_default(&d);
    d.max_files = 4;
    const char *splits[2] = {"train", "validation"};
    gv_windows w[2];
    gv_err e;
    cr_assert_eq(gv_data_load(gmd, &d, splits, 2, NULL, w, NULL, &e), 0, "%s", e.msg);
    gv_train_opts o;
    tiny_opts(&o);
    o.batch = 16;
    o.epochs = 6;
    o.lr = 3e-3f;
    o.dropout = 0.f;
    o.note_dropout = 0.f;
    gv_trainer *t = train_new(&o, &w[0], &w[1]);
    loss_log ll = {0};
    gv_train_hooks h = {NULL, epoch_cb, NULL, &ll, NULL, NULL};
    cr_assert_eq(gv_trainer_run(t, &h, &e), 0, "%s", e.msg);
    cr_assert_eq(ll.n, 6);
    cr_assert(ll.last < 0.8 * ll.first, "loss %g -> %g", ll.first, ll.last);
    cr_assert(t->hist[5].val.total < t->hist[0].val.total);
    float thr[GV_VOICES];
    cr_assert_eq(gv_calibrate_thresholds(&t->model, &w[1], thr, &e), 0, "%s", e.msg);
    for (int v = 0; v < GV_VOICES; v++)
        cr_assert(thr[v] >= 0.02f && thr[v] <= 0.98f);
    memcpy(t->model.cfg.thresholds, thr, sizeof thr);
    snprintf(path, sizeof path, "%s/m.safetensors", dir);
    cr_assert_eq(gv_model_save(&t->model, path, &e), 0, "%s", e.msg);

    gv_model m;
    cr_assert_eq(gv_model_load(path, &m, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(m.params, t->model.params, m.nparams * 4), 0);
    cr_assert_float_eq(m.cfg.thresholds[GV_SNARE], thr[GV_SNARE], 1e-6);
    static gv_pattern in, out[4];
    gv_pattern_init(&in, 32, 100, "in");
    for (int s = 0; s < 32; s += 2)
        gv_pattern_set(&in, s, GV_CHAT, 1, 0.8f, 0.f);
    gv_gen_opts go;
    gv_gen_opts_default(&go);
    gv_gen_ws *gws = gv_gen_ws_new(&m.cfg, 4);
    float z[4 * 8];
    cr_assert_eq(gv_generate(&m, &in, 4, &go, out, z, gws, &e), 0, "%s", e.msg);
    int hits = 0;
    for (int i = 0; i < 4; i++)
        hits += gv_pattern_count(&out[i]);
    cr_assert(hits > 0, "the trained model generates nothing");
    gv_eval_opts eo;
    gv_eval_opts_default(&eo);
    gv_eval_result r;
    cr_assert_eq(gv_eval_model(&m, &w[1], &eo, &r, &e), 0, "%s", e.msg);
    cr_assert(r.f1 > 0.2 && r.f1 <= 1 && r.diversity >= 0 && r.diversity <= 1, "F1 %g diversity %g", r.f1,
              r.diversity);
    gv_gen_ws_free(gws);
    gv_model_free(&m);
    train_del(t);
    gv_windows_free(&w[0]);
    gv_windows_free(&w[1]);
    rm_dir(dir);
}

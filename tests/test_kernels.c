/* test_kernels.c - every kernel of kernels.h against naive double-precision
 * loops, every backward against the naive analytic gradient and against
 * central finite differences of loss = sum(forward(x) * R), R fixed random. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/backend.h"
#include "kernels/kernels.h"

/* ---- buffers: every allocation of a test in one bag, freed at its end ---- */
typedef struct bag {
    void *p[64];
    int n;
} bag;

static void *bag_get(bag *g, size_t bytes)
{
    cr_assert_lt(g->n, 64);
    void *p = calloc(1, bytes ? bytes : 1);
    cr_assert_not_null(p);
    return g->p[g->n++] = p;
}
static float *fbuf(bag *g, size_t n) { return bag_get(g, n * sizeof(float)); }
static double *dbuf(bag *g, size_t n) { return bag_get(g, n * sizeof(double)); }
static void bag_free(bag *g)
{
    while (g->n)
        free(g->p[--g->n]);
}

static void randn(float *x, size_t n, gv_rng *r, float scale)
{
    for (size_t i = 0; i < n; i++)
        x[i] = gv_rng_normal(r) * scale;
}

/* |got - want| <= tol * (1 + |want|) everywhere */
static void expect_close(const float *got, const double *want, size_t n, double tol, const char *what)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(fabs(got[i] - want[i]) <= tol * (1.0 + fabs(want[i])), "%s[%zu]: got %.8g want %.8g", what,
                  i, got[i], want[i]);
}

/* want = base + delta, the accumulate contract of every backward */
static double *plus(bag *g, const float *base, const double *delta, size_t n)
{
    double *d = dbuf(g, n);
    for (size_t i = 0; i < n; i++)
        d[i] = base[i] + delta[i];
    return d;
}

static double dot_loss(const float *out, const float *R, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += (double)out[i] * R[i];
    return s;
}

/* Central differences of loss(ctx) in x[i] for up to `samples` indices,
 * against the analytic gradient g (rel err 1e-2, floored at |g| ~ 0.1). */
typedef double (*loss_fn)(void *ctx);
static void fd_check(loss_fn loss, void *ctx, float *x, size_t n, const float *g, int samples, gv_rng *r,
                     const char *what)
{
    const float eps = 1e-3f;
    for (int s = 0; s < samples && (size_t)s < n; s++) {
        size_t i = n <= (size_t)samples ? (size_t)s : gv_rng_below(r, (uint32_t)n);
        float x0 = x[i];
        float xp = x0 + eps, xm = x0 - eps;
        x[i] = xp;
        double lp = loss(ctx);
        x[i] = xm;
        double lm = loss(ctx);
        x[i] = x0;
        double fd = (lp - lm) / ((double)xp - xm);
        double err = fabs(fd - g[i]) / fmax(fmax(fabs(fd), fabs(g[i])), 0.1);
        cr_assert(err <= 1e-2, "%s[%zu]: finite diff %.6g analytic %.6g", what, i, fd, g[i]);
    }
}

/* ================================ linear ================================ */

static void ref_linear_fwd(double *out, const float *inp, const float *w, const float *b, int BT, int C, int OC)
{
    for (int r = 0; r < BT; r++)
        for (int o = 0; o < OC; o++) {
            double s = b ? b[o] : 0.0;
            for (int c = 0; c < C; c++)
                s += (double)inp[r * C + c] * w[o * C + c];
            out[r * OC + o] = s;
        }
}

static void ref_linear_bwd(double *dinp, double *dw, double *db, const float *dout, const float *inp,
                           const float *w, int BT, int C, int OC)
{
    for (int r = 0; r < BT; r++)
        for (int o = 0; o < OC; o++) {
            double d = dout[r * OC + o];
            db[o] += d;
            for (int c = 0; c < C; c++) {
                dinp[r * C + c] += d * w[o * C + c];
                dw[o * C + c] += d * inp[r * C + c];
            }
        }
}

static const int lin_shapes[][3] = {{1, 1, 1}, {1, 7, 5}, {3, 16, 8}, {37, 13, 29}, {64, 128, 384}, {2, 96, 27}};
#define NSHAPES(a) ((int)(sizeof(a) / sizeof(a[0])))

Test(linear, forward_matches_naive)
{
    gv_rng r;
    gv_rng_seed(&r, 1);
    for (int s = 0; s < NSHAPES(lin_shapes); s++)
        for (int withb = 0; withb < 2; withb++) {
            int BT = lin_shapes[s][0], C = lin_shapes[s][1], OC = lin_shapes[s][2];
            bag g = {0};
            float *inp = fbuf(&g, BT * C), *w = fbuf(&g, OC * C), *b = fbuf(&g, OC), *out = fbuf(&g, BT * OC);
            double *want = dbuf(&g, BT * OC);
            randn(inp, BT * C, &r, 1);
            randn(w, OC * C, &r, 0.3f);
            randn(b, OC, &r, 1);
            for (int i = 0; i < BT * OC; i++)
                out[i] = 1e30f; /* forward overwrites, never accumulates */
            gv_linear_forward(out, inp, w, withb ? b : NULL, BT, C, OC);
            ref_linear_fwd(want, inp, w, withb ? b : NULL, BT, C, OC);
            expect_close(out, want, BT * OC, 1e-5, "linear out");
            bag_free(&g);
        }
}

Test(linear, backward_accumulates_naive_gradient)
{
    gv_rng r;
    gv_rng_seed(&r, 2);
    for (int s = 0; s < NSHAPES(lin_shapes); s++) {
        int BT = lin_shapes[s][0], C = lin_shapes[s][1], OC = lin_shapes[s][2];
        bag g = {0};
        float *inp = fbuf(&g, BT * C), *w = fbuf(&g, OC * C), *dout = fbuf(&g, BT * OC);
        float *dinp = fbuf(&g, BT * C), *dw = fbuf(&g, OC * C), *db = fbuf(&g, OC);
        double *rdinp = dbuf(&g, BT * C), *rdw = dbuf(&g, OC * C), *rdb = dbuf(&g, OC);
        randn(inp, BT * C, &r, 1);
        randn(w, OC * C, &r, 0.3f);
        randn(dout, BT * OC, &r, 1);
        randn(dinp, BT * C, &r, 1); /* pre-filled: backward must add */
        randn(dw, OC * C, &r, 1);
        randn(db, OC, &r, 1);
        ref_linear_bwd(rdinp, rdw, rdb, dout, inp, w, BT, C, OC);
        double *w_dinp = plus(&g, dinp, rdinp, BT * C), *w_dw = plus(&g, dw, rdw, OC * C), *w_db = plus(&g, db, rdb, OC);
        gv_linear_backward(dinp, dw, db, dout, inp, w, BT, C, OC);
        expect_close(dinp, w_dinp, BT * C, 1e-4, "dinp");
        expect_close(dw, w_dw, OC * C, 1e-4, "dw");
        expect_close(db, w_db, OC, 1e-4, "db");
        bag_free(&g);
    }
}

Test(linear, backward_null_outputs_match_full_call)
{
    gv_rng r;
    gv_rng_seed(&r, 3);
    int BT = 5, C = 11, OC = 7;
    bag g = {0};
    float *inp = fbuf(&g, BT * C), *w = fbuf(&g, OC * C), *dout = fbuf(&g, BT * OC);
    float *dinp = fbuf(&g, BT * C), *dw = fbuf(&g, OC * C), *db = fbuf(&g, OC);
    float *one = fbuf(&g, OC * C);
    randn(inp, BT * C, &r, 1);
    randn(w, OC * C, &r, 1);
    randn(dout, BT * OC, &r, 1);
    gv_linear_backward(dinp, dw, db, dout, inp, w, BT, C, OC);
    gv_linear_backward(one, NULL, NULL, dout, inp, w, BT, C, OC);
    cr_assert_arr_eq(one, dinp, BT * C * sizeof(float));
    memset(one, 0, OC * C * sizeof(float));
    gv_linear_backward(NULL, one, NULL, dout, inp, w, BT, C, OC);
    cr_assert_arr_eq(one, dw, OC * C * sizeof(float));
    memset(one, 0, OC * C * sizeof(float));
    gv_linear_backward(NULL, NULL, one, dout, inp, w, BT, C, OC);
    cr_assert_arr_eq(one, db, OC * sizeof(float));
    gv_linear_backward(NULL, NULL, NULL, dout, inp, w, BT, C, OC); /* nothing to do, nothing touched */
    bag_free(&g);
}

typedef struct lin_ctx {
    float *out, *inp, *w, *b;
    const float *R;
    int BT, C, OC;
} lin_ctx;

static double lin_loss(void *p)
{
    lin_ctx *c = p;
    gv_linear_forward(c->out, c->inp, c->w, c->b, c->BT, c->C, c->OC);
    return dot_loss(c->out, c->R, (size_t)c->BT * c->OC);
}

Test(linear, backward_matches_finite_differences)
{
    gv_rng r;
    gv_rng_seed(&r, 4);
    int BT = 6, C = 9, OC = 5;
    bag g = {0};
    lin_ctx c = {fbuf(&g, BT * OC), fbuf(&g, BT * C), fbuf(&g, OC * C), fbuf(&g, OC), NULL, BT, C, OC};
    float *R = fbuf(&g, BT * OC), *dinp = fbuf(&g, BT * C), *dw = fbuf(&g, OC * C), *db = fbuf(&g, OC);
    randn(c.inp, BT * C, &r, 1);
    randn(c.w, OC * C, &r, 1);
    randn(c.b, OC, &r, 1);
    randn(R, BT * OC, &r, 1);
    c.R = R;
    gv_linear_backward(dinp, dw, db, R, c.inp, c.w, BT, C, OC); /* dL/dout = R */
    fd_check(lin_loss, &c, c.inp, BT * C, dinp, 60, &r, "dinp");
    fd_check(lin_loss, &c, c.w, OC * C, dw, 60, &r, "dw");
    fd_check(lin_loss, &c, c.b, OC, db, 60, &r, "db");
    bag_free(&g);
}

/* =============================== layernorm =============================== */

static void ref_ln_stats(const float *x, int C, double *mean, double *rstd, double eps)
{
    double m = 0, v = 0;
    for (int i = 0; i < C; i++)
        m += x[i];
    m /= C;
    for (int i = 0; i < C; i++)
        v += (x[i] - m) * (x[i] - m);
    *mean = m;
    *rstd = 1.0 / sqrt(v / C + eps);
}

static void ref_ln_fwd(double *out, double *mean, double *rstd, const float *inp, const float *w, const float *b,
                       int BT, int C, double eps)
{
    for (int r = 0; r < BT; r++) {
        ref_ln_stats(inp + r * C, C, &mean[r], &rstd[r], eps);
        for (int i = 0; i < C; i++)
            out[r * C + i] = (inp[r * C + i] - mean[r]) * rstd[r] * w[i] + b[i];
    }
}

/* Straight from the chain rule through mean and variance (not the fused
 * formula the kernel uses). */
static void ref_ln_bwd(double *dinp, double *dw, double *db, const float *dout, const float *inp, const float *w,
                       int BT, int C, double eps)
{
    for (int r = 0; r < BT; r++) {
        double m, s;
        ref_ln_stats(inp + r * C, C, &m, &s, eps);
        const float *x = inp + r * C, *dy = dout + r * C;
        double dvar = 0, dmean = 0;
        for (int i = 0; i < C; i++) {
            double gx = (double)dy[i] * w[i]; /* dL/dxhat */
            dvar += gx * (x[i] - m) * -0.5 * s * s * s;
            dmean += -gx * s;
            dw[i] += dy[i] * (x[i] - m) * s;
            db[i] += dy[i];
        }
        /* d var / d mean is zero: sum of deviations vanishes */
        for (int i = 0; i < C; i++)
            dinp[r * C + i] += (double)dy[i] * w[i] * s + dvar * 2.0 * (x[i] - m) / C + dmean / C;
    }
}

static const int ln_shapes[][2] = {{1, 2}, {1, 7}, {5, 16}, {33, 128}, {3, 13}, {64, 64}};

static void ln_params(float *w, float *b, int C, gv_rng *r)
{
    for (int i = 0; i < C; i++) {
        w[i] = 1.0f + 0.5f * gv_rng_normal(r);
        b[i] = 0.5f * gv_rng_normal(r);
    }
}

/* A random layernorm problem: inputs, parameters, outputs and saved stats. */
typedef struct ln_case {
    float *inp, *w, *b, *out, *mean, *rstd;
} ln_case;

static void each_ln_shape(void (*run)(int BT, int C, gv_rng *r), uint64_t seed)
{
    gv_rng r;
    gv_rng_seed(&r, seed);
    for (int s = 0; s < NSHAPES(ln_shapes); s++)
        run(ln_shapes[s][0], ln_shapes[s][1], &r);
}

static ln_case ln_case_new(bag *g, int BT, int C, gv_rng *r)
{
    ln_case c = {fbuf(g, BT * C), fbuf(g, C), fbuf(g, C), fbuf(g, BT * C), fbuf(g, BT), fbuf(g, BT)};
    randn(c.inp, BT * C, r, 1);
    ln_params(c.w, c.b, C, r);
    return c;
}

static void ln_forward_case(int BT, int C, gv_rng *r)
{
    bag g = {0};
    ln_case c = ln_case_new(&g, BT, C, r);
    float *out2 = fbuf(&g, BT * C);
    double *want = dbuf(&g, BT * C), *wm = dbuf(&g, BT), *wr = dbuf(&g, BT);
    for (int i = 0; i < BT * C; i++)
        c.inp[i] = 2.0f * c.inp[i] + 3.0f; /* an offset mean: the variance must not cancel */
    gv_layernorm_forward(c.out, c.mean, c.rstd, c.inp, c.w, c.b, BT, C, 1e-5f);
    ref_ln_fwd(want, wm, wr, c.inp, c.w, c.b, BT, C, 1e-5);
    expect_close(c.out, want, BT * C, 1e-5, "ln out");
    expect_close(c.mean, wm, BT, 1e-6, "mean");
    expect_close(c.rstd, wr, BT, 1e-5, "rstd");
    gv_layernorm_forward(out2, NULL, NULL, c.inp, c.w, c.b, BT, C, 1e-5f); /* inference: no stats */
    cr_assert_arr_eq(out2, c.out, BT * C * sizeof(float));
    bag_free(&g);
}

Test(layernorm, forward_matches_naive) { each_ln_shape(ln_forward_case, 5); }

Test(layernorm, constant_row_gives_bias)
{
    float x[6] = {4, 4, 4, 4, 4, 4}, w[6] = {1, 2, 3, 4, 5, 6}, b[6] = {-1, 0, 1, 2, 3, 4}, out[6], m, s;
    gv_layernorm_forward(out, &m, &s, x, w, b, 1, 6, 1e-5f);
    for (int i = 0; i < 6; i++)
        cr_assert_float_eq(out[i], b[i], 1e-6);
    cr_assert_float_eq(s, 1.0f / sqrtf(1e-5f), 1e-2);
}

static void ln_backward_case(int BT, int C, gv_rng *r)
{
    bag g = {0};
    ln_case c = ln_case_new(&g, BT, C, r);
    float *dout = fbuf(&g, BT * C), *dinp = fbuf(&g, BT * C), *dw = fbuf(&g, C), *db = fbuf(&g, C);
    double *rdinp = dbuf(&g, BT * C), *rdw = dbuf(&g, C), *rdb = dbuf(&g, C);
    randn(dout, BT * C, r, 1);
    randn(dinp, BT * C, r, 1); /* pre-filled: backward must add */
    randn(dw, C, r, 1);
    randn(db, C, r, 1);
    gv_layernorm_forward(c.out, c.mean, c.rstd, c.inp, c.w, c.b, BT, C, 1e-5f);
    ref_ln_bwd(rdinp, rdw, rdb, dout, c.inp, c.w, BT, C, 1e-5);
    double *w_dinp = plus(&g, dinp, rdinp, BT * C), *w_dw = plus(&g, dw, rdw, C), *w_db = plus(&g, db, rdb, C);
    gv_layernorm_backward(dinp, dw, db, dout, c.inp, c.w, c.mean, c.rstd, BT, C);
    expect_close(dinp, w_dinp, BT * C, 1e-4, "ln dinp");
    expect_close(dw, w_dw, C, 1e-4, "ln dw");
    expect_close(db, w_db, C, 1e-4, "ln db");
    bag_free(&g);
}

Test(layernorm, backward_accumulates_naive_gradient) { each_ln_shape(ln_backward_case, 6); }

Test(layernorm, backward_null_outputs_match_full_call)
{
    gv_rng r;
    gv_rng_seed(&r, 7);
    int BT = 4, C = 10;
    bag g = {0};
    ln_case c = ln_case_new(&g, BT, C, &r);
    float *dout = fbuf(&g, BT * C), *dinp = fbuf(&g, BT * C), *dw = fbuf(&g, C), *db = fbuf(&g, C);
    float *one = fbuf(&g, BT * C);
    randn(dout, BT * C, &r, 1);
    gv_layernorm_forward(c.out, c.mean, c.rstd, c.inp, c.w, c.b, BT, C, 1e-5f);
    gv_layernorm_backward(dinp, dw, db, dout, c.inp, c.w, c.mean, c.rstd, BT, C);
    gv_layernorm_backward(one, NULL, NULL, dout, c.inp, c.w, c.mean, c.rstd, BT, C);
    cr_assert_arr_eq(one, dinp, BT * C * sizeof(float));
    memset(one, 0, BT * C * sizeof(float));
    gv_layernorm_backward(NULL, one, NULL, dout, c.inp, c.w, c.mean, c.rstd, BT, C);
    cr_assert_arr_eq(one, dw, C * sizeof(float));
    memset(one, 0, BT * C * sizeof(float));
    gv_layernorm_backward(NULL, NULL, one, dout, c.inp, c.w, c.mean, c.rstd, BT, C);
    cr_assert_arr_eq(one, db, C * sizeof(float));
    bag_free(&g);
}

typedef struct ln_ctx {
    float *out, *inp, *w, *b;
    const float *R;
    int BT, C;
} ln_ctx;

static double ln_loss(void *p)
{
    ln_ctx *c = p;
    gv_layernorm_forward(c->out, NULL, NULL, c->inp, c->w, c->b, c->BT, c->C, 1e-5f);
    return dot_loss(c->out, c->R, (size_t)c->BT * c->C);
}

Test(layernorm, backward_matches_finite_differences)
{
    gv_rng r;
    gv_rng_seed(&r, 8);
    int BT = 5, C = 12;
    bag g = {0};
    ln_ctx c = {fbuf(&g, BT * C), fbuf(&g, BT * C), fbuf(&g, C), fbuf(&g, C), NULL, BT, C};
    float *R = fbuf(&g, BT * C), *mean = fbuf(&g, BT), *rstd = fbuf(&g, BT);
    float *dinp = fbuf(&g, BT * C), *dw = fbuf(&g, C), *db = fbuf(&g, C);
    randn(c.inp, BT * C, &r, 1);
    ln_params(c.w, c.b, C, &r);
    randn(R, BT * C, &r, 1);
    c.R = R;
    gv_layernorm_forward(c.out, mean, rstd, c.inp, c.w, c.b, BT, C, 1e-5f);
    gv_layernorm_backward(dinp, dw, db, R, c.inp, c.w, mean, rstd, BT, C);
    fd_check(ln_loss, &c, c.inp, BT * C, dinp, 60, &r, "ln dinp");
    fd_check(ln_loss, &c, c.w, C, dw, 60, &r, "ln dw");
    fd_check(ln_loss, &c, c.b, C, db, 60, &r, "ln db");
    bag_free(&g);
}

/* =============================== attention =============================== */

/* softmax(q k^T / sqrt(hs)) of query t in head h of batch b, into p[T] */
static void ref_att_row(double *p, const float *qkv, int b, int h, int t, int T, int C, int NH)
{
    int hs = C / NH;
    const float *q = qkv + ((size_t)b * T + t) * 3 * C + h * hs;
    double mx = -INFINITY, sum = 0;
    for (int u = 0; u < T; u++) {
        const float *k = qkv + ((size_t)b * T + u) * 3 * C + C + h * hs;
        double s = 0;
        for (int i = 0; i < hs; i++)
            s += (double)q[i] * k[i];
        p[u] = s / sqrt(hs);
        mx = fmax(mx, p[u]);
    }
    for (int u = 0; u < T; u++)
        sum += p[u] = exp(p[u] - mx);
    for (int u = 0; u < T; u++)
        p[u] /= sum;
}

static void ref_att_fwd(double *out, double *att, const float *qkv, int B, int T, int C, int NH)
{
    int hs = C / NH;
    for (int b = 0; b < B; b++)
        for (int h = 0; h < NH; h++)
            for (int t = 0; t < T; t++) {
                double *p = att + (((size_t)b * NH + h) * T + t) * T;
                ref_att_row(p, qkv, b, h, t, T, C, NH);
                for (int i = 0; i < hs; i++) {
                    double s = 0;
                    for (int u = 0; u < T; u++)
                        s += p[u] * qkv[((size_t)b * T + u) * 3 * C + 2 * C + h * hs + i];
                    out[((size_t)b * T + t) * C + h * hs + i] = s;
                }
            }
}

static void ref_att_bwd(double *dqkv, const float *dout, const float *qkv, int B, int T, int C, int NH)
{
    int hs = C / NH;
    double *p = malloc(T * sizeof *p), *dp = malloc(T * sizeof *dp);
    cr_assert(p && dp);
    for (int b = 0; b < B; b++)
        for (int h = 0; h < NH; h++)
            for (int t = 0; t < T; t++) {
                ref_att_row(p, qkv, b, h, t, T, C, NH);
                const float *dy = dout + ((size_t)b * T + t) * C + h * hs;
                size_t qo = ((size_t)b * T + t) * 3 * C + h * hs;
                double sum = 0;
                for (int u = 0; u < T; u++) {
                    size_t vo = ((size_t)b * T + u) * 3 * C + 2 * C + h * hs;
                    dp[u] = 0;
                    for (int i = 0; i < hs; i++) {
                        dp[u] += (double)dy[i] * qkv[vo + i];
                        dqkv[vo + i] += p[u] * dy[i];
                    }
                    sum += p[u] * dp[u];
                }
                for (int u = 0; u < T; u++) {
                    double ds = p[u] * (dp[u] - sum) / sqrt(hs); /* d score */
                    size_t ko = ((size_t)b * T + u) * 3 * C + C + h * hs;
                    for (int i = 0; i < hs; i++) {
                        dqkv[qo + i] += ds * qkv[ko + i];
                        dqkv[ko + i] += ds * qkv[qo + i];
                    }
                }
            }
    free(p);
    free(dp);
}

/* B, T, C, NH: heads of size 1..32, odd sizes, B = 1 and B > 1, the shipped
 * model's 32 x 4 heads of 32, and a head of 300 whose k and v go to the
 * kernel's transpose tile in pieces */
static const int att_shapes[][4] = {{1, 1, 4, 1},  {1, 5, 6, 2},   {2, 32, 64, 4},  {3, 7, 24, 8},
                                    {2, 32, 128, 8}, {1, 32, 13, 1}, {2, 3, 40, 4},  {4, 32, 96, 2},
                                    {1, 9, 8, 8},   {2, 32, 128, 4}, {1, 32, 300, 1}};

Test(attention, forward_matches_naive)
{
    gv_rng r;
    gv_rng_seed(&r, 9);
    for (int s = 0; s < NSHAPES(att_shapes); s++) {
        int B = att_shapes[s][0], T = att_shapes[s][1], C = att_shapes[s][2], NH = att_shapes[s][3];
        bag g = {0};
        float *qkv = fbuf(&g, B * T * 3 * C), *out = fbuf(&g, B * T * C), *att = fbuf(&g, B * NH * T * T);
        double *wout = dbuf(&g, B * T * C), *watt = dbuf(&g, B * NH * T * T);
        randn(qkv, B * T * 3 * C, &r, 1);
        for (int i = 0; i < B * T * C; i++)
            out[i] = 1e30f;
        gv_attention_forward(out, att, qkv, B, T, C, NH);
        ref_att_fwd(wout, watt, qkv, B, T, C, NH);
        expect_close(out, wout, B * T * C, 1e-5, "att out");
        expect_close(att, watt, B * NH * T * T, 1e-5, "att");
        for (int row = 0; row < B * NH * T; row++) {
            double sum = 0;
            for (int u = 0; u < T; u++)
                sum += att[row * T + u];
            cr_assert_float_eq(sum, 1.0, 1e-5);
        }
        bag_free(&g);
    }
}

Test(attention, large_scores_stay_finite)
{
    gv_rng r;
    gv_rng_seed(&r, 10);
    int B = 2, T = 32, C = 16, NH = 2;
    bag g = {0};
    float *qkv = fbuf(&g, B * T * 3 * C), *out = fbuf(&g, B * T * C), *att = fbuf(&g, B * NH * T * T);
    double *wout = dbuf(&g, B * T * C), *watt = dbuf(&g, B * NH * T * T);
    randn(qkv, B * T * 3 * C, &r, 30); /* scores ~ 1e3: exp overflows without the max */
    gv_attention_forward(out, att, qkv, B, T, C, NH);
    ref_att_fwd(wout, watt, qkv, B, T, C, NH);
    for (int i = 0; i < B * T * C; i++)
        cr_assert(isfinite(out[i]));
    expect_close(att, watt, B * NH * T * T, 1e-3, "att");
    bag_free(&g);
}

Test(attention, backward_accumulates_naive_gradient)
{
    gv_rng r;
    gv_rng_seed(&r, 11);
    for (int s = 0; s < NSHAPES(att_shapes); s++) {
        int B = att_shapes[s][0], T = att_shapes[s][1], C = att_shapes[s][2], NH = att_shapes[s][3];
        size_t nq = (size_t)B * T * 3 * C;
        bag g = {0};
        float *qkv = fbuf(&g, nq), *out = fbuf(&g, B * T * C), *att = fbuf(&g, B * NH * T * T);
        float *datt = fbuf(&g, B * NH * T * T), *dout = fbuf(&g, B * T * C), *dqkv = fbuf(&g, nq);
        double *rd = dbuf(&g, nq);
        randn(qkv, nq, &r, 1);
        randn(dout, B * T * C, &r, 1);
        randn(dqkv, nq, &r, 1);
        randn(datt, B * NH * T * T, &r, 1); /* scratch: its content must not matter */
        gv_attention_forward(out, att, qkv, B, T, C, NH);
        ref_att_bwd(rd, dout, qkv, B, T, C, NH);
        double *want = plus(&g, dqkv, rd, nq);
        gv_attention_backward(dqkv, datt, dout, qkv, att, B, T, C, NH);
        expect_close(dqkv, want, nq, 1e-4, "dqkv");
        bag_free(&g);
    }
}

Test(attention, backward_null_gradient_is_a_no_op)
{
    gv_rng r;
    gv_rng_seed(&r, 12);
    int B = 1, T = 4, C = 8, NH = 2;
    float qkv[96], out[32], att[32], dout[32];
    randn(qkv, 96, &r, 1);
    randn(dout, 32, &r, 1);
    gv_attention_forward(out, att, qkv, B, T, C, NH);
    float before[32];
    memcpy(before, att, sizeof att);
    gv_attention_backward(NULL, NULL, dout, qkv, att, B, T, C, NH);
    cr_assert_arr_eq(att, before, sizeof att);
}

typedef struct att_ctx {
    float *out, *att, *qkv;
    const float *R;
    int B, T, C, NH;
} att_ctx;

static double att_loss(void *p)
{
    att_ctx *c = p;
    gv_attention_forward(c->out, c->att, c->qkv, c->B, c->T, c->C, c->NH);
    return dot_loss(c->out, c->R, (size_t)c->B * c->T * c->C);
}

Test(attention, backward_matches_finite_differences)
{
    gv_rng r;
    gv_rng_seed(&r, 13);
    static const int shapes[][4] = {{2, 6, 12, 3}, {1, 32, 16, 2}, {2, 5, 8, 1}};
    for (int s = 0; s < NSHAPES(shapes); s++) {
        int B = shapes[s][0], T = shapes[s][1], C = shapes[s][2], NH = shapes[s][3];
        size_t nq = (size_t)B * T * 3 * C;
        bag g = {0};
        att_ctx c = {fbuf(&g, B * T * C), fbuf(&g, B * NH * T * T), fbuf(&g, nq), NULL, B, T, C, NH};
        float *R = fbuf(&g, B * T * C), *datt = fbuf(&g, B * NH * T * T), *dqkv = fbuf(&g, nq);
        randn(c.qkv, nq, &r, 1);
        randn(R, B * T * C, &r, 1);
        c.R = R;
        gv_attention_forward(c.out, c.att, c.qkv, B, T, C, NH);
        gv_attention_backward(dqkv, datt, R, c.qkv, c.att, B, T, C, NH);
        fd_check(att_loss, &c, c.qkv, nq, dqkv, 120, &r, "dqkv");
        bag_free(&g);
    }
}

/* ======================== relu, add, posenc, sigmoid ======================== */

typedef struct ew_ctx {
    float *out, *inp;
    uint8_t *mask;
    const float *R;
    int n;
    float p;
} ew_ctx;

static double relu_loss(void *p)
{
    ew_ctx *c = p;
    gv_relu_forward(c->out, c->inp, c->n);
    return dot_loss(c->out, c->R, c->n);
}

Test(relu, forward_backward_exact_and_finite_differences)
{
    gv_rng r;
    gv_rng_seed(&r, 14);
    enum { N = 257 };
    float inp[N], out[N], R[N], dinp[N], pre[N];
    for (int i = 0; i < N; i++) { /* away from the kink, where differences are meaningless */
        float x = gv_rng_normal(&r);
        inp[i] = x + (x >= 0 ? 0.05f : -0.05f);
    }
    randn(R, N, &r, 1);
    randn(pre, N, &r, 1);
    gv_relu_forward(out, inp, N);
    memcpy(dinp, pre, sizeof dinp);
    gv_relu_backward(dinp, R, out, N);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(out[i], inp[i] > 0 ? inp[i] : 0.0f);
        cr_assert_eq(dinp[i], pre[i] + (inp[i] > 0 ? R[i] : 0.0f));
    }
    gv_relu_backward(NULL, R, out, N);
    float g[N] = {0};
    gv_relu_backward(g, R, out, N);
    ew_ctx c = {out, inp, NULL, R, N, 0};
    fd_check(relu_loss, &c, inp, N, g, N, &r, "relu dinp");
    gv_relu_forward(inp, inp, N); /* in place */
    cr_assert_arr_eq(inp, out, sizeof out);
}

Test(add, forward_and_aliasing)
{
    float a[5] = {1, 2, 3, 4, 5}, b[5] = {0.5f, -2, 0, 1e-3f, -7}, b0[5], out[5];
    memcpy(b0, b, sizeof b);
    gv_add_forward(out, a, b, 5);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(out[i], a[i] + b[i]);
    gv_add_forward(b, out, b, 5); /* out aliases b */
    for (int i = 0; i < 5; i++)
        cr_assert_eq(b[i], out[i] + b0[i]);
    gv_add_forward(a, a, a, 5); /* both inputs alias the output */
    for (int i = 0; i < 5; i++)
        cr_assert_eq(a[i], 2.0f * (float)(i + 1));
}

Test(posenc, matches_formula)
{
    static const int shapes[][2] = {{32, 128}, {32, 7}, {1, 1}, {5, 2}, {40, 33}};
    for (int s = 0; s < NSHAPES(shapes); s++) {
        int T = shapes[s][0], C = shapes[s][1];
        float *pe = malloc((size_t)T * C * sizeof *pe);
        cr_assert_not_null(pe);
        gv_posenc(pe, T, C);
        for (int t = 0; t < T; t++)
            for (int j = 0; j < C; j++) {
                double a = t / pow(10000.0, (double)(2 * (j / 2)) / C);
                double want = j % 2 ? cos(a) : sin(a);
                cr_assert(fabs(pe[t * C + j] - want) <= 1e-6, "pe[%d,%d] = %.9g, want %.9g", t, j, pe[t * C + j],
                          want);
            }
        for (int j = 0; j < C; j++) /* t = 0: sin 0, cos 0 */
            cr_assert_eq(pe[j], j % 2 ? 1.0f : 0.0f);
        free(pe);
    }
    float pe[2 * 4];
    gv_posenc(pe, 2, 4);
    cr_assert_float_eq(pe[4], sinf(1.0f), 1e-7);
    cr_assert_float_eq(pe[5], cosf(1.0f), 1e-7);
    cr_assert_float_eq(pe[6], (float)sin(0.01), 1e-9); /* 10000^(-2/4) = 1/100 */
}

Test(posenc, add_broadcasts_over_batch)
{
    int B = 3, T = 4, C = 5;
    float pe[20], x[60], x0[60];
    gv_rng r;
    gv_rng_seed(&r, 15);
    gv_posenc(pe, T, C);
    randn(x, 60, &r, 1);
    memcpy(x0, x, sizeof x);
    gv_posenc_add(x, pe, B, T, C);
    for (int b = 0; b < B; b++)
        for (int i = 0; i < T * C; i++)
            cr_assert_eq(x[b * T * C + i], x0[b * T * C + i] + pe[i]);
}

Test(sigmoid, values_and_extremes)
{
    for (double x = -20; x <= 20; x += 0.37)
        cr_assert_float_eq(gv_sigmoidf((float)x), 1.0 / (1.0 + exp(-(float)x)), 1e-7, "x = %g", x);
    cr_assert_eq(gv_sigmoidf(0.0f), 0.5f);
    cr_assert_eq(gv_sigmoidf(1e4f), 1.0f);
    cr_assert_eq(gv_sigmoidf(-1e4f), 0.0f);
    cr_assert(gv_sigmoidf(-100.0f) > 0.0f && gv_sigmoidf(-100.0f) < 1e-40f);
    cr_assert(isnan(gv_sigmoidf(NAN)));
}

/* ================================ rng lanes ================================ */

Test(rng, lanes_seeded_advance_parent_and_are_uniform)
{
    enum { N = 64 * GV_RNG_LANES };
    static uint32_t a[N], b[N];
    gv_rng r1, r2, r3;
    gv_rng_seed(&r1, 7);
    gv_rng_seed(&r2, 7);
    gv_rng_seed(&r3, 7);
    gv_rng_lanes l1, l2;
    gv_rng_lanes_seed(&l1, &r1);
    gv_rng_lanes_seed(&l2, &r2);
    gv_rng_u32(&r3);
    gv_rng_u32(&r3);
    cr_assert_arr_eq(&r1, &r3, sizeof r1); /* two draws from the parent */
    gv_rng_lanes_fill(&l1, a, N);
    gv_rng_lanes_fill(&l2, b, N / 2); /* in two calls: the same stream */
    gv_rng_lanes_fill(&l2, b + N / 2, N / 2);
    cr_assert_arr_eq(a, b, sizeof a);
    gv_rng_lanes_seed(&l2, &r2); /* the parent moved on: other numbers */
    gv_rng_lanes_fill(&l2, b, N);
    cr_assert_arr_neq(a, b, sizeof a);
    double mean = 0;
    int bits[32] = {0};
    for (int i = 0; i < N; i++) {
        mean += a[i] / 4294967296.0 / N;
        for (int k = 0; k < 32; k++)
            bits[k] += a[i] >> k & 1;
    }
    cr_assert(fabs(mean - 0.5) < 0.02, "mean %g", mean); /* sd 0.0045 */
    for (int k = 0; k < 32; k++) /* each bit set half the time: sd 16 */
        cr_assert(abs(bits[k] - N / 2) < 100, "bit %d set %d of %d", k, bits[k], N);
}

/* ================================ dropout ================================ */

Test(dropout, same_seed_same_mask_other_seed_other_mask)
{
    enum { N = 4096 };
    static float inp[N], o1[N], o2[N], o3[N];
    static uint8_t m1[N], m2[N], m3[N];
    gv_rng r;
    gv_rng_seed(&r, 16);
    randn(inp, N, &r, 1);
    gv_rng_seed(&r, 42);
    gv_dropout_forward(o1, m1, inp, N, 0.3f, &r);
    gv_rng_seed(&r, 42);
    gv_dropout_forward(o2, m2, inp, N, 0.3f, &r);
    gv_rng_seed(&r, 43);
    gv_dropout_forward(o3, m3, inp, N, 0.3f, &r);
    cr_assert_arr_eq(m1, m2, N);
    cr_assert_arr_eq(o1, o2, sizeof o1);
    cr_assert_arr_neq(m1, m3, N);
}

Test(dropout, keep_rate_and_scaling)
{
    enum { N = 200000 };
    static float inp[N], out[N];
    static uint8_t mask[N];
    static const float ps[] = {0.1f, 0.25f, 0.5f, 0.9f};
    gv_rng r;
    gv_rng_seed(&r, 17);
    randn(inp, N, &r, 1);
    for (int k = 0; k < 4; k++) {
        float p = ps[k];
        gv_dropout_forward(out, mask, inp, N, p, &r);
        long kept = 0;
        for (int i = 0; i < N; i++) {
            cr_assert(mask[i] == 0 || mask[i] == 1);
            kept += mask[i];
            cr_assert_float_eq(out[i], mask[i] ? inp[i] / (1.0f - p) : 0.0f, 1e-6 * (1 + fabsf(out[i])));
        }
        /* binomial sd = sqrt(N p (1-p)) <= 224: 5 sd */
        cr_assert(fabs((double)kept / N - (1.0 - p)) < 0.0056, "p = %g kept %ld", p, kept);
    }
}

Test(dropout, p_zero_is_identity)
{
    float inp[9] = {1, -2, 3, -4, 5, 0, 7, -8, 9}, out[9];
    uint8_t mask[9];
    memset(mask, 7, sizeof mask);
    gv_rng r;
    gv_rng_seed(&r, 18);
    gv_rng before = r;
    gv_dropout_forward(out, mask, inp, 9, 0.0f, &r);
    cr_assert_arr_eq(out, inp, sizeof inp);
    for (int i = 0; i < 9; i++)
        cr_assert_eq(mask[i], 1);
    cr_assert_arr_eq(&r, &before, sizeof r); /* no random numbers drawn */
    float d[9] = {0}, dout[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    gv_dropout_backward(d, dout, mask, 9, 0.0f);
    cr_assert_arr_eq(d, dout, sizeof d);
}

static double dropout_loss(void *p)
{
    ew_ctx *c = p;
    gv_rng r;
    gv_rng_seed(&r, 99); /* the same mask at every evaluation */
    gv_dropout_forward(c->out, c->mask, c->inp, c->n, c->p, &r);
    return dot_loss(c->out, c->R, c->n);
}

Test(dropout, backward_accumulates_and_matches_finite_differences)
{
    enum { N = 300 };
    float inp[N], out[N], R[N], dinp[N], pre[N], g[N] = {0};
    uint8_t mask[N];
    gv_rng r;
    gv_rng_seed(&r, 19);
    randn(inp, N, &r, 1);
    randn(R, N, &r, 1);
    randn(pre, N, &r, 1);
    ew_ctx c = {out, inp, mask, R, N, 0.4f};
    dropout_loss(&c);
    memcpy(dinp, pre, sizeof dinp);
    gv_dropout_backward(dinp, R, mask, N, 0.4f);
    gv_dropout_backward(g, R, mask, N, 0.4f);
    gv_dropout_backward(NULL, R, mask, N, 0.4f);
    for (int i = 0; i < N; i++)
        cr_assert_float_eq(dinp[i], pre[i] + (mask[i] ? R[i] / 0.6f : 0.0f), 1e-6 * (1 + fabsf(dinp[i])));
    fd_check(dropout_loss, &c, inp, N, g, N, &r, "dropout dinp");
}

Test(dropout, add_is_residual_plus_dropout_bit_for_bit)
{
    enum { N = 1000 }; /* not a multiple of the vector width: the tail too */
    static float inp[N], res[N], d[N], want[N], out[N];
    static uint8_t m1[N], m2[N];
    gv_rng r;
    gv_rng_seed(&r, 21);
    randn(inp, N, &r, 1);
    randn(res, N, &r, 1);
    gv_rng a, b;
    gv_rng_seed(&a, 5);
    gv_rng_seed(&b, 5);
    gv_dropout_forward(d, m1, inp, N, 0.25f, &a);
    gv_add_forward(want, res, d, N);
    gv_dropout_add_forward(out, m2, inp, res, N, 0.25f, &b);
    cr_assert_arr_eq(m1, m2, N);
    cr_assert_arr_eq(out, want, sizeof out);
    cr_assert_arr_eq(&a, &b, sizeof a); /* the same numbers drawn */
    gv_rng_seed(&b, 5);
    gv_dropout_add_forward(res, m2, inp, res, N, 0.25f, &b); /* out aliases res */
    cr_assert_arr_eq(res, want, sizeof res);
    gv_dropout_add_forward(out, m2, inp, res, N, 0.0f, &b); /* p = 0: keeps everything */
    for (int i = 0; i < N; i++)
        cr_assert(m2[i] == 1 && out[i] == res[i] + inp[i]);
}

/* Every path (AVX2 intrinsics, the clones, the scalar tail) applies the
 * mask it stores, bit for bit, forward and backward. */
Test(dropout, output_and_gradient_follow_the_stored_mask_exactly)
{
    enum { N = 1003 }; /* two chunks, a tail of 3 past the vectors */
    static float inp[N], out[N], dout[N], dinp[N], base[N];
    static uint8_t mask[N];
    gv_rng r;
    gv_rng_seed(&r, 23);
    randn(inp, N, &r, 1);
    randn(dout, N, &r, 1);
    randn(base, N, &r, 1);
    float p = 0.3f, s = gv_dropout_scale(p);
    gv_dropout_forward(out, mask, inp, N, p, &r);
    memcpy(dinp, base, sizeof dinp);
    gv_dropout_backward(dinp, dout, mask, N, p);
    int kept = 0;
    for (int i = 0; i < N; i++) {
        cr_assert(mask[i] == 0 || mask[i] == 1, "mask[%d] = %d", i, mask[i]);
        kept += mask[i];
        float want = mask[i] ? inp[i] * s : 0.0f, dwant = base[i] + (mask[i] ? dout[i] * s : 0.0f);
        cr_assert(memcmp(&out[i], &want, sizeof want) == 0, "out[%d] %g want %g", i, out[i], want);
        cr_assert(memcmp(&dinp[i], &dwant, sizeof dwant) == 0, "dinp[%d] %g want %g", i, dinp[i], dwant);
    }
    cr_assert(kept > N / 2 && kept < N, "kept %d of %d", kept, N);
}

Test(dropout, scale)
{
    cr_assert_eq(gv_dropout_scale(0.0f), 1.0f);
    cr_assert_eq(gv_dropout_scale(0.5f), 2.0f);
    cr_assert_eq(gv_dropout_scale(1.0f), 0.0f);
}

/* ============================ backend, threads ============================ */

Test(backend, cpu_table_is_the_kernels)
{
    const gv_backend *be = gv_backend_cpu();
    cr_assert_not_null(be);
    cr_assert_str_eq(be->name, "cpu");
    cr_assert(be->linear_forward == gv_linear_forward && be->linear_backward == gv_linear_backward);
    cr_assert(be->layernorm_forward == gv_layernorm_forward && be->layernorm_backward == gv_layernorm_backward);
    cr_assert(be->attention_forward == gv_attention_forward && be->attention_backward == gv_attention_backward);
    cr_assert(be->relu_forward == gv_relu_forward && be->relu_backward == gv_relu_backward);
    cr_assert(be->add_forward == gv_add_forward);
    cr_assert(be->dropout_forward == gv_dropout_forward && be->dropout_backward == gv_dropout_backward);
    cr_assert_eq(gv_backend_cpu(), be);
}

Test(threads, two_threads_agree_with_one)
{
    int BT = 256, C = 256, OC = 256;
    gv_rng r;
    gv_rng_seed(&r, 20);
    bag g = {0};
    float *inp = fbuf(&g, BT * C), *w = fbuf(&g, OC * C), *o1 = fbuf(&g, BT * OC), *o2 = fbuf(&g, BT * OC);
    double *want = dbuf(&g, BT * OC);
    randn(inp, BT * C, &r, 1);
    randn(w, OC * C, &r, 0.1f);
    gv_kernels_set_threads(1);
    gv_linear_forward(o1, inp, w, NULL, BT, C, OC);
    gv_kernels_set_threads(2);
    gv_linear_forward(o2, inp, w, NULL, BT, C, OC);
    gv_kernels_set_threads(0); /* clamped to 1 */
    for (int i = 0; i < BT * OC; i++)
        want[i] = o1[i];
    expect_close(o2, want, BT * OC, 1e-5, "2 threads");
    bag_free(&g);
}

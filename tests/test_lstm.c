/* test_lstm.c - kernels/lstm.h against PyTorch (tests/reference/
 * lstm_check.py: nn.LSTMCell and nn.LSTM in float64, autograd): outputs,
 * every state and every gradient, both directions, at two shapes; and one
 * decoding step equal to the sequence's (to rounding). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernels/lstm.h"
#include "kernels/rng.h"
#include "tests/helpers.h"

static float *rnd(gv_rng *r, size_t n, float scale)
{
    float *p = malloc(n * sizeof *p);
    cr_assert_not_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = scale * (2.f * gv_rng_uniform(r) - 1.f);
    return p;
}

static float *zeros(size_t n)
{
    float *p = calloc(n, sizeof *p);
    cr_assert_not_null(p);
    return p;
}

/* Largest |a - b| / max(1e-3, max |b|) over n. */
static double rel_err(const float *a, const float *b, size_t n)
{
    double m = 0, e = 0;
    for (size_t i = 0; i < n; i++) {
        m = fmax(m, fabs(b[i]));
        e = fmax(e, fabs((double)a[i] - b[i]));
    }
    return e / fmax(1e-3, m);
}

static void check(int T, int B, int I, int H, int reverse, uint64_t seed)
{
    gv_rng r;
    gv_rng_seed(&r, seed);
    size_t nx = (size_t)T * B * I, ns = (size_t)B * H, nh = (size_t)T * B * H, G = 4 * (size_t)H;
    float *x = rnd(&r, nx, 1.f), *h0 = rnd(&r, ns, .5f), *c0 = rnd(&r, ns, .5f);
    float *w_ih = rnd(&r, G * I, .4f), *w_hh = rnd(&r, G * H, .4f), *b_ih = rnd(&r, G, .2f),
          *b_hh = rnd(&r, G, .2f), *dh = rnd(&r, nh, 1.f), *dcT = rnd(&r, ns, 1.f);
    float *h = zeros(nh), *c = zeros(nh), *act = zeros((size_t)T * B * G);
    float *wpack = zeros(4 * (size_t)H * H);
    /* the packed recurrent path (kernels/gemm.h) and OpenBLAS's agree */
    float *h2 = zeros(nh), *c2 = zeros(nh), *act2 = zeros((size_t)T * B * G);
    gv_lstm_forward(h2, c2, act2, x, h0, c0, w_ih, w_hh, b_ih, b_hh, T, B, I, H, reverse, NULL);
    gv_lstm_forward(h, c, act, x, h0, c0, w_ih, w_hh, b_ih, b_hh, T, B, I, H, reverse, wpack);
    cr_assert(rel_err(h, h2, nh) < 1e-5, "packed and BLAS forward differ by %g", rel_err(h, h2, nh));
    free(h2), free(c2), free(act2);
    float *dx = zeros(nx), *dh0 = zeros(ns), *dc0 = zeros(ns), *dwi = zeros(G * I), *dwh = zeros(G * H),
          *dbi = zeros(G), *dbh = zeros(G), *scratch = zeros(gv_lstm_scratch(T, B, H));
    gv_lstm_backward(dx, dh0, dc0, dwi, dwh, dbi, dbh, dh, dcT, scratch, x, h0, c0, h, c, act, w_ih, w_hh, T,
                     B, I, H, reverse, reverse ? NULL : wpack); /* w_hh packed once, or read in place */
    free(wpack);

    char in[64], out[64], cmd[512];
    snprintf(in, sizeof in, "/tmp/gv_lstm_in_%d", (int)getpid());
    snprintf(out, sizeof out, "/tmp/gv_lstm_out_%d", (int)getpid());
    FILE *f = fopen(in, "wb");
    cr_assert_not_null(f);
    int32_t hdr[5] = {T, B, I, H, reverse};
    fwrite(hdr, sizeof hdr, 1, f);
    const float *arr[] = {x, h0, c0, w_ih, w_hh, b_ih, b_hh, dh, dcT};
    size_t len[] = {nx, ns, ns, G * I, G * H, G, G, nh, ns};
    for (int i = 0; i < 9; i++)
        fwrite(arr[i], sizeof(float), len[i], f);
    cr_assert_eq(fclose(f), 0);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/reference/lstm_check.py' %s %s", gv_test_root(), in,
             out);
    cr_assert_eq(system(cmd), 0, "reference failed: %s", cmd);
    size_t want[] = {nh, nh, nx, ns, ns, G * I, G * H, G, G}, total = 0;
    for (int i = 0; i < 9; i++)
        total += want[i];
    float *ref = zeros(total);
    f = fopen(out, "rb");
    cr_assert_not_null(f);
    cr_assert_eq(fread(ref, sizeof(float), total, f), total);
    fclose(f);
    unlink(in);
    unlink(out);
    const float *mine[] = {h, c, dx, dh0, dc0, dwi, dwh, dbi, dbh};
    const char *name[] = {"h", "c", "dx", "dh0", "dc0", "dw_ih", "dw_hh", "db_ih", "db_hh"};
    size_t at = 0;
    for (int i = 0; i < 9; i++) {
        double e = rel_err(mine[i], ref + at, want[i]);
        cr_assert(e < (i < 2 ? 1e-4 : 1e-3), "T=%d B=%d I=%d H=%d reverse=%d: %s differs by %g", T, B, I, H,
                  reverse, name[i], e);
        at += want[i];
    }
    /* One decoding step from the first step's state equals the sequence's second step. */
    if (!reverse && T > 1) {
        float *hs = zeros(ns), *cs = zeros(ns), *a = zeros((size_t)B * G);
        gv_lstm_step(hs, cs, a, x + (size_t)B * I, h, c, w_ih, w_hh, b_ih, b_hh, B, I, H);
        /* Not bit for bit: the sequence projects all T inputs in one GEMM,
         * whose blocking may sum in another order. */
        cr_assert(rel_err(hs, h + ns, ns) < 1e-6, "a step and the sequence agree");
        cr_assert(rel_err(cs, c + ns, ns) < 1e-6);
        free(hs), free(cs), free(a);
    }
    float *all[] = {x, h0, c0, w_ih, w_hh, b_ih, b_hh, dh, dcT, h, c, act, dx, dh0, dc0, dwi, dwh, dbi, dbh,
                    scratch, ref};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
}

Test(lstm, matches_pytorch_forward_small) { check(5, 3, 4, 6, 0, 1); }
Test(lstm, matches_pytorch_reverse_small) { check(5, 3, 4, 6, 1, 2); }
Test(lstm, matches_pytorch_forward_model_shape) { check(32, 4, 27, 64, 0, 3); }
Test(lstm, matches_pytorch_reverse_model_shape) { check(32, 4, 27, 64, 1, 4); }

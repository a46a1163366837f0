/* test_gemm.c - the inference kernels of kernels/gemm.h and
 * kernels/attention_small.h, every variant this CPU runs, against naive
 * double-precision loops over odd shapes (tails of M, N, K); and the model's
 * packed inference path against its OpenBLAS path. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/model.h"
#include "kernels/attention_small.h"
#include "kernels/gemm.h"
#include "kernels/kernels.h"
#include "tests/helpers.h"

static const gv_isa isas[] = {GV_ISA_C, GV_ISA_AVX2, GV_ISA_AVX512};
#define NISA (sizeof isas / sizeof *isas)

/* n floats of N(0, 1) from seed, malloc'd at their exact size (ASan sees
 * any read past the end). */
static float *randn(size_t n, uint64_t seed)
{
    float *x = malloc((n ? n : 1) * sizeof *x);
    cr_assert_not_null(x);
    gv_rng r;
    gv_rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        x[i] = gv_rng_normal(&r);
    return x;
}

/* |got - want| <= tol * scale: scale is the sum of the magnitudes that went
 * into the element (so the bound is relative to what rounding can reach). */
static void expect_near(float got, double want, double scale, double tol, const char *what, int i, int j)
{
    double err = fabs(got - want);
    cr_expect(err <= tol * (scale + 1e-30), "%s [%d,%d]: %.9g, want %.9g (err %.3g, scale %.3g)", what, i, j, got,
              want, err, scale);
}

typedef struct shape {
    int M, N, K;
} shape;

/* c = epi(a @ B) in double, B given as (k, n) -> value; checks c. */
static int check_gemm(gv_isa isa, shape s, const float *c, size_t ldc, const float *a, size_t lda,
                      const float *w /* [N, K] */, const gv_gemm_epi *e, const char *what)
{
    int bad = 0;
    for (int i = 0; i < s.M; i++)
        for (int n = 0; n < s.N; n++) {
            double acc = 0, mag = 0;
            for (int k = 0; k < s.K; k++) {
                double p = (double)a[(size_t)i * lda + k] * w[(size_t)n * s.K + k];
                acc += p;
                mag += fabs(p);
            }
            double scale = e && e->scale ? e->scale : 1.0;
            acc *= scale;
            mag *= fabs(scale);
            if (e && e->bias)
                acc += e->bias[n], mag += fabs(e->bias[n]);
            if (e && e->res)
                acc += e->res[(size_t)i * e->ldr + n], mag += fabs(e->res[(size_t)i * e->ldr + n]);
            if (e && e->relu)
                acc = acc > 0 ? acc : 0;
            float got = c[(size_t)i * ldc + n];
            if (fabs(got - acc) > 1e-5 * (mag + 1e-30)) {
                if (bad++ < 3)
                    expect_near(got, acc, mag, 1e-5, what, i, n);
            }
        }
    cr_expect_eq(bad, 0, "%s (%s, M %d N %d K %d): %d elements off", what, gv_isa_name(isa), s.M, s.N, s.K, bad);
    return bad;
}

static const int Ms[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 33, 64, 70};
static const int Ns[] = {1, 2, 7, 8, 9, 15, 16, 17, 24, 27, 31, 32, 33, 48, 63, 64, 65, 70};
static const int Ks[] = {0, 1, 2, 3, 5, 16, 31, 64, 70};
#define COUNT(a) (int)(sizeof a / sizeof *a)

/* The packed weight of every shape, with each epilogue in turn. */
Test(gemm, packed_matches_naive_double)
{
    int cases = 0;
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        for (int mi = 0; mi < COUNT(Ms); mi++)
            for (int ni = 0; ni < COUNT(Ns); ni++)
                for (int ki = 0; ki < COUNT(Ks); ki++) {
                    shape s = {Ms[mi], Ns[ni], Ks[ki]};
                    uint64_t seed = (uint64_t)(mi * 1000 + ni * 10 + ki);
                    float *a = randn((size_t)s.M * s.K, seed), *w = randn((size_t)s.N * s.K, seed + 1);
                    float *bias = randn((size_t)s.N, seed + 2), *res = randn((size_t)s.M * s.N, seed + 3);
                    float *p = malloc(((size_t)s.N * s.K + 1) * sizeof *p), *c = malloc((size_t)s.M * s.N * 4);
                    cr_assert(p && c);
                    gv_gemm_pack(p, w, s.N, s.K);
                    gv_gemm_b b = gv_gemm_packed(p, s.N, s.K);
                    int kind = (mi + ni + ki) % 4; /* one epilogue per shape, all four over the sweep */
                    gv_gemm_epi e = {.scale = kind == 3 ? 0.125f : 0.0f,
                                     .bias = kind >= 1 ? bias : NULL,
                                     .res = kind >= 2 ? res : NULL,
                                     .ldr = (size_t)s.N,
                                     .relu = kind == 1 || kind == 3};
                    const gv_gemm_epi *ep = kind ? &e : NULL;
                    gv_gemm(isa, c, (size_t)s.N, a, (size_t)s.K, b, s.M, s.N, s.K, ep);
                    if (check_gemm(isa, s, c, (size_t)s.N, a, (size_t)s.K, w, ep, "packed"))
                        cr_assert_fail("stopping at the first failing shape");
                    cases++;
                    free(a), free(w), free(bias), free(res), free(p), free(c);
                }
    }
    cr_expect_geq(cases, COUNT(Ms) * COUNT(Ns) * COUNT(Ks));
}

/* A row-major B with row stride > N, a with stride > K, c with stride > N:
 * only the elements inside the shapes are read or written. */
Test(gemm, strided_row_major_operands)
{
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        for (int ni = 0; ni < COUNT(Ns); ni++) {
            shape s = {13, Ns[ni], 37};
            size_t lda = 41, ldb = (size_t)s.N + 3, ldc = (size_t)s.N + 5;
            float *a = randn(lda * (s.M - 1) + s.K, 50 + ni), *b = randn(ldb * (s.K - 1) + s.N, 60 + ni);
            float *w = malloc((size_t)s.N * s.K * sizeof *w), *c = malloc((ldc * (s.M - 1) + s.N) * sizeof *c);
            cr_assert(w && c);
            for (int k = 0; k < s.K; k++)
                for (int n = 0; n < s.N; n++)
                    w[(size_t)n * s.K + k] = b[(size_t)k * ldb + n];
            for (size_t i = 0; i < ldc * (s.M - 1) + s.N; i++)
                c[i] = 1234.5f;
            gv_gemm(isa, c, ldc, a, lda, gv_gemm_rows(b, ldb), s.M, s.N, s.K, NULL);
            check_gemm(isa, s, c, ldc, a, lda, w, NULL, "rows");
            for (int i = 0; i < s.M - 1; i++)
                for (size_t j = (size_t)s.N; j < ldc; j++)
                    cr_expect_eq(c[i * ldc + j], 1234.5f, "gap of c written at [%d,%zu]", i, j);
            free(a), free(b), free(w), free(c);
        }
    }
}

/* Each output is one FMA chain whatever the tile: a batch gives the bytes of
 * its rows one at a time, and c may be the residual itself. */
Test(gemm, rows_independent_of_batch_and_in_place_residual)
{
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        shape s = {37, 70, 50};
        float *a = randn((size_t)s.M * s.K, 1), *w = randn((size_t)s.N * s.K, 2), *bias = randn(s.N, 3);
        float *res = randn((size_t)s.M * s.N, 4), *p = malloc((size_t)s.N * s.K * 4);
        float *all = malloc((size_t)s.M * s.N * 4), *one = malloc((size_t)s.N * 4);
        float *inplace = malloc((size_t)s.M * s.N * 4);
        cr_assert(p && all && one && inplace);
        gv_gemm_pack(p, w, s.N, s.K);
        gv_gemm_b b = gv_gemm_packed(p, s.N, s.K);
        gv_gemm_epi e = {.bias = bias, .res = res, .ldr = (size_t)s.N};
        gv_gemm(isa, all, (size_t)s.N, a, (size_t)s.K, b, s.M, s.N, s.K, &e);
        for (int i = 0; i < s.M; i++) {
            gv_gemm_epi e1 = e;
            e1.res = res + (size_t)i * s.N;
            gv_gemm(isa, one, (size_t)s.N, a + (size_t)i * s.K, (size_t)s.K, b, 1, s.N, s.K, &e1);
            cr_expect_arr_eq(one, all + (size_t)i * s.N, (size_t)s.N * 4, "%s: row %d alone differs",
                             gv_isa_name(isa), i);
        }
        memcpy(inplace, res, (size_t)s.M * s.N * 4);
        e.res = inplace;
        gv_gemm(isa, inplace, (size_t)s.N, a, (size_t)s.K, b, s.M, s.N, s.K, &e);
        cr_expect_arr_eq(inplace, all, (size_t)s.M * s.N * 4, "%s: c == res differs", gv_isa_name(isa));
        free(a), free(w), free(bias), free(res), free(p), free(all), free(one), free(inplace);
    }
}

Test(gemm, softmax_rows_matches_double)
{
    static const int ns[] = {1, 5, 8, 16, 17, 32, 33, 70};
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        for (int t = 0; t < COUNT(ns); t++) {
            int n = ns[t], rows = 6;
            size_t ld = (size_t)n + 2;
            float *x = randn(ld * rows, 70 + t), *ref = malloc(ld * rows * sizeof *ref);
            cr_assert(ref);
            for (size_t i = 0; i < ld * rows; i++)
                x[i] *= (i / ld) % 2 ? 30.0f : 1.0f; /* wide rows: exp spans far below 1 */
            x[3 * ld] = -1e30f;                       /* an element that vanishes */
            memcpy(ref, x, ld * rows * sizeof *ref);
            gv_softmax_rows(isa, x, rows, n, ld);
            for (int r = 0; r < rows; r++) {
                const float *row = ref + r * ld;
                double mx = -INFINITY, sum = 0;
                for (int i = 0; i < n; i++)
                    mx = fmax(mx, row[i]);
                for (int i = 0; i < n; i++)
                    sum += exp(row[i] - mx);
                for (int i = 0; i < n; i++) {
                    /* exp's condition number is |x|: the float x - max carries a relative error of 6e-8 * |x| */
                    double want = exp(row[i] - mx) / sum;
                    expect_near(x[r * ld + i], want, want * (1 + fabs(row[i] - mx)), 2e-6, gv_isa_name(isa), r, i);
                }
                cr_expect_eq(x[r * ld + n], ref[r * ld + n], "softmax wrote past its row");
            }
            free(x), free(ref);
        }
    }
}

Test(gemm, layernorm_rows_matches_double_in_place)
{
    static const int Cs[] = {1, 7, 16, 33, 128};
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        for (int t = 0; t < COUNT(Cs); t++) {
            int C = Cs[t], rows = 5;
            float *x = randn((size_t)rows * C, 80 + t), *w = randn(C, 90 + t), *b = randn(C, 100 + t);
            float *out = malloc((size_t)rows * C * sizeof *out);
            cr_assert(out);
            for (int i = 0; i < rows * C; i++)
                x[i] = 3.0f + 2.0f * x[i]; /* off zero mean */
            gv_layernorm_rows(isa, out, x, w, b, rows, C, 1e-5f);
            for (int r = 0; r < rows; r++) {
                const float *xr = x + (size_t)r * C;
                double mean = 0, var = 0;
                for (int i = 0; i < C; i++)
                    mean += xr[i];
                mean /= C;
                for (int i = 0; i < C; i++)
                    var += (xr[i] - mean) * (xr[i] - mean);
                double rstd = 1 / sqrt(var / C + 1e-5);
                for (int i = 0; i < C; i++) {
                    double want = (xr[i] - mean) * rstd * w[i] + b[i];
                    double scale = fabs(w[i]) * 4 + fabs(b[i]) + 1; /* |normalised x| stays under ~4 */
                    expect_near(out[r * C + i], want, scale, 1e-5, gv_isa_name(isa), r, i);
                }
            }
            gv_layernorm_rows(isa, x, x, w, b, rows, C, 1e-5f);
            cr_expect_arr_eq(x, out, (size_t)rows * C * 4, "%s: in place differs", gv_isa_name(isa));
            free(x), free(w), free(b), free(out);
        }
    }
}

Test(gemm, sigmoid_affine_matches_double)
{
    static const int ns[] = {1, 9, 16, 27, 40};
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        for (int t = 0; t < COUNT(ns); t++) {
            int n = ns[t];
            float *x = randn(n, 120 + t), *s = randn(n, 130 + t), *h = randn(n, 140 + t), *y = malloc(n * 4);
            cr_assert(y);
            for (int i = 0; i < n; i++)
                x[i] *= i % 5 == 4 ? 1e4f : 10.0f; /* saturated ends too */
            gv_sigmoid_affine(isa, y, x, n, s, h);
            for (int i = 0; i < n; i++) {
                double sig = 1 / (1 + exp(-(double)s[i] * x[i]));
                /* the float product s x carries 6e-8 relative: sig' x = sig (1 - sig) |s x| */
                double cond = sig * (1 + (1 - sig) * fabs((double)s[i] * x[i]));
                expect_near(y[i], sig + h[i], cond + fabs(sig + h[i]), 2e-6, gv_isa_name(isa), 0, i);
            }
            gv_sigmoid_affine(isa, x, x, n, s, h);
            cr_expect_arr_eq(x, y, (size_t)n * 4, "%s: in place differs", gv_isa_name(isa));
            free(x), free(s), free(h), free(y);
        }
    }
}

/* The fused LSTM gates of every ISA against float64 math: the activations,
 * the new state (with and without a previous one, in place as the packed
 * path runs it) and the backward's gradients, at widths with and without a
 * partial vector; saturated pre-activations stay finite. */
static double dsig(double x) { return 1 / (1 + exp(-x)); }

Test(gemm, lstm_gates_forward_and_backward_match_float64)
{
    static const int shapes[][2] = {{3, 16}, {2, 37}, {1, 5}, {4, 64}};
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        for (size_t sh = 0; sh < sizeof shapes / sizeof *shapes; sh++) {
            int B = shapes[sh][0], H = shapes[sh][1];
            size_t na = (size_t)B * 4 * H, nh = (size_t)B * H;
            float *a = randn(na, 70 + sh), *a0 = malloc(na * sizeof *a), *cp = randn(nh, 80 + sh);
            float *h = malloc(nh * sizeof *h), *c = malloc(nh * sizeof *c), *dh = randn(nh, 90 + sh);
            float *dc = randn(nh, 95 + sh), *dc0 = malloc(nh * sizeof *dc0), *da = malloc(na * sizeof *da);
            cr_assert(a0 && h && c && dc0 && da);
            for (size_t i = 0; i < na; i++)
                a[i] *= i % 7 == 3 ? 60.0f : 3.0f; /* saturated gates too */
            memcpy(a0, a, na * sizeof *a);
            memcpy(dc0, dc, nh * sizeof *dc);
            gv_lstm_gates(isa, a, h, c, cp, B, H);
            for (int b = 0; b < B; b++)
                for (int k = 0; k < H; k++) {
                    const float *p = a0 + (size_t)b * 4 * H;
                    double i = dsig(p[k]), f = dsig(p[H + k]), g = tanh(p[2 * H + k]), o = dsig(p[3 * H + k]);
                    double cn = f * cp[b * H + k] + i * g, hn = o * tanh(cn);
                    const float *q = a + (size_t)b * 4 * H;
                    cr_expect(fabs(q[k] - i) < 1e-6 && fabs(q[H + k] - f) < 1e-6 && fabs(q[2 * H + k] - g) < 1e-6 &&
                                  fabs(q[3 * H + k] - o) < 1e-6,
                              "%s B%d H%d: gates at %d,%d", gv_isa_name(isa), B, H, b, k);
                    cr_expect(fabs(c[b * H + k] - cn) < 2e-6 && fabs(h[b * H + k] - hn) < 2e-6,
                              "%s B%d H%d: state at %d,%d: %g vs %g, %g vs %g", gv_isa_name(isa), B, H, b, k,
                              c[b * H + k], cn, h[b * H + k], hn);
                }
            gv_lstm_gates_back(isa, da, dc, dh, a, c, cp, B, H);
            for (int b = 0; b < B; b++)
                for (int k = 0; k < H; k++) {
                    const float *q = a + (size_t)b * 4 * H, *g = da + (size_t)b * 4 * H;
                    double i = q[k], f = q[H + k], gg = q[2 * H + k], o = q[3 * H + k];
                    double tc = tanh(c[b * H + k]), d = dh[b * H + k];
                    double dct = dc0[b * H + k] + d * o * (1 - tc * tc);
                    double want[4] = {dct * gg * i * (1 - i), dct * cp[b * H + k] * f * (1 - f), dct * i * (1 - gg * gg),
                                      d * tc * o * (1 - o)};
                    for (int j = 0; j < 4; j++)
                        cr_expect(fabs(g[j * H + k] - want[j]) < 1e-5 * (1 + fabs(want[j])),
                                  "%s B%d H%d: gate gradient %d at %d,%d: %g vs %g", gv_isa_name(isa), B, H, j, b, k,
                                  g[j * H + k], want[j]);
                    cr_expect(fabs(dc[b * H + k] - dct * f) < 1e-5 * (1 + fabs(dct * f)));
                }
            /* in place (cp = c) and without a previous state (cp NULL: zeros) */
            memcpy(a, a0, na * sizeof *a);
            float *c2 = malloc(nh * sizeof *c2), *h2 = malloc(nh * sizeof *h2);
            cr_assert(c2 && h2);
            memcpy(c2, cp, nh * sizeof *c2);
            gv_lstm_gates(isa, a, h2, c2, c2, B, H);
            cr_expect_arr_eq(h2, h, nh * sizeof *h, "%s: in place differs", gv_isa_name(isa));
            memcpy(a, a0, na * sizeof *a);
            gv_lstm_gates(isa, a, h2, c2, NULL, B, H);
            for (size_t j = 0; j < nh; j++) {
                size_t b = j / (size_t)H, k = j % (size_t)H;
                const float *p = a0 + b * 4 * (size_t)H;
                double cn = dsig(p[k]) * tanh(p[2 * H + k]);
                cr_expect(fabs(c2[j] - cn) < 2e-6 && isfinite(h2[j]), "%s: no previous state", gv_isa_name(isa));
            }
            free(a), free(a0), free(cp), free(h), free(c), free(dh), free(dc), free(dc0), free(da), free(c2), free(h2);
        }
    }
}

/* A NaN score or logit stays visible (the SIMD exp clamps its argument). */
Test(gemm, transpose_exact_with_strides_and_edges)
{
    static const int shapes[][2] = {{32, 32}, {19, 37}, {8, 8}, {7, 3}, {1, 17}, {40, 16}};
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
            int R = shapes[s][0], C = shapes[s][1];
            size_t lds = (size_t)C + 5, ldd = (size_t)R + 3;
            float *src = randn((size_t)R * lds, 50 + s), *dst = malloc((size_t)C * ldd * sizeof *dst);
            cr_assert_not_null(dst);
            for (size_t i = 0; i < (size_t)C * ldd; i++)
                dst[i] = -1.0f; /* the gaps between rows stay untouched */
            gv_transpose(isa, dst, ldd, src, lds, R, C);
            for (int c = 0; c < C; c++)
                for (size_t r = 0; r < ldd; r++) {
                    float want = r < (size_t)R ? src[r * lds + c] : -1.0f;
                    cr_expect(dst[c * ldd + r] == want, "%s %dx%d [%d,%zu]", gv_isa_name(isa), R, C, c, r);
                }
            free(src);
            free(dst);
        }
    }
}

Test(gemm, nan_propagates)
{
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        float row[32], x[27], y[27], s[27], h[27];
        for (int i = 0; i < 32; i++)
            row[i] = (float)i * 0.1f;
        row[5] = NAN;
        gv_softmax_rows(isa, row, 1, 32, 32);
        for (int i = 0; i < 32; i++)
            cr_expect(isnan(row[i]), "%s: softmax [%d] = %g, not NaN", gv_isa_name(isa), i, row[i]);
        for (int i = 0; i < 27; i++)
            x[i] = 0.5f, s[i] = 1.0f, h[i] = 0.0f;
        x[3] = NAN, x[20] = NAN;
        gv_sigmoid_affine(isa, y, x, 27, s, h);
        cr_expect(isnan(y[3]) && isnan(y[20]) && !isnan(y[4]), "%s: sigmoid lost a NaN", gv_isa_name(isa));
        /* relu maps NaN to 0, as gv_relu_forward does */
        float a[2] = {NAN, 1.0f}, w[3] = {1.0f, 2.0f, -3.0f}, c[6];
        gv_gemm_epi e = {.relu = 1};
        gv_gemm(isa, c, 3, a, 1, gv_gemm_rows(w, 3), 2, 3, 1, &e);
        cr_expect(c[0] == 0 && c[1] == 0 && c[2] == 0 && c[3] == 1 && c[4] == 2 && c[5] == 0,
                  "%s: relu gave %g %g %g / %g %g %g", gv_isa_name(isa), c[0], c[1], c[2], c[3], c[4], c[5]);
    }
}

/* Against the training kernel (itself checked against naive loops in
 * test_kernels.c), head sizes on and off the vector width. */
Test(gemm, attention_small_matches_attention_forward)
{
    static const int cfg[][4] = {{1, 32, 128, 4}, {3, 32, 128, 4}, {2, 32, 48, 3}, {2, 7, 20, 2}, {1, 32, 70, 1}};
    for (size_t v = 0; v < NISA; v++) {
        gv_isa isa = isas[v];
        if (!gv_isa_supported(isa))
            continue;
        for (int t = 0; t < COUNT(cfg); t++) {
            int B = cfg[t][0], T = cfg[t][1], C = cfg[t][2], NH = cfg[t][3];
            float *qkv = randn((size_t)B * T * 3 * C, 110 + t), *att = malloc((size_t)B * NH * T * T * 4);
            float *want = malloc((size_t)B * T * C * 4), *got = malloc((size_t)B * T * C * 4);
            float *scratch = malloc(gv_attention_small_scratch(T, C, NH) * 4);
            cr_assert(att && want && got && scratch);
            gv_attention_forward(want, att, qkv, B, T, C, NH);
            gv_attention_small(isa, got, qkv, B, T, C, NH, scratch);
            for (int i = 0; i < B * T * C; i++)
                expect_near(got[i], want[i], 1 + fabs(want[i]), 1e-5, gv_isa_name(isa), i / C, i % C);
            free(qkv), free(att), free(want), free(got), free(scratch);
        }
    }
}

/* ---- the model: packed path against the OpenBLAS path ---- */

typedef struct outputs {
    float *mu, *lv, *logits;
} outputs;

static void infer(const gv_model *m, const float *src, const float *z, int N, outputs *o)
{
    size_t L = (size_t)m->cfg.latent_dim;
    o->mu = malloc(N * L * 4), o->lv = malloc(N * L * 4);
    o->logits = malloc((size_t)N * GV_MODEL_STEPS * GV_OUT_FEATURES * 4);
    gv_infer_ws *ws = gv_infer_ws_new(&m->cfg, N);
    cr_assert(o->mu && o->lv && o->logits && ws);
    gv_model_encode(m, src, N, o->mu, o->lv, ws);
    gv_model_decode_logits(m, z, N, o->logits, ws);
    gv_infer_ws_free(ws);
}

static void outputs_free(outputs *o) { free(o->mu), free(o->lv), free(o->logits); }

/* max |a - b| / (1 + max |b|) */
static double rel_diff(const float *a, const float *b, size_t n)
{
    double d = 0, mag = 0;
    for (size_t i = 0; i < n; i++) {
        d = fmax(d, fabs(a[i] - b[i]));
        mag = fmax(mag, fabs(b[i]));
    }
    return d / (1 + mag);
}

static void packed_vs_blas(const gv_config *c, uint64_t seed)
{
    gv_model m;
    gv_err e = {0};
    cr_assert_eq(gv_model_init_random(&m, c, seed, &e), 0, "%s", e.msg);
    cr_expect_eq(m.packed != NULL, gv_isa_best() != GV_ISA_C, "init_random packs as load does");
    gv_model_unpack(&m);
    cr_assert_null(m.packed);
    int N = 5, L = c->latent_dim;
    float *src = randn((size_t)N * GV_MODEL_STEPS * GV_SRC_FEATURES, seed + 1);
    float *z = randn((size_t)N * L, seed + 2);
    for (int i = 0; i < N * GV_MODEL_STEPS * GV_SRC_FEATURES; i++)
        src[i] = fabsf(src[i]) * 0.3f;
    outputs blas, packed, again;
    infer(&m, src, z, N, &blas);
    cr_assert_eq(gv_model_pack(&m, &e), 0, "%s", e.msg);
    if (gv_isa_best() == GV_ISA_C)
        cr_assert_null(m.packed, "no SIMD: OpenBLAS stays");
    else
        cr_assert_not_null(m.packed);
    infer(&m, src, z, N, &packed);
    infer(&m, src, z, N, &again);
    size_t nz = (size_t)N * L, nl = (size_t)N * GV_MODEL_STEPS * GV_OUT_FEATURES;
    double dmu = rel_diff(packed.mu, blas.mu, nz), dlv = rel_diff(packed.lv, blas.lv, nz);
    double dlog = rel_diff(packed.logits, blas.logits, nl);
    cr_log_info("packed (%s) vs OpenBLAS: mu %.2g logvar %.2g logits %.2g", gv_isa_name(m.isa), dmu, dlv, dlog);
    cr_expect_leq(dmu, 1e-5, "mu differs by %g", dmu);
    cr_expect_leq(dlv, 1e-5, "logvar differs by %g", dlv);
    cr_expect_leq(dlog, 1e-5, "logits differ by %g", dlog);
    cr_expect_arr_eq(again.mu, packed.mu, nz * 4, "same input, different mu");
    cr_expect_arr_eq(again.logits, packed.logits, nl * 4, "same input, different logits");

    /* one sequence alone gives its bytes in the batch */
    outputs one;
    infer(&m, src + 2 * GV_MODEL_STEPS * GV_SRC_FEATURES, z + 2 * L, 1, &one);
    cr_expect_arr_eq(one.mu, packed.mu + 2 * L, (size_t)L * 4, "batch of 1 differs from the batch of 5 (mu)");
    cr_expect_arr_eq(one.logits, packed.logits + 2 * GV_MODEL_STEPS * GV_OUT_FEATURES,
                     (size_t)GV_MODEL_STEPS * GV_OUT_FEATURES * 4, "batch of 1 differs (logits)");

    /* the copy does not follow params until packed again */
    for (size_t i = 0; i < m.nparams; i++)
        m.params[i] *= 0.5f;
    outputs stale, fresh;
    infer(&m, src, z, N, &stale);
    cr_assert_eq(gv_model_pack(&m, &e), 0, "%s", e.msg);
    infer(&m, src, z, N, &fresh);
    gv_model_unpack(&m);
    cr_assert_null(m.packed);
    outputs halved;
    infer(&m, src, z, N, &halved);
    cr_expect_leq(rel_diff(fresh.logits, halved.logits, nl), 1e-5, "repacked weights disagree with params");
    if (gv_isa_best() != GV_ISA_C)
        cr_expect_gt(rel_diff(stale.logits, halved.logits, nl), 1e-3, "stale packed copy followed params?");

    outputs *all[] = {&blas, &packed, &again, &one, &stale, &fresh, &halved};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        outputs_free(all[i]);
    free(src), free(z);
    gv_model_free(&m);
}

Test(gemm, model_packed_matches_openblas_default_config)
{
    gv_config c;
    gv_config_default(&c);
    packed_vs_blas(&c, 31);
}

Test(gemm, model_packed_matches_openblas_odd_config)
{
    gv_config c = gv_test_config(40, 5, 72, 1, 36, 3, 50, 2, 11); /* head sizes 8 and 12, N tails everywhere */
    packed_vs_blas(&c, 32);
}

/* gv_model_load packs; gv_model_free frees the copy (ASan checks). */
Test(gemm, load_packs)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/engine/models/default.safetensors", gv_test_root());
    gv_model m;
    gv_err e = {0};
    cr_assert_eq(gv_model_load(path, &m, &e), 0, "%s: %s", path, e.msg);
    cr_expect_eq(m.packed != NULL, gv_isa_best() != GV_ISA_C);
    cr_expect_eq(m.isa, m.packed ? gv_isa_best() : GV_ISA_C);
    gv_model_free(&m);
    cr_expect_null(m.packed);
}

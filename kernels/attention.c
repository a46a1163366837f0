/* attention.c - the multi-head self-attention core (softmax(q k^T / sqrt(hs))
 * v per head), no projections, for training (att is kept for backward).
 *
 * Each (batch, head) is a handful of T x T x hs products, 32^3 in the
 * shipped model: too small for OpenBLAS, whose per-call dispatch and packing
 * made one sgemm per product ~1.2 us, and where softmax's scalar expf was
 * most of the forward.  They run on the register-tiled kernels of gemm.h
 * (~0.7 us) and its vector softmax; gv_gemm reads its right operand a row at
 * a time, so a transposed operand is first transposed into a stack tile, in
 * pieces when it does not fit. */
#include "kernels/kernels.h"

#include <math.h>
#include <stddef.h>

#include "kernels/gemm.h"
#include "kernels/simd.h"

enum { TILE = 4096 }; /* floats of the stack tile for transposed operands */

/* c[M,N] = scale * a b (+ c when acc) with one operand given transposed:
 * ta, a is a[K,M] and b the rows b[K,N]; else a the rows a[M,K] and b is
 * b[N,K].  The transposed one goes to a stack tile in pieces of at most TILE
 * floats (pieces along K add up in c). */
static void gemm_t(gv_isa isa, float *c, size_t ldc, const float *a, size_t lda, int ta, const float *b, size_t ldb,
                   int M, int N, int K, float scale, int acc)
{
    float tile[TILE];
    int X = ta ? M : N, xc = X < TILE ? X : TILE, kc = TILE / xc;
    for (int x0 = 0; x0 < X; x0 += xc) {
        int xx = X - x0 < xc ? X - x0 : xc;
        float *cx = ta ? c + (size_t)x0 * ldc : c + x0;
        for (int k0 = 0; k0 < K; k0 += kc) {
            int kk = K - k0 < kc ? K - k0 : kc;
            gv_gemm_epi e = {.scale = scale, .res = acc || k0 ? cx : NULL, .ldr = ldc};
            if (ta) {
                gv_transpose(isa, tile, (size_t)kk, a + (size_t)k0 * lda + x0, lda, kk, xx);
                gv_gemm(isa, cx, ldc, tile, (size_t)kk, gv_gemm_rows(b + (size_t)k0 * ldb, ldb), xx, N, kk, &e);
            } else {
                gv_transpose(isa, tile, (size_t)xx, b + (size_t)x0 * ldb + k0, ldb, xx, kk);
                gv_gemm(isa, cx, ldc, a + k0, lda, gv_gemm_rows(tile, (size_t)xx), M, xx, kk, &e);
            }
        }
    }
}

/* Asks for rows [T] of n floats at p (stride ld) to be brought into cache. */
static void prefetch_rows(const float *p, size_t ld, int T, int n)
{
    for (int t = 0; t < T; t++)
        for (int i = 0; i < n; i += 16)
            __builtin_prefetch(p + (size_t)t * ld + i);
}

void gv_attention_forward(float *out, float *att, const float *qkv, int B, int T, int C, int NH)
{
    gv_isa isa = gv_isa_best();
    int hs = C / NH;
    size_t ld = 3 * (size_t)C; /* stride between time steps in qkv */
    float scale = 1.0f / sqrtf((float)hs);
    for (int b = 0; b < B; b++)
        for (int h = 0; h < NH; h++) {
            const float *q = qkv + (size_t)b * T * ld + (size_t)h * hs, *k = q + C, *v = q + 2 * C;
            float *a = att + ((size_t)b * NH + h) * T * T, *o = out + (size_t)b * T * C + (size_t)h * hs;
            if (h == 0 && b + 1 < B) /* the next batch row's q, k, v while this one computes */
                prefetch_rows(q + (size_t)T * ld, ld, T, 3 * C);
            gemm_t(isa, a, (size_t)T, q, ld, 0, k, ld, T, T, hs, scale, 0); /* a = scale q k^T */
            gv_softmax_rows(isa, a, T, T, (size_t)T);
            gv_gemm(isa, o, (size_t)C, a, (size_t)T, gv_gemm_rows(v, ld), T, hs, T, NULL); /* o = a v */
        }
}

/* da[T,T] <- a * (da - rowsum(a * da)): the gradient through softmax's rows.
 * Vector lanes each sum every 16th column; the lanes add in a fixed order. */
GV_CLONES static void softmax_backward(float *restrict da, const float *a, int T)
{
    int tv = T - T % GV_VL;
    for (int t = 0; t < T; t++) {
        const float *ar = a + (size_t)t * T;
        float *dr = da + (size_t)t * T;
        gv_vf acc = {0}, x, y;
        for (int u = 0; u < tv; u += GV_VL) {
            GV_LOAD(x, ar + u);
            GV_LOAD(y, dr + u);
            acc += x * y;
        }
        float s = 0.0f;
        for (int j = 0; j < GV_VL; j++)
            s += acc[j];
        for (int u = tv; u < T; u++)
            s += ar[u] * dr[u];
        for (int u = 0; u < tv; u += GV_VL) {
            GV_LOAD(x, ar + u);
            GV_LOAD(y, dr + u);
            y = x * (y - s);
            GV_STORE(dr + u, y);
        }
        for (int u = tv; u < T; u++)
            dr[u] = ar[u] * (dr[u] - s);
    }
}

void gv_attention_backward(float *dqkv, float *datt, const float *dout, const float *qkv,
                           const float *att, int B, int T, int C, int NH)
{
    if (!dqkv)
        return;
    gv_isa isa = gv_isa_best();
    int hs = C / NH;
    size_t ld = 3 * (size_t)C;
    float scale = 1.0f / sqrtf((float)hs);
    for (int b = 0; b < B; b++)
        for (int h = 0; h < NH; h++) {
            size_t off = (size_t)b * T * ld + (size_t)h * hs;
            const float *q = qkv + off, *k = q + C, *v = q + 2 * C;
            float *dq = dqkv + off, *dk = dq + C, *dv = dq + 2 * C;
            const float *a = att + ((size_t)b * NH + h) * T * T;
            float *da = datt + ((size_t)b * NH + h) * T * T;
            const float *dy = dout + (size_t)b * T * C + (size_t)h * hs;
            if (h == 0 && b + 1 < B) { /* the next batch row's operands, while this one computes */
                prefetch_rows(q + (size_t)T * ld, ld, T, 3 * C);
                prefetch_rows(dq + (size_t)T * ld, ld, T, 3 * C);
                prefetch_rows(dy + (size_t)T * C, (size_t)C, T, C);
                prefetch_rows(a + (size_t)NH * T * T, (size_t)T, NH * T, T);
            }
            /* out = a v:  da = dy v^T,  dv += a^T dy */
            gemm_t(isa, da, (size_t)T, dy, (size_t)C, 0, v, ld, T, T, hs, 1.0f, 0);
            gemm_t(isa, dv, ld, a, (size_t)T, 1, dy, (size_t)C, T, hs, T, 1.0f, 1);
            softmax_backward(da, a, T);
            /* scores = scale * q k^T:  dq += scale ds k,  dk += scale ds^T q */
            gv_gemm_epi e = {.scale = scale, .res = dq, .ldr = ld};
            gv_gemm(isa, dq, ld, da, (size_t)T, gv_gemm_rows(k, ld), T, hs, T, &e);
            gemm_t(isa, dk, ld, da, (size_t)T, 1, q, ld, T, hs, T, scale, 1);
        }
}

/* attention_small.c - inference attention on gemm.h: per (sequence, head)
 * k is transposed into scratch so that q k^T is a gv_gemm over a row-major
 * right operand, and a v is read in place (its rows are qkv's rows). */
#include "kernels/attention_small.h"

#include <math.h>

size_t gv_attention_small_scratch(int T, int C, int NH) { return (size_t)T * T + (size_t)T * (C / NH); }

void gv_attention_small(gv_isa isa, float *out, const float *qkv, int B, int T, int C, int NH, float *scratch)
{
    int hs = C / NH;
    size_t ld = 3 * (size_t)C;
    float *att = scratch, *kt = scratch + (size_t)T * T; /* att[T,T], kt[hs,T] */
    gv_gemm_epi scaled = {.scale = 1.0f / sqrtf((float)hs)};
    for (int b = 0; b < B; b++)
        for (int h = 0; h < NH; h++) {
            const float *q = qkv + (size_t)b * T * ld + (size_t)h * hs, *k = q + C, *v = q + 2 * C;
            gv_transpose(isa, kt, (size_t)T, k, ld, T, hs);
            gv_gemm(isa, att, (size_t)T, q, ld, gv_gemm_rows(kt, (size_t)T), T, T, hs, &scaled);
            gv_softmax_rows(isa, att, T, T, (size_t)T);
            gv_gemm(isa, out + (size_t)b * T * C + (size_t)h * hs, (size_t)C, att, (size_t)T,
                    gv_gemm_rows(v, ld), T, hs, T, NULL);
        }
}

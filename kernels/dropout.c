/* dropout.c - inverted dropout with a caller-seeded mask.
 *
 * The mask comes from gv_rng_lanes in chunks: keep when the number's top 24
 * bits, as a uniform in [0, 1) like gv_rng_uniform, are >= p.  One mask
 * decision at a time through gv_rng_uniform was ~20% of a training step. */
#include "kernels/kernels.h"

#include <string.h>

#include "kernels/gemm.h"
#include "kernels/simd.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define GV_DROP_AVX2 1
#endif

enum { CHUNK = 512 }; /* numbers drawn at a time, on the stack */

float gv_dropout_scale(float p) { return p < 1.0f ? 1.0f / (1.0f - p) : 0.0f; }

/* The smallest k with k / 2^24 >= p: keep iff (u >> 8) >= k, exactly
 * gv_rng_uniform(u) >= p.  2^24 (never keep) when p >= 1 or NaN. */
static uint32_t keep_threshold(float p)
{
    if (!(p < 1.0f))
        return 1u << 24;
    double k = (double)p * 16777216.0; /* exact: p has a 24-bit mantissa */
    uint32_t t = (uint32_t)k;
    return t + ((double)t < k);
}

/* out = keep ? inp * s : 0 (+ res when res is not NULL) */
GV_CLONES static void drop_chunk(float *out, uint8_t *restrict mask, const float *inp, const float *res,
                                 const uint32_t *restrict u, int n, uint32_t thr, float s)
{
    int i = 0;
    for (; i + GV_VL <= n; i += GV_VL) {
        gv_vu r;
        gv_vf x, y;
        GV_LOAD(r, u + i);
        GV_LOAD(x, inp + i);
        /* signed: both sides < 2^25, and AVX2 has no unsigned compare (GCC
         * split an unsigned one into 16 scalar ones) */
        gv_vi keep = (gv_vi)(r >> 8) >= (int32_t)thr; /* -1 or 0 */
        gv_vb m = __builtin_convertvector(-keep, gv_vb);
        x = (gv_vf)((gv_vi)(x * s) & keep);
        if (res) {
            GV_LOAD(y, res + i);
            x = y + x;
        }
        GV_STORE(mask + i, m);
        GV_STORE(out + i, x);
    }
    for (; i < n; i++) {
        int keep = (u[i] >> 8) >= thr;
        float x = keep ? inp[i] * s : 0.0f;
        mask[i] = (uint8_t)keep;
        out[i] = res ? res[i] + x : x;
    }
}

#ifdef GV_DROP_AVX2
/* drop_chunk and undrop for AVX2 in intrinsics: GCC lowers the 16-lane
 * int32 <-> int8 conversions of the mask (and drop_chunk's clone with
 * them) to one scalar move per lane there, which made dropout 5% of a
 * training step.  The same operations per element, so the same bits. */
__attribute__((target("avx2"))) static void drop_chunk_avx2(float *out, uint8_t *restrict mask, const float *inp,
                                                            const float *res, const uint32_t *restrict u, int n,
                                                            uint32_t thr, float s)
{
    const __m256i t = _mm256_set1_epi32((int)thr - 1), one = _mm256_set1_epi32(1);
    const __m256 vs = _mm256_set1_ps(s);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        /* (u >> 8) >= thr as a signed compare: both sides < 2^25 */
        __m256i r = _mm256_srli_epi32(_mm256_loadu_si256((const __m256i *)(u + i)), 8);
        __m256i keep = _mm256_cmpgt_epi32(r, t);
        __m256 x = _mm256_and_ps(_mm256_mul_ps(_mm256_loadu_ps(inp + i), vs), _mm256_castsi256_ps(keep));
        if (res)
            x = _mm256_add_ps(_mm256_loadu_ps(res + i), x);
        _mm256_storeu_ps(out + i, x);
        __m256i k1 = _mm256_and_si256(keep, one);
        __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(k1), _mm256_extracti128_si256(k1, 1));
        _mm_storel_epi64((__m128i *)(mask + i), _mm_packs_epi16(w, w));
    }
    if (i < n)
        drop_chunk(out + i, mask + i, inp + i, res ? res + i : NULL, u + i, n - i, thr, s);
}

__attribute__((target("avx2"))) static void undrop_avx2(float *restrict dinp, const float *dout,
                                                        const uint8_t *mask, int n, float s)
{
    const __m256 vs = _mm256_set1_ps(s);
    const __m256i zero = _mm256_setzero_si256();
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i m = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(mask + i)));
        __m256 keep = _mm256_castsi256_ps(_mm256_cmpgt_epi32(m, zero));
        __m256 d = _mm256_and_ps(_mm256_mul_ps(_mm256_loadu_ps(dout + i), vs), keep);
        _mm256_storeu_ps(dinp + i, _mm256_add_ps(_mm256_loadu_ps(dinp + i), d));
    }
    for (; i < n; i++)
        dinp[i] += mask[i] ? dout[i] * s : 0.0f;
}
#endif

static void drop(float *out, uint8_t *mask, const float *inp, const float *res, int n, float p, gv_rng *rng)
{
    float s = gv_dropout_scale(p);
    uint32_t thr = keep_threshold(p), u[CHUNK];
    gv_rng_lanes l;
    gv_rng_lanes_seed(&l, rng);
#ifdef GV_DROP_AVX2
    int avx2 = gv_isa_best() == GV_ISA_AVX2; /* AVX-512's clone narrows in one instruction */
#endif
    for (int i = 0; i < n; i += CHUNK) {
        int m = n - i < CHUNK ? n - i : CHUNK;
        gv_rng_lanes_fill(&l, u, (m + GV_RNG_LANES - 1) / GV_RNG_LANES * GV_RNG_LANES);
#ifdef GV_DROP_AVX2
        if (avx2)
            drop_chunk_avx2(out + i, mask + i, inp + i, res ? res + i : NULL, u, m, thr, s);
        else
#endif
            drop_chunk(out + i, mask + i, inp + i, res ? res + i : NULL, u, m, thr, s);
    }
}

void gv_dropout_forward(float *out, uint8_t *mask, const float *inp, int n, float p, gv_rng *rng)
{
    if (p <= 0.0f) {
        if (out != inp)
            memmove(out, inp, (size_t)n * sizeof *out);
        memset(mask, 1, (size_t)n);
        return;
    }
    drop(out, mask, inp, NULL, n, p, rng);
}

void gv_dropout_add_forward(float *out, uint8_t *mask, const float *inp, const float *res, int n, float p,
                            gv_rng *rng)
{
    if (p <= 0.0f) {
        gv_add_forward(out, res, inp, n);
        memset(mask, 1, (size_t)n);
        return;
    }
    drop(out, mask, inp, res, n, p, rng);
}

/* dinp += mask ? dout * s : 0, as the and of dout * s with -mask */
GV_CLONES static void undrop(float *restrict dinp, const float *dout, const uint8_t *mask, int n, float s)
{
    int i = 0;
    for (; i + GV_VL <= n; i += GV_VL) {
        gv_vb m;
        gv_vf d, x;
        GV_LOAD(m, mask + i);
        GV_LOAD(d, dout + i);
        GV_LOAD(x, dinp + i);
        x += (gv_vf)((gv_vi)(d * s) & __builtin_convertvector(-m, gv_vi));
        GV_STORE(dinp + i, x);
    }
    for (; i < n; i++)
        dinp[i] += mask[i] ? dout[i] * s : 0.0f;
}

void gv_dropout_backward(float *dinp, const float *dout, const uint8_t *mask, int n, float p)
{
    if (!dinp)
        return;
    float s = p <= 0.0f ? 1.0f : gv_dropout_scale(p);
#ifdef GV_DROP_AVX2
    if (gv_isa_best() == GV_ISA_AVX2) {
        undrop_avx2(dinp, dout, mask, n, s);
        return;
    }
#endif
    undrop(dinp, dout, mask, n, s);
}

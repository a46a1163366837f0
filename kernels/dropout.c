/* dropout.c - inverted dropout with a caller-seeded mask.
 *
 * The mask comes from gv_rng_lanes in chunks: keep when the number's top 24
 * bits, as a uniform in [0, 1) like gv_rng_uniform, are >= p.  One mask
 * decision at a time through gv_rng_uniform was ~20% of a training step. */
#include "kernels/kernels.h"

#include <string.h>

#include "kernels/simd.h"

_Static_assert(GV_VL == 8, "drop_chunk's byte shuffle assumes 8 lanes");
typedef int8_t gv_vq __attribute__((vector_size(4 * GV_VL))); /* a gv_vi's bytes */

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
         * split an unsigned one into one scalar compare per lane) */
        gv_vi keep = (gv_vi)(r >> 8) >= (int32_t)thr; /* -1 or 0 */
        /* the mask byte is each lane's low byte (little-endian): a byte shuffle, where
         * __builtin_convertvector to int8 became one scalar move per lane
         * on AVX2 */
        gv_vq kb = (gv_vq)(-keep);
        gv_vb m = __builtin_shufflevector(kb, kb, 0, 4, 8, 12, 16, 20, 24, 28);
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


static void drop(float *out, uint8_t *mask, const float *inp, const float *res, int n, float p, gv_rng *rng)
{
    float s = gv_dropout_scale(p);
    uint32_t thr = keep_threshold(p), u[CHUNK];
    gv_rng_lanes l;
    gv_rng_lanes_seed(&l, rng);
    for (int i = 0; i < n; i += CHUNK) {
        int m = n - i < CHUNK ? n - i : CHUNK;
        gv_rng_lanes_fill(&l, u, (m + GV_RNG_LANES - 1) / GV_RNG_LANES * GV_RNG_LANES);
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
    undrop(dinp, dout, mask, n, s);
}

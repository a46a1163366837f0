/* dropout.c - inverted dropout with a caller-seeded mask. */
#include "kernels/kernels.h"

#include <string.h>

/* 1/(1-p), or 0 when everything is dropped (p >= 1). */
static float keep_scale(float p) { return p < 1.0f ? 1.0f / (1.0f - p) : 0.0f; }

void gv_dropout_forward(float *out, uint8_t *mask, const float *inp, int n, float p, gv_rng *rng)
{
    if (p <= 0.0f) {
        if (out != inp)
            memmove(out, inp, (size_t)n * sizeof *out);
        memset(mask, 1, (size_t)n);
        return;
    }
    float s = keep_scale(p);
    for (int i = 0; i < n; i++) {
        mask[i] = gv_rng_uniform(rng) >= p;
        out[i] = mask[i] ? inp[i] * s : 0.0f;
    }
}

void gv_dropout_backward(float *dinp, const float *dout, const uint8_t *mask, int n, float p)
{
    if (!dinp)
        return;
    float s = p <= 0.0f ? 1.0f : keep_scale(p);
    for (int i = 0; i < n; i++)
        if (mask[i])
            dinp[i] += dout[i] * s;
}

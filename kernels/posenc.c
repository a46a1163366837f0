/* posenc.c - sinusoidal positional encoding ("Attention is all you need"). */
#include "kernels/kernels.h"

#include <math.h>
#include <stddef.h>

void gv_posenc(float *pe, int T, int C)
{
    for (int j = 0; j < C; j++) {
        /* Columns 2i and 2i+1 share the frequency 10000^(-2i/C).  Double
         * precision so the only rounding is the final store. */
        double f = pow(10000.0, -(double)(j & ~1) / C);
        for (int t = 0; t < T; t++)
            pe[(size_t)t * C + j] = (float)((j & 1) ? cos(t * f) : sin(t * f));
    }
}

void gv_posenc_add(float *x, const float *pe, int B, int T, int C)
{
    size_t n = (size_t)T * C;
    for (int b = 0; b < B; b++)
        for (size_t i = 0; i < n; i++)
            x[b * n + i] += pe[i];
}

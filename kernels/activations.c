/* activations.c - elementwise layers: relu, residual add, sigmoid. */
#include "kernels/kernels.h"

#include <math.h>

void gv_relu_forward(float *out, const float *inp, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = inp[i] > 0.0f ? inp[i] : 0.0f;
}

void gv_relu_backward(float *dinp, const float *dout, const float *out, int n)
{
    if (!dinp)
        return;
    for (int i = 0; i < n; i++)
        dinp[i] += out[i] > 0.0f ? dout[i] : 0.0f;
}

void gv_add_forward(float *out, const float *a, const float *b, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = a[i] + b[i];
}

float gv_sigmoidf(float x)
{
    /* exp of a non-positive argument only: no overflow for large |x|. */
    if (x >= 0.0f)
        return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}

#include "trainer/adamw.h"

#include <math.h>
#include <stdlib.h>

int gv_adamw_init(gv_adamw *a, size_t n, float beta1, float beta2, float eps, float weight_decay)
{
    a->beta1 = beta1;
    a->beta2 = beta2;
    a->eps = eps;
    a->weight_decay = weight_decay;
    a->n = n;
    a->t = 0;
    a->m = calloc(n ? n : 1, sizeof(float));
    a->v = calloc(n ? n : 1, sizeof(float));
    if (!a->m || !a->v) {
        gv_adamw_free(a);
        return -1;
    }
    return 0;
}

void gv_adamw_free(gv_adamw *a)
{
    free(a->m);
    free(a->v);
    a->m = a->v = NULL;
}

void gv_adamw_step(gv_adamw *a, float *params, const float *grads, float lr)
{
    a->t++;
    const float b1 = a->beta1, b2 = a->beta2;
    const float c1 = 1.0f - powf(b1, (float)a->t), c2 = 1.0f - powf(b2, (float)a->t);
    const float decay = 1.0f - lr * a->weight_decay;
    for (size_t i = 0; i < a->n; i++) {
        float g = grads[i];
        float m = a->m[i] = b1 * a->m[i] + (1.0f - b1) * g;
        float v = a->v[i] = b2 * a->v[i] + (1.0f - b2) * g * g;
        params[i] = params[i] * decay - lr * (m / c1) / (sqrtf(v / c2) + a->eps);
    }
}

double gv_clip_grad_norm(float *g, size_t n, float max_norm)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)g[i] * g[i];
    double norm = sqrt(s);
    if (max_norm > 0 && norm > 0) {
        double f = max_norm / (norm + 1e-6);
        if (f < 1.0)
            for (size_t i = 0; i < n; i++)
                g[i] = (float)(g[i] * f);
    }
    return norm;
}

/* layernorm.c - LayerNorm over the last dimension, PyTorch semantics
 * (biased variance, eps inside the square root).
 *
 * Rows run GV_VL columns at a time in the widest vectors the CPU has (see
 * simd.h), with one accumulator per lane for the sums: a single scalar
 * accumulator is bound by add latency.  The lanes add up in a fixed order,
 * so results are the same on every run. */
#include "kernels/kernels.h"

#include <math.h>
#include <stddef.h>

#include "kernels/simd.h"

/* lanes 0 + 1 + ... in a fixed order */
static inline float hsum(const gv_vf *v)
{
    float s = 0.0f;
    for (int j = 0; j < GV_VL; j++)
        s += (*v)[j];
    return s;
}

GV_CLONES static void ln_forward(float *out, float *mean, float *rstd, const float *inp, const float *w,
                                 const float *b, int BT, int C, float eps)
{
    int cv = C - C % GV_VL;
    for (int r = 0; r < BT; r++) {
        const float *x = inp + (size_t)r * C;
        float *restrict y = out + (size_t)r * C;
        gv_vf acc = {0}, v, wv, bv;
        /* two passes: no cancellation when the mean is large next to the spread */
        for (int i = 0; i < cv; i += GV_VL) {
            GV_LOAD(v, x + i);
            acc += v;
        }
        float s = hsum(&acc);
        for (int i = cv; i < C; i++)
            s += x[i];
        float m = s / (float)C;
        acc = (gv_vf){0};
        for (int i = 0; i < cv; i += GV_VL) {
            GV_LOAD(v, x + i);
            v -= m;
            acc += v * v;
        }
        float q = hsum(&acc);
        for (int i = cv; i < C; i++)
            q += (x[i] - m) * (x[i] - m);
        float rs = 1.0f / sqrtf(q / (float)C + eps);
        for (int i = 0; i < cv; i += GV_VL) {
            GV_LOAD(v, x + i);
            GV_LOAD(wv, w + i);
            GV_LOAD(bv, b + i);
            v = (v - m) * rs * wv + bv;
            GV_STORE(y + i, v);
        }
        for (int i = cv; i < C; i++)
            y[i] = (x[i] - m) * rs * w[i] + b[i];
        if (mean)
            mean[r] = m;
        if (rstd)
            rstd[r] = rs;
    }
}

/* dx = s * (g - mean(g) - xhat * mean(g * xhat)),  g = w * dy,
 * xhat = (x - m) * s;  dw += xhat * dy;  db += dy */
GV_CLONES static void ln_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                                  const float *w, const float *mean, const float *rstd, int BT, int C)
{
    int cv = C - C % GV_VL;
    for (int r = 0; r < BT; r++) {
        const float *x = inp + (size_t)r * C, *dy = dout + (size_t)r * C;
        float *dx = dinp ? dinp + (size_t)r * C : NULL;
        float m = mean[r], s = rstd[r];
        gv_vf ag = {0}, agx = {0}, xv, dyv, wv, t;
        for (int i = 0; i < cv; i += GV_VL) {
            GV_LOAD(xv, x + i);
            GV_LOAD(dyv, dy + i);
            GV_LOAD(wv, w + i);
            gv_vf g = wv * dyv;
            ag += g;
            agx += g * (xv - m) * s;
        }
        float gm = hsum(&ag), gxm = hsum(&agx);
        for (int i = cv; i < C; i++) {
            float g = w[i] * dy[i];
            gm += g;
            gxm += g * (x[i] - m) * s;
        }
        gm /= (float)C;
        gxm /= (float)C;
        for (int i = 0; i < cv; i += GV_VL) {
            GV_LOAD(xv, x + i);
            GV_LOAD(dyv, dy + i);
            gv_vf xh = (xv - m) * s;
            if (db) {
                GV_LOAD(t, db + i);
                t += dyv;
                GV_STORE(db + i, t);
            }
            if (dw) {
                GV_LOAD(t, dw + i);
                t += xh * dyv;
                GV_STORE(dw + i, t);
            }
            if (dx) {
                GV_LOAD(wv, w + i);
                GV_LOAD(t, dx + i);
                t += (wv * dyv - gm - xh * gxm) * s;
                GV_STORE(dx + i, t);
            }
        }
        for (int i = cv; i < C; i++) {
            float xh = (x[i] - m) * s;
            if (db)
                db[i] += dy[i];
            if (dw)
                dw[i] += xh * dy[i];
            if (dx)
                dx[i] += (w[i] * dy[i] - gm - xh * gxm) * s;
        }
    }
}

void gv_layernorm_forward(float *out, float *mean, float *rstd, const float *inp, const float *w,
                          const float *b, int BT, int C, float eps)
{
    ln_forward(out, mean, rstd, inp, w, b, BT, C, eps);
}

void gv_layernorm_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                           const float *w, const float *mean, const float *rstd, int BT, int C)
{
    ln_backward(dinp, dw, db, dout, inp, w, mean, rstd, BT, C);
}

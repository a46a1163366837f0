/* adamw.c - AdamW and gradient clipping over the one parameter buffer.
 *
 * The loops run 4 lanes at a time in SSE2, which every x86-64 has: the
 * update's square root and divisions kept GCC from vectorising the plain
 * loop (sqrtf may set errno), and at ~4 ns a parameter the step took 4% of a
 * training step.  The vector update does the same IEEE operations in the same
 * order as adamw1, so it gives the same bits. */
#include "trainer/adamw.h"

#include <math.h>
#include <stdlib.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

typedef gv_adamw_k step_k;

static inline void adamw1(const step_k *k, float *p, float *m, float *v, float g)
{
    g *= k->gscale;
    float mi = *m = k->b1 * *m + (1.0f - k->b1) * g;
    float vi = *v = k->b2 * *v + (1.0f - k->b2) * g * g;
    *p = *p * k->decay - k->lr * (mi / k->c1) / (sqrtf(vi / k->c2) + k->eps);
}

void gv_adamw_begin(gv_adamw *a, float lr, float gscale, gv_adamw_k *k)
{
    a->t++;
    *k = (step_k){a->beta1, a->beta2, 0, 0, 1.0f - lr * a->weight_decay, lr, a->eps, gscale};
    k->c1 = 1.0f - powf(k->b1, (float)a->t);
    k->c2 = 1.0f - powf(k->b2, (float)a->t);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define GV_ADAMW_512 1
/* The SSE2 loop's operations 16 lanes at a time (the same bits: every
 * operation is IEEE-exact per lane, none fused), for the divisions and the
 * square root that bound the 4-lane loop.  Returns where it stopped. */
__attribute__((target("avx512f"))) static size_t range512(const gv_adamw *a, const step_k *kp, float *params,
                                                          const float *grads, float *zero, size_t i, size_t hi)
{
    const step_k k = *kp;
    const __m512 b1 = _mm512_set1_ps(k.b1), b1c = _mm512_set1_ps(1.0f - k.b1), b2 = _mm512_set1_ps(k.b2),
                 b2c = _mm512_set1_ps(1.0f - k.b2), c1 = _mm512_set1_ps(k.c1), c2 = _mm512_set1_ps(k.c2),
                 decay = _mm512_set1_ps(k.decay), vlr = _mm512_set1_ps(k.lr), eps = _mm512_set1_ps(k.eps),
                 gs = _mm512_set1_ps(k.gscale), vzero = _mm512_setzero_ps();
    for (; i + 16 <= hi; i += 16) {
        __m512 g = _mm512_mul_ps(_mm512_loadu_ps(grads + i), gs);
        if (zero)
            _mm512_storeu_ps(zero + i, vzero);
        __m512 m = _mm512_add_ps(_mm512_mul_ps(b1, _mm512_loadu_ps(a->m + i)), _mm512_mul_ps(b1c, g));
        __m512 v = _mm512_add_ps(_mm512_mul_ps(b2, _mm512_loadu_ps(a->v + i)),
                                 _mm512_mul_ps(_mm512_mul_ps(b2c, g), g));
        _mm512_storeu_ps(a->m + i, m);
        _mm512_storeu_ps(a->v + i, v);
        __m512 den = _mm512_add_ps(_mm512_sqrt_ps(_mm512_div_ps(v, c2)), eps);
        __m512 upd = _mm512_div_ps(_mm512_mul_ps(vlr, _mm512_div_ps(m, c1)), den);
        _mm512_storeu_ps(params + i, _mm512_sub_ps(_mm512_mul_ps(_mm512_loadu_ps(params + i), decay), upd));
    }
    return i;
}
#endif

/* Elements [lo, hi) of the step on grads * gscale; then zeroes zero[]
 * (grads itself, or NULL) there. */
static void step_range(const gv_adamw *a, const step_k *kp, float *params, const float *grads, float *zero,
                       size_t lo, size_t hi)
{
    step_k k = *kp;
    size_t i = lo;
#ifdef GV_ADAMW_512
    if (__builtin_cpu_supports("avx512f"))
        i = range512(a, kp, params, grads, zero, i, hi);
#endif
#ifdef __SSE2__
    const __m128 b1 = _mm_set1_ps(k.b1), b1c = _mm_set1_ps(1.0f - k.b1), b2 = _mm_set1_ps(k.b2),
                 b2c = _mm_set1_ps(1.0f - k.b2), c1 = _mm_set1_ps(k.c1), c2 = _mm_set1_ps(k.c2),
                 decay = _mm_set1_ps(k.decay), vlr = _mm_set1_ps(k.lr), eps = _mm_set1_ps(k.eps),
                 gs = _mm_set1_ps(k.gscale), vzero = _mm_setzero_ps();
    for (; i + 4 <= hi; i += 4) {
        __m128 g = _mm_mul_ps(_mm_loadu_ps(grads + i), gs);
        if (zero)
            _mm_storeu_ps(zero + i, vzero);
        __m128 m = _mm_add_ps(_mm_mul_ps(b1, _mm_loadu_ps(a->m + i)), _mm_mul_ps(b1c, g));
        __m128 v = _mm_add_ps(_mm_mul_ps(b2, _mm_loadu_ps(a->v + i)), _mm_mul_ps(_mm_mul_ps(b2c, g), g));
        _mm_storeu_ps(a->m + i, m);
        _mm_storeu_ps(a->v + i, v);
        __m128 den = _mm_add_ps(_mm_sqrt_ps(_mm_div_ps(v, c2)), eps);
        __m128 upd = _mm_div_ps(_mm_mul_ps(vlr, _mm_div_ps(m, c1)), den);
        _mm_storeu_ps(params + i, _mm_sub_ps(_mm_mul_ps(_mm_loadu_ps(params + i), decay), upd));
    }
#endif
    for (; i < hi; i++) {
        adamw1(&k, params + i, a->m + i, a->v + i, grads[i]);
        if (zero)
            zero[i] = 0.0f;
    }
}

void gv_adamw_consume_range(const gv_adamw *a, const gv_adamw_k *k, float *params, float *grads, size_t lo,
                            size_t hi)
{
    step_range(a, k, params, grads, grads, lo, hi);
}

static void step(gv_adamw *a, float *params, const float *grads, float *zero, float lr, float gscale)
{
    step_k k;
    gv_adamw_begin(a, lr, gscale, &k);
    step_range(a, &k, params, grads, zero, 0, a->n);
}

void gv_adamw_step(gv_adamw *a, float *params, const float *grads, float lr)
{
    step(a, params, grads, NULL, lr, 1.0f);
}

void gv_adamw_step_consume(gv_adamw *a, float *params, float *grads, float lr, float gscale)
{
    step(a, params, grads, grads, lr, gscale);
}

double gv_grad_norm(const float *g, size_t n) { return sqrt(gv_grad_sumsq(g, n)); }

double gv_grad_sumsq(const float *g, size_t n)
{
    double s = 0;
    size_t i = 0;
#ifdef __SSE2__
    __m128d acc[4] = {_mm_setzero_pd(), _mm_setzero_pd(), _mm_setzero_pd(), _mm_setzero_pd()};
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 2; j++) {
            __m128 x = _mm_loadu_ps(g + i + 4 * j);
            __m128d lo = _mm_cvtps_pd(x), hi = _mm_cvtps_pd(_mm_movehl_ps(x, x));
            acc[2 * j] = _mm_add_pd(acc[2 * j], _mm_mul_pd(lo, lo));
            acc[2 * j + 1] = _mm_add_pd(acc[2 * j + 1], _mm_mul_pd(hi, hi));
        }
    double lanes[8];
    for (int j = 0; j < 4; j++)
        _mm_storeu_pd(lanes + 2 * j, acc[j]);
    for (int j = 0; j < 8; j++)
        s += lanes[j];
#endif
    for (; i < n; i++)
        s += (double)g[i] * g[i];
    return s;
}

float gv_clip_factor(double norm, float max_norm)
{
    if (max_norm <= 0 || norm <= 0)
        return 1.0f;
    double f = max_norm / (norm + 1e-6);
    return f < 1.0 ? (float)f : 1.0f;
}

double gv_clip_grad_norm(float *g, size_t n, float max_norm)
{
    double norm = gv_grad_norm(g, n);
    float f = gv_clip_factor(norm, max_norm);
    if (f < 1.0f)
        for (size_t i = 0; i < n; i++)
            g[i] *= f;
    return norm;
}

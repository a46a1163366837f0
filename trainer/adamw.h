/* adamw.h - AdamW (decoupled weight decay, PyTorch semantics) and global
 * gradient-norm clipping over one contiguous parameter buffer.
 *   p -= lr*wd*p;  m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
 *   p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 * The state (m, v, t) is plain data the caller may save and restore. */
#ifndef GV_TRAINER_ADAMW_H
#define GV_TRAINER_ADAMW_H

#include <stddef.h>

typedef struct gv_adamw {
    float beta1, beta2, eps, weight_decay;
    size_t n;
    float *m, *v; /* n each, owned */
    long t;       /* steps taken */
} gv_adamw;

/* Zeroed state for n parameters; -1 when out of memory. */
int gv_adamw_init(gv_adamw *a, size_t n, float beta1, float beta2, float eps, float weight_decay);
void gv_adamw_free(gv_adamw *a);
/* One step at learning rate lr. */
void gv_adamw_step(gv_adamw *a, float *params, const float *grads, float lr);
/* The same step on the gradients times gscale (gv_clip_factor), which it
 * then zeroes for the next backward: clipping, the step and zero_grad in one
 * pass over the buffers instead of three. */
void gv_adamw_step_consume(gv_adamw *a, float *params, float *grads, float lr, float gscale);

/* The same step split for threads: gv_adamw_begin once (it counts the step
 * and fills k), then gv_adamw_consume_range over ranges that cover
 * [0, n) once each, in any order and split: every element's update is the
 * same bits as gv_adamw_step_consume's. */
typedef struct gv_adamw_k {
    float b1, b2, c1, c2, decay, lr, eps, gscale;
} gv_adamw_k;
void gv_adamw_begin(gv_adamw *a, float lr, float gscale, gv_adamw_k *k);
void gv_adamw_consume_range(const gv_adamw *a, const gv_adamw_k *k, float *params, float *grads, size_t lo,
                            size_t hi);

/* The L2 norm of g[n], and its square (summed in double). */
double gv_grad_norm(const float *g, size_t n);
double gv_grad_sumsq(const float *g, size_t n);
/* The factor clipping applies to gradients of that norm (PyTorch
 * clip_grad_norm_: max_norm / (norm + 1e-6) when below 1), else 1. */
float gv_clip_factor(double norm, float max_norm);
/* Scales g[n] by gv_clip_factor so that its L2 norm is at most max_norm;
 * returns the norm before clipping.  max_norm <= 0 only measures. */
double gv_clip_grad_norm(float *g, size_t n, float max_norm);

#endif

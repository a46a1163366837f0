/* backend.h - the narrow interface a compute backend implements: the layers
 * of kernels.h as function pointers with the same contracts (shapes,
 * accumulate-into-gradients, NULL gradients allowed).  The CPU backend is the
 * kernels.h functions themselves; a device backend (e.g. CUDA loaded with
 * dlopen) would fill the same table with functions over its own memory.
 *
 * engine/forward.c and backward.c run every op of this table through the
 * backend their workspace holds (gv_infer_ws_set_backend,
 * gv_train_ws_set_backend in engine/model.h; the CPU's by default).  The
 * CPU's packed fast path (gemm.h: weights packed for its SIMD kernels, bias,
 * relu and residual fused into the products) is not part of the table: it
 * runs on host memory only, where m->packed or the training workspace's
 * packed copy exists. */
#ifndef GV_BACKEND_H
#define GV_BACKEND_H

#include <stdint.h>

#include "kernels/rng.h"

typedef struct gv_backend {
    const char *name;
    void (*linear_forward)(float *out, const float *inp, const float *w, const float *b, int BT, int C,
                           int OC);
    void (*linear_backward)(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                            const float *w, int BT, int C, int OC);
    void (*layernorm_forward)(float *out, float *mean, float *rstd, const float *inp, const float *w,
                              const float *b, int BT, int C, float eps);
    void (*layernorm_backward)(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                               const float *w, const float *mean, const float *rstd, int BT, int C);
    void (*attention_forward)(float *out, float *att, const float *qkv, int B, int T, int C, int NH);
    void (*attention_backward)(float *dqkv, float *datt, const float *dout, const float *qkv,
                               const float *att, int B, int T, int C, int NH);
    void (*relu_forward)(float *out, const float *inp, int n);
    void (*relu_backward)(float *dinp, const float *dout, const float *out, int n);
    void (*add_forward)(float *out, const float *a, const float *b, int n);
    void (*posenc_add)(float *x, const float *pe, int B, int T, int C);
    void (*dropout_forward)(float *out, uint8_t *mask, const float *inp, int n, float p, gv_rng *rng);
    void (*dropout_backward)(float *dinp, const float *dout, const uint8_t *mask, int n, float p);
    void (*dropout_add_forward)(float *out, uint8_t *mask, const float *inp, const float *res, int n, float p,
                                gv_rng *rng);
} gv_backend;

/* The CPU (OpenBLAS) backend; a static table, never freed. */
const gv_backend *gv_backend_cpu(void);

#endif

/* cuda_ops.h - the layers of kernels.h on a CUDA device: each launches the
 * kernel of kernels/cuda/kernels.cu that mirrors the CPU function of the
 * same name, over device memory (gv_dptr from gv_cuda_alloc), with the same
 * shapes and the same contract (backward ACCUMULATES into its gradients; a
 * gradient may be 0 when not wanted, as NULL on the CPU).  Launches are
 * asynchronous: gv_cuda_sync or a download waits for them.  Each returns 0,
 * or -1 with gv_cuda_error(c) saying why.
 *
 * Not yet a gv_backend (kernels/backend.h): that table's functions take no
 * device handle, and its dropout draws the mask itself; here the mask is
 * drawn on the host (gv_dropout_forward's, from the seeded gv_rng) and
 * uploaded, so a device run keeps the CPU's random choices.
 *
 * UNVALIDATED: compiled, never run on a GPU; tests/gpu_check.sh compares
 * every function here with its CPU reference. */
#ifndef GV_KERNELS_CUDA_OPS_H
#define GV_KERNELS_CUDA_OPS_H

#include "kernels/cuda.h"

int gv_cu_linear_forward(gv_cuda *c, gv_dptr out, gv_dptr inp, gv_dptr w, gv_dptr b, int BT, int C, int OC);
int gv_cu_linear_backward(gv_cuda *c, gv_dptr dinp, gv_dptr dw, gv_dptr db, gv_dptr dout, gv_dptr inp, gv_dptr w,
                          int BT, int C, int OC);
int gv_cu_layernorm_forward(gv_cuda *c, gv_dptr out, gv_dptr mean, gv_dptr rstd, gv_dptr inp, gv_dptr w, gv_dptr b,
                            int BT, int C, float eps);
int gv_cu_layernorm_backward(gv_cuda *c, gv_dptr dinp, gv_dptr dw, gv_dptr db, gv_dptr dout, gv_dptr inp, gv_dptr w,
                             gv_dptr mean, gv_dptr rstd, int BT, int C);
int gv_cu_attention_forward(gv_cuda *c, gv_dptr out, gv_dptr att, gv_dptr qkv, int B, int T, int C, int NH);
int gv_cu_attention_backward(gv_cuda *c, gv_dptr dqkv, gv_dptr datt, gv_dptr dout, gv_dptr qkv, gv_dptr att, int B,
                             int T, int C, int NH);
int gv_cu_relu_forward(gv_cuda *c, gv_dptr out, gv_dptr inp, int n);
int gv_cu_relu_backward(gv_cuda *c, gv_dptr dinp, gv_dptr dout, gv_dptr out, int n);
int gv_cu_add_forward(gv_cuda *c, gv_dptr out, gv_dptr a, gv_dptr b, int n);
int gv_cu_posenc_add(gv_cuda *c, gv_dptr x, gv_dptr pe, int B, int T, int C);
/* out = (res ? res : 0) + (mask[i] ? inp * gv_dropout_scale(p) : 0); p <= 0 keeps all. */
int gv_cu_dropout_forward(gv_cuda *c, gv_dptr out, gv_dptr mask, gv_dptr inp, gv_dptr res, int n, float p);
int gv_cu_dropout_backward(gv_cuda *c, gv_dptr dinp, gv_dptr dout, gv_dptr mask, int n, float p);
/* trainer/adamw.h's gv_adamw_consume_range over [0, n) with the constants
 * gv_adamw_begin filled (b1, b2, c1, c2, decay, lr, eps, gscale, in that
 * order: k[8]); grads are zeroed. */
int gv_cu_adamw(gv_cuda *c, gv_dptr params, gv_dptr grads, gv_dptr m, gv_dptr v, long long n, const float k[8]);

#endif

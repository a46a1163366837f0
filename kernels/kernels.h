/* kernels.h - the CPU math of groove, llm.c style: each layer a *_forward /
 * *_backward pair over flat row-major float arrays.  Shapes in comments:
 * BT = rows (batch * time), C = channels.  Weights follow PyTorch layouts
 * (a Linear's weight is [OC, C]).
 *
 * Contract for every *_backward: it ACCUMULATES (+=) into its gradient
 * outputs; the caller zeroes them.  Any gradient output may be NULL when the
 * caller does not need it.  No function allocates; scratch is passed in. */
#ifndef GV_KERNELS_H
#define GV_KERNELS_H

#include <stdint.h>

#include "kernels/rng.h"

/* OpenBLAS threads for everything that follows (1 by default in groove). */
void gv_kernels_set_threads(int n);

/* out[BT,OC] = inp[BT,C] @ w[OC,C]^T + b[OC]   (b may be NULL) */
void gv_linear_forward(float *out, const float *inp, const float *w, const float *b, int BT, int C, int OC);
/* dinp[BT,C] += dout @ w;  dw[OC,C] += dout^T @ inp;  db[OC] += sum_rows dout */
void gv_linear_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                        const float *w, int BT, int C, int OC);

/* out[BT,C] = (inp - mean) * rstd * w + b, biased variance like PyTorch.
 * mean[BT], rstd[BT] are saved for backward (may be NULL for inference). */
void gv_layernorm_forward(float *out, float *mean, float *rstd, const float *inp, const float *w,
                          const float *b, int BT, int C, float eps);
void gv_layernorm_backward(float *dinp, float *dw, float *db, const float *dout, const float *inp,
                           const float *w, const float *mean, const float *rstd, int BT, int C);

/* out = max(inp, 0);  backward: dinp += dout * (out > 0) */
void gv_relu_forward(float *out, const float *inp, int n);
void gv_relu_backward(float *dinp, const float *dout, const float *out, int n);

/* out[i] = a[i] + b[i] (out may alias a or b) */
void gv_add_forward(float *out, const float *a, const float *b, int n);

/* Sinusoidal positional encoding pe[T,C]: pe[t,2i] = sin(t / 10000^(2i/C)),
 * pe[t,2i+1] = cos(t / 10000^(2i/C)) (C may be odd: last column is sin). */
void gv_posenc(float *pe, int T, int C);
/* x[B,T,C] += pe[T,C] (broadcast over B); its backward is the identity. */
void gv_posenc_add(float *x, const float *pe, int B, int T, int C);

/* Multi-head self-attention core, non-causal, as inside PyTorch's
 * nn.MultiheadAttention (the in/out projections are gv_linear calls):
 * qkv[B,T,3C] = [q | k | v], each C split into NH heads of hs = C/NH.
 * att[B,NH,T,T] receives softmax(q k^T / sqrt(hs)) (saved for backward).
 * out[B,T,C] = att @ v, heads concatenated. */
void gv_attention_forward(float *out, float *att, const float *qkv, int B, int T, int C, int NH);
/* datt is scratch [B,NH,T,T] (overwritten).  dqkv[B,T,3C] += ... */
void gv_attention_backward(float *dqkv, float *datt, const float *dout, const float *qkv,
                           const float *att, int B, int T, int C, int NH);

/* Inverted dropout: mask[i] = keep (prob 1-p), out = inp * mask / (1-p).
 * p == 0 copies and sets every mask byte to 1. */
void gv_dropout_forward(float *out, uint8_t *mask, const float *inp, int n, float p, gv_rng *rng);
void gv_dropout_backward(float *dinp, const float *dout, const uint8_t *mask, int n, float p);
/* The scale of a kept value: 1/(1-p), 0 when p >= 1 (everything dropped). */
float gv_dropout_scale(float p);
/* out = res + dropout(inp) in one pass, with the mask (and the numbers drawn)
 * of gv_dropout_forward(.., inp, n, p, rng); out may alias res. */
void gv_dropout_add_forward(float *out, uint8_t *mask, const float *inp, const float *res, int n, float p,
                            gv_rng *rng);

/* Elementwise activations used by the model's heads. */
float gv_sigmoidf(float x);

#endif

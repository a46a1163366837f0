/* lstm.h - one LSTM layer, one direction, as PyTorch's nn.LSTM computes it,
 * as a forward/backward pair over flat time-major arrays (kernels.h's rules:
 * backward ACCUMULATES into its gradients, any of which may be NULL; nothing
 * allocates, scratch comes in).
 *
 * Shapes: x[T,B,In] in, h[T,B,H] and c[T,B,H] out, weights in PyTorch's
 * layout and gate order (i, f, g, o): w_ih[4H,In], w_hh[4H,H], b_ih[4H],
 * b_hh[4H].  Per step
 *     a_t = x_t w_ih^T + b_ih + h_{t-1} w_hh^T + b_hh            [B,4H]
 *     i, f, o = sigmoid(a), g = tanh(a)
 *     c_t = f c_{t-1} + i g,   h_t = o tanh(c_t)
 * The input projection of all T steps is one GEMM; each step is one GEMM
 * over the batch (h_{t-1} w_hh^T) and one fused pass of gate math.
 * wpack (4H*H floats, or NULL) is scratch for w_hh packed once per call
 * for the per-step products (kernels/gemm.h; NULL: OpenBLAS, which packs
 * it at every step).
 * `reverse` runs t = T-1 .. 0 (the backward half of a bidirectional layer),
 * writing each output at its own t.  h0, c0 may be NULL (zeros).
 * act[T,B,4H] keeps the activated gates (i, f, g, o) for backward.
 *
 *   gv_lstm_forward(h, c, act, x, h0, c0, w_ih, w_hh, b_ih, b_hh, T, B, In, H, 0, wpack);
 *   gv_lstm_backward(dx, dh0, dc0, dw_ih, dw_hh, db_ih, db_hh, dh, dcT, scratch,
 *                    x, h0, c0, h, c, act, w_ih, w_hh, T, B, In, H, 0);
 *
 * For decoding one step at a time, gv_lstm_step does one step of the same
 * maths (a[B,4H] is scratch). */
#ifndef GV_LSTM_H
#define GV_LSTM_H

#include <stddef.h>

#include "kernels/gemm.h"

void gv_lstm_forward(float *h, float *c, float *act, const float *x, const float *h0, const float *c0,
                     const float *w_ih, const float *w_hh, const float *b_ih, const float *b_hh,
                     int T, int B, int In, int H, int reverse, float *wpack);

/* Scratch floats gv_lstm_backward needs: T*B*4H (the gate gradients) +
 * 2*B*H (the running state gradients). */
size_t gv_lstm_scratch(int T, int B, int H);

/* dh[T,B,H]: gradient on every output h_t (the last step's includes any
 * gradient on the final state); dcT[B,H]: on the final cell state (may be
 * NULL).  dx[T,B,In], dh0/dc0[B,H] and the weight gradients accumulate.
 * scratch: gv_lstm_scratch(T, B, H) floats; wpack: 4H*H floats where w_hh is
 * packed once for the recurrent products (NULL: read in place). */
void gv_lstm_backward(float *dx, float *dh0, float *dc0, float *dw_ih, float *dw_hh, float *db_ih,
                      float *db_hh, const float *dh, const float *dcT, float *scratch, const float *x,
                      const float *h0, const float *c0, const float *h, const float *c, const float *act,
                      const float *w_ih, const float *w_hh, int T, int B, int In, int H, int reverse,
                      float *wpack);

/* One step: (h, c) from input x[B,In] and the previous state (hp, cp; NULL
 * zeros); a[B,4H] scratch.  h may not alias hp; c may alias cp. */
void gv_lstm_step(float *h, float *c, float *a, const float *x, const float *hp, const float *cp,
                  const float *w_ih, const float *w_hh, const float *b_ih, const float *b_hh, int B, int In,
                  int H);

/* Inference on weights packed once by gv_gemm_pack (kernels/gemm.h), the
 * SIMD path: wp_ih [4H*In] and wp_hh [4H*H] packed, bias [4H] = b_ih + b_hh.
 * Same maths as above (rounding aside); no OpenBLAS call, nothing packed
 * per call, each output row independent of the batch. */
void gv_lstm_step_packed(gv_isa isa, float *h, float *c, float *a, const float *x, const float *hp, const float *cp,
                         const float *wp_ih, const float *wp_hh, const float *bias, int B, int In, int H);
/* h[T,B,H] (every step; c the running state, [B,H] scratch) from x[T,B,In]
 * with initial state h0/c0 (NULL zeros); a[T,B,4H] scratch. */
void gv_lstm_forward_packed(gv_isa isa, float *h, float *c, float *a, const float *x, const float *h0,
                            const float *c0, const float *wp_ih, const float *wp_hh, const float *bias, int T, int B,
                            int In, int H, int reverse);

#endif

/* rnn.h - the recurrent VAE family of Magenta's MusicVAE / GrooVAE, beside
 * the transformer (model.h): a bidirectional LSTM encoder, and an LSTM
 * decoder that writes the pattern step by step, either flat ("groovae") or
 * under a conductor that gives each bar its own embedding ("groovae-hier").
 *
 * Shapes (B = batch, T = steps, 16 a bar; F = GV_RNN_OUT = 27 per step,
 * hits 0..8 | velocities 9..17 | offsets 18..26, the layout of every
 * groove target):
 *   encoder  x[B,T,In] -> BiLSTM(E) -> [h_fwd(T-1) | h_bwd(0)] -> mu, logvar [B,Z]
 *            In = 3 (the monotonic groove: drumify), 9 (hits only:
 *            humanize) or 27 (the whole pattern: sample, vary, interpolate)
 *   flat     S = 1 segment of T steps whose embedding is z itself
 *   hier     z -> tanh(cond_init) -> conductor LSTM(C) over S = T/16 bars,
 *            input zeros (as MusicVAE): one embedding e_k [B,C] per bar
 *   decoder  per segment k: the L-layer LSTM(D) starts from
 *            tanh(init(e_k)) (layer l's h then c), and reads at step t
 *            [y_{t-1} | e_k] (y_{-1} = 0; in training y is the target:
 *            teacher forcing; in generation the step it just wrote); the
 *            state is reset at each bar (hier), y runs on across bars.
 *   output   logits[B,T,F] = out(h_top)
 * Tensors are named as the PyTorch module in tests/reference/groovae.py
 * names them (nn.LSTM's weight_ih_l0, ..._reverse), in its state_dict order,
 * in one flat parameter buffer (llm.c's manner).
 *
 * Training: gv_rnn_forward, gv_rnn_loss (the reconstruction summed over steps
 * and features, mean over the batch, plus beta * max(KL - free_bits ln 2, 0)
 * as Magenta's), gv_rnn_backward.  Generation: gv_rnn_encode, and
 * gv_rnn_decode, which runs all n suggestions through each step together.
 * Every function is pure over caller-owned memory plus a workspace. */
#ifndef GV_RNN_H
#define GV_RNN_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "engine/arch.h"   /* gv_rnn_config */
#include "engine/tensor.h" /* gv_tensor_info */

/* Defaults: Magenta's groovae_2bar sizes (E 512, Z 256, D 256 x 2, free bits
 * 48, beta 0.2, dropout 0.7), T 32, flat; hier: T 64, C 256. */
void gv_rnn_config_default(gv_rnn_config *c, int hier);
int gv_rnn_config_check(const gv_rnn_config *c, gv_err *e);

/* The config as the JSON object stored in a model file's metadata
 * ({"arch": "groovae" | "groovae-hier", "steps": ..., ...}): the length
 * written (snprintf's), or -1. */
int gv_rnn_config_json(const gv_rnn_config *c, char *buf, size_t n);

/* The tensor table (<= GV_RNN_MAX_TENSORS) and the parameter count. */
int gv_rnn_tensors(const gv_rnn_config *c, gv_tensor_info *t, size_t *nparams);

/* PyTorch's default initialisation: every tensor U(-1/sqrt(fan), 1/sqrt(fan))
 * with fan the LSTM's hidden size, a Linear's input size. */
void gv_rnn_init(const gv_rnn_config *c, float *params, uint64_t seed);

typedef struct gv_rnn_ws gv_rnn_ws;
/* Scratch for batches of up to max_b (training keeps every activation). */
gv_rnn_ws *gv_rnn_ws_new(const gv_rnn_config *c, int max_b);
void gv_rnn_ws_free(gv_rnn_ws *ws);

/* Training forward: x[B,T,In], y[B,T,F] the targets (teacher forcing),
 * eps[B,Z] the latent noise; dropout masks from seed when c->dropout > 0 and
 * train.  Writes logits[B,T,F], mu, logvar [B,Z] (may be NULL). */
void gv_rnn_forward(const gv_rnn_config *c, const float *params, gv_rnn_ws *ws, const float *x,
                    const float *y, const float *eps, int B, int train, uint64_t seed, float *logits,
                    float *mu, float *logvar);

typedef struct gv_rnn_loss_parts {
    double hits, vel, off, kl, total; /* per example: sums over steps and features; kl in nats */
} gv_rnn_loss_parts;

/* The loss of the last forward against y, and (into the workspace) its
 * gradient for gv_rnn_backward. */
void gv_rnn_loss(const gv_rnn_config *c, gv_rnn_ws *ws, const float *y, int B, gv_rnn_loss_parts *p);

/* Gradients of the last loss into grads (accumulated: zero it first). */
void gv_rnn_backward(const gv_rnn_config *c, const float *params, float *grads, gv_rnn_ws *ws, int B);

/* The SIMD path for generation: Q[nparams] <- P with every weight matrix
 * packed for kernels/gemm.h and each LSTM's b_ih slot holding b_ih + b_hh.
 * A workspace given it (gv_rnn_ws_use_packed; NULL: back to OpenBLAS) runs
 * gv_rnn_encode and gv_rnn_decode on it; training never does.  The copy does
 * not follow P. */
void gv_rnn_pack(const gv_rnn_config *c, const float *P, float *Q);
void gv_rnn_ws_use_packed(gv_rnn_ws *ws, const float *packed);

/* Generation. */
void gv_rnn_encode(const gv_rnn_config *c, const float *params, gv_rnn_ws *ws, const float *x, int B,
                   float *mu, float *logvar);

/* Decodes n latents z[n,Z] into out[n,T,F] (hits 0/1, velocities 0..1,
 * offsets -0.5..0.5), free-running: hit where p >= thr[v] (thr NULL: 0.5),
 * or, when u is not NULL, where u[n,T,9] < p (Bernoulli); a step that
 * does not hit writes velocity and offset 0, and what it wrote is the next
 * step's input.  probs[n,T,F] (may be NULL) receives the hit
 * probabilities, sigmoid velocities and tanh/2 offsets before the choice. */
void gv_rnn_decode(const gv_rnn_config *c, const float *params, gv_rnn_ws *ws, const float *z, int n,
                   const float *thr, const float *u, float *out, float *probs);

#endif

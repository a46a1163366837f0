/* model.h - the "mgt-vae" model (Variational Monotonic Groove Transformer):
 * config, weights I/O (safetensors), inference and training forward, and the
 * whole-model backward.  Exactly the computation of the PyTorch reference in
 * tests/reference/ (see issue #3), so weights move both ways.
 *
 * Parameters live in ONE contiguous float buffer, in the order of
 * gv_param_table(); gradients use the same layout.  The caller owns every
 * buffer and workspace; nothing here keeps hidden state.
 *
 * Below it: engine/arch.h (the config struct), engine/config.h (its
 * defaults, checks and JSON), engine/tensor.h (a tensor table entry). */
#ifndef GV_MODEL_H
#define GV_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "engine/arch.h"
#include "engine/config.h"
#include "engine/tensor.h"
#include "kernels/backend.h"
#include "kernels/gemm.h"
#include "kernels/rng.h"
#include "base/error.h"
#include "patterns/pattern.h"

#define GV_MAX_PARAMS_TENSORS 256

/* The tensor table for c; returns the tensor count (<= GV_MAX_PARAMS_TENSORS)
 * and the total parameter count in *nparams. */
int gv_param_table(const gv_config *c, gv_tensor_info *t, size_t *nparams);

typedef struct gv_model {
    gv_config cfg;
    float *params;        /* nparams floats, owned by the model, writable */
    size_t nparams;
    char path[1024];      /* file it was loaded from ("" if built in memory) */
    void *map;            /* gv_model_load: the file's private mapping when params */
    size_t map_len;       /* point into it (no copy), else NULL */
    float *packed;        /* NULL, or (gv_model_pack) a copy of params with every weight matrix in
                           * gv_gemm_pack's panels, for the inference path's kernels */
    gv_isa isa;           /* the kernels packed is used with */
} gv_model;

/* Loads a safetensors file (mmap; every name/shape/dtype/offset checked against
 * the config in __metadata__).  When the file holds the tensors aligned and in
 * table order (as gv_model_save writes them) params point into a private
 * copy-on-write mapping instead of a copy.  Errors: "what is wrong" in e (no
 * file name). */
int gv_model_load(const char *path, gv_model *m, gv_err *e);
/* gv_model_load from a safetensors image in memory (m->path left ""). */
int gv_model_load_mem(const void *data, size_t len, gv_model *m, gv_err *e);
/* Writes weights + config atomically, plus a PATH.json sidecar with the config
 * (PATH with .safetensors replaced by .json). */
int gv_model_save(const gv_model *m, const char *path, gv_err *e);
/* PyTorch-like default init (seeded) of a model for config c, packed as
 * gv_model_load packs. */
int gv_model_init_random(gv_model *m, const gv_config *c, uint64_t seed, gv_err *e);
void gv_model_free(gv_model *m);
/* Packs the weights for the SIMD kernels of this CPU (kernels/gemm.h):
 * encode and decode then run on m->packed instead of OpenBLAS.  The copy does
 * not follow params: call it again after changing them (the trainer unpacks
 * the model it trains).  gv_model_load, gv_model_load_mem and
 * gv_model_init_random pack; a CPU without AVX2/FMA leaves packed NULL
 * (OpenBLAS is faster than plain C).  Packed, every output of a batch is
 * computed as if it were alone, to the bit; OpenBLAS picks its kernels by
 * shape and alignment, so rows of one batch may differ in the last bits. */
int gv_model_pack(gv_model *m, gv_err *e);
/* Drops m->packed: inference goes back to OpenBLAS on params. */
void gv_model_unpack(gv_model *m);

/* Gives m the mixture prior of K components (1..GV_PRIOR_MAX_COMPONENTS):
 * logits [K] (log weights, any offset), mean and logvar [K, L]; replaces any
 * it had (the parameter buffer grows or shrinks; m stays packed as it was).
 * K = 0 removes it. */
int gv_model_set_prior(gv_model *m, int K, const float *logits, const float *mean, const float *logvar, gv_err *e);

/* ---- inference (no dropout, any batch N) ---- */
typedef struct gv_infer_ws gv_infer_ws; /* scratch for batches up to max_n */
gv_infer_ws *gv_infer_ws_new(const gv_config *c, int max_n);
void gv_infer_ws_free(gv_infer_ws *ws);
/* The backend (kernels/backend.h) the workspace's forward runs its kernels
 * on; a new workspace has gv_backend_cpu(), the reference.  The packed path
 * (gv_model_pack) is the CPU's own and does not go through it. */
void gv_infer_ws_set_backend(gv_infer_ws *ws, const gv_backend *be);

/* src[N,32,F] -> mu[N,L], logvar[N,L]; F = cfg.src_features (3: the groove;
 * GV_COND_FEATURES: engine/cond.h) */
void gv_model_encode(const gv_model *m, const float *src, int N, float *mu, float *logvar, gv_infer_ws *ws);
/* z[N,L] -> logits[N,32,27] (raw: [n][t][k*9+v], k 0 hit, 1 vel, 2 off) */
void gv_model_decode_logits(const gv_model *m, const float *z, int N, float *logits, gv_infer_ws *ws);
/* z[N,L] -> hit probabilities, velocities (0..1), offsets (-0.5..0.5), each [N,32,9] */
void gv_model_decode(const gv_model *m, const float *z, int N, float *hit_p, float *vel, float *off,
                     gv_infer_ws *ws);
/* The same with what the player gave, src[N,32,F] as for encode: a
 * conditioned model's decoder reads it (engine/cond.h); NULL is nothing
 * given, and a model of src_features 3 ignores it. */
void gv_model_decode_logits_cond(const gv_model *m, const float *z, const float *src, int N, float *logits,
                                 gv_infer_ws *ws);
void gv_model_decode_cond(const gv_model *m, const float *z, const float *src, int N, float *hit_p, float *vel,
                          float *off, gv_infer_ws *ws);
/* The output activations applied to logits[N,32,27] (hit sigmoid, vel sigmoid,
 * offset per o_activation). */
void gv_model_activate(const gv_config *c, const float *logits, int N, float *hit_p, float *vel, float *off);

/* ---- training ---- */
typedef struct gv_train_ws gv_train_ws; /* activations for a batch of at most B */
gv_train_ws *gv_train_ws_new(const gv_config *c, int B);
void gv_train_ws_free(gv_train_ws *ws);
/* The backend the training forward and backward run on (gv_backend_cpu()
 * unless set). */
void gv_train_ws_set_backend(gv_train_ws *ws, const gv_backend *be);
/* For n workspaces whose forwards run on the same params (threads, each a
 * shard of a batch): packs the layers' weights for the gemm kernels once,
 * into ws[0], and every forward of the n that follows reads that copy
 * instead of packing its own (each forward packs by default).  Call it again
 * whenever params change; the results are the same bits either way. */
void gv_train_ws_pack_shared(gv_train_ws *const *ws, int n, const float *params);

/* Forward in training mode on a batch of B (at most the workspace's):
 * dropout with probability p on the transformer layers' residual branches and
 * feed-forward (PyTorch dropout1/dropout/dropout2, not on attention weights)
 * and nowhere else (not on the embedding, the positional encoding, the latent
 * or the output head); z = mu + exp(logvar/2) * eps with eps[B,L] given.
 * rng is NULL or B generators, one per example: example i's dropout masks
 * (layer by layer, encoder first) and then, when eps is NULL, its noise come
 * from rng[i] alone, so that an example's draws do not depend on the batch it
 * is computed in (eps and rng both NULL: eps = 0).  rng is needed when p > 0.
 * src is copied: results and everything backward needs stay in ws. */
void gv_model_forward_train(const gv_config *c, const float *params, const float *src, int B, float p,
                            const float *eps, gv_rng *rng, gv_train_ws *ws);
const float *gv_train_ws_logits(const gv_train_ws *ws); /* [B,32,27] */
const float *gv_train_ws_mu(const gv_train_ws *ws);     /* [B,L] */
const float *gv_train_ws_logvar(const gv_train_ws *ws); /* [B,L] */
const float *gv_train_ws_z(const gv_train_ws *ws);      /* [B,L] */

/* Backward of the last forward's batch B from the loss gradients: dlogits[B,32,27] and the KL term's
 * direct dmu[B,L], dlogvar[B,L] (either may be NULL).  Gradients flow through
 * the decoder, the reparameterisation and the encoder and are ACCUMULATED
 * into grads[nparams] (same layout as params). */
void gv_model_backward(const gv_config *c, const float *params, float *grads, const float *dlogits,
                       const float *dmu, const float *dlogvar, gv_train_ws *ws);

#endif

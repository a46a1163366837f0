/* arch.h - the numbers that define one mgt-vae network (gv_config): sizes of
 * the encoder, decoder and latent, the output activation, the calibrated
 * hit thresholds and the prior's size.
 *
 * Plain data, the lowest layer of engine/: engine/config.h gives the
 * functions on it (defaults, validation, JSON), engine/layout.h where its
 * tensors sit, engine/model.h the model built from it.  No functions. */
#ifndef GV_ARCH_H
#define GV_ARCH_H

#include "patterns/pattern.h"

#define GV_SRC_FEATURES 3 /* the groove: hit, vel, off (engine/cond.h has the conditioned model's) */
#define GV_OUT_FEATURES 27 /* 3 x 9: hit, velocity, offset logits per voice */
#define GV_PRIOR_MAX_COMPONENTS 64

typedef struct gv_config {
    char arch[16];            /* "mgt-vae" */
    int steps, voices, src_features;
    int d_model_enc, nhead_enc, dim_feedforward_enc, num_encoder_layers;
    int d_model_dec, nhead_dec, dim_feedforward_dec, num_decoder_layers;
    int latent_dim;
    char o_activation[16];    /* "tanh" (tanh*0.5) or "sigmoid" (sigmoid-0.5) */
    float layer_norm_eps;
    float thresholds[GV_VOICES]; /* calibrated per-voice hit thresholds */
    float empty_weight;       /* the hit loss's weight on empty cells in training (1: none), which
                               * inflates the decoder's p; Bernoulli sampling undoes it */
    int prior_components;     /* K: a mixture of K diagonal Gaussians fitted to where the training data's
                               * latents lie (tensors prior.logits [K], prior.mean and prior.logvar [K, L],
                               * last in the buffer, not trained); 0: sample N(0, I) */
} gv_config;

#endif

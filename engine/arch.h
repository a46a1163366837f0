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

/* The recurrent family (engine/rnn.h: Magenta's MusicVAE / GrooVAE). */
#define GV_RNN_OUT 27
#define GV_RNN_BAR 16
#define GV_RNN_MAX_LAYERS 4
#define GV_RNN_MAX_TENSORS 64

enum gv_rnn_input { GV_RNN_IN_GROOVE = 3, GV_RNN_IN_HITS = 9, GV_RNN_IN_FULL = 27 };

/* What a model is for (engine/config.h: gv_config_modes), one bit each (gv_model_mode):
 *   drumify   drums for a groove (groove generate, jam)
 *   lanes     the groove in 2 or 3 lanes and kept voices (--lanes, --keep-voices)
 *   humanize  velocities and timing for given hits (groove humanize)
 *   full      a whole pattern through its latent (vary, interpolate of
 *             patterns the encoder reads with their every voice)
 * Sampling the prior and decoding latents need none. */
enum gv_model_mode { GV_MODE_DRUMIFY = 1, GV_MODE_LANES = 2, GV_MODE_HUMANIZE = 4, GV_MODE_FULL = 8 };
#define GV_MODES_ALL 15u

typedef struct gv_rnn_config {
    int hier;          /* 0: flat decoder ("groovae"); 1: conductor ("groovae-hier") */
    int steps;         /* T: a multiple of 16 */
    int input;         /* gv_rnn_input: features per step the encoder reads */
    int enc;           /* E */
    int latent;        /* Z */
    int dec;           /* D */
    int dec_layers;    /* L */
    int cond;          /* C, the conductor (hier) */
    float dropout;     /* decoder input dropout while training (1 - Magenta's keep) */
    float free_bits;   /* KL free bits (Magenta: 48) */
    float beta;        /* KL weight (Magenta: max_beta 0.2) */
} gv_rnn_config;

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
    gv_rnn_config rnn;        /* arch "groovae" or "groovae-hier": the recurrent model (engine/rnn.h);
                               * steps, latent_dim and src_features then mirror rnn's, and the
                               * transformer's sizes are 0 */
    int prior_components;     /* K: a mixture of K diagonal Gaussians fitted to where the training data's
                               * latents lie (tensors prior.logits [K], prior.mean and prior.logvar [K, L],
                               * last in the buffer, not trained); 0: sample N(0, I) */
    unsigned modes;           /* gv_model_mode bits the config declares ("modes" in its JSON); 0: none declared
                               * (files before them): what its inputs allow (gv_config_modes) */
} gv_config;

#endif

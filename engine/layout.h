/* layout.h - internal to engine/: where each tensor of the mgt-vae sits in
 * the one parameter buffer (offsets in floats).  The single source of the
 * tensor order: gv_param_table() and the forward/backward code both come
 * from gv_layout_build(), so they cannot disagree.  It needs only the
 * config struct (engine/arch.h), so engine/config.c can count a config
 * parameters without a loop through the model. */
#ifndef GV_LAYOUT_H
#define GV_LAYOUT_H

#include <stddef.h>

#include "engine/cond.h"
#include "engine/arch.h"
#include "engine/tensor.h"

#define GV_MAX_LAYERS 20 /* encoder + decoder layers together (tensor table limit) */

/* One nn.TransformerEncoderLayer, in its state_dict order. */
typedef struct gv_layer_off {
    size_t in_w, in_b, out_w, out_b, l1_w, l1_b, l2_w, l2_b, n1_w, n1_b, n2_w, n2_b;
} gv_layer_off;

typedef struct gv_layout {
    size_t enc_in_w, enc_in_b;
    gv_layer_off enc[GV_MAX_LAYERS];
    size_t enc_norm_w, enc_norm_b, mu_w, mu_b, lv_w, lv_b, dec_in_w, dec_in_b;
    size_t dec_cond_w;   /* conditioned models only (cond = 1): [d_dec, GV_COND_DEC_FEATURES] */
    int cond;            /* src_features == GV_COND_FEATURES: the decoder reads src too */
    gv_layer_off dec[GV_MAX_LAYERS];
    size_t dec_norm_w, dec_norm_b, out_w, out_b;
    size_t prior_logits, prior_mean, prior_logvar; /* prior_components > 0 only */
    size_t nparams;
    int ntensors;
} gv_layout;

/* Fills L (and, when t is not NULL, the tensor table t[]) for a config that
 * passed gv_config_validate. */
void gv_layout_build(const gv_config *c, gv_layout *L, gv_tensor_info *t);

#endif

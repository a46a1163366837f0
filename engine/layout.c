/* layout.c - the mgt-vae tensor table: names, shapes and offsets of every
 * tensor of the parameter buffer, in PyTorch's state_dict order. */
#include "engine/layout.h"

#include <stdio.h>

typedef struct builder {
    gv_tensor_info *t;
    int n;
    size_t off;
} builder;

/* Appends one tensor (d1 == 0: a vector of d0) and returns its offset. */
static size_t add(builder *b, const char *name, int d0, int d1)
{
    size_t numel = d1 ? (size_t)d0 * (size_t)d1 : (size_t)d0;
    if (b->t) {
        gv_tensor_info *t = &b->t[b->n];
        snprintf(t->name, sizeof t->name, "%s", name);
        t->ndim = d1 ? 2 : 1;
        t->shape[0] = d0;
        t->shape[1] = d1;
        t->offset = b->off;
        t->numel = numel;
    }
    b->n++;
    b->off += numel;
    return b->off - numel;
}

/* nn.TransformerEncoderLayer's state_dict, in order. */
static void add_layer(builder *b, const char *stack, int l, int C, int F, gv_layer_off *o)
{
    char nm[64];
#define T(field, suffix, d0, d1)                                                                   \
    snprintf(nm, sizeof nm, "%s.layers.%d.%s", stack, l, suffix);                                   \
    o->field = add(b, nm, d0, d1)
    T(in_w, "self_attn.in_proj_weight", 3 * C, C);
    T(in_b, "self_attn.in_proj_bias", 3 * C, 0);
    T(out_w, "self_attn.out_proj.weight", C, C);
    T(out_b, "self_attn.out_proj.bias", C, 0);
    T(l1_w, "linear1.weight", F, C);
    T(l1_b, "linear1.bias", F, 0);
    T(l2_w, "linear2.weight", C, F);
    T(l2_b, "linear2.bias", C, 0);
    T(n1_w, "norm1.weight", C, 0);
    T(n1_b, "norm1.bias", C, 0);
    T(n2_w, "norm2.weight", C, 0);
    T(n2_b, "norm2.bias", C, 0);
#undef T
}

void gv_layout_build(const gv_config *c, gv_layout *L, gv_tensor_info *t)
{
    builder b = {t, 0, 0};
    int de = c->d_model_enc, dd = c->d_model_dec, S = c->steps, Z = c->latent_dim;
    L->enc_in_w = add(&b, "enc_in.weight", de, c->src_features);
    L->enc_in_b = add(&b, "enc_in.bias", de, 0);
    for (int l = 0; l < c->num_encoder_layers; l++)
        add_layer(&b, "encoder", l, de, c->dim_feedforward_enc, &L->enc[l]);
    L->enc_norm_w = add(&b, "encoder.norm.weight", de, 0);
    L->enc_norm_b = add(&b, "encoder.norm.bias", de, 0);
    L->mu_w = add(&b, "fc_mu.weight", Z, S * de);
    L->mu_b = add(&b, "fc_mu.bias", Z, 0);
    L->lv_w = add(&b, "fc_logvar.weight", Z, S * de);
    L->lv_b = add(&b, "fc_logvar.bias", Z, 0);
    L->dec_in_w = add(&b, "dec_in.weight", S * dd, Z);
    L->dec_in_b = add(&b, "dec_in.bias", S * dd, 0);
    L->cond = c->src_features == GV_COND_FEATURES;
    L->dec_cond_w = L->cond ? add(&b, "dec_cond.weight", dd, GV_COND_DEC_FEATURES) : 0;
    for (int l = 0; l < c->num_decoder_layers; l++)
        add_layer(&b, "decoder", l, dd, c->dim_feedforward_dec, &L->dec[l]);
    L->dec_norm_w = add(&b, "decoder.norm.weight", dd, 0);
    L->dec_norm_b = add(&b, "decoder.norm.bias", dd, 0);
    L->out_w = add(&b, "dec_out.weight", GV_OUT_FEATURES, dd);
    L->out_b = add(&b, "dec_out.bias", GV_OUT_FEATURES, 0);
    int K = c->prior_components;
    L->prior_logits = K ? add(&b, "prior.logits", K, 0) : 0;
    L->prior_mean = K ? add(&b, "prior.mean", K, Z) : 0;
    L->prior_logvar = K ? add(&b, "prior.logvar", K, Z) : 0;
    L->nparams = b.off;
    L->ntensors = b.n;
}

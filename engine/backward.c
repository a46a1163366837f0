/* backward.c - the whole-model backward of the mgt-vae, from the
 * activations gv_model_forward_train left in the workspace. */
#include <cblas.h>
#include <math.h>
#include <string.h>

#include "engine/model.h"
#include "engine/train_ws.h"
#include "kernels/gemm.h"
#include "kernels/kernels.h"

#define T_ GV_MODEL_STEPS

static void zero(float *x, size_t n) { memset(x, 0, n * sizeof *x); }

/* The gradient through a dropout, or dout itself when it was a no-op. */
static const float *undrop(const gv_backend *be, float *dinp, const float *dout, const uint8_t *mask, int n, float p)
{
    if (p <= 0.0f)
        return dout;
    zero(dinp, (size_t)n);
    be->dropout_backward(dinp, dout, mask, n, p);
    return dinp;
}

/* dinp[BT,C] = scale * dout @ w, overwritten (no zeroing pass before it);
 * dw and db accumulate as in gv_linear_backward. */
static void linear_backward_set(const gv_backend *be, float *dinp, float scale, float *dw, float *db,
                                const float *dout, const float *inp, const float *w, int BT, int C, int OC)
{
    gv_isa isa = gv_isa_best();
    if (isa != GV_ISA_C) {
        gv_gemm_epi e = {.scale = scale};
        gv_gemm(isa, dinp, (size_t)C, dout, (size_t)OC, gv_gemm_rows(w, (size_t)C), BT, C, OC, &e);
    } else {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, BT, C, OC, scale, dout, OC, w, C, 0.0f, dinp, C);
    }
    be->linear_backward(NULL, dw, db, dout, inp, w, BT, C, OC);
}

/* dy[BT,C]: gradient at the layer's output y.  dx[BT,C] receives the
 * gradient at its input x (overwritten).  The gradient at a residual sum
 * (r = x + branch) is built in place where it is needed last: the branch
 * reads it first, the bypass keeps accumulating into it. */
static void layer_backward(const float *P, float *G, const gv_layer_off *o, const gv_layer_acts *a,
                           const float *dy, float *dx, gv_train_ws *w, int B, int C, int NH, int F, float p)
{
    const gv_backend *be = w->hd.be;
    int BT = B * T_;
    size_t n = (size_t)BT * C;
    /* y = norm2(r2), r2 = x1 + dropout2(f): gx1 holds dr2 until linear1 adds its part */
    zero(w->gx1, n);
    be->layernorm_backward(w->gx1, G + o->n2_w, G + o->n2_b, dy, a->r2, P + o->n2_w, a->mean2, a->rstd2, BT, C);
    const float *df = undrop(be, w->gt, w->gx1, a->m2, BT * C, p);
    /* hd = dropout(relu(h)) = relu(h) * mask * s, so the gradient at h is
     * s * dhd where hd > 0: the product takes s, relu's mask is hd's sign */
    const float *hd = p > 0.0f ? a->hd : a->h;
    float s = p > 0.0f ? gv_dropout_scale(p) : 1.0f;
    linear_backward_set(be, w->gh, s, G + o->l2_w, G + o->l2_b, df, hd, P + o->l2_w, BT, F, C);
    zero(w->gh2, (size_t)BT * F);
    be->relu_backward(w->gh2, w->gh, hd, BT * F);
    be->linear_backward(w->gx1, G + o->l1_w, G + o->l1_b, w->gh2, a->x1, P + o->l1_w, BT, C, F);
    /* x1 = norm1(r1), r1 = x + dropout1(sa): dx holds dr1 until in_proj adds its part */
    zero(dx, n);
    be->layernorm_backward(dx, G + o->n1_w, G + o->n1_b, w->gx1, a->r1, P + o->n1_w, a->mean1, a->rstd1, BT, C);
    const float *dsa = undrop(be, w->gt, dx, a->m1, BT * C, p);
    linear_backward_set(be, w->gao, 1.0f, G + o->out_w, G + o->out_b, dsa, a->ao, P + o->out_w, BT, C, C);
    zero(w->gqkv, 3 * n);
    be->attention_backward(w->gqkv, w->gatt, w->gao, a->qkv, a->att, B, T_, C, NH);
    be->linear_backward(dx, G + o->in_w, G + o->in_b, w->gqkv, a->x, P + o->in_w, BT, C, 3 * C);
}

/* Runs the stack's layers backward from the gradient in *g (the top
 * layer's output); leaves in *g the gradient at the stack's input. */
static void layers_backward(const float *P, float *G, const gv_layer_off *o, const gv_layer_acts *a, int nl,
                            float **g, float **spare, gv_train_ws *w, int C, int NH, int F)
{
    for (int l = nl - 1; l >= 0; l--) {
        layer_backward(P, G, &o[l], &a[l], *g, *spare, w, w->b, C, NH, F, w->p);
        float *t = *g;
        *g = *spare;
        *spare = t;
    }
}

void gv_model_backward(const gv_config *c, const float *params, float *grads, const float *dlogits,
                       const float *dmu, const float *dlogvar, gv_train_ws *ws)
{
    const gv_backend *be = ws->hd.be;
    const gv_layout *L = &ws->hd.L;
    const float *P = params;
    float *G = grads;
    int B = ws->b, BT = B * T_, de = c->d_model_enc, dd = c->d_model_dec, Z = c->latent_dim;
    int Le = c->num_encoder_layers, Ld = c->num_decoder_layers;
    float *g = ws->ga, *spare = ws->gb;

    /* decoder: logits = dec_out(norm(layers(dec_in(z)))) */
    zero(spare, (size_t)BT * dd);
    be->linear_backward(spare, G + L->out_w, G + L->out_b, dlogits, ws->yf, P + L->out_w, BT, dd, GV_OUT_FEATURES);
    zero(g, (size_t)BT * dd);
    be->layernorm_backward(g, G + L->dec_norm_w, G + L->dec_norm_b, spare, Ld ? ws->dec[Ld - 1].y : ws->d0,
                          P + L->dec_norm_w, ws->meany, ws->rstdy, BT, dd);
    layers_backward(P, G, L->dec, ws->dec, Ld, &g, &spare, ws, dd, c->nhead_dec, c->dim_feedforward_dec);
    if (L->cond) /* d0 += src[:, DEC0:] @ dec_cond^T: the weight's gradient g^T @ src[:, DEC0:] */
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, dd, GV_COND_DEC_FEATURES, BT, 1.0f, g, dd,
                    ws->src + GV_COND_DEC0, GV_COND_FEATURES, 1.0f, G + L->dec_cond_w, GV_COND_DEC_FEATURES);
    zero(ws->gz, (size_t)B * Z);
    be->linear_backward(ws->gz, G + L->dec_in_w, G + L->dec_in_b, g, ws->z, P + L->dec_in_w, B, Z, T_ * dd);

    /* z = mu + exp(logvar/2) * eps */
    for (int i = 0; i < B * Z; i++) {
        ws->gmu[i] = ws->gz[i] + (dmu ? dmu[i] : 0.0f);
        ws->glv[i] = ws->gz[i] * ws->eps[i] * 0.5f * expf(0.5f * ws->logvar[i]) + (dlogvar ? dlogvar[i] : 0.0f);
    }

    /* encoder: mu, logvar = fc(flatten(norm(layers(relu(enc_in(src)) + pe)))) */
    zero(spare, (size_t)BT * de);
    be->linear_backward(spare, G + L->mu_w, G + L->mu_b, ws->gmu, ws->xf, P + L->mu_w, B, T_ * de, Z);
    be->linear_backward(spare, G + L->lv_w, G + L->lv_b, ws->glv, ws->xf, P + L->lv_w, B, T_ * de, Z);
    zero(g, (size_t)BT * de);
    be->layernorm_backward(g, G + L->enc_norm_w, G + L->enc_norm_b, spare, Le ? ws->enc[Le - 1].y : ws->x0,
                          P + L->enc_norm_w, ws->meanf, ws->rstdf, BT, de);
    layers_backward(P, G, L->enc, ws->enc, Le, &g, &spare, ws, de, c->nhead_enc, c->dim_feedforward_enc);
    /* the positional encoding's gradient is the identity */
    zero(spare, (size_t)BT * de);
    be->relu_backward(spare, g, ws->er, BT * de);
    be->linear_backward(NULL, G + L->enc_in_w, G + L->enc_in_b, spare, ws->src, P + L->enc_in_w, BT,
                       c->src_features, de);
}

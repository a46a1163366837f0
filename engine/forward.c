/* forward.c - the mgt-vae forward pass: batched inference (encode, decode)
 * and the training forward that keeps every activation for backward.c. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/model.h"
#include "engine/rnn.h"
#include "engine/train_ws.h"
#include "kernels/attention_small.h"
#include "kernels/backend.h"
#include "kernels/gemm.h"
#include "kernels/kernels.h"

#define T_ GV_MODEL_STEPS

/* Bump allocation inside one block: with base NULL it only measures. */
typedef struct arena {
    char *base;
    size_t used;
} arena;

static void *carve(arena *a, size_t bytes)
{
    size_t o = a->used;
    a->used += (bytes + 63) & ~(size_t)63;
    return a->base ? a->base + o : NULL;
}

static float *fl(arena *a, size_t n) { return carve(a, n * sizeof(float)); }

/* n floats for each buffer of the NULL-terminated list p. */
static void fls(arena *a, size_t n, float **const *p)
{
    for (; *p; p++)
        **p = fl(a, n);
}

/* Makes a workspace of `size` bytes that starts with a gv_ws_head: runs its
 * carve function twice, to measure and then over one block. */
static void *ws_new(size_t size, const gv_config *c, int n, void (*fn)(void *w, arena *a))
{
    if (n < 1 || gv_config_validate(c, NULL))
        return NULL;
    gv_ws_head *h = calloc(1, size);
    if (!h)
        return NULL;
    h->cfg = *c;
    h->n = n;
    h->be = gv_backend_cpu();
    gv_layout_build(c, &h->L, NULL);
    arena a = {NULL, 0};
    fn(h, &a);
    a.base = h->block = malloc(a.used);
    if (!a.base) {
        free(h);
        return NULL;
    }
    a.used = 0;
    fn(h, &a);
    gv_posenc(h->pe, T_, c->d_model_enc);
    return h;
}

static void ws_free(gv_ws_head *h)
{
    if (!h)
        return;
    free(h->block);
    free(h);
}

static int imax(int a, int b) { return a > b ? a : b; }

/* Dropout as a no-op when p == 0 (inference, or training without dropout):
 * returns the tensor the next op reads.  Example i's n_ex values draw their
 * mask from rng[i] alone, so that the masks do not depend on which batch or
 * shard the example is in. */
static const float *drop(const gv_backend *be, float *out, uint8_t *mask, const float *inp, int B, int n_ex, float p,
                         gv_rng *rng)
{
    if (p <= 0.0f)
        return inp;
    for (size_t i = 0, o = 0; i < (size_t)B; i++, o += (size_t)n_ex)
        be->dropout_forward(out + o, mask + o, inp + o, n_ex, p, &rng[i]);
    return out;
}

/* out = res + dropout(inp): a residual connection (masks as drop's) */
static void residual(const gv_backend *be, float *out, uint8_t *mask, const float *inp, const float *res, int B,
                     int n_ex, float p, gv_rng *rng)
{
    if (p <= 0.0f) {
        be->add_forward(out, res, inp, B * n_ex);
        return;
    }
    for (size_t i = 0, o = 0; i < (size_t)B; i++, o += (size_t)n_ex)
        be->dropout_add_forward(out + o, mask + o, inp + o, res + o, n_ex, p, &rng[i]);
}

/* out[M,N] = relu?(inp[M,K] @ w^T + b) for the Linear at offsets wo, bo:
 * on gemm.h with W (the weights packed at the same offsets) when given, bias
 * and relu in the product's epilogue; else OpenBLAS on P. */
static void linear(const gv_backend *be, const float *P, const float *W, size_t wo, size_t bo, float *out,
                   const float *inp, int M, int K, int N, int relu)
{
    if (W) {
        gv_gemm_epi e = {.bias = P + bo, .relu = relu};
        gv_gemm(gv_isa_best(), out, (size_t)N, inp, (size_t)K, gv_gemm_packed(W + wo, N, K), M, N, K, &e);
        return;
    }
    be->linear_forward(out, inp, P + wo, P + bo, M, K, N);
    if (relu)
        be->relu_forward(out, out, M * N);
}

/* One post-norm nn.TransformerEncoderLayer (relu):
 *   x1 = norm1(x + dropout1(out_proj(attention(in_proj(x)))))
 *   y  = norm2(x1 + dropout2(linear2(dropout(relu(linear1(x1))))))
 * W: the packed weights for linear(), or NULL. */
static void layer_forward(const gv_backend *be, const float *P, const float *W, const gv_layer_off *o,
                          gv_layer_acts *a, int B, int C, int NH, int F, float eps, float p, gv_rng *rng)
{
    int BT = B * T_;
    linear(be, P, W, o->in_w, o->in_b, a->qkv, a->x, BT, C, 3 * C, 0);
    be->attention_forward(a->ao, a->att, a->qkv, B, T_, C, NH);
    linear(be, P, W, o->out_w, o->out_b, a->sa, a->ao, BT, C, C, 0);
    residual(be, a->r1, a->m1, a->sa, a->x, B, T_ * C, p, rng);
    be->layernorm_forward(a->x1, a->mean1, a->rstd1, a->r1, P + o->n1_w, P + o->n1_b, BT, C, eps);
    linear(be, P, W, o->l1_w, o->l1_b, a->h, a->x1, BT, C, F, 1);
    const float *hd = drop(be, a->hd, a->mf, a->h, B, T_ * F, p, rng);
    linear(be, P, W, o->l2_w, o->l2_b, a->f, hd, BT, F, C, 0);
    residual(be, a->r2, a->m2, a->f, a->x1, B, T_ * C, p, rng);
    be->layernorm_forward(a->y, a->mean2, a->rstd2, a->r2, P + o->n2_w, P + o->n2_b, BT, C, eps);
}

/* ---------------------------------------------------------------- inference */

struct gv_infer_ws {
    gv_ws_head hd;           /* first, for ws_new; hd.n = max_n, the largest batch */
    float *x, *s, *ao;       /* [max_n*T, Cmax] */
    float *qkv, *att, *h;    /* [.., 3Cmax], [max_n, NHmax, T, T] (or gv_attention_small's scratch), [.., Fmax] */
    float *logits;           /* [max_n*T, 27] for gv_model_decode */
    gv_rnn_ws *rnn;          /* a recurrent model's (engine/rnn.h), and its outputs [max_n*T, 27] x 2 */
    float *rnn_out, *rnn_probs;
};

static void infer_carve(void *ws, arena *a)
{
    gv_infer_ws *w = ws;
    const gv_config *c = &w->hd.cfg;
    size_t BT = (size_t)w->hd.n * T_, C = (size_t)imax(c->d_model_enc, c->d_model_dec);
    w->hd.pe = fl(a, (size_t)T_ * c->d_model_enc);
    fls(a, BT * C, (float **[]){&w->x, &w->s, &w->ao, NULL});
    w->qkv = fl(a, BT * 3 * C);
    size_t att = BT * T_ * (size_t)imax(c->nhead_enc, c->nhead_dec);
    size_t small = gv_attention_small_scratch(T_, c->d_model_enc, c->nhead_enc);
    size_t small_dec = gv_attention_small_scratch(T_, c->d_model_dec, c->nhead_dec);
    small = small > small_dec ? small : small_dec;
    w->att = fl(a, att > small ? att : small);
    w->h = fl(a, BT * (size_t)imax(c->dim_feedforward_enc, c->dim_feedforward_dec));
    w->logits = fl(a, BT * GV_OUT_FEATURES);
}

/* A recurrent model's workspace: the head, and the family's own. */
static gv_infer_ws *rnn_ws_new(const gv_config *c, int max_n)
{
    if (max_n < 1 || gv_config_validate(c, NULL))
        return NULL;
    gv_infer_ws *w = calloc(1, sizeof *w);
    size_t n = (size_t)max_n * c->steps * GV_OUT_FEATURES;
    if (w) {
        w->hd.cfg = *c;
        w->hd.n = max_n;
        w->hd.be = gv_backend_cpu();
        w->rnn = gv_rnn_ws_new(&c->rnn, max_n);
        w->rnn_out = malloc(n * sizeof(float));
        w->rnn_probs = malloc(n * sizeof(float));
    }
    if (w && (!w->rnn || !w->rnn_out || !w->rnn_probs)) {
        gv_infer_ws_free(w);
        return NULL;
    }
    return w;
}

gv_infer_ws *gv_infer_ws_new(const gv_config *c, int max_n)
{
    if (gv_config_is_rnn(c))
        return rnn_ws_new(c, max_n);
    return ws_new(sizeof(gv_infer_ws), c, max_n, infer_carve);
}

void gv_infer_ws_free(gv_infer_ws *ws)
{
    if (ws && ws->rnn) {
        gv_rnn_ws_free(ws->rnn);
        free(ws->rnn_out);
        free(ws->rnn_probs);
        free(ws);
        return;
    }
    ws_free(ws ? &ws->hd : NULL);
}

/* Probabilities back to the logits gv_model_activate would turn into them
 * (rows of hit p, velocity, offset -> [rows, 27]). */
static void rnn_logits(const float *hp, const float *vel, const float *off, size_t rows, float *logits)
{
    for (size_t r = 0; r < rows; r++)
        for (int v = 0; v < GV_VOICES; v++) {
            float *l = logits + r * GV_OUT_FEATURES;
            float p = fminf(fmaxf(hp[r * GV_VOICES + v], 1e-7f), 1 - 1e-7f);
            float q = fminf(fmaxf(vel[r * GV_VOICES + v], 1e-7f), 1 - 1e-7f);
            float o = fminf(fmaxf(2.f * off[r * GV_VOICES + v], -1 + 1e-7f), 1 - 1e-7f);
            l[v] = logf(p / (1 - p));
            l[GV_VOICES + v] = logf(q / (1 - q));
            l[2 * GV_VOICES + v] = atanhf(o);
        }
}

/* A recurrent model decoding z[n]: the path's probabilities (hit p,
 * velocities, offsets, each [n,T,9]) in ws->rnn_probs' three thirds. */
static void rnn_decode(const gv_model *m, const float *z, int n, gv_infer_ws *ws, float *hit_p, float *vel,
                       float *off)
{
    gv_rnn_ws_use_packed(ws->rnn, m->packed);
    gv_rnn_decode(&m->cfg.rnn, m->params, ws->rnn, z, n, m->cfg.thresholds, NULL, ws->rnn_out, ws->rnn_probs);
    size_t V = GV_VOICES * sizeof(float);
    for (size_t r = 0; r < (size_t)n * m->cfg.steps; r++) {
        const float *p = ws->rnn_probs + r * GV_OUT_FEATURES;
        memcpy(hit_p + r * GV_VOICES, p, V);
        memcpy(vel + r * GV_VOICES, p + GV_VOICES, V);
        memcpy(off + r * GV_VOICES, p + 2 * GV_VOICES, V);
    }
}

/* A stack of nl layers from x; returns the top layer's output.  Training
 * keeps each layer's activations (a_step 1); inference runs every layer in
 * the one set a (a_step 0). */
static float *layers_forward(const gv_backend *be, const float *P, const float *W, const gv_layer_off *o,
                             gv_layer_acts *a, int a_step, int nl, float *x, int B, int C, int NH, int F, float eps,
                             float p, gv_rng *rng)
{
    for (int l = 0; l < nl; l++, a += a_step) {
        a->x = x;
        layer_forward(be, P, W, &o[l], a, B, C, NH, F, eps, p, rng);
        x = a->y;
    }
    return x;
}

/* The inference layer reuses a few buffers: x in/out, s for every [BT,C]
 * temporary (add and layernorm never read what they write). */
static void infer_layers(const float *P, const gv_layer_off *o, int nl, gv_infer_ws *w, int B, int C, int NH,
                         int F)
{
    const gv_backend *be = w->hd.be;
    gv_layer_acts a = {.qkv = w->qkv, .att = w->att, .ao = w->ao, .sa = w->s, .r1 = w->s,
                       .x1 = w->x, .h = w->h, .f = w->s, .r2 = w->s, .y = w->x};
    layers_forward(be, P, NULL, o, &a, 0, nl, w->x, B, C, NH, F, w->hd.cfg.layer_norm_eps, 0.0f, NULL);
}

/* enc_in, relu into er; into x0 (a copy when training keeps er) + PE. */
static void enc_stem(const gv_backend *be, const float *P, const gv_layout *L, const float *src, int B, int F,
                     int d, const float *pe, float *er, float *x0)
{
    int BT = B * T_;
    be->linear_forward(er, src, P + L->enc_in_w, P + L->enc_in_b, BT, F, d);
    be->relu_forward(er, er, BT * d);
    if (x0 != er)
        memcpy(x0, er, (size_t)BT * d * sizeof *x0);
    be->posenc_add(x0, pe, B, T_, d);
}

/* encoder.norm (stats kept when mean/rstd are given), then mu and logvar. */
static void enc_head(const gv_backend *be, const float *P, const gv_layout *L, const gv_config *c, const float *x,
                     int B, float *xf, float *mean, float *rstd, float *mu, float *logvar)
{
    int d = c->d_model_enc;
    be->layernorm_forward(xf, mean, rstd, x, P + L->enc_norm_w, P + L->enc_norm_b, B * T_, d, c->layer_norm_eps);
    be->linear_forward(mu, xf, P + L->mu_w, P + L->mu_b, B, T_ * d, c->latent_dim);
    be->linear_forward(logvar, xf, P + L->lv_w, P + L->lv_b, B, T_ * d, c->latent_dim);
}

/* A conditioned model's decoder input: x[BT, d] += src[:, GV_COND_DEC0:] @
 * dec_cond^T, the player's lanes and voices step by step (engine/cond.h);
 * nothing when the model is not conditioned or src is NULL (nothing given:
 * every feature 0). */
static void dec_cond_add(const float *P, const gv_layout *L, const float *src, int B, int d, float *x)
{
    if (!L->cond || !src)
        return;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B * T_, d, GV_COND_DEC_FEATURES, 1.0f,
                src + GV_COND_DEC0, GV_COND_FEATURES, P + L->dec_cond_w, GV_COND_DEC_FEATURES, 1.0f, x, d);
}

/* decoder.norm (stats kept when mean/rstd are given), then the logits. */
static void dec_head(const gv_backend *be, const float *P, const gv_layout *L, const gv_config *c, const float *x,
                     int B, float *yf, float *mean, float *rstd, float *logits)
{
    int d = c->d_model_dec;
    be->layernorm_forward(yf, mean, rstd, x, P + L->dec_norm_w, P + L->dec_norm_b, B * T_, d, c->layer_norm_eps);
    be->linear_forward(logits, yf, P + L->out_w, P + L->out_b, B * T_, d, GV_OUT_FEATURES);
}

/* ---- the packed path (m->packed): gemm.h kernels, bias, relu and the
 * residual adds fused into the products, in-place LayerNorm ---- */

/* out[M, N] = inp[M, K] @ W^T + b (+ res[M, N]) (relu) for the Linear whose
 * weight [N, K] sits at w in params (packed at the same offset). */
static void plinear(const gv_model *m, size_t w, size_t b, float *out, const float *inp, int M, int K, int N,
                    const float *res, int relu)
{
    gv_gemm_epi e = {.bias = m->params + b, .res = res, .ldr = (size_t)N, .relu = relu};
    gv_gemm(m->isa, out, (size_t)N, inp, (size_t)K, gv_gemm_packed(m->packed + w, N, K), M, N, K, &e);
}

/* The stack of layers on x, as infer_layers. */
static void packed_layers(const gv_model *m, const gv_layer_off *o, int nl, gv_infer_ws *w, int B, int C, int NH,
                          int F)
{
    const float *P = m->params;
    int BT = B * T_;
    float eps = m->cfg.layer_norm_eps;
    for (int l = 0; l < nl; l++, o++) {
        plinear(m, o->in_w, o->in_b, w->qkv, w->x, BT, C, 3 * C, NULL, 0);
        gv_attention_small(m->isa, w->ao, w->qkv, B, T_, C, NH, w->att);
        plinear(m, o->out_w, o->out_b, w->s, w->ao, BT, C, C, w->x, 0);
        gv_layernorm_rows(m->isa, w->x, w->s, P + o->n1_w, P + o->n1_b, BT, C, eps);
        plinear(m, o->l1_w, o->l1_b, w->h, w->x, BT, C, F, NULL, 1);
        plinear(m, o->l2_w, o->l2_b, w->s, w->h, BT, F, C, w->x, 0);
        gv_layernorm_rows(m->isa, w->x, w->s, P + o->n2_w, P + o->n2_b, BT, C, eps);
    }
}

static void packed_encode(const gv_model *m, const float *src, int N, float *mu, float *logvar, gv_infer_ws *w)
{
    const gv_backend *be = w->hd.be;
    const gv_config *c = &m->cfg;
    const gv_layout *L = &w->hd.L;
    int d = c->d_model_enc, BT = N * T_;
    plinear(m, L->enc_in_w, L->enc_in_b, w->x, src, BT, c->src_features, d, NULL, 1);
    be->posenc_add(w->x, w->hd.pe, N, T_, d);
    packed_layers(m, L->enc, c->num_encoder_layers, w, N, d, c->nhead_enc, c->dim_feedforward_enc);
    gv_layernorm_rows(m->isa, w->x, w->x, m->params + L->enc_norm_w, m->params + L->enc_norm_b, BT, d,
                      c->layer_norm_eps);
    plinear(m, L->mu_w, L->mu_b, mu, w->x, N, T_ * d, c->latent_dim, NULL, 0);
    plinear(m, L->lv_w, L->lv_b, logvar, w->x, N, T_ * d, c->latent_dim, NULL, 0);
}

static void packed_decode(const gv_model *m, const float *z, const float *src, int N, float *logits,
                          gv_infer_ws *w)
{
    const gv_config *c = &m->cfg;
    const gv_layout *L = &w->hd.L;
    int d = c->d_model_dec, BT = N * T_;
    plinear(m, L->dec_in_w, L->dec_in_b, w->x, z, N, c->latent_dim, T_ * d, NULL, 0);
    if (L->cond && src) {
        gv_gemm_epi e = {.res = w->x, .ldr = (size_t)d};
        gv_gemm(m->isa, w->x, (size_t)d, src + GV_COND_DEC0, GV_COND_FEATURES,
                gv_gemm_packed(m->packed + L->dec_cond_w, d, GV_COND_DEC_FEATURES), BT, d, GV_COND_DEC_FEATURES,
                &e);
    }
    packed_layers(m, L->dec, c->num_decoder_layers, w, N, d, c->nhead_dec, c->dim_feedforward_dec);
    gv_layernorm_rows(m->isa, w->x, w->x, m->params + L->dec_norm_w, m->params + L->dec_norm_b, BT, d,
                      c->layer_norm_eps);
    plinear(m, L->out_w, L->out_b, logits, w->x, BT, d, GV_OUT_FEATURES, NULL, 0);
}

/* ---- the OpenBLAS path (params) ---- */

static void encode_chunk(const gv_model *m, const float *src, int N, float *mu, float *logvar, gv_infer_ws *w)
{
    const gv_backend *be = w->hd.be;
    if (m->packed) {
        packed_encode(m, src, N, mu, logvar, w);
        return;
    }
    const gv_config *c = &m->cfg;
    const gv_layout *L = &w->hd.L;
    const float *P = m->params;
    int d = c->d_model_enc;
    enc_stem(be, P, L, src, N, c->src_features, d, w->hd.pe, w->x, w->x);
    infer_layers(P, L->enc, c->num_encoder_layers, w, N, d, c->nhead_enc, c->dim_feedforward_enc);
    enc_head(be, P, L, c, w->x, N, w->s, NULL, NULL, mu, logvar);
}

static void decode_chunk(const gv_model *m, const float *z, const float *src, int N, float *logits,
                         gv_infer_ws *w)
{
    const gv_backend *be = w->hd.be;
    if (m->packed) {
        packed_decode(m, z, src, N, logits, w);
        return;
    }
    const gv_config *c = &m->cfg;
    const gv_layout *L = &w->hd.L;
    const float *P = m->params;
    int d = c->d_model_dec;
    be->linear_forward(w->x, z, P + L->dec_in_w, P + L->dec_in_b, N, c->latent_dim, T_ * d);
    dec_cond_add(P, L, src, N, d, w->x);
    infer_layers(P, L->dec, c->num_decoder_layers, w, N, d, c->nhead_dec, c->dim_feedforward_dec);
    dec_head(be, P, L, c, w->x, N, w->s, NULL, NULL, logits);
}

/* Rows [i, i + n) of a batch of N taken max_n at a time: n for chunk i. */
static int chunk_rows(int N, int i, const gv_infer_ws *ws) { return N - i < ws->hd.n ? N - i : ws->hd.n; }

/* Batches larger than the workspace go through in chunks of max_n. */
void gv_model_encode(const gv_model *m, const float *src, int N, float *mu, float *logvar, gv_infer_ws *ws)
{
    size_t Z = (size_t)m->cfg.latent_dim, S = (size_t)m->cfg.steps * m->cfg.src_features;
    for (int i = 0; i < N; i += ws->hd.n) {
        int n = chunk_rows(N, i, ws);
        if (ws->rnn) {
            gv_rnn_ws_use_packed(ws->rnn, m->packed);
            gv_rnn_encode(&m->cfg.rnn, m->params, ws->rnn, src + i * S, n, mu + i * Z, logvar + i * Z);
        } else {
            encode_chunk(m, src + i * S, n, mu + i * Z, logvar + i * Z, ws);
        }
    }
}

/* Rows i.. of a batch's src, or NULL (nothing given). */
static const float *src_rows(const gv_model *m, const float *src, int i)
{
    return src ? src + (size_t)i * T_ * m->cfg.src_features : NULL;
}

void gv_model_decode_logits_cond(const gv_model *m, const float *z, const float *src, int N, float *logits,
                                 gv_infer_ws *ws)
{
    size_t Z = (size_t)m->cfg.latent_dim, O = (size_t)m->cfg.steps * GV_OUT_FEATURES;
    for (int i = 0; i < N; i += ws->hd.n) {
        int n = chunk_rows(N, i, ws);
        if (ws->rnn) { /* the free-running path's outputs, as logits */
            float *hp = ws->rnn_out, *v = hp + (size_t)n * m->cfg.steps * GV_VOICES, *o = v + (size_t)n * m->cfg.steps * GV_VOICES;
            rnn_decode(m, z + i * Z, n, ws, hp, v, o);
            rnn_logits(hp, v, o, (size_t)n * m->cfg.steps, logits + i * O);
            continue;
        }
        decode_chunk(m, z + i * Z, src_rows(m, src, i), n, logits + i * O, ws);
    }
}

void gv_model_decode_logits(const gv_model *m, const float *z, int N, float *logits, gv_infer_ws *ws)
{
    gv_model_decode_logits_cond(m, z, NULL, N, logits, ws);
}

/* Every head is sigmoid(s x) + h: the offsets' 0.5 tanh(x) is sigmoid(2x) - 0.5. */
void gv_model_activate(const gv_config *c, const float *logits, int N, float *hit_p, float *vel, float *off)
{
    float s[GV_OUT_FEATURES], h[GV_OUT_FEATURES], y[GV_OUT_FEATURES];
    int tanh_off = strcmp(c->o_activation, "sigmoid") != 0;
    for (int k = 0; k < GV_OUT_FEATURES; k++) {
        int is_off = k >= 2 * GV_VOICES;
        s[k] = is_off && tanh_off ? 2.0f : 1.0f;
        h[k] = is_off ? -0.5f : 0.0f;
    }
    gv_isa isa = gv_isa_best();
    size_t V = GV_VOICES * sizeof *y;
    for (size_t r = 0; r < (size_t)N * T_; r++) {
        gv_sigmoid_affine(isa, y, logits + r * GV_OUT_FEATURES, GV_OUT_FEATURES, s, h);
        memcpy(hit_p + r * GV_VOICES, y, V);
        memcpy(vel + r * GV_VOICES, y + GV_VOICES, V);
        memcpy(off + r * GV_VOICES, y + 2 * GV_VOICES, V);
    }
}

void gv_model_decode_cond(const gv_model *m, const float *z, const float *src, int N, float *hit_p, float *vel,
                          float *off, gv_infer_ws *ws)
{
    size_t Z = (size_t)m->cfg.latent_dim, O = (size_t)m->cfg.steps * GV_VOICES;
    for (int i = 0; i < N; i += ws->hd.n) {
        int n = chunk_rows(N, i, ws);
        if (ws->rnn) { /* free-running: what it wrote is what it reads next; src is not read */
            rnn_decode(m, z + i * Z, n, ws, hit_p + i * O, vel + i * O, off + i * O);
            continue;
        }
        decode_chunk(m, z + i * Z, src_rows(m, src, i), n, ws->logits, ws);
        gv_model_activate(&m->cfg, ws->logits, n, hit_p + i * O, vel + i * O, off + i * O);
    }
}

void gv_model_decode(const gv_model *m, const float *z, int N, float *hit_p, float *vel, float *off,
                     gv_infer_ws *ws)
{
    gv_model_decode_cond(m, z, NULL, N, hit_p, vel, off, ws);
}

/* ----------------------------------------------------------------- training */

static void layer_carve(gv_layer_acts *l, arena *a, size_t BT, size_t C, size_t NH, size_t F)
{
    l->qkv = fl(a, BT * 3 * C);
    l->att = fl(a, BT * NH * T_);
    fls(a, BT * C, (float **[]){&l->ao, &l->sa, &l->r1, NULL});
    fls(a, BT, (float **[]){&l->mean1, &l->rstd1, NULL});
    l->x1 = fl(a, BT * C);
    fls(a, BT * F, (float **[]){&l->h, &l->hd, NULL});
    fls(a, BT * C, (float **[]){&l->f, &l->r2, NULL});
    fls(a, BT, (float **[]){&l->mean2, &l->rstd2, NULL});
    l->y = fl(a, BT * C);
    l->m1 = carve(a, BT * C);
    l->mf = carve(a, BT * F);
    l->m2 = carve(a, BT * C);
}

static void train_carve(void *ws, arena *a)
{
    gv_train_ws *w = ws;
    const gv_config *c = &w->hd.cfg;
    size_t B = (size_t)w->hd.n, BT = B * T_, de = (size_t)c->d_model_enc, dd = (size_t)c->d_model_dec;
    size_t Z = (size_t)c->latent_dim, C = (size_t)imax(c->d_model_enc, c->d_model_dec);
    size_t F = (size_t)imax(c->dim_feedforward_enc, c->dim_feedforward_dec);
    size_t NH = (size_t)imax(c->nhead_enc, c->nhead_dec);
    w->hd.pe = fl(a, T_ * de);
    w->src = fl(a, BT * (size_t)c->src_features);
    fls(a, BT * de, (float **[]){&w->er, &w->x0, NULL});
    for (int l = 0; l < c->num_encoder_layers; l++)
        layer_carve(&w->enc[l], a, BT, de, (size_t)c->nhead_enc, (size_t)c->dim_feedforward_enc);
    w->xf = fl(a, BT * de);
    fls(a, BT, (float **[]){&w->meanf, &w->rstdf, NULL});
    fls(a, B * Z, (float **[]){&w->mu, &w->logvar, &w->eps, &w->z, NULL});
    w->d0 = fl(a, BT * dd);
    for (int l = 0; l < c->num_decoder_layers; l++)
        layer_carve(&w->dec[l], a, BT, dd, (size_t)c->nhead_dec, (size_t)c->dim_feedforward_dec);
    w->yf = fl(a, BT * dd);
    fls(a, BT, (float **[]){&w->meany, &w->rstdy, NULL});
    w->logits = fl(a, BT * GV_OUT_FEATURES);
    fls(a, BT * C, (float **[]){&w->ga, &w->gb, &w->gx1, &w->gt, &w->gao, NULL});
    fls(a, BT * F, (float **[]){&w->gh, &w->gh2, NULL});
    w->gqkv = fl(a, BT * 3 * C);
    w->gatt = fl(a, BT * NH * T_);
    fls(a, B * Z, (float **[]){&w->gz, &w->gmu, &w->glv, NULL});
    w->wpk = fl(a, w->hd.L.nparams);
}

/* The layers' weight matrices of params packed for gemm.h into W at the
 * same offsets (the rest of W unused); NULL when this CPU has only the plain
 * C kernels, slower than OpenBLAS. */
static const float *pack_layers(const gv_config *c, const float *params, gv_train_ws *ws)
{
    if (gv_isa_best() == GV_ISA_C)
        return NULL;
    const gv_layout *L = &ws->hd.L;
    for (int l = 0; l < c->num_encoder_layers + c->num_decoder_layers; l++) {
        int enc = l < c->num_encoder_layers;
        const gv_layer_off *o = enc ? &L->enc[l] : &L->dec[l - c->num_encoder_layers];
        int C = enc ? c->d_model_enc : c->d_model_dec, F = enc ? c->dim_feedforward_enc : c->dim_feedforward_dec;
        gv_gemm_pack(ws->wpk + o->in_w, params + o->in_w, 3 * C, C);
        gv_gemm_pack(ws->wpk + o->out_w, params + o->out_w, C, C);
        gv_gemm_pack(ws->wpk + o->l1_w, params + o->l1_w, F, C);
        gv_gemm_pack(ws->wpk + o->l2_w, params + o->l2_w, C, F);
    }
    return ws->wpk;
}

void gv_infer_ws_set_backend(gv_infer_ws *ws, const gv_backend *be) { ws->hd.be = be; }

gv_train_ws *gv_train_ws_new(const gv_config *c, int B)
{
    return ws_new(sizeof(gv_train_ws), c, B, train_carve);
}

void gv_train_ws_free(gv_train_ws *ws) { ws_free(ws ? &ws->hd : NULL); }

void gv_train_ws_set_backend(gv_train_ws *ws, const gv_backend *be) { ws->hd.be = be; }

void gv_train_ws_pack_shared(gv_train_ws *const *ws, int n, const float *params)
{
    const float *W = n > 0 ? pack_layers(&ws[0]->hd.cfg, params, ws[0]) : NULL;
    for (int i = 0; i < n; i++) {
        ws[i]->shared = 1;
        ws[i]->spk = W;
    }
}

void gv_model_forward_train(const gv_config *c, const float *params, const float *src, int B, float p,
                            const float *eps, gv_rng *rng, gv_train_ws *ws)
{
    const gv_backend *be = ws->hd.be;
    const gv_layout *L = &ws->hd.L;
    const float *P = params;
    int de = c->d_model_enc, dd = c->d_model_dec, Z = c->latent_dim, BT = B * T_;
    float ln = c->layer_norm_eps;
    ws->p = p;
    ws->b = B;
    memcpy(ws->src, src, (size_t)BT * c->src_features * sizeof *src);
    const float *W = ws->shared ? ws->spk : pack_layers(c, params, ws);
    enc_stem(be, P, L, ws->src, B, c->src_features, de, ws->hd.pe, ws->er, ws->x0);
    float *x = layers_forward(be, P, W, L->enc, ws->enc, 1, c->num_encoder_layers, ws->x0, B, de, c->nhead_enc,
                              c->dim_feedforward_enc, ln, p, rng);
    enc_head(be, P, L, c, x, B, ws->xf, ws->meanf, ws->rstdf, ws->mu, ws->logvar);
    for (int i = 0; i < B * Z; i++) {
        ws->eps[i] = eps ? eps[i] : rng ? gv_rng_normal(&rng[i / Z]) : 0.0f;
        ws->z[i] = ws->mu[i] + expf(0.5f * ws->logvar[i]) * ws->eps[i];
    }
    be->linear_forward(ws->d0, ws->z, P + L->dec_in_w, P + L->dec_in_b, B, Z, T_ * dd);
    dec_cond_add(P, L, ws->src, B, dd, ws->d0);
    x = layers_forward(be, P, W, L->dec, ws->dec, 1, c->num_decoder_layers, ws->d0, B, dd, c->nhead_dec,
                       c->dim_feedforward_dec, ln, p, rng);
    dec_head(be, P, L, c, x, B, ws->yf, ws->meany, ws->rstdy, ws->logits);
}

const float *gv_train_ws_logits(const gv_train_ws *ws) { return ws->logits; }
const float *gv_train_ws_mu(const gv_train_ws *ws) { return ws->mu; }
const float *gv_train_ws_logvar(const gv_train_ws *ws) { return ws->logvar; }
const float *gv_train_ws_z(const gv_train_ws *ws) { return ws->z; }

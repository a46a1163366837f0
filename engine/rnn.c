/* rnn.c - the recurrent VAE family (see rnn.h).  Arrays inside are
 * time-major ([T,B,*]) so that each step, and each bar's segment, is one
 * contiguous block for the LSTM kernels. */
#include "engine/rnn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/lstm.h"
#include "kernels/rng.h"

#define F GV_RNN_OUT

/* ------------------------------------------------------------ config */

void gv_rnn_config_default(gv_rnn_config *c, int hier)
{
    *c = (gv_rnn_config){.hier = hier != 0, .steps = hier ? 64 : 32, .input = GV_RNN_IN_GROOVE, .enc = 512,
                         .latent = 256, .dec = 256, .dec_layers = 2, .cond = hier ? 256 : 0, .dropout = 0.7f,
                         .free_bits = 48.f, .beta = 0.2f};
}

int gv_rnn_config_check(const gv_rnn_config *c, gv_err *e)
{
    if (c->steps < GV_RNN_BAR || c->steps > 256 || c->steps % GV_RNN_BAR)
        return gv_fail(e, "steps %d: a multiple of 16 in 16..256", c->steps);
    if (c->input != GV_RNN_IN_GROOVE && c->input != GV_RNN_IN_HITS && c->input != GV_RNN_IN_FULL)
        return gv_fail(e, "input %d: 3 (groove), 9 (hits) or 27 (full)", c->input);
    if (c->enc < 1 || c->enc > 4096 || c->latent < 1 || c->latent > 4096 || c->dec < 1 || c->dec > 4096)
        return gv_fail(e, "sizes: enc %d, latent %d, dec %d must be 1..4096", c->enc, c->latent, c->dec);
    if (c->dec_layers < 1 || c->dec_layers > GV_RNN_MAX_LAYERS)
        return gv_fail(e, "dec_layers %d: 1..%d", c->dec_layers, GV_RNN_MAX_LAYERS);
    if (c->hier && (c->cond < 1 || c->cond > 4096))
        return gv_fail(e, "cond %d: 1..4096", c->cond);
    if (!(c->dropout >= 0.f && c->dropout < 1.f))
        return gv_fail(e, "dropout %g: 0..1 (1 excluded)", c->dropout);
    if (!(c->free_bits >= 0.f) || !(c->beta >= 0.f))
        return gv_fail(e, "free_bits and beta must be >= 0");
    return 0;
}

int gv_rnn_config_json(const gv_rnn_config *c, char *buf, size_t n)
{
    return snprintf(buf, n,
                    "{\"arch\": \"%s\", \"hier\": %d, \"steps\": %d, \"input\": %d, \"enc\": %d, "
                    "\"latent\": %d, \"dec\": %d, \"dec_layers\": %d, \"cond\": %d, \"dropout\": %.9g, "
                    "\"free_bits\": %.9g, \"beta\": %.9g}",
                    c->hier ? "groovae-hier" : "groovae", c->hier, c->steps, c->input, c->enc, c->latent, c->dec,
                    c->dec_layers, c->cond, c->dropout, c->free_bits, c->beta);
}

/* ------------------------------------------------------------ layout */

/* Offsets of every tensor (floats into the one buffer), in table order. */
typedef struct lstm_off {
    size_t w_ih, w_hh, b_ih, b_hh;
} lstm_off;

typedef struct rnn_layout {
    lstm_off enc_f, enc_b;
    size_t mu_w, mu_b, lv_w, lv_b;
    size_t cinit_w, cinit_b; /* hier */
    lstm_off cond;           /* hier */
    size_t init_w, init_b;   /* dec_init (flat, from z) or bar_init (hier, from e_k) */
    lstm_off dec[GV_RNN_MAX_LAYERS];
    size_t out_w, out_b;
    size_t n;
    int nt;
} rnn_layout;

typedef struct table {
    gv_tensor_info *t;
    int n;
    size_t at;
} table;

static size_t add(table *tb, const char *name, int rows, int cols)
{
    size_t off = tb->at;
    if (tb->t) {
        gv_tensor_info *t = &tb->t[tb->n];
        memset(t, 0, sizeof *t);
        snprintf(t->name, sizeof t->name, "%s", name);
        t->ndim = cols ? 2 : 1;
        t->shape[0] = rows;
        t->shape[1] = cols;
        t->offset = off;
        t->numel = (size_t)rows * (cols ? cols : 1);
    }
    tb->n++;
    tb->at += (size_t)rows * (cols ? cols : 1);
    return off;
}

static lstm_off add_lstm(table *tb, const char *mod, int layer, const char *sfx, int in, int H)
{
    char n[64];
    lstm_off o;
    snprintf(n, sizeof n, "%s.weight_ih_l%d%s", mod, layer, sfx);
    o.w_ih = add(tb, n, 4 * H, in);
    snprintf(n, sizeof n, "%s.weight_hh_l%d%s", mod, layer, sfx);
    o.w_hh = add(tb, n, 4 * H, H);
    snprintf(n, sizeof n, "%s.bias_ih_l%d%s", mod, layer, sfx);
    o.b_ih = add(tb, n, 4 * H, 0);
    snprintf(n, sizeof n, "%s.bias_hh_l%d%s", mod, layer, sfx);
    o.b_hh = add(tb, n, 4 * H, 0);
    return o;
}

static int emb_size(const gv_rnn_config *c) { return c->hier ? c->cond : c->latent; }

static void layout(const gv_rnn_config *c, rnn_layout *L, gv_tensor_info *t)
{
    table tb = {t, 0, 0};
    memset(L, 0, sizeof *L);
    L->enc_f = add_lstm(&tb, "enc", 0, "", c->input, c->enc);
    L->enc_b = add_lstm(&tb, "enc", 0, "_reverse", c->input, c->enc);
    L->mu_w = add(&tb, "mu.weight", c->latent, 2 * c->enc);
    L->mu_b = add(&tb, "mu.bias", c->latent, 0);
    L->lv_w = add(&tb, "logvar.weight", c->latent, 2 * c->enc);
    L->lv_b = add(&tb, "logvar.bias", c->latent, 0);
    int S = 2 * c->dec_layers * c->dec;
    if (c->hier) {
        L->cinit_w = add(&tb, "cond_init.weight", 2 * c->cond, c->latent);
        L->cinit_b = add(&tb, "cond_init.bias", 2 * c->cond, 0);
        L->cond = add_lstm(&tb, "conductor", 0, "", 1, c->cond);
        L->init_w = add(&tb, "bar_init.weight", S, c->cond);
        L->init_b = add(&tb, "bar_init.bias", S, 0);
    } else {
        L->init_w = add(&tb, "dec_init.weight", S, c->latent);
        L->init_b = add(&tb, "dec_init.bias", S, 0);
    }
    for (int l = 0; l < c->dec_layers; l++)
        L->dec[l] = add_lstm(&tb, "dec", l, "", l ? c->dec : F + emb_size(c), c->dec);
    L->out_w = add(&tb, "out.weight", F, c->dec);
    L->out_b = add(&tb, "out.bias", F, 0);
    L->n = tb.at;
    L->nt = tb.n;
}

int gv_rnn_tensors(const gv_rnn_config *c, gv_tensor_info *t, size_t *nparams)
{
    rnn_layout L;
    layout(c, &L, t);
    if (nparams)
        *nparams = L.n;
    return L.nt;
}

void gv_rnn_init(const gv_rnn_config *c, float *params, uint64_t seed)
{
    gv_tensor_info t[GV_RNN_MAX_TENSORS];
    int n = gv_rnn_tensors(c, t, NULL);
    gv_rng r;
    gv_rng_seed(&r, seed);
    int fan = 1;
    for (int i = 0; i < n; i++) {
        /* an LSTM's tensors (weights and biases): its hidden size (rows / 4);
         * a Linear's weight: its input; its bias: its weight's */
        if (strstr(t[i].name, "_ih_l") || strstr(t[i].name, "_hh_l"))
            fan = t[i].shape[0] / 4;
        else if (t[i].ndim == 2)
            fan = t[i].shape[1];
        float k = 1.f / sqrtf((float)fan);
        for (size_t j = 0; j < t[i].numel; j++)
            params[t[i].offset + j] = k * (2.f * gv_rng_uniform(&r) - 1.f);
    }
}

/* ------------------------------------------------------------ workspace */

struct gv_rnn_ws {
    int max_b, T, S, Ts, Ez, L, D, G0; /* G0: decoder layer-0 input width F + Ez */
    rnn_layout lay;
    float *xe;                          /* [T,B,In] */
    float *hf, *cf, *af, *hb, *cb, *ab; /* encoder [T,B,E], [T,B,4E] */
    float *encf, *mu, *lv, *z, *eps;    /* [B,2E], [B,Z] x 4 */
    float *cinit, *ch, *cc, *ca, *czero; /* hier: [B,2C], [S,B,C] x 2, [S,B,4C], [S,B,1] */
    float *sinit;                       /* [S,B,2LD] tanh of each segment's init */
    float *h0, *c0;                     /* [L][S][B][D] */
    float *in[GV_RNN_MAX_LAYERS];       /* each layer's input after dropout [T,B,G0 or D] */
    uint8_t *mask[GV_RNN_MAX_LAYERS];   /* its dropout mask (training) */
    float *h[GV_RNN_MAX_LAYERS], *c[GV_RNN_MAX_LAYERS], *a[GV_RNN_MAX_LAYERS];
    float *logits;                      /* [T,B,F] */
    float *dlogits, *dmu, *dlv;         /* from gv_rnn_loss */
    float *scratch, *dh, *dx, *dinit, *demb, *dz, *dencf, *tmp; /* backward */
    float *wpack;        /* a recurrent weight packed for one forward (kernels/lstm.h) */
    int train, B;
    const float *packed; /* gv_rnn_pack's copy: generation runs the SIMD path */
    gv_isa isa;
};

void gv_rnn_ws_use_packed(gv_rnn_ws *w, const float *packed)
{
    w->packed = packed;
    w->isa = gv_isa_best();
    if (w->isa == GV_ISA_C)
        w->packed = NULL; /* OpenBLAS beats the plain C tiles */
}

void gv_rnn_pack(const gv_rnn_config *c, const float *P, float *Q)
{
    gv_tensor_info t[GV_RNN_MAX_TENSORS];
    size_t np;
    int n = gv_rnn_tensors(c, t, &np);
    memcpy(Q, P, np * sizeof *Q);
    for (int i = 0; i < n; i++) {
        if (t[i].ndim == 2)
            gv_gemm_pack(Q + t[i].offset, P + t[i].offset, t[i].shape[0], t[i].shape[1]);
        else if (strstr(t[i].name, ".bias_ih_l")) /* one bias for the packed step: b_ih + b_hh */
            for (size_t j = 0; j < t[i].numel; j++)
                Q[t[i].offset + j] = P[t[i].offset + j] + P[t[i + 1].offset + j];
    }
}

/* The packed SIMD path: generation with a packed copy. */
static int fast(const gv_rnn_ws *w) { return w->packed && !w->train; }

/* out[M,N] = x[M,K] W^T + b (W at offset wo, b at bo). */
static void lin(const gv_rnn_ws *w, const float *P, size_t wo, size_t bo, const float *x, int M, int K, int N,
                float *out)
{
    if (fast(w)) {
        gv_gemm_epi e = {.bias = P + bo};
        gv_gemm(w->isa, out, (size_t)N, x, (size_t)K, gv_gemm_packed(w->packed + wo, N, K), M, N, K, &e);
    } else {
        gv_linear_forward(out, x, P + wo, P + bo, M, K, N);
    }
}

/* An LSTM over T steps (c: [T,B,H] training; [B,H] enough on the fast path). */
static void lstm_fwd(const gv_rnn_ws *w, const float *P, const lstm_off *o, float *h, float *c, float *a,
                     const float *x, const float *h0, const float *c0, int T, int B, int In, int H, int rev)
{
    if (fast(w))
        gv_lstm_forward_packed(w->isa, h, c, a, x, h0, c0, w->packed + o->w_ih, w->packed + o->w_hh,
                               w->packed + o->b_ih, T, B, In, H, rev);
    else
        gv_lstm_forward(h, c, a, x, h0, c0, P + o->w_ih, P + o->w_hh, P + o->b_ih, P + o->b_hh, T, B, In, H, rev,
                        w->wpack);
}

static float *alloc(size_t n, int *bad)
{
    float *p = calloc(n ? n : 1, sizeof(float));
    if (!p)
        *bad = 1;
    return p;
}

gv_rnn_ws *gv_rnn_ws_new(const gv_rnn_config *c, int max_b)
{
    gv_rnn_ws *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    int bad = 0;
    size_t B = (size_t)(max_b < 1 ? 1 : max_b), T = (size_t)c->steps, E = (size_t)c->enc, Z = (size_t)c->latent,
           D = (size_t)c->dec, L = (size_t)c->dec_layers;
    w->max_b = (int)B, w->T = (int)T, w->S = c->hier ? c->steps / GV_RNN_BAR : 1, w->Ts = (int)T / w->S;
    w->Ez = emb_size(c), w->L = (int)L, w->D = (int)D, w->G0 = F + w->Ez;
    size_t S = (size_t)w->S, C = (size_t)(c->hier ? c->cond : 1), G0 = (size_t)w->G0;
    layout(c, &w->lay, NULL);
    w->xe = alloc(T * B * (size_t)c->input, &bad);
    w->hf = alloc(T * B * E, &bad), w->cf = alloc(T * B * E, &bad), w->af = alloc(T * B * 4 * E, &bad);
    w->hb = alloc(T * B * E, &bad), w->cb = alloc(T * B * E, &bad), w->ab = alloc(T * B * 4 * E, &bad);
    w->encf = alloc(B * 2 * E, &bad), w->dencf = alloc(B * 2 * E, &bad);
    w->mu = alloc(B * Z, &bad), w->lv = alloc(B * Z, &bad), w->z = alloc(B * Z, &bad), w->eps = alloc(B * Z, &bad);
    w->dmu = alloc(B * Z, &bad), w->dlv = alloc(B * Z, &bad), w->dz = alloc(B * Z, &bad);
    w->cinit = alloc(B * 2 * C, &bad), w->ch = alloc(S * B * C, &bad), w->cc = alloc(S * B * C, &bad);
    w->ca = alloc(S * B * 4 * C, &bad), w->czero = alloc(S * B, &bad);
    w->sinit = alloc(S * B * 2 * L * D, &bad), w->dinit = alloc(S * B * 2 * L * D, &bad);
    w->h0 = alloc(L * S * B * D, &bad), w->c0 = alloc(L * S * B * D, &bad);
    for (size_t l = 0; l < L; l++) {
        size_t g = l ? D : G0;
        w->in[l] = alloc(T * B * g, &bad);
        w->mask[l] = calloc(T * B * g, 1);
        bad |= !w->mask[l];
        w->h[l] = alloc(T * B * D, &bad), w->c[l] = alloc(T * B * D, &bad), w->a[l] = alloc(T * B * 4 * D, &bad);
    }
    w->logits = alloc(T * B * F, &bad), w->dlogits = alloc(T * B * F, &bad);
    size_t H = E > D ? E : D;
    H = H > C ? H : C;
    w->scratch = alloc(gv_lstm_scratch((int)T, (int)B, (int)H), &bad);
    w->wpack = alloc(4 * H * H, &bad);
    w->dh = alloc(T * B * H, &bad);
    w->dx = alloc(T * B * (G0 > D ? G0 : D), &bad);
    w->demb = alloc(S * B * (size_t)w->Ez, &bad);
    w->tmp = alloc(T * B * (G0 > 4 * H ? G0 : 4 * H), &bad);
    if (bad) {
        gv_rnn_ws_free(w);
        return NULL;
    }
    return w;
}

void gv_rnn_ws_free(gv_rnn_ws *w)
{
    if (!w)
        return;
    float *all[] = {w->xe, w->hf, w->cf, w->af, w->hb, w->cb, w->ab, w->encf, w->dencf, w->mu, w->lv, w->z,
                    w->eps, w->dmu, w->dlv, w->dz, w->cinit, w->ch, w->cc, w->ca, w->czero, w->sinit, w->dinit,
                    w->h0, w->c0, w->logits, w->dlogits, w->scratch, w->dh, w->dx, w->demb, w->tmp, w->wpack};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
    for (int l = 0; l < GV_RNN_MAX_LAYERS; l++) {
        free(w->in[l]);
        free(w->mask[l]);
        free(w->h[l]);
        free(w->c[l]);
        free(w->a[l]);
    }
    free(w);
}

/* ------------------------------------------------------------ forward */

static void tanh_inplace(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = tanhf(x[i]);
}

/* The encoder: xe (time-major, in ws) -> mu, lv. */
static void encode(const gv_rnn_config *c, const float *P, gv_rnn_ws *w, int B)
{
    const rnn_layout *Y = &w->lay;
    int T = w->T, E = c->enc, In = c->input;
    const lstm_off *f = &Y->enc_f, *b = &Y->enc_b;
    lstm_fwd(w, P, f, w->hf, w->cf, w->af, w->xe, NULL, NULL, T, B, In, E, 0);
    lstm_fwd(w, P, b, w->hb, w->cb, w->ab, w->xe, NULL, NULL, T, B, In, E, 1);
    for (int i = 0; i < B; i++) {
        memcpy(w->encf + (size_t)i * 2 * E, w->hf + ((size_t)(T - 1) * B + i) * E, (size_t)E * sizeof(float));
        memcpy(w->encf + (size_t)i * 2 * E + E, w->hb + (size_t)i * E, (size_t)E * sizeof(float));
    }
    lin(w, P, Y->mu_w, Y->mu_b, w->encf, B, 2 * E, c->latent, w->mu);
    lin(w, P, Y->lv_w, Y->lv_b, w->encf, B, 2 * E, c->latent, w->lv);
}

/* Segment embeddings e[S,B,Ez] from z (flat: z itself; hier: the conductor). */
static const float *embeddings(const gv_rnn_config *c, const float *P, gv_rnn_ws *w, int B)
{
    if (!c->hier)
        return w->z;
    const rnn_layout *Y = &w->lay;
    int C = c->cond;
    lin(w, P, Y->cinit_w, Y->cinit_b, w->z, B, c->latent, 2 * C, w->cinit);
    tanh_inplace(w->cinit, (size_t)B * 2 * C);
    /* h0 = cinit[:, :C], c0 = cinit[:, C:], gathered into tmp [B,C] x 2 */
    float *h0 = w->tmp, *c0 = w->tmp + (size_t)B * C;
    for (int i = 0; i < B; i++) {
        memcpy(h0 + (size_t)i * C, w->cinit + (size_t)i * 2 * C, (size_t)C * sizeof(float));
        memcpy(c0 + (size_t)i * C, w->cinit + (size_t)i * 2 * C + C, (size_t)C * sizeof(float));
    }
    const lstm_off *o = &Y->cond;
    lstm_fwd(w, P, o, w->ch, w->cc, w->ca, w->czero, h0, c0, w->S, B, 1, C, 0);
    return w->ch;
}

/* Each segment's initial states: sinit = tanh(init(e_k)); h0/c0 [L][S][B][D]. */
static void segment_init(const gv_rnn_config *c, const float *P, gv_rnn_ws *w, const float *e, int B)
{
    int S = w->S, L = w->L, D = w->D, W = 2 * L * D;
    lin(w, P, w->lay.init_w, w->lay.init_b, e, S * B, w->Ez, W, w->sinit);
    tanh_inplace(w->sinit, (size_t)S * B * W);
    for (int k = 0; k < S; k++)
        for (int i = 0; i < B; i++)
            for (int l = 0; l < L; l++) {
                const float *src = w->sinit + ((size_t)k * B + i) * W + (size_t)l * 2 * D;
                size_t dst = (((size_t)l * S + k) * B + i) * D;
                memcpy(w->h0 + dst, src, (size_t)D * sizeof(float));
                memcpy(w->c0 + dst, src + D, (size_t)D * sizeof(float));
            }
    (void)c;
}

/* Layer l's input after dropout (training with c->dropout > 0). */
static void dropout_in(const gv_rnn_config *c, gv_rnn_ws *w, int l, const float *src, size_t n, gv_rng *r)
{
    if (!w->train || c->dropout <= 0.f) {
        if (w->in[l] != src)
            memcpy(w->in[l], src, n * sizeof(float));
        return;
    }
    float s = 1.f / (1.f - c->dropout);
    for (size_t i = 0; i < n; i++) {
        w->mask[l][i] = gv_rng_uniform(r) >= c->dropout;
        w->in[l][i] = w->mask[l][i] ? src[i] * s : 0.f;
    }
}

/* The decoder layers over all segments from in[0] (filled by the caller). */
static void decode_layers(const gv_rnn_config *c, const float *P, gv_rnn_ws *w, int B, gv_rng *r)
{
    int T = w->T, S = w->S, Ts = w->Ts, D = w->D;
    for (int l = 0; l < w->L; l++) {
        int g = l ? D : w->G0;
        if (l)
            dropout_in(c, w, l, w->h[l - 1], (size_t)T * B * D, r);
        const lstm_off *o = &w->lay.dec[l];
        for (int k = 0; k < S; k++) {
            size_t t0 = (size_t)k * Ts * B, s0 = (((size_t)l * S + k) * B) * D;
            gv_lstm_forward(w->h[l] + t0 * D, w->c[l] + t0 * D, w->a[l] + t0 * 4 * D, w->in[l] + t0 * g,
                            w->h0 + s0, w->c0 + s0, P + o->w_ih, P + o->w_hh, P + o->b_ih, P + o->b_hh, Ts, B, g,
                            D, 0, w->wpack);
        }
    }
}

/* x[B,T,n] -> xt[T,B,n] */
static void to_time_major(float *xt, const float *x, int B, int T, int n)
{
    for (int i = 0; i < B; i++)
        for (int t = 0; t < T; t++)
            memcpy(xt + ((size_t)t * B + i) * n, x + ((size_t)i * T + t) * n, (size_t)n * sizeof(float));
}

static void to_batch_major(float *x, const float *xt, int B, int T, int n)
{
    for (int i = 0; i < B; i++)
        for (int t = 0; t < T; t++)
            memcpy(x + ((size_t)i * T + t) * n, xt + ((size_t)t * B + i) * n, (size_t)n * sizeof(float));
}

void gv_rnn_forward(const gv_rnn_config *c, const float *P, gv_rnn_ws *w, const float *x, const float *y,
                    const float *eps, int B, int train, uint64_t seed, float *logits, float *mu, float *logvar)
{
    int T = w->T, Z = c->latent, Ez = w->Ez, G0 = w->G0, Ts = w->Ts;
    w->train = train, w->B = B;
    to_time_major(w->xe, x, B, T, c->input);
    encode(c, P, w, B);
    memcpy(w->eps, eps, (size_t)B * Z * sizeof(float));
    for (size_t i = 0; i < (size_t)B * Z; i++)
        w->z[i] = w->mu[i] + expf(0.5f * w->lv[i]) * eps[i];
    const float *e = embeddings(c, P, w, B);
    segment_init(c, P, w, e, B);
    /* Layer 0's input [y_{t-1} | e_k(t)], built in tmp, then dropped out into in[0]. */
    float *x0 = w->tmp;
    for (int t = 0; t < T; t++)
        for (int i = 0; i < B; i++) {
            float *d = x0 + ((size_t)t * B + i) * G0;
            if (t)
                memcpy(d, y + ((size_t)i * T + t - 1) * F, F * sizeof(float));
            else
                memset(d, 0, F * sizeof(float));
            memcpy(d + F, e + ((size_t)(t / Ts) * (c->hier ? B : 0) + i) * Ez, (size_t)Ez * sizeof(float));
        }
    gv_rng r;
    gv_rng_seed(&r, seed);
    dropout_in(c, w, 0, x0, (size_t)T * B * G0, &r);
    decode_layers(c, P, w, B, &r);
    gv_linear_forward(w->logits, w->h[w->L - 1], P + w->lay.out_w, P + w->lay.out_b, T * B, w->D, F);
    if (logits)
        to_batch_major(logits, w->logits, B, T, F);
    if (mu)
        memcpy(mu, w->mu, (size_t)B * Z * sizeof(float));
    if (logvar)
        memcpy(logvar, w->lv, (size_t)B * Z * sizeof(float));
}

/* ------------------------------------------------------------ loss */

static float sigm(float x) { return 1.f / (1.f + expf(-x)); }

void gv_rnn_loss(const gv_rnn_config *c, gv_rnn_ws *w, const float *y, int B, gv_rnn_loss_parts *p)
{
    int T = w->T, Z = c->latent;
    double lh = 0, lv = 0, lo = 0, kl = 0, klt = 0;
    float inv = 1.f / (float)B;
    for (int t = 0; t < T; t++)
        for (int i = 0; i < B; i++) {
            const float *x = w->logits + ((size_t)t * B + i) * F, *tg = y + ((size_t)i * T + t) * F;
            float *d = w->dlogits + ((size_t)t * B + i) * F;
            for (int v = 0; v < 9; v++) {
                float h = x[v], q = sigm(h);
                lh += fmaxf(h, 0.f) - h * tg[v] + log1pf(expf(-fabsf(h)));
                d[v] = (q - tg[v]) * inv;
                float s = sigm(x[9 + v]), ev = s - tg[9 + v];
                lv += ev * ev;
                d[9 + v] = 2.f * ev * s * (1.f - s) * inv;
                float th = tanhf(x[18 + v]), eo = 0.5f * th - tg[18 + v];
                lo += eo * eo;
                d[18 + v] = 2.f * eo * 0.5f * (1.f - th * th) * inv;
            }
        }
    double free_nats = c->free_bits * log(2.0);
    for (int i = 0; i < B; i++) {
        double k = 0;
        for (int j = 0; j < Z; j++) {
            size_t q = (size_t)i * Z + j;
            k += -0.5 * (1.0 + w->lv[q] - (double)w->mu[q] * w->mu[q] - exp(w->lv[q]));
        }
        kl += k;
        int active = k > free_nats;
        klt += active ? k - free_nats : 0.0;
        for (int j = 0; j < Z; j++) {
            size_t q = (size_t)i * Z + j;
            w->dmu[q] = active ? c->beta * w->mu[q] * inv : 0.f;
            w->dlv[q] = active ? c->beta * 0.5f * (expf(w->lv[q]) - 1.f) * inv : 0.f;
        }
    }
    p->hits = lh / B, p->vel = lv / B, p->off = lo / B, p->kl = kl / B;
    p->total = p->hits + p->vel + p->off + c->beta * klt / B;
}

/* ------------------------------------------------------------ backward */

/* d(tanh) in place: g *= 1 - y^2 */
static void dtanh(float *g, const float *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g[i] *= 1.f - y[i] * y[i];
}

/* Back through the decoder layers: from dh of the top layer's output (in
 * w->dh) to demb (the embedding part of layer 0's input), dinit, and the
 * weight gradients. */
static void decode_layers_back(const gv_rnn_config *c, const float *P, float *G, gv_rnn_ws *w, int B)
{
    int T = w->T, S = w->S, Ts = w->Ts, D = w->D, L = w->L, W = 2 * L * D;
    memset(w->dinit, 0, (size_t)S * B * W * sizeof(float));
    for (int l = L - 1; l >= 0; l--) {
        int g = l ? D : w->G0;
        const lstm_off *o = &w->lay.dec[l];
        memset(w->dx, 0, (size_t)T * B * g * sizeof(float));
        for (int k = 0; k < S; k++) {
            size_t t0 = (size_t)k * Ts * B, s0 = (((size_t)l * S + k) * B) * D;
            float *dh0 = w->tmp, *dc0 = w->tmp + (size_t)B * D;
            memset(w->tmp, 0, (size_t)2 * B * D * sizeof(float));
            gv_lstm_backward(w->dx + t0 * g, dh0, dc0, G + o->w_ih, G + o->w_hh, G + o->b_ih, G + o->b_hh,
                             w->dh + t0 * D, NULL, w->scratch, w->in[l] + t0 * g, w->h0 + s0, w->c0 + s0,
                             w->h[l] + t0 * D, w->c[l] + t0 * D, w->a[l] + t0 * 4 * D, P + o->w_ih, P + o->w_hh,
                             Ts, B, g, D, 0, w->wpack);
            for (int i = 0; i < B; i++) {
                float *di = w->dinit + ((size_t)k * B + i) * W + (size_t)l * 2 * D;
                for (int j = 0; j < D; j++) {
                    di[j] += dh0[(size_t)i * D + j];
                    di[D + j] += dc0[(size_t)i * D + j];
                }
            }
        }
        /* through this layer's input dropout */
        if (w->train && c->dropout > 0.f) {
            float s = 1.f / (1.f - c->dropout);
            for (size_t i = 0; i < (size_t)T * B * g; i++)
                w->dx[i] = w->mask[l][i] ? w->dx[i] * s : 0.f;
        }
        if (l)
            memcpy(w->dh, w->dx, (size_t)T * B * D * sizeof(float));
    }
    /* layer 0's input: [y_{t-1} | e_k]: the e part sums into demb */
    memset(w->demb, 0, (size_t)S * B * w->Ez * sizeof(float));
    for (int t = 0; t < T; t++)
        for (int i = 0; i < B; i++) {
            float *de = w->demb + ((size_t)(t / Ts) * B + i) * w->Ez;
            const float *dx = w->dx + ((size_t)t * B + i) * w->G0 + F;
            for (int j = 0; j < w->Ez; j++)
                de[j] += dx[j];
        }
}

/* From demb and dinit to dz (hier: through the conductor). */
static void embeddings_back(const gv_rnn_config *c, const float *P, float *G, gv_rnn_ws *w, int B)
{
    int S = w->S, W = 2 * w->L * w->D, Z = c->latent;
    const rnn_layout *Y = &w->lay;
    const float *e = c->hier ? w->ch : w->z;
    dtanh(w->dinit, w->sinit, (size_t)S * B * W);
    gv_linear_backward(w->demb, G + Y->init_w, G + Y->init_b, w->dinit, e, P + Y->init_w, S * B, w->Ez, W);
    if (!c->hier) {
        for (size_t i = 0; i < (size_t)B * Z; i++)
            w->dz[i] += w->demb[i];
        return;
    }
    int C = c->cond;
    float *h0 = w->tmp, *c0 = h0 + (size_t)B * C, *dh0 = c0 + (size_t)B * C, *dc0 = dh0 + (size_t)B * C;
    for (int i = 0; i < B; i++) {
        memcpy(h0 + (size_t)i * C, w->cinit + (size_t)i * 2 * C, (size_t)C * sizeof(float));
        memcpy(c0 + (size_t)i * C, w->cinit + (size_t)i * 2 * C + C, (size_t)C * sizeof(float));
    }
    memset(dh0, 0, (size_t)2 * B * C * sizeof(float));
    const lstm_off *o = &Y->cond;
    gv_lstm_backward(NULL, dh0, dc0, G + o->w_ih, G + o->w_hh, G + o->b_ih, G + o->b_hh, w->demb, NULL,
                     w->scratch, w->czero, h0, c0, w->ch, w->cc, w->ca, P + o->w_ih, P + o->w_hh, S, B, 1, C, 0,
                     w->wpack);
    float *dci = dc0 + (size_t)B * C; /* [B,2C] */
    for (int i = 0; i < B; i++)
        for (int j = 0; j < C; j++) {
            dci[(size_t)i * 2 * C + j] = dh0[(size_t)i * C + j];
            dci[(size_t)i * 2 * C + C + j] = dc0[(size_t)i * C + j];
        }
    dtanh(dci, w->cinit, (size_t)B * 2 * C);
    gv_linear_backward(w->dz, G + Y->cinit_w, G + Y->cinit_b, dci, w->z, P + Y->cinit_w, B, Z, 2 * C);
}

static void encode_back(const gv_rnn_config *c, const float *P, float *G, gv_rnn_ws *w, int B)
{
    const rnn_layout *Y = &w->lay;
    int T = w->T, E = c->enc, Z = c->latent, In = c->input;
    for (size_t i = 0; i < (size_t)B * Z; i++) {
        w->dmu[i] += w->dz[i];
        w->dlv[i] += w->dz[i] * w->eps[i] * 0.5f * expf(0.5f * w->lv[i]);
    }
    memset(w->dencf, 0, (size_t)B * 2 * E * sizeof(float));
    gv_linear_backward(w->dencf, G + Y->mu_w, G + Y->mu_b, w->dmu, w->encf, P + Y->mu_w, B, 2 * E, Z);
    gv_linear_backward(w->dencf, G + Y->lv_w, G + Y->lv_b, w->dlv, w->encf, P + Y->lv_w, B, 2 * E, Z);
    const lstm_off *o[2] = {&Y->enc_f, &Y->enc_b};
    const float *h[2] = {w->hf, w->hb}, *cs[2] = {w->cf, w->cb}, *a[2] = {w->af, w->ab};
    for (int dir = 0; dir < 2; dir++) {
        memset(w->dh, 0, (size_t)T * B * E * sizeof(float));
        int t = dir ? 0 : T - 1; /* where each direction's final state sits */
        for (int i = 0; i < B; i++)
            memcpy(w->dh + ((size_t)t * B + i) * E, w->dencf + (size_t)i * 2 * E + (size_t)dir * E,
                   (size_t)E * sizeof(float));
        gv_lstm_backward(NULL, NULL, NULL, G + o[dir]->w_ih, G + o[dir]->w_hh, G + o[dir]->b_ih, G + o[dir]->b_hh,
                         w->dh, NULL, w->scratch, w->xe, NULL, NULL, h[dir], cs[dir], a[dir], P + o[dir]->w_ih,
                         P + o[dir]->w_hh, T, B, In, E, dir, w->wpack);
    }
}

void gv_rnn_backward(const gv_rnn_config *c, const float *P, float *G, gv_rnn_ws *w, int B)
{
    int T = w->T, D = w->D;
    memset(w->dh, 0, (size_t)T * B * D * sizeof(float));
    gv_linear_backward(w->dh, G + w->lay.out_w, G + w->lay.out_b, w->dlogits, w->h[w->L - 1], P + w->lay.out_w,
                       T * B, D, F);
    memset(w->dz, 0, (size_t)B * c->latent * sizeof(float));
    decode_layers_back(c, P, G, w, B);
    embeddings_back(c, P, G, w, B);
    encode_back(c, P, G, w, B);
}

/* ------------------------------------------------------------ generation */

void gv_rnn_encode(const gv_rnn_config *c, const float *P, gv_rnn_ws *w, const float *x, int B, float *mu,
                   float *logvar)
{
    w->train = 0;
    to_time_major(w->xe, x, B, w->T, c->input);
    encode(c, P, w, B);
    memcpy(mu, w->mu, (size_t)B * c->latent * sizeof(float));
    if (logvar)
        memcpy(logvar, w->lv, (size_t)B * c->latent * sizeof(float));
}

/* Step t's output: logits lg[n,F] -> the written step y[n,F] (and probs);
 * u[n,T,9] (or NULL) the Bernoulli draws. */
static void choose(const float *lg, int n, const float *thr, const float *u, int T, int t, float *y, float *pr)
{
    for (int i = 0; i < n; i++)
        for (int v = 0; v < 9; v++) {
            const float *x = lg + (size_t)i * F;
            float p = sigm(x[v]), vel = sigm(x[9 + v]), off = 0.5f * tanhf(x[18 + v]);
            int hit = u ? u[((size_t)i * T + t) * 9 + v] < p : p >= (thr ? thr[v] : 0.5f);
            float *o = y + (size_t)i * F;
            o[v] = (float)hit;
            o[9 + v] = hit ? vel : 0.f;
            o[18 + v] = hit ? off : 0.f;
            if (pr) {
                pr[(size_t)i * F + v] = p;
                pr[(size_t)i * F + 9 + v] = vel;
                pr[(size_t)i * F + 18 + v] = off;
            }
        }
}

void gv_rnn_decode(const gv_rnn_config *c, const float *P, gv_rnn_ws *w, const float *z, int n, const float *thr,
                   const float *u, float *out, float *probs)
{
    int T = w->T, Ts = w->Ts, D = w->D, L = w->L, G0 = w->G0, Ez = w->Ez, S = w->S;
    w->train = 0, w->B = n;
    memcpy(w->z, z, (size_t)n * c->latent * sizeof(float));
    const float *e = embeddings(c, P, w, n);
    segment_init(c, P, w, e, n);
    /* one step at a time: state of layer l in h[l]/c[l] rows [n,D] (slot 0/1 ping-pong) */
    float *x0 = w->in[0], *lg = w->logits, *yprev = w->dlogits, *a = w->tmp;
    memset(yprev, 0, (size_t)n * F * sizeof(float));
    for (int t = 0; t < T; t++) {
        int k = t / Ts, first = t % Ts == 0;
        for (int i = 0; i < n; i++) {
            float *d = x0 + (size_t)i * G0;
            memcpy(d, yprev + (size_t)i * F, F * sizeof(float));
            memcpy(d + F, e + ((size_t)(c->hier ? k : 0) * n + i) * Ez, (size_t)Ez * sizeof(float));
        }
        const float *inp = x0;
        for (int l = 0; l < L; l++) {
            const lstm_off *o = &w->lay.dec[l];
            size_t s0 = (((size_t)l * S + k) * n) * D;
            float *hp = first ? w->h0 + s0 : w->h[l] + (size_t)((t - 1) & 1) * n * D;
            float *cp = first ? w->c0 + s0 : w->c[l];
            float *hn = w->h[l] + (size_t)(t & 1) * n * D;
            if (fast(w))
                gv_lstm_step_packed(w->isa, hn, w->c[l], a, inp, hp, cp, w->packed + o->w_ih, w->packed + o->w_hh,
                                    w->packed + o->b_ih, n, l ? D : G0, D);
            else
                gv_lstm_step(hn, w->c[l], a, inp, hp, cp, P + o->w_ih, P + o->w_hh, P + o->b_ih, P + o->b_hh, n,
                             l ? D : G0, D);
            inp = hn;
        }
        lin(w, P, w->lay.out_w, w->lay.out_b, inp, n, D, F, lg);
        choose(lg, n, thr, u, T, t, yprev, probs ? w->dx : NULL);
        for (int i = 0; i < n; i++) {
            memcpy(out + ((size_t)i * T + t) * F, yprev + (size_t)i * F, F * sizeof(float));
            if (probs)
                memcpy(probs + ((size_t)i * T + t) * F, w->dx + (size_t)i * F, F * sizeof(float));
        }
    }
}

/* lstm.c - LSTM layer forward/backward on OpenBLAS sgemm (see lstm.h). */
#include "kernels/lstm.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* a[B,4H] holds the pre-activations; activates them in place and writes the
 * new state.  cp NULL: zeros.  The fused SIMD kernel of gemm.h: the gate
 * math was a third of a training step in libm's expf and tanhf. */
static void gates(float *a, float *h, float *c, const float *cp, int B, int H)
{
    gv_lstm_gates(gv_isa_best(), a, h, c, cp, B, H);
}

/* a[B,4H] = x w_ih^T + b_ih + b_hh (+ hp w_hh^T when hp). */
static void preact(float *a, const float *x, const float *hp, const float *w_ih, const float *w_hh,
                   const float *b_ih, const float *b_hh, int B, int In, int H)
{
    for (int b = 0; b < B; b++)
        for (int k = 0; k < 4 * H; k++)
            a[(size_t)b * 4 * H + k] = (b_ih ? b_ih[k] : 0.f) + (b_hh ? b_hh[k] : 0.f);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, 4 * H, In, 1.f, x, In, w_ih, In, 1.f, a, 4 * H);
    if (hp)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, 4 * H, H, 1.f, hp, H, w_hh, H, 1.f, a, 4 * H);
}

void gv_lstm_step(float *h, float *c, float *a, const float *x, const float *hp, const float *cp,
                  const float *w_ih, const float *w_hh, const float *b_ih, const float *b_hh, int B, int In,
                  int H)
{
    preact(a, x, hp, w_ih, w_hh, b_ih, b_hh, B, In, H);
    gates(a, h, c, cp, B, H);
}

/* a[B,4H] += hp w_hh^T: on w_hh packed into wpack (gemm.h) when given, else OpenBLAS. */
static void recur_acc(gv_isa isa, float *a, const float *hp, const float *w_hh, const float *wpack, int B, int H)
{
    if (wpack) {
        gv_gemm_epi e = {.res = a, .ldr = (size_t)4 * H};
        gv_gemm(isa, a, (size_t)4 * H, hp, (size_t)H, gv_gemm_packed(wpack, 4 * H, H), B, 4 * H, H, &e);
    } else {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, 4 * H, H, 1.f, hp, H, w_hh, H, 1.f, a, 4 * H);
    }
}

void gv_lstm_forward(float *h, float *c, float *act, const float *x, const float *h0, const float *c0,
                     const float *w_ih, const float *w_hh, const float *b_ih, const float *b_hh,
                     int T, int B, int In, int H, int reverse, float *wpack)
{
    gv_isa isa = gv_isa_best();
    if (isa == GV_ISA_C)
        wpack = NULL;
    if (wpack) /* once per call: OpenBLAS would pack w_hh at every step */
        gv_gemm_pack(wpack, w_hh, 4 * H, H);
    size_t sa = (size_t)B * 4 * H, sh = (size_t)B * H;
    /* The input projection of every step at once: act = x w_ih^T + biases. */
    for (int r = 0; r < T * B; r++)
        for (int k = 0; k < 4 * H; k++)
            act[(size_t)r * 4 * H + k] = (b_ih ? b_ih[k] : 0.f) + (b_hh ? b_hh[k] : 0.f);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, T * B, 4 * H, In, 1.f, x, In, w_ih, In, 1.f, act, 4 * H);
    for (int s = 0; s < T; s++) {
        int t = reverse ? T - 1 - s : s, tp = reverse ? t + 1 : t - 1;
        const float *hp = s ? h + (size_t)tp * sh : h0, *cp = s ? c + (size_t)tp * sh : c0;
        float *a = act + (size_t)t * sa;
        if (hp)
            recur_acc(isa, a, hp, w_hh, wpack, B, H);
        gates(a, h + (size_t)t * sh, c + (size_t)t * sh, cp, B, H);
    }
}

size_t gv_lstm_scratch(int T, int B, int H) { return (size_t)T * B * 4 * H + 2 * (size_t)B * H + (size_t)4 * H * H; }

/* One step back: from the running dh (output + recurrent) and dc, the gate
 * gradients da[B,4H] (pre-activation) and dc for the step before. */
static void gates_back(float *da, float *dc, const float *dh, const float *a, const float *c,
                       const float *cp, int B, int H)
{
    gv_lstm_gates_back(gv_isa_best(), da, dc, dh, a, c, cp, B, H);
}

void gv_lstm_backward(float *dx, float *dh0, float *dc0, float *dw_ih, float *dw_hh, float *db_ih,
                      float *db_hh, const float *dh, const float *dcT, float *scratch, const float *x,
                      const float *h0, const float *c0, const float *h, const float *c, const float *act,
                      const float *w_ih, const float *w_hh, int T, int B, int In, int H, int reverse, float *wpack)
{
    size_t sa = (size_t)B * 4 * H, sh = (size_t)B * H;
    float *da = scratch, *dhr = scratch + (size_t)T * sa, *dcr = dhr + sh, *wt = dcr + sh;
    gv_isa isa = gv_isa_best();
    /* dh_{t-1} = da_t w_hh at every step: w_hh^T [H,4H] packed once for
     * gemm's panels (the rows view re-reads w_hh's rows at every tile) */
    if (isa != GV_ISA_C && wpack) {
        gv_transpose(isa, wt, (size_t)4 * H, w_hh, (size_t)H, 4 * H, H);
        gv_gemm_pack(wpack, wt, H, 4 * H);
    }
    memset(dhr, 0, sh * sizeof *dhr); /* the recurrent gradient on h */
    if (dcT)
        memcpy(dcr, dcT, sh * sizeof *dcr);
    else
        memset(dcr, 0, sh * sizeof *dcr);
    for (int s = T - 1; s >= 0; s--) {
        int t = reverse ? T - 1 - s : s, tp = reverse ? t + 1 : t - 1;
        const float *cp = s ? c + (size_t)tp * sh : c0;
        for (size_t j = 0; j < sh; j++)
            dhr[j] += dh[(size_t)t * sh + j];
        gates_back(da + (size_t)t * sa, dcr, dhr, act + (size_t)t * sa, c + (size_t)t * sh, cp, B, H);
        /* dh_{t-1} = da_t w_hh (recurrent, needed before the next step back);
         * w_hh [4H,H] is already the row-major right operand gv_gemm reads */
        if (isa != GV_ISA_C)
            gv_gemm(isa, dhr, (size_t)H, da + (size_t)t * sa, (size_t)4 * H,
                    wpack ? gv_gemm_packed(wpack, H, 4 * H) : gv_gemm_rows(w_hh, (size_t)H), B, H, 4 * H, NULL);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, 4 * H, 1.f, da + (size_t)t * sa, 4 * H,
                        w_hh, H, 0.f, dhr, H);
        (void)tp;
    }
    /* dW_hh = sum_t da_t^T h_{t-1}: the steps with a previous step in one
     * GEMM (their h_{t-1} are contiguous), the first against h0 */
    if (dw_hh && T > 1) {
        const float *dar = da + (reverse ? 0 : sa), *hpr = h + (reverse ? sh : 0);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, 4 * H, H, (T - 1) * B, 1.f, dar, 4 * H, hpr, H, 1.f,
                    dw_hh, H);
    }
    if (dw_hh && h0)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, 4 * H, H, B, 1.f, da + (size_t)(reverse ? T - 1 : 0) * sa,
                    4 * H, h0, H, 1.f, dw_hh, H);
    if (dh0)
        for (size_t j = 0; j < sh; j++)
            dh0[j] += dhr[j];
    if (dc0)
        for (size_t j = 0; j < sh; j++)
            dc0[j] += dcr[j];
    /* The input side of every step at once. */
    if (dx)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, T * B, In, 4 * H, 1.f, da, 4 * H, w_ih, In, 1.f,
                    dx, In);
    if (dw_ih)
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, 4 * H, In, T * B, 1.f, da, 4 * H, x, In, 1.f, dw_ih,
                    In);
    for (int r = 0; r < T * B; r++)
        for (int k = 0; k < 4 * H; k++) {
            float g = da[(size_t)r * 4 * H + k];
            if (db_ih)
                db_ih[k] += g;
            if (db_hh)
                db_hh[k] += g;
        }
}

/* ---- inference on packed weights ---- */

/* a[M,4H] = x wp_ih + bias (+ a when acc) */
static void proj(gv_isa isa, float *a, const float *x, int M, int In, const float *wp, int G, const float *bias)
{
    gv_gemm_epi e = {.bias = bias};
    gv_gemm(isa, a, (size_t)G, x, (size_t)In, gv_gemm_packed(wp, G, In), M, G, In, &e);
}

/* a[B,4H] += hp wp_hh */
static void recur(gv_isa isa, float *a, const float *hp, int B, int H, const float *wp)
{
    gv_gemm_epi e = {.res = a, .ldr = (size_t)4 * H};
    gv_gemm(isa, a, (size_t)4 * H, hp, (size_t)H, gv_gemm_packed(wp, 4 * H, H), B, 4 * H, H, &e);
}

void gv_lstm_step_packed(gv_isa isa, float *h, float *c, float *a, const float *x, const float *hp, const float *cp,
                         const float *wp_ih, const float *wp_hh, const float *bias, int B, int In, int H)
{
    proj(isa, a, x, B, In, wp_ih, 4 * H, bias);
    if (hp)
        recur(isa, a, hp, B, H, wp_hh);
    gates(a, h, c, cp, B, H);
}

void gv_lstm_forward_packed(gv_isa isa, float *h, float *c, float *a, const float *x, const float *h0,
                            const float *c0, const float *wp_ih, const float *wp_hh, const float *bias, int T, int B,
                            int In, int H, int reverse)
{
    size_t sa = (size_t)B * 4 * H, sh = (size_t)B * H;
    proj(isa, a, x, T * B, In, wp_ih, 4 * H, bias);
    if (c0)
        memcpy(c, c0, sh * sizeof *c);
    for (int s = 0; s < T; s++) {
        int t = reverse ? T - 1 - s : s, tp = reverse ? t + 1 : t - 1;
        const float *hp = s ? h + (size_t)tp * sh : h0;
        if (hp)
            recur(isa, a + (size_t)t * sa, hp, B, H, wp_hh);
        gates(a + (size_t)t * sa, h + (size_t)t * sh, c, s || c0 ? c : NULL, B, H);
    }
}

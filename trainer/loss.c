#include "trainer/loss.h"

#include <math.h>
#include <string.h>

#define CELLS (32 * 9)

void gv_loss_opts_default(gv_loss_opts *o)
{
    o->hit = GV_LOSS_BCE;
    o->hit_penalty = 0.5f;
    o->vel = GV_LOSS_MSE;
    o->off = GV_LOSS_MSE;
    o->off_sigmoid = 0;
    o->vo_empty = 0.0f;
}

static const char *const names[] = {"bce", "dice", "mse"};

int gv_loss_parse(const char *s, int *out)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) {
            *out = i;
            return 0;
        }
    return -1;
}

const char *gv_loss_name(int loss) { return loss >= 0 && loss < 3 ? names[loss] : "?"; }

static double sigm(double x) { return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x)); }

/* BCE with logits, stable; *g receives d/dx. */
static double bce(double x, double t, double *g)
{
    *g = sigm(x) - t;
    return (x > 0 ? x : 0) - x * t + log1p(exp(-fabs(x)));
}

void gv_loss_norm_of(const gv_loss_opts *o, const float *tgt, int B, gv_loss_norm *n)
{
    double wsum = 0;
    for (size_t c = 0; c < (size_t)B * 32 * 27; c++)
        if (c % 27 < 9)
            wsum += tgt[c] > 0.5f ? 1.0 : o->vo_empty;
    n->B = B;
    n->wsum = wsum;
}

void gv_recon_loss(const gv_loss_opts *o, const float *logits, const float *tgt, int B, float *dlogits,
                   gv_loss_parts *p)
{
    gv_loss_norm n;
    gv_loss_norm_of(o, tgt, B, &n);
    gv_recon_loss_part(o, logits, tgt, B, &n, dlogits, p);
}

void gv_recon_loss_part(const gv_loss_opts *o, const float *logits, const float *tgt, int B,
                        const gv_loss_norm *nm, float *dlogits, gv_loss_parts *p)
{
    const double inv = 1.0 / ((double)nm->B * CELLS);
    double lh = 0, lv = 0, lo = 0;
    const double ko = o->off_sigmoid ? 1.0 : 2.0; /* offset+1/2 = sigmoid(ko*x) */
    const double vinv = nm->wsum > 0 ? 1.0 / nm->wsum : 0.0;
    const int NB = nm->B;
    for (int b = 0; b < B; b++) {
        double spt = 0, sp = 0, st = 0;
        for (int c = 0; c < 32 * 27; c++) {
            if (c % 27 >= 9)
                continue;
            size_t i = (size_t)b * 32 * 27 + (size_t)c;
            double x = logits[i], t = tgt[i], g;
            if (o->hit == GV_LOSS_DICE) {
                double s = sigm(x);
                spt += s * t;
                sp += s;
                st += t;
                continue;
            }
            double w = t > 0.5 ? 1.0 : o->hit_penalty;
            lh += w * bce(x, t, &g);
            if (dlogits)
                dlogits[i] = (float)(w * g * inv);
        }
        if (o->hit == GV_LOSS_DICE) {
            double num = 2 * spt + 1, den = sp + st + 1;
            lh += (1.0 - num / den) / NB;
            if (dlogits)
                for (int c = 0; c < 32 * 27; c++) {
                    if (c % 27 >= 9)
                        continue;
                    size_t i = (size_t)b * 32 * 27 + (size_t)c;
                    double s = sigm(logits[i]), t = tgt[i];
                    double dD = (2 * t * den - num) / (den * den);
                    dlogits[i] = (float)(-dD * s * (1 - s) / NB);
                }
        }
        for (int c = 0; c < 32 * 27; c++) {
            int k = (c % 27) / 9;
            if (k == 0)
                continue;
            size_t i = (size_t)b * 32 * 27 + (size_t)c;
            double w = tgt[i - (size_t)k * 9] > 0.5 ? 1.0 : o->vo_empty;
            double x = logits[i], t = tgt[i], l, g;
            if (k == 1 && o->vel == GV_LOSS_BCE) {
                l = bce(x, t, &g);
            } else if (k == 1) {
                double s = sigm(x);
                l = (s - t) * (s - t);
                g = 2 * (s - t) * s * (1 - s);
            } else if (o->off == GV_LOSS_BCE) {
                l = bce(ko * x, t + 0.5, &g);
                g *= ko;
            } else if (o->off_sigmoid) {
                double s = sigm(x), a = s - 0.5;
                l = (a - t) * (a - t);
                g = 2 * (a - t) * s * (1 - s);
            } else {
                double th = tanh(x), a = 0.5 * th;
                l = (a - t) * (a - t);
                g = 2 * (a - t) * 0.5 * (1 - th * th);
            }
            if (k == 1)
                lv += w * l;
            else
                lo += w * l;
            if (dlogits)
                dlogits[i] = (float)(w * g * vinv);
        }
    }
    p->hit = o->hit == GV_LOSS_DICE ? lh : lh * inv;
    p->vel = lv * vinv;
    p->off = lo * vinv;
    p->total = p->hit + p->vel + p->off;
}

void gv_kl_loss(const float *mu, const float *logvar, int B, int L, float beta, float free_bits, float *dmu,
                float *dlogvar, gv_loss_parts *p)
{
    gv_kl_loss_part(mu, logvar, B, B, L, beta, free_bits, dmu, dlogvar, p);
}

void gv_kl_loss_part(const float *mu, const float *logvar, int B, int NB, int L, float beta, float free_bits,
                     float *dmu, float *dlogvar, gv_loss_parts *p)
{
    double kl = 0, term = 0;
    for (int b = 0; b < B; b++) {
        const float *m = mu + (size_t)b * L, *lv = logvar + (size_t)b * L;
        double k = 0;
        for (int d = 0; d < L; d++)
            k += -0.5 * (1.0 + lv[d] - (double)m[d] * m[d] - exp(lv[d]));
        kl += k;
        int active = k > free_bits;
        if (active)
            term += k - free_bits;
        if (dmu)
            for (int d = 0; d < L; d++)
                dmu[(size_t)b * L + d] = active ? (float)(beta * m[d] / NB) : 0.f;
        if (dlogvar)
            for (int d = 0; d < L; d++)
                dlogvar[(size_t)b * L + d] = active ? (float)(beta * 0.5 * (exp(lv[d]) - 1.0) / NB) : 0.f;
    }
    p->kl = kl / NB;
    p->kl_term = beta * term / NB;
    p->total += p->kl_term;
}

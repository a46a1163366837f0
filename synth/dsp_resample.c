/* dsp_resample.c - see dsp_resample.h. */
#include "synth/dsp_resample.h"

#include <math.h>
#include <stdlib.h>

#define PI 3.14159265358979323846
/* SINC_ZC zero crossings each side, SINC_RES table points per crossing. */
#define SINC_ZC 16
#define SINC_RES 256

struct gv_resampler {
    double from, to;
    float tab[SINC_ZC * SINC_RES + 2]; /* the windowed sinc at u = i / SINC_RES crossings */
};

int gv_resampler_create(gv_resampler **r, gv_err *e)
{
    gv_resampler *s = malloc(sizeof *s);
    *r = s;
    if (!s)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    s->from = s->to = 1.0;
    for (int i = 0; i <= SINC_ZC * SINC_RES + 1; i++) {
        double u = (double)i / SINC_RES; /* in zero crossings */
        double w = u < SINC_ZC ? 0.42 + 0.5 * cos(PI * u / SINC_ZC) + 0.08 * cos(2 * PI * u / SINC_ZC) : 0;
        s->tab[i] = (float)((u == 0 ? 1.0 : sin(PI * u) / (PI * u)) * w);
    }
    return 0;
}

void gv_resampler_init(gv_resampler *r, double from, double to)
{
    r->from = from;
    r->to = to;
}

int64_t gv_resampler_out_len(const gv_resampler *r, int64_t n)
{
    return (int64_t)ceil((double)n * r->to / r->from);
}

void gv_resampler_compute(const gv_resampler *r, const float *x, int64_t n, float *y, int64_t m)
{
    const float *tab = r->tab;
    double cut = r->to < r->from ? r->to / r->from : 1.0; /* low-pass below the new Nyquist */
    cut *= 0.97;
    double step = r->from / r->to;
    for (int64_t j = 0; j < m; j++) {
        double c = j * step;
        int64_t i0 = (int64_t)floor(c - SINC_ZC / cut), i1 = (int64_t)ceil(c + SINC_ZC / cut);
        double acc = 0;
        for (int64_t i = i0 < 0 ? 0 : i0; i <= i1 && i < n; i++) {
            double u = fabs((double)i - c) * cut * SINC_RES;
            int64_t ui = (int64_t)u;
            if (ui >= SINC_ZC * SINC_RES)
                continue;
            double fr = u - (double)ui;
            acc += x[i] * (tab[ui] + fr * (tab[ui + 1] - tab[ui]));
        }
        y[j] = (float)(acc * cut);
    }
}

void gv_resampler_destroy(gv_resampler **r)
{
    free(*r);
    *r = NULL;
}

int gv_resample(const float *x, int64_t n, double from, double to, float **out, int64_t *nout, gv_err *e)
{
    *out = NULL;
    *nout = 0;
    if (!(from > 0) || !(to > 0) || n < 0)
        return gv_failc(e, GV_E_RANGE, "bad resampling rates %g -> %g", from, to);
    gv_resampler *r;
    if (gv_resampler_create(&r, e))
        return -1;
    gv_resampler_init(r, from, to);
    int64_t m = gv_resampler_out_len(r, n);
    float *y = calloc((size_t)(m > 0 ? m : 1), sizeof(float));
    if (!y) {
        gv_resampler_destroy(&r);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    gv_resampler_compute(r, x, n, y, m);
    gv_resampler_destroy(&r);
    *out = y;
    *nout = m;
    return 0;
}

/* kit.c - the built-in kit, synthesised into sample buffers at start-up, and
 * what every kit shares (dark copies, tail trimming, resampling). */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/rng.h"

#define PI 3.14159265358979323846

/* RBJ cookbook biquad, transposed direct form II. */
typedef struct biquad {
    double b0, b1, b2, a1, a2, z1, z2;
} biquad;

enum { BQ_LP, BQ_HP, BQ_BP };

static void bq_init(biquad *f, int type, double fc, double q, double rate)
{
    if (fc > rate * 0.45)
        fc = rate * 0.45;
    double w = 2 * PI * fc / rate, c = cos(w), alpha = sin(w) / (2 * q);
    double b0, b1, b2, a0 = 1 + alpha;
    switch (type) {
    case BQ_LP: b0 = (1 - c) / 2, b1 = 1 - c, b2 = (1 - c) / 2; break;
    case BQ_HP: b0 = (1 + c) / 2, b1 = -(1 + c), b2 = (1 + c) / 2; break;
    default: b0 = alpha, b1 = 0, b2 = -alpha; break;
    }
    *f = (biquad){b0 / a0, b1 / a0, b2 / a0, -2 * c / a0, (1 - alpha) / a0, 0, 0};
}

static double bq(biquad *f, double x)
{
    double y = f->b0 * x + f->z1;
    f->z1 = f->b1 * x - f->a1 * y + f->z2;
    f->z2 = f->b2 * x - f->a2 * y;
    return y;
}

static double noise(gv_rng *r) { return 2.0 * gv_rng_uniform(r) - 1.0; }

/* Six square oscillators at the TR-808 cymbal frequencies, scaled: the
 * inharmonic clang under hats and cymbals. */
typedef struct metal {
    double ph[6], inc[6];
} metal;

static void metal_init(metal *m, double scale, double rate)
{
    static const double f808[6] = {205.3, 304.4, 369.6, 522.7, 540.0, 800.0};
    for (int i = 0; i < 6; i++) {
        m->ph[i] = 0.1 * i;
        m->inc[i] = f808[i] * scale / rate;
    }
}

static double metal_next(metal *m)
{
    double s = 0;
    for (int i = 0; i < 6; i++) {
        s += m->ph[i] < 0.5 ? 1.0 : -1.0;
        m->ph[i] += m->inc[i];
        m->ph[i] -= floor(m->ph[i]);
    }
    return s / 6.0;
}

/* A short linear attack avoids a click at the very first sample. */
static double attack(double t, double a) { return t < a ? t / a : 1.0; }

static void synth_kick(float *x, int64_t n, double rate, gv_rng *r)
{
    double ph = 0;
    biquad click;
    bq_init(&click, BQ_BP, 3500, 0.8, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double f = 48 + 120 * exp(-t / 0.03) + 30 * exp(-t / 0.3);
        ph += 2 * PI * f / rate;
        double body = sin(ph) * exp(-t / 0.32) * attack(t, 0.0008);
        double cl = bq(&click, noise(r)) * exp(-t / 0.004) * 1.4 + sin(2 * PI * 1200 * t) * exp(-t / 0.0015) * 0.5;
        x[i] = (float)tanh(1.4 * (body + cl));
    }
}

static void synth_snare(float *x, int64_t n, double rate, gv_rng *r)
{
    double ph1 = 0, ph2 = 0;
    biquad hp, lp;
    bq_init(&hp, BQ_HP, 1100, 0.7, rate);
    bq_init(&lp, BQ_LP, 9000, 0.7, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double drop = 1 + 0.25 * exp(-t / 0.01);
        ph1 += 2 * PI * 185 * drop / rate;
        ph2 += 2 * PI * 330 * drop / rate;
        double tone = (0.65 * sin(ph1) + 0.35 * sin(ph2)) * exp(-t / 0.055);
        double sn = bq(&lp, bq(&hp, noise(r))) * (0.75 * exp(-t / 0.14) + 0.5 * exp(-t / 0.02));
        x[i] = (float)tanh(1.2 * (0.55 * tone + 0.9 * sn) * attack(t, 0.0005));
    }
}

/* Hats: metal through a band-pass at 10 kHz and a high-pass at 7 kHz, a
 * little noise for sizzle; closed and open differ only by the decay. */
static void synth_hat(float *x, int64_t n, double rate, gv_rng *r, double decay)
{
    metal m;
    metal_init(&m, 1.0, rate);
    biquad bp, hp;
    bq_init(&bp, BQ_BP, 10000, 1.2, rate);
    bq_init(&hp, BQ_HP, 7000, 0.7, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double s = bq(&hp, bq(&bp, metal_next(&m) + 0.35 * noise(r)));
        double env = (0.8 * exp(-t / decay) + 0.2 * exp(-t / (decay * 0.25))) * attack(t, 0.0004);
        x[i] = (float)(s * env);
    }
}

static void synth_tom(float *x, int64_t n, double rate, gv_rng *r, double f0)
{
    double ph1 = 0, ph2 = 0;
    biquad lp;
    bq_init(&lp, BQ_LP, 3000, 0.7, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double f = f0 * (1 + 0.45 * exp(-t / 0.025) + 0.08 * exp(-t / 0.25));
        ph1 += 2 * PI * f / rate;
        ph2 += 2 * PI * f * 1.52 / rate;
        double body = (sin(ph1) * exp(-t / 0.33) + 0.22 * sin(ph2) * exp(-t / 0.12)) * attack(t, 0.0008);
        double stick = bq(&lp, noise(r)) * exp(-t / 0.008) * 0.6;
        x[i] = (float)tanh(1.2 * (body + stick));
    }
}

static void synth_crash(float *x, int64_t n, double rate, gv_rng *r)
{
    metal m;
    metal_init(&m, 1.9, rate);
    biquad hp1, hp2, lp;
    bq_init(&hp1, BQ_HP, 5000, 0.7, rate);
    bq_init(&hp2, BQ_HP, 2500, 0.7, rate);
    bq_init(&lp, BQ_LP, 8000, 0.5, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double bright = bq(&hp1, noise(r) + 0.6 * metal_next(&m)) * (0.7 * exp(-t / 0.5) + 0.6 * exp(-t / 0.04));
        double wash = bq(&lp, bq(&hp2, noise(r))) * exp(-t / 1.1) * 0.45;
        x[i] = (float)((bright + wash) * attack(t, 0.001));
    }
}

static void synth_ride(float *x, int64_t n, double rate, gv_rng *r)
{
    static const double bell[6][3] = { /* Hz, level, decay s */
        {512, 0.30, 1.0}, {742, 0.25, 0.9}, {1096, 0.22, 0.8},
        {1433, 0.18, 0.7}, {2188, 0.12, 0.6}, {3311, 0.10, 0.5}};
    metal m;
    metal_init(&m, 3.1, rate);
    biquad hp, bp;
    bq_init(&hp, BQ_HP, 6000, 0.7, rate);
    bq_init(&bp, BQ_BP, 5000, 0.9, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate, b = 0;
        for (int k = 0; k < 6; k++)
            b += bell[k][1] * sin(2 * PI * bell[k][0] * t + k) * exp(-t / bell[k][2]);
        double ping = bq(&bp, metal_next(&m)) * exp(-t / 0.35) * 0.8;
        double wash = bq(&hp, noise(r)) * (0.25 * exp(-t / 0.9) + 0.4 * exp(-t / 0.012));
        x[i] = (float)((0.5 * b + ping + wash) * attack(t, 0.0005));
    }
}

static void synth_click(float *x, int64_t n, double rate, double f)
{
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        x[i] = (float)(sin(2 * PI * f * t) * exp(-t / 0.01) * attack(t, 0.0005));
    }
}

/* A raised-cosine fade over the last quarter, so long voices end in silence
 * rather than being cut off. */
static void fade_out(float *x, int64_t n)
{
    int64_t m = n / 4;
    for (int64_t i = 0; i < m; i++)
        x[n - m + i] *= (float)(0.5 + 0.5 * cos(PI * (double)(i + 1) / (double)m));
}

static void normalise(float *x, int64_t n, float peak)
{
    float m = 0;
    for (int64_t i = 0; i < n; i++)
        m = fmaxf(m, fabsf(x[i]));
    if (m > 0)
        for (int64_t i = 0; i < n; i++)
            x[i] *= peak / m;
}

void gv_kit_free(gv_kit *k)
{
    if (!k)
        return;
    for (int s = 0; s < GV_KIT_SLOTS; s++) {
        free(k->smp[s]);
        free(k->dark[s]);
    }
    memset(k, 0, sizeof *k);
}

/* Fuzz builds (make fuzz, -DGV_FUZZING) make the built-in sounds 50 times
 * shorter: gv_kit_load synthesises the built-in kit on every call, and at
 * full length that took nearly all of the kit fuzzer's time (12 runs/s). */
#ifdef GV_FUZZING
#define KIT_LENGTH_SCALE 0.02
#else
#define KIT_LENGTH_SCALE 1.0
#endif

int gv_kit_builtin(gv_kit *k, double rate, gv_err *e)
{
    /* seconds, mix level */
    static const double spec[GV_KIT_SLOTS][2] = {
        {0.8, 0.68}, {0.5, 0.56}, {0.3, 0.27}, {1.6, 0.27}, {1.0, 0.52}, {1.0, 0.5},
        {1.0, 0.48}, {3.5, 0.32}, {3.0, 0.3}, {0.08, 0.3}, {0.08, 0.4}};
    memset(k, 0, sizeof *k);
    if (!(rate >= 8000 && rate <= 192000))
        return gv_fail(e, "sample rate %g out of range 8000..192000", rate);
    k->rate = rate;
    snprintf(k->name, sizeof k->name, "built-in");
    for (int s = 0; s < GV_KIT_SLOTS; s++) {
        int64_t n = (int64_t)(spec[s][0] * KIT_LENGTH_SCALE * rate);
        k->smp[s] = calloc((size_t)n, sizeof(float));
        if (!k->smp[s]) {
            gv_kit_free(k);
            return gv_failc(e, GV_E_NOMEM, "out of memory");
        }
        k->len[s] = n;
        k->level[s] = (float)spec[s][1];
        gv_rng r;
        gv_rng_seed(&r, 0x6b697400u + (uint64_t)s); /* fixed: the kit is the same every run */
        float *x = k->smp[s];
        switch (s) {
        case GV_KICK: synth_kick(x, n, rate, &r); break;
        case GV_SNARE: synth_snare(x, n, rate, &r); break;
        case GV_CHAT: synth_hat(x, n, rate, &r, 0.035); break;
        case GV_OHAT: synth_hat(x, n, rate, &r, 0.45); break;
        case GV_LTOM: synth_tom(x, n, rate, &r, 92); break;
        case GV_MTOM: synth_tom(x, n, rate, &r, 128); break;
        case GV_HTOM: synth_tom(x, n, rate, &r, 172); break;
        case GV_CRASH: synth_crash(x, n, rate, &r); break;
        case GV_RIDE: synth_ride(x, n, rate, &r); break;
        case GV_KIT_CLICK: synth_click(x, n, rate, 1000); break;
        default: synth_click(x, n, rate, 1600); break;
        }
        fade_out(x, n);
        normalise(x, n, 1.0f);
    }
    return gv_kit_finish(k, e);
}

int gv_kit_finish(gv_kit *k, gv_err *e)
{
    for (int s = 0; s < GV_KIT_SLOTS; s++) {
        float *x = k->smp[s];
        int64_t n = k->len[s];
        if (!x)
            continue;
        /* trim below -80 dB of the peak: nothing audible, less to mix */
        float peak = 0;
        for (int64_t i = 0; i < n; i++)
            peak = fmaxf(peak, fabsf(x[i]));
        int64_t end = n;
        while (end > 1 && fabsf(x[end - 1]) < peak * 1e-4f)
            end--;
        k->len[s] = n = end;
        float *padded = realloc(x, (size_t)(n + GV_KIT_PAD) * sizeof(float));
        free(k->dark[s]);
        k->dark[s] = calloc((size_t)(n + GV_KIT_PAD), sizeof(float));
        if (!padded || !k->dark[s])
            return gv_failc(e, GV_E_NOMEM, "out of memory");
        k->smp[s] = x = padded;
        memset(x + n, 0, GV_KIT_PAD * sizeof(float));
        /* two one-pole low-passes well below the voice's own brightness,
         * then matched in energy so that soft hits are duller, not quieter
         * (level follows velocity apart) */
        static const double cutoff[GV_KIT_SLOTS] = {900, 1500, 3500, 3500, 900, 1000, 1200, 2500, 2500, 2000, 2000};
        double a = 1 - exp(-2 * PI * cutoff[s] / k->rate), y1 = 0, y2 = 0, ex = 0, ed = 0;
        for (int64_t i = 0; i < n; i++) {
            y1 += a * (x[i] - y1);
            y2 += a * (y1 - y2);
            k->dark[s][i] = (float)y2;
            ex += (double)x[i] * x[i];
            ed += y2 * y2;
        }
        float g = ed > 0 ? (float)sqrt(ex / ed) : 0.f;
        if (g > 8.f) /* a voice with nothing low: dull but not boosted into noise */
            g = 8.f;
        for (int64_t i = 0; i < n; i++)
            k->dark[s][i] *= g;
    }
    return 0;
}

/* Windowed-sinc resampling from a kernel table: SINC_ZC zero crossings each
 * side, SINC_RES table points per crossing, linear interpolation between. */
#define SINC_ZC 16
#define SINC_RES 256

int gv_resample(const float *x, int64_t n, double from, double to, float **out, int64_t *nout, gv_err *e)
{
    *out = NULL;
    *nout = 0;
    if (!(from > 0) || !(to > 0) || n < 0)
        return gv_fail(e, "bad resampling rates %g -> %g", from, to);
    int64_t m = (int64_t)ceil((double)n * to / from);
    float *y = calloc((size_t)(m > 0 ? m : 1), sizeof(float));
    float *tab = malloc((SINC_ZC * SINC_RES + 2) * sizeof(float));
    if (!y || !tab) {
        free(y);
        free(tab);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    double cut = to < from ? to / from : 1.0; /* low-pass below the new Nyquist */
    cut *= 0.97;
    for (int i = 0; i <= SINC_ZC * SINC_RES + 1; i++) {
        double u = (double)i / SINC_RES; /* in zero crossings */
        double w = u < SINC_ZC ? 0.42 + 0.5 * cos(PI * u / SINC_ZC) + 0.08 * cos(2 * PI * u / SINC_ZC) : 0;
        tab[i] = (float)((u == 0 ? 1.0 : sin(PI * u) / (PI * u)) * w);
    }
    double step = from / to;
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
    free(tab);
    *out = y;
    *nout = m;
    return 0;
}

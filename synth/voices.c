/* voices.c - see voices.h. */
#include "synth/voices.h"

#include <math.h>

#include "synth/dsp_biquad.h"
#include "synth/dsp_metal.h"
#include "synth/dsp_noise.h"

#define PI 3.14159265358979323846

/* A short linear attack avoids a click at the very first sample. */
static double attack(double t, double a) { return t < a ? t / a : 1.0; }

static void synth_kick(float *x, int64_t n, double rate, gv_noise *r)
{
    double ph = 0;
    gv_biquad click;
    gv_biquad_init(&click, GV_BIQUAD_BP, 3500, 0.8, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double f = 48 + 120 * exp(-t / 0.03) + 30 * exp(-t / 0.3);
        ph += 2 * PI * f / rate;
        double body = sin(ph) * exp(-t / 0.32) * attack(t, 0.0008);
        double cl = gv_biquad_compute(&click, gv_noise_compute(r)) * exp(-t / 0.004) * 1.4 + sin(2 * PI * 1200 * t) * exp(-t / 0.0015) * 0.5;
        x[i] = (float)tanh(1.4 * (body + cl));
    }
}

static void synth_snare(float *x, int64_t n, double rate, gv_noise *r)
{
    double ph1 = 0, ph2 = 0;
    gv_biquad hp, lp;
    gv_biquad_init(&hp, GV_BIQUAD_HP, 1100, 0.7, rate);
    gv_biquad_init(&lp, GV_BIQUAD_LP, 9000, 0.7, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double drop = 1 + 0.25 * exp(-t / 0.01);
        ph1 += 2 * PI * 185 * drop / rate;
        ph2 += 2 * PI * 330 * drop / rate;
        double tone = (0.65 * sin(ph1) + 0.35 * sin(ph2)) * exp(-t / 0.055);
        double sn = gv_biquad_compute(&lp, gv_biquad_compute(&hp, gv_noise_compute(r))) * (0.75 * exp(-t / 0.14) + 0.5 * exp(-t / 0.02));
        x[i] = (float)tanh(1.2 * (0.55 * tone + 0.9 * sn) * attack(t, 0.0005));
    }
}

/* Hats: metal through a band-pass at 10 kHz and a high-pass at 7 kHz, a
 * little noise for sizzle; closed and open differ only by the decay. */
static void synth_hat(float *x, int64_t n, double rate, gv_noise *r, double decay)
{
    gv_metal m;
    gv_metal_init(&m, 1.0, rate);
    gv_biquad bp, hp;
    gv_biquad_init(&bp, GV_BIQUAD_BP, 10000, 1.2, rate);
    gv_biquad_init(&hp, GV_BIQUAD_HP, 7000, 0.7, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double s = gv_biquad_compute(&hp, gv_biquad_compute(&bp, gv_metal_compute(&m) + 0.35 * gv_noise_compute(r)));
        double env = (0.8 * exp(-t / decay) + 0.2 * exp(-t / (decay * 0.25))) * attack(t, 0.0004);
        x[i] = (float)(s * env);
    }
}

static void synth_tom(float *x, int64_t n, double rate, gv_noise *r, double f0)
{
    double ph1 = 0, ph2 = 0;
    gv_biquad lp;
    gv_biquad_init(&lp, GV_BIQUAD_LP, 3000, 0.7, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double f = f0 * (1 + 0.45 * exp(-t / 0.025) + 0.08 * exp(-t / 0.25));
        ph1 += 2 * PI * f / rate;
        ph2 += 2 * PI * f * 1.52 / rate;
        double body = (sin(ph1) * exp(-t / 0.33) + 0.22 * sin(ph2) * exp(-t / 0.12)) * attack(t, 0.0008);
        double stick = gv_biquad_compute(&lp, gv_noise_compute(r)) * exp(-t / 0.008) * 0.6;
        x[i] = (float)tanh(1.2 * (body + stick));
    }
}

static void synth_crash(float *x, int64_t n, double rate, gv_noise *r)
{
    gv_metal m;
    gv_metal_init(&m, 1.9, rate);
    gv_biquad hp1, hp2, lp;
    gv_biquad_init(&hp1, GV_BIQUAD_HP, 5000, 0.7, rate);
    gv_biquad_init(&hp2, GV_BIQUAD_HP, 2500, 0.7, rate);
    gv_biquad_init(&lp, GV_BIQUAD_LP, 8000, 0.5, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate;
        double bright = gv_biquad_compute(&hp1, gv_noise_compute(r) + 0.6 * gv_metal_compute(&m)) * (0.7 * exp(-t / 0.5) + 0.6 * exp(-t / 0.04));
        double wash = gv_biquad_compute(&lp, gv_biquad_compute(&hp2, gv_noise_compute(r))) * exp(-t / 1.1) * 0.45;
        x[i] = (float)((bright + wash) * attack(t, 0.001));
    }
}

static void synth_ride(float *x, int64_t n, double rate, gv_noise *r)
{
    static const double bell[6][3] = { /* Hz, level, decay s */
        {512, 0.30, 1.0}, {742, 0.25, 0.9}, {1096, 0.22, 0.8},
        {1433, 0.18, 0.7}, {2188, 0.12, 0.6}, {3311, 0.10, 0.5}};
    gv_metal m;
    gv_metal_init(&m, 3.1, rate);
    gv_biquad hp, bp;
    gv_biquad_init(&hp, GV_BIQUAD_HP, 6000, 0.7, rate);
    gv_biquad_init(&bp, GV_BIQUAD_BP, 5000, 0.9, rate);
    for (int64_t i = 0; i < n; i++) {
        double t = i / rate, b = 0;
        for (int k = 0; k < 6; k++)
            b += bell[k][1] * sin(2 * PI * bell[k][0] * t + k) * exp(-t / bell[k][2]);
        double ping = gv_biquad_compute(&bp, gv_metal_compute(&m)) * exp(-t / 0.35) * 0.8;
        double wash = gv_biquad_compute(&hp, gv_noise_compute(r)) * (0.25 * exp(-t / 0.9) + 0.4 * exp(-t / 0.012));
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

void gv_voice_synth(int slot, float *x, int64_t n, double rate)
{
    gv_noise r;
    gv_noise_init(&r, 0x6b697400u + (uint64_t)slot); /* fixed: the kit is the same every run */
    switch (slot) {
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

/* dsp_biquad.h - a second-order filter (RBJ cookbook low-, high- or band-pass,
 * transposed direct form II), one sample at a time.
 *
 *   gv_biquad f;
 *   gv_biquad_init(&f, GV_BIQUAD_HP, 7000, 0.7, 48000);  // fc Hz, Q, rate
 *   for (...) y = gv_biquad_compute(&f, x);
 *
 * No heap memory (init/compute only); fc is held below 0.45 * rate.  The
 * band-pass has a peak gain of Q (constant skirt gain). */
#ifndef GV_DSP_BIQUAD_H
#define GV_DSP_BIQUAD_H

enum { GV_BIQUAD_LP, GV_BIQUAD_HP, GV_BIQUAD_BP };

typedef struct gv_biquad {
    double b0, b1, b2, a1, a2, z1, z2;
} gv_biquad;

/* type GV_BIQUAD_*: coefficients for fc, q at rate, state cleared. */
void gv_biquad_init(gv_biquad *f, int type, double fc, double q, double rate);

/* One input sample in, one output sample out. */
double gv_biquad_compute(gv_biquad *f, double x);

#endif

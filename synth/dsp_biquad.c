/* dsp_biquad.c - see dsp_biquad.h. */
#include "synth/dsp_biquad.h"

#include <math.h>

#define PI 3.14159265358979323846

void gv_biquad_init(gv_biquad *f, int type, double fc, double q, double rate)
{
    if (fc > rate * 0.45)
        fc = rate * 0.45;
    double w = 2 * PI * fc / rate, c = cos(w), alpha = sin(w) / (2 * q);
    double b0, b1, b2, a0 = 1 + alpha;
    switch (type) {
    case GV_BIQUAD_LP: b0 = (1 - c) / 2, b1 = 1 - c, b2 = (1 - c) / 2; break;
    case GV_BIQUAD_HP: b0 = (1 + c) / 2, b1 = -(1 + c), b2 = (1 + c) / 2; break;
    default: b0 = alpha, b1 = 0, b2 = -alpha; break;
    }
    *f = (gv_biquad){b0 / a0, b1 / a0, b2 / a0, -2 * c / a0, (1 - alpha) / a0, 0, 0};
}

double gv_biquad_compute(gv_biquad *f, double x)
{
    double y = f->b0 * x + f->z1;
    f->z1 = f->b1 * x - f->a1 * y + f->z2;
    f->z2 = f->b2 * x - f->a2 * y;
    return y;
}

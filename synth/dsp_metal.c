/* dsp_metal.c - see dsp_metal.h. */
#include "synth/dsp_metal.h"

#include <math.h>

void gv_metal_init(gv_metal *m, double scale, double rate)
{
    static const double f808[6] = {205.3, 304.4, 369.6, 522.7, 540.0, 800.0};
    for (int i = 0; i < 6; i++) {
        m->ph[i] = 0.1 * i;
        m->inc[i] = f808[i] * scale / rate;
    }
}

double gv_metal_compute(gv_metal *m)
{
    double s = 0;
    for (int i = 0; i < 6; i++) {
        s += m->ph[i] < 0.5 ? 1.0 : -1.0;
        m->ph[i] += m->inc[i];
        m->ph[i] -= floor(m->ph[i]);
    }
    return s / 6.0;
}

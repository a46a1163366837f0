/* dsp_noise.h - white noise, uniform in -1..1, from a seeded generator
 * (kernels/rng.h): the same seed gives the same samples on every run.
 *
 *   gv_noise n;
 *   gv_noise_init(&n, seed);
 *   for (...) s = gv_noise_compute(&n);
 *
 * No heap memory (init/compute only). */
#ifndef GV_DSP_NOISE_H
#define GV_DSP_NOISE_H

#include <stdint.h>

#include "kernels/rng.h"

typedef struct gv_noise {
    gv_rng r;
} gv_noise;

void gv_noise_init(gv_noise *n, uint64_t seed);

/* The next sample, -1..1. */
double gv_noise_compute(gv_noise *n);

#endif

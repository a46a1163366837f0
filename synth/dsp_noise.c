/* dsp_noise.c - see dsp_noise.h. */
#include "synth/dsp_noise.h"

void gv_noise_init(gv_noise *n, uint64_t seed) { gv_rng_seed(&n->r, seed); }

double gv_noise_compute(gv_noise *n) { return 2.0 * gv_rng_uniform(&n->r) - 1.0; }

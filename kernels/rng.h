/* rng.h - the one seeded random generator of groove (xoshiro128++ seeded by
 * splitmix64).  Every random choice in groove takes a gv_rng the caller seeds,
 * so the same seed gives the same output on every run. */
#ifndef GV_RNG_H
#define GV_RNG_H

#include <stdint.h>

typedef struct gv_rng {
    uint32_t s[4];
} gv_rng;

void gv_rng_seed(gv_rng *r, uint64_t seed);
uint32_t gv_rng_u32(gv_rng *r);
/* Uniform in [0, 1). */
float gv_rng_uniform(gv_rng *r);
/* Standard normal (Box-Muller, no cached second value: state is all in s[]). */
float gv_rng_normal(gv_rng *r);
/* Uniform integer in [0, n). */
uint32_t gv_rng_below(gv_rng *r, uint32_t n);

#endif

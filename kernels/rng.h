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

/* Bulk draws (dropout masks): GV_RNG_LANES xoshiro128++ streams run side by
 * side, which the compiler vectorises (~0.15 ns a number against ~4 ns for
 * gv_rng_uniform one call at a time).  Seeded from r, which advances by two
 * draws, so a seeded gv_rng still fixes every number. */
#define GV_RNG_LANES 16
typedef struct gv_rng_lanes {
    uint32_t s[4][GV_RNG_LANES];
} gv_rng_lanes;

void gv_rng_lanes_seed(gv_rng_lanes *l, gv_rng *r);
/* out[n] <- the next n numbers; n a multiple of GV_RNG_LANES. */
void gv_rng_lanes_fill(gv_rng_lanes *l, uint32_t *out, int n);

#endif

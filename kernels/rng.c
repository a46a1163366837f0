#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void gv_rng_seed(gv_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    uint64_t a = splitmix64(&x), b = splitmix64(&x);
    r->s[0] = (uint32_t)a;
    r->s[1] = (uint32_t)(a >> 32);
    r->s[2] = (uint32_t)b;
    r->s[3] = (uint32_t)(b >> 32);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1;
}

static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

uint32_t gv_rng_u32(gv_rng *r)
{
    uint32_t *s = r->s;
    uint32_t result = rotl(s[0] + s[3], 7) + s[0]; /* xoshiro128++ */
    uint32_t t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
}

float gv_rng_uniform(gv_rng *r) { return (float)(gv_rng_u32(r) >> 8) * (1.0f / 16777216.0f); }

float gv_rng_normal(gv_rng *r)
{
    float u1 = gv_rng_uniform(r), u2 = gv_rng_uniform(r);
    if (u1 < 1e-12f)
        u1 = 1e-12f;
    return sqrtf(-2.0f * logf(u1)) * cosf(6.28318530717958647692f * u2);
}

uint32_t gv_rng_below(gv_rng *r, uint32_t n)
{
    return n ? (uint32_t)(((uint64_t)gv_rng_u32(r) * n) >> 32) : 0;
}

#include "rng.h"

#include <math.h>
#include <stddef.h>

#include "kernels/simd.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* One xoshiro128 state s[4] (stride apart) from the next two splitmix64
 * outputs of x; never all zero. */
static void seed_state(uint32_t *s, size_t stride, uint64_t *x)
{
    uint64_t a = splitmix64(x), b = splitmix64(x);
    s[0] = (uint32_t)a;
    s[stride] = (uint32_t)(a >> 32);
    s[2 * stride] = (uint32_t)b;
    s[3 * stride] = (uint32_t)(b >> 32);
    if (!(s[0] | s[stride] | s[2 * stride] | s[3 * stride]))
        s[0] = 1;
}

void gv_rng_seed(gv_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    seed_state(r->s, 1, &x);
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

void gv_rng_lanes_seed(gv_rng_lanes *l, gv_rng *r)
{
    uint64_t hi = gv_rng_u32(r);
    uint64_t x = hi << 32 | gv_rng_u32(r);
    for (int j = 0; j < GV_RNG_LANES; j++)
        seed_state(&l->s[0][j], GV_RNG_LANES, &x);
}

/* xoshiro128++ as in gv_rng_u32, one stream per lane; the state lives in
 * locals for the loop so that it stays in vector registers. */
GV_CLONES static void lanes_fill(gv_rng_lanes *l, uint32_t *restrict out, int n)
{
    enum { L = GV_RNG_LANES };
    uint32_t a[L], b[L], c[L], d[L];
    for (int j = 0; j < L; j++) {
        a[j] = l->s[0][j];
        b[j] = l->s[1][j];
        c[j] = l->s[2][j];
        d[j] = l->s[3][j];
    }
    for (int i = 0; i + L <= n; i += L)
        for (int j = 0; j < L; j++) {
            out[i + j] = rotl(a[j] + d[j], 7) + a[j];
            uint32_t t = b[j] << 9;
            c[j] ^= a[j];
            d[j] ^= b[j];
            b[j] ^= c[j];
            a[j] ^= d[j];
            c[j] ^= t;
            d[j] = rotl(d[j], 11);
        }
    for (int j = 0; j < L; j++) {
        l->s[0][j] = a[j];
        l->s[1][j] = b[j];
        l->s[2][j] = c[j];
        l->s[3][j] = d[j];
    }
}

void gv_rng_lanes_fill(gv_rng_lanes *l, uint32_t *out, int n) { lanes_fill(l, out, n); }

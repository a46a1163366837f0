/* bench_peak.h - what the benchmarks compare speed against (header only):
 *   gv_fma_peak_gflops   the FMA-only loop at the widest vector ISA this CPU
 *                        has (AVX-512, else AVX2+FMA, else SSE2 mul+add),
 *                        chosen at run time: 12 independent accumulators
 *                        (more than FMA latency x FMA ports on any x86 core
 *                        this project meets), so the loop is bound by the FMA
 *                        units alone: the physical limit of one core;
 *   gv_bench_*_flops     the matmul FLOPs of the model's passes, counted from
 *                        the config (the figures all benches quote). */
#ifndef GV_TESTS_BENCH_PEAK_H
#define GV_TESTS_BENCH_PEAK_H

#include <immintrin.h>

#include "engine/cond.h"
#include "engine/model.h"
#include "tests/helpers.h"

#define GV_FMA_ACC 12

__attribute__((target("avx512f"))) static inline float gv_fma_loop_512(long iters)
{
    __m512 a[GV_FMA_ACC], m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    for (int k = 0; k < GV_FMA_ACC; k++)
        a[k] = _mm512_set1_ps((float)k);
    for (long i = 0; i < iters; i++)
#pragma GCC unroll 16 /* the accumulators in registers, not in the array */
        for (int k = 0; k < GV_FMA_ACC; k++)
            a[k] = _mm512_fmadd_ps(a[k], m, c);
    __m512 s = a[0];
    for (int k = 1; k < GV_FMA_ACC; k++)
        s = _mm512_add_ps(s, a[k]);
    return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx2,fma"))) static inline float gv_fma_loop_256(long iters)
{
    __m256 a[GV_FMA_ACC], m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
    for (int k = 0; k < GV_FMA_ACC; k++)
        a[k] = _mm256_set1_ps((float)k);
    for (long i = 0; i < iters; i++)
#pragma GCC unroll 16 /* the accumulators in registers, not in the array */
        for (int k = 0; k < GV_FMA_ACC; k++)
            a[k] = _mm256_fmadd_ps(a[k], m, c);
    float out[8], s = 0;
    for (int k = 1; k < GV_FMA_ACC; k++)
        a[0] = _mm256_add_ps(a[0], a[k]);
    _mm256_storeu_ps(out, a[0]);
    for (int k = 0; k < 8; k++)
        s += out[k];
    return s;
}

static inline float gv_fma_loop_128(long iters)
{
    __m128 a[GV_FMA_ACC], m = _mm_set1_ps(0.999999f), c = _mm_set1_ps(1e-7f);
    for (int k = 0; k < GV_FMA_ACC; k++)
        a[k] = _mm_set1_ps((float)k);
    for (long i = 0; i < iters; i++)
#pragma GCC unroll 16 /* the accumulators in registers, not in the array */
        for (int k = 0; k < GV_FMA_ACC; k++)
            a[k] = _mm_add_ps(_mm_mul_ps(a[k], m), c);
    float out[4], s = 0;
    for (int k = 1; k < GV_FMA_ACC; k++)
        a[0] = _mm_add_ps(a[0], a[k]);
    _mm_storeu_ps(out, a[0]);
    for (int k = 0; k < 4; k++)
        s += out[k];
    return s;
}

/* The ISA the peak loop runs at, and its lanes. */
static inline const char *gv_fma_isa(int *lanes)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return *lanes = 16, "avx512";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return *lanes = 8, "avx2+fma";
    return *lanes = 4, "sse2 (mul+add)";
}

static volatile float gv_fma_sink;

/* GFLOP/s of one run of the loop on this thread (2 FLOPs per lane and
 * accumulator and iteration). */
static inline double gv_fma_once(long iters)
{
    int lanes;
    gv_fma_isa(&lanes);
    double t0 = gv_test_now();
    gv_fma_sink = lanes == 16 ? gv_fma_loop_512(iters) : lanes == 8 ? gv_fma_loop_256(iters) : gv_fma_loop_128(iters);
    double dt = gv_test_now() - t0;
    return 2.0 * GV_FMA_ACC * lanes * (double)iters / dt * 1e-9;
}

/* The best of reps runs of ~20 ms each: the core's FMA peak (a loaded
 * machine only lowers it, so the best run is the closest to the limit). */
static inline double gv_fma_peak_gflops(int reps)
{
    double best = 0;
    for (int r = 0; r < reps; r++) {
        double g = gv_fma_once(2000000);
        best = g > best ? g : best;
    }
    return best;
}

/* Matmul FLOPs of one transformer stack on N sequences of 32 steps. */
static inline double gv_bench_stack_flops(double N, double d, double ff, int layers)
{
    double T = GV_MODEL_STEPS, per = 2 * N * T * d * (3 * d + d + 2 * ff) + 2 * 2 * N * T * T * d;
    return per * layers;
}

static inline double gv_bench_encode_flops(const gv_config *c, double N)
{
    double T = GV_MODEL_STEPS, d = c->d_model_enc;
    return 2 * N * T * c->src_features * d +
           gv_bench_stack_flops(N, d, c->dim_feedforward_enc, c->num_encoder_layers) +
           2 * 2 * N * T * d * c->latent_dim;
}

/* The decoder; with the conditioned model's dec_cond when cond is set. */
static inline double gv_bench_decode_flops(const gv_config *c, double N, int cond)
{
    double T = GV_MODEL_STEPS, d = c->d_model_dec;
    return 2 * N * c->latent_dim * T * d + gv_bench_stack_flops(N, d, c->dim_feedforward_dec, c->num_decoder_layers) +
           2 * N * T * d * GV_OUT_FEATURES + (cond ? 2 * N * T * d * GV_COND_DEC_FEATURES : 0);
}

/* One training step's matmul FLOPs for N examples: the forward, and twice
 * it backward (the inputs' and the weights' gradients). */
static inline double gv_bench_train_flops(const gv_config *c, double N)
{
    int cond = c->src_features == GV_COND_FEATURES;
    return 3 * (gv_bench_encode_flops(c, N) + gv_bench_decode_flops(c, N, cond));
}

#endif

/* bench_kernels.c - kernel timings at the shapes of the model (32 steps),
 * OpenBLAS on one thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels/kernels.h"
#include "tests/helpers.h"

/* best = fastest of 7 batches of `reps` runs of stmt, in seconds per run */
#define TIME_IT(best, reps, stmt)                                                                              \
    do {                                                                                                       \
        best = 1e30;                                                                                           \
        for (int k_ = 0; k_ < 7; k_++) {                                                                       \
            double t0_ = gv_test_now();                                                                                \
            for (int r_ = 0; r_ < (reps); r_++)                                                                \
                stmt;                                                                                          \
            double dt_ = (gv_test_now() - t0_) / (reps);                                                               \
            best = dt_ < best ? dt_ : best;                                                                    \
        }                                                                                                      \
    } while (0)

static float *randbuf(size_t n, gv_rng *r)
{
    float *p = malloc(n * sizeof *p);
    if (!p) {
        fprintf(stderr, "bench_kernels: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        p[i] = gv_rng_normal(r);
    return p;
}

static void bench_attention(const char *tag, int B, int T, int C, int NH, gv_rng *r)
{
    size_t nq = (size_t)B * T * 3 * C, no = (size_t)B * T * C, na = (size_t)B * NH * T * T;
    float *qkv = randbuf(nq, r), *out = randbuf(no, r), *att = randbuf(na, r), *dout = randbuf(no, r);
    float *dqkv = randbuf(nq, r), *datt = randbuf(na, r);
    int reps = (int)(2e7 / (4.0 * B * T * T * C)) + 1;
    double ours;
    TIME_IT(ours, reps, gv_attention_forward(out, att, qkv, B, T, C, NH));
    printf("BENCH name=attention_fwd_%s value=%.2f unit=us\n", tag, ours * 1e6);
    double bwd;
    TIME_IT(bwd, reps, gv_attention_backward(dqkv, datt, dout, qkv, att, B, T, C, NH));
    printf("BENCH name=attention_bwd_%s value=%.2f unit=us\n", tag, bwd * 1e6);
    free(qkv), free(out), free(att), free(dout), free(dqkv), free(datt);
}

static void bench_linear(const char *tag, int BT, int C, int OC, gv_rng *r)
{
    float *inp = randbuf((size_t)BT * C, r), *w = randbuf((size_t)OC * C, r), *b = randbuf(OC, r);
    float *out = randbuf((size_t)BT * OC, r);
    double flop = 2.0 * BT * C * OC;
    int reps = (int)(2e8 / flop) + 1;
    double t;
    TIME_IT(t, reps, gv_linear_forward(out, inp, w, b, BT, C, OC));
    printf("BENCH name=linear_fwd_%s value=%.2f unit=GFLOP/s\n", tag, flop / t * 1e-9);
    free(inp), free(w), free(b), free(out);
}

static void bench_layernorm(int BT, int C, gv_rng *r)
{
    float *inp = randbuf((size_t)BT * C, r), *w = randbuf(C, r), *b = randbuf(C, r), *out = randbuf((size_t)BT * C, r);
    float *mean = randbuf(BT, r), *rstd = randbuf(BT, r), *din = randbuf((size_t)BT * C, r);
    float *dw = randbuf(C, r), *db = randbuf(C, r);
    double f;
    TIME_IT(f, 200, gv_layernorm_forward(out, mean, rstd, inp, w, b, BT, C, 1e-5f));
    double g;
    TIME_IT(g, 200, gv_layernorm_backward(din, dw, db, out, inp, w, mean, rstd, BT, C));
    printf("BENCH name=layernorm_fwd_%dx%d value=%.2f unit=us\n", BT, C, f * 1e6);
    printf("BENCH name=layernorm_bwd_%dx%d value=%.2f unit=us\n", BT, C, g * 1e6);
    free(inp), free(w), free(b), free(out), free(mean), free(rstd), free(din), free(dw), free(db);
}

int main(void)
{
    gv_rng r;
    gv_rng_seed(&r, 1);
    gv_kernels_set_threads(1);
    /* the seeds' config: encoder d=128 2 heads, decoder d=512 4 heads, 32 steps */
    bench_attention("enc_b1", 1, 32, 128, 2, &r);
    bench_attention("dec_b8", 8, 32, 512, 4, &r);
    bench_attention("enc_b64", 64, 32, 128, 2, &r);
    bench_linear("sgemm512", 512, 512, 512, &r);
    bench_linear("dec_ff_b8", 8 * 32, 512, 2048, &r);
    bench_linear("enc_qkv_b1", 32, 128, 384, &r);
    bench_layernorm(8 * 32, 512, &r);
    return 0;
}

/* bench_rnn.c - the GrooVAE family (engine/rnn.h) against PyTorch on the same
 * weights, one thread each, in the same run:
 *   groovae_generate8     encode one groove, decode 8 suggestions free-running
 *                         (Magenta's groovae_2bar sizes: E 512, Z 256, D 256x2)
 *   hier4_generate8       the same on the 4-bar conductor model (T 64, C 256)
 *   groovae_train_step    examples/s of a training step (forward, loss,
 *                         backward, Adam) on a batch of 64
 * each with peer=pytorch ratio=<torch time / ours> (tests/reference/
 * bench_rnn_torch.py).  Medians after a warm-up. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/rnn.h"
#include "engine/safetensors.h"
#include "kernels/kernels.h"
#include "kernels/rng.h"
#include "trainer/adamw.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct bench {
    gv_rnn_config c;
    float *P;
    size_t np;
    gv_rnn_ws *ws;
} bench;

static void gen8(bench *b, const float *x1, const float *eps, float *mu, float *lv, float *z, float *out)
{
    gv_rnn_encode(&b->c, b->P, b->ws, x1, 1, mu, lv);
    int Z = b->c.latent;
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < Z; j++)
            z[i * Z + j] = mu[j] + expf(0.5f * lv[j]) * eps[i * Z + j];
    gv_rnn_decode(&b->c, b->P, b->ws, z, 8, NULL, NULL, out, NULL);
}

static double time_gen8(bench *b, int reps)
{
    int T = b->c.steps, Z = b->c.latent;
    float *x1 = calloc((size_t)T * b->c.input, sizeof(float)), *eps = calloc(8 * (size_t)Z, sizeof(float));
    float *mu = calloc((size_t)Z, sizeof(float)), *lv = calloc((size_t)Z, sizeof(float));
    float *z = calloc(8 * (size_t)Z, sizeof(float)), *out = calloc(8 * (size_t)T * GV_RNN_OUT, sizeof(float));
    gv_rng r;
    gv_rng_seed(&r, 1);
    for (int i = 0; i < T * b->c.input; i++)
        x1[i] = gv_rng_uniform(&r);
    for (int i = 0; i < 8 * Z; i++)
        eps[i] = gv_rng_normal(&r);
    double *ts = malloc((size_t)reps * sizeof *ts);
    gen8(b, x1, eps, mu, lv, z, out);
    for (int k = 0; k < reps; k++) {
        double t0 = now();
        gen8(b, x1, eps, mu, lv, z, out);
        ts[k] = now() - t0;
    }
    qsort(ts, (size_t)reps, sizeof *ts, cmp);
    double med = ts[reps / 2];
    free(x1), free(eps), free(mu), free(lv), free(z), free(out), free(ts);
    return med;
}

static double time_step(bench *b, int reps)
{
    enum { B = 64 };
    int T = b->c.steps, Z = b->c.latent;
    float *x = calloc((size_t)B * T * b->c.input, sizeof(float)), *y = calloc((size_t)B * T * GV_RNN_OUT, sizeof(float));
    float *eps = calloc((size_t)B * Z, sizeof(float)), *G = calloc(b->np, sizeof(float));
    gv_rnn_ws *ws = gv_rnn_ws_new(&b->c, B);
    gv_adamw opt;
    gv_adamw_init(&opt, b->np, 0.9f, 0.999f, 1e-8f, 0.f);
    gv_rng r;
    gv_rng_seed(&r, 2);
    for (size_t i = 0; i < (size_t)B * T * b->c.input; i++)
        x[i] = gv_rng_uniform(&r);
    for (size_t i = 0; i < (size_t)B * T * GV_RNN_OUT; i++)
        y[i] = gv_rng_uniform(&r) < 0.3f;
    for (size_t i = 0; i < (size_t)B * Z; i++)
        eps[i] = gv_rng_normal(&r);
    double *ts = malloc((size_t)reps * sizeof *ts);
    for (int k = -1; k < reps; k++) {
        double t0 = now();
        gv_rnn_forward(&b->c, b->P, ws, x, y, eps, B, 1, (uint64_t)k, NULL, NULL, NULL);
        gv_rnn_loss_parts p;
        gv_rnn_loss(&b->c, ws, y, B, &p);
        gv_rnn_backward(&b->c, b->P, G, ws, B);
        gv_adamw_step_consume(&opt, b->P, G, 1e-4f, 1.f);
        if (k >= 0)
            ts[k] = now() - t0;
    }
    qsort(ts, (size_t)reps, sizeof *ts, cmp);
    double med = ts[reps / 2];
    gv_adamw_free(&opt);
    gv_rnn_ws_free(ws);
    free(x), free(y), free(eps), free(G), free(ts);
    return med;
}

/* PyTorch's times for the same weights: 0 when it could not run. */
static int torch_times(bench *b, const char *dir, int reps, double *g8, double *step)
{
    char path[512], cfg[512], cmd[1200];
    snprintf(path, sizeof path, "%s/bench_rnn_%d.safetensors", dir, (int)getpid());
    gv_tensor_info t[GV_RNN_MAX_TENSORS];
    int nt = gv_rnn_tensors(&b->c, t, NULL);
    gv_rnn_config_json(&b->c, cfg, sizeof cfg);
    gv_err e = {0};
    if (gv_st_write(path, cfg, t, nt, b->P, &e))
        return 0;
    const char *root = getenv("GROOVE_ROOT");
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/reference/bench_rnn_torch.py' '%s' %d", root ? root : ".",
             path, reps);
    FILE *p = popen(cmd, "r");
    int ok = p && fscanf(p, "generate8_us=%lf train_step_ms=%lf", g8, step) == 2;
    if (p)
        pclose(p);
    unlink(path);
    *g8 *= 1e-6, *step *= 1e-3;
    return ok;
}

static void run(const char *name, int hier, int train, const char *tmp)
{
    bench b;
    gv_rnn_config_default(&b.c, hier);
    b.c.dropout = 0.f; /* as PyTorch's module runs it */
    gv_rnn_tensors(&b.c, NULL, &b.np);
    b.P = malloc(b.np * sizeof(float));
    gv_rnn_init(&b.c, b.P, 3);
    b.ws = gv_rnn_ws_new(&b.c, 8);
    float *Q = malloc(b.np * sizeof(float));
    gv_rnn_pack(&b.c, b.P, Q);
    gv_rnn_ws_use_packed(b.ws, Q);
    double g8 = time_gen8(&b, 30), st = train ? time_step(&b, 5) : 0, pg8 = 0, pst = 0;
    int peer = torch_times(&b, tmp, 30, &pg8, &pst);
    printf("BENCH name=%s_generate8 value=%.1f unit=us", name, g8 * 1e6);
    if (peer)
        printf(" peer=pytorch ratio=%.2f", pg8 / g8);
    printf("\n");
    if (train) {
        printf("BENCH name=%s_train_step value=%.1f unit=ex/s", name, 64 / st);
        if (peer)
            printf(" peer=pytorch ratio=%.2f", pst / st);
        printf("\n");
    }
    fflush(stdout);
    gv_rnn_ws_free(b.ws);
    free(b.P);
    free(Q);
}

int main(void)
{
    gv_kernels_set_threads(1);
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    run("groovae", 0, 1, tmp);
    run("hier4", 1, 0, tmp);
    return 0;
}

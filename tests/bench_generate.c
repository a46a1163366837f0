/* bench_generate.c - `make bench` lines for generation at the shipped config:
 *   generate1, generate8    gv_generate of 1 / 8 suggestions from one groove
 *                           (encode 1, decode 1 or 8, hits), median in us, with
 *                           PyTorch (tests/reference/bench_torch.py: 1 thread,
 *                           inference mode, same weights, same groove and noise)
 *                           timed in the same run: ratio = torch / ours
 *   fma_peak                one core's FMA-only loop at the widest vector ISA
 *                           (tests/bench_peak.h): the most any code can do
 *   generate32_gflops       gv_generate of 32: matmul FLOPs of encode 1 +
 *                           decode 32, counted from the config, per second;
 *                           ratio = ours / fma_peak
 *   sgemm512_gflops         cblas_sgemm on 512x512x512 (OpenBLAS, 1 thread);
 *                           ratio = it / fma_peak; the three timed in
 *                           alternation
 *   generate_process        wall time of a whole `groove generate -n 8` process
 *                           (load, generate, write 8 files), median in ms
 * The model is the shipped one (engine/modelpath.h lookup) or, when there is
 * none, a seeded random model of the default config written to a temp dir. */
#include <cblas.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "app/cli.h"
#include "engine/generate.h"
#include "engine/model.h"
#include "engine/modelpath.h"
#include "base/fileio.h"
#include "tests/bench_peak.h"
#include "tests/helpers.h"

extern char **environ;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

typedef struct bench {
    const gv_model *m;
    const gv_pattern *in;
    gv_pattern *out;
    float *z;
    gv_gen_ws *ws;
    int n;
} bench;

enum { S = 512 }; /* the sgemm peer: S x S x S */
#define FMA_ITERS 100000L /* ~0.2 ms of the peak loop */

typedef struct sgemm_args {
    float *a, *b, *c;
} sgemm_args;

static void run_generate(void *ctx)
{
    bench *b = ctx;
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 1;
    if (gv_generate(b->m, b->in, b->n, &o, b->out, b->z, b->ws, NULL) != 0) {
        fprintf(stderr, "bench_generate: gv_generate failed\n");
        exit(1);
    }
}

static void run_fma(void *ctx)
{
    (void)ctx;
    gv_fma_once(FMA_ITERS);
}

static void run_sgemm(void *ctx)
{
    sgemm_args *g = ctx;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, S, S, S, 1.f, g->a, S, g->b, S, 0.f, g->c, S);
}

/* Median seconds of each of k operations over reps rounds (after a warm-up);
 * one round runs every operation once, so that a busy machine slows them
 * alike and their ratio holds. */
static void time_ops(void (*const *op)(void *), void *const *ctx, int k, int reps, double *med)
{
    double *t = malloc((size_t)k * reps * sizeof *t);
    for (int r = -reps / 10 - 3; r < reps; r++)
        for (int i = 0; i < k; i++) {
            double t0 = gv_test_now();
            op[i](ctx[i]);
            if (r >= 0)
                t[(size_t)i * reps + r] = gv_test_now() - t0;
        }
    for (int i = 0; i < k; i++)
        med[i] = median(t + (size_t)i * reps, reps);
    free(t);
}

static double time_one(void (*op)(void *), void *ctx, int reps)
{
    double med;
    time_ops(&op, &ctx, 1, reps, &med);
    return med;
}

/* Median wall seconds of `groove generate IN -n 8 -o DIR --model M`. */
static double time_process(const char *bin, const char *in, const char *dir, const char *model, int reps)
{
    char *argv[] = {(char *)bin, "generate", (char *)in, "-n", "8", "-o", (char *)dir, "--model", (char *)model, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    double *t = malloc((size_t)reps * sizeof *t), med = -1;
    for (int k = -2; k < reps; k++) {
        pid_t pid;
        int st;
        double t0 = gv_test_now();
        if (posix_spawn(&pid, bin, &fa, NULL, argv, environ) != 0 || waitpid(pid, &st, 0) != pid ||
            !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "bench_generate: %s generate failed\n", bin);
            goto out;
        }
        if (k >= 0)
            t[k] = gv_test_now() - t0;
    }
    med = median(t, reps);
out:
    posix_spawn_file_actions_destroy(&fa);
    free(t);
    return med;
}

/* Runs the PyTorch side; 0 and its medians (seconds) on success. */
static int run_torch(const char *model, const char *inputs, int reps, double *t1, double *t8, double *hit_sum8)
{
    char cmd[16384], line[512] = "";
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/reference/bench_torch.py' '%s' '%s' %d",
             gv_test_root(), model, inputs, reps);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    int got = fgets(line, sizeof line, p) != NULL;
    int rc = pclose(p);
    if (!got || rc != 0 || sscanf(line, "generate1_us=%lf generate8_us=%lf hit_sum8=%lf", t1, t8, hit_sum8) != 3) {
        fprintf(stderr, "bench_generate: PyTorch peer failed (%s): %s", cmd, line);
        return -1;
    }
    *t1 *= 1e-6;
    *t8 *= 1e-6;
    return 0;
}

int main(void)
{
    char dir[] = "/tmp/gv_bench_gen_XXXXXX", model_path[4096], path[4200];
    if (!mkdtemp(dir)) {
        perror("bench_generate: mkdtemp");
        return 1;
    }
    gv_model m;
    gv_err e = {0};
    if (gv_model_path(NULL, model_path, sizeof model_path, &e) != 0 || gv_model_load(model_path, &m, &e) != 0) {
        fprintf(stderr, "bench_generate: no shipped model (%s): a random one of the default config\n", e.msg);
        gv_config c;
        gv_config_default(&c);
        snprintf(model_path, sizeof model_path, "%s/model.safetensors", dir);
        if (gv_model_init_random(&m, &c, 1, &e) != 0 || gv_model_save(&m, model_path, &e) != 0) {
            fprintf(stderr, "bench_generate: %s\n", e.msg);
            return 1;
        }
    }
    /* a 2-bar groove: hits on most eighths, varied velocities and offsets */
    static gv_pattern in;
    gv_pattern_init(&in, GV_MODEL_STEPS, 120, "bench");
    gv_rng r;
    gv_rng_seed(&r, 2);
    for (int t = 0; t < GV_MODEL_STEPS; t++)
        if (t % 2 == 0 || gv_rng_uniform(&r) < 0.3f)
            gv_pattern_set(&in, t, t % 8 == 4 ? GV_SNARE : t % 4 ? GV_CHAT : GV_KICK, 1,
                           0.4f + 0.6f * gv_rng_uniform(&r), 0.3f * gv_rng_uniform(&r) - 0.15f);

    const gv_config *c = &m.cfg;
    int L = c->latent_dim;
    bench b = {&m, &in, malloc(32 * sizeof(gv_pattern)), malloc(32 * sizeof(float) * L), gv_gen_ws_new(c, 32), 1};
    sgemm_args g = {malloc(3 * sizeof(float) * S * S), NULL, NULL};
    if (!b.out || !b.z || !b.ws || !g.a) {
        fprintf(stderr, "bench_generate: out of memory\n");
        return 1;
    }
    g.b = g.a + S * S;
    g.c = g.b + S * S;
    gv_rng_seed(&r, 5);
    for (int i = 0; i < 2 * S * S; i++)
        g.a[i] = gv_rng_uniform(&r) - 0.5f;

    /* the peer's inputs: the model's input for the groove (1 lane) and the
     * noise of suggestions 0..7 */
    size_t S_in = (size_t)GV_MODEL_STEPS * c->src_features;
    float inputs[GV_MODEL_STEPS * GV_COND_FEATURES + 8 * 2048];
    if (c->src_features == GV_COND_FEATURES) {
        float hvo[GV_MODEL_STEPS * GV_COND_HVO];
        gv_cond one;
        gv_cond_default(&one);
        gv_cond_hvo(&in, 0, hvo);
        gv_cond_features(&one, hvo, inputs);
    } else {
        gv_pattern_groove(&in, inputs);
    }
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 1;
    gv_gen_latents(NULL, NULL, 1, L, 8, &o, inputs + S_in);
    snprintf(path, sizeof path, "%s/inputs.f32", dir);
    size_t ninputs = S_in + 8 * (size_t)L;
    if (L > 2048 || gv_write_atomic(path, inputs, ninputs * sizeof(float), &e) != 0) {
        fprintf(stderr, "bench_generate: cannot write the peer's inputs: %s\n", e.msg);
        return 1;
    }

    double t1 = time_one(run_generate, &b, 1000);
    b.n = 8;
    double t8 = time_one(run_generate, &b, 300), med[3];
    bench b32 = b;
    b32.n = 32;
    void (*const ops[3])(void *) = {run_generate, run_sgemm, run_fma};
    void *const ctxs[3] = {&b32, &g, NULL};
    time_ops(ops, ctxs, 3, 60, med);
    int lanes;
    const char *isa = gv_fma_isa(&lanes);
    double t32 = med[0], sgemm = 2.0 * S * S * S / med[1], peak = 2.0 * GV_FMA_ACC * lanes * FMA_ITERS / med[2];
    double p1, p8, hit_sum8;
    int peer = run_torch(model_path, path, 300, &p1, &p8, &hit_sum8) == 0;

    if (peer) { /* same maths on both sides, or the ratio means nothing */
        float *hp = malloc(8 * sizeof(float) * GV_MODEL_STEPS * GV_VOICES * 3);
        gv_infer_ws *iw = gv_infer_ws_new(c, 8);
        gv_generate(&m, &in, 8, &o, b.out, b.z, b.ws, NULL);
        size_t cells = 8 * GV_MODEL_STEPS * GV_VOICES;
        float *src8 = malloc(8 * S_in * sizeof(float));
        for (int i = 0; src8 && i < 8; i++)
            memcpy(src8 + i * S_in, inputs, S_in * sizeof(float));
        gv_model_decode_cond(&m, b.z, src8, 8, hp, hp + cells, hp + 2 * cells, iw);
        free(src8);
        double sum = 0;
        for (size_t k = 0; k < cells; k++)
            sum += hp[k];
        if (fabs(sum - hit_sum8) > 1e-3 * (1 + fabs(sum))) {
            fprintf(stderr, "bench_generate: PyTorch disagrees (hit sum %.6f vs %.6f): no peer ratio\n", hit_sum8,
                    sum);
            peer = 0;
        }
        gv_infer_ws_free(iw);
        free(hp);
    }

    printf("BENCH name=generate1 value=%.1f unit=us", t1 * 1e6);
    if (peer)
        printf(" peer=pytorch ratio=%.2f", p1 / t1);
    printf("\nBENCH name=generate8 value=%.1f unit=us", t8 * 1e6);
    if (peer)
        printf(" peer=pytorch ratio=%.2f", p8 / t8);
    int cond = c->src_features == GV_COND_FEATURES;
    double gflops = (gv_bench_encode_flops(c, 1) + gv_bench_decode_flops(c, 32, cond)) / t32 * 1e-9;
    printf("\nBENCH name=fma_peak value=%.1f unit=GFLOP/s\n", peak * 1e-9);
    printf("BENCH name=generate32_gflops value=%.2f unit=GFLOP/s peer=fma_peak ratio=%.3f\n", gflops,
           gflops / (peak * 1e-9));
    printf("BENCH name=sgemm512_gflops value=%.2f unit=GFLOP/s peer=fma_peak ratio=%.3f\n", sgemm * 1e-9,
           sgemm / peak);
    fprintf(stderr, "bench_generate: model %s, %zu parameters; generate32 %.1f us (%.3f of sgemm 512^3); FMA peak "
            "loop at %s, %d accumulators%s\n", model_path, m.nparams, t32 * 1e6, gflops / (sgemm * 1e-9), isa,
            GV_FMA_ACC, peer ? "" : "; no PyTorch peer");
    if (peer)
        fprintf(stderr, "bench_generate: PyTorch generate1 %.1f us, generate8 %.1f us\n", p1 * 1e6, p8 * 1e6);

    const char *bin = getenv("GROOVE_BIN");
    snprintf(path, sizeof path, "%s/in.mid", dir);
    int rc = 0;
    if (gv_cli_save(path, &in) == 0) {
        char out[4200];
        snprintf(out, sizeof out, "%s/out", dir);
        double tp = time_process(bin && *bin ? bin : "./groove", path, out, model_path, 30);
        if (tp >= 0)
            printf("BENCH name=generate_process value=%.2f unit=ms\n", tp * 1e3);
        else
            rc = 1;
    } else {
        rc = 1;
    }
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_generate: could not remove %s\n", dir);
    gv_gen_ws_free(b.ws);
    free(b.out);
    free(b.z);
    free(g.a);
    gv_model_free(&m);
    return rc;
}

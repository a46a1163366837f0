/* gpu_kernels.c - every CUDA kernel (kernels/cuda_ops.h) against its CPU
 * reference (kernels/kernels.h, trainer/adamw.h) on seeded random data, in
 * llm.c's dev/cuda manner: forwards within 1e-4, gradients within 1e-3
 * (|gpu - cpu| <= tol * max(1, |cpu|) element by element), then timings.
 * Run by tests/gpu_check.sh; not part of make test's suite (it needs a GPU).
 *
 * Output: "ok NAME maxerr=E" or "FAIL NAME ..." per comparison, then
 * "BENCH name=cuda_NAME value=US unit=us peer=cpu ratio=CPU/GPU" per kernel.
 * Exit status: 0 all good, or no GPU ("no CUDA device: nothing to check
 * (why)"); 1 a comparison failed or the device failed.
 *
 * Only the kernels are compared: the engine's whole training step and
 * generate do not run on the device yet (cuda_train_step and
 * cuda_generate8 are not measured). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernels/cuda.h"
#include "kernels/cuda_ops.h"
#include "kernels/kernels.h"
#include "trainer/adamw.h"

static gv_cuda *dev;
static int failures;
static gv_rng rng;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    fprintf(stderr, "gpu_kernels: %s: %s\n", what, gv_cuda_error(dev));
    exit(1);
}

/* ---- host and device buffers -------------------------------------------- */
static float *hbuf(size_t n, float scale)
{
    float *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        exit(1);
    for (size_t i = 0; i < n; i++)
        p[i] = scale ? gv_rng_normal(&rng) * scale : 0.0f;
    return p;
}
static gv_dptr up(const void *h, size_t bytes)
{
    gv_dptr d;
    if (gv_cuda_alloc(dev, &d, bytes) || gv_cuda_upload(dev, d, h, bytes))
        die("upload");
    return d;
}
static gv_dptr upf(const float *h, size_t n) { return up(h, n * sizeof(float)); }
static float *down(gv_dptr d, size_t n)
{
    float *h = hbuf(n, 0);
    if (gv_cuda_sync(dev) || gv_cuda_download(dev, h, d, n * sizeof(float)))
        die("download");
    return h;
}

/* gpu (device) against cpu (host), n floats. */
static void compare(const char *name, gv_dptr gpu, const float *cpu, size_t n, double tol)
{
    float *g = down(gpu, n);
    double worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)g[i] - cpu[i]) / fmax(1.0, fabs(cpu[i]));
        if (!(d <= worst)) { /* NaN counts as worst */
            worst = isnan(d) ? INFINITY : d;
            at = i;
        }
    }
    if (worst <= tol)
        printf("ok   %-28s maxerr=%.2e (tol %.0e, n=%zu)\n", name, worst, tol, n);
    else {
        printf("FAIL %-28s maxerr=%.2e at %zu: gpu %g cpu %g (tol %.0e)\n", name, worst, at, g[at], cpu[at], tol);
        failures++;
    }
    free(g);
}

/* ---- timing: mean microseconds a call, GPU calls synchronised ----------- */
typedef void (*run_fn)(void *);
static double time_us(run_fn f, void *ctx, int gpu)
{
    f(ctx); /* warm up (module load, caches) */
    if (gpu && gv_cuda_sync(dev))
        die("sync");
    int reps = 0;
    double t0 = now(), t;
    do {
        f(ctx);
        reps++;
        if (gpu && gv_cuda_sync(dev))
            die("sync");
        t = now() - t0;
    } while (t < 0.2 && reps < 10000);
    return t / reps * 1e6;
}
static void bench(const char *name, run_fn cpu, run_fn gpu, void *ctx)
{
    double c = time_us(cpu, ctx, 0), g = time_us(gpu, ctx, 1);
    printf("BENCH name=cuda_%s value=%.2f unit=us peer=cpu ratio=%.2f (cpu %.2f us, one thread)\n", name, g, c / g,
           c);
}

/* ---- linear --------------------------------------------------------------- */
typedef struct lin {
    int BT, C, OC;
    float *inp, *w, *b, *out, *dout, *dinp, *dw, *db;
    gv_dptr d_inp, d_w, d_b, d_out, d_dout, d_dinp, d_dw, d_db;
} lin;
static void lin_cpu_f(void *p) { lin *l = p; gv_linear_forward(l->out, l->inp, l->w, l->b, l->BT, l->C, l->OC); }
static void lin_gpu_f(void *p)
{
    lin *l = p;
    if (gv_cu_linear_forward(dev, l->d_out, l->d_inp, l->d_w, l->d_b, l->BT, l->C, l->OC))
        die("linear_forward");
}
static void lin_cpu_b(void *p)
{
    lin *l = p;
    gv_linear_backward(l->dinp, l->dw, l->db, l->dout, l->inp, l->w, l->BT, l->C, l->OC);
}
static void lin_gpu_b(void *p)
{
    lin *l = p;
    if (gv_cu_linear_backward(dev, l->d_dinp, l->d_dw, l->d_db, l->d_dout, l->d_inp, l->d_w, l->BT, l->C, l->OC))
        die("linear_backward");
}

static void check_linear(int BT, int C, int OC, int timed)
{
    lin l = {.BT = BT, .C = C, .OC = OC};
    size_t ni = (size_t)BT * C, nw = (size_t)OC * C, no = (size_t)BT * OC;
    l.inp = hbuf(ni, 1), l.w = hbuf(nw, 0.1f), l.b = hbuf(OC, 0.1f), l.out = hbuf(no, 0), l.dout = hbuf(no, 1);
    l.dinp = hbuf(ni, 0.5f), l.dw = hbuf(nw, 0.5f), l.db = hbuf(OC, 0.5f); /* accumulate onto non-zero */
    l.d_inp = upf(l.inp, ni), l.d_w = upf(l.w, nw), l.d_b = upf(l.b, OC), l.d_out = upf(l.out, no);
    l.d_dout = upf(l.dout, no), l.d_dinp = upf(l.dinp, ni), l.d_dw = upf(l.dw, nw), l.d_db = upf(l.db, OC);
    char nm[64];
    lin_cpu_f(&l), lin_gpu_f(&l);
    snprintf(nm, sizeof nm, "linear_forward %dx%dx%d", BT, C, OC);
    compare(nm, l.d_out, l.out, no, 1e-4);
    lin_cpu_b(&l), lin_gpu_b(&l);
    snprintf(nm, sizeof nm, "linear_backward dinp %dx%dx%d", BT, C, OC);
    compare(nm, l.d_dinp, l.dinp, ni, 1e-3);
    compare("linear_backward dw", l.d_dw, l.dw, nw, 1e-3);
    compare("linear_backward db", l.d_db, l.db, OC, 1e-3);
    if (timed) {
        bench("linear_forward", lin_cpu_f, lin_gpu_f, &l);
        bench("linear_backward", lin_cpu_b, lin_gpu_b, &l);
    }
    float *h[] = {l.inp, l.w, l.b, l.out, l.dout, l.dinp, l.dw, l.db};
    gv_dptr d[] = {l.d_inp, l.d_w, l.d_b, l.d_out, l.d_dout, l.d_dinp, l.d_dw, l.d_db};
    for (int i = 0; i < 8; i++)
        free(h[i]), gv_cuda_free(dev, d[i]);
}

/* ---- layernorm ------------------------------------------------------------ */
static void check_layernorm(int BT, int C)
{
    size_t n = (size_t)BT * C;
    float *x = hbuf(n, 2), *w = hbuf(C, 1), *b = hbuf(C, 1), *out = hbuf(n, 0), *mean = hbuf(BT, 0),
          *rstd = hbuf(BT, 0), *dout = hbuf(n, 1), *dx = hbuf(n, 0.5f), *dw = hbuf(C, 0.5f), *db = hbuf(C, 0.5f);
    for (size_t i = 0; i < n; i++)
        x[i] += 3.0f; /* a mean away from 0 */
    gv_dptr d_x = upf(x, n), d_w = upf(w, C), d_b = upf(b, C), d_out = upf(out, n), d_mean = upf(mean, BT),
            d_rstd = upf(rstd, BT), d_dout = upf(dout, n), d_dx = upf(dx, n), d_dw = upf(dw, C), d_db = upf(db, C);
    gv_layernorm_forward(out, mean, rstd, x, w, b, BT, C, 1e-5f);
    if (gv_cu_layernorm_forward(dev, d_out, d_mean, d_rstd, d_x, d_w, d_b, BT, C, 1e-5f))
        die("layernorm_forward");
    compare("layernorm_forward out", d_out, out, n, 1e-4);
    compare("layernorm_forward mean", d_mean, mean, BT, 1e-4);
    compare("layernorm_forward rstd", d_rstd, rstd, BT, 1e-4);
    gv_layernorm_backward(dx, dw, db, dout, x, w, mean, rstd, BT, C);
    /* the CPU's saved statistics on both sides: the backward alone is compared */
    if (gv_cuda_upload(dev, d_mean, mean, BT * sizeof(float)) || gv_cuda_upload(dev, d_rstd, rstd, BT * sizeof(float)))
        die("upload");
    if (gv_cu_layernorm_backward(dev, d_dx, d_dw, d_db, d_dout, d_x, d_w, d_mean, d_rstd, BT, C))
        die("layernorm_backward");
    compare("layernorm_backward dinp", d_dx, dx, n, 1e-3);
    compare("layernorm_backward dw", d_dw, dw, C, 1e-3);
    compare("layernorm_backward db", d_db, db, C, 1e-3);
    float *h[] = {x, w, b, out, mean, rstd, dout, dx, dw, db};
    gv_dptr d[] = {d_x, d_w, d_b, d_out, d_mean, d_rstd, d_dout, d_dx, d_dw, d_db};
    for (int i = 0; i < 10; i++)
        free(h[i]), gv_cuda_free(dev, d[i]);
}

/* ---- attention ------------------------------------------------------------ */
typedef struct attn {
    int B, T, C, NH;
    float *qkv, *out, *att, *dout, *dqkv, *datt;
    gv_dptr d_qkv, d_out, d_att, d_dout, d_dqkv, d_datt;
} attn;
static void at_cpu_f(void *p)
{
    attn *a = p;
    gv_attention_forward(a->out, a->att, a->qkv, a->B, a->T, a->C, a->NH);
}
static void at_gpu_f(void *p)
{
    attn *a = p;
    if (gv_cu_attention_forward(dev, a->d_out, a->d_att, a->d_qkv, a->B, a->T, a->C, a->NH))
        die("attention_forward");
}
static void at_cpu_b(void *p)
{
    attn *a = p;
    gv_attention_backward(a->dqkv, a->datt, a->dout, a->qkv, a->att, a->B, a->T, a->C, a->NH);
}
static void at_gpu_b(void *p)
{
    attn *a = p;
    if (gv_cu_attention_backward(dev, a->d_dqkv, a->d_datt, a->d_dout, a->d_qkv, a->d_att, a->B, a->T, a->C, a->NH))
        die("attention_backward");
}

static void check_attention(int B, int T, int C, int NH, int timed)
{
    attn a = {.B = B, .T = T, .C = C, .NH = NH};
    size_t nq = (size_t)B * T * 3 * C, no = (size_t)B * T * C, na = (size_t)B * NH * T * T;
    a.qkv = hbuf(nq, 1), a.out = hbuf(no, 0), a.att = hbuf(na, 0), a.dout = hbuf(no, 1), a.dqkv = hbuf(nq, 0.5f);
    a.datt = hbuf(na, 0);
    a.d_qkv = upf(a.qkv, nq), a.d_out = upf(a.out, no), a.d_att = upf(a.att, na), a.d_dout = upf(a.dout, no);
    a.d_dqkv = upf(a.dqkv, nq), a.d_datt = upf(a.datt, na);
    at_cpu_f(&a), at_gpu_f(&a);
    compare("attention_forward out", a.d_out, a.out, no, 1e-4);
    compare("attention_forward att", a.d_att, a.att, na, 1e-4);
    at_cpu_b(&a), at_gpu_b(&a);
    compare("attention_backward dqkv", a.d_dqkv, a.dqkv, nq, 1e-3);
    if (timed) {
        bench("attention_forward", at_cpu_f, at_gpu_f, &a);
        bench("attention_backward", at_cpu_b, at_gpu_b, &a);
    }
    float *h[] = {a.qkv, a.out, a.att, a.dout, a.dqkv, a.datt};
    gv_dptr d[] = {a.d_qkv, a.d_out, a.d_att, a.d_dout, a.d_dqkv, a.d_datt};
    for (int i = 0; i < 6; i++)
        free(h[i]), gv_cuda_free(dev, d[i]);
}

/* ---- elementwise ---------------------------------------------------------- */
static void check_elementwise(int B, int T, int C)
{
    int n = B * T * C;
    float *x = hbuf(n, 1), *y = hbuf(n, 1), *out = hbuf(n, 0), *dout = hbuf(n, 1), *dx = hbuf(n, 0.5f),
          *pe = hbuf((size_t)T * C, 0);
    gv_posenc(pe, T, C);
    gv_dptr d_x = upf(x, n), d_y = upf(y, n), d_out = upf(out, n), d_dout = upf(dout, n), d_dx = upf(dx, n),
            d_pe = upf(pe, (size_t)T * C);
    gv_relu_forward(out, x, n);
    if (gv_cu_relu_forward(dev, d_out, d_x, n))
        die("relu_forward");
    compare("relu_forward", d_out, out, n, 1e-4);
    gv_relu_backward(dx, dout, out, n);
    if (gv_cu_relu_backward(dev, d_dx, d_dout, d_out, n))
        die("relu_backward");
    compare("relu_backward", d_dx, dx, n, 1e-3);
    gv_add_forward(out, x, y, n);
    if (gv_cu_add_forward(dev, d_out, d_x, d_y, n))
        die("add_forward");
    compare("add_forward", d_out, out, n, 1e-4);
    gv_posenc_add(x, pe, B, T, C);
    if (gv_cu_posenc_add(dev, d_x, d_pe, B, T, C))
        die("posenc_add");
    compare("posenc_add", d_x, x, n, 1e-4);
    /* dropout: the CPU draws the mask (seeded), the device applies it */
    uint8_t *mask = malloc((size_t)n);
    if (!mask)
        exit(1);
    float p = 0.1f;
    gv_dropout_add_forward(out, mask, x, y, n, p, &rng);
    gv_dptr d_mask = up(mask, (size_t)n);
    if (gv_cu_dropout_forward(dev, d_out, d_mask, d_x, d_y, n, p))
        die("dropout_forward");
    compare("dropout_add_forward", d_out, out, n, 1e-4);
    gv_dropout_backward(dx, dout, mask, n, p);
    if (gv_cu_dropout_backward(dev, d_dx, d_dout, d_mask, n, p))
        die("dropout_backward");
    compare("dropout_backward", d_dx, dx, n, 1e-3);
    free(mask);
    gv_cuda_free(dev, d_mask);
    float *h[] = {x, y, out, dout, dx, pe};
    gv_dptr d[] = {d_x, d_y, d_out, d_dout, d_dx, d_pe};
    for (int i = 0; i < 6; i++)
        free(h[i]), gv_cuda_free(dev, d[i]);
}

/* ---- AdamW: three steps, params, m and v compared ------------------------ */
static void check_adamw(size_t n)
{
    gv_adamw a;
    if (gv_adamw_init(&a, n, 0.9f, 0.999f, 1e-8f, 0.01f))
        exit(1);
    float *p = hbuf(n, 1), *g = hbuf(n, 0);
    gv_dptr d_p = upf(p, n), d_g = upf(g, n), d_m = upf(a.m, n), d_v = upf(a.v, n);
    for (int step = 0; step < 3; step++) {
        for (size_t i = 0; i < n; i++)
            g[i] = gv_rng_normal(&rng);
        if (gv_cuda_upload(dev, d_g, g, n * sizeof(float)))
            die("upload");
        gv_adamw_k k;
        gv_adamw_begin(&a, 1e-3f, 0.5f, &k);
        gv_adamw_consume_range(&a, &k, p, g, 0, n);
        float kk[8] = {k.b1, k.b2, k.c1, k.c2, k.decay, k.lr, k.eps, k.gscale};
        if (gv_cu_adamw(dev, d_p, d_g, d_m, d_v, (long long)n, kk))
            die("adamw");
    }
    compare("adamw params (3 steps)", d_p, p, n, 1e-4);
    compare("adamw m", d_m, a.m, n, 1e-4);
    compare("adamw v", d_v, a.v, n, 1e-4);
    compare("adamw grads zeroed", d_g, g, n, 0);
    free(p), free(g);
    gv_adamw_free(&a);
    gv_dptr d[] = {d_p, d_g, d_m, d_v};
    for (int i = 0; i < 4; i++)
        gv_cuda_free(dev, d[i]);
}

int main(void)
{
    gv_cuda_status st;
    char why[256];
    dev = gv_cuda_open(0, &st, why, sizeof why);
    if (!dev) {
        if (st == GV_CUDA_NO_LIB || st == GV_CUDA_BAD_LIB || st == GV_CUDA_NO_DEVICE) {
            printf("no CUDA device: nothing to check (%s)\n", why);
            return 0;
        }
        fprintf(stderr, "gpu_kernels: %s\n", why);
        return 1;
    }
    const gv_cuda_device *d = gv_cuda_info(dev);
    printf("device: %s, %.1f GiB, compute capability %d.%d\n", d->name, d->mem / 1073741824.0, d->cc_major,
           d->cc_minor);
    gv_kernels_set_threads(1);
    gv_rng_seed(&rng, 1234);
    check_linear(37, 45, 51, 0);     /* edges of every tile */
    check_linear(2048, 128, 384, 1); /* a batch of 64 x 32 steps through a qkv projection */
    check_linear(2048, 512, 128, 0);
    check_layernorm(37, 45);
    check_layernorm(2048, 128);
    check_attention(3, 7, 24, 3, 0);
    check_attention(64, 32, 128, 4, 1);
    check_elementwise(4, 32, 37);
    check_adamw(1000003);
    gv_cuda_close(dev);
    printf("%s: %d comparison%s failed\n", failures ? "FAIL" : "ok", failures, failures == 1 ? "" : "s");
    return failures ? 1 : 0;
}

/* test_model.c - the mgt-vae against the PyTorch reference (forward and
 * every gradient), weights I/O round trips and malformed files,
 * determinism, batching. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cond.h"
#include "engine/model.h"
#include "base/fileio.h"
#include "tests/helpers.h"

#define T 32

static void tmpdir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/gv_model_XXXXXX");
    cr_assert(mkdtemp(dir), "mkdtemp");
}

static void rmdir_all(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static void write_f32(const char *dir, const char *name, const float *x, size_t n)
{
    char p[300];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    gv_err e;
    cr_assert_eq(gv_write_atomic(p, x, n * sizeof *x, &e), 0, "%s", e.msg);
}

static float *read_f32(const char *dir, const char *name, size_t n)
{
    char p[300];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    unsigned char *d;
    size_t len;
    gv_err e;
    cr_assert_eq(gv_read_file(p, 1u << 30, &d, &len, &e), 0, "%s: %s", p, e.msg);
    cr_assert_eq(len, n * sizeof(float), "%s: %zu bytes, expected %zu", name, len, n * sizeof(float));
    return (float *)d;
}

static void python(const char *args)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/reference/model_check.py' %s", gv_test_root(), args);
    cr_assert_eq(system(cmd), 0, "reference failed: %s", cmd);
}

static float max_abs_diff(const float *a, const float *b, size_t n)
{
    float m = 0;
    for (size_t i = 0; i < n; i++)
        m = fmaxf(m, fabsf(a[i] - b[i]));
    return m;
}

/* A conditioned model's input (F = GV_COND_FEATURES): random 9-voice
 * windows, each under a mode of its own (lanes 1..3, kept voices, humanize),
 * so that every feature group is exercised. */
static void random_cond_input(gv_rng *r, float *src, int B)
{
    float hvo[T * GV_COND_HVO];
    for (int b = 0; b < B; b++) {
        for (int i = 0; i < T * GV_VOICES; i++) {
            int t = i / GV_VOICES, v = i % GV_VOICES, hit = gv_rng_uniform(r) < 0.25f;
            hvo[t * GV_COND_HVO + v] = (float)hit;
            hvo[t * GV_COND_HVO + GV_VOICES + v] = hit ? gv_rng_uniform(r) : 0.0f;
            hvo[t * GV_COND_HVO + 2 * GV_VOICES + v] = hit ? gv_rng_uniform(r) - 0.5f : 0.0f;
        }
        gv_cond c = {.lanes = 1 + b % 3, .keep = b % 4 == 3 ? 0x3u : 0u, .humanize = b % 5 == 4};
        if (c.humanize)
            c.keep = 0;
        gv_cond_features(&c, hvo, src + (size_t)b * T * GV_COND_FEATURES);
    }
}

static void random_input(gv_rng *r, float *src, int B, int F)
{
    if (F == GV_COND_FEATURES) {
        random_cond_input(r, src, B);
        return;
    }
    for (int i = 0; i < B * T; i++) {
        int hit = gv_rng_uniform(r) < 0.4f;
        src[i * 3] = (float)hit;
        src[i * 3 + 1] = hit ? gv_rng_uniform(r) : 0.0f;
        src[i * 3 + 2] = hit ? gv_rng_uniform(r) - 0.5f : 0.0f;
    }
}

static void normals(gv_rng *r, float *x, size_t n, float s)
{
    for (size_t i = 0; i < n; i++)
        x[i] = s * gv_rng_normal(r);
}

/* Forward (inference and training paths) and all gradients against
 * tests/reference/model_check.py on the same weights and inputs. */
static void cross_check(const gv_config *c, int c_writes, uint64_t seed)
{
    enum { B = 3 };
    char dir[64], path[128];
    tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    gv_err e;
    gv_model m;
    gv_rng r;
    gv_rng_seed(&r, seed);
    int Z = c->latent_dim;
    size_t nz = (size_t)B * Z, nl = (size_t)B * T * GV_OUT_FEATURES, nv = (size_t)B * T * GV_VOICES;
    size_t ns = (size_t)B * T * c->src_features;
    float *src = malloc(ns * 4), *eps = malloc(nz * 4), *gmu = malloc(nz * 4), *glv = malloc(nz * 4);
    float *glog = malloc(nl * 4);
    random_input(&r, src, B, c->src_features);
    normals(&r, eps, nz, 1);
    normals(&r, gmu, nz, 1);
    normals(&r, glv, nz, 1);
    normals(&r, glog, nl, 1);
    write_f32(dir, "src.f32", src, ns);
    write_f32(dir, "eps.f32", eps, nz);
    write_f32(dir, "g_mu.f32", gmu, nz);
    write_f32(dir, "g_logvar.f32", glv, nz);
    write_f32(dir, "g_logits.f32", glog, nl);
    char args[200];
    if (c_writes) {
        cr_assert_eq(gv_model_init_random(&m, c, seed, &e), 0, "%s", e.msg);
        for (size_t i = 0; i < m.nparams; i++) /* LayerNorms and zero biases off their defaults */
            m.params[i] += 0.05f * gv_rng_normal(&r);
        cr_assert_eq(gv_model_save(&m, path, &e), 0, "%s", e.msg);
        gv_model_free(&m);
        snprintf(args, sizeof args, "forward %s", dir);
    } else {
        char *js = gv_config_to_json(c, 1);
        write_f32(dir, "config.json", (const float *)js, 0); /* create, then overwrite with the text */
        char p[128];
        snprintf(p, sizeof p, "%s/config.json", dir);
        cr_assert_eq(gv_write_atomic(p, js, strlen(js), &e), 0);
        free(js);
        snprintf(args, sizeof args, "make %s %llu", dir, (unsigned long long)seed);
    }
    python(args);
    cr_assert_eq(gv_model_load(path, &m, &e), 0, "%s", e.msg);
    float *tmu = read_f32(dir, "mu.f32", nz), *tlv = read_f32(dir, "logvar.f32", nz);
    float *tlog = read_f32(dir, "logits.f32", nl), *tprob = read_f32(dir, "probs.f32", 3 * nv);
    float *tgrad = read_f32(dir, "grads.f32", m.nparams);

    /* inference path */
    gv_infer_ws *iw = gv_infer_ws_new(c, B);
    cr_assert(iw);
    float *mu = malloc(nz * 4), *lv = malloc(nz * 4), *z = malloc(nz * 4), *logits = malloc(nl * 4);
    float *prob = malloc(3 * nv * 4);
    gv_model_encode(&m, src, B, mu, lv, iw);
    for (size_t i = 0; i < nz; i++)
        z[i] = mu[i] + expf(0.5f * lv[i]) * eps[i];
    gv_model_decode_logits_cond(&m, z, src, B, logits, iw);
    gv_model_decode_cond(&m, z, src, B, prob, prob + nv, prob + 2 * nv, iw);
    float dmu = max_abs_diff(mu, tmu, nz), dlv = max_abs_diff(lv, tlv, nz);
    float dlog = max_abs_diff(logits, tlog, nl), dprob = max_abs_diff(prob, tprob, 3 * nv);
    cr_log_info("infer vs pytorch: mu %.2g logvar %.2g logits %.2g probs %.2g", dmu, dlv, dlog, dprob);
    cr_expect_leq(dmu, 1e-4f, "mu differs by %g", dmu);
    cr_expect_leq(dlv, 1e-4f, "logvar differs by %g", dlv);
    cr_expect_leq(dlog, 1e-4f, "logits differ by %g", dlog);
    cr_expect_leq(dprob, 1e-4f, "probabilities differ by %g", dprob);

    /* training path and gradients */
    gv_train_ws *tw = gv_train_ws_new(c, B);
    cr_assert(tw);
    gv_model_forward_train(c, m.params, src, B, 0.0f, eps, NULL, tw);
    cr_expect_leq(max_abs_diff(gv_train_ws_mu(tw), tmu, nz), 1e-4f);
    cr_expect_leq(max_abs_diff(gv_train_ws_logvar(tw), tlv, nz), 1e-4f);
    cr_expect_leq(max_abs_diff(gv_train_ws_logits(tw), tlog, nl), 1e-4f);
    float *grads = calloc(m.nparams, 4);
    gv_model_backward(c, m.params, grads, glog, gmu, glv, tw);
    gv_tensor_info t[GV_MAX_PARAMS_TENSORS];
    int nt = gv_param_table(c, t, NULL);
    double worst = 0;
    int worst_i = 0;
    for (int i = 0; i < nt; i++) {
        float diff = max_abs_diff(grads + t[i].offset, tgrad + t[i].offset, t[i].numel), ref = 0;
        for (size_t k = 0; k < t[i].numel; k++)
            ref = fmaxf(ref, fabsf(tgrad[t[i].offset + k]));
        double rel = diff / fmax(ref, 1e-6);
        cr_expect_leq(rel, 1e-3, "gradient of %s: relative error %g (max |grad| %g)", t[i].name, rel, ref);
        if (rel > worst)
            worst = rel, worst_i = i;
    }
    cr_log_info("gradients vs pytorch autograd: worst relative error %.3g (%s)", worst, t[worst_i].name);
    fprintf(stderr, "model %s: max |diff| mu %.2g logvar %.2g logits %.2g; worst grad rel err %.3g (%s)\n",
            c_writes ? "C->torch" : "torch->C", dmu, dlv, dlog, worst, t[worst_i].name);

    free(grads);
    gv_train_ws_free(tw);
    gv_infer_ws_free(iw);
    free(mu), free(lv), free(z), free(logits), free(prob);
    free(tmu), free(tlv), free(tlog), free(tprob), free(tgrad);
    free(src), free(eps), free(gmu), free(glv), free(glog);
    gv_model_free(&m);
    rmdir_all(dir);
}

static gv_config config_a(void) { return gv_test_config(32, 2, 64, 2, 48, 3, 96, 2, 16); }

static gv_config config_b(void)
{
    gv_config c = gv_test_config(64, 4, 128, 3, 32, 2, 80, 1, 24);
    snprintf(c.o_activation, sizeof c.o_activation, "sigmoid");
    c.layer_norm_eps = 1e-6f;
    return c;
}

Test(model, pytorch_config_a_c_writes, .timeout = 120)
{
    gv_config c = config_a();
    cross_check(&c, 1, 11);
}

Test(model, pytorch_config_b_torch_writes, .timeout = 120)
{
    gv_config c = config_b();
    cross_check(&c, 0, 12);
}

Test(model, pytorch_config_b_c_writes, .timeout = 120)
{
    gv_config c = config_b();
    cross_check(&c, 1, 13);
}

/* The conditioned model (engine/cond.h): the decoder's dec_cond path and
 * the wider enc_in against PyTorch, both ways. */
Test(model, pytorch_conditioned_c_writes, .timeout = 120)
{
    gv_config c = config_a();
    c.src_features = GV_COND_FEATURES;
    cross_check(&c, 1, 14);
}

Test(model, pytorch_conditioned_torch_writes, .timeout = 120)
{
    gv_config c = config_b();
    c.src_features = GV_COND_FEATURES;
    cross_check(&c, 0, 15);
}

Test(model, param_table_is_state_dict_order)
{
    gv_config c;
    gv_config_default(&c);
    gv_tensor_info t[GV_MAX_PARAMS_TENSORS];
    size_t np;
    int n = gv_param_table(&c, t, &np);
    cr_assert_eq(n, 14 + 12 * 4);
    cr_assert_str_eq(t[0].name, "enc_in.weight");
    cr_assert_str_eq(t[2].name, "encoder.layers.0.self_attn.in_proj_weight");
    cr_assert_eq(t[2].shape[0], 384);
    cr_assert_str_eq(t[13].name, "encoder.layers.0.norm2.bias");
    cr_assert_str_eq(t[26].name, "encoder.norm.weight");
    cr_assert_str_eq(t[28].name, "fc_mu.weight");
    cr_assert_eq(t[28].shape[1], 32 * 128);
    cr_assert_str_eq(t[n - 1].name, "dec_out.bias");
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        cr_assert_eq(t[i].offset, off, "%s", t[i].name);
        off += t[i].numel;
    }
    cr_assert_eq(off, np);
}

Test(model, config_validation)
{
    gv_config c;
    gv_err e;
    gv_config_default(&c);
    cr_assert_eq(gv_config_validate(&c, &e), 0, "%s", e.msg);
    c.nhead_enc = 3;
    cr_assert_eq(gv_config_validate(&c, &e), -1);
    cr_assert(strstr(e.msg, "divide"), "%s", e.msg);
    gv_config_default(&c);
    snprintf(c.o_activation, sizeof c.o_activation, "relu");
    cr_assert_eq(gv_config_validate(&c, &e), -1);
    gv_config_default(&c);
    c.steps = 16;
    cr_assert_eq(gv_config_validate(&c, &e), -1);
    char *js = gv_config_to_json(&(gv_config){0}, 0);
    cr_assert_eq(gv_config_from_json(js, strlen(js), &c, &e), -1);
    free(js);
    const char *bad = "{\"arch\":\"mgt-vae\",\"steps\":32}";
    cr_assert_eq(gv_config_from_json(bad, strlen(bad), &c, &e), -1);
    cr_assert(strstr(e.msg, "missing \"voices\""), "%s", e.msg);
}

Test(model, save_load_round_trip_bit_exact)
{
    char dir[64], path[128], side[128];
    tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/m.safetensors", dir);
    snprintf(side, sizeof side, "%s/m.json", dir);
    gv_config c = config_b();
    c.thresholds[3] = 0.3125f;
    c.thresholds[8] = 0.7f;
    gv_model a, b;
    gv_err e;
    cr_assert_eq(gv_model_init_random(&a, &c, 5, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_model_save(&a, path, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_model_load(path, &b, &e), 0, "%s", e.msg);
    cr_assert_eq(b.nparams, a.nparams);
    cr_assert_eq(memcmp(a.params, b.params, a.nparams * sizeof(float)), 0);
    cr_assert_eq(memcmp(&a.cfg, &b.cfg, sizeof a.cfg), 0);
    cr_assert_str_eq(b.path, path);
    unsigned char *js;
    size_t len;
    gv_config sc;
    cr_assert_eq(gv_read_file(side, 1 << 20, &js, &len, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_config_from_json((char *)js, len, &sc, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(&sc, &c, sizeof c), 0);
    cr_assert(strchr((char *)js, '\n'), "sidecar is pretty-printed");
    free(js);
    /* save again: identical bytes */
    unsigned char *f1, *f2;
    size_t l1, l2;
    cr_assert_eq(gv_read_file(path, 1 << 26, &f1, &l1, &e), 0);
    cr_assert_eq(gv_model_save(&b, path, &e), 0);
    cr_assert_eq(gv_read_file(path, 1 << 26, &f2, &l2, &e), 0);
    cr_assert(l1 == l2 && memcmp(f1, f2, l1) == 0);
    free(f1), free(f2);
    gv_model_free(&a);
    gv_model_free(&b);
    rmdir_all(dir);
}

/* A config-A model, a batch of B = 2 and loss gradients G (logits), Gm (mu). */
typedef struct train_fix {
    gv_config c;
    gv_model m;
    float src[2 * T * 3], *G, *Gm, *g;
    size_t nl, nz;
    gv_train_ws *w;
    gv_rng r;
    gv_rng rs[2]; /* one per example of the batch */
} train_fix;
enum { FB = 2 };

/* The per-example generators of a training forward, from one seed. */
static gv_rng *seed_rs(train_fix *f, uint64_t seed)
{
    for (int i = 0; i < FB; i++)
        gv_rng_seed(&f->rs[i], seed * 31 + (uint64_t)i);
    return f->rs;
}

static void fix_init(train_fix *f, uint64_t seed)
{
    f->c = config_a();
    cr_assert_eq(gv_model_init_random(&f->m, &f->c, seed, NULL), 0);
    gv_rng_seed(&f->r, seed + 1);
    random_input(&f->r, f->src, FB, 3);
    f->nl = (size_t)FB * T * GV_OUT_FEATURES, f->nz = (size_t)FB * f->c.latent_dim;
    f->G = malloc(f->nl * 4), f->Gm = malloc(f->nz * 4), f->g = calloc(f->m.nparams, 4);
    normals(&f->r, f->G, f->nl, 1);
    normals(&f->r, f->Gm, f->nz, 1);
    f->w = gv_train_ws_new(&f->c, FB);
    cr_assert(f->w);
}

static void fix_free(train_fix *f)
{
    free(f->G), free(f->Gm), free(f->g);
    gv_train_ws_free(f->w);
    gv_model_free(&f->m);
}

Test(model, deterministic)
{
    train_fix f;
    fix_init(&f, 9);
    gv_model b;
    cr_assert_eq(gv_model_init_random(&b, &f.c, 9, NULL), 0);
    cr_assert_eq(memcmp(f.m.params, b.params, b.nparams * 4), 0);
    gv_model_free(&b);
    cr_assert_eq(gv_model_init_random(&b, &f.c, 10, NULL), 0);
    cr_assert_neq(memcmp(f.m.params, b.params, b.nparams * 4), 0);
    gv_model_free(&b);

    float *logits = malloc(f.nl * 4), *g2 = calloc(f.m.nparams, 4);
    for (int run = 0; run < 2; run++) {
        gv_model_forward_train(&f.c, f.m.params, f.src, FB, 0.1f, NULL, seed_rs(&f, 77), f.w);
        if (run == 0)
            memcpy(logits, gv_train_ws_logits(f.w), f.nl * 4);
        else
            cr_assert_eq(memcmp(logits, gv_train_ws_logits(f.w), f.nl * 4), 0);
        gv_model_backward(&f.c, f.m.params, run ? g2 : f.g, f.G, NULL, NULL, f.w);
    }
    cr_assert_eq(memcmp(f.g, g2, f.m.nparams * 4), 0);
    /* dropout and eps actually change the result */
    gv_model_forward_train(&f.c, f.m.params, f.src, FB, 0.1f, NULL, seed_rs(&f, 78), f.w);
    cr_assert_neq(memcmp(logits, gv_train_ws_logits(f.w), f.nl * 4), 0);
    free(g2), free(logits);
    fix_free(&f);
}

/* Example 1 of a batch of 2 gets the same dropout masks and noise from its
 * own generator as alone in a batch of 1 (the trainer's shards and ranks rely
 * on it), in a workspace that packs its own weights and in one that reads a
 * shared packed copy: the same latent and logits up to the products' rounding
 * (a product's rows are not bit-identical across batch sizes: OpenBLAS takes
 * other paths for one row), where a mask drawn otherwise would differ by
 * far more. */
Test(model, example_draws_do_not_depend_on_the_batch)
{
    train_fix f;
    fix_init(&f, 21);
    size_t one = f.nl / FB, nz1 = f.nz / FB;
    float *logits = malloc(f.nl * 4), *z = malloc(f.nz * 4);
    gv_model_forward_train(&f.c, f.m.params, f.src, FB, 0.1f, NULL, seed_rs(&f, 4), f.w);
    memcpy(logits, gv_train_ws_logits(f.w), f.nl * 4);
    memcpy(z, gv_train_ws_z(f.w), f.nz * 4);
    gv_train_ws *w1 = gv_train_ws_new(&f.c, 1);
    for (int shared = 0; shared < 2; shared++) {
        if (shared)
            gv_train_ws_pack_shared(&w1, 1, f.m.params);
        gv_model_forward_train(&f.c, f.m.params, f.src + T * 3, 1, 0.1f, NULL, seed_rs(&f, 4) + 1, w1);
        cr_assert_leq(max_abs_diff(gv_train_ws_z(w1), z + nz1, nz1), 1e-5f);
        cr_assert_leq(max_abs_diff(gv_train_ws_logits(w1), logits + one, one), 1e-5f);
    }
    gv_train_ws_free(w1);
    free(logits), free(z);
    fix_free(&f);
}

/* A backend that is the CPU's with every op counted: forward and backward
 * run through the workspace's backend, with the reference's bits. */
static int be_calls;
static const gv_backend *be_cpu;
static void cnt_linear_f(float *o, const float *i, const float *w, const float *b, int BT, int C, int OC)
{
    be_calls++;
    be_cpu->linear_forward(o, i, w, b, BT, C, OC);
}
static void cnt_linear_b(float *di, float *dw, float *db, const float *d, const float *i, const float *w, int BT,
                         int C, int OC)
{
    be_calls++;
    be_cpu->linear_backward(di, dw, db, d, i, w, BT, C, OC);
}
static void cnt_layernorm_b(float *di, float *dw, float *db, const float *d, const float *i, const float *w,
                            const float *m, const float *r, int BT, int C)
{
    be_calls++;
    be_cpu->layernorm_backward(di, dw, db, d, i, w, m, r, BT, C);
}

Test(model, forward_and_backward_run_on_the_workspace_backend)
{
    train_fix f;
    fix_init(&f, 12);
    be_cpu = gv_backend_cpu();
    gv_backend counted = *be_cpu;
    counted.name = "counted";
    counted.linear_forward = cnt_linear_f;
    counted.linear_backward = cnt_linear_b;
    counted.layernorm_backward = cnt_layernorm_b;
    float *logits = malloc(f.nl * 4), *g2 = calloc(f.m.nparams, 4);
    for (int run = 0; run < 2; run++) {
        be_calls = 0;
        gv_train_ws_set_backend(f.w, run ? &counted : be_cpu);
        gv_model_forward_train(&f.c, f.m.params, f.src, FB, 0.1f, NULL, seed_rs(&f, 5), f.w);
        if (run == 0)
            memcpy(logits, gv_train_ws_logits(f.w), f.nl * 4);
        else
            cr_assert_eq(memcmp(logits, gv_train_ws_logits(f.w), f.nl * 4), 0);
        gv_model_backward(&f.c, f.m.params, run ? g2 : f.g, f.G, f.Gm, NULL, f.w);
        cr_assert(run ? be_calls > 0 : be_calls == 0, "run %d: %d counted calls", run, be_calls);
    }
    cr_assert_eq(memcmp(f.g, g2, f.m.nparams * 4), 0);
    /* inference on the OpenBLAS path (unpacked) goes through it too */
    gv_model_unpack(&f.m);
    gv_infer_ws *iw = gv_infer_ws_new(&f.c, FB);
    float mu[FB * 64], lv[FB * 64], mu2[FB * 64], lv2[FB * 64];
    gv_model_encode(&f.m, f.src, FB, mu, lv, iw);
    be_calls = 0;
    gv_infer_ws_set_backend(iw, &counted);
    gv_model_encode(&f.m, f.src, FB, mu2, lv2, iw);
    cr_assert_gt(be_calls, 0);
    cr_assert_eq(memcmp(mu, mu2, f.nz * 4), 0);
    gv_infer_ws_free(iw);
    free(g2), free(logits);
    fix_free(&f);
}

/* Gradients accumulate: two backward passes give twice one. */
Test(model, backward_accumulates)
{
    train_fix f;
    fix_init(&f, 3);
    gv_model_forward_train(&f.c, f.m.params, f.src, FB, 0.0f, NULL, seed_rs(&f, 3), f.w);
    float *g2 = calloc(f.m.nparams, 4);
    gv_model_backward(&f.c, f.m.params, f.g, f.G, f.Gm, NULL, f.w);
    gv_model_backward(&f.c, f.m.params, g2, f.G, f.Gm, NULL, f.w);
    gv_model_backward(&f.c, f.m.params, g2, f.G, f.Gm, NULL, f.w);
    size_t nonzero = 0;
    for (size_t i = 0; i < f.m.nparams; i++) {
        cr_assert_float_eq(g2[i], 2 * f.g[i], 1e-5f * (1 + fabsf(f.g[i])), "param %zu", i);
        nonzero += f.g[i] != 0;
    }
    cr_assert_gt(nonzero, f.m.nparams * 9 / 10);
    free(g2);
    fix_free(&f);
}

Test(model, batch_equals_single_passes)
{
    gv_config c = config_a();
    gv_model m;
    cr_assert_eq(gv_model_init_random(&m, &c, 21, NULL), 0);
    enum { N = 5 };
    int Z = c.latent_dim;
    float src[N * T * 3], mu[N * 16], lv[N * 16], mu1[16], lv1[16];
    static float logits[N * T * 27], l1[T * 27];
    gv_rng r;
    gv_rng_seed(&r, 2);
    random_input(&r, src, N, 3);
    gv_infer_ws *big = gv_infer_ws_new(&c, 8), *small = gv_infer_ws_new(&c, 1), *two = gv_infer_ws_new(&c, 2);
    gv_model_encode(&m, src, N, mu, lv, big);
    gv_model_decode_logits(&m, mu, N, logits, big);
    float worst = 0;
    for (int n = 0; n < N; n++) {
        gv_model_encode(&m, src + n * T * 3, 1, mu1, lv1, small);
        gv_model_decode_logits(&m, mu + n * Z, 1, l1, small);
        worst = fmaxf(worst, max_abs_diff(mu1, mu + n * Z, Z));
        worst = fmaxf(worst, max_abs_diff(lv1, lv + n * Z, Z));
        worst = fmaxf(worst, max_abs_diff(l1, logits + n * T * 27, T * 27));
    }
    cr_log_info("batch vs single max |diff| %g", worst);
    cr_assert_leq(worst, 1e-6f, "batch and single passes differ by %g", worst);
    /* a workspace smaller than the batch goes in chunks */
    float mu2[N * 16], lv2[N * 16];
    gv_model_encode(&m, src, N, mu2, lv2, two);
    cr_assert_leq(max_abs_diff(mu2, mu, N * Z), 1e-6f);
    gv_infer_ws_free(big), gv_infer_ws_free(small), gv_infer_ws_free(two);
    gv_model_free(&m);
}

Test(model, activations)
{
    gv_config c;
    gv_config_default(&c);
    float logits[T * 27] = {0}, h[T * 9], v[T * 9], o[T * 9];
    logits[0] = 2.0f, logits[9] = -1.0f, logits[18] = 3.0f;
    gv_model_activate(&c, logits, 1, h, v, o);
    cr_assert_float_eq(h[0], 1 / (1 + expf(-2)), 1e-6);
    cr_assert_float_eq(v[0], 1 / (1 + expf(1)), 1e-6);
    cr_assert_float_eq(o[0], 0.5f * tanhf(3), 1e-6);
    cr_assert_float_eq(h[1], 0.5f, 1e-6);
    snprintf(c.o_activation, sizeof c.o_activation, "sigmoid");
    gv_model_activate(&c, logits, 1, h, v, o);
    cr_assert_float_eq(o[0], 1 / (1 + expf(-3)) - 0.5f, 1e-6);
    cr_assert_float_eq(o[1], 0.0f, 1e-6);
}

static void refused(const char *file, const char *msg)
{
    char p[512];
    snprintf(p, sizeof p, "%s/tests/data/model/%s", gv_test_root(), file);
    gv_model m;
    gv_err e = {0};
    cr_assert_eq(gv_model_load(p, &m, &e), -1, "%s loaded", file);
    cr_assert(strstr(e.msg, msg), "%s: \"%s\" does not say \"%s\"", file, e.msg, msg);
    cr_assert_null(m.params);
}

/* Loads ROOT/rel, which must load. */
static void load_ok(const char *rel, gv_model *m)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", gv_test_root(), rel);
    gv_err e;
    cr_assert_eq(gv_model_load(p, m, &e), 0, "%s: %s", p, e.msg);
}

Test(model, malformed_files_refused)
{
    gv_model m;
    load_ok("tests/data/model/valid.safetensors", &m);
    cr_assert_eq(m.cfg.d_model_enc, 4);
    gv_model_free(&m);
    refused("truncated.safetensors", "truncated");
    refused("header_past_eof.safetensors", "past end of file");
    refused("huge_header.safetensors", "16 MiB limit");
    refused("bad_json.safetensors", "not valid JSON");
    refused("missing_tensor.safetensors", "missing tensor dec_out.bias");
    refused("wrong_shape.safetensors", "tensor fc_mu.weight: shape [128, 2], the config says [2, 128]");
    refused("wrong_dtype.safetensors", "tensor enc_in.bias: dtype F16, expected F32");
    refused("overlap.safetensors", "overlaps");
    refused("config_mismatch.safetensors", "tensor enc_in.weight: shape [4, 3], the config says [8, 3]");
    refused("no_config.safetensors", "no \"config\"");
    refused("unexpected_tensor.safetensors", "unexpected tensor extra");
    refused("nan_weight.safetensors", "NaN");
    refused("does_not_exist.safetensors", "No such file");
    refused("", "is a directory"); /* the directory itself */
}

Test(model, load_mem_short_inputs)
{
    gv_model m;
    gv_err e;
    static const unsigned char z[16];
    cr_assert_eq(gv_model_load_mem(z, 0, &m, &e), -1);
    cr_assert_eq(gv_model_load_mem(z, 7, &m, &e), -1);
    cr_assert(strstr(e.msg, "too short"), "%s", e.msg);
    cr_assert_eq(gv_model_load_mem(z, 16, &m, &e), -1);
}

Test(model, shipped_default_loads)
{
    gv_model m;
    load_ok("engine/models/default.safetensors", &m);
    gv_infer_ws *w = gv_infer_ws_new(&m.cfg, 1);
    static float src[T * GV_COND_FEATURES] = {1, 0.8f, 0}, mu[2048], lv[2048];
    static float h[T * 9], v[T * 9], o[T * 9];
    cr_assert(m.cfg.src_features <= GV_COND_FEATURES);
    gv_model_encode(&m, src, 1, mu, lv, w);
    gv_model_decode_cond(&m, mu, src, 1, h, v, o, w);
    for (int i = 0; i < T * 9; i++)
        cr_assert(h[i] >= 0 && h[i] <= 1 && v[i] >= 0 && v[i] <= 1 && o[i] >= -0.5f && o[i] <= 0.5f);
    gv_infer_ws_free(w);
    gv_model_free(&m);
}

/* loss = sum(logits * G) + sum(mu * Gm) with the same dropout masks and eps
 * (rng reseeded), in double. */
static double dropout_loss(train_fix *f, const float *params)
{
    gv_model_forward_train(&f->c, params, f->src, FB, 0.2f, NULL, seed_rs(f, 99), f->w);
    double s = 0;
    const float *l = gv_train_ws_logits(f->w), *mu = gv_train_ws_mu(f->w);
    for (size_t i = 0; i < f->nl; i++)
        s += (double)l[i] * f->G[i];
    for (size_t i = 0; i < f->nz; i++)
        s += (double)mu[i] * f->Gm[i];
    return s;
}

/* The dropout path (p > 0) has no PyTorch twin with the same masks: check
 * its gradient against central differences. */
Test(model, dropout_gradient_finite_difference, .timeout = 60)
{
    train_fix f;
    fix_init(&f, 31);
    float *p2 = malloc(f.m.nparams * 4);
    gv_tensor_info t[GV_MAX_PARAMS_TENSORS];
    int nt = gv_param_table(&f.c, t, NULL);
    dropout_loss(&f, f.m.params);
    gv_model_backward(&f.c, f.m.params, f.g, f.G, f.Gm, NULL, f.w);
    /* per tensor, its element of largest gradient (most signal over float
     * noise), perturbed alone */
    double worst = 0;
    const float *P = f.m.params, *g = f.g;
    memcpy(p2, P, f.m.nparams * 4);
    for (int i = 0; i < nt; i++) {
        size_t k = t[i].offset;
        for (size_t j = t[i].offset; j < t[i].offset + t[i].numel; j++)
            if (fabsf(g[j]) > fabsf(g[k]))
                k = j;
        /* two step sizes: a relu kink crossed at one is rarely crossed at both */
        double rel = INFINITY, fd = 0;
        for (double h = 1e-3; h > 2e-4; h /= 4) {
            p2[k] = P[k] + (float)h;
            double lp = dropout_loss(&f, p2);
            p2[k] = P[k] - (float)h;
            double lm = dropout_loss(&f, p2);
            p2[k] = P[k];
            double d = (lp - lm) / (2 * h), r = fabs(d - g[k]) / fmax(fabs(g[k]), 1e-2);
            if (r < rel)
                rel = r, fd = d;
        }
        worst = fmax(worst, rel);
        cr_expect_leq(rel, 2e-2, "%s[%zu]: finite difference %g, backward %g", t[i].name, k - t[i].offset, fd,
                      (double)g[k]);
    }
    cr_log_info("dropout path: worst finite-difference rel err %g", worst);
    free(p2);
    fix_free(&f);
}

/* test_rnn.c - the recurrent VAE family (engine/rnn.h) against PyTorch
 * (tests/reference/groovae.py: nn.LSTM, bidirectional, the conductor) on the
 * same safetensors: losses, logits, mu/logvar, the gradient of every tensor,
 * and free-running decoding (PyTorch fed the steps C wrote), flat and
 * hierarchical, each input kind. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/rnn.h"
#include "engine/safetensors.h"
#include "kernels/rng.h"
#include "tests/helpers.h"

#define NF GV_RNN_OUT

static float *fzeros(size_t n)
{
    float *p = calloc(n ? n : 1, sizeof *p);
    cr_assert_not_null(p);
    return p;
}

static double rel_err(const float *a, const float *b, size_t n)
{
    double m = 0, e = 0;
    for (size_t i = 0; i < n; i++) {
        m = fmax(m, fabs(b[i]));
        e = fmax(e, fabs((double)a[i] - b[i]));
    }
    return e / fmax(1e-4, m);
}

/* Random targets: hits with rate 0.3, velocity and offset on hits. */
static void targets(gv_rng *r, float *y, int B, int T)
{
    for (int i = 0; i < B * T; i++)
        for (int v = 0; v < 9; v++) {
            int h = gv_rng_uniform(r) < 0.3f;
            y[i * NF + v] = (float)h;
            y[i * NF + 9 + v] = h ? 0.1f + 0.9f * gv_rng_uniform(r) : 0.f;
            y[i * NF + 18 + v] = h ? gv_rng_uniform(r) - 0.5f : 0.f;
        }
}

static void check(const gv_rnn_config *c, int B, int n, uint64_t seed)
{
    gv_err e = {0};
    cr_assert_eq(gv_rnn_config_check(c, &e), 0, "%s", e.msg);
    gv_tensor_info t[GV_RNN_MAX_TENSORS];
    size_t np;
    int nt = gv_rnn_tensors(c, t, &np);
    float *P = fzeros(np), *G = fzeros(np);
    gv_rnn_init(c, P, seed);
    int T = c->steps, In = c->input, Z = c->latent;
    gv_rng r;
    gv_rng_seed(&r, seed + 100);
    float *x = fzeros((size_t)B * T * In), *y = fzeros((size_t)B * T * NF), *eps = fzeros((size_t)B * Z);
    for (size_t i = 0; i < (size_t)B * T * In; i++)
        x[i] = gv_rng_uniform(&r);
    targets(&r, y, B, T);
    for (size_t i = 0; i < (size_t)B * Z; i++)
        eps[i] = gv_rng_normal(&r);
    gv_rnn_ws *ws = gv_rnn_ws_new(c, B > n ? B : n);
    cr_assert_not_null(ws);
    float *logits = fzeros((size_t)B * T * NF), *mu = fzeros((size_t)B * Z), *lv = fzeros((size_t)B * Z);
    gv_rnn_forward(c, P, ws, x, y, eps, B, 1, 7, logits, mu, lv);
    gv_rnn_loss_parts lp;
    gv_rnn_loss(c, ws, y, B, &lp);
    gv_rnn_backward(c, P, G, ws, B);
    float *zdec = fzeros((size_t)n * Z), *ydec = fzeros((size_t)n * T * NF), *probs = fzeros((size_t)n * T * NF);
    for (size_t i = 0; i < (size_t)n * Z; i++)
        zdec[i] = 2.f * gv_rng_normal(&r);
    gv_rnn_decode(c, P, ws, zdec, n, NULL, NULL, ydec, probs);

    char dir[64], path[128], batch[128], out[128], cfg[512], cmd[600];
    snprintf(dir, sizeof dir, "/tmp/gv_rnn_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.safetensors", dir);
    snprintf(batch, sizeof batch, "%s/batch", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    gv_rnn_config_json(c, cfg, sizeof cfg);
    cr_assert_eq(gv_st_write(path, cfg, t, nt, P, &e), 0, "%s", e.msg);
    FILE *f = fopen(batch, "wb");
    cr_assert_not_null(f);
    int32_t hdr[2] = {B, n};
    fwrite(hdr, sizeof hdr, 1, f);
    fwrite(x, sizeof(float), (size_t)B * T * In, f);
    fwrite(y, sizeof(float), (size_t)B * T * NF, f);
    fwrite(eps, sizeof(float), (size_t)B * Z, f);
    fwrite(zdec, sizeof(float), (size_t)n * Z, f);
    fwrite(ydec, sizeof(float), (size_t)n * T * NF, f);
    cr_assert_eq(fclose(f), 0);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/reference/groovae.py' %s %s %s", gv_test_root(), path,
             batch, out);
    cr_assert_eq(system(cmd), 0, "reference failed: %s", cmd);
    f = fopen(out, "rb");
    cr_assert_not_null(f);
    double ref_loss[5];
    cr_assert_eq(fread(ref_loss, sizeof(double), 5, f), 5);
    double mine[5] = {lp.hits, lp.vel, lp.off, lp.kl, lp.total};
    const char *ln[5] = {"hits", "vel", "off", "kl", "total"};
    for (int i = 0; i < 5; i++)
        cr_assert(fabs(mine[i] - ref_loss[i]) <= 1e-4 * fmax(1.0, fabs(ref_loss[i])), "loss %s: %g vs %g", ln[i],
                  mine[i], ref_loss[i]);
    size_t rest = (size_t)B * T * NF + 2 * (size_t)B * Z + np + (size_t)n * T * NF;
    float *ref = fzeros(rest);
    cr_assert_eq(fread(ref, sizeof(float), rest, f), rest);
    fclose(f);
    const float *rp = ref;
    cr_assert(rel_err(logits, rp, (size_t)B * T * NF) < 1e-4, "logits differ: %g", rel_err(logits, rp, (size_t)B * T * NF));
    rp += (size_t)B * T * NF;
    cr_assert(rel_err(mu, rp, (size_t)B * Z) < 1e-4, "mu differs");
    rp += (size_t)B * Z;
    cr_assert(rel_err(lv, rp, (size_t)B * Z) < 1e-4, "logvar differs");
    rp += (size_t)B * Z;
    for (int i = 0; i < nt; i++) {
        double er = rel_err(G + t[i].offset, rp + t[i].offset, t[i].numel);
        cr_assert(er < 1e-3, "gradient of %s differs by %g (relative)", t[i].name, er);
    }
    rp += np;
    double pe = rel_err(probs, rp, (size_t)n * T * NF);
    cr_assert(pe < 1e-4, "free-running decode: probabilities differ by %g", pe);
    int hits = 0;
    for (size_t i = 0; i < (size_t)n * T; i++)
        for (int v = 0; v < 9; v++)
            hits += ydec[i * NF + v] > 0.5f;
    cr_assert(hits > 0 && hits < n * T * 9, "a decode that is all or nothing proves little (%d hits)", hits);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    gv_rnn_ws_free(ws);
    float *all[] = {P, G, x, y, eps, logits, mu, lv, zdec, ydec, probs, ref};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
}

static gv_rnn_config small(int hier, int input)
{
    gv_rnn_config c;
    gv_rnn_config_default(&c, hier);
    c.input = input;
    c.enc = 16, c.latent = 8, c.dec = 12, c.dec_layers = 2, c.cond = 10, c.dropout = 0.f;
    c.free_bits = 0.5f; /* below the KL of these random weights: its gradient flows */
    return c;
}

Test(rnn, flat_groove_input_matches_pytorch)
{
    gv_rnn_config c = small(0, GV_RNN_IN_GROOVE);
    check(&c, 3, 2, 1);
}

Test(rnn, flat_full_input_one_layer_matches_pytorch)
{
    gv_rnn_config c = small(0, GV_RNN_IN_FULL);
    c.dec_layers = 1;
    check(&c, 2, 3, 2);
}

Test(rnn, hierarchical_four_bars_matches_pytorch)
{
    gv_rnn_config c = small(1, GV_RNN_IN_HITS);
    check(&c, 2, 2, 3);
}

Test(rnn, free_bits_stop_the_kl_gradient)
{
    gv_rnn_config c = small(0, GV_RNN_IN_GROOVE);
    c.free_bits = 1e6f;
    check(&c, 2, 1, 4);
}

/* ---------------------------------------------------------------- training */

#include "trainer/rnn_train.h"

static void record(const gv_rnn_epoch *s, void *u)
{
    gv_rnn_epoch *log = u;
    log[s->epoch - 1] = *s;
}

/* A few GMD files, a tiny model, a few epochs: the validation loss falls,
 * and the same seed gives the same weights to the bit. */
Test(rnn, training_learns_and_is_reproducible, .timeout = 600)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/patterns/gmd", gv_test_root());
    gv_data_opts d;
    gv_data_opts_default(&d);
    d.max_files = 12;
    const char *sp[2] = {"train", "validation"};
    gv_windows w[2];
    gv_err e = {0};
    cr_assert_eq(gv_data_load(dir, &d, sp, 2, NULL, w, NULL, &e), 0, "%s", e.msg);
    cr_assert_gt(w[0].n, 64);
    gv_rnn_config c = small(0, GV_RNN_IN_GROOVE);
    c.enc = 24, c.latent = 16, c.dec = 24, c.dropout = 0.3f, c.free_bits = 4.f;
    size_t np;
    gv_rnn_tensors(&c, NULL, &np);
    float *p1 = fzeros(np), *p2 = fzeros(np);
    gv_rnn_init(&c, p1, 5);
    memcpy(p2, p1, np * sizeof *p1);
    gv_rnn_loss_parts before;
    cr_assert_eq(gv_rnn_val_loss(&c, p1, &w[1], &before, &e), 0, "%s", e.msg);
    gv_rnn_train_opts o;
    gv_rnn_train_opts_default(&o);
    o.epochs = 4, o.batch = 16, o.lr = 3e-3f, o.seed = 9;
    gv_rnn_epoch log[4] = {0};
    cr_assert_eq(gv_rnn_train(&c, p1, &w[0], &w[1], &o, record, log, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_rnn_train(&c, p2, &w[0], &w[1], &o, NULL, NULL, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(p1, p2, np * sizeof *p1), 0, "same seed, same weights");
    double best = INFINITY;
    for (int i = 0; i < 4; i++)
        best = fmin(best, log[i].val.total);
    cr_assert_lt(best, 0.8 * before.total, "validation loss %g -> %g", before.total, best);
    gv_rnn_loss_parts after;
    cr_assert_eq(gv_rnn_val_loss(&c, p1, &w[1], &after, &e), 0, "%s", e.msg);
    cr_assert_float_eq(after.total, best, 1e-6 * best, "the best epoch's weights are kept");
    gv_windows_free(&w[0]);
    gv_windows_free(&w[1]);
    free(p1);
    free(p2);
}

/* The packed SIMD path of generation gives what the OpenBLAS path gives, to
 * rounding: the same latents and the same probabilities along the same path. */
Test(rnn, packed_generation_matches)
{
    for (int hier = 0; hier < 2; hier++) {
        gv_rnn_config c = small(hier, GV_RNN_IN_FULL);
        size_t np;
        gv_rnn_tensors(&c, NULL, &np);
        float *P = fzeros(np), *Q = fzeros(np);
        gv_rnn_init(&c, P, 11);
        gv_rnn_pack(&c, P, Q);
        int n = 3, T = c.steps, Z = c.latent;
        gv_rng r;
        gv_rng_seed(&r, 12);
        float *x = fzeros((size_t)n * T * c.input);
        targets(&r, x, n, T);
        gv_rnn_ws *a = gv_rnn_ws_new(&c, n), *b = gv_rnn_ws_new(&c, n);
        gv_rnn_ws_use_packed(b, Q);
        float *mu1 = fzeros((size_t)n * Z), *mu2 = fzeros((size_t)n * Z), *lv = fzeros((size_t)n * Z);
        gv_rnn_encode(&c, P, a, x, n, mu1, lv);
        gv_rnn_encode(&c, P, b, x, n, mu2, lv);
        cr_assert(rel_err(mu2, mu1, (size_t)n * Z) < 1e-5, "hier %d: mu differs by %g", hier,
                  rel_err(mu2, mu1, (size_t)n * Z));
        float *o1 = fzeros((size_t)n * T * NF), *o2 = fzeros((size_t)n * T * NF);
        float *p1 = fzeros((size_t)n * T * NF), *p2 = fzeros((size_t)n * T * NF);
        gv_rnn_decode(&c, P, a, mu1, n, NULL, NULL, o1, p1);
        gv_rnn_decode(&c, P, b, mu1, n, NULL, NULL, o2, p2);
        cr_assert(rel_err(p2, p1, (size_t)n * T * NF) < 1e-4, "hier %d: probabilities differ by %g", hier,
                  rel_err(p2, p1, (size_t)n * T * NF));
        gv_rnn_ws_free(a);
        gv_rnn_ws_free(b);
        float *all[] = {P, Q, x, mu1, mu2, lv, o1, o2, p1, p2};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++)
            free(all[i]);
    }
}

/* ------------------------------------------- as a model of groove's engine */

#include "engine/ops.h"
#include "patterns/presets.h"

/* A recurrent model behind gv_model: saved and loaded like the transformer
 * (the arch in its config), and every operation of engine/ops.h runs on it. */
Test(rnn, a_groovae_model_file_and_the_engine_operations)
{
    gv_config c;
    gv_config_default_rnn(&c, 0);
    c.rnn.enc = 24, c.rnn.latent = 16, c.rnn.dec = 20, c.rnn.dec_layers = 2;
    gv_config_rnn_sync(&c);
    gv_model m, back;
    gv_err e = {0};
    cr_assert_eq(gv_model_init_random(&m, &c, 4, &e), 0, "%s", e.msg);
    char dir[64], path[128];
    snprintf(dir, sizeof dir, "/tmp/gv_rnn_model_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/g.safetensors", dir);
    cr_assert_eq(gv_model_save(&m, path, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_model_load(path, &back, &e), 0, "%s", e.msg);
    cr_assert_str_eq(back.cfg.arch, "groovae");
    cr_assert_eq(back.nparams, m.nparams);
    cr_assert_eq(memcmp(back.params, m.params, m.nparams * sizeof(float)), 0);
    cr_assert_eq(back.cfg.rnn.enc, 24);
    /* drumify a groove, twice: same seed, same bytes; it plays something */
    gv_pattern in, out[2], again[2];
    cr_assert_eq(gv_preset_load("rock-basic", &in, &e), 0, "%s", e.msg);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 3;
    gv_gen_ws *ws = gv_gen_ws_new(&back.cfg, 2);
    cr_assert_not_null(ws);
    float z[2 * 16];
    cr_assert_eq(gv_op_drumify(&back, &in, 2, &o, out, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_op_drumify(&back, &in, 2, &o, again, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(out[0].hit, again[0].hit, sizeof out[0].hit), 0);
    cr_assert_eq(memcmp(out[1].vel, again[1].vel, sizeof out[1].vel), 0);
    gv_pattern s[3];
    float zs[3 * 16];
    cr_assert_eq(gv_op_sample(&back, 3, 32, 120.f, &o, s, zs, ws, &e), 0, "%s", e.msg);
    gv_op_src a = {&in, NULL, 0}, b = {&out[0], NULL, 0};
    gv_pattern path3[3];
    cr_assert_eq(gv_op_interpolate(&back, &a, &b, 3, 32, 120.f, &o, path3, zs, ws, &e), 0, "%s", e.msg);
    /* a lane-aware request is refused with one line: this model reads the groove alone */
    o.cond.lanes = 3;
    cr_assert_eq(gv_op_drumify(&back, &in, 1, &o, out, z, ws, &e), -1);
    cr_assert_str_eq(e.msg, "this 2-bar groovae model has no lanes mode (its modes: drumify)");
    gv_gen_ws_free(ws);
    gv_model_free(&m);
    gv_model_free(&back);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* A tiny conductor model (4 bars) reading `input`. */
static void tiny4(gv_model *m, int input, uint64_t seed)
{
    gv_config c;
    gv_config_default_rnn(&c, 1);
    c.rnn.enc = 8, c.rnn.latent = 6, c.rnn.dec = 12, c.rnn.cond = 8, c.rnn.input = input;
    gv_config_rnn_sync(&c);
    gv_err e = {0};
    cr_assert_eq(gv_model_init_random(m, &c, seed, &e), 0, "%s", e.msg);
    for (int v = 0; v < GV_VOICES; v++) /* random weights sit near p 0.5: some hits, not every cell */
        m->cfg.thresholds[v] = 0.5f;
}

/* rock-basic repeated to `steps` steps. */
static void rock(gv_pattern *p, int steps)
{
    gv_pattern b;
    gv_err e = {0};
    cr_assert_eq(gv_preset_load("rock-basic", &b, &e), 0, "%s", e.msg);
    gv_pattern_init(p, steps, 120.f, "rock");
    for (int t = 0; t < steps; t++)
        for (int v = 0; v < GV_VOICES; v++)
            gv_pattern_set(p, t, v, b.hit[t % b.steps][v], b.vel[t % b.steps][v], b.off[t % b.steps][v]);
}

static int same(const gv_pattern *a, const gv_pattern *b)
{
    return a->steps == b->steps && !memcmp(a->hit, b->hit, sizeof a->hit) && !memcmp(a->vel, b->vel, sizeof a->vel) &&
           !memcmp(a->off, b->off, sizeof a->off);
}

/* Chunk c of latent z [L] decoded as gv_gen_decode does it, by hand: the
 * decoder's T steps in one pass, the hits from them, into out's steps
 * [c*T, c*T + T). */
static void by_hand(const gv_model *m, const float *z, const gv_gen_opts *o, uint64_t seed, int c, gv_pattern *out)
{
    int T = m->cfg.steps;
    gv_infer_ws *iw = gv_infer_ws_new(&m->cfg, 1);
    float *hp = fzeros((size_t)3 * T * GV_VOICES);
    gv_model_decode(m, z, 1, hp, hp + T * GV_VOICES, hp + 2 * T * GV_VOICES, iw);
    gv_gen_hits(&m->cfg, hp, hp + T * GV_VOICES, hp + 2 * T * GV_VOICES, o, gv_gen_chunk_seed(seed, c), out, c * T, T);
    free(hp);
    gv_infer_ws_free(iw);
}

/* A 4-bar model writes a 4-bar pattern in one piece (one latent, the
 * decoder's 64 steps in one pass) and an 8-bar one in two chunks; drumify,
 * sample, vary and interpolate all run on it; same seed, same bytes. */
Test(rnn, a_four_bar_model_generates_four_bars_in_one_piece)
{
    gv_model m;
    tiny4(&m, GV_RNN_IN_GROOVE, 5);
    int L = m.cfg.latent_dim;
    gv_err e = {0};
    cr_assert_eq(gv_op_model_ok(&m, GV_MODE_DRUMIFY, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_gen_chunks(&m.cfg, 64), 1);
    cr_assert_eq(gv_gen_chunks(&m.cfg, 80), 2);
    cr_assert_eq(gv_gen_chunks(&m.cfg, 128), 2);
    gv_gen_ws *ws = gv_gen_ws_new(&m.cfg, 2);
    cr_assert_not_null(ws);
    static gv_pattern in, out[3], again[3], one;
    float z[3 * 2 * 6], z2[3 * 2 * 6];
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 21;
    /* drumify: 64 steps from one latent a suggestion, twice the same */
    rock(&in, 64);
    cr_assert_eq(gv_op_drumify(&m, &in, 2, &o, out, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_op_drumify(&m, &in, 2, &o, again, z2, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(out[0].steps, 64);
    cr_assert(same(&out[0], &again[0]) && same(&out[1], &again[1]));
    cr_assert_eq(memcmp(z, z2, 2 * L * sizeof *z), 0);
    /* sample: 4 bars in one pass of the decoder; 8 bars in two chunks */
    cr_assert_eq(gv_op_sample(&m, 2, 64, 120.f, &o, out, z, ws, &e), 0, "%s", e.msg);
    gv_pattern_init(&one, 64, 120.f, "");
    by_hand(&m, z, &o, o.seed, 0, &one);
    cr_assert(same(&out[0], &one), "the 4-bar sample is not the decoder's one 64-step pass");
    cr_assert(gv_pattern_count(&out[0]) > 0 && gv_pattern_count(&out[0]) < 64 * GV_VOICES);
    cr_assert_eq(gv_op_sample(&m, 2, 128, 120.f, &o, out, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_op_sample(&m, 2, 128, 120.f, &o, again, z2, ws, &e), 0, "%s", e.msg);
    cr_assert(same(&out[1], &again[1]));
    cr_assert_eq(out[0].steps, 128);
    gv_pattern_init(&one, 128, 120.f, "");
    by_hand(&m, z, &o, o.seed, 0, &one);
    by_hand(&m, z + L, &o, o.seed, 1, &one);
    cr_assert(same(&out[0], &one), "the 8-bar sample is not two 4-bar chunks");
    /* interpolate 4 bars: the ends are the patterns' latents decoded */
    gv_pattern b;
    rock(&b, 64);
    gv_pattern_set(&b, 8, 2, 1, 0.9f, 0.f);
    gv_pattern a = in;
    gv_op_src sa = {&a, NULL, 0}, sb = {&b, NULL, 0};
    cr_assert_eq(gv_op_interpolate(&m, &sa, &sb, 3, 64, 120.f, &o, out, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(out[2].steps, 64);
    cr_assert_eq(gv_op_decode(&m, z + 2 * L, 1, 64, 120.f, &o, &one, ws, &e), 0, "%s", e.msg);
    cr_assert(same(&out[2], &one));
    /* vary around a kept 4-bar latent */
    gv_op_src kept = {&a, z, L};
    cr_assert_eq(gv_op_vary(&m, &kept, 2, 64, 120.f, &o, out, z2, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(out[1].steps, 64);
    gv_gen_ws_free(ws);
    gv_model_free(&m);
}

/* A model of the hits humanizes 4 bars: the input's hits exactly, the
 * model's velocities; a model of the whole pattern does not drumify. */
Test(rnn, humanize_and_full_pattern_models_over_four_bars)
{
    gv_model h, f;
    tiny4(&h, GV_RNN_IN_HITS, 6);
    tiny4(&f, GV_RNN_IN_FULL, 7);
    gv_err e = {0};
    static gv_pattern in, out[2];
    rock(&in, 64);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.cond.humanize = 1;
    gv_gen_ws *ws = gv_gen_ws_new(&h.cfg, 1), *wf = gv_gen_ws_new(&f.cfg, 2);
    float z[2 * 6];
    cr_assert_eq(gv_op_drumify(&h, &in, 1, &o, out, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(out[0].hit, in.hit, sizeof in.hit), 0, "humanize changed the hits");
    cr_assert_eq(gv_op_drumify(&f, &in, 1, &o, out, z, wf, &e), -1);
    cr_assert_str_eq(e.msg, "this 4-bar groovae-hier model has no humanize mode (its modes: full)");
    o.cond.humanize = 0;
    cr_assert_eq(gv_op_drumify(&f, &in, 1, &o, out, z, wf, &e), -1);
    cr_assert_str_eq(e.msg, "this 4-bar groovae-hier model has no drumify mode (its modes: full)");
    cr_assert_eq(e.code, GV_E_MODEL);
    cr_assert_eq(gv_op_drumify(&h, &in, 1, &o, out, z, ws, &e), -1);
    cr_assert(strstr(e.msg, "no drumify mode (its modes: humanize)"), "%s", e.msg);
    /* sample and vary need no mode; the full model's encoder reads every voice */
    cr_assert_eq(gv_op_sample(&f, 2, 64, 120.f, &o, out, z, wf, &e), 0, "%s", e.msg);
    gv_op_src src = {&in, NULL, 0};
    cr_assert_eq(gv_op_vary(&f, &src, 2, 64, 120.f, &o, out, z, wf, &e), 0, "%s", e.msg);
    gv_pattern quiet = in;
    for (int t = 0; t < 64; t++)
        quiet.vel[t][0] *= 0.5f; /* the kick's velocities: not in the groove, in the whole pattern */
    float mu1[6], lv[6 * GV_GEN_MAX_CHUNKS], mu2[6 * GV_GEN_MAX_CHUNKS];
    gv_op_encode(&f, &in, mu1, lv, wf);
    gv_op_encode(&f, &quiet, mu2, lv, wf);
    cr_assert(memcmp(mu1, mu2, sizeof mu1) != 0, "the full model's encoder did not read the kick's velocities");
    /* the jam and the TUI work in 2-bar windows */
    cr_assert_eq(gv_op_model_ok(&h, 0, GV_MODEL_STEPS, &e), -1);
    cr_assert_str_eq(e.msg, "a 4-bar model (groovae-hier): this works in 2-bar windows; give it a 2-bar model");
    gv_gen_ws_free(ws);
    gv_gen_ws_free(wf);
    gv_model_free(&h);
    gv_model_free(&f);
}

/* Modes in the config: written, read back, derived when absent, checked. */
Test(rnn, modes_in_the_config)
{
    gv_config c, back;
    gv_err e = {0};
    gv_config_default_rnn(&c, 1);
    cr_assert_eq(gv_config_modes(&c), GV_MODE_DRUMIFY);
    char *js = gv_config_to_json(&c, 0);
    cr_assert(strstr(js, "\"modes\":[\"drumify\"]"), "%s", js);
    cr_assert_eq(gv_config_from_json(js, strlen(js), &back, &e), 0, "%s", e.msg);
    cr_assert_eq(back.modes, GV_MODE_DRUMIFY);
    free(js);
    /* a file from before modes: derived from what the encoder reads */
    c.rnn.input = GV_RNN_IN_HITS;
    gv_config_rnn_sync(&c);
    js = gv_config_to_json(&c, 0);
    char *at = strstr(js, ",\"modes\":[\"humanize\"]");
    cr_assert_not_null(at, "%s", js);
    memmove(at, at + strlen(",\"modes\":[\"humanize\"]"), strlen(at + strlen(",\"modes\":[\"humanize\"]")) + 1);
    cr_assert_eq(gv_config_from_json(js, strlen(js), &back, &e), 0, "%s", e.msg);
    cr_assert_eq(back.modes, 0u);
    cr_assert_eq(gv_config_modes(&back), GV_MODE_HUMANIZE);
    free(js);
    /* declared: only what the inputs allow, by known names */
    c.modes = GV_MODE_DRUMIFY;
    cr_assert_eq(gv_config_validate(&c, &e), -1);
    cr_assert_str_eq(e.msg, "config: mode \"drumify\" is not one its inputs allow");
    gv_config t;
    gv_config_default(&t);
    t.src_features = GV_COND_FEATURES;
    t.modes = GV_MODE_DRUMIFY | GV_MODE_LANES; /* a subset of what it could */
    js = gv_config_to_json(&t, 0);
    cr_assert(strstr(js, "\"modes\":[\"drumify\",\"lanes\"]"), "%s", js);
    cr_assert_eq(gv_config_from_json(js, strlen(js), &back, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_config_need(&back, GV_MODE_HUMANIZE, &e), -1);
    cr_assert_str_eq(e.msg, "this 2-bar mgt-vae model has no humanize mode (its modes: drumify, lanes)");
    free(js);
    const char *bad = "{\"arch\":\"groovae\",\"modes\":[\"dance\"],\"hier\":0,\"steps\":32,\"input\":3,\"enc\":8,"
                      "\"latent\":4,\"dec\":8,\"dec_layers\":1,\"cond\":0,\"voices\":9,\"dropout\":0,\"free_bits\":0,"
                      "\"beta\":1}";
    cr_assert_eq(gv_config_from_json(bad, strlen(bad), &back, &e), -1);
    cr_assert(strstr(e.msg, "unknown mode \"dance\""), "%s", e.msg);
    gv_config_default(&t); /* the transformer of the groove alone keeps its line */
    cr_assert_eq(gv_config_modes(&t), GV_MODE_DRUMIFY);
    cr_assert_eq(gv_config_need(&t, GV_MODE_LANES, &e), -1);
    cr_assert(strstr(e.msg, "this model takes the groove alone"), "%s", e.msg);
}

/* The e2e tests' 4-bar model: written to $GV_TINY4_OUT when set. */
Test(rnn, a_tiny_four_bar_model_file)
{
    gv_model m, back;
    tiny4(&m, GV_RNN_IN_GROOVE, 8);
    gv_err e = {0};
    const char *to = getenv("GV_TINY4_OUT");
    char dir[64] = "", path[4096];
    if (to && to[0]) {
        snprintf(path, sizeof path, "%s", to);
    } else {
        snprintf(dir, sizeof dir, "/tmp/gv_rnn_tiny4_XXXXXX");
        cr_assert_not_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/t.safetensors", dir);
    }
    cr_assert_eq(gv_model_save(&m, path, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_model_load(path, &back, &e), 0, "%s", e.msg);
    cr_assert_eq(back.cfg.steps, 64);
    cr_assert_eq(back.cfg.modes, GV_MODE_DRUMIFY);
    gv_model_free(&back);
    gv_model_free(&m);
    if (dir[0]) {
        char cmd[160];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        cr_assert_eq(system(cmd), 0);
    }
}

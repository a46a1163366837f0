/* test_cond.c - issue 20's conditioning (engine/cond.h) and what generation
 * makes of it on a small random conditioned model: the feature layout
 * (golden examples), lanes as patterns/lanes.h defines them, holding and
 * filling taps, kept voices byte-identical, humanize keeping every hit, and
 * the mixture prior (engine/generate.h, trainer/prior.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cond.h"
#include "engine/generate.h"
#include "engine/model.h"
#include "patterns/lanes.h"
#include "tests/helpers.h"
#include "trainer/prior.h"

#define T 32
#define F GV_COND_FEATURES
#define ALL ((1u << GV_VOICES) - 1)

/* A busy random pattern of `steps` steps drawn from seed. */
static void random_pattern(gv_pattern *p, int steps, uint64_t seed, float density)
{
    gv_rng r;
    gv_rng_seed(&r, seed);
    gv_pattern_init(p, steps, 100, "in");
    for (int t = 0; t < steps; t++)
        for (int v = 0; v < GV_VOICES; v++)
            if (gv_rng_uniform(&r) < density)
                gv_pattern_set(p, t, v, 1, 0.1f + 0.9f * gv_rng_uniform(&r), gv_rng_uniform(&r) - 0.5f);
}

/* ------------------------------------------------------------- features */

Test(cond, golden_features_of_each_mode)
{
    gv_pattern p;
    gv_pattern_init(&p, 32, 120, "g");
    gv_pattern_set(&p, 0, GV_KICK, 1, 0.9f, 0.1f);
    gv_pattern_set(&p, 0, GV_CHAT, 1, 0.5f, -0.2f);
    gv_pattern_set(&p, 4, GV_SNARE, 1, 0.8f, 0.0f);
    gv_pattern_set(&p, 6, GV_LTOM, 1, 0.4f, 0.05f);
    float hvo[T * GV_COND_HVO], src[T * F];
    gv_cond_hvo(&p, 0, hvo);

    gv_cond c = {.lanes = 1};
    gv_cond_features(&c, hvo, src);
    /* step 0: the groove is the loudest hit (kick 0.9, offset 0.1); nothing else given */
    cr_assert_float_eq(src[0], 1.f, 0);
    cr_assert_float_eq(src[1], 0.9f, 1e-7);
    cr_assert_float_eq(src[2], 0.1f, 1e-7);
    for (int k = GV_COND_DEC0; k < GV_COND_GROOVE_DEC; k++)
        cr_assert_float_eq(src[k], 0.f, 0, "1 lane: feature %d given", k);
    for (int k = 0; k < 3; k++) /* the decoder is told the groove */
        cr_assert_float_eq(src[GV_COND_GROOVE_DEC + k], src[k], 0);
    cr_assert_float_eq(src[GV_COND_GIVEN_DEC], 1.f, 0);
    cr_assert_float_eq(src[1 * F], 0.f, 0, "step 1 is a rest");
    cr_assert_float_eq(src[1 * F + GV_COND_GIVEN_DEC], 1.f, 0, "a told rest has its flag");

    c.blind = 1; /* sampling: the groove for the encoder only */
    gv_cond_features(&c, hvo, src);
    cr_assert_float_eq(src[0], 1.f, 0);
    for (int k = GV_COND_DEC0; k < F; k++)
        cr_assert_float_eq(src[k], 0.f, 0, "blind: feature %d given", k);
    c.blind = 0;

    c.lanes = 3;
    gv_cond_features(&c, hvo, src);
    cr_assert_float_eq(src[GV_COND_GIVEN3], 1.f, 0);
    cr_assert_float_eq(src[5 * F + GV_COND_GIVEN3], 1.f, 0, "a rest in a given lane is told, flag set");
    cr_assert_float_eq(src[GV_COND_GIVEN2], 0.f, 0);
    cr_assert_float_eq(src[GV_COND_LANES3 + 0], 1.f, 0);     /* low: kick */
    cr_assert_float_eq(src[GV_COND_LANES3 + 1], 0.9f, 1e-7);
    cr_assert_float_eq(src[GV_COND_LANES3 + 3], 0.f, 0);     /* mid: silent at step 0 */
    cr_assert_float_eq(src[GV_COND_LANES3 + 6], 1.f, 0);     /* high: the hat */
    cr_assert_float_eq(src[GV_COND_LANES3 + 7], 0.5f, 1e-7);
    cr_assert_float_eq(src[GV_COND_LANES3 + 8], -0.2f, 1e-7);
    cr_assert_float_eq(src[4 * F + GV_COND_LANES3 + 3], 1.f, 0); /* step 4 mid: snare */
    cr_assert_float_eq(src[6 * F + GV_COND_LANES3 + 0], 1.f, 0); /* step 6 low: low tom */

    c.lanes = 2;
    gv_cond_features(&c, hvo, src);
    cr_assert_float_eq(src[GV_COND_GIVEN2], 1.f, 0);
    cr_assert_float_eq(src[GV_COND_GIVEN3], 0.f, 0);
    cr_assert_float_eq(src[GV_COND_LANES2 + 3], 1.f, 0);     /* high: the hat */
    cr_assert_float_eq(src[4 * F + GV_COND_LANES2 + 3], 1.f, 0); /* snare is high in 2 lanes */

    c = (gv_cond){.lanes = 1, .keep = 1u << GV_KICK | 1u << GV_SNARE};
    gv_cond_features(&c, hvo, src);
    cr_assert_float_eq(src[GV_COND_VOICES + 3 * GV_KICK], 1.f, 0);
    cr_assert_float_eq(src[GV_COND_VOICES + 3 * GV_KICK + 1], 0.9f, 1e-7);
    cr_assert_float_eq(src[GV_COND_VOICES + 3 * GV_CHAT], 0.f, 0, "the hat is not kept: unknown");
    cr_assert_float_eq(src[GV_COND_HITS_GIVEN + GV_KICK], 1.f, 0);
    cr_assert_float_eq(src[GV_COND_FEEL_GIVEN + GV_SNARE], 1.f, 0);
    cr_assert_float_eq(src[GV_COND_HITS_GIVEN + GV_CHAT], 0.f, 0);
    cr_assert_float_eq(src[GV_COND_GIVEN3] + src[GV_COND_GIVEN2], 0.f, 0);

    c = (gv_cond){.lanes = 1, .humanize = 1};
    gv_cond_features(&c, hvo, src);
    for (int v = 0; v < GV_VOICES; v++) {
        cr_assert_float_eq(src[GV_COND_HITS_GIVEN + v], 1.f, 0, "humanize gives every voice's hits");
        cr_assert_float_eq(src[GV_COND_FEEL_GIVEN + v], 0.f, 0, "and no feel");
        cr_assert_float_eq(src[GV_COND_VOICES + 3 * v + 1], 0.f, 0);
    }
    cr_assert_float_eq(src[GV_COND_VOICES + 3 * GV_CHAT], 1.f, 0);
}

/* The lanes of the features are exactly patterns/lanes.h's gv_pattern_lanes. */
Test(cond, lanes_reduce_as_lanes_h_defines)
{
    for (uint64_t seed = 1; seed <= 20; seed++) {
        gv_pattern p;
        random_pattern(&p, 32, seed, 0.3f);
        float hvo[T * GV_COND_HVO], src[T * F], want[T * GV_MAX_LANES * 3];
        gv_cond_hvo(&p, 0, hvo);
        for (int nl = 2; nl <= 3; nl++) {
            gv_cond c = {.lanes = nl};
            gv_cond_features(&c, hvo, src);
            gv_pattern_lanes(&p, nl, want);
            int col = nl == 2 ? GV_COND_LANES2 : GV_COND_LANES3;
            for (int t = 0; t < T; t++)
                for (int k = 0; k < nl * 3; k++)
                    cr_assert_float_eq(src[t * F + col + k], want[t * nl * 3 + k], 0, "seed %d lanes %d t %d k %d",
                                       (int)seed, nl, t, k);
        }
        float groove[T * 3];
        gv_pattern_groove(&p, groove);
        for (int t = 0; t < T; t++)
            for (int k = 0; k < 3; k++)
                cr_assert_float_eq(src[t * F + k], groove[t * 3 + k], 0);
    }
}

Test(cond, check_refuses_bad_modes)
{
    gv_err e;
    gv_cond c = {.lanes = 4};
    cr_assert_neq(gv_cond_check(&c, &e), 0);
    c = (gv_cond){.lanes = 1, .keep = ALL};
    cr_assert_neq(gv_cond_check(&c, &e), 0);
    c = (gv_cond){.lanes = 1, .keep = 1, .humanize = 1};
    cr_assert_neq(gv_cond_check(&c, &e), 0);
    c = (gv_cond){.lanes = 1, .keep = 1u << 9};
    cr_assert_neq(gv_cond_check(&c, &e), 0);
    c = (gv_cond){.lanes = 3, .blind = 1};
    cr_assert_neq(gv_cond_check(&c, &e), 0);
    c = (gv_cond){.lanes = 3};
    cr_assert_eq(gv_cond_check(&c, &e), 0);
}

Test(cond, hold_fill_restore)
{
    gv_pattern p;
    gv_pattern_init(&p, 32, 120, "h");
    gv_pattern_set(&p, 0, GV_KICK, 1, 0.9f, 0.1f);
    gv_pattern_set(&p, 4, GV_SNARE, 1, 0.8f, 0.0f);
    gv_pattern_set(&p, 8, GV_CHAT, 1, 0.6f, -0.1f);
    float hvo[T * GV_COND_HVO], hp[T * GV_VOICES], vel[T * GV_VOICES], off[T * GV_VOICES];
    gv_cond_hvo(&p, 0, hvo);
    for (int i = 0; i < T * GV_VOICES; i++) {
        hp[i] = 0.3f;
        vel[i] = 0.5f;
        off[i] = 0.02f;
    }
    hp[4 * GV_VOICES + GV_HTOM] = 0.4f; /* the mid lane's favourite at step 4 */
    gv_cond c = {.lanes = 3};
    gv_cond_hold(&c, hvo, hp);
    for (int t = 0; t < T; t++)
        for (int v = 0; v < GV_VOICES; v++) {
            int lane = gv_lane_of_voice(3, v);
            int tap = (t == 0 && lane == 0) || (t == 4 && lane == 1) || (t == 8 && lane == 2);
            cr_assert(tap || hp[t * GV_VOICES + v] == 0.f, "t %d voice %d off its lane kept p", t, v);
        }
    /* nothing chosen (thresholds above 0.4): every tap is filled with its lane's most probable voice */
    float out[T * GV_COND_HVO] = {0};
    gv_cond_fill(&c, hvo, hp, vel, off, NULL, out);
    int hits = 0;
    for (int i = 0; i < T * GV_VOICES; i++)
        hits += out[(i / GV_VOICES) * GV_COND_HVO + i % GV_VOICES] > 0.5f;
    cr_assert_eq(hits, 3);
    cr_assert_float_eq(out[4 * GV_COND_HVO + GV_HTOM], 1.f, 0, "mid tap -> high tom (p 0.4)");
    cr_assert_float_eq(out[4 * GV_COND_HVO + GV_VOICES + GV_HTOM], 0.5f, 1e-7);
    cr_assert_float_eq(out[0 * GV_COND_HVO + GV_KICK], 1.f, 0, "low tap -> kick (first of equals)");
    /* a cap of 0 on the kick sends the low tap to the low tom */
    int caps[GV_VOICES];
    for (int v = 0; v < GV_VOICES; v++)
        caps[v] = -1;
    caps[GV_KICK] = 0;
    memset(out, 0, sizeof out);
    gv_cond_fill(&c, hvo, hp, vel, off, caps, out);
    cr_assert_float_eq(out[GV_KICK], 0.f, 0);
    cr_assert_float_eq(out[GV_LTOM], 1.f, 0);

    /* kept snare: p follows the input; restore puts its cells back exactly */
    c = (gv_cond){.lanes = 1, .keep = 1u << GV_SNARE};
    for (int i = 0; i < T * GV_VOICES; i++)
        hp[i] = 0.3f;
    gv_cond_hold(&c, hvo, hp);
    cr_assert_float_eq(hp[4 * GV_VOICES + GV_SNARE], 1.f, 0);
    cr_assert_float_eq(hp[5 * GV_VOICES + GV_SNARE], 0.f, 0);
    cr_assert_float_eq(hp[5 * GV_VOICES + GV_KICK], 0.f, 0, "held to the groove: step 5 has no tap");
    memset(out, 0, sizeof out);
    out[12 * GV_COND_HVO + GV_SNARE] = 1.f; /* a stray snare */
    gv_cond_restore(&c, hvo, vel, off, out);
    cr_assert_float_eq(out[12 * GV_COND_HVO + GV_SNARE], 0.f, 0);
    cr_assert_float_eq(out[4 * GV_COND_HVO + GV_SNARE], 1.f, 0);
    cr_assert_float_eq(out[4 * GV_COND_HVO + GV_VOICES + GV_SNARE], 0.8f, 0);

    /* humanize: the input's hits with the decoder's feel */
    c = (gv_cond){.lanes = 1, .humanize = 1};
    memset(out, 0, sizeof out);
    gv_cond_restore(&c, hvo, vel, off, out);
    cr_assert_float_eq(out[8 * GV_COND_HVO + GV_CHAT], 1.f, 0);
    cr_assert_float_eq(out[8 * GV_COND_HVO + GV_VOICES + GV_CHAT], 0.5f, 0);
    cr_assert_float_eq(out[8 * GV_COND_HVO + 2 * GV_VOICES + GV_CHAT], 0.02f, 0);
}

/* -------------------------------------------- generation with a conditioned model */

static gv_model model;
static gv_gen_ws *ws;

static void setup(void)
{
    gv_config c = gv_test_config(32, 2, 64, 1, 32, 4, 48, 1, 16);
    c.src_features = GV_COND_FEATURES;
    gv_err e = {0};
    cr_assert_eq(gv_model_init_random(&model, &c, 11, &e), 0, "%s", e.msg);
    for (int v = 0; v < GV_VOICES; v++)
        model.cfg.thresholds[v] = 0.45f;
    ws = gv_gen_ws_new(&model.cfg, 16);
    cr_assert_not_null(ws);
}

static void teardown(void)
{
    gv_gen_ws_free(ws);
    gv_model_free(&model);
}

TestSuite(condgen, .init = setup, .fini = teardown);

static void gen(const gv_pattern *in, const gv_cond *c, int n, uint64_t seed, gv_pattern *out)
{
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.cond = *c;
    o.seed = seed;
    float z[4 * 8 * 16];
    gv_err e = {0};
    cr_assert_eq(gv_generate(&model, in, n, &o, out, z, ws, &e), 0, "%s", e.msg);
}

Test(condgen, kept_voices_come_back_byte_identical)
{
    gv_pattern in, out[4];
    random_pattern(&in, 64, 5, 0.2f);
    gv_cond c = {.lanes = 1, .keep = 1u << GV_KICK | 1u << GV_SNARE};
    gen(&in, &c, 4, 9, out);
    for (int i = 0; i < 4; i++)
        for (int t = 0; t < in.steps; t++)
            for (int v = 0; v < GV_VOICES; v++) {
                if (!(c.keep >> v & 1u)) {
                    /* the others only where the groove has a tap */
                    int tap = 0;
                    for (int u = 0; u < GV_VOICES; u++)
                        tap |= in.hit[t][u];
                    cr_assert(!out[i].hit[t][v] || tap, "suggestion %d: voice %d hits off the groove at %d", i, v, t);
                    continue;
                }
                cr_assert_eq(out[i].hit[t][v], in.hit[t][v]);
                cr_assert(!memcmp(&out[i].vel[t][v], &in.vel[t][v], sizeof(float)), "velocity differs");
                cr_assert(!memcmp(&out[i].off[t][v], &in.off[t][v], sizeof(float)), "offset differs");
            }
}

Test(condgen, lanes_hold_and_every_tap_sounds)
{
    gv_pattern in, out[2];
    random_pattern(&in, 32, 6, 0.12f);
    for (int nl = 1; nl <= 3; nl++) {
        gv_cond c = {.lanes = nl};
        gen(&in, &c, 2, 3, out);
        float lanes[T * GV_MAX_LANES * 3];
        gv_pattern_lanes(&in, nl, lanes);
        for (int i = 0; i < 2; i++)
            for (int t = 0; t < T; t++)
                for (int l = 0; l < nl; l++) {
                    int tap = lanes[(t * nl + l) * 3] > 0.5f, any = 0;
                    for (int v = 0; v < GV_VOICES; v++)
                        if (gv_lane_of_voice(nl, v) == l) {
                            cr_assert(tap || !out[i].hit[t][v], "lanes %d: voice %d off its lane at %d", nl, v, t);
                            any |= out[i].hit[t][v];
                        }
                    cr_assert_eq(any, tap, "lanes %d step %d lane %d: tap %d sounded %d", nl, t, l, tap, any);
                }
    }
}

Test(condgen, humanize_keeps_every_hit_and_changes_the_feel)
{
    gv_pattern in, out[1];
    random_pattern(&in, 32, 8, 0.15f);
    for (int t = 0; t < in.steps; t++) /* quantized, flat */
        for (int v = 0; v < GV_VOICES; v++)
            if (in.hit[t][v])
                gv_pattern_set(&in, t, v, 1, 0.7f, 0.f);
    gv_cond c = {.lanes = 1, .humanize = 1};
    gen(&in, &c, 1, 4, out);
    int moved = 0;
    cr_assert(!memcmp(in.hit, out[0].hit, sizeof in.hit), "humanize changed the hits");
    for (int t = 0; t < in.steps; t++)
        for (int v = 0; v < GV_VOICES; v++)
            moved += in.hit[t][v] && (out[0].vel[t][v] != 0.7f || out[0].off[t][v] != 0.f);
    cr_assert_gt(moved, gv_pattern_count(&in) / 2, "only %d of %d hits got a feel", moved, gv_pattern_count(&in));
}

Test(condgen, same_seed_same_bytes_in_every_mode)
{
    gv_pattern in, a[2], b[2];
    random_pattern(&in, 32, 10, 0.2f);
    gv_cond modes[4] = {{.lanes = 2}, {.lanes = 3}, {.lanes = 1, .keep = 1u << GV_CHAT}, {.lanes = 1, .humanize = 1}};
    for (int i = 0; i < 4; i++) {
        gen(&in, &modes[i], 2, 77, a);
        gen(&in, &modes[i], 2, 77, b);
        cr_assert(!memcmp(a, b, sizeof a), "mode %d not reproducible", i);
    }
}

Test(condgen, unconditioned_models_refuse_the_new_modes)
{
    gv_model m;
    gv_config c = gv_test_config(32, 2, 64, 1, 32, 4, 48, 1, 16);
    gv_err e = {0};
    cr_assert_eq(gv_model_init_random(&m, &c, 3, &e), 0);
    gv_cond lanes3 = {.lanes = 3}, one = {.lanes = 1};
    cr_assert_neq(gv_gen_cond_supported(&m, &lanes3, &e), 0);
    cr_assert(strstr(e.msg, "--inputs all"), "%s", e.msg);
    cr_assert_eq(gv_gen_cond_supported(&m, &one, &e), 0);
    gv_model_free(&m);
}

/* ------------------------------------------------------------- the prior */

Test(condgen, prior_round_trips_and_draws_from_its_components)
{
    int K = 3, L = model.cfg.latent_dim;
    float lg[3] = {0.f, -100.f, -100.f}, mean[3 * 16], lv[3 * 16];
    for (int i = 0; i < K * L; i++) {
        mean[i] = i < L ? 5.f : -5.f;
        lv[i] = -4.f; /* sigma 0.135 */
    }
    gv_err e = {0};
    size_t np0 = model.nparams;
    cr_assert_eq(gv_model_set_prior(&model, K, lg, mean, lv, &e), 0, "%s", e.msg);
    cr_assert_eq(model.nparams, np0 + (size_t)K * (1 + 2 * L));
    char path[] = "/tmp/gv_prior_XXXXXX.safetensors";
    int fd = mkstemps(path, 12);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_assert_eq(gv_model_save(&model, path, &e), 0, "%s", e.msg);
    gv_model back;
    cr_assert_eq(gv_model_load(path, &back, &e), 0, "%s", e.msg);
    cr_assert_eq(back.cfg.prior_components, K);
    cr_assert(!memcmp(back.params, model.params, model.nparams * sizeof(float)));
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 5;
    float z[20 * 16], z2[20 * 16];
    gv_gen_prior_latents(&back, 1, 20, &o, z);
    gv_gen_prior_latents(&back, 1, 20, &o, z2);
    cr_assert(!memcmp(z, z2, sizeof z), "same seed, same latents");
    for (int i = 0; i < 20 * L; i++) /* component 0 has all the weight */
        cr_assert(fabsf(z[i] - 5.f) < 1.f, "z %d = %g", i, z[i]);
    o.temperature = 0;
    gv_gen_prior_latents(&back, 1, 2, &o, z);
    cr_assert_float_eq(z[0], 5.f, 0);
    char side[64];
    snprintf(side, sizeof side, "%.*s.json", (int)(strlen(path) - 12), path);
    unlink(path);
    unlink(side);
    gv_model_free(&back);
    cr_assert_eq(gv_model_set_prior(&model, 0, NULL, NULL, NULL, &e), 0);
    cr_assert_eq(model.nparams, np0);
}

Test(condgen, prior_fit_finds_separated_clusters)
{
    /* windows whose groove puts the latents somewhere: the fit must give
     * components whose weights sum to 1 and whose samples are reproducible */
    gv_windows w = {0};
    w.n = 200;
    w.src = calloc((size_t)w.n, GV_SRC_DIM * sizeof(float));
    w.tgt = calloc((size_t)w.n, GV_TGT_DIM * sizeof(float));
    gv_rng r;
    gv_rng_seed(&r, 1);
    for (int i = 0; i < w.n; i++)
        for (int t = 0; t < T; t++)
            if (gv_rng_uniform(&r) < (i % 2 ? 0.8f : 0.1f)) {
                w.tgt[(size_t)i * GV_TGT_DIM + t * 27 + GV_CHAT] = 1.f;
                w.tgt[(size_t)i * GV_TGT_DIM + t * 27 + 9 + GV_CHAT] = 0.5f;
            }
    gv_err e = {0};
    cr_assert_eq(gv_prior_fit(&model, &w, 4, 3, &e), 0, "%s", e.msg);
    cr_assert_eq(model.cfg.prior_components, 4);
    float sum = 0;
    size_t at = model.nparams - (size_t)4 * (1 + 2 * model.cfg.latent_dim);
    for (int k = 0; k < 4; k++)
        sum += expf(model.params[at + k]);
    cr_assert_float_eq(sum, 1.f, 1e-3, "weights sum to %g", sum);
    gv_sample_stats s1, s2;
    cr_assert_eq(gv_eval_sample(&model, &w, 16, 1.f, 9, 1, 1, &s1, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_eval_sample(&model, &w, 16, 1.f, 9, 1, 1, &s2, &e), 0);
    cr_assert(!memcmp(&s1, &s2, sizeof s1));
    cr_assert_float_eq(s1.data_density[GV_CHAT], 14.4f, 2.f); /* (0.8 + 0.1) / 2 * 32 */
    free(w.src);
    free(w.tgt);
}

/* test_generate.c - the generation controls of engine/generate.h on a small
 * random model: seeds, temperature, density, caps, Bernoulli sampling,
 * interpolation, chunked long inputs and batching. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/generate.h"
#include "engine/model.h"
#include "tests/helpers.h"

#define CELLS (GV_MODEL_STEPS * GV_VOICES)

static gv_model model;
static gv_gen_ws *ws;

static void setup(void)
{
    gv_config c = gv_test_config(32, 2, 64, 1, 32, 4, 48, 2, 16);
    gv_err e = {0};
    cr_assert_eq(gv_model_init_random(&model, &c, 7, &e), 0, "%s", e.msg);
    for (int v = 0; v < GV_VOICES; v++) /* distinct per voice, around the random model's p ~ 0.5 */
        model.cfg.thresholds[v] = 0.38f + 0.03f * (float)v;
    ws = gv_gen_ws_new(&model.cfg, 16);
    cr_assert_not_null(ws);
}

static void teardown(void)
{
    gv_gen_ws_free(ws);
    gv_model_free(&model);
}

TestSuite(generate, .init = setup, .fini = teardown);

/* A groove-like input of `steps` steps drawn from seed. */
static void input(gv_pattern *p, int steps, uint64_t seed)
{
    gv_rng r;
    gv_rng_seed(&r, seed);
    gv_pattern_init(p, steps, 100, "in");
    for (int t = 0; t < steps; t++)
        if (gv_rng_uniform(&r) < 0.45f)
            gv_pattern_set(p, t, (int)gv_rng_below(&r, GV_VOICES), 1, 0.3f + 0.7f * gv_rng_uniform(&r),
                           gv_rng_uniform(&r) - 0.5f);
}

static int same_hits(const gv_pattern *a, int a0, const gv_pattern *b, int b0, int n)
{
    return !memcmp(a->hit[a0], b->hit[b0], (size_t)n * GV_VOICES);
}

static void assert_same(const gv_pattern *a, const gv_pattern *b, float tol)
{
    cr_assert_eq(a->steps, b->steps);
    cr_assert(same_hits(a, 0, b, 0, a->steps), "hits differ");
    for (int t = 0; t < a->steps; t++)
        for (int v = 0; v < GV_VOICES; v++) {
            cr_assert_float_eq(a->vel[t][v], b->vel[t][v], tol, "vel %d %d", t, v);
            cr_assert_float_eq(a->off[t][v], b->off[t][v], tol, "off %d %d", t, v);
        }
}

static void run(const gv_pattern *in, int n, const gv_gen_opts *o, gv_pattern *out, float *z)
{
    gv_err e = {0};
    cr_assert_eq(gv_generate(&model, in, n, o, out, z, ws, &e), 0, "%s", e.msg);
}

Test(generate, same_seed_same_output_and_seeds_matter)
{
    static gv_pattern in, a[4], b[4], c[4];
    float za[4 * 16], zb[4 * 16], zc[4 * 16];
    input(&in, 32, 1);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 99;
    run(&in, 4, &o, a, za);
    run(&in, 4, &o, b, zb);
    cr_assert_eq(memcmp(za, zb, sizeof za), 0);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(memcmp(&a[i], &b[i], sizeof a[i]), 0, "suggestion %d", i);
    o.seed = 100;
    run(&in, 4, &o, c, zc);
    cr_assert_neq(memcmp(za, zc, sizeof za), 0);
    /* the suggestions of one call differ from each other */
    cr_assert_neq(memcmp(za, za + 16, 16 * sizeof(float)), 0);
    cr_assert_eq(a[0].steps, 32);
    cr_assert_float_eq(a[0].bpm, 100.f, 0);
}

Test(generate, temperature_zero_is_mu_and_deterministic)
{
    static gv_pattern in, a[3], b[3], c[3];
    float z[3 * 16], z2[3 * 16], mu[16], logvar[16];
    input(&in, 32, 2);
    gv_gen_encode(&model, &in, mu, logvar, ws);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.temperature = 0;
    o.seed = 1;
    run(&in, 3, &o, a, z);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(memcmp(z + i * 16, mu, sizeof mu), 0, "z %d is not mu", i);
    o.seed = 12345;
    run(&in, 3, &o, b, z2);
    o.sampling = GV_SAMPLING_BERNOULLI; /* temperature 0 thresholds whatever the sampling */
    run(&in, 3, &o, c, z2);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(memcmp(&a[i], &b[i], sizeof a[i]), 0);
        cr_assert_eq(memcmp(&a[i], &c[i], sizeof a[i]), 0);
        cr_assert_eq(memcmp(&a[0], &a[i], sizeof a[i]), 0);
    }
}

Test(generate, decode_of_mu_equals_generate_at_t0)
{
    static gv_pattern in, out;
    float z[16], mu[16], logvar[16], hp[CELLS], vel[CELLS], off[CELLS];
    input(&in, 32, 3);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.temperature = 0;
    o.feel = (gv_feel){GV_FEEL_MODEL, GV_FEEL_MODEL}; /* the decoder's own velocities and offsets */
    run(&in, 1, &o, &out, z);
    gv_gen_encode(&model, &in, mu, logvar, ws);
    gv_infer_ws *iw = gv_infer_ws_new(&model.cfg, 1);
    gv_model_decode(&model, mu, 1, hp, vel, off, iw);
    gv_infer_ws_free(iw);
    int hits = 0;
    for (int t = 0; t < 32; t++)
        for (int v = 0; v < GV_VOICES; v++) {
            int k = t * GV_VOICES + v, want = hp[k] >= model.cfg.thresholds[v];
            hits += want;
            cr_assert_eq(out.hit[t][v], want, "cell %d %d p %g", t, v, (double)hp[k]);
            if (want) {
                cr_assert_float_eq(out.vel[t][v], fmaxf(vel[k], 1.f / 127), 1e-6);
                cr_assert_float_eq(out.off[t][v], off[k], 1e-6);
            } else {
                cr_assert_eq(out.vel[t][v], 0.f);
            }
        }
    cr_assert(hits > 10 && hits < CELLS - 10, "degenerate test model: %d hits", hits);
}

/* The player's feel: where the groove hits, every hit takes its offset and
 * the loudest its velocity, the others keeping their ratio to the loudest;
 * elsewhere, and for the hit choice, nothing changes. */
Test(generate, groove_feel_carries_timing_and_dynamics)
{
    static gv_pattern in, own, felt;
    float z[16], g[32 * 3];
    input(&in, 32, 5);
    gv_pattern_groove(&in, g);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 9;
    o.feel = (gv_feel){GV_FEEL_MODEL, GV_FEEL_MODEL};
    run(&in, 1, &o, &own, z);
    o.feel = (gv_feel){GV_FEEL_GROOVE, GV_FEEL_GROOVE};
    run(&in, 1, &o, &felt, z);
    cr_assert(same_hits(&own, 0, &felt, 0, 32), "the feel changed the hits");
    int checked = 0;
    for (int t = 0; t < 32; t++) {
        float loud = 0;
        for (int v = 0; v < GV_VOICES; v++)
            loud = own.hit[t][v] && own.vel[t][v] > loud ? own.vel[t][v] : loud;
        for (int v = 0; v < GV_VOICES; v++) {
            if (!own.hit[t][v])
                continue;
            if (g[3 * t] < 0.5f) {
                cr_assert_eq(felt.vel[t][v], own.vel[t][v]);
                cr_assert_eq(felt.off[t][v], own.off[t][v]);
                continue;
            }
            checked++;
            cr_assert_float_eq(felt.off[t][v], g[3 * t + 2], 1e-6, "offset %d %d", t, v);
            float want = fminf(1.f, fmaxf(1.f / 127, own.vel[t][v] * g[3 * t + 1] / loud));
            cr_assert_float_eq(felt.vel[t][v], want, 1e-5, "velocity %d %d", t, v);
            if (own.vel[t][v] == loud)
                cr_assert_float_eq(felt.vel[t][v], g[3 * t + 1], 1e-6);
        }
    }
    cr_assert(checked > 5, "too few hits on groove steps: %d", checked);
}

/* auto takes the groove's timing only when it is off the grid and its
 * dynamics only when its velocities differ. */
Test(generate, auto_feel_follows_what_the_groove_has)
{
    static gv_pattern in;
    float g[32 * 3];
    gv_feel a = {GV_FEEL_AUTO, GV_FEEL_AUTO};
    input(&in, 32, 5);
    gv_pattern_groove(&in, g);
    gv_feel f = gv_feel_resolve(a, g, 32);
    cr_assert_eq(f.timing, GV_FEEL_GROOVE);
    cr_assert_eq(f.dynamics, GV_FEEL_GROOVE);
    for (int t = 0; t < 32; t++) /* quantised keyboard taps: on the grid, one velocity */
        if (g[3 * t] > 0.5f) {
            g[3 * t + 1] = 0.8f;
            g[3 * t + 2] = 0.f;
        }
    f = gv_feel_resolve(a, g, 32);
    cr_assert_eq(f.timing, GV_FEEL_MODEL);
    cr_assert_eq(f.dynamics, GV_FEEL_MODEL);
    gv_feel fixed = {GV_FEEL_GROOVE, GV_FEEL_MODEL};
    f = gv_feel_resolve(fixed, g, 32);
    cr_assert_eq(f.timing, GV_FEEL_GROOVE);
    cr_assert_eq(f.dynamics, GV_FEEL_MODEL);
    gv_feel_mode m;
    gv_err e = {0};
    cr_assert_eq(gv_feel_parse("groove", &m, &e), 0);
    cr_assert_eq(m, GV_FEEL_GROOVE);
    cr_assert_eq(gv_feel_parse("loose", &m, &e), -1);
    cr_assert(strstr(e.msg, "'loose'"), "%s", e.msg);
}

Test(generate, density_is_monotone_in_both_modes)
{
    static gv_pattern in, out[8];
    float z[16];
    const float dens[8] = {0, 0.25f, 0.5f, 1, 1.5f, 2, 4, 16};
    input(&in, 32, 4);
    for (int mode = 0; mode < 2; mode++) {
        gv_gen_opts o;
        gv_gen_opts_default(&o);
        o.seed = 31;
        o.sampling = mode ? GV_SAMPLING_BERNOULLI : GV_SAMPLING_THRESHOLD;
        for (int d = 0; d < 8; d++) {
            o.density = dens[d];
            run(&in, 1, &o, &out[d], z);
        }
        cr_assert_eq(gv_pattern_count(&out[0]), 0, "density 0 leaves no hits");
        for (int d = 1; d < 8; d++)
            for (int t = 0; t < 32; t++)
                for (int v = 0; v < GV_VOICES; v++)
                    cr_assert(!out[d - 1].hit[t][v] || out[d].hit[t][v], "mode %d: density %g lost a hit", mode,
                              (double)dens[d]);
        cr_assert_gt(gv_pattern_count(&out[7]), gv_pattern_count(&out[3]));
        cr_assert_gt(gv_pattern_count(&out[3]), gv_pattern_count(&out[1]));
    }
}

/* voice_density scales one voice's density: that voice gains hits (a
 * superset), the others are untouched, and density D with every voice at 1
 * is the same as density 1 with every voice at D. */
Test(generate, voice_density_scales_one_voice)
{
    static gv_pattern in, base, more, none, all2, d2;
    float z[16];
    input(&in, 32, 4);
    for (int mode = 0; mode < 2; mode++) {
        gv_gen_opts o;
        gv_gen_opts_default(&o);
        for (int v = 0; v < GV_VOICES; v++)
            cr_assert_eq(o.voice_density[v], 1.f);
        o.seed = 31;
        o.sampling = mode ? GV_SAMPLING_BERNOULLI : GV_SAMPLING_THRESHOLD;
        run(&in, 1, &o, &base, z);
        gv_gen_opts m = o;
        m.voice_density[GV_KICK] = 4;
        run(&in, 1, &m, &more, z);
        cr_assert_gt(gv_pattern_count_voice(&more, GV_KICK), gv_pattern_count_voice(&base, GV_KICK), "mode %d",
                     mode);
        for (int t = 0; t < 32; t++)
            for (int v = 0; v < GV_VOICES; v++) {
                if (v == GV_KICK)
                    cr_assert(!base.hit[t][v] || more.hit[t][v], "mode %d: a kick was lost", mode);
                else
                    cr_assert_eq(more.hit[t][v], base.hit[t][v], "mode %d: voice %d changed", mode, v);
            }
        m = o;
        m.voice_density[GV_CHAT] = 0;
        run(&in, 1, &m, &none, z);
        cr_assert_eq(gv_pattern_count_voice(&none, GV_CHAT), 0, "voice density 0 leaves the voice silent");
        m = o;
        for (int v = 0; v < GV_VOICES; v++)
            m.voice_density[v] = 2;
        run(&in, 1, &m, &all2, z);
        m = o;
        m.density = 2;
        run(&in, 1, &m, &d2, z);
        cr_assert_eq(memcmp(&all2, &d2, sizeof all2), 0, "mode %d", mode);
    }
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.voice_density[GV_RIDE] = NAN;
    gv_err e = {0};
    cr_assert_eq(gv_generate(&model, &in, 1, &o, &base, z, ws, &e), -1);
    cr_assert(strstr(e.msg, "density of ride"), "%s", e.msg);
}

Test(generate, max_hits_keeps_the_most_probable)
{
    static gv_pattern in, free_out, capped;
    float z[16], hp[CELLS], vel[CELLS], off[CELLS];
    input(&in, 32, 5);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 8;
    o.density = 2; /* plenty of hits to cut */
    run(&in, 1, &o, &free_out, z);
    o.max_hits[GV_KICK] = 3;
    o.max_hits[GV_SNARE] = 0;
    o.max_hits[GV_RIDE] = 1;
    run(&in, 1, &o, &capped, z);
    gv_infer_ws *iw = gv_infer_ws_new(&model.cfg, 1);
    gv_model_decode(&model, z, 1, hp, vel, off, iw);
    gv_infer_ws_free(iw);
    for (int v = 0; v < GV_VOICES; v++) {
        int cap = o.max_hits[v], nfree = gv_pattern_count_voice(&free_out, v);
        int ncap = gv_pattern_count_voice(&capped, v);
        if (cap < 0) {
            for (int t = 0; t < 32; t++)
                cr_assert_eq(capped.hit[t][v], free_out.hit[t][v]);
            continue;
        }
        cr_assert(nfree > cap, "voice %d: test needs more than %d hits, has %d", v, cap, nfree);
        cr_assert_eq(ncap, cap, "voice %d", v);
        float kept_min = 2, dropped_max = -1;
        for (int t = 0; t < 32; t++) {
            cr_assert(!capped.hit[t][v] || free_out.hit[t][v], "a cap added a hit");
            float p = hp[t * GV_VOICES + v];
            if (capped.hit[t][v])
                kept_min = fminf(kept_min, p);
            else if (free_out.hit[t][v])
                dropped_max = fmaxf(dropped_max, p);
        }
        cr_assert(kept_min >= dropped_max, "voice %d kept p %g but dropped p %g", v, (double)kept_min,
                  (double)dropped_max);
    }
}

/* gv_gen_hits alone, on made-up probabilities: Bernoulli frequencies follow
 * p^(1/D), seeds reproduce, thresholds are thr^D. */
Test(gen_hits, bernoulli_follows_shaped_p_and_threshold_is_exact)
{
    gv_config c;
    gv_config_default(&c);
    for (int v = 0; v < GV_VOICES; v++)
        c.thresholds[v] = 0.5f;
    float hp[CELLS], vel[CELLS], off[CELLS];
    for (int k = 0; k < CELLS; k++) {
        hp[k] = (float)(k % 10) / 10.f + 0.05f; /* 0.05 .. 0.95 */
        vel[k] = 0.5f;
        off[k] = 0.1f;
    }
    static gv_pattern p, q;
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.sampling = GV_SAMPLING_BERNOULLI;
    const float dens[3] = {0.5f, 1, 3};
    for (int d = 0; d < 3; d++) {
        o.density = dens[d];
        double count[10] = {0}, trials[10] = {0};
        for (uint64_t s = 0; s < 400; s++) {
            gv_pattern_init(&p, 32, 120, "");
            gv_gen_hits(&c, hp, vel, off, &o, s, &p, 0, 32);
            for (int k = 0; k < CELLS; k++) {
                count[k % 10] += p.hit[k / GV_VOICES][k % GV_VOICES];
                trials[k % 10]++;
            }
            if (s == 7) { /* the same seed again */
                gv_pattern_init(&q, 32, 120, "");
                gv_gen_hits(&c, hp, vel, off, &o, s, &q, 0, 32);
                cr_assert_eq(memcmp(&p, &q, sizeof p), 0);
            }
        }
        for (int b = 0; b < 10; b++) {
            double want = pow(b / 10.0 + 0.05, 1.0 / dens[d]), got = count[b] / trials[b];
            cr_assert(fabs(got - want) < 0.03, "density %g p %g: rate %g, want %g", (double)dens[d],
                      b / 10.0 + 0.05, got, want);
        }
    }
    o.sampling = GV_SAMPLING_THRESHOLD;
    o.density = 2; /* threshold 0.25 */
    gv_pattern_init(&p, 32, 120, "");
    gv_gen_hits(&c, hp, vel, off, &o, 0, &p, 0, 32);
    for (int k = 0; k < CELLS; k++)
        cr_assert_eq(p.hit[k / GV_VOICES][k % GV_VOICES], hp[k] >= 0.25f);
    /* only the steps asked for are written */
    gv_pattern_init(&p, 32, 120, "");
    gv_gen_hits(&c, hp, vel, off, &o, 0, &p, 16, 16);
    cr_assert_eq(gv_pattern_count(&p) > 0, 1);
    for (int t = 0; t < 16; t++)
        for (int v = 0; v < GV_VOICES; v++)
            cr_assert_eq(p.hit[t][v], 0);
}

Test(generate, bernoulli_is_seeded)
{
    static gv_pattern in, a, b, c;
    float z[16], z2[16];
    input(&in, 32, 6);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.sampling = GV_SAMPLING_BERNOULLI;
    o.seed = 4;
    run(&in, 1, &o, &a, z);
    run(&in, 1, &o, &b, z2);
    cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
    /* bernoulli and threshold share the latent of a seed */
    o.sampling = GV_SAMPLING_THRESHOLD;
    run(&in, 1, &o, &c, z2);
    cr_assert_eq(memcmp(z, z2, sizeof z), 0);
    cr_assert_neq(memcmp(&a, &c, sizeof a), 0);
}

Test(generate, batch_equals_singles)
{
    static gv_pattern in, batch[6], one;
    float z[6 * 16], z1[16];
    input(&in, 32, 7);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 2024;
    for (int mode = 0; mode < 2; mode++) {
        o.sampling = mode ? GV_SAMPLING_BERNOULLI : GV_SAMPLING_THRESHOLD;
        run(&in, 6, &o, batch, z);
        for (int i = 0; i < 6; i++) {
            gv_gen_opts oi = o;
            oi.seed = gv_gen_seed(o.seed, i);
            run(&in, 1, &oi, &one, z1);
            cr_assert_eq(memcmp(z1, z + i * 16, sizeof z1), 0, "z of suggestion %d", i);
            assert_same(&one, &batch[i], 1e-5f);
        }
    }
    cr_assert_eq(gv_gen_seed(o.seed, 0), o.seed);
    cr_assert_lt(gv_gen_seed(o.seed, 5), 1ull << 53);
}

Test(generate, long_inputs_are_chunks_joined)
{
    static gv_pattern in, half, out[2], part;
    float z[2 * 3 * 16], zp[16];
    input(&in, 80, 8); /* 2 + 2 + 1 bars */
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 77;
    o.sampling = GV_SAMPLING_BERNOULLI;
    cr_assert_eq(gv_gen_chunks(&model.cfg, 80), 3);
    run(&in, 2, &o, out, z);
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(out[i].steps, 80);
        for (int c = 0; c < 3; c++) {
            int len = c < 2 ? 32 : 16;
            gv_pattern_slice(&in, c * 32, len, &half);
            gv_gen_opts oc = o;
            oc.seed = gv_gen_chunk_seed(gv_gen_seed(o.seed, i), c);
            run(&half, 1, &oc, &part, zp);
            for (int l = 0; l < 16; l++) /* encoded in a batch of 3 vs alone: BLAS may round differently */
                cr_assert_float_eq(zp[l], z[(i * 3 + c) * 16 + l], 1e-5, "z of %d chunk %d", i, c);
            cr_assert(same_hits(&out[i], c * 32, &part, 0, len), "suggestion %d chunk %d", i, c);
        }
    }
    cr_assert_neq(gv_gen_chunk_seed(5, 1), gv_gen_chunk_seed(5, 2));
    cr_assert_eq(gv_gen_chunk_seed(5, 0), 5);
}

Test(generate, latents_prior_and_variations)
{
    enum { N = 4000, L = 16 };
    float *z = malloc(sizeof(float) * N * L);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.temperature = 0.5f;
    gv_gen_latents(NULL, NULL, 1, L, N, &o, z);
    double s = 0, sq = 0;
    for (int k = 0; k < N * L; k++) {
        s += z[k];
        sq += (double)z[k] * z[k];
    }
    cr_assert(fabs(s / (N * L)) < 0.02);
    cr_assert(fabs(sqrt(sq / (N * L)) - 0.5) < 0.02, "sd %g", sqrt(sq / (N * L)));
    float kept[2 * L], var[3 * 2 * L];
    for (int l = 0; l < 2 * L; l++)
        kept[l] = (float)l - 10;
    o.temperature = 0;
    gv_gen_latents(kept, NULL, 2, L, 3, &o, var);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(memcmp(var + i * 2 * L, kept, sizeof kept), 0);
    o.temperature = 0.1f;
    gv_gen_latents(kept, NULL, 2, L, 3, &o, var);
    double maxd = 0;
    for (int k = 0; k < 3 * 2 * L; k++)
        maxd = fmax(maxd, fabs(var[k] - kept[k % (2 * L)]));
    cr_assert(maxd > 0 && maxd < 0.6, "variation spread %g", maxd);
    free(z);
}

Test(slerp, ends_midpoint_and_parallel_fallback)
{
    enum { L = 16 };
    float a[L], b[L], out[L];
    gv_rng r;
    gv_rng_seed(&r, 3);
    for (int l = 0; l < L; l++) {
        a[l] = gv_rng_normal(&r);
        b[l] = gv_rng_normal(&r);
    }
    gv_slerp(a, b, L, 0, out);
    cr_assert_eq(memcmp(out, a, sizeof a), 0);
    gv_slerp(a, b, L, 1, out);
    cr_assert_eq(memcmp(out, b, sizeof b), 0);
    float z[5 * 2 * L], ab[2 * L], ba[2 * L];
    memcpy(ab, a, sizeof a);
    memcpy(ab + L, b, sizeof b);
    memcpy(ba, b, sizeof b);
    memcpy(ba + L, a, sizeof a);
    gv_gen_interpolate(ab, ba, 2, L, 5, z);
    cr_assert_eq(memcmp(z, ab, sizeof ab), 0);
    cr_assert_eq(memcmp(z + 4 * 2 * L, ba, sizeof ba), 0);
    /* orthogonal unit vectors: the midpoint stays on the sphere */
    float e0[L] = {1}, e1[L] = {0, 1};
    gv_slerp(e0, e1, L, 0.5f, out);
    cr_assert_float_eq(out[0], (float)M_SQRT1_2, 1e-6);
    cr_assert_float_eq(out[1], (float)M_SQRT1_2, 1e-6);
    gv_slerp(e0, e1, L, 1.f / 3, out);
    cr_assert_float_eq(out[0], 0.8660254f, 1e-6); /* cos 30 degrees */
    /* parallel (and zero) vectors: linear */
    float twice[L];
    for (int l = 0; l < L; l++)
        twice[l] = 2 * a[l];
    gv_slerp(a, twice, L, 0.5f, out);
    for (int l = 0; l < L; l++)
        cr_assert_float_eq(out[l], 1.5f * a[l], 1e-5);
    float zero[L] = {0};
    gv_slerp(zero, a, L, 0.25f, out);
    for (int l = 0; l < L; l++)
        cr_assert_float_eq(out[l], 0.25f * a[l], 1e-6);
}

Test(generate, bad_arguments_are_refused)
{
    static gv_pattern in, out;
    float z[16];
    gv_err e = {0};
    input(&in, 32, 9);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.density = -1;
    cr_assert_eq(gv_generate(&model, &in, 1, &o, &out, z, ws, &e), -1);
    cr_assert(strstr(e.msg, "density"), "%s", e.msg);
    gv_gen_opts_default(&o);
    o.temperature = NAN;
    cr_assert_eq(gv_generate(&model, &in, 1, &o, &out, z, ws, &e), -1);
    cr_assert(strstr(e.msg, "temperature"), "%s", e.msg);
    gv_gen_opts_default(&o);
    cr_assert_eq(gv_generate(&model, &in, 0, &o, &out, z, ws, &e), -1);
    in.steps = 40;
    cr_assert_eq(gv_generate(&model, &in, 1, &o, &out, z, ws, &e), -1);
    cr_assert(strstr(e.msg, "steps"), "%s", e.msg);
    gv_config c = model.cfg;
    c.latent_dim = 8;
    gv_gen_ws *w8 = gv_gen_ws_new(&c, 1);
    in.steps = 32;
    cr_assert_eq(gv_generate(&model, &in, 1, &o, &out, z, w8, &e), -1);
    cr_assert(strstr(e.msg, "latent_dim"), "%s", e.msg);
    gv_gen_ws_free(w8);
}

Test(generate, small_workspace_runs_in_passes_with_the_same_result)
{
    static gv_pattern in, a[5], b[5];
    float za[5 * 3 * 16], zb[5 * 3 * 16];
    input(&in, 96, 10); /* 3 chunks, 15 latents: 8 passes of 2 */
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.seed = 5;
    o.sampling = GV_SAMPLING_BERNOULLI;
    run(&in, 5, &o, a, za);
    gv_gen_ws *w2 = gv_gen_ws_new(&model.cfg, 2);
    gv_err e = {0};
    cr_assert_eq(gv_generate(&model, &in, 5, &o, b, zb, w2, &e), 0, "%s", e.msg);
    gv_gen_ws_free(w2);
    for (int k = 0; k < 5 * 3 * 16; k++)
        cr_assert_float_eq(za[k], zb[k], 1e-5);
    for (int i = 0; i < 5; i++)
        assert_same(&a[i], &b[i], 1e-5f);
}

/* test_provenance.c - the one provenance record (engine/provenance.h) and the
 * engine's whole operations (engine/ops.h): sidecars and sessions written by
 * an older groove keep loading (tests/fixtures/, made by make_fixtures.c),
 * records read back and write again byte for byte, and the operations chunk,
 * seed and interpolate as the front ends did when each chained the steps. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "engine/ops.h"
#include "session/core.h"
#include "session/library.h"
#include "session/session.h"
#include "tests/helpers.h"

#define FIX "tests/fixtures"

/* ---- files of an older groove (commit 87a8679) ---- */

Test(fixtures, sidecars_load)
{
    static const struct {
        const char *name, *kind;
        int groove;
        float swing;
    } want[] = {{"sidecar-generate", "generate", 1, 0},
                {"sidecar-vary", "vary", 1, 0.32f},
                {"sidecar-sample", "sample", 0, 0.32f}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        gv_pattern p;
        gv_lib_meta *m = malloc(sizeof *m);
        gv_err e = {0};
        cr_assert_eq(gv_library_load(FIX, want[k].name, &p, m, &e), 0, "%s: %s", want[k].name, e.msg);
        cr_assert_str_eq(m->kind, want[k].kind);
        cr_assert_str_eq(m->model, "default");
        cr_assert_eq(strlen(m->created), 19, "created %s", m->created);
        cr_assert(m->seed > 0);
        cr_assert_float_eq(m->temperature, !strcmp(want[k].kind, "vary") ? 0.5f : 1.f, 1e-6);
        cr_assert_float_eq(m->density, 1.f, 1e-6);
        cr_assert_float_eq(m->bpm, 100.f, 1e-6);
        cr_assert_float_eq(m->swing, want[k].swing, 1e-6);
        cr_assert_eq(m->has_groove, want[k].groove);
        if (want[k].groove) /* the input's kick on step 0: velocity 0.9 */
            cr_assert(m->groove[0] == 1 && fabsf(m->groove[1] - 0.9f) < 1e-6);
        cr_assert_eq(m->zdim, 64);
        cr_assert(gv_pattern_count(&p) > 0);
        free(m);
    }
}

Test(fixtures, session_loads)
{
    gv_core *c = gv_core_new("/nonexistent-groove-lib");
    gv_core_set_model(c, "default", 64);
    gv_err e = {0};
    cr_assert_eq(gv_session_load(c, FIX "/session.json", &e), 0, "%s", e.msg);
    cr_assert_eq(c->nsugg, 4);
    cr_assert_float_eq(c->set.swing, 0.32f, 1e-6);
    cr_assert_str_eq(c->sugg[0].meta.kind, "generate");
    for (int i = 1; i < 4; i++) {
        cr_assert_str_eq(c->sugg[i].meta.kind, "vary");
        cr_assert_str_eq(c->sugg[i].meta.model, "default");
        cr_assert_eq(c->sugg[i].meta.zdim, 64);
        cr_assert(c->sugg[i].meta.has_groove);
    }
    cr_assert(c->sugg[1].kept && c->sugg[1].kept_name[0]);
    cr_assert_eq(c->sugg[2].meta.seed, 596392245931053ull);
    gv_core_free(c);
}

/* ---- the record: write -> read -> write, the same bytes ---- */

static char *text_of(const gv_prov *p, unsigned flags)
{
    cJSON *o = gv_prov_to_json(p, flags);
    cr_assert_not_null(o);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static void round_trip(const gv_prov *p, unsigned flags)
{
    char *a = text_of(p, flags);
    cJSON *o = cJSON_Parse(a);
    gv_prov *back = malloc(sizeof *back);
    gv_err e = {0};
    cr_assert_eq(gv_prov_from_json(o, back, &e), 0, "%s", e.msg);
    cJSON_Delete(o);
    char *b = text_of(back, flags);
    cr_assert_str_eq(a, b);
    cr_assert_eq(back->version, GV_PROV_VERSION);
    cr_assert_eq(back->seed, p->seed);
    cr_assert_eq(back->zdim, p->zdim);
    cr_assert_eq(memcmp(back->z, p->z, sizeof(float) * (size_t)p->zdim), 0);
    free(back);
    free(a);
    free(b);
}

Test(provenance, round_trip_same_bytes)
{
    gv_prov *p = malloc(sizeof *p);
    gv_prov_init(p, "generate");
    snprintf(p->model, sizeof p->model, "default");
    snprintf(p->arch, sizeof p->arch, "mgt-vae");
    snprintf(p->created, sizeof p->created, "2025-01-01T12:00:00");
    p->seed = (1ull << 53) - 1;
    p->temperature = 0.7f;
    p->density = 1.3f;
    p->bpm = 97.5f;
    p->swing = 0.32f;
    p->sampling = GV_SAMPLING_BERNOULLI;
    p->from_groove = 1;
    p->feel = (gv_feel){GV_FEEL_GROOVE, GV_FEEL_MODEL};
    p->cond.lanes = 3;
    p->cond.keep = 1u << GV_KICK | 1u << GV_SNARE;
    p->has_groove = 1;
    for (int k = 0; k < GV_MODEL_STEPS * 3; k++)
        p->groove[k] = (float)(k % 3) / 7.f;
    float z[2 * 16];
    for (int k = 0; k < 32; k++)
        z[k] = sinf((float)k) * 1.7f;
    gv_prov_set_z(p, z, 2, 16);
    round_trip(p, 0);
    round_trip(p, GV_PROV_Z_ROWS);
    p->cond.keep = 0;
    p->cond.humanize = 1;
    round_trip(p, 0);
    gv_prov_init(p, "interpolate"); /* no groove, no latent, a position */
    p->has_t = 1;
    p->t = 1.0 / 3;
    round_trip(p, 0);
    free(p);
}

/* An older groove's sidecar: read, written as the record, read again:
 * every field as it was, and a second pass gives the same bytes. */
Test(provenance, fixture_rewrites_stably)
{
    unsigned char *data;
    size_t len;
    gv_err e = {0};
    cr_assert_eq(gv_read_file(FIX "/sidecar-vary.json", 1 << 20, &data, &len, &e), 0, "%s", e.msg);
    cJSON *o = cJSON_ParseWithLength((const char *)data, len);
    free(data);
    gv_prov *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    cr_assert_eq(gv_prov_from_json(o, a, &e), 0, "%s", e.msg);
    cJSON_Delete(o);
    cr_assert_eq(a->version, 0, "written before the record had a version");
    char *t1 = text_of(a, 0);
    o = cJSON_Parse(t1);
    cr_assert_eq(gv_prov_from_json(o, b, &e), 0, "%s", e.msg);
    cJSON_Delete(o);
    cr_assert_str_eq(b->kind, a->kind);
    cr_assert_eq(b->seed, a->seed);
    cr_assert_eq(b->swing, a->swing);
    cr_assert_eq(memcmp(b->groove, a->groove, sizeof a->groove), 0);
    cr_assert_eq(memcmp(b->z, a->z, sizeof(float) * (size_t)a->zdim), 0);
    char *t2 = text_of(b, 0);
    cr_assert_str_eq(t1, t2);
    free(t1);
    free(t2);
    free(a);
    free(b);
}

/* ---- the operations ---- */

static gv_model model;

static void make_model(void)
{
    gv_err e;
    cr_assert_eq(gv_test_small_model(&model, GV_SRC_FEATURES, 0.5f, &e), 0, "%s", e.msg);
}

static void free_model(void) { gv_model_free(&model); }

static void beat(gv_pattern *p, int steps, int shift)
{
    gv_pattern_init(p, steps, 100, "beat");
    for (int s = 0; s < steps; s += 2)
        gv_pattern_set(p, s, GV_CHAT, 1, 0.5f + 0.01f * (float)((s + shift) % 7), 0);
    for (int s = shift % 4; s < steps; s += 8)
        gv_pattern_set(p, s, GV_KICK, 1, 0.9f, 0.1f);
}

static void same_cells(const gv_pattern *a, int from, const gv_pattern *b, int n)
{
    for (int t = 0; t < n; t++)
        for (int v = 0; v < GV_VOICES; v++) {
            cr_assert_eq(a->hit[from + t][v], b->hit[t][v], "step %d voice %d", from + t, v);
            cr_assert_eq(a->vel[from + t][v], b->vel[t][v]);
            cr_assert_eq(a->off[from + t][v], b->off[t][v]);
        }
}

/* A 4-bar drumify is its halves drummed apart: the first with the seed, the
 * second with the seed of chunk 1 (the feel fixed: auto looks at the whole). */
Test(ops, drumify_chunks_as_two_calls, .init = make_model, .fini = free_model)
{
    gv_pattern *in = malloc(3 * sizeof *in), *out = malloc(3 * sizeof *out);
    beat(&in[0], 64, 1);
    gv_pattern_init(&in[1], 32, 100, "a");
    gv_pattern_init(&in[2], 32, 100, "b");
    same_cells(&in[0], 0, &in[0], 64);
    for (int h = 0; h < 2; h++)
        for (int t = 0; t < 32; t++)
            for (int v = 0; v < GV_VOICES; v++)
                gv_pattern_set(&in[1 + h], t, v, in[0].hit[32 * h + t][v], in[0].vel[32 * h + t][v],
                               in[0].off[32 * h + t][v]);
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, 1);
    gv_err e = {0};
    for (int smp = 0; smp < 2; smp++) {
        gv_gen_opts o;
        gv_gen_opts_default(&o);
        o.seed = 77;
        o.sampling = smp ? GV_SAMPLING_BERNOULLI : GV_SAMPLING_THRESHOLD;
        o.feel = (gv_feel){GV_FEEL_MODEL, GV_FEEL_MODEL};
        float z[2 * 8], z0[8], z1[8];
        cr_assert_eq(gv_op_drumify(&model, &in[0], 1, &o, &out[0], z, ws, &e), 0, "%s", e.msg);
        cr_assert_eq(gv_op_drumify(&model, &in[1], 1, &o, &out[1], z0, ws, &e), 0, "%s", e.msg);
        o.seed = gv_gen_chunk_seed(77, 1);
        cr_assert_eq(gv_op_drumify(&model, &in[2], 1, &o, &out[2], z1, ws, &e), 0, "%s", e.msg);
        cr_assert_eq(out[0].steps, 64);
        same_cells(&out[0], 0, &out[1], 32);
        same_cells(&out[0], 32, &out[2], 32);
        cr_assert_eq(memcmp(z, z0, sizeof z0), 0);
        cr_assert_eq(memcmp(z + 8, z1, sizeof z1), 0);
    }
    gv_gen_ws_free(ws);
    free(in);
    free(out);
}

/* The path's ends are the sources' latents (their means, or their kept
 * latents), decoded as decode does. */
Test(ops, interpolate_ends, .init = make_model, .fini = free_model)
{
    gv_pattern a, b, *out = malloc(5 * sizeof *out), *dec = malloc(2 * sizeof *dec);
    beat(&a, 32, 0);
    beat(&b, 32, 3);
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, 8);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.temperature = 0;
    float mu[2][8], lv[8], z[5 * 8];
    gv_op_encode(&model, &a, mu[0], lv, ws);
    gv_op_encode(&model, &b, mu[1], lv, ws);
    gv_op_src sa = {&a, NULL, 0}, sb = {&b, NULL, 0};
    gv_err e = {0};
    cr_assert_eq(gv_op_interpolate(&model, &sa, &sb, 5, 32, 100, &o, out, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(z, mu[0], sizeof mu[0]), 0);
    cr_assert_eq(memcmp(z + 4 * 8, mu[1], sizeof mu[1]), 0);
    cr_assert_eq(gv_op_decode(&model, &mu[0][0], 2, 32, 100, &o, dec, ws, &e), 0, "%s", e.msg);
    same_cells(&out[0], 0, &dec[0], 32);
    same_cells(&out[4], 0, &dec[1], 32);
    /* a kept latent of the right size is the end instead of the mean */
    float kept[8] = {1, -1, 0.5f, 0, 0, 2, 0, -0.25f};
    sa.z = kept;
    sa.zdim = 8;
    cr_assert_eq(gv_op_interpolate(&model, &sa, &sb, 5, 32, 100, &o, out, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(z, kept, sizeof kept), 0);
    gv_prov p;
    gv_op_prov(&p, "interpolate", &model, &o, 2, 5, z + 16, 1);
    cr_assert(p.has_t && p.t == 0.5 && p.seed == 0 && p.temperature == 0);
    cr_assert_eq(p.zdim, 8);
    gv_gen_ws_free(ws);
    free(out);
    free(dec);
}

/* Variations at temperature 0 are the source's latent; sample is the prior
 * decoded, seeded. */
Test(ops, vary_and_sample, .init = make_model, .fini = free_model)
{
    gv_pattern a, *out = malloc(4 * sizeof *out), *again = malloc(4 * sizeof *again);
    beat(&a, 32, 2);
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, 8);
    gv_gen_opts o;
    gv_gen_opts_default(&o);
    o.temperature = 0;
    float mu[8], lv[8], z[4 * 8], z2[4 * 8];
    gv_op_encode(&model, &a, mu, lv, ws);
    gv_op_src src = {&a, NULL, 0};
    gv_err e = {0};
    cr_assert_eq(gv_op_vary(&model, &src, 2, 32, 100, &o, out, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(z, mu, sizeof mu), 0);
    cr_assert_eq(memcmp(z + 8, mu, sizeof mu), 0);
    cr_assert_eq(gv_op_vary(&model, &src, 0, 32, 100, &o, out, z, ws, &e), 0, "nothing to vary is no error");
    o.temperature = 1;
    o.seed = 5;
    cr_assert_eq(gv_op_sample(&model, 4, 32, 100, &o, out, z, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_op_sample(&model, 4, 32, 100, &o, again, z2, ws, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(z, z2, sizeof z), 0);
    for (int i = 0; i < 4; i++)
        same_cells(&out[i], 0, &again[i], 32);
    gv_gen_ws_free(ws);
    free(out);
    free(again);
}

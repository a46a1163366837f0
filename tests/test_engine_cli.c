/* test_engine_cli.c - the model commands end to end: groove generate,
 * sample, interpolate, encode, decode and info run as a program ($GROOVE_BIN)
 * on a small random model, their files and JSON, and their error paths. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "app/cli.h"
#include "engine/model.h"
#include "base/fileio.h"

#define L 16

static char dir[64], model_path[128];
static gv_model model;

static void setup(void)
{
    strcpy(dir, "/tmp/gv_engcli_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    gv_config c;
    gv_config_default(&c);
    c.d_model_enc = c.d_model_dec = 32;
    c.nhead_enc = 2;
    c.nhead_dec = 4;
    c.dim_feedforward_enc = c.dim_feedforward_dec = 64;
    c.num_encoder_layers = 1;
    c.latent_dim = L;
    for (int v = 0; v < GV_VOICES; v++)
        c.thresholds[v] = 0.4f + 0.02f * (float)v;
    gv_err e = {0};
    cr_assert_eq(gv_model_init_random(&model, &c, 11, &e), 0, "%s", e.msg);
    snprintf(model_path, sizeof model_path, "%s/m.safetensors", dir);
    cr_assert_eq(gv_model_save(&model, model_path, &e), 0, "%s", e.msg);
    /* inputs: a.mid and b.mid (2 bars), long.tab (4 bars), all starting on bar 1 */
    static gv_pattern p;
    const char *names[3] = {"a.mid", "b.mid", "long.tab"};
    for (int k = 0; k < 3; k++) {
        gv_rng r;
        gv_rng_seed(&r, 100 + k);
        gv_pattern_init(&p, k == 2 ? 64 : 32, 120, "");
        gv_pattern_set(&p, 0, GV_KICK, 1, 0.9f, 0);
        for (int t = 1; t < p.steps; t++)
            if (gv_rng_uniform(&r) < 0.4f)
                gv_pattern_set(&p, t, (int)gv_rng_below(&r, 3), 1, 0.4f + 0.5f * gv_rng_uniform(&r),
                               0.4f * gv_rng_uniform(&r) - 0.2f);
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        cr_assert_eq(gv_cli_save(path, &p), 0);
    }
}

static char *out_text, *err_text;

static void teardown(void)
{
    free(out_text);
    free(err_text);
    out_text = err_text = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    gv_model_free(&model);
}

TestSuite(engine_cli, .init = setup, .fini = teardown, .timeout = 120);

static char *slurp(const char *path)
{
    unsigned char *d = NULL;
    size_t n = 0;
    if (gv_read_file(path, 64u << 20, &d, &n, NULL) != 0)
        return NULL;
    return (char *)d;
}

/* Runs "$GROOVE_BIN ARGS" (%s D expands to the test directory by the
 * caller) and returns its exit status; stdout and stderr in out_text and
 * err_text. */
static int run(const char *fmt, ...)
{
    const char *bin = getenv("GROOVE_BIN");
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "%s %s >%s/stdout 2>%s/stderr", bin && *bin ? bin : "./groove", args, dir, dir);
    int st = system(cmd);
    char path[128];
    free(out_text);
    free(err_text);
    snprintf(path, sizeof path, "%s/stdout", dir);
    out_text = slurp(path);
    snprintf(path, sizeof path, "%s/stderr", dir);
    err_text = slurp(path);
    cr_assert(WIFEXITED(st), "%s: did not exit", cmd);
    return WEXITSTATUS(st);
}

static cJSON *json_out(void)
{
    cJSON *j = cJSON_Parse(out_text);
    cr_assert_not_null(j, "stdout is not JSON: %.300s", out_text);
    return j;
}

static void same_bytes(const char *a, const char *b, int want_same)
{
    char pa[256], pb[256];
    snprintf(pa, sizeof pa, "%s/%s", dir, a);
    snprintf(pb, sizeof pb, "%s/%s", dir, b);
    unsigned char *da = NULL, *db = NULL;
    size_t na = 0, nb = 0;
    cr_assert_eq(gv_read_file(pa, 1 << 20, &da, &na, NULL), 0, "%s missing", pa);
    cr_assert_eq(gv_read_file(pb, 1 << 20, &db, &nb, NULL), 0, "%s missing", pb);
    int same = na == nb && !memcmp(da, db, na);
    cr_assert_eq(same, want_same, "%s vs %s", a, b);
    free(da);
    free(db);
}

static void load(const char *rel, gv_pattern *p)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    gv_load_opts o = {.start_bar = 0, .bars = 0, .channel = -1};
    cr_assert_eq(gv_cli_load(path, &o, p), 0, "cannot load %s", path);
}

/* z: an array of `rows` arrays of L numbers, into zf (may be NULL). */
static void check_z(const cJSON *z, int rows, float *zf)
{
    cr_assert(cJSON_IsArray(z) && cJSON_GetArraySize(z) == rows, "z is not %d rows", rows);
    for (int r = 0; r < rows; r++) {
        const cJSON *row = cJSON_GetArrayItem(z, r);
        cr_assert(cJSON_IsArray(row) && cJSON_GetArraySize(row) == L);
        for (int l = 0; l < L; l++) {
            const cJSON *x = cJSON_GetArrayItem(row, l);
            cr_assert(cJSON_IsNumber(x));
            if (zf)
                zf[r * L + l] = (float)x->valuedouble;
        }
    }
}

Test(engine_cli, generate_same_seed_same_bytes)
{
    cr_assert_eq(run("generate %s/a.mid -n 3 --seed 7 -o %s/o1 --model %s", dir, dir, model_path), 0, "%s",
                 err_text);
    cr_assert_eq(run("generate %s/a.mid -n 3 --seed 7 -o %s/o2 --model %s", dir, dir, model_path), 0);
    cr_assert_eq(run("generate %s/a.mid -n 3 --seed 8 -o %s/o3 --model %s", dir, dir, model_path), 0);
    same_bytes("o1/a-01.mid", "o2/a-01.mid", 1);
    same_bytes("o1/a-02.mid", "o2/a-02.mid", 1);
    same_bytes("o1/a-03.mid", "o2/a-03.mid", 1);
    same_bytes("o1/a-01.mid", "o3/a-01.mid", 0);
    same_bytes("o1/a-01.mid", "o1/a-02.mid", 0);
    cr_assert_eq(strlen(out_text), 0, "no --json, no output: %s", out_text);
}

Test(engine_cli, generate_json_lists_files_and_seeds_reproduce)
{
    cr_assert_eq(run("generate %s/a.mid %s/long.tab -n 3 --seed 5 --temperature 0.8 --json -o %s/o --model %s", dir,
                     dir, dir, model_path),
                 0, "%s", err_text);
    cJSON *j = json_out();
    const cJSON *files = cJSON_GetObjectItem(j, "files");
    cr_assert_eq(cJSON_GetArraySize(files), 6);
    char want[256];
    uint64_t seed3 = 0;
    for (int i = 0; i < 6; i++) {
        const cJSON *f = cJSON_GetArrayItem(files, i);
        snprintf(want, sizeof want, "%s/o/%s-%02d.mid", dir, i < 3 ? "a" : "long", i % 3 + 1);
        cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(f, "path")), want);
        snprintf(want, sizeof want, "%s/%s", dir, i < 3 ? "a.mid" : "long.tab");
        cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(f, "input")), want);
        cr_assert_float_eq(cJSON_GetObjectItem(f, "temperature")->valuedouble, 0.8, 1e-6);
        cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(f, "seed")));
        check_z(cJSON_GetObjectItem(f, "z"), i < 3 ? 1 : 2, NULL); /* long.tab: 4 bars, 2 latents */
        if (i == 2)
            seed3 = (uint64_t)cJSON_GetObjectItem(f, "seed")->valuedouble;
    }
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(files, 0), "seed")->valuedouble, 5.0);
    static gv_pattern p;
    load("o/long-01.mid", &p);
    cr_assert_eq(p.steps, 64);
    /* suggestion 3's seed with -n 1 gives it again */
    cr_assert_eq(run("generate %s/a.mid -n 1 --seed %llu --temperature 0.8 -o %s/again --model %s", dir,
                     (unsigned long long)seed3, dir, model_path),
                 0, "%s", err_text);
    static gv_pattern a, b; /* the same notes; the track names differ (a-03, a-01) */
    load("o/a-03.mid", &a);
    load("again/a-01.mid", &b);
    cr_assert_eq(memcmp(a.hit, b.hit, sizeof a.hit), 0);
    cr_assert_eq(memcmp(a.vel, b.vel, sizeof a.vel), 0);
    cr_assert_eq(memcmp(a.off, b.off, sizeof a.off), 0);
    cJSON_Delete(j);
}

Test(engine_cli, encode_decode_and_t0_generate_agree)
{
    cr_assert_eq(run("encode %s/a.mid --json --model %s", dir, model_path), 0, "%s", err_text);
    cJSON *j = json_out();
    const cJSON *mu = cJSON_GetObjectItem(j, "mu"), *lv = cJSON_GetObjectItem(j, "logvar");
    cr_assert_eq(cJSON_GetArraySize(mu), L);
    cr_assert_eq(cJSON_GetArraySize(lv), L);
    /* {"z":[mu]} for decode */
    cJSON *zf = cJSON_CreateObject(), *rows = cJSON_AddArrayToObject(zf, "z");
    cJSON_AddItemToArray(rows, cJSON_Duplicate(mu, 1));
    char *txt = cJSON_PrintUnformatted(zf), path[256];
    snprintf(path, sizeof path, "%s/z.json", dir);
    cr_assert_eq(gv_write_atomic(path, txt, strlen(txt), NULL), 0);
    free(txt);
    cJSON_Delete(zf);
    cJSON_Delete(j);

    cr_assert_eq(run("decode --z-file %s/z.json --json --model %s", dir, model_path), 0, "%s", err_text);
    j = json_out();
    const char *keys[3] = {"hit_probs", "velocities", "offsets"};
    const double lo[3] = {0, 0, -0.5}, hi[3] = {1, 1, 0.5};
    for (int k = 0; k < 3; k++) {
        const cJSON *a = cJSON_GetObjectItem(j, keys[k]);
        cr_assert_eq(cJSON_GetArraySize(a), 1, "%s", keys[k]);
        const cJSON *steps = cJSON_GetArrayItem(a, 0);
        cr_assert_eq(cJSON_GetArraySize(steps), 32);
        for (int t = 0; t < 32; t++) {
            const cJSON *row = cJSON_GetArrayItem(steps, t);
            cr_assert_eq(cJSON_GetArraySize(row), GV_VOICES);
            for (int v = 0; v < GV_VOICES; v++) {
                double x = cJSON_GetArrayItem(row, v)->valuedouble;
                cr_assert(x >= lo[k] && x <= hi[k], "%s %d %d = %g", keys[k], t, v, x);
            }
        }
    }
    cr_assert_eq(run("generate %s/a.mid --temperature 0 -o %s/t0 --model %s", dir, dir, model_path), 0);
    static gv_pattern p;
    load("t0/a-01.mid", &p);
    const cJSON *hp = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "hit_probs"), 0);
    int hits = 0;
    for (int t = 0; t < 32; t++)
        for (int v = 0; v < GV_VOICES; v++) {
            double x = cJSON_GetArrayItem(cJSON_GetArrayItem(hp, t), v)->valuedouble;
            hits += p.hit[t][v];
            cr_assert_eq(p.hit[t][v], x >= model.cfg.thresholds[v], "step %d voice %d p %g", t, v, x);
        }
    cr_assert(hits > 0);
    cJSON_Delete(j);
}

/* Latents that are not finite or absurd (|z| > 1000) are refused with the
 * file named, never decoded to empty output or printed as null. */
Test(engine_cli, decode_refuses_absurd_latents)
{
    const char *bad[] = {"1e30", "-1e30", "1e400", "1000.5"};
    char path[256];
    snprintf(path, sizeof path, "%s/big.json", dir);
    for (int k = 0; k < 4; k++) {
        char text[512];
        int n = snprintf(text, sizeof text, "{\"z\":[[");
        for (int l = 0; l < L; l++)
            n += snprintf(text + n, sizeof text - (size_t)n, "%s%s", l ? "," : "", l == 5 ? bad[k] : "0.5");
        snprintf(text + n, sizeof text - (size_t)n, "]]}");
        cr_assert_eq(gv_write_atomic(path, text, strlen(text), NULL), 0);
        cr_assert_eq(run("decode --z-file %s --json --model %s", path, model_path), 1, "z %s: %s", bad[k], out_text);
        char want[300];
        snprintf(want, sizeof want, "groove: %s: ", path);
        cr_assert(!strncmp(err_text, want, strlen(want)), "%s", err_text);
        cr_assert(strstr(err_text, "z[5]") && strstr(err_text, "not a usable latent"), "%s", err_text);
        cr_assert(!strstr(out_text, "null"), "%s", out_text);
        cr_assert_eq(run("decode --z-file %s -o %s/big --model %s", path, dir, model_path), 1);
    }
}

/* What encode --json prints ({"mu":[...],"logvar":[...]}) is a z-file: decode
 * reads its mu, as it reads a library sidecar's flat "z" list. */
Test(engine_cli, decode_reads_encode_output)
{
    cr_assert_eq(run("encode %s/a.mid --json --model %s", dir, model_path), 0, "%s", err_text);
    char path[256];
    snprintf(path, sizeof path, "%s/e.json", dir);
    cr_assert_eq(gv_write_atomic(path, out_text, strlen(out_text), NULL), 0);
    cJSON *e = json_out();
    float mu[L];
    for (int l = 0; l < L; l++)
        mu[l] = (float)cJSON_GetArrayItem(cJSON_GetObjectItem(e, "mu"), l)->valuedouble;
    cr_assert_eq(run("decode --z-file %s --json --model %s", path, model_path), 0, "%s", err_text);
    cJSON *j = json_out();
    float z[L];
    check_z(cJSON_GetObjectItem(j, "z"), 1, z);
    cr_assert_eq(memcmp(z, mu, sizeof z), 0, "decode took mu as the latent");
    char *probs = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "hit_probs"));
    cJSON_Delete(j);
    /* a sidecar's flat list: the same latent, the same probabilities */
    cJSON *side = cJSON_CreateObject();
    cJSON_AddItemToObject(side, "z", cJSON_Duplicate(cJSON_GetObjectItem(e, "mu"), 1));
    char *txt = cJSON_PrintUnformatted(side);
    snprintf(path, sizeof path, "%s/side.json", dir);
    cr_assert_eq(gv_write_atomic(path, txt, strlen(txt), NULL), 0);
    free(txt);
    cJSON_Delete(side);
    cr_assert_eq(run("decode --z-file %s --json --model %s", path, model_path), 0, "%s", err_text);
    j = json_out();
    char *probs2 = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "hit_probs"));
    cr_assert_str_eq(probs, probs2);
    free(probs);
    free(probs2);
    cJSON_Delete(j);
    cJSON_Delete(e);
    cr_assert_eq(run("decode --z-file %s -o %s/fromenc --model %s", path, dir, model_path), 0, "%s", err_text);
}

Test(engine_cli, kept_latent_decodes_and_varies)
{
    cr_assert_eq(run("generate %s/a.mid -n 2 --seed 3 --json -o %s/o --model %s", dir, dir, model_path), 0);
    cJSON *j = json_out();
    /* one file's record is itself a z-file */
    char *txt = cJSON_PrintUnformatted(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "files"), 1)), path[256];
    snprintf(path, sizeof path, "%s/kept.json", dir);
    cr_assert_eq(gv_write_atomic(path, txt, strlen(txt), NULL), 0);
    free(txt);
    cJSON_Delete(j);
    cr_assert_eq(run("decode --z-file %s/kept.json -o %s/d --model %s", dir, dir, model_path), 0, "%s", err_text);
    static gv_pattern a, b;
    load("o/a-02.mid", &a);
    load("d/kept-01.mid", &b);
    cr_assert_eq(memcmp(a.hit, b.hit, sizeof a.hit), 0, "decoding a kept z gives its pattern back");
    cr_assert_eq(run("decode --z-file %s/kept.json -n 3 --temperature 0.5 --seed 9 -o %s/v --json --model %s", dir,
                     dir, model_path),
                 0, "%s", err_text);
    j = json_out();
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "files")), 3);
    float z[3 * L];
    check_z(cJSON_GetObjectItem(j, "z"), 3, z);
    cr_assert_neq(memcmp(z, z + L, L * sizeof(float)), 0, "variations differ");
    same_bytes("v/kept-01.mid", "v/kept-02.mid", 0);
    cJSON_Delete(j);
}

Test(engine_cli, sample_and_interpolate)
{
    cr_assert_eq(run("sample -n 3 --seed 1 --json -o %s/s1 --model %s", dir, model_path), 0, "%s", err_text);
    cJSON *j = json_out();
    const cJSON *files = cJSON_GetObjectItem(j, "files");
    cr_assert_eq(cJSON_GetArraySize(files), 3);
    for (int i = 0; i < 3; i++)
        check_z(cJSON_GetObjectItem(cJSON_GetArrayItem(files, i), "z"), 1, NULL);
    cJSON_Delete(j);
    cr_assert_eq(run("sample -n 3 --seed 1 -o %s/s2 --model %s", dir, model_path), 0);
    same_bytes("s1/sample-03.mid", "s2/sample-03.mid", 1);
    cr_assert_eq(run("sample --bars 4 --json -o %s/s3 --model %s", dir, model_path), 0);
    j = json_out();
    check_z(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "files"), 0), "z"), 2, NULL);
    cJSON_Delete(j);

    float mu[2][L], z[4 * L];
    const char *in[2] = {"a", "b"};
    for (int k = 0; k < 2; k++) {
        cr_assert_eq(run("encode %s/%s.mid --json --model %s", dir, in[k], model_path), 0);
        j = json_out();
        const cJSON *m = cJSON_GetObjectItem(j, "mu");
        for (int l = 0; l < L; l++)
            mu[k][l] = (float)cJSON_GetArrayItem(m, l)->valuedouble;
        cJSON_Delete(j);
    }
    cr_assert_eq(run("interpolate %s/a.mid %s/b.mid --steps 4 --json -o %s/i --model %s", dir, dir, dir, model_path),
                 0, "%s", err_text);
    j = json_out();
    files = cJSON_GetObjectItem(j, "files");
    cr_assert_eq(cJSON_GetArraySize(files), 4);
    for (int k = 0; k < 4; k++)
        check_z(cJSON_GetObjectItem(cJSON_GetArrayItem(files, k), "z"), 1, z + k * L);
    cr_assert_eq(memcmp(z, mu[0], sizeof mu[0]), 0, "the path starts at A's mu");
    cr_assert_eq(memcmp(z + 3 * L, mu[1], sizeof mu[1]), 0, "and ends at B's");
    cJSON_Delete(j);
    static gv_pattern p;
    load("i/a-b-04.mid", &p);
    cr_assert_eq(p.steps, 32);
}

Test(engine_cli, max_hits_and_info)
{
    cr_assert_eq(run("generate %s/long.tab --density 4 --max-hits kick=1,SD=0 -o %s/c --model %s", dir, dir,
                     model_path),
                 0, "%s", err_text);
    static gv_pattern p, half;
    load("c/long-01.mid", &p);
    for (int c = 0; c < 2; c++) {
        gv_pattern_slice(&p, c * 32, 32, &half);
        cr_assert_leq(gv_pattern_count_voice(&half, GV_KICK), 1);
        cr_assert_eq(gv_pattern_count_voice(&half, GV_SNARE), 0);
    }
    cr_assert_gt(gv_pattern_count_voice(&p, GV_CHAT), 2);

    cr_assert_eq(run("info %s --json", model_path), 0, "%s", err_text);
    cJSON *j = json_out();
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(j, "path")), model_path);
    cr_assert_eq((size_t)cJSON_GetObjectItem(j, "parameters")->valuedouble, model.nparams);
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "config"), "latent_dim")->valueint, L);
    cJSON_Delete(j);
    cr_assert_eq(run("info --model %s", model_path), 0);
    cr_assert(strstr(out_text, "parameters") && strstr(out_text, "thresholds"), "%s", out_text);
}

Test(engine_cli, errors_name_the_file_and_exit_codes)
{
    cr_assert_eq(run("generate %s/missing.mid --model %s -o %s/x", dir, model_path, dir), 1);
    char want[300];
    snprintf(want, sizeof want, "groove: %s/missing.mid: ", dir);
    cr_assert(!strncmp(err_text, want, strlen(want)), "%s", err_text);

    char bad[128];
    snprintf(bad, sizeof bad, "%s/bad.safetensors", dir);
    cr_assert_eq(gv_write_atomic(bad, "\x10\0\0\0\0\0\0\0{\"a\":1}garbage", 23, NULL), 0);
    cr_assert_eq(run("generate %s/a.mid --model %s -o %s/x", dir, bad, dir), 1);
    snprintf(want, sizeof want, "groove: %s: ", bad);
    cr_assert(!strncmp(err_text, want, strlen(want)), "%s", err_text);
    cr_assert_eq(run("info %s/nope.safetensors", dir), 1);
    cr_assert_eq(run("sample --model %s -o %s/x", bad, dir), 1);

    const char *usage_errors[] = {"generate %s/a.mid --density -1", "generate %s/a.mid --sampling maybe",
                                  "generate %s/a.mid --bogus",        "generate %s/a.mid -n 0",
                                  "generate %s/a.mid --max-hits nobody=2", "generate %s/a.mid --max-hits kick",
                                  "generate %s/a.mid --temperature x", "generate",
                                  "interpolate %s/a.mid",            "encode %s/a.mid --bars 3",
                                  "decode %s/a.mid",                 "sample %s/a.mid",
                                  "info a b",                        "generate %s/a.mid --timing loose",
                                  "generate %s/a.mid --dynamics", "sample --timing groove"};
    for (size_t k = 0; k < sizeof usage_errors / sizeof *usage_errors; k++) {
        char args[512];
        snprintf(args, sizeof args, usage_errors[k], dir);
        cr_assert_eq(run("%s --model %s", args, model_path), 2, "%s: %s", args, err_text);
        cr_assert(!strncmp(err_text, "groove: ", 8), "%s: %s", args, err_text);
    }
    /* a z-file that does not fit the model */
    snprintf(bad, sizeof bad, "%s/z.json", dir);
    cr_assert_eq(gv_write_atomic(bad, "{\"z\":[[1,2,3]]}", 15, NULL), 0);
    cr_assert_eq(run("decode --z-file %s --model %s", bad, model_path), 1);
    snprintf(want, sizeof want, "groove: %s: ", bad);
    cr_assert(!strncmp(err_text, want, strlen(want)), "%s", err_text);
    cr_assert_eq(gv_write_atomic(bad, "not json", 8, NULL), 0);
    cr_assert_eq(run("decode --z-file %s --model %s", bad, model_path), 1);

    const char *cmds[] = {"generate", "sample", "interpolate", "encode", "decode", "info"};
    for (int k = 0; k < 6; k++) {
        cr_assert_eq(run("%s --help", cmds[k]), 0);
        snprintf(want, sizeof want, "usage: groove %s", cmds[k]);
        cr_assert(strstr(out_text, want), "%s --help: %s", cmds[k], out_text);
    }
}

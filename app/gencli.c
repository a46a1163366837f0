#include "app/gencli.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/modelpath.h"
#include "kernels/kernels.h"
#include "patterns/lanes.h"
#include "base/fileio.h"
#include "patterns/smf.h"

void gv_gencli_default(gv_gencli *g)
{
    memset(g, 0, sizeof *g);
    gv_gen_opts_default(&g->gen);
    g->n = 1;
    g->outdir = ".";
    g->threads = 1;
    g->bpm = 120;
}

static int parse_seed(const char *arg, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!*arg || *end || errno || arg[0] == '-') {
        gv_cli_error(NULL, "--seed: '%s' is not a whole number in 0..%llu", arg, (unsigned long long)UINT64_MAX);
        return -1;
    }
    *out = v;
    return 0;
}

/* VOICE=K,... with VOICE a name or label of pattern.h. */
static int parse_max_hits(const char *arg, int *max_hits)
{
    char buf[512];
    if (snprintf(buf, sizeof buf, "%s", arg) >= (int)sizeof buf) {
        gv_cli_error(NULL, "--max-hits: value too long");
        return -1;
    }
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        int v = -1, k;
        if (eq) {
            *eq = 0;
            v = gv_voice_parse(item);
        }
        if (v < 0) {
            gv_cli_error(NULL, "--max-hits: '%s' is not VOICE=K (voices: kick snare chat ohat ltom mtom htom "
                               "crash ride, or their labels)", item);
            return -1;
        }
        if (gv_cli_int("--max-hits", eq + 1, 0, GV_MODEL_STEPS, &k) != 0)
            return -1;
        max_hits[v] = k;
    }
    return 0;
}

int gv_gencli_opt(int opt, const char *arg, gv_gencli *g)
{
    switch (opt) {
    case 'n':
        return gv_cli_int("-n", arg, 1, 1000, &g->n) ? -1 : 1;
    case 'o':
        g->outdir = arg;
        return 1;
    case GV_OPT_TEMPERATURE:
        return gv_cli_float("--temperature", arg, 0, 100, &g->gen.temperature) ? -1 : 1;
    case GV_OPT_SEED:
        return parse_seed(arg, &g->gen.seed) ? -1 : 1;
    case GV_OPT_SAMPLING:
        if (!strcmp(arg, "threshold") || !strcmp(arg, "bernoulli")) {
            g->gen.sampling = arg[0] == 't' ? GV_SAMPLING_THRESHOLD : GV_SAMPLING_BERNOULLI;
            return 1;
        }
        gv_cli_error(NULL, "--sampling: '%s' is not threshold or bernoulli", arg);
        return -1;
    case GV_OPT_TIMING:
    case GV_OPT_DYNAMICS: {
        gv_err e = {{0}};
        int t = opt == GV_OPT_TIMING;
        if (gv_feel_parse(arg, t ? &g->gen.feel.timing : &g->gen.feel.dynamics, &e) == 0)
            return 1;
        gv_cli_error(NULL, "--%s: %s", t ? "timing" : "dynamics", e.msg);
        return -1;
    }
    case GV_OPT_DENSITY:
        return gv_cli_float("--density", arg, 0, 100, &g->gen.density) ? -1 : 1;
    case GV_OPT_LANES:
        return gv_cli_int("--lanes", arg, 1, GV_MAX_LANES, &g->gen.cond.lanes) ? -1 : 1;
    case GV_OPT_KEEP_VOICES: {
        gv_err e = {{0}};
        unsigned keep;
        if (gv_voice_set_parse(arg, &keep, &e) != 0) {
            gv_cli_error(NULL, "--keep-voices: %s", e.msg);
            return -1;
        }
        if (keep == (1u << GV_VOICES) - 1) {
            gv_cli_error(NULL, "--keep-voices: every voice kept, nothing left to generate");
            return -1;
        }
        g->gen.cond.keep = keep;
        return 1;
    }
    case GV_OPT_MAX_HITS:
        return parse_max_hits(arg, g->gen.max_hits) ? -1 : 1;
    case GV_OPT_MODEL:
        g->model = arg;
        return 1;
    case GV_OPT_THREADS:
        return gv_cli_int("--threads", arg, 1, 256, &g->threads) ? -1 : 1;
    case GV_OPT_JSON:
        g->json = 1;
        return 1;
    case GV_OPT_BPM:
        return gv_cli_float("--bpm", arg, 20, 400, &g->bpm) ? -1 : 1;
    default:
        return 0;
    }
}

int gv_gencli_parse(int argc, char **argv, const char *shortopts, const struct option *longopts,
                    void (*usage)(FILE *), gv_gencli *g, gv_load_opts *win, gv_gencli_extra extra, void *ctx)
{
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1;) {
        if (c == 'h') {
            usage(stdout);
            return 0;
        }
        int took = c == '?' ? 0 : gv_gencli_opt(c, optarg, g);
        if (!took && c != '?' && win)
            took = gv_cli_window_opt(c, optarg, win);
        if (!took && c != '?' && extra)
            took = extra(c, optarg, ctx);
        if (took < 0)
            return 2;
        if (!took) {
            gv_cli_error(argv[0], "bad option or missing value: '%s' (groove %s --help)",
                         optind > 0 ? argv[optind - 1] : "?", argv[0]);
            return 2;
        }
    }
    return -1;
}

int gv_gencli_model(const gv_gencli *g, gv_model *m)
{
    char path[GV_GENCLI_PATH];
    gv_err e = {{0}};
    if (gv_model_open(g->model, m, path, sizeof path, &e) != 0) {
        gv_cli_error(path[0] ? path : NULL, "%s", e.msg);
        return 1;
    }
    gv_kernels_set_threads(g->threads);
    return 0;
}

int gv_gencli_write(const char *dir, const char *stem, gv_pattern *p, int n, char (*paths)[GV_GENCLI_PATH])
{
    gv_err e = {{0}};
    if (gv_mkdirs(dir, &e) != 0) {
        gv_cli_error(dir, "%s", e.msg);
        return 1;
    }
    /* Encode every file first, then write them all with one flush to disk:
     * n fsyncs would cost more than the whole generation. */
    char (*names)[GV_GENCLI_PATH] = calloc((size_t)n, sizeof *names);
    gv_file_out *out = calloc((size_t)n, sizeof *out);
    int rc = names && out ? 0 : (gv_cli_error(NULL, "out of memory"), 1);
    for (int i = 0; i < n && rc == 0; i++) {
        snprintf(p[i].name, sizeof p[i].name, "%.50s-%02d", stem, (i + 1) % 100000); /* % bounds the digits */
        if (snprintf(names[i], sizeof names[i], "%s/%s-%02d.mid", dir, stem, i + 1) >= (int)sizeof names[i]) {
            gv_cli_error(dir, "output path too long");
            rc = 1;
        } else if (gv_smf_write(&p[i], (unsigned char **)&out[i].data, &out[i].len, &e) != 0) {
            gv_cli_error(names[i], "%s", e.msg);
            rc = 1;
        }
        out[i].path = names[i];
    }
    if (rc == 0 && gv_write_atomic_many(out, n, &e) != 0) {
        gv_cli_error(dir, "%s", e.msg);
        rc = 1;
    }
    if (rc == 0 && paths)
        memcpy(paths, names, (size_t)n * sizeof *names);
    for (int i = 0; out && i < n; i++)
        free((void *)out[i].data);
    free(out);
    free(names);
    return rc;
}

int gv_json_print(cJSON *root)
{
    char *s = root ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (!s) {
        gv_cli_error(NULL, "out of memory writing JSON");
        return 1;
    }
    int bad = puts(s) < 0 || fflush(stdout) != 0;
    free(s);
    if (bad) {
        gv_cli_error(NULL, "cannot write to standard output");
        return 1;
    }
    return 0;
}

cJSON *gv_gencli_record(const char *path, const char *input, const gv_prov *p, const float *z, int C, int L)
{
    cJSON *r = gv_prov_to_json_z(p, z, C, L, GV_PROV_Z_ROWS);
    if (!r)
        return NULL;
    cJSON_AddStringToObject(r, "path", path);
    if (input)
        cJSON_AddStringToObject(r, "input", input);
    return r;
}

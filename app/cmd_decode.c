/* cmd_decode.c - `groove decode --z-file F`: latents to the decoder's
 * probabilities, or to patterns (with variations around each latent). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/gencli.h"
#include "app/opts.h"
#include "session/library.h"
#include "base/fileio.h"

#define MAX_LATENTS 1000

static void usage(FILE *f)
{
    fprintf(f,
            "usage: groove decode --z-file F [--json] [-o DIR] [-n N] [--temperature T] [--seed S]\n"
            "                     [--sampling threshold|bernoulli] [--density D]\n"
            "                     [--max-hits VOICE=K,...] [--bpm BPM] [--model M] [--threads K]\n"
            "Decodes the latents of F (each the model's length, 2 or 4 bars), a JSON file {\"z\":[[...],...]} (one row of\n"
            "latent_dim numbers per latent, as groove generate --json prints per file),\n"
            "{\"z\":[...]} (a library sidecar) or {\"mu\":[...]} (what groove encode --json\n"
            "prints).  Latent values must be finite and at most 1000 in magnitude.\n"
            "  --json             print {\"z\":[N][L],\"hit_probs\":[N][T][9],\"velocities\":...,\n"
            "                     \"offsets\":...} before any thresholding, T the model's\n"
            "                     steps (the default without -o)\n"
            "  -o DIR             write each as a pattern DIR/<F-stem>-01.mid ...\n"
            "  -n N --temperature T --seed S   N variations z + T*eps of each latent\n"
            "                     (default 1 and T = 0: the latents as given)\n"
            "  --sampling M, --density D, --max-hits V=K,...   as for groove generate\n"
            "  --bpm BPM          tempo written to the files (default 120)\n"
            "  --model M, --threads K   as for groove generate\n");
}

/* A flat list of latent numbers (a sidecar's "z", encode's "mu"): rows of L. */
static int read_flat(const char *path, const char *key, const cJSON *arr, int L, float **z, int *rows)
{
    int n = cJSON_GetArraySize(arr);
    gv_err why;
    if (n < 1 || n % L || n / L > MAX_LATENTS) {
        gv_cli_error(path, "\"%s\": %d numbers, expected a multiple of %d (the model's latent_dim) up to %d rows", key,
                     n, L, MAX_LATENTS);
        return 1;
    }
    if (!(*z = malloc((size_t)n * sizeof **z))) {
        gv_cli_error(path, "out of memory");
        return 1;
    }
    if (gv_prov_latent(arr, *z, n, &n, &why) != 0) {
        gv_cli_error(path, "%s%s", strcmp(key, "z") ? "mu: " : "", why.msg);
        return 1;
    }
    *rows = n / L;
    return 0;
}

/* F's latents into *z (malloc'd [rows][L]); prints the error line.  F is
 * {"z":[[...],...]} (generate --json, per file), {"z":[...]} (a library
 * sidecar: 2-bar chunks one after the other) or {"mu":[...],...} (encode
 * --json: its mean is the latent). */
static int read_z(const char *path, int L, float **z, int *rows)
{
    unsigned char *data = NULL;
    size_t len = 0;
    gv_err e = {0};
    if (gv_read_file(path, 64u << 20, &data, &len, &e) != 0) {
        gv_cli_error(path, "%s", e.msg);
        return 1;
    }
    cJSON *root = cJSON_ParseWithLength((const char *)data, len);
    free(data);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "z");
    const cJSON *mu = cJSON_GetObjectItemCaseSensitive(root, "mu");
    int n = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0, rc = 1;
    *z = NULL;
    if (!root)
        gv_cli_error(path, "not JSON");
    else if (n > 0 && !cJSON_IsArray(arr->child))
        rc = read_flat(path, "z", arr, L, z, rows);
    else if (!arr && cJSON_IsArray(mu))
        rc = read_flat(path, "mu", mu, L, z, rows);
    else if (n < 1 || n > MAX_LATENTS)
        gv_cli_error(path,
                     "expected {\"z\":[[...],...]} with 1..%d rows, a sidecar's {\"z\":[...]} or encode's "
                     "{\"mu\":[...]}",
                     MAX_LATENTS);
    else if (!(*z = malloc((size_t)n * L * sizeof **z)))
        gv_cli_error(path, "out of memory");
    else {
        int r = 0;
        const cJSON *row;
        cJSON_ArrayForEach(row, arr)
        {
            gv_err why;
            int l = 0;
            if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != L) {
                gv_cli_error(path, "z row %d: expected %d numbers (the model's latent_dim)", r + 1, L);
                goto done;
            }
            if (gv_prov_latent(row, *z + (size_t)r * L, L, &l, &why) != 0) {
                gv_cli_error(path, "z row %d: %s", r + 1, why.msg);
                goto done;
            }
            r++;
        }
        *rows = n;
        rc = 0;
    }
done:
    cJSON_Delete(root);
    if (rc) {
        free(*z);
        *z = NULL;
    }
    return rc;
}

/* --z-file F (a string of its own) */
static const gv_opt decode_rows[] = {{.name = "z-file", .type = GV_OPT_STR}};
static const gv_opt_group decode_group = GV_OPT_GROUP("decode", decode_rows);

/* Each decoded latent as a pattern of the model's length
 * DIR/<F-stem>-01.mid ...; *paths gets their paths (malloc'd).  hp: hit
 * probabilities, velocities and offsets of the total latents, one block
 * after the other. */
static int write_patterns(const gv_gencli *g, const gv_model *m, const char *zfile, const float *hp, int total,
                          char (**paths)[GV_GENCLI_PATH])
{
    int T = m->cfg.steps;
    size_t cells = (size_t)T * GV_VOICES;
    const float *vel = hp + (size_t)total * cells, *off = vel + (size_t)total * cells;
    char stem[256];
    gv_path_stem(zfile, stem, sizeof stem);
    gv_pattern *pats = malloc((size_t)total * sizeof *pats);
    *paths = malloc((size_t)total * sizeof **paths);
    if (!pats || !*paths) {
        free(pats);
        gv_cli_error(NULL, "out of memory");
        return 1;
    }
    for (int k = 0; k < total; k++) {
        size_t at = (size_t)k * cells;
        gv_pattern_init(&pats[k], T, g->bpm, "");
        gv_gen_hits(&m->cfg, hp + at, vel + at, off + at, &g->gen, gv_gen_seed(g->gen.seed, k), &pats[k], 0, T);
    }
    int rc = gv_gencli_write(g->outdir, stem, pats, total, *paths);
    free(pats);
    return rc;
}

/* {"z", "hit_probs", "velocities", "offsets"[, "files"]} on stdout. */
static int print_json(const float *z, const float *hp, int total, int L, int T, char (*paths)[GV_GENCLI_PATH])
{
    size_t cells = (size_t)T * GV_VOICES;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "z", gv_json_rows(z, total, L));
    const char *keys[3] = {"hit_probs", "velocities", "offsets"};
    for (int k = 0; k < 3; k++) {
        cJSON *a = cJSON_AddArrayToObject(root, keys[k]);
        for (int i = 0; a && i < total; i++)
            cJSON_AddItemToArray(a, gv_json_rows(hp + ((size_t)k * total + i) * cells, T, GV_VOICES));
    }
    if (paths) {
        cJSON *f = cJSON_AddArrayToObject(root, "files");
        for (int k = 0; f && k < total; k++)
            cJSON_AddItemToArray(f, cJSON_CreateString(paths[k]));
    }
    return gv_json_print(root);
}

int cmd_decode(int argc, char **argv)
{
    gv_gencli g;
    gv_gencli_default(&g);
    g.gen.temperature = 0; /* the latents as given unless asked to vary them */
    g.outdir = NULL;
    const char *zfile = NULL;
    const gv_opt_use use[] = {{&gv_opts_noise, &g.gen}, {&gv_opts_hits, &g.gen}, {&gv_opts_model, &g},
                              {&gv_opts_count, &g},     {&gv_opts_outdir, &g},   {&decode_group, &zfile},
                              {&gv_opts_bpm, &g}};
    int rc = gv_opts_parse("decode", usage, use, 7, argc, argv);
    if (rc >= 0)
        return rc;
    if (!zfile || optind < argc) {
        gv_cli_error("decode", "usage: groove decode --z-file F [options] (groove decode --help)");
        return 2;
    }
    gv_model m;
    if (gv_gencli_model(&g, &m, 0, 0) != 0)
        return 1;
    int L = m.cfg.latent_dim, rows = 0;
    size_t cells = (size_t)m.cfg.steps * GV_VOICES;
    rc = 1;
    float *zin = NULL, *z = NULL, *hp = NULL;
    char(*paths)[GV_GENCLI_PATH] = NULL;
    if (read_z(zfile, L, &zin, &rows) != 0)
        goto done;
    int total = rows * g.n;
    if (total > MAX_LATENTS) {
        gv_cli_error(zfile, "%d rows x -n %d: more than %d latents", rows, g.n, MAX_LATENTS);
        goto done;
    }
    z = malloc((size_t)total * L * sizeof *z);
    hp = malloc(3 * (size_t)total * cells * sizeof *hp);
    if (!z || !hp) {
        gv_cli_error(NULL, "out of memory");
        goto done;
    }
    /* Row r's variations take the seeds of suggestions from gv_gen_seed(S, r). */
    for (int r = 0; r < rows; r++) {
        gv_gen_opts o = g.gen;
        o.seed = gv_gen_seed(g.gen.seed, r);
        gv_gen_latents(zin + (size_t)r * L, NULL, 1, L, g.n, &o, z + (size_t)r * g.n * L);
    }
    float *vel = hp + (size_t)total * cells, *off = vel + (size_t)total * cells;
    gv_infer_ws *iws = gv_infer_ws_new(&m.cfg, GV_GENCLI_BATCH_OF(total));
    if (!iws) {
        gv_cli_error(NULL, "out of memory");
        goto done;
    }
    gv_model_decode(&m, z, total, hp, vel, off, iws);
    gv_infer_ws_free(iws);
    if (g.outdir && (rc = write_patterns(&g, &m, zfile, hp, total, &paths)) != 0)
        goto done;
    rc = g.json || !g.outdir ? print_json(z, hp, total, L, m.cfg.steps, paths) : 0;
done:
    free(paths);
    free(hp);
    free(z);
    free(zin);
    gv_model_free(&m);
    return rc;
}

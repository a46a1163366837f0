/* cmd_generate.c - `groove generate IN...`: drum patterns from each input's groove. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/gencli.h"
#include "base/pool.h"
#include "kernels/kernels.h"
#include "app/opts.h"
#include "base/fileio.h"
#include "patterns/smf.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: groove generate IN... [-n N] [--temperature T] [--seed S] [--density D]\n"
            "                        [--max-hits VOICE=K,...] [--sampling threshold|bernoulli]\n"
            "                        [--timing auto|model|groove] [--dynamics auto|model|groove]\n"
            "                        [--lanes 1|2|3 | --keep-voices V,...]\n"
            "                        [-o DIR] [--json] [--model M] [--threads K]\n"
            "                        [--start-bar K] [--bars N] [--channel N]\n"
            "For each input (.mid or .tab, a full pattern or a tap: its monotonic groove is\n"
            "taken), writes N suggestions DIR/<input-stem>-01.mid ... Inputs longer than\n"
            "the model (2 bars; 4 for a 4-bar model) are generated that many bars at a\n"
            "time and joined; a MIDI take longer than 16 bars (the whole file, the\n"
            "default) is generated 16 bars at a time (each further 16 with the seed of\n"
            "the chunk it starts at) and written whole, as one format-1 file a suggestion.\n"
            "  -n N               suggestions per input (default 1)\n"
            "  --temperature T    latent noise, 0 = the groove's mean latent (default 1)\n"
            "  --seed S           same seed, same files (default 0); suggestion i has its\n"
            "                     own seed (see --json), which as --seed with -n 1 gives it again\n"
            "  --density D        scales the model's per-voice thresholds: 1 as calibrated,\n"
            "                     more than 1 more hits, less fewer (threshold thr^D)\n"
            "  --max-hits V=K,..  at most K hits of voice V per model length (2 or 4 bars),\n"
            "                     the most probable\n"
            "  --sampling M       threshold (default) or bernoulli (hit ~ Bernoulli(p^(1/D)))\n"
            "  --timing F         where the input hits, the drums take its micro-timing\n"
            "                     (groove), keep the model's (model), or auto (default):\n"
            "                     the input's when it is off the grid\n"
            "  --dynamics F       where the input hits, its loudest drum takes the input's\n"
            "                     velocity and the others scale with it (groove), or the\n"
            "                     model's (model), or auto (default): the input's when its\n"
            "                     velocities differ\n"
            "  --lanes N          tell the model which drum is which: 1 (default) flattens\n"
            "                     every voice into one groove; 2: low (kick, low tom) and\n"
            "                     high (the rest); 3: low, mid (snare, mid and high tom),\n"
            "                     high (hats, crash, ride).  Drums hit only where their\n"
            "                     lane has a tap, and every tap sounds\n"
            "  --keep-voices V,.. keep these voices of the input exactly (kick,snare or\n"
            "                     KD,SD ...) and generate the others around them and the\n"
            "                     groove of the whole input\n"
            "                     (--lanes 2|3 and --keep-voices need a model trained with\n"
            "                     --inputs all, as the shipped one is)\n"
            "  -o DIR             output directory (default .)\n"
            "  --json             print each file with its input, seed, settings and z\n"
            "  --model M          weights file (default: $GROOVE_MODEL, then the shipped model)\n"
            "  --threads K        several inputs: K of them at a time (the same files; an input\n"
            "                     that fails does not stop the others); one input: BLAS threads (1)\n"
            "  --device D         cpu (default: the same bytes on every machine), cuda or auto; the\n"
            "                     model runs on the CPU in this version (cuda fails saying why)\n"
            "  --start-bar K --bars N --channel N   the input window (default: the whole file\n"
            "                     from its first bar with notes)\n");
}

/* Suggestion i of a take longer than GV_MAX_STEPS, piece by piece: piece 0
 * as the short path draws it (one drumify of n: today's first 16 bars), piece
 * k > 0 a drumify of its own with the seed of the chunk it starts at
 * (gv_gen_chunk_seed(gv_gen_seed(S, i), k * chunks-a-piece)).  out [n][np],
 * z [n][Ctot * L], the chunks of each piece one after another. */
static int drumify_take(const gv_model *m, const gv_pattern *pieces, int np, const gv_gencli *g, gv_pattern *out,
                        float *z, int Ctot, gv_gen_ws *ws, gv_err *e)
{
    int L = m->cfg.latent_dim, C0 = gv_gen_chunks(&m->cfg, pieces[0].steps);
    int per = gv_gen_chunks(&m->cfg, GV_MAX_STEPS);
    gv_pattern *first = malloc((size_t)g->n * sizeof *first);
    float *z0 = malloc((size_t)g->n * C0 * L * sizeof *z0);
    int rc = first && z0 ? gv_op_drumify(m, &pieces[0], g->n, &g->gen, first, z0, ws, e)
                         : gv_failc(e, GV_E_NOMEM, "out of memory");
    for (int i = 0; rc == 0 && i < g->n; i++) {
        out[(size_t)i * np] = first[i];
        memcpy(z + (size_t)i * Ctot * L, z0 + (size_t)i * C0 * L, (size_t)C0 * L * sizeof *z);
        int c = C0;
        for (int k = 1; rc == 0 && k < np; k++) {
            gv_gen_opts o = g->gen;
            o.seed = gv_gen_chunk_seed(gv_gen_seed(g->gen.seed, i), k * per);
            rc = gv_op_drumify(m, &pieces[k], 1, &o, &out[(size_t)i * np + k], z + ((size_t)i * Ctot + c) * L, ws, e);
            c += gv_gen_chunks(&m->cfg, pieces[k].steps);
        }
    }
    free(first);
    free(z0);
    return rc;
}

/* Writes suggestion i's pieces as DIR/STEM-NN.mid, one format-1 file. */
static int write_take(const char *dir, const char *stem, const gv_pattern *parts, int np, int i, char *path)
{
    gv_err e = {0};
    char name[64];
    snprintf(name, sizeof name, "%.50s-%02d", stem, (i + 1) % 100000);
    if (snprintf(path, GV_GENCLI_PATH, "%s/%s.mid", dir, name) >= GV_GENCLI_PATH) {
        gv_cli_error(dir, "output path too long");
        return 1;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = gv_smf_write_parts(parts, np, NULL, 0, name, &data, &len, &e) || gv_write_atomic(path, data, len, &e);
    if (rc)
        gv_cli_error(path, "%s", e.msg);
    free(data);
    return rc;
}

/* A MIDI take longer than GV_MAX_STEPS (the whole file asked for), made
 * piece by piece and written as one file per suggestion. */
static int long_input(const char *path, gv_pattern *pieces, int np, const gv_gencli *g, const gv_model *m,
                      cJSON *files)
{
    int Ctot = 0, L = m->cfg.latent_dim, rc = 1;
    for (int k = 0; k < np; k++)
        Ctot += gv_gen_chunks(&m->cfg, pieces[k].steps);
    gv_pattern *out = malloc((size_t)g->n * np * sizeof *out);
    float *z = malloc((size_t)g->n * Ctot * L * sizeof *z);
    gv_gen_ws *ws = gv_gen_ws_new(&m->cfg, GV_GENCLI_BATCH_OF(g->n * gv_gen_chunks(&m->cfg, pieces[0].steps)));
    char stem[256], file[GV_GENCLI_PATH];
    gv_path_stem(path, stem, sizeof stem);
    gv_err e = {0};
    if (pieces[0].bpm_file != 0)
        gv_cli_error(path, "tempo %g BPM is outside %g..%g; using %g", (double)pieces[0].bpm_file, GV_TEMPO_MIN,
                     GV_TEMPO_MAX, (double)pieces[0].bpm);
    if (!out || !z || !ws)
        gv_cli_error(path, "out of memory");
    else if (drumify_take(m, pieces, np, g, out, z, Ctot, ws, &e))
        gv_cli_error(path, "%s", e.msg);
    else if (gv_mkdirs(g->outdir, &e))
        gv_cli_error(g->outdir, "%s", e.msg);
    else
        rc = 0;
    for (int i = 0; rc == 0 && i < g->n; i++) {
        rc = write_take(g->outdir, stem, out + (size_t)i * np, np, i, file);
        gv_prov p;
        gv_op_prov(&p, "generate", m, &g->gen, i, g->n, NULL, Ctot);
        p.bpm = out[(size_t)i * np].bpm;
        if (rc == 0 && files)
            cJSON_AddItemToArray(files, gv_gencli_record(file, path, &p, z + (size_t)i * Ctot * L, Ctot, L));
    }
    gv_gen_ws_free(ws);
    free(z);
    free(out);
    return rc;
}

/* Generates for one input; appends its records to files (may be NULL). */
static int one_input(const char *path, const gv_load_opts *win, const gv_gencli *g, const gv_model *m,
                     cJSON *files)
{
    gv_pattern *in = malloc(sizeof *in), *out = malloc((size_t)g->n * sizeof *out);
    char(*paths)[GV_GENCLI_PATH] = malloc((size_t)g->n * sizeof *paths);
    float *z = NULL;
    gv_gen_ws *ws = NULL;
    int rc = 1;
    if (!in || !out || !paths) {
        gv_cli_error(path, "out of memory");
        goto done;
    }
    if (win->bars == 0 && gv_pattern_format(path) == GV_FMT_MID) {
        gv_pattern *pieces;
        int np;
        gv_err e = {0};
        if (gv_smf_load_take(path, win->start_bar, win->channel, &pieces, &np, &e) == 0 && np > 1) {
            rc = long_input(path, pieces, np, g, m, files);
            free(pieces);
            goto done;
        }
        free(pieces); /* one piece, or an error: the usual path says it */
    }
    if ((rc = gv_cli_load(path, win, in)) != 0)
        goto done;
    rc = 1;
    int C = gv_gen_chunks(&m->cfg, in->steps), L = m->cfg.latent_dim;
    z = malloc((size_t)g->n * C * L * sizeof *z);
    ws = gv_gen_ws_new(&m->cfg, GV_GENCLI_BATCH_OF(g->n * C));
    if (!z || !ws) {
        gv_cli_error(path, "out of memory");
        goto done;
    }
    gv_err e = {0};
    if (gv_op_drumify(m, in, g->n, &g->gen, out, z, ws, &e) != 0) {
        gv_cli_error(path, "%s", e.msg);
        goto done;
    }
    char stem[256];
    gv_path_stem(path, stem, sizeof stem);
    if ((rc = gv_gencli_write(g->outdir, stem, out, g->n, paths)) != 0)
        goto done;
    for (int i = 0; files && i < g->n; i++) {
        gv_prov p;
        gv_op_prov(&p, "generate", m, &g->gen, i, g->n, NULL, C);
        p.bpm = out[i].bpm;
        cJSON_AddItemToArray(files, gv_gencli_record(paths[i], path, &p, z + (size_t)i * C * L, C, L));
    }
done:
    gv_gen_ws_free(ws);
    free(z);
    free(paths);
    free(out);
    free(in);
    return rc;
}

/* The inputs of one command, side by side on --threads workers: each input
 * its own records, joined in input order. */
typedef struct inputs_job {
    char **paths;
    const gv_load_opts *win;
    const gv_gencli *g;
    const gv_model *m;
    cJSON **files; /* per input (NULL without --json) */
    int *rc;       /* per input */
} inputs_job;

static void input_run(void *arg, int i, int k)
{
    (void)k;
    inputs_job *j = arg;
    j->rc[i] = one_input(j->paths[i], j->win, j->g, j->m, j->files[i]);
}

/* n inputs on the workers (an input that fails does not stop the others);
 * the first failing input's status, or 0. */
static int inputs_parallel(char **paths, int n, const gv_load_opts *win, const gv_gencli *g, const gv_model *m,
                           cJSON *files)
{
    gv_pool *pool = gv_pool_new(g->threads < n ? g->threads : n);
    inputs_job j = {paths, win, g, m, calloc((size_t)n, sizeof *j.files), calloc((size_t)n, sizeof *j.rc)};
    int rc = 0;
    if (!pool || !j.files || !j.rc) {
        gv_cli_error("generate", "out of memory");
        rc = 1;
        goto out;
    }
    for (int i = 0; files && i < n; i++)
        j.files[i] = cJSON_CreateArray();
    gv_pool_for(pool, n, input_run, &j);
    for (int i = 0; i < n; i++) {
        if (rc == 0)
            rc = j.rc[i];
        cJSON *item;
        while (j.files[i] && (item = cJSON_DetachItemFromArray(j.files[i], 0)))
            cJSON_AddItemToArray(files, item);
        cJSON_Delete(j.files[i]);
    }
out:
    free(j.files);
    free(j.rc);
    gv_pool_free(pool);
    return rc;
}

int cmd_generate(int argc, char **argv)
{
    gv_gencli g;
    gv_gencli_default(&g);
    gv_load_opts win;
    gv_load_opts_default(&win);
    win.bars = 0; /* the whole input: longer ones are generated in 2-bar chunks */
    const gv_opt_use use[] = {{&gv_opts_noise, &g.gen}, {&gv_opts_hits, &g.gen},  {&gv_opts_feel, &g.gen},
                              {&gv_opts_cond, &g.gen},  {&gv_opts_model, &g},     {&gv_opts_count, &g},
                              {&gv_opts_outdir, &g},    {&gv_opts_window, &win}};
    int rc = gv_opts_parse("generate", usage, use, 8, argc, argv);
    if (rc >= 0)
        return rc;
    if (optind >= argc) {
        gv_cli_error("generate", "no input files (groove generate --help)");
        return 2;
    }
    if (g.gen.cond.keep && g.gen.cond.lanes != 1) {
        gv_cli_error("generate", "--lanes and --keep-voices: one or the other (kept voices come with the "
                                 "groove of the whole input)");
        return 2;
    }
    gv_model m;
    if (gv_gencli_model(&g, &m, gv_op_drumify_needs(&g.gen.cond), 0) != 0)
        return 1;
    cJSON *root = g.json ? cJSON_CreateObject() : NULL, *files = root ? cJSON_AddArrayToObject(root, "files") : NULL;
    rc = 0;
    if (g.threads > 1 && argc - optind > 1) {
        gv_kernels_set_threads(1); /* the inputs side by side, each on one thread */
        rc = inputs_parallel(argv + optind, argc - optind, &win, &g, &m, files);
    } else {
        for (int i = optind; i < argc && rc == 0; i++)
            rc = one_input(argv[i], &win, &g, &m, files);
    }
    gv_model_free(&m);
    if (rc == 0 && root)
        return gv_json_print(root);
    cJSON_Delete(root);
    return rc;
}

/* cmd_sample.c - `groove sample -n N`: patterns from the model's prior. */
#include <stdio.h>
#include <stdlib.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/gencli.h"
#include "app/opts.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: groove sample [-n N] [--temperature T] [--seed S] [--density D]\n"
            "                     [--max-hits VOICE=K,...] [--sampling threshold|bernoulli]\n"
            "                     [--bars B] [--bpm BPM] [-o DIR] [--json] [--model M] [--threads K]\n"
            "Writes N patterns decoded from latents drawn from the model's prior as\n"
            "DIR/sample-01.mid ... (each model length, 2 or 4 bars, its own latent): the\n"
            "mixture fitted to where the training data's latents lie when the model has\n"
            "one (groove train fits it), else N(0, T^2).  Hits are drawn (bernoulli)\n"
            "unless --sampling threshold asks for the most likely ones.\n"
            "  -n N               patterns (default 1)\n"
            "  --temperature T    spread of the prior (default 1; 0: its components' means)\n"
            "  --seed S           same seed, same files (default 0)\n"
            "  --density D, --max-hits V=K,..., --sampling M   as for groove generate\n"
            "  --bars B           bars per pattern (default: the model's, 2 or 4)\n"
            "  --bpm BPM          tempo written to the files (default 120)\n"
            "  -o DIR             output directory (default .)\n"
            "  --json             print each file with its seed, temperature and z\n"
            "  --model M, --threads K, --device D   as for groove generate\n");
}

/* --bars B (an int of its own: sample takes no input window) */
static const gv_opt sample_rows[] = {{.name = "bars", .type = GV_OPT_INT, .lo = 1, .hi = GV_MAX_STEPS / GV_STEPS_PER_BAR}};
static const gv_opt_group sample_group = GV_OPT_GROUP("sample", sample_rows);

int cmd_sample(int argc, char **argv)
{
    gv_gencli g;
    gv_gencli_default(&g);
    g.gen.sampling = GV_SAMPLING_BERNOULLI; /* as dense as the drummers (engine/generate.h) */
    int bars = 0; /* the model's own length */
    const gv_opt_use use[] = {{&gv_opts_noise, &g.gen}, {&gv_opts_hits, &g.gen}, {&gv_opts_model, &g},
                              {&gv_opts_count, &g},     {&gv_opts_outdir, &g},   {&sample_group, &bars},
                              {&gv_opts_bpm, &g}};
    int rc = gv_opts_parse("sample", usage, use, 7, argc, argv);
    if (rc >= 0)
        return rc;
    if (gv_cli_no_operands("sample", argc, argv))
        return 2;
    gv_model m;
    if (gv_gencli_model(&g, &m, 0, 0) != 0)
        return 1;
    int steps = bars ? bars * GV_STEPS_PER_BAR : m.cfg.steps, C = gv_gen_chunks(&m.cfg, steps), L = m.cfg.latent_dim;
    rc = 1;
    float *z = malloc((size_t)g.n * C * L * sizeof *z);
    gv_pattern *out = malloc((size_t)g.n * sizeof *out);
    char(*paths)[GV_GENCLI_PATH] = malloc((size_t)g.n * sizeof *paths);
    gv_gen_ws *ws = gv_gen_ws_new(&m.cfg, GV_GENCLI_BATCH_OF(g.n * C));
    gv_err e = {0};
    if (!z || !out || !paths || !ws) {
        gv_cli_error(NULL, "out of memory");
        goto done;
    }
    if (gv_op_sample(&m, g.n, steps, g.bpm, &g.gen, out, z, ws, &e) != 0) {
        gv_cli_error(m.path, "%s", e.msg);
        goto done;
    }
    if ((rc = gv_gencli_write(g.outdir, "sample", out, g.n, paths)) != 0 || !g.json)
        goto done;
    cJSON *root = cJSON_CreateObject(), *files = cJSON_AddArrayToObject(root, "files");
    for (int i = 0; i < g.n; i++) {
        gv_prov p;
        gv_op_prov(&p, "sample", &m, &g.gen, i, g.n, NULL, C);
        p.bpm = g.bpm;
        cJSON_AddItemToArray(files, gv_gencli_record(paths[i], NULL, &p, z + (size_t)i * C * L, C, L));
    }
    rc = gv_json_print(root);
done:
    gv_gen_ws_free(ws);
    free(paths);
    free(out);
    free(z);
    gv_model_free(&m);
    return rc;
}

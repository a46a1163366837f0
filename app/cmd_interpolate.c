/* cmd_interpolate.c - `groove interpolate A B`: patterns along the spherical
 * path between two grooves' latents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/gencli.h"
#include "app/opts.h"
#include "base/fileio.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: groove interpolate A B [--steps K] [--density D] [--max-hits VOICE=K,...]\n"
            "                          [-o DIR] [--json] [--model M] [--threads K]\n"
            "                          [--start-bar K] [--bars N] [--channel N]\n"
            "Writes K patterns DIR/<A-stem>-<B-stem>-01.mid ... from A's mean latent to B's\n"
            "(spherical interpolation, both ends included; thresholded hits).  Both inputs\n"
            "are cut to the shorter one.\n"
            "  --steps K          patterns, ends included (default 5)\n"
            "  --density D, --max-hits V=K,...   as for groove generate\n"
            "  -o DIR             output directory (default .)\n"
            "  --json             print each file with its position t and z\n"
            "  --model M, --threads K, --device D   as for groove generate\n"
            "  --start-bar K --bars N --channel N   the window of both inputs (default 2 bars)\n");
}

/* --steps K (an int of its own) */
static const gv_opt interpolate_rows[] = {{.name = "steps", .type = GV_OPT_INT, .lo = 2, .hi = 1000}};
static const gv_opt_group interpolate_group = GV_OPT_GROUP("interpolate", interpolate_rows);

int cmd_interpolate(int argc, char **argv)
{
    gv_gencli g;
    gv_gencli_default(&g);
    g.gen.temperature = 0; /* the path runs between means: nothing random */
    gv_load_opts win;
    gv_load_opts_default(&win);
    int K = 5;
    const gv_opt_use use[] = {{&gv_opts_hits, &g.gen}, {&gv_opts_model, &g},     {&gv_opts_outdir, &g},
                              {&gv_opts_window, &win}, {&interpolate_group, &K}};
    int rc = gv_opts_parse("interpolate", usage, use, 5, argc, argv);
    if (rc >= 0)
        return rc;
    if (argc - optind != 2) {
        gv_cli_error("interpolate", "need two inputs, A and B (groove interpolate --help)");
        return 2;
    }
    const char *pa = argv[optind], *pb = argv[optind + 1];
    gv_pattern *in = malloc(2 * sizeof *in), *out = malloc((size_t)K * sizeof *out);
    char(*paths)[GV_GENCLI_PATH] = malloc((size_t)K * sizeof *paths);
    gv_model m = {0};
    float *z = NULL;
    gv_gen_ws *ws = NULL;
    int loaded = 0;
    rc = 1;
    if (!in || !out || !paths) {
        gv_cli_error(NULL, "out of memory");
        goto done;
    }
    if ((rc = gv_cli_load(pa, &win, &in[0])) != 0 || (rc = gv_cli_load(pb, &win, &in[1])) != 0 ||
        (rc = gv_gencli_model(&g, &m, 0, 0)) != 0)
        goto done;
    loaded = 1;
    rc = 1;
    int steps = in[0].steps < in[1].steps ? in[0].steps : in[1].steps;
    int C = gv_gen_chunks(&m.cfg, steps), L = m.cfg.latent_dim;
    size_t CL = (size_t)C * L;
    z = malloc(K * CL * sizeof *z);
    ws = gv_gen_ws_new(&m.cfg, GV_GENCLI_BATCH_OF(K * C));
    if (!z || !ws) {
        gv_cli_error(NULL, "out of memory");
        goto done;
    }
    /* between the mean latents of A and B (each encoded whole, the first C chunks taken) */
    gv_op_src a = {&in[0], NULL, 0}, b = {&in[1], NULL, 0};
    gv_err e = {0};
    if (gv_op_interpolate(&m, &a, &b, K, steps, in[0].bpm, &g.gen, out, z, ws, &e) != 0) {
        gv_cli_error(m.path, "%s", e.msg);
        goto done;
    }
    char sa[128], sb[128], stem[260];
    gv_path_stem(pa, sa, sizeof sa);
    gv_path_stem(pb, sb, sizeof sb);
    snprintf(stem, sizeof stem, "%s-%s", sa, sb);
    if ((rc = gv_gencli_write(g.outdir, stem, out, K, paths)) != 0 || !g.json)
        goto done;
    cJSON *root = cJSON_CreateObject(), *files = cJSON_AddArrayToObject(root, "files");
    for (int k = 0; k < K; k++) {
        gv_prov p;
        gv_op_prov(&p, "interpolate", &m, &g.gen, k, K, NULL, C);
        p.bpm = out[k].bpm;
        cJSON_AddItemToArray(files, gv_gencli_record(paths[k], NULL, &p, z + k * CL, C, L));
    }
    rc = gv_json_print(root);
done:
    gv_gen_ws_free(ws);
    free(z);
    if (loaded)
        gv_model_free(&m);
    free(paths);
    free(out);
    free(in);
    return rc;
}

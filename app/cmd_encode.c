/* cmd_encode.c - `groove encode IN`: the latent mu/logvar of a 2-bar groove. */
#include <stdio.h>
#include <stdlib.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/gencli.h"
#include "app/opts.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: groove encode IN [--json] [--start-bar K] [--bars N] [--channel N]\n"
            "                     [--model M] [--threads K]\n"
            "Prints the latent mean and log-variance of IN as the model's encoder reads it\n"
            "(its groove, hits or whole pattern) over --bars N (default 2; up to the\n"
            "model's length, 4 for a 4-bar model; the window starts at the first bar with\n"
            "notes unless --start-bar says otherwise).\n"
            "  --json             {\"mu\":[...],\"logvar\":[...]} (default: a table)\n"
            "  --model M, --threads K   as for groove generate\n");
}

int cmd_encode(int argc, char **argv)
{
    gv_gencli g;
    gv_gencli_default(&g);
    gv_load_opts win;
    gv_load_opts_default(&win);
    const gv_opt_use use[] = {{&gv_opts_model, &g}, {&gv_opts_window, &win}};
    int rc = gv_opts_parse("encode", usage, use, 2, argc, argv);
    if (rc >= 0)
        return rc;
    if (argc - optind != 1) {
        gv_cli_error("encode", "need one input (groove encode --help)");
        return 2;
    }
    if (win.bars < 1 || win.bars > GV_MAX_STEPS / GV_STEPS_PER_BAR) {
        gv_cli_error("encode", "--bars: the model reads 1 to its own length in bars");
        return 2;
    }
    const char *path = argv[optind];
    gv_pattern *in = malloc(sizeof *in);
    if (!in) {
        gv_cli_error(path, "out of memory");
        return 1;
    }
    rc = gv_cli_load(path, &win, in);
    gv_model m;
    if (rc != 0 || (rc = gv_gencli_model(&g, &m, 0, 0)) != 0) {
        free(in);
        return rc;
    }
    if (win.bars * GV_STEPS_PER_BAR > m.cfg.steps) {
        gv_cli_error("encode", "--bars %d: this model reads 1 to %d bars", win.bars, m.cfg.steps / GV_STEPS_PER_BAR);
        free(in);
        gv_model_free(&m);
        return 2;
    }
    int L = m.cfg.latent_dim;
    /* Room for every chunk (odd meters can make 2 bars more than 32 steps); chunk 0 is printed. */
    float *mu = malloc(2 * (size_t)GV_GEN_MAX_CHUNKS * L * sizeof *mu);
    gv_gen_ws *ws = gv_gen_ws_new(&m.cfg, 1);
    rc = 1;
    if (!mu || !ws) {
        gv_cli_error(path, "out of memory");
    } else {
        float *logvar = mu + (size_t)GV_GEN_MAX_CHUNKS * L;
        gv_op_encode(&m, in, mu, logvar, ws);
        if (g.json) {
            cJSON *root = cJSON_CreateObject();
            cJSON_AddItemToObject(root, "mu", gv_json_floats(mu, L));
            cJSON_AddItemToObject(root, "logvar", gv_json_floats(logvar, L));
            rc = gv_json_print(root);
        } else {
            printf("%4s %12s %12s\n", "dim", "mu", "logvar");
            for (int l = 0; l < L; l++)
                printf("%4d %12.6f %12.6f\n", l, (double)mu[l], (double)logvar[l]);
            rc = fflush(stdout) != 0;
        }
    }
    gv_gen_ws_free(ws);
    free(mu);
    free(in);
    gv_model_free(&m);
    return rc;
}

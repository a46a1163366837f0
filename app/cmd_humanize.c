/* cmd_humanize.c - `groove humanize IN -o OUT.mid`: a drummer's velocities
 * and micro-timing for a programmed beat (Magenta's "Groove").  Every hit of
 * IN is kept; the conditioned model (engine/cond.h, humanize) writes how
 * loud and how far off the grid each one is played. */
#include <math.h>
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
            "usage: groove humanize IN -o OUT.mid [--seed S] [--temperature T] [--json]\n"
            "                       [--model M] [--threads K] [--start-bar K] [--bars N] [--channel N]\n"
            "Plays IN (.mid or .tab, typically quantized at one velocity) as a drummer\n"
            "would: every hit is kept, its velocity and micro-timing are the model's.\n"
            "  -o OUT.mid         the humanized pattern (written atomically; required)\n"
            "  --temperature T    latent noise, 0 = the model's most likely feel (default 1)\n"
            "  --seed S           same seed, same file (default 0)\n"
            "  --json             print the output with its seed, settings and z\n"
            "  --model M          weights file (default: $GROOVE_MODEL, then the shipped model;\n"
            "                     it must be trained with --inputs all)\n"
            "  --threads K        BLAS threads (default 1)\n"
            "  --start-bar K --bars N --channel N   the input window (default: the whole file\n"
            "                     from its first bar with notes)\n");
}

/* Mean |change| of velocity (0..1) and offset (steps) over in's hits. */
static void changes(const gv_pattern *in, const gv_pattern *out, double *dvel, double *doff)
{
    double sv = 0, so = 0;
    long n = 0;
    for (int t = 0; t < in->steps; t++)
        for (int v = 0; v < GV_VOICES; v++)
            if (in->hit[t][v]) {
                sv += fabs((double)out->vel[t][v] - in->vel[t][v]);
                so += fabs((double)out->off[t][v] - in->off[t][v]);
                n++;
            }
    *dvel = n ? sv / (double)n : 0;
    *doff = n ? so / (double)n : 0;
}

static int humanize(const char *path, const char *out_path, const gv_load_opts *win, const gv_gencli *g,
                    const gv_model *m)
{
    gv_pattern *in = malloc(sizeof *in), *out = malloc(sizeof *out);
    float *z = NULL;
    gv_gen_ws *ws = NULL;
    int rc = 1;
    if (!in || !out) {
        gv_cli_error(path, "out of memory");
        goto done;
    }
    if ((rc = gv_cli_load(path, win, in)) != 0)
        goto done;
    rc = 1;
    if (gv_pattern_count(in) == 0) {
        gv_cli_error(path, "no hits to humanize");
        goto done;
    }
    int C = gv_gen_chunks(&m->cfg, in->steps), L = m->cfg.latent_dim;
    z = malloc((size_t)C * L * sizeof *z);
    ws = gv_gen_ws_new(&m->cfg, GV_GENCLI_BATCH_OF(C));
    if (!z || !ws) {
        gv_cli_error(path, "out of memory");
        goto done;
    }
    gv_gen_opts o = g->gen;
    o.cond.humanize = 1;
    gv_err e = {0};
    if (gv_op_drumify(m, in, 1, &o, out, z, ws, &e) != 0) {
        gv_cli_error(path, "%s", e.msg);
        goto done;
    }
    snprintf(out->name, sizeof out->name, "%s", in->name);
    if (gv_cli_save(out_path, out) != 0)
        goto done;
    double dv, dof;
    changes(in, out, &dv, &dof);
    if (g->json) {
        cJSON *root = cJSON_CreateObject(), *files = cJSON_AddArrayToObject(root, "files");
        gv_prov p;
        gv_op_prov(&p, "humanize", m, &o, 0, 1, NULL, C);
        p.bpm = out->bpm;
        cJSON *r = gv_gencli_record(out_path, path, &p, z, C, L);
        cJSON_AddNumberToObject(r, "velocity_change", dv);
        cJSON_AddNumberToObject(r, "timing_change_steps", dof);
        cJSON_AddItemToArray(files, r);
        rc = gv_json_print(root);
        goto done;
    }
    printf("wrote %s: %d hits kept; velocity moved %.0f/127 and timing %.2f steps on average\n", out_path,
           gv_pattern_count(out), dv * 127.0, dof);
    rc = 0;
done:
    gv_gen_ws_free(ws);
    free(z);
    free(out);
    free(in);
    return rc;
}

int cmd_humanize(int argc, char **argv)
{
    gv_gencli g;
    gv_gencli_default(&g);
    g.outdir = NULL;
    gv_load_opts win;
    gv_load_opts_default(&win);
    win.bars = 0;
    const gv_opt_use use[] = {
        {&gv_opts_noise, &g.gen}, {&gv_opts_model, &g}, {&gv_opts_outdir, &g}, {&gv_opts_window, &win}};
    int rc = gv_opts_parse("humanize", usage, use, 4, argc, argv);
    if (rc >= 0)
        return rc;
    if (optind >= argc) {
        gv_cli_error("humanize", "no input file (groove humanize --help)");
        return 2;
    }
    if (optind + 1 < argc) {
        gv_cli_error("humanize", "one input at a time, not '%s' too", argv[optind + 1]);
        return 2;
    }
    if (!g.outdir) {
        gv_cli_error("humanize", "-o OUT.mid is required");
        return 2;
    }
    gv_model m;
    if (gv_gencli_model(&g, &m, GV_MODE_HUMANIZE, 0) != 0)
        return 1;
    gv_cond c = {.lanes = 1, .humanize = 1};
    gv_err e = {0};
    if (gv_gen_cond_supported(&m, &c, &e) != 0) {
        gv_cli_error(m.path, "%s", e.msg);
        gv_model_free(&m);
        return 1;
    }
    rc = humanize(argv[optind], g.outdir, &win, &g, &m);
    gv_model_free(&m);
    return rc;
}

#include "app/gencli.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/devicecli.h"
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

int gv_gencli_model(const gv_gencli *g, gv_model *m, unsigned need, int window)
{
    char path[GV_GENCLI_PATH];
    gv_err e = {0};
    if (gv_device_pick(NULL, g->device) < 0)
        return 1;
    if (gv_model_open(g->model, m, path, sizeof path, &e) != 0) {
        gv_cli_error(path[0] ? path : NULL, "%s", e.msg);
        return 1;
    }
    if (gv_op_model_ok(m, need, window, &e) != 0) {
        gv_cli_error(path, "%s", e.msg);
        gv_model_free(m);
        return 1;
    }
    gv_kernels_set_threads(g->threads);
    return 0;
}

int gv_gencli_write(const char *dir, const char *stem, gv_pattern *p, int n, char (*paths)[GV_GENCLI_PATH])
{
    gv_err e = {0};
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

static int print_json(cJSON *root, int pretty)
{
    char *s = !root ? NULL : pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
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

int gv_json_print(cJSON *root) { return print_json(root, 0); }
int gv_json_print_pretty(cJSON *root) { return print_json(root, 1); }

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

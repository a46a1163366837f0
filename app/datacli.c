#include "app/datacli.h"

#include <string.h>

#include "app/cli.h"
#include "base/datadir.h"

void gv_data_cli_default(gv_data_cli *d)
{
    d->dir[0] = 0;
    gv_data_opts_default(&d->o);
}

static void set_filter(char *dst, size_t n, const char *arg)
{
    snprintf(dst, n, "%s", strcmp(arg, "any") ? arg : "");
}

int gv_data_cli_opt(int opt, const char *arg, gv_data_cli *d)
{
    switch (opt) {
    case GV_OPT_DATA:
        snprintf(d->dir, sizeof d->dir, "%s", arg);
        return 1;
    case GV_OPT_BEAT_TYPE:
        set_filter(d->o.beat_type, sizeof d->o.beat_type, arg);
        return 1;
    case GV_OPT_TIME_SIG:
        set_filter(d->o.time_sig, sizeof d->o.time_sig, arg);
        return 1;
    case GV_OPT_MIN_HITS:
        return gv_cli_int("--min-hits", arg, 0, 288, &d->o.min_hits) ? -1 : 1;
    case GV_OPT_MAX_FILES:
        return gv_cli_int("--max-files", arg, 0, 1000000, &d->o.max_files) ? -1 : 1;
    default:
        return 0;
    }
}

static int data_take(int opt, const char *arg, void *d) { return gv_data_cli_opt(opt, arg, d); }

int gv_data_cli_getopt(const char *cmd, const char *usage, int argc, char **argv, const char *shortopts,
                       const struct option *longopts, gv_data_cli *d)
{
    return gv_cli_getopt_take(cmd, usage, argc, argv, shortopts, longopts, data_take, d);
}

int gv_data_cli_dir(gv_data_cli *d)
{
    if (d->dir[0])
        return 0;
    if (gv_data_path("gmd", d->dir, sizeof d->dir) != 0) {
        gv_cli_error(NULL, "no training data found (patterns/gmd); give --data DIR");
        return -1;
    }
    return 0;
}

int gv_data_cli_load(gv_data_cli *d, const char *const *splits, int n, const char *cache, gv_windows *out, FILE *f)
{
    gv_err e = {{0}};
    int cached = 0;
    if (gv_data_cli_dir(d) != 0)
        return -1;
    if (gv_data_load(d->dir, &d->o, splits, n, cache, out, &cached, &e) != 0) {
        gv_cli_error(d->dir, "%s", e.msg);
        return -1;
    }
    for (int i = 0; i < n; i++)
        fprintf(f, "data %s: %d windows from %d files%s; %d windows dropped (< %d hits), %d files skipped\n",
                splits[i], out[i].n, out[i].files, cached ? " (cache)" : "", out[i].dropped, d->o.min_hits,
                out[i].skipped);
    return 0;
}

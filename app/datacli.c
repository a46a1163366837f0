#include "app/datacli.h"

#include <string.h>

#include "app/cli.h"
#include "base/datadir.h"

void gv_data_cli_default(gv_data_cli *d)
{
    d->dir[0] = 0;
    gv_data_opts_default(&d->o);
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
    gv_err e = {0};
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

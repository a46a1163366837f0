/* datacli.h - the data options `groove train` and `groove eval` share
 * (their rows: gv_opts_data, app/opts.h), and loading the windows they name:
 *   --data DIR (default: the GMD copy, gmd/ through gv_data_path)
 *   --beat-type T ("beat"; "any" keeps all), --time-signature S ("4-4"; "any")
 *   --min-hits N (windows with fewer hits are dropped), --max-files N. */
#ifndef GV_DATACLI_H
#define GV_DATACLI_H

#include <stdio.h>

#include "trainer/data.h"

typedef struct gv_data_cli {
    char dir[4096]; /* "" until given or resolved */
    gv_data_opts o;
} gv_data_cli;

void gv_data_cli_default(gv_data_cli *d);
/* Fills the default directory when none was given; prints and returns -1 when there is none. */
int gv_data_cli_dir(gv_data_cli *d);
/* Loads the splits, printing one summary line per split on f; prints errors. */
int gv_data_cli_load(gv_data_cli *d, const char *const *splits, int n, const char *cache, gv_windows *out, FILE *f);

#endif

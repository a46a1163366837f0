/* datacli.h - the data options `groove train` and `groove eval` share:
 *   --data DIR (default: the GMD copy, gmd/ through gv_data_path)
 *   --beat-type T ("beat"; "any" keeps all), --time-signature S ("4-4"; "any")
 *   --min-hits N (windows with fewer hits are dropped), --max-files N. */
#ifndef GV_DATACLI_H
#define GV_DATACLI_H

#include <getopt.h>
#include <stdio.h>

#include "trainer/data.h"

enum { GV_OPT_DATA = 0x1100, GV_OPT_BEAT_TYPE, GV_OPT_TIME_SIG, GV_OPT_MIN_HITS, GV_OPT_MAX_FILES };
#define GV_DATA_LONGOPTS                                                                                     \
    {"data", required_argument, 0, GV_OPT_DATA}, {"beat-type", required_argument, 0, GV_OPT_BEAT_TYPE},      \
        {"time-signature", required_argument, 0, GV_OPT_TIME_SIG},                                           \
        {"min-hits", required_argument, 0, GV_OPT_MIN_HITS}, {"max-files", required_argument, 0, GV_OPT_MAX_FILES}

typedef struct gv_data_cli {
    char dir[4096]; /* "" until given or resolved */
    gv_data_opts o;
} gv_data_cli;

void gv_data_cli_default(gv_data_cli *d);
/* 1 when opt was a data option (taken), 0 when not, -1 after printing a bad value. */
int gv_data_cli_opt(int opt, const char *arg, gv_data_cli *d);
/* gv_cli_getopt with the data options taken into d: the next other option,
 * -1 at the end, -2 after a usage error (exit with status 2). */
int gv_data_cli_getopt(const char *cmd, const char *usage, int argc, char **argv, const char *shortopts,
                       const struct option *longopts, gv_data_cli *d);
/* Fills the default directory when none was given; prints and returns -1 when there is none. */
int gv_data_cli_dir(gv_data_cli *d);
/* Loads the splits, printing one summary line per split on f; prints errors. */
int gv_data_cli_load(gv_data_cli *d, const char *const *splits, int n, const char *cache, gv_windows *out, FILE *f);

#endif

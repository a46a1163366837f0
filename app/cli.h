/* cli.h - what every command shares: loading and saving patterns by file
 * extension with the window options, and the error line format.
 *
 * Errors are printed here, in the front end, as one line
 *   groove: FILE: what is wrong
 * and the functions return the exit status to use (0 ok, 1 runtime error). */
#ifndef GV_CLI_H
#define GV_CLI_H

#include <getopt.h>

#include "patterns/pattern.h"

/* Window and channel selection shared by every command that reads patterns
 * (--start-bar K --bars N --channel N).  start_bar -1: from the first bar
 * with notes; bars 0: the whole file (up to GV_MAX_STEPS). */
typedef struct gv_load_opts {
    int start_bar;
    int bars;
    int channel;
} gv_load_opts;

void gv_load_opts_default(gv_load_opts *o); /* start_bar -1, bars 2, channel -1 */

/* getopt_long option ids for the window options; commands append
 * GV_WINDOW_LONGOPTS to their option table and pass unknown ids to
 * gv_cli_window_opt, which returns 1 if it took the option, 0 if not, and
 * -1 (after printing a usage error) on a bad value. */
enum { GV_OPT_START_BAR = 0x1000, GV_OPT_BARS, GV_OPT_CHANNEL };
#define GV_WINDOW_LONGOPTS                                                          \
    {"start-bar", required_argument, 0, GV_OPT_START_BAR},                          \
        {"bars", required_argument, 0, GV_OPT_BARS}, {"channel", required_argument, 0, GV_OPT_CHANNEL}
int gv_cli_window_opt(int opt, const char *arg, gv_load_opts *o);

/* Loads .mid/.midi or .tab (by extension) into p.  Prints the error line. */
int gv_cli_load(const char *path, const gv_load_opts *o, gv_pattern *p);
/* Saves by extension (.mid or .tab), atomically.  Prints the error line. */
int gv_cli_save(const char *path, const gv_pattern *p);

/* Prints "groove: FILE: msg" (or "groove: msg" when file is NULL). */
void gv_cli_error(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses an int / float option value in [lo, hi]; on failure prints a usage
 * error naming opt and returns -1. */
int gv_cli_int(const char *opt, const char *arg, long lo, long hi, int *out);
int gv_cli_float(const char *opt, const char *arg, double lo, double hi, float *out);

#endif

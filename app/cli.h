/* cli.h - what every command shares: loading and saving patterns by file
 * extension with the window options, and the error line format.
 *
 * Errors are printed here, in the front end, as one line
 *   groove: FILE: what is wrong
 * and the functions return the exit status to use (0 ok, 1 runtime error). */
#ifndef GV_CLI_H
#define GV_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "patterns/pattern.h"

/* Window and channel selection shared by every command that reads patterns
 * (--start-bar K --bars N --channel N).  start_bar -1: from the first bar
 * with notes; bars 0: the whole file (up to GV_MAX_STEPS).  start_bar is
 * 0-based here; on the command line --start-bar counts from 1, as DAWs do. */
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
/* Their --help lines, for commands that keep the default window. */
#define GV_WINDOW_HELP                                                              \
    "  --start-bar K  first bar of the window, counting from 1\n"                  \
    "                 (default: the first bar that has notes)\n"                   \
    "  --bars N       bars in the window (default 2; 0 = the whole file)\n"        \
    "  --channel N    MIDI channel 1..16 to read (default: 10 if it has\n"         \
    "                 drum notes, else all)\n"

/* The file type an extension names (case-insensitive): .mid/.midi, .tab, or
 * GV_FMT_UNKNOWN. */
enum { GV_FMT_UNKNOWN = -1, GV_FMT_MID, GV_FMT_TAB };
int gv_cli_format(const char *path);

/* The file a FILE argument names: arg itself, or, when arg is a bare name
 * with no extension and no '/' that is not a file, the preset of that name
 * (patterns/presets.h), e.g. "rock-basic".  Returns arg or buf. */
const char *gv_cli_resolve(const char *arg, char *buf, size_t n);

/* Loads .mid/.midi or .tab (by extension, after gv_cli_resolve) into p.
 * Prints the error line.
 * The window applies to both: a .tab window is cut at the tab's end.
 * An unknown extension is a usage error (returns 2); a bare name that names
 * no preset is a runtime error (1). */
int gv_cli_load(const char *path, const gv_load_opts *o, gv_pattern *p);
/* Saves by extension (.mid or .tab), atomically.  Prints the error line.
 * An unknown extension is a usage error (returns 2). */
int gv_cli_save(const char *path, const gv_pattern *p);

/* Prints "groove: FILE: msg" (or "groove: msg" when file is NULL). */
void gv_cli_error(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The option loop every command shares: getopt_long with opterr off; the
 * window options go into w (when w is not NULL); a bad option or value is
 * reported as a usage error.  Returns the next other option, -1 at the end,
 * or -2 after a usage error (exit with status 2). */
int gv_cli_getopt(const char *cmd, const char *usage, int argc, char **argv, const char *shortopts,
                  const struct option *longopts, gv_load_opts *w);

/* A usage error: prints "groove: CMD: msg" and "usage: groove CMD USAGE
 * (groove CMD --help)"; returns 2, the exit status to use. */
int gv_cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for getopt_long's '?' or ':' (run with opterr = 0): names the
 * offending argument. */
int gv_cli_bad_option(const char *cmd, const char *usage, int argc, char **argv);

/* Parses an int / float option value in [lo, hi]; on failure prints a usage
 * error naming opt and returns -1. */
int gv_cli_int(const char *opt, const char *arg, long lo, long hi, int *out);
int gv_cli_float(const char *opt, const char *arg, double lo, double hi, float *out);

#endif

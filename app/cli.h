/* cli.h - what every command shares: the window options, loading and saving
 * patterns with the errors printed (patterns/load.h does the work), option
 * parsing, and the error line format.
 *
 * Errors are printed here, in the front end, as one line
 *   groove: FILE: what is wrong
 * and the functions return the exit status to use (0 ok, 1 runtime error). */
#ifndef GV_CLI_H
#define GV_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

#include "patterns/load.h"
#include "patterns/pattern.h"

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

/* gv_pattern_load and gv_pattern_save (patterns/load.h) with the error line
 * printed, naming the file actually read.  An unknown extension is a usage
 * error (returns 2); a bare name that names no preset, or any other failure,
 * is a runtime error (1). */
int gv_cli_load(const char *path, const gv_load_opts *o, gv_pattern *p);
int gv_cli_save(const char *path, const gv_pattern *p);

/* Prints "groove: FILE: msg" (or "groove: msg" when file is NULL). */
void gv_cli_error(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The option loop every command shares: getopt_long with opterr off; the
 * window options go into w (when w is not NULL); a bad option or value is
 * reported as a usage error.  Returns the next other option, -1 at the end,
 * or -2 after a usage error (exit with status 2). */
int gv_cli_getopt(const char *cmd, const char *usage, int argc, char **argv, const char *shortopts,
                  const struct option *longopts, gv_load_opts *w);
/* The same loop with the options a command shares with others taken by
 * take(opt, arg, ctx): 1 took it, 0 not one of them, -1 bad value (usage
 * error printed), as gv_cli_window_opt does. */
typedef int (*gv_cli_take)(int opt, const char *arg, void *ctx);
int gv_cli_getopt_take(const char *cmd, const char *usage, int argc, char **argv, const char *shortopts,
                       const struct option *longopts, gv_cli_take take, void *ctx);

/* The IN OUT operands of a converting command (convert, flatten): exactly
 * two, OUT of a type gv_pattern_save writes.  0, or 2 after a usage error. */
int gv_cli_in_out(const char *cmd, const char *usage, int argc, char **argv, const char **in, const char **out);

/* A usage error: prints the one line "groove: CMD: msg (groove CMD --help)";
 * returns 2, the exit status to use.  USAGE is no longer printed (errors are
 * one line); it stays in the signature for the callers. */
int gv_cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for getopt_long's '?' or ':' (run with opterr = 0): names the
 * offending argument. */
int gv_cli_bad_option(const char *cmd, const char *usage, int argc, char **argv);
/* After the options of a command that takes no operands: 0, or a usage
 * error naming the first one left (returns 2). */
int gv_cli_no_operands(const char *cmd, const char *usage, int argc, char **argv);

/* Parses an int / float option value in [lo, hi]; on failure prints a usage
 * error naming opt and returns -1. */
int gv_cli_int(const char *opt, const char *arg, long lo, long hi, int *out);
int gv_cli_float(const char *opt, const char *arg, double lo, double hi, float *out);
/* --swing S: 0..1 as the sequencer takes it (patterns/sequencer.h: every odd
 * 16th S/2 of a step late; MPC % = 50 + 25 S), as gv_cli_float.  play,
 * render and convert share it. */
int gv_cli_swing(const char *arg, float *swing);
#define GV_SWING_HELP "0..1: delays every upbeat 16th by S/2 of a step (default 0)"
/* --seed N with N in 0..2^31-1, as gv_cli_int. */
int gv_cli_seed(const char *arg, uint64_t *seed);

#endif

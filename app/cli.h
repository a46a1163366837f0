/* cli.h - what every command shares: loading and saving patterns with the
 * errors printed (patterns/load.h does the work), the operand checks, and
 * the error line format.  The options themselves are parsed by the registry
 * (app/opts.h).
 *
 * Errors are printed here, in the front end, as one line
 *   groove: FILE: what is wrong
 * and the functions return the exit status to use (0 ok, 1 runtime error). */
#ifndef GV_CLI_H
#define GV_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "patterns/load.h"
#include "patterns/pattern.h"

/* The window options' --help lines (the options: gv_opts_window, app/opts.h),
 * for commands that keep the default window. */
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

/* The IN OUT operands of a converting command (convert, flatten): exactly
 * two, OUT of a type gv_pattern_save writes.  0, or 2 after a usage error. */
int gv_cli_in_out(const char *cmd, int argc, char **argv, const char **in, const char **out);

/* A usage error: prints the one line "groove: CMD: msg (groove CMD --help)"
 * (the synopsis is in CMD --help); returns 2, the exit status to use. */
int gv_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for getopt_long's '?' or ':' (run with opterr = 0): names the
 * offending argument. */
int gv_cli_bad_option(const char *cmd, int argc, char **argv);
/* After the options of a command that takes no operands: 0, or a usage
 * error naming the first one left (returns 2). */
int gv_cli_no_operands(const char *cmd, int argc, char **argv);

/* --swing S (gv_opts_synth; convert's own): 0..1 as the sequencer takes it
 * (patterns/sequencer.h: every odd 16th S/2 of a step late; MPC % = 50 + 25 S). */
#define GV_SWING_HELP "0..1: delays every upbeat 16th by S/2 of a step (default 0)"

#endif

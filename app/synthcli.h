/* synthcli.h - what `groove play` and `groove render` share: the pattern
 * window, the synth options (--loops --tempo --swing --kit --metronome), and
 * loading the pattern and the kit with the error lines printed. */
#ifndef GV_SYNTHCLI_H
#define GV_SYNTHCLI_H

#include "app/cli.h"
#include "synth/kit.h"

typedef struct gv_synth_cli {
    gv_load_opts window;
    int loops;          /* default 1 */
    int min_loops;      /* 0 for play (0 = until Ctrl-C), 1 for render */
    float tempo;        /* 0: the file's */
    float swing;
    int metronome;
    const char *kit;    /* NULL: built-in */
} gv_synth_cli;

enum { GV_OPT_LOOPS = 0x1100, GV_OPT_TEMPO, GV_OPT_SWING, GV_OPT_KIT, GV_OPT_METRONOME };
#define GV_SYNTH_LONGOPTS                                                                              \
    GV_WINDOW_LONGOPTS, {"loops", required_argument, 0, GV_OPT_LOOPS},                                  \
        {"tempo", required_argument, 0, GV_OPT_TEMPO}, {"swing", required_argument, 0, GV_OPT_SWING}, \
        {"kit", required_argument, 0, GV_OPT_KIT}, {"metronome", no_argument, 0, GV_OPT_METRONOME}

void gv_synth_cli_default(gv_synth_cli *c, int min_loops);

/* Like gv_cli_window_opt, for the window and synth options (ctx: the
 * gv_synth_cli), to pass to gv_cli_getopt_take: 1 took it, 0 not one of
 * them, -1 bad value (usage error printed). */
int gv_synth_cli_opt(int opt, const char *arg, void *ctx);

/* Loads the pattern FILE arg names (a preset name too) into a malloc'd *p;
 * returns 0 or the exit status (error printed). */
int gv_synth_cli_load(const gv_synth_cli *c, const char *arg, gv_pattern **p);

/* Opens the kit at rate: a refused kit prints one line and gives the
 * built-in kit.  0, or 1 when not even that can be made (printed). */
int gv_synth_cli_kit(const gv_synth_cli *c, double rate, gv_kit *kit);

/* The tempo to play p at: --tempo, else the file's, else 120. */
double gv_synth_cli_bpm(const gv_synth_cli *c, const gv_pattern *p);

#endif

/* synthcli.h - what `groove play` and `groove render` share: the pattern
 * window, the synth options (--loops --tempo --swing --kit --metronome; their
 * rows: gv_opts_window and gv_opts_synth in app/opts.h, --loops each
 * command's own, as their ranges differ), and
 * loading the pattern and the kit with the error lines printed. */
#ifndef GV_SYNTHCLI_H
#define GV_SYNTHCLI_H

#include "app/cli.h"
#include "synth/kit.h"

typedef struct gv_synth_cli {
    gv_load_opts window;
    int loops;          /* default 1; play: 0 = until Ctrl-C */
    float tempo;        /* 0: the file's */
    float swing;
    int metronome;
    const char *kit;    /* NULL: built-in */
} gv_synth_cli;

void gv_synth_cli_default(gv_synth_cli *c);

/* Loads the pattern FILE arg names (a preset name too) into a malloc'd *p;
 * returns 0 or the exit status (error printed). */
int gv_synth_cli_load(const gv_synth_cli *c, const char *arg, gv_pattern **p);

/* Opens the kit at rate: a refused kit prints one line and gives the
 * built-in kit.  0, or 1 when not even that can be made (printed). */
int gv_synth_cli_kit(const gv_synth_cli *c, double rate, gv_kit *kit);

/* The tempo to play p at: --tempo, else the file's, else 120. */
double gv_synth_cli_bpm(const gv_synth_cli *c, const gv_pattern *p);

#endif

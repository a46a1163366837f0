/* cmd_convert.c - `groove convert IN OUT`: .mid <-> .tab, by extension. */
#include <getopt.h>
#include <stdio.h>

#include "app/cli.h"
#include "app/commands.h"
#include "patterns/sequencer.h"

static const char *const USAGE = "IN OUT [--start-bar K] [--bars N] [--channel N] [--swing S]";

static void help(void)
{
    printf("usage: groove convert %s\n"
           "Converts a window of IN to OUT; the extensions decide the formats:\n"
           ".mid/.midi (Standard MIDI File) or .tab (drum tab).  IN may also be a\n"
           "preset name.  MIDI is written as format 0, 480 PPQ, channel 10, GM\n"
           "drum notes; tabs keep velocities as o x X and offsets to 1/20 step.\n"
           "With --swing the odd 16ths are written where `groove play --swing`\n"
           "sounds them (in a tab: in its offset lines).\n\n"
           GV_WINDOW_HELP
           "  --swing S      " GV_SWING_HELP "\n"
           "  -h, --help     this help\n",
           USAGE);
}

int cmd_convert(int argc, char **argv)
{
    enum { O_SWING = 0x2000 };
    static const struct option longopts[] = {
        GV_WINDOW_LONGOPTS, {"swing", required_argument, 0, O_SWING}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    gv_load_opts lo;
    gv_load_opts_default(&lo);
    float swing = 0;
    int c;
    while ((c = gv_cli_getopt("convert", USAGE, argc, argv, ":h", longopts, &lo)) != -1) {
        if (c == -2)
            return 2;
        if (c == 'h') {
            help();
            return 0;
        }
        if (c == O_SWING && gv_cli_swing(optarg, &swing))
            return 2;
    }
    const char *in, *out;
    if (gv_cli_in_out("convert", USAGE, argc, argv, &in, &out))
        return 2;
    gv_pattern p;
    int rc = gv_cli_load(in, &lo, &p);
    if (rc == 0) {
        gv_seq_swing_bake(&p, swing);
        rc = gv_cli_save(out, &p);
    }
    return rc;
}

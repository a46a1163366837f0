/* cmd_convert.c - `groove convert IN OUT`: .mid <-> .tab, by extension. */
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/opts.h"
#include "patterns/sequencer.h"
#include "patterns/smf.h"

static const char *const USAGE = "IN OUT [--start-bar K] [--bars N] [--channel N] [--swing S]";

static void help(FILE *f)
{
    fprintf(f, "usage: groove convert %s\n"
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

typedef struct convert_opts {
    float swing;
} convert_opts;
static const gv_opt convert_rows[] = {GV_OPT_F("swing", 0, 1, convert_opts, swing)};
static const gv_opt_group convert_group = GV_OPT_GROUP("convert", convert_rows);

int cmd_convert(int argc, char **argv)
{
    gv_load_opts lo;
    gv_load_opts_default(&lo);
    convert_opts co = {0};
    const gv_opt_use use[] = {{&gv_opts_window, &lo}, {&convert_group, &co}};
    int rc = gv_opts_parse("convert", help, use, 2, argc, argv);
    if (rc >= 0)
        return rc;
    float swing = co.swing;
    const char *in, *out;
    if (gv_cli_in_out("convert", argc, argv, &in, &out))
        return 2;
    gv_pattern p;
    rc = gv_cli_load(in, &lo, &p);
    char path[1200], name[sizeof p.name];
    const char *read = gv_pattern_resolve(in, path, sizeof path);
    gv_err e = {0};
    /* a .mid's own name (its track name) goes with it, as a .tab's does */
    if (rc == 0 && gv_pattern_format(read) == GV_FMT_MID && gv_smf_track_name(read, name, sizeof name, &e) == 1)
        memcpy(p.name, name, sizeof p.name);
    if (rc == 0) {
        gv_seq_swing_bake(&p, swing);
        rc = gv_cli_save(out, &p);
    }
    return rc;
}

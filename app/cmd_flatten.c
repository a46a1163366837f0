/* cmd_flatten.c - `groove flatten IN OUT`: the monotonic groove (the model's
 * input) as a one-voice file, on the closed hi-hat unless --voice says. */
#include <stdio.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/opts.h"

static const char *const USAGE = "IN OUT [--voice V] [--start-bar K] [--bars N] [--channel N]";

static void help(FILE *f)
{
    fprintf(f, "usage: groove flatten %s\n"
           "Writes the monotonic groove of IN to OUT (.mid or .tab, by extension)\n"
           "as one voice: a hit on every step where any voice hits, with the\n"
           "loudest hit's velocity and micro-timing.  This is what the model\n"
           "hears; 'groove generate' turns it back into a full pattern.\n\n"
           "  --voice V      the voice that carries the groove: KD SD HH OH LT MT\n"
           "                 HT CR RD or a name (kick, snare, ...); default HH, the\n"
           "                 closed hi-hat\n"
           GV_WINDOW_HELP
           "  -h, --help     this help\n",
           USAGE);
}

static int voice_opt(const char *arg, void *voice, char *why, size_t n)
{
    if ((*(int *)voice = gv_voice_parse(arg)) >= 0)
        return 0;
    snprintf(why, n, "unknown voice '%s'", arg);
    return -1;
}
static const gv_opt flatten_rows[] = {GV_OPT_FN_ALL("voice", voice_opt)};
static const gv_opt_group flatten_group = GV_OPT_GROUP("flatten", flatten_rows);

int cmd_flatten(int argc, char **argv)
{
    gv_load_opts lo;
    gv_load_opts_default(&lo);
    int voice = GV_CHAT;
    const gv_opt_use use[] = {{&gv_opts_window, &lo}, {&flatten_group, &voice}};
    int rc = gv_opts_parse("flatten", help, use, 2, argc, argv);
    if (rc >= 0)
        return rc;
    const char *in, *out;
    if (gv_cli_in_out("flatten", argc, argv, &in, &out))
        return 2;
    gv_pattern src, g;
    float hvo[3 * GV_MAX_STEPS];
    rc = gv_cli_load(in, &lo, &src);
    if (rc == 0) {
        gv_pattern_groove(&src, hvo);
        gv_pattern_init(&g, src.steps, src.bpm, NULL);
        snprintf(g.name, sizeof g.name, "%.50s groove", src.name);
        for (int t = 0; t < src.steps; t++)
            if (hvo[3 * t] > 0)
                gv_pattern_set(&g, t, voice, 1, hvo[3 * t + 1], hvo[3 * t + 2]);
        rc = gv_cli_save(out, &g);
    }
    return rc;
}

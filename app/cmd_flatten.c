/* cmd_flatten.c - `groove flatten IN OUT`: the monotonic groove (the model's
 * input) as a one-voice file, on the closed hi-hat unless --voice says. */
#include <getopt.h>
#include <stdio.h>

#include "app/cli.h"
#include "app/commands.h"

static const char *const USAGE = "IN OUT [--voice V] [--start-bar K] [--bars N] [--channel N]";

static void help(void)
{
    printf("usage: groove flatten %s\n"
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

int cmd_flatten(int argc, char **argv)
{
    static const struct option longopts[] = {
        GV_WINDOW_LONGOPTS, {"voice", required_argument, 0, 'v'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    gv_load_opts lo;
    gv_load_opts_default(&lo);
    int c, voice = GV_CHAT;
    while ((c = gv_cli_getopt("flatten", USAGE, argc, argv, ":h", longopts, &lo)) != -1) {
        if (c == -2)
            return 2;
        if (c == 'h') {
            help();
            return 0;
        }
        if (c == 'v' && (voice = gv_voice_parse(optarg)) < 0)
            return gv_cli_usage_error("flatten", USAGE, "--voice: unknown voice '%s'", optarg);
    }
    const char *in, *out;
    if (gv_cli_in_out("flatten", USAGE, argc, argv, &in, &out))
        return 2;
    gv_pattern src, g;
    float hvo[3 * GV_MAX_STEPS];
    int rc = gv_cli_load(in, &lo, &src);
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

/* cmd_devices.c - `groove devices`: the audio outputs (and MIDI ports) groove
 * can use, with the index and name that --audio-device accepts. */
#include <stdio.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/midicli.h"
#include "app/opts.h"
#include "synth/audio.h"


static void print_output(const gv_audio_device *d, void *ctx)
{
    int *n = ctx;
    printf("  %3d  %s: %s  (%d ch, %.0f Hz, %.1f ms)%s\n", d->index, d->host, d->name, d->channels, d->rate,
           d->latency_ms, d->is_default ? "  [default]" : "");
    (*n)++;
}

static void help(FILE *f)
{
    fprintf(f, "usage: groove devices\n"
               "Lists the audio outputs (for --audio-device INDEX or NAME) and the MIDI\n"
               "inputs and outputs (for --midi-in / --midi-out INDEX or NAME).\n");
}

int cmd_devices(int argc, char **argv)
{
    int rc = gv_opts_parse("devices", help, NULL, 0, argc, argv);
    if (rc >= 0)
        return rc;
    if (optind < argc)
        return gv_cli_usage_error("devices", "no arguments expected");
    gv_err e = {0};
    int n = 0;
    printf("audio outputs:\n");
    if (gv_audio_list(print_output, &n, &e))
        printf("  none (%s)\n", e.msg);
    else if (!n)
        printf("  none\n");
    gv_midi_cli_list(stdout);
    return 0;
}

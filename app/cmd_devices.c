/* cmd_devices.c - `groove devices`: the audio outputs (and MIDI ports) groove
 * can use, with the index and name that --audio-device accepts, and the
 * GPUs --device cuda would use (or the one-line reason there are none). */
#include <stdio.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/midicli.h"
#include "app/opts.h"
#include "kernels/cuda.h"
#include "synth/audio.h"


static void print_output(const gv_audio_device *d, void *ctx)
{
    int *n = ctx;
    printf("  %3d  %s: %s  (%d ch, %.0f Hz, %.1f ms)%s\n", d->index, d->host, d->name, d->channels, d->rate,
           d->latency_ms, d->is_default ? "  [default]" : "");
    (*n)++;
}

/* "gpus:" and a line per device, or "  none (why)". */
static void print_gpus(void)
{
    gv_cuda_device dev[8];
    int n = 0;
    char why[256];
    printf("gpus (--device cuda):\n");
    if (gv_cuda_list(dev, 8, &n, why, sizeof why) != GV_CUDA_OK) {
        printf("  none (%s)\n", why);
        return;
    }
    for (int i = 0; i < n && i < 8; i++)
        printf("  gpu %d: %s  (%.1f GiB, compute capability %d.%d)\n", dev[i].index, dev[i].name,
               (double)dev[i].mem / (1024.0 * 1024.0 * 1024.0), dev[i].cc_major, dev[i].cc_minor);
}

static void help(FILE *f)
{
    fprintf(f, "usage: groove devices\n"
               "Lists the audio outputs (for --audio-device INDEX or NAME) and the MIDI\n"
               "inputs and outputs (for --midi-in / --midi-out INDEX or NAME), and the\n"
               "NVIDIA GPUs --device cuda uses, or why there are none (GROOVE_LIBCUDA=PATH\n"
               "names the driver library instead of libcuda.so.1).\n");
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
    print_gpus();
    return 0;
}

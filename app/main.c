/* main.c - `groove [COMMAND] ...`: dispatch to a subcommand or start the TUI
 * (on FILE or a preset name when the first argument is not a command). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/commands.h"
#include "patterns/load.h"

const gv_command gv_commands[] = {
    {"show", cmd_show, "print a piano roll of a .mid or .tab file"},
    {"convert", cmd_convert, "convert between .mid and .tab"},
    {"flatten", cmd_flatten, "write the monotonic groove as a one-voice file"},
    {"generate", cmd_generate, "full drum patterns from the groove of each input"},
    {"humanize", cmd_humanize, "a drummer's velocities and timing for a programmed beat"},
    {"sample", cmd_sample, "patterns from the model's prior"},
    {"interpolate", cmd_interpolate, "patterns between two inputs in latent space"},
    {"encode", cmd_encode, "print the latent mu/logvar of an input"},
    {"decode", cmd_decode, "decode latent vectors to probabilities"},
    {"info", cmd_info, "print a model's config and size"},
    {"train", cmd_train, "train the model on MIDI drum data"},
    {"eval", cmd_eval, "evaluate a model against real drummers"},
    {"render", cmd_render, "render a pattern to a WAV file"},
    {"play", cmd_play, "play a pattern on the built-in drum synth"},
    {"devices", cmd_devices, "list audio and MIDI devices"},
    {"jam", cmd_jam, "drums that follow a recorded performance bar by bar"},
    {"song", cmd_song, "export a song of kept patterns as one MIDI file"},
    {"tui", cmd_tui, "the interactive piano-roll front end (default)"},
};
const int gv_ncommands = (int)(sizeof gv_commands / sizeof gv_commands[0]);

static void usage(FILE *f)
{
    fprintf(f, "usage: groove [FILE]             start the TUI (optionally on FILE)\n"
               "       groove COMMAND [OPTIONS]   (groove COMMAND --help for its options)\n"
               "       groove --version | --help\n\ncommands:\n");
    for (int i = 0; i < gv_ncommands; i++)
        fprintf(f, "  %-12s %s\n", gv_commands[i].name, gv_commands[i].summary);
}

static int run(const gv_command *c, int argc, char **argv)
{
    optind = 0; /* glibc: full re-initialisation for the command's getopt_long */
    return c->fn(argc, argv);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("groove %s\n", GV_VERSION);
        return 0;
    }
    if (argc >= 2)
        for (int i = 0; i < gv_ncommands; i++)
            if (!strcmp(argv[1], gv_commands[i].name))
                return run(&gv_commands[i], argc - 1, argv + 1);
    char preset[1024];
    if (argc >= 2 && argv[1][0] != '-' && !strchr(argv[1], '.') && !strchr(argv[1], '/') &&
        gv_pattern_resolve(argv[1], preset, sizeof preset) == argv[1]) {
        fprintf(stderr, "groove: unknown command '%s' (groove --help lists them)\n", argv[1]);
        return 2;
    }
    /* No command: the TUI, with any arguments (a file, options) passed on. */
    static const gv_command tui = {"tui", cmd_tui, ""};
    argv[0] = "tui";
    return run(&tui, argc, argv);
}

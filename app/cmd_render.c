/* cmd_render.c - `groove render IN OUT.wav`: a pattern looped on the drum
 * synth into a stereo WAV file, offline, through the player's render path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/commands.h"
#include "app/opts.h"
#include "app/songcli.h"
#include "app/synthcli.h"
#include "base/fileio.h"
#include "synth/kit.h"
#include "synth/render.h"

static const char *const USAGE =
    "IN OUT.wav [--start-bar K] [--bars N] [--loops L] [--tempo BPM] [--swing S] [--rate HZ] "
    "[--kit DIR] [--float] [--metronome]";

static void help(FILE *f)
{
    fprintf(f, "usage: groove render %s\n"
           "Renders IN (.mid/.midi, .tab or a preset name) on the built-in drum synth\n"
           "(or a sample kit) into a stereo WAV file: the pattern looped L times, then\n"
           "a tail until the cymbals have rung out.  Micro-timing, velocity and swing\n"
           "are kept to the sample; early hits on the first step get a short pre-roll.\n\n"
           "  --start-bar K  first bar of the window, counting from 1 (default: the\n"
           "                 first bar with notes)\n"
           "  --bars N       bars in the window (default 2; 0 = the whole file)\n"
           "  --channel N    MIDI channel to read\n"
           "  --loops L      times through the pattern (default 1)\n"
           "  --tempo BPM    tempo, 20..400 (default: the file's)\n"
           "  --swing S      " GV_SWING_HELP "\n"
           "  --rate HZ      sample rate, 8000..192000 (default 48000)\n"
           "  --kit DIR      a Hydrogen drumkit folder (drumkit.xml) or a folder of\n"
           "                 samples named by voice (kick.wav, snare.flac, ...)\n"
           "  --float        32-bit float samples instead of 16-bit\n"
           "  --metronome    add a click on every beat (accent on beat 1)\n"
           "  -h, --help     this help\n\n"
           "IN may be a song (FILE.json, see groove song): its sections are played one\n"
           "after another, at the song's tempo (--tempo overrides it) and swing (--swing\n"
           "overrides it when not 0); --loops and the window options do not apply.\n",
           USAGE);
}

typedef struct render_opts {
    gv_synth_cli sc;
    int rate, fl; /* --rate HZ, --float */
} render_opts;
static const gv_opt render_rows[] = {
    GV_OPT_I("loops", 1, 100000, render_opts, sc.loops),
    GV_OPT_I("rate", 8000, 192000, render_opts, rate),
    GV_OPT_B("float", render_opts, fl),
};
static const gv_opt_group render_group = GV_OPT_GROUP("render", render_rows);

/* A song through the player: its arrangement, --tempo and --swing over the
 * song's own. */
static int render_song(const char *in, const char *out, const gv_synth_cli *sc, int rate, int fl)
{
    gv_gencli g;
    gv_gencli_default(&g);
    gv_song_cli song;
    if (gv_song_cli_load(in, &g, &song)) {
        gv_song_cli_free(&song);
        return 1;
    }
    for (int i = 0; sc->tempo > 0 && i < song.nparts; i++)
        song.parts[i].bpm = sc->tempo;
    if (sc->swing > 0)
        song.song.swing = sc->swing;
    gv_kit kit;
    if (gv_synth_cli_kit(sc, rate, &kit)) {
        gv_song_cli_free(&song);
        return 1;
    }
    float *audio = NULL;
    int64_t frames = 0;
    gv_err e = {0};
    int rc = 0;
    if (gv_song_render(&song.song, song.parts, song.nparts, &kit, sc->metronome, &audio, &frames, &e) ||
        gv_render_write_wav(out, audio, frames, rate, fl, &e)) {
        gv_cli_error(out, "%s", e.msg);
        rc = 1;
    } else {
        printf("%s: %.2f s, %d Hz, %s stereo, a song of %d section%s (%d parts) at %g BPM\n", out,
               (double)frames / rate, rate, fl ? "32-bit float" : "16-bit", song.song.n, song.song.n == 1 ? "" : "s",
               song.nparts, (double)song.parts[0].bpm);
    }
    free(audio);
    gv_kit_free(&kit);
    gv_song_cli_free(&song);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    render_opts o = {.rate = 48000};
    gv_synth_cli_default(&o.sc);
    const gv_opt_use use[] = {{&gv_opts_window, &o.sc.window}, {&gv_opts_synth, &o.sc}, {&render_group, &o}};
    int rc = gv_opts_parse("render", help, use, 3, argc, argv);
    if (rc >= 0)
        return rc;
    gv_synth_cli sc = o.sc;
    int rate = o.rate, fl = o.fl;
    if (argc - optind != 2)
        return gv_cli_usage_error("render", argc - optind < 2 ? "IN and OUT.wav needed" : "too many arguments");
    const char *out = argv[optind + 1];
    if (strcasecmp(gv_path_ext(out), "wav"))
        return gv_cli_usage_error("render", "%s: the output must be a .wav file", out);
    if (gv_song_cli_is_song(argv[optind]))
        return render_song(argv[optind], out, &sc, rate, fl);

    gv_pattern *p;
    rc = gv_synth_cli_load(&sc, argv[optind], &p);
    if (rc)
        return rc;
    gv_kit kit;
    if (gv_synth_cli_kit(&sc, rate, &kit)) {
        free(p);
        return 1;
    }
    gv_render_opts ro;
    gv_render_opts_default(&ro);
    ro.bpm = gv_synth_cli_bpm(&sc, p);
    ro.swing = sc.swing;
    ro.loops = sc.loops;
    ro.metronome = sc.metronome;
    float *audio = NULL;
    int64_t frames = 0, origin = 0;
    gv_err e = {0};
    if (gv_render(p, &kit, &ro, &audio, &frames, &origin, &e) ||
        gv_render_write_wav(out, audio, frames, rate, fl, &e)) {
        gv_cli_error(out, "%s", e.msg);
        rc = 1;
    } else {
        printf("%s: %.2f s, %d Hz, %s stereo, %d loop%s of %d steps at %g BPM\n", out, (double)frames / rate, rate,
               fl ? "32-bit float" : "16-bit", ro.loops, ro.loops == 1 ? "" : "s", p->steps, ro.bpm);
    }
    free(audio);
    gv_kit_free(&kit);
    free(p);
    return rc;
}

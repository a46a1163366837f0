/* cmd_play.c - `groove play FILE`: a pattern looped on the drum synth through
 * the audio output, the same path the TUI plays through. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/commands.h"
#include "app/synthcli.h"
#include "synth/audio.h"
#include "synth/kit.h"
#include "synth/player.h"

#define TAIL_MAX_S 8.0
#define STALL_S 3.0

static const char *const USAGE =
    "FILE [--start-bar K] [--bars N] [--loops N] [--tempo BPM] [--swing S] [--kit DIR] "
    "[--audio-device NAME|INDEX] [--latency MS] [--metronome] [--stats]";

static volatile sig_atomic_t interrupted;
static void on_sigint(int sig) { (void)sig, interrupted++; }

static void help(void)
{
    printf("usage: groove play %s\n"
           "Plays FILE (.mid/.midi, .tab or a preset name) on the built-in drum synth\n"
           "(or a sample kit) through the audio output, looped N times; Ctrl-C stops.\n\n"
           "  --start-bar K, --bars N, --channel N   the window, as for 'groove show'\n"
           "  --loops N          times through the pattern (default 1; 0 = until Ctrl-C)\n"
           "  --tempo BPM        tempo, 20..400 (default: the file's)\n"
           "  --swing S          0..1: delays every upbeat 16th by S/2 of a step\n"
           "  --kit DIR          a Hydrogen drumkit folder or a folder of samples\n"
           "                     named by voice (kick.wav, snare.flac, ...)\n"
           "  --audio-device D   output device: index, name, or part of \"HOST: NAME\"\n"
           "                     as 'groove devices' lists them (e.g. jack)\n"
           "  --latency MS       output latency to ask for (default 10)\n"
           "  --metronome        a click on every beat (accent on beat 1)\n"
           "  --stats            print underruns and callback times at the end\n"
           "  -h, --help         this help\n",
           USAGE);
}

static void nap(double s)
{
    struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&t, NULL);
}

/* Waits while the player is busy (playing, or ringing out when tail is set). */
static int wait_player(gv_player *pl, int tail, double limit_s, int stop_on_int)
{
    double waited = 0, still = 0;
    int64_t last = gv_player_frames(pl);
    while (tail ? gv_player_active(pl) > 0 : gv_player_playing(pl)) {
        if (stop_on_int && interrupted)
            return 0;
        if (limit_s > 0 && waited >= limit_s)
            return 0;
        nap(0.01);
        waited += 0.01;
        int64_t f = gv_player_frames(pl);
        still = f == last ? still + 0.01 : 0;
        last = f;
        if (still > STALL_S)
            return -1;
    }
    return 0;
}

int cmd_play(int argc, char **argv)
{
    enum { O_DEV = 0x2000, O_LAT, O_STATS };
    static const struct option longopts[] = {GV_SYNTH_LONGOPTS,
                                             {"audio-device", required_argument, 0, O_DEV},
                                             {"latency", required_argument, 0, O_LAT},
                                             {"stats", no_argument, 0, O_STATS},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    gv_synth_cli sc;
    gv_synth_cli_default(&sc, 0);
    int stats = 0, c;
    float latency = 10;
    const char *device = NULL;
    while ((c = gv_cli_getopt_take("play", USAGE, argc, argv, ":h", longopts, gv_synth_cli_opt, &sc)) != -1) {
        if (c == -2)
            return 2;
        if (c == 'h') {
            help();
            return 0;
        } else if (c == O_LAT) {
            if (gv_cli_float("--latency", optarg, 1, 1000, &latency))
                return 2;
        } else if (c == O_DEV) {
            device = optarg;
        } else if (c == O_STATS) {
            stats = 1;
        }
    }
    if (argc - optind != 1)
        return gv_cli_usage_error("play", USAGE, argc == optind ? "no FILE given" : "one FILE only");

    gv_pattern *p;
    int rc = gv_synth_cli_load(&sc, argv[optind], &p);
    if (rc)
        return rc;
    gv_err e = {{0}};
    gv_audio *a = gv_audio_open(device, latency, 0, &e);
    if (!a) {
        gv_cli_error(NULL, "%s", e.msg);
        free(p);
        return 1;
    }
    gv_kit kit;
    if (gv_synth_cli_kit(&sc, gv_audio_rate(a), &kit)) {
        gv_audio_close(a);
        free(p);
        return 1;
    }
    gv_player *pl = gv_player_new(gv_audio_rate(a), &kit, &e);
    rc = 1;
    if (pl) {
        gv_player_set_tempo(pl, gv_synth_cli_bpm(&sc, p));
        gv_player_set_swing(pl, sc.swing);
        gv_player_set_loop_limit(pl, sc.loops);
        gv_player_set_metronome(pl, sc.metronome);
        gv_player_queue(pl, p, GV_QUEUE_NOW);
        gv_player_start(pl);
        struct sigaction sa = {0}, old;
        sa.sa_handler = on_sigint;
        sigaction(SIGINT, &sa, &old);
        if (gv_audio_start(a, pl, &e) == 0) {
            int w = wait_player(pl, 0, 0, 1);
            gv_player_stop(pl);
            if (w == 0 && interrupted < 2)
                w = wait_player(pl, 1, TAIL_MAX_S, interrupted > 0 ? 0 : 1);
            if (w < 0)
                gv_cli_error(NULL, "audio output '%s' stalled", gv_audio_name(a));
            rc = w < 0 ? 1 : 0;
        }
        sigaction(SIGINT, &old, NULL);
    }
    if (e.msg[0] && rc)
        gv_cli_error(NULL, "%s", e.msg);
    gv_audio_stats st;
    gv_audio_get_stats(a, &st);
    int64_t loops_done = pl ? gv_player_loops_done(pl) : 0;
    char name[256];
    snprintf(name, sizeof name, "%s", gv_audio_name(a));
    gv_audio_close(a);
    if (stats && pl)
        printf("played %lld loop%s (%lld bars) on %s at %.0f Hz: %lld callbacks of up to %lld frames "
               "(%.2f ms), %lld underruns, worst callback %.1f us, mean %.1f us, latency %.1f ms\n",
               (long long)loops_done, loops_done == 1 ? "" : "s",
               (long long)(loops_done * p->steps / GV_STEPS_PER_BAR), name, st.rate, (long long)st.callbacks,
               (long long)st.max_frames, 1000.0 * (double)st.max_frames / st.rate, (long long)st.underflows,
               st.worst_us, st.mean_us, st.latency_ms);
    gv_player_free(pl);
    gv_kit_free(&kit);
    free(p);
    return rc;
}

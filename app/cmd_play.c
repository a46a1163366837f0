/* cmd_play.c - `groove play FILE`: a pattern looped on the drum synth through
 * the audio output, and/or sent to a MIDI output through the MIDI scheduler:
 * the same paths the TUI plays through. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/commands.h"
#include "app/midicli.h"
#include "app/opts.h"
#include "app/synthcli.h"
#include "synth/audio.h"
#include "synth/kit.h"
#include "synth/player.h"

#define TAIL_MAX_S 8.0
#define STALL_S 3.0

static const char *const USAGE =
    "FILE [--start-bar K] [--bars N] [--loops N] [--tempo BPM] [--swing S] [--kit DIR] "
    "[--audio-device NAME|INDEX] [--latency MS] [--metronome] [--stats] [--midi-out NAME|INDEX] "
    "[--midi-channel N] [--clock out|off] [--midi-map FILE|gm] [--midi-latency MS]";

static volatile sig_atomic_t interrupted;
static void on_sigint(int sig) { (void)sig, interrupted++; }

static void help(FILE *f)
{
    fprintf(f, "usage: groove play %s\n"
           "Plays FILE (.mid/.midi, .tab or a preset name) on the built-in drum synth\n"
           "(or a sample kit) through the audio output, looped N times; Ctrl-C stops.\n"
           "With --midi-out the same timed events go to that MIDI output too (without\n"
           "an audio device, to MIDI alone).\n\n"
           "  --start-bar K, --bars N, --channel N   the window, as for 'groove show'\n"
           "  --loops N          times through the pattern (default 1; 0 = until Ctrl-C)\n"
           "  --tempo BPM        tempo, 20..400 (default: the file's)\n"
           "  --swing S          " GV_SWING_HELP "\n"
           "  --kit DIR          a Hydrogen drumkit folder or a folder of samples\n"
           "                     named by voice (kick.wav, snare.flac, ...)\n"
           "  --audio-device D   output device: index, name, or part of \"HOST: NAME\"\n"
           "                     as 'groove devices' lists them (e.g. jack)\n"
           "  --latency MS       output latency to ask for (default 10)\n"
           "  --metronome        a click on every beat (accent on beat 1)\n"
           "  --stats            print underruns and callback times at the end\n"
           "  --midi-out D       send the pattern to MIDI output D (index or name, see\n"
           "                     groove devices)\n"
           "  --midi-channel N   channel of the notes sent, 1..16 (default 10)\n"
           "  --clock out|off    send MIDI clock and Start/Stop with the notes\n"
           "  --midi-map FILE|gm drum map: the note each voice sends\n"
           "  --midi-latency MS  MIDI output queued this far ahead (default 10)\n"
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

typedef struct play_opts {
    gv_synth_cli sc;
    gv_midi_cli mc;
    const char *device; /* --audio-device */
    float latency;      /* --latency MS (10) */
    int stats;          /* --stats */
} play_opts;

/* The MIDI side: the output opened, the pattern queued on a scheduler (not
 * started).  0, or 1 with the error printed. */
static int midi_open(const gv_midi_cli *mc, const gv_pattern *p, double bpm, float swing, gv_midi_port **out,
                     gv_midi_sched **s)
{
    gv_midi_sched_cfg cfg;
    gv_midi_map map;
    gv_err e = {0};
    if (gv_midi_cli_cfg(mc, bpm, &cfg, &map, &e)) {
        gv_cli_error(mc->map, "%s", e.msg);
        return 1;
    }
    if (!(*out = gv_midi_pm_open(mc->out, GV_MIDI_OUT, mc->latency_ms, &e))) {
        gv_cli_error(NULL, "%s", e.msg);
        return 1;
    }
    if (!(*s = gv_midi_sched_new(*out, NULL, &cfg, &e)) || gv_midi_sched_swing(*s, swing) ||
        gv_midi_sched_queue(*s, p, GV_QUEUE_NOW)) {
        gv_cli_error(NULL, "MIDI: %s", e.msg[0] ? e.msg : "the pattern is not whole bars of 16..256 steps");
        return 1;
    }
    return 0;
}

/* The synth side: the player, started on the audio output.  0, or 1 with
 * the error printed. */
static int audio_start(gv_audio *a, const gv_synth_cli *sc, const gv_pattern *p, double bpm, gv_kit *kit,
                       gv_player **pl)
{
    gv_err e = {0};
    if (gv_synth_cli_kit(sc, gv_audio_rate(a), kit))
        return 1;
    if (!(*pl = gv_player_new(gv_audio_rate(a), kit, &e))) {
        gv_cli_error(NULL, "%s", e.msg);
        return 1;
    }
    gv_player_set_tempo(*pl, bpm);
    gv_player_set_swing(*pl, sc->swing);
    gv_player_set_loop_limit(*pl, sc->loops);
    gv_player_set_metronome(*pl, sc->metronome);
    gv_player_queue(*pl, p, GV_QUEUE_NOW);
    gv_player_start(*pl);
    if (gv_audio_start(a, *pl, &e)) {
        gv_cli_error(NULL, "%s", e.msg);
        return 1;
    }
    return 0;
}

static void print_stats(gv_audio *a, gv_player *pl, const gv_pattern *p, gv_midi_sched *ms, const char *midi_name)
{
    if (a && pl) {
        gv_audio_stats st;
        gv_audio_get_stats(a, &st);
        int64_t loops_done = gv_player_loops_done(pl);
        printf("played %lld loop%s (%lld bars) on %s at %.0f Hz: %lld callbacks of up to %lld frames "
               "(%.2f ms), %lld underruns, worst callback %.1f us (%.1f us on the CPU), mean %.1f us, "
               "latency %.1f ms\n",
               (long long)loops_done, loops_done == 1 ? "" : "s",
               (long long)(loops_done * p->steps / GV_STEPS_PER_BAR), gv_audio_name(a), st.rate,
               (long long)st.callbacks, (long long)st.max_frames, 1000.0 * (double)st.max_frames / st.rate,
               (long long)st.underflows, st.worst_us, st.worst_cpu_us, st.mean_us, st.latency_ms);
    }
    if (ms) {
        gv_midi_status st;
        gv_midi_sched_status(ms, &st);
        printf("sent %lld MIDI messages to %s: %lld late (worst %.0f us), worst wake-up %.0f us late\n",
               (long long)st.sent, midi_name, (long long)st.late, st.worst_late_us, st.worst_wake_us);
    }
}

static const gv_opt play_rows[] = {
    GV_OPT_I("loops", 0, 100000, play_opts, sc.loops),
    GV_OPT_S("audio-device", play_opts, device),
    GV_OPT_F("latency", 1, 1000, play_opts, latency),
    GV_OPT_B("stats", play_opts, stats),
};
static const gv_opt_group play_group = GV_OPT_GROUP("play", play_rows);

/* The options and the one FILE: -1 to go on, else the exit status. */
static int parse(int argc, char **argv, play_opts *o)
{
    gv_synth_cli_default(&o->sc);
    gv_midi_cli_default(&o->mc);
    o->device = NULL;
    o->latency = 10;
    o->stats = 0;
    const gv_opt_use use[] = {
        {&gv_opts_window, &o->sc.window}, {&gv_opts_synth, &o->sc}, {&gv_opts_midi, &o->mc}, {&play_group, o}};
    int rc = gv_opts_parse("play", help, use, 4, argc, argv);
    if (rc >= 0)
        return rc;
    if (argc - optind != 1)
        return gv_cli_usage_error("play", argc == optind ? "no FILE given" : "one FILE only");
    if (o->mc.in || o->mc.clock == GV_MIDI_CLOCK_IN)
        return gv_cli_usage_error("play", "play only sends: --midi-in and --clock in are for the TUI");
    return -1;
}

int cmd_play(int argc, char **argv)
{
    play_opts o;
    int rc = parse(argc, argv, &o), stats = o.stats;
    if (rc >= 0)
        return rc;
    const char *device = o.device;
    float latency = o.latency;
    gv_pattern *p;
    rc = gv_synth_cli_load(&o.sc, argv[optind], &p);
    if (rc)
        return rc;
    double bpm = gv_synth_cli_bpm(&o.sc, p);
    gv_midi_port *mo = NULL;
    gv_midi_sched *ms = NULL;
    gv_audio *a = NULL;
    gv_player *pl = NULL;
    gv_kit kit = {0};
    rc = 1;
    if (gv_midi_cli_wants_out(&o.mc) && midi_open(&o.mc, p, bpm, o.sc.swing, &mo, &ms))
        goto done;
    gv_err e = {0};
    if (!(a = gv_audio_open(device, latency, 0, &e))) {
        if (!ms) {
            gv_cli_error(NULL, "%s", e.msg);
            goto done;
        }
        fprintf(stderr, "groove: %s: playing on MIDI only\n", e.msg);
    }
    struct sigaction sa = {0}, old;
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, &old);
    if (a && audio_start(a, &o.sc, p, bpm, &kit, &pl)) {
        sigaction(SIGINT, &old, NULL);
        goto done;
    }
    if (ms && gv_midi_sched_start(ms)) {
        gv_cli_error(NULL, "MIDI: the scheduler did not take the start");
        sigaction(SIGINT, &old, NULL);
        goto done;
    }
    int w = 0;
    if (pl) {
        w = wait_player(pl, 0, 0, 1);
        gv_player_stop(pl);
    }
    int wm = ms ? gv_midi_cli_play_wait(ms, p, (int64_t)o.sc.loops * p->steps, &interrupted) : 0;
    if (ms)
        gv_midi_sched_stop(ms);
    if (pl && w == 0 && interrupted < 2)
        w = wait_player(pl, 1, TAIL_MAX_S, interrupted > 0 ? 0 : 1);
    sigaction(SIGINT, &old, NULL);
    if (w < 0)
        gv_cli_error(NULL, "audio output '%s' stalled", gv_audio_name(a));
    if (wm < 0)
        gv_cli_error(NULL, "MIDI output '%s' went away", mo->name);
    rc = w < 0 || wm < 0;
    if (stats)
        print_stats(a, pl, p, ms, mo ? mo->name : "");
done:
    gv_midi_sched_free(ms);
    gv_midi_close(mo);
    gv_audio_close(a);
    gv_player_free(pl);
    gv_kit_free(&kit);
    free(p);
    return rc;
}

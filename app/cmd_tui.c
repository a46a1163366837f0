/* cmd_tui.c - `groove [FILE] [options]`: the interactive front end.
 *
 * Start-up is ordered for a quick first screen: the input and the model (an
 * mmap) are loaded, the session restored and the first frame drawn; audio
 * (PortAudio's device probing, the kit synthesis) comes up on its own thread
 * after that, and generation runs on a worker thread. */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/devicecli.h"
#include "app/commands.h"
#include "app/opts.h"
#include "session/session.h"
#include "app/tui.h"
#include "session/core_song.h"
#include "base/xdg.h"
#include "engine/modelpath.h"
#include "engine/ops.h"
#include "base/fileio.h"
#include "patterns/presets.h"

#define DEFAULT_PRESET "rock-basic"

static const char *const USAGE =
    "[FILE] [--ascii] [--model M] [--audio-device D] [--latency MS] [--kit DIR] [--seed S] [--device D] [--fresh] "
    "[--escdelay MS] [--start-bar K] [--bars N] [--channel N] [--midi-out D] [--midi-in D] [--midi-channel N] "
    "[--clock in|out|off] [--midi-map FILE|gm] [--midi-latency MS]";

static void help(FILE *f)
{
    fprintf(f, "usage: groove %s\n"
           "The interactive piano-roll front end: tap or load a groove, generate\n"
           "suggestions side by side, audition, keep and export them.  FILE (.mid,\n"
           ".midi, .tab or a preset name) becomes the input; without it the last\n"
           "session comes back (or the '%s' preset).  Press ? inside for every key.\n\n"
           "  --ascii            ASCII glyphs instead of UTF-8 (the default when the\n"
           "                     locale is not UTF-8)\n"
           "  --model M          weights file (default: $GROOVE_MODEL, then the\n"
           "                     shipped model)\n"
           "  --audio-device D   audio output: index, name or part of 'HOST: NAME'\n"
           "                     (groove devices lists them)\n"
           "  --latency MS       suggested output latency (default 10)\n"
           "  --kit DIR          drum samples (Hydrogen drumkit or files named by voice)\n"
           "  --seed S           first generation seed (default: from the clock)\n"
           "  --device D         cpu (default), cuda or auto: where the model runs (the CPU\n"
           "                     in this version: cuda fails saying why)\n"
           "  --escdelay MS      how long the rest of a key's escape sequence may take\n"
           "                     after Esc (default $ESCDELAY, else %d)\n"
           "  --fresh            do not restore the last session; it is kept unless\n"
           "                     you choose to replace it when you quit\n"
           "  --start-bar K, --bars N, --channel N\n"
           "                     which part of FILE to take (2 bars are shown)\n"
           GV_MIDI_HELP
           "  -h, --help         this help\n\n"
           "Files: library $XDG_DATA_HOME/groove/library, keys $XDG_CONFIG_HOME/groove/keys,\n"
           "session $XDG_STATE_HOME/groove/session.json.\n",
           USAGE, DEFAULT_PRESET, TUI_ESCDELAY_DEFAULT);
}

typedef struct tui_opts {
    const char *file, *model, *device, *kit;
    int ascii, fresh, has_seed;
    int escdelay; /* ms; -1: $ESCDELAY or the default */
    int run_on;   /* --device: a gv_device, cpu by default */
    float latency;
    uint64_t seed;
    gv_load_opts lo;
    gv_midi_cli midi;
} tui_opts;

static const gv_opt tui_rows[] = {
    GV_OPT_B("ascii", tui_opts, ascii),
    GV_OPT_S("model", tui_opts, model),
    GV_OPT_S("audio-device", tui_opts, device),
    GV_OPT_F("latency", 1, 1000, tui_opts, latency),
    GV_OPT_S("kit", tui_opts, kit),
    GV_OPT_SEED_ROW(tui_opts, seed),
    GV_OPT_B("fresh", tui_opts, fresh),
    GV_OPT_I("escdelay", 0, TUI_ESCDELAY_MAX, tui_opts, escdelay),
    GV_OPT_DEVICE(tui_opts, run_on),
};
static const gv_opt_group tui_group = GV_OPT_GROUP("tui", tui_rows);

/* 0 to go on, -1 after --help, 2 after a usage error. */
static int parse(int argc, char **argv, tui_opts *o)
{
    memset(o, 0, sizeof *o);
    o->latency = 10;
    o->escdelay = -1;
    o->seed = UINT64_MAX; /* above --seed's range: not given */
    gv_load_opts_default(&o->lo);
    gv_midi_cli_default(&o->midi);
    const gv_opt_use use[] = {{&tui_group, o}, {&gv_opts_window, &o->lo}, {&gv_opts_midi, &o->midi}};
    int rc = gv_opts_parse("tui", help, use, 3, argc, argv);
    if (rc >= 0)
        return rc == 0 ? -1 : rc;
    o->has_seed = o->seed != UINT64_MAX;
    if (optind < argc)
        o->file = argv[optind++];
    if (optind < argc)
        return gv_cli_usage_error("tui", "one FILE at most (got '%s' too)", argv[optind]);
    if (gv_device_pick("tui", o->run_on) < 0)
        return 1;
    return 0;
}

/* Loads the model; only a model the user named is an error. */
static int load_model(tui *t, const tui_opts *o)
{
    char path[4096];
    gv_err e = {0};
    int ok = gv_model_open(o->model, &t->model, path, sizeof path, &e) == 0;
    if (ok && gv_op_model_ok(&t->model, 0, GV_MODEL_STEPS, &e) != 0) {
        gv_model_free(&t->model);
        ok = 0;
    }
    if (ok) {
        char stem[256];
        gv_path_stem(path, stem, sizeof stem);
        gv_core_set_model(t->c, stem, t->model.cfg.latent_dim);
        gv_core_set_model_cond(t->c, t->model.cfg.src_features == GV_COND_FEATURES);
        t->has_model = 1;
        snprintf(t->model_path, sizeof t->model_path, "%s", path);
        gv_core_song_set_model(t->c, &t->model); /* fills: read-only, beside the worker */
        return 0;
    }
    if (gv_model_named(o->model)) {
        gv_cli_error(path[0] ? path : NULL, "%s", e.msg);
        return 1;
    }
    gv_core_msg(t->c, 1, "no model (%s): generation is off", e.msg);
    return 0;
}

/* path with $HOME shown as "~", so that a message naming it fits the line. */
static const char *short_path(const char *path, char *buf, size_t n)
{
    const char *home = getenv("HOME");
    size_t h = home ? strlen(home) : 0;
    if (h > 1 && !strncmp(path, home, h) && path[h] == '/') {
        snprintf(buf, n, "~%s", path + h);
        return buf;
    }
    return path;
}

/* The saved session could not be read (why): it is moved aside before
 * anything is saved over it, and the screen and, at exit, stderr say where.
 * When it cannot be moved, this run does not save at all. */
static void session_unreadable(tui *t, const char *why)
{
    char moved[sizeof t->session_path + 64], shown[4096];
    gv_err e;
    if (gv_session_move_aside(t->session_path, moved, sizeof moved, &e) != 0) {
        gv_core_msg(t->c, 1, "%s: %s; %s, so this session will not be saved",
                    short_path(t->session_path, shown, sizeof shown), why, e.msg);
        t->session_path[0] = 0;
        return;
    }
    const char *base = strrchr(moved, '/');
    gv_core_msg(t->c, 1, "moved the unreadable session to %s (%s)", base ? base + 1 : moved, why);
    snprintf(t->exit_note, sizeof t->exit_note, "%s: %s; moved to %s", t->session_path, why, moved);
}

/* Keys, session and the input (file: FILE, already read), before the
 * screen starts. */
/* FILE as a take (session/core_take.h): its window moves through it, from
 * --start-bar or its first full bar with a backbeat.  0 when it is no file
 * (a preset) or cannot be read so: the pattern read already is the input. */
static int open_take(gv_core *c, const tui_opts *o)
{
    char arg[GV_CORE_PATH + 32], first[sizeof c->msg];
    if (gv_pattern_format(o->file) == GV_FMT_UNKNOWN)
        return 0;
    if (o->lo.start_bar >= 0)
        snprintf(arg, sizeof arg, "%.*s --start-bar %d", GV_CORE_PATH - 1, o->file, o->lo.start_bar + 1);
    else
        snprintf(arg, sizeof arg, "%.*s", GV_CORE_PATH - 1, o->file);
    snprintf(first, sizeof first, "%s", c->msg); /* a key map or session problem stays in front */
    int err = c->msg_err;
    gv_err e;
    if (gv_core_open(c, arg, &e) != 0)
        return 0;
    if (first[0]) {
        char now[sizeof c->msg];
        snprintf(now, sizeof now, "%s", c->msg);
        gv_core_msg(c, err || c->msg_err, "%.120s; %.120s", first, now);
    }
    return 1;
}

static int setup_core(tui *t, const tui_opts *o, const gv_pattern *file)
{
    gv_core *c = t->c;
    gv_err e;
    char path[4096], shown[4096];
    if (gv_xdg_path(GV_XDG_CONFIG, "keys", path, sizeof path, &e) == 0 && gv_core_load_keys(c, path, &e) != 0)
        gv_core_msg(c, 1, "%s: %s (ignored)", short_path(path, shown, sizeof shown), e.msg);
    int restored = 0;
    long holder;
    if (gv_session_path(t->session_path, sizeof t->session_path, &e) != 0) {
        t->session_path[0] = 0;
    } else if (gv_session_lock_take(&t->lock, t->session_path, &holder, &e) == 1) {
        /* another instance owns it: this one neither restores nor saves */
        if (holder)
            gv_core_msg(c, 1, "session in use by PID %ld: this one will not be saved", holder);
        else
            gv_core_msg(c, 1, "session in use by another groove: this one will not be saved");
        t->session_path[0] = 0;
    }
    /* a lock that cannot be taken at all (an unwritable directory): the
     * session is saved as before, and a failing save says why */
    if (t->session_path[0] && o->fresh) {
        gv_core_guard_session(c, access(t->session_path, F_OK) == 0); /* asked before it is replaced */
    } else if (t->session_path[0]) {
        int r = gv_session_load(c, t->session_path, &e);
        if (r < 0)
            session_unreadable(t, e.msg);
        restored = r == 0;
    }
    if (o->has_seed)
        gv_core_set_seed(c, o->seed);
    gv_load_opts window = o->lo;
    window.start_bar = -1; /* --start-bar is for FILE; --bars and --channel for every open */
    gv_core_set_window(c, &window);
    if (file && open_take(c, o))
        return 0;
    if (file) {
        gv_core_set_input(c, file, o->file);
        const char *base = strrchr(o->file, '/');
        char first[sizeof c->msg];
        snprintf(first, sizeof first, "%s", c->msg); /* a key map or session problem stays in front */
        gv_core_msg(c, c->msg_err, "%s%sopened %s: %d hits, %.0f BPM%s", first, first[0] ? "; " : "",
                    base ? base + 1 : o->file, gv_pattern_count(&c->input), c->set.bpm,
                    file->steps > GV_MODEL_STEPS ? " (its first 2 bars)" : "");
        return 0;
    }
    if (!restored) {
        gv_pattern p;
        if (gv_preset_load(DEFAULT_PRESET, &p, &e) == 0) {
            gv_core_set_input(c, &p, "preset " DEFAULT_PRESET);
            gv_core_forget_undo(c); /* nothing before it to go back to */
        }
        if (!c->msg[0] && c->session_guard)
            gv_core_msg(c, 0, "fresh start: the saved session stays unless you replace it when you quit");
        else if (!c->msg[0])
            gv_core_msg(c, 0, "welcome: g generates from the groove, space plays, ? lists every key");
    } else if (!c->msg[0]) {
        gv_core_msg(c, 0, "session restored: %d suggestion%s", c->nsugg, c->nsugg == 1 ? "" : "s");
    }
    return 0;
}

/* MIDI as the options ask: a port that is missing is said once on the
 * message line (over the start-up message); the TUI runs without it. */
static void tui_midi_start(tui *t, const gv_midi_cli *o)
{
    gv_core *c = t->c;
    t->midi_opts = *o;
    gv_core_set_midi(c, o->out, o->in, o->clock);
    gv_midi_link_apply(&t->midi, &t->midi_opts, c, 0);
    t->midi_serial = c->midi_serial;
}

int cmd_tui(int argc, char **argv)
{
    tui_opts o;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    setlocale(LC_ALL, "");
    tui *t = calloc(1, sizeof *t);
    char libdir[4096];
    gv_err e;
    if (!t || !(t->c = gv_core_new(gv_library_dir(libdir, sizeof libdir, &e) == 0 ? libdir : NULL))) {
        gv_cli_error(NULL, "out of memory");
        free(t);
        return 1;
    }
    t->lock.fd = -1;
    const char *clock_file = getenv("GROOVE_CLOCK_FILE"); /* scripted tests: see tui_now */
    t->clock_file = clock_file && *clock_file ? clock_file : NULL;
    t->ascii = o.ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
    gv_pattern *file = NULL;
    rc = load_model(t, &o);
    if (rc == 0 && o.file && !(file = malloc(sizeof *file)))
        rc = 1;
    if (rc == 0 && file)
        rc = gv_cli_load(o.file, &o.lo, file);
    /* Errors in the arguments first; then, before anything is read or
     * written in the session, a terminal on both ends: without one the
     * screen would go to a file and the loop would spin on a closed input. */
    if (rc == 0 && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
        gv_cli_error(NULL, "the TUI needs a terminal (stdin and stdout); see groove --help for the commands");
        rc = 1;
    }
    if (rc == 0)
        rc = setup_core(t, &o, file);
    if (t->c->session_guard)
        gv_core_mark_clean(t->c); /* the start-up input is no change of the user's to ask about */
    free(file);
    if (rc == 0) {
        tui_audio *au = &t->au;
        au->latency_ms = o.latency;
        if ((au->has_device = o.device != NULL))
            snprintf(au->device, sizeof au->device, "%s", o.device);
        /* --kit plays (and is listed in the picker); without it the
         * session's kit, if it has one */
        gv_core *c = t->c;
        if (o.kit) {
            gv_core_set_kit_arg(c, o.kit);
            snprintf(c->kit_dir, sizeof c->kit_dir, "%s", o.kit);
        }
        if ((au->has_kit = c->kit_dir[0] != 0))
            snprintf(au->kit_dir, sizeof au->kit_dir, "%s", c->kit_dir);
        au->kit_serial = c->kit_serial;
        if (tui_worker_start(&t->w, t->has_model ? &t->model : NULL, &e) != 0)
            gv_core_msg(t->c, 1, "generation: %s", e.msg);
        tui_midi_start(t, &o.midi);
        tui_term_start(t, o.escdelay);
        rc = tui_run(t);
        tui_term_stop();
        gv_midi_link_close(&t->midi);
        /* joined before anything is said: while the audio thread probes the
         * devices, fd 2 points to /dev/null (audio.c keeps ALSA quiet) */
        tui_audio_stop(au);
        tui_worker_stop(&t->w);
        if (t->exit_note[0]) /* the screen is gone: a record of what the status line said */
            gv_cli_error(NULL, "%s", t->exit_note);
        if (rc != 0)
            gv_cli_error(t->session_path, "%s", t->quit_err);
    }
    gv_session_unlock(&t->lock); /* after the last save */
    if (t->has_model)
        gv_model_free(&t->model);
    gv_core_free(t->c);
    free(t);
    return rc;
}

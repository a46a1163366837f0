/* core.h - the TUI's session: state and actions, with no terminal.
 *
 * The TUI is a thin layer over this: it turns terminal input into
 * gv_core_key / gv_core_click calls, draws what the state says, and carries
 * out the requests the state holds for the outside world:
 *   - generation: gv_core_take_job hands out the pending job (the TUI runs it
 *     off the UI thread with gv_job_run) and gv_core_finish_job installs the
 *     result (stale results are dropped);
 *   - playback: `playing`, `play` (a copy of what should sound) and
 *     `play_serial` (bumped on every change; `play_next_bar` says when the
 *     change should take effect);
 *   - quitting: `quit` is set once the user has confirmed;
 *   - the session file: saved unless `session_guard` or `session_keep` is set
 *     (see below).
 * Tests drive the same functions; time comes in as `now` (seconds on a
 * monotonic clock) wherever it matters (tapping).
 *
 * How the input is told to the model (issue 20) is in the settings: its
 * lanes (a tap sets them from the rows it used), the locked voices that every
 * suggestion keeps exactly, and a cap and a density factor per voice.
 *
 * The input is always a GV_MODEL_STEPS-step (2-bar) pattern.  Rows on screen
 * run cymbals to kick (drum-tab order): gv_core_row_voice maps them. */
#ifndef GV_CORE_H
#define GV_CORE_H

#include <stdint.h>

#include "session/keymap.h"
#include "session/library.h"
#include "session/tap.h"
#include "engine/generate.h"
#include "patterns/load.h"
#include "patterns/pattern.h"

#define GV_CORE_MAX_N 8
#define GV_CORE_UNDO 64
#define GV_CORE_PATH 1024
#define GV_CORE_MIDI_DEVS 32
#define GV_CORE_MIDI_NAME 160

enum gv_mode { GV_MODE_NORMAL, GV_MODE_HELP, GV_MODE_TAP, GV_MODE_LIBRARY, GV_MODE_PROMPT, GV_MODE_CONFIRM,
               GV_MODE_MIDI };
enum gv_prompt_kind { GV_PROMPT_EXPORT, GV_PROMPT_OPEN };
enum gv_confirm_kind { GV_CONFIRM_QUIT, GV_CONFIRM_DELETE, GV_CONFIRM_OVERWRITE, GV_CONFIRM_REPLACE_SESSION,
                       GV_CONFIRM_EMPTY_EXPORT, GV_CONFIRM_EMPTY_KEEP /* the selection has no hits */ };
enum gv_play_src { GV_PLAY_INPUT = -1, GV_PLAY_PREVIEW = -2 }; /* or 0..7: a suggestion */
/* GENERATE drums the input; SAMPLE draws from the prior (the input is
 * empty: generating from nothing, as `groove sample`); HUMANIZE plays the
 * input's hits with a drummer's velocity and timing (its result replaces the
 * input, not the suggestions). */
enum gv_job_kind { GV_JOB_GENERATE, GV_JOB_VARY, GV_JOB_INTERPOLATE, GV_JOB_SAMPLE, GV_JOB_HUMANIZE };

/* Ranges and steps of the settings. */
#define GV_BPM_MIN 40
#define GV_BPM_MAX 240
#define GV_TEMP_MAX 2.0f
#define GV_TEMP_STEP 0.1f
#define GV_DENS_MIN 0.2f
#define GV_DENS_MAX 3.0f
#define GV_DENS_STEP 0.1f
#define GV_SWING_PCT_MAX 70 /* MPC percent; 50 straight, steps of 4 */
#define GV_VEL_STEP 0.1f
#define GV_NUDGE_STEP 0.05f
#define GV_EDIT_VEL 0.7f
#define GV_VDENS_MAX 3.0f /* a voice's density: a factor on the density, 0..3 */
#define GV_VDENS_STEP 0.25f
#define GV_CAP_STEPS 9 /* a voice's cap steps through 0 1 2 3 4 6 8 12 16, then none */

/* The feels the feel key steps through (engine/feel.h): the groove's timing
 * and dynamics where it has some (auto), both the groove's, the groove's
 * timing with the model's dynamics, both the model's. */
enum gv_feel_preset { GV_FEEL_P_AUTO, GV_FEEL_P_GROOVE, GV_FEEL_P_TIMING, GV_FEEL_P_MODEL, GV_FEEL_PRESETS };

typedef struct gv_settings {
    float bpm;
    float swing;       /* 0..1, as the sequencer takes it (MPC % = 50 + 25 swing) */
    float temperature; /* latent noise, 0..2 */
    float density;     /* hit threshold exponent (generate.h) */
    int feel;          /* gv_feel_preset: the player's feel on generated drums */
    int n;             /* suggestions, 1..8 */
    int click;         /* metronome on */
    /* issue 20: how the input is told to the model, per voice */
    int lanes;               /* 1..3: the input's drums reduced to this many lanes (patterns/lanes.h) */
    unsigned lock;           /* voices kept from the input in every suggestion (bit v: voice v) */
    int cap[GV_VOICES];      /* most hits per 2 bars; -1: no cap */
    float vdens[GV_VOICES];  /* a factor on density, per voice (1: as density says) */
} gv_settings;

typedef struct gv_sugg {
    gv_pattern pat;
    gv_lib_meta meta; /* where it came from: groove, z, seed, temperature ... */
    int kept, exported;
    char kept_name[GV_LIB_NAME];
} gv_sugg;

/* A MIDI port as the device list shows it. */
typedef struct gv_core_mdev {
    char name[GV_CORE_MIDI_NAME];
    int input; /* 1 input, 0 output */
} gv_core_mdev;

typedef struct gv_job {
    unsigned id;
    int kind, n;
    gv_gen_opts opts;
    float bpm;
    /* GENERATE: a is the input.  VARY: a is the source (ma its metadata and
     * latent; the source is suggestion 1 of the result, src_* its flags).
     * INTERPOLATE: a -> b.  A latent of the wrong size is encoded afresh. */
    gv_pattern a, b;
    gv_lib_meta ma, mb;
    /* VARY, INTERPOLATE: the locked voices (lock) of the input (locked) go
     * back into every result, as generating keeps them (opts.cond.keep). */
    unsigned lock;
    gv_pattern locked;
    int src_kept, src_exported;
    char src_name[GV_LIB_NAME];
    char model[256];
} gv_job;

typedef struct gv_job_result {
    unsigned id;
    int rc; /* 0 ok, -1: err holds what is wrong */
    char err[256];
    int n;
    gv_sugg s[GV_CORE_MAX_N];
} gv_job_result;

typedef struct gv_core {
    gv_keymap keys;
    gv_settings set;
    gv_pattern input;
    char input_src[GV_CORE_PATH]; /* "file x.mid", "tap", "preset rock" ... */
    int cur_step, cur_row, edit_mode;

    gv_sugg sugg[GV_CORE_MAX_N];
    int nsugg, sel;

    int mode, prompt_kind, confirm_kind, help_page;
    char prompt[GV_CORE_PATH];
    char prompt_hint[512]; /* completion candidates */
    char pending_path[GV_CORE_PATH];

    /* playback request */
    int playing, play_src, play_next_bar;
    unsigned play_serial;
    gv_pattern play;

    /* undo / redo of the input */
    gv_pattern *undo, *redo;
    int nundo, nredo;
    int last_edit, last_edit_cell; /* coalesces repeated +/-/</> on one cell */

    /* generation */
    gv_job job;
    int job_pending, busy;
    unsigned job_id;
    uint64_t next_seed;
    char model_name[256]; /* "" when there is no model */
    int zdim;             /* latent floats per suggestion; 0: no model */
    int model_cond;       /* the model takes lanes, kept voices and humanize (engine/cond.h) */

    gv_tap tap;
    int tap_beat;

    /* the window files open with (gv_core_open); the TUI takes --bars and
     * --channel from its command line */
    gv_load_opts window;

    /* library browser */
    char libdir[GV_CORE_PATH];
    gv_lib_entry *lib;
    int nlib, lib_sel, lib_pick; /* lib_pick: 1 choosing an interpolation end */
    char lib_a[GV_LIB_NAME];
    gv_pattern lib_pat;
    gv_lib_meta lib_meta;
    int lib_loaded; /* lib_pat/lib_meta hold entry lib_sel */

    /* MIDI: the ports and clock mode asked for (names or specs, "" none;
     * clock GV_MIDI_CLOCK_* of midi_thread.h, one mode so never in and out
     * together).  midi_serial moves on every change: the TUI then reopens
     * MIDI.  midi_scan asks the TUI for the device list (the MIDI mode). */
    char midi_out[GV_CORE_MIDI_NAME], midi_in[GV_CORE_MIDI_NAME];
    int midi_clock;
    unsigned midi_serial;
    int midi_scan;
    gv_core_mdev mdev[GV_CORE_MIDI_DEVS];
    int nmdev, mdev_sel;

    char msg[256];
    int msg_err;
    unsigned msg_serial;
    int msg_empty_input; /* msg says the input is empty: it goes with the first hit */
    int export_count;
    int quit;
    int session_dirty;
    /* A session is saved that this run did not restore (--fresh): it is
     * not replaced without asking.  While set, nothing may be saved; quitting
     * after changes asks, and yes clears it, no sets session_keep. */
    int session_guard;
    int session_keep; /* the saved session stays: do not save at quit */
} gv_core;

extern const int gv_core_row_voice[GV_VOICES];

/* A core with default settings, an empty input and the default keys; NULL
 * when out of memory.  libdir: the library directory (gv_library_dir). */
gv_core *gv_core_new(const char *libdir);
void gv_core_free(gv_core *c);

/* The model the jobs will use: its display name and latent size (0: none). */
void gv_core_set_model(gv_core *c, const char *name, int zdim);

/* Whether the model takes lanes, kept voices and humanize (a conditioned
 * model, src_features GV_COND_FEATURES); without, generating reads the input
 * as 1 lane (locks and humanize are refused, with the engine's reason). */
void gv_core_set_model_cond(gv_core *c, int cond);

/* The lane count generating uses: the setting, or 1 with a model that takes
 * the groove alone. */
int gv_core_lanes(const gv_core *c);

/* The lanes a tapped take is told in: 1 when its hits are all in one lane of
 * the 3-lane table (one keyboard row, or pads of one lane), else 3 (a lane
 * no hit used is told empty).  0 for no hits. */
int gv_core_tap_lanes(const gv_pattern *p);

/* How much humanizing changed a pattern: the mean |velocity change| (0..1)
 * and |offset change| (steps) over the hits of a that b also has.  Returns
 * the number of such hits (0: both means 0). */
int gv_core_feel_change(const gv_pattern *a, const gv_pattern *b, float *dvel, float *doff);

/* Replaces the input (undoable); the tempo follows p's when it has one. */
void gv_core_set_input(gv_core *c, const gv_pattern *p, const char *src);

/* One key from the terminal (ncurses code), routed by mode. */
void gv_core_key(gv_core *c, int key, double now);
/* One action of the normal mode (what a key maps to). */
void gv_core_action(gv_core *c, gv_action a, double now);
/* A click on input cell (step, row) toggles it; on a suggestion selects it. */
void gv_core_click_cell(gv_core *c, int step, int row);
void gv_core_select(gv_core *c, int k);
/* Ctrl-C: the quit key, from whatever mode (a tap, a prompt, the library
 * are left first).  A second one while the quit question is open quits; a
 * saved session waiting for the replace answer is then kept. */
void gv_core_interrupt(gv_core *c);
/* Advances time-driven state (the tap recording) to now. */
void gv_core_tick(gv_core *c, double now);

/* Messages for the status line. */
void gv_core_msg(gv_core *c, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The pending generation job (marked busy), or NULL. */
const gv_job *gv_core_take_job(gv_core *c);
void gv_core_finish_job(gv_core *c, const gv_job_result *r);
/* Runs a job on the model (any thread; ws sized for GV_CORE_MAX_N). */
int gv_job_run(const gv_model *m, gv_gen_ws *ws, const gv_job *j, gv_job_result *r);

/* Loads as the input, through gv_pattern_load with c->window (by default 2
 * bars from the first bar with notes): a .mid/.midi file, a .tab, a preset
 * name, or "gmd/..." / "presets/..." from the data directory; "~/" is $HOME. */
int gv_core_open(gv_core *c, const char *path, gv_err *e);
/* Writes suggestion k to path (.mid or .tab by extension). */
int gv_core_export(gv_core *c, int k, const char *path, gv_err *e);
/* Keeps suggestion k in the library (an empty one too: the keep and export
 * keys ask first, GV_CONFIRM_EMPTY_*). */
int gv_core_keep(gv_core *c, int k, gv_err *e);
/* Rereads the library list (and the selected entry). */
void gv_core_library_refresh(gv_core *c);

/* Completes the path in buf (size n) in place: the longest common prefix of
 * the matching files (.mid/.midi/.tab), directories and presets; hint gets
 * the candidates when there are several.  Returns the number of matches. */
int gv_complete_path(char *buf, size_t n, char *hint, size_t hn);

/* The MIDI device list the TUI found after midi_scan (n 0: why says why
 * there is none, and the list closes). */
void gv_core_midi_devices(gv_core *c, const gv_core_mdev *d, int n, const char *why);

/* A feel preset as the engine takes it, and its name ("auto", "groove",
 * "timing", "model": the status line and the session file); out-of-range
 * presets read as auto. */
gv_feel gv_core_feel(int preset);
const char *gv_core_feel_name(int preset);

/* Any suggestion neither kept nor exported? */
int gv_core_unsaved(const gv_core *c);

/* May the session be saved now (no saved session waits for an answer)? */
int gv_core_may_save(const gv_core *c);

#endif

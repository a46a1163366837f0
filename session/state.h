/* state.h - the session's state and the changes every part of it shares.
 *
 * The session (core.h) is this struct, changed only through functions, so
 * that the things that must follow a change do: an edit of the input marks
 * the session dirty, records undo, clears a message that no longer holds
 * and re-sends the input when it is playing; a tempo change goes to the
 * pattern that plays; a message bumps msg_serial so the screen redraws.
 *
 * This is the lowest layer of the session: the actions (actions.c), the file
 * work (core_io.c), the jobs (core_job.c), MIDI (core_midi.c), persistence
 * (session.c) and the key routing (core.c) call it; it calls none of them.
 * Front ends read the struct freely (on the UI thread) and write it only
 * through the functions here and in core.h.
 *
 * The input is set.bars bars long (1, 2, 4 or 8: gv_core_steps steps); a
 * pattern of another length is cut, or repeated to fill a longer one.  Rows on screen
 * run cymbals to kick (drum-tab order): gv_core_row_voice maps them. */
#ifndef GV_STATE_H
#define GV_STATE_H

#include <stdint.h>
#include <string.h>

#include "session/jam.h"
#include "session/jam_take.h"
#include "session/keymap.h"
#include "session/kits.h"
#include "session/library.h"
#include "session/song.h"
#include "session/tap.h"
#include "session/taptempo.h"
#include "session/vmix.h"
#include "engine/generate.h"
#include "patterns/load.h"
#include "patterns/pattern.h"

#define GV_CORE_MAX_N 8
#define GV_CORE_UNDO 64
#define GV_CORE_PATH 1024
#define GV_CORE_MIDI_DEVS 32
#define GV_CORE_MIDI_NAME 160
#define GV_CORE_MAX_BARS 8 /* the longest input: 1, 2, 4 or 8 bars */

enum gv_mode { GV_MODE_NORMAL, GV_MODE_HELP, GV_MODE_TAP, GV_MODE_LIBRARY, GV_MODE_PROMPT, GV_MODE_CONFIRM,
               GV_MODE_MIDI, GV_MODE_KITS, GV_MODE_SONG };
/* SONG_*: the song view's (core_song.h); BPM: a tempo typed in */
enum gv_prompt_kind { GV_PROMPT_EXPORT, GV_PROMPT_OPEN, GV_PROMPT_SONG_EXPORT, GV_PROMPT_SONG_SAVE,
                      GV_PROMPT_SONG_OPEN, GV_PROMPT_BPM, GV_PROMPT_RENAME /* a library entry (r there) */ };
enum gv_confirm_kind { GV_CONFIRM_QUIT, GV_CONFIRM_DELETE, GV_CONFIRM_OVERWRITE, GV_CONFIRM_REPLACE_SESSION,
                       GV_CONFIRM_EMPTY_EXPORT, GV_CONFIRM_EMPTY_KEEP /* the selection has no hits */,
                       GV_CONFIRM_SONG_OVERWRITE /* the song's export file exists */ };
/* or 0..7: a suggestion.  SONG: the song view's audition (core_song.h) */
enum gv_play_src { GV_PLAY_INPUT = -1, GV_PLAY_PREVIEW = -2, GV_PLAY_JAM = -3, GV_PLAY_SONG = -4 };
/* GENERATE drums the input; SAMPLE draws from the prior (the input is
 * empty: generating from nothing, as `groove sample`); HUMANIZE plays the
 * input's hits with a drummer's velocity and timing (its result replaces the
 * input, not the suggestions). */
enum gv_job_kind { GV_JOB_GENERATE, GV_JOB_VARY, GV_JOB_INTERPOLATE, GV_JOB_SAMPLE, GV_JOB_HUMANIZE,
                   GV_JOB_JAM /* a jam's regeneration (core_jam.h): one pattern, the latent carried */ };

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

#define GV_FOLLOW_STEP 0.1f

/* The jam's own controls (issue 21; temperature, density and the caps are
 * the settings' own).  every: gv_jam_every; follow 0..1 (jam.h); hold: the
 * drums stay while the taps still record; feel 1: the drums take the
 * player's timing and dynamics (feel auto), 0: the model's; mute: voices
 * the jam's drums leave out (bit v). */
typedef struct gv_jam_prefs {
    int every;
    float follow;
    int hold, feel;
    unsigned mute;
} gv_jam_prefs;

typedef struct gv_settings {
    float bpm;
    float swing;       /* 0..1, as the sequencer takes it (MPC % = 50 + 25 swing) */
    float temperature; /* latent noise, 0..2 */
    float density;     /* hit threshold exponent (generate.h) */
    int feel;          /* gv_feel_preset: the player's feel on generated drums */
    int n;             /* suggestions, 1..8 */
    int click;         /* metronome on */
    int bars;          /* the input's length: 1, 2, 4 or 8 bars */
    /* issue 20: how the input is told to the model, per voice */
    int lanes;               /* 1..3: the input's drums reduced to this many lanes (patterns/lanes.h) */
    unsigned lock;           /* voices kept from the input in every suggestion (bit v: voice v) */
    int cap[GV_VOICES];      /* most hits per 2 bars; -1: no cap */
    float vdens[GV_VOICES];  /* a factor on density, per voice (1: as density says) */
    gv_jam_prefs jam;
    /* issue 22: the mixer (vmix.h), heard in audition and MIDI out; export
     * writes it into the velocities only with export_heard set */
    gv_vmix mix;
    int export_heard;
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
    /* JAM: the request (its groove, seed, lanes, swap step), the follow and
     * the drums' latent before it (the result carries it on) */
    gv_jam_req jreq;
    float jfollow;
    gv_jam_latent jlat;
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
    gv_jam_latent jlat; /* JAM: the latent after it; the drums are s[0].pat */
} gv_job_result;

/* The live jam (core_jam.h).  Its timeline is steps from the downbeat it
 * started on: the front end says where it is (gv_core_jam_anchor, then
 * gv_core_jam_clock readings); taps are put on it at their clock times. */
typedef struct gv_core_jam {
    int on;
    unsigned serial;        /* moves at each start and end: the front end restarts its transport */
    gv_jam j;
    gv_jam_take take;
    gv_jam_latent lat;      /* the drums' latent, carried through the jobs */
    gv_jam_req req;         /* scratch for gv_jam_due */
    gv_pattern raw;         /* the drums playing or queued last, as made */
    gv_pattern cur;         /* the same with the mutes applied: what sounds */
    int64_t cur_at;         /* the step it takes (took) over at */
    uint64_t cur_seed;      /* its seed (0: not made in this jam) */
    float cur_groove[GV_MODEL_STEPS * 3]; /* the groove it was made from */
    gv_pattern next;        /* a generated pattern waiting to be queued (ready) */
    int ready;
    int64_t next_swap, next_index;
    uint64_t next_seed;
    float next_groove[GV_MODEL_STEPS * 3];
    double t0;              /* clock time at which step 0 is heard */
    int have_clk;           /* a reading: at clock time clk_t the timeline was at clk_pos */
    double clk_t, clk_pos;
    double lead;            /* steps the transport renders ahead of what is heard */
    int regens, late;       /* patterns that took over; of them, later than asked */
    double now_seen;        /* the latest clock time the jam was told (ending it on Ctrl-C) */
    char path[GV_CORE_PATH]; /* the last export ("" none) */
} gv_core_jam;

/* A batch of suggestions as it came (core_hist.h): the job that made it
 * holds its seed and settings, so it can be made again. */
#define GV_CORE_HISTORY 32
typedef struct gv_batch {
    int n;
    gv_sugg s[GV_CORE_MAX_N];
    gv_job job;
} gv_batch;

/* The file the input is a window of (core_take.h).  on 0: none (a preset,
 * a tap, the library).  bars: the file's bars from bar 0; bar: where the
 * window starts (0-based); hits per bar (the mini-map) and which bars have a
 * backbeat, up to GV_TAKE_MAX_BARS bars (a longer file is cut there). */
#define GV_TAKE_MAX_BARS 2048
#define GV_TAKE_DOWNBEAT 1 /* backbeat[b]: a hit on the bar's step 0 */
#define GV_TAKE_BACKBEAT 2 /* a snare or clap on (a 16th from) beat 2 or 4 */
typedef struct gv_core_take {
    int on;
    char path[GV_CORE_PATH]; /* the file read (resolved) */
    char name[GV_CORE_PATH]; /* as the user named it */
    int channel;
    int bars, bar;
    uint16_t hits[GV_TAKE_MAX_BARS];
    uint8_t backbeat[GV_TAKE_MAX_BARS];
} gv_core_take;

/* The song view (core_song.h): the song being built, the section selected,
 * and its audition: the arrangement made when it starts (parts, each
 * section's first step, total steps), played from step `from` to the end
 * and round again, in chunks of at most GV_MAX_STEPS steps (the player's
 * longest pattern): `chunk` holds the first; serial moves at each start. */
typedef struct gv_core_song {
    gv_song song;
    int sel, dirty;
    const gv_model *model; /* for generated fills; NULL: none */
    uint64_t fill_seed;
    gv_pattern *parts;
    int nparts;
    long *starts;
    long total, from;
    gv_pattern chunk;
    unsigned serial;
} gv_core_song;

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
    char confirm_note[256]; /* said with the question ("songs use it: verse, chorus"), "" none */

    /* playback request (play_beat: the switch waits for the beat instead) */
    int playing, play_src, play_next_bar, play_beat;
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
    int model_request;    /* the user asked for the next model (O): the front end loads it (gv_core_set_model)
                           * and clears this; never while a job is out or a jam runs */

    gv_tap tap;
    int tap_beat;

    gv_core_jam jam;
    char jam_dir[GV_CORE_PATH]; /* where jams export ("" the working directory) */

    /* the window files open with (gv_core_open); the TUI takes --bars and
     * --channel from its command line */
    gv_load_opts window;
    gv_core_take take;
    gv_core_song songv;
    gv_tap_tempo tapt; /* the tap-tempo key's taps */
    int help_back;     /* the mode the help returns to */

    /* the batches of suggestions, a ring of GV_CORE_HISTORY (core_hist.h):
     * hist[(hist_head + i) % GV_CORE_HISTORY], i 0 (oldest) .. nhist-1;
     * hist_pos: the one shown (-1 none) */
    gv_batch *hist;
    int nhist, hist_head, hist_pos;

    /* library browser */
    char libdir[GV_CORE_PATH];
    gv_lib_entry *lib;
    int nlib, lib_sel, lib_pick; /* lib_pick: 1 choosing an interpolation end */
    char lib_a[GV_LIB_NAME];
    gv_pattern lib_pat;
    gv_lib_meta lib_meta;
    int lib_loaded; /* lib_pat/lib_meta hold entry lib_sel */
    char rename_from[GV_LIB_NAME]; /* the entry the rename prompt renames */

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

    /* the kit (issue 22): the one asked for (kit_dir, "" the built-in
     * kit; kit_serial moves when it changes: the front end loads it and
     * answers with gv_core_kit_loaded), the --kit folder, and the picker's
     * list (GV_MODE_KITS) */
    char kit_dir[GV_CORE_PATH], kit_arg[GV_CORE_PATH];
    unsigned kit_serial;
    gv_kit_choice *kits;
    int nkits, kit_sel;

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

/* The input's steps (set.bars bars). */
int gv_core_steps(const gv_core *c);
/* The input's length to bars (1, 2, 4 or 8; anything else is 2): the input
 * is cut or repeated to it (undoable). */
void gv_core_set_bars(gv_core *c, int bars);

/* The keys of a picker list (the MIDI ports, the kits): up / k and down / j
 * move *sel among n rows (wrapping), Home and End to the ends; returns 1
 * for a key that picks the row (Enter, space: when *sel < n), 0 for one of
 * those moves, -1 for any other key (the caller's). */
int gv_core_list_key(int key, int n, int *sel);

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

/* Messages for the status line (msg_serial moves). */
void gv_core_msg(gv_core *c, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Replaces the input (undoable); the tempo follows p's when it has one. */
void gv_core_set_input(gv_core *c, const gv_pattern *p, const char *src);
/* Forgets the undo history (the start-up input has nothing before it). */
void gv_core_forget_undo(gv_core *c);

/* Selects suggestion k (a message when there is none). */
void gv_core_select(gv_core *c, int k);

/* The tempo (clamped to GV_BPM_MIN..MAX, 0.01 steps); the pattern that
 * plays follows at once, the session is dirty. */
void gv_core_set_tempo(gv_core *c, float bpm);

/* The first generation seed (--seed). */
void gv_core_set_seed(gv_core *c, uint64_t seed);
/* The window files open with (gv_core_open). */
void gv_core_set_window(gv_core *c, const gv_load_opts *window);

/* Tap mode: the clock time of the count-in's "one" as it is heard (the
 * audio output's latency after the count-in started), and a hit recorded
 * from elsewhere than the keyboard (a MIDI pad).  gv_core_tap_hit returns
 * what gv_tap_hit does. */
void gv_core_tap_anchor(gv_core *c, double t0);
int gv_core_tap_hit(gv_core *c, double now, int voice, float vel);

/* The MIDI ports and clock mode (names or specs, "" none): as asked at
 * start-up, or the names of what did open.  midi_serial does not move: the
 * caller opens them itself. */
void gv_core_set_midi(gv_core *c, const char *out, const char *in, int clock);

/* The help view has `pages` pages: the page shown, kept within them. */
int gv_core_help_page(gv_core *c, int pages);

/* The session file: guard says a saved session this run did not restore is
 * waiting (--fresh: see session_guard); clean marks the state as saved or
 * as nothing the user changed. */
void gv_core_guard_session(gv_core *c, int guard);
void gv_core_mark_clean(gv_core *c);

/* A feel preset as the engine takes it, its name ("auto", "groove",
 * "timing", "model": the status line and the session file) and the message
 * choosing it says; out-of-range presets read as auto. */
gv_feel gv_core_feel(int preset);
const char *gv_core_feel_name(int preset);
const char *gv_core_feel_msg(int preset);

/* Any suggestion neither kept nor exported? */
int gv_core_unsaved(const gv_core *c);

/* May the session be saved now (no saved session waits for an answer)? */
int gv_core_may_save(const gv_core *c);

/* ---- for the session's own files ---- */

/* Copies src into dst (n bytes), cut to fit. */
static inline void gv_copy(char *dst, size_t n, const char *src)
{
    size_t l = strlen(src);
    if (l >= n)
        l = n - 1;
    memcpy(dst, src, l);
    dst[l] = 0;
}

/* v + d rounded to 0.01 (so that 0.1 steps do not drift), within lo..hi. */
float gv_core_stepf(float v, float d, float lo, float hi);

/* Records the input before an edit; kind >= 0 coalesces repeats of one edit
 * on one cell into a single undo step.  gv_core_input_changed follows every
 * change of the input. */
void gv_core_push_undo(gv_core *c, int kind);
void gv_core_input_changed(gv_core *c);
/* Undo (redo 0) or redo the last change of the input. */
void gv_core_undo(gv_core *c, int redo);

/* Recopies the playing pattern (next_bar: the switch waits for the bar). */
void gv_core_play_refresh(gv_core *c, int next_bar);
/* Starts playing src (GV_PLAY_INPUT, GV_PLAY_PREVIEW or a suggestion). */
void gv_core_audition(gv_core *c, int src);
/* Play / stop. */
void gv_core_play_toggle(gv_core *c);
/* What should sound: `play` through the mixer (set.mix).  Front ends queue
 * this, not `play`, whenever play_serial moves; a mixer change moves it. */
void gv_core_heard(const gv_core *c, gv_pattern *out);
/* After a change of set.mix: the session is dirty and what plays follows
 * at once. */
void gv_core_mix_changed(gv_core *c);

/* The quit request once nothing unkept is left to ask about: asks whether
 * to replace a saved session this run did not restore, else quits. */
void gv_core_quit_or_ask(gv_core *c);

#endif

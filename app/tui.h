/* tui.h - the ncurses front end over the session (session/core.h, whose
 * opening comment is the protocol this side keeps): the terminal and its keys
 * (tui_term.c), drawing (tui_draw.c), the generation worker thread
 * (tui_worker.c), audio (tui_audio.c), MIDI (midilink.h) and the event loop
 * (tui_loop.c).  Only the UI thread touches ncurses and the session, and it
 * changes the session only through the session's functions. */
#ifndef GV_TUI_H
#define GV_TUI_H

#include <pthread.h>
#include <stdatomic.h>

#include "session/core.h"
#include "app/midicli.h"
#include "session/session.h"
#include "app/midilink.h"
#include "engine/model.h"
#include "synth/audio.h"
#include "synth/kit.h"
#include "synth/player.h"

/* The generation worker: one job at a time (has_job: `job` waits for the
 * thread; running: it is being run), its result handed back in `result`
 * with has_result set, under `mu`; wake_fd[1] is written when a result is
 * ready, so the event loop wakes at once. */
typedef struct tui_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started, stop, has_job, running, has_result;
    gv_job job;
    gv_job_result result;
    const gv_model *model;
    gv_gen_ws *ws;
    int wake_fd[2];
} tui_worker;

/* Audio comes up on its own thread after the first frame (PortAudio's device
 * probing can take a while); `ready` flips once the player runs.  From then
 * on only the UI thread calls the player. */
typedef struct tui_audio {
    pthread_t th;
    int started;
    atomic_int ready; /* 0 starting, 1 running, -1 failed */
    char device[256], kit_dir[1024];
    int has_device, has_kit;
    double latency_ms;
    gv_audio *audio;
    gv_player *player;
    /* the kit that plays (kits[kit_cur]) and the one being loaded or taken
     * over (the other): a kit switch loads on kit_th, hands the kit to the
     * player (gv_player_set_kit) and frees the old one once the audio
     * thread has let it go.  kit_state: 0 idle, 1 loading, 2 switching. */
    gv_kit kits[2];
    int kit_cur, kit_state, kit_ok;
    pthread_t kit_th;
    atomic_int kit_loaded;
    unsigned kit_serial;          /* the core's kit_serial last acted on */
    char kit_next[1024], kit_why[200];
    char kit_boot_why[200];       /* the start-up kit failed: why ("" it did not) */
    char state[96];     /* "audio ALSA: default", "no audio" */
    char state_short[16]; /* "audio", "no audio" */
    char note[256]; /* why, for the message line */
    /* what the player was last told */
    unsigned sent_serial;
    int sent_playing, sent_click, tap_state;
    float sent_bpm, sent_swing;
    int shown_src, pending_src, pending_bar;
    unsigned jam_serial; /* the core's jam.serial last acted on */
    /* the song's audition (session/core_song.h): the chunk playing starts
     * at song step song_at and is song_len long; the next one (song_next
     * steps from song_next_at, -1 none) is queued for its end */
    unsigned song_serial;
    long song_at, song_next_at;
    int song_len, song_next_len, song_cell;
    gv_pattern song_next;
    int jam_clock;       /* the jam's timeline comes from the player (not under $GROOVE_CLOCK_FILE) */
    gv_pattern heard;    /* scratch: the core's play through its mixer (gv_core_heard) */
} tui_audio;

typedef struct tui_layout {
    int ok;             /* the terminal is big enough */
    int cw;             /* input columns per step: 2, or 3 on wide screens */
    int roll_x;         /* first column of step 0's cell */
    int panel_x;        /* side panel */
    int sugg_y, sugg_h; /* suggestions area */
    int sugg_cols, sugg_rows_vis, sugg_full, sugg_scroll;
    int sugg_x0, sugg_w;
} tui_layout;

typedef struct tui {
    gv_core *c;
    tui_worker w;
    tui_audio au;
    gv_midi_link midi;
    gv_midi_cli midi_opts; /* channel, map, latency; the core holds the ports */
    unsigned midi_serial;  /* the core's midi_serial last opened */
    gv_model model;
    int has_model;
    char model_path[4096]; /* the model's file ("" when none) */
    int ascii;
    int colors; /* 0 mono, 8, 256 */
    short npairs;
    short pair_fg[64], pair_bg[64];
    tui_layout lay;
    char session_path[1024]; /* "" when this run does not save the session */
    gv_session_lock lock;
    char quit_err[256]; /* why the session save at quit failed (tui_run returned 1) */
    char exit_note[2560]; /* said on stderr once the screen is gone (a session moved aside) */
    double last_save;
    const char *clock_file; /* $GROOVE_CLOCK_FILE: the time is read from it (scripted tests), else NULL */
    int play_cell; /* play-head cell drawn last */
    int frames;
} tui;

/* tui_draw.c */
void tui_colors_init(tui *t);
void tui_draw(tui *t, double now);
/* Which input cell / suggestion a screen position is on (-1 if none). */
int tui_hit_input(const tui *t, int y, int x, int *step, int *row);
int tui_hit_sugg(const tui *t, int y, int x);

/* tui_worker.c */
int tui_worker_start(tui_worker *w, const gv_model *m, gv_err *e);
/* Hands the core's pending job over when the worker is idle, and a finished
 * result back to the core.  Returns 1 when the core changed. */
int tui_worker_poll(tui_worker *w, gv_core *c);
void tui_worker_stop(tui_worker *w);

/* tui_model.c: the session asked for the next model (c->model_request):
 * loads it in place of the present one, says which, clears the request. */
void tui_model_next(tui *t);

/* tui_audio.c */
void tui_audio_start(tui_audio *a);
/* Brings the player in line with the core (patterns, transport, tap clicks). */
void tui_audio_sync(tui_audio *a, gv_core *c, double now);
/* The play-head cell of suggestion/input src (-1 when it is not sounding). */
int tui_audio_cell(const tui_audio *a, int src);
void tui_audio_stop(tui_audio *a);
/* The song step the play-head is on while the song plays, else -1. */
long tui_audio_song_pos(const tui_audio *a);

/* tui_term.c: the curses screen and keys.  How long after Esc the rest of
 * a key's escape sequence may take (ms): 25 split arrows into Esc, '[', 'A'
 * under load or over SSH ('[' is a key here); much longer makes Esc itself
 * feel slow. */
#define TUI_ESCDELAY_DEFAULT 100
#define TUI_ESCDELAY_MAX 10000
/* Starts the screen; escdelay_ms -1: $ESCDELAY, else the default. */
void tui_term_start(tui *t, int escdelay_ms);
void tui_term_stop(void);
/* An ncurses key code as the session's (session/keys.h). */
int tui_term_key(int ch);

/* tui_loop.c */
/* Runs until the user quits or a signal stops it, then saves the session:
 * 0, or 1 when that save failed (quit_err says why). */
int tui_run(tui *t);

#endif

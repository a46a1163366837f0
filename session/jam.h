/* jam.h - the jam's clock-free core: drums that follow the player bar by bar.
 *
 * A jam keeps the player's recent taps and, at each regeneration point, says
 * what to generate from and where the result takes over.  It reads no clock,
 * calls no model and allocates nothing: the live TUI (taps at the audio
 * clock's step position) and the headless `groove jam --taps` (taps at their
 * times in a file) drive the same functions, so the same taps, seed and
 * settings give the same drums.
 *
 * Time is in steps (16ths) on the jam's timeline: step 0 is the downbeat the
 * jam started on, bars are 16 steps (4/4), a tap at step 37.8 is 0.2 early
 * for step 38.  Patterns are GV_JAM_STEPS (2 bars) long and play in phase
 * with the timeline: cell c sounds at every step s with s mod 32 == c (the
 * player's "keep the position modulo the length").
 *
 *   gv_jam j; gv_jam_init(&j, &settings);
 *   gv_jam_tap(&j, 37.8, GV_SNARE, 0.7f);          // whenever the player plays
 *   gv_jam_req r;
 *   if (gv_jam_due(&j, now_step, &r)) {            // crossed a regeneration point
 *       gv_jam_generate(&gen, &r, j.set.follow, &pattern, &e); // off the audio thread
 *       // hand pattern to the player to take over at step r.swap
 *       gv_jam_swapped(&j, r.swap);                // the history's regenerated bars
 *   }
 *
 * Regeneration points are the multiples of `every` steps (a beat, a bar or 2
 * bars).  At point P the groove is what was played in [P-32, P), each tap
 * quantised to the nearest step with the rest kept as its offset and put on
 * cell (step mod 32), the loudest kept where several share a cell; a tap
 * within half a step before P belongs to the next window, as an early hit.
 * The result takes over at the next beat (every beat) or bar line (every bar
 * or 2 bars) after P: a fixed musical point, whatever the generation takes.
 * No point is due while the jam holds, nor when the window has no tap (the
 * player stopped for 2 bars: the drums keep the last pattern).  Regeneration
 * k uses seed gv_gen_seed(settings.seed, k), k counting the requests made.
 *
 * Follow (0..1): z = z_prev + follow (z_new - z_prev); the first latent is
 * z_new itself; follow 0 then never moves it.  The latent belongs to the
 * generating side (gv_jam_latent, kept by whoever runs the model). */
#ifndef GV_JAM_H
#define GV_JAM_H

#include <stdint.h>

#include "patterns/pattern.h"

#define GV_JAM_STEPS 32      /* the rolling groove and the patterns: 2 bars */
#define GV_JAM_BAR 16
#define GV_JAM_MAX_TAPS 512  /* taps kept for the window (older ones drop) */
#define GV_JAM_HISTORY 8     /* bars the history shows */
#define GV_JAM_MAX_Z 1024    /* latent floats the follow keeps */

enum gv_jam_every { GV_JAM_EVERY_BEAT = 4, GV_JAM_EVERY_BAR = 16, GV_JAM_EVERY_2BARS = 32 };

typedef struct gv_jam_settings {
    int every;       /* gv_jam_every: steps between regeneration points */
    float follow;    /* 0..1 */
    int hold;        /* 1: keep the drums, keep recording */
    int lanes;       /* 1..3; 0: from the taps (one row 1, more 3) */
    uint64_t seed;
} gv_jam_settings;

typedef struct gv_jam_hit {
    double step;
    int voice;
    float vel;
} gv_jam_hit;

/* What to generate at a regeneration point. */
typedef struct gv_jam_req {
    int64_t index;      /* 0, 1, ...: the requests made so far */
    int64_t at;         /* the regeneration point (a step) */
    int64_t swap;       /* the step the new pattern takes over at */
    uint64_t seed;      /* gv_gen_seed(settings.seed, index) */
    int lanes;          /* how the groove is told to the model */
    int taps;           /* taps in the window */
    gv_pattern groove;  /* GV_JAM_STEPS steps, cell = step mod 32 */
} gv_jam_req;

typedef struct gv_jam_bar {
    int64_t bar;        /* bar number on the timeline, -1: none yet */
    int taps;           /* taps that landed in it */
    int regenerated;    /* a new pattern took over at its start */
} gv_jam_bar;

typedef struct gv_jam {
    gv_jam_settings set;
    int64_t next_point;          /* the next regeneration point not yet passed */
    int64_t requests;
    int ntaps, head;             /* ring of the latest taps */
    gv_jam_hit taps[GV_JAM_MAX_TAPS];
    gv_jam_bar history[GV_JAM_HISTORY]; /* ring by bar number */
} gv_jam;

/* The latent a jam's drums come from. */
typedef struct gv_jam_latent {
    int have, n;
    float z[GV_JAM_MAX_Z];
} gv_jam_latent;

/* Checks settings (every one of the enum, follow 0..1, lanes 0..3): 0, or
 * -1 with a message naming the bad field in err (64 bytes at least). */
int gv_jam_settings_check(const gv_jam_settings *s, char *err, int n);

/* Starts a jam at step 0: no taps, no latent; the first point due is the
 * first multiple of every after 0. */
void gv_jam_init(gv_jam *j, const gv_jam_settings *s);

/* Changes settings mid-jam (every, follow, hold, lanes; the seed stays). */
void gv_jam_set(gv_jam *j, const gv_jam_settings *s);

/* Records a tap of voice (0..GV_VOICES-1) at velocity vel (0..1) at step. */
void gv_jam_tap(gv_jam *j, double step, int voice, float vel);

/* The groove of the window [end-32, end) (cell = step mod 32); the number
 * of taps in it. */
int gv_jam_window(const gv_jam *j, int64_t end, gv_pattern *groove);

/* Called with the timeline's position now: when a regeneration point at or
 * before now was passed and one is due (no hold, taps in the window), fills
 * r and returns 1.  Points passed while holding or silent are skipped; when
 * several were passed at once, only the latest counts. */
int gv_jam_due(gv_jam *j, double now, gv_jam_req *r);

/* The latent to decode: z_new on the first call (or when n changed), else
 * the lerp toward z_new by follow; kept in l for the next call.  n <=
 * GV_JAM_MAX_Z. */
void gv_jam_follow(gv_jam_latent *l, float follow, const float *z_new, int n, float *z);

/* Marks the bar holding step as regenerated (a new pattern took over in it). */
void gv_jam_swapped(gv_jam *j, int64_t step);

/* The history entry of bar b (its taps and whether it was regenerated), or
 * an entry with bar -1 when b is not among the last GV_JAM_HISTORY. */
gv_jam_bar gv_jam_history(const gv_jam *j, int64_t b);

#endif

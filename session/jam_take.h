/* jam_take.h - everything a jam played, kept for export: the player's taps
 * (with the MIDI note each came from) and every pattern that took over, with
 * the step it took over at.  The drums as heard are a function of that: step
 * s plays cell s mod 32 of the last pattern that took over at or before s
 * (nothing before the first).
 *
 * Grows on the control thread (never the audio thread); the caller frees.
 *
 *   gv_jam_take t; gv_jam_take_init(&t, bpm);
 *   gv_jam_take_tap(&t, step, note, voice, vel);   // as the player plays
 *   gv_jam_take_swap(&t, r.swap, &drums);          // as a pattern is queued
 *   gv_jam_take_drums(&t, 0, 64, &window);         // bars 1-4 as heard
 *   gv_jam_take_free(&t); */
#ifndef GV_JAM_TAKE_H
#define GV_JAM_TAKE_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "patterns/pattern.h"

typedef struct gv_jam_note {
    double step;  /* on the jam's timeline (jam.h) */
    int note;     /* MIDI note it came from (a key: the voice's GM note) */
    int voice;
    float vel;
} gv_jam_note;

typedef struct gv_jam_swap {
    int64_t at;   /* the step it took over at */
    int pattern;  /* index into pats */
} gv_jam_swap;

typedef struct gv_jam_take {
    float bpm;
    int ntaps, cap_taps;
    gv_jam_note *taps;
    int nswaps, cap_swaps;
    gv_jam_swap *swaps;   /* in order of at */
    int npats, cap_pats;
    gv_pattern *pats;
} gv_jam_take;

void gv_jam_take_init(gv_jam_take *t, float bpm);
void gv_jam_take_free(gv_jam_take *t);

/* Each -1 with "out of memory" in e when it cannot grow. */
int gv_jam_take_tap(gv_jam_take *t, double step, int note, int voice, float vel, gv_err *e);
/* p takes over at step at (>= the last swap's; a swap at the same step
 * replaces it). */
int gv_jam_take_swap(gv_jam_take *t, int64_t at, const gv_pattern *p, gv_err *e);

/* The end of the take: the bar line after the last tap or swap (a step). */
int64_t gv_jam_take_end(const gv_jam_take *t);

/* The drums as heard over [from, from + steps) (steps a multiple of 16,
 * 16..GV_MAX_STEPS) into out, at the take's tempo. */
void gv_jam_take_drums(const gv_jam_take *t, int64_t from, int steps, gv_pattern *out);

/* The taps over [from, from + steps) as a pattern (each on its voice,
 * quantised to the nearest step, offset kept, the loudest per cell). */
void gv_jam_take_taps(const gv_jam_take *t, int64_t from, int steps, gv_pattern *out);

/* The take as one format-1 Standard MIDI File in a malloc'd buffer (caller
 * frees): the drums as heard over [0, end) in whole parts of 2 bars, and
 * the taps before end on their own track (gv_smf_write_parts).  end is
 * `until` (a step: where a live jam ended), or with until 0 gv_jam_take_end.
 * Taps before step 0 (early on the first downbeat) are written at 0. */
int gv_jam_take_smf(const gv_jam_take *t, int64_t until, const char *name, unsigned char **data, size_t *len,
                    gv_err *e);

#endif

/* tap.h - turning timed key presses into a 2-bar groove.
 *
 * Tap mode runs a one-bar count-in (4 beats) and then records key presses
 * for GV_TAP_STEPS steps (2 bars of 4/4).  Every press is quantised to the
 * nearest 16th with the remainder kept as the cell's offset (-0.5..0.5), so
 * the player's feel survives.  A press up to half a step before the first
 * downbeat lands on step 0 (early); one in the last half step wraps onto
 * step 0 of the loop (early), as a drummer anticipating the "one" means.
 * Several presses in one cell keep the loudest.
 *
 * Keys choose a voice, so that tapping with both hands sketches a beat:
 * the bottom letter row (z..m) and space play the kick, the home row (a..l)
 * the snare, the top row (q..p) the closed hat.  Upper case (shift or caps
 * lock) is an accent.  The monotonic groove is the same whichever letters
 * are used; the rows say which drum is which: the core tells a take on one
 * row as 1 lane and one on two rows or more as 3 (gv_core_tap_lanes).
 *
 * Times are seconds on any monotonic clock; nothing here reads a clock. */
#ifndef GV_TAP_H
#define GV_TAP_H

#include "patterns/pattern.h"

#define GV_TAP_STEPS 32
#define GV_TAP_COUNTIN_BEATS 4
#define GV_TAP_MAX_EVENTS 512
#define GV_TAP_VEL 0.7f     /* a plain press */
#define GV_TAP_ACCENT 1.0f  /* shift / caps */

enum gv_tap_phase { GV_TAP_IDLE, GV_TAP_COUNTIN, GV_TAP_RECORD, GV_TAP_DONE };

typedef struct gv_tap_event {
    double t; /* seconds from the first recorded downbeat (negative: early) */
    int voice;
    float vel;
} gv_tap_event;

typedef struct gv_tap {
    int phase;
    double t0;  /* clock time the count-in started */
    float bpm;
    int n;
    gv_tap_event ev[GV_TAP_MAX_EVENTS];
} gv_tap;

/* Starts the count-in at clock time now. */
void gv_tap_start(gv_tap *t, double now, float bpm);
void gv_tap_cancel(gv_tap *t);

/* Seconds per step / per beat at the tap's tempo. */
double gv_tap_step_sec(const gv_tap *t);

/* Advances the phase to clock time now and returns it (COUNTIN, RECORD or
 * DONE).  *beat receives the beat being counted: 0..3 in the count-in, 0..7
 * while recording (may be NULL). */
int gv_tap_update(gv_tap *t, double now, int *beat);
/* The phase gv_tap_update would move to, leaving t as it is (drawing). */
int gv_tap_phase(const gv_tap *t, double now, int *beat);

/* Records a key press at clock time now.  Returns 1 when it was taken, 0
 * when the key plays no voice or the time is outside the recording window
 * (more than half a step before the first downbeat, or after the end). */
int gv_tap_key(gv_tap *t, double now, int ch);

/* Records a hit of voice at velocity vel (0..1) at clock time now, e.g. a
 * MIDI pad (midi_in.h's gv_midi_note_hit); same window and return value as
 * gv_tap_key. */
int gv_tap_hit(gv_tap *t, double now, int voice, float vel);

/* Voice a key plays (GV_KICK, GV_SNARE, GV_CHAT), or -1; *accent is set for
 * upper case letters. */
int gv_tap_voice(int ch, int *accent);

/* The recorded presses as a GV_TAP_STEPS-step pattern at the tap's tempo.
 * Returns the number of hits. */
int gv_tap_quantise(const gv_tap *t, gv_pattern *out);

#endif

/* taptempo.h - tap tempo: a key tapped in time sets the BPM.
 *
 * Pure: the caller gives each tap's time (seconds, any monotonic clock) and
 * gets the tempo back; nothing here reads a clock, so tests replay taps.
 *
 *   gv_tap_tempo tt;
 *   gv_tap_tempo_reset(&tt);
 *   double bpm = gv_tap_tempo_add(&tt, now);   // 0 until the 4th tap
 *   if (bpm > 0) set_tempo(bpm);
 *
 * The tempo is the mean interval of the taps kept (60 / mean = BPM, a tap a
 * beat), which is (last - first) / (n - 1): the last GV_TAP_TEMPO_KEEP taps,
 * so a player can drift to a new tempo.  A pause longer than
 * GV_TAP_TEMPO_GAP seconds, or a tap not after the one before, starts a new
 * count.  The result is clamped to GV_TEMPO_MIN..GV_TEMPO_MAX (pattern.h). */
#ifndef GV_TAPTEMPO_H
#define GV_TAPTEMPO_H

#define GV_TAP_TEMPO_MIN_TAPS 4
#define GV_TAP_TEMPO_KEEP 8
#define GV_TAP_TEMPO_GAP 3.0 /* seconds: 20 BPM is a beat every 3 s */

typedef struct gv_tap_tempo {
    double t[GV_TAP_TEMPO_KEEP];
    int n;
} gv_tap_tempo;

void gv_tap_tempo_reset(gv_tap_tempo *tt);
/* Adds a tap at time t: the BPM of the taps kept when there are at least
 * GV_TAP_TEMPO_MIN_TAPS, else 0. */
double gv_tap_tempo_add(gv_tap_tempo *tt, double t);
/* The BPM of n tap times in increasing order (mean interval; clamped), or 0
 * when n < GV_TAP_TEMPO_MIN_TAPS or they do not increase. */
double gv_tap_tempo_bpm(const double *t, int n);

#endif

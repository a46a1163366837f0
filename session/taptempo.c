/* taptempo.c - the BPM from tapped beats (see taptempo.h). */
#include "session/taptempo.h"

#include <string.h>

#include "patterns/pattern.h"

void gv_tap_tempo_reset(gv_tap_tempo *tt) { memset(tt, 0, sizeof *tt); }

double gv_tap_tempo_bpm(const double *t, int n)
{
    if (n < GV_TAP_TEMPO_MIN_TAPS)
        return 0;
    for (int i = 1; i < n; i++)
        if (!(t[i] > t[i - 1]))
            return 0;
    double mean = (t[n - 1] - t[0]) / (n - 1); /* the mean of the n - 1 intervals */
    double bpm = 60.0 / mean;
    return bpm < GV_TEMPO_MIN ? GV_TEMPO_MIN : bpm > GV_TEMPO_MAX ? GV_TEMPO_MAX : bpm;
}

double gv_tap_tempo_add(gv_tap_tempo *tt, double t)
{
    if (tt->n > 0 && !(t > tt->t[tt->n - 1] && t - tt->t[tt->n - 1] <= GV_TAP_TEMPO_GAP))
        tt->n = 0; /* a pause (or a clock that went back): a new count */
    if (tt->n == GV_TAP_TEMPO_KEEP) {
        memmove(tt->t, tt->t + 1, (GV_TAP_TEMPO_KEEP - 1) * sizeof *tt->t);
        tt->n--;
    }
    tt->t[tt->n++] = t;
    return gv_tap_tempo_bpm(tt->t, tt->n);
}

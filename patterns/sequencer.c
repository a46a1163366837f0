/* sequencer.c - pure timeline functions (see sequencer.h). */
#include "sequencer.h"

#include <math.h>

int64_t gv_seq_tick_rate(double bpm, double rate)
{
    if (!(bpm > 0) || !(rate > 0))
        return 1;
    double k = (double)GV_SEQ_TICKS_PER_STEP * (bpm * 4.0 / 60.0) / rate;
    int64_t K = llround(k);
    return K < 1 ? 1 : K;
}

double gv_seq_frames_per_step(double bpm, double rate)
{
    return (double)GV_SEQ_TICKS_PER_STEP / (double)gv_seq_tick_rate(bpm, rate);
}

double gv_seq_swing_delay(int64_t cell, double swing)
{
    if (swing < 0)
        swing = 0;
    if (swing > 1)
        swing = 1;
    return (cell & 1) ? swing * 0.5 : 0.0;
}

static void swing_shift(gv_pattern *p, double swing, double sign)
{
    for (int t = 0; t < p->steps && t < GV_MAX_STEPS; t++) {
        double d = sign * gv_seq_swing_delay(t, swing);
        if (d == 0)
            continue;
        for (int v = 0; v < GV_VOICES; v++)
            if (p->hit[t][v])
                gv_pattern_set(p, t, v, 1, p->vel[t][v], (float)(p->off[t][v] + d)); /* clamps to +-0.5 */
    }
}

void gv_seq_swing_bake(gv_pattern *p, double swing) { swing_shift(p, swing, 1); }
void gv_seq_swing_unbake(gv_pattern *p, double swing) { swing_shift(p, swing, -1); }

int64_t gv_seq_note_tick(int64_t u, double swing, float off)
{
    double d = gv_seq_swing_delay(u, swing) + (double)off;
    return u * GV_SEQ_TICKS_PER_STEP + llround(d * (double)GV_SEQ_TICKS_PER_STEP);
}

/* A note sounds between -0.5 and +1 step from its grid position (offset
 * -0.5..0.5 plus swing 0..0.5), so the grid steps that can sound in
 * [from, to) are those in (from - 1 step, to + 0.5 step]. */
int gv_seq_notes_in(const gv_pattern *p, double swing, int64_t from, int64_t to,
                    int64_t step_lo, int64_t step_hi, gv_seq_note *out, int max)
{
    if (!p || p->steps <= 0 || to <= from || max <= 0)
        return 0;
    int64_t u0 = gv_seq_floordiv(from, GV_SEQ_TICKS_PER_STEP) - 1;
    int64_t u1 = gv_seq_floordiv(to, GV_SEQ_TICKS_PER_STEP) + 1;
    if (u0 < step_lo)
        u0 = step_lo;
    if (u1 > step_hi - 1)
        u1 = step_hi - 1;
    int n = 0;
    for (int64_t u = u0; u <= u1; u++) {
        int64_t cell = u % p->steps;
        if (cell < 0)
            cell += p->steps;
        for (int v = 0; v < GV_VOICES; v++) {
            if (!p->hit[cell][v])
                continue;
            int64_t t = gv_seq_note_tick(u, swing, p->off[cell][v]);
            if (t < from || t >= to)
                continue;
            gv_seq_note nt = {t, u, v, p->vel[cell][v]};
            /* insertion keeps (tick, voice) order; spans are a few steps */
            int j = n < max ? n : max - 1;
            if (n >= max && (t > out[j].tick || (t == out[j].tick && v >= out[j].voice)))
                continue;
            while (j > 0 && (out[j - 1].tick > t || (out[j - 1].tick == t && out[j - 1].voice > v))) {
                if (j < max)
                    out[j] = out[j - 1];
                j--;
            }
            out[j] = nt;
            if (n < max)
                n++;
        }
    }
    return n;
}

int gv_seq_notes(const gv_pattern *p, double swing, int64_t from, int64_t to,
                 gv_seq_note *out, int max)
{
    return gv_seq_notes_in(p, swing, from, to, INT64_MIN, INT64_MAX, out, max);
}

int64_t gv_seq_frame_tick(int64_t f, int64_t origin, int64_t K) { return (f - origin) * K; }

int64_t gv_seq_tick_frame(int64_t t, int64_t origin, int64_t K)
{
    return origin + gv_seq_floordiv(t, K);
}

int gv_seq_events(const gv_pattern *p, double bpm, double swing, double rate,
                  int64_t from_frame, int64_t to_frame, int64_t origin_frame,
                  gv_event *out, int max)
{
    int64_t K = gv_seq_tick_rate(bpm, rate);
    int64_t from = gv_seq_frame_tick(from_frame, origin_frame, K);
    int64_t to = gv_seq_frame_tick(to_frame, origin_frame, K);
    int n = 0;
    /* chunks of at most one step keep the note scratch small and fixed */
    gv_seq_note tmp[GV_SEQ_MAX_NOTES(1)];
    for (int64_t a = from; a < to && n < max;) {
        int64_t b = to - a > GV_SEQ_TICKS_PER_STEP ? a + GV_SEQ_TICKS_PER_STEP : to;
        int m = gv_seq_notes(p, swing, a, b, tmp, GV_SEQ_MAX_NOTES(1));
        for (int i = 0; i < m && n < max; i++)
            out[n++] = (gv_event){gv_seq_tick_frame(tmp[i].tick, origin_frame, K), tmp[i].voice, tmp[i].vel};
        a = b;
    }
    return n;
}

int64_t gv_seq_reanchor(int64_t f, int64_t origin, int64_t K, int64_t K2)
{
    int64_t t = gv_seq_frame_tick(f, origin, K);
    double d = (double)t / (double)K2;
    return f - llround(d);
}

double gv_seq_frame_step(int64_t f, int64_t origin, int64_t K)
{
    int64_t t = gv_seq_frame_tick(f, origin, K);
    int64_t u = gv_seq_floordiv(t, GV_SEQ_TICKS_PER_STEP);
    return (double)u + (double)(t - u * GV_SEQ_TICKS_PER_STEP) / (double)GV_SEQ_TICKS_PER_STEP;
}

int gv_seq_cell(int64_t f, int64_t origin, int64_t K, int steps)
{
    if (steps <= 0)
        return 0;
    /* the last step whose start sounds at or before frame f (a note at tick t
     * sounds at frame floor(t / K)), so the play-head and the notes agree */
    int64_t u = gv_seq_floordiv(gv_seq_frame_tick(f + 1, origin, K) - 1, GV_SEQ_TICKS_PER_STEP);
    int64_t c = u % steps;
    return (int)(c < 0 ? c + steps : c);
}

int64_t gv_seq_preroll(const gv_pattern *p, double swing, int64_t K)
{
    int64_t early = 0;
    for (int v = 0; v < GV_VOICES; v++)
        if (p->hit[0][v]) {
            int64_t t = gv_seq_note_tick(0, swing, p->off[0][v]);
            early = t < early ? t : early;
        }
    return (-early + K - 1) / K;
}

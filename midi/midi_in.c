/* midi_in.c - following an external MIDI clock, and pad hits (see midi_in.h). */
#include "midi_in.h"

#include <math.h>
#include <string.h>

#include "midi/midi_out.h"
#include "patterns/sequencer.h"

#define OUTLIER_RUN 3
#define TIMEOUT_PULSES 8

void gv_midi_clock_init(gv_midi_clock *c, double bpm)
{
    memset(c, 0, sizeof *c);
    c->bpm = bpm > 0 ? bpm : 120;
}

/* Keeps only the newest m pulses of the fit. */
static void fit_keep(gv_midi_clock *c, int m)
{
    if (m < c->n) {
        c->head = (c->head + c->n - m) % GV_MIDI_CLOCK_FIT;
        c->n = m;
    }
}

static void fit_add(gv_midi_clock *c, int64_t k, int64_t t)
{
    int i = (c->head + c->n) % GV_MIDI_CLOCK_FIT;
    if (c->n < GV_MIDI_CLOCK_FIT)
        c->n++;
    else
        c->head = (c->head + 1) % GV_MIDI_CLOCK_FIT;
    c->fit_k[i] = k;
    c->fit_t[i] = t;
}

/* Least squares t = a + b k, relative to the newest pulse for precision. */
static void fit(gv_midi_clock *c)
{
    int last = (c->head + c->n - 1) % GV_MIDI_CLOCK_FIT;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int j = 0; j < c->n; j++) {
        int i = (c->head + j) % GV_MIDI_CLOCK_FIT;
        double x = (double)(c->fit_k[i] - c->fit_k[last]), y = (double)(c->fit_t[i] - c->fit_t[last]);
        sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    double den = c->n * sxx - sx * sx;
    if (c->n < 2 || den <= 0)
        return;
    double b = (c->n * sxy - sx * sy) / den;
    if (!(b > 0))
        return;
    c->period_us = b;
    c->smooth_t = (double)c->fit_t[last] + (sy - b * sx) / c->n;
    c->bpm = 60e6 / (24 * b);
}

static double timeout_us(const gv_midi_clock *c)
{
    return fmax(GV_MIDI_CLOCK_TIMEOUT_US, TIMEOUT_PULSES * c->period_us);
}

static void fit_reset(gv_midi_clock *c)
{
    c->n = c->head = c->outliers = 0;
    c->count = 0;
}

static int pulse(gv_midi_clock *c, int64_t t)
{
    int f = GV_MIDI_CK_PULSE;
    if (c->n > 0 && (double)(t - c->last_t) > timeout_us(c)) {
        /* back after a gap nobody checked: a fresh fit */
        fit_reset(c);
        if (c->state == GV_MIDI_CLOCK_LOCKED)
            c->state = GV_MIDI_CLOCK_LOST;
    } else if (c->state == GV_MIDI_CLOCK_LOCKED && c->n >= 6) {
        double resid = (double)t - (c->smooth_t + c->period_us);
        double tol = fmax(0.25 * c->period_us, 2000);
        if (fabs(resid) <= tol)
            c->outliers = 0;
        else if (++c->outliers >= OUTLIER_RUN) {
            fit_keep(c, OUTLIER_RUN - 1);
            c->outliers = 0;
        }
    }
    fit_add(c, c->count++, t);
    c->last_t = t;
    fit(c);
    if (c->n >= 2 && c->state != GV_MIDI_CLOCK_LOCKED) {
        c->state = GV_MIDI_CLOCK_LOCKED;
        f |= GV_MIDI_CK_LOCK;
    }
    if (c->running) {
        c->pos = c->next++;
        if (c->pos % 6 == 0)
            f |= GV_MIDI_CK_STEP;
    }
    return f;
}

int gv_midi_clock_feed(gv_midi_clock *c, const gv_midi_msg *m)
{
    if (m->len < 1)
        return 0;
    switch (m->b[0]) {
    case GV_MIDI_CLOCK: return pulse(c, m->t);
    case GV_MIDI_START:
        c->running = 1;
        c->next = 0;
        return GV_MIDI_CK_START;
    case GV_MIDI_CONTINUE: c->running = 1; return GV_MIDI_CK_CONTINUE;
    case GV_MIDI_STOP: c->running = 0; return GV_MIDI_CK_STOP;
    case GV_MIDI_SPP:
        if (m->len < 3)
            return 0;
        c->next = (int64_t)((m->b[1] & 0x7f) | (m->b[2] & 0x7f) << 7) * 6;
        return GV_MIDI_CK_SPP;
    default: return 0;
    }
}

int gv_midi_clock_check(gv_midi_clock *c, int64_t now)
{
    if (c->state != GV_MIDI_CLOCK_LOCKED || (double)(now - c->last_t) <= timeout_us(c))
        return 0;
    c->state = GV_MIDI_CLOCK_LOST;
    fit_reset(c);
    return 1;
}

int64_t gv_midi_clock_step(const gv_midi_clock *c) { return gv_seq_floordiv(c->pos, 6); }

int gv_midi_note_hit(const gv_midi_msg *m, const gv_midi_map *map, int channel, int *voice, float *vel)
{
    if (m->len < 3 || (m->b[0] & 0xf0) != 0x90 || m->b[2] == 0)
        return 0;
    if (channel && (m->b[0] & 0x0f) != channel - 1)
        return 0;
    int v = map ? map->voice[m->b[1] & 0x7f] : gv_note_voice(m->b[1] & 0x7f);
    if (!map && v < 0) /* a pad on a note no drum has: a tap all the same */
        v = GV_MIDI_TAP_VOICE;
    if (v < 0)
        return 0;
    *voice = v;
    *vel = (float)(m->b[2] & 0x7f) / 127.f;
    return 1;
}

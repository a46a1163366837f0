/* midi_out.c - the pattern and the clock as timed MIDI (see midi_out.h). */
#include "midi_out.h"

#include <math.h>
#include <string.h>

#define TPS GV_SEQ_TICKS_PER_STEP
#define HALF GV_SEQ_MAX_NOTES(1)
#define NONE_HI INT64_MAX
#define US_RATE 1e6 /* "frames" of the sequencer's frame functions are microseconds here */

static int64_t floor_mod(int64_t a, int64_t m)
{
    int64_t r = a % m;
    return r < 0 ? r + m : r;
}

static double clampd(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

void gv_midi_out_cfg_map(gv_midi_out_cfg *c, const gv_midi_map *m) { memcpy(c->note, m->note, sizeof c->note); }

void gv_midi_out_cfg_default(gv_midi_out_cfg *c)
{
    gv_midi_map m;
    gv_midi_map_default(&m);
    c->channel = 10;
    gv_midi_out_cfg_map(c, &m);
    c->note_us = GV_MIDI_NOTE_US;
    c->ahead_us = GV_MIDI_AHEAD_US;
    c->clock = 0;
}

void gv_midi_out_init(gv_midi_out *o, gv_midi_port *port, const gv_midi_out_cfg *cfg)
{
    memset(o, 0, sizeof *o);
    o->port = port;
    o->cfg = *cfg;
    o->cfg.channel = o->cfg.channel < 1 ? 1 : o->cfg.channel > 16 ? 16 : o->cfg.channel;
    o->cfg.clock = !!o->cfg.clock;
    o->bpm = 120;
    o->K = gv_seq_tick_rate(o->bpm, US_RATE);
}

int64_t gv_midi_pulse_tick(int64_t j) { return gv_seq_floordiv(j, 6) * TPS + floor_mod(j, 6) * TPS / 6; }

static int64_t time_of(const gv_midi_out *o, int64_t tick) { return gv_seq_tick_frame(tick, o->origin, o->K); }
static int64_t tick_of(const gv_midi_out *o, int64_t t) { return gv_seq_frame_tick(t, o->origin, o->K); }
static uint8_t chan(const gv_midi_out *o) { return (uint8_t)(o->cfg.channel - 1); }

/* ---- writing ---- */

static void put(gv_midi_out *o, int64_t t, uint8_t a, uint8_t b, uint8_t c)
{
    if (o->lost)
        return;
    if (t < o->last_t)
        t = o->last_t;
    int64_t due = o->now + o->port->lead_us;
    if (t < due) {
        o->late++;
        if (due - t > o->worst_late_us)
            o->worst_late_us = due - t;
    }
    gv_midi_msg m = {t, {a, b, c}, (uint8_t)gv_midi_msg_len(a)};
    if (gv_midi_write(o->port, &m)) {
        o->lost = 1;
        return;
    }
    o->last_t = t;
    o->sent++;
}

static void off_send(gv_midi_out *o, int i, int64_t t)
{
    put(o, t, 0x80 | chan(o), o->off[i].note, 0);
    memmove(&o->off[i], &o->off[i + 1], (size_t)(o->noff - i - 1) * sizeof o->off[0]);
    o->noff--;
}

/* Note-offs due at or before t. */
static void flush_offs(gv_midi_out *o, int64_t t)
{
    while (o->noff && o->off[0].t <= t)
        off_send(o, 0, o->off[0].t);
}

static void note_on(gv_midi_out *o, int64_t t, int voice, float vel)
{
    flush_offs(o, t);
    uint8_t n = o->cfg.note[voice];
    for (int i = 0; i < o->noff; i++)
        if (o->off[i].note == n) {
            off_send(o, i, t);
            break;
        }
    long v = lroundf(vel * 127.f);
    put(o, t, 0x90 | chan(o), n, (uint8_t)(v < 1 ? 1 : v > 127 ? 127 : v));
    if (o->noff == GV_MIDI_OFFS)
        off_send(o, 0, t);
    int64_t end = t + o->cfg.note_us;
    int j = o->noff++;
    while (j > 0 && o->off[j - 1].t > end) {
        o->off[j] = o->off[j - 1];
        j--;
    }
    o->off[j] = (gv_midi_off){end, n};
}

static void pulse_out(gv_midi_out *o, int64_t t)
{
    flush_offs(o, t);
    if (o->tr_kind) {
        int64_t spp = floor_mod(o->tr_spp, 1 << 14);
        put(o, t, GV_MIDI_SPP, (uint8_t)(spp & 0x7f), (uint8_t)(spp >> 7));
        put(o, t, (uint8_t)o->tr_kind, 0, 0);
        o->tr_kind = 0;
    }
    put(o, t, GV_MIDI_CLOCK, 0, 0);
}

/* ---- the timeline ---- */

/* Notes of p whose grid step (on our timeline, p's step u + shift) lies in
 * [lo, hi), sounding in ticks [from, to), brought back to our timeline. */
static int span(const gv_pattern *p, double swing, int64_t shift, int64_t lo, int64_t hi, int64_t from,
                int64_t to, gv_seq_note *out, int max)
{
    int64_t d = shift * TPS;
    int n = gv_seq_notes_in(p, swing, from + d, to + d, lo + shift, hi == NONE_HI ? hi : hi + shift, out, max);
    for (int i = 0; i < n; i++) {
        out[i].tick -= d;
        out[i].step -= shift;
    }
    return n;
}

static int collect(gv_midi_out *o, int64_t from, int64_t to)
{
    if (!o->have_cur)
        return 0;
    if (!o->have_pend)
        return span(&o->cur, o->swing, o->shift, o->step_lo, NONE_HI, from, to, o->notes, 2 * HALF);
    int n = span(&o->cur, o->swing, o->shift, o->step_lo, o->sw, from, to, o->notes, HALF);
    int64_t lo = o->step_lo > o->sw ? o->step_lo : o->sw;
    n += span(&o->pend, o->swing, o->pshift, lo, NONE_HI, from, to, o->notes + n, HALF);
    /* two sorted runs of a few notes: insertion sort by (tick, voice) */
    for (int i = 1; i < n; i++) {
        gv_seq_note x = o->notes[i];
        int j = i;
        while (j > 0 && (o->notes[j - 1].tick > x.tick || (o->notes[j - 1].tick == x.tick && o->notes[j - 1].voice > x.voice))) {
            o->notes[j] = o->notes[j - 1];
            j--;
        }
        o->notes[j] = x;
    }
    return n;
}

/* Notes and pulses in ticks [from, to), at most a step, in time order. */
static void emit_span(gv_midi_out *o, int64_t from, int64_t to)
{
    int n = collect(o, from, to), i = 0;
    for (;;) {
        int64_t pt = o->cfg.clock ? gv_midi_pulse_tick(o->pulse) : NONE_HI;
        if (pt < from) {
            /* skipped pulses (after a resync): jump to the step, then at most 6 */
            int64_t j = 6 * gv_seq_floordiv(from, TPS);
            o->pulse = o->pulse < j ? j : o->pulse + 1;
            continue;
        }
        int pulse_due = pt < to;
        if (i >= n && !pulse_due)
            break;
        if (pulse_due && (i >= n || pt <= o->notes[i].tick)) {
            pulse_out(o, time_of(o, pt));
            o->pulse++;
        } else {
            note_on(o, time_of(o, o->notes[i].tick), o->notes[i].voice, o->notes[i].vel);
            i++;
        }
    }
}

static void promote(gv_midi_out *o)
{
    o->cur = o->pend;
    o->shift = o->pshift;
    o->have_pend = 0;
}

/* Real-time (the MIDI scheduler thread): no allocation, lock, log or I/O
 * beyond the port's write; the span written per call is bounded. */
int gv_midi_out_run(gv_midi_out *o, int64_t now)
{
    o->now = now;
    if (o->lost)
        return -1;
    int64_t sent0 = o->sent, lead = o->port->lead_us;
    int64_t horizon = now + lead + o->cfg.ahead_us;
    if (o->running) {
        /* a jump of the external clock (or a long stall): skip, don't burst */
        if (o->cursor < tick_of(o, now) - TPS) {
            o->cursor = tick_of(o, now + lead);
            o->resyncs++;
        }
        int64_t target = tick_of(o, horizon);
        while (o->cursor < target && !o->lost) {
            int64_t b = target - o->cursor > TPS ? o->cursor + TPS : target;
            emit_span(o, o->cursor, b);
            o->cursor = b;
            if (o->have_pend && o->cursor > o->sw * TPS)
                promote(o);
        }
    }
    flush_offs(o, horizon - 1);
    return o->lost ? -1 : (int)(o->sent - sent0);
}

/* ---- control ---- */

int gv_midi_out_queue(gv_midi_out *o, const gv_pattern *p, int when)
{
    if (p->steps < GV_MIN_STEPS || p->steps > GV_MAX_STEPS || p->steps % GV_STEPS_PER_BAR)
        return -1;
    if (!o->running || !o->have_cur) {
        o->cur = *p;
        o->have_cur = 1;
        o->have_pend = 0;
        o->shift = 0;
        return 0;
    }
    if (o->have_pend && o->cursor > o->sw * TPS - TPS / 2)
        promote(o); /* the pending one has begun to sound */
    /* the first step none of whose notes (>= half a step early) is written */
    int64_t sw = gv_seq_floordiv(o->cursor + TPS / 2 + TPS - 1, TPS);
    if (when == GV_QUEUE_BAR || when == GV_QUEUE_BEAT) {
        int64_t unit = when == GV_QUEUE_BEAT ? 4 : GV_STEPS_PER_BAR;
        sw = gv_seq_floordiv(sw + unit - 1, unit) * unit;
    }
    o->pend = *p;
    o->have_pend = 1;
    o->sw = sw;
    o->pshift = floor_mod(floor_mod(sw + o->shift, o->cur.steps), p->steps) - sw;
    return 0;
}

void gv_midi_out_tempo(gv_midi_out *o, double bpm)
{
    bpm = clampd(bpm, 20, 400);
    if (bpm == o->bpm)
        return;
    int64_t K2 = gv_seq_tick_rate(bpm, US_RATE);
    if (o->running)
        o->origin = gv_seq_reanchor(time_of(o, o->cursor), o->origin, o->K, K2);
    o->K = K2;
    o->bpm = bpm;
}

void gv_midi_out_swing(gv_midi_out *o, double swing) { o->swing = clampd(swing, 0, 1); }

void gv_midi_out_follow(gv_midi_out *o, int64_t tick, int64_t t, double bpm)
{
    o->bpm = clampd(bpm, 20, 400);
    o->K = gv_seq_tick_rate(o->bpm, US_RATE);
    o->origin = t - gv_seq_floordiv(tick, o->K);
}

void gv_midi_out_play_from(gv_midi_out *o, int64_t step, int64_t t, int64_t now)
{
    o->now = now;
    if (o->have_pend)
        promote(o);
    if (step == 0)
        o->shift = 0; /* a start plays the pattern from its first step */
    o->origin = t - gv_seq_floordiv(step * TPS, o->K);
    o->cursor = step * TPS - TPS / 2; /* the earliest a note of `step` sounds */
    o->step_lo = step;
    o->pulse = 6 * step;
    o->running = 1;
    if (o->cfg.clock) {
        o->tr_kind = step == 0 ? GV_MIDI_START : GV_MIDI_CONTINUE;
        o->tr_spp = step;
    }
}

void gv_midi_out_start(gv_midi_out *o, int64_t now)
{
    int64_t pre = o->have_cur ? gv_seq_preroll(&o->cur, o->swing, o->K) : 0;
    gv_midi_out_play_from(o, 0, now + o->port->lead_us + o->cfg.ahead_us + pre, now);
}

void gv_midi_out_continue(gv_midi_out *o, int64_t now)
{
    if (o->running)
        return;
    int64_t step = gv_seq_floordiv(o->stop_tick + TPS - 1, TPS);
    int64_t half = (TPS / 2 + o->K - 1) / o->K;
    gv_midi_out_play_from(o, step, now + o->port->lead_us + o->cfg.ahead_us + half, now);
}

/* When a stop or a clock switch-off takes effect: after everything written. */
static int64_t stop_time(const gv_midi_out *o, int64_t now)
{
    int64_t t = time_of(o, o->cursor), min = now + o->port->lead_us + o->cfg.ahead_us;
    return t > min ? t : min;
}

void gv_midi_out_stop(gv_midi_out *o, int64_t now)
{
    if (!o->running)
        return;
    o->now = now;
    int64_t t = stop_time(o, now);
    while (o->noff)
        off_send(o, 0, t);
    put(o, t, 0xb0 | chan(o), GV_MIDI_ALL_NOTES_OFF, 0);
    if (o->cfg.clock)
        put(o, t, GV_MIDI_STOP, 0, 0);
    o->stop_tick = o->cursor;
    o->running = 0;
    o->tr_kind = 0;
    if (o->have_pend)
        promote(o);
}

void gv_midi_out_set_clock(gv_midi_out *o, int on, int64_t now)
{
    on = !!on;
    if (on == o->cfg.clock)
        return;
    o->now = now;
    if (o->running && on) {
        int64_t step = gv_seq_floordiv(o->cursor + TPS - 1, TPS);
        o->pulse = 6 * step;
        o->tr_kind = GV_MIDI_CONTINUE;
        o->tr_spp = step;
    } else if (o->running) {
        put(o, stop_time(o, now), GV_MIDI_STOP, 0, 0);
        o->tr_kind = 0;
    }
    o->cfg.clock = on;
}

double gv_midi_out_pos(const gv_midi_out *o, int64_t t)
{
    return o->running ? gv_seq_frame_step(t, o->origin, o->K) : -1;
}

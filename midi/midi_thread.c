/* midi_thread.c - the MIDI scheduler thread (see midi_thread.h). */
#include "midi_thread.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "base/spsc.h"

#define CMDQ 64
#define PATQ 4
#define NOTEQ 256
#define READ_MAX 64
#define READ_ROUNDS 8 /* a flooding input cannot hold the loop: the rest waits a period */

enum { C_PATTERN, C_START, C_STOP, C_CONTINUE, C_TEMPO, C_SWING, C_CLOCK };

typedef struct cmd {
    int kind, i;
    double x;
} cmd;

typedef struct pat_msg {
    gv_pattern p;
    int when;
} pat_msg;

struct gv_midi_sched {
    gv_midi_port *in, *clk;
    gv_midi_port null_out; /* stands in for a missing output */
    int has_out;
    int64_t period_us;
    /* scheduler-thread state */
    gv_midi_out o;
    gv_midi_clock ck;
    int mode;
    double ui_bpm;
    pat_msg in_pat;
    gv_midi_msg rd[READ_MAX];
    /* hand-over */
    gv_spsc cmdq, patq, noteq;
    cmd cmdbuf[CMDQ];
    pat_msg patbuf[PATQ];
    gv_midi_msg notebuf[NOTEQ];
    pat_msg stage; /* control thread's scratch */
    pthread_t th;
    int manual; /* no thread: the caller ticks (tests, on a virtual clock) */
    atomic_int quit;
    /* read-outs */
    atomic_int running, out_lost, in_lost, mode_out, clock_state, ext_running;
    atomic_uint ext_seq;
    _Atomic double ext_bpm, step, worst_late_us, worst_wake_us;
    atomic_llong sent, late, loops, notes_dropped;
};

static int null_write(gv_midi_port *p, const gv_midi_msg *m) { return (void)p, (void)m, 0; }
static int null_read(gv_midi_port *p, gv_midi_msg *out, int max) { return (void)p, (void)out, (void)max, 0; }
static int64_t null_now(gv_midi_port *p) { return (void)p, gv_midi_clock_us(); }
static void null_close(gv_midi_port *p) { (void)p; }
static const gv_midi_port_ops null_ops = {null_write, null_read, null_now, null_close};

void gv_midi_sched_cfg_default(gv_midi_sched_cfg *c)
{
    gv_midi_out_cfg_default(&c->out);
    c->clock = GV_MIDI_CLOCK_OFF;
    c->period_us = 1000;
    c->bpm = 120;
    c->manual = 0;
}

/* ---- scheduler thread ---- */

static void set_mode(gv_midi_sched *s, int mode, int64_t now)
{
    if (mode == s->mode)
        return;
    if (mode == GV_MIDI_CLOCK_IN)
        gv_midi_clock_init(&s->ck, s->o.bpm);
    else if (s->mode == GV_MIDI_CLOCK_IN)
        gv_midi_out_tempo(&s->o, s->ui_bpm);
    gv_midi_out_set_clock(&s->o, mode == GV_MIDI_CLOCK_OUT, now);
    s->mode = mode;
}

static int following(const gv_midi_sched *s)
{
    return s->mode == GV_MIDI_CLOCK_IN && s->ck.state == GV_MIDI_CLOCK_LOCKED;
}

static void take_commands(gv_midi_sched *s, int64_t now)
{
    cmd c;
    while (gv_spsc_pop(&s->cmdq, &c) == 0) {
        switch (c.kind) {
        case C_PATTERN:
            if (gv_spsc_pop(&s->patq, &s->in_pat) == 0)
                gv_midi_out_queue(&s->o, &s->in_pat.p, s->in_pat.when);
            break;
        case C_START: gv_midi_out_start(&s->o, now); break;
        case C_STOP: gv_midi_out_stop(&s->o, now); break;
        case C_CONTINUE: gv_midi_out_continue(&s->o, now); break;
        case C_TEMPO:
            s->ui_bpm = c.x;
            if (!following(s))
                gv_midi_out_tempo(&s->o, c.x);
            break;
        case C_SWING: gv_midi_out_swing(&s->o, c.x); break;
        case C_CLOCK: set_mode(s, c.i, now); break;
        }
    }
}

/* The external clock moves the output. */
static void clock_message(gv_midi_sched *s, const gv_midi_msg *m, int64_t now)
{
    int f = gv_midi_clock_feed(&s->ck, m);
    if (f & (GV_MIDI_CK_START | GV_MIDI_CK_CONTINUE | GV_MIDI_CK_STOP))
        atomic_fetch_add_explicit(&s->ext_seq, 1, memory_order_release);
    if (f & GV_MIDI_CK_START)
        gv_midi_out_play_from(&s->o, 0, m->t, now);
    if (f & GV_MIDI_CK_CONTINUE)
        gv_midi_out_play_from(&s->o, gv_seq_floordiv(s->ck.next + 5, 6), m->t, now);
    if (f & GV_MIDI_CK_STOP)
        gv_midi_out_stop(&s->o, now);
    if (!(f & GV_MIDI_CK_PULSE) || s->ck.state != GV_MIDI_CLOCK_LOCKED)
        return;
    if ((f & GV_MIDI_CK_STEP) && s->o.running)
        gv_midi_out_follow(&s->o, gv_midi_pulse_tick(s->ck.pos), llround(s->ck.smooth_t), s->ck.bpm);
    else if (!s->o.running)
        gv_midi_out_tempo(&s->o, s->ck.bpm);
}

static void read_input(gv_midi_sched *s, int64_t now)
{
    if (!s->in || atomic_load_explicit(&s->in_lost, memory_order_relaxed))
        return;
    for (int round = 0; round < READ_ROUNDS; round++) {
        int n = gv_midi_read(s->in, s->rd, READ_MAX);
        if (n < 0) {
            atomic_store(&s->in_lost, 1);
            return;
        }
        for (int i = 0; i < n; i++) {
            const gv_midi_msg *m = &s->rd[i];
            if (m->len == 3 && (m->b[0] & 0xf0) == 0x90 && m->b[2]) {
                if (gv_spsc_push(&s->noteq, m))
                    atomic_fetch_add_explicit(&s->notes_dropped, 1, memory_order_relaxed);
            } else if (s->mode == GV_MIDI_CLOCK_IN) {
                clock_message(s, m, now);
            }
        }
        if (n < READ_MAX)
            return;
    }
}

static void publish(gv_midi_sched *s, int64_t now)
{
    const gv_midi_out *o = &s->o;
    atomic_store_explicit(&s->running, o->running, memory_order_relaxed);
    atomic_store_explicit(&s->out_lost, s->has_out && o->lost, memory_order_relaxed);
    atomic_store_explicit(&s->mode_out, s->mode, memory_order_relaxed);
    atomic_store_explicit(&s->clock_state, s->mode == GV_MIDI_CLOCK_IN ? s->ck.state : GV_MIDI_CLOCK_NONE,
                          memory_order_relaxed);
    atomic_store_explicit(&s->ext_bpm, s->ck.bpm, memory_order_relaxed);
    atomic_store_explicit(&s->ext_running, s->ck.running, memory_order_relaxed);
    atomic_store_explicit(&s->step, gv_midi_out_pos(o, now), memory_order_relaxed);
    atomic_store_explicit(&s->sent, o->sent, memory_order_relaxed);
    atomic_store_explicit(&s->late, o->late, memory_order_relaxed);
    atomic_store_explicit(&s->worst_late_us, (double)o->worst_late_us, memory_order_relaxed);
}

static void ts_add_us(struct timespec *t, int64_t us)
{
    t->tv_nsec += (long)(us % 1000000) * 1000;
    t->tv_sec += us / 1000000 + t->tv_nsec / 1000000000;
    t->tv_nsec %= 1000000000;
}

static int64_t ts_us(const struct timespec *t) { return (int64_t)t->tv_sec * 1000000 + t->tv_nsec / 1000; }

/* Real-time loop: no allocation, lock, log or file I/O from here down (only
 * the port's write/read); every inner loop is bounded. */
static void sched_once(gv_midi_sched *s)
{
    int64_t now = gv_midi_now(s->clk);
    take_commands(s, now);
    read_input(s, now);
    if (s->mode == GV_MIDI_CLOCK_IN && gv_midi_clock_check(&s->ck, now))
        gv_midi_out_tempo(&s->o, s->ck.bpm); /* the internal clock takes over at the last estimate */
    gv_midi_out_run(&s->o, now);
    publish(s, now);
    atomic_fetch_add_explicit(&s->loops, 1, memory_order_relaxed);
}

static void sched_end(gv_midi_sched *s)
{
    int64_t now = gv_midi_now(s->clk);
    gv_midi_out_stop(&s->o, now);
    publish(s, now);
}

static void *sched_main(void *arg)
{
    gv_midi_sched *s = arg;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (!atomic_load_explicit(&s->quit, memory_order_acquire)) {
        sched_once(s);
        ts_add_us(&next, s->period_us);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {
        }
        int64_t woke = gv_midi_clock_us(), past = woke - ts_us(&next);
        if ((double)past > atomic_load_explicit(&s->worst_wake_us, memory_order_relaxed))
            atomic_store_explicit(&s->worst_wake_us, (double)past, memory_order_relaxed);
        if (past > s->period_us) /* stalled: start afresh rather than race to catch up */
            clock_gettime(CLOCK_MONOTONIC, &next);
    }
    sched_end(s);
    return NULL;
}

void gv_midi_sched_tick(gv_midi_sched *s)
{
    if (s->manual)
        sched_once(s);
}

/* ---- control thread ---- */

gv_midi_sched *gv_midi_sched_new(gv_midi_port *out, gv_midi_port *in, const gv_midi_sched_cfg *cfg, gv_err *e)
{
    if (!out && !in)
        return gv_fail(e, "no MIDI port to schedule"), NULL;
    gv_midi_sched *s = calloc(1, sizeof *s);
    if (!s)
        return gv_failc(e, GV_E_NOMEM, "out of memory"), NULL;
    s->null_out = (gv_midi_port){&null_ops, GV_MIDI_OUT, 0, "none"};
    s->has_out = out != NULL;
    s->in = in;
    s->clk = out ? out : in;
    s->period_us = cfg->period_us >= 100 && cfg->period_us <= 100000 ? cfg->period_us : 1000;
    gv_midi_out_cfg oc = cfg->out;
    oc.clock = 0;
    if (oc.ahead_us < 2 * s->period_us)
        oc.ahead_us = 2 * s->period_us;
    gv_midi_out_init(&s->o, out ? out : &s->null_out, &oc);
    s->ui_bpm = cfg->bpm > 0 ? cfg->bpm : 120;
    gv_midi_out_tempo(&s->o, s->ui_bpm);
    gv_midi_clock_init(&s->ck, s->ui_bpm);
    s->mode = GV_MIDI_CLOCK_OFF;
    set_mode(s, cfg->clock, gv_midi_now(s->clk));
    gv_spsc_init(&s->cmdq, s->cmdbuf, CMDQ, sizeof(cmd));
    gv_spsc_init(&s->patq, s->patbuf, PATQ, sizeof(pat_msg));
    gv_spsc_init(&s->noteq, s->notebuf, NOTEQ, sizeof(gv_midi_msg));
    atomic_init(&s->quit, 0);
    atomic_init(&s->running, 0);
    atomic_init(&s->out_lost, 0);
    atomic_init(&s->in_lost, 0);
    atomic_init(&s->mode_out, s->mode);
    atomic_init(&s->clock_state, GV_MIDI_CLOCK_NONE);
    atomic_init(&s->ext_running, 0);
    atomic_init(&s->ext_seq, 0);
    atomic_init(&s->ext_bpm, s->ui_bpm);
    atomic_init(&s->step, -1.0);
    atomic_init(&s->worst_late_us, 0.0);
    atomic_init(&s->worst_wake_us, 0.0);
    atomic_init(&s->sent, 0);
    atomic_init(&s->late, 0);
    atomic_init(&s->loops, 0);
    atomic_init(&s->notes_dropped, 0);
    s->manual = cfg->manual != 0;
    if (!s->manual && pthread_create(&s->th, NULL, sched_main, s)) {
        free(s);
        return gv_fail(e, "cannot start the MIDI thread"), NULL;
    }
    return s;
}

void gv_midi_sched_free(gv_midi_sched *s)
{
    if (!s)
        return;
    atomic_store_explicit(&s->quit, 1, memory_order_release);
    if (s->manual)
        sched_end(s);
    else
        pthread_join(s->th, NULL);
    free(s);
}

static int send(gv_midi_sched *s, int kind, int i, double x)
{
    cmd c = {kind, i, x};
    return gv_spsc_push(&s->cmdq, &c);
}

int gv_midi_sched_queue(gv_midi_sched *s, const gv_pattern *p, int when)
{
    if (p->steps < GV_MIN_STEPS || p->steps > GV_MAX_STEPS || p->steps % GV_STEPS_PER_BAR)
        return -1;
    /* one producer: room now is room when the command follows */
    if (gv_spsc_count(&s->cmdq) >= CMDQ)
        return -1;
    s->stage.p = *p;
    s->stage.when = when;
    if (gv_spsc_push(&s->patq, &s->stage))
        return -1;
    return send(s, C_PATTERN, 0, 0);
}

int gv_midi_sched_start(gv_midi_sched *s) { return send(s, C_START, 0, 0); }
int gv_midi_sched_stop(gv_midi_sched *s) { return send(s, C_STOP, 0, 0); }
int gv_midi_sched_continue(gv_midi_sched *s) { return send(s, C_CONTINUE, 0, 0); }
int gv_midi_sched_tempo(gv_midi_sched *s, double bpm) { return send(s, C_TEMPO, 0, bpm); }
int gv_midi_sched_swing(gv_midi_sched *s, double swing) { return send(s, C_SWING, 0, swing); }

int gv_midi_sched_clock(gv_midi_sched *s, int mode)
{
    if (mode < GV_MIDI_CLOCK_OFF || mode > GV_MIDI_CLOCK_IN)
        return -1;
    return send(s, C_CLOCK, mode, 0);
}

void gv_midi_sched_status(gv_midi_sched *s, gv_midi_status *st)
{
    st->running = atomic_load(&s->running);
    st->out_lost = atomic_load(&s->out_lost);
    st->in_lost = atomic_load(&s->in_lost);
    st->clock = atomic_load(&s->mode_out);
    st->clock_state = atomic_load(&s->clock_state);
    st->ext_bpm = atomic_load(&s->ext_bpm);
    st->ext_running = atomic_load(&s->ext_running);
    st->ext_seq = atomic_load_explicit(&s->ext_seq, memory_order_acquire);
    st->step = atomic_load(&s->step);
    st->sent = atomic_load(&s->sent);
    st->late = atomic_load(&s->late);
    st->worst_late_us = atomic_load(&s->worst_late_us);
    st->loops = atomic_load(&s->loops);
    st->worst_wake_us = atomic_load(&s->worst_wake_us);
    st->notes_dropped = atomic_load(&s->notes_dropped);
}

int gv_midi_sched_notes(gv_midi_sched *s, gv_midi_msg *out, int max)
{
    int n = 0;
    while (n < max && gv_spsc_pop(&s->noteq, &out[n]) == 0)
        n++;
    return n;
}

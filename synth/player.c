/* player.c - the engine behind player.h: pattern hand-over, transport and
 * the block loop that turns the sequencer's notes into mixer triggers. */
#include "player.h"

#include <stdlib.h>
#include <string.h>

#include "synth/mixer.h"
#include "patterns/sequencer.h"
#include "base/spsc.h"
#include "synth/transport.h"

#define TPS GV_SEQ_TICKS_PER_STEP
#define PATQ 4
#define TRIGQ 64
#define NOTES 96
#define NONE_LO INT64_MIN
#define NONE_HI INT64_MAX

typedef struct pat_msg {
    gv_pattern p;
    int when;
} pat_msg;

typedef struct trig_msg {
    int slot;
    float vel;
} trig_msg;

struct gv_player {
    double rate;
    const gv_kit *kit;
    gv_transport tr;
    gv_spsc patq, trigq;
    pat_msg patbuf[PATQ];
    trig_msg trigbuf[TRIGQ];
    pat_msg stage;          /* control thread's scratch for queueing */
    /* audio-thread state */
    pat_msg in;             /* pop target */
    gv_pattern cur, pend;
    int have_cur, have_pend, running;
    unsigned start_seen;
    int64_t pos;            /* ticks on the current pattern's loop timeline */
    int64_t step_lo, step_hi; /* grid steps allowed to sound (start, loop limit) */
    int64_t sw, shift;      /* pending switch: grid step of the bar, new = old + shift */
    int64_t loops;
    gv_mixer mix;
    gv_seq_note notes[NOTES];
};

static double clampd(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }

gv_player *gv_player_new(double rate, const gv_kit *kit, gv_err *e)
{
    if (!kit || !(kit->rate > 0))
        return gv_fail(e, "no kit"), NULL;
    if (kit->rate != rate)
        return gv_fail(e, "kit rate %g differs from the stream rate %g", kit->rate, rate), NULL;
    gv_player *pl = calloc(1, sizeof *pl);
    if (!pl)
        return gv_failc(e, GV_E_NOMEM, "out of memory"), NULL;
    pl->rate = rate;
    pl->kit = kit;
    gv_spsc_init(&pl->patq, pl->patbuf, PATQ, sizeof(pat_msg));
    gv_spsc_init(&pl->trigq, pl->trigbuf, TRIGQ, sizeof(trig_msg));
    gv_transport *t = &pl->tr;
    atomic_init(&t->playing, 0);
    atomic_init(&t->start_seq, 0);
    atomic_init(&t->bpm, 120.0);
    atomic_init(&t->swing, 0.0);
    atomic_init(&t->volume, 1.0);
    atomic_init(&t->mute, 0);
    atomic_init(&t->solo, 0);
    atomic_init(&t->metronome, 0);
    atomic_init(&t->loop_limit, 0);
    atomic_init(&t->kit, (const void *)kit);
    atomic_init(&t->kit_seq, 0);
    atomic_init(&t->kit_seen, 0);
    atomic_init(&t->cell, -1);
    atomic_init(&t->steps, 0);
    atomic_init(&t->loops_done, 0);
    atomic_init(&t->ticks, 0);
    atomic_init(&t->ticks_seq, 0);
    atomic_init(&t->active, 0);
    atomic_init(&t->frames, 0);
    atomic_init(&t->notes, 0);
    pl->step_lo = NONE_LO;
    pl->step_hi = NONE_HI;
    gv_mixer_init(&pl->mix, kit);
    return pl;
}

void gv_player_free(gv_player *pl) { free(pl); }
double gv_player_rate(const gv_player *pl) { return pl->rate; }

/* ---- control thread ---- */

int gv_player_queue(gv_player *pl, const gv_pattern *p, int when)
{
    if (p->steps < GV_MIN_STEPS || p->steps > GV_MAX_STEPS || p->steps % GV_STEPS_PER_BAR)
        return -1;
    pl->stage.p = *p;
    pl->stage.when = when;
    return gv_spsc_push(&pl->patq, &pl->stage);
}

void gv_player_start(gv_player *pl)
{
    atomic_fetch_add(&pl->tr.start_seq, 1);
    atomic_store(&pl->tr.playing, 1);
}

void gv_player_stop(gv_player *pl) { atomic_store(&pl->tr.playing, 0); }
void gv_player_set_tempo(gv_player *pl, double bpm) { atomic_store(&pl->tr.bpm, clampd(bpm, 20, 400)); }
void gv_player_set_swing(gv_player *pl, double s) { atomic_store(&pl->tr.swing, clampd(s, 0, 1)); }
void gv_player_set_volume(gv_player *pl, double v) { atomic_store(&pl->tr.volume, clampd(v, 0, 2)); }
void gv_player_set_metronome(gv_player *pl, int on) { atomic_store(&pl->tr.metronome, !!on); }
void gv_player_set_loop_limit(gv_player *pl, int n) { atomic_store(&pl->tr.loop_limit, n > 0 ? n : 0); }

static void set_bit(atomic_uint *m, int voice, int on)
{
    if (voice < 0 || voice >= GV_VOICES)
        return;
    if (on)
        atomic_fetch_or(m, 1u << voice);
    else
        atomic_fetch_and(m, ~(1u << voice));
}

void gv_player_set_mute(gv_player *pl, int voice, int on) { set_bit(&pl->tr.mute, voice, on); }
void gv_player_set_solo(gv_player *pl, int voice, int on) { set_bit(&pl->tr.solo, voice, on); }

int gv_player_set_kit(gv_player *pl, const gv_kit *kit)
{
    if (!kit || kit->rate != pl->rate)
        return -1;
    atomic_store_explicit(&pl->tr.kit, (const void *)kit, memory_order_release);
    atomic_fetch_add_explicit(&pl->tr.kit_seq, 1, memory_order_release);
    return 0;
}

int gv_player_kit_settled(const gv_player *pl)
{
    gv_transport *t = &((gv_player *)pl)->tr;
    return atomic_load_explicit(&t->kit_seen, memory_order_acquire) ==
           atomic_load_explicit(&t->kit_seq, memory_order_acquire);
}

int gv_player_trigger(gv_player *pl, int voice, float vel)
{
    if (voice < 0 || voice >= GV_KIT_SLOTS)
        return -1;
    trig_msg m = {voice, vel};
    return gv_spsc_push(&pl->trigq, &m);
}

int gv_player_playing(const gv_player *pl) { return atomic_load(&((gv_player *)pl)->tr.playing); }
int gv_player_cell(const gv_player *pl) { return atomic_load(&((gv_player *)pl)->tr.cell); }
int gv_player_steps(const gv_player *pl) { return atomic_load(&((gv_player *)pl)->tr.steps); }
int64_t gv_player_loops_done(const gv_player *pl) { return atomic_load(&((gv_player *)pl)->tr.loops_done); }
int gv_player_position(const gv_player *pl, double *steps)
{
    gv_transport *t = &((gv_player *)pl)->tr;
    unsigned seq = atomic_load(&t->start_seq);
    if (!atomic_load(&t->playing) || atomic_load(&t->ticks_seq) != seq)
        return -1;
    int64_t ticks = atomic_load(&t->ticks);
    if (atomic_load(&t->ticks_seq) != seq)
        return -1;
    *steps = (double)ticks / TPS;
    return 0;
}
int gv_player_active(const gv_player *pl) { return atomic_load(&((gv_player *)pl)->tr.active); }
int64_t gv_player_frames(const gv_player *pl) { return atomic_load(&((gv_player *)pl)->tr.frames); }
int64_t gv_player_notes(const gv_player *pl) { return atomic_load(&((gv_player *)pl)->tr.notes); }
double gv_player_tempo(const gv_player *pl) { return atomic_load(&((gv_player *)pl)->tr.bpm); }
double gv_player_swing(const gv_player *pl) { return atomic_load(&((gv_player *)pl)->tr.swing); }

/* ---- audio thread ---- */

static int64_t floor_mod(int64_t a, int64_t m)
{
    int64_t r = a % m;
    return r < 0 ? r + m : r;
}

static void shift_limits(gv_player *pl, int64_t d)
{
    if (pl->step_lo != NONE_LO)
        pl->step_lo += d;
    if (pl->step_hi != NONE_HI)
        pl->step_hi += d;
}

/* Takes the new pattern now, keeping the position modulo its length. */
static void switch_now(gv_player *pl, const gv_pattern *p)
{
    pl->cur = *p;
    pl->have_cur = 1;
    pl->have_pend = 0;
    if (pl->pos >= 0) {
        int64_t np = floor_mod(pl->pos, (int64_t)p->steps * TPS);
        shift_limits(pl, (np - pl->pos) / TPS);
        pl->pos = np;
    }
}

/* The pending pattern continues at the same bar of the loop (modulo its
 * length): grid step u of the old timeline is step u + shift of the new. */
static void set_shift(gv_player *pl)
{
    int64_t at = floor_mod(floor_mod(pl->sw, pl->cur.steps), pl->pend.steps);
    pl->shift = at - pl->sw;
}

/* A kit switch: the mixer restarts on the new kit (its voices point into
 * the old one's samples), then the old kit is declared free. */
static void take_kit(gv_player *pl)
{
    gv_transport *tr = &pl->tr;
    unsigned seq = atomic_load_explicit(&tr->kit_seq, memory_order_acquire);
    if (seq == atomic_load_explicit(&tr->kit_seen, memory_order_relaxed))
        return;
    pl->kit = atomic_load_explicit(&tr->kit, memory_order_acquire);
    gv_mixer_init(&pl->mix, pl->kit);
    atomic_store_explicit(&tr->kit_seen, seq, memory_order_release);
}

static void take_messages(gv_player *pl)
{
    trig_msg t;
    take_kit(pl);
    while (gv_spsc_pop(&pl->trigq, &t) == 0)
        gv_mixer_trigger(&pl->mix, t.slot, t.vel);
    while (gv_spsc_pop(&pl->patq, &pl->in) == 0) {
        if (!pl->running || !pl->have_cur || pl->in.when == GV_QUEUE_NOW) {
            switch_now(pl, &pl->in.p);
            continue;
        }
        if (!pl->have_pend) {
            /* the first bar (or beat) line at least half a step ahead */
            int64_t unit = pl->in.when == GV_QUEUE_BEAT ? 4 : GV_STEPS_PER_BAR, bar = unit * TPS;
            pl->sw = (pl->pos + TPS / 2 + bar - 1 < 0 ? 0 : (pl->pos + TPS / 2 + bar - 1) / bar) * unit;
        }
        pl->pend = pl->in.p;
        pl->have_pend = 1;
        set_shift(pl);
    }
}

static void start(gv_player *pl, int64_t K, double swing, int limit)
{
    pl->pos = pl->have_cur ? -gv_seq_preroll(&pl->cur, swing, K) * K : 0;
    pl->step_lo = 0;
    pl->step_hi = limit > 0 && pl->have_cur ? (int64_t)limit * pl->cur.steps : NONE_HI;
    pl->loops = 0;
    pl->have_pend = 0;
    pl->running = 1;
}

static int cmp_note(const gv_seq_note *a, const gv_seq_note *b)
{
    return a->tick != b->tick ? (a->tick > b->tick) - (a->tick < b->tick) : a->voice - b->voice;
}

/* Notes (and metronome clicks) sounding in ticks [from, to). */
static int collect(gv_player *pl, int64_t from, int64_t to, double swing, int metronome)
{
    int n;
    if (pl->have_pend) {
        int64_t hi = pl->step_hi < pl->sw ? pl->step_hi : pl->sw;
        n = gv_seq_notes_in(&pl->cur, swing, from, to, pl->step_lo, hi, pl->notes, NOTES / 2);
        int64_t s = pl->shift, lo = pl->step_lo > pl->sw ? pl->step_lo : pl->sw;
        int64_t nhi = pl->step_hi == NONE_HI ? NONE_HI : pl->step_hi + s;
        int m = gv_seq_notes_in(&pl->pend, swing, from + s * TPS, to + s * TPS, lo + s, nhi,
                                pl->notes + n, NOTES / 2 - 2);
        for (int i = n; i < n + m; i++) {
            pl->notes[i].tick -= s * TPS;
            pl->notes[i].step -= s;
        }
        n += m;
    } else {
        n = gv_seq_notes_in(&pl->cur, swing, from, to, pl->step_lo, pl->step_hi, pl->notes, NOTES - 2);
    }
    if (metronome) {
        const int64_t beat = 4 * TPS;
        int64_t b0 = (from <= 0 ? -((-from) / beat) : (from + beat - 1) / beat);
        for (int64_t b = b0; b * beat < to && n < NOTES; b++) {
            int64_t u = 4 * b;
            if (u < pl->step_lo || u >= pl->step_hi || b * beat < from)
                continue;
            pl->notes[n++] = (gv_seq_note){b * beat, u, u % GV_STEPS_PER_BAR ? GV_KIT_CLICK : GV_KIT_CLICK_ACCENT, 1.f};
        }
    }
    /* insertion sort: a few notes, already two sorted runs */
    for (int i = 1; i < n; i++) {
        gv_seq_note x = pl->notes[i];
        int j = i;
        while (j > 0 && cmp_note(&pl->notes[j - 1], &x) > 0) {
            pl->notes[j] = pl->notes[j - 1];
            j--;
        }
        pl->notes[j] = x;
    }
    return n;
}

static int sounds(unsigned mute, unsigned solo, int slot)
{
    if (slot >= GV_VOICES)
        return 1; /* clicks */
    if (mute >> slot & 1)
        return 0;
    return !solo || (solo >> slot & 1);
}

static void advance(gv_player *pl, unsigned seq)
{
    if (pl->have_pend && pl->pos > pl->sw * TPS) {
        pl->cur = pl->pend;
        pl->have_pend = 0;
        pl->pos += pl->shift * TPS;
        shift_limits(pl, pl->shift);
    }
    int64_t len = (int64_t)pl->cur.steps * TPS;
    while (pl->pos >= len) {
        pl->pos -= len;
        shift_limits(pl, -pl->cur.steps);
        if (pl->have_pend) {
            pl->sw -= pl->cur.steps;
            pl->shift += pl->cur.steps;
        }
        pl->loops++;
    }
    /* loop limit: stop once nothing of the last loop can still sound */
    if (pl->step_hi != NONE_HI && pl->pos >= (pl->step_hi + 1) * TPS) {
        pl->running = 0;
        int one = 1;
        if (atomic_load(&pl->tr.start_seq) == seq)
            atomic_compare_exchange_strong(&pl->tr.playing, &one, 0);
    }
}

/* Real-time (the audio callback): no allocation, lock, log or I/O; the
 * controls arrive through lock-free atomics and SPSC queues. */
void gv_player_render(gv_player *pl, float *out, int frames)
{
    gv_transport *tr = &pl->tr;
    int playing = atomic_load_explicit(&tr->playing, memory_order_acquire);
    unsigned seq = atomic_load_explicit(&tr->start_seq, memory_order_acquire);
    double bpm = atomic_load_explicit(&tr->bpm, memory_order_relaxed);
    double swing = atomic_load_explicit(&tr->swing, memory_order_relaxed);
    float vol = (float)atomic_load_explicit(&tr->volume, memory_order_relaxed);
    unsigned mute = atomic_load_explicit(&tr->mute, memory_order_relaxed);
    unsigned solo = atomic_load_explicit(&tr->solo, memory_order_relaxed);
    int metro = atomic_load_explicit(&tr->metronome, memory_order_relaxed);
    int limit = atomic_load_explicit(&tr->loop_limit, memory_order_relaxed);
    int64_t K = gv_seq_tick_rate(bpm, pl->rate);

    if (!playing)
        pl->running = 0;
    take_messages(pl);
    if (playing && seq != pl->start_seen) {
        pl->start_seen = seq;
        start(pl, K, swing, limit);
    }
    int64_t max_sb = TPS / K; /* a sub-block spans at most one step */
    if (max_sb < 1)
        max_sb = 1;
    if (max_sb > GV_MIX_BLOCK)
        max_sb = GV_MIX_BLOCK;
    int64_t triggered = 0;
    for (int done = 0; done < frames;) {
        int sb = frames - done < max_sb ? frames - done : (int)max_sb;
        float *o = out + 2 * done;
        if (pl->running && pl->have_cur) {
            int64_t from = pl->pos, to = pl->pos + (int64_t)sb * K;
            int n = collect(pl, from, to, swing, metro);
            int at = 0;
            for (int i = 0; i < n; i++) {
                int f = (int)((pl->notes[i].tick - from) / K);
                if (f > at) {
                    gv_mixer_render(&pl->mix, o + 2 * at, f - at, vol);
                    at = f;
                }
                if (sounds(mute, solo, pl->notes[i].voice)) {
                    gv_mixer_trigger(&pl->mix, pl->notes[i].voice, pl->notes[i].vel);
                    triggered++;
                }
            }
            gv_mixer_render(&pl->mix, o + 2 * at, sb - at, vol);
            pl->pos = to;
            advance(pl, seq);
        } else {
            gv_mixer_render(&pl->mix, o, sb, vol);
        }
        done += sb;
    }
    int cell = -1;
    if (pl->running && pl->have_cur)
        cell = pl->pos < 0 ? 0 : (int)(pl->pos / TPS) % pl->cur.steps;
    atomic_store_explicit(&tr->cell, cell, memory_order_relaxed);
    atomic_store_explicit(&tr->steps, pl->have_cur ? pl->cur.steps : 0, memory_order_relaxed);
    atomic_store_explicit(&tr->loops_done, pl->loops, memory_order_relaxed);
    if (pl->running && pl->have_cur && seq == pl->start_seen) {
        /* one store: a reader never sees loops and position apart; then
         * the start it belongs to */
        atomic_store_explicit(&tr->ticks, pl->loops * pl->cur.steps * TPS + pl->pos, memory_order_release);
        atomic_store_explicit(&tr->ticks_seq, seq, memory_order_release);
    }
    atomic_store_explicit(&tr->active, gv_mixer_active(&pl->mix), memory_order_relaxed);
    atomic_fetch_add_explicit(&tr->frames, frames, memory_order_relaxed);
    atomic_fetch_add_explicit(&tr->notes, triggered, memory_order_relaxed);
}

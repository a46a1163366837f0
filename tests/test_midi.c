/* test_midi.c - the MIDI layer through the in-memory port: the exact byte
 * stream of a pattern (notes, velocities, note-off lengths, micro-timing,
 * clock, transport, all-notes-off), clock following from a jittery pulse
 * train, tap recording, drum maps, PortMidi with no devices, and the
 * scheduler thread on a real clock. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "session/core.h"
#include "app/midicli.h"
#include "app/midilink.h"
#include "session/tap.h"
#include "kernels/rng.h"
#include "midi/midi_in.h"
#include "midi/midi_map.h"
#include "midi/midi_out.h"
#include "midi/midi_port.h"
#include "midi/midi_thread.h"

#define STEP120 125000.0 /* microseconds per 16th at 120 BPM */

/* ---- helpers ---- */

static gv_midi_port *mem(int64_t lead, int virtual_clock)
{
    gv_err e = {0};
    gv_midi_port *p = gv_midi_mem_new(8192, virtual_clock, lead, &e);
    cr_assert(p, "%s", e.msg);
    return p;
}

static gv_midi_out *out_new(gv_midi_port *p, int channel, int64_t note_us, int clock)
{
    gv_midi_out *o = malloc(sizeof *o);
    cr_assert(o);
    gv_midi_out_cfg c;
    gv_midi_out_cfg_default(&c);
    c.channel = channel;
    c.note_us = note_us;
    c.clock = clock;
    gv_midi_out_init(o, p, &c);
    return o;
}

static gv_pattern *pat(int steps, float bpm)
{
    gv_pattern *p = malloc(sizeof *p);
    cr_assert(p);
    gv_pattern_init(p, steps, bpm, "t");
    return p;
}

/* Runs o every `dt` microseconds of virtual time over [t0, t1). */
static void drive(gv_midi_out *o, gv_midi_port *p, int64_t t0, int64_t t1, int64_t dt)
{
    for (int64_t t = t0; t < t1; t += dt) {
        gv_midi_mem_set_time(p, t);
        cr_assert_geq(gv_midi_out_run(o, t), 0);
    }
}

typedef struct ev {
    double t;
    uint8_t b[3];
    int len;
} ev;

static int cmp_ev(const void *a, const void *b)
{
    double d = ((const ev *)a)->t - ((const ev *)b)->t;
    return (d > 0) - (d < 0);
}

/* Compares the recording from index `from` with want[0..n). */
static void expect_stream(gv_midi_port *p, int from, const ev *want, int n, double tol_us)
{
    cr_assert_eq(gv_midi_mem_count(p) - from, n, "%d messages, expected %d", gv_midi_mem_count(p) - from, n);
    for (int i = 0; i < n; i++) {
        const gv_midi_rec *r = gv_midi_mem_get(p, from + i);
        cr_assert_eq(r->m.len, want[i].len, "message %d: length %d, expected %d", i, r->m.len, want[i].len);
        for (int k = 0; k < want[i].len; k++)
            cr_assert_eq(r->m.b[k], want[i].b[k], "message %d byte %d: %02x, expected %02x", i, k, r->m.b[k],
                         want[i].b[k]);
        cr_assert(fabs((double)r->m.t - want[i].t) <= tol_us, "message %d (%02x %02x): at %lld us, expected %.1f", i,
                  r->m.b[0], r->m.b[1], (long long)r->m.t, want[i].t);
    }
}

/* Every message was written at least the port's lead before its time. */
static void expect_on_time(gv_midi_port *p, int64_t lead)
{
    for (int i = 0; i < gv_midi_mem_count(p); i++) {
        const gv_midi_rec *r = gv_midi_mem_get(p, i);
        cr_assert_leq(r->written, r->m.t - lead, "message %d written at %lld for %lld", i, (long long)r->written,
                      (long long)r->m.t);
        if (i)
            cr_assert_geq(r->m.t, gv_midi_mem_get(p, i - 1)->m.t, "time goes back at %d", i);
    }
}

/* ---- output: the byte stream ---- */

Test(midi_out, pattern_stream_exact)
{
    const int64_t lead = 10000;
    gv_midi_port *p = mem(lead, 1);
    gv_midi_out *o = out_new(p, 10, 30000, 0);
    gv_pattern *pt = pat(16, 120);
    struct { int step, voice; float vel, off; } hits[] = {
        {0, GV_KICK, 1.0f, 0},       {2, GV_CHAT, 0.25f, -0.1f}, {3, GV_CHAT, 0.5f, 0},
        {4, GV_SNARE, 0.5f, 0.2f},   {9, GV_LTOM, 0.01f, 0},     {15, GV_OHAT, 0.8f, 0.3f},
    };
    const int nh = sizeof hits / sizeof hits[0];
    for (int i = 0; i < nh; i++)
        gv_pattern_set(pt, hits[i].step, hits[i].voice, 1, hits[i].vel, hits[i].off);
    const double swing = 0.5; /* odd 16ths a quarter step late */
    cr_assert_eq(gv_midi_out_queue(o, pt, GV_QUEUE_NOW), 0);
    gv_midi_out_swing(o, swing);
    gv_midi_out_start(o, 0);
    const int64_t end = 3950000; /* the open hat of loop 2 (3.954 s) still sounds */
    drive(o, p, 0, end + 1, 1000);
    gv_midi_out_stop(o, end);

    /* the schedule, from first principles: step 0 at lead + ahead (no early
     * hit on step 0, so no pre-roll), (u + swing delay + off) steps of 125 ms */
    const double T0 = (double)(lead + GV_MIDI_AHEAD_US), H = (double)(end + lead + GV_MIDI_AHEAD_US);
    ev want[64], pending[16];
    int n = 0, np = 0;
    for (int loop = 0; loop < 3; loop++)
        for (int i = 0; i < nh; i++) {
            double u = 16 * loop + hits[i].step + (hits[i].step % 2 ? swing / 2 : 0) + hits[i].off;
            double t = T0 + u * STEP120;
            if (t >= H)
                continue;
            uint8_t note = (uint8_t)gv_voice_note(hits[i].voice);
            uint8_t vel = (uint8_t)fmax(1, lroundf(hits[i].vel * 127));
            want[n++] = (ev){t, {0x99, note, vel}, 3};
            ev off = {t + 30000, {0x89, note, 0}, 3};
            if (off.t < H)
                want[n++] = off;
            else
                pending[np++] = off;
        }
    qsort(want, (size_t)n, sizeof want[0], cmp_ev);
    qsort(pending, (size_t)np, sizeof pending[0], cmp_ev);
    cr_assert_gt(np, 0, "the test wants a note still sounding at the stop");
    for (int i = 0; i < np; i++)
        want[n++] = (ev){H, {pending[i].b[0], pending[i].b[1], 0}, 3};
    want[n++] = (ev){H, {0xb9, 123, 0}, 3};
    /* 3 us: the tick rate is a whole number of ticks per microsecond, 4e-7
     * off 120 BPM (1.6 us over 4 s), and a note goes out on the microsecond
     * at or before its tick */
    expect_stream(p, 0, want, n, 3.0);
    expect_on_time(p, lead);
    cr_assert_eq(o->late, 0);
    free(pt);
    free(o);
    gv_midi_close(p);
}

Test(midi_out, early_step0_gets_preroll)
{
    const int64_t lead = 5000;
    gv_midi_port *p = mem(lead, 1);
    gv_midi_out *o = out_new(p, 10, 30000, 0);
    gv_pattern *pt = pat(16, 120);
    gv_pattern_set(pt, 0, GV_KICK, 1, 0.9f, -0.3f);
    gv_pattern_set(pt, 8, GV_SNARE, 1, 0.9f, 0);
    gv_midi_out_queue(o, pt, GV_QUEUE_NOW);
    gv_midi_out_start(o, 1000000);
    drive(o, p, 1000000, 2100000, 1000);
    const gv_midi_rec *first = gv_midi_mem_get(p, 0);
    cr_assert(first);
    cr_assert_eq(first->m.b[0], 0x99);
    cr_assert_eq(first->m.b[1], 36);
    /* the early kick is the first thing out, lead + ahead after the start */
    cr_assert(llabs(first->m.t - (1000000 + lead + GV_MIDI_AHEAD_US)) <= 1, "early kick at %lld", (long long)first->m.t);
    /* and step 0 itself is 0.3 steps later: the snare is 8 steps after it */
    const gv_midi_rec *sn = NULL;
    for (int i = 0; i < gv_midi_mem_count(p) && !sn; i++)
        if (gv_midi_mem_get(p, i)->m.b[1] == 38)
            sn = gv_midi_mem_get(p, i);
    cr_assert(sn);
    cr_assert(fabs((double)(sn->m.t - first->m.t) - 8.3 * STEP120) <= 2);
    expect_on_time(p, lead);
    free(pt);
    free(o);
    gv_midi_close(p);
}

Test(midi_out, clock_transport_stream)
{
    const int64_t lead = 1000;
    gv_midi_port *p = mem(lead, 1);
    gv_midi_out *o = out_new(p, 10, 30000, 1);
    gv_midi_out_start(o, 0); /* no pattern: the clock alone */
    drive(o, p, 0, 1010001, 1000);
    /* SPP 0, Start, then pulses every 125/6 ms from lead + ahead on */
    double pulse = STEP120 / 6, T0 = lead + GV_MIDI_AHEAD_US, H = 1010000 + T0;
    ev want[128];
    int n = 0;
    want[n++] = (ev){T0, {0xf2, 0, 0}, 3};
    want[n++] = (ev){T0, {0xfa}, 1};
    for (int j = 0; T0 + j * pulse < H; j++)
        want[n++] = (ev){T0 + j * pulse, {0xf8}, 1};
    cr_assert_eq(n, 2 + 49);
    expect_stream(p, 0, want, n, 1.0);

    gv_midi_out_stop(o, 1010000);
    ev stop[] = {{H, {0xb9, 123, 0}, 3}, {H, {0xfc}, 1}};
    expect_stream(p, n, stop, 2, 1.0);
    drive(o, p, 1010000, 1500000, 1000); /* stopped: silence */
    cr_assert_eq(gv_midi_mem_count(p), n + 2);

    /* continue: from the first step after the stop position (8 steps in and
     * a bit: step 9), half a step past now + lead + ahead, SPP 9, Continue */
    int at = gv_midi_mem_count(p);
    gv_midi_mem_set_time(p, 1500000);
    gv_midi_out_continue(o, 1500000);
    drive(o, p, 1500000, 1600001, 1000);
    double T = 1500000 + T0 + STEP120 / 2;
    double H2 = 1600000 + lead + GV_MIDI_AHEAD_US;
    n = 0;
    want[n++] = (ev){T, {0xf2, 9, 0}, 3};
    want[n++] = (ev){T, {0xfb}, 1};
    for (int j = 0; T + j * pulse < H2; j++)
        want[n++] = (ev){T + j * pulse, {0xf8}, 1};
    expect_stream(p, at, want, n, 1.0);
    expect_on_time(p, lead);
    free(o);
    gv_midi_close(p);
}

Test(midi_out, restrike_cuts_note_and_stop_clears)
{
    const int64_t lead = 2000;
    gv_midi_port *p = mem(lead, 1);
    gv_midi_out *o = out_new(p, 3, 200000, 0); /* notes longer than a step */
    gv_pattern *pt = pat(16, 120);
    for (int s = 0; s < 16; s++)
        gv_pattern_set(pt, s, GV_KICK, 1, 0.5f, 0);
    gv_midi_out_queue(o, pt, GV_QUEUE_NOW);
    gv_midi_out_start(o, 0);
    drive(o, p, 0, 600000, 1000);
    gv_midi_out_stop(o, 600000);
    int n = gv_midi_mem_count(p), ons = 0;
    for (int i = 0; i < n; i++) {
        const gv_midi_rec *r = gv_midi_mem_get(p, i);
        if (r->m.b[0] != 0x92)
            continue;
        ons++;
        if (i > 0) { /* the previous kick is cut right before */
            const gv_midi_rec *q = gv_midi_mem_get(p, i - 1);
            cr_assert_eq(q->m.b[0], 0x82);
            cr_assert_eq(q->m.b[1], 36);
            cr_assert_eq(q->m.t, r->m.t);
        }
    }
    cr_assert_eq(ons, 5); /* steps 0..4 sound before 0.6 s + lead + ahead */
    const gv_midi_rec *a = gv_midi_mem_get(p, n - 2), *b = gv_midi_mem_get(p, n - 1);
    cr_assert(a->m.b[0] == 0x82 && a->m.b[1] == 36, "the sounding kick is released at the stop");
    cr_assert(b->m.b[0] == 0xb2 && b->m.b[1] == 123 && b->m.b[2] == 0, "All Notes Off on channel 3");
    free(pt);
    free(o);
    gv_midi_close(p);
}

/* Note-on times of `note` (up to max). */
static int note_times(gv_midi_port *p, uint8_t note, int64_t *t, int max)
{
    int k = 0;
    for (int i = 0; i < gv_midi_mem_count(p) && k < max; i++) {
        const gv_midi_rec *r = gv_midi_mem_get(p, i);
        if ((r->m.b[0] & 0xf0) == 0x90 && r->m.b[1] == note)
            t[k++] = r->m.t;
    }
    return k;
}

static void switch_case(int when, int first_b)
{
    const int64_t lead = 10000;
    gv_midi_port *p = mem(lead, 1);
    gv_midi_out *o = out_new(p, 10, 30000, 0);
    gv_pattern *a = pat(16, 120), *b = pat(32, 120);
    for (int s = 0; s < 16; s++)
        gv_pattern_set(a, s, GV_KICK, 1, 0.7f, 0);
    for (int s = 0; s < 32; s++)
        gv_pattern_set(b, s, GV_SNARE, 1, 0.7f, 0);
    gv_midi_out_queue(o, a, GV_QUEUE_NOW);
    gv_midi_out_start(o, 0);
    const int64_t q = 5 * 125000; /* written up to step 5 */
    drive(o, p, 0, q, 1000);
    gv_midi_out_queue(o, b, when);
    drive(o, p, q, 3000000, 1000);
    int64_t k[64], s[64];
    int nk = note_times(p, 36, k, 64), ns = note_times(p, 38, s, 64);
    cr_assert_eq(nk, first_b, "%d kicks, expected %d", nk, first_b);
    cr_assert_gt(ns, 0);
    const double T0 = (double)(lead + GV_MIDI_AHEAD_US);
    cr_assert(fabs((double)s[0] - T0 - first_b * STEP120) <= 2, "first snare at step %.3f", (s[0] - T0) / STEP120);
    for (int i = 1; i < ns; i++)
        cr_assert(fabs((double)(s[i] - s[i - 1]) - STEP120) <= 2);
    free(a);
    free(b);
    free(o);
    gv_midi_close(p);
}

Test(midi_out, switch_at_bar) { switch_case(GV_QUEUE_BAR, 16); }
Test(midi_out, switch_at_beat) { switch_case(GV_QUEUE_BEAT, 8); }
Test(midi_out, switch_now_at_next_free_step) { switch_case(GV_QUEUE_NOW, 6); }

Test(midi_out, tempo_change_keeps_the_grid)
{
    const int64_t lead = 3000;
    gv_midi_port *p = mem(lead, 1);
    gv_midi_out *o = out_new(p, 10, 20000, 0);
    gv_pattern *pt = pat(16, 120);
    for (int s = 0; s < 16; s++)
        gv_pattern_set(pt, s, GV_CHAT, 1, 0.6f, 0);
    gv_midi_out_queue(o, pt, GV_QUEUE_NOW);
    gv_midi_out_start(o, 0);
    drive(o, p, 0, 500000, 1000);
    gv_midi_out_tempo(o, 60);
    drive(o, p, 500000, 3000000, 1000);
    int64_t t[64];
    int n = note_times(p, 42, t, 64);
    cr_assert_gt(n, 12);
    int slow = 0, fast = 0;
    for (int i = 1; i < n; i++) {
        double d = (double)(t[i] - t[i - 1]);
        cr_assert(d >= STEP120 - 2 && d <= 2 * STEP120 + 2, "interval %d: %.0f us", i, d);
        fast += fabs(d - STEP120) <= 2;
        slow += fabs(d - 2 * STEP120) <= 2;
    }
    cr_assert_geq(fast, 3);
    cr_assert_geq(slow, 8);
    cr_assert_geq(fast + slow, n - 2, "one transition interval at most");
    free(pt);
    free(o);
    gv_midi_close(p);
}

Test(midi_out, lost_device_stops_writing)
{
    gv_midi_port *p = mem(1000, 1);
    gv_midi_out *o = out_new(p, 10, 30000, 1);
    gv_midi_out_start(o, 0);
    drive(o, p, 0, 100000, 1000);
    int n = gv_midi_mem_count(p);
    cr_assert_gt(n, 3);
    gv_midi_mem_fail(p, 1);
    gv_midi_mem_set_time(p, 100000);
    cr_assert_eq(gv_midi_out_run(o, 200000), -1);
    cr_assert(o->lost);
    gv_midi_mem_fail(p, 0);
    cr_assert_eq(gv_midi_out_run(o, 300000), -1, "a lost output stays lost");
    cr_assert_eq(gv_midi_mem_count(p), n);
    free(o);
    gv_midi_close(p);
}

/* ---- drum maps ---- */

Test(midi_map, default_is_the_gm_table)
{
    gv_midi_map m;
    gv_midi_map_default(&m);
    for (int v = 0; v < GV_VOICES; v++) {
        cr_assert_eq(m.note[v], gv_voice_note(v));
        cr_assert_eq(m.voice[m.note[v]], v);
    }
    cr_assert_eq(m.voice[0], -1);
}

Test(midi_map, file_remaps_voices)
{
    gv_midi_map m;
    gv_midi_map_default(&m);
    gv_err e = {0};
    cr_assert_eq(gv_midi_map_parse("# my kit\nkick 35 36\n\n  SD 40 38 # rim too\nhh\t44\n", &m, &e), 0, "%s", e.msg);
    cr_assert_eq(m.note[GV_KICK], 35);
    cr_assert_eq(m.note[GV_SNARE], 40);
    cr_assert_eq(m.note[GV_CHAT], 44);
    cr_assert_eq(m.note[GV_RIDE], 51, "unnamed voices keep the default");
    cr_assert_eq(m.voice[35], GV_KICK);
    cr_assert_eq(m.voice[40], GV_SNARE);
    cr_assert_eq(m.voice[44], GV_CHAT);

    gv_midi_map keep = m;
    cr_assert_eq(gv_midi_map_parse("kick 36\nfoo 12\n", &m, &e), -1);
    cr_assert_str_eq(e.msg, "line 2: unknown voice 'foo'");
    cr_assert_eq(memcmp(&m, &keep, sizeof m), 0, "a bad file changes nothing");
    cr_assert_eq(gv_midi_map_parse("snare 128\n", &m, &e), -1);
    cr_assert_str_eq(e.msg, "line 1: '128' is not a note 0..127");
    cr_assert_eq(gv_midi_map_parse("\nride\n", &m, &e), -1);
    cr_assert_str_eq(e.msg, "line 2: ride has no note");

    /* the out side sends the remapped note */
    gv_midi_map_parse("kick 35\n", &m, &e);
    gv_midi_port *p = mem(1000, 1);
    gv_midi_out_cfg c;
    gv_midi_out_cfg_default(&c);
    gv_midi_out_cfg_map(&c, &m);
    gv_midi_out *o = malloc(sizeof *o);
    gv_midi_out_init(o, p, &c);
    gv_pattern *pt = pat(16, 120);
    gv_pattern_set(pt, 0, GV_KICK, 1, 1, 0);
    gv_midi_out_queue(o, pt, GV_QUEUE_NOW);
    gv_midi_out_start(o, 0);
    drive(o, p, 0, 10000, 1000);
    cr_assert_eq(gv_midi_mem_get(p, 0)->m.b[1], 35);
    free(pt);
    free(o);
    gv_midi_close(p);
}

Test(midi_map, load_reports_missing_file)
{
    gv_midi_map m;
    gv_err e = {0};
    cr_assert_eq(gv_midi_map_load("/nonexistent/groove.map", &m, &e), -1);
    cr_assert_neq(e.msg[0], 0);
}

/* ---- input: clock following ---- */

static gv_midi_msg rt(int64_t t, uint8_t b) { return (gv_midi_msg){t, {b, 0, 0}, 1}; }

/* Feeds pulses at bpm from time *t with +-jitter us (uniform) for n pulses;
 * returns the OR of the flags. */
static int pulses(gv_midi_clock *c, gv_rng *r, double bpm, double *t, int n, double jitter)
{
    int f = 0;
    double period = 60e6 / bpm / 24;
    for (int i = 0; i < n; i++) {
        double j = jitter * (2 * gv_rng_uniform(r) - 1);
        gv_midi_msg m = rt(llround(*t + j), 0xf8);
        f |= gv_midi_clock_feed(c, &m);
        *t += period;
    }
    return f;
}

Test(midi_in, tempo_from_jittery_pulses)
{
    const double tempos[] = {120, 90, 174, 60.5};
    for (int k = 0; k < 4; k++) {
        gv_rng r;
        gv_rng_seed(&r, 7 + k);
        gv_midi_clock c;
        gv_midi_clock_init(&c, 100);
        double t = 5e6;
        pulses(&c, &r, tempos[k], &t, 48, 1000); /* two beats, +-1 ms */
        cr_assert_eq(c.state, GV_MIDI_CLOCK_LOCKED);
        cr_assert(fabs(c.bpm - tempos[k]) < 0.5, "%.1f BPM read as %.3f", tempos[k], c.bpm);
        /* a single interval would be off by up to 2 ms / period: check the
         * smoothing is what did it */
        pulses(&c, &r, tempos[k], &t, 96, 1000);
        cr_assert(fabs(c.bpm - tempos[k]) < 0.2, "%.1f BPM read as %.3f later", tempos[k], c.bpm);
    }
}

Test(midi_in, tempo_change_is_followed)
{
    gv_rng r;
    gv_rng_seed(&r, 3);
    gv_midi_clock c;
    gv_midi_clock_init(&c, 120);
    double t = 1e6;
    pulses(&c, &r, 100, &t, 96, 1000);
    cr_assert(fabs(c.bpm - 100) < 0.5);
    pulses(&c, &r, 140, &t, 48 + 3, 1000); /* two beats after the change is seen */
    cr_assert(fabs(c.bpm - 140) < 0.5, "140 BPM read as %.3f", c.bpm);
}

Test(midi_in, transport_and_song_position)
{
    gv_rng r;
    gv_rng_seed(&r, 1);
    gv_midi_clock c;
    gv_midi_clock_init(&c, 120);
    double t = 0;
    cr_assert_eq(pulses(&c, &r, 120, &t, 24, 0) & GV_MIDI_CK_STEP, 0, "no steps before Start");
    gv_midi_msg m = rt((int64_t)t, 0xfa);
    cr_assert_eq(gv_midi_clock_feed(&c, &m), GV_MIDI_CK_START);
    int f = pulses(&c, &r, 120, &t, 1, 0);
    cr_assert(f & GV_MIDI_CK_STEP);
    cr_assert_eq(c.pos, 0, "the first pulse after Start is the downbeat");
    for (int i = 1; i <= 12; i++) {
        f = pulses(&c, &r, 120, &t, 1, 0);
        cr_assert_eq(!!(f & GV_MIDI_CK_STEP), i % 6 == 0, "pulse %d", i);
    }
    cr_assert_eq(gv_midi_clock_step(&c), 2);
    m = rt((int64_t)t, 0xfc);
    cr_assert_eq(gv_midi_clock_feed(&c, &m), GV_MIDI_CK_STOP);
    pulses(&c, &r, 120, &t, 10, 0);
    cr_assert_eq(c.pos, 12, "stopped: the position holds");
    m = (gv_midi_msg){(int64_t)t, {0xf2, 0x08, 0x01}, 3}; /* 136 16ths */
    cr_assert_eq(gv_midi_clock_feed(&c, &m), GV_MIDI_CK_SPP);
    m = rt((int64_t)t, 0xfb);
    cr_assert_eq(gv_midi_clock_feed(&c, &m), GV_MIDI_CK_CONTINUE);
    f = pulses(&c, &r, 120, &t, 1, 0);
    cr_assert(f & GV_MIDI_CK_STEP);
    cr_assert_eq(gv_midi_clock_step(&c), 136);
}

Test(midi_in, fallback_when_pulses_stop)
{
    gv_rng r;
    gv_rng_seed(&r, 5);
    gv_midi_clock c;
    gv_midi_clock_init(&c, 120);
    double t = 0;
    cr_assert_eq(c.state, GV_MIDI_CLOCK_NONE);
    cr_assert(pulses(&c, &r, 120, &t, 48, 500) & GV_MIDI_CK_LOCK);
    int64_t last = c.last_t;
    cr_assert_eq(gv_midi_clock_check(&c, last + 50000), 0, "a missed pulse or two is no stop");
    cr_assert_eq(c.state, GV_MIDI_CLOCK_LOCKED);
    cr_assert_eq(gv_midi_clock_check(&c, last + 250000), 1);
    cr_assert_eq(c.state, GV_MIDI_CLOCK_LOST);
    cr_assert(fabs(c.bpm - 120) < 0.5, "the last tempo is kept for the internal clock");
    cr_assert_eq(gv_midi_clock_check(&c, last + 300000), 0, "reported once");
    t = (double)last + 1e6;
    cr_assert_eq(pulses(&c, &r, 130, &t, 1, 0) & GV_MIDI_CK_LOCK, 0);
    cr_assert(pulses(&c, &r, 130, &t, 1, 0) & GV_MIDI_CK_LOCK, "pulses back: locked again");
    pulses(&c, &r, 130, &t, 48, 500);
    cr_assert(fabs(c.bpm - 130) < 0.5);
}

/* ---- input: tapping ---- */

static gv_midi_msg note_on(double sec, uint8_t ch, uint8_t note, uint8_t vel)
{
    return (gv_midi_msg){llround(sec * 1e6), {(uint8_t)(0x90 | (ch - 1)), note, vel}, 3};
}

Test(midi_in, tap_records_groove_with_velocity_and_timing)
{
    gv_tap t;
    const double t0 = 100.0, step = 0.125; /* 120 BPM; recording starts after 4 beats */
    const double down = t0 + 16 * step;
    gv_tap_start(&t, t0, 120);
    struct { double at; uint8_t note, vel; int step; double off; } hits[] = {
        {down + 0.010, 36, 100, 0, 0.08},
        {down + 4 * step - 0.020, 38, 64, 4, -0.16},
        {down + 9 * step + 0.050, 42, 127, 9, 0.4},
        {down + 31.8 * step, 36, 20, 0, -0.2}, /* the next "one", early */
    };
    for (int i = 0; i < 4; i++) {
        gv_midi_msg m = note_on(hits[i].at, 10, hits[i].note, hits[i].vel);
        int v;
        float vel;
        cr_assert(gv_midi_note_hit(&m, NULL, 0, &v, &vel));
        cr_assert_eq(v, gv_note_voice(hits[i].note), "no map: the GM drum map, so the lanes follow the pads");
        gv_tap_update(&t, m.t / 1e6, NULL);
        cr_assert(gv_tap_hit(&t, m.t / 1e6, v, vel));
    }
    gv_midi_msg off = {llround((down + 1) * 1e6), {0x89, 36, 0}, 3}, zero = note_on(down + 1, 10, 36, 0);
    int v;
    float vel;
    cr_assert_not(gv_midi_note_hit(&off, NULL, 0, &v, &vel), "note-offs are not hits");
    cr_assert_not(gv_midi_note_hit(&zero, NULL, 0, &v, &vel), "velocity 0 is a note-off");
    gv_midi_msg key = note_on(down, 10, 100, 90); /* no drum has note 100: still a tap */
    cr_assert(gv_midi_note_hit(&key, NULL, 0, &v, &vel));
    cr_assert_eq(v, GV_MIDI_TAP_VOICE);
    gv_pattern p;
    cr_assert_eq(gv_tap_quantise(&t, &p), 3, "the early one shares step 0 with the first (louder kept)");
    cr_assert(p.hit[0][GV_KICK] && p.hit[4][GV_SNARE] && p.hit[9][GV_CHAT]);
    cr_assert_float_eq(p.vel[0][GV_KICK], 100 / 127.f, 1e-6);
    cr_assert_float_eq(p.off[0][GV_KICK], 0.08f, 1e-4);
    cr_assert_float_eq(p.vel[4][GV_SNARE], 64 / 127.f, 1e-6);
    cr_assert_float_eq(p.off[4][GV_SNARE], -0.16f, 1e-4);
    cr_assert_float_eq(p.vel[9][GV_CHAT], 1.0f, 1e-6);
    cr_assert_float_eq(p.off[9][GV_CHAT], 0.4f, 1e-4);
}

Test(midi_in, tap_with_note_map_records_voices)
{
    gv_midi_map map;
    gv_midi_map_default(&map);
    gv_err e;
    cr_assert_eq(gv_midi_map_parse("kick 48\n", &map, &e), 0); /* a pad kit's kick on C3 */
    gv_tap t;
    gv_tap_start(&t, 0, 100);
    const double step = 0.15, down = 16 * step;
    gv_midi_msg ms[] = {note_on(down, 10, 48, 90), note_on(down + 2 * step, 10, 42, 50),
                        note_on(down + 4 * step + 0.03, 10, 38, 110), note_on(down + 5 * step, 10, 1, 99),
                        note_on(down + 6 * step, 2, 38, 99)};
    int taken = 0;
    for (int i = 0; i < 5; i++) {
        int v;
        float vel;
        if (gv_midi_note_hit(&ms[i], &map, 10, &v, &vel))
            taken += gv_tap_hit(&t, ms[i].t / 1e6, v, vel);
    }
    cr_assert_eq(taken, 3, "unmapped notes and other channels are ignored");
    gv_pattern p;
    cr_assert_eq(gv_tap_quantise(&t, &p), 3);
    cr_assert(p.hit[0][GV_KICK] && p.hit[2][GV_CHAT] && p.hit[4][GV_SNARE]);
    cr_assert_float_eq(p.vel[4][GV_SNARE], 110 / 127.f, 1e-6);
    cr_assert_float_eq(p.off[4][GV_SNARE], 0.2f, 1e-4);
}

/* ---- PortMidi ---- */

static void count_dev(const gv_midi_device *d, void *ctx)
{
    cr_assert(d->name && d->interf && (d->input || d->output));
    (*(int *)ctx)++;
}

Test(midi_pm, no_devices_is_a_clear_error)
{
    /* stderr goes to a file: ALSA must stay quiet */
    char path[] = "/tmp/test_midi_errXXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    gv_err e1 = {0}, e2 = {0}, e3 = {0};
    int n = 0;
    int rc = gv_midi_list(count_dev, &n, &e1);
    gv_midi_port *out = gv_midi_pm_open(NULL, GV_MIDI_OUT, 10, &e2);
    gv_midi_port *in = gv_midi_pm_open("nosuchpad", GV_MIDI_IN, 0, &e3);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct stat st;
    fstat(fd, &st);
    close(fd);
    unlink(path);
    if (access("/dev/snd/seq", F_OK) == 0) {
        /* a machine with a sequencer: whatever is there is listed */
        cr_assert(rc == 0 ? n > 0 : e1.msg[0] != 0);
        gv_midi_close(out);
        gv_midi_close(in);
        return;
    }
    cr_assert_eq(rc, -1);
    cr_assert_eq(n, 0);
    cr_assert_str_eq(e1.msg, "no MIDI devices (no ALSA sequencer: /dev/snd/seq is missing)");
    cr_assert_null(out);
    cr_assert_str_eq(e2.msg, e1.msg);
    cr_assert_null(in);
    cr_assert_str_eq(e3.msg, e1.msg);
    cr_assert_eq(st.st_size, 0, "nothing printed on stderr");
    /* and again: PortMidi comes up and down cleanly each time */
    cr_assert_eq(gv_midi_list(count_dev, &n, &e1), -1);
}

Test(midi_pm, bad_latency_refused)
{
    gv_err e = {0};
    cr_assert_null(gv_midi_pm_open(NULL, GV_MIDI_OUT, 0, &e));
    cr_assert_str_eq(e.msg, "MIDI latency 0 ms is not in 1..1000");
}

/* ---- the scheduler ----
 * Behaviour is tested with the scheduler in manual mode on a virtual clock:
 * the test moves time 1 ms at a time and runs one pass of the loop, so no
 * assertion depends on how busy the machine is.  One test runs the real
 * thread on the real clock and asserts only what load cannot change. */

static void sleep_us(int64_t us)
{
    struct timespec ts = {us / 1000000, (long)(us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* a manual scheduler on a memory port with a virtual clock at t0 */
typedef struct vsched {
    gv_midi_port *p;
    gv_midi_sched *s;
    int64_t t;
} vsched;

static void vs_open(vsched *v, int64_t lead, gv_midi_sched_cfg *cfg, int with_in)
{
    v->p = mem(lead, 1);
    v->t = 1000000;
    gv_midi_mem_set_time(v->p, v->t);
    cfg->manual = 1;
    gv_err e = {0};
    v->s = gv_midi_sched_new(v->p, with_in ? v->p : NULL, cfg, &e);
    cr_assert(v->s, "%s", e.msg);
}

/* moves the clock to `until` in 1 ms passes of the loop */
static void vs_run(vsched *v, int64_t until)
{
    while (v->t < until) {
        v->t = v->t + 1000 < until ? v->t + 1000 : until;
        gv_midi_mem_set_time(v->p, v->t);
        gv_midi_sched_tick(v->s);
    }
}

Test(midi_sched, keeps_the_schedule)
{
    const int64_t lead = 5000;
    gv_midi_sched_cfg cfg;
    gv_midi_sched_cfg_default(&cfg);
    cfg.bpm = 240; /* 62.5 ms steps */
    cfg.clock = GV_MIDI_CLOCK_OUT;
    vsched v;
    vs_open(&v, lead, &cfg, 0);
    gv_pattern *pt = pat(16, 240);
    for (int i = 0; i < 16; i++)
        gv_pattern_set(pt, i, i % 4 ? GV_CHAT : GV_KICK, 1, 0.3f + 0.04f * i, 0);
    cr_assert_eq(gv_midi_sched_queue(v.s, pt, GV_QUEUE_NOW), 0);
    cr_assert_eq(gv_midi_sched_start(v.s), 0);
    vs_run(&v, v.t + 1100000);
    gv_midi_status st;
    gv_midi_sched_status(v.s, &st);
    cr_assert(st.running);
    cr_assert_geq(st.step, 15.0);
    cr_assert_lt(st.step, 19.0);
    cr_assert_eq(st.loops, 1100, "one pass a tick");
    cr_assert_eq(gv_midi_sched_stop(v.s), 0);
    vs_run(&v, v.t + 30000);
    gv_midi_sched_status(v.s, &st);
    cr_assert_not(st.running);
    gv_midi_sched_free(v.s);

    gv_midi_port *p = v.p;
    int n = gv_midi_mem_count(p), ons = 0, pulses = 0, on_time = 0;
    int64_t first = -1;
    for (int i = 0; i < n; i++) {
        const gv_midi_rec *r = gv_midi_mem_get(p, i);
        on_time += r->written <= r->m.t - lead;
        if (r->m.b[0] == 0x99) {
            if (first < 0)
                first = r->m.t;
            /* timestamps are the schedule: step k exactly k * 62.5 ms on */
            double k = (double)(r->m.t - first) / 62500.0;
            cr_assert(fabs(k - round(k)) * 62500.0 <= 2, "note %d off the grid by %.1f us", ons,
                      fabs(k - round(k)) * 62500.0);
            cr_assert_eq(r->m.b[1], gv_voice_note((int)llround(k) % 4 ? GV_CHAT : GV_KICK));
            ons++;
        }
        pulses += r->m.b[0] == 0xf8;
    }
    cr_assert_geq(ons, 16);
    cr_assert_geq(pulses, 6 * 16);
    cr_assert_eq(gv_midi_mem_get(p, 0)->m.b[0], 0xf2, "SPP then Start open the stream");
    cr_assert_eq(gv_midi_mem_get(p, n - 1)->m.b[0], 0xfc, "Stop closes it");
    cr_assert_eq(gv_midi_mem_get(p, n - 2)->m.b[1], 123);
    /* passes every millisecond: every message goes out ahead of its lead
     * (the note-offs and Stop of the stop itself excepted) */
    cr_assert_geq(on_time, n - 4, "%d of %d messages written in time", on_time, n);
    free(pt);
    gv_midi_close(p);
}

/* The real thread on the real clock: it plays, stops and closes the stream.
 * Waits are bounded polls, and nothing here depends on the machine's load. */
Test(midi_sched, real_thread_plays_and_stops)
{
    gv_midi_port *p = mem(5000, 0);
    gv_midi_sched_cfg cfg;
    gv_midi_sched_cfg_default(&cfg);
    cfg.bpm = 240;
    gv_err e = {0};
    gv_midi_sched *s = gv_midi_sched_new(p, NULL, &cfg, &e);
    cr_assert(s, "%s", e.msg);
    gv_pattern *pt = pat(16, 240);
    for (int i = 0; i < 16; i += 2)
        gv_pattern_set(pt, i, GV_KICK, 1, 0.8f, 0);
    cr_assert_eq(gv_midi_sched_queue(s, pt, GV_QUEUE_NOW), 0);
    cr_assert_eq(gv_midi_sched_start(s), 0);
    int64_t t[16];
    for (int i = 0; i < 6000 && note_times(p, 36, t, 16) < 4; i++)
        sleep_us(5000);
    cr_assert_geq(note_times(p, 36, t, 16), 4, "the thread plays");
    /* On the grid: a whole number of 125 ms steps apart.  A thread stalled
     * past a step by a loaded machine skips rather than bursts (midi_out.c),
     * so a kick may be missing; none may be off the grid. */
    for (int k = 1; k < 4; k++) {
        long long d = (long long)(t[k] - t[k - 1]), r = d % 125000;
        cr_assert(d > 0 && (r <= 2 || r >= 125000 - 2), "kicks %lld us apart", d);
    }
    cr_assert_eq(gv_midi_sched_stop(s), 0);
    gv_midi_status st;
    for (int i = 0; i < 6000; i++) {
        gv_midi_sched_status(s, &st);
        if (!st.running)
            break;
        sleep_us(5000);
    }
    cr_assert_not(st.running, "and stops");
    gv_midi_sched_free(s);
    int n = gv_midi_mem_count(p);
    cr_assert_eq(gv_midi_mem_get(p, n - 1)->m.b[0], 0xb9, "All Notes Off closes the stream");
    free(pt);
    gv_midi_close(p);
}

Test(midi_sched, follows_external_clock_and_falls_back)
{
    const int64_t lead = 2000;
    gv_midi_sched_cfg cfg;
    gv_midi_sched_cfg_default(&cfg);
    cfg.clock = GV_MIDI_CLOCK_IN;
    cfg.bpm = 90; /* what the UI says; the clock wins */
    vsched v;
    vs_open(&v, lead, &cfg, 1);
    gv_midi_port *p = v.p;
    gv_pattern *pt = pat(16, 120);
    for (int i = 0; i < 16; i++)
        gv_pattern_set(pt, i, GV_KICK, 1, 0.8f, 0);
    gv_midi_sched_queue(v.s, pt, GV_QUEUE_NOW);
    /* an external 120 BPM master: Start, then 72 pulses (3 beats), each
     * read at the first pass after it arrived, as a device's would be */
    const int64_t period = 20833;
    int64_t pulse_t[80];
    gv_midi_msg m = rt(v.t, 0xfa);
    gv_midi_mem_inject(p, &m);
    int64_t t0 = v.t;
    for (int j = 0; j < 72; j++) {
        pulse_t[j] = t0 + (j + 1) * period;
        vs_run(&v, pulse_t[j]);
        m = rt(pulse_t[j], 0xf8);
        gv_midi_mem_inject(p, &m);
    }
    vs_run(&v, v.t + 5000);
    gv_midi_status st;
    gv_midi_sched_status(v.s, &st);
    cr_assert_eq(st.clock, GV_MIDI_CLOCK_IN);
    cr_assert_eq(st.clock_state, GV_MIDI_CLOCK_LOCKED);
    cr_assert(st.running && st.ext_running);
    double bpm = 60e6 / (24.0 * (double)(pulse_t[71] - pulse_t[0]) / 71);
    cr_assert(fabs(st.ext_bpm - bpm) < 0.5, "followed %.2f BPM, pulses say %.2f", st.ext_bpm, bpm);
    /* the kicks sit on the pulses of their steps (after the first beat) */
    int64_t kt[64];
    int nk = note_times(p, 36, kt, 64);
    cr_assert_geq(nk, 10);
    for (int k = 4; k < nk && 6 * k < 72; k++)
        cr_assert(llabs(kt[k] - pulse_t[6 * k]) <= 3000, "step %d: kick %lld us from its pulse", k,
                  (long long)(kt[k] - pulse_t[6 * k]));

    /* pulses stop: fallback to the internal clock, still playing */
    vs_run(&v, v.t + 300000);
    gv_midi_sched_status(v.s, &st);
    cr_assert_eq(st.clock_state, GV_MIDI_CLOCK_LOST);
    cr_assert(st.running, "playback goes on at the last tempo");
    nk = note_times(p, 36, kt, 64);
    double d = (double)(kt[nk - 1] - kt[nk - 2]);
    cr_assert(fabs(d - 60e6 / st.ext_bpm / 4) <= 2, "fallback steps of %.0f us", d);
    m = rt(v.t, 0xfc);
    gv_midi_mem_inject(p, &m);
    vs_run(&v, v.t + 20000);
    gv_midi_sched_status(v.s, &st);
    cr_assert_not(st.running);
    cr_assert_eq(st.ext_seq, 2, "Start and Stop seen");
    gv_midi_sched_free(v.s);
    for (int i = 0; i < gv_midi_mem_count(p); i++)
        cr_assert_neq(gv_midi_mem_get(p, i)->m.b[0], 0xf8, "clock in: no clock out");
    free(pt);
    gv_midi_close(p);
}

Test(midi_sched, lost_device_is_reported_and_time_goes_on)
{
    gv_midi_sched_cfg cfg;
    gv_midi_sched_cfg_default(&cfg);
    cfg.clock = GV_MIDI_CLOCK_OUT; /* a loss shows on the next write: pulses write often */
    vsched v;
    vs_open(&v, 2000, &cfg, 1);
    gv_midi_port *p = v.p;
    gv_pattern *pt = pat(16, 120);
    gv_pattern_set(pt, 0, GV_KICK, 1, 1, 0);
    gv_midi_sched_queue(v.s, pt, GV_QUEUE_NOW);
    gv_midi_sched_start(v.s);
    gv_midi_msg hit = note_on(0, 10, 38, 77);
    hit.t = v.t;
    gv_midi_mem_inject(p, &hit);
    vs_run(&v, v.t + 50000);
    gv_midi_msg got[4];
    cr_assert_eq(gv_midi_sched_notes(v.s, got, 4), 1, "pad hits reach the UI");
    cr_assert_eq(got[0].b[1], 38);
    cr_assert_eq(got[0].b[2], 77);
    gv_midi_mem_fail(p, 1);
    vs_run(&v, v.t + 50000);
    gv_midi_status st, st2;
    gv_midi_sched_status(v.s, &st);
    cr_assert(st.out_lost && st.in_lost);
    vs_run(&v, v.t + 50000);
    gv_midi_sched_status(v.s, &st2);
    cr_assert_eq(st2.loops, st.loops + 50, "the scheduler lives on");
    cr_assert_gt(st2.step, st.step, "and keeps time");
    gv_midi_sched_free(v.s);
    free(pt);
    gv_midi_close(p);
}

/* ---- the TUI's link: a core driving MIDI, pads and clock coming back ---- */

static gv_core *core_with_beat(float bpm)
{
    gv_core *c = gv_core_new("/nonexistent/groove-test-library");
    cr_assert(c);
    gv_pattern p;
    gv_pattern_init(&p, 32, bpm, "beat");
    for (int i = 0; i < 32; i += 4)
        gv_pattern_set(&p, i, GV_KICK, 1, 0.9f, 0);
    gv_core_set_input(c, &p, "test");
    return c;
}

static void link_up(gv_midi_link *l, gv_midi_port *p, int clock, int voice_map, double bpm)
{
    gv_midi_sched_cfg cfg;
    gv_midi_sched_cfg_default(&cfg);
    cfg.clock = clock;
    cfg.bpm = bpm;
    cfg.manual = 1; /* the test ticks it: see vs_run */
    gv_midi_map map;
    gv_midi_map_default(&map);
    gv_err e = {0};
    /* one memory port is both sides; the link closes what it holds, so
     * give it the port once and close it here */
    cr_assert_eq(gv_midi_link_attach(l, p, p, &cfg, &map, voice_map, &e), 0, "%s", e.msg);
}

/* moves a virtual port's clock from *t to until, ticking the link's scheduler */
static void link_run(gv_midi_link *l, gv_midi_port *p, int64_t *t, int64_t until)
{
    vsched v = {p, l->s, *t};
    vs_run(&v, until);
    *t = v.t;
}

static void link_down(gv_midi_link *l)
{
    gv_midi_sched_free(l->s);
    gv_midi_close(l->out);
    memset(l, 0, sizeof *l);
}

Test(midi_link, core_playback_goes_out)
{
    gv_midi_port *p = mem(3000, 1);
    int64_t t = 1000000;
    gv_midi_mem_set_time(p, t);
    gv_core *c = core_with_beat(240); /* kicks every 4 steps: 250 ms */
    gv_midi_link l;
    link_up(&l, p, GV_MIDI_CLOCK_OFF, 0, c->set.bpm);
    gv_core_action(c, GV_A_PLAY, 0);
    cr_assert(c->playing);
    gv_midi_link_sync(&l, c, NULL, 0);
    link_run(&l, p, &t, t + 600000);
    int64_t kt[16];
    int n = note_times(p, 36, kt, 16);
    cr_assert_geq(n, 2);
    cr_assert(fabs((double)(kt[1] - kt[0]) - 250000) <= 2, "kicks %lld us apart", (long long)(kt[1] - kt[0]));
    char st[64];
    gv_midi_link_state(&l, st, sizeof st);
    cr_assert_str_eq(st, "midi in+out");
    gv_core_action(c, GV_A_PLAY, 0);
    gv_midi_link_sync(&l, c, NULL, 0);
    link_run(&l, p, &t, t + 20000);
    const gv_midi_rec *last = gv_midi_mem_get(p, gv_midi_mem_count(p) - 1);
    cr_assert(last->m.b[0] == 0xb9 && last->m.b[1] == 123, "stop ends with All Notes Off");
    link_down(&l);
    gv_core_free(c);
}

Test(midi_link, pads_record_in_tap_mode)
{
    gv_midi_port *p = mem(3000, 0);
    gv_core *c = core_with_beat(120);
    gv_midi_link l;
    link_up(&l, p, GV_MIDI_CLOCK_OFF, 0, c->set.bpm);
    double now = (double)gv_midi_clock_us() / 1e6;
    gv_core_action(c, GV_A_TAP, now);
    cr_assert_eq(c->mode, GV_MODE_TAP);
    double down = c->tap.t0 + 16 * 0.125; /* after the one-bar count-in */
    gv_midi_msg a = note_on(down + 0.02, 10, 36, 100), b = note_on(down + 8 * 0.125 - 0.01, 10, 50, 40);
    gv_midi_mem_inject(p, &a);
    gv_midi_mem_inject(p, &b);
    gv_midi_sched_tick(l.s); /* the scheduler reads the pads */
    cr_assert_eq(gv_midi_link_sync(&l, c, NULL, now), 1);
    cr_assert_eq(c->tap.n, 2);
    gv_pattern q;
    cr_assert_eq(gv_tap_quantise(&c->tap, &q), 2);
    cr_assert(q.hit[0][GV_KICK] && q.hit[8][GV_HTOM], "each pad its GM drum (so the lanes follow)");
    cr_assert_float_eq(q.off[0][GV_KICK], 0.16f, 1e-3);
    cr_assert_float_eq(q.vel[8][GV_HTOM], 40 / 127.f, 1e-6);
    link_down(&l);
    gv_core_free(c);
}

/* In a jam pads tap, keeping the note they came from: without a map every
 * note on one lane; with one, voice by voice and unmapped notes ignored. */
static void jam_pads(int voice_map)
{
    gv_midi_port *p = mem(3000, 0);
    gv_core *c = core_with_beat(120);
    gv_core_set_model(c, "test", 8); /* a jam needs a model; this one runs no job */
    gv_midi_link l;
    link_up(&l, p, GV_MIDI_CLOCK_OFF, voice_map, c->set.bpm);
    double now = (double)gv_midi_clock_us() / 1e6;
    gv_core_action(c, GV_A_JAM, now);
    cr_assert(c->jam.on, "%s", c->msg);
    gv_midi_msg a = note_on(now + 0.25, 10, 38, 100), b = note_on(now + 0.5, 1, 20, 50);
    gv_midi_mem_inject(p, &a);
    gv_midi_mem_inject(p, &b);
    gv_midi_sched_tick(l.s);
    cr_assert_eq(gv_midi_link_sync(&l, c, NULL, now), 1);
    const gv_jam_take *tk = &c->jam.take;
    cr_assert_eq(tk->ntaps, voice_map ? 1 : 2);
    cr_assert_float_eq(tk->taps[0].step, 2, 1e-3); /* 120 BPM: a step is 125 ms */
    cr_assert_eq(tk->taps[0].note, 38);
    cr_assert_float_eq(tk->taps[0].vel, 100 / 127.f, 1e-6);
    cr_assert_eq(tk->taps[0].voice, voice_map ? GV_SNARE : GV_MIDI_TAP_VOICE);
    if (!voice_map) {
        cr_assert_eq(tk->taps[1].note, 20);
        cr_assert_eq(tk->taps[1].voice, GV_MIDI_TAP_VOICE);
    }
    link_down(&l);
    gv_core_free(c);
}

Test(midi_link, pads_tap_into_a_jam_on_one_lane) { jam_pads(0); }
Test(midi_link, pads_tap_into_a_jam_through_the_map) { jam_pads(1); }

Test(midi_link, clock_in_drives_the_core)
{
    gv_midi_port *p = mem(2000, 1);
    int64_t t = 10000000;
    gv_midi_mem_set_time(p, t);
    gv_core *c = core_with_beat(90);
    cr_assert_float_eq(c->set.bpm, 90, 1e-6);
    gv_midi_link l;
    link_up(&l, p, GV_MIDI_CLOCK_IN, 0, c->set.bpm);
    /* two beats of a 132 BPM master that has just pressed Start */
    const double period = 60e6 / 132 / 24;
    int64_t t0 = t - (int64_t)(47 * period) - 1000;
    gv_midi_msg m = rt(t0 - 1000, 0xfa);
    gv_midi_mem_inject(p, &m);
    for (int j = 0; j < 48; j++) {
        m = rt(t0 + llround(j * period), 0xf8);
        gv_midi_mem_inject(p, &m);
    }
    link_run(&l, p, &t, t + 10000);
    gv_midi_link_sync(&l, c, NULL, 0);
    cr_assert(c->playing, "external Start plays");
    cr_assert_float_eq(c->set.bpm, 132, 1e-3);
    cr_assert_str_eq(c->msg, "following MIDI clock at 132.0 BPM");
    char st[64];
    gv_midi_link_state(&l, st, sizeof st);
    cr_assert_str_eq(st, "clock in 132.0");
    m = rt(t, 0xfc);
    gv_midi_mem_inject(p, &m);
    link_run(&l, p, &t, t + 10000);
    gv_midi_link_sync(&l, c, NULL, 0);
    cr_assert_not(c->playing, "external Stop stops");
    link_run(&l, p, &t, t + 200000); /* no more pulses */
    gv_midi_link_sync(&l, c, NULL, 0);
    cr_assert_str_eq(c->msg, "MIDI clock stopped: internal clock at 132.0 BPM");
    gv_midi_link_state(&l, st, sizeof st);
    cr_assert_str_eq(st, "clock lost");
    link_down(&l);
    gv_core_free(c);
}

/* Clock in: the DAW leads a jam.  Its position (counted from the bar pair
 * the jam started in) is the jam's timeline, its tempo the jam's. */
Test(midi_link, clock_in_drives_a_jam)
{
    gv_midi_port *p = mem(2000, 1);
    int64_t t = 10000000;
    gv_midi_mem_set_time(p, t);
    gv_core *c = core_with_beat(90);
    gv_core_set_model(c, "test", 8); /* a jam needs a model; this one runs no job */
    gv_midi_link l;
    link_up(&l, p, GV_MIDI_CLOCK_IN, 0, c->set.bpm);
    const double period = 60e6 / 132 / 24;
    int64_t t0 = t - (int64_t)(47 * period) - 1000;
    gv_midi_msg m = rt(t0 - 1000, 0xfa);
    gv_midi_mem_inject(p, &m);
    int pulse = 0;
    for (; pulse < 48; pulse++) { /* two beats of a 132 BPM master */
        m = rt(t0 + llround(pulse * period), 0xf8);
        gv_midi_mem_inject(p, &m);
    }
    link_run(&l, p, &t, t + 10000);
    gv_midi_link_sync(&l, c, NULL, (double)t / 1e6);
    cr_assert(c->playing);
    gv_core_action(c, GV_A_JAM, (double)t / 1e6);
    cr_assert(c->jam.on, "%s", c->msg);
    gv_midi_link_sync(&l, c, NULL, (double)t / 1e6); /* the jam's origin: the bar pair it started in */
    gv_midi_status st;
    gv_midi_sched_status(l.s, &st);
    double origin = floor(st.step / GV_JAM_STEPS) * GV_JAM_STEPS;
    /* a bar and a half more of the master's pulses */
    for (int k = 0; k < 144; k++, pulse++) { /* 96 pulses a bar */
        m = rt(t0 + llround(pulse * period), 0xf8);
        gv_midi_mem_inject(p, &m);
    }
    int64_t until = t0 + llround((pulse - 1) * period) + 2000;
    link_run(&l, p, &t, until);
    double now = (double)t / 1e6;
    gv_midi_link_sync(&l, c, NULL, now);
    gv_midi_sched_status(l.s, &st);
    cr_assert_float_eq(c->set.bpm, 132, 1e-3, "the jam plays at the master's tempo");
    double js = gv_core_jam_step(c, now);
    cr_assert(fabs(js - (st.step - origin)) < 0.5, "jam at step %.2f, the clock at %.2f from the jam's origin", js,
              st.step - origin);
    cr_assert_gt(js, 16, "the master's bar and a half moved the jam");
    gv_core_jam_end(c, now);
    link_down(&l);
    gv_core_free(c);
}

Test(midi_link, no_devices_leaves_midi_off)
{
    if (access("/dev/snd/seq", F_OK) == 0)
        return; /* a machine with a sequencer may well have the default port */
    gv_midi_cli o;
    gv_midi_cli_default(&o);
    gv_midi_link l;
    cr_assert_eq(gv_midi_link_open(&l, &o, 120), 0, "nothing asked, nothing missing");
    gv_midi_link_close(&l);
    o.out = "1";
    o.clock = GV_MIDI_CLOCK_IN;
    cr_assert_eq(gv_midi_link_open(&l, &o, 120), -1);
    cr_assert_str_eq(l.note, "MIDI output: no MIDI devices (no ALSA sequencer: /dev/snd/seq is missing); "
                             "MIDI input: no MIDI devices (no ALSA sequencer: /dev/snd/seq is missing)");
    char st[64];
    gv_midi_link_state(&l, st, sizeof st);
    cr_assert_str_eq(st, "no midi", "asked for and missing: not the same as off");
    gv_core *c = core_with_beat(120);
    cr_assert_eq(gv_midi_link_sync(&l, c, NULL, 0), 0);
    gv_midi_link_close(&l);
    gv_core_free(c);
}

Test(midi_link, apply_opens_what_the_core_asks)
{
    if (access("/dev/snd/seq", F_OK) == 0)
        return;
    gv_midi_cli base;
    gv_midi_cli_default(&base);
    gv_core *c = core_with_beat(120);
    gv_midi_link l;
    memset(&l, 0, sizeof l);
    char st[64];
    /* nothing asked: off, and said so only when asked to */
    unsigned serial = c->msg_serial;
    cr_assert_eq(gv_midi_link_apply(&l, &base, c, 0), 0);
    cr_assert_eq(c->msg_serial, serial);
    cr_assert_eq(gv_midi_link_apply(&l, &base, c, 1), 0);
    cr_assert_str_eq(c->msg, "MIDI off");
    gv_midi_link_state(&l, st, sizeof st);
    cr_assert_str_eq(st, "midi off");
    /* an output and clock out that cannot open: the reason on the message
     * line, the name given back, the clock request kept */
    snprintf(c->midi_out, sizeof c->midi_out, "0");
    c->midi_clock = GV_MIDI_CLOCK_OUT;
    cr_assert_eq(gv_midi_link_apply(&l, &base, c, 0), -1);
    cr_assert(c->msg_err);
    cr_assert_str_eq(c->msg, "MIDI output: no MIDI devices (no ALSA sequencer: /dev/snd/seq is missing)");
    cr_assert_str_eq(c->midi_out, "");
    cr_assert_eq(c->midi_clock, GV_MIDI_CLOCK_OUT);
    gv_midi_link_state(&l, st, sizeof st);
    cr_assert_str_eq(st, "no midi");
    /* a refused drum map is said too, and the rest goes on */
    base.map = "/nonexistent/groove.map";
    c->midi_clock = GV_MIDI_CLOCK_OFF;
    cr_assert_eq(gv_midi_link_apply(&l, &base, c, 1), -1);
    cr_assert(strstr(c->msg, "/nonexistent/groove.map: "), "%s", c->msg);
    base.map = "gm"; /* the General MIDI table by name: nothing to load */
    cr_assert_eq(gv_midi_link_apply(&l, &base, c, 1), 0);
    gv_midi_link_close(&l);
    gv_core_free(c);
}

/* ---- groove play: N loops on the scheduler, and not a note more ---- */

Test(midi_play, loops_end_on_the_bar)
{
    gv_midi_sched_cfg cfg;
    gv_midi_sched_cfg_default(&cfg);
    cfg.bpm = 300; /* 50 ms steps: a bar is 0.8 s */
    vsched v;
    vs_open(&v, 3000, &cfg, 0);
    gv_midi_port *p = v.p;
    gv_pattern *pt = pat(16, 300);
    for (int i = 0; i < 16; i += 4)
        gv_pattern_set(pt, i, GV_KICK, 1, 0.8f, 0);
    gv_pattern_set(pt, 0, GV_SNARE, 1, 0.8f, -0.4f); /* early: goes out before the bar line */
    cr_assert_eq(gv_midi_sched_queue(v.s, pt, GV_QUEUE_NOW), 0);
    cr_assert_eq(gv_midi_sched_start(v.s), 0);
    volatile sig_atomic_t stop = 0;
    int ended = 0, r;
    /* groove play's wait, one look per millisecond of the virtual clock */
    while ((r = gv_midi_cli_play_poll(v.s, pt, 2 * 16, &stop, &ended)) == 0)
        vs_run(&v, v.t + 1000);
    cr_assert_eq(r, 1);
    gv_midi_status st;
    gv_midi_sched_status(v.s, &st);
    cr_assert_geq(st.step, 32.0);
    cr_assert_lt(st.step, 32.1, "returns at the end, not a loop later (%.2f)", st.step);
    vs_run(&v, v.t + 300000); /* the silent bar goes on */
    gv_midi_sched_stop(v.s);
    vs_run(&v, v.t + 1000);
    gv_midi_sched_free(v.s);
    int64_t t[16];
    cr_assert_eq(note_times(p, 36, t, 16), 8, "2 loops of 4 kicks");
    cr_assert_eq(note_times(p, gv_voice_note(GV_SNARE), t, 16), 2, "the 3rd loop's early snare stays home");
    /* and a stop request ends it at once, on the real thread too */
    gv_err e = {0};
    cfg.manual = 0;
    gv_midi_sched *s = gv_midi_sched_new(p, NULL, &cfg, &e);
    cr_assert(s, "%s", e.msg);
    stop = 1;
    cr_assert_eq(gv_midi_cli_play_wait(s, pt, 0, &stop), 0);
    gv_midi_sched_free(s);
    free(pt);
    gv_midi_close(p);
}

/* test_synth.c - the sequencer timeline, the kit, the mixer, the player and
 * offline rendering, checked on rendered audio. */
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio.h"
#include "synth/kit.h"
#include "synth/mixer.h"
#include "synth/player.h"
#include "synth/render.h"
#include "patterns/sequencer.h"
#include "base/spsc.h"
#include "synth/transport.h"
#include "synth/audio.h"
#include "kernels/rng.h"

#define RATE 48000.0
#define MS (RATE / 1000.0)

/* ---- helpers ---- */

static gv_kit kit;
static void kit_up(void) { cr_assert_eq(gv_kit_builtin(&kit, RATE, NULL), 0); }
static void kit_down(void) { gv_kit_free(&kit); }

static gv_pattern *pat(int steps, float bpm)
{
    gv_pattern *p = malloc(sizeof *p);
    cr_assert(p);
    gv_pattern_init(p, steps, bpm, "t");
    return p;
}

static float *render(const gv_pattern *p, double bpm, double swing, int loops, int64_t *n, int64_t *origin)
{
    gv_render_opts o;
    gv_render_opts_default(&o);
    o.bpm = bpm;
    o.swing = swing;
    o.loops = loops;
    float *x;
    gv_err e;
    cr_assert_eq(gv_render(p, &kit, &o, &x, n, origin, &e), 0, "%s", e.msg);
    return x;
}

static float amp(const float *x, int64_t i) { return fmaxf(fabsf(x[2 * i]), fabsf(x[2 * i + 1])); }

/* Frames where the signal rises above thr after at least `gap` frames at or
 * below it: note starts, for voices that die away between notes. */
static int onsets(const float *x, int64_t n, float thr, int64_t gap, int64_t *out, int max)
{
    int k = 0;
    int64_t still = gap;
    for (int64_t i = 0; i < n; i++) {
        float a = amp(x, i);
        if (a > thr && still >= gap && k < max)
            out[k++] = i;
        still = a <= thr ? still + 1 : 0;
    }
    return k;
}

/* Where a note should sound, from first principles (no sequencer code). */
static double expect_frame(int64_t origin, double u, int cell, double swing, double off, double bpm)
{
    double fps = RATE * 60.0 / (bpm * 4.0);
    return (double)origin + (u + ((cell & 1) ? swing / 2 : 0) + off) * fps;
}

static double energy(const float *x, int64_t a, int64_t b)
{
    double s = 0;
    for (int64_t i = a; i < b; i++)
        s += (double)x[2 * i] * x[2 * i] + (double)x[2 * i + 1] * x[2 * i + 1];
    return s;
}

/* ---- sequencer ---- */

Test(sequencer, ticks_frames_and_swing)
{
    int64_t K = gv_seq_tick_rate(120, RATE);
    cr_assert_float_eq(gv_seq_frames_per_step(120, RATE), 6000.0, 1e-3);
    cr_assert_eq(gv_seq_tick_frame(gv_seq_frame_tick(12345, 100, K), 100, K), 12345);
    cr_assert_eq(gv_seq_floordiv(-7, 2), -4);
    cr_assert_float_eq(gv_seq_swing_delay(3, 0.5), 0.25, 1e-12);
    cr_assert_float_eq(gv_seq_swing_delay(4, 0.5), 0.0, 1e-12);
    cr_assert_eq(gv_seq_note_tick(5, 0, 0.f), 5 * GV_SEQ_TICKS_PER_STEP);
    cr_assert_eq(gv_seq_cell(6000 * 17, 0, K, 16), 1);
    cr_assert_float_eq(gv_seq_frame_step(3000, 0, K), 0.5, 1e-6);
}

/* Baked swing: the grid times the sequencer would give the hits, as offsets;
 * unbaking gives the pattern back; an offset never leaves -0.5..0.5. */
Test(sequencer, swing_baked_into_offsets)
{
    static gv_pattern p, q;
    gv_pattern_init(&p, 32, 120, "s");
    gv_pattern_set(&p, 0, GV_KICK, 1, 1, 0.1f);
    gv_pattern_set(&p, 3, GV_CHAT, 1, 0.5f, -0.2f);
    gv_pattern_set(&p, 5, GV_SNARE, 1, 0.5f, 0.45f);
    q = p;
    gv_seq_swing_bake(&q, 0.32);
    cr_assert_float_eq(q.off[0][GV_KICK], 0.1f, 1e-6);
    cr_assert_float_eq(q.off[3][GV_CHAT], -0.2f + 0.16f, 1e-6);
    cr_assert_float_eq(q.off[5][GV_SNARE], 0.5f, 1e-6); /* 0.61: clamped */
    cr_assert_eq(gv_pattern_count(&q), 3);
    for (int u = 0; u < 32; u++)
        for (int v = 0; v < GV_VOICES; v++)
            if (p.hit[u][v] && !(u == 5 && v == GV_SNARE))
                cr_assert_lt(llabs(gv_seq_note_tick(u, 0, q.off[u][v]) - gv_seq_note_tick(u, 0.32, p.off[u][v])),
                             GV_SEQ_TICKS_PER_STEP / 1000000); /* a float offset's precision */
    gv_seq_swing_unbake(&q, 0.32);
    cr_assert_float_eq(q.off[3][GV_CHAT], -0.2f, 1e-6);
    cr_assert_float_eq(q.off[0][GV_KICK], 0.1f, 1e-6);
    q = p;
    gv_seq_swing_bake(&q, 0);
    cr_assert_eq(memcmp(&q, &p, sizeof p), 0);
}

Test(sequencer, events_land_on_their_frames_with_offset_and_swing)
{
    gv_pattern *p = pat(16, 120);
    gv_pattern_set(p, 0, GV_KICK, 1, 1, -0.25f); /* early: before the loop point */
    gv_pattern_set(p, 3, GV_CHAT, 1, 0.5f, 0.f);  /* odd: swung */
    gv_pattern_set(p, 7, GV_SNARE, 1, 0.8f, 0.3f); /* odd, late: swing then offset */
    gv_pattern_set(p, 8, GV_CHAT, 1, 0.6f, 0.1f);  /* even: offset only */
    gv_pattern_set(p, 15, GV_RIDE, 1, 0.7f, 0.5f); /* latest possible: sounds at the loop point */
    double bpm = 97, swing = 0.6, fps = RATE * 60 / (bpm * 4);
    gv_event ev[64];
    int64_t origin = 1000, from = origin - 7000, to = origin + (int64_t)(3 * 16 * fps);
    int n = gv_seq_events(p, bpm, swing, RATE, from, to, origin, ev, 64);
    /* expected, from first principles: every note of loops -1..3 whose
     * exact time falls in [from, to) */
    int want = 0, early_before_loop1 = 0;
    for (int l = -1; l <= 3; l++)
        for (int c = 0; c < 16; c++)
            for (int v = 0; v < GV_VOICES; v++) {
                if (!p->hit[c][v])
                    continue;
                double f = expect_frame(origin, l * 16 + c, c, swing, p->off[c][v], bpm);
                if (f < (double)from || f >= (double)to)
                    continue;
                want++;
                int found = 0;
                for (int i = 0; i < n; i++)
                    found += ev[i].voice == v && (double)ev[i].frame > f - 1.1 && (double)ev[i].frame <= f + 0.1 &&
                             ev[i].vel == p->vel[c][v];
                cr_assert_eq(found, 1, "loop %d cell %d voice %d at %.2f", l, c, v, f);
                if (l == 1 && c == 0)
                    early_before_loop1 = f < expect_frame(origin, 16, 0, 0, 0, bpm);
            }
    cr_assert_eq(n, want, "%d events, %d expected", n, want);
    cr_assert(early_before_loop1, "the early kick of loop 1 sounds before the loop point");
    for (int i = 1; i < n; i++)
        cr_assert(ev[i].frame >= ev[i - 1].frame, "events sorted");
    free(p);
}

Test(sequencer, any_block_split_gives_the_same_events)
{
    gv_pattern *p = pat(32, 120);
    gv_rng r;
    gv_rng_seed(&r, 7);
    for (int c = 0; c < 32; c++)
        for (int v = 0; v < GV_VOICES; v++)
            if (gv_rng_uniform(&r) < 0.3f)
                gv_pattern_set(p, c, v, 1, 0.1f + 0.9f * gv_rng_uniform(&r), gv_rng_uniform(&r) - 0.5f);
    static gv_event all[4096], part[4096];
    int64_t end = 5 * 32 * 6000;
    int n = gv_seq_events(p, 120, 0.3, RATE, -6000, end, 0, all, 4096);
    cr_assert(n >= 5 * gv_pattern_count(p));
    int m = 0;
    for (int64_t f = -6000; f < end;) {
        int64_t b = f + 1 + (int64_t)gv_rng_below(&r, 900);
        if (b > end)
            b = end;
        m += gv_seq_events(p, 120, 0.3, RATE, f, b, 0, part + m, 4096 - m);
        f = b;
    }
    cr_assert_eq(m, n);
    for (int i = 0; i < n; i++) {
        cr_assert_eq(part[i].frame, all[i].frame, "event %d", i);
        cr_assert_eq(part[i].voice, all[i].voice);
    }
    /* every loop has every note exactly once */
    int64_t K = gv_seq_tick_rate(120, RATE);
    static gv_seq_note notes[4096];
    int k = gv_seq_notes_in(p, 0.3, -GV_SEQ_TICKS_PER_STEP, gv_seq_frame_tick(end, 0, K) + GV_SEQ_TICKS_PER_STEP, 0, 5 * 32, notes, 4096);
    cr_assert_eq(k, 5 * gv_pattern_count(p));
    free(p);
}

Test(sequencer, tempo_change_keeps_position_and_drops_nothing)
{
    gv_pattern *p = pat(16, 120);
    for (int c = 0; c < 16; c++)
        gv_pattern_set(p, c, GV_CHAT, 1, 1, c % 3 ? 0.f : -0.4f);
    /* frame helpers: re-anchoring keeps the position to within half a frame */
    int64_t K1 = gv_seq_tick_rate(120, RATE), K2 = gv_seq_tick_rate(171.3, RATE);
    int64_t f = 6000 * 21 + 1234;
    int64_t o2 = gv_seq_reanchor(f, 0, K1, K2);
    cr_assert(llabs(gv_seq_frame_tick(f, o2, K2) - gv_seq_frame_tick(f, 0, K1)) <= K2 / 2 + 1);
    cr_assert_eq(gv_seq_cell(f, o2, K2, 16), 5);

    /* the player: a tempo change between blocks drops and doubles nothing */
    gv_player *pl = gv_player_new(RATE, &kit, NULL);
    gv_player_set_tempo(pl, 120);
    gv_player_set_loop_limit(pl, 3);
    gv_player_queue(pl, p, GV_QUEUE_NOW);
    gv_player_start(pl);
    float buf[2 * 300];
    int blocks = 0, cell_before = -1;
    while (gv_player_playing(pl) && blocks < 100000) {
        gv_player_render(pl, buf, 300);
        if (++blocks == 211) {
            cell_before = gv_player_cell(pl);
            gv_player_set_tempo(pl, 171.3);
        }
        if (blocks == 212) {
            int c = gv_player_cell(pl);
            cr_assert(c == cell_before || c == (cell_before + 1) % 16, "position kept: %d then %d", cell_before, c);
        }
    }
    cr_assert_eq(gv_player_notes(pl), 3 * 16);
    cr_assert_eq(gv_player_loops_done(pl), 3);
    gv_player_free(pl);

    /* and the audio follows: hats every beat, 120 then 80 BPM from frame 60000 */
    gv_pattern *q = pat(16, 120);
    for (int c = 0; c < 16; c += 4)
        gv_pattern_set(q, c, GV_CHAT, 1, 1, 0);
    pl = gv_player_new(RATE, &kit, NULL);
    gv_player_set_tempo(pl, 120);
    gv_player_queue(pl, q, GV_QUEUE_NOW);
    gv_player_start(pl);
    int64_t total = 240000;
    float *x = calloc((size_t)total * 2, sizeof(float));
    for (int64_t i = 0; i < total; i += 250) {
        if (i == 60000)
            gv_player_set_tempo(pl, 80);
        gv_player_render(pl, x + 2 * i, 250);
    }
    int64_t at[16];
    int k = onsets(x, total, 1e-3f, 1500, at, 16);
    /* beats at 0, 24000, 48000; at 60000 the position is beat 2.5, so the
     * next beat is half a beat of 80 BPM later (18000 frames), then 36000 */
    cr_assert(k >= 6, "%d onsets", k);
    int64_t want[6] = {0, 24000, 48000, 78000, 114000, 150000};
    for (int i = 0; i < 6; i++)
        cr_assert(llabs(at[i] - want[i]) <= 48, "beat %d at %lld, expected %lld", i, (long long)at[i],
                  (long long)want[i]);
    free(x);
    gv_player_free(pl);
    free(q);
    free(p);
}

/* ---- rendering: timing ---- */

TestSuite(render, .init = kit_up, .fini = kit_down);
TestSuite(sequencer, .init = kit_up, .fini = kit_down);
TestSuite(player, .init = kit_up, .fini = kit_down);
TestSuite(mixer, .init = kit_up, .fini = kit_down);

/* Each note rendered alone: its onset is at its frame within 1 ms. */
Test(render, each_onset_lands_on_its_sample)
{
    static const struct { int cell, voice; float off; } notes[] = {
        {0, GV_KICK, 0.f}, {0, GV_SNARE, -0.3f}, {3, GV_CHAT, 0.f}, {5, GV_LTOM, 0.2f},
        {6, GV_CRASH, -0.45f}, {9, GV_RIDE, 0.37f}, {12, GV_OHAT, 0.05f}, {15, GV_HTOM, 0.5f},
        {31, GV_SNARE, -0.2f}};
    double swings[] = {0, 0.66};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
            gv_pattern *p = pat(32, 100);
            gv_pattern_set(p, notes[i].cell, notes[i].voice, 1, 0.9f, notes[i].off);
            int64_t n, origin, at[8];
            float *x = render(p, 133, swings[s], 2, &n, &origin);
            int k = onsets(x, n, 1e-3f, 4000, at, 8);
            cr_assert(k >= 1);
            double want = expect_frame(origin, notes[i].cell, notes[i].cell, swings[s], notes[i].off, 133);
            cr_assert(fabs((double)at[0] - want) <= MS, "note %zu swing %g: onset %lld, expected %.1f", i,
                      swings[s], (long long)at[0], want);
            if (notes[i].cell == 0 && notes[i].off < 0)
                cr_assert(origin > 0 && at[0] < origin, "early first hit gets a pre-roll");
            free(x);
            free(p);
        }
}

/* A pattern of hats far apart: every onset of both loops, offsets, swing, and
 * the early hit of loop 2 before the loop point. */
Test(render, onsets_across_the_loop)
{
    gv_pattern *p = pat(32, 100);
    float offs[8] = {-0.4f, 0.2f, 0.f, -0.1f, 0.45f, 0.f, 0.3f, -0.2f};
    for (int j = 0; j < 8; j++)
        gv_pattern_set(p, 4 * j + (j & 1), GV_CHAT, 1, 0.8f, offs[j]);
    double swing = 0.5, bpm = 90;
    int64_t n, origin, at[32];
    float *x = render(p, bpm, swing, 2, &n, &origin);
    int k = onsets(x, n, 1e-3f, 1500, at, 32);
    cr_assert_eq(k, 16, "16 hat onsets, found %d", k);
    for (int l = 0; l < 2; l++)
        for (int j = 0; j < 8; j++) {
            int c = 4 * j + (j & 1);
            double want = expect_frame(origin, 32 * l + c, c, swing, offs[j], bpm);
            cr_assert(fabs((double)at[8 * l + j] - want) <= MS, "loop %d hit %d: %lld vs %.1f", l, j,
                      (long long)at[8 * l + j], want);
        }
    cr_assert(at[8] < origin + 32 * 8000, "loop 2's early hit sounds before the loop point");
    free(x);
    free(p);
}

Test(render, deterministic_bytes)
{
    gv_pattern *p = pat(32, 120);
    for (int c = 0; c < 32; c++) {
        gv_pattern_set(p, c, GV_CHAT, 1, 0.4f + 0.02f * c, (c % 5) * 0.05f);
        if (c % 4 == 0)
            gv_pattern_set(p, c, c % 8 ? GV_SNARE : GV_KICK, 1, 0.9f, -0.05f);
    }
    gv_pattern_set(p, 0, GV_CRASH, 1, 1, 0);
    int64_t n1, n2, o;
    float *a = render(p, 0, 0.2, 2, &n1, &o), *b = render(p, 0, 0.2, 2, &n2, &o);
    cr_assert_eq(n1, n2);
    cr_assert_eq(memcmp(a, b, (size_t)n1 * 8), 0);
    char f1[] = "/tmp/gv_render_XXXXXX";
    cr_assert(mkdtemp(f1));
    char w1[64], w2[64];
    snprintf(w1, sizeof w1, "%s/a.wav", f1);
    snprintf(w2, sizeof w2, "%s/b.wav", f1);
    gv_err e;
    cr_assert_eq(gv_render_write_wav(w1, a, n1, RATE, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_render_write_wav(w2, b, n2, RATE, 0, &e), 0, "%s", e.msg);
    unsigned char *d1, *d2;
    size_t l1, l2;
    cr_assert_eq(gv_read_file(w1, 1 << 28, &d1, &l1, NULL), 0);
    cr_assert_eq(gv_read_file(w2, 1 << 28, &d2, &l2, NULL), 0);
    cr_assert_eq(l1, l2);
    cr_assert_eq(memcmp(d1, d2, l1), 0, "identical WAV bytes");
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(w1, SFM_READ, &info);
    cr_assert(sf);
    cr_assert_eq(info.channels, 2);
    cr_assert_eq(info.samplerate, 48000);
    cr_assert_eq(info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    cr_assert_eq(info.frames, n1);
    short s[2];
    sf_seek(sf, 24000, SEEK_SET);
    sf_readf_short(sf, s, 1);
    cr_assert_eq(s[0], (short)lrintf(a[2 * 24000] * 32767.f));
    sf_close(sf);
    /* float output */
    cr_assert_eq(gv_render_write_wav(w2, a, n1, RATE, 1, &e), 0, "%s", e.msg);
    sf = sf_open(w2, SFM_READ, &info);
    cr_assert(sf);
    cr_assert_eq(info.format, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    float fl[2];
    sf_seek(sf, 30000, SEEK_SET);
    sf_readf_float(sf, fl, 1);
    cr_assert_eq(fl[1], a[2 * 30000 + 1]);
    sf_close(sf);
    unlink(w1);
    unlink(w2);
    rmdir(f1);
    free(d1);
    free(d2);
    free(a);
    free(b);
    free(p);
}

Test(render, tail_lets_cymbals_ring_out)
{
    gv_pattern *p = pat(16, 120);
    gv_pattern_set(p, 15, GV_CRASH, 1, 1, 0);
    int64_t n, o;
    float *x = render(p, 120, 0, 1, &n, &o);
    double end_of_notes = o + 16 * 6000.0;
    cr_assert((double)n > end_of_notes + 2.5 * RATE, "tail of %g s", (n - end_of_notes) / RATE);
    double last = energy(x, n - 4800, n) / 4800;
    cr_assert(last < 1e-8, "rings out to silence (%g)", last);
    free(x);
    free(p);
}

/* ---- mixer: velocity, choke, limiter ---- */

static float peak_of(const gv_pattern *p)
{
    int64_t n, o;
    float *x = render(p, 120, 0, 1, &n, &o);
    float m = 0;
    for (int64_t i = 0; i < n; i++)
        m = fmaxf(m, amp(x, i));
    free(x);
    return m;
}

/* High-frequency share: energy of the first difference over energy. */
static double brightness(const gv_pattern *p)
{
    int64_t n, o;
    float *x = render(p, 120, 0, 1, &n, &o);
    double d = 0, s = 0;
    for (int64_t i = o + 1; i < o + 4800 && i < n; i++) {
        double a = x[2 * i], b = x[2 * i - 2];
        d += (a - b) * (a - b);
        s += a * a;
    }
    free(x);
    return d / s;
}

Test(mixer, velocity_sets_level_and_brightness)
{
    for (int v = 0; v < GV_VOICES; v++) {
        gv_pattern *soft = pat(16, 120), *loud = pat(16, 120);
        gv_pattern_set(soft, 0, v, 1, 0.3f, 0);
        gv_pattern_set(loud, 0, v, 1, 0.9f, 0);
        float ps = peak_of(soft), pl = peak_of(loud);
        cr_assert(pl > 1.5f * ps, "voice %s: loud peak %g vs soft %g", gv_voice_name(v), pl, ps);
        double bs = brightness(soft), bl = brightness(loud);
        cr_assert(bl > bs * 1.05, "voice %s: brighter when louder (%g vs %g)", gv_voice_name(v), bl, bs);
        free(soft);
        free(loud);
    }
}

Test(mixer, closed_hat_chokes_open_hat)
{
    gv_pattern *open = pat(16, 120), *choked = pat(16, 120), *closed = pat(16, 120);
    gv_pattern_set(open, 0, GV_OHAT, 1, 1, 0);
    gv_pattern_set(choked, 0, GV_OHAT, 1, 1, 0);
    gv_pattern_set(choked, 2, GV_CHAT, 1, 0.5f, 0);
    gv_pattern_set(closed, 2, GV_CHAT, 1, 0.5f, 0);
    int64_t n1, n2, n3, o1, o2, o3;
    float *a = render(open, 120, 0, 1, &n1, &o1), *b = render(choked, 120, 0, 1, &n2, &o2),
          *c = render(closed, 120, 0, 1, &n3, &o3);
    int64_t t = o1 + 2 * 6000 + (int64_t)(30 * MS), u = t + (int64_t)(300 * MS);
    double ea = energy(a, t, u), eb = energy(b, t, u), ec = energy(c, t, u);
    cr_assert(ea > 0 && eb < 0.02 * ea, "open hat cut: %g of its energy left", eb / ea);
    cr_assert(eb < 3 * ec + 1e-9, "what is left is the closed hat's tail");
    /* and before the closed hat the open hat is untouched */
    cr_assert_eq(memcmp(a, b, (size_t)(o1 + 2 * 6000) * 8), 0);
    free(a);
    free(b);
    free(c);
    free(open);
    free(choked);
    free(closed);
}

Test(mixer, nothing_clips)
{
    gv_pattern *p = pat(32, 180);
    for (int c = 0; c < 32; c++)
        for (int v = 0; v < GV_VOICES; v++)
            gv_pattern_set(p, c, v, 1, 1, (c % 3) * 0.1f);
    int64_t n, o;
    float *x = render(p, 180, 0, 3, &n, &o);
    float m = 0;
    for (int64_t i = 0; i < 2 * n; i++) {
        cr_assert(x[i] == x[i], "no NaN");
        m = fmaxf(m, fabsf(x[i]));
    }
    cr_assert(m <= 1.0f, "peak %g", m);
    cr_assert(m > 0.7f, "and the limiter lets it be loud (%g)", m);
    free(x);
    free(p);
}

Test(mixer, pan_places_voices)
{
    gv_pattern *p = pat(16, 120);
    gv_pattern_set(p, 0, GV_RIDE, 1, 1, 0);
    int64_t n, o;
    float *x = render(p, 120, 0, 1, &n, &o);
    double l = 0, r = 0;
    for (int64_t i = 0; i < n; i++)
        l += fabsf(x[2 * i]), r += fabsf(x[2 * i + 1]);
    cr_assert(r > 1.5 * l, "ride on the right");
    free(x);
    free(p);
}

/* ---- player: queue, transport ---- */

/* Renders at least `frames` frames in 256-frame blocks; returns how many. */
static int64_t render_for(gv_player *pl, float *x, int64_t frames)
{
    int64_t i;
    for (i = 0; i < frames; i += 256)
        gv_player_render(pl, x + 2 * i, 256);
    return i;
}

Test(player, queued_pattern_switches_at_the_bar_or_now)
{
    gv_pattern *a = pat(32, 120), *silent = pat(32, 120);
    for (int c = 0; c < 32; c += 4)
        gv_pattern_set(a, c, GV_CHAT, 1, 1, 0);
    for (int when = 0; when < 2; when++) {
        gv_player *pl = gv_player_new(RATE, &kit, NULL);
        gv_player_queue(pl, a, GV_QUEUE_NOW);
        gv_player_start(pl);
        int64_t total = 64 * 6000;
        float *x = calloc((size_t)total * 2, sizeof(float));
        int64_t done = render_for(pl, x, 5 * 6000 + 512); /* into step 5 of bar 1 */
        cr_assert_eq(gv_player_cell(pl), 5);
        cr_assert_eq(gv_player_queue(pl, silent, when == 0 ? GV_QUEUE_NOW : GV_QUEUE_BAR), 0);
        for (int64_t i = done; i + 256 <= total; i += 256)
            gv_player_render(pl, x + 2 * i, 256);
        int64_t at[32];
        int k = onsets(x, total, 1e-3f, 1500, at, 32);
        if (when == 0)
            cr_assert_eq(k, 2, "NOW: hits of steps 0 and 4 only, got %d", k);
        else
            cr_assert_eq(k, 4, "BAR: the rest of bar 1 (steps 0, 4, 8, 12), got %d", k);
        cr_assert(gv_player_playing(pl));
        free(x);
        gv_player_free(pl);
    }
    free(a);
    free(silent);
}

Test(player, beat_switch_takes_over_at_the_next_beat_line)
{
    gv_pattern *a = pat(32, 120), *silent = pat(32, 120);
    for (int c = 0; c < 32; c += 2)
        gv_pattern_set(a, c, GV_CHAT, 1, 1, 0);
    gv_player *pl = gv_player_new(RATE, &kit, NULL);
    gv_player_queue(pl, a, GV_QUEUE_NOW);
    gv_player_start(pl);
    int64_t total = 64 * 6000;
    float *x = calloc((size_t)total * 2, sizeof(float));
    int64_t done = render_for(pl, x, 5 * 6000 + 512); /* into step 5 of bar 1 */
    cr_assert_eq(gv_player_cell(pl), 5);
    cr_assert_eq(gv_player_queue(pl, silent, GV_QUEUE_BEAT), 0);
    for (int64_t i = done; i + 256 <= total; i += 256)
        gv_player_render(pl, x + 2 * i, 256);
    int64_t at[32];
    int k = onsets(x, total, 1e-3f, 1500, at, 32);
    cr_assert_eq(k, 4, "BEAT: steps 0, 2, 4 and 6, then the new pattern from step 8; got %d", k);
    free(x);
    gv_player_free(pl);
    free(a);
    free(silent);
}

Test(player, bar_switch_keeps_the_new_patterns_early_hit)
{
    gv_pattern *a = pat(16, 120), *b = pat(16, 120);
    gv_pattern_set(a, 8, GV_CHAT, 1, 1, 0);
    gv_pattern_set(b, 0, GV_KICK, 1, 1, -0.3f); /* early on the bar line */
    gv_player *pl = gv_player_new(RATE, &kit, NULL);
    gv_player_queue(pl, a, GV_QUEUE_NOW);
    gv_player_start(pl);
    float *x = calloc(40 * 6000 * 2, sizeof(float));
    int64_t done = render_for(pl, x, 2 * 6000);
    gv_player_queue(pl, b, GV_QUEUE_BAR);
    for (int64_t i = done; i + 256 <= 40 * 6000; i += 256)
        gv_player_render(pl, x + 2 * i, 256);
    int64_t at[16];
    int k = onsets(x, 40 * 6000, 1e-3f, 1500, at, 16);
    cr_assert(k >= 2);
    cr_assert(fabs((double)at[0] - 8 * 6000) <= MS, "old pattern's hat at step 8");
    cr_assert(fabs((double)at[1] - (16 - 0.3) * 6000) <= MS, "new pattern's early kick before the bar: %lld",
              (long long)at[1]);
    free(x);
    gv_player_free(pl);
    free(a);
    free(b);
}

Test(player, mute_solo_volume_metronome_and_trigger)
{
    gv_pattern *p = pat(32, 120);
    for (int c = 2; c < 32; c += 4)
        gv_pattern_set(p, c, GV_CHAT, 1, 1, 0);
    float *x = calloc(32 * 6000 * 2, sizeof(float));
    int64_t at[64];
    /* muted hats, metronome on: only the 8 clicks (beats), accent first */
    gv_player *pl = gv_player_new(RATE, &kit, NULL);
    gv_player_set_mute(pl, GV_CHAT, 1);
    gv_player_set_metronome(pl, 1);
    gv_player_queue(pl, p, GV_QUEUE_NOW);
    gv_player_start(pl);
    render_for(pl, x, 32 * 6000);
    int k = onsets(x, 32 * 6000, 1e-3f, 1500, at, 64);
    cr_assert_eq(k, 8, "clicks only: %d", k);
    for (int i = 0; i < 8; i++)
        cr_assert(llabs(at[i] - i * 24000) <= 48);
    int zc[2] = {0, 0};
    for (int j = 0; j < 2; j++)
        for (int64_t i = at[j] + 1; i < at[j] + 1000; i++)
            zc[j] += (x[2 * i] > 0) != (x[2 * i - 2] > 0);
    cr_assert(zc[0] > zc[1] * 1.3, "accent on beat 1 is higher (%d vs %d zero crossings)", zc[0], zc[1]);
    gv_player_free(pl);
    /* solo the kick (absent): silence; then a trigger sounds at once */
    pl = gv_player_new(RATE, &kit, NULL);
    gv_player_set_solo(pl, GV_KICK, 1);
    gv_player_queue(pl, p, GV_QUEUE_NOW);
    gv_player_start(pl);
    render_for(pl, x, 32 * 6000);
    cr_assert_eq(onsets(x, 32 * 6000, 1e-4f, 1, at, 64), 0, "soloed kick: nothing else sounds");
    cr_assert_eq(gv_player_trigger(pl, GV_SNARE, 1), 0);
    gv_player_render(pl, x, 256);
    float m = 0;
    for (int i = 0; i < 256; i++)
        m = fmaxf(m, amp(x, i));
    cr_assert(m > 1e-2f, "the triggered snare sounds in the next block (%g)", m);
    gv_player_free(pl);
    /* volume 0: silence, volume 2 still within full scale */
    pl = gv_player_new(RATE, &kit, NULL);
    gv_player_set_volume(pl, 0);
    gv_player_queue(pl, p, GV_QUEUE_NOW);
    gv_player_start(pl);
    gv_player_render(pl, x, 256); /* the ramp from 1 to 0 */
    render_for(pl, x, 32 * 6000);
    cr_assert_eq(energy(x, 0, 32 * 6000), 0.0);
    gv_player_stop(pl);
    gv_player_render(pl, x, 256);
    cr_assert_eq(gv_player_cell(pl), -1);
    gv_player_free(pl);
    free(x);
    free(p);
}

/* ---- kit ---- */

static int zero_crossings(const float *x, int64_t n)
{
    int z = 0;
    for (int64_t i = 1; i < n; i++)
        z += (x[i] > 0) != (x[i - 1] > 0);
    return z;
}

/* Frequency of a sine-like slot from its zero crossings over secs (or less). */
static double freq_of(const gv_kit *k, int slot, double secs)
{
    int64_t n = (int64_t)(secs * RATE);
    n = n < k->len[slot] ? n : k->len[slot];
    return zero_crossings(k->smp[slot], n) / 2.0 / ((double)n / RATE);
}

Test(kit, builtin_voices_are_distinct_drums)
{
    gv_kit k;
    cr_assert_eq(gv_kit_builtin(&k, RATE, NULL), 0);
    int zc[GV_KIT_SLOTS];
    for (int s = 0; s < GV_KIT_SLOTS; s++) {
        cr_assert(k.smp[s] && k.dark[s] && k.len[s] > 100, "slot %d", s);
        /* 100..250 ms: past the attack, where the pitch has settled */
        zc[s] = k.len[s] > 12000 ? zero_crossings(k.smp[s] + 4800, 7200) : 0;
    }
    cr_assert(zc[GV_KICK] < zc[GV_LTOM] && zc[GV_LTOM] < zc[GV_HTOM], "kick %d, toms %d %d", zc[GV_KICK],
              zc[GV_LTOM], zc[GV_HTOM]);
    cr_assert(zc[GV_HTOM] < zc[GV_SNARE] && zc[GV_SNARE] < zc[GV_CHAT], "snare %d hats %d", zc[GV_SNARE],
              zc[GV_CHAT]);
    cr_assert(k.len[GV_CRASH] > 2 * RATE && k.len[GV_RIDE] > 2 * RATE, "long cymbals");
    cr_assert(k.len[GV_OHAT] > 3 * k.len[GV_CHAT]);
    /* the same kit every time */
    gv_kit k2;
    cr_assert_eq(gv_kit_builtin(&k2, RATE, NULL), 0);
    for (int s = 0; s < GV_KIT_SLOTS; s++)
        cr_assert_eq(memcmp(k.smp[s], k2.smp[s], (size_t)k.len[s] * 4), 0);
    gv_kit_free(&k);
    gv_kit_free(&k2);
}

Test(kit, resampler_is_accurate)
{
    int n = 44100;
    float *x = malloc(n * sizeof(float)), *y;
    for (int i = 0; i < n; i++)
        x[i] = (float)sin(2 * M_PI * 1000.0 * i / 44100.0);
    int64_t m;
    cr_assert_eq(gv_resample(x, n, 44100, 48000, &y, &m, NULL), 0);
    cr_assert_eq(m, 48000);
    double err = 0;
    for (int i = 1000; i < 47000; i++)
        err = fmax(err, fabs(y[i] - sin(2 * M_PI * 1000.0 * i / 48000.0)));
    cr_assert(err < 2e-3, "max error %g", err);
    free(y);
    cr_assert_eq(gv_resample(x, n, 44100, 22050, &y, &m, NULL), 0);
    cr_assert_eq(m, 22050);
    free(y);
    free(x);
}

static void write_wav(const char *path, int rate, int ch, double f, double secs)
{
    SF_INFO info = {.samplerate = rate, .channels = ch, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    cr_assert(sf, "%s", path);
    int n = (int)(secs * rate);
    float *x = malloc((size_t)n * ch * sizeof(float));
    for (int i = 0; i < n; i++)
        for (int c = 0; c < ch; c++)
            x[i * ch + c] = (float)(0.8 * sin(2 * M_PI * f * i / rate) * exp(-i / (0.1 * rate)));
    sf_writef_float(sf, x, n);
    sf_close(sf);
    free(x);
}

static void write_text(const char *path, const char *s)
{
    cr_assert_eq(gv_write_atomic(path, s, strlen(s), NULL), 0);
}

Test(kit, loads_named_files_and_hydrogen_kits)
{
    char dir[] = "/tmp/gv_kit_XXXXXX", path[128];
    cr_assert(mkdtemp(dir));
    /* a folder of files named by voice, at 44.1 kHz, one stereo */
    snprintf(path, sizeof path, "%s/kick.wav", dir);
    write_wav(path, 44100, 1, 60, 0.5);
    snprintf(path, sizeof path, "%s/HH.wav", dir);
    write_wav(path, 44100, 2, 5000, 0.2);
    gv_kit k, b;
    gv_err e;
    cr_assert_eq(gv_kit_builtin(&b, RATE, NULL), 0);
    cr_assert_eq(gv_kit_load(&k, dir, RATE, &e), 0, "%s", e.msg);
    cr_assert_eq(k.loaded, 2);
    cr_assert(k.len[GV_KICK] > 20000 && k.len[GV_KICK] <= 24000, "resampled to 48 kHz: %lld", (long long)k.len[GV_KICK]);
    cr_assert(fabs(freq_of(&k, GV_KICK, 0.4) - 60) < 3, "60 Hz: %g", freq_of(&k, GV_KICK, 0.4));
    cr_assert_eq(k.len[GV_SNARE], b.len[GV_SNARE], "missing voices stay built-in");
    cr_assert_eq(memcmp(k.smp[GV_SNARE], b.smp[GV_SNARE], (size_t)b.len[GV_SNARE] * 4), 0);
    gv_kit_free(&k);

    /* a Hydrogen kit: layers, names and GM notes */
    snprintf(path, sizeof path, "%s/k2.wav", dir);
    write_wav(path, 48000, 1, 100, 0.3);
    snprintf(path, sizeof path, "%s/s_soft.wav", dir);
    write_wav(path, 48000, 1, 200, 0.3);
    snprintf(path, sizeof path, "%s/s_hard.wav", dir);
    write_wav(path, 48000, 1, 400, 0.3);
    snprintf(path, sizeof path, "%s/bell.wav", dir);
    write_wav(path, 48000, 1, 800, 0.3);
    snprintf(path, sizeof path, "%s/drumkit.xml", dir);
    write_text(path,
               "<?xml version=\"1.0\"?>\n<drumkit_info>\n <name>Test &amp; Kit</name>\n <instrumentList>\n"
               "  <instrument><id>0</id><name>Kick Drum</name><volume>0.5</volume><midiOutNote>36</midiOutNote>\n"
               "   <layer><filename>k2.wav</filename><min>0</min><max>1</max><gain>1</gain></layer></instrument>\n"
               "  <instrument><id>1</id><name>Snare Rock</name><volume>1</volume>\n"
               "   <layer><filename>s_soft.wav</filename><min>0</min><max>0.5</max></layer>\n"
               "   <layer><filename>s_hard.wav</filename><min>0.5</min><max>1</max></layer></instrument>\n"
               "  <instrument><id>2</id><name>Cowbell</name><midiOutNote>51</midiOutNote>\n"
               "   <filename>bell.wav</filename></instrument>\n"
               " </instrumentList>\n</drumkit_info>\n");
    cr_assert_eq(gv_kit_load(&k, dir, RATE, &e), 0, "%s", e.msg);
    cr_assert_str_eq(k.name, "Test & Kit");
    cr_assert_eq(k.loaded, 3);
    cr_assert(fabs(freq_of(&k, GV_KICK, 0.2) - 100) < 6, "kick from k2.wav");
    cr_assert(fabs(freq_of(&k, GV_SNARE, 0.2) - 400) < 6, "the snare's 0.5..1 layer");
    cr_assert(fabs(freq_of(&k, GV_RIDE, 0.2) - 800) < 6, "GM note 51 maps to the ride");
    cr_assert_float_eq(k.level[GV_KICK], 0.25f, 1e-6);
    gv_kit_free(&k);

    /* refused kits: clear messages, and gv_kit_open falls back */
    snprintf(path, sizeof path, "%s/s_hard.wav", dir);
    unlink(path);
    cr_assert_eq(gv_kit_load(&k, dir, RATE, &e), -1);
    cr_assert(strstr(e.msg, "s_hard.wav"), "%s", e.msg);
    cr_assert_null(k.smp[0]);
    gv_err w = {0};
    cr_assert_eq(gv_kit_open(&k, dir, RATE, &w, &e), 1);
    cr_assert(strstr(w.msg, "s_hard.wav"));
    cr_assert_eq(k.loaded, 0);
    cr_assert_eq(memcmp(k.smp[GV_KICK], b.smp[GV_KICK], (size_t)b.len[GV_KICK] * 4), 0);
    gv_kit_free(&k);
    cr_assert_eq(gv_kit_load(&k, "/nonexistent/kit", RATE, &e), -1);
    cr_assert(strstr(e.msg, "cannot open"), "%s", e.msg);
    char empty[] = "/tmp/gv_kit_XXXXXX";
    cr_assert(mkdtemp(empty));
    cr_assert_eq(gv_kit_load(&k, empty, RATE, &e), -1);
    cr_assert(strstr(e.msg, "kick.wav"), "%s", e.msg);
    snprintf(path, sizeof path, "%s/kick.wav", empty);
    write_text(path, "not a wav file at all");
    cr_assert_eq(gv_kit_load(&k, empty, RATE, &e), -1);
    cr_assert(strstr(e.msg, "kick.wav"), "%s", e.msg);
    unlink(path);
    rmdir(empty);
    gv_kit_free(&b);
    const char *files[] = {"kick.wav", "HH.wav", "k2.wav", "s_soft.wav", "bell.wav", "drumkit.xml"};
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* Loads the Hydrogen kit in dir with drumkit.xml replaced by xml: 0 when it
 * loads, else -1 with e; the kit is freed either way. */
static int load_xml(const char *dir, const char *xml, gv_err *e)
{
    char path[256];
    snprintf(path, sizeof path, "%s/drumkit.xml", dir);
    write_text(path, xml);
    gv_kit k;
    int rc = gv_kit_load(&k, dir, RATE, e);
    gv_kit_free(&k);
    return rc;
}

#define H2_KICK(file)                                                                                    \
    "<?xml version=\"1.0\"?>\n<drumkit_info><name>Escape</name><instrumentList>\n"                       \
    "<instrument><name>Kick</name><layer><filename>" file "</filename></layer></instrument>\n"          \
    "</instrumentList></drumkit_info>\n"

/* Sample paths come from the kit's author: every one must resolve inside the
 * kit folder (no absolute path, no ../ or symlink out of it) to a regular file
 * (a FIFO would block the reader).  The timeout catches the FIFO hang. */
Test(kit, hydrogen_samples_stay_inside_the_kit, .timeout = 120)
{
    char top[] = "/tmp/gv_kitesc_XXXXXX", dir[128], path[256];
    cr_assert(mkdtemp(top));
    snprintf(dir, sizeof dir, "%s/kit", top);
    cr_assert_eq(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/sub", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/outside.wav", top);
    write_wav(path, 48000, 1, 100, 0.3);
    snprintf(path, sizeof path, "%s/sub/in.wav", dir);
    write_wav(path, 48000, 1, 200, 0.3);
    snprintf(path, sizeof path, "%s/link.wav", dir);
    cr_assert_eq(symlink("../outside.wav", path), 0);
    snprintf(path, sizeof path, "%s/fifo.wav", dir);
    cr_assert_eq(mkfifo(path, 0644), 0);
    gv_err e = {0};

    /* inside the kit, also through a ".." that stays inside: loads */
    cr_assert_eq(load_xml(dir, H2_KICK("sub/in.wav"), &e), 0, "%s", e.msg);
    cr_assert_eq(load_xml(dir, H2_KICK("sub/../sub/in.wav"), &e), 0, "%s", e.msg);
    /* out of it: refused, the sample named */
    cr_assert_eq(load_xml(dir, H2_KICK("../outside.wav"), &e), -1);
    cr_assert(strstr(e.msg, "../outside.wav") && strstr(e.msg, "outside the kit"), "%s", e.msg);
    cr_assert_eq(load_xml(dir, H2_KICK("../../../../../../../../etc/passwd"), &e), -1);
    cr_assert(strstr(e.msg, "outside the kit"), "%s", e.msg);
    cr_assert_eq(load_xml(dir, H2_KICK("/etc/passwd"), &e), -1);
    cr_assert(strstr(e.msg, "/etc/passwd") && strstr(e.msg, "absolute"), "%s", e.msg);
    snprintf(path, sizeof path, H2_KICK("%s/outside.wav"), top); /* absolute, even to a real sample */
    cr_assert_eq(load_xml(dir, path, &e), -1);
    cr_assert(strstr(e.msg, "absolute"), "%s", e.msg);
    cr_assert_eq(load_xml(dir, H2_KICK("link.wav"), &e), -1);
    cr_assert(strstr(e.msg, "link.wav") && strstr(e.msg, "outside the kit"), "%s", e.msg);
    /* a FIFO: refused at once */
    cr_assert_eq(load_xml(dir, H2_KICK("fifo.wav"), &e), -1);
    cr_assert(strstr(e.msg, "fifo.wav") && strstr(e.msg, "not a regular file"), "%s", e.msg);
    cr_assert_eq(load_xml(dir, H2_KICK("sub"), &e), -1);
    cr_assert(strstr(e.msg, "is a directory"), "%s", e.msg);

    /* a folder of files named by voice: the same rules */
    snprintf(path, sizeof path, "%s/drumkit.xml", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/fifo.wav", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/kick.wav", dir);
    cr_assert_eq(mkfifo(path, 0644), 0);
    gv_kit k;
    cr_assert_eq(gv_kit_load(&k, dir, RATE, &e), -1);
    cr_assert(strstr(e.msg, "kick.wav") && strstr(e.msg, "not a regular file"), "%s", e.msg);
    unlink(path);
    cr_assert_eq(symlink("../outside.wav", path), 0);
    cr_assert_eq(gv_kit_load(&k, dir, RATE, &e), -1);
    cr_assert(strstr(e.msg, "kick.wav") && strstr(e.msg, "outside the kit"), "%s", e.msg);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
    cr_assert_eq(system(cmd), 0);
}

/* drumkit.xml is XML: comments, entities and character references, CDATA,
 * attributes and any order of elements read as Hydrogen reads them; broken
 * XML is refused with its line. */
Test(kit, hydrogen_xml_is_parsed_as_xml)
{
    char dir[] = "/tmp/gv_kitxml_XXXXXX", path[128];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/k2.wav", dir);
    write_wav(path, 48000, 1, 100, 0.3);
    snprintf(path, sizeof path, "%s/s&h.wav", dir);
    write_wav(path, 48000, 1, 400, 0.3);
    gv_err e = {0};
    snprintf(path, sizeof path, "%s/drumkit.xml", dir);
    write_text(path,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<drumkit_info xmlns=\"http://www.hydrogen-music.org/drumkit\">\n"
               " <!-- <name>Not The Name</name> -->\n"
               " <name><![CDATA[Odd <Kit>]]></name>\n"
               " <instrumentList>\n"
               "  <!-- <instrument><name>Kick</name><filename>missing.wav</filename></instrument> -->\n"
               "  <instrument id=\"0\">\n"
               "   <layer><max>1</max><filename>k&#50;.wav</filename><min>0</min></layer>\n"
               "   <volume>0.5</volume><name>Kick</name>\n"
               "  </instrument>\n"
               "  <instrument><instrumentComponent><layer><filename>s&amp;h.wav</filename></layer>"
               "</instrumentComponent><name>Snare</name></instrument>\n"
               " </instrumentList>\n"
               "</drumkit_info>\n");
    gv_kit k;
    cr_assert_eq(gv_kit_load(&k, dir, RATE, &e), 0, "%s", e.msg);
    cr_assert_str_eq(k.name, "Odd <Kit>");
    cr_assert_eq(k.loaded, 2);
    cr_assert(fabs(freq_of(&k, GV_KICK, 0.2) - 100) < 6, "kick from k2.wav");
    cr_assert(fabs(freq_of(&k, GV_SNARE, 0.2) - 400) < 6, "snare from s&h.wav");
    cr_assert_float_eq(k.level[GV_KICK], 0.25f, 1e-6);
    gv_kit_free(&k);
    /* broken XML: refused, with where */
    cr_assert_eq(load_xml(dir, "<drumkit_info><name>x</name>\n<instrumentList><instrument>\n</drumkit_info>\n", &e),
                 -1);
    cr_assert(strstr(e.msg, "drumkit.xml") && strstr(e.msg, "line 3"), "%s", e.msg);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Found by fuzz_kit: <volume>1e39</volume> or <gain>nan</gain> gave a voice
 * an infinite or NaN mix level, so every hit of it filled the output with
 * inf/NaN.  Such a kit is refused, naming the instrument. */
Test(kit, hydrogen_levels_must_be_finite)
{
    char dir[] = "/tmp/gv_kit_XXXXXX", path[128];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/k.wav", dir);
    write_wav(path, 48000, 1, 100, 0.1);
    static const char *bad[][2] = {{"1e39", "1"}, {"nan", "1"}, {"1", "-inf"}, {"-2", "1"}, {"0.5", "1e30"}};
    snprintf(path, sizeof path, "%s/drumkit.xml", dir);
    char xml[512];
    gv_kit k;
    gv_err e;
    for (int i = 0; i < 5; i++) {
        snprintf(xml, sizeof xml,
                 "<drumkit_info><name>Levels</name><instrumentList><instrument><name>Kick</name>"
                 "<volume>%s</volume><layer><filename>k.wav</filename><gain>%s</gain></layer>"
                 "</instrument></instrumentList></drumkit_info>\n",
                 bad[i][0], bad[i][1]);
        write_text(path, xml);
        e.msg[0] = 0;
        int rc = gv_kit_load(&k, dir, RATE, &e);
        double level = rc == 0 ? (double)k.level[GV_KICK] : 0.0;
        if (rc == 0)
            gv_kit_free(&k);
        cr_assert_eq(rc, -1, "volume %s gain %s: level %g accepted", bad[i][0], bad[i][1], level);
        cr_assert(strstr(e.msg, "Kick") && strstr(e.msg, "drumkit.xml"), "%s", e.msg);
    }
    /* Hydrogen's own ranges load: volume up to 1.5, layer gain up to 5 */
    write_text(path, "<drumkit_info><instrumentList><instrument><name>Kick</name><volume>1.5</volume>"
                     "<layer><filename>k.wav</filename><gain>5</gain></layer></instrument></instrumentList>"
                     "</drumkit_info>\n");
    cr_assert_eq(gv_kit_load(&k, dir, RATE, &e), 0, "%s", e.msg);
    cr_assert_float_eq(k.level[GV_KICK], 0.5f * 1.5f * 5, 1e-6);
    gv_kit_free(&k);
    unlink(path);
    snprintf(path, sizeof path, "%s/k.wav", dir);
    unlink(path);
    rmdir(dir);
}

/* ---- SPSC ---- */

typedef struct spsc_ctx {
    gv_spsc q;
    int buf[8];
    int n;
} spsc_ctx;

static void *producer(void *u)
{
    spsc_ctx *c = u;
    for (int i = 0; i < c->n;)
        if (gv_spsc_push(&c->q, &i) == 0)
            i++;
    return NULL;
}

Test(spsc, order_full_empty_and_threads)
{
    spsc_ctx c;
    cr_assert_eq(gv_spsc_init(&c.q, c.buf, 6, sizeof(int)), -1, "power of two");
    cr_assert_eq(gv_spsc_init(&c.q, c.buf, 8, sizeof(int)), 0);
    int v;
    cr_assert_eq(gv_spsc_pop(&c.q, &v), -1);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(gv_spsc_push(&c.q, &i), 0);
    cr_assert_eq(gv_spsc_push(&c.q, &v), -1, "full");
    cr_assert_eq(gv_spsc_count(&c.q), 8);
    for (int i = 0; i < 8; i++) {
        cr_assert_eq(gv_spsc_pop(&c.q, &v), 0);
        cr_assert_eq(v, i);
    }
    c.n = 200000;
    pthread_t t;
    pthread_create(&t, NULL, producer, &c);
    for (int want = 0; want < c.n;)
        if (gv_spsc_pop(&c.q, &v) == 0)
            cr_assert_eq(v, want++);
    pthread_join(t, NULL);
}

/* The callback's shared state must not hide a lock inside an atomic. */
Test(spsc, transport_and_queue_atomics_are_lock_free)
{
    gv_transport t;
    gv_spsc q;
    cr_assert(atomic_is_lock_free(&t.bpm) && atomic_is_lock_free(&t.swing) && atomic_is_lock_free(&t.volume));
    cr_assert(atomic_is_lock_free(&t.frames) && atomic_is_lock_free(&t.loops_done) && atomic_is_lock_free(&t.mute));
    cr_assert(atomic_is_lock_free(&q.head) && atomic_is_lock_free(&q.tail));
}

/* ---- the device-less clock ---- */

/* The silent clock plays the pattern without a device.  Waits are bounded
 * polls; the one bound on time is an upper one (the clock never runs ahead
 * of the wall clock), which a busy machine cannot break. */
Test(player, silent_clock_plays_without_running_ahead)
{
    gv_kit k;
    cr_assert_eq(gv_kit_builtin(&k, RATE, NULL), 0);
    gv_player *pl = gv_player_new(RATE, &k, NULL);
    gv_audio *a = gv_audio_open_silent(RATE, NULL);
    cr_assert(a && gv_audio_is_silent(a));
    gv_pattern *p = pat(16, 120);
    gv_pattern_set(p, 0, GV_KICK, 1, 1, 0);
    gv_player_queue(pl, p, GV_QUEUE_NOW);
    gv_player_start(pl);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(gv_audio_start(a, pl, NULL), 0);
    for (int i = 0; i < 6000 && (gv_player_notes(pl) < 1 || gv_player_frames(pl) < RATE / 10); i++)
        usleep(5000);
    int64_t f = gv_player_frames(pl);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    gv_audio_stats st;
    gv_audio_get_stats(a, &st);
    gv_audio_close(a);
    double elapsed = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    cr_assert_geq(f, RATE / 10, "the clock advances (%lld frames)", (long long)f);
    cr_assert_leq((double)f, elapsed * RATE + 4096, "%lld frames in %.3f s: ahead of real time", (long long)f,
                  elapsed);
    cr_assert(st.callbacks > 0 && st.worst_us > 0 && st.worst_cpu_us > 0);
    cr_assert(st.worst_cpu_us < st.worst_us + 50, "CPU %.1f us, wall %.1f us", st.worst_cpu_us, st.worst_us);
    cr_assert(gv_player_notes(pl) >= 1);
    gv_player_free(pl);
    gv_kit_free(&k);
    free(p);
}

/* test_smf.c - Standard MIDI Files: reader on hand-built bytes, malformed
 * inputs and their messages, the writer's golden bytes, round trips, the GMD
 * copy, and mido (tests/reference/mido_check.py) as an independent reader. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernels/rng.h"
#include "base/fileio.h"
#include "patterns/smf.h"
#include "tests/helpers.h"

/* ---- building files by hand ------------------------------------------- */

typedef struct buf {
    unsigned char b[8192];
    size_t n;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    cr_assert_leq(b->n + n, sizeof b->b);
    memcpy(b->b + b->n, p, n);
    b->n += n;
}

static void header(buf *b, int format, int ntrks, int division)
{
    const unsigned char h[14] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, (unsigned char)format,
                                 (unsigned char)(ntrks >> 8), (unsigned char)ntrks,
                                 (unsigned char)(division >> 8), (unsigned char)division};
    b->n = 0;
    put(b, h, sizeof h);
}

static void track(buf *b, const unsigned char *ev, size_t n)
{
    const unsigned char h[8] = {'M', 'T', 'r', 'k', (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                                (unsigned char)(n >> 8), (unsigned char)n};
    put(b, h, sizeof h);
    put(b, ev, n);
}

#define BYTES(...) ((const unsigned char[]){__VA_ARGS__}), sizeof((const unsigned char[]){__VA_ARGS__})
#define TRACK(b, ...) track(b, BYTES(__VA_ARGS__))
#define EOT 0x00, 0xff, 0x2f, 0x00
#define TEMPO_120 0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20

/* A one-track format-0 file at 480 PPQ (120 ticks = one 16th). */
static buf file0(const unsigned char *ev, size_t n)
{
    buf b;
    header(&b, 0, 1, 480);
    track(&b, ev, n);
    return b;
}

static void parse_ok(const buf *b, int channel, gv_score *s)
{
    gv_err e = {0};
    int rc = gv_smf_parse(b->b, b->n, channel, s, &e);
    cr_assert_eq(rc, 0, "parse failed: %s", e.msg);
}

static void expect_error(const buf *b, int channel, const char *msg)
{
    gv_score s;
    gv_err e = {0};
    cr_assert_eq(gv_smf_parse(b->b, b->n, channel, &s, &e), -1, "accepted a file that should fail with '%s'", msg);
    cr_assert(strstr(e.msg, msg), "message '%s' does not say '%s'", e.msg, msg);
    cr_assert_null(s.notes);
    cr_assert_eq(s.n, 0);
}

static void expect_note(const gv_score *s, int i, double step, int voice, int vel)
{
    cr_assert_lt(i, s->n);
    cr_assert_float_eq(s->notes[i].step, step, 1e-9, "note %d at step %g, want %g", i, s->notes[i].step, step);
    cr_assert_eq(s->notes[i].voice, voice, "note %d voice %d, want %d", i, s->notes[i].voice, voice);
    cr_assert_float_eq(s->notes[i].vel, vel / 127.f, 1e-6);
}

/* ---- reader ------------------------------------------------------------- */

Test(smf, running_status_survives_meta_and_sysex)
{
    buf b = file0(BYTES(0x00, 0x99, 36, 100,             /* kick, sets running status 0x99 */
                        0x00, 0xff, 0x01, 0x02, 'h', 'i', /* text meta */
                        0x78, 38, 80,                     /* snare at 120 ticks, running status */
                        0x00, 0xf0, 0x03, 0x7e, 0x00, 0xf7, /* sysex */
                        0x78, 42, 64,                     /* hat at 240, running status */
                        0x00, 0xf7, 0x01, 0x00,           /* escape sysex */
                        0x78, 36, 0,                      /* running status note-on vel 0: a note-off */
                        EOT));
    gv_score s;
    parse_ok(&b, -1, &s);
    cr_assert_eq(s.n, 3);
    expect_note(&s, 0, 0, GV_KICK, 100);
    expect_note(&s, 1, 1, GV_SNARE, 80);
    expect_note(&s, 2, 2, GV_CHAT, 64);
    cr_assert_float_eq(s.total_steps, 3, 1e-9);
    cr_assert_float_eq(s.bpm, 120, 1e-9);
    cr_assert_eq(s.steps_per_bar, 16);
    gv_score_free(&s);
}

Test(smf, note_on_velocity_zero_is_note_off)
{
    buf b = file0(BYTES(0x00, 0x99, 38, 90, 0x3c, 0x99, 38, 0, 0x3c, 38, 70, 0x3c, 0x89, 38, 64, 0x00, 0x99, 38, 0, EOT));
    gv_score s;
    parse_ok(&b, -1, &s);
    cr_assert_eq(s.n, 2, "note-offs counted as onsets: %d notes", s.n);
    expect_note(&s, 0, 0, GV_SNARE, 90);
    expect_note(&s, 1, 1, GV_SNARE, 70);
    gv_score_free(&s);
}

Test(smf, tempo_map_moves_seconds_not_steps)
{
    buf b = file0(BYTES(TEMPO_120, 0x00, 0x99, 36, 100,
                        0x83, 0x60, 0xff, 0x51, 0x03, 0x03, 0xd0, 0x90, /* at 480: 250000 us (240 BPM) */
                        0x00, 38, 100,                                  /* running status across the tempo */
                        0x83, 0x60, 42, 100,                            /* at 960 */
                        EOT));
    gv_score s;
    parse_ok(&b, -1, &s);
    cr_assert_eq(s.n, 3);
    cr_assert_float_eq(s.bpm, 120, 1e-9, "bpm %g is not the first tempo", s.bpm);
    expect_note(&s, 1, 4, GV_SNARE, 100);
    expect_note(&s, 2, 8, GV_CHAT, 100);
    cr_assert_float_eq(s.notes[1].sec, 0.5, 1e-9);
    cr_assert_float_eq(s.notes[2].sec, 0.75, 1e-9, "sec %g ignores the tempo change", s.notes[2].sec);
    gv_score_free(&s);
}

Test(smf, format1_merges_tracks_and_prefers_channel_10)
{
    buf b;
    header(&b, 1, 3, 96); /* 96 PPQ: a 16th is 24 ticks */
    TRACK(&b, 0x00, 0xff, 0x03, 0x04, 'S', 'o', 'n', 'g', 0x00, 0xff, 0x58, 0x04, 3, 2, 24, 8,
          0x00, 0xff, 0x51, 0x03, 0x09, 0x27, 0xc0, EOT); /* 3/4, 100 BPM */
    TRACK(&b, 0x18, 0x99, 38, 100, 0x00, 0x99, 36, 110, 0x30, 0x99, 36, 0, EOT);
    TRACK(&b, 0x00, 0x90, 36, 50, 0x30, 0x90, 40, 60, 0x00, 0x90, 36, 0, EOT);
    gv_score s;
    parse_ok(&b, -1, &s);
    cr_assert_str_eq(s.name, "Song");
    cr_assert_eq(s.ts_num, 3);
    cr_assert_eq(s.ts_den, 4);
    cr_assert_eq(s.steps_per_bar, 12);
    cr_assert_float_eq(s.bpm, 100, 1e-6);
    cr_assert_eq(s.n, 2, "channel 1 notes leaked into the channel 10 drums");
    expect_note(&s, 0, 1, GV_SNARE, 100); /* file order kept at one tick */
    expect_note(&s, 1, 1, GV_KICK, 110);
    gv_score_free(&s);

    parse_ok(&b, 1, &s);
    cr_assert_eq(s.n, 2);
    expect_note(&s, 0, 0, GV_KICK, 50);
    expect_note(&s, 1, 2, GV_SNARE, 60);
    gv_score_free(&s);

    expect_error(&b, 5, "no drum notes on channel 5");
    expect_error(&b, 17, "must be 1..16");
    expect_error(&b, 0, "must be 1..16");
}

Test(smf, all_channels_when_channel_10_is_silent)
{
    buf b = file0(BYTES(0x00, 0x90, 36, 100, 0x78, 0x93, 38, 90, 0x00, 0x99, 20, 90 /* unmapped */, EOT));
    gv_score s;
    parse_ok(&b, -1, &s);
    cr_assert_eq(s.n, 2);
    expect_note(&s, 0, 0, GV_KICK, 100);
    expect_note(&s, 1, 1, GV_SNARE, 90);
    gv_score_free(&s);
}

Test(smf, smpte_division_converts_through_first_tempo)
{
    /* 25 fps x 40 ticks = 1000 ticks/s; 120 BPM: a 16th is 0.125 s = 125 ticks */
    buf b;
    header(&b, 0, 1, 0xe728);
    TRACK(&b, TEMPO_120, 0x00, 0x99, 36, 100, 0x7d, 38, 100, 0x86, 0x6b, 42, 100, EOT);
    gv_score s;
    parse_ok(&b, -1, &s);
    cr_assert_eq(s.n, 3);
    expect_note(&s, 1, 1, GV_SNARE, 100);
    expect_note(&s, 2, 8, GV_CHAT, 100);
    cr_assert_float_eq(s.notes[2].sec, 1.0, 1e-9);
    gv_score_free(&s);

    header(&b, 0, 1, 0xe200); /* 30 fps, 0 ticks per frame */
    TRACK(&b, 0x00, 0x99, 36, 100, EOT);
    expect_error(&b, -1, "zero SMPTE ticks per frame");
    header(&b, 0, 1, 0xe028); /* -32 fps */
    TRACK(&b, 0x00, 0x99, 36, 100, EOT);
    expect_error(&b, -1, "bad SMPTE frame rate");
}

Test(smf, time_signatures_set_bars)
{
    static const struct {
        int nn, dd, spb;
    } ts[] = {{4, 2, 16}, {3, 2, 12}, {3, 4, 3}, {6, 3, 12}, {7, 3, 14}, {5, 2, 20}, {3, 5, 16 /* 3/32 falls back */}};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        buf b = file0(BYTES(0x00, 0xff, 0x58, 0x04, (unsigned char)ts[i].nn, (unsigned char)ts[i].dd, 24, 8,
                            0x8b, 0x20, 0x99, 36, 100, EOT)); /* kick at 1440 ticks = step 12 */
        gv_score s;
        parse_ok(&b, -1, &s);
        cr_assert_eq(s.steps_per_bar, ts[i].spb, "%d/%d: %d steps a bar", ts[i].nn, 1 << ts[i].dd, s.steps_per_bar);
        cr_assert_eq(s.ts_num, ts[i].nn);
        cr_assert_eq(s.ts_den, 1 << ts[i].dd);
        cr_assert_eq(gv_score_first_bar(&s), 12 / ts[i].spb);
        cr_assert_eq(gv_score_bars(&s), 12 / ts[i].spb + 1);
        static gv_pattern p;
        gv_err e;
        cr_assert_eq(gv_score_window(&s, 0, 2, &p, &e), 1, "%s", e.msg);
        cr_assert_eq(p.steps, (2 * ts[i].spb + 15) / 16 * 16);
        cr_assert(p.hit[12][GV_KICK]);
        gv_score_free(&s);
    }
}

Test(smf, window_quantises_to_nearest_step)
{
    /* kick at tick 1860 = step 15.5 (rounds into bar 1), snare 3790 = step 31.58 (into bar 2),
     * two hats in step 4 (the loudest stays), a hat at 2.25 */
    buf b = file0(BYTES(0x00, 0x99, 42, 30, 0x82, 0x0e, 42, 20 /* 270: 2.25 */, 0x81, 0x3e, 42, 90 /* 460 */,
                        0x14, 42, 40 /* 480 */, 0x8a, 0x64, 36, 100 /* 1860 */, 0x8f, 0x0a, 38, 80 /* 3790 */, EOT));
    gv_score s;
    parse_ok(&b, -1, &s);
    static gv_pattern p;
    gv_err e;
    cr_assert_eq(gv_score_window(&s, 0, 1, &p, &e), 3);
    cr_assert_eq(p.steps, 16);
    cr_assert(p.hit[0][GV_CHAT] && p.hit[2][GV_CHAT] && p.hit[4][GV_CHAT]);
    cr_assert_float_eq(p.off[2][GV_CHAT], 0.25f, 1e-6);
    cr_assert_float_eq(p.vel[4][GV_CHAT], 90 / 127.f, 1e-6);
    cr_assert_float_eq(p.off[4][GV_CHAT], -1 / 6.f, 1e-6);
    cr_assert_eq(gv_pattern_count_voice(&p, GV_KICK), 0, "an early note of bar 1 stayed in bar 0");

    cr_assert_eq(gv_score_window(&s, 1, 1, &p, &e), 1);
    cr_assert(p.hit[0][GV_KICK]);
    cr_assert_float_eq(p.off[0][GV_KICK], -0.5f, 1e-6);
    cr_assert_eq(gv_pattern_count_voice(&p, GV_SNARE), 0, "a late note of bar 2 stayed in bar 1");
    cr_assert_eq(gv_score_window(&s, 2, 1, &p, &e), 1);
    cr_assert(p.hit[0][GV_SNARE]);
    cr_assert_float_eq(p.off[0][GV_SNARE], -0.41667f, 1e-4);
    cr_assert_eq(gv_score_window(&s, 7, 2, &p, &e), 0, "an empty window is no error");
    cr_assert_eq(gv_score_first_bar(&s), 0);
    cr_assert_eq(gv_score_bars(&s), 3);

    cr_assert_eq(gv_score_window(&s, 0, 17, &p, &e), -1);
    cr_assert(strstr(e.msg, "steps"), "%s", e.msg);
    cr_assert_eq(gv_score_window(&s, -1, 2, &p, &e), -1);
    cr_assert_eq(gv_score_window(&s, 0, 0, &p, &e), -1);
    cr_assert_eq(gv_score_window(&s, 0, 16, &p, &e), 5);
    cr_assert_eq(p.steps, 256);
    gv_score_free(&s);
}

Test(smf, window_from_any_step)
{
    /* kick at step 15.5 (quantised to 16), snare at 31.58 (to 32), hats at 0, 2.25, 4 */
    buf b = file0(BYTES(0x00, 0x99, 42, 30, 0x82, 0x0e, 42, 20, 0x81, 0x3e, 42, 90, 0x14, 42, 40, 0x8a, 0x64, 36,
                        100, 0x8f, 0x0a, 38, 80, EOT));
    gv_score s;
    parse_ok(&b, -1, &s);
    static gv_pattern p, q;
    gv_err e;
    for (int bar = 0; bar < 3; bar++) {
        cr_assert_eq(gv_score_window(&s, bar, 2, &p, &e), gv_score_window_steps(&s, bar * 16, 32, &q, &e));
        cr_assert_eq(memcmp(&p, &q, sizeof p), 0, "bar %d: a bar-line start is the bar window", bar);
    }
    cr_assert_eq(gv_score_window_steps(&s, 8, 32, &p, &e), 2, "%s", e.msg);
    cr_assert_eq(p.steps, 32);
    cr_assert(p.hit[8][GV_KICK] && p.hit[24][GV_SNARE]);
    cr_assert_float_eq(p.off[8][GV_KICK], -0.5f, 1e-6);
    cr_assert_eq(gv_score_window_steps(&s, 3, 16, &p, &e), 2, "the hat at 4 and the kick at 16");
    cr_assert(p.hit[1][GV_CHAT] && p.hit[13][GV_KICK]);
    cr_assert_eq(gv_score_window_steps(&s, -1, 32, &p, &e), -1);
    cr_assert(strstr(e.msg, "start step"), "%s", e.msg);
    cr_assert_eq(gv_score_window_steps(&s, 0, 24, &p, &e), -1);
    cr_assert(strstr(e.msg, "multiple of 16"), "%s", e.msg);
    cr_assert_eq(gv_score_window_steps(&s, 0, 272, &p, &e), -1);
    gv_score_free(&s);
}

Test(smf, missing_end_of_track_and_unknown_chunks_are_tolerated)
{
    buf b;
    header(&b, 1, 1, 480);
    put(&b, BYTES('J', 'U', 'N', 'K', 0, 0, 0, 2, 1, 2));
    TRACK(&b, 0x00, 0x99, 36, 100, 0x78, 0x89, 36, 0);
    gv_score s;
    parse_ok(&b, -1, &s);
    cr_assert_eq(s.n, 1);
    cr_assert_float_eq(s.total_steps, 1, 1e-9);
    gv_score_free(&s);
}

/* ---- malformed input ---------------------------------------------------- */

Test(smf, malformed_inputs_fail_with_a_message)
{
    buf b = {.n = 0};
    expect_error(&b, -1, "too short");
    b = file0(BYTES(0x00, 0x99, 36, 100, EOT));
    memcpy(b.b, "RIFF", 4);
    expect_error(&b, -1, "no MThd");

    b = file0(BYTES(0x00, 0x99, 36, 100, EOT));
    b.b[7] = 4;
    expect_error(&b, -1, "bad header length 4");
    b.b[4] = 0x7f;
    expect_error(&b, -1, "header length 2130706436 runs past the end");

    static const struct {
        int format, ntrks, division;
        const char *msg;
    } heads[] = {
        {0, 1, 0, "zero division"},
        {2, 1, 480, "format 2 (independent sequences) is not supported"},
        {7, 1, 480, "unknown MIDI file format 7"},
        {1, 0, 480, "no tracks"},
        {1, 2, 480, "truncated file: 1 of 2 tracks"},
    };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        header(&b, heads[i].format, heads[i].ntrks, heads[i].division);
        TRACK(&b, 0x00, 0x99, 36, 100, EOT);
        expect_error(&b, -1, heads[i].msg);
    }

    b = file0(BYTES(0x00, 0x99, 36, 100, EOT));
    b.b[18] = 0x01; /* chunk length 16M + 8 */
    expect_error(&b, -1, "length 16777224 runs past the end of the file");
    b.b[18] = 0;
    b.b[21] -= 2; /* chunk ends inside End of Track's meta */
    b.n -= 2;
    expect_error(&b, -1, "track 1: truncated meta event");

    static const struct {
        unsigned char ev[16];
        size_t n;
        const char *msg;
    } bad[] = {
        {{0x00, 0x99, 36}, 3, "track 1: truncated event at byte 24"},
        {{0x00, 0x99}, 2, "truncated event"},
        {{0x80}, 1, "truncated event"},
        {{0x80, 0x80, 0x80, 0x80, 0x00, 0x99, 36, 100}, 8, "longer than 4 bytes"},
        {{0x00, 36, 100}, 3, "data byte without a running status"},
        {{0x00, 0xf8}, 2, "unexpected status byte 0xf8"},
        {{0x00, 0x99, 36, 0x99}, 4, "status byte inside a channel message"},
        {{0x00, 0xff, 0x01, 0x10, 'x'}, 5, "meta event length runs past the chunk end"},
        {{0x00, 0xff, 0x01, 0x8f, 0xff, 0xff, 0x7f}, 7, "meta event length runs past"},
        {{0x00, 0xf0, 0x05, 1, 2}, 5, "sysex length runs past the chunk end"},
        {{0x00, 0x99, 20, 100, 0x00, 0x90, 127, 1}, 8, "no drum notes"},
        {{0x00, 0xff}, 2, "truncated meta event"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = file0(bad[i].ev, bad[i].n);
        expect_error(&b, -1, bad[i].msg);
    }
    /* a PPQ of 1: one long delta is millions of bars */
    header(&b, 0, 1, 1);
    TRACK(&b, 0x00, 0x99, 36, 100, 0x8f, 0xff, 0xff, 0x7f, 0x89, 36, 0, EOT);
    expect_error(&b, -1, "absurd length");
}

Test(smf, note_count_is_capped)
{
    size_t nev = (size_t)GV_SMF_MAX_NOTES + 1, n = 4 + nev * 3 + 4;
    unsigned char *f = malloc(22 + n);
    cr_assert_not_null(f);
    memcpy(f, BYTES('M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0, 'M', 'T', 'r', 'k'));
    f[18] = (unsigned char)(n >> 24), f[19] = (unsigned char)(n >> 16), f[20] = (unsigned char)(n >> 8), f[21] = (unsigned char)n;
    unsigned char *w = f + 22;
    memcpy(w, BYTES(0x00, 0x99, 36, 100));
    w += 4;
    for (size_t i = 0; i < nev; i++, w += 3)
        memcpy(w, BYTES(0x00, 38, 100));
    memcpy(w, BYTES(EOT));
    gv_score s;
    gv_err e = {0};
    cr_assert_eq(gv_smf_parse(f, 22 + n, -1, &s, &e), -1);
    cr_assert(strstr(e.msg, "more than 1048576 notes"), "%s", e.msg);
    /* one fewer note is fine */
    n -= 6;
    f[18] = (unsigned char)(n >> 24), f[19] = (unsigned char)(n >> 16), f[20] = (unsigned char)(n >> 8), f[21] = (unsigned char)n;
    memcpy(f + 22 + n - 4, BYTES(EOT));
    cr_assert_eq(gv_smf_parse(f, 22 + n, -1, &s, &e), 0, "%s", e.msg);
    cr_assert_eq(s.n, GV_SMF_MAX_NOTES);
    gv_score_free(&s);
    free(f);
}

/* Inputs the fuzzer found, kept in tests/data/smf: fuzz-ok-* must parse,
 * fuzz-bad-* must be refused (channel auto), crash-* (crashers, should one
 * ever be found) either; on every channel each one parses into a score that
 * windows and writes, or is refused with a message. */
Test(smf, fuzzer_regressions)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/data/smf", gv_test_root());
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "no %s", dir);
    int ok = 0, bad = 0;
    for (struct dirent *de; (de = readdir(d));) {
        int want_ok = !strncmp(de->d_name, "fuzz-ok-", 8), want_bad = !strncmp(de->d_name, "fuzz-bad-", 9);
        if (!want_ok && !want_bad && strncmp(de->d_name, "crash-", 6))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unsigned char *data;
        size_t len;
        gv_err e = {0};
        cr_assert_eq(gv_read_file(path, GV_SMF_MAX_FILE, &data, &len, &e), 0, "%s", e.msg);
        for (int ch = -1; ch <= 16; ch++) {
            gv_score s;
            e.msg[0] = 0;
            int rc = gv_smf_parse(data, len, ch, &s, &e);
            if (ch == -1) {
                cr_assert(!want_ok || rc == 0, "%s: %s", de->d_name, e.msg);
                cr_assert(!want_bad || rc == -1, "%s was accepted", de->d_name);
            }
            if (rc == 0) {
                static gv_pattern p;
                cr_assert_geq(gv_score_window(&s, gv_score_first_bar(&s), 1, &p, &e), 1, "%s", de->d_name);
                unsigned char *out;
                size_t olen;
                if (gv_smf_write(&p, &out, &olen, &e) == 0)
                    free(out);
                gv_score_free(&s);
            } else {
                cr_assert(e.msg[0], "%s: refused without a message", de->d_name);
            }
        }
        free(data);
        ok += want_ok;
        bad += want_bad;
    }
    closedir(d);
    cr_assert_geq(ok, 2);
    cr_assert_geq(bad, 5);
}

/* ---- writer ------------------------------------------------------------- */

static void golden_pattern(gv_pattern *p)
{
    gv_pattern_init(p, 32, 96.f, "golden groove");
    for (int t = 0; t < 32; t += 2)
        gv_pattern_set(p, t, GV_CHAT, 1, 0.3f + 0.1f * (t % 4), 0.f);
    gv_pattern_set(p, 0, GV_KICK, 1, 1.0f, -0.2f); /* early on step 0: clamps at tick 0 */
    gv_pattern_set(p, 10, GV_KICK, 1, 0.8f, 0.1f);
    gv_pattern_set(p, 16, GV_KICK, 1, 0.9f, 0.f);
    gv_pattern_set(p, 4, GV_SNARE, 1, 0.85f, 0.f);
    gv_pattern_set(p, 12, GV_SNARE, 1, 1.0f, 0.f);
    gv_pattern_set(p, 14, GV_SNARE, 1, 0.0f, 0.f);   /* silent ghost: velocity 1 */
    gv_pattern_set(p, 28, GV_SNARE, 1, 0.7f, 0.5f);  /* late by half: +59 ticks */
    gv_pattern_set(p, 29, GV_SNARE, 1, 0.75f, -0.5f); /* early by half: one tick after the last */
    gv_pattern_set(p, 0, GV_CRASH, 1, 0.9f, 0.f);
    gv_pattern_set(p, 24, GV_HTOM, 1, 0.6f, 0.f);
    gv_pattern_set(p, 25, GV_MTOM, 1, 0.6f, 0.25f);
    gv_pattern_set(p, 26, GV_LTOM, 1, 0.6f, -0.25f);
    gv_pattern_set(p, 30, GV_OHAT, 1, 0.5f, 0.f);
    gv_pattern_set(p, 31, GV_RIDE, 1, 0.4f, 0.3f);
}

Test(smf, writer_matches_golden_file)
{
    static gv_pattern p;
    golden_pattern(&p);
    unsigned char *data, *again;
    size_t len, len2;
    gv_err e = {0};
    cr_assert_eq(gv_smf_write(&p, &data, &len, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_smf_write(&p, &again, &len2, &e), 0, "%s", e.msg);
    cr_assert(len == len2 && !memcmp(data, again, len), "two writes differ");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/smf/golden.mid", gv_test_root());
    if (getenv("GROOVE_UPDATE_GOLDEN"))
        cr_assert_eq(gv_write_atomic(path, data, len, &e), 0, "%s", e.msg);
    unsigned char *gold;
    size_t glen;
    cr_assert_eq(gv_read_file(path, 1 << 20, &gold, &glen, &e), 0, "%s: %s", path, e.msg);
    cr_assert_eq(len, glen, "wrote %zu bytes, golden file has %zu", len, glen);
    for (size_t i = 0; i < len; i++)
        cr_assert_eq(data[i], gold[i], "byte %zu: 0x%02x, golden 0x%02x", i, data[i], gold[i]);
    /* the header and the first meta events, spelled out */
    static const unsigned char head[] = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0, 'M', 'T', 'r', 'k'};
    cr_assert(!memcmp(data, head, sizeof head));
    cr_assert(!memcmp(data + 22, BYTES(0x00, 0xff, 0x03, 13, 'g', 'o', 'l', 'd', 'e', 'n', ' ', 'g', 'r', 'o', 'o', 'v', 'e',
                                       0x00, 0xff, 0x51, 0x03, 0x09, 0x89, 0x68, /* 625000 us = 96 BPM */
                                       0x00, 0xff, 0x58, 0x04, 4, 2, 24, 8)));
    cr_assert(!memcmp(data + len - 3, BYTES(0xff, 0x2f, 0x00)));
    free(data);
    free(again);
    free(gold);
}

Test(smf, writer_refuses_what_midi_cannot_hold)
{
    static gv_pattern p;
    unsigned char *data;
    size_t len;
    gv_err e = {0};
    gv_pattern_init(&p, 32, 0.f, "x");
    cr_assert_eq(gv_smf_write(&p, &data, &len, &e), -1);
    cr_assert(strstr(e.msg, "tempo 0 BPM"), "%s", e.msg);
    cr_assert_null(data);
    gv_pattern_init(&p, 20, 120.f, "x");
    cr_assert_eq(gv_smf_write(&p, &data, &len, &e), -1);
    cr_assert(strstr(e.msg, "20 steps"), "%s", e.msg);
    gv_pattern_init(&p, 16, 120.f, "");
    cr_assert_eq(gv_smf_write(&p, &data, &len, &e), 0, "an empty pattern is a valid file: %s", e.msg);
    cr_assert_eq(len, 14 + 8 + 7 + 8 + 5); /* End of Track after 1920 ticks */
    free(data);
}

static void random_pattern(gv_pattern *p, uint64_t seed, int steps)
{
    gv_rng r;
    gv_rng_seed(&r, seed);
    gv_pattern_init(p, steps, 60.f + 120.f * gv_rng_uniform(&r), "round trip");
    for (int t = 0; t < steps; t++)
        for (int v = 0; v < GV_VOICES; v++)
            if (gv_rng_uniform(&r) < 0.35f) {
                float off = gv_rng_uniform(&r) - 0.5f;
                if (gv_rng_below(&r, 8) == 0)
                    off = gv_rng_below(&r, 2) ? 0.5f : -0.5f; /* the edges */
                gv_pattern_set(p, t, v, 1, gv_rng_uniform(&r), t == 0 && off < 0 ? 0.f : off);
            }
}

Test(smf, round_trip_keeps_hits_velocities_and_offsets)
{
    static gv_pattern p, q;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        int steps = 16 * (1 + (int)(seed % 16));
        random_pattern(&p, seed, steps);
        unsigned char *data;
        size_t len;
        gv_err e = {0};
        cr_assert_eq(gv_smf_write(&p, &data, &len, &e), 0, "%s", e.msg);
        gv_score s;
        cr_assert_eq(gv_smf_parse(data, len, -1, &s, &e), 0, "%s", e.msg);
        free(data);
        cr_assert_float_eq(s.total_steps, steps, 1e-9);
        cr_assert_float_eq(s.bpm, p.bpm, 0.01);
        cr_assert_str_eq(s.name, "round trip");
        cr_assert_eq(gv_score_window(&s, 0, steps / 16, &q, &e), gv_pattern_count(&p), "seed %llu", (unsigned long long)seed);
        gv_score_free(&s);
        cr_assert_eq(q.steps, steps);
        for (int t = 0; t < steps; t++)
            for (int v = 0; v < GV_VOICES; v++) {
                cr_assert_eq(q.hit[t][v], p.hit[t][v], "seed %llu step %d voice %d", (unsigned long long)seed, t, v);
                if (!p.hit[t][v])
                    continue;
                cr_assert_float_eq(q.vel[t][v], p.vel[t][v], 1.f / 127 + 1e-6, "vel %g -> %g", p.vel[t][v], q.vel[t][v]);
                cr_assert_float_eq(q.off[t][v], p.off[t][v], 1.f / 120 + 1e-6, "off %g -> %g", p.off[t][v], q.off[t][v]);
            }
    }
}

Test(smf, save_and_load_a_file)
{
    static gv_pattern p, q;
    random_pattern(&p, 99, 64);
    char dir[] = "/tmp/gv_smf_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/my groove.mid", dir);
    gv_err e = {0};
    cr_assert_eq(gv_smf_save(path, &p, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_smf_load(path, 0, 0, -1, &q, &e), gv_pattern_count(&p), "%s", e.msg);
    cr_assert_str_eq(q.name, "my groove");
    cr_assert_eq(q.steps, 64);
    cr_assert_eq(gv_smf_load(path, 2, 2, -1, &q, &e), gv_pattern_count(&q));
    cr_assert_eq(q.steps, 32);
    for (int t = 0; t < 32; t++)
        for (int v = 0; v < GV_VOICES; v++)
            cr_assert_eq(q.hit[t][v], p.hit[32 + t][v]);
    cr_assert_eq(gv_smf_load(path, 9, 0, -1, &q, &e), -1);
    cr_assert(strstr(e.msg, "past the last bar"), "%s", e.msg);
    cr_assert_eq(gv_smf_load(path, -2, 2, -1, &q, &e), -1);
    cr_assert_eq(gv_smf_load(path, 0, -1, -1, &q, &e), -1);
    unlink(path);
    cr_assert_eq(gv_smf_load(path, -1, 2, -1, &q, &e), -1);
    cr_assert(strstr(e.msg, "No such file"), "%s", e.msg);
    cr_assert_eq(gv_smf_load(dir, -1, 2, -1, &q, &e), -1);
    rmdir(dir);
}

/* An empty pattern is a pattern: a file with no notes at all reads as an
 * empty pattern of its length (End of Track), wherever it came from; only a
 * file whose notes are all outside the drum map is refused. */
Test(smf, a_file_without_notes_is_an_empty_pattern)
{
    static gv_pattern p, q;
    char dir[] = "/tmp/gv_smf_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/empty.mid", dir);
    gv_err e = {0};
    for (int steps = 16; steps <= 64; steps += 48) {
        gv_pattern_init(&p, steps, 97, "empty");
        cr_assert_eq(gv_smf_save(path, &p, &e), 0, "%s", e.msg);
        /* the whole file, and the default window (2 bars from the first with notes) */
        cr_assert_eq(gv_smf_load(path, -1, 0, -1, &q, &e), 0, "%d steps: %s", steps, e.msg);
        cr_assert_eq(q.steps, steps);
        cr_assert_eq(gv_pattern_count(&q), 0);
        cr_assert_float_eq(q.bpm, 97, 1e-3);
        cr_assert_eq(gv_smf_load(path, -1, 2, -1, &q, &e), 0, "%s", e.msg);
        cr_assert_eq(q.steps, 32);
        cr_assert_eq(gv_pattern_count(&q), 0);
        /* any channel: there is nothing on any of them */
        cr_assert_eq(gv_smf_load(path, 0, 0, 5, &q, &e), 0, "%s", e.msg);
        cr_assert_eq(q.steps, steps);
    }
    cr_assert_eq(gv_smf_load(path, 4, 0, -1, &q, &e), -1);
    cr_assert(strstr(e.msg, "past the end"), "%s", e.msg);
    unlink(path);
    rmdir(dir);

    gv_score s;
    /* a track that is only End of Track: one empty bar */
    buf b = file0(BYTES(EOT));
    parse_ok(&b, -1, &s);
    cr_assert_eq(s.n, 0);
    cr_assert_eq(gv_score_bars(&s), 0);
    cr_assert_eq(gv_score_window(&s, 0, 1, &q, &e), 0, "%s", e.msg);
    cr_assert_eq(q.steps, 16);
    gv_score_free(&s);
    /* a note after End of Track is not read: no notes */
    b = file0(BYTES(0x00, 0xff, 0x2f, 0x00, 0x00, 0x99, 36, 100));
    parse_ok(&b, -1, &s);
    cr_assert_eq(s.n, 0);
    gv_score_free(&s);
    /* notes, none of them drums: still refused */
    b = file0(BYTES(0x00, 0x99, 20, 100, 0x00, 0x90, 127, 1, EOT));
    expect_error(&b, -1, "no drum notes");
    b = file0(BYTES(0x00, 0x99, 36, 100, 0x78, 0x89, 36, 0, EOT));
    expect_error(&b, 5, "no drum notes on channel 5");
}

/* ---- the Groove MIDI Dataset copy ------------------------------------- */

static int load_all(const char *dir, int *files, long long *hits)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        cr_assert_eq(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            load_all(path, files, hits);
        } else if (!strcmp(gv_path_ext(path), "mid")) {
            static gv_pattern p;
            gv_err e = {0};
            int n = gv_smf_load(path, -1, 0, -1, &p, &e);
            cr_assert_geq(n, 1, "%s: %s", path, e.msg);
            (*files)++;
            *hits += n;
        }
    }
    closedir(d);
    return 0;
}

Test(smf, every_gmd_file_imports, .timeout = 120)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/patterns/gmd", gv_test_root());
    int files = 0;
    long long hits = 0;
    load_all(dir, &files, &hits);
    cr_assert_eq(files, 1021, "%d GMD files found", files);
    cr_log_info("%d GMD files, %lld hits in their opening windows", files, hits);
}

/* ---- mido, an independent reader --------------------------------------- */

Test(smf, mido_reads_what_we_write)
{
    static gv_pattern p;
    golden_pattern(&p);
    char dir[] = "/tmp/gv_mido_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char mid[256], expect[256], cmd[8192];
    snprintf(mid, sizeof mid, "%s/g.mid", dir);
    snprintf(expect, sizeof expect, "%s/expect.txt", dir);
    gv_err e = {0};
    for (int k = 0; k < 2; k++) {
        if (k == 1)
            random_pattern(&p, 7, 64);
        cr_assert_eq(gv_smf_save(mid, &p, &e), 0, "%s", e.msg);
        FILE *f = fopen(expect, "w");
        cr_assert_not_null(f);
        fprintf(f, "steps %d\nbpm %.6f\nname %s\n", p.steps, p.bpm, p.name);
        for (int t = 0; t < p.steps; t++)
            for (int v = 0; v < GV_VOICES; v++)
                if (p.hit[t][v])
                    fprintf(f, "%d %d %.9g %.9g\n", t, gv_voice_note(v), p.vel[t][v], p.off[t][v]);
        fclose(f);
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/reference/mido_check.py written %s %s 2>&1", gv_test_root(), mid, expect);
        FILE *py = popen(cmd, "r");
        cr_assert_not_null(py);
        char out[8192] = "";
        size_t got = fread(out, 1, sizeof out - 1, py);
        out[got] = 0;
        int rc = pclose(py);
        cr_assert_eq(rc, 0, "mido disagrees with what we wrote:\n%s", out);
        cr_assert(strstr(out, "ok"), "%s", out);
    }
    unlink(mid);
    unlink(expect);
    rmdir(dir);
}

Test(smf, gmd_windows_agree_with_mido, .timeout = 120)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/reference/mido_check.py gmd %s/patterns/gmd 30 2>&1", gv_test_root(), gv_test_root());
    FILE *py = popen(cmd, "r");
    cr_assert_not_null(py);
    char line[4096];
    int files = 0, odd = 0, bad = 0;
    while (fgets(line, sizeof line, py)) {
        char rel[1024];
        int first, steps, want[2][GV_VOICES], used;
        if (sscanf(line, "%1023s %d %d%n", rel, &first, &steps, &used) != 3) {
            cr_log_error("mido_check: %s", line);
            bad++;
            continue;
        }
        char *q = line + used;
        for (int w = 0; w < 2; w++)
            for (int v = 0; v < GV_VOICES; v++) {
                int n;
                cr_assert_eq(sscanf(q, "%d%n", &want[w][v], &n), 1, "short line: %s", line);
                q += n;
            }
        char path[8192];
        snprintf(path, sizeof path, "%s/patterns/gmd/%s", gv_test_root(), rel);
        gv_score s;
        static gv_pattern p;
        unsigned char *data;
        size_t len;
        gv_err e = {0};
        cr_assert_eq(gv_read_file(path, GV_SMF_MAX_FILE, &data, &len, &e), 0, "%s: %s", rel, e.msg);
        cr_assert_eq(gv_smf_parse(data, len, -1, &s, &e), 0, "%s: %s", rel, e.msg);
        free(data);
        odd += s.steps_per_bar != 16;
        int ours_first = gv_score_first_bar(&s);
        for (int w = 0; w < 2; w++) {
            cr_assert_geq(gv_score_window(&s, ours_first + 3 * w, 2, &p, &e), 0, "%s", e.msg);
            int differ = ours_first != first || p.steps != steps;
            for (int v = 0; v < GV_VOICES; v++)
                differ |= gv_pattern_count_voice(&p, v) != want[w][v];
            if (differ) {
                char a[256] = "", b[256] = "";
                for (int v = 0; v < GV_VOICES; v++) {
                    snprintf(a + strlen(a), sizeof a - strlen(a), " %s=%d", gv_voice_label(v), gv_pattern_count_voice(&p, v));
                    snprintf(b + strlen(b), sizeof b - strlen(b), " %s=%d", gv_voice_label(v), want[w][v]);
                }
                cr_log_error("%s bar %d: ours first bar %d, %d steps,%s\n  mido first bar %d, %d steps,%s", rel,
                             first + 3 * w, ours_first, p.steps, a, first, steps, b);
                bad++;
            }
        }
        gv_score_free(&s);
        files++;
    }
    int rc = pclose(py);
    cr_assert_eq(rc, 0, "mido_check.py failed");
    cr_assert_geq(files, 25, "only %d files compared", files);
    cr_assert_geq(odd, 3, "the sample has only %d files not in 4/4", odd);
    cr_assert_eq(bad, 0, "%d windows differ from mido's count", bad);
}

/* A MIDI tempo outside 20..400 BPM (1 us per quarter is 6e7 BPM, the largest
 * 0xffffff us is 3.58 BPM) is clamped in the pattern, the file's value kept in
 * bpm_file for the warning; the score keeps the tempo as written. */
Test(smf, tempo_outside_20_400_is_clamped)
{
    char dir[] = "/tmp/gv_smftempo_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/fast.mid", dir);
    const unsigned char usec[3][3] = {{0, 0, 1}, {0xff, 0xff, 0xff}, {0x07, 0xa1, 0x20}};
    const double want[3] = {400, 20, 120}, file[3] = {6e7, 60e6 / 16777215.0, 0};
    for (int k = 0; k < 3; k++) {
        buf b = file0(BYTES(0x00, 0xff, 0x51, 0x03, usec[k][0], usec[k][1], usec[k][2], 0x00, 0x99, 36, 100, 0x78,
                            0x89, 36, 0, EOT));
        gv_err e = {0};
        cr_assert_eq(gv_write_atomic(path, b.b, b.n, &e), 0, "%s", e.msg);
        gv_pattern *p = malloc(sizeof *p);
        cr_assert_eq(gv_smf_load(path, -1, 2, -1, p, &e), 1, "%s", e.msg);
        cr_assert_float_eq(p->bpm, want[k], 1e-3, "tempo %d: %g", k, p->bpm);
        cr_assert_float_eq(p->bpm_file, file[k], 1e-3 * file[k], "tempo %d: file %g", k, p->bpm_file);
        free(p);
    }
    unlink(path);
    rmdir(dir);
}

/* A take longer than 256 steps comes whole, in pieces: the first is what
 * gv_smf_load gives for the whole file (its first 16 bars), the rest follow
 * on without a gap through the last bar with notes. */
Test(smf, long_take_loads_whole_in_pieces)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/patterns/gmd/drummer1/session1/1_funk_80_beat_4-4.mid", gv_test_root());
    gv_err e = {0};
    gv_pattern first, *pieces;
    int n;
    cr_assert_geq(gv_smf_load(path, -1, 0, -1, &first, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_smf_load_take(path, -1, -1, &pieces, &n, &e), 0, "%s", e.msg);
    cr_assert_eq(first.steps, 256);
    cr_assert_eq(memcmp(&pieces[0], &first, sizeof first), 0);
    unsigned char *data;
    size_t len;
    gv_score s;
    cr_assert_eq(gv_read_file(path, GV_SMF_MAX_FILE, &data, &len, &e), 0);
    cr_assert_eq(gv_smf_parse(data, len, -1, &s, &e), 0);
    int from = gv_score_first_bar(&s) * 16, total = 0, hits = 0;
    for (int k = 0; k < n; k++) {
        gv_pattern w;
        cr_assert_geq(gv_score_window_steps(&s, from + total, pieces[k].steps, &w, &e), 0);
        cr_assert_eq(memcmp(w.hit, pieces[k].hit, sizeof w.hit), 0, "piece %d", k);
        cr_assert_str_eq(pieces[k].name, "1_funk_80_beat_4-4");
        total += pieces[k].steps;
        for (int t = 0; t < pieces[k].steps; t++)
            for (int v = 0; v < GV_VOICES; v++)
                hits += pieces[k].hit[t][v] != 0;
    }
    cr_assert_eq(n, 2);
    cr_assert_eq(from + total, gv_score_bars(&s) * 16);
    cr_assert_gt(hits, s.n / 2, "%d hits of %d notes", hits, s.n);
    gv_score_free(&s);
    free(data);
    free(pieces);
    /* a short file: one piece, gv_smf_load's */
    snprintf(path, sizeof path, "%s/tests/data/smf/golden.mid", gv_test_root());
    cr_assert_geq(gv_smf_load(path, -1, 0, -1, &first, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_smf_load_take(path, -1, -1, &pieces, &n, &e), 0, "%s", e.msg);
    cr_assert_eq(n, 1);
    cr_assert_eq(memcmp(&pieces[0], &first, sizeof first), 0);
    free(pieces);
    cr_assert_eq(gv_smf_load_take("/nonexistent.mid", -1, -1, &pieces, &n, &e), -1);
    cr_assert_null(pieces);
}

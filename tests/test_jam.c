/* test_jam.c - the jam's clock-free core (session/jam.h): the rolling
 * window, regeneration points and swap points, hold, silence, follow and
 * the history.  The model's side (that a jam's drums are the model's, and
 * follow the player, and equal generate's) is in the jam_model tests below,
 * on the shipped model. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/generate.h"
#include "session/jam.h"

static gv_jam_settings settings(int every)
{
    return (gv_jam_settings){.every = every, .follow = 1.f, .hold = 0, .lanes = 0, .seed = 42};
}

/* Four on the floor, one bar at a time, from bar b0 to b1 (exclusive), each
 * kick 0.1 step late. */
static void kicks(gv_jam *j, int b0, int b1)
{
    for (int b = b0; b < b1; b++)
        for (int q = 0; q < 4; q++)
            gv_jam_tap(j, b * 16 + q * 4 + 0.1, GV_KICK, 0.8f);
}

Test(jam, settings_are_checked)
{
    char err[80];
    gv_jam_settings s = settings(GV_JAM_EVERY_BAR);
    cr_assert_eq(gv_jam_settings_check(&s, err, sizeof err), 0);
    s.every = 8;
    cr_assert_eq(gv_jam_settings_check(&s, err, sizeof err), -1);
    cr_assert(strstr(err, "every"), "%s", err);
    s = settings(GV_JAM_EVERY_BAR);
    s.follow = 1.5f;
    cr_assert_eq(gv_jam_settings_check(&s, err, sizeof err), -1);
    cr_assert(strstr(err, "follow"), "%s", err);
    s.follow = NAN;
    cr_assert_eq(gv_jam_settings_check(&s, err, sizeof err), -1);
    s = settings(GV_JAM_EVERY_BAR);
    s.lanes = 4;
    cr_assert_eq(gv_jam_settings_check(&s, err, sizeof err), -1);
}

Test(jam, window_quantises_keeps_feel_and_wraps_early_taps)
{
    gv_jam j;
    gv_jam_settings s = settings(GV_JAM_EVERY_BAR);
    gv_jam_init(&j, &s);
    gv_jam_tap(&j, 31.8, GV_SNARE, 0.5f);  /* 0.2 early for step 32: next window's cell 0 */
    gv_jam_tap(&j, 36.1, GV_KICK, 0.9f);   /* step 36, 0.1 late: cell 4 */
    gv_jam_tap(&j, 36.2, GV_KICK, 0.4f);   /* same cell, softer: dropped */
    gv_jam_tap(&j, 63.6, GV_CHAT, 0.7f);   /* step 64: outside [32, 64) */
    gv_pattern g;
    cr_assert_eq(gv_jam_window(&j, 64, &g), 3);
    cr_assert_eq(g.steps, GV_JAM_STEPS);
    cr_assert(g.hit[0][GV_SNARE]);
    cr_assert_float_eq(g.off[0][GV_SNARE], -0.2f, 1e-5);
    cr_assert(g.hit[4][GV_KICK]);
    cr_assert_float_eq(g.vel[4][GV_KICK], 0.9f, 1e-6);
    cr_assert_float_eq(g.off[4][GV_KICK], 0.1f, 1e-5);
    cr_assert_eq(gv_pattern_count(&g), 2);
    /* The window ending at 96 holds the hat on cell 0 (64 mod 32) only. */
    cr_assert_eq(gv_jam_window(&j, 96, &g), 1);
    cr_assert(g.hit[0][GV_CHAT]);
}

Test(jam, every_bar_regenerates_at_each_bar_line_and_swaps_at_the_next)
{
    gv_jam j;
    gv_jam_settings s = settings(GV_JAM_EVERY_BAR);
    gv_jam_init(&j, &s);
    gv_jam_req r;
    kicks(&j, 0, 1);
    cr_assert_eq(gv_jam_due(&j, 15.9, &r), 0);
    cr_assert_eq(gv_jam_due(&j, 16.0, &r), 1);
    cr_assert_eq(r.index, 0);
    cr_assert_eq(r.at, 16);
    cr_assert_eq(r.swap, 32);
    cr_assert_eq(r.seed, 42u);
    cr_assert_eq(r.taps, 4);
    cr_assert_eq(r.lanes, 1);
    cr_assert_eq(gv_jam_due(&j, 20.0, &r), 0, "one request per point");
    kicks(&j, 1, 2);
    gv_jam_tap(&j, 30.0, GV_SNARE, 0.7f);
    cr_assert_eq(gv_jam_due(&j, 32.5, &r), 1);
    cr_assert_eq(r.index, 1);
    cr_assert_eq(r.at, 32);
    cr_assert_eq(r.swap, 48);
    cr_assert_eq(r.seed, gv_gen_seed(42, 1));
    cr_assert_eq(r.taps, 9);
    cr_assert_eq(r.lanes, 3, "kick and snare: two rows, told in 3 lanes");
    /* Passing several points at once: only the latest counts. */
    kicks(&j, 3, 5);
    cr_assert_eq(gv_jam_due(&j, 80.0, &r), 1);
    cr_assert_eq(r.at, 80);
    cr_assert_eq(r.swap, 96);
}

Test(jam, every_beat_and_every_two_bars)
{
    gv_jam j;
    gv_jam_settings s = settings(GV_JAM_EVERY_BEAT);
    gv_jam_init(&j, &s);
    gv_jam_req r;
    kicks(&j, 0, 1);
    cr_assert_eq(gv_jam_due(&j, 4.0, &r), 1);
    cr_assert_eq(r.at, 4);
    cr_assert_eq(r.swap, 8);
    cr_assert_eq(gv_jam_due(&j, 9.0, &r), 1);
    cr_assert_eq(r.at, 8);
    cr_assert_eq(r.swap, 12);
    s = settings(GV_JAM_EVERY_2BARS);
    gv_jam_init(&j, &s);
    kicks(&j, 0, 2);
    cr_assert_eq(gv_jam_due(&j, 16.0, &r), 0);
    cr_assert_eq(gv_jam_due(&j, 32.0, &r), 1);
    cr_assert_eq(r.at, 32);
    cr_assert_eq(r.swap, 48, "2 bars: the result still takes over at the next bar line");
    /* Switching the spacing mid-jam: the next point is the next multiple. */
    s.every = GV_JAM_EVERY_BAR;
    gv_jam_set(&j, &s);
    cr_assert_eq(gv_jam_due(&j, 47.0, &r), 0);
    cr_assert_eq(gv_jam_due(&j, 48.0, &r), 1);
    cr_assert_eq(r.at, 48);
}

Test(jam, hold_freezes_and_still_records)
{
    gv_jam j;
    gv_jam_settings s = settings(GV_JAM_EVERY_BAR);
    gv_jam_init(&j, &s);
    gv_jam_req r;
    kicks(&j, 0, 1);
    cr_assert_eq(gv_jam_due(&j, 16.0, &r), 1);
    s.hold = 1;
    gv_jam_set(&j, &s);
    kicks(&j, 1, 4);
    for (int b = 2; b <= 4; b++)
        cr_assert_eq(gv_jam_due(&j, b * 16.0, &r), 0, "bar %d: holding", b);
    cr_assert_eq(gv_jam_history(&j, 3).taps, 4, "taps are recorded while holding");
    s.hold = 0;
    gv_jam_set(&j, &s);
    cr_assert_eq(gv_jam_due(&j, 80.0, &r), 1);
    cr_assert_eq(r.index, 1, "requests made while holding: none");
    cr_assert_eq(r.taps, 4, "bar 3's taps, recorded while holding");
}

Test(jam, silence_keeps_the_last_pattern_and_the_player_comes_back)
{
    gv_jam j;
    gv_jam_settings s = settings(GV_JAM_EVERY_BAR);
    gv_jam_init(&j, &s);
    gv_jam_req r;
    kicks(&j, 0, 2);
    cr_assert_eq(gv_jam_due(&j, 32.0, &r), 1);
    cr_assert_eq(gv_jam_due(&j, 48.0, &r), 1, "one bar of silence: the window still has taps");
    cr_assert_eq(gv_jam_due(&j, 64.0, &r), 0, "two bars of silence: nothing due, the drums keep playing");
    cr_assert_eq(gv_jam_due(&j, 80.0, &r), 0);
    kicks(&j, 5, 6);
    cr_assert_eq(gv_jam_due(&j, 96.0, &r), 1, "the player is back");
    cr_assert_eq(r.taps, 4);
}

Test(jam, follow_moves_the_latent_part_way)
{
    gv_jam_latent l = {0};
    float a[4] = {0, 0, 0, 0}, b[4] = {4, -4, 8, 1}, z[4];
    gv_jam_follow(&l, 0.25f, a, 4, z);
    cr_assert_eq(memcmp(z, a, sizeof a), 0, "the first latent is the new one");
    gv_jam_follow(&l, 0.25f, b, 4, z);
    cr_assert_float_eq(z[0], 1.f, 1e-6);
    cr_assert_float_eq(z[1], -1.f, 1e-6);
    cr_assert_float_eq(z[2], 2.f, 1e-6);
    float keep[4];
    memcpy(keep, z, sizeof z);
    for (int i = 0; i < 5; i++)
        gv_jam_follow(&l, 0.f, b, 4, z);
    cr_assert_eq(memcmp(z, keep, sizeof z), 0, "follow 0 never changes the latent");
    gv_jam_follow(&l, 1.f, b, 4, z);
    cr_assert_eq(memcmp(z, b, sizeof b), 0, "follow 1 snaps");
}

Test(jam, history_of_the_last_bars)
{
    gv_jam j;
    gv_jam_settings s = settings(GV_JAM_EVERY_BAR);
    gv_jam_init(&j, &s);
    kicks(&j, 0, 10);
    gv_jam_swapped(&j, 32);
    gv_jam_swapped(&j, 144);
    cr_assert_eq(gv_jam_history(&j, 1).bar, -1, "bar 1 is older than the last 8");
    cr_assert_eq(gv_jam_history(&j, 2).bar, 2);
    cr_assert_eq(gv_jam_history(&j, 2).regenerated, 1);
    cr_assert_eq(gv_jam_history(&j, 3).regenerated, 0);
    cr_assert_eq(gv_jam_history(&j, 9).regenerated, 1);
    cr_assert_eq(gv_jam_history(&j, 9).taps, 4);
}

/* ------------------------------------------------- with the shipped model */

#include "engine/ops.h"
#include "session/jam_gen.h"
#include "session/jam_take.h"
#include "tests/helpers.h"

typedef struct jam_fix {
    gv_model m;
    gv_gen_ws *ws;
    gv_gen_opts o;
} jam_fix;

static void fix_open(jam_fix *f)
{
    char path[1024];
    gv_err e = {0};
    snprintf(path, sizeof path, "%s/engine/models/default.safetensors", gv_test_root());
    cr_assert_eq(gv_model_load(path, &f->m, &e), 0, "%s", e.msg);
    f->ws = gv_gen_ws_new(&f->m.cfg, 1);
    cr_assert_not_null(f->ws);
    gv_gen_opts_default(&f->o);
}

static void fix_close(jam_fix *f)
{
    gv_gen_ws_free(f->ws);
    gv_model_free(&f->m);
}

/* Taps of a groove: one bar of `cells` (a 16-char row: 'x' loud, 'o' soft),
 * from bar b0 to b1, on voice v, 0.08 step late. */
static int groove_taps(gv_jam_note *t, int n, const char *cells, int b0, int b1, int v)
{
    for (int b = b0; b < b1; b++)
        for (int s = 0; s < 16; s++)
            if (cells[s] != '.')
                t[n++] = (gv_jam_note){b * 16 + s + 0.08, gv_voice_note(v), v, cells[s] == 'x' ? 0.9f : 0.5f};
    return n;
}

/* Rhythm F1 of a's onsets (any voice) against b's, per step. */
static double rhythm_f1(const gv_pattern *a, const gv_pattern *b)
{
    int tp = 0, na = 0, nb = 0;
    for (int s = 0; s < a->steps; s++) {
        int x = 0, y = 0;
        for (int v = 0; v < GV_VOICES; v++)
            x |= a->hit[s][v], y |= b->hit[s][v];
        tp += x && y, na += x, nb += y;
    }
    return na + nb ? 2.0 * tp / (na + nb) : 1.0;
}

Test(jam_model, drums_follow_a_new_groove_and_come_from_the_model, .timeout = 300)
{
    jam_fix f;
    fix_open(&f);
    static gv_jam_note taps[1024];
    const char *A = "x...x...x...x...", *Bg = "x..x..x...x.x...";
    int n = groove_taps(taps, 0, A, 0, 6, GV_KICK);
    n = groove_taps(taps, n, Bg, 6, 12, GV_KICK); /* the player switches at bar S = 6 */
    gv_jam j;
    gv_jam_settings s = settings(GV_JAM_EVERY_BAR);
    gv_jam_init(&j, &s);
    gv_jam_gen g;
    gv_jam_gen_init(&g, &f.m, f.ws, &f.o);
    gv_jam_take take;
    gv_jam_take_init(&take, 100.f);
    gv_err e = {0};
    int regens = 0;
    cr_assert_eq(gv_jam_replay(&j, &g, taps, n, 0, &take, &regens, &e), 0, "%s", e.msg);
    cr_assert_eq(regens, 12, "a pattern at every bar line from bar 1 on, got %d", regens);
    cr_assert_eq(take.swaps[0].at, 32, "the first pattern takes over a bar after the first point");
    /* Bars S+3 and S+4 against the new groove, as played. */
    gv_pattern drums, groove;
    gv_jam_take_drums(&take, 9 * 16, 32, &drums);
    gv_jam_take_taps(&take, 9 * 16, 32, &groove);
    double f1 = rhythm_f1(&drums, &groove);
    cr_assert_geq(f1, 0.9, "rhythm F1 %.3f of bars S+3, S+4 against the new groove", f1);
    cr_assert_gt(gv_pattern_count(&drums), gv_pattern_count(&groove), "the drums are more than an echo of the taps");
    /* Every pattern is the model's drumify of its window with its seed. */
    gv_jam check;
    gv_jam_init(&check, &s);
    for (int i = 0; i < n; i++)
        gv_jam_tap(&check, taps[i].step, taps[i].voice, taps[i].vel);
    for (int k = 0; k < take.nswaps; k++) {
        gv_jam_req r;
        int64_t at = take.swaps[k].at - 16;
        cr_assert_gt(gv_jam_window(&check, at, &r.groove), 0, "pattern %d came from taps", k);
        gv_pattern want;
        float z[GV_JAM_MAX_Z];
        gv_gen_opts o = f.o;
        o.seed = gv_gen_seed(s.seed, k);
        r.groove.bpm = 100.f;
        cr_assert_eq(gv_op_drumify(&f.m, &r.groove, 1, &o, &want, z, f.ws, &e), 0, "%s", e.msg);
        const gv_pattern *got = &take.pats[take.swaps[k].pattern];
        cr_assert_eq(memcmp(got->hit, want.hit, sizeof want.hit), 0, "pattern %d: hits differ from generate", k);
        cr_assert_eq(memcmp(got->vel, want.vel, sizeof want.vel), 0, "pattern %d: velocities differ", k);
    }
    gv_jam_take_free(&take);
    fix_close(&f);
}

Test(jam_model, silence_keeps_playing_hold_freezes_follow_zero_keeps_the_latent, .timeout = 300)
{
    jam_fix f;
    fix_open(&f);
    static gv_jam_note taps[512];
    int n = groove_taps(taps, 0, "x...o...x...o...", 0, 3, GV_KICK);
    int m2 = groove_taps(taps, n, "x.x.x.x.x.x.x.x.", 8, 10, GV_SNARE);
    gv_jam_settings s = settings(GV_JAM_EVERY_BAR);
    s.follow = 0.f;
    gv_jam j;
    gv_jam_init(&j, &s);
    gv_jam_gen g;
    gv_jam_gen_init(&g, &f.m, f.ws, &f.o);
    gv_jam_take take;
    gv_jam_take_init(&take, 120.f);
    gv_err e = {0};
    cr_assert_eq(gv_jam_replay(&j, &g, taps, n, 7 * 16, &take, NULL, &e), 0, "%s", e.msg);
    float z0[GV_JAM_MAX_Z];
    memcpy(z0, g.lat.z, sizeof z0);
    /* Bars 5-6: two bars of silence: the drums still play (the last pattern). */
    gv_pattern d;
    gv_jam_take_drums(&take, 5 * 16, 32, &d);
    cr_assert_gt(gv_pattern_count(&d), 0, "silence: the drums keep playing");
    int nsw = take.nswaps;
    /* The player is back (bars 8-9), follow 0: the latent never moves. */
    cr_assert_eq(gv_jam_replay(&j, &g, taps + n, m2 - n, 11 * 16, &take, NULL, &e), 0, "%s", e.msg);
    cr_assert_gt(take.nswaps, nsw, "the player came back: new patterns");
    cr_assert_eq(memcmp(z0, g.lat.z, sizeof z0), 0, "follow 0 never changes the latent");
    /* Hold: no new pattern, taps still recorded. */
    s.hold = 1;
    gv_jam_set(&j, &s);
    nsw = take.nswaps;
    int ntaps = take.ntaps;
    static gv_jam_note more[64];
    int k = groove_taps(more, 0, "x.......x.......", 11, 13, GV_KICK);
    cr_assert_eq(gv_jam_replay(&j, &g, more, k, 14 * 16, &take, NULL, &e), 0, "%s", e.msg);
    cr_assert_eq(take.nswaps, nsw, "hold freezes the drums");
    cr_assert_eq(take.ntaps, ntaps + k, "hold still records");
    gv_jam_take_free(&take);
    fix_close(&f);
}

/* ------------------------------------------------------ swaps, to the sample */

#include "synth/render.h"

/* A jam's render switching pattern by pattern equals, sample for sample, the
 * render of the drums as heard laid out as one pattern: so every swap
 * happened exactly at its bar (beat) line, on the audio path itself. */
static void render_matches(int every)
{
    jam_fix f;
    fix_open(&f);
    static gv_jam_note taps[512];
    int n = groove_taps(taps, 0, "x..x..x...x.x...", 0, 4, GV_KICK);
    n = groove_taps(taps, n, "....x.......x..x", 2, 8, GV_SNARE);
    gv_jam_settings s = settings(every);
    gv_jam j;
    gv_jam_init(&j, &s);
    gv_jam_gen g;
    gv_jam_gen_init(&g, &f.m, f.ws, &f.o);
    gv_jam_take take;
    gv_jam_take_init(&take, 110.f);
    gv_err e = {0};
    cr_assert_eq(gv_jam_replay(&j, &g, taps, n, 0, &take, NULL, &e), 0, "%s", e.msg);
    int64_t end = gv_jam_take_end(&take);
    cr_assert_leq(end, GV_MAX_STEPS);
    cr_assert_gt(take.nswaps, 3);
    int64_t at[64];
    static gv_pattern pats[64];
    for (int i = 0; i < take.nswaps; i++)
        at[i] = take.swaps[i].at, pats[i] = take.pats[take.swaps[i].pattern];
    gv_kit kit;
    cr_assert_eq(gv_kit_builtin(&kit, 48000, NULL), 0);
    gv_render_opts o;
    gv_render_opts_default(&o);
    o.bpm = 110;
    float *a = NULL, *b = NULL;
    int64_t na, nb, origin;
    cr_assert_eq(gv_render_switches(pats, at, take.nswaps, every == GV_JAM_EVERY_BEAT, end, &kit, &o, &a, &na, &e), 0,
                 "%s", e.msg);
    static gv_pattern whole;
    gv_jam_take_drums(&take, 0, (int)end, &whole);
    cr_assert_gt(gv_pattern_count(&whole), 0);
    cr_assert_eq(gv_render(&whole, &kit, &o, &b, &nb, &origin, &e), 0, "%s", e.msg);
    /* up to the end of the take (the ring-outs stop differently) */
    int64_t upto = (int64_t)(end * 48000.0 * 15.0 / 110.0) - 2000;
    cr_assert_lt(upto + origin, nb);
    cr_assert_lt(upto, na);
    for (int64_t i = 0; i < upto * 2; i++)
        if (a[i] != b[i + 2 * origin])
            cr_assert_fail("every %d: sample %lld differs (frame %lld)", every, (long long)i, (long long)(i / 2));
    free(a);
    free(b);
    gv_kit_free(&kit);
    gv_jam_take_free(&take);
    fix_close(&f);
}

Test(jam_render, bar_swaps_land_on_the_sample, .timeout = 300) { render_matches(GV_JAM_EVERY_BAR); }
Test(jam_render, beat_swaps_land_on_the_sample, .timeout = 300) { render_matches(GV_JAM_EVERY_BEAT); }

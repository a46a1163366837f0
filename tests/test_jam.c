/* test_jam.c - the jam's clock-free core (session/jam.h): the rolling
 * window, regeneration points and swap points, hold, silence, follow and
 * the history.  The model's side (that a jam's drums are the model's, and
 * follow the player) is in e2e_jam.sh. */
#include <criterion/criterion.h>
#include <math.h>
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
    gv_jam j;
    gv_jam_settings s = settings(GV_JAM_EVERY_BAR);
    s.follow = 0.25f;
    gv_jam_init(&j, &s);
    float a[4] = {0, 0, 0, 0}, b[4] = {4, -4, 8, 1}, z[4];
    gv_jam_follow(&j, a, 4, z);
    cr_assert_eq(memcmp(z, a, sizeof a), 0, "the first latent is the new one");
    gv_jam_follow(&j, b, 4, z);
    cr_assert_float_eq(z[0], 1.f, 1e-6);
    cr_assert_float_eq(z[1], -1.f, 1e-6);
    cr_assert_float_eq(z[2], 2.f, 1e-6);
    s.follow = 0.f;
    gv_jam_set(&j, &s);
    float keep[4];
    memcpy(keep, z, sizeof z);
    for (int i = 0; i < 5; i++)
        gv_jam_follow(&j, b, 4, z);
    cr_assert_eq(memcmp(z, keep, sizeof z), 0, "follow 0 never changes the latent");
    s.follow = 1.f;
    gv_jam_set(&j, &s);
    gv_jam_follow(&j, b, 4, z);
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

/* test_taptempo.c - tap tempo (session/taptempo.h): 4+ taps give the BPM of
 * their mean interval; a pause starts over; the last taps count. */
#include <criterion/criterion.h>

#include "session/taptempo.h"

Test(taptempo, four_taps_give_the_mean_interval)
{
    gv_tap_tempo tt;
    gv_tap_tempo_reset(&tt);
    cr_assert_eq(gv_tap_tempo_add(&tt, 10.0), 0);
    cr_assert_eq(gv_tap_tempo_add(&tt, 10.5), 0);
    cr_assert_eq(gv_tap_tempo_add(&tt, 11.0), 0);
    cr_assert_float_eq(gv_tap_tempo_add(&tt, 11.5), 120.0, 1e-9);
    /* uneven taps: the mean interval, (last - first) / 4 = 0.6 s */
    double t[] = {0, 0.55, 1.25, 1.8, 2.4};
    cr_assert_float_eq(gv_tap_tempo_bpm(t, 5), 100.0, 1e-9);
    cr_assert_eq(gv_tap_tempo_bpm(t, 3), 0);
    double back[] = {0, 0.5, 0.4, 1.0};
    cr_assert_eq(gv_tap_tempo_bpm(back, 4), 0);
}

Test(taptempo, a_pause_starts_over_and_the_last_taps_count)
{
    gv_tap_tempo tt;
    gv_tap_tempo_reset(&tt);
    double t = 0;
    for (int i = 0; i < 4; i++, t += 0.5)
        gv_tap_tempo_add(&tt, t);
    t += 5; /* a pause */
    cr_assert_eq(gv_tap_tempo_add(&tt, t), 0);
    cr_assert_eq(tt.n, 1);
    /* 20 taps speeding from 0.5 s to 0.4 s: only the last GV_TAP_TEMPO_KEEP count */
    gv_tap_tempo_reset(&tt);
    double bpm = 0;
    t = 0;
    for (int i = 0; i < 10; i++, t += 0.5)
        bpm = gv_tap_tempo_add(&tt, t);
    cr_assert_float_eq(bpm, 120.0, 1e-9);
    for (int i = 0; i < GV_TAP_TEMPO_KEEP; i++) {
        t += 0.4;
        bpm = gv_tap_tempo_add(&tt, t);
    }
    cr_assert_float_eq(bpm, 150.0, 1e-9);
    /* clamped to the tempo range */
    double slow[] = {0, 2.9, 5.8, 8.7}, fast[] = {0, 0.01, 0.02, 0.03};
    cr_assert_float_eq(gv_tap_tempo_bpm(slow, 4), 20.689655172413794, 1e-9);
    cr_assert_float_eq(gv_tap_tempo_bpm(fast, 4), 400.0, 1e-9);
}

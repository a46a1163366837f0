/* test_lanes.c - the lane tables of patterns/lanes.h on hand-built patterns
 * (golden values), the loudest-hit rule, and voice sets by name. */
#include <criterion/criterion.h>
#include <string.h>

#include "patterns/lanes.h"

#define B(v) (1u << (v))

static float cell(const float *hvo, int nlanes, int t, int l, int k) { return hvo[(t * nlanes + l) * 3 + k]; }

Test(lanes, tables_are_the_issues)
{
    const int l2[GV_VOICES] = {0, 1, 1, 1, 0, 1, 1, 1, 1};
    const int l3[GV_VOICES] = {0, 1, 2, 2, 0, 1, 1, 2, 2};
    for (int v = 0; v < GV_VOICES; v++) {
        cr_assert_eq(gv_lane_of_voice(1, v), 0, "voice %d", v);
        cr_assert_eq(gv_lane_of_voice(2, v), l2[v], "voice %d", v);
        cr_assert_eq(gv_lane_of_voice(3, v), l3[v], "voice %d", v);
    }
    cr_assert_eq(gv_lane_voices(3, 0), B(GV_KICK) | B(GV_LTOM));
    cr_assert_eq(gv_lane_voices(3, 1), B(GV_SNARE) | B(GV_MTOM) | B(GV_HTOM));
    cr_assert_eq(gv_lane_voices(3, 2), B(GV_CHAT) | B(GV_OHAT) | B(GV_CRASH) | B(GV_RIDE));
    cr_assert_eq(gv_lane_voices(2, 1), 0x1ffu & ~(B(GV_KICK) | B(GV_LTOM)));
    cr_assert_eq(gv_lane_voices(1, 0), 0x1ffu);
    /* every voice in exactly one lane */
    for (int n = 1; n <= 3; n++) {
        unsigned all = 0;
        for (int l = 0; l < n; l++) {
            cr_assert_eq(all & gv_lane_voices(n, l), 0);
            all |= gv_lane_voices(n, l);
        }
        cr_assert_eq(all, 0x1ffu);
    }
    cr_assert_eq(gv_lane_main_voice(1, 0), GV_CHAT);
    cr_assert_eq(gv_lane_main_voice(2, 0), GV_KICK);
    cr_assert_eq(gv_lane_main_voice(2, 1), GV_CHAT);
    cr_assert_eq(gv_lane_main_voice(3, 1), GV_SNARE);
    cr_assert_eq(gv_lane_of_voice(0, GV_KICK), -1);
    cr_assert_eq(gv_lane_of_voice(4, GV_KICK), -1);
    cr_assert_eq(gv_lane_of_voice(3, GV_VOICES), -1);
    cr_assert_eq(gv_lane_voices(2, 2), 0);
    cr_assert_eq(gv_lane_main_voice(3, 3), -1);
}

/* One bar: step 0 kick 0.8 + closed hat 0.5; step 4 snare 0.9 + low tom 0.4
 * + ride 0.6; step 8 high tom 0.7 + mid tom 0.3; step 12 open hat 0.2 and
 * crash 0.6 (loudest in the high lane); step 14 low tom alone. */
static void build(gv_pattern *p)
{
    gv_pattern_init(p, 16, 120, "golden");
    gv_pattern_set(p, 0, GV_KICK, 1, 0.8f, 0.10f);
    gv_pattern_set(p, 0, GV_CHAT, 1, 0.5f, -0.20f);
    gv_pattern_set(p, 4, GV_SNARE, 1, 0.9f, 0.05f);
    gv_pattern_set(p, 4, GV_LTOM, 1, 0.4f, -0.10f);
    gv_pattern_set(p, 4, GV_RIDE, 1, 0.6f, 0.20f);
    gv_pattern_set(p, 8, GV_HTOM, 1, 0.7f, 0.15f);
    gv_pattern_set(p, 8, GV_MTOM, 1, 0.3f, -0.30f);
    gv_pattern_set(p, 12, GV_OHAT, 1, 0.2f, 0.40f);
    gv_pattern_set(p, 12, GV_CRASH, 1, 0.6f, -0.40f);
    gv_pattern_set(p, 14, GV_LTOM, 1, 0.35f, 0.25f);
}

static void expect(const float *hvo, int n, int t, int l, float h, float v, float o)
{
    cr_assert_float_eq(cell(hvo, n, t, l, 0), h, 0, "lanes %d step %d lane %d hit", n, t, l);
    cr_assert_float_eq(cell(hvo, n, t, l, 1), v, 1e-6, "lanes %d step %d lane %d vel", n, t, l);
    cr_assert_float_eq(cell(hvo, n, t, l, 2), o, 1e-6, "lanes %d step %d lane %d off", n, t, l);
}

Test(lanes, one_lane_is_the_groove)
{
    static gv_pattern p;
    build(&p);
    float a[16 * 3], g[16 * 3];
    gv_pattern_lanes(&p, 1, a);
    gv_pattern_groove(&p, g);
    cr_assert_arr_eq(a, g, sizeof a);
    expect(a, 1, 0, 0, 1, 0.8f, 0.10f);
    expect(a, 1, 4, 0, 1, 0.9f, 0.05f);
    expect(a, 1, 8, 0, 1, 0.7f, 0.15f);
    expect(a, 1, 12, 0, 1, 0.6f, -0.40f);
    expect(a, 1, 14, 0, 1, 0.35f, 0.25f);
    expect(a, 1, 1, 0, 0, 0, 0);
}

Test(lanes, two_lanes_golden)
{
    static gv_pattern p;
    build(&p);
    float a[16 * 2 * 3];
    gv_pattern_lanes(&p, 2, a);
    expect(a, 2, 0, 0, 1, 0.8f, 0.10f);  /* kick */
    expect(a, 2, 0, 1, 1, 0.5f, -0.20f); /* closed hat */
    expect(a, 2, 4, 0, 1, 0.4f, -0.10f); /* low tom is low */
    expect(a, 2, 4, 1, 1, 0.9f, 0.05f);  /* snare beats ride */
    expect(a, 2, 8, 0, 0, 0, 0);         /* mid and high toms are high */
    expect(a, 2, 8, 1, 1, 0.7f, 0.15f);
    expect(a, 2, 12, 1, 1, 0.6f, -0.40f);
    expect(a, 2, 14, 0, 1, 0.35f, 0.25f);
    expect(a, 2, 14, 1, 0, 0, 0);
    for (int t = 0; t < 16; t++)
        if (t % 4 && t != 14)
            for (int l = 0; l < 2; l++)
                expect(a, 2, t, l, 0, 0, 0);
}

Test(lanes, three_lanes_golden)
{
    static gv_pattern p;
    build(&p);
    float a[16 * 3 * 3];
    gv_pattern_lanes(&p, 3, a);
    expect(a, 3, 0, 0, 1, 0.8f, 0.10f);
    expect(a, 3, 0, 1, 0, 0, 0);
    expect(a, 3, 0, 2, 1, 0.5f, -0.20f);
    expect(a, 3, 4, 0, 1, 0.4f, -0.10f);
    expect(a, 3, 4, 1, 1, 0.9f, 0.05f);
    expect(a, 3, 4, 2, 1, 0.6f, 0.20f);   /* ride alone in the high lane */
    expect(a, 3, 8, 0, 0, 0, 0);
    expect(a, 3, 8, 1, 1, 0.7f, 0.15f);   /* high tom beats mid tom */
    expect(a, 3, 8, 2, 0, 0, 0);
    expect(a, 3, 12, 2, 1, 0.6f, -0.40f); /* crash beats open hat */
    expect(a, 3, 12, 0, 0, 0, 0);
    expect(a, 3, 12, 1, 0, 0, 0);
    expect(a, 3, 14, 0, 1, 0.35f, 0.25f);
}

Test(lanes, loudest_rule_ties_go_to_the_lowest_voice)
{
    static gv_pattern p;
    gv_pattern_init(&p, 16, 120, NULL);
    gv_pattern_set(&p, 2, GV_RIDE, 1, 0.5f, 0.3f);
    gv_pattern_set(&p, 2, GV_CHAT, 1, 0.5f, -0.3f);
    gv_pattern_set(&p, 3, GV_CRASH, 1, 0.51f, 0.1f);
    gv_pattern_set(&p, 3, GV_OHAT, 1, 0.5f, 0.2f);
    float a[16 * 3 * 3], g[16 * 3];
    gv_pattern_lanes(&p, 3, a);
    gv_pattern_groove(&p, g);
    expect(a, 3, 2, 2, 1, 0.5f, -0.3f); /* closed hat (2) before ride (8) */
    expect(a, 3, 3, 2, 1, 0.51f, 0.1f);
    cr_assert_float_eq(g[2 * 3 + 2], -0.3f, 1e-6);
}

Test(lanes, bad_lane_count_writes_nothing)
{
    static gv_pattern p;
    build(&p);
    float a[16 * 3];
    for (int i = 0; i < 16 * 3; i++)
        a[i] = 7.f;
    gv_pattern_lanes(&p, 4, a);
    gv_pattern_lanes(&p, 0, a);
    for (int i = 0; i < 16 * 3; i++)
        cr_assert_float_eq(a[i], 7.f, 0);
}

Test(lanes, voice_set_names_and_labels)
{
    unsigned m = 0;
    gv_err e = {{0}};
    cr_assert_eq(gv_voice_set_parse("kick,snare", &m, &e), 0);
    cr_assert_eq(m, B(GV_KICK) | B(GV_SNARE));
    cr_assert_eq(gv_voice_set_parse("KD,SD", &m, &e), 0);
    cr_assert_eq(m, B(GV_KICK) | B(GV_SNARE));
    cr_assert_eq(gv_voice_set_parse(" hh , Ride,kick,kick", &m, &e), 0);
    cr_assert_eq(m, B(GV_CHAT) | B(GV_RIDE) | B(GV_KICK));
    cr_assert_eq(gv_voice_set_parse("closed-hat,open-hat,low-tom,mid-tom,high-tom,crash,ride,bd,sn", &m, &e), 0);
    cr_assert_eq(m, 0x1ffu);
    char buf[128];
    gv_voice_set_format(B(GV_KICK) | B(GV_SNARE) | B(GV_RIDE), buf, sizeof buf);
    cr_assert_str_eq(buf, "kick,snare,ride");
    gv_voice_set_format(0, buf, sizeof buf);
    cr_assert_str_eq(buf, "");
}

Test(lanes, voice_set_refuses_unknown_and_empty)
{
    unsigned m = 42;
    gv_err e = {{0}};
    cr_assert_eq(gv_voice_set_parse("kick,cowbell", &m, &e), -1);
    cr_assert(strstr(e.msg, "unknown voice 'cowbell'"), "%s", e.msg);
    cr_assert(strstr(e.msg, "kick (KD)"), "%s", e.msg);
    cr_assert(!strchr(e.msg, '\n'));
    cr_assert_eq(m, 42);
    cr_assert_eq(gv_voice_set_parse("", &m, &e), -1);
    cr_assert(strstr(e.msg, "empty voice name"), "%s", e.msg);
    cr_assert_eq(gv_voice_set_parse("kick,,snare", &m, &e), -1);
    cr_assert_eq(gv_voice_set_parse("kick,", &m, &e), -1);
    cr_assert_eq(gv_voice_set_parse("averyveryveryverylongnamethatisnotavoiceatallreally", &m, &e), -1);
    cr_assert(strstr(e.msg, "unknown voice"), "%s", e.msg);
    cr_assert_eq(gv_voice_set_parse(NULL, &m, NULL), -1);
    cr_assert_eq(m, 42);
}

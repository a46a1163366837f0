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
    gv_err e = {0};
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
    gv_err e = {0};
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

/* ---- the anchors of trainer/eval.h on hand-built windows ---- */

#include <stdlib.h>

#include "kernels/rng.h"
#include "trainer/eval.h"

/* Windows from patterns, as trainer/data.c stores them. */
static void windows_of(const gv_pattern *p, int n, gv_windows *w)
{
    memset(w, 0, sizeof *w);
    w->n = n;
    w->src = calloc((size_t)n, GV_SRC_DIM * sizeof(float));
    w->tgt = calloc((size_t)n, GV_TGT_DIM * sizeof(float));
    cr_assert(w->src && w->tgt);
    for (int i = 0; i < n; i++) {
        gv_pattern_groove(&p[i], w->src + (size_t)i * GV_SRC_DIM);
        float *t = w->tgt + (size_t)i * GV_TGT_DIM;
        for (int s = 0; s < GV_WIN_STEPS; s++)
            for (int v = 0; v < GV_VOICES; v++)
                if (p[i].hit[s][v]) {
                    t[s * 27 + v] = 1.f;
                    t[s * 27 + 9 + v] = p[i].vel[s][v];
                    t[s * 27 + 18 + v] = p[i].off[s][v];
                }
    }
}

/* n seeded random 2-bar patterns; voices picks which voices may play. */
static gv_pattern *random_patterns(int n, unsigned voices, uint64_t seed)
{
    gv_pattern *p = calloc((size_t)n, sizeof *p);
    cr_assert(p);
    gv_rng r;
    gv_rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        gv_pattern_init(&p[i], GV_WIN_STEPS, 120, NULL);
        for (int s = 0; s < GV_WIN_STEPS; s++)
            for (int v = 0; v < GV_VOICES; v++)
                if ((voices >> v & 1u) && gv_rng_uniform(&r) < 0.3f)
                    gv_pattern_set(&p[i], s, v, 1, 0.2f + 0.8f * gv_rng_uniform(&r), gv_rng_uniform(&r) - 0.5f);
    }
    return p;
}

static gv_eval_opts opts(void)
{
    gv_eval_opts o;
    gv_eval_opts_default(&o);
    o.threads = 2;
    return o;
}

Test(anchors, copy_three_lanes_is_exact_on_kick_snare_hat)
{
    gv_pattern *tp = random_patterns(40, 0x1ffu, 1), *vp = random_patterns(12, B(GV_KICK) | B(GV_SNARE) | B(GV_CHAT), 2);
    gv_windows tr, va;
    windows_of(tp, 40, &tr);
    windows_of(vp, 12, &va);
    gv_eval_opts o = opts();
    gv_anchor_result r;
    gv_err e = {0};
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 3, 0, 0, &r, &e), 0, "%s", e.msg);
    cr_assert_float_eq(r.copy.f1, 1.0, 1e-12);
    cr_assert_float_eq(r.copy.vel_mae, 0.0, 1e-6);
    cr_assert_float_eq(r.copy.off_mae, 0.0, 1e-6);
    cr_assert_eq(r.copy.windows, 12);
    cr_assert(r.k_picked && r.k >= 1 && r.k <= GV_ANCHOR_MAX_K);
    cr_assert_eq(r.slice, 4); /* the last tenth of 40 */
    /* with 2 lanes the snare goes to the closed hat: not exact any more */
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 2, 0, 3, &r, &e), 0, "%s", e.msg);
    cr_assert_lt(r.copy.f1, 1.0);
    cr_assert_eq(r.k, 3);
    cr_assert_not(r.k_picked);
    gv_windows_free(&tr);
    gv_windows_free(&va);
    free(tp);
    free(vp);
}

Test(anchors, held_knn_stays_on_its_lanes_and_keeps_voices)
{
    gv_pattern *tp = random_patterns(60, 0x1ffu, 3), *vp = random_patterns(20, 0x1ffu, 4);
    gv_windows tr, va;
    windows_of(tp, 60, &tr);
    windows_of(vp, 20, &va);
    gv_eval_opts o = opts();
    const unsigned keeps[] = {0, B(GV_KICK) | B(GV_SNARE), B(GV_CHAT), B(GV_RIDE) | B(GV_LTOM) | B(GV_MTOM)};
    for (int nl = 1; nl <= 3; nl++)
        for (size_t i = 0; i < sizeof keeps / sizeof keeps[0]; i++)
            for (int k = 0; k <= 5; k += 5) {
                gv_anchor_result r;
                gv_err e = {0};
                cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, nl, keeps[i], k, &r, &e), 0, "%s", e.msg);
                cr_assert_eq(r.knn.off_lane, 0, "lanes %d keep %x k %d", nl, keeps[i], k);
                cr_assert_eq(r.copy.off_lane, 0, "lanes %d keep %x", nl, keeps[i]);
                cr_assert_eq(r.knn.kept_changed, 0, "lanes %d keep %x", nl, keeps[i]);
                cr_assert_eq(r.copy.kept_changed, 0, "lanes %d keep %x", nl, keeps[i]);
                cr_assert_eq(r.knn_fill.off_lane, 0, "lanes %d keep %x k %d", nl, keeps[i], k);
                cr_assert_eq(r.knn_fill.kept_changed, 0, "lanes %d keep %x", nl, keeps[i]);
                /* filled: every tap sounds, and nothing else */
                cr_assert_float_eq(r.knn_fill.rhythm_f1, 1.0, 1e-12, "lanes %d keep %x", nl, keeps[i]);
                cr_assert_gt(r.knn.f1, 0.0);
                /* kept voices are not scored */
                for (int v = 0; v < GV_VOICES; v++)
                    if (keeps[i] >> v & 1u)
                        cr_assert_float_eq(r.knn.f1_voice[v], 0.0, 0);
            }
    gv_err e = {0};
    gv_anchor_result r;
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 4, 0, 0, &r, &e), -1);
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 1, 0x1ffu, 0, &r, &e), -1);
    cr_assert(strstr(e.msg, "every voice"), "%s", e.msg);
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 1, 0, 17, &r, &e), -1);
    gv_windows_free(&tr);
    gv_windows_free(&va);
    free(tp);
    free(vp);
}

/* Three training windows with the same groove (the kick is loudest): all
 * kick on step 0 and snare on step 4; a hat on step 0 in two of them
 * (velocities 0.4 and 0.6).  The validation window has the kick and a 0.5
 * hat on step 0 and nothing on step 4. */
Test(anchors, knn_vote_is_a_majority_held_to_the_taps)
{
    gv_pattern tp[3], vp[1];
    for (int i = 0; i < 3; i++) {
        gv_pattern_init(&tp[i], GV_WIN_STEPS, 120, NULL);
        gv_pattern_set(&tp[i], 0, GV_KICK, 1, 0.8f, 0.f);
        gv_pattern_set(&tp[i], 4, GV_SNARE, 1, 0.3f, 0.f);
    }
    gv_pattern_set(&tp[0], 0, GV_CHAT, 1, 0.4f, 0.1f);
    gv_pattern_set(&tp[1], 0, GV_CHAT, 1, 0.6f, 0.3f);
    gv_pattern_init(&vp[0], GV_WIN_STEPS, 120, NULL);
    gv_pattern_set(&vp[0], 0, GV_KICK, 1, 0.8f, 0.f);
    gv_pattern_set(&vp[0], 0, GV_CHAT, 1, 0.5f, 0.2f);
    gv_windows tr, va;
    windows_of(tp, 3, &tr);
    windows_of(vp, 1, &va);
    gv_eval_opts o = opts();
    gv_anchor_result r;
    gv_err e = {0};
    /* k 3: the hat wins 2 of 3 at the mean 0.5 / 0.2; the snare on step 4 has
     * no tap to sit on */
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 1, 0, 3, &r, &e), 0, "%s", e.msg);
    cr_assert_float_eq(r.knn.f1, 1.0, 1e-12);
    cr_assert_float_eq(r.knn.vel_mae, 0.0, 1e-6);
    cr_assert_float_eq(r.knn.off_mae, 0.0, 1e-6);
    /* k 1: the first of the tied windows, hat 0.4 / 0.1 */
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 1, 0, 1, &r, &e), 0, "%s", e.msg);
    cr_assert_float_eq(r.knn.f1, 1.0, 1e-12);
    cr_assert_float_eq(r.knn.vel_mae, 0.05, 1e-6);
    cr_assert_float_eq(r.knn.off_mae, 0.05, 1e-6);
    /* the copy puts the groove (the kick's 0.8) on the hat: kick missed */
    cr_assert_float_eq(r.copy.f1, 2.0 / 3.0, 1e-9);
    /* keep the kick: the hat alone is scored, the copy takes step 0's tap as the kick's */
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 1, B(GV_KICK), 3, &r, &e), 0, "%s", e.msg);
    cr_assert_float_eq(r.knn.f1, 1.0, 1e-12);
    cr_assert_float_eq(r.copy.f1, 0.0, 1e-12);
    cr_assert_eq(r.knn.kept_changed, 0);
    gv_windows_free(&tr);
    gv_windows_free(&va);
}

Test(anchors, humanize_mean_and_nearest_feel)
{
    gv_pattern tp[1], vp[1];
    gv_pattern_init(&tp[0], GV_WIN_STEPS, 120, NULL);
    gv_pattern_set(&tp[0], 0, GV_KICK, 1, 0.5f, 0.05f);
    gv_pattern_set(&tp[0], 4, GV_KICK, 1, 0.7f, 0.15f);
    gv_pattern_init(&vp[0], GV_WIN_STEPS, 120, NULL);
    gv_pattern_set(&vp[0], 0, GV_KICK, 1, 1.0f, 0.3f);
    gv_windows tr, va;
    windows_of(tp, 1, &tr);
    windows_of(vp, 1, &va);
    gv_eval_opts o = opts();
    gv_eval_result in, mean, nn;
    gv_err e = {0};
    cr_assert_eq(gv_eval_humanize_anchors(&tr, &va, &o, &in, &mean, &nn, &e), 0, "%s", e.msg);
    cr_assert_float_eq(in.f1, 1.0, 1e-12);
    cr_assert_float_eq(mean.f1, 1.0, 1e-12);
    cr_assert_float_eq(nn.f1, 1.0, 1e-12);
    cr_assert_float_eq(in.vel_mae, 0.3, 1e-6);
    cr_assert_float_eq(in.off_mae, 0.3, 1e-6);
    cr_assert_float_eq(mean.vel_mae, 0.4, 1e-6); /* mean 0.6 */
    cr_assert_float_eq(mean.off_mae, 0.2, 1e-6); /* mean 0.1 */
    cr_assert_float_eq(nn.vel_mae, 0.5, 1e-6);   /* the neighbour's own 0.5 / 0.05 */
    cr_assert_float_eq(nn.off_mae, 0.25, 1e-6);
    gv_windows_free(&tr);
    gv_windows_free(&va);
}

/* The filled vote: a tap no voice won goes to the lane's voice most of the
 * k hit there, at the tap's own velocity and offset.  As above, plus a ride
 * on step 8 in the first training window only (0.9) and in the validation
 * window (0.6, offset 0.1). */
Test(anchors, knn_fill_gives_every_tap_a_voice)
{
    gv_pattern tp[3], vp[1];
    for (int i = 0; i < 3; i++) {
        gv_pattern_init(&tp[i], GV_WIN_STEPS, 120, NULL);
        gv_pattern_set(&tp[i], 0, GV_KICK, 1, 0.8f, 0.f);
    }
    gv_pattern_set(&tp[0], 0, GV_CHAT, 1, 0.4f, 0.1f);
    gv_pattern_set(&tp[1], 0, GV_CHAT, 1, 0.6f, 0.3f);
    gv_pattern_set(&tp[0], 8, GV_RIDE, 1, 0.9f, 0.f);
    gv_pattern_init(&vp[0], GV_WIN_STEPS, 120, NULL);
    gv_pattern_set(&vp[0], 0, GV_KICK, 1, 0.8f, 0.f);
    gv_pattern_set(&vp[0], 0, GV_CHAT, 1, 0.5f, 0.2f);
    gv_pattern_set(&vp[0], 8, GV_RIDE, 1, 0.6f, 0.1f);
    gv_windows tr, va;
    windows_of(tp, 3, &tr);
    windows_of(vp, 1, &va);
    gv_eval_opts o = opts();
    gv_anchor_result r;
    gv_err e = {0};
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 1, 0, 3, &r, &e), 0, "%s", e.msg);
    cr_assert_float_eq(r.knn.f1, 0.8, 1e-12); /* the ride had 1 vote of 3 */
    cr_assert_float_eq(r.knn_fill.f1, 1.0, 1e-12);
    cr_assert_float_eq(r.knn_fill.vel_mae, 0.0, 1e-6);
    cr_assert_float_eq(r.knn_fill.off_mae, 0.0, 1e-6);
    cr_assert_eq(r.k_fill, 3);
    /* 3 lanes: the ride's lane is the high one; keeping the hat does not stop
     * the ride filling step 8 (the hat does not play there) */
    cr_assert_eq(gv_eval_lane_anchors(&tr, &va, &o, 3, B(GV_CHAT), 3, &r, &e), 0, "%s", e.msg);
    cr_assert_float_eq(r.knn_fill.f1, 1.0, 1e-12);
    cr_assert_eq(r.knn_fill.kept_changed, 0);
    gv_windows_free(&tr);
    gv_windows_free(&va);
}

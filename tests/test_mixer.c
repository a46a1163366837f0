/* test_mixer.c - the session's mixer (issue 22): per-voice mute, solo and
 * volume from the keys, what the front end queues (gv_core_heard), export
 * as heard or as written, and the sound of a mixed pattern rendered through
 * the player (a muted voice is silent, a volume scales). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session/core.h"
#include "session/vmix.h"
#include "patterns/load.h"
#include "synth/kit.h"
#include "synth/render.h"

#define ROW_KICK 8
#define ROW_SNARE 7

/* Kick on the quarters, snare on 2 and 4, at velocity 0.8. */
static void backbeat(gv_pattern *p)
{
    gv_pattern_init(p, GV_MODEL_STEPS, 120, "bb");
    for (int s = 0; s < GV_MODEL_STEPS; s += 4)
        gv_pattern_set(p, s, GV_KICK, 1, 0.8f, 0);
    for (int s = 4; s < GV_MODEL_STEPS; s += 8)
        gv_pattern_set(p, s, GV_SNARE, 1, 0.8f, 0);
}

static int hits(const gv_pattern *p, int v)
{
    int n = 0;
    for (int s = 0; s < p->steps; s++)
        n += p->hit[s][v];
    return n;
}

static gv_core *core_with_backbeat(void)
{
    gv_core *c = gv_core_new("/nonexistent-lib");
    cr_assert_not_null(c);
    gv_pattern p;
    backbeat(&p);
    gv_core_set_input(c, &p, "test");
    return c;
}

Test(mixer, mute_solo_volume_keys_change_what_is_heard)
{
    gv_core *c = core_with_backbeat();
    static gv_pattern h;
    gv_core_heard(c, &h);
    cr_assert_eq(hits(&h, GV_KICK), 8);
    cr_assert_eq(hits(&h, GV_SNARE), 4);

    c->cur_row = ROW_SNARE;
    unsigned serial = c->play_serial;
    gv_core_key(c, '/', 0);
    cr_assert(c->set.mix.mute >> GV_SNARE & 1u);
    cr_assert_neq(c->play_serial, serial, "a mixer change re-sends what plays");
    cr_assert_eq(c->play_next_bar, 0, "at once, not at the next bar");
    cr_assert(c->session_dirty);
    gv_core_heard(c, &h);
    cr_assert_eq(hits(&h, GV_SNARE), 0);
    cr_assert_eq(hits(&h, GV_KICK), 8);
    cr_assert_eq(hits(&c->input, GV_SNARE), 4, "the input itself keeps its notes");
    cr_assert(strstr(c->msg, "muted"), "%s", c->msg);
    gv_core_key(c, '/', 0);
    gv_core_heard(c, &h);
    cr_assert_eq(hits(&h, GV_SNARE), 4);

    /* solo the kick: the snare goes quiet; solo the snare too: both sound */
    c->cur_row = ROW_KICK;
    gv_core_key(c, '|', 0);
    gv_core_heard(c, &h);
    cr_assert_eq(hits(&h, GV_SNARE), 0);
    cr_assert_eq(hits(&h, GV_KICK), 8);
    c->cur_row = ROW_SNARE;
    gv_core_key(c, '|', 0);
    gv_core_heard(c, &h);
    cr_assert_eq(hits(&h, GV_SNARE), 4);
    cr_assert_eq(c->set.mix.solo, (1u << GV_KICK) | (1u << GV_SNARE));
    gv_core_key(c, '|', 0);
    c->cur_row = ROW_KICK;
    gv_core_key(c, '|', 0);
    cr_assert_eq(c->set.mix.solo, 0u);

    /* volume: five steps down halves the snare's velocities; 0 drops it */
    c->cur_row = ROW_SNARE;
    for (int i = 0; i < 5; i++)
        gv_core_key(c, '9', 0);
    cr_assert_float_eq(c->set.mix.vol[GV_SNARE], 0.5f, 1e-6);
    gv_core_heard(c, &h);
    cr_assert_float_eq(h.vel[4][GV_SNARE], 0.4f, 1e-6);
    cr_assert_float_eq(h.vel[0][GV_KICK], 0.8f, 1e-6);
    cr_assert(strstr(c->msg, "vol 50%"), "%s", c->msg);
    for (int i = 0; i < 20; i++)
        gv_core_key(c, '0', 0);
    cr_assert_float_eq(c->set.mix.vol[GV_SNARE], 1.f, 1e-6, "no boost past 100%%");
    for (int i = 0; i < 20; i++)
        gv_core_key(c, '9', 0);
    cr_assert_float_eq(c->set.mix.vol[GV_SNARE], 0.f, 1e-6);
    gv_core_heard(c, &h);
    cr_assert_eq(hits(&h, GV_SNARE), 0);
    gv_core_free(c);
}

Test(mixer, describe_and_flat)
{
    gv_vmix m;
    gv_vmix_init(&m);
    cr_assert(gv_vmix_flat(&m));
    char buf[32];
    gv_vmix_describe(&m, GV_KICK, buf, sizeof buf);
    cr_assert_str_eq(buf, "");
    m.vol[GV_KICK] = 0.6f;
    m.mute = 1u << GV_KICK;
    gv_vmix_describe(&m, GV_KICK, buf, sizeof buf);
    cr_assert_str_eq(buf, "muted vol 60%");
    cr_assert_not(gv_vmix_flat(&m));
    cr_assert_not(gv_vmix_sounds(&m, -1));
    cr_assert_not(gv_vmix_sounds(&m, GV_VOICES));
}

/* Export writes the mixer only when "export as heard" is on (X). */
Test(mixer, export_as_heard_only_when_chosen)
{
    char dir[] = "/tmp/gv_mixer_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    gv_core *c = core_with_backbeat();
    c->nsugg = 1;
    c->sugg[0].pat = c->input;
    c->cur_row = ROW_SNARE;
    gv_core_key(c, '/', 0);
    c->cur_row = ROW_KICK;
    for (int i = 0; i < 5; i++)
        gv_core_key(c, '9', 0);

    char path[300];
    gv_err e;
    gv_pattern p;
    snprintf(path, sizeof path, "%s/written.mid", dir);
    cr_assert_eq(gv_core_export(c, 0, path, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_pattern_load(path, NULL, &p, NULL, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(hits(&p, GV_SNARE), 4, "as written: the mixer is not in the file");
    cr_assert_float_eq(p.vel[0][GV_KICK], 0.8f, 0.01);

    gv_core_key(c, 'X', 0);
    cr_assert(c->set.export_heard);
    cr_assert(c->session_dirty);
    snprintf(path, sizeof path, "%s/heard.mid", dir);
    cr_assert_eq(gv_core_export(c, 0, path, &e), 0, "%s", e.msg);
    cr_assert(strstr(c->msg, "as heard"), "%s", c->msg);
    cr_assert_eq(gv_pattern_load(path, NULL, &p, NULL, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(hits(&p, GV_SNARE), 0, "as heard: the muted snare is left out");
    cr_assert_eq(hits(&p, GV_KICK), 8);
    cr_assert_float_eq(p.vel[0][GV_KICK], 0.4f, 0.01, "the kick at 50%%: half the velocity");
    gv_core_key(c, 'X', 0);
    cr_assert_not(c->set.export_heard);
    gv_core_free(c);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static float peak(const gv_pattern *p, const gv_kit *kit)
{
    gv_render_opts o;
    gv_render_opts_default(&o);
    o.max_tail_s = 1;
    float *buf;
    int64_t frames, origin;
    gv_err e;
    cr_assert_eq(gv_render(p, kit, &o, &buf, &frames, &origin, &e), 0, "%s", e.msg);
    float pk = 0;
    for (int64_t i = 0; i < 2 * frames; i++)
        pk = fmaxf(pk, fabsf(buf[i]));
    free(buf);
    return pk;
}

/* What the player is given is what is heard: rendered through the player,
 * a muted voice is silent and a lower volume is quieter. */
Test(mixer, rendered_mix_mutes_and_scales)
{
    gv_kit kit;
    gv_err e;
    cr_assert_eq(gv_kit_builtin(&kit, 22050, &e), 0, "%s", e.msg);
    gv_pattern snare, mixed;
    gv_pattern_init(&snare, GV_MODEL_STEPS, 120, "snare");
    for (int s = 4; s < GV_MODEL_STEPS; s += 8)
        gv_pattern_set(&snare, s, GV_SNARE, 1, 0.8f, 0);
    gv_vmix m;
    gv_vmix_init(&m);
    float full = peak(&snare, &kit);
    cr_assert_gt(full, 0.05f);
    m.vol[GV_SNARE] = 0.5f;
    gv_vmix_apply(&m, &snare, &mixed);
    float half = peak(&mixed, &kit);
    cr_assert_gt(half, 0.f);
    cr_assert_lt(half, 0.7f * full, "50%%: %g against %g", half, full);
    m.vol[GV_SNARE] = 1.f;
    m.mute = 1u << GV_SNARE;
    gv_vmix_apply(&m, &snare, &mixed);
    cr_assert_eq(peak(&mixed, &kit), 0.f, "muted: silence");
    m.mute = 0;
    m.solo = 1u << GV_KICK;
    gv_vmix_apply(&m, &snare, &mixed);
    cr_assert_eq(peak(&mixed, &kit), 0.f, "another voice soloed: silence");
    gv_kit_free(&kit);
}

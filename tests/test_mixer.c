/* test_mixer.c - the session's mixer (issue 22): per-voice mute, solo and
 * volume from the keys, what the front end queues (gv_core_heard), export
 * as heard or as written, and the sound of a mixed pattern rendered through
 * the player (a muted voice is silent, a volume scales); the kits the
 * picker lists, switching kits, and the player taking a new kit. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session/core.h"
#include "session/session.h"
#include "session/vmix.h"
#include "patterns/load.h"
#include "synth/kit.h"
#include "synth/player.h"
#include "synth/render.h"
#include "tests/helpers.h"

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

/* ---- kits (issue 22): the picker's list, switching, the player's swap ---- */

static void mkdirs(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", path);
    cr_assert_eq(system(cmd), 0);
}

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs("<drumkit_info><name>x</name></drumkit_info>\n", f);
    fclose(f);
}

/* HOME/.hydrogen/data/drumkits with B-Kit and A-Kit (and a folder that is no
 * kit), a system folder with Sys: returns the temp root. */
static void kit_fixture(char *root, size_t n)
{
    snprintf(root, n, "/tmp/gv_kits_XXXXXX");
    cr_assert_not_null(mkdtemp(root));
    char p[600];
    const char *user[] = {"B-Kit", "A-Kit"};
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/home/.hydrogen/data/drumkits/%s", root, user[i]);
        mkdirs(p);
        snprintf(p, sizeof p, "%s/home/.hydrogen/data/drumkits/%s/drumkit.xml", root, user[i]);
        touch(p);
    }
    snprintf(p, sizeof p, "%s/home/.hydrogen/data/drumkits/not-a-kit", root);
    mkdirs(p);
    snprintf(p, sizeof p, "%s/sys/Sys", root);
    mkdirs(p);
    snprintf(p, sizeof p, "%s/sys/Sys/drumkit.xml", root);
    touch(p);
}

static void rm_rf(const char *root)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    cr_assert_eq(system(cmd), 0);
}

Test(kits, found_in_order_without_repeats)
{
    char root[64], home[128], sys[128];
    kit_fixture(root, sizeof root);
    snprintf(home, sizeof home, "%s/home", root);
    snprintf(sys, sizeof sys, "%s/sys", root);
    gv_kit_choice k[GV_KITS_MAX];
    char arg[160];
    snprintf(arg, sizeof arg, "%s/sys/Sys", root); /* --kit naming a system kit: listed once */
    int n = gv_kits_find(k, GV_KITS_MAX, arg, home, sys);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(k[0].name, "built-in");
    cr_assert_str_eq(k[0].dir, "");
    cr_assert_str_eq(k[1].name, "Sys");
    cr_assert_str_eq(k[1].where, "--kit");
    cr_assert_str_eq(k[2].name, "A-Kit");
    cr_assert_str_eq(k[2].where, "~/.hydrogen");
    cr_assert_str_eq(k[3].name, "B-Kit");
    n = gv_kits_find(k, GV_KITS_MAX, NULL, NULL, "/nonexistent");
    cr_assert_eq(n, 1, "no HOME, no system kits: the built-in kit alone");
    n = gv_kits_find(k, 2, "", home, sys);
    cr_assert_eq(n, 2, "the list stops at max");
    char name[64];
    gv_kits_name("/a/b/GMRockKit/", name, sizeof name);
    cr_assert_str_eq(name, "GMRockKit");
    rm_rf(root);
}

/* K lists the kits (HOME points at the fixture); Enter asks for one; a kit
 * that fails to load puts the one before back. */
Test(kits, picker_switches_and_failure_goes_back)
{
    char root[64], home[128];
    kit_fixture(root, sizeof root);
    snprintf(home, sizeof home, "%s/home", root);
    cr_assert_eq(setenv("HOME", home, 1), 0);
    gv_core *c = gv_core_new("/nonexistent-lib");
    gv_core_key(c, 'K', 0);
    cr_assert_eq(c->mode, GV_MODE_KITS);
    int a = -1;
    for (int i = 0; i < c->nkits; i++)
        if (!strcmp(c->kits[i].name, "A-Kit"))
            a = i;
    cr_assert_geq(a, 1, "A-Kit listed");
    cr_assert_eq(c->kit_sel, 0, "the kit that plays (built-in) is selected");
    for (int i = 0; i < a; i++)
        gv_core_key(c, GV_KEY_DOWN, 0);
    unsigned serial = c->kit_serial;
    c->session_dirty = 0;
    gv_core_key(c, '\n', 0);
    cr_assert_neq(c->kit_serial, serial);
    cr_assert(c->session_dirty);
    cr_assert(strstr(c->kit_dir, "/.hydrogen/data/drumkits/A-Kit"), "%s", c->kit_dir);
    char asked[1024];
    snprintf(asked, sizeof asked, "%s", c->kit_dir);
    /* the fixture's drumkit.xml has no instruments: the front end fails it */
    gv_core_kit_loaded(c, asked, 0, "drumkit.xml: no instruments", "");
    cr_assert_str_eq(c->kit_dir, "", "back to the built-in kit");
    cr_assert(c->msg_err);
    cr_assert(strstr(c->msg, "A-Kit") && strstr(c->msg, "built-in plays on"), "%s", c->msg);
    gv_core_key(c, 'q', 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    gv_core_free(c);
    rm_rf(root);
}

/* The player takes a new kit at the next block and then says the old one
 * is free; what it plays is the new kit's sound. */
Test(kits, player_switches_kit_at_the_next_block)
{
    const double rate = 22050;
    gv_kit a, b;
    gv_err e;
    cr_assert_eq(gv_kit_builtin(&a, rate, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_kit_builtin(&b, rate, &e), 0, "%s", e.msg);
    /* kit b: a silent snare */
    memset(b.smp[GV_SNARE], 0, (size_t)(b.len[GV_SNARE] + GV_KIT_PAD) * sizeof(float));
    memset(b.dark[GV_SNARE], 0, (size_t)(b.len[GV_SNARE] + GV_KIT_PAD) * sizeof(float));
    gv_player *pl = gv_player_new(rate, &a, &e);
    cr_assert_not_null(pl, "%s", e.msg);
    gv_pattern p;
    gv_pattern_init(&p, GV_STEPS_PER_BAR, 120, "sn");
    for (int s = 0; s < GV_STEPS_PER_BAR; s += 4)
        gv_pattern_set(&p, s, GV_SNARE, 1, 1.f, 0);
    cr_assert_eq(gv_player_queue(pl, &p, GV_QUEUE_NOW), 0);
    gv_player_start(pl);
    static float buf[2 * 256];
    float pk = 0;
    for (int i = 0; i < 100; i++) {
        gv_player_render(pl, buf, 256);
        for (int j = 0; j < 512; j++)
            pk = fmaxf(pk, fabsf(buf[j]));
    }
    cr_assert_gt(pk, 0.05f, "kit a: the snare sounds");
    cr_assert(gv_player_kit_settled(pl));
    gv_kit other;
    cr_assert_eq(gv_kit_builtin(&other, 44100, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_player_set_kit(pl, &other), -1, "another rate is refused");
    gv_kit_free(&other);
    cr_assert_eq(gv_player_set_kit(pl, &b), 0);
    cr_assert_not(gv_player_kit_settled(pl), "not before the audio thread took it");
    gv_player_render(pl, buf, 256);
    cr_assert(gv_player_kit_settled(pl));
    gv_kit_free(&a); /* free now: the player must not touch it again */
    pk = 0;
    for (int i = 0; i < 200; i++) {
        gv_player_render(pl, buf, 256);
        for (int j = 0; j < 512; j++)
            pk = fmaxf(pk, fabsf(buf[j]));
    }
    cr_assert_eq(pk, 0.f, "kit b: a silent snare");
    cr_assert_gt(gv_player_notes(pl), 4);
    gv_player_free(pl);
    gv_kit_free(&b);
}

/* ---- the session keeps the mixer, the kit, tempo and swing ---- */

Test(session, keeps_mixer_kit_tempo_swing)
{
    char dir[] = "/tmp/gv_msess_XXXXXX", path[200];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/session.json", dir);
    gv_core *c = core_with_backbeat();
    c->cur_row = ROW_SNARE;
    gv_core_key(c, '/', 0);            /* snare muted */
    gv_core_key(c, '9', 0);            /* snare 90% */
    c->cur_row = ROW_KICK;
    gv_core_key(c, '|', 0);            /* kick soloed */
    gv_core_key(c, 'X', 0);            /* export as heard */
    gv_core_set_tempo(c, 97);
    gv_core_key(c, 's', 0);            /* swing 54% */
    gv_core_set_kit(c, "/kits/Some Kit");
    gv_err e;
    cr_assert_eq(gv_session_save(c, path, &e), 0, "%s", e.msg);
    gv_core *d = gv_core_new("/nonexistent-lib");
    cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
    cr_assert_eq(d->set.mix.mute, 1u << GV_SNARE);
    cr_assert_eq(d->set.mix.solo, 1u << GV_KICK);
    cr_assert_float_eq(d->set.mix.vol[GV_SNARE], 0.9f, 1e-6);
    cr_assert_float_eq(d->set.mix.vol[GV_KICK], 1.f, 1e-6);
    cr_assert(d->set.export_heard);
    cr_assert_float_eq(d->set.bpm, 97.f, 1e-4);
    cr_assert_float_eq(d->set.swing, c->set.swing, 1e-6);
    cr_assert_gt(d->set.swing, 0.f);
    cr_assert_str_eq(d->kit_dir, "/kits/Some Kit");
    gv_core_free(d);

    /* an older session (no mixer, no kit) loads with the defaults */
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("{\"version\":1,\"settings\":{\"bpm\":101,\"swing\":0.16},"
          "\"input\":{\"steps\":32,\"bpm\":101,\"hits\":[]}}",
          f);
    fclose(f);
    d = gv_core_new("/nonexistent-lib");
    int rc = gv_session_load(d, path, &e);
    cr_assert_eq(rc, 0, "%s", e.msg);
    cr_assert_float_eq(d->set.bpm, 101.f, 1e-4);
    cr_assert_float_eq(d->set.swing, 0.16f, 1e-6);
    cr_assert(gv_vmix_flat(&d->set.mix));
    cr_assert_not(d->set.export_heard);
    cr_assert_str_eq(d->kit_dir, "");
    gv_core_free(d);
    /* the fixture, a session of before the mixer */
    char fx[600];
    snprintf(fx, sizeof fx, "%s/tests/fixtures/session.json", gv_test_root());
    d = gv_core_new("/nonexistent-lib");
    cr_assert_eq(gv_session_load(d, fx, &e), 0, "%s", e.msg);
    cr_assert(gv_vmix_flat(&d->set.mix));
    cr_assert_str_eq(d->kit_dir, "");
    cr_assert_float_eq(d->set.bpm, 100.f, 1e-4);
    /* odd values are their defaults, not a refused session */
    f = fopen(path, "w");
    fputs("{\"version\":1,\"settings\":{\"mixer\":{\"muted\":\"XYZ\",\"solo\":7,\"volume\":[\"a\",-3,9]}},"
          "\"kit\":5,\"input\":{\"steps\":32,\"bpm\":120,\"hits\":[]}}",
          f);
    fclose(f);
    gv_core_free(d);
    d = gv_core_new("/nonexistent-lib");
    cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
    cr_assert_eq(d->set.mix.mute, 0u);
    cr_assert_eq(d->set.mix.solo, 0u);
    cr_assert_float_eq(d->set.mix.vol[0], 1.f, 1e-6);
    cr_assert_float_eq(d->set.mix.vol[1], 0.f, 1e-6);
    cr_assert_float_eq(d->set.mix.vol[2], 1.f, 1e-6);
    cr_assert_str_eq(d->kit_dir, "");
    gv_core_free(d);
    gv_core_free(c);
    rm_rf(dir);
}

/* test_core.c - the TUI's core without a terminal: actions and modes, tap
 * quantisation, generation jobs, keep/export files, undo/redo, the library,
 * the session file, key maps and path completion. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "session/core.h"
#include "session/keymap.h"
#include "session/library.h"
#include "session/session.h"
#include "session/tap.h"
#include "engine/generate.h"
#include "base/fileio.h"
#include "patterns/smf.h"
#include "patterns/tab.h"
#include "midi/midi_in.h"
#include "midi/midi_map.h"
#include "tests/helpers.h"

/* ---- helpers ---- */

static char tmpdir[256];

static void make_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gv_core_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

static void tmp_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

/* A small random model: the core only needs its shapes to be right. */
static gv_model model;
static void make_model(void)
{
    gv_err e;
    cr_assert_eq(gv_test_small_model(&model, GV_SRC_FEATURES, 0.5f, &e), 0, "%s", e.msg);
}

/* The same with the inputs of a conditioned model (engine/cond.h): lanes,
 * kept voices and humanize. */
static void make_model_cond(void)
{
    gv_err e;
    cr_assert_eq(gv_test_small_model(&model, GV_COND_FEATURES, 0.5f, &e), 0, "%s", e.msg);
}

static gv_core *new_core(void)
{
    char lib[300];
    tmp_path(lib, sizeof lib, "library");
    gv_core *c = gv_core_new(lib);
    cr_assert_not_null(c);
    return c;
}

static void keys(gv_core *c, const char *s)
{
    for (; *s; s++)
        gv_core_key(c, (unsigned char)*s, 0);
}

static void set_hits(gv_pattern *p)
{
    gv_pattern_init(p, 32, 100, "beat");
    for (int s = 0; s < 32; s += 2)
        gv_pattern_set(p, s, GV_CHAT, 1, 0.6f, 0);
    for (int s = 0; s < 32; s += 8) {
        gv_pattern_set(p, s, GV_KICK, 1, 0.9f, 0.05f);
        gv_pattern_set(p, s + 4, GV_SNARE, 1, 0.8f, -0.1f);
    }
}

/* Runs the core's pending job synchronously, as the TUI's worker would. */
static void run_job(gv_core *c)
{
    const gv_job *j = gv_core_take_job(c);
    cr_assert_not_null(j, "no job pending: %s", c->msg);
    cr_assert(c->busy);
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, GV_CORE_MAX_N);
    gv_job_result *r = malloc(sizeof *r);
    cr_assert(ws && r);
    cr_assert_eq(gv_job_run(&model, ws, j, r), 0, "%s", r->err);
    gv_core_finish_job(c, r);
    free(r);
    gv_gen_ws_free(ws);
    cr_assert_not(c->busy);
}

/* The same for a job that may fail: its rc (the core has taken the result). */
static int run_job_rc(gv_core *c)
{
    const gv_job *j = gv_core_take_job(c);
    cr_assert_not_null(j, "no job pending: %s", c->msg);
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, GV_CORE_MAX_N);
    gv_job_result *r = malloc(sizeof *r);
    cr_assert(ws && r);
    int rc = gv_job_run(&model, ws, j, r);
    gv_core_finish_job(c, r);
    free(r);
    gv_gen_ws_free(ws);
    return rc;
}

static gv_core *core_with_suggestions(int n)
{
    make_model();
    gv_core *c = new_core();
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    gv_pattern p;
    set_hits(&p);
    gv_core_set_input(c, &p, "test");
    c->set.n = n;
    c->next_seed = 42;
    gv_core_action(c, GV_A_GENERATE, 0);
    run_job(c);
    cr_assert_eq(c->nsugg, n);
    return c;
}

/* Frees a core made by core_with_suggestions, and the model. */
static void done(gv_core *c)
{
    gv_core_free(c);
    gv_model_free(&model);
}

TestSuite(core, .init = make_tmp, .fini = rm_tmp);
TestSuite(tap);
TestSuite(keymap);

/* ---- tap ---- */

Test(tap, quantises_to_steps_keeping_offsets)
{
    gv_tap t;
    gv_tap_start(&t, 10.0, 120); /* a step is 0.125 s; the count-in lasts 2 s */
    double t0 = 12.0;
    cr_assert_eq(gv_tap_update(&t, 11.0, NULL), GV_TAP_COUNTIN);
    cr_assert(gv_tap_key(&t, t0 + 0.010, 'z'));         /* step 0, a little late */
    cr_assert(gv_tap_key(&t, t0 + 0.5 - 0.020, 'A'));   /* step 4, early, accented snare */
    cr_assert(gv_tap_key(&t, t0 + 1.0 + 0.040, 'q'));   /* step 8, hat */
    cr_assert(gv_tap_key(&t, t0 + 31.7 * 0.125, 'x'));  /* the loop's next "one", early */
    cr_assert_not(gv_tap_key(&t, t0 + 0.3, '1'));       /* not a letter */
    cr_assert_not(gv_tap_key(&t, t0 - 0.1, 'z'));       /* in the count-in */
    cr_assert_eq(gv_tap_update(&t, t0 + 1.5, NULL), GV_TAP_RECORD);
    gv_pattern p;
    cr_assert_eq(gv_tap_quantise(&t, &p), 3); /* two presses share step 0 */
    cr_assert_eq(p.steps, 32);
    cr_assert(p.hit[0][GV_KICK]);
    cr_assert_float_eq(p.off[0][GV_KICK], 0.08f, 1e-4); /* the louder/first of equals stays */
    cr_assert(p.hit[4][GV_SNARE]);
    cr_assert_float_eq(p.vel[4][GV_SNARE], GV_TAP_ACCENT, 1e-6);
    cr_assert_float_eq(p.off[4][GV_SNARE], -0.16f, 1e-4);
    cr_assert(p.hit[8][GV_CHAT]);
    cr_assert_float_eq(p.vel[8][GV_CHAT], GV_TAP_VEL, 1e-6);
    cr_assert_float_eq(p.off[8][GV_CHAT], 0.32f, 1e-4);
    cr_assert_eq(gv_tap_update(&t, t0 + 4.0, NULL), GV_TAP_DONE);
    cr_assert_not(gv_tap_key(&t, t0 + 4.1, 'z'));
}

Test(tap, keys_pick_voices_and_accents)
{
    int acc;
    cr_assert_eq(gv_tap_voice('b', &acc), GV_KICK);
    cr_assert_eq(acc, 0);
    cr_assert_eq(gv_tap_voice(' ', &acc), GV_KICK);
    cr_assert_eq(gv_tap_voice('K', &acc), GV_SNARE);
    cr_assert_eq(acc, 1);
    cr_assert_eq(gv_tap_voice('p', &acc), GV_CHAT);
    cr_assert_eq(gv_tap_voice('5', &acc), -1);
    cr_assert_eq(gv_tap_voice(27, &acc), -1);
}

Test(tap, count_in_beats)
{
    gv_tap t;
    int beat;
    gv_tap_start(&t, 0, 60); /* a beat per second */
    cr_assert_eq(gv_tap_update(&t, 0.1, &beat), GV_TAP_COUNTIN);
    cr_assert_eq(beat, 0);
    cr_assert_eq(gv_tap_update(&t, 2.5, &beat), GV_TAP_COUNTIN);
    cr_assert_eq(beat, 2);
    cr_assert_eq(gv_tap_update(&t, 5.2, &beat), GV_TAP_RECORD);
    cr_assert_eq(beat, 1);
}

/* ---- keymap ---- */

Test(keymap, defaults_and_names)
{
    gv_keymap km;
    gv_keymap_default(&km);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 'g'), GV_A_GENERATE);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, ' '), GV_A_PLAY);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 18), GV_A_REDO);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 'k'), GV_A_KEEP);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_EDIT, 'k'), GV_A_UP);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_EDIT, 'g'), GV_A_GENERATE); /* falls back */
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, ','), GV_A_TEMPO_DOWN);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, '-'), GV_A_VEL_DOWN);
    /* every action has a default key (the jam's controls in the jam, the
     * song view's in the song view) */
    for (int a = 1; a < GV_A_COUNT; a++) {
        char k[64], j[64], s[64];
        gv_keymap_keys(&km, GV_CTX_NORMAL, (gv_action)a, k, sizeof k);
        gv_keymap_keys(&km, GV_CTX_JAM, (gv_action)a, j, sizeof j);
        gv_keymap_keys(&km, GV_CTX_SONG, (gv_action)a, s, sizeof s);
        cr_assert(k[0] || j[0] || s[0], "action %s has no key", gv_action_name((gv_action)a));
    }
    /* the jam: its controls, and no fallback (a letter is a tap) */
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 'J'), GV_A_JAM);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_JAM, GV_KEY_F(8)), GV_A_HOLD);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_JAM, GV_KEY_ESC), GV_A_JAM_END);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_JAM, 'g'), GV_A_NONE);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_JAM, ' '), GV_A_NONE);
    gv_err e;
    const char *remap = "jam:hold F5\n";
    cr_assert_eq(gv_keymap_parse(&km, remap, strlen(remap), &e), 0, "%s", e.msg);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_JAM, GV_KEY_F(5)), GV_A_HOLD);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_JAM, GV_KEY_F(8)), GV_A_NONE);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, GV_KEY_F(5)), GV_A_NONE);
    cr_assert_eq(gv_key_parse("C-r"), 18);
    cr_assert_eq(gv_key_parse("space"), ' ');
    cr_assert_eq(gv_key_parse("F3"), GV_KEY_F(3));
    cr_assert_eq(gv_key_parse("left"), GV_KEY_LEFT);
    cr_assert_eq(gv_key_parse("nope"), -1);
    char name[16];
    gv_key_name(GV_KEY_BTAB, name, sizeof name);
    cr_assert_str_eq(name, "btab");
    gv_key_name(18, name, sizeof name);
    cr_assert_str_eq(name, "C-r");
    cr_assert_eq(gv_action_parse("tempo-up"), GV_A_TEMPO_UP);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 'f'), GV_A_FEEL);
    cr_assert_eq(gv_action_parse("feel"), GV_A_FEEL);
}

Test(keymap, file_remaps_and_reports_bad_lines)
{
    gv_keymap km;
    gv_keymap_default(&km);
    const char *text = "# my keys\n"
                       "generate  G enter\n"
                       "\n"
                       "tempo-up  = \n"
                       "edit:cursor-left  a\n"
                       "frobnicate x\n"
                       "keep ZZ\n";
    gv_err e;
    cr_assert_eq(gv_keymap_parse(&km, text, strlen(text), &e), -1);
    cr_assert_str_eq(e.msg, "line 6: unknown action 'frobnicate'");
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 'G'), GV_A_GENERATE);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, '\n'), GV_A_GENERATE);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 'g'), GV_A_NONE); /* the default went */
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, '='), GV_A_TEMPO_UP);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, '+'), GV_A_VEL_UP); /* '+' kept */
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_EDIT, 'a'), GV_A_LEFT);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_EDIT, 'h'), GV_A_NONE);
    cr_assert_eq(gv_keymap_lookup(&km, GV_CTX_NORMAL, 'k'), GV_A_KEEP); /* the bad line changed nothing */
    cr_assert_eq(gv_keymap_load(&km, "/nonexistent/groove/keys", &e), 0);
}

/* ---- core: settings, selection, editing, undo ---- */

Test(core, settings_stay_in_range)
{
    gv_core *c = new_core();
    for (int i = 0; i < 300; i++)
        gv_core_action(c, GV_A_TEMPO_UP, 0);
    cr_assert_float_eq(c->set.bpm, GV_BPM_MAX, 0);
    gv_core_action(c, GV_A_TEMPO_DOWN, 0);
    cr_assert_float_eq(c->set.bpm, GV_BPM_MAX - 1, 0);
    for (int i = 0; i < 30; i++)
        gv_core_action(c, GV_A_TEMP_DOWN, 0);
    cr_assert_float_eq(c->set.temperature, 0, 0);
    for (int i = 0; i < 3; i++)
        gv_core_action(c, GV_A_TEMP_UP, 0);
    cr_assert_float_eq(c->set.temperature, 0.3f, 1e-6);
    for (int i = 0; i < 50; i++)
        gv_core_action(c, GV_A_DENS_UP, 0);
    cr_assert_float_eq(c->set.density, GV_DENS_MAX, 1e-6);
    for (int i = 0; i < 20; i++)
        gv_core_action(c, GV_A_MORE, 0);
    cr_assert_eq(c->set.n, GV_CORE_MAX_N);
    for (int i = 0; i < 20; i++)
        gv_core_action(c, GV_A_FEWER, 0);
    cr_assert_eq(c->set.n, 1);
    /* swing: 50 54 58 62 66 70 then straight again */
    float seen[7];
    for (int i = 0; i < 7; i++) {
        gv_core_action(c, GV_A_SWING, 0);
        seen[i] = c->set.swing;
    }
    cr_assert_float_eq(seen[0], 4 / 25.f, 1e-6);
    cr_assert_float_eq(seen[4], 20 / 25.f, 1e-6);
    cr_assert_float_eq(seen[5], 0, 0);
    gv_core_action(c, GV_A_SWING_BACK, 0);
    cr_assert_float_eq(c->set.swing, 0, 0);
    gv_core_action(c, GV_A_SWING_BACK, 0);
    cr_assert_float_eq(c->set.swing, 20 / 25.f, 1e-6);
    gv_core_free(c);
}

Test(core, editing_and_undo_redo)
{
    gv_core *c = new_core();
    cr_assert_eq(gv_pattern_count(&c->input), 0);
    /* cursor starts on the kick row (the bottom), step 0 */
    cr_assert_eq(gv_core_row_voice[c->cur_row], GV_KICK);
    keys(c, "x");
    cr_assert(c->input.hit[0][GV_KICK]);
    cr_assert_float_eq(c->input.vel[0][GV_KICK], GV_EDIT_VEL, 1e-6);
    gv_core_key(c, GV_KEY_RIGHT, 0);
    gv_core_key(c, GV_KEY_RIGHT, 0);
    gv_core_key(c, GV_KEY_UP, 0);
    keys(c, "x");
    cr_assert(c->input.hit[2][GV_SNARE]);
    keys(c, "+++"); /* one undo step for the three */
    cr_assert_float_eq(c->input.vel[2][GV_SNARE], 1.0f, 1e-6);
    keys(c, ">>");
    cr_assert_float_eq(c->input.off[2][GV_SNARE], 0.1f, 1e-6);
    keys(c, "<");
    cr_assert_float_eq(c->input.off[2][GV_SNARE], 0.05f, 1e-6);
    keys(c, "u");
    cr_assert_float_eq(c->input.off[2][GV_SNARE], 0.1f, 1e-6);
    keys(c, "u");
    cr_assert_float_eq(c->input.off[2][GV_SNARE], 0, 1e-6);
    keys(c, "u");
    cr_assert_float_eq(c->input.vel[2][GV_SNARE], GV_EDIT_VEL, 1e-6);
    keys(c, "u");
    cr_assert_not(c->input.hit[2][GV_SNARE]);
    gv_core_key(c, 18, 0); /* C-r */
    cr_assert(c->input.hit[2][GV_SNARE]);
    keys(c, "uu");
    cr_assert_eq(gv_pattern_count(&c->input), 0);
    keys(c, "u");
    cr_assert_str_eq(c->msg, "nothing to undo");
    /* a new edit drops the redo history */
    keys(c, "x");
    gv_core_key(c, 18, 0);
    cr_assert_str_eq(c->msg, "nothing to redo");
    /* velocity on an empty cell says so instead of adding a hit */
    gv_core_key(c, GV_KEY_LEFT, 0);
    keys(c, "+");
    cr_assert_eq(gv_pattern_count(&c->input), 1);
    /* the cursor wraps */
    cr_assert_eq(c->cur_step, 1);
    for (int i = 0; i < 2; i++)
        gv_core_key(c, GV_KEY_LEFT, 0);
    cr_assert_eq(c->cur_step, 31);
    /* edit mode: hjkl move the cursor, k no longer keeps */
    keys(c, "E");
    cr_assert(c->edit_mode);
    int row = c->cur_row;
    keys(c, "k");
    cr_assert_eq(c->cur_row, row - 1);
    keys(c, "l");
    cr_assert_eq(c->cur_step, 0);
    gv_core_key(c, 27, 0);
    cr_assert_not(c->edit_mode);
    /* clicks toggle cells */
    gv_core_click_cell(c, 5, 0);
    cr_assert(c->input.hit[5][GV_CRASH]);
    cr_assert_eq(c->cur_step, 5);
    gv_core_free(c);
}

Test(core, playback_requests)
{
    gv_core *c = core_with_suggestions(3);
    unsigned s0 = c->play_serial;
    keys(c, " ");
    cr_assert(c->playing);
    cr_assert_eq(c->play_src, GV_PLAY_INPUT);
    cr_assert_gt(c->play_serial, s0);
    keys(c, "2p");
    cr_assert_eq(c->sel, 1);
    cr_assert_eq(c->play_src, 1);
    cr_assert(c->play_next_bar);
    cr_assert_eq(memcmp(c->play.hit, c->sugg[1].pat.hit, sizeof c->play.hit), 0);
    /* an input edit while the input plays is heard at once */
    keys(c, "P");
    cr_assert_eq(c->play_src, GV_PLAY_INPUT);
    unsigned s1 = c->play_serial;
    keys(c, "x");
    cr_assert_gt(c->play_serial, s1);
    cr_assert_not(c->play_next_bar);
    cr_assert_eq(c->play.hit[c->cur_step][gv_core_row_voice[c->cur_row]],
                 c->input.hit[c->cur_step][gv_core_row_voice[c->cur_row]]);
    keys(c, "\t\t\t");
    cr_assert_eq(c->sel, 1); /* 1 -> 2 -> 0 -> 1 */
    gv_core_key(c, GV_KEY_BTAB, 0);
    cr_assert_eq(c->sel, 0);
    keys(c, "8");
    cr_assert_eq(c->sel, 0);
    cr_assert_str_eq(c->msg, "no suggestion 8");
    keys(c, " ");
    cr_assert_not(c->playing);
    done(c);
}

/* ---- generation ---- */

Test(core, generation_is_seeded_and_keeps_latents)
{
    gv_core *c = core_with_suggestions(4);
    cr_assert_eq(c->sel, 0);
    for (int i = 0; i < 4; i++) {
        const gv_sugg *s = &c->sugg[i];
        cr_assert_eq(s->pat.steps, 32);
        cr_assert_eq(s->meta.zdim, model.cfg.latent_dim);
        cr_assert_eq(s->meta.seed, gv_gen_seed(42, i));
        cr_assert_str_eq(s->meta.kind, "generate");
        cr_assert_str_eq(s->meta.model, "test");
        cr_assert(s->meta.has_groove);
        cr_assert_float_eq(s->meta.temperature, 1.0f, 0);
        cr_assert_not(s->kept || s->exported);
    }
    /* the same seed gives the same suggestions */
    gv_sugg first = c->sugg[2];
    c->next_seed = 42;
    keys(c, "g");
    run_job(c);
    cr_assert_eq(memcmp(first.pat.hit, c->sugg[2].pat.hit, sizeof first.pat.hit), 0);
    cr_assert_eq(memcmp(first.meta.z, c->sugg[2].meta.z, sizeof(float) * 8), 0);
    /* a newer request supersedes a running one */
    keys(c, "g");
    const gv_job *j = gv_core_take_job(c);
    gv_job_result *r = malloc(sizeof *r);
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, GV_CORE_MAX_N);
    cr_assert_eq(gv_job_run(&model, ws, j, r), 0);
    keys(c, "nn");
    keys(c, "g");
    gv_core_finish_job(c, r); /* stale: dropped */
    cr_assert_eq(c->nsugg, 4);
    cr_assert(c->job_pending);
    run_job(c);
    cr_assert_eq(c->nsugg, 2);
    free(r);
    gv_gen_ws_free(ws);
    done(c);
}

Test(core, feel_cycles_into_the_generate_job)
{
    static const struct {
        int preset;
        gv_feel_mode timing, dynamics;
        const char *msg, *name;
    } want[4] = {
        {GV_FEEL_P_GROOVE, GV_FEEL_GROOVE, GV_FEEL_GROOVE, "feel: groove timing + dynamics", "groove"},
        {GV_FEEL_P_TIMING, GV_FEEL_GROOVE, GV_FEEL_MODEL, "feel: groove timing, model dynamics", "timing"},
        {GV_FEEL_P_MODEL, GV_FEEL_MODEL, GV_FEEL_MODEL, "feel: model timing + dynamics", "model"},
        {GV_FEEL_P_AUTO, GV_FEEL_AUTO, GV_FEEL_AUTO, "feel auto: the groove's timing and dynamics", "auto"},
    };
    gv_core *c = core_with_suggestions(3);
    cr_assert_eq(c->set.feel, GV_FEEL_P_AUTO);
    cr_assert_eq(c->job.opts.feel.timing, GV_FEEL_AUTO);
    cr_assert_eq(c->job.opts.feel.dynamics, GV_FEEL_AUTO);
    gv_pattern out[4][3];
    for (int i = 0; i < 4; i++) {
        c->session_dirty = 0;
        keys(c, "f");
        cr_assert_eq(c->set.feel, want[i].preset);
        cr_assert(strstr(c->msg, want[i].msg), "press %d: '%s'", i + 1, c->msg);
        cr_assert_str_eq(gv_core_feel_name(c->set.feel), want[i].name);
        cr_assert(c->session_dirty);
        c->next_seed = 42;
        keys(c, "g");
        cr_assert(c->job_pending);
        cr_assert_eq(c->job.opts.feel.timing, want[i].timing);
        cr_assert_eq(c->job.opts.feel.dynamics, want[i].dynamics);
        run_job(c);
        for (int k = 0; k < 3; k++)
            out[i][k] = c->sugg[k].pat;
    }
    /* The same seed gives the same hits; where the groove hits, groove and
     * timing take its offsets, groove its velocity on the step's loudest hit,
     * timing keeps the model's velocities. */
    float g[GV_MODEL_STEPS * 3];
    gv_pattern_groove(&c->input, g);
    int checked = 0;
    for (int k = 0; k < 3; k++)
        for (int s = 0; s < GV_MODEL_STEPS; s++) {
            float loudest = 0;
            for (int v = 0; v < GV_VOICES; v++) {
                cr_assert_eq(out[0][k].hit[s][v], out[2][k].hit[s][v]);
                cr_assert_eq(out[1][k].hit[s][v], out[2][k].hit[s][v]);
                if (!out[2][k].hit[s][v])
                    continue;
                cr_assert_float_eq(out[1][k].vel[s][v], out[2][k].vel[s][v], 0);
                if (g[3 * s] <= 0.5f)
                    continue;
                cr_assert_float_eq(out[0][k].off[s][v], g[3 * s + 2], 1e-6);
                cr_assert_float_eq(out[1][k].off[s][v], g[3 * s + 2], 1e-6);
                loudest = fmaxf(loudest, out[0][k].vel[s][v]);
                checked++;
            }
            if (loudest > 0)
                cr_assert_float_eq(loudest, g[3 * s + 1], 1e-5);
        }
    cr_assert_gt(checked, 0, "no generated hit fell on a groove step");
    /* this input is off the grid with varied velocities: auto gives it back */
    for (int k = 0; k < 3; k++) {
        cr_assert_eq(memcmp(out[3][k].off, out[0][k].off, sizeof out[0][k].off), 0);
        cr_assert_eq(memcmp(out[3][k].vel, out[0][k].vel, sizeof out[0][k].vel), 0);
    }
    done(c);
}

Test(core, variations_and_interpolation)
{
    gv_core *c = core_with_suggestions(3);
    keys(c, "2");
    gv_sugg src = c->sugg[1];
    keys(c, "v");
    run_job(c);
    cr_assert_eq(c->nsugg, 3);
    cr_assert_eq(memcmp(c->sugg[0].pat.hit, src.pat.hit, sizeof src.pat.hit), 0); /* the source leads */
    cr_assert_str_eq(c->sugg[1].meta.kind, "vary");
    cr_assert_float_eq(c->sugg[1].meta.temperature, 0.5f, 1e-6);
    /* interpolation needs two kept patterns; pick them in the library */
    keys(c, "i");
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    keys(c, "1k2k");
    cr_assert(c->sugg[0].kept && c->sugg[1].kept);
    keys(c, "N");
    keys(c, "i");
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    cr_assert_eq(c->nlib, 2);
    gv_core_key(c, '\r', 0); /* start: the newest */
    gv_core_key(c, GV_KEY_DOWN, 0);
    gv_core_key(c, '\r', 0); /* end */
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    gv_lib_meta end = c->lib_meta;
    run_job(c);
    cr_assert_eq(c->nsugg, 4);
    cr_assert_str_eq(c->sugg[3].meta.kind, "interpolate");
    /* the last latent is the end's */
    for (int k = 0; k < 8; k++)
        cr_assert_float_eq(c->sugg[3].meta.z[k], end.z[k], 1e-5);
    done(c);
}

Test(core, no_model_no_generation)
{
    gv_core *c = new_core();
    gv_pattern p;
    set_hits(&p);
    gv_core_set_input(c, &p, "x");
    keys(c, "g");
    cr_assert_not(c->job_pending);
    cr_assert(c->msg_err);
    gv_core_set_model(c, "m", 8);
    keys(c, "C");
    keys(c, "g"); /* an empty input: generating from nothing */
    cr_assert(c->job_pending);
    cr_assert_eq(c->job.kind, GV_JOB_SAMPLE);
    cr_assert(strstr(c->msg, "empty"), "%s", c->msg);
    gv_core_free(c);
}

/* ---- tap through the core ---- */

Test(core, tap_mode_records_a_new_groove)
{
    gv_core *c = new_core();
    gv_core_key(c, 't', 100.0);
    cr_assert_eq(c->mode, GV_MODE_TAP);
    double t0 = 100.0 + 4 * 0.5; /* 120 BPM: count-in of 4 beats */
    for (int b = 0; b < 8; b++)
        gv_core_key(c, b % 2 ? 'S' : 'z', t0 + b * 0.5 + (b == 3 ? 0.03 : 0));
    gv_core_key(c, 'g', t0 + 1.0 + 0.01); /* a letter: a tap, not "generate" */
    cr_assert_eq(c->mode, GV_MODE_TAP);
    gv_core_tick(c, t0 + 3.9);
    cr_assert_eq(c->mode, GV_MODE_TAP);
    gv_core_tick(c, t0 + 4.01);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert_str_eq(c->input_src, "tap");
    float hvo[96];
    gv_pattern_groove(&c->input, hvo);
    for (int s = 0; s < 32; s++)
        cr_assert_eq(hvo[3 * s] > 0, s % 4 == 0, "step %d", s);
    cr_assert_float_eq(hvo[3 * 12 + 1], GV_TAP_ACCENT, 1e-6);
    cr_assert_float_eq(hvo[3 * 12 + 2], 0.24f, 1e-4);
    cr_assert(c->input.hit[8][GV_SNARE] && c->input.hit[8][GV_KICK]); /* 'g' tapped a snare */
    keys(c, "u"); /* the tap is undoable */
    cr_assert_eq(gv_pattern_count(&c->input), 0);
    /* Esc cancels and keeps the input */
    gv_core_key(c, 't', 200.0);
    gv_core_key(c, 'z', 202.0);
    gv_core_key(c, 27, 202.1);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert_eq(gv_pattern_count(&c->input), 0);
    gv_core_free(c);
}

/* ---- files: keep, export, open, library ---- */

Test(core, keep_writes_library_entry)
{
    gv_core *c = core_with_suggestions(2);
    keys(c, "2k");
    cr_assert(c->sugg[1].kept, "%s", c->msg);
    cr_assert_eq(gv_core_unsaved(c), 1);
    char lib[300], mid[600], json[600];
    tmp_path(lib, sizeof lib, "library");
    snprintf(mid, sizeof mid, "%s/%s.mid", lib, c->sugg[1].kept_name);
    snprintf(json, sizeof json, "%s/%s.json", lib, c->sugg[1].kept_name);
    cr_assert_eq(access(mid, F_OK), 0);
    cr_assert_eq(access(json, F_OK), 0);
    cr_assert(strstr(c->sugg[1].kept_name, "-2"));
    /* the entry reads back: hits and sidecar */
    gv_pattern p;
    gv_lib_meta *m = malloc(sizeof *m);
    gv_err e;
    cr_assert_eq(gv_library_load(lib, c->sugg[1].kept_name, &p, m, &e), 0, "%s", e.msg);
    for (int s = 0; s < 32; s++)
        for (int v = 0; v < GV_VOICES; v++)
            cr_assert_eq(p.hit[s][v], c->sugg[1].pat.hit[s][v]);
    cr_assert_eq(m->seed, c->sugg[1].meta.seed);
    cr_assert_eq(m->zdim, 8);
    cr_assert_float_eq(m->z[3], c->sugg[1].meta.z[3], 1e-6);
    cr_assert_float_eq(m->temperature, 1.0f, 1e-6);
    cr_assert_str_eq(m->model, "test");
    cr_assert(m->has_groove);
    cr_assert_float_eq(m->groove[0], 1.0f, 0);
    /* keeping twice does not duplicate */
    keys(c, "k");
    gv_lib_entry *list;
    int n;
    cr_assert_eq(gv_library_list(lib, &list, &n, &e), 0);
    cr_assert_eq(n, 1);
    free(list);
    /* a corrupt sidecar loses the metadata, not the entry */
    cr_assert_eq(gv_write_atomic(json, "{not json", 9, &e), 0);
    cr_assert_eq(gv_library_load(lib, c->sugg[1].kept_name, &p, m, &e), 1);
    cr_assert(strstr(e.msg, ".json: not a JSON object"), "%s", e.msg);
    cr_assert_eq(m->seed, 0);
    cr_assert_eq(p.hit[0][GV_KICK], c->sugg[1].pat.hit[0][GV_KICK]);
    /* no temp files are left behind */
    char cmd[400];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls '%s' | grep -v -e '\\.mid$' -e '\\.json$')\"", lib);
    cr_assert_eq(system(cmd), 0);
    free(m);
    done(c);
}

/* A keep's two files appear together, the pattern first: a keep killed
 * between its renames leaves a .mid without a sidecar (an entry that lists
 * and loads), never a sidecar without its pattern.  inotify sees the order
 * in which the finished files appear. */
Test(core, keep_renames_pattern_before_sidecar)
{
    gv_core *c = core_with_suggestions(2);
    char lib[300];
    tmp_path(lib, sizeof lib, "library");
    gv_err e;
    cr_assert_eq(gv_mkdirs(lib, &e), 0);
    int in = inotify_init1(IN_NONBLOCK);
    cr_assert(in >= 0);
    cr_assert(inotify_add_watch(in, lib, IN_MOVED_TO | IN_CLOSE_WRITE) >= 0);
    keys(c, "2k");
    cr_assert(c->sugg[1].kept, "%s", c->msg);
    char order[8] = "", buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(in, buf, sizeof buf);
    cr_assert(n > 0);
    for (char *q = buf; q < buf + n;) {
        const struct inotify_event *ev = (const struct inotify_event *)q;
        size_t l = ev->len ? strlen(ev->name) : 0;
        /* a finished file appears: a temp renamed, or written in place */
        if (l > 4 && strlen(order) < sizeof order - 1 && !strstr(ev->name, ".tmp"))
            strcat(order, !strcmp(ev->name + l - 4, ".mid") ? "m" : !strcmp(ev->name + l - 5, ".json") ? "j" : "?");
        q += sizeof *ev + ev->len;
    }
    close(in);
    cr_assert_str_eq(order, "mj", "the keep's files appeared in the order '%s' (m: .mid, j: .json)", order);
    done(c);
}

/* Half entries (a keep killed between its two renames, a file removed by
 * hand) are listed: a .mid without its sidecar loads with no metadata; a
 * sidecar without its .mid says so when selected, and d removes it. */
Test(core, library_lists_half_entries)
{
    gv_core *c = core_with_suggestions(3);
    keys(c, "1k2k3k");
    char lib[300], p[700];
    tmp_path(lib, sizeof lib, "library");
    char mid_only[GV_LIB_NAME], json_only[GV_LIB_NAME];
    snprintf(mid_only, sizeof mid_only, "%s", c->sugg[0].kept_name);
    snprintf(json_only, sizeof json_only, "%s", c->sugg[1].kept_name);
    snprintf(p, sizeof p, "%s/%s.json", lib, mid_only);
    cr_assert_eq(unlink(p), 0);
    snprintf(p, sizeof p, "%s/%s.mid", lib, json_only);
    cr_assert_eq(unlink(p), 0);
    gv_lib_entry *list;
    int n;
    gv_err e;
    cr_assert_eq(gv_library_list(lib, &list, &n, &e), 0, "%s", e.msg);
    cr_assert_eq(n, 3, "%d entries listed, not 3 (the orphan sidecar is missing)", n);
    int seen = 0;
    for (int i = 0; i < n; i++) {
        seen |= (!strcmp(list[i].name, mid_only) ? 1 : 0) | (!strcmp(list[i].name, json_only) ? 2 : 0);
        int want = !strcmp(list[i].name, mid_only)    ? GV_LIB_NO_SIDECAR
                   : !strcmp(list[i].name, json_only) ? GV_LIB_NO_MID
                                                      : GV_LIB_WHOLE;
        cr_assert_eq(list[i].half, want, "%s: half %d, not %d", list[i].name, list[i].half, want);
    }
    cr_assert_eq(seen, 3);
    free(list);
    keys(c, "l");
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    int found = 0;
    for (int k = 0; k < c->nlib && !found; k++) {
        gv_core_key(c, GV_KEY_HOME, 0);
        for (int j = 0; j < k; j++)
            keys(c, "j");
        if (!strcmp(c->lib[c->lib_sel].name, mid_only)) {
            cr_assert(c->lib_loaded, "a .mid without a sidecar does not load: %s", c->msg);
            cr_assert_eq(c->lib_meta.kind[0], 0);
        } else if (!strcmp(c->lib[c->lib_sel].name, json_only)) {
            found = 1;
            cr_assert_not(c->lib_loaded);
            cr_assert(strstr(c->msg, "only its sidecar"), "no note for an orphan sidecar: %s", c->msg);
            keys(c, "dy");
            cr_assert(strstr(c->msg, "deleted"), "the orphan sidecar was not deleted: %s", c->msg);
            cr_assert_eq(c->nlib, 2);
            snprintf(p, sizeof p, "%s/%s.json", lib, json_only);
            cr_assert_neq(access(p, F_OK), 0);
        }
    }
    cr_assert(found);
    done(c);
}

Test(core, export_prompt_writes_midi)
{
    gv_core *c = core_with_suggestions(2);
    keys(c, "2e");
    cr_assert_eq(c->mode, GV_MODE_PROMPT);
    cr_assert(!strncmp(c->prompt, "groove-", 7));
    cr_assert(strstr(c->prompt, "-2.mid"));
    char path[400];
    tmp_path(path, sizeof path, "out.mid");
    gv_core_key(c, 21, 0); /* C-u */
    keys(c, path);
    gv_core_key(c, '\r', 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert(c->sugg[1].exported, "%s", c->msg);
    gv_pattern p;
    gv_err e;
    cr_assert_geq(gv_smf_load(path, 0, 2, -1, &p, &e), 0, "%s", e.msg);
    for (int s = 0; s < 32; s++)
        for (int v = 0; v < GV_VOICES; v++)
            cr_assert_eq(p.hit[s][v], c->sugg[1].pat.hit[s][v]);
    cr_assert_float_eq(p.bpm, c->set.bpm, 0.01);
    /* an existing file asks first; n leaves it alone */
    keys(c, "1e");
    gv_core_key(c, 21, 0);
    keys(c, path);
    gv_core_key(c, '\r', 0);
    cr_assert_eq(c->mode, GV_MODE_CONFIRM);
    keys(c, "n");
    cr_assert_not(c->sugg[0].exported);
    keys(c, "e");
    gv_core_key(c, 21, 0);
    keys(c, path);
    gv_core_key(c, '\r', 0);
    keys(c, "y");
    cr_assert(c->sugg[0].exported);
    /* .tab works too; Esc cancels */
    tmp_path(path, sizeof path, "out.tab");
    keys(c, "e");
    gv_core_key(c, 21, 0);
    keys(c, path);
    gv_core_key(c, 27, 0);
    cr_assert_neq(access(path, F_OK), 0);
    keys(c, "e");
    gv_core_key(c, 21, 0);
    keys(c, path);
    gv_core_key(c, '\r', 0);
    cr_assert_eq(gv_tab_load(path, &p, &e), 0, "%s", e.msg);
    done(c);
}

/* ---- swing: what is heard is what is written ---- */

/* A grid pattern with hits on odd and even 16ths, and one odd hit with its
 * own offset (swing first, then the offset, as the sequencer plays it). */
static void swing_pattern(gv_pattern *p)
{
    gv_pattern_init(p, 32, 120, "swung");
    for (int s = 0; s < 32; s++)
        gv_pattern_set(p, s, GV_CHAT, 1, 0.6f, 0);
    for (int s = 0; s < 32; s += 8)
        gv_pattern_set(p, s, GV_KICK, 1, 0.9f, 0);
    gv_pattern_set(p, 5, GV_SNARE, 1, 0.8f, -0.1f);
}

/* Note-on ticks (480 PPQ) of voice v at each step, -1 where none. */
static void onset_ticks(const char *path, int v, long ticks[32])
{
    unsigned char *data;
    size_t len;
    gv_err e;
    cr_assert_eq(gv_read_file(path, GV_SMF_MAX_FILE, &data, &len, &e), 0, "%s", e.msg);
    gv_score s;
    cr_assert_eq(gv_smf_parse(data, len, -1, &s, &e), 0, "%s: %s", path, e.msg);
    free(data);
    for (int i = 0; i < 32; i++)
        ticks[i] = -1;
    for (int i = 0; i < s.n; i++) {
        long t = lround(s.notes[i].step * 120);
        long step = (t + 60) / 120;
        if (s.notes[i].voice == v && step >= 0 && step < 32)
            ticks[step] = t;
    }
    gv_score_free(&s);
}

/* At swing 58% (0.32: odd 16ths 0.16 step late, 19.2 ticks at 480 PPQ) every
 * odd 16th lands 19 ticks after its grid line, every even one on it. */
static void check_swung_ticks(const char *path)
{
    long hh[32], sd[32];
    onset_ticks(path, GV_CHAT, hh);
    onset_ticks(path, GV_SNARE, sd);
    for (int s = 0; s < 32; s++)
        cr_assert_eq(hh[s], 120 * s + (s & 1 ? 19 : 0), "%s: hat on step %d at tick %ld", path, s, hh[s]);
    /* 0.16 - 0.1 step = 7.2 ticks */
    cr_assert_eq(sd[5], 5 * 120 + 7, "%s: snare on step 5 at tick %ld", path, sd[5]);
}

/* The file against mido, an independent reader (tests/reference/mido_check.py). */
static void mido_check(const char *path, const gv_pattern *p, double delay)
{
    char expect[400], cmd[2000];
    tmp_path(expect, sizeof expect, "expect.txt");
    FILE *f = fopen(expect, "w");
    cr_assert_not_null(f);
    fprintf(f, "steps %d\nbpm %.6f\n", p->steps, p->bpm);
    for (int t = 0; t < p->steps; t++)
        for (int v = 0; v < GV_VOICES; v++)
            if (p->hit[t][v])
                fprintf(f, "%d %d %.9g %.9g\n", t, gv_voice_note(v), p->vel[t][v], p->off[t][v] + (t & 1 ? delay : 0));
    fclose(f);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/reference/mido_check.py written '%s' '%s' 2>&1", gv_test_root(),
             path, expect);
    FILE *py = popen(cmd, "r");
    cr_assert_not_null(py);
    char out[8192] = "";
    size_t got = fread(out, 1, sizeof out - 1, py);
    out[got] = 0;
    cr_assert_eq(pclose(py), 0, "mido disagrees with %s:\n%s", path, out);
}

/* The "swing" number of a JSON file's object at the path of keys (NULL ends;
 * "0".."9" index arrays); NAN when missing. */
static double json_swing(const char *path, ...)
{
    unsigned char *data;
    size_t len;
    gv_err e;
    cr_assert_eq(gv_read_file(path, 1 << 24, &data, &len, &e), 0, "%s", e.msg);
    cJSON *root = cJSON_ParseWithLength((const char *)data, len);
    free(data);
    cr_assert_not_null(root, "%s is not JSON", path);
    const cJSON *o = root;
    va_list ap;
    va_start(ap, path);
    for (const char *k; (k = va_arg(ap, const char *));)
        o = k[0] >= '0' && k[0] <= '9' ? cJSON_GetArrayItem(o, atoi(k)) : cJSON_GetObjectItemCaseSensitive(o, k);
    va_end(ap);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "swing");
    double r = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    cJSON_Delete(root);
    return r;
}

Test(core, export_and_keep_write_the_swing_heard)
{
    gv_core *c = core_with_suggestions(2);
    swing_pattern(&c->sugg[0].pat);
    swing_pattern(&c->sugg[1].pat);
    gv_pattern want = c->sugg[0].pat;
    want.bpm = c->set.bpm; /* export writes the session's tempo */
    keys(c, "ss");
    cr_assert(strstr(c->msg, "swing 58%"), "%s", c->msg);
    /* export to .mid: ours and mido's reading */
    char path[400];
    tmp_path(path, sizeof path, "swung.mid");
    keys(c, "1e");
    gv_core_key(c, 21, 0); /* C-u */
    keys(c, path);
    gv_core_key(c, '\r', 0);
    cr_assert(c->sugg[0].exported, "%s", c->msg);
    check_swung_ticks(path);
    mido_check(path, &want, 0.16);
    /* the suggestion itself stays on its grid: swing is a playback setting */
    cr_assert_float_eq(c->sugg[0].pat.off[1][GV_CHAT], 0, 0);
    /* .tab: the delay goes into the offset lines (nearest 1/20: 3) */
    tmp_path(path, sizeof path, "swung.tab");
    keys(c, "e");
    gv_core_key(c, 21, 0);
    keys(c, path);
    gv_core_key(c, '\r', 0);
    gv_pattern p;
    gv_err e;
    cr_assert_eq(gv_tab_load(path, &p, &e), 0, "%s", e.msg);
    cr_assert_float_eq(p.off[1][GV_CHAT], 0.15f, 1e-6);
    cr_assert_float_eq(p.off[2][GV_CHAT], 0, 1e-6);
    /* keep: the library's .mid is swung too, and its sidecar says by how much */
    keys(c, "2k");
    cr_assert(c->sugg[1].kept, "%s", c->msg);
    char lib[300], mid[600], json[600];
    tmp_path(lib, sizeof lib, "library");
    snprintf(mid, sizeof mid, "%s/%s.mid", lib, c->sugg[1].kept_name);
    snprintf(json, sizeof json, "%s/%s.json", lib, c->sugg[1].kept_name);
    check_swung_ticks(mid);
    mido_check(mid, &want, 0.16);
    cr_assert_float_eq(json_swing(json, NULL), 0.32, 1e-6);
    /* loaded back, the entry is the pattern on its grid again (swing is the
     * sidecar's), so played at 58% it sounds as it did */
    cr_assert_eq(gv_library_load(lib, c->sugg[1].kept_name, &p, NULL, &e), 0, "%s", e.msg);
    for (int s = 0; s < 32; s++)
        cr_assert_float_eq(p.off[s][GV_CHAT], 0, 1.0 / 120, "step %d: offset %g", s, p.off[s][GV_CHAT]);
    cr_assert_float_eq(p.off[5][GV_SNARE], -0.1f, 1.0 / 120);
    /* an old sidecar (no "swing") still loads: the .mid as it is */
    const char *old = "{\"name\":\"x\",\"kind\":\"generate\",\"seed\":3,\"bpm\":120}";
    cr_assert_eq(gv_write_atomic(json, old, strlen(old), &e), 0, "%s", e.msg);
    gv_lib_meta *m = malloc(sizeof *m);
    cr_assert_eq(gv_library_load(lib, c->sugg[1].kept_name, &p, m, &e), 0, "%s", e.msg);
    cr_assert_eq(m->seed, 3);
    cr_assert_float_eq(p.off[1][GV_CHAT], 19 / 120.f, 1e-6);
    free(m);
    /* the session records the swing each suggestion was written with, and
     * keeps it through a load and a save */
    char sess[400], sess2[400];
    tmp_path(sess, sizeof sess, "session.json");
    tmp_path(sess2, sizeof sess2, "session2.json");
    cr_assert_eq(gv_session_save(c, sess, &e), 0, "%s", e.msg);
    cr_assert_float_eq(json_swing(sess, "settings", NULL), 0.32, 1e-6);
    cr_assert_float_eq(json_swing(sess, "suggestions", "0", "meta", NULL), 0.32, 1e-6);
    cr_assert_float_eq(json_swing(sess, "suggestions", "1", "meta", NULL), 0.32, 1e-6);
    gv_core *d = new_core();
    cr_assert_eq(gv_session_load(d, sess, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_session_save(d, sess2, &e), 0, "%s", e.msg);
    cr_assert_float_eq(json_swing(sess2, "suggestions", "1", "meta", NULL), 0.32, 1e-6);
    gv_core_free(d);
    done(c);
}

/* An empty suggestion is a valid pattern, but writing one is more likely a
 * slip than a wish: export and keep ask first (y/n). */
Test(core, empty_suggestions_ask_before_export_and_keep)
{
    gv_core *c = core_with_suggestions(2);
    gv_pattern_init(&c->sugg[0].pat, 32, c->set.bpm, "empty");
    char path[400], lib[300];
    tmp_path(path, sizeof path, "empty.mid");
    tmp_path(lib, sizeof lib, "library");
    /* export: asks; n (or Esc) writes nothing */
    keys(c, "1e");
    cr_assert_eq(c->mode, GV_MODE_CONFIRM, "export of an empty suggestion did not ask: %s", c->msg);
    keys(c, "n");
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert_not(c->sugg[0].exported);
    keys(c, "e");
    gv_core_key(c, 27, 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    /* y goes on to the file name, and the file reads back empty */
    keys(c, "ey");
    cr_assert_eq(c->mode, GV_MODE_PROMPT);
    gv_core_key(c, 21, 0); /* C-u */
    keys(c, path);
    gv_core_key(c, '\r', 0);
    cr_assert(c->sugg[0].exported, "%s", c->msg);
    gv_pattern p;
    gv_err e;
    cr_assert_eq(gv_smf_load(path, -1, 0, -1, &p, &e), 0, "%s", e.msg);
    cr_assert_eq(p.steps, 32);
    cr_assert_eq(gv_pattern_count(&p), 0);
    /* keep: asks; n keeps nothing, y keeps, and the library reads it back */
    keys(c, "k");
    cr_assert_eq(c->mode, GV_MODE_CONFIRM, "keep of an empty suggestion did not ask: %s", c->msg);
    keys(c, "n");
    cr_assert_not(c->sugg[0].kept);
    keys(c, "ky");
    cr_assert(c->sugg[0].kept, "%s", c->msg);
    cr_assert_eq(gv_library_load(lib, c->sugg[0].kept_name, &p, NULL, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_pattern_count(&p), 0);
    /* a suggestion with hits asks nothing */
    keys(c, "2k");
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert(c->sugg[1].kept, "%s", c->msg);
    done(c);
}

Test(core, quit_asks_when_suggestions_are_unsaved)
{
    gv_core *c = core_with_suggestions(2);
    keys(c, "q");
    cr_assert_eq(c->mode, GV_MODE_CONFIRM);
    keys(c, "n");
    cr_assert_not(c->quit);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    keys(c, "k2k");
    keys(c, "q");
    cr_assert(c->quit);
    done(c);
    c = new_core();
    keys(c, "q");
    cr_assert(c->quit);
    gv_core_free(c);
}

Test(core, open_files_and_presets)
{
    gv_core *c = new_core();
    gv_pattern p;
    set_hits(&p);
    char path[400];
    gv_err e;
    tmp_path(path, sizeof path, "beat.tab");
    cr_assert_eq(gv_tab_save(path, &p, &e), 0);
    keys(c, "o");
    keys(c, path);
    gv_core_key(c, '\r', 0);
    cr_assert_eq(gv_pattern_count(&c->input), gv_pattern_count(&p), "%s", c->msg);
    cr_assert_float_eq(c->set.bpm, 100, 0);
    tmp_path(path, sizeof path, "beat.mid");
    p.bpm = 90;
    cr_assert_eq(gv_smf_save(path, &p, &e), 0);
    cr_assert_eq(gv_core_open(c, path, &e), 0, "%s", e.msg);
    cr_assert_float_eq(c->set.bpm, 90, 0);
    cr_assert(c->input.hit[4][GV_SNARE]);
    cr_assert_float_eq(c->input.off[4][GV_SNARE], -0.1f, 1.0f / 120);
    cr_assert_eq(gv_core_open(c, "rock-basic", &e), 0, "%s", e.msg);
    cr_assert_gt(gv_pattern_count(&c->input), 0);
    cr_assert_eq(gv_core_open(c, "presets/funk-basic.tab", &e), 0, "%s", e.msg);
    cr_assert_eq(gv_core_open(c, "no-such-thing", &e), -1);
    cr_assert_eq(gv_core_open(c, "/tmp/x.wav", &e), -1);
    cr_assert(strstr(e.msg, "unknown file type"));
    keys(c, "o");
    gv_core_key(c, '\r', 0);
    cr_assert(c->msg_err);
    /* every open is one undo step */
    int before = c->nundo;
    keys(c, "u");
    cr_assert_eq(c->nundo, before - 1);
    gv_core_free(c);
}

Test(core, library_browser)
{
    gv_core *c = core_with_suggestions(3);
    keys(c, "l");
    cr_assert_eq(c->mode, GV_MODE_NORMAL); /* empty library */
    keys(c, "k2k3k");
    keys(c, "l");
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    cr_assert_eq(c->nlib, 3);
    cr_assert(c->lib_loaded);
    keys(c, "j");
    cr_assert_eq(c->lib_sel, 1);
    keys(c, "p");
    cr_assert(c->playing);
    cr_assert_eq(c->play_src, GV_PLAY_PREVIEW);
    keys(c, "d");
    cr_assert_eq(c->mode, GV_MODE_CONFIRM);
    keys(c, "y");
    cr_assert_eq(c->mode, GV_MODE_LIBRARY);
    cr_assert_eq(c->nlib, 2);
    int kept = 0;
    for (int i = 0; i < 3; i++)
        kept += c->sugg[i].kept;
    cr_assert_eq(kept, 2);
    gv_core_key(c, '\r', 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert(!strncmp(c->input_src, "library ", 8));
    cr_assert_eq(memcmp(c->input.hit, c->lib_pat.hit, sizeof c->input.hit), 0);
    keys(c, "l");
    gv_core_key(c, 27, 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    done(c);
}

/* Latents read from files (library sidecars, the session) are checked: a
 * non-finite or absurd value (|z| > 1000) decodes to nothing, so it is refused
 * with a clear message and the pattern is encoded instead; the rest of the
 * metadata stays. */
Test(core, absurd_latents_are_refused)
{
    gv_core *c = core_with_suggestions(2);
    keys(c, "2k");
    cr_assert(c->sugg[1].kept, "%s", c->msg);
    char lib[300], json[600];
    tmp_path(lib, sizeof lib, "library");
    snprintf(json, sizeof json, "%s/%s.json", lib, c->sugg[1].kept_name);
    gv_lib_meta *m = malloc(sizeof *m);
    gv_pattern p;
    gv_err e;
    const char *bad[] = {"1e300", "-1e39", "1001", "1e400"};
    for (int k = 0; k < 4; k++) {
        char text[300];
        snprintf(text, sizeof text, "{\"seed\":42,\"bpm\":99,\"z\":[0,0,0,%s,0,0,0,0]}", bad[k]);
        cr_assert_eq(gv_write_atomic(json, text, strlen(text), &e), 0);
        memset(&e, 0, sizeof e);
        cr_assert_eq(gv_library_load(lib, c->sugg[1].kept_name, &p, m, &e), 1, "z %s accepted", bad[k]);
        cr_assert(strstr(e.msg, ".json: z[3]") && strstr(e.msg, "not a usable latent"), "%s", e.msg);
        cr_assert_eq(m->zdim, 0, "z %s kept", bad[k]);
        cr_assert_eq(m->seed, 42, "the rest of the metadata stays");
    }
    const char *fine = "{\"z\":[0,0,0,-999.5,0,0,0,1000]}";
    cr_assert_eq(gv_write_atomic(json, fine, strlen(fine), &e), 0);
    cr_assert_eq(gv_library_load(lib, c->sugg[1].kept_name, &p, m, &e), 0, "%s", e.msg);
    cr_assert_eq(m->zdim, 8);
    free(m);

    /* a session whose suggestion holds such a latent: restored without it */
    char path[400];
    tmp_path(path, sizeof path, "state/groove/session.json");
    cr_assert_eq(gv_session_save(c, path, &e), 0, "%s", e.msg);
    unsigned char *data;
    size_t len;
    cr_assert_eq(gv_read_file(path, 1 << 24, &data, &len, &e), 0);
    cJSON *o = cJSON_Parse((char *)data);
    free(data);
    cJSON *z = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "suggestions"), 0),
                                                       "meta"),
                                   "z");
    cr_assert(cJSON_IsArray(z));
    cJSON_ReplaceItemInArray(z, 2, cJSON_CreateNumber(1e300));
    char *txt = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    cr_assert_eq(gv_write_atomic(path, txt, strlen(txt), &e), 0);
    free(txt);
    gv_core *d = new_core();
    cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
    cr_assert_eq(d->nsugg, 2);
    cr_assert_eq(d->sugg[0].meta.zdim, 0, "an absurd latent restored");
    cr_assert_eq(d->sugg[1].meta.zdim, 8);
    cr_assert(strstr(d->msg, "suggestion 1") && strstr(d->msg, "not a usable latent"), "%s", d->msg);
    gv_core_free(d);
    done(c);
}

Test(core, session_round_trip)
{
    gv_core *c = core_with_suggestions(3);
    keys(c, "3k..s]ff");
    cr_assert_eq(c->set.feel, GV_FEEL_P_TIMING);
    gv_core_key(c, GV_KEY_UP, 0);
    char path[400];
    tmp_path(path, sizeof path, "state/groove/session.json");
    gv_err e;
    cr_assert_eq(gv_session_save(c, path, &e), 0, "%s", e.msg);
    cr_assert_not(c->session_dirty);
    gv_core *d = new_core();
    cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
    cr_assert_float_eq(d->set.bpm, c->set.bpm, 0);
    cr_assert_float_eq(d->set.swing, c->set.swing, 1e-6);
    cr_assert_float_eq(d->set.temperature, c->set.temperature, 1e-6);
    cr_assert_eq(d->set.n, 3);
    cr_assert_eq(d->set.feel, GV_FEEL_P_TIMING);
    cr_assert_eq(d->nsugg, 3);
    cr_assert_eq(d->sel, 2);
    cr_assert_eq(d->cur_row, c->cur_row);
    cr_assert_eq(d->next_seed, c->next_seed);
    cr_assert(d->sugg[2].kept);
    cr_assert_str_eq(d->sugg[2].kept_name, c->sugg[2].kept_name);
    cr_assert_eq(memcmp(d->input.hit, c->input.hit, sizeof c->input.hit), 0);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(memcmp(d->sugg[i].pat.hit, c->sugg[i].pat.hit, sizeof c->input.hit), 0);
        cr_assert_eq(d->sugg[i].meta.zdim, 8);
        cr_assert_eq(d->sugg[i].meta.seed, c->sugg[i].meta.seed);
        for (int s = 0; s < 32; s++)
            for (int v = 0; v < GV_VOICES; v++)
                cr_assert_float_eq(d->sugg[i].pat.vel[s][v], c->sugg[i].pat.vel[s][v], 1e-6);
    }
    /* a feel the session does not know, or of the wrong type, is auto */
    static const char *const odd[] = {"\"sideways\"", "2", "null"};
    for (int i = 0; i < 3; i++) {
        char text[200];
        snprintf(text, sizeof text,
                 "{\"version\":1,\"settings\":{\"feel\":%s},\"input\":{\"steps\":32,\"hits\":[]}}", odd[i]);
        cr_assert_eq(gv_write_atomic(path, text, strlen(text), &e), 0, "%s", e.msg);
        d->set.feel = GV_FEEL_P_MODEL;
        cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
        cr_assert_eq(d->set.feel, GV_FEEL_P_AUTO, "%s", text);
    }
    /* a damaged file changes nothing */
    const char *bad = "{\"version\":1,\"input\":{\"steps\":7}}";
    cr_assert_eq(gv_write_atomic(path, bad, strlen(bad), &e), 0);
    gv_core *f = new_core();
    float bpm = f->set.bpm;
    cr_assert_eq(gv_session_load(f, path, &e), -1);
    cr_assert_float_eq(f->set.bpm, bpm, 0);
    cr_assert_eq(f->nsugg, 0);
    tmp_path(path, sizeof path, "none.json");
    cr_assert_eq(gv_session_load(f, path, &e), 1);
    gv_core_free(c);
    gv_core_free(d);
    gv_core_free(f);
    gv_model_free(&model);
}

Test(core, path_completion)
{
    char p[600], hint[512];
    gv_err e;
    static const char *files[] = {"alpha.mid", "alpine.tab", "beta.mid", "notes.txt"};
    for (int i = 0; i < 4; i++) {
        tmp_path(p, sizeof p, files[i]);
        cr_assert_eq(gv_write_atomic(p, "x", 1, &e), 0);
    }
    tmp_path(p, sizeof p, "sub");
    cr_assert_eq(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/al", tmpdir);
    cr_assert_eq(gv_complete_path(p, sizeof p, hint, sizeof hint), 2);
    char want[600];
    snprintf(want, sizeof want, "%s/alp", tmpdir);
    cr_assert_str_eq(p, want);
    cr_assert_str_eq(hint, "alpha.mid  alpine.tab");
    snprintf(p, sizeof p, "%s/b", tmpdir);
    cr_assert_eq(gv_complete_path(p, sizeof p, hint, sizeof hint), 1);
    snprintf(want, sizeof want, "%s/beta.mid", tmpdir);
    cr_assert_str_eq(p, want);
    snprintf(p, sizeof p, "%s/s", tmpdir);
    gv_complete_path(p, sizeof p, hint, sizeof hint);
    snprintf(want, sizeof want, "%s/sub/", tmpdir);
    cr_assert_str_eq(p, want);
    snprintf(p, sizeof p, "%s/n", tmpdir); /* .txt is not offered */
    cr_assert_eq(gv_complete_path(p, sizeof p, hint, sizeof hint), 0);
    cr_assert_str_eq(hint, "no match");
    /* presets and the shipped data from anywhere */
    snprintf(p, sizeof p, "rock-ba");
    cr_assert_geq(gv_complete_path(p, sizeof p, hint, sizeof hint), 1);
    cr_assert_str_eq(p, "rock-basic");
    snprintf(p, sizeof p, "presets/funk-b");
    cr_assert_eq(gv_complete_path(p, sizeof p, hint, sizeof hint), 1);
    cr_assert_str_eq(p, "presets/funk-basic.tab");
}

Test(core, midi_ports_and_clock)
{
    gv_core *c = gv_core_new(tmpdir);
    cr_assert(c);
    /* c cycles the clock off -> out -> in -> off: one mode, never both */
    unsigned serial = c->midi_serial;
    int want[] = {1, 2, 0}; /* GV_MIDI_CLOCK_OUT, IN, OFF */
    for (int i = 0; i < 3; i++) {
        gv_core_key(c, 'c', 0);
        cr_assert_eq(c->midi_clock, want[i]);
        cr_assert_eq(c->midi_serial, serial + (unsigned)i + 1, "every change asks for a reopen");
    }
    /* M opens the list and asks the front end for the ports */
    gv_core_key(c, 'M', 0);
    cr_assert_eq(c->mode, GV_MODE_MIDI);
    cr_assert(c->midi_scan);
    gv_core_mdev devs[3] = {{"Pads", 1}, {"Synth A", 0}, {"Synth B", 0}};
    gv_core_midi_devices(c, devs, 3, "");
    cr_assert_not(c->midi_scan);
    cr_assert_eq(c->nmdev, 3);
    serial = c->midi_serial;
    gv_core_key(c, '\n', 0); /* Pads: the input */
    cr_assert_str_eq(c->midi_in, "Pads");
    cr_assert_str_eq(c->midi_out, "");
    gv_core_key(c, GV_KEY_DOWN, 0);
    gv_core_key(c, 'j', 0);
    gv_core_key(c, '\n', 0); /* Synth B: the output */
    cr_assert_str_eq(c->midi_out, "Synth B");
    gv_core_key(c, 'k', 0);
    gv_core_key(c, ' ', 0); /* Synth A in its place */
    cr_assert_str_eq(c->midi_out, "Synth A");
    cr_assert_str_eq(c->midi_in, "Pads");
    gv_core_key(c, ' ', 0); /* again: no output */
    cr_assert_str_eq(c->midi_out, "");
    cr_assert_eq(c->midi_serial, serial + 4);
    gv_core_key(c, GV_KEY_UP, 0);
    gv_core_key(c, GV_KEY_UP, 0);
    cr_assert_eq(c->mdev_sel, 2, "the list wraps");
    gv_core_key(c, 'c', 0); /* the clock from the list too */
    cr_assert_eq(c->midi_clock, 1);
    gv_core_key(c, 27, 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    /* no ports: the reason, and the list closes */
    gv_core_key(c, 'M', 0);
    gv_core_midi_devices(c, NULL, 0, "no MIDI devices (no ALSA sequencer: /dev/snd/seq is missing)");
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert(c->msg_err);
    cr_assert_str_eq(c->msg, "no MIDI devices (no ALSA sequencer: /dev/snd/seq is missing)");
    /* a list that comes after the mode was left is dropped */
    gv_core_midi_devices(c, devs, 3, "");
    cr_assert_eq(c->nmdev, 0);
    gv_core_free(c);
}

Test(core, session_move_aside_never_replaces)
{
    char path[400], moved[600], moved2[600];
    tmp_path(path, sizeof path, "session.json");
    gv_err e;
    const char *bad = "{\"version\":2}";
    cr_assert_eq(gv_write_atomic(path, bad, strlen(bad), &e), 0, "%s", e.msg);
    gv_core *c = new_core();
    cr_assert_eq(gv_session_load(c, path, &e), -1);
    cr_assert_eq(gv_session_move_aside(path, moved, sizeof moved, &e), 0, "%s", e.msg);
    cr_assert_neq(access(path, F_OK), 0, "the bad file is still there");
    cr_assert(!strncmp(moved, path, strlen(path)) && !strncmp(moved + strlen(path), ".bad-", 5), "%s", moved);
    unsigned char *data;
    size_t len;
    cr_assert_eq(gv_read_file(moved, 1 << 20, &data, &len, &e), 0, "%s", e.msg);
    cr_assert_eq(len, strlen(bad));
    cr_assert_eq(memcmp(data, bad, len), 0);
    free(data);
    /* a second one within the same second gets its own name */
    const char *bad2 = "{trunc";
    cr_assert_eq(gv_write_atomic(path, bad2, strlen(bad2), &e), 0, "%s", e.msg);
    cr_assert_eq(gv_session_move_aside(path, moved2, sizeof moved2, &e), 0, "%s", e.msg);
    cr_assert_str_neq(moved, moved2);
    cr_assert_eq(gv_read_file(moved, 1 << 20, &data, &len, &e), 0, "%s", e.msg);
    cr_assert_eq(len, strlen(bad), "the first moved file was replaced");
    free(data);
    /* nothing to move */
    cr_assert_eq(gv_session_move_aside(path, moved, sizeof moved, &e), -1);
    gv_core_free(c);
}

Test(core, session_guard_asks_before_replacing)
{
    /* nothing changed: q quits, nothing may be saved */
    gv_core *c = new_core();
    c->session_guard = 1;
    keys(c, "q");
    cr_assert(c->quit);
    cr_assert_not(gv_core_may_save(c));
    gv_core_free(c);
    /* a change: q asks; Esc stays; n quits keeping the saved session */
    c = new_core();
    c->session_guard = 1;
    keys(c, "x");
    keys(c, "q");
    cr_assert_eq(c->mode, GV_MODE_CONFIRM);
    cr_assert_eq(c->confirm_kind, GV_CONFIRM_REPLACE_SESSION);
    gv_core_key(c, 27, 0);
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert_not(c->quit);
    keys(c, "qn");
    cr_assert(c->quit);
    cr_assert_not(gv_core_may_save(c));
    gv_core_free(c);
    /* unkept suggestions: first the "not kept" question, then this one; y saves */
    c = core_with_suggestions(2);
    c->session_guard = 1;
    keys(c, "qy");
    cr_assert_eq(c->mode, GV_MODE_CONFIRM);
    cr_assert_eq(c->confirm_kind, GV_CONFIRM_REPLACE_SESSION);
    cr_assert_not(c->quit);
    keys(c, "y");
    cr_assert(c->quit);
    cr_assert(gv_core_may_save(c));
    done(c);
}

Test(core, session_lock_one_owner)
{
    char path[400], lockf[500];
    tmp_path(path, sizeof path, "state/groove/session.json");
    snprintf(lockf, sizeof lockf, "%s.lock", path);
    gv_session_lock a, b;
    long pid;
    gv_err e;
    cr_assert_eq(gv_session_lock_take(&a, path, &pid, &e), 0, "%s", e.msg);
    unsigned char *data;
    size_t len;
    cr_assert_eq(gv_read_file(lockf, 64, &data, &len, &e), 0, "%s", e.msg);
    cr_assert_eq(strtol((char *)data, NULL, 10), (long)getpid());
    free(data);
    /* a second owner is refused and told who holds it */
    cr_assert_eq(gv_session_lock_take(&b, path, &pid, &e), 1);
    cr_assert_eq(pid, (long)getpid());
    cr_assert_eq(b.fd, -1);
    gv_session_unlock(&a);
    cr_assert_neq(access(lockf, F_OK), 0, "the lock file stayed");
    gv_session_unlock(&a); /* twice is harmless */
    /* a file left behind by a dead process is taken over */
    cr_assert_eq(gv_write_atomic(lockf, "999999999\n", 10, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_session_lock_take(&b, path, &pid, &e), 0, "%s", e.msg);
    gv_session_unlock(&b);
}

Test(core, interrupt_is_the_quit_key)
{
    /* nothing unkept: it quits */
    gv_core *c = new_core();
    gv_core_interrupt(c);
    cr_assert(c->quit);
    gv_core_free(c);
    /* unkept suggestions: it asks; a second one quits */
    c = core_with_suggestions(2);
    keys(c, "e"); /* from a prompt, too */
    cr_assert_eq(c->mode, GV_MODE_PROMPT);
    gv_core_interrupt(c);
    cr_assert_eq(c->mode, GV_MODE_CONFIRM);
    cr_assert_eq(c->confirm_kind, GV_CONFIRM_QUIT);
    cr_assert_not(c->quit);
    keys(c, "n");
    cr_assert_not(c->quit);
    gv_core_interrupt(c);
    cr_assert_not(c->quit);
    gv_core_interrupt(c);
    cr_assert(c->quit);
    cr_assert(gv_core_may_save(c));
    done(c);
    /* a --fresh run: two interrupts quit and keep the saved session */
    c = core_with_suggestions(1);
    c->session_guard = 1;
    gv_core_interrupt(c);
    keys(c, "y");
    cr_assert_eq(c->confirm_kind, GV_CONFIRM_REPLACE_SESSION);
    gv_core_interrupt(c);
    cr_assert(c->quit);
    cr_assert_not(gv_core_may_save(c));
    done(c);
}

/* ---- messages that must not mislead ---- */

Test(core, library_path_that_is_a_file_says_so)
{
    char lib[300];
    tmp_path(lib, sizeof lib, "library");
    gv_err e;
    cr_assert_eq(gv_write_atomic(lib, "x", 1, &e), 0, "%s", e.msg);
    gv_core *c = new_core();
    keys(c, "l");
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert(c->msg_err, "%s", c->msg);
    cr_assert(strstr(c->msg, "not a directory"), "%s", c->msg);
    cr_assert_null(strstr(c->msg, "is empty"), "%s", c->msg);
    gv_core_free(c);
}

Test(core, empty_input_message_goes_with_the_first_hit)
{
    gv_core *c = new_core();
    gv_core_set_model(c, "test", 8);
    keys(c, "H");
    cr_assert_not(c->job_pending);
    cr_assert(strstr(c->msg, "the input is empty"), "%s", c->msg);
    keys(c, "x");
    cr_assert_eq(gv_pattern_count(&c->input), 1);
    cr_assert_null(strstr(c->msg, "the input is empty"), "%s", c->msg);
    gv_core_free(c);
}

Test(core, export_to_a_directory_is_refused)
{
    gv_core *c = core_with_suggestions(1);
    keys(c, "e");
    gv_core_key(c, 21, 0); /* C-u */
    keys(c, tmpdir);
    gv_core_key(c, '\r', 0);
    cr_assert_neq(c->mode, GV_MODE_CONFIRM, "it asks to overwrite a directory");
    cr_assert(c->msg_err, "%s", c->msg);
    cr_assert(strstr(c->msg, "is a directory"), "%s", c->msg);
    cr_assert_not(c->sugg[0].exported);
    done(c);
}

/* ---- issue 20: lanes, locks, per-voice caps and density, humanize ---- */

/* Within one context no two actions share a key: a key the defaults give
 * two actions would silently belong to the later one only. */
Test(keymap, no_two_actions_share_a_key_in_a_context)
{
    gv_keymap km;
    gv_keymap_default(&km);
    for (int ctx = 0; ctx < GV_CTX_COUNT; ctx++) {
        int owner[GV_KEY_CODES];
        for (int k = 0; k < GV_KEY_CODES; k++)
            owner[k] = GV_A_NONE;
        for (int a = 1; a < GV_A_COUNT; a++) {
            char list[64];
            snprintf(list, sizeof list, "%s", gv_action_default_keys((gv_action)a, ctx));
            for (char *save, *tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
                int k = gv_key_parse(tok);
                cr_assert(k >= 0 && k < GV_KEY_CODES, "%s: bad default key '%s'", gv_action_name((gv_action)a), tok);
                cr_assert_eq(owner[k], GV_A_NONE, "context %d: '%s' is the key of both %s and %s", ctx, tok,
                             gv_action_name((gv_action)owner[k]), gv_action_name((gv_action)a));
                owner[k] = a;
                cr_assert_eq(km.map[ctx][k], a, "context %d: '%s' does not reach %s", ctx, tok,
                             gv_action_name((gv_action)a));
            }
        }
        /* and nothing is bound that the table does not name (Enter's other codes aside) */
        for (int k = 0; k < GV_KEY_CODES; k++)
            if (km.map[ctx][k] != GV_A_NONE && k != '\r' && k != GV_KEY_ENTER)
                cr_assert_eq(km.map[ctx][k], owner[k], "context %d: key %d", ctx, k);
    }
    /* the new actions by name, as a key-map file names them */
    static const char *const names[] = {"lanes", "lock", "cap-down", "cap-up", "voice-density-down",
                                        "voice-density-up", "humanize"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        gv_action a = gv_action_parse(names[i]);
        cr_assert_neq(a, GV_A_NONE, "%s", names[i]);
        cr_assert(gv_action_help(a)[0]);
        char text[64];
        snprintf(text, sizeof text, "%s F5\n", names[i]);
        gv_keymap k2;
        gv_keymap_default(&k2);
        gv_err e;
        cr_assert_eq(gv_keymap_parse(&k2, text, strlen(text), &e), 0, "%s", e.msg);
        cr_assert_eq(gv_keymap_lookup(&k2, GV_CTX_NORMAL, GV_KEY_F(5)), a);
    }
}

/* One keyboard row (or pads of one lane) is a groove: 1 lane; two rows or
 * more say which drum is which: 3 lanes. */
Test(tap, rows_used_choose_the_lanes)
{
    gv_pattern p;
    gv_pattern_init(&p, 32, 120, "");
    cr_assert_eq(gv_core_tap_lanes(&p), 0);
    gv_pattern_set(&p, 0, GV_KICK, 1, 0.7f, 0);
    gv_pattern_set(&p, 8, GV_KICK, 1, 0.7f, 0);
    cr_assert_eq(gv_core_tap_lanes(&p), 1);
    gv_pattern_set(&p, 4, GV_LTOM, 1, 0.7f, 0); /* a pad of the low lane */
    cr_assert_eq(gv_core_tap_lanes(&p), 1);
    gv_pattern_set(&p, 2, GV_CHAT, 1, 0.7f, 0);
    cr_assert_eq(gv_core_tap_lanes(&p), 3);
    gv_pattern_init(&p, 32, 120, "");
    gv_pattern_set(&p, 2, GV_RIDE, 1, 0.7f, 0);
    gv_pattern_set(&p, 3, GV_SNARE, 1, 0.7f, 0);
    cr_assert_eq(gv_core_tap_lanes(&p), 3);
}

/* MIDI pads: a note maps to a voice through the drum map (GM by default),
 * and the voice to its lane: pads of two lanes are 3 lanes. */
Test(tap, pads_record_voices_so_lanes_follow)
{
    gv_midi_map map;
    gv_midi_map_default(&map);
    gv_tap t;
    static const unsigned char notes[3] = {36, 38, 42}; /* GM kick, snare, closed hat */
    for (int mapped = 1; mapped >= 0; mapped--) {
        gv_tap_start(&t, 0, 120);
        for (int i = 0; i < 3; i++) {
            gv_midi_msg m = {.len = 3, .b = {0x90, notes[i], 100}};
            int v;
            float vel;
            cr_assert(gv_midi_note_hit(&m, mapped ? &map : NULL, 0, &v, &vel));
            cr_assert(gv_tap_hit(&t, 2.0 + i * 0.25, v, vel)); /* 120 BPM: steps 0, 2, 4 */
        }
        gv_pattern p;
        cr_assert_eq(gv_tap_quantise(&t, &p), 3);
        /* with the default map or none (the GM drum map), each pad is its drum: 3 lanes */
        cr_assert(p.hit[0][GV_KICK] && p.hit[2][GV_SNARE] && p.hit[4][GV_CHAT]);
        cr_assert_eq(gv_core_tap_lanes(&p), 3);
    }
}

/* Tap through the core: the lanes follow the rows used. */
Test(core, tap_rows_set_the_lanes)
{
    gv_core *c = new_core();
    gv_core_set_model(c, "m", 8);
    gv_core_set_model_cond(c, 1);
    static const char *const takes[3] = {"qwer", "zaza", "zqz "};
    static const int want[3] = {1, 3, 3};
    for (int k = 0; k < 3; k++) {
        double t0 = 100.0 * (k + 1);
        gv_core_key(c, 't', t0);
        for (int i = 0; takes[k][i]; i++)
            gv_core_key(c, takes[k][i], t0 + 2.0 + i * 0.5);
        gv_core_tick(c, t0 + 6.1);
        cr_assert_eq(c->mode, GV_MODE_NORMAL);
        cr_assert_eq(c->set.lanes, want[k], "take '%s'", takes[k]);
        cr_assert_eq(gv_core_lanes(c), want[k]);
        char say[16];
        snprintf(say, sizeof say, ": %d lane%s", want[k], want[k] > 1 ? "s" : "");
        cr_assert(strstr(c->msg, say), "%s", c->msg);
        cr_assert(c->job_pending);
        cr_assert_eq(c->job.opts.cond.lanes, want[k]);
    }
    /* a model of the groove alone: 1 lane whatever the rows */
    gv_core_set_model_cond(c, 0);
    cr_assert_eq(gv_core_lanes(c), 1);
    keys(c, "g");
    cr_assert_eq(c->job.opts.cond.lanes, 1);
    keys(c, "a");
    cr_assert_eq(c->set.lanes, 3);
    cr_assert(strstr(c->msg, "1 lane"), "%s", c->msg);
    gv_core_free(c);
}

Test(core, lanes_key_cycles_for_a_loaded_input)
{
    gv_core *c = new_core();
    gv_core_set_model(c, "m", 8);
    gv_core_set_model_cond(c, 1);
    cr_assert_eq(gv_core_lanes(c), 1);
    keys(c, "a");
    cr_assert_eq(gv_core_lanes(c), 2);
    cr_assert(strstr(c->msg, "2 lanes"), "%s", c->msg);
    keys(c, "a");
    cr_assert_eq(gv_core_lanes(c), 3);
    keys(c, "a");
    cr_assert_eq(gv_core_lanes(c), 1);
    keys(c, "aa");
    gv_pattern p;
    set_hits(&p);
    gv_core_set_input(c, &p, "file");
    keys(c, "g");
    cr_assert_eq(c->job.kind, GV_JOB_GENERATE);
    cr_assert_eq(c->job.opts.cond.lanes, 3);
    cr_assert(strstr(c->msg, "3 lanes"), "%s", c->msg);
    gv_core_free(c);
}

/* The lock key on the cursor's row; caps and densities on voice rows; all
 * of them go into the job. */
Test(core, locks_caps_and_voice_density_go_into_the_job)
{
    gv_core *c = new_core();
    gv_core_set_model(c, "m", 8);
    gv_core_set_model_cond(c, 1);
    gv_pattern p;
    set_hits(&p);
    gv_core_set_input(c, &p, "x");
    cr_assert_eq(gv_core_row_voice[c->cur_row], GV_KICK);
    keys(c, "L");
    cr_assert_eq(c->set.lock, 1u << GV_KICK);
    cr_assert(strstr(c->msg, "kick locked"), "%s", c->msg);
    gv_core_key(c, GV_KEY_UP, 0); /* snare */
    keys(c, "L;;;");           /* no cap -> 16 -> 12 -> 8 */
    cr_assert_eq(c->set.cap[GV_SNARE], 8);
    keys(c, "'");
    cr_assert_eq(c->set.cap[GV_SNARE], 12);
    keys(c, "))(");
    cr_assert_float_eq(c->set.vdens[GV_SNARE], 1.25f, 1e-6);
    gv_core_key(c, GV_KEY_UP, 0); /* low tom: silent, capped at 0 */
    for (int i = 0; i < 20; i++)
        keys(c, "(;");
    cr_assert_float_eq(c->set.vdens[GV_LTOM], 0, 0);
    cr_assert_eq(c->set.cap[GV_LTOM], 0);
    keys(c, "''''''''''");
    cr_assert_eq(c->set.cap[GV_LTOM], -1, "past 16 is no cap");
    keys(c, "g");
    cr_assert(c->job_pending);
    const gv_gen_opts *o = &c->job.opts;
    cr_assert_eq(o->cond.keep, 1u << GV_KICK | 1u << GV_SNARE);
    cr_assert_eq(o->max_hits[GV_SNARE], 12);
    cr_assert_eq(o->max_hits[GV_KICK], -1);
    cr_assert_float_eq(o->voice_density[GV_SNARE], 1.25f, 1e-6);
    cr_assert_float_eq(o->voice_density[GV_LTOM], 0, 0);
    cr_assert_float_eq(o->voice_density[GV_CHAT], 1, 0);
    cr_assert(strstr(c->msg, "keeping kick,snare"), "%s", c->msg);
    keys(c, "L");
    cr_assert(c->set.lock >> GV_LTOM & 1u);
    keys(c, "L");
    cr_assert_not(c->set.lock >> GV_LTOM & 1u);
    /* all nine locked would leave nothing to generate: refused */
    c->set.lock = ((1u << GV_VOICES) - 1) & ~(1u << GV_LTOM);
    keys(c, "L");
    cr_assert_not(c->set.lock >> GV_LTOM & 1u);
    cr_assert(strstr(c->msg, "nothing to generate"), "%s", c->msg);
    gv_core_free(c);
}

static void assert_voices_kept(const gv_core *c, const gv_pattern *in, unsigned mask)
{
    for (int i = 0; i < c->nsugg; i++)
        for (int s = 0; s < 32; s++)
            for (int v = 0; v < GV_VOICES; v++) {
                if (!(mask >> v & 1u))
                    continue;
                const gv_pattern *q = &c->sugg[i].pat;
                cr_assert_eq(q->hit[s][v], in->hit[s][v], "suggestion %d step %d voice %d", i, s, v);
                cr_assert_eq(q->vel[s][v], in->vel[s][v], "suggestion %d step %d voice %d", i, s, v);
                cr_assert_eq(q->off[s][v], in->off[s][v], "suggestion %d step %d voice %d", i, s, v);
            }
}

/* With a conditioned model, locked voices come back exactly in every
 * suggestion: generated (1 and 3 lanes) and variations. */
Test(core, locked_voices_are_kept_in_every_suggestion)
{
    make_model_cond();
    gv_core *c = new_core();
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    gv_core_set_model_cond(c, 1);
    gv_pattern p;
    set_hits(&p);
    gv_core_set_input(c, &p, "x");
    keys(c, "L"); /* kick */
    gv_core_key(c, GV_KEY_UP, 0);
    keys(c, "L"); /* snare */
    unsigned mask = 1u << GV_KICK | 1u << GV_SNARE;
    keys(c, "NNNN");
    c->next_seed = 5;
    keys(c, "g");
    run_job(c);
    cr_assert_eq(c->nsugg, 8);
    assert_voices_kept(c, &p, mask);
    keys(c, "aa"); /* 3 lanes */
    keys(c, "g");
    run_job(c);
    assert_voices_kept(c, &p, mask);
    keys(c, "v");
    run_job(c);
    cr_assert_str_eq(c->sugg[1].meta.kind, "vary");
    assert_voices_kept(c, &p, mask);
    done(c);
}

/* An old model (the groove alone) refuses locks and humanize in the
 * engine's words; 3 lanes read as 1. */
Test(core, an_old_model_says_what_it_cannot_take)
{
    make_model();
    gv_core *c = new_core();
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    gv_pattern p;
    set_hits(&p);
    gv_core_set_input(c, &p, "x");
    c->set.lanes = 3; /* as a tap on two rows sets it */
    keys(c, "g");
    cr_assert_eq(run_job_rc(c), 0);
    cr_assert_eq(c->nsugg, 4);
    keys(c, "H");
    cr_assert_eq(run_job_rc(c), -1);
    cr_assert(c->msg_err);
    cr_assert(strstr(c->msg, "humanize failed: this model takes the groove alone"), "%s", c->msg);
    cr_assert_eq(memcmp(&c->input, &p, sizeof p), 0, "the input changed");
    keys(c, "L");
    keys(c, "g");
    cr_assert_eq(run_job_rc(c), -1);
    cr_assert(strstr(c->msg, "generation failed: this model takes the groove alone"), "%s", c->msg);
    done(c);
}

/* Humanize keeps every hit, changes velocity and timing, says by how much,
 * and u gives the input back. */
Test(core, humanize_replaces_the_input_undoably)
{
    make_model_cond();
    gv_core *c = new_core();
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    gv_core_set_model_cond(c, 1);
    gv_pattern p;
    gv_pattern_init(&p, 32, 100, "flat");
    for (int s = 0; s < 32; s += 2) /* quantized, one velocity: a programmed beat */
        gv_pattern_set(&p, s, s % 8 == 4 ? GV_SNARE : s % 8 ? GV_CHAT : GV_KICK, 1, 0.7f, 0);
    gv_core_set_input(c, &p, "programmed");
    int undo = c->nundo;
    keys(c, "H");
    cr_assert_eq(c->job.kind, GV_JOB_HUMANIZE);
    cr_assert_eq(c->job.n, 1);
    cr_assert(c->job.opts.cond.humanize);
    cr_assert_float_eq(c->job.opts.temperature, c->set.temperature, 0);
    run_job(c);
    cr_assert_eq(c->nsugg, 0, "humanize made suggestions");
    cr_assert_eq(memcmp(c->input.hit, p.hit, sizeof p.hit), 0, "humanize changed the hits");
    float dv, doff;
    cr_assert_eq(gv_core_feel_change(&p, &c->input, &dv, &doff), 16);
    cr_assert(dv > 0 || doff > 0, "nothing changed");
    cr_assert(strstr(c->msg, "humanized 16 hits: velocity moved"), "%s", c->msg);
    cr_assert_str_eq(c->input_src, "humanized");
    cr_assert_eq(c->nundo, undo + 1);
    keys(c, "u");
    cr_assert_eq(memcmp(&c->input, &p, sizeof p), 0, "undo did not give the input back");
    /* the same seed, the same humanized input */
    gv_pattern first;
    c->next_seed = 77;
    keys(c, "H");
    run_job(c);
    first = c->input;
    keys(c, "u");
    c->next_seed = 77;
    keys(c, "H");
    run_job(c);
    cr_assert_eq(memcmp(&first, &c->input, sizeof first), 0);
    /* an input edited while humanizing stays */
    keys(c, "u");
    keys(c, "H");
    keys(c, "x");
    gv_pattern edited = c->input;
    run_job(c);
    cr_assert_eq(memcmp(&edited, &c->input, sizeof edited), 0);
    cr_assert(strstr(c->msg, "changed while humanizing"), "%s", c->msg);
    done(c);
}

/* g on an empty input draws from the prior as `groove sample` does. */
Test(core, generate_from_nothing)
{
    make_model();
    gv_core *c = new_core();
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    c->next_seed = 9;
    keys(c, "g");
    cr_assert_eq(c->job.kind, GV_JOB_SAMPLE);
    run_job(c);
    cr_assert_eq(c->nsugg, 4);
    /* the same latents and hits as the sample path */
    gv_gen_opts o = c->job.opts;
    float z[4 * 8];
    gv_pattern out[4];
    cr_assert_eq(o.sampling, GV_SAMPLING_BERNOULLI);
    gv_gen_prior_latents(&model, 1, 4, &o, z);
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, 4);
    gv_err e;
    cr_assert_eq(gv_gen_decode(&model, z, 4, 32, c->set.bpm, &o, out, ws, &e), 0, "%s", e.msg);
    gv_gen_ws_free(ws);
    for (int i = 0; i < 4; i++) {
        cr_assert_str_eq(c->sugg[i].meta.kind, "sample");
        cr_assert_not(c->sugg[i].meta.has_groove);
        cr_assert_eq(memcmp(c->sugg[i].pat.hit, out[i].hit, sizeof out[i].hit), 0, "suggestion %d", i);
        cr_assert_eq(memcmp(c->sugg[i].meta.z, z + 8 * i, sizeof(float) * 8), 0);
    }
    done(c);
}

/* Lanes, locks, caps and voice densities are saved with the session; a
 * session from before them loads with none. */
Test(core, session_keeps_the_voice_settings)
{
    gv_core *c = new_core();
    keys(c, "aaL");
    gv_core_key(c, GV_KEY_UP, 0);
    keys(c, ";;)))");
    char path[400];
    tmp_path(path, sizeof path, "state/groove/session.json");
    gv_err e;
    cr_assert_eq(gv_session_save(c, path, &e), 0, "%s", e.msg);
    gv_core *d = new_core();
    cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
    cr_assert_eq(d->set.lanes, 3);
    cr_assert_eq(d->set.lock, 1u << GV_KICK);
    cr_assert_eq(d->set.cap[GV_SNARE], 12);
    cr_assert_eq(d->set.cap[GV_KICK], -1);
    cr_assert_float_eq(d->set.vdens[GV_SNARE], 1.75f, 1e-6);
    cr_assert_float_eq(d->set.vdens[GV_KICK], 1, 0);
    /* an old session: none of them */
    const char *old = "{\"version\":1,\"settings\":{\"bpm\":99},\"input\":{\"steps\":32,\"hits\":[]}}";
    cr_assert_eq(gv_write_atomic(path, old, strlen(old), &e), 0, "%s", e.msg);
    cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
    cr_assert_float_eq(d->set.bpm, 99, 0);
    cr_assert_eq(d->set.lanes, 1);
    cr_assert_eq(d->set.lock, 0);
    for (int v = 0; v < GV_VOICES; v++) {
        cr_assert_eq(d->set.cap[v], -1);
        cr_assert_float_eq(d->set.vdens[v], 1, 0);
    }
    /* odd values are their defaults, not a refused session */
    const char *odd = "{\"version\":1,\"settings\":{\"lanes\":7,\"locked\":\"kick,cowbell\",\"caps\":[\"x\",99],"
                      "\"voice_density\":[-3,null,1e9]},\"input\":{\"steps\":32,\"hits\":[]}}";
    cr_assert_eq(gv_write_atomic(path, odd, strlen(odd), &e), 0, "%s", e.msg);
    cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
    cr_assert_eq(d->set.lanes, 3);
    cr_assert_eq(d->set.lock, 0);
    cr_assert_eq(d->set.cap[0], -1);
    cr_assert_eq(d->set.cap[1], 32);
    cr_assert_float_eq(d->set.vdens[0], 0, 0);
    cr_assert_float_eq(d->set.vdens[1], 1, 0);
    cr_assert_float_eq(d->set.vdens[2], GV_VDENS_MAX, 0);
    gv_core_free(c);
    gv_core_free(d);
}

/* The action table names every action once, gives it a help line, and its
 * help pairs point forward to an action that is listed second only. */
Test(keymap, action_table_is_whole)
{
    for (int a = 1; a < GV_A_COUNT; a++) {
        const char *name = gv_action_name((gv_action)a);
        cr_assert(strcmp(name, "none"), "action %d has no name", a);
        cr_assert_eq(gv_action_parse(name), a, "%s", name);
        cr_assert(gv_action_help((gv_action)a)[0], "%s has no help", name);
        const char *line = NULL;
        gv_action b = gv_action_pair((gv_action)a, &line);
        if (b != GV_A_NONE) {
            cr_assert((int)b > a && line && line[0], "%s", name);
            cr_assert(gv_action_paired(b) && !gv_action_paired((gv_action)a), "%s", name);
        }
    }
    cr_assert_eq(gv_action_pair(GV_A_TEMPO_DOWN, NULL), GV_A_TEMPO_UP);
    cr_assert_eq(gv_action_pair(GV_A_TEMPO_UP, NULL), GV_A_NONE);
}

/* What front ends change goes through the session's functions, so that the
 * session is marked for saving and the playing pattern follows. */
Test(core, front_end_changes_keep_the_invariants)
{
    gv_core *c = gv_core_new(NULL);
    gv_core_mark_clean(c);
    unsigned serial = c->play_serial;
    gv_core_set_tempo(c, 133.5f); /* a followed MIDI clock */
    cr_assert_float_eq(c->set.bpm, 133.5f, 1e-4);
    cr_assert_float_eq(c->play.bpm, 133.5f, 1e-4);
    cr_assert(c->session_dirty);
    cr_assert_eq(c->play_serial, serial); /* the tempo goes to the transport, not a new pattern */
    gv_core_set_tempo(c, 1000);
    cr_assert_float_eq(c->set.bpm, GV_BPM_MAX, 1e-4);
    /* tap: the audio's anchor moves the grid; a pad records only in tap mode */
    cr_assert_eq(gv_core_tap_hit(c, 0, GV_KICK, 1), 0);
    gv_core_action(c, GV_A_TAP, 10.0);
    gv_core_tap_anchor(c, 11.0);
    double beat = 60.0 / c->tap.bpm;
    cr_assert_eq(gv_core_tap_hit(c, 11.0 + 4 * beat, GV_SNARE, 0.9f), 1);
    cr_assert_eq(c->tap.n, 1);
    cr_assert_float_eq(c->tap.ev[0].t, 0, 1e-9);
    /* MIDI names as asked and as opened */
    gv_core_set_midi(c, "out port", NULL, 1);
    cr_assert_str_eq(c->midi_out, "out port");
    cr_assert_str_eq(c->midi_in, "");
    cr_assert_eq(c->midi_clock, 1);
    /* the help page stays within the pages there are */
    c->mode = GV_MODE_NORMAL;
    gv_core_action(c, GV_A_HELP, 0);
    for (int i = 0; i < 5; i++)
        gv_core_key(c, ' ', 0);
    cr_assert_eq(gv_core_help_page(c, 2), 1);
    gv_core_key(c, GV_KEY_UP, 0);
    cr_assert_eq(c->help_page, 0);
    gv_core_key(c, GV_KEY_OTHER, 0); /* any other key closes the help */
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    gv_core_free(c);
}

/* The model key asks the front end for the next model, but not while a job
 * is out (its result belongs to the present model): that gets a message. */
Test(core, the_model_key_asks_between_jobs_only)
{
    gv_core *c = new_core();
    gv_core_set_model(c, "default", 8);
    gv_core_key(c, 'O', 0);
    cr_assert_eq(c->model_request, 1, "O asks for the next model");
    c->model_request = 0;
    c->job_pending = 1;
    unsigned serial = c->msg_serial;
    gv_core_key(c, 'O', 0);
    cr_assert_eq(c->model_request, 0, "not while a job waits");
    cr_assert_neq(c->msg_serial, serial);
    cr_assert(c->msg_err && strstr(c->msg, "generating"), "%s", c->msg);
    c->job_pending = 0;
    gv_core_free(c);
}

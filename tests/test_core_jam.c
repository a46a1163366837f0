/* test_core_jam.c - the live jam through the session, without a terminal,
 * audio or thread (issue 21): a fake clock (times in seconds, the jam
 * anchored at T0), taps at scripted times, the regeneration jobs run here
 * as the TUI's worker would run them, the controls, and the export.  The
 * model is a small random one: that the drums are the model's drumify of
 * each window is test_jam.c's, on the shipped model. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "engine/generate.h"
#include "patterns/smf.h"
#include "session/core.h"
#include "session/session.h"
#include "tests/helpers.h"

#define T0 100.0
#define BPM 120.f /* 8 steps a second */

static char tmpdir[256];
static gv_model model;

static void setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gv_core_jam_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
    gv_err e;
    cr_assert_eq(gv_test_small_model(&model, GV_SRC_FEATURES, 0.3f, &e), 0, "%s", e.msg);
}

static void teardown(void)
{
    gv_model_free(&model);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(core_jam, .init = setup, .fini = teardown);

/* Clock time of jam step s. */
static double at(double s) { return T0 + s * 15.0 / BPM; }

static gv_core *jam_core(void)
{
    char lib[300];
    snprintf(lib, sizeof lib, "%s/library", tmpdir);
    gv_core *c = gv_core_new(lib);
    cr_assert_not_null(c);
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    gv_core_set_tempo(c, BPM);
    gv_core_set_seed(c, 5);
    snprintf(c->jam_dir, sizeof c->jam_dir, "%s", tmpdir);
    return c;
}

static void start(gv_core *c)
{
    gv_core_key(c, 'J', T0 - 1);
    cr_assert(c->jam.on, "%s", c->msg);
    gv_core_jam_anchor(c, T0); /* the front end: its transport's step 0 is heard at T0 */
}

/* The pending job run as the worker runs it, handed back. */
static void run_job(gv_core *c)
{
    const gv_job *j = gv_core_take_job(c);
    cr_assert_not_null(j, "no job pending: %s", c->msg);
    cr_assert_eq(j->kind, GV_JOB_JAM);
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, GV_CORE_MAX_N);
    gv_job_result *r = malloc(sizeof *r);
    cr_assert(ws && r);
    cr_assert_eq(gv_job_run(&model, ws, j, r), 0, "%s", r->err);
    gv_core_finish_job(c, r);
    free(r);
    gv_gen_ws_free(ws);
}

/* A kick on every beat and a snare on 2 and 4 of bar b (keys z and a). */
static int play_bar(gv_core *c, int b)
{
    int n = 0;
    for (int beat = 0; beat < 4; beat++) {
        double s = b * 16 + beat * 4;
        gv_core_tick(c, at(s));
        n += gv_core_jam_key(c, 'z', at(s + 0.1)); /* a little late: the offset is kept */
        if (beat % 2)
            n += gv_core_jam_key(c, 'a', at(s));
    }
    return n;
}

Test(core_jam, taps_regenerate_at_bar_lines_and_swap_at_the_next)
{
    gv_core *c = jam_core();
    start(c);
    cr_assert_eq(c->play_src, GV_PLAY_JAM);
    cr_assert(c->playing);
    cr_assert_eq(c->jam.take.nswaps, 1); /* what played goes on from step 0 */
    cr_assert_eq(play_bar(c, 0), 6);
    cr_assert_eq(c->jam.take.ntaps, 6);
    cr_assert_float_eq(c->jam.take.taps[0].step, 0.1, 1e-6);
    cr_assert_eq(c->jam.take.taps[0].note, gv_voice_note(GV_KICK));
    cr_assert_not(c->job_pending);
    /* the bar line: a request for the window, to take over at the next */
    gv_core_tick(c, at(16.01));
    cr_assert(c->job_pending);
    cr_assert_eq(c->job.jreq.at, 16);
    cr_assert_eq(c->job.jreq.swap, 32);
    cr_assert_eq(c->job.jreq.taps, 6);
    cr_assert_eq(c->job.jreq.index, 0);
    cr_assert(c->job.jreq.groove.hit[0][GV_KICK] && c->job.jreq.groove.hit[4][GV_SNARE]);
    cr_assert_float_eq(c->job.jreq.groove.off[0][GV_KICK], 0.1f, 1e-5);
    run_job(c);
    cr_assert(c->jam.ready);
    unsigned serial = c->play_serial;
    gv_core_tick(c, at(17));
    cr_assert_neq(c->play_serial, serial);
    cr_assert(c->play_next_bar);
    cr_assert_not(c->play_beat);
    cr_assert_eq(c->jam.take.nswaps, 2);
    cr_assert_eq(c->jam.take.swaps[1].at, 32);
    cr_assert_eq(c->jam.cur_at, 32);
    cr_assert_eq(memcmp(c->play.hit, c->jam.cur.hit, sizeof c->play.hit), 0);
    cr_assert_eq(c->jam.regens, 1);
    cr_assert_eq(c->jam.late, 0);
    cr_assert(gv_jam_history(&c->jam.j, 2).regenerated);
    cr_assert_eq(gv_jam_history(&c->jam.j, 0).taps, 6);
    /* one request per bar line while the player plays */
    play_bar(c, 1);
    gv_core_tick(c, at(32.2));
    cr_assert(c->job_pending);
    cr_assert_eq(c->job.jreq.at, 32);
    cr_assert_eq(c->job.jreq.index, 1);
    gv_core_free(c);
}

Test(core_jam, a_late_pattern_takes_the_next_line_and_beats_queue_on_beats)
{
    gv_core *c = jam_core();
    start(c);
    play_bar(c, 0);
    gv_core_tick(c, at(16.01));
    run_job(c);
    gv_core_tick(c, at(31.8)); /* too late for 32: the transport needs half a step */
    cr_assert_eq(c->jam.cur_at, 48);
    cr_assert_eq(c->jam.late, 1);
    /* every beat (F9: bar -> 2 bars -> beat) */
    gv_core_key(c, GV_KEY_F(9), at(40));
    cr_assert_eq(c->set.jam.every, GV_JAM_EVERY_2BARS);
    gv_core_key(c, GV_KEY_F(9), at(40));
    cr_assert_eq(c->set.jam.every, GV_JAM_EVERY_BEAT);
    cr_assert_eq(c->jam.j.set.every, GV_JAM_EVERY_BEAT);
    gv_core_jam_key(c, 'x', at(41));
    gv_core_tick(c, at(44.0));
    cr_assert(c->job_pending);
    cr_assert_eq(c->job.jreq.at, 44);
    cr_assert_eq(c->job.jreq.swap, 48);
    run_job(c);
    gv_core_tick(c, at(44.5));
    cr_assert(c->play_beat);
    cr_assert_eq(c->jam.cur_at, 48);
    gv_core_free(c);
}

Test(core_jam, hold_freezes_silence_keeps_the_drums)
{
    gv_core *c = jam_core();
    start(c);
    play_bar(c, 0);
    gv_core_key(c, GV_KEY_F(8), at(15)); /* hold */
    cr_assert(c->set.jam.hold && c->jam.j.set.hold);
    gv_core_tick(c, at(16.1));
    cr_assert_not(c->job_pending, "no request while holding");
    cr_assert_eq(play_bar(c, 1), 6, "taps still record");
    gv_core_key(c, GV_KEY_F(8), at(31)); /* follow again */
    gv_core_tick(c, at(32.1));
    cr_assert(c->job_pending);
    run_job(c);
    gv_core_tick(c, at(33));
    gv_core_tick(c, at(48.1)); /* bar 1's taps are still in the window */
    run_job(c);
    gv_core_tick(c, at(49));
    unsigned serial = c->play_serial;
    gv_pattern playing = c->play;
    /* the player stopped after bar 1: two bars on, no window, no request;
     * the drums stay */
    gv_core_tick(c, at(64.1));
    gv_core_tick(c, at(80.1));
    cr_assert_not(c->job_pending);
    cr_assert_eq(c->play_serial, serial);
    cr_assert(c->playing);
    cr_assert_eq(memcmp(c->play.hit, playing.hit, sizeof playing.hit), 0);
    /* and follow when the player comes back */
    play_bar(c, 5);
    gv_core_tick(c, at(96.1));
    cr_assert(c->job_pending);
    gv_core_free(c);
}

Test(core_jam, letters_tap_controls_sit_on_other_keys)
{
    gv_core *c = jam_core();
    float temp = c->set.temperature;
    int n = c->set.n;
    start(c);
    /* a key of the normal mode does not act: letters tap, others do nothing */
    gv_core_key(c, 'n', at(1));     /* fewer suggestions elsewhere; a kick here */
    gv_core_key(c, 'q', at(2));     /* hat */
    gv_core_key(c, 'Q', at(3));     /* accent */
    gv_core_key(c, ' ', at(4));     /* kick */
    gv_core_key(c, '1', at(5));     /* nothing */
    cr_assert_eq(c->set.n, n);
    cr_assert_eq(c->jam.take.ntaps, 4);
    cr_assert_eq(c->jam.take.taps[1].voice, GV_CHAT);
    cr_assert_float_eq(c->jam.take.taps[2].vel, GV_TAP_ACCENT, 1e-6);
    gv_core_key(c, GV_KEY_F(3), at(6));
    cr_assert_float_eq(c->set.temperature, temp + GV_TEMP_STEP, 1e-5);
    gv_core_key(c, GV_KEY_F(4), at(6));
    cr_assert_float_eq(c->set.density, 1 - GV_DENS_STEP, 1e-5);
    gv_core_key(c, GV_KEY_F(6), at(6));
    gv_core_key(c, GV_KEY_F(6), at(6));
    cr_assert_float_eq(c->set.jam.follow, 0.8f, 1e-5);
    cr_assert_float_eq(c->jam.j.set.follow, 0.8f, 1e-5);
    gv_core_key(c, GV_KEY_F(10), at(6));
    cr_assert_eq(c->set.jam.feel, 0);
    /* the cursor voice's cap and mute */
    c->cur_row = GV_VOICES - 1; /* kick */
    cr_assert_eq(gv_core_row_voice[c->cur_row], GV_KICK);
    gv_core_key(c, GV_KEY_LEFT, at(6));
    cr_assert_eq(c->set.cap[GV_KICK], 16);
    gv_core_key(c, GV_KEY_UP, at(6));
    cr_assert_eq(c->cur_row, GV_VOICES - 2);
    gv_core_key(c, GV_KEY_DEL, at(6));
    int v = gv_core_row_voice[GV_VOICES - 2];
    cr_assert(c->set.jam.mute >> v & 1u);
    /* the job takes them: temperature, density, cap, follow, the model's feel */
    play_bar(c, 1);
    gv_core_tick(c, at(32.1));
    cr_assert(c->job_pending);
    cr_assert_float_eq(c->job.opts.temperature, c->set.temperature, 1e-6);
    cr_assert_float_eq(c->job.opts.density, c->set.density, 1e-6);
    cr_assert_eq(c->job.opts.max_hits[GV_KICK], 16);
    cr_assert_float_eq(c->job.jfollow, 0.8f, 1e-6);
    gv_feel model_feel = gv_core_feel(GV_FEEL_P_MODEL);
    cr_assert_eq(memcmp(&c->job.opts.feel, &model_feel, sizeof model_feel), 0);
    run_job(c);
    gv_core_tick(c, at(33));
    for (int s = 0; s < GV_JAM_STEPS; s++)
        cr_assert_not(c->jam.cur.hit[s][v], "a muted voice does not play");
    /* help opens on F1 and the jam goes on under it */
    gv_core_key(c, GV_KEY_F(1), at(34));
    cr_assert_eq(c->mode, GV_MODE_HELP);
    gv_core_key(c, 'x', at(34));
    cr_assert_eq(c->mode, GV_MODE_NORMAL);
    cr_assert(c->jam.on);
    gv_core_free(c);
}

Test(core_jam, mute_replaces_what_plays_from_the_next_line)
{
    gv_core *c = jam_core();
    gv_pattern p;
    gv_pattern_init(&p, 32, BPM, "beat");
    for (int s = 0; s < 32; s += 4)
        gv_pattern_set(&p, s, GV_KICK, 1, 0.8f, 0);
    gv_pattern_set(&p, 4, GV_SNARE, 1, 0.8f, 0);
    gv_core_set_input(c, &p, "test");
    start(c);
    cr_assert(c->play.hit[0][GV_KICK], "the input plays until the first new drums");
    c->cur_row = GV_VOICES - 1;
    gv_core_key(c, GV_KEY_DEL, at(5));
    cr_assert_eq(c->jam.cur_at, 16);
    cr_assert_eq(c->jam.take.nswaps, 2);
    cr_assert_not(c->play.hit[0][GV_KICK]);
    cr_assert(c->play.hit[4][GV_SNARE]);
    gv_core_key(c, GV_KEY_DEL, at(6)); /* unmute before the line: the same line */
    cr_assert_eq(c->jam.take.nswaps, 2);
    cr_assert(c->play.hit[0][GV_KICK]);
    gv_core_free(c);
}

/* The file holds the taps and one drums track ending within [lo, hi]
 * steps (its last note). */
static void check_export(const char *path, int taps, double lo, double hi)
{
    unsigned char *data;
    size_t len;
    gv_err e;
    cr_assert_eq(gv_read_file(path, 1 << 24, &data, &len, &e), 0, "%s", e.msg);
    gv_score tp, dr;
    cr_assert_eq(gv_smf_parse(data, len, 1, &tp, &e), 0, "%s", e.msg);
    cr_assert_eq(tp.n, taps);
    cr_assert_eq(gv_smf_parse(data, len, 10, &dr, &e), 0, "%s", e.msg);
    cr_assert_geq(dr.total_steps, lo, "%g", dr.total_steps);
    cr_assert_leq(dr.total_steps, hi, "%g", dr.total_steps);
    gv_score_free(&tp);
    gv_score_free(&dr);
    free(data);
}

Test(core_jam, esc_ends_and_exports_the_take)
{
    gv_core *c = jam_core();
    start(c);
    int taps = 0;
    for (int b = 0; b < 8; b++) {
        taps += play_bar(c, b);
        gv_core_tick(c, at(b * 16 + 16.01));
        run_job(c);
        gv_core_tick(c, at(b * 16 + 16.5));
    }
    cr_assert_eq(c->jam.regens, 8);
    cr_assert_eq(c->jam.late, 0);
    gv_core_jam_hit(c, at(127.9), 60, GV_SNARE, 0.5f); /* a pad: its own note */
    taps++;
    gv_core_key(c, GV_KEY_ESC, at(130));
    cr_assert_not(c->jam.on);
    cr_assert_not(c->playing);
    cr_assert_eq(c->play_src, GV_PLAY_INPUT);
    cr_assert(c->jam.path[0], "%s", c->msg);
    cr_assert(strstr(c->msg, c->jam.path), "%s", c->msg);
    cr_assert_eq(strncmp(c->jam.path, tmpdir, strlen(tmpdir)), 0);
    check_export(c->jam.path, taps, 100, 160); /* 9 bars played: 5 parts of 2 bars */
    /* a pattern that comes back after the end is dropped */
    cr_assert_eq(gv_core_jam_hit(c, at(131), 60, GV_SNARE, 0.5f), 0);
    /* a jam with no taps exports nothing */
    start(c);
    gv_core_key(c, GV_KEY_ESC, at(20));
    cr_assert(strstr(c->msg, "nothing"), "%s", c->msg);
    gv_core_free(c);
}

Test(core_jam, export_and_keep_keys_while_jamming)
{
    gv_core *c = jam_core();
    gv_pattern p;
    gv_pattern_init(&p, 32, BPM, "beat");
    gv_pattern_set(&p, 0, GV_KICK, 1, 0.8f, 0);
    gv_core_set_input(c, &p, "test"); /* the drums until the first new ones */
    start(c);
    play_bar(c, 0);
    gv_core_tick(c, at(16.1));
    run_job(c);
    gv_core_tick(c, at(17));
    gv_core_key(c, GV_KEY_F(11), at(20));
    cr_assert(c->jam.path[0], "%s", c->msg);
    cr_assert(c->jam.on);
    check_export(c->jam.path, 6, 0, 32); /* the new drums take over at 32: not yet heard */
    gv_core_key(c, GV_KEY_F(12), at(40));
    cr_assert(strstr(c->msg, "kept"), "%s", c->msg);
    gv_lib_entry *lib = NULL;
    int n = 0;
    gv_err e;
    cr_assert_eq(gv_library_list(c->libdir, &lib, &n, &e), 0, "%s", e.msg);
    cr_assert_eq(n, 1);
    free(lib);
    gv_core_free(c);
}

Test(core_jam, controls_are_saved_and_old_sessions_load)
{
    gv_core *c = jam_core();
    gv_core_action(c, GV_A_HOLD, 0);
    gv_core_action(c, GV_A_EVERY, 0);
    gv_core_action(c, GV_A_FOLLOW_DOWN, 0);
    gv_core_action(c, GV_A_JAM_FEEL, 0);
    c->cur_row = GV_VOICES - 1;
    gv_core_action(c, GV_A_MUTE, 0);
    cr_assert(c->session_dirty);
    char path[400];
    snprintf(path, sizeof path, "%s/session.json", tmpdir);
    gv_err e;
    cr_assert_eq(gv_session_save(c, path, &e), 0, "%s", e.msg);
    gv_core *d = jam_core();
    cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
    cr_assert_eq(d->set.jam.hold, 1);
    cr_assert_eq(d->set.jam.every, GV_JAM_EVERY_2BARS);
    cr_assert_float_eq(d->set.jam.follow, 0.9f, 1e-5);
    cr_assert_eq(d->set.jam.feel, 0);
    cr_assert_eq(d->set.jam.mute, 1u << GV_KICK);
    /* the shipped fixture (before the jam): the defaults */
    char fx[600];
    snprintf(fx, sizeof fx, "%s/tests/fixtures/session.json", gv_test_root());
    cr_assert_eq(gv_session_load(d, fx, &e), 0, "%s", e.msg);
    cr_assert_eq(d->set.jam.every, GV_JAM_EVERY_BAR);
    cr_assert_float_eq(d->set.jam.follow, 1, 0);
    cr_assert_eq(d->set.jam.hold, 0);
    cr_assert_eq(d->set.jam.feel, 1);
    cr_assert_eq(d->set.jam.mute, 0);
    /* odd values: their defaults */
    const char *odd = "{\"version\":1,\"settings\":{\"jam\":{\"every\":\"fortnight\",\"follow\":7,\"hold\":3,"
                      "\"muted\":\"cowbell\"}},\"input\":{\"steps\":32,\"hits\":[]}}";
    cr_assert_eq(gv_write_atomic(path, odd, strlen(odd), &e), 0, "%s", e.msg);
    cr_assert_eq(gv_session_load(d, path, &e), 0, "%s", e.msg);
    cr_assert_eq(d->set.jam.every, GV_JAM_EVERY_BAR);
    cr_assert_float_eq(d->set.jam.follow, 1, 0);
    cr_assert_eq(d->set.jam.hold, 0);
    cr_assert_eq(d->set.jam.mute, 0);
    gv_core_free(c);
    gv_core_free(d);
}

Test(core_jam, no_model_no_jam_and_ctrl_c_ends_it)
{
    gv_core *c = gv_core_new(NULL);
    gv_core_key(c, 'J', 0);
    cr_assert_not(c->jam.on);
    cr_assert(c->msg_err && strstr(c->msg, "model"), "%s", c->msg);
    gv_core_free(c);
    c = jam_core();
    start(c);
    gv_core_jam_key(c, 'z', at(1));
    gv_core_tick(c, at(2));
    gv_core_interrupt(c);
    cr_assert_not(c->jam.on);
    cr_assert(c->jam.path[0]);
    cr_assert(c->quit || c->mode == GV_MODE_CONFIRM);
    gv_core_free(c);
}

Test(core_jam, clock_readings_carry_the_timeline)
{
    gv_core *c = jam_core();
    start(c);
    cr_assert_float_eq(gv_core_jam_step(c, at(3)), 3, 1e-9);
    /* a transport says it is at step 40 (heard) at T0 + 1 s */
    gv_core_jam_clock(c, T0 + 1, 40, 2);
    cr_assert_float_eq(gv_core_jam_step(c, T0 + 1.5), 44, 1e-9);
    gv_core_jam_key(c, 'a', T0 + 1.5);
    cr_assert_float_eq(c->jam.take.taps[0].step, 44, 1e-9);
    /* before the start no tap */
    gv_core_jam_anchor(c, T0 + 10);
    cr_assert_eq(gv_core_jam_key(c, 'a', T0 + 9), 0);
    gv_core_free(c);
}

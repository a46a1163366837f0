/* test_takes.c - issue 22 in the TUI's session, with no terminal: the 2-bar
 * window moving through a whole take (keys, bounds, the backbeat start on
 * GMD takes that open with a pickup, FILE:BAR and --start-bar at the open
 * prompt, the take kept by the session file), and the history of batches
 * (32 kept, stepping back and on, a batch made again from its seed). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session/core.h"
#include "session/core_hist.h"
#include "session/core_take.h"
#include "session/session.h"
#include "engine/generate.h"
#include "patterns/load.h"
#include "tests/helpers.h"

static char tmpdir[256];

static void make_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gv_takes_XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmp(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(takes, .init = make_tmp, .fini = rm_tmp);

static gv_core *new_core(void)
{
    char lib[300];
    snprintf(lib, sizeof lib, "%s/library", tmpdir);
    gv_core *c = gv_core_new(lib);
    cr_assert_not_null(c);
    return c;
}

static void gmd(char *out, size_t n, const char *rel)
{
    snprintf(out, n, "%s/patterns/gmd/drummer1/session1/%s", gv_test_root(), rel);
}

/* The window the command line reads at 0-based bar b (--start-bar b+1). */
static void cli_window(const char *path, int b, gv_pattern *p)
{
    gv_load_opts o = {b, 2, -1};
    gv_err e;
    cr_assert_eq(gv_pattern_load(path, &o, p, NULL, 0, &e), 0, "%s", e.msg);
}

static void assert_input_is(const gv_core *c, const gv_pattern *w)
{
    cr_assert_eq(memcmp(c->input.hit, w->hit, sizeof(c->input.hit[0]) * GV_MODEL_STEPS), 0);
    cr_assert_eq(memcmp(c->input.vel, w->vel, sizeof(c->input.vel[0]) * GV_MODEL_STEPS), 0);
}

/* 102_funk opens on 10 empty steps and a pickup fill (the example),
 * 1_funk and 184_reggae on a pickup too: each opens at bar 2, the first full
 * bar with its backbeat, while the command line's default stays at bar 1. */
Test(takes, opens_at_the_first_full_bar_with_a_backbeat)
{
    static const char *const pickups[] = {"102_funk_95_beat_4-4.mid", "1_funk_80_beat_4-4.mid",
                                          "184_reggae_78_beat_4-4.mid"};
    for (size_t i = 0; i < sizeof pickups / sizeof pickups[0]; i++) {
        char path[512];
        gmd(path, sizeof path, pickups[i]);
        gv_pattern first, w;
        gv_load_opts o;
        gv_load_opts_default(&o);
        gv_err e;
        cr_assert_eq(gv_pattern_load(path, &o, &first, NULL, 0, &e), 0, "%s", e.msg);
        int s0 = 0;
        while (s0 < 16 && !memchr(first.hit[s0], 1, GV_VOICES))
            s0++;
        cr_assert_gt(s0, 0, "%s: its first note is on the bar line", pickups[i]);
        gv_core *c = new_core();
        cr_assert_eq(gv_core_open(c, path, &e), 0, "%s", e.msg);
        cr_assert(c->take.on);
        cr_assert_eq(c->take.bar, 1, "%s opens at bar %d", pickups[i], c->take.bar + 1);
        cr_assert(strstr(c->msg, "bars 2-3 of"), "%s", c->msg);
        cli_window(path, 1, &w);
        assert_input_is(c, &w);
        cr_assert(memchr(c->input.hit[0], 1, GV_VOICES), "%s: no downbeat", pickups[i]);
        gv_core_free(c);
    }
}

/* b / w move a bar, PgUp / PgDn a window; each window is the command line's
 * --start-bar window; the ends stop it with a message; u undoes a move. */
Test(takes, window_moves_by_bar_and_by_window)
{
    char path[512];
    gmd(path, sizeof path, "102_funk_95_beat_4-4.mid");
    gv_core *c = new_core();
    gv_err e;
    cr_assert_eq(gv_core_open(c, path, &e), 0, "%s", e.msg);
    int bars = c->take.bars;
    cr_assert_gt(bars, 40);
    gv_core_key(c, 'w', 0);
    cr_assert_eq(c->take.bar, 2);
    cr_assert(strstr(c->msg, "bars 3-4 of"), "%s", c->msg);
    gv_core_key(c, GV_KEY_PGDN, 0);
    cr_assert_eq(c->take.bar, 4);
    gv_core_key(c, 'b', 0);
    cr_assert_eq(c->take.bar, 3);
    gv_core_key(c, GV_KEY_PGUP, 0);
    cr_assert_eq(c->take.bar, 1);
    gv_pattern w;
    cli_window(path, 1, &w);
    assert_input_is(c, &w);
    for (int i = 0; i < 3; i++)
        gv_core_key(c, GV_KEY_PGUP, 0);
    cr_assert_eq(c->take.bar, 0);
    cr_assert(strstr(c->msg, "start of the file"), "%s", c->msg);
    for (int i = 0; i < bars; i++)
        gv_core_key(c, GV_KEY_PGDN, 0);
    cr_assert_eq(c->take.bar, bars - 2);
    cr_assert(strstr(c->msg, "end of the file"), "%s", c->msg);
    cli_window(path, bars - 2, &w);
    assert_input_is(c, &w);
    /* u takes the input back to the window before (the take's position is the keys') */
    gv_core_key(c, 'b', 0);
    cli_window(path, bars - 3, &w);
    assert_input_is(c, &w);
    gv_core_key(c, 'u', 0);
    cli_window(path, bars - 2, &w);
    assert_input_is(c, &w);
    gv_core_free(c);
}

/* o FILE:BAR and o FILE --start-bar K open at that bar (1-based); a bad bar
 * or one past the end says so and changes nothing. */
Test(takes, open_prompt_takes_a_bar)
{
    char path[512], arg[600];
    gmd(path, sizeof path, "102_funk_95_beat_4-4.mid");
    gv_core *c = new_core();
    gv_pattern w;
    snprintf(arg, sizeof arg, "o%s:20\r", path);
    for (const char *k = arg; *k; k++)
        gv_core_key(c, (unsigned char)*k, 0);
    cr_assert_not(c->msg_err, "%s", c->msg);
    cr_assert_eq(c->take.bar, 19);
    cr_assert(strstr(c->msg, "bars 20-21 of"), "%s", c->msg);
    cli_window(path, 19, &w);
    assert_input_is(c, &w);
    snprintf(arg, sizeof arg, "o%s --start-bar 7\r", path);
    for (const char *k = arg; *k; k++)
        gv_core_key(c, (unsigned char)*k, 0);
    cr_assert_eq(c->take.bar, 6, "%s", c->msg);
    cli_window(path, 6, &w);
    assert_input_is(c, &w);
    gv_err e;
    snprintf(arg, sizeof arg, "%s:999", path);
    cr_assert_neq(gv_core_open(c, arg, &e), 0);
    cr_assert(strstr(e.msg, "bar 999"), "%s", e.msg);
    snprintf(arg, sizeof arg, "%s --start-bar x", path);
    cr_assert_neq(gv_core_open(c, arg, &e), 0);
    cr_assert(strstr(e.msg, "the bar must be a number"), "%s", e.msg);
    cr_assert_eq(c->take.bar, 6);
    int bar;
    char file[64];
    cr_assert_eq(gv_take_parse_arg("rock-basic", file, sizeof file, &bar, &e), 0);
    cr_assert_eq(bar, 0);
    cr_assert_str_eq(file, "rock-basic");
    gv_core_free(c);
}

/* The session file keeps the take and its position; an old session file
 * (with no take) still loads. */
Test(takes, session_keeps_the_take)
{
    char path[512], arg[600], sess[300];
    gmd(path, sizeof path, "102_funk_95_beat_4-4.mid");
    snprintf(sess, sizeof sess, "%s/session.json", tmpdir);
    gv_core *c = new_core();
    gv_err e;
    snprintf(arg, sizeof arg, "%s:20", path);
    cr_assert_eq(gv_core_open(c, arg, &e), 0, "%s", e.msg);
    cr_assert_eq(gv_session_save(c, sess, &e), 0, "%s", e.msg);
    gv_core *d = new_core();
    cr_assert_eq(gv_session_load(d, sess, &e), 0, "%s", e.msg);
    cr_assert(d->take.on);
    cr_assert_eq(d->take.bar, 19);
    cr_assert_eq(d->take.bars, c->take.bars);
    cr_assert_eq(memcmp(d->take.hits, c->take.hits, sizeof d->take.hits), 0);
    gv_core_key(d, 'w', 0);
    gv_pattern w;
    cli_window(path, 20, &w);
    assert_input_is(d, &w);
    gv_core_free(d);
    gv_core *old = new_core();
    char fixture[512];
    snprintf(fixture, sizeof fixture, "%s/tests/fixtures/session.json", gv_test_root());
    cr_assert_eq(gv_session_load(old, fixture, &e), 0, "%s", e.msg);
    cr_assert_not(old->take.on);
    gv_core_key(old, 'w', 0);
    cr_assert(strstr(old->msg, "no file to move through"), "%s", old->msg);
    gv_core_free(old);
    gv_core_free(c);
}

/* ---- history ---- */

static gv_model model;

static void make_model(void)
{
    gv_config cfg = gv_test_config(16, 2, 32, 1, 16, 2, 32, 1, 8);
    for (int v = 0; v < GV_VOICES; v++)
        cfg.thresholds[v] = 0.5f;
    gv_err e;
    cr_assert_eq(gv_model_init_random(&model, &cfg, 7, &e), 0, "%s", e.msg);
}

static void run_job(gv_core *c, gv_gen_ws *ws)
{
    const gv_job *j = gv_core_take_job(c);
    cr_assert_not_null(j, "no job pending: %s", c->msg);
    gv_job_result *r = malloc(sizeof *r);
    cr_assert_not_null(r);
    cr_assert_eq(gv_job_run(&model, ws, j, r), 0, "%s", r->err);
    gv_core_finish_job(c, r);
    free(r);
}

/* 40 batches: the last 32 are kept with their seeds and settings; z and Z
 * step through them (the ends say so); R makes the shown batch again, the
 * same bytes as a new batch; u still undoes the input, not the batches. */
Test(takes, history_keeps_32_batches_and_regenerates_them)
{
    make_model();
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, GV_CORE_MAX_N);
    cr_assert_not_null(ws);
    gv_core *c = new_core();
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    char path[512];
    gmd(path, sizeof path, "102_funk_95_beat_4-4.mid");
    gv_err e;
    cr_assert_eq(gv_core_open(c, path, &e), 0, "%s", e.msg);
    c->next_seed = 100;
    c->set.n = 2;
    for (int i = 0; i < 40; i++) {
        c->set.temperature = (float)(i % 10) / 10;
        gv_core_key(c, 'g', 0);
        run_job(c, ws);
    }
    cr_assert_eq(c->nhist, GV_CORE_HISTORY);
    cr_assert_eq(c->hist_pos, 31);
    cr_assert_eq(gv_hist_at(c, 0)->job.opts.seed, 108, "the oldest kept is the 9th");
    cr_assert_eq(gv_hist_at(c, 31)->job.opts.seed, 139);
    gv_sugg newest = c->sugg[0];
    gv_core_key(c, 'z', 0);
    gv_core_key(c, 'z', 0);
    gv_core_key(c, 'z', 0);
    cr_assert_eq(c->hist_pos, 28);
    cr_assert(strstr(c->msg, "batch 29 of 32"), "%s", c->msg);
    cr_assert(strstr(c->msg, "seed 136"), "%s", c->msg);
    cr_assert_eq(c->sugg[0].meta.seed, gv_hist_at(c, 28)->s[0].meta.seed);
    gv_sugg shown = c->sugg[1];
    float temp = gv_hist_at(c, 28)->job.opts.temperature;
    cr_assert_float_eq(temp, 0.6f, 1e-6);
    /* made again from its seed and settings: the same bytes */
    gv_core_key(c, 'R', 0);
    run_job(c, ws);
    cr_assert_eq(c->hist_pos, 31);
    cr_assert_eq(gv_hist_at(c, 31)->job.opts.seed, 136);
    for (int t = 0; t < GV_MODEL_STEPS; t++) {
        cr_assert_eq(memcmp(c->sugg[1].pat.hit[t], shown.pat.hit[t], sizeof shown.pat.hit[t]), 0, "step %d", t);
        cr_assert_eq(memcmp(c->sugg[1].pat.vel[t], shown.pat.vel[t], sizeof shown.pat.vel[t]), 0, "step %d", t);
        cr_assert_eq(memcmp(c->sugg[1].pat.off[t], shown.pat.off[t], sizeof shown.pat.off[t]), 0, "step %d", t);
    }
    cr_assert_eq(memcmp(c->sugg[1].meta.z, shown.meta.z, sizeof shown.meta.z), 0);
    cr_assert_eq(c->sugg[1].meta.seed, shown.meta.seed);
    /* back to the one that was newest before, and past the ends */
    gv_core_key(c, 'z', 0);
    cr_assert_eq(memcmp(c->sugg[0].pat.hit, newest.pat.hit, sizeof newest.pat.hit), 0);
    for (int i = 0; i < 40; i++)
        gv_core_key(c, 'z', 0);
    cr_assert_eq(c->hist_pos, 0);
    cr_assert(strstr(c->msg, "oldest"), "%s", c->msg);
    for (int i = 0; i < 40; i++)
        gv_core_key(c, 'Z', 0);
    cr_assert_eq(c->hist_pos, 31);
    cr_assert(strstr(c->msg, "newest"), "%s", c->msg);
    /* undo is the input's: the window moved back, the batches stay */
    gv_core_key(c, 'w', 0);
    gv_core_key(c, 'u', 0);
    cr_assert_eq(c->nhist, 32);
    cr_assert_eq(c->hist_pos, 31);
    gv_core_free(c);
    gv_gen_ws_free(ws);
    gv_model_free(&model);
}

/* What was kept in a batch stays marked when the batch is shown again. */
Test(takes, history_keeps_marks)
{
    make_model();
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, GV_CORE_MAX_N);
    gv_core *c = new_core();
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    gv_err e;
    cr_assert_eq(gv_core_open(c, "rock-basic", &e), 0, "%s", e.msg);
    gv_core_key(c, 'g', 0);
    run_job(c, ws);
    cr_assert_eq(gv_core_keep(c, 0, &e), 0, "%s", e.msg);
    gv_core_key(c, 'g', 0);
    run_job(c, ws);
    cr_assert_not(c->sugg[0].kept);
    gv_core_key(c, 'z', 0);
    cr_assert(c->sugg[0].kept);
    gv_core_free(c);
    gv_gen_ws_free(ws);
    gv_model_free(&model);
}

/* The batches survive a restart (the session file): the last 32 with their
 * suggestions, marks, seeds (64 bits) and settings, the one shown; R in the
 * new run makes the shown batch again, the same bytes.  The song too. */
Test(takes, history_survives_a_restart)
{
    make_model();
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, GV_CORE_MAX_N);
    cr_assert_not_null(ws);
    gv_core *c = new_core();
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    gv_err e;
    cr_assert_eq(gv_core_open(c, "rock-basic", &e), 0, "%s", e.msg);
    c->next_seed = (1ull << 62) + 100; /* past what a JSON number holds exactly */
    c->set.n = 2;
    for (int i = 0; i < 34; i++) {
        c->set.temperature = (float)(i % 10) / 10;
        c->set.density = 1.f + (float)(i % 3) / 10;
        gv_core_key(c, 'g', 0);
        run_job(c, ws);
    }
    gv_core_key(c, 'v', 0); /* a batch of variations: its source goes too */
    run_job(c, ws);
    cr_assert_eq(c->nhist, GV_CORE_HISTORY);
    gv_core_key(c, 'z', 0);
    gv_core_key(c, 'z', 0);
    cr_assert_eq(c->hist_pos, 29);
    cr_assert_eq(gv_core_keep(c, 1, &e), 0, "%s", e.msg);
    gv_sugg shown = c->sugg[1];
    gv_song_section sec = {.repeat = 3};
    snprintf(sec.pattern, sizeof sec.pattern, "%s", shown.kept_name);
    cr_assert_eq(gv_song_add(&c->songv.song, &sec, &e), 0);
    char sess[400];
    snprintf(sess, sizeof sess, "%s/session.json", tmpdir);
    cr_assert_eq(gv_session_save(c, sess, &e), 0, "%s", e.msg);

    gv_core *d = new_core();
    gv_core_set_model(d, "test", model.cfg.latent_dim);
    cr_assert_eq(gv_session_load(d, sess, &e), 0, "%s", e.msg);
    cr_assert_eq(d->nhist, GV_CORE_HISTORY);
    cr_assert_eq(d->hist_pos, 29);
    for (int i = 0; i < GV_CORE_HISTORY; i++) {
        const gv_batch *a = gv_hist_at(c, i), *b = gv_hist_at(d, i);
        cr_assert_eq(b->n, a->n, "batch %d", i);
        cr_assert_eq(b->job.kind, a->job.kind, "batch %d", i);
        cr_assert_eq(b->job.opts.seed, a->job.opts.seed, "batch %d", i);
        cr_assert_float_eq(b->job.opts.temperature, a->job.opts.temperature, 1e-6, "batch %d", i);
        cr_assert_float_eq(b->job.opts.density, a->job.opts.density, 1e-6, "batch %d", i);
        for (int k = 0; k < a->n; k++) {
            cr_assert_eq(memcmp(b->s[k].pat.hit, a->s[k].pat.hit, sizeof a->s[k].pat.hit), 0, "batch %d/%d", i, k);
            cr_assert_eq(b->s[k].meta.seed, a->s[k].meta.seed, "batch %d/%d", i, k);
        }
    }
    cr_assert_eq(gv_hist_at(d, 31)->job.kind, GV_JOB_VARY);
    cr_assert(d->sugg[1].kept);
    cr_assert(gv_hist_at(d, 29)->s[1].kept, "the mark is in the batch too");
    cr_assert_eq(d->songv.song.n, 1);
    cr_assert_eq(d->songv.song.sec[0].repeat, 3);
    cr_assert_str_eq(d->songv.song.sec[0].pattern, shown.kept_name);
    /* the shown batch again, in the new run: the same bytes */
    gv_core_key(d, 'R', 0);
    run_job(d, ws);
    cr_assert_eq(d->hist_pos, 31);
    for (int t = 0; t < GV_MODEL_STEPS; t++) {
        cr_assert_eq(memcmp(d->sugg[1].pat.hit[t], shown.pat.hit[t], sizeof shown.pat.hit[t]), 0, "step %d", t);
        cr_assert_eq(memcmp(d->sugg[1].pat.vel[t], shown.pat.vel[t], sizeof shown.pat.vel[t]), 0, "step %d", t);
    }
    /* and the batch of variations again */
    gv_core_key(d, 'z', 0);
    cr_assert_eq(gv_hist_at(d, d->hist_pos)->job.kind, GV_JOB_VARY);
    gv_sugg var = d->sugg[1];
    gv_core_key(d, 'R', 0);
    run_job(d, ws);
    cr_assert_eq(memcmp(d->sugg[1].pat.hit, var.pat.hit, sizeof var.pat.hit), 0);
    gv_core_free(c);
    gv_core_free(d);
    gv_gen_ws_free(ws);
    gv_model_free(&model);
}

/* ---- pattern length: 1, 2, 4 or 8 bars ---- */

/* D cycles the input's length 2 -> 4 -> 8 -> 1 -> 2: a 2-bar pattern is
 * repeated to 4 and 8 bars, cut to 1 (u undoes each), the cursor wraps
 * over the whole input, and the session keeps the length. */
Test(takes, length_cycles_and_fits_the_input)
{
    gv_core *c = new_core();
    gv_err e;
    cr_assert_eq(gv_core_open(c, "rock-basic", &e), 0, "%s", e.msg);
    gv_pattern two = c->input;
    cr_assert_eq(two.steps, 32);
    gv_core_key(c, 'D', 0);
    cr_assert_eq(c->set.bars, 4);
    cr_assert_eq(c->input.steps, 64);
    for (int s = 0; s < 64; s++)
        cr_assert_eq(memcmp(c->input.hit[s], two.hit[s % 32], sizeof two.hit[0]), 0, "step %d", s);
    cr_assert(strstr(c->msg, "4 bars"), "%s", c->msg);
    c->cur_step = 63;
    gv_core_key(c, GV_KEY_RIGHT, 0);
    cr_assert_eq(c->cur_step, 0);
    gv_core_key(c, GV_KEY_LEFT, 0);
    cr_assert_eq(c->cur_step, 63);
    gv_core_key(c, 'x', 0); /* an edit in bar 4 */
    cr_assert_neq(c->input.hit[63][gv_core_row_voice[c->cur_row]], two.hit[31][gv_core_row_voice[c->cur_row]]);
    char sess[400];
    snprintf(sess, sizeof sess, "%s/session.json", tmpdir);
    cr_assert_eq(gv_session_save(c, sess, &e), 0, "%s", e.msg);
    gv_core *d = new_core();
    cr_assert_eq(gv_session_load(d, sess, &e), 0, "%s", e.msg);
    cr_assert_eq(d->set.bars, 4);
    cr_assert_eq(d->input.steps, 64);
    cr_assert_eq(memcmp(d->input.hit, c->input.hit, sizeof c->input.hit), 0);
    cr_assert_eq(d->cur_step, 63);
    gv_core_free(d);
    gv_core_key(c, 'D', 0);
    cr_assert_eq(c->input.steps, 128);
    gv_core_key(c, 'D', 0);
    cr_assert_eq(c->set.bars, 1);
    cr_assert_eq(c->input.steps, 16);
    cr_assert_lt(c->cur_step, 16);
    for (int s = 0; s < 16; s++)
        cr_assert_eq(memcmp(c->input.hit[s], two.hit[s], sizeof two.hit[0]), 0, "step %d", s);
    gv_core_key(c, 'u', 0);
    cr_assert_eq(c->input.steps, 128);
    gv_core_key(c, 'D', 0);
    gv_core_key(c, 'D', 0);
    cr_assert_eq(c->set.bars, 2);
    cr_assert_eq(c->input.steps, 32);
    /* a preset opened at 1 bar is cut to it */
    gv_core_set_bars(c, 1);
    cr_assert_eq(gv_core_open(c, "rock-basic", &e), 0, "%s", e.msg);
    cr_assert_eq(c->input.steps, 16);
    gv_core_free(c);
}

/* A take's window is read again at the length, exactly as the command
 * line's --start-bar K --bars N; the bar keys keep it. */
Test(takes, length_reads_the_takes_window_at_its_bars)
{
    gv_core *c = new_core();
    char path[512];
    gmd(path, sizeof path, "102_funk_95_beat_4-4.mid");
    gv_err e;
    cr_assert_eq(gv_core_open(c, path, &e), 0, "%s", e.msg);
    int bar = c->take.bar;
    gv_core_key(c, 'D', 0);
    cr_assert_eq(c->input.steps, 64);
    cr_assert_eq(c->take.bar, bar);
    gv_pattern w;
    gv_load_opts o = {bar, 4, -1};
    cr_assert_eq(gv_pattern_load(path, &o, &w, NULL, 0, &e), 0, "%s", e.msg);
    cr_assert_eq(memcmp(c->input.hit, w.hit, 64 * sizeof w.hit[0]), 0);
    gv_core_key(c, 'w', 0);
    cr_assert_eq(c->take.bar, bar + 1);
    cr_assert(strstr(c->msg, "-"), "%s", c->msg);
    char want[64];
    snprintf(want, sizeof want, "bars %d-%d of", bar + 2, bar + 5);
    cr_assert(strstr(c->msg, want), "%s", c->msg);
    gv_core_free(c);
}

/* What g, v and a g on an empty input make has the input's length, in
 * 2-bar chunks; a 1-bar input gives 1-bar suggestions. */
Test(takes, suggestions_have_the_inputs_length)
{
    make_model();
    gv_gen_ws *ws = gv_gen_ws_new(&model.cfg, GV_CORE_MAX_N);
    cr_assert_not_null(ws);
    gv_core *c = new_core();
    gv_core_set_model(c, "test", model.cfg.latent_dim);
    gv_err e;
    cr_assert_eq(gv_core_open(c, "rock-basic", &e), 0, "%s", e.msg);
    c->set.n = 2;
    static const int bars[] = {4, 8, 1};
    for (int i = 0; i < 3; i++) {
        gv_core_set_bars(c, bars[i]);
        gv_core_key(c, 'g', 0);
        run_job(c, ws);
        cr_assert_eq(c->nsugg, 2);
        cr_assert_eq(c->sugg[0].pat.steps, bars[i] * 16, "%d bars", bars[i]);
        cr_assert_eq(c->sugg[1].pat.steps, bars[i] * 16, "%d bars", bars[i]);
        /* the record: its latent whole, its groove the first 2 bars (nothing written past it) */
        int C = (bars[i] * 16 + 31) / 32;
        cr_assert_eq(c->sugg[1].meta.zdim, C * model.cfg.latent_dim, "%d bars", bars[i]);
        cr_assert(c->sugg[1].meta.has_groove);
    }
    gv_core_set_bars(c, 4);
    gv_core_key(c, 'g', 0);
    run_job(c, ws);
    gv_core_key(c, 'v', 0);
    run_job(c, ws);
    cr_assert_eq(c->sugg[1].pat.steps, 64);
    gv_core_key(c, 'C', 0); /* empty: drawn from the prior at the length */
    gv_core_set_bars(c, 8);
    gv_core_key(c, 'g', 0);
    run_job(c, ws);
    cr_assert_eq(c->sugg[0].pat.steps, 128);
    gv_core_free(c);
    gv_gen_ws_free(ws);
    gv_model_free(&model);
}

/* bench_jam.c - the live jam's costs, through the session as the TUI runs
 * it (taps on the jam's timeline, a request at each bar line, the job run as
 * the worker runs it, the pattern queued to the player), over 256 bars at
 * 200 BPM with the shipped model (a random one of the default config when
 * there is none):
 *   jam_regen            median time from a bar line to the next pattern
 *                        ready to queue (one suggestion per regeneration), ms
 *   jam_regen_worst      the worst of them, ms
 *   jam_regen_worst_pct  that worst as a percentage of a bar at 200 BPM
 *                        (1.2 s; the target is under 5)
 *   jam_callback_worst   the worst gv_player_render per 256-frame buffer
 *                        while jamming (patterns switching at the bar
 *                        lines), microseconds of the thread's CPU time
 * Wall time on a shared machine includes preemption; these are reported,
 * never asserted. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "engine/modelpath.h"
#include "session/core.h"
#include "synth/kit.h"
#include "synth/player.h"

#define BARS 256
#define BPM 200.0
#define RATE 48000.0
#define BUF 256

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int load_model(gv_model *m)
{
    char path[4096];
    gv_err e = {0};
    if (gv_model_path(NULL, path, sizeof path, &e) == 0 && gv_model_load(path, m, &e) == 0)
        return 0;
    fprintf(stderr, "bench_jam: no shipped model (%s): a random one of the default config\n", e.msg);
    gv_config c;
    gv_config_default(&c);
    if (gv_model_init_random(m, &c, 1, &e) != 0) {
        fprintf(stderr, "bench_jam: %s\n", e.msg);
        return -1;
    }
    return 0;
}

/* The clock time of jam step s (the jam anchored at 0). */
static double at(double s) { return s * 15.0 / BPM; }

/* A bar of taps that changes from bar to bar: kicks, snares, hats. */
static void taps(gv_core *c, int b)
{
    for (int s = 0; s < 16; s += 2) {
        int key = s % 8 == 0 ? 'z' : s % 8 == 4 ? 'a' : (b + s) % 3 ? 'q' : 0;
        if (key)
            gv_core_jam_key(c, key, at(b * 16 + s + 0.05 * ((b * 7 + s) % 5 - 2)));
    }
}

/* A bar of audio through the player, the worst buffer's CPU time. */
static double render_bar(gv_player *pl, float *buf)
{
    double worst = 0;
    int n = (int)(RATE * 60.0 / BPM * 4 / BUF);
    for (int i = 0; i < n; i++) {
        double t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
        gv_player_render(pl, buf, BUF);
        double t = clock_s(CLOCK_THREAD_CPUTIME_ID) - t0;
        worst = t > worst ? t : worst;
    }
    return worst;
}

/* Bar line b: the request, the job as the worker runs it, the pattern
 * ready; its wall time. */
static double regen(gv_core *c, const gv_model *m, gv_gen_ws *ws, gv_job_result *r, int b)
{
    double t0 = clock_s(CLOCK_MONOTONIC);
    gv_core_tick(c, at(b * 16 + 0.01));
    const gv_job *j = gv_core_take_job(c);
    if (j) {
        gv_job_run(m, ws, j, r);
        gv_core_finish_job(c, r);
        gv_core_tick(c, at(b * 16 + 0.02));
    }
    return clock_s(CLOCK_MONOTONIC) - t0;
}

int main(void)
{
    gv_model m;
    gv_kit kit;
    gv_err e = {0};
    if (load_model(&m) != 0 || gv_kit_builtin(&kit, RATE, &e) != 0)
        return 1;
    gv_core *c = gv_core_new(NULL);
    gv_gen_ws *ws = gv_gen_ws_new(&m.cfg, GV_CORE_MAX_N);
    gv_job_result *r = malloc(sizeof *r);
    gv_player *pl = gv_player_new(RATE, &kit, &e);
    static float buf[2 * BUF];
    static double t[BARS];
    if (!c || !ws || !r || !pl)
        return 1;
    gv_core_set_model(c, "bench", m.cfg.latent_dim);
    gv_core_set_tempo(c, (float)BPM);
    gv_core_set_seed(c, 1);
    gv_core_jam_start(c, 0);
    gv_player_set_tempo(pl, BPM);
    gv_player_queue(pl, &c->play, GV_QUEUE_NOW);
    gv_player_start(pl);
    unsigned sent = c->play_serial;
    for (int i = 0; i < 200; i++) /* warm caches and pages, as bench_synth */
        gv_player_render(pl, buf, BUF);
    double cb_worst = 0;
    int n = 0;
    for (int b = 0; b <= BARS; b++) {
        if (b > 0)
            t[n++] = regen(c, &m, ws, r, b);
        if (c->play_serial != sent && gv_player_queue(pl, &c->play, GV_QUEUE_BAR) == 0)
            sent = c->play_serial;
        taps(c, b);
        double w = render_bar(pl, buf);
        cb_worst = w > cb_worst ? w : cb_worst;
    }
    qsort(t, (size_t)n, sizeof *t, by_value);
    double bar = 60.0 / BPM * 4;
    printf("BENCH name=jam_regen value=%.2f unit=ms\n", t[n / 2] * 1e3);
    printf("BENCH name=jam_regen_worst value=%.2f unit=ms\n", t[n - 1] * 1e3);
    printf("BENCH name=jam_regen_worst_pct value=%.2f unit=pct_of_bar_at_200bpm\n", 100 * t[n - 1] / bar);
    printf("BENCH name=jam_callback_worst value=%.1f unit=us\n", cb_worst * 1e6);
    fprintf(stderr, "bench_jam: %d regenerations, %d patterns took over (%d late)\n", n, c->jam.regens, c->jam.late);
    gv_player_free(pl);
    gv_kit_free(&kit);
    free(r);
    gv_gen_ws_free(ws);
    gv_core_free(c);
    gv_model_free(&m);
    return 0;
}

/* bench_synth.c - the drum synth's speed on one core:
 *   render          offline rendering of a busy 2-bar pattern, x real time
 *   callback_worst  the worst time of gv_player_render per 256-frame buffer
 *                   (the audio callback's work), in microseconds of the
 *                   thread's CPU time: on a shared machine wall time mostly
 *                   measures preemption, which is not the synth's cost
 *   callback_mean   its mean
 *   callback_worst_wall  the same in wall-clock time, preemption included */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "synth/kit.h"
#include "synth/player.h"
#include "synth/render.h"

#define RATE 48000.0
#define LOOPS 8
#define BUFFERS 20000

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }

/* Every voice busy: 16th hats with open-hat lifts, kick and snare with
 * ghosts, ride 8ths, a crash per bar and a tom fill, humanised offsets. */
static void busy(gv_pattern *p)
{
    gv_pattern_init(p, 32, 120, "busy");
    for (int c = 0; c < 32; c++) {
        float off = (float)((c * 7) % 5 - 2) * 0.04f;
        gv_pattern_set(p, c, c % 8 == 6 ? GV_OHAT : GV_CHAT, 1, c % 4 ? 0.55f : 0.9f, off);
        if (c % 2 == 0)
            gv_pattern_set(p, c, GV_RIDE, 1, 0.6f, off);
        if (c % 8 == 0 || c % 16 == 10 || c % 16 == 3)
            gv_pattern_set(p, c, GV_KICK, 1, 0.95f, off);
        if (c % 8 == 4)
            gv_pattern_set(p, c, GV_SNARE, 1, 1.f, off);
        else if (c % 4 == 3)
            gv_pattern_set(p, c, GV_SNARE, 1, 0.25f, off);
        if (c >= 24)
            gv_pattern_set(p, c, GV_LTOM + (c % 3), 1, 0.8f, off);
    }
    gv_pattern_set(p, 0, GV_CRASH, 1, 1, 0);
    gv_pattern_set(p, 16, GV_CRASH, 1, 0.8f, 0);
}

int main(void)
{
    gv_kit kit;
    gv_err e;
    if (gv_kit_builtin(&kit, RATE, &e)) {
        fprintf(stderr, "bench_synth: %s\n", e.msg);
        return 1;
    }
    gv_pattern *p = malloc(sizeof *p);
    busy(p);

    gv_render_opts o;
    gv_render_opts_default(&o);
    o.loops = LOOPS;
    double best = 1e9;
    int64_t frames = 0;
    for (int rep = 0; rep < 5; rep++) {
        float *x;
        int64_t origin;
        double t0 = now();
        if (gv_render(p, &kit, &o, &x, &frames, &origin, &e)) {
            fprintf(stderr, "bench_synth: %s\n", e.msg);
            return 1;
        }
        double t = now() - t0;
        best = t < best ? t : best;
        free(x);
    }
    printf("BENCH name=render value=%.0f unit=x_realtime\n", (double)frames / RATE / best);

    gv_player *pl = gv_player_new(RATE, &kit, &e);
    gv_player_queue(pl, p, GV_QUEUE_NOW);
    gv_player_start(pl);
    static float buf[2 * 256];
    double worst = 0, worst_wall = 0, sum = 0;
    for (int i = 0; i < 200; i++) /* warm caches and pages */
        gv_player_render(pl, buf, 256);
    for (int i = 0; i < BUFFERS; i++) {
        double w0 = now(), t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
        gv_player_render(pl, buf, 256);
        double t = clock_s(CLOCK_THREAD_CPUTIME_ID) - t0, w = now() - w0;
        sum += t;
        worst = t > worst ? t : worst;
        worst_wall = w > worst_wall ? w : worst_wall;
    }
    printf("BENCH name=callback_worst value=%.1f unit=us\n", worst * 1e6);
    printf("BENCH name=callback_mean value=%.2f unit=us\n", sum / BUFFERS * 1e6);
    printf("BENCH name=callback_worst_wall value=%.1f unit=us\n", worst_wall * 1e6);
    gv_player_free(pl);
    gv_kit_free(&kit);
    free(p);
    return 0;
}

/* midicli.c - MIDI options and device listing (see midicli.h). */
#include "app/midicli.h"

#include <strings.h>
#include <time.h>

#include "app/cli.h"

void gv_midi_cli_default(gv_midi_cli *c)
{
    c->out = c->in = NULL;
    c->channel = 10;
    c->clock = GV_MIDI_CLOCK_OFF;
    c->map = NULL;
    c->latency_ms = 10;
}

int gv_midi_cli_wants_out(const gv_midi_cli *c) { return c->out || c->clock == GV_MIDI_CLOCK_OUT; }
int gv_midi_cli_wants_in(const gv_midi_cli *c) { return c->in || c->clock == GV_MIDI_CLOCK_IN; }

int gv_midi_cli_cfg(const gv_midi_cli *c, double bpm, gv_midi_sched_cfg *cfg, gv_midi_map *map, gv_err *e)
{
    gv_midi_map_default(map);
    if (c->map && strcasecmp(c->map, "gm") && gv_midi_map_load(c->map, map, e))
        return -1;
    gv_midi_sched_cfg_default(cfg);
    gv_midi_out_cfg_map(&cfg->out, map);
    cfg->out.channel = c->channel;
    cfg->clock = c->clock;
    cfg->bpm = bpm;
    return 0;
}

int gv_midi_cli_play_poll(gv_midi_sched *s, const gv_pattern *p, int64_t steps, volatile sig_atomic_t *stop,
                          int *ended)
{
    gv_midi_status st;
    gv_midi_sched_status(s, &st);
    if (st.out_lost)
        return -1;
    if (*stop || (steps > 0 && st.step >= (double)steps))
        return 1;
    /* a bar ahead: the switch is queued long before the lookahead */
    if (steps > 0 && !*ended && st.step >= (double)(steps - GV_STEPS_PER_BAR)) {
        gv_pattern rest;
        gv_pattern_init(&rest, GV_STEPS_PER_BAR, p->bpm, p->name);
        *ended = gv_midi_sched_queue(s, &rest, GV_QUEUE_BAR) == 0;
    }
    return 0;
}

int gv_midi_cli_play_wait(gv_midi_sched *s, const gv_pattern *p, int64_t steps, volatile sig_atomic_t *stop)
{
    const struct timespec nap = {0, 2000000};
    int ended = 0, r;
    while ((r = gv_midi_cli_play_poll(s, p, steps, stop, &ended)) == 0)
        nanosleep(&nap, NULL);
    return r < 0 ? -1 : 0;
}

static void print_port(const gv_midi_device *d, void *ctx)
{
    FILE *f = ctx;
    fprintf(f, "  %3d  %s %s: %s%s\n", d->index, d->input ? "in " : "out", d->interf, d->name,
            d->is_default ? "  [default]" : "");
}

void gv_midi_cli_list(FILE *f)
{
    gv_err e = {0};
    fprintf(f, "MIDI ports:\n");
    if (gv_midi_list(print_port, f, &e))
        fprintf(f, "  %s\n", e.msg);
}

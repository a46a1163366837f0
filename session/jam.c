/* jam.c - the jam's clock-free core (see jam.h). */
#include "session/jam.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/generate.h"
#include "patterns/lanes.h"

int gv_jam_settings_check(const gv_jam_settings *s, char *err, int n)
{
    const char *bad = NULL;
    if (s->every != GV_JAM_EVERY_BEAT && s->every != GV_JAM_EVERY_BAR && s->every != GV_JAM_EVERY_2BARS)
        bad = "every: a beat (4), a bar (16) or 2 bars (32) of steps";
    else if (!(s->follow >= 0.f && s->follow <= 1.f))
        bad = "follow: 0..1";
    else if (s->lanes < 0 || s->lanes > 3)
        bad = "lanes: 1..3, or 0 (from the taps)";
    if (bad && err && n > 0)
        snprintf(err, (size_t)n, "%s", bad);
    return bad ? -1 : 0;
}

void gv_jam_init(gv_jam *j, const gv_jam_settings *s)
{
    memset(j, 0, sizeof *j);
    j->set = *s;
    j->next_point = s->every;
    for (int i = 0; i < GV_JAM_HISTORY; i++)
        j->history[i].bar = -1;
}

void gv_jam_set(gv_jam *j, const gv_jam_settings *s)
{
    uint64_t seed = j->set.seed;
    int every = j->set.every;
    j->set = *s;
    j->set.seed = seed;
    if (s->every != every) /* the next multiple of the new spacing */
        j->next_point = (j->next_point - every) / s->every * s->every + s->every;
}

static gv_jam_bar *bar_entry(gv_jam *j, int64_t b)
{
    gv_jam_bar *h = &j->history[b % GV_JAM_HISTORY];
    if (h->bar != b) {
        h->bar = b;
        h->taps = 0;
        h->regenerated = 0;
    }
    return h;
}

void gv_jam_tap(gv_jam *j, double step, int voice, float vel)
{
    if (!(step >= 0) || voice < 0 || voice >= GV_VOICES)
        return;
    j->taps[j->head] = (gv_jam_hit){step, voice, vel};
    j->head = (j->head + 1) % GV_JAM_MAX_TAPS;
    if (j->ntaps < GV_JAM_MAX_TAPS)
        j->ntaps++;
    bar_entry(j, (int64_t)floor(step + 0.5) / GV_JAM_BAR)->taps++;
}

int gv_jam_window(const gv_jam *j, int64_t end, gv_pattern *groove)
{
    gv_pattern_init(groove, GV_JAM_STEPS, 120.f, "jam");
    int n = 0;
    for (int i = 0; i < j->ntaps; i++) {
        const gv_jam_hit *t = &j->taps[i];
        int64_t s = (int64_t)floor(t->step + 0.5); /* nearest step; .5 rounds late */
        if (s < end - GV_JAM_STEPS || s >= end)
            continue;
        gv_pattern_merge(groove, (int)(s % GV_JAM_STEPS), t->voice, t->vel, (float)(t->step - (double)s));
        n++;
    }
    return n;
}

int gv_jam_due(gv_jam *j, double now, gv_jam_req *r)
{
    if (now < (double)j->next_point)
        return 0;
    int64_t every = j->set.every;
    int64_t at = (int64_t)floor(now) / every * every; /* the latest point passed */
    j->next_point = at + every;
    if (j->set.hold)
        return 0;
    int taps = gv_jam_window(j, at, &r->groove);
    if (taps == 0)
        return 0;
    int64_t unit = every == GV_JAM_EVERY_BEAT ? GV_JAM_EVERY_BEAT : GV_JAM_BAR;
    r->index = j->requests++;
    r->at = at;
    r->swap = at / unit * unit + unit;
    r->seed = gv_gen_seed(j->set.seed, (int)r->index);
    r->taps = taps;
    r->lanes = j->set.lanes ? j->set.lanes : gv_lanes_tapped(&r->groove);
    return 1;
}

void gv_jam_follow(gv_jam_latent *l, float follow, const float *z_new, int n, float *z)
{
    if (n > GV_JAM_MAX_Z)
        n = GV_JAM_MAX_Z;
    if (!l->have || l->n != n) {
        memcpy(l->z, z_new, (size_t)n * sizeof *z);
        l->have = 1;
        l->n = n;
    } else {
        /* (1 - f) a + f b: exactly a at f = 0 and exactly b at f = 1 */
        for (int i = 0; i < n; i++)
            l->z[i] = (1.f - follow) * l->z[i] + follow * z_new[i];
    }
    memcpy(z, l->z, (size_t)n * sizeof *z);
}

void gv_jam_swapped(gv_jam *j, int64_t step)
{
    if (step >= 0)
        bar_entry(j, step / GV_JAM_BAR)->regenerated = 1;
}

gv_jam_bar gv_jam_history(const gv_jam *j, int64_t b)
{
    gv_jam_bar none = {-1, 0, 0};
    if (b < 0)
        return none;
    const gv_jam_bar *h = &j->history[b % GV_JAM_HISTORY];
    return h->bar == b ? *h : none;
}

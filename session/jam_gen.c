/* jam_gen.c - the jam's generating side (see jam_gen.h). */
#include "session/jam_gen.h"

#include <math.h>
#include <string.h>

void gv_jam_gen_init(gv_jam_gen *g, const gv_model *m, gv_gen_ws *ws, const gv_gen_opts *o)
{
    memset(g, 0, sizeof *g);
    g->m = m;
    g->ws = ws;
    g->opts = *o;
}

int gv_jam_generate(gv_jam_gen *g, const gv_jam_req *r, float follow, float bpm, gv_pattern *out, gv_err *e)
{
    gv_gen_opts o = g->opts;
    o.seed = r->seed;
    o.cond.lanes = r->lanes >= 1 && r->lanes <= 3 ? r->lanes : 1;
    if (gv_gen_cond_supported(g->m, &o.cond, NULL))
        o.cond.lanes = 1; /* a model of the groove alone */
    gv_pattern in = r->groove;
    in.bpm = bpm;
    int L = g->m->cfg.latent_dim;
    if (L > GV_JAM_MAX_Z)
        return gv_fail(e, "latent of %d floats: a jam follows at most %d", L, GV_JAM_MAX_Z);
    float znew[GV_JAM_MAX_Z], z[GV_JAM_MAX_Z];
    if (gv_op_drumify(g->m, &in, 1, &o, out, znew, g->ws, e))
        return -1;
    gv_jam_latent before = g->lat;
    gv_jam_follow(&g->lat, follow, znew, L, z);
    if (memcmp(z, znew, (size_t)L * sizeof *z) != 0 && gv_op_drumify_z(g->m, &in, z, &o, out, g->ws, e)) {
        g->lat = before;
        return -1;
    }
    return 0;
}

/* Regeneration point P: a request when one is due, generated and recorded. */
static int point(gv_jam *j, gv_jam_gen *g, int64_t P, gv_jam_take *take, int *regens, gv_err *e)
{
    gv_jam_req r;
    gv_pattern drums;
    if (!gv_jam_due(j, (double)P, &r))
        return 0;
    if (gv_jam_generate(g, &r, j->set.follow, take->bpm, &drums, e) || gv_jam_take_swap(take, r.swap, &drums, e))
        return -1;
    gv_jam_swapped(j, r.swap);
    if (regens)
        (*regens)++;
    return 0;
}

int gv_jam_replay(gv_jam *j, gv_jam_gen *g, const gv_jam_note *taps, int n, int64_t until, gv_jam_take *take,
                  int *regens, gv_err *e)
{
    if (regens)
        *regens = 0;
    if (until <= 0) {
        double last = n ? taps[n - 1].step : 0;
        until = ((int64_t)floor(last + 0.5) / 16 + 1) * 16;
    }
    int i = 0;
    while (j->next_point <= until || i < n) {
        int64_t P = j->next_point;
        if (i < n && taps[i].step < (double)P) { /* the tap comes first */
            const gv_jam_note *t = &taps[i++];
            gv_jam_tap(j, t->step, t->voice, t->vel);
            if (gv_jam_take_tap(take, t->step, t->note, t->voice, t->vel, e))
                return -1;
            continue;
        }
        if (P > until)
            break;
        if (point(j, g, P, take, regens, e))
            return -1;
    }
    return 0;
}

/* jam_gen.h - the jam's generating side: from a regeneration request
 * (jam.h) to the 2-bar drums that take over.  It runs the model through the
 * engine's operations; the TUI calls it on its worker thread and `groove
 * jam` inline, so the same taps, seed and settings give the same drums.
 *
 *   gv_jam_gen g;
 *   gv_jam_gen_init(&g, &model, ws, &opts);    // ws: gv_gen_ws_new(&m.cfg, 1)
 *   gv_jam_generate(&g, &req, follow, bpm, &drums, &err);
 *
 * Per request: the groove is drummed (gv_op_drumify, one suggestion) with the
 * request's seed and lanes (a model that takes the groove alone gets 1 lane)
 * and the caller's temperature, density, caps and feel; its latent z_new
 * moves the jam's latent by follow (jam.h); when that is not z_new itself
 * the drums are decoded from it (gv_op_drumify_z, same conditioning).  So
 * with follow 1 each pattern is exactly `groove generate` of its window. */
#ifndef GV_JAM_GEN_H
#define GV_JAM_GEN_H

#include "engine/ops.h"
#include "session/jam.h"
#include "session/jam_take.h"

typedef struct gv_jam_gen {
    const gv_model *m;
    gv_gen_ws *ws;      /* the caller's, for 1 latent at least */
    gv_gen_opts opts;   /* seed and lanes come from each request */
    gv_jam_latent lat;
} gv_jam_gen;

void gv_jam_gen_init(gv_jam_gen *g, const gv_model *m, gv_gen_ws *ws, const gv_gen_opts *o);

/* The drums for request r at tempo bpm into out (GV_JAM_STEPS steps);
 * -1 with e on failure (the jam's latent is then unchanged). */
int gv_jam_generate(gv_jam_gen *g, const gv_jam_req *r, float follow, float bpm, gv_pattern *out, gv_err *e);

/* A whole jam over recorded taps[0..n) (sorted by step), as a live jam with
 * those taps would have played it: each tap goes in at its time, each
 * regeneration point is taken when the timeline passes it, each pattern
 * takes over at its request's swap step; everything lands in take (taps
 * and swaps), up to step `until` (0: the bar after the last tap).
 * *regens (may be NULL) counts the patterns made. */
int gv_jam_replay(gv_jam *j, gv_jam_gen *g, const gv_jam_note *taps, int n, int64_t until, gv_jam_take *take,
                  int *regens, gv_err *e);

#endif

/* eval.h - how well a model drums against real drummers, and the per-voice
 * hit thresholds that maximise F1.
 *
 * For every window (trainer/data.h) the model drumifies the window's groove
 * at temperature 0 (z = mu, hits where p >= the voice's threshold, the
 * player's feel per opts (engine/feel.h), as `groove generate` does) and is
 * scored against the window's own pattern:
 *   hit precision / recall / F1 over all 32x9 cells, F1 per voice;
 *   all-cell hit accuracy, beside the accuracy of predicting no hits at all
 *     (the fraction of empty cells, which "hit accuracy" alone hides);
 *   velocity and offset mean absolute error on correctly predicted hits,
 *     with the feel and without it (the model's own);
 *   rhythm fidelity: F1 of "some voice hits this step" against the groove;
 *   diversity: mean pairwise Jaccard distance between the hit sets of
 *     `suggestions` suggestions at `temperature` (seeded), averaged over the
 *     windows.
 * Two anchors are scored the same way: the nearest neighbour (the training
 * window whose groove is closest in L2 over hit, velocity and offset gives
 * its pattern) and the groove copied onto the closed hi-hat. */
#ifndef GV_TRAINER_EVAL_H
#define GV_TRAINER_EVAL_H

#include <stdint.h>

#include "engine/feel.h"
#include "engine/model.h"
#include "patterns/error.h"
#include "trainer/data.h"

typedef struct gv_eval_opts {
    int suggestions;   /* for diversity (8); 0 skips it */
    float temperature; /* for diversity (1) */
    uint64_t seed;
    int max_windows;   /* 0: every window; else an evenly spaced subset */
    gv_feel feel;      /* auto, auto: as `groove generate` drums a groove */
} gv_eval_opts;

typedef struct gv_eval_result {
    int windows;
    double precision, recall, f1;
    double f1_voice[GV_VOICES];
    double hit_acc, empty_acc;
    double vel_mae, off_mae;
    double vel_mae_own, off_mae_own; /* the same without the player's feel */
    double rhythm_f1;
    double diversity; /* -1 when not measured (deterministic anchors) */
} gv_eval_result;

void gv_eval_opts_default(gv_eval_opts *o);

/* Scores m (with its config's thresholds) on w. */
int gv_eval_model(const gv_model *m, const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r, gv_err *e);
/* The anchors. */
void gv_eval_nearest(const gv_windows *train, const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r);
void gv_eval_hat(const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r);

/* Per-voice thresholds (grid 0.02..0.98) that maximise the hit F1 over all
 * cells of w at temperature 0 (coordinate ascent from 0.5); a voice that
 * never hits in w keeps 0.5. */
int gv_calibrate_thresholds(const gv_model *m, const gv_windows *w, float thr[GV_VOICES], gv_err *e);

#endif

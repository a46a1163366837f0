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
#include "base/error.h"
#include "trainer/data.h"

typedef struct gv_eval_opts {
    int suggestions;   /* for diversity (8); 0 skips it */
    float temperature; /* for diversity (1) */
    uint64_t seed;
    int max_windows;   /* 0: every window; else an evenly spaced subset */
    gv_feel feel;      /* auto, auto: as `groove generate` drums a groove */
    int threads;       /* workers for the model's windows and the anchors' neighbour searches (1); the
                        * figures do not depend on it (fixed chunks, summed in order) */
    gv_cond cond;      /* what the model is given (conditioned models): 1 lane */
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
    /* Checks of the conditioning (the lane and kept-voice anchors; -1 where
     * not checked): cells of kept voices that differ from the input, and
     * hits of the other voices on steps where their lane has no tap. */
    long kept_changed, off_lane;
} gv_eval_result;

void gv_eval_opts_default(gv_eval_opts *o);

/* Scores m (with its config's thresholds) on w. */
int gv_eval_model(const gv_model *m, const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r, gv_err *e);
/* Scores m on windows of any length (w->steps: 64 for 4 bars) through the
 * engine, as `groove generate` drums a take: gv_op_drumify of the window's
 * pattern at temperature 0 and seed o->seed, in one piece from a model of
 * that length, else in chunks of the model's length (the transformer: 2 + 2
 * bars for a 4-bar window); the same figures as gv_eval_model, over every
 * voice, with o->feel and o->cond; diversity from o->suggestions drumified
 * at o->temperature (seed o->seed + window).  One thread. */
int gv_eval_patterns(const gv_model *m, const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r, gv_err *e);

/* The anchors. */
void gv_eval_nearest(const gv_windows *train, const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r);
void gv_eval_hat(const gv_windows *w, const gv_eval_opts *o, gv_eval_result *r);

/* The anchors of issue 20 for an input told in `nlanes` lanes (patterns/
 * lanes.h) with the voices in `keep` given exactly, scored over the other
 * voices only (the kept ones come back unchanged, so they would only flatter):
 *   copy: each lane's taps on its main voice (gv_lane_main_voice: 1 lane ->
 *     closed hat, 2 -> kick / closed hat, 3 -> kick / snare / closed hat),
 *     except on steps where a kept voice of that lane plays;
 *   knn: the k training windows nearest in L2 over the input (the lanes'
 *     hit, velocity and offset, then the kept voices' ones) vote per cell:
 *     a hit where more than half of them hit, velocity and offset the mean
 *     of those that hit; a voice hits only where its lane has a tap;
 *   knn_fill: the same vote, and a lane tap that no voice took (and no kept
 *     voice plays) goes to the lane's voice most of the k hit on that step
 *     (its main voice when none did, the lane's first voice not kept when
 *     that one is), at the tap's velocity and offset: every
 *     tap sounds, as a player expects of a lane.
 * All put the kept voices back exactly.  k: 1..16 fixed by the caller, or
 * 0 to pick the best hit F1 over 1..16 on a held-back slice of train (its
 * last tenth, searched against the rest less the window overlapping it;
 * each vote picks its own k), so that nothing is tuned on w. */
typedef struct gv_anchor_result {
    gv_eval_result copy, knn, knn_fill;
    int k, k_fill;  /* neighbours voted */
    int k_picked;   /* 1: picked on the held-back slice */
    int slice;      /* windows in that slice (0 when k was given) */
    double slice_f1, slice_f1_fill; /* the slice's hit F1 at k, k_fill */
} gv_anchor_result;
#define GV_ANCHOR_MAX_K 16
int gv_eval_lane_anchors(const gv_windows *train, const gv_windows *w, const gv_eval_opts *o, int nlanes,
                         unsigned keep, int k, gv_anchor_result *r, gv_err *e);

/* The humanize anchors: every hit of w's windows is given quantized (offset
 * 0) at velocity 0.7, and velocities and offsets are put back by
 *   input:    none (the quantized copy itself),
 *   mean:     each voice's mean velocity and offset over train's hits,
 *   nearest:  the feel of the training window nearest in L2 over the hits
 *             (its velocity and offset where it hits the same cell, else
 *             the voice's mean).
 * Hits are unchanged (F1 1); vel_mae / off_mae are over every hit. */
int gv_eval_humanize_anchors(const gv_windows *train, const gv_windows *w, const gv_eval_opts *o,
                             gv_eval_result *input, gv_eval_result *mean, gv_eval_result *nearest, gv_err *e);

/* Per-voice thresholds (grid 0.02..0.98) that maximise the hit F1 over all
 * cells of w at temperature 0 (coordinate ascent from 0.5); a voice that
 * never hits in w keeps 0.5. */
int gv_calibrate_thresholds(const gv_model *m, const gv_windows *w, float thr[GV_VOICES], gv_err *e);

#endif

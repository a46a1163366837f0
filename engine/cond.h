/* cond.h - what the player gave the model: the conditioning of one model
 * that drumifies from 1, 2 or 3 lanes, keeps the voices the player played
 * and humanizes a programmed beat (issue 20).
 *
 * A conditioned model (config src_features == GV_COND_FEATURES) reads, per
 * step of its 32, GV_COND_FEATURES floats:
 *
 *   0..2    the groove of the whole input (gv_pattern_groove): hit, vel, off
 *   3..8    2 lanes (low, high) x (hit, vel, off)     9   2 lanes given
 *   10..18  3 lanes (low, mid, high) x (hit, vel, off) 19  3 lanes given
 *   20..46  9 voices x (hit, vel, off)
 *   47..55  voice v's hits given      56..64  voice v's velocity and timing given
 *   65..67  the groove again, for the decoder     68  the decoder is told the groove
 *
 * What was not given is "unknown": its values and its flag are 0, so a model
 * can tell "not told" from "told silent" (a given lane or voice with no hit
 * has its flag set).  The encoder reads all of it; the decoder reads columns
 * GV_COND_DEC0.. (everything but the first copy of the groove) through
 * dec_cond.  Every mode tells the decoder the groove (65..68) except
 * `blind`, the mode of sampling, where the decoder has the latent alone (and
 * the encoder, seeing flag 68 clear, knows it must carry everything).
 *
 * Modes (gv_cond):
 *   lanes 1..3, keep 0, humanize 0   drumify from the groove told in lanes
 *   keep != 0                        voices in the mask given in full; the
 *                                    groove is the whole input's
 *   humanize                         every voice's hits given, no feel
 *
 *   gv_cond c = {.lanes = 3};
 *   float hvo[32 * 27], src[32 * GV_COND_FEATURES];
 *   gv_cond_hvo(&pattern, 0, hvo);          // steps 0..31 in the tgt layout
 *   gv_cond_features(&c, hvo, src);
 *
 * Pure: no allocation, no I/O, no globals. */
#ifndef GV_COND_H
#define GV_COND_H

#include "base/error.h"
#include "patterns/pattern.h"

#define GV_COND_STEPS 32
#define GV_COND_HVO (GV_VOICES * 3) /* per step in the hvo layout: [k*9 + v], k 0 hit, 1 vel, 2 off */
#define GV_COND_FEATURES 69
#define GV_COND_DEC0 3 /* first column the decoder reads */
#define GV_COND_DEC_FEATURES (GV_COND_FEATURES - GV_COND_DEC0)
#define GV_COND_LANES2 3
#define GV_COND_GIVEN2 9
#define GV_COND_LANES3 10
#define GV_COND_GIVEN3 19
#define GV_COND_VOICES 20
#define GV_COND_HITS_GIVEN 47
#define GV_COND_FEEL_GIVEN 56
#define GV_COND_GROOVE_DEC 65
#define GV_COND_GIVEN_DEC 68

typedef struct gv_cond {
    int lanes;         /* 1..3: the groove told in this many lanes (ignored with keep or humanize) */
    unsigned keep;     /* voices given in full (bit v: voice v); 0 for none */
    int humanize;      /* 1: every hit given, velocity and timing to be played */
    int blind;         /* 1: the decoder is not told the groove (sampling; the prior is fitted so) */
} gv_cond;

/* 1 lane, nothing kept: what an unconditioned model does. */
void gv_cond_default(gv_cond *c);
/* Checks lanes is 1..3, keep is a proper subset of the 9 voices (not all of
 * them), and that keep and humanize are not both set. */
int gv_cond_check(const gv_cond *c, gv_err *e);

/* Steps [step0, step0 + 32) of p in the hvo layout (GV_COND_HVO floats a
 * step; steps past p's end are silent): the layout of the trainer's targets
 * and of the model's output logits. */
void gv_cond_hvo(const gv_pattern *p, int step0, float *hvo);

/* The groove of the voices in mask over 32 steps of hvo: per step, hit when
 * any of them hits, with the loudest one's velocity and offset (the lowest
 * voice on a tie): the rule of gv_pattern_groove_of.  Writes 3 floats to
 * out[t*stride ..]. */
void gv_cond_flatten(const float *hvo, unsigned mask, float *out, int stride);

/* The model's input for 32 steps of hvo under c: 32 * GV_COND_FEATURES floats. */
void gv_cond_features(const gv_cond *c, const float *hvo, float *src);

/* The voices a generated pattern takes from the input unchanged under c (the
 * kept ones; every voice's hits when humanizing). */
unsigned gv_cond_given_voices(const gv_cond *c);

/* ---- from the decoder's output to a pattern that honours what was given,
 * 32 steps at a time (hvo: the input in the layout above; hit_p, vel, off:
 * the decoder's [32][9]; out: the hits chosen, in the hvo layout) ----
 *
 *   gv_cond_hold     before the hits are chosen: a voice may only hit where
 *                    its lane has a tap (lanes; with kept voices, the lane is
 *                    the whole groove); given voices get p 1 where the input
 *                    hits and 0 elsewhere.
 *   gv_cond_fill     after: a tap that no voice of its lane took (kept ones
 *                    included) goes to the lane's most probable voice that is
 *                    not given and not at its cap (max_hits[v] >= 0, per 32
 *                    steps; NULL: no caps), with the decoder's velocity and
 *                    offset: every tap sounds, as a player expects of a lane.
 *   gv_cond_restore  given voices back exactly: kept voices take the input's
 *                    cells (hits, velocities, offsets); humanize takes the
 *                    input's hits with the decoder's velocity and offset.
 * Each does nothing where it has nothing to do (1 lane holds to the groove). */
void gv_cond_hold(const gv_cond *c, const float *hvo, float *hit_p);
/* The taps hits are held to: the mode's lanes of hvo (the whole groove, 1
 * lane, with kept voices), step t lane l at lanes[(t*nl + l)*3] (hit, vel,
 * off; 32 * GV_MAX_LANES * 3 floats at most); returns nl. */
int gv_cond_taps(const gv_cond *c, const float *hvo, float *lanes);
void gv_cond_fill(const gv_cond *c, const float *hvo, const float *hit_p, const float *vel, const float *off,
                  const int *max_hits, float *out);
void gv_cond_restore(const gv_cond *c, const float *hvo, const float *vel, const float *off, float *out);

#endif

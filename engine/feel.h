/* feel.h - the player's feel carried onto drums the model made from a groove.
 *
 * The model hears a groove through its latent (64 numbers for 32 steps),
 * which keeps where the hits fall but blurs how early or late and how hard
 * each one was played: its offsets and velocities regress towards the mean
 * (on GMD validation the decoder's own offsets are off by 0.088 of a step,
 * the player's by 0.039).  Playing a groove in is about that feel, so
 * drumming a groove gives it back, step by step where the groove hits:
 *   timing    every hit of the step takes the groove's offset;
 *   dynamics  the step's loudest hit takes the groove's velocity and the
 *             other hits of the step scale with it (the balance between the
 *             voices stays the model's).
 * Steps the player left empty keep the model's feel.  Each is one of
 *   GV_FEEL_MODEL   the model's;
 *   GV_FEEL_GROOVE  the groove's;
 *   GV_FEEL_AUTO    the groove's when it has some: timing when a hit is off
 *                   the grid, dynamics when hit velocities differ (a
 *                   quantised file or velocity-less keyboard taps keep the
 *                   model's). */
#ifndef GV_FEEL_H
#define GV_FEEL_H

#include <stdint.h>

#include "base/error.h"
#include "patterns/pattern.h"

typedef enum gv_feel_mode { GV_FEEL_AUTO, GV_FEEL_MODEL, GV_FEEL_GROOVE } gv_feel_mode;

typedef struct gv_feel {
    gv_feel_mode timing, dynamics;
} gv_feel;

/* "auto", "model" or "groove"; -1 with e filled otherwise. */
int gv_feel_parse(const char *s, gv_feel_mode *m, gv_err *e);
const char *gv_feel_name(gv_feel_mode m);

/* f with AUTO replaced by MODEL or GROOVE for the groove src [steps][3]
 * (hit, velocity, offset; engine/model.h's source layout). */
gv_feel gv_feel_resolve(gv_feel f, const float *src, int steps);

/* One step of a resolved feel: g = the groove's (hit, velocity, offset) at
 * the step; hit/vel/off = the step's 9 voices, vel and off rewritten. */
void gv_feel_step(gv_feel f, const float g[3], const uint8_t hit[GV_VOICES], float vel[GV_VOICES],
                  float off[GV_VOICES]);

/* Every step of p (p->steps <= steps of src) with a resolved feel. */
void gv_feel_pattern(gv_feel f, const float *src, gv_pattern *p);

#endif

/* lanes.h - a groove told in 1, 2 or 3 lanes, and sets of voices by name.
 *
 * A lane is a group of voices played as one tap: "which drum is which" at
 * the coarseness the player gave.  The lane tables (issue 20):
 *
 *   lanes  lane 0 (low)        lane 1                       lane 2 (high)
 *   1      every voice
 *   2      kick, low tom       everything else
 *   3      kick, low tom       snare, mid tom, high tom     closed hat, open hat, crash, ride
 *
 * Each lane is flattened exactly as the monotonic groove is
 * (gv_pattern_groove, whose rule this module reuses): per step the lane hits
 * when any of its voices hits, with the velocity and offset of its loudest
 * hit (the lowest voice wins a tie).  Lanes 1 is therefore the groove itself.
 *
 *   float hvo[GV_MAX_STEPS * GV_MAX_LANES * 3];
 *   gv_pattern_lanes(&p, 3, hvo);      // step t, lane l: hvo[(t*3 + l)*3 + 0..2]
 *   int l = gv_lane_of_voice(3, GV_SNARE);            // 1 (mid)
 *   int main = gv_lane_main_voice(3, l);              // GV_SNARE
 *
 *   unsigned keep;
 *   if (gv_voice_set_parse("kick,SD", &keep, &e) != 0) ... e.msg says why
 *   // keep == 1u << GV_KICK | 1u << GV_SNARE
 *
 * Everything here is pure: no allocation, no I/O, no globals. */
#ifndef GV_LANES_H
#define GV_LANES_H

#include "base/error.h"
#include "patterns/pattern.h"

#define GV_MAX_LANES 3

/* 1 when n is a lane count (1, 2 or 3). */
int gv_lanes_valid(int nlanes);

/* The lane (0 = low .. nlanes-1 = high) of a voice, or -1 when nlanes or
 * voice is out of range. */
int gv_lane_of_voice(int nlanes, int voice);

/* The voices of a lane as a mask (bit v: voice v); 0 when out of range. */
unsigned gv_lane_voices(int nlanes, int lane);

/* The voice a lane stands for when it is copied onto one drum: 1 lane ->
 * closed hat; 2 -> kick, closed hat; 3 -> kick, snare, closed hat.  -1 when
 * out of range. */
int gv_lane_main_voice(int nlanes, int lane);

/* The lanes a tap take asks for: 0 when p has no hit, 1 when every hit is
 * in one of the 3 lanes (one row of keys, one pad), else 3. */
int gv_lanes_tapped(const gv_pattern *p);

/* p's lanes: p->steps * nlanes * 3 floats to hvo, step-major: step t, lane l
 * at hvo[(t*nlanes + l)*3] (hit 0/1, vel, off).  nlanes must be valid
 * (nothing is written otherwise). */
void gv_pattern_lanes(const gv_pattern *p, int nlanes, float *hvo);

/* A set of voices from a comma-separated list of the names and labels
 * gv_voice_parse takes ("kick,snare", "KD,SD", "bd,hh"), case-insensitive,
 * spaces around names allowed; a voice named twice counts once.  An empty
 * list, an empty name or an unknown name fails (e->msg names the word and
 * lists the voices) and leaves *mask alone. */
int gv_voice_set_parse(const char *s, unsigned *mask, gv_err *e);

/* The set as "kick,snare" (voice order) into buf of n bytes; "" for none. */
void gv_voice_set_format(unsigned mask, char *buf, int n);

#endif

/* vmix.h - the session's mixer: per voice a volume, a mute and a solo, and
 * the pattern they make of a pattern.
 *
 * The mixer acts on notes, not on audio: a voice that does not sound (muted,
 * or not soloed while another voice is) loses its hits, and a volume scales
 * the velocities.  So what the synth plays (the front end queues the mixed
 * pattern through the player's lock-free pattern queue, nothing new reaches
 * the audio thread), what MIDI out sends and what "export as heard" writes
 * are one and the same pattern.  Volume is a velocity factor 0..1 (100%
 * leaves a voice as it is; there is no boost, so nothing clips at 127). */
#ifndef GV_VMIX_H
#define GV_VMIX_H

#include "patterns/pattern.h"

#define GV_VMIX_VOL_STEP 0.1f

typedef struct gv_vmix {
    unsigned mute, solo;   /* bit v: voice v */
    float vol[GV_VOICES];  /* 0..1 */
} gv_vmix;

/* Everything at 100%, nothing muted or soloed. */
void gv_vmix_init(gv_vmix *m);

/* Whether voice v sounds: not muted, and soloed when any voice is. */
int gv_vmix_sounds(const gv_vmix *m, int v);

/* The velocity factor of voice v: 0 when it does not sound, else its volume. */
float gv_vmix_gain(const gv_vmix *m, int v);

/* 1 when the mixer changes no pattern (every gain 1). */
int gv_vmix_flat(const gv_vmix *m);

/* out = in through the mixer (in and out may be the same): the hits of a
 * voice with gain 0 go, the others' velocities are scaled. */
void gv_vmix_apply(const gv_vmix *m, const gv_pattern *in, gv_pattern *out);

/* A short description of voice v's channel for the screen: "" at 100%
 * unmuted, else e.g. "muted", "solo", "vol 60%" (buf n bytes). */
void gv_vmix_describe(const gv_vmix *m, int v, char *buf, int n);

#endif

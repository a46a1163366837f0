/* mixer.h - voices of a kit summed to stereo through a master soft limiter.
 *
 * A trigger starts a voice at the mixer's current position (the player cuts
 * its blocks at note frames).  Velocity sets level (vel^1.5) and brightness
 * (a blend from the slot's dark copy to its bright sample); every slot has a
 * fixed pan.  A new hit of a slot fades the previous one out quickly (drum
 * machine style, keeps polyphony bounded); a closed hat chokes a sounding
 * open hat.  The limiter (gain riding at 16-frame resolution with fast
 * attack and 150 ms release, then a soft-knee clip above -2 dBFS) keeps
 * every sample strictly inside [-1, 1].  Real-time safe: no allocation,
 * locking or I/O. */
#ifndef GV_MIXER_H
#define GV_MIXER_H

#include "synth/kit.h"

#define GV_MIX_POLY 32
#define GV_MIX_BLOCK 256

typedef struct gv_mix_voice {
    int slot;                   /* kit slot, -1 when free */
    int64_t pos;                /* next sample frame */
    float bl, dl, br, dr;       /* bright/dark gains into left/right */
    float env, denv;            /* fade-out ramp; denv 0 unless fading */
} gv_mix_voice;

typedef struct gv_mixer {
    const gv_kit *kit;
    gv_mix_voice v[GV_MIX_POLY];
    float pan_l[GV_KIT_SLOTS], pan_r[GV_KIT_SLOTS];
    float fade[GV_KIT_SLOTS];   /* per-frame fade decrement when cut */
    float lim_gain, lim_release, vol;
    float L[GV_MIX_BLOCK + GV_KIT_PAD], R[GV_MIX_BLOCK + GV_KIT_PAD];
} gv_mixer;

void gv_mixer_init(gv_mixer *m, const gv_kit *kit);

/* Starts slot at velocity 0..1 at the current position. */
void gv_mixer_trigger(gv_mixer *m, int slot, float vel);

/* Renders n interleaved stereo frames into out (overwritten), the master
 * gain ramping from the previous call's to vol. */
void gv_mixer_render(gv_mixer *m, float *out, int n, float vol);

/* Voices sounding. */
int gv_mixer_active(const gv_mixer *m);

#endif

/* kit.h - the sounds: one mono sample buffer per voice at the stream rate.
 *
 * The built-in kit is synthesised at start-up (kick with pitch sweep and
 * click, snare tone + noise, metallic hats from six square oscillators at the
 * 808 ratios, tuned toms, long crash and ride, and a metronome click with an
 * accented variant), deterministically: the same rate gives the same samples.
 * gv_kit_load reads a Hydrogen drumkit folder (drumkit.xml) or a folder of
 * files named by voice (kick.wav, snare.flac, closed-hat.wav or HH.wav, ...)
 * with libsndfile, mixes them to mono and resamples them to the rate; voices
 * the folder lacks keep the built-in sound.
 *
 * Every slot also holds a darker (low-passed) copy: the mixer blends towards
 * it for soft hits, so velocity changes brightness as well as level. */
#ifndef GV_KIT_H
#define GV_KIT_H

#include <stdint.h>

#include "base/error.h"
#include "patterns/pattern.h"
#include "synth/dsp_resample.h" /* gv_resample, for the kit loader */
#include "synth/voices.h" /* GV_KIT_SLOTS: the voices and the two clicks */

#define GV_KIT_PAD 16 /* zero samples after every buffer, so mixing can run in whole vectors */

typedef struct gv_kit {
    double rate;
    float *smp[GV_KIT_SLOTS];  /* as synthesised / recorded, malloc'd, len + GV_KIT_PAD */
    float *dark[GV_KIT_SLOTS]; /* low-passed copy, same length and padding */
    int64_t len[GV_KIT_SLOTS]; /* frames */
    float level[GV_KIT_SLOTS]; /* mix level of the slot */
    char name[128];            /* "built-in" or the kit's name */
    int loaded;                /* voices taken from files (the rest are built-in) */
} gv_kit;

/* Synthesises the built-in kit at rate (8000..192000).  -1 only when out of memory. */
int gv_kit_builtin(gv_kit *k, double rate, gv_err *e);

/* Loads the kit in dir (Hydrogen drumkit.xml, or files named by voice).  On
 * failure (-1, e says what is wrong) k is left empty (all NULL). */
int gv_kit_load(gv_kit *k, const char *dir, double rate, gv_err *e);

/* What front ends use: dir NULL gives the built-in kit (0); otherwise the kit
 * in dir (0), or, when it is refused, the built-in kit with warn saying why
 * (1).  -1 only when even the built-in kit cannot be made (e says why). */
int gv_kit_open(gv_kit *k, const char *dir, double rate, gv_err *warn, gv_err *e);

void gv_kit_free(gv_kit *k);

/* Internal to the kit files: trims silent tails, pads, and fills the dark
 * copies of slots [0, GV_KIT_SLOTS); -1 when out of memory. */
int gv_kit_finish(gv_kit *k, gv_err *e);

#endif

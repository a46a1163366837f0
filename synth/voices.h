/* voices.h - the recipes of the built-in kit's sounds, each made of the DSP
 * units (dsp_biquad.h, dsp_metal.h, dsp_noise.h):
 *   kick   a sine with a falling pitch sweep, a band-passed noise click
 *   snare  two detuned sines dropping in pitch, filtered noise
 *   hats   metal through a band-pass and a high-pass plus noise (closed and
 *          open differ in decay)
 *   toms   a tuned sine pair with a pitch drop, a low-passed stick noise
 *   crash  bright metal and noise, a long low-passed wash
 *   ride   six bell partials, a band-passed metal ping, a noise wash
 *   click  the metronome: a short sine blip (1 kHz, accent 1.6 kHz)
 *
 *   gv_voice_synth(GV_SNARE, x, n, 48000);   // fills x[0..n)
 *
 * Every voice has its own fixed noise seed, so the same slot, length and rate
 * give the same samples on every run.  The result ends in a raised-cosine
 * fade over its last quarter and peaks at exactly 1. */
#ifndef GV_VOICES_H
#define GV_VOICES_H

#include <stdint.h>

#include "patterns/pattern.h"

#define GV_KIT_CLICK GV_VOICES              /* metronome beat */
#define GV_KIT_CLICK_ACCENT (GV_VOICES + 1) /* metronome beat 1 */
#define GV_KIT_SLOTS (GV_VOICES + 2)

/* slot: a voice (patterns/pattern.h) or GV_KIT_CLICK / GV_KIT_CLICK_ACCENT. */
void gv_voice_synth(int slot, float *x, int64_t n, double rate);

#endif

/* render.h - offline rendering: a pattern looped through the player (the
 * same gv_player_render the audio callback runs) into memory or a WAV file.
 *
 * The buffer starts with a pre-roll just long enough for early hits on step 0
 * (none when there are none); step 0 of the first loop is at frame *origin.
 * After the last loop the render goes on until every voice has rung out
 * (capped at max_tail_s seconds), so cymbals are not cut. */
#ifndef GV_RENDER_H
#define GV_RENDER_H

#include <stdint.h>

#include "base/error.h"
#include "patterns/pattern.h"
#include "synth/kit.h"

typedef struct gv_render_opts {
    double bpm;        /* 0: the pattern's tempo (120 if it has none) */
    double swing;      /* 0..1, see sequencer.h */
    int loops;         /* >= 1 */
    int metronome;     /* add the click */
    double max_tail_s; /* ring-out cap */
    int block;         /* frames per gv_player_render call (256) */
} gv_render_opts;

void gv_render_opts_default(gv_render_opts *o); /* 0 bpm, swing 0, 1 loop, 8 s tail, 256 */

/* Renders p with kit (at the kit's rate) into a malloc'd interleaved stereo
 * buffer *out of *frames frames (caller frees). */
int gv_render(const gv_pattern *p, const gv_kit *kit, const gv_render_opts *o,
              float **out, int64_t *frames, int64_t *origin, gv_err *e);

/* A performance through the player, as a live jam plays it: silence from
 * step 0, then pats[i] takes over at step at[i] (increasing; each a bar line,
 * or a beat line when beat), queued within the bar (beat) before as the TUI
 * queues it (GV_QUEUE_BAR / GV_QUEUE_BEAT), up to step `steps`, then the
 * ring-out.  Patterns play in phase with the timeline (cell = step mod
 * length).  o->loops is ignored; step 0 is frame 0 (no pre-roll). */
int gv_render_switches(const gv_pattern *pats, const int64_t *at, int n, int beat, int64_t steps, const gv_kit *kit,
                       const gv_render_opts *o, float **out, int64_t *frames, gv_err *e);

/* Writes interleaved stereo frames as a WAV file (16-bit PCM, or 32-bit float
 * when float_out: WAVE_FORMAT_IEEE_FLOAT with an 18-byte fmt chunk and a
 * fact chunk, which sox, Python's readers and DAWs take without a warning),
 * atomically.  The bytes depend only on the samples. */
int gv_render_write_wav(const char *path, const float *buf, int64_t frames, double rate,
                        int float_out, gv_err *e);

#endif

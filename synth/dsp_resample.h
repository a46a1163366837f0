/* dsp_resample.h - sample-rate conversion of a mono buffer by windowed sinc
 * (Blackman window, 16 zero crossings each side, a table of 256 points per
 * crossing with linear interpolation between; when going down the kernel is
 * widened to low-pass below the new Nyquist).
 *
 *   gv_resampler *r;
 *   if (gv_resampler_create(&r, &e)) ...        // the kernel table (heap)
 *   gv_resampler_init(r, 44100, 48000);         // rates, any number of times
 *   int64_t m = gv_resampler_out_len(r, n);     // frames out for n frames in
 *   gv_resampler_compute(r, x, n, y, m);        // y[m] from x[n]
 *   gv_resampler_destroy(&r);
 *
 * gv_resample does all of it for one buffer.  Deterministic: the same input
 * and rates give the same bits. */
#ifndef GV_DSP_RESAMPLE_H
#define GV_DSP_RESAMPLE_H

#include <stdint.h>

#include "base/error.h"

typedef struct gv_resampler gv_resampler;

/* Allocates *r with its kernel table; -1 (GV_E_NOMEM) when out of memory. */
int gv_resampler_create(gv_resampler **r, gv_err *e);
/* Sets the rates (both > 0, checked by the caller). */
void gv_resampler_init(gv_resampler *r, double from, double to);
/* Frames of output for n frames of input: ceil(n * to / from). */
int64_t gv_resampler_out_len(const gv_resampler *r, int64_t n);
/* y[0..m) from x[0..n) (m from gv_resampler_out_len, or fewer). */
void gv_resampler_compute(const gv_resampler *r, const float *x, int64_t n, float *y, int64_t m);
/* Frees *r and sets it NULL (NULL is fine). */
void gv_resampler_destroy(gv_resampler **r);

/* Resamples n frames of mono x at rate `from` to rate `to` into a malloc'd
 * buffer (*out, *nout frames). */
int gv_resample(const float *x, int64_t n, double from, double to, float **out, int64_t *nout, gv_err *e);

#endif

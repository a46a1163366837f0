/* dsp_metal.h - the TR-808 cymbal oscillator: six square waves at the 808's
 * inharmonic frequencies (205.3 .. 800 Hz) times a scale, summed to -1..1.
 * The clang under the built-in hats and cymbals.
 *
 *   gv_metal m;
 *   gv_metal_init(&m, 1.9, 48000);   // scale 1.9: a crash's higher clang
 *   for (...) s = gv_metal_compute(&m);
 *
 * No heap memory (init/compute only); the phases start staggered, so two
 * oscillators made alike give the same samples. */
#ifndef GV_DSP_METAL_H
#define GV_DSP_METAL_H

typedef struct gv_metal {
    double ph[6], inc[6];
} gv_metal;

void gv_metal_init(gv_metal *m, double scale, double rate);

/* The next sample, -1..1. */
double gv_metal_compute(gv_metal *m);

#endif

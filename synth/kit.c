/* kit.c - the built-in kit, synthesised into sample buffers at start-up (the
 * recipes are in voices.c, their DSP units in dsp_*.c), and what every kit
 * shares (dark copies, tail trimming). */
#include "kit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth/voices.h"

#define PI 3.14159265358979323846

void gv_kit_free(gv_kit *k)
{
    if (!k)
        return;
    for (int s = 0; s < GV_KIT_SLOTS; s++) {
        free(k->smp[s]);
        free(k->dark[s]);
    }
    memset(k, 0, sizeof *k);
}

/* Fuzz builds (make fuzz, -DGV_FUZZING) make the built-in sounds 50 times
 * shorter: gv_kit_load synthesises the built-in kit on every call, and at
 * full length that took nearly all of the kit fuzzer's time (12 runs/s). */
#ifdef GV_FUZZING
#define KIT_LENGTH_SCALE 0.02
#else
#define KIT_LENGTH_SCALE 1.0
#endif

int gv_kit_builtin(gv_kit *k, double rate, gv_err *e)
{
    /* seconds, mix level */
    static const double spec[GV_KIT_SLOTS][2] = {
        {0.8, 0.68}, {0.5, 0.56}, {0.3, 0.27}, {1.6, 0.27}, {1.0, 0.52}, {1.0, 0.5},
        {1.0, 0.48}, {3.5, 0.32}, {3.0, 0.3}, {0.08, 0.3}, {0.08, 0.4}};
    memset(k, 0, sizeof *k);
    if (!(rate >= 8000 && rate <= 192000))
        return gv_fail(e, "sample rate %g out of range 8000..192000", rate);
    k->rate = rate;
    snprintf(k->name, sizeof k->name, "built-in");
    for (int s = 0; s < GV_KIT_SLOTS; s++) {
        int64_t n = (int64_t)(spec[s][0] * KIT_LENGTH_SCALE * rate);
        k->smp[s] = calloc((size_t)n, sizeof(float));
        if (!k->smp[s]) {
            gv_kit_free(k);
            return gv_failc(e, GV_E_NOMEM, "out of memory");
        }
        k->len[s] = n;
        k->level[s] = (float)spec[s][1];
        gv_voice_synth(s, k->smp[s], n, rate);
    }
    return gv_kit_finish(k, e);
}

int gv_kit_finish(gv_kit *k, gv_err *e)
{
    for (int s = 0; s < GV_KIT_SLOTS; s++) {
        float *x = k->smp[s];
        int64_t n = k->len[s];
        if (!x)
            continue;
        /* trim below -80 dB of the peak: nothing audible, less to mix */
        float peak = 0;
        for (int64_t i = 0; i < n; i++)
            peak = fmaxf(peak, fabsf(x[i]));
        int64_t end = n;
        while (end > 1 && fabsf(x[end - 1]) < peak * 1e-4f)
            end--;
        k->len[s] = n = end;
        float *padded = realloc(x, (size_t)(n + GV_KIT_PAD) * sizeof(float));
        free(k->dark[s]);
        k->dark[s] = calloc((size_t)(n + GV_KIT_PAD), sizeof(float));
        if (!padded || !k->dark[s])
            return gv_failc(e, GV_E_NOMEM, "out of memory");
        k->smp[s] = x = padded;
        memset(x + n, 0, GV_KIT_PAD * sizeof(float));
        /* two one-pole low-passes well below the voice's own brightness,
         * then matched in energy so that soft hits are duller, not quieter
         * (level follows velocity apart) */
        static const double cutoff[GV_KIT_SLOTS] = {900, 1500, 3500, 3500, 900, 1000, 1200, 2500, 2500, 2000, 2000};
        double a = 1 - exp(-2 * PI * cutoff[s] / k->rate), y1 = 0, y2 = 0, ex = 0, ed = 0;
        for (int64_t i = 0; i < n; i++) {
            y1 += a * (x[i] - y1);
            y2 += a * (y1 - y2);
            k->dark[s][i] = (float)y2;
            ex += (double)x[i] * x[i];
            ed += y2 * y2;
        }
        float g = ed > 0 ? (float)sqrt(ex / ed) : 0.f;
        if (g > 8.f) /* a voice with nothing low: dull but not boosted into noise */
            g = 8.f;
        for (int64_t i = 0; i < n; i++)
            k->dark[s][i] *= g;
    }
    return 0;
}

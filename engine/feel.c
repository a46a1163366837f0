#include "engine/feel.h"

#include <math.h>
#include <string.h>

/* An offset under 1/100 of a step (about a tick at 480 PPQ) is on the grid;
 * velocities within one MIDI step of each other are the same. */
#define ON_GRID 0.01f
#define SAME_VEL (1.5f / 127.f)

static const char *const names[] = {"auto", "model", "groove"};

int gv_feel_parse(const char *s, gv_feel_mode *m, gv_err *e)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) {
            *m = (gv_feel_mode)i;
            return 0;
        }
    return gv_fail(e, "'%s' is not auto, model or groove", s);
}

const char *gv_feel_name(gv_feel_mode m) { return (unsigned)m < 3 ? names[m] : "?"; }

gv_feel gv_feel_resolve(gv_feel f, const float *src, int steps)
{
    int off_grid = 0, hits = 0;
    float lo = 1, hi = 0;
    for (int s = 0; s < steps; s++)
        if (src[3 * s] > 0.5f) {
            hits++;
            off_grid |= fabsf(src[3 * s + 2]) >= ON_GRID;
            lo = fminf(lo, src[3 * s + 1]);
            hi = fmaxf(hi, src[3 * s + 1]);
        }
    if (f.timing == GV_FEEL_AUTO)
        f.timing = off_grid ? GV_FEEL_GROOVE : GV_FEEL_MODEL;
    if (f.dynamics == GV_FEEL_AUTO)
        f.dynamics = hits && hi - lo > SAME_VEL ? GV_FEEL_GROOVE : GV_FEEL_MODEL;
    return f;
}

void gv_feel_step(gv_feel f, const float g[3], const uint8_t hit[GV_VOICES], float vel[GV_VOICES],
                  float off[GV_VOICES])
{
    if (g[0] <= 0.5f)
        return;
    float loudest = 0;
    for (int v = 0; v < GV_VOICES; v++)
        if (hit[v]) {
            if (f.timing == GV_FEEL_GROOVE)
                off[v] = g[2];
            loudest = fmaxf(loudest, vel[v]);
        }
    if (f.dynamics != GV_FEEL_GROOVE || loudest <= 0)
        return;
    float k = g[1] / loudest;
    for (int v = 0; v < GV_VOICES; v++)
        if (hit[v])
            vel[v] = fminf(1.f, fmaxf(1.f / 127, vel[v] * k));
}

void gv_feel_pattern(gv_feel f, const float *src, gv_pattern *p)
{
    for (int s = 0; s < p->steps; s++)
        gv_feel_step(f, src + 3 * s, p->hit[s], p->vel[s], p->off[s]);
}

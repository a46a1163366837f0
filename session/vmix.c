/* vmix.c - the session's mixer (see vmix.h). */
#include "session/vmix.h"

#include <math.h>
#include <stdio.h>

void gv_vmix_init(gv_vmix *m)
{
    m->mute = m->solo = 0;
    for (int v = 0; v < GV_VOICES; v++)
        m->vol[v] = 1.f;
}

int gv_vmix_sounds(const gv_vmix *m, int v)
{
    if (v < 0 || v >= GV_VOICES || (m->mute >> v & 1u))
        return 0;
    return !m->solo || (m->solo >> v & 1u);
}

float gv_vmix_gain(const gv_vmix *m, int v)
{
    if (!gv_vmix_sounds(m, v))
        return 0.f;
    float g = m->vol[v];
    return isfinite(g) ? fminf(fmaxf(g, 0.f), 1.f) : 1.f;
}

int gv_vmix_flat(const gv_vmix *m)
{
    for (int v = 0; v < GV_VOICES; v++)
        if (gv_vmix_gain(m, v) != 1.f)
            return 0;
    return 1;
}

void gv_vmix_apply(const gv_vmix *m, const gv_pattern *in, gv_pattern *out)
{
    if (out != in)
        *out = *in;
    for (int v = 0; v < GV_VOICES; v++) {
        float g = gv_vmix_gain(m, v);
        if (g == 1.f)
            continue;
        for (int s = 0; s < out->steps; s++) {
            if (!out->hit[s][v])
                continue;
            if (g > 0.f)
                out->vel[s][v] *= g;
            else
                gv_pattern_set(out, s, v, 0, 0, 0);
        }
    }
}

void gv_vmix_describe(const gv_vmix *m, int v, char *buf, int n)
{
    int pct = (int)lroundf(100 * m->vol[v]);
    const char *state = m->mute >> v & 1u ? "muted" : m->solo >> v & 1u ? "solo" : "";
    if (pct == 100)
        snprintf(buf, (size_t)n, "%s", state);
    else
        snprintf(buf, (size_t)n, "%s%svol %d%%", state, *state ? " " : "", pct);
}

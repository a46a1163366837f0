#include "pattern.h"

#include <stdio.h>
#include <string.h>

static float clampf(float x, float lo, float hi) { return x < lo ? lo : x > hi ? hi : x; }

void gv_pattern_init(gv_pattern *p, int steps, float bpm, const char *name)
{
    memset(p, 0, sizeof *p);
    p->steps = steps;
    p->bpm = bpm;
    if (name) {
        snprintf(p->name, sizeof p->name, "%s", name);
    }
}

void gv_pattern_set_tempo(gv_pattern *p, double bpm)
{
    double t = bpm < GV_TEMPO_MIN ? GV_TEMPO_MIN : bpm > GV_TEMPO_MAX ? GV_TEMPO_MAX : bpm;
    p->bpm = (float)t;
    p->bpm_file = t == bpm ? 0.f : (float)bpm;
}

void gv_pattern_set(gv_pattern *p, int step, int voice, int hit, float vel, float off)
{
    if (step < 0 || step >= GV_MAX_STEPS || voice < 0 || voice >= GV_VOICES)
        return;
    p->hit[step][voice] = hit ? 1 : 0;
    p->vel[step][voice] = hit ? clampf(vel, 0.f, 1.f) : 0.f;
    p->off[step][voice] = hit ? clampf(off, -0.5f, 0.5f) : 0.f;
}

void gv_pattern_merge(gv_pattern *p, int step, int voice, float vel, float off)
{
    if (step < 0 || step >= GV_MAX_STEPS || voice < 0 || voice >= GV_VOICES)
        return;
    if (p->hit[step][voice] && p->vel[step][voice] >= vel)
        return;
    gv_pattern_set(p, step, voice, 1, vel, off);
}

int gv_pattern_count_voice(const gv_pattern *p, int voice)
{
    int n = 0;
    for (int t = 0; t < p->steps; t++)
        n += p->hit[t][voice];
    return n;
}

int gv_pattern_count(const gv_pattern *p)
{
    int n = 0;
    for (int v = 0; v < GV_VOICES; v++)
        n += gv_pattern_count_voice(p, v);
    return n;
}

void gv_pattern_groove_of(const gv_pattern *p, unsigned voices, float *hvo, int stride)
{
    for (int t = 0; t < p->steps; t++) {
        int best = -1;
        for (int v = 0; v < GV_VOICES; v++)
            if ((voices >> v & 1u) && p->hit[t][v] && (best < 0 || p->vel[t][v] > p->vel[t][best]))
                best = v;
        float *o = hvo + (size_t)t * (size_t)stride;
        o[0] = best >= 0 ? 1.f : 0.f;
        o[1] = best >= 0 ? p->vel[t][best] : 0.f;
        o[2] = best >= 0 ? p->off[t][best] : 0.f;
    }
}

void gv_pattern_groove(const gv_pattern *p, float *hvo) { gv_pattern_groove_of(p, (1u << GV_VOICES) - 1, hvo, 3); }

void gv_pattern_slice(const gv_pattern *src, int start, int n, gv_pattern *dst)
{
    gv_pattern_init(dst, n, src->bpm, src->name);
    dst->bpm_file = src->bpm_file;
    for (int t = 0; t < n; t++) {
        int s = start + t;
        if (s < 0 || s >= src->steps)
            continue;
        memcpy(dst->hit[t], src->hit[s], sizeof dst->hit[t]);
        memcpy(dst->vel[t], src->vel[s], sizeof dst->vel[t]);
        memcpy(dst->off[t], src->off[s], sizeof dst->off[t]);
    }
}

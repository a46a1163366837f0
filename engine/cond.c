/* cond.c - the conditioned model's input features (engine/cond.h). */
#include "engine/cond.h"

#include <string.h>

#include "patterns/lanes.h"

#define T_ GV_COND_STEPS
#define ALL_VOICES ((1u << GV_VOICES) - 1)

void gv_cond_default(gv_cond *c)
{
    memset(c, 0, sizeof *c);
    c->lanes = 1;
}

int gv_cond_check(const gv_cond *c, gv_err *e)
{
    if (!gv_lanes_valid(c->lanes))
        return gv_fail(e, "lanes %d: expected 1, 2 or 3", c->lanes);
    if (c->keep & ~ALL_VOICES)
        return gv_fail(e, "kept voices 0x%x: not a set of the %d voices", c->keep, GV_VOICES);
    if (c->keep == ALL_VOICES)
        return gv_fail(e, "every voice kept: nothing left to generate");
    if (c->keep && c->humanize)
        return gv_fail(e, "humanize keeps every hit already: no kept voices with it");
    if (c->blind && (c->keep || c->humanize || c->lanes != 1))
        return gv_fail(e, "blind (sampling) takes nothing but the groove's latent");
    return 0;
}

void gv_cond_hvo(const gv_pattern *p, int step0, float *hvo)
{
    memset(hvo, 0, (size_t)T_ * GV_COND_HVO * sizeof *hvo);
    for (int t = 0; t < T_ && step0 + t < p->steps; t++)
        for (int v = 0; v < GV_VOICES; v++)
            if (p->hit[step0 + t][v]) {
                float *s = hvo + t * GV_COND_HVO;
                s[v] = 1.f;
                s[GV_VOICES + v] = p->vel[step0 + t][v];
                s[2 * GV_VOICES + v] = p->off[step0 + t][v];
            }
}

void gv_cond_flatten(const float *hvo, unsigned mask, float *out, int stride)
{
    for (int t = 0; t < T_; t++) {
        const float *s = hvo + t * GV_COND_HVO;
        float *o = out + (size_t)t * stride;
        int best = -1;
        for (int v = 0; v < GV_VOICES; v++)
            if ((mask >> v & 1u) && s[v] > 0.5f && (best < 0 || s[GV_VOICES + v] > s[GV_VOICES + best]))
                best = v;
        o[0] = best >= 0 ? 1.f : 0.f;
        o[1] = best >= 0 ? s[GV_VOICES + best] : 0.f;
        o[2] = best >= 0 ? s[2 * GV_VOICES + best] : 0.f;
    }
}

/* The lanes of a lane count at column col (3 floats a lane) and its flag. */
static void lanes_block(const float *hvo, int nlanes, float *src, int col, int flag)
{
    for (int l = 0; l < nlanes; l++)
        gv_cond_flatten(hvo, gv_lane_voices(nlanes, l), src + col + 3 * l, GV_COND_FEATURES);
    for (int t = 0; t < T_; t++)
        src[t * GV_COND_FEATURES + flag] = 1.f;
}

void gv_cond_features(const gv_cond *c, const float *hvo, float *src)
{
    memset(src, 0, (size_t)T_ * GV_COND_FEATURES * sizeof *src);
    gv_cond_flatten(hvo, ALL_VOICES, src, GV_COND_FEATURES);
    for (int t = 0; !c->blind && t < T_; t++) {
        float *o = src + t * GV_COND_FEATURES;
        memcpy(o + GV_COND_GROOVE_DEC, o, 3 * sizeof *o);
        o[GV_COND_GIVEN_DEC] = 1.f;
    }
    if (c->humanize || c->keep) {
        unsigned hits = c->humanize ? ALL_VOICES : c->keep, feel = c->humanize ? 0u : c->keep;
        for (int t = 0; t < T_; t++) {
            const float *s = hvo + t * GV_COND_HVO;
            float *o = src + t * GV_COND_FEATURES;
            for (int v = 0; v < GV_VOICES; v++) {
                if (hits >> v & 1u) {
                    o[GV_COND_VOICES + 3 * v] = s[v] > 0.5f ? 1.f : 0.f;
                    o[GV_COND_HITS_GIVEN + v] = 1.f;
                }
                if ((feel >> v & 1u) && s[v] > 0.5f) {
                    o[GV_COND_VOICES + 3 * v + 1] = s[GV_VOICES + v];
                    o[GV_COND_VOICES + 3 * v + 2] = s[2 * GV_VOICES + v];
                }
                if (feel >> v & 1u)
                    o[GV_COND_FEEL_GIVEN + v] = 1.f;
            }
        }
        return;
    }
    if (c->lanes == 2)
        lanes_block(hvo, 2, src, GV_COND_LANES2, GV_COND_GIVEN2);
    else if (c->lanes == 3)
        lanes_block(hvo, 3, src, GV_COND_LANES3, GV_COND_GIVEN3);
}

unsigned gv_cond_given_voices(const gv_cond *c)
{
    return c->humanize ? ALL_VOICES : c->keep;
}

int gv_cond_taps(const gv_cond *c, const float *hvo, float *lanes)
{
    int nl = c->keep ? 1 : c->lanes; /* with kept voices the lane is the whole groove */
    for (int l = 0; l < nl; l++)
        gv_cond_flatten(hvo, gv_lane_voices(nl, l), lanes + 3 * l, 3 * nl);
    return nl;
}

void gv_cond_hold(const gv_cond *c, const float *hvo, float *hit_p)
{
    unsigned given = gv_cond_given_voices(c);
    float lanes[T_ * GV_MAX_LANES * 3];
    int nl = gv_cond_taps(c, hvo, lanes);
    for (int t = 0; t < T_; t++)
        for (int v = 0; v < GV_VOICES; v++) {
            float *p = hit_p + t * GV_VOICES + v;
            if (given >> v & 1u)
                *p = hvo[t * GV_COND_HVO + v] > 0.5f ? 1.f : 0.f;
            else if (c->humanize || lanes[(t * nl + gv_lane_of_voice(nl, v)) * 3] < 0.5f)
                *p = 0.f;
        }
}

void gv_cond_fill(const gv_cond *c, const float *hvo, const float *hit_p, const float *vel, const float *off,
                  const int *max_hits, float *out)
{
    if (c->humanize)
        return;
    unsigned given = gv_cond_given_voices(c);
    int count[GV_VOICES] = {0};
    float lanes[T_ * GV_MAX_LANES * 3];
    int nl = gv_cond_taps(c, hvo, lanes);
    for (int t = 0; t < T_; t++)
        for (int v = 0; v < GV_VOICES; v++)
            count[v] += out[t * GV_COND_HVO + v] > 0.5f;
    for (int t = 0; t < T_; t++)
        for (int l = 0; l < nl; l++) {
            if (lanes[(t * nl + l) * 3] < 0.5f)
                continue;
            unsigned lv = gv_lane_voices(nl, l);
            int taken = 0, best = -1;
            for (int v = 0; v < GV_VOICES; v++) {
                if (!(lv >> v & 1u))
                    continue;
                float *o = out + t * GV_COND_HVO;
                taken |= o[v] > 0.5f || ((given >> v & 1u) && hvo[t * GV_COND_HVO + v] > 0.5f);
                int free_v = !(given >> v & 1u) && !(max_hits && max_hits[v] >= 0 && count[v] >= max_hits[v]);
                if (free_v && (best < 0 || hit_p[t * GV_VOICES + v] > hit_p[t * GV_VOICES + best]))
                    best = v;
            }
            if (taken || best < 0)
                continue;
            float *o = out + t * GV_COND_HVO;
            int i = t * GV_VOICES + best;
            o[best] = 1.f;
            o[GV_VOICES + best] = vel[i] > 1.f / 127 ? vel[i] : 1.f / 127;
            o[2 * GV_VOICES + best] = off[i];
            count[best]++;
        }
}

void gv_cond_restore(const gv_cond *c, const float *hvo, const float *vel, const float *off, float *out)
{
    unsigned given = gv_cond_given_voices(c);
    for (int t = 0; t < T_; t++)
        for (int v = 0; v < GV_VOICES; v++) {
            if (!(given >> v & 1u))
                continue;
            const float *s = hvo + t * GV_COND_HVO;
            float *o = out + t * GV_COND_HVO;
            int hit = s[v] > 0.5f, i = t * GV_VOICES + v;
            o[v] = hit ? 1.f : 0.f;
            if (c->humanize) {
                o[GV_VOICES + v] = hit ? (vel[i] > 1.f / 127 ? vel[i] : 1.f / 127) : 0.f;
                o[2 * GV_VOICES + v] = hit ? off[i] : 0.f;
            } else {
                o[GV_VOICES + v] = s[GV_VOICES + v];
                o[2 * GV_VOICES + v] = s[2 * GV_VOICES + v];
            }
        }
}

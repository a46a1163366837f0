/* mixer.c - voice mixing, choke, pan and the master limiter (see mixer.h). */
#include "mixer.h"

#include <math.h>
#include <string.h>

#define LIM_CHUNK 16
#define LIM_THRESH 0.794f /* -2 dBFS: the knee of the soft clip */

/* Pan, -1 (left) .. 1 (right), from the drummer's seat. */
static const float pan[GV_KIT_SLOTS] = {
    0.0f, -0.1f, -0.35f, -0.35f, 0.45f, 0.15f, -0.15f, -0.45f, 0.5f, 0.0f, 0.0f};

void gv_mixer_init(gv_mixer *m, const gv_kit *kit)
{
    memset(m, 0, sizeof *m);
    m->kit = kit;
    for (int i = 0; i < GV_MIX_POLY; i++)
        m->v[i].slot = -1;
    for (int s = 0; s < GV_KIT_SLOTS; s++) {
        double a = (pan[s] + 1) * 3.14159265358979 / 4; /* equal power */
        m->pan_l[s] = (float)cos(a);
        m->pan_r[s] = (float)sin(a);
        /* a re-struck cymbal lets the old wash die over 80 ms; drums 12 ms */
        double t = (s == GV_CRASH || s == GV_RIDE || s == GV_OHAT) ? 0.08 : 0.012;
        m->fade[s] = (float)(1.0 / (t * kit->rate));
    }
    m->lim_gain = 1;
    m->lim_release = (float)(1 - exp(-LIM_CHUNK / (0.15 * kit->rate)));
    m->vol = 1;
}

void gv_mixer_trigger(gv_mixer *m, int slot, float vel)
{
    if (slot < 0 || slot >= GV_KIT_SLOTS || !m->kit->smp[slot] || m->kit->len[slot] <= 0)
        return;
    if (!(vel > 0))
        return;
    if (vel > 1)
        vel = 1;
    float choke = (float)(1.0 / (0.008 * m->kit->rate)); /* closed hat cuts open hat in 8 ms */
    gv_mix_voice *slotv = NULL;
    int64_t oldest = -1;
    for (int i = 0; i < GV_MIX_POLY; i++) {
        gv_mix_voice *v = &m->v[i];
        if (v->slot < 0) {
            if (!slotv || slotv->slot >= 0)
                slotv = v;
            continue;
        }
        if (v->slot == slot && v->denv == 0)
            v->denv = m->fade[slot];
        else if (slot == GV_CHAT && v->slot == GV_OHAT)
            v->denv = v->denv > choke ? v->denv : choke;
        if ((!slotv || slotv->slot >= 0) && v->pos > oldest) {
            oldest = v->pos; /* steal the oldest when all are busy */
            slotv = v;
        }
    }
    float amp = m->kit->level[slot] * powf(vel, 1.5f);
    float b = vel; /* brightness: the blend towards the bright sample */
    *slotv = (gv_mix_voice){slot, 0, amp * b * m->pan_l[slot], amp * (1 - b) * m->pan_l[slot],
                            amp * b * m->pan_r[slot], amp * (1 - b) * m->pan_r[slot], 1.f, 0.f};
}

/* The hot loops work on 4-float vectors (GCC/Clang vector extensions, SSE2
 * on x86-64) and always in whole vectors: samples are followed by
 * GV_KIT_PAD zeros and L/R by as much scratch, so rounding a count up only
 * adds silence past a voice's end, or lands beyond the chunk. */
typedef float v4f __attribute__((vector_size(16)));
typedef int v4i __attribute__((vector_size(16)));
#define VEC 4

static inline v4f ld(const float *p)
{
    v4f v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void st(float *p, v4f v) { memcpy(p, &v, sizeof v); }
static inline v4f splat(float x) { return (v4f){x, x, x, x}; }
static inline v4f select_v(v4i m, v4f a, v4f b) { return (v4f)(((v4i)a & m) | ((v4i)b & ~m)); }

static void mix_voice(gv_mixer *m, gv_mix_voice *v, int n)
{
    const gv_kit *k = m->kit;
    int64_t left = k->len[v->slot] - v->pos;
    int cnt = left < n ? (int)left : n;
    const float *s = k->smp[v->slot] + v->pos, *d = k->dark[v->slot] + v->pos;
    const v4f bl = splat(v->bl), dl = splat(v->dl), br = splat(v->br), dr = splat(v->dr);
    if (v->denv == 0) {
        for (int i = 0; i < cnt; i += VEC) {
            v4f x = ld(s + i), y = ld(d + i);
            st(m->L + i, ld(m->L + i) + bl * x + dl * y);
            st(m->R + i, ld(m->R + i) + br * x + dr * y);
        }
    } else {
        float env = v->env, denv = v->denv;
        int stop = (int)ceilf(env / denv);
        if (stop < cnt)
            cnt = stop;
        const v4f ramp = {0, 1, 2, 3}, zero = splat(0);
        for (int i = 0; i < cnt; i += VEC) {
            v4f g = splat(env) - splat(denv) * (splat((float)i) + ramp);
            g = select_v(g > zero, g, zero);
            v4f x = ld(s + i), y = ld(d + i);
            st(m->L + i, ld(m->L + i) + g * (bl * x + dl * y));
            st(m->R + i, ld(m->R + i) + g * (br * x + dr * y));
        }
        v->env = env - denv * (float)cnt;
        if (v->env <= 0)
            left = 0;
    }
    v->pos += cnt;
    if (left <= n)
        v->slot = -1;
}

/* Identity up to the knee, then a rational curve approaching full scale;
 * NaN becomes 0 so that nothing undefined reaches the device. */
static inline v4f soft_clip(v4f y)
{
    const v4i sign = splat(-0.f) == splat(-0.f); /* all ones */
    const v4i magbits = (v4i)splat(-0.f) ^ sign;  /* 0x7fffffff */
    v4f a = (v4f)((v4i)y & magbits);
    v4f u = (a - splat(LIM_THRESH)) * splat(1 / (1 - LIM_THRESH));
    v4f c = splat(LIM_THRESH) + splat(1 - LIM_THRESH) * (u / (splat(1) + u));
    c = select_v(c < splat(1), c, splat(1));
    a = select_v(a > splat(LIM_THRESH), c, a);
    v4f r = (v4f)((v4i)a | ((v4i)y & (v4i)splat(-0.f)));
    return select_v(y == y, r, splat(0));
}

static void render_chunk(gv_mixer *m, float *out, int n, float vol0, float dvol)
{
    memset(m->L, 0, sizeof m->L);
    memset(m->R, 0, sizeof m->R);
    for (int i = 0; i < GV_MIX_POLY; i++)
        if (m->v[i].slot >= 0)
            mix_voice(m, &m->v[i], n);
    const v4f ramp = {0, 1, 2, 3};
    for (int c = 0; c < n; c += LIM_CHUNK) {
        int e = c + LIM_CHUNK < n ? c + LIM_CHUNK : n;
        float peak = 0;
        for (int i = c; i < e; i++) {
            float a = fabsf(m->L[i]), b = fabsf(m->R[i]);
            a = a > b ? a : b;
            peak = a > peak ? a : peak;
        }
        float va = vol0 + dvol * (float)c, vb = vol0 + dvol * (float)e;
        peak *= va > vb ? va : vb;
        float g0 = m->lim_gain, g1 = g0 + (1 - g0) * m->lim_release;
        if (peak * g1 > LIM_THRESH)
            g1 = LIM_THRESH / peak;
        float dg = (g1 - g0) / (float)(e - c);
        for (int i = c; i < e; i += VEC) {
            v4f t = splat((float)i) + ramp;
            v4f g = (splat(g0) + splat(dg) * (t - splat((float)c))) * (splat(vol0) + splat(dvol) * t);
            st(m->L + i, soft_clip(ld(m->L + i) * g));
            st(m->R + i, soft_clip(ld(m->R + i) * g));
        }
        for (int i = c; i < e; i++) {
            out[2 * i] = m->L[i];
            out[2 * i + 1] = m->R[i];
        }
        m->lim_gain = g1;
    }
}

void gv_mixer_render(gv_mixer *m, float *out, int n, float vol)
{
    if (n <= 0)
        return;
    float dvol = (vol - m->vol) / (float)n;
    for (int c = 0; c < n; c += GV_MIX_BLOCK) {
        int k = n - c < GV_MIX_BLOCK ? n - c : GV_MIX_BLOCK;
        render_chunk(m, out + 2 * c, k, m->vol + dvol * (float)c, dvol);
    }
    m->vol = vol;
}

int gv_mixer_active(const gv_mixer *m)
{
    int a = 0;
    for (int i = 0; i < GV_MIX_POLY; i++)
        a += m->v[i].slot >= 0;
    return a;
}

/* tap.c - tap recording and quantisation (see tap.h). */
#include "session/tap.h"

#include <math.h>
#include <string.h>

void gv_tap_start(gv_tap *t, double now, float bpm)
{
    memset(t, 0, sizeof *t);
    t->phase = GV_TAP_COUNTIN;
    t->t0 = now;
    t->bpm = bpm > 0 ? bpm : 120;
}

void gv_tap_cancel(gv_tap *t)
{
    t->phase = GV_TAP_IDLE;
    t->n = 0;
}

double gv_tap_step_sec(const gv_tap *t)
{
    return 60.0 / t->bpm / 4.0;
}

/* Position in steps from the first recorded downbeat. */
static double tap_pos(const gv_tap *t, double now)
{
    return (now - t->t0) / gv_tap_step_sec(t) - GV_TAP_COUNTIN_BEATS * 4;
}

int gv_tap_phase(const gv_tap *t, double now, int *beat)
{
    if (t->phase == GV_TAP_IDLE || t->phase == GV_TAP_DONE) {
        if (beat)
            *beat = 0;
        return t->phase;
    }
    double pos = tap_pos(t, now);
    int phase = pos >= GV_TAP_STEPS ? GV_TAP_DONE : pos >= 0 ? GV_TAP_RECORD : t->phase;
    if (beat) {
        double b = floor(pos / 4);
        *beat = phase == GV_TAP_COUNTIN ? (int)b + GV_TAP_COUNTIN_BEATS : phase == GV_TAP_RECORD ? (int)b : 0;
    }
    return phase;
}

int gv_tap_update(gv_tap *t, double now, int *beat)
{
    return t->phase = gv_tap_phase(t, now, beat);
}

int gv_tap_voice(int ch, int *accent)
{
    static const char *rows[3] = {"zxcvbnm", "asdfghjkl", "qwertyuiop"};
    static const int voices[3] = {GV_KICK, GV_SNARE, GV_CHAT};
    int acc = ch >= 'A' && ch <= 'Z';
    int lower = acc ? ch - 'A' + 'a' : ch;
    if (accent)
        *accent = acc;
    if (ch == ' ')
        return GV_KICK;
    if (lower < 'a' || lower > 'z')
        return -1;
    for (int r = 0; r < 3; r++)
        if (strchr(rows[r], lower))
            return voices[r];
    return -1;
}

int gv_tap_hit(gv_tap *t, double now, int voice, float vel)
{
    if (t->phase != GV_TAP_COUNTIN && t->phase != GV_TAP_RECORD)
        return 0;
    double pos = tap_pos(t, now);
    if (voice < 0 || voice >= GV_VOICES || pos < -0.5 || pos >= GV_TAP_STEPS || t->n >= GV_TAP_MAX_EVENTS)
        return 0;
    gv_tap_event *e = &t->ev[t->n++];
    e->t = pos * gv_tap_step_sec(t);
    e->voice = voice;
    e->vel = vel;
    return 1;
}

int gv_tap_key(gv_tap *t, double now, int ch)
{
    int accent;
    int v = gv_tap_voice(ch, &accent);
    return gv_tap_hit(t, now, v, accent ? GV_TAP_ACCENT : GV_TAP_VEL);
}

int gv_tap_quantise(const gv_tap *t, gv_pattern *out)
{
    gv_pattern_init(out, GV_TAP_STEPS, t->bpm, "tap");
    for (int i = 0; i < t->n; i++) {
        double pos = t->ev[i].t / gv_tap_step_sec(t);
        double step = floor(pos + 0.5);
        float off = (float)(pos - step);
        int s = ((int)step % GV_TAP_STEPS + GV_TAP_STEPS) % GV_TAP_STEPS;
        gv_pattern_merge(out, s, t->ev[i].voice, t->ev[i].vel, off);
    }
    return gv_pattern_count(out);
}

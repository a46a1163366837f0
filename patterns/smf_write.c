/* smf_write.c - gv_pattern -> Standard MIDI File (format 0, 480 PPQ), and
 * patterns played one after another with a track of taps (format 1; see smf.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "smf.h"

#define TICKS_PER_STEP (GV_SMF_PPQ / 4)
#define NOTE_TICKS (GV_SMF_PPQ / 8) /* a 1/32 */

typedef struct event {
    uint32_t tick;
    uint8_t on, voice, vel;
} event;

static int cmp_event(const void *a, const void *b)
{
    const event *x = a, *y = b;
    if (x->tick != y->tick)
        return x->tick < y->tick ? -1 : 1;
    if (x->on != y->on)
        return x->on - y->on; /* offs first, so a note ends before its voice sounds again */
    return x->voice - y->voice;
}

static unsigned char *put_vlq(unsigned char *w, uint32_t v)
{
    unsigned char tmp[4];
    int n = 0;
    do {
        tmp[n++] = v & 0x7f;
        v >>= 7;
    } while (v && n < 4);
    while (n > 1)
        *w++ = tmp[--n] | 0x80;
    *w++ = tmp[0];
    return w;
}

static unsigned char *put_be32(unsigned char *w, uint32_t v)
{
    w[0] = (unsigned char)(v >> 24);
    w[1] = (unsigned char)(v >> 16);
    w[2] = (unsigned char)(v >> 8);
    w[3] = (unsigned char)v;
    return w + 4;
}

/* Onset tick of a cell.  The shift stays inside (-60, +60) so that the note
 * reads back into its own step (halves round up). */
static uint32_t onset(const gv_pattern *p, int t, int v)
{
    float off = isfinite(p->off[t][v]) ? p->off[t][v] : 0.f;
    long shift = lroundf(off * TICKS_PER_STEP);
    if (shift < -TICKS_PER_STEP / 2)
        shift = -TICKS_PER_STEP / 2;
    if (shift > TICKS_PER_STEP / 2 - 1)
        shift = TICKS_PER_STEP / 2 - 1;
    long tick = (long)t * TICKS_PER_STEP + shift;
    return tick < 0 ? 0 : (uint32_t)tick;
}

/* The note-ons and note-offs of p into ev (sorted); returns their count.  A
 * note lasts a 1/32 or until its voice's next onset. */
static int collect_events(const gv_pattern *p, event *ev)
{
    int n = 0;
    for (int v = 0; v < GV_VOICES; v++) {
        for (int t = 0; t < p->steps; t++) {
            if (!p->hit[t][v])
                continue;
            uint32_t on = onset(p, t, v), off = on + NOTE_TICKS;
            for (int u = t + 1; u < p->steps; u++)
                if (p->hit[u][v]) {
                    uint32_t next = onset(p, u, v);
                    if (next < off)
                        off = next;
                    break;
                }
            float vf = isfinite(p->vel[t][v]) ? p->vel[t][v] : 0.f;
            long vel = lroundf(vf * 127.f);
            vel = vel < 1 ? 1 : vel > 127 ? 127 : vel;
            ev[n++] = (event){on, 1, (uint8_t)v, (uint8_t)vel};
            ev[n++] = (event){off, 0, (uint8_t)v, 0};
        }
    }
    qsort(ev, (size_t)n, sizeof *ev, cmp_event);
    return n;
}

/* The track's meta events at tick 0: name (when p has one), tempo (usec per
 * quarter), 4/4 time. */
static unsigned char *put_meta(unsigned char *w, const gv_pattern *p, uint32_t u)
{
    size_t namelen = strnlen(p->name, sizeof p->name);
    if (namelen) {
        w = put_vlq(w, 0);
        *w++ = 0xff;
        *w++ = 0x03;
        w = put_vlq(w, (uint32_t)namelen);
        memcpy(w, p->name, namelen);
        w += namelen;
    }
    const unsigned char tempo[7] = {0, 0xff, 0x51, 3, (unsigned char)(u >> 16), (unsigned char)(u >> 8), (unsigned char)u};
    const unsigned char ts[8] = {0, 0xff, 0x58, 4, 4, 2, 24, 8}; /* 4/4, click per quarter, 8 32nds per quarter */
    memcpy(w, tempo, sizeof tempo);
    w += sizeof tempo;
    memcpy(w, ts, sizeof ts);
    return w + sizeof ts;
}

/* The whole file into buf; returns the end of what it wrote. */
static unsigned char *put_file(unsigned char *buf, const gv_pattern *p, uint32_t usec, const event *ev, int n)
{
    unsigned char *w = buf;
    memcpy(w, "MThd", 4);
    w = put_be32(w + 4, 6);
    const unsigned char hdr[6] = {0, 0, 0, 1, GV_SMF_PPQ >> 8, GV_SMF_PPQ & 0xff};
    memcpy(w, hdr, 6);
    w += 6;
    memcpy(w, "MTrk", 4);
    unsigned char *trk_len = w + 4, *trk = w + 8;
    w = put_meta(trk, p, usec);
    uint32_t now = 0;
    for (int i = 0; i < n; i++) {
        w = put_vlq(w, ev[i].tick - now);
        now = ev[i].tick;
        *w++ = ev[i].on ? 0x99 : 0x89;
        *w++ = (unsigned char)gv_voice_note(ev[i].voice);
        *w++ = ev[i].on ? ev[i].vel : 0x40;
    }
    uint32_t end = (uint32_t)p->steps * TICKS_PER_STEP;
    w = put_vlq(w, end > now ? end - now : 0);
    *w++ = 0xff;
    *w++ = 0x2f;
    *w++ = 0;
    put_be32(trk_len, (uint32_t)(w - trk));
    return w;
}

int gv_smf_write(const gv_pattern *p, unsigned char **data, size_t *len, gv_err *e)
{
    *data = NULL;
    *len = 0;
    if (p->steps < GV_MIN_STEPS || p->steps > GV_MAX_STEPS || p->steps % GV_STEPS_PER_BAR)
        return gv_failc(e, GV_E_RANGE, "pattern has %d steps: must be a multiple of 16 in 16..256", p->steps);
    double usec = isfinite(p->bpm) && p->bpm > 0 ? round(60e6 / p->bpm) : 0;
    if (!(usec >= 1 && usec <= 0xffffff))
        return gv_failc(e, GV_E_RANGE, "tempo %g BPM cannot be written to a MIDI file", p->bpm);

    event *ev = malloc(sizeof *ev * 2 * GV_MAX_STEPS * GV_VOICES);
    /* header 14 + chunk 8 + name 4+64 + tempo 7 + ts 8 + events 8 each + eot 8 */
    unsigned char *buf = malloc(14 + 8 + 4 + sizeof p->name + 7 + 8 + 8 * 2 * GV_MAX_STEPS * GV_VOICES + 8);
    if (!ev || !buf) {
        free(ev);
        free(buf);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    int n = collect_events(p, ev);
    unsigned char *w = put_file(buf, p, (uint32_t)usec, ev, n);
    free(ev);
    *data = buf;
    *len = (size_t)(w - buf);
    return 0;
}

int gv_smf_save(const char *path, const gv_pattern *p, gv_err *e)
{
    unsigned char *data;
    size_t len;
    if (gv_smf_write(p, &data, &len, e))
        return -1;
    int rc = gv_write_atomic(path, data, len, e);
    free(data);
    return rc;
}

/* ---- format 1: parts one after another, and taps ---- */

typedef struct tev {
    uint32_t tick;
    uint8_t on, note, vel, ch;
} tev;

static int cmp_tev(const void *a, const void *b)
{
    const tev *x = a, *y = b;
    if (x->tick != y->tick)
        return x->tick < y->tick ? -1 : 1;
    if (x->on != y->on)
        return x->on - y->on;
    return x->note - y->note;
}

/* A marker meta event (FF 06) at tick, delta from *now. */
static unsigned char *put_marker(unsigned char *w, uint32_t tick, uint32_t *now, const char *text)
{
    size_t len = strnlen(text ? text : "", GV_SMF_MARK_MAX);
    w = put_vlq(w, tick - *now);
    *now = tick;
    *w++ = 0xff, *w++ = 0x06;
    w = put_vlq(w, (uint32_t)len);
    memcpy(w, text ? text : "", len);
    return w + len;
}

/* One MTrk chunk: name, then (tempo track only) tempo and 4/4, then ev with
 * the markers (sorted by step) before the events of their tick. */
static unsigned char *put_track(unsigned char *w, const char *name, uint32_t usec, int tempo, const tev *ev, int n,
                                const gv_smf_mark *marks, int nmarks, uint32_t end)
{
    memcpy(w, "MTrk", 4);
    unsigned char *trk_len = w + 4, *trk = w + 8;
    w = trk;
    size_t namelen = strlen(name);
    w = put_vlq(w, 0);
    *w++ = 0xff, *w++ = 0x03;
    w = put_vlq(w, (uint32_t)namelen);
    memcpy(w, name, namelen);
    w += namelen;
    if (tempo) {
        const unsigned char t[15] = {0, 0xff, 0x51, 3, (unsigned char)(usec >> 16), (unsigned char)(usec >> 8),
                                     (unsigned char)usec, 0, 0xff, 0x58, 4, 4, 2, 24, 8};
        memcpy(w, t, sizeof t);
        w += sizeof t;
    }
    uint32_t now = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
        for (; k < nmarks && (uint32_t)marks[k].step * TICKS_PER_STEP <= ev[i].tick; k++)
            w = put_marker(w, (uint32_t)marks[k].step * TICKS_PER_STEP, &now, marks[k].text);
        w = put_vlq(w, ev[i].tick - now);
        now = ev[i].tick;
        *w++ = (unsigned char)((ev[i].on ? 0x90 : 0x80) | ev[i].ch);
        *w++ = ev[i].note;
        *w++ = ev[i].on ? ev[i].vel : 0x40;
    }
    for (; k < nmarks; k++)
        w = put_marker(w, (uint32_t)marks[k].step * TICKS_PER_STEP, &now, marks[k].text);
    w = put_vlq(w, end > now ? end - now : 0);
    *w++ = 0xff, *w++ = 0x2f, *w++ = 0;
    put_be32(trk_len, (uint32_t)(w - trk));
    return w;
}

/* The drums of parts[0..n) one after another as events on channel 10. */
static int parts_events(const gv_pattern *parts, int n, tev *out, event *scratch, uint32_t *end)
{
    int k = 0;
    uint32_t at = 0;
    for (int i = 0; i < n; i++) {
        int m = collect_events(&parts[i], scratch);
        for (int j = 0; j < m; j++)
            out[k++] = (tev){at + scratch[j].tick, scratch[j].on, (uint8_t)gv_voice_note(scratch[j].voice),
                             scratch[j].vel, 9};
        at += (uint32_t)parts[i].steps * TICKS_PER_STEP;
    }
    *end = at;
    return k;
}

/* Checks the parts, taps and markers; their steps in all to *steps. */
static int check_parts(const gv_pattern *parts, int n, int ntaps, const gv_smf_mark *marks, int nmarks, long *steps,
                       gv_err *e)
{
    *steps = 0;
    for (int i = 0; i < n; i++) {
        if (parts[i].steps < GV_MIN_STEPS || parts[i].steps > GV_MAX_STEPS || parts[i].steps % GV_STEPS_PER_BAR)
            return gv_failc(e, GV_E_RANGE, "part %d has %d steps: must be a multiple of 16 in 16..256", i + 1,
                            parts[i].steps);
        *steps += parts[i].steps;
    }
    if (n < 1 || *steps > (1L << 22) || ntaps < 0 || ntaps > GV_SMF_MAX_NOTES || nmarks < 0 ||
        nmarks > GV_SMF_MAX_MARKS)
        return gv_failc(e, GV_E_RANGE, "%d parts of %ld steps, %d taps and %d markers: too long to write", n,
                        *steps, ntaps, nmarks);
    for (int i = 0; i < nmarks; i++)
        if (marks[i].step < 0 || marks[i].step > *steps || (i && marks[i].step < marks[i - 1].step))
            return gv_failc(e, GV_E_RANGE, "marker %d at step %ld: markers go in order inside 0..%ld", i + 1,
                            marks[i].step, *steps);
    return 0;
}

int gv_smf_write_parts(const gv_pattern *parts, int n, const gv_smf_tap *taps, int ntaps, const char *name,
                       unsigned char **data, size_t *len, gv_err *e)
{
    return gv_smf_write_marked(parts, n, taps, ntaps, NULL, 0, name, data, len, e);
}

int gv_smf_write_marked(const gv_pattern *parts, int n, const gv_smf_tap *taps, int ntaps, const gv_smf_mark *marks,
                        int nmarks, const char *name, unsigned char **data, size_t *len, gv_err *e)
{
    *data = NULL;
    *len = 0;
    long steps;
    if (check_parts(parts, n, ntaps, marks, nmarks, &steps, e))
        return -1;
    double usec = isfinite(parts[0].bpm) && parts[0].bpm > 0 ? round(60e6 / parts[0].bpm) : 0;
    if (!(usec >= 1 && usec <= 0xffffff))
        return gv_failc(e, GV_E_RANGE, "tempo %g BPM cannot be written to a MIDI file", parts[0].bpm);
    size_t nev = (size_t)steps * GV_VOICES * 2 + (size_t)ntaps * 2;
    tev *ev = malloc(nev * sizeof *ev);
    event *scratch = malloc(sizeof *scratch * 2 * GV_MAX_STEPS * GV_VOICES);
    unsigned char *buf = malloc(14 + 2 * (8 + 4 + 256 + 15 + 8) + nev * 8 + (size_t)nmarks * (10 + GV_SMF_MARK_MAX));
    if (!ev || !scratch || !buf) {
        free(ev), free(scratch), free(buf);
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    }
    uint32_t end;
    int nd = parts_events(parts, n, ev, scratch, &end);
    qsort(ev, (size_t)nd, sizeof *ev, cmp_tev);
    tev *tv = ev + nd;
    for (int i = 0; i < ntaps; i++) {
        long t = lround(taps[i].step * TICKS_PER_STEP);
        uint32_t on = t < 0 ? 0 : (uint32_t)t;
        long vel = lroundf(taps[i].vel * 127.f);
        vel = vel < 1 ? 1 : vel > 127 ? 127 : vel;
        tv[2 * i] = (tev){on, 1, (uint8_t)(taps[i].note & 0x7f), (uint8_t)vel, 0};
        tv[2 * i + 1] = (tev){on + NOTE_TICKS, 0, (uint8_t)(taps[i].note & 0x7f), 0, 0};
        end = on + NOTE_TICKS > end ? on + NOTE_TICKS : end;
    }
    qsort(tv, (size_t)ntaps * 2, sizeof *tv, cmp_tev);
    unsigned char *w = buf;
    memcpy(w, "MThd", 4);
    w = put_be32(w + 4, 6);
    const unsigned char hdr[6] = {0, 1, 0, (unsigned char)(ntaps ? 2 : 1), GV_SMF_PPQ >> 8, GV_SMF_PPQ & 0xff};
    memcpy(w, hdr, 6);
    w += 6;
    char nm[256];
    snprintf(nm, sizeof nm, "%s", name && *name ? name : "drums");
    w = put_track(w, nm, (uint32_t)usec, 1, ev, nd, marks, nmarks, end);
    if (ntaps)
        w = put_track(w, "taps", 0, 0, tv, 2 * ntaps, NULL, 0, end);
    free(ev), free(scratch);
    *data = buf;
    *len = (size_t)(w - buf);
    return 0;
}

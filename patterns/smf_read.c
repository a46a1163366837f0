/* smf_read.c - Standard MIDI File reader: bytes -> gv_score (see smf.h).
 *
 * One pass over the chunks collects mapped note-ons, tempo changes and the
 * earliest time signature with their absolute ticks; then the notes are
 * sorted, filtered by channel and given steps and seconds.  Every length is
 * checked against the bytes that remain before it is used, so no input can
 * read past the buffer, and every array is capped, so none can grow without
 * bound. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smf.h"

/* Longer than this (about 4 million bars of 4/4) is not a groove. */
#define MAX_STEPS ((double)(1 << 26))

typedef struct raw_note {
    uint64_t tick;
    uint32_t seq; /* file order: ties at one tick keep it */
    uint8_t ch, note, vel;
} raw_note;

typedef struct raw_tempo {
    uint64_t tick;
    uint32_t seq, usec;
} raw_tempo;

typedef struct reader {
    const unsigned char *p;
    size_t pos, end;
    int track;
    raw_note *notes;
    int nnotes, capnotes;
    raw_tempo *tempos;
    int ntempos, captempos;
    uint32_t seq;
    long any_notes; /* note-ons of any note: none at all is an empty pattern */
    uint64_t max_tick;
    int have_ts, ts_num, ts_dd;
    uint64_t ts_tick;
    char name[64];
    int all;        /* keep every note, drum or not (gv_smf_parse_all) */
    gv_err *e;
} reader;

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* Grows *arr (elements of sz bytes) to hold one more than n, capped at max. */
static int grow(void **arr, int *cap, int n, size_t sz, int max)
{
    if (n < *cap)
        return 0;
    if (n >= max)
        return -1;
    int nc = *cap ? *cap * 2 : 256;
    if (nc > max)
        nc = max;
    void *q = realloc(*arr, (size_t)nc * sz);
    if (!q)
        return -1;
    *arr = q;
    *cap = nc;
    return 0;
}

static int fail_at(reader *r, const char *what)
{
    return gv_failc(r->e, GV_E_FORMAT, "track %d: %s at byte %zu", r->track, what, r->pos);
}

/* A variable-length quantity: at most 4 bytes (28 bits), inside the chunk. */
static int read_vlq(reader *r, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        if (r->pos >= r->end)
            return fail_at(r, "truncated event");
        unsigned char b = r->p[r->pos++];
        v = v << 7 | (b & 0x7f);
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return fail_at(r, "variable-length number longer than 4 bytes");
}

static int add_note(reader *r, uint64_t tick, int ch, int note, int vel)
{
    r->any_notes++;
    if (!r->all && gv_note_voice(note) < 0)
        return 0;
    if (grow((void **)&r->notes, &r->capnotes, r->nnotes, sizeof *r->notes, GV_SMF_MAX_NOTES))
        return gv_failc(r->e, GV_E_RANGE, "more than %d notes (or out of memory)", GV_SMF_MAX_NOTES);
    r->notes[r->nnotes++] = (raw_note){tick, r->seq++, (uint8_t)ch, (uint8_t)note, (uint8_t)vel};
    return 0;
}

static int meta(reader *r, int type, const unsigned char *d, uint32_t n, uint64_t tick)
{
    if (type == 0x51 && n == 3) {
        uint32_t usec = (uint32_t)d[0] << 16 | (uint32_t)d[1] << 8 | d[2];
        if (usec == 0) /* an infinite tempo: ignore rather than divide by it */
            return 0;
        if (grow((void **)&r->tempos, &r->captempos, r->ntempos, sizeof *r->tempos, GV_SMF_MAX_NOTES))
            return gv_failc(r->e, GV_E_RANGE, "more than %d tempo changes (or out of memory)", GV_SMF_MAX_NOTES);
        r->tempos[r->ntempos++] = (raw_tempo){tick, r->seq++, usec};
    } else if (type == 0x58 && n >= 2 && d[0] >= 1 && d[1] <= 6) {
        if (!r->have_ts || tick < r->ts_tick) {
            r->have_ts = 1;
            r->ts_tick = tick;
            r->ts_num = d[0];
            r->ts_dd = d[1];
        }
    } else if (type == 0x03 && !r->name[0]) {
        size_t k = n < sizeof r->name - 1 ? n : sizeof r->name - 1;
        for (size_t i = 0; i < k; i++) /* names end up in text files and terminals */
            r->name[i] = d[i] < 0x20 || d[i] == 0x7f ? ' ' : (char)d[i];
        r->name[k] = 0;
    }
    return 0;
}

static int parse_track(reader *r)
{
    uint64_t tick = 0;
    unsigned char running = 0;
    while (r->pos < r->end) {
        uint32_t delta, n;
        if (read_vlq(r, &delta))
            return -1;
        tick += delta;
        if (tick > r->max_tick)
            r->max_tick = tick;
        if (r->pos >= r->end)
            return fail_at(r, "truncated event");
        unsigned char b = r->p[r->pos];
        if (b == 0xff) {
            r->pos++;
            if (r->pos >= r->end)
                return fail_at(r, "truncated meta event");
            int type = r->p[r->pos++];
            if (read_vlq(r, &n))
                return -1;
            if (n > r->end - r->pos)
                return fail_at(r, "meta event length runs past the chunk end");
            if (meta(r, type, r->p + r->pos, n, tick))
                return -1;
            r->pos += n;
            if (type == 0x2f)
                return 0;
            /* running status is kept across meta and sysex: real files rely on it */
        } else if (b == 0xf0 || b == 0xf7) {
            r->pos++;
            if (read_vlq(r, &n))
                return -1;
            if (n > r->end - r->pos)
                return fail_at(r, "sysex length runs past the chunk end");
            r->pos += n;
        } else if (b > 0xf0) {
            return gv_failc(r->e, GV_E_FORMAT, "track %d: unexpected status byte 0x%02x at byte %zu", r->track, b, r->pos);
        } else {
            if (b & 0x80) {
                running = b;
                r->pos++;
            } else if (!running) {
                return fail_at(r, "data byte without a running status");
            }
            size_t nd = (running & 0xe0) == 0xc0 ? 1 : 2;
            if (r->end - r->pos < nd)
                return fail_at(r, "truncated event");
            const unsigned char *d = r->p + r->pos;
            if ((d[0] | (nd > 1 ? d[1] : 0)) & 0x80)
                return fail_at(r, "status byte inside a channel message");
            r->pos += nd;
            if ((running & 0xf0) == 0x90 && d[1] > 0 && add_note(r, tick, running & 0x0f, d[0], d[1]))
                return -1;
        }
    }
    return 0; /* no End of Track: the chunk end ends the track */
}

static int cmp_note(const void *a, const void *b)
{
    const raw_note *x = a, *y = b;
    if (x->tick != y->tick)
        return x->tick < y->tick ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_tempo(const void *a, const void *b)
{
    const raw_tempo *x = a, *y = b;
    if (x->tick != y->tick)
        return x->tick < y->tick ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Header and chunks; fills r.  Returns 0 or -1. */
static int scan(reader *r, const unsigned char *data, size_t len, unsigned *division)
{
    if (!data || len < 14)
        return gv_failc(r->e, GV_E_FORMAT, "not a MIDI file (too short for a header)");
    if (memcmp(data, "MThd", 4))
        return gv_failc(r->e, GV_E_FORMAT, "not a MIDI file (no MThd header)");
    uint32_t hlen = be32(data + 4);
    if (hlen < 6)
        return gv_failc(r->e, GV_E_FORMAT, "bad header length %u", hlen);
    if (hlen > len - 8)
        return gv_failc(r->e, GV_E_FORMAT, "header length %u runs past the end of the file", hlen);
    unsigned format = be16(data + 8), ntrks = be16(data + 10);
    *division = be16(data + 12);
    if (format == 2)
        return gv_failc(r->e, GV_E_FORMAT, "format 2 (independent sequences) is not supported");
    if (format > 2)
        return gv_failc(r->e, GV_E_FORMAT, "unknown MIDI file format %u", format);
    if (ntrks == 0)
        return gv_failc(r->e, GV_E_FORMAT, "the header declares no tracks");
    if (*division == 0)
        return gv_failc(r->e, GV_E_FORMAT, "zero division (ticks per quarter note)");
    if (*division & 0x8000) {
        int fps = -(int)(int8_t)(*division >> 8);
        if (fps != 24 && fps != 25 && fps != 29 && fps != 30)
            return gv_failc(r->e, GV_E_FORMAT, "bad SMPTE frame rate %d", fps);
        if ((*division & 0xff) == 0)
            return gv_failc(r->e, GV_E_FORMAT, "zero SMPTE ticks per frame");
    }
    size_t pos = 8 + (size_t)hlen;
    unsigned found = 0;
    while (found < ntrks) {
        if (len - pos < 8)
            return gv_failc(r->e, GV_E_FORMAT, "truncated file: %u of %u tracks", found, ntrks);
        uint32_t clen = be32(data + pos + 4);
        if (clen > len - pos - 8)
            return gv_failc(r->e, GV_E_FORMAT, "chunk at byte %zu: length %u runs past the end of the file", pos, clen);
        if (!memcmp(data + pos, "MTrk", 4)) {
            r->p = data;
            r->pos = pos + 8;
            r->end = pos + 8 + clen;
            r->track = (int)++found;
            if (parse_track(r))
                return -1;
        }
        pos += 8 + (size_t)clen; /* unknown chunks are skipped */
    }
    return 0;
}

void gv_score_free(gv_score *s)
{
    if (!s)
        return;
    free(s->notes);
    memset(s, 0, sizeof *s);
}

/* Keeps, in r->notes, the notes of the channel asked for (1..16; -1: channel
 * 10 when it has notes, else all), sorted; returns how many, or -1 (e) when
 * the file has notes but none of them a drum's. */
static int keep_channel(reader *r, int channel, gv_err *e)
{
    int want = channel > 0 ? channel - 1 : -1;
    for (int i = 0; i < r->nnotes && channel < 0 && !r->all; i++)
        if (r->notes[i].ch == 9)
            want = 9;
    int n = 0;
    for (int i = 0; i < r->nnotes; i++)
        if (want < 0 || r->notes[i].ch == want)
            r->notes[n++] = r->notes[i];
    /* a file with no notes at all is an empty pattern; notes none of which
     * is a drum (on the channel asked for) are a file of something else */
    if (n == 0 && r->any_notes > 0) {
        if (channel > 0)
            return gv_failc(e, GV_E_FORMAT, "no drum notes on channel %d", channel);
        return gv_failc(e, GV_E_FORMAT, "no drum notes (no note the drum map knows)");
    }
    if (n > 1) /* r->notes is NULL when the file has no notes */
        qsort(r->notes, (size_t)n, sizeof *r->notes, cmp_note);
    return n;
}

/* notes[0..n) from r->notes: step = tick * k, seconds through the tempo map
 * (PPQ: tps 0, r->tempos sorted) or the frame clock (SMPTE: tps ticks a
 * second). */
static void place_notes(const reader *r, int n, unsigned division, double k, double tps, gv_note *notes)
{
    double seg_sec = 0, usec = 500000;
    uint64_t seg_tick = 0;
    int ti = 0;
    for (int i = 0; i < n; i++) {
        const raw_note *rn = &r->notes[i];
        double sec;
        if (tps > 0) {
            sec = (double)rn->tick / tps;
        } else {
            for (; ti < r->ntempos && r->tempos[ti].tick <= rn->tick; ti++) {
                seg_sec += (double)(r->tempos[ti].tick - seg_tick) * usec / (1e6 * division);
                seg_tick = r->tempos[ti].tick;
                usec = r->tempos[ti].usec;
            }
            sec = seg_sec + (double)(rn->tick - seg_tick) * usec / (1e6 * division);
        }
        notes[i] = (gv_note){(double)rn->tick * k, gv_note_voice(rn->note), rn->vel / 127.f, rn->note, sec};
    }
}

static int parse(const unsigned char *data, size_t len, int channel, int all, gv_score *out, gv_err *e)
{
    memset(out, 0, sizeof *out);
    if (channel != -1 && (channel < 1 || channel > 16))
        return gv_failc(e, GV_E_USAGE, "channel %d: must be 1..16", channel);
    reader r = {.e = e, .all = all};
    unsigned division = 0;
    int rc = -1;
    if (scan(&r, data, len, &division))
        goto done;

    int n = keep_channel(&r, channel, e);
    if (n < 0)
        goto done;
    if (r.ntempos > 1)
        qsort(r.tempos, (size_t)r.ntempos, sizeof *r.tempos, cmp_tempo);

    out->bpm = r.ntempos ? 60e6 / r.tempos[0].usec : 120.0;
    /* steps = tick * k; seconds through the tempo map (PPQ) or the frame clock (SMPTE) */
    int smpte = (division & 0x8000) != 0;
    double k, tps = 0;
    if (smpte) {
        int fps = -(int)(int8_t)(division >> 8);
        tps = (fps == 29 ? 29.97 : fps) * (division & 0xff);
        k = out->bpm / 15.0 / tps;
    } else {
        k = 4.0 / division;
    }
    out->total_steps = (double)r.max_tick * k;
    if (!(out->total_steps <= MAX_STEPS)) {
        gv_failc(e, GV_E_RANGE, "absurd length: %.0f steps", out->total_steps);
        goto done;
    }
    out->notes = n ? malloc((size_t)n * sizeof *out->notes) : NULL;
    if (n && !out->notes) {
        gv_failc(e, GV_E_NOMEM, "out of memory");
        goto done;
    }
    place_notes(&r, n, division, k, tps, out->notes);
    out->n = n;
    out->ts_num = r.have_ts ? r.ts_num : 4;
    out->ts_den = r.have_ts ? 1 << r.ts_dd : 4;
    int num16 = out->ts_num * 16;
    out->steps_per_bar = num16 % out->ts_den == 0 && num16 / out->ts_den <= GV_MAX_STEPS ? num16 / out->ts_den : 16;
    memcpy(out->name, r.name, sizeof out->name);
    rc = 0;
done:
    free(r.notes);
    free(r.tempos);
    return rc;
}

int gv_smf_parse(const unsigned char *data, size_t len, int channel, gv_score *out, gv_err *e)
{
    return parse(data, len, channel, 0, out, e);
}

int gv_smf_parse_all(const unsigned char *data, size_t len, gv_score *out, gv_err *e)
{
    return parse(data, len, -1, 1, out, e);
}

/* render.c - offline rendering through the player, and WAV writing. */
#include "render.h"

#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "synth/player.h"
#include "patterns/sequencer.h"

void gv_render_opts_default(gv_render_opts *o)
{
    memset(o, 0, sizeof *o);
    o->loops = 1;
    o->max_tail_s = 8;
    o->block = 256;
}

int gv_render(const gv_pattern *p, const gv_kit *kit, const gv_render_opts *o,
              float **out, int64_t *frames, int64_t *origin, gv_err *e)
{
    *out = NULL;
    *frames = 0;
    double bpm = o->bpm > 0 ? o->bpm : p->bpm > 0 ? p->bpm : 120;
    if (bpm < 20 || bpm > 400)
        return gv_fail(e, "tempo %g out of range 20..400", bpm);
    if (o->loops < 1 || o->block < 1)
        return gv_fail(e, "bad loop count %d", o->loops);
    double rate = kit->rate;
    int64_t K = gv_seq_tick_rate(bpm, rate);
    int64_t pre = gv_seq_preroll(p, o->swing, K);
    /* notes, one step for late ones, then the tail */
    int64_t body = pre + ((int64_t)o->loops * p->steps + 1) * GV_SEQ_TICKS_PER_STEP / K + 1;
    int64_t cap = body + (int64_t)(o->max_tail_s * rate) + o->block;
    if (cap > (int64_t)1 << 31)
        return gv_fail(e, "render too long (%lld frames)", (long long)cap);
    float *buf = malloc((size_t)cap * 2 * sizeof(float));
    gv_player *pl = gv_player_new(rate, kit, e);
    if (!buf || !pl) {
        free(buf);
        gv_player_free(pl);
        return pl ? gv_failc(e, GV_E_NOMEM, "out of memory") : -1;
    }
    gv_player_set_tempo(pl, bpm);
    gv_player_set_swing(pl, o->swing);
    gv_player_set_loop_limit(pl, o->loops);
    gv_player_set_metronome(pl, o->metronome);
    gv_player_queue(pl, p, GV_QUEUE_NOW);
    gv_player_start(pl);
    int64_t n = 0, stop_at = -1, tail = (int64_t)(o->max_tail_s * rate);
    while (n + o->block <= cap) {
        gv_player_render(pl, buf + 2 * n, o->block);
        n += o->block;
        if (stop_at < 0 && !gv_player_playing(pl))
            stop_at = n;
        if (stop_at >= 0 && (gv_player_active(pl) == 0 || n - stop_at >= tail))
            break;
    }
    gv_player_free(pl);
    float *shrunk = realloc(buf, (size_t)n * 2 * sizeof(float));
    *out = shrunk ? shrunk : buf;
    *frames = n;
    if (origin)
        *origin = pre;
    return 0;
}

/* The player rendering [n, n + block) of buf, queueing each switch within
 * the unit before it. */
typedef struct switcher {
    gv_player *pl;
    const gv_pattern *pats;
    const int64_t *at;
    int n, next, when;
    int64_t unit, K;
} switcher;

static void queue_due(switcher *s, int64_t frame)
{
    /* the step at the start of this block (ticks = frames * K) */
    double step = (double)frame * (double)s->K / (double)GV_SEQ_TICKS_PER_STEP;
    while (s->next < s->n && step >= (double)(s->at[s->next] - s->unit) + 0.5) {
        gv_player_queue(s->pl, &s->pats[s->next], s->when);
        s->next++;
    }
}

int gv_render_switches(const gv_pattern *pats, const int64_t *at, int n, int beat, int64_t steps, const gv_kit *kit,
                       const gv_render_opts *o, float **out, int64_t *frames, gv_err *e)
{
    *out = NULL;
    *frames = 0;
    double bpm = o->bpm > 0 ? o->bpm : n && pats[0].bpm > 0 ? pats[0].bpm : 120;
    if (bpm < 20 || bpm > 400 || o->block < 1 || steps < 0)
        return gv_failc(e, GV_E_RANGE, "tempo %g out of range 20..400", bpm);
    double rate = kit->rate;
    int64_t K = gv_seq_tick_rate(bpm, rate);
    int64_t body = (steps + 1) * GV_SEQ_TICKS_PER_STEP / K + 1, tail = (int64_t)(o->max_tail_s * rate);
    int64_t cap = body + tail + 2 * (int64_t)o->block;
    if (cap > (int64_t)1 << 31)
        return gv_failc(e, GV_E_RANGE, "render too long (%lld frames)", (long long)cap);
    float *buf = malloc((size_t)cap * 2 * sizeof(float));
    gv_player *pl = gv_player_new(rate, kit, e);
    gv_pattern *silence = malloc(sizeof *silence);
    if (!buf || !pl || !silence) {
        free(buf), free(silence);
        gv_player_free(pl);
        return pl ? gv_failc(e, GV_E_NOMEM, "out of memory") : -1;
    }
    gv_pattern_init(silence, n ? pats[0].steps : 32, (float)bpm, "");
    gv_player_set_tempo(pl, bpm);
    gv_player_set_swing(pl, o->swing);
    gv_player_queue(pl, silence, GV_QUEUE_NOW);
    gv_player_start(pl);
    switcher s = {pl, pats, at, n, 0, beat ? GV_QUEUE_BEAT : GV_QUEUE_BAR, beat ? 4 : GV_STEPS_PER_BAR, K};
    int64_t f = 0, stop_at = -1;
    while (f + o->block <= cap) {
        queue_due(&s, f);
        gv_player_render(pl, buf + 2 * f, o->block);
        f += o->block;
        if (stop_at < 0 && f >= body) {
            gv_player_stop(pl);
            stop_at = f;
        }
        if (stop_at >= 0 && (gv_player_active(pl) == 0 || f - stop_at >= tail))
            break;
    }
    gv_player_free(pl);
    free(silence);
    float *shrunk = realloc(buf, (size_t)f * 2 * sizeof(float));
    *out = shrunk ? shrunk : buf;
    *frames = f;
    return 0;
}

/* libsndfile virtual I/O into a growing memory buffer, so that the file can
 * then be written atomically. */
typedef struct membuf {
    unsigned char *d;
    sf_count_t len, cap, pos;
    int oom;
} membuf;

static sf_count_t mb_len(void *u) { return ((membuf *)u)->len; }
static sf_count_t mb_tell(void *u) { return ((membuf *)u)->pos; }

static sf_count_t mb_seek(sf_count_t off, int whence, void *u)
{
    membuf *m = u;
    sf_count_t p = whence == SEEK_SET ? off : whence == SEEK_CUR ? m->pos + off : m->len + off;
    if (p < 0)
        return -1;
    m->pos = p;
    return p;
}

static sf_count_t mb_read(void *ptr, sf_count_t n, void *u)
{
    membuf *m = u;
    sf_count_t k = m->pos < m->len ? m->len - m->pos : 0;
    if (k > n)
        k = n;
    memcpy(ptr, m->d + m->pos, (size_t)k);
    m->pos += k;
    return k;
}

static sf_count_t mb_write(const void *ptr, sf_count_t n, void *u)
{
    membuf *m = u;
    if (m->pos + n > m->cap) {
        sf_count_t c = m->cap ? m->cap : 65536;
        while (c < m->pos + n)
            c *= 2;
        unsigned char *d = realloc(m->d, (size_t)c);
        if (!d) {
            m->oom = 1;
            return 0;
        }
        memset(d + m->cap, 0, (size_t)(c - m->cap));
        m->d = d;
        m->cap = c;
    }
    memcpy(m->d + m->pos, ptr, (size_t)n);
    m->pos += n;
    if (m->pos > m->len)
        m->len = m->pos;
    return n;
}

static unsigned char *put_le(unsigned char *w, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        *w++ = (unsigned char)(v >> (8 * i));
    return w;
}

/* A 32-bit float WAV written here rather than by libsndfile: its plain
 * WAVE_FORMAT_IEEE_FLOAT fmt chunk has no cbSize, which sox warns about
 * (and it warns about WAVE_FORMAT_EXTENSIBLE too).  RIFF, fmt (18 bytes:
 * format 3, 2 channels, rate, 32 bits, cbSize 0), fact (frames), data
 * (little-endian floats). */
static int float_wav(const char *path, const float *buf, int64_t frames, double rate, gv_err *e)
{
    const size_t head = 12 + 8 + 18 + 12 + 8;
    if (frames < 0 || (uint64_t)frames * 8 + head - 8 > 0xffffffffu)
        return gv_fail(e, "%lld frames do not fit a WAV file", (long long)frames);
    uint32_t r = (uint32_t)lround(rate), data = (uint32_t)frames * 8;
    unsigned char *d = malloc(head + data), *w = d;
    if (!d)
        return gv_failc(e, GV_E_NOMEM, "out of memory");
    memcpy(w, "RIFF", 4), w = put_le(w + 4, (uint32_t)(head - 8) + data, 4);
    memcpy(w, "WAVEfmt ", 8), w = put_le(w + 8, 18, 4);
    w = put_le(w, 3, 2), w = put_le(w, 2, 2), w = put_le(w, r, 4), w = put_le(w, r * 8, 4);
    w = put_le(w, 8, 2), w = put_le(w, 32, 2), w = put_le(w, 0, 2);
    memcpy(w, "fact", 4), w = put_le(w + 4, 4, 4), w = put_le(w, (uint32_t)frames, 4);
    memcpy(w, "data", 4), w = put_le(w + 4, data, 4);
    for (int64_t i = 0; i < 2 * frames; i++) {
        uint32_t u;
        memcpy(&u, &buf[i], 4);
        w = put_le(w, u, 4);
    }
    int rc = gv_write_atomic(path, d, head + data, e);
    free(d);
    return rc;
}

int gv_render_write_wav(const char *path, const float *buf, int64_t frames, double rate,
                        int float_out, gv_err *e)
{
    if (float_out)
        return float_wav(path, buf, frames, rate, e);
    SF_VIRTUAL_IO io = {mb_len, mb_seek, mb_read, mb_write, mb_tell};
    membuf m = {0};
    SF_INFO info = {.samplerate = (int)lround(rate), .channels = 2,
                    .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *sf = sf_open_virtual(&io, SFM_WRITE, &info, &m);
    if (!sf) {
        free(m.d);
        return gv_fail(e, "cannot encode WAV: %s", sf_strerror(NULL));
    }
    /* the PEAK chunk carries a time stamp: leave it out so bytes are reproducible */
    sf_command(sf, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    int bad = 0;
    short tmp[2 * 1024];
    for (int64_t i = 0; i < frames && !bad; i += 1024) {
        int64_t k = frames - i < 1024 ? frames - i : 1024;
        for (int64_t j = 0; j < 2 * k; j++) {
            float x = buf[2 * i + j];
            x = x > 1 ? 1 : x < -1 ? -1 : x;
            tmp[j] = (short)lrintf(x * 32767.f);
        }
        bad = sf_writef_short(sf, tmp, k) != k;
    }
    sf_close(sf);
    if (bad || m.oom) {
        free(m.d);
        return gv_fail(e, "cannot encode WAV: out of memory");
    }
    int r = gv_write_atomic(path, m.d, (size_t)m.len, e);
    free(m.d);
    return r;
}

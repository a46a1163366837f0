/* jam_take.c - what a jam played (see jam_take.h). */
#include "session/jam_take.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "patterns/smf.h"

void gv_jam_take_init(gv_jam_take *t, float bpm)
{
    memset(t, 0, sizeof *t);
    t->bpm = bpm;
}

void gv_jam_take_free(gv_jam_take *t)
{
    free(t->taps);
    free(t->swaps);
    free(t->pats);
    memset(t, 0, sizeof *t);
}

/* Room for one more of size sz in *p (cap doubling). */
static int grow(void **p, int *cap, int n, size_t sz, gv_err *e)
{
    if (n < *cap)
        return 0;
    int nc = *cap ? *cap * 2 : 64;
    void *q = realloc(*p, (size_t)nc * sz);
    if (!q)
        return gv_fail(e, "out of memory");
    *p = q;
    *cap = nc;
    return 0;
}

int gv_jam_take_tap(gv_jam_take *t, double step, int note, int voice, float vel, gv_err *e)
{
    if (grow((void **)&t->taps, &t->cap_taps, t->ntaps, sizeof *t->taps, e))
        return -1;
    t->taps[t->ntaps++] = (gv_jam_note){step, note, voice, vel};
    return 0;
}

int gv_jam_take_swap(gv_jam_take *t, int64_t at, const gv_pattern *p, gv_err *e)
{
    if (grow((void **)&t->pats, &t->cap_pats, t->npats, sizeof *t->pats, e) ||
        grow((void **)&t->swaps, &t->cap_swaps, t->nswaps, sizeof *t->swaps, e))
        return -1;
    t->pats[t->npats] = *p;
    if (t->nswaps && t->swaps[t->nswaps - 1].at >= at) /* replaces a swap not yet heard */
        t->swaps[t->nswaps - 1] = (gv_jam_swap){at, t->npats};
    else
        t->swaps[t->nswaps++] = (gv_jam_swap){at, t->npats};
    t->npats++;
    return 0;
}

int64_t gv_jam_take_end(const gv_jam_take *t)
{
    int64_t end = 0;
    for (int i = 0; i < t->ntaps; i++) {
        int64_t s = (int64_t)floor(t->taps[i].step + 0.5) + 1;
        end = s > end ? s : end;
    }
    if (t->nswaps && t->swaps[t->nswaps - 1].at + 1 > end)
        end = t->swaps[t->nswaps - 1].at + 1;
    return (end + 15) / 16 * 16;
}

void gv_jam_take_drums(const gv_jam_take *t, int64_t from, int steps, gv_pattern *out)
{
    gv_pattern_init(out, steps, t->bpm, "jam drums");
    int k = -1; /* the last swap at or before the step */
    while (k + 1 < t->nswaps && t->swaps[k + 1].at <= from)
        k++;
    for (int s = 0; s < steps; s++) {
        int64_t u = from + s;
        while (k + 1 < t->nswaps && t->swaps[k + 1].at <= u)
            k++;
        if (k < 0)
            continue;
        const gv_pattern *p = &t->pats[t->swaps[k].pattern];
        int c = (int)(u % p->steps);
        for (int v = 0; v < GV_VOICES; v++)
            if (p->hit[c][v])
                gv_pattern_set(out, s, v, 1, p->vel[c][v], p->off[c][v]);
    }
}

void gv_jam_take_taps(const gv_jam_take *t, int64_t from, int steps, gv_pattern *out)
{
    gv_pattern_init(out, steps, t->bpm, "jam taps");
    for (int i = 0; i < t->ntaps; i++) {
        const gv_jam_note *n = &t->taps[i];
        int64_t s = (int64_t)floor(n->step + 0.5);
        if (s < from || s >= from + steps || n->voice < 0 || n->voice >= GV_VOICES)
            continue;
        gv_pattern_merge(out, (int)(s - from), n->voice, n->vel, (float)(n->step - (double)s));
    }
}

int gv_jam_take_smf(const gv_jam_take *t, int64_t until, const char *name, unsigned char **data, size_t *len,
                    gv_err *e)
{
    int64_t end = until > 0 ? until : gv_jam_take_end(t);
    int nparts = (int)((end + GV_MODEL_STEPS - 1) / GV_MODEL_STEPS);
    nparts = nparts < 1 ? 1 : nparts;
    gv_pattern *parts = malloc((size_t)nparts * sizeof *parts);
    gv_smf_tap *taps = malloc((size_t)(t->ntaps ? t->ntaps : 1) * sizeof *taps);
    int rc = -1;
    if (!parts || !taps) {
        gv_fail(e, "out of memory");
    } else {
        for (int i = 0; i < nparts; i++)
            gv_jam_take_drums(t, (int64_t)i * GV_MODEL_STEPS, GV_MODEL_STEPS, &parts[i]);
        int n = 0;
        for (int i = 0; i < t->ntaps; i++)
            if (floor(t->taps[i].step + 0.5) < (double)end)
                taps[n++] = (gv_smf_tap){t->taps[i].step > 0 ? t->taps[i].step : 0, t->taps[i].note, t->taps[i].vel};
        rc = gv_smf_write_parts(parts, nparts, taps, n, name, data, len, e);
    }
    free(parts);
    free(taps);
    return rc;
}

/* core_take.c - the input as a moving window of the loaded file (see
 * core_take.h). */
#include "session/core_take.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "patterns/load.h"
#include "patterns/smf.h"

static int parse_bar(const char *s, int *bar, gv_err *e)
{
    char *end;
    long v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (end == s || *end || v < 1 || v > GV_TAKE_MAX_BARS)
        return gv_fail(e, "the bar must be a number 1..%d, not '%s'", GV_TAKE_MAX_BARS, s);
    *bar = (int)v;
    return 0;
}

int gv_take_parse_arg(const char *arg, char *file, size_t n, int *bar, gv_err *e)
{
    *bar = 0;
    gv_copy(file, n, arg);
    char *opt = strstr(file, " --start-bar");
    if (opt) {
        const char *num = opt + strlen(" --start-bar");
        while (*num == ' ' || *num == '=')
            num++;
        if (parse_bar(num, bar, e) != 0)
            return -1;
        while (opt > file && opt[-1] == ' ')
            opt--;
        *opt = 0;
        return 0;
    }
    char *colon = strrchr(file, ':');
    if (!colon || colon == file || !colon[1] || access(arg, F_OK) == 0)
        return 0;
    for (const char *d = colon + 1; *d; d++)
        if (!isdigit((unsigned char)*d))
            return 0;
    if (parse_bar(colon + 1, bar, e) != 0)
        return -1;
    *colon = 0;
    return 0;
}

/* Adds piece p (starting at step `at` of the file) to the per-bar counts. */
static void scan_piece(gv_core_take *t, const gv_pattern *p, int at)
{
    for (int s = 0; s < p->steps; s++) {
        int b = (at + s) / 16, in_bar = (at + s) % 16;
        if (b >= GV_TAKE_MAX_BARS)
            return;
        for (int v = 0; v < GV_VOICES; v++)
            if (p->hit[s][v]) {
                t->hits[b] += t->hits[b] < UINT16_MAX;
                t->backbeat[b] |= in_bar == 0 ? GV_TAKE_DOWNBEAT : 0;
            }
        /* a 16th either side: a funk's snare on "2 e" is its backbeat too */
        if (p->hit[s][GV_SNARE] && ((in_bar >= 3 && in_bar <= 5) || (in_bar >= 11 && in_bar <= 13)))
            t->backbeat[b] |= GV_TAKE_BACKBEAT;
    }
    if ((at + p->steps) / 16 > t->bars)
        t->bars = (at + p->steps) / 16 > GV_TAKE_MAX_BARS ? GV_TAKE_MAX_BARS : (at + p->steps) / 16;
}

int gv_take_scan(const char *path, int channel, gv_core_take *t, gv_err *e)
{
    memset(t->hits, 0, sizeof t->hits);
    memset(t->backbeat, 0, sizeof t->backbeat);
    t->bars = t->bar = 0;
    t->channel = channel;
    gv_pattern *pieces = NULL;
    int n = 0, rc;
    if (gv_pattern_format(path) == GV_FMT_MID) {
        rc = gv_smf_load_take(path, 0, channel, &pieces, &n, e);
    } else {
        gv_load_opts o = {0, 0, channel};
        pieces = malloc(sizeof *pieces);
        n = 1;
        rc = pieces ? gv_pattern_load(path, &o, pieces, NULL, 0, e) : gv_fail(e, "out of memory");
    }
    for (int i = 0, at = 0; rc == 0 && i < n; at += pieces[i].steps, i++)
        scan_piece(t, &pieces[i], at);
    free(pieces);
    return rc;
}

int gv_take_start_bar(const gv_core_take *t)
{
    for (int b = 0; b + 1 < t->bars; b++)
        if (t->backbeat[b] == (GV_TAKE_DOWNBEAT | GV_TAKE_BACKBEAT) && t->backbeat[b + 1] & GV_TAKE_BACKBEAT)
            return b;
    for (int b = 0; b < t->bars; b++)
        if (t->hits[b])
            return b;
    return 0;
}

int gv_take_last_start(const gv_core_take *t)
{
    return gv_take_last_start_of(t, 2);
}

int gv_take_last_start_of(const gv_core_take *t, int bars)
{
    return t->bars > bars ? t->bars - bars : 0;
}

int gv_core_take_goto(gv_core *c, int bar, gv_err *e)
{
    gv_core_take *t = &c->take;
    if (!t->on)
        return gv_fail(e, "no file is open (o opens one)");
    int L = gv_core_steps(c) / GV_STEPS_PER_BAR, last = gv_take_last_start_of(t, L);
    bar = bar < 0 ? 0 : bar > last ? last : bar;
    gv_load_opts o = {bar, L, t->channel};
    gv_pattern *p = malloc(sizeof *p);
    if (!p)
        return gv_fail(e, "out of memory");
    int rc = gv_pattern_load(t->path, &o, p, NULL, 0, e);
    if (rc == 0) {
        float bpm = c->set.bpm; /* moving through the take keeps the tempo set */
        p->bpm = bpm;
        char src[GV_CORE_PATH + 32];
        snprintf(src, sizeof src, "%.*s bars %d-%d", GV_CORE_PATH - 1, t->name, bar + 1, bar + L);
        t->bar = bar;
        gv_core_set_input(c, p, src);
        c->session_dirty = 1;
    }
    free(p);
    return rc;
}

void gv_core_take_step(gv_core *c, int bars)
{
    gv_core_take *t = &c->take;
    gv_err e;
    if (!t->on) {
        gv_core_msg(c, 0, "no file to move through: o opens one (FILE:BAR starts at a bar)");
        return;
    }
    int L = gv_core_steps(c) / GV_STEPS_PER_BAR, to = t->bar + bars, last = gv_take_last_start_of(t, L);
    if ((bars < 0 && t->bar == 0) || (bars > 0 && t->bar >= last)) {
        gv_core_msg(c, 0, "bars %d-%d of %d: the %s of the file", t->bar + 1, t->bar + L, t->bars,
                    bars < 0 ? "start" : "end");
        return;
    }
    if (gv_core_take_goto(c, to, &e) != 0) {
        gv_core_msg(c, 1, "%s: %s", t->name, e.msg);
        return;
    }
    gv_core_msg(c, 0, "bars %d-%d of %d: %d hits (u undoes)", t->bar + 1, t->bar + L, t->bars,
                gv_pattern_count(&c->input));
}

void gv_core_take_clear(gv_core *c)
{
    c->take.on = 0;
    c->take.bars = c->take.bar = 0;
}

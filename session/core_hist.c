/* core_hist.c - the history of suggestion batches (see core_hist.h). */
#include "session/core_hist.h"

#include <stdio.h>
#include <string.h>

gv_batch *gv_hist_at(gv_core *c, int i)
{
    if (i < 0 || i >= c->nhist)
        return NULL;
    return &c->hist[(c->hist_head + i) % GV_CORE_HISTORY];
}

/* What changed on the shown suggestions (kept, exported) goes back into
 * their batch before another is shown. */
static void sync_shown(gv_core *c)
{
    gv_batch *b = gv_hist_at(c, c->hist_pos);
    if (b && b->n == c->nsugg)
        memcpy(b->s, c->sugg, (size_t)b->n * sizeof *b->s);
}

void gv_hist_push(gv_core *c, const gv_job *j, const gv_sugg *s, int n)
{
    if (!c->hist)
        return;
    sync_shown(c);
    if (c->nhist == GV_CORE_HISTORY) {
        c->hist_head = (c->hist_head + 1) % GV_CORE_HISTORY;
        c->nhist--;
    }
    gv_batch *b = &c->hist[(c->hist_head + c->nhist) % GV_CORE_HISTORY];
    c->nhist++;
    b->n = n;
    memcpy(b->s, s, (size_t)n * sizeof *b->s);
    b->job = *j;
    c->hist_pos = c->nhist - 1;
}

static const char *batch_kind(const gv_batch *b)
{
    switch (b->job.kind) {
    case GV_JOB_SAMPLE: return "sampled";
    case GV_JOB_VARY: return "variations";
    case GV_JOB_INTERPOLATE: return "interpolation";
    default: return "generated";
    }
}

void gv_hist_step(gv_core *c, int d)
{
    int to = c->hist_pos + d;
    if (c->nhist == 0) {
        gv_core_msg(c, 0, "no batches yet: g generates");
        return;
    }
    if (to < 0 || to >= c->nhist) {
        gv_core_msg(c, 0, "batch %d of %d: the %s", c->hist_pos + 1, c->nhist, d < 0 ? "oldest" : "newest");
        return;
    }
    sync_shown(c);
    c->hist_pos = to;
    gv_batch *b = gv_hist_at(c, to);
    c->nsugg = b->n;
    memcpy(c->sugg, b->s, (size_t)b->n * sizeof *c->sugg);
    if (c->sel >= c->nsugg)
        c->sel = 0;
    if (c->playing && c->play_src >= 0)
        gv_core_play_refresh(c, 1);
    gv_core_msg(c, 0, "batch %d of %d: %d %s, seed %llu, temperature %.1f, density %.1f", to + 1, c->nhist, b->n,
                batch_kind(b), (unsigned long long)b->job.opts.seed, b->job.opts.temperature, b->job.opts.density);
}

void gv_hist_regenerate(gv_core *c)
{
    gv_batch *b = gv_hist_at(c, c->hist_pos);
    if (!b) {
        gv_core_msg(c, 0, "no batch to make again: g generates");
        return;
    }
    if (c->zdim <= 0) {
        gv_core_msg(c, 1, "no model loaded: generation is off (see --model)");
        return;
    }
    unsigned id = ++c->job_id;
    c->job = b->job;
    c->job.id = id;
    c->job_pending = 1;
    gv_core_msg(c, 0, "making batch %d again (seed %llu, its settings and input)", c->hist_pos + 1,
                (unsigned long long)b->job.opts.seed);
}

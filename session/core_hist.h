/* core_hist.h - the history of suggestion batches (issue 22).
 *
 * Every batch a job brings (generate, sample, vary, interpolate; not a
 * humanized input, not a jam's drums) is kept, with the job that made it,
 * in a ring of the last GV_CORE_HISTORY batches.  The suggestions on screen
 * are the batch at hist_pos: stepping back and on shows older and newer
 * batches (what was kept or exported in one stays marked); a new batch goes
 * to the end and is shown.  Regenerating asks for the shown batch's job
 * again (its seed, settings and input): the same bytes come back, as a new
 * batch.  The input's own undo (u, Ctrl-R) is apart from this.
 *
 * Above state.h; called by the jobs (core_job.c) and the actions. */
#ifndef GV_CORE_HIST_H
#define GV_CORE_HIST_H

#include "session/state.h"

/* Batch i (0 oldest .. nhist-1 newest). */
gv_batch *gv_hist_at(gv_core *c, int i);

/* Keeps the n suggestions s (made by job j) as the newest batch, marking it
 * shown (the caller then puts them in c->sugg); the marks on the batch shown
 * before are saved first.  The oldest goes when the ring is full. */
void gv_hist_push(gv_core *c, const gv_job *j, const gv_sugg *s, int n);

/* Shows the batch d steps back (d < 0) or on (d > 0); a message says which
 * ("batch 3 of 7, seed 42") or that there is none further. */
void gv_hist_step(gv_core *c, int d);

/* Asks for the shown batch's job again (a job request, as g makes). */
void gv_hist_regenerate(gv_core *c);

#endif

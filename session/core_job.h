/* core_job.h - generation requests, running them on the model, and taking
 * their results back into the session.
 *
 * A request fills c->job and sets job_pending (a newer one replaces it);
 * the front end takes it (gv_core_take_job), runs it off the UI thread
 * (gv_job_run touches nothing of the session) and hands the result back on
 * the UI thread (gv_core_finish_job), which drops results a newer request
 * has superseded. */
#ifndef GV_CORE_JOB_H
#define GV_CORE_JOB_H

#include "session/state.h"

/* Generates from the input, or from nothing when it is empty (SAMPLE). */
void gv_core_request_generate(gv_core *c);
/* Humanizes the input: its result replaces the input (undoable). */
void gv_core_request_humanize(gv_core *c);
void gv_core_request_vary(gv_core *c, const gv_sugg *src);
void gv_core_request_interpolate(gv_core *c, const gv_pattern *a, const gv_lib_meta *ma, const gv_pattern *b,
                                 const gv_lib_meta *mb);

/* The pending generation job (marked busy), or NULL. */
const gv_job *gv_core_take_job(gv_core *c);
void gv_core_finish_job(gv_core *c, const gv_job_result *r);
/* Runs a job on the model (any thread; ws sized for GV_CORE_MAX_N). */
int gv_job_run(const gv_model *m, gv_gen_ws *ws, const gv_job *j, gv_job_result *r);

#endif

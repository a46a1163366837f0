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

/* A jam's regeneration (core_jam.h): one pattern from r's groove with its
 * seed and lanes, the settings' temperature, density and caps, the jam's
 * feel; the latent c->jam.lat moves by the jam's follow.  Its result waits
 * in c->jam.next (ready set) for gv_core_jam_sync. */
void gv_core_request_jam(gv_core *c, const gv_jam_req *r);

/* The pending generation job (marked busy), or NULL. */
const gv_job *gv_core_take_job(gv_core *c);
void gv_core_finish_job(gv_core *c, const gv_job_result *r);
/* Runs a job on the model (any thread; ws sized for GV_CORE_MAX_N). */
int gv_job_run(const gv_model *m, gv_gen_ws *ws, const gv_job *j, gv_job_result *r);

#endif

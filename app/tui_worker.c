/* tui_worker.c - generation off the UI thread (see tui.h).  The UI copies a
 * job in, the worker runs it on the model and leaves the result; the UI takes
 * it back into the core on its next turn.  Jobs are small (milliseconds), so
 * one at a time is enough: a newer request waits in the core and supersedes
 * the running one's result there. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/tui.h"

static void *worker_main(void *arg)
{
    tui_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->stop && !w->has_job)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->stop)
            break;
        w->has_job = 0;
        w->running = 1;
        pthread_mutex_unlock(&w->mu);
        gv_job_run(w->model, w->ws, &w->job, &w->result);
        pthread_mutex_lock(&w->mu);
        w->running = 0;
        w->has_result = 1;
        char b = 1;
        while (write(w->wake_fd[1], &b, 1) < 0 && errno == EINTR)
            ;
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int tui_worker_start(tui_worker *w, const gv_model *m, gv_err *e)
{
    memset(w, 0, sizeof *w);
    w->wake_fd[0] = w->wake_fd[1] = -1;
    if (pipe(w->wake_fd) != 0)
        return gv_fail(e, "pipe: %s", strerror(errno));
    for (int i = 0; i < 2; i++)
        fcntl(w->wake_fd[i], F_SETFL, O_NONBLOCK);
    if (!m)
        return 0; /* no model: the pipe alone, nothing to run */
    w->model = m;
    w->ws = gv_gen_ws_new(&m->cfg, GV_CORE_MAX_N);
    if (!w->ws)
        return gv_fail(e, "out of memory");
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
        gv_gen_ws_free(w->ws);
        w->ws = NULL;
        return gv_fail(e, "cannot start the generation thread");
    }
    w->started = 1;
    return 0;
}

int tui_worker_poll(tui_worker *w, gv_core *c)
{
    int changed = 0;
    char drain[64];
    if (w->wake_fd[0] >= 0)
        while (read(w->wake_fd[0], drain, sizeof drain) > 0)
            ;
    if (!w->started) {
        const gv_job *j = gv_core_take_job(c);
        if (j) { /* no worker (no model): the core reports it */
            static gv_job_result r;
            r.id = j->id;
            r.rc = -1;
            r.n = 0;
            snprintf(r.err, sizeof r.err, "no model loaded");
            gv_core_finish_job(c, &r);
            changed = 1;
        }
        return changed;
    }
    pthread_mutex_lock(&w->mu);
    if (w->has_result) {
        w->has_result = 0;
        gv_core_finish_job(c, &w->result);
        changed = 1;
    }
    if (!w->has_job && !w->running) {
        const gv_job *j = gv_core_take_job(c);
        if (j) {
            w->job = *j;
            w->has_job = 1;
            pthread_cond_signal(&w->cv);
            changed = 1;
        }
    }
    pthread_mutex_unlock(&w->mu);
    return changed;
}

void tui_worker_stop(tui_worker *w)
{
    if (w->started) {
        pthread_mutex_lock(&w->mu);
        w->stop = 1;
        pthread_cond_signal(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->th, NULL);
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        w->started = 0;
    }
    gv_gen_ws_free(w->ws);
    w->ws = NULL;
    for (int i = 0; i < 2; i++)
        if (w->wake_fd[i] >= 0)
            close(w->wake_fd[i]);
    w->wake_fd[0] = w->wake_fd[1] = -1;
}

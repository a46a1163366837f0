/* run.c - a whole training run (see run.h). */
#define _POSIX_C_SOURCE 200809L
#include "trainer/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "trainer/dist.h"
#include "trainer/eval.h"
#include "trainer/prior.h"
#include "trainer/progress.h"

void gv_run_init(gv_run *r, const gv_run_opts *o)
{
    memset(r, 0, sizeof *r);
    r->o = *o;
    snprintf(r->ckpt, sizeof r->ckpt, "%s", o->ckpt ? o->ckpt : "");
    snprintf(r->log, sizeof r->log, "%s", o->log ? o->log : "");
    if (!o->ckpt)
        gv_path_beside(o->out, ".ckpt", r->ckpt, sizeof r->ckpt);
    if (!o->log)
        gv_path_beside(o->out, ".csv", r->log, sizeof r->log);
    gv_path_beside(o->out, ".windows", r->cache, sizeof r->cache);
    gv_path_beside(o->out, ".json", r->sidecar, sizeof r->sidecar);
}

static int is_root(const gv_run *r) { return !r->o.dist || r->o.dist->rank == 0; }

int gv_run_check(gv_run *r, gv_err *e)
{
    if (!is_root(r))
        return 0; /* rank 0 alone writes */
    const gv_train_opts *o = &r->o.train;
    gv_tensor_info *ti = malloc(GV_MAX_PARAMS_TENSORS * sizeof *ti);
    size_t np = 0;
    r->bad = NULL;
    if (!ti)
        return gv_fail(e, "out of memory");
    gv_param_table(&o->cfg, ti, &np);
    free(ti);
    unsigned long long weights = (unsigned long long)np * sizeof(float), small = 64 << 10;
    const char *path[4] = {r->o.out, r->sidecar, r->ckpt, r->log};
    int n = r->o.export_only ? 2 : 4;
    unsigned long long need = weights + 2 * small;
    if (!r->o.export_only)
        need += 3 * weights + (unsigned long long)o->epochs * sizeof(gv_epoch_stats) + 2 * small;
    for (int i = 0; i < n; i++)
        if (gv_check_writable(path[i], need, e) != 0) {
            r->bad = path[i];
            return -1;
        }
    return 0;
}

void gv_run_data(gv_run *r, const gv_windows *train, const gv_windows *val)
{
    gv_windows_split_tenth(train, &r->learn, &r->calib);
    r->val = val;
}

/* Several processes: rank 0's outcome (rc) and, when it resumed, its
 * trainer's state, sent to every rank (a rank that has no checkpoint file
 * of its own starts where rank 0 does). */
static int share_start(gv_run *r, int rc, gv_err *e)
{
    const gv_dist *d = r->o.dist;
    if (!d || d->size < 2)
        return rc;
    int32_t st[2] = {rc, r->resumed};
    gv_dist_bcast(d, st, sizeof st);
    if (st[0] != 0)
        return is_root(r) ? -1 : gv_fail(e, "rank 0 could not start the run (its message says why)");
    if (!st[1])
        return 0;
    unsigned char *buf = NULL;
    size_t len = 0;
    int ok = !is_root(r) || gv_checkpoint_encode(r->t, &buf, &len, e) == 0;
    uint64_t n = ok ? len : 0;
    gv_dist_bcast(d, &n, sizeof n);
    if (n == 0) {
        free(buf);
        return ok && !is_root(r) ? gv_fail(e, "rank 0 could not send its checkpoint") : -1;
    }
    if (!is_root(r) && !(buf = malloc(n)))
        gv_dist_abort(d, 1); /* the others wait in the broadcast: end the job */
    gv_dist_bcast(d, buf, n);
    rc = is_root(r) ? 0 : gv_trainer_resume_mem(r->t, buf, n, e);
    free(buf);
    r->resumed = 1;
    return rc;
}

int gv_run_start(gv_run *r, gv_err *e)
{
    r->bad = NULL;
    if (!(r->t = calloc(1, sizeof *r->t)))
        return gv_fail(e, "out of memory");
    if (gv_trainer_init(r->t, &r->o.train, &r->learn, r->val, e) != 0) {
        free(r->t);
        r->t = NULL;
        return -1;
    }
    if (r->o.threads > 1 && gv_trainer_set_threads(r->t, r->o.threads, e) != 0)
        return -1;
    if (r->o.dist && r->o.dist->size > 1 && gv_trainer_set_dist(r->t, r->o.dist, e) != 0)
        return -1;
    int resume = r->o.resume, rc = 0;
    if (!is_root(r)) {
        resume = 0;
    } else if (resume && !r->o.export_only && access(r->ckpt, F_OK) != 0 && errno == ENOENT) {
        r->fresh = 1;
        resume = 0;
    }
    if (resume && gv_trainer_resume(r->t, r->ckpt, e) != 0) {
        r->bad = r->ckpt;
        rc = -1;
    }
    r->resumed = resume;
    return share_start(r, rc, e);
}

/* What Bernoulli sampling must undo (engine/generate.h); dice is no rate to undo. */
static float empty_weight(const gv_train_opts *o)
{
    return o->loss.hit == GV_LOSS_BCE && o->loss.hit_penalty > 0 ? o->loss.hit_penalty : 1.f;
}

/* OUT: the trainer's weights with thresholds calibrated on the held-back
 * tenth of the training split (never on validation). */
static int save_model(gv_run *r, gv_err *e)
{
    gv_model *m = &r->t->model;
    m->cfg.empty_weight = empty_weight(&r->t->o);
    if (r->calib.n > 0 && gv_calibrate_thresholds(m, &r->calib, m->cfg.thresholds, e) != 0)
        return -1;
    return gv_model_save(m, r->o.out, e);
}

static int write_log(const gv_run *r, gv_err *e)
{
    char *csv = gv_history_csv(r->t->hist, r->t->nhist);
    if (!csv)
        return gv_fail(e, "out of memory");
    int rc = gv_write_atomic(r->log, csv, strlen(csv), e);
    free(csv);
    return rc;
}

int gv_run_best_epoch(const gv_run *r)
{
    const gv_trainer *t = r->t;
    int best = t->nhist - 1;
    if (r->o.keep_last || !t->val->n)
        return best;
    for (int i = 0; i < t->nhist; i++)
        if (t->hist[i].val_f1 > t->hist[best].val_f1)
            best = i;
    return best;
}

static void run_step(const gv_step_info *s, void *u)
{
    gv_run *r = u;
    if (r->h.on_step)
        r->h.on_step(s, r->h.user);
}

/* After each epoch: the log, and OUT when the epoch is the best so far. */
static void run_epoch(const gv_epoch_stats *s, void *u)
{
    gv_run *r = u;
    gv_err e = {0};
    if (!is_root(r))
        return;
    if (r->h.on_epoch)
        r->h.on_epoch(s, r->h.user);
    if (write_log(r, &e) != 0 && r->h.on_error)
        r->h.on_error(r->log, e.msg, r->h.user);
    if (gv_run_best_epoch(r) == r->t->nhist - 1 && save_model(r, &e) != 0 && r->h.on_error)
        r->h.on_error(r->o.out, e.msg, r->h.user);
}

int gv_run_train(gv_run *r, const gv_run_hooks *h, gv_err *e)
{
    int res = 0;
    r->h = *h;
    r->bad = NULL;
    if (!r->o.export_only) {
        gv_train_hooks th = {run_step, run_epoch, NULL, r, is_root(r) ? r->ckpt : NULL, h->stop};
        if ((res = gv_trainer_run(r->t, &th, e)) < 0) {
            r->bad = r->ckpt;
            return -1;
        }
    }
    /* OUT already holds the best epoch unless none finished (or export_only). */
    if (is_root(r) && (r->o.export_only || r->t->nhist == 0) && save_model(r, e) != 0) {
        r->bad = r->o.out;
        return -1;
    }
    return res;
}

/* Components of the sampling prior for n training windows: 64, fewer for
 * small data (at least 50 windows a component). */
static int prior_k(int n)
{
    int k = n / 50;
    return k < 1 ? 1 : k > GV_PRIOR_MAX_COMPONENTS ? GV_PRIOR_MAX_COMPONENTS : k;
}

/* OUT's last touches on m: with recalibrate, the thresholds again; the
 * mixture prior fitted to the learnt windows; then OUT written again. */
static int finish(gv_run *r, gv_model *m, int recalibrate, gv_err *e)
{
    if (recalibrate)
        m->cfg.empty_weight = empty_weight(&r->o.train);
    if (recalibrate && r->calib.n > 0 && gv_calibrate_thresholds(m, &r->calib, m->cfg.thresholds, e) != 0)
        return -1;
    int K = prior_k(r->learn.n);
    if (r->learn.n >= K && gv_prior_fit(m, &r->learn, K, r->o.train.seed, e) != 0)
        return -1;
    return gv_model_save(m, r->o.out, e);
}

static int load_and_finish(gv_run *r, gv_model *m, int recalibrate, gv_err *e)
{
    r->bad = r->o.out;
    if (gv_model_load(r->o.out, m, e) != 0)
        return -1;
    if (finish(r, m, recalibrate, e) != 0) {
        gv_model_free(m);
        return -1;
    }
    r->bad = NULL;
    return 0;
}

int gv_run_finish(gv_run *r, gv_model *m, gv_err *e) { return load_and_finish(r, m, 0, e); }

int gv_run_refit(gv_run *r, gv_model *m, gv_err *e) { return load_and_finish(r, m, 1, e); }

void gv_run_free(gv_run *r)
{
    if (r->t) {
        gv_trainer_free(r->t);
        free(r->t);
        r->t = NULL;
    }
}

/* run.h - a whole training run: the policy around the loop of train.h that
 * turns epochs into the model file OUT.
 *
 * A run writes, beside OUT (e.g. model.safetensors):
 *   OUT and its .json sidecar   the model of the best epoch so far,
 *   OUT-stem.ckpt               the checkpoint (train.h: one per epoch's end),
 *   OUT-stem.csv                the per-epoch log, rewritten after each epoch,
 *   OUT-stem.windows            the data cache (trainer/data.h; the caller loads through it).
 * Its policy:
 *   - the training split's last tenth is held back: never learnt from, it
 *     calibrates the per-voice thresholds (validation figures stay honest);
 *   - after each epoch the log is written and, when the epoch is the best so
 *     far (validation hit F1 at 0.5; the last one with keep_last or without
 *     validation windows), OUT is written: thresholds calibrated on the
 *     held-back tenth, then saved; a run cut short still leaves its best model;
 *   - resume continues from the checkpoint; a run killed before its first
 *     checkpoint has none, and starts from the beginning;
 *   - at the end the sampling prior (trainer/prior.h) is fitted to the
 *     learnt windows' latents on OUT's model, and OUT is written again.
 *
 *   gv_run r;
 *   gv_run_init(&r, &opts);                  // paths beside OUT
 *   gv_run_check(&r, &e);                    // every output writable, before any work
 *   gv_run_data(&r, &train, &val);
 *   gv_run_start(&r, &e);                    // trainer made (and resumed)
 *   gv_run_train(&r, &hooks, &e);            // 0 done, 1 stopped, -1 error
 *   gv_run_finish(&r, &model, &e);           // OUT's model, prior fitted
 *   gv_run_free(&r);
 *
 * Several processes (o.dist): every rank calls the same functions; each
 * trains on its share of every batch (trainer/train.h), rank 0 alone calls
 * the hooks' on_epoch, validates and writes files; gv_run_finish and
 * gv_run_refit are rank 0's alone.
 *
 * Nothing here prints: progress goes to the hooks, and a failing call
 * returns -1 with e filled and r->bad naming the file at fault (NULL when
 * none is).  The windows are kept by pointer and stay the caller's. */
#ifndef GV_TRAINER_RUN_H
#define GV_TRAINER_RUN_H

#include <signal.h>

#include "base/error.h"
#include "trainer/train.h"

#define GV_RUN_PATH 4096

typedef struct gv_run_opts {
    gv_train_opts train;
    const char *out;  /* the model file */
    const char *ckpt; /* NULL: OUT-stem.ckpt */
    const char *log;  /* NULL: OUT-stem.csv */
    int keep_last;    /* OUT follows the last epoch, not the best */
    int resume;       /* continue from the checkpoint */
    int export_only;  /* no training: OUT written from the checkpoint */
    int threads;      /* the trainer's workers (gv_trainer_set_threads; 0 counts as 1) */
    const struct gv_dist *dist; /* the processes of an MPI job (trainer/dist.h), or NULL: this one alone.
                                 * Rank 0 alone writes (OUT, its sidecar, the checkpoint, the log) and
                                 * reads the checkpoint, which it sends to the others */
} gv_run_opts;

typedef struct gv_run_hooks {
    void (*on_step)(const gv_step_info *, void *);
    void (*on_epoch)(const gv_epoch_stats *, void *);
    /* A log or model write after an epoch failed (the run goes on). */
    void (*on_error)(const char *path, const char *msg, void *);
    void *user;
    volatile sig_atomic_t *stop; /* set (e.g. by SIGINT): checkpoint and return 1 */
} gv_run_hooks;

typedef struct gv_run {
    gv_run_opts o;
    char ckpt[GV_RUN_PATH], log[GV_RUN_PATH], cache[GV_RUN_PATH], sidecar[GV_RUN_PATH];
    gv_windows learn, calib; /* views into the training split: its first nine tenths, its last */
    const gv_windows *val;
    gv_trainer *t;           /* NULL until gv_run_start */
    int resumed;             /* a checkpoint was restored */
    int fresh;               /* resume was asked, but there was no checkpoint yet */
    const char *bad;         /* after a failure: the file at fault, or NULL */
    gv_run_hooks h;
} gv_run;

/* Copies o and fills the paths beside o->out. */
void gv_run_init(gv_run *r, const gv_run_opts *o);
/* Every file the run will write can be written, with room for all of them
 * (the checkpoint holds the weights and two optimiser moments; the cache is
 * optional and not checked); export_only: OUT and its sidecar. */
int gv_run_check(gv_run *r, gv_err *e);
/* The training split (split into learn and calib) and validation windows. */
void gv_run_data(gv_run *r, const gv_windows *train, const gv_windows *val);
/* A fresh trainer over the windows, resumed from the checkpoint when asked. */
int gv_run_start(gv_run *r, gv_err *e);
/* Trains to the last epoch (not with export_only), then makes sure OUT is
 * written: 0 done, 1 stopped by *h->stop (checkpoint written), -1 error. */
int gv_run_train(gv_run *r, const gv_run_hooks *h, gv_err *e);
/* The history entry OUT holds (-1 when no epoch finished). */
int gv_run_best_epoch(const gv_run *r);
/* Loads OUT into m, fits the sampling prior and writes OUT again; m stays
 * loaded for the caller (gv_model_free) when it returns 0. */
int gv_run_finish(gv_run *r, gv_model *m, gv_err *e);
/* No training (--refit): OUT's thresholds calibrated again and its prior
 * fitted, on the data given; m as for gv_run_finish. */
int gv_run_refit(gv_run *r, gv_model *m, gv_err *e);
void gv_run_free(gv_run *r);

#endif

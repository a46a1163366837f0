/* train.h - the training loop of the groove VAE.
 *
 * One step: a batch of `batch` windows in a seeded per-epoch order (the last
 * partial batch of an epoch is skipped), groove augmentation (velocity
 * dropout, note dropout), forward in training mode (dropout, sampled latent),
 * reconstruction + beta*KL losses (trainer/loss.h), backward, global-norm
 * clipping, AdamW at the scheduled learning rate (trainer/schedule.h).
 *
 * Determinism: every random draw about an example comes from a generator
 * seeded by (seed, step, its row in the batch), the order from the epoch's
 * shuffle (seeded by seed and epoch), so the same options and data give the
 * same weights bit for bit, and a run resumed from a checkpoint continues
 * exactly as if it had not stopped.
 *
 * Threads and processes (trainer/step.h): each step's batch is cut into
 * fixed shards (a function of the batch alone) that gv_trainer_set_threads'
 * workers run side by side and whose gradients are summed in a fixed order:
 * any thread count gives the same weights bit for bit.  With a gv_dist of N
 * processes (gv_trainer_set_dist), each computes its N-th of every batch and
 * the gradients and losses are summed over them (MPI_Allreduce): the same
 * model as one process up to the sums' rounding (1e-5 relative).
 *
 * An epoch's end is one recoverable unit: its checkpoint is written first,
 * marked as owing the epoch's outputs (whatever on_epoch writes), and the
 * mark is only dropped by the next checkpoint, written after on_epoch
 * returned.  A run resumed from a checkpoint that owes them calls on_epoch
 * for that epoch again before anything else, so a process killed anywhere
 * in between leaves nothing missing or stale once it is resumed.
 *
 * Library rules: nothing here prints; progress goes to the callbacks. */
#ifndef GV_TRAINER_TRAIN_H
#define GV_TRAINER_TRAIN_H

#include <signal.h>
#include <stdint.h>

#include "engine/model.h"
#include "base/error.h"
#include "trainer/adamw.h"
#include "trainer/data.h"
#include "trainer/loss.h"
#include "trainer/train_types.h"

/* The shipped defaults. */
void gv_train_opts_default(gv_train_opts *o);
/* 64-bit fingerprint of everything that shapes the computation (a checkpoint
 * only resumes under the same fingerprint). */
uint64_t gv_train_opts_hash(const gv_train_opts *o);


typedef struct gv_train_hooks {
    void (*on_step)(const gv_step_info *, void *);
    void (*on_epoch)(const gv_epoch_stats *, void *);
    /* Called after each checkpoint the loop writes (may be NULL). */
    void (*on_checkpoint)(const gv_trainer *, const char *path, void *);
    void *user;
    const char *ckpt_path;           /* NULL: no checkpoints */
    volatile sig_atomic_t *stop;     /* set (e.g. by SIGINT): checkpoint and return 1 */
} gv_train_hooks;

/* A fresh trainer (random init from seed) over train/val windows (kept by
 * pointer; val may have n = 0), one thread, one process. */
int gv_trainer_init(gv_trainer *t, const gv_train_opts *o, const gv_windows *train, const gv_windows *val,
                    gv_err *e);
/* Runs the steps and validations on `threads` workers (1..; no more are
 * used than the step has shards).  The results do not depend on it. */
int gv_trainer_set_threads(gv_trainer *t, int threads, gv_err *e);
/* Makes this trainer one of d->size processes (rank d->rank computes rows
 * [B*rank/size, B*(rank+1)/size) of each batch; the batch must have at least
 * one row per process); d kept by pointer.  Keeps the thread count. */
int gv_trainer_set_dist(gv_trainer *t, const struct gv_dist *d, gv_err *e);
int gv_trainer_threads(const gv_trainer *t);
/* Restores model, optimiser, rng, step and history from a checkpoint written
 * under the same options. */
int gv_trainer_resume(gv_trainer *t, const char *ckpt, gv_err *e);
int gv_checkpoint_save(const gv_trainer *t, const char *path, gv_err *e);
/* The same in memory (for a process that has no file to read): the
 * checkpoint's bytes (malloc'd, the caller frees) and a resume from them. */
int gv_checkpoint_encode(const gv_trainer *t, unsigned char **buf, size_t *len, gv_err *e);
int gv_trainer_resume_mem(gv_trainer *t, const unsigned char *buf, size_t len, gv_err *e);
void gv_trainer_free(gv_trainer *t);

long gv_trainer_steps_per_epoch(const gv_trainer *t);
/* Runs until opts.epochs are done (0) or *stop is set (1, after writing a
 * checkpoint); -1 on error.  Starts with on_epoch for the last epoch when
 * the checkpoint it resumed from owes that epoch's outputs. */
int gv_trainer_run(gv_trainer *t, const gv_train_hooks *h, gv_err *e);

/* Loss of the model on windows w (z = mu, no dropout, no augmentation) and
 * hit F1 at 0.5; beta/free bits as at step `step`. */
void gv_trainer_val(const gv_trainer *t, const gv_windows *w, gv_loss_parts *loss, float *f1);

#endif

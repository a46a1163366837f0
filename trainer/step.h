/* step.h - internal to trainer/: one optimisation step of gv_trainer split
 * into fixed shards of the batch and run by a team of threads
 * (base/pool.h), and across processes through a gv_dist (trainer/dist.h).
 *
 * The shards are a function of the rows this process computes alone (never
 * of the thread count): a batch of B rows is cut into gv_step_shards(B)
 * contiguous shards whose sizes differ by at most one.  Each shard's forward,
 * losses and backward run on whichever worker takes it, into the shard's own
 * gradient buffer; the buffers are then summed pairwise in a fixed tree
 * (shard i += shard i + s for s = 1, 2, 4, ...), parameter chunk by chunk on
 * the workers, and the squared gradient norm is summed per fixed chunk and
 * then in chunk order.  So any thread count gives the same bits.
 *
 * Example r of the global batch at step k draws everything random about it
 * (its mode, augmentation, dropout masks, latent noise) from a generator
 * seeded by (seed, k, r) alone: not by the shard, thread or rank it lands
 * on.  The losses are normalised by the whole global batch (gv_loss_norm of
 * all its targets, which every process reads), so the shards' losses and
 * gradients add up to the batch's. */
#ifndef GV_TRAINER_STEP_H
#define GV_TRAINER_STEP_H

#include "trainer/train_types.h"

/* Shards for a batch of B rows: 1..GV_STEP_SHARDS_MAX, about
 * GV_STEP_SHARD_ROWS rows each (fewer, larger shards keep the products
 * efficient and the gradient sums few; a batch of 64 is 4 shards, one a
 * worker up to 4 threads).  Each shard costs a gradient buffer. */
#define GV_STEP_SHARDS_MAX 16
#define GV_STEP_SHARD_ROWS 16
int gv_step_shards(int B);

/* Buffers and threads of the trainer's steps: rows [row0, row0 + n) of each
 * global batch on `threads` workers.  0, or -1 (out of memory). */
int gv_step_par_new(gv_trainer *t, int row0, int n, int threads);
void gv_step_par_free(gv_trainer *t);

/* One step on global batch b of the current epoch (t->perm set): the
 * losses (global means) into *p; the learning rate and beta it used. */
void gv_step_run(gv_trainer *t, long b, gv_loss_parts *p, float *lr_out, float *beta_out);

/* Validation figures of gv_trainer_val on the trainer's workers. */
void gv_step_val(const gv_trainer *t, const gv_windows *w, gv_loss_parts *loss, float *f1);

#endif

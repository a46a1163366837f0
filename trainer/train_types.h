/* train_types.h - the data of a groove VAE trainer: its options, its
 * per-epoch and per-step figures, and the trainer itself (the functions
 * that work on them are trainer/train.h's, and trainer/step.h's for one
 * step).  A header of its own so that the step, below the loop, can read
 * the trainer without including the loop. */
#ifndef GV_TRAINER_TRAIN_TYPES_H
#define GV_TRAINER_TRAIN_TYPES_H

#include <stdint.h>

#include "engine/model.h"
#include "trainer/adamw.h"
#include "trainer/data.h"
#include "trainer/loss.h"

#define GV_TRAIN_MAX_EPOCHS 1024
#define GV_TRAIN_MODES 6

typedef struct gv_train_opts {
    gv_config cfg;
    gv_loss_opts loss;
    uint64_t seed;
    int epochs, batch;
    float lr, lr_min_ratio, weight_decay, clip;
    int warmup;          /* learning-rate warm-up steps */
    float dropout;
    float beta_max;      /* KL weight */
    int beta_kind;       /* GV_BETA_LINEAR / GV_BETA_CYCLIC */
    int beta_period;     /* steps of the warm-up or of one cycle */
    float beta_ramp;     /* cyclic: fraction of a cycle spent ramping */
    float free_bits;     /* nats per example */
    float vel_dropout;   /* probability that a groove's velocities become vel_const */
    float vel_const;
    float note_dropout;  /* probability that a groove hit is removed */
    int ckpt_every;      /* steps between checkpoints (0: at each epoch's end only) */
    float mix[GV_TRAIN_MODES]; /* conditioned models: the share of examples told in 1, 2, 3 lanes, with kept
                                * voices, for humanize, blind (normalised; 0.30 0.15 0.15 0.20 0.10 0.10) */
} gv_train_opts;

typedef struct gv_epoch_stats {
    int epoch;              /* 1-based */
    long step;              /* steps done at its end */
    float lr, beta;
    gv_loss_parts train;    /* mean over the epoch's batches */
    gv_loss_parts val;      /* on the validation windows: z = mu, no dropout */
    float val_f1;           /* hit F1 at threshold 0.5 */
    double seconds;         /* wall time of the whole run so far */
} gv_epoch_stats;

typedef struct gv_step_info {
    int epoch, epochs;
    long step, total_steps, steps_per_epoch;
    float lr, beta;
    gv_loss_parts loss;     /* this step's batch */
    double ex_per_s;        /* examples per second, since this run started */
    double eta_s;
} gv_step_info;

typedef struct gv_trainer {
    gv_train_opts o;
    gv_model model;
    gv_adamw opt;
    gv_rng rng;
    long step;
    gv_loss_parts ep_sum;   /* this epoch's batches so far */
    long ep_count;
    double secs_before;     /* wall time of earlier runs (from the checkpoint) */
    gv_epoch_stats hist[GV_TRAIN_MAX_EPOCHS];
    int nhist;
    int owed;               /* the last epoch's outputs are not known to be written (see above) */
    /* not saved */
    const gv_windows *train, *val;
    int *perm, perm_epoch;
    const struct gv_dist *dist;  /* the processes (NULL: this one alone) */
    struct gv_step_par *par;     /* the step's shards, buffers and workers (trainer/step.h) */
    int threads;                 /* the workers asked for */
} gv_trainer;

#endif

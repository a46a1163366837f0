/* rnn_train.h - training the recurrent VAE family (engine/rnn.h) on groove
 * windows (trainer/data.h), Magenta's recipe: Adam at lr decaying
 * exponentially to a floor, gradients clipped to a global norm, the KL with
 * free bits at a fixed beta (MusicVAE's beta_rate 0), dropout on the decoder's
 * inputs; the best epoch on the validation loss is kept.
 *
 *   gv_rnn_train_opts o; gv_rnn_train_opts_default(&o);
 *   gv_rnn_init(&cfg, params, o.seed);
 *   gv_rnn_train(&cfg, params, &train, &val, &o, on_epoch, ctx, &err);
 *
 * The encoder reads, per window, what cfg.input says: the monotonic groove
 * (3), the hits (9) or the whole pattern (27); the decoder always writes the
 * whole pattern.  Same seed, same data, same bytes. */
#ifndef GV_TRAINER_RNN_TRAIN_H
#define GV_TRAINER_RNN_TRAIN_H

#include <stdint.h>

#include "base/error.h"
#include "engine/rnn.h"
#include "trainer/data.h"

typedef struct gv_rnn_train_opts {
    int epochs, batch;
    float lr, lr_min, lr_decay; /* lr * decay^step, at least lr_min */
    float clip;                 /* global gradient norm */
    uint64_t seed;
    long max_steps;             /* 0: no limit (tests stop early) */
    volatile int *stop;         /* NULL, or set (by a signal handler) to end the run after the current
                                 * step: that epoch is scored and the best epoch kept as usual */
} gv_rnn_train_opts;

/* Magenta's: batch 512 -> 64 here (a CPU step), lr 1e-3 decaying 0.9999 a
 * step to 1e-5, clip 1, 20 epochs, seed 0. */
void gv_rnn_train_opts_default(gv_rnn_train_opts *o);

typedef struct gv_rnn_epoch {
    int epoch;            /* 1.. */
    long steps;
    double train_loss;    /* mean total loss per example over the epoch */
    gv_rnn_loss_parts val; /* on the validation windows, no dropout, z = mu */
    int best;             /* 1 when this epoch is the best so far (params kept) */
} gv_rnn_epoch;

typedef void (*gv_rnn_epoch_fn)(const gv_rnn_epoch *e, void *u);

/* The encoder input of window i: T * cfg->input floats. */
void gv_rnn_window_input(const gv_rnn_config *c, const gv_windows *w, int i, float *x);

/* Validation loss (z = mu, no dropout) over w. */
int gv_rnn_val_loss(const gv_rnn_config *c, const float *params, const gv_windows *w, gv_rnn_loss_parts *p,
                    gv_err *e);

/* Trains params in place; at the end params are the best epoch's. */
int gv_rnn_train(const gv_rnn_config *c, float *params, const gv_windows *train, const gv_windows *val,
                 const gv_rnn_train_opts *o, gv_rnn_epoch_fn fn, void *u, gv_err *e);

#endif

/* progress.h - what `groove train` shows while it runs, for the front end
 * (writes to the FILE* it is given; the training library itself never prints).
 *   on a terminal: one progress line redrawn in place (epoch, step, bar,
 *   examples/s, ETA, losses); otherwise plain lines, at most one per
 *   `interval` seconds, so that logs stay short;
 *   a line per epoch with train and validation losses;
 *   the per-epoch CSV log, and an ASCII plot of train/val loss at the end. */
#ifndef GV_TRAINER_PROGRESS_H
#define GV_TRAINER_PROGRESS_H

#include <stdio.h>

#include "trainer/train.h"

typedef struct gv_progress {
    FILE *f;
    int tty;
    double interval, last; /* seconds between plain lines; time of the last one */
    int drawn;             /* a tty line is on screen */
} gv_progress;

void gv_progress_init(gv_progress *p, FILE *f);
void gv_progress_step(gv_progress *p, const gv_step_info *s);
void gv_progress_epoch(gv_progress *p, const gv_epoch_stats *s);
/* Ends a redrawn line (before other output). */
void gv_progress_break(gv_progress *p);

/* The CSV log of epochs h[0..n) (malloc'd, NUL-terminated; NULL when out of memory). */
char *gv_history_csv(const gv_epoch_stats *h, int n);
/* Plot of train (t) and validation (v) total loss against epoch. */
void gv_plot_losses(FILE *f, const gv_epoch_stats *h, int n, int width, int height);

#endif

/* schedule.h - values that change with the training step.
 *   learning rate: linear warm-up from 0 over `warmup` steps, then cosine
 *     decay to lr*min_ratio at step `total`;
 *   beta (KL weight): linear warm-up from 0 to beta_max over `period` steps,
 *     or cyclic (Fu et al. 2019): every `period` steps a ramp from 0 to
 *     beta_max over the first `ramp` fraction, then beta_max. */
#ifndef GV_TRAINER_SCHEDULE_H
#define GV_TRAINER_SCHEDULE_H

enum { GV_BETA_LINEAR, GV_BETA_CYCLIC };

float gv_lr_at(long step, long warmup, long total, float lr, float min_ratio);
float gv_beta_at(long step, int kind, long period, float ramp, float beta_max);
/* "linear" / "cyclic" -> kind; -1 when unknown. */
int gv_beta_parse(const char *s, int *kind);

#endif

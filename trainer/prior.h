/* prior.h - the prior `groove sample` draws from: a mixture of diagonal
 * Gaussians fitted to the aggregate posterior, where the training data's
 * latents really lie (issue 20), instead of N(0, I), which the decoder saw
 * only as far as the KL term pulled the posteriors to it.
 *
 *   gv_prior_fit(&model, &train_windows, 64, seed, &e);  // then gv_model_save
 *
 * Each window is encoded as `groove sample` decodes: the groove alone (1
 * lane, nothing given to the decoder); one latent is drawn from each
 * window's posterior N(mu, exp(logvar)) (seeded), and EM fits K components
 * (means started on K distinct seeded points, variances floored at 1e-3,
 * at most 100 rounds, stopping when the mean log-likelihood gains less than
 * 1e-5).  The result goes into the model (gv_model_set_prior).
 *
 * gv_eval_sample measures what the issue asks of samples: per-voice hit
 * density against the training data's, the share with a kick and a snare or
 * tom on a backbeat step (4, 12, 20, 28), and the share within hit F1 0.9
 * of some training window (replayed rather than generated). */
#ifndef GV_TRAINER_PRIOR_H
#define GV_TRAINER_PRIOR_H

#include <stdint.h>

#include "engine/model.h"
#include "base/error.h"
#include "trainer/data.h"

int gv_prior_fit(gv_model *m, const gv_windows *w, int K, uint64_t seed, gv_err *e);

typedef struct gv_sample_stats {
    int samples;
    double density[GV_VOICES];      /* mean hits per 2 bars, per voice */
    double data_density[GV_VOICES]; /* the same over the training windows */
    int voices_within;              /* voices whose density is within +-25 % of the data's */
    double backbeat;                /* share with a kick and a snare or tom on step 4, 12, 20 or 28 */
    double replayed;                /* share within hit F1 0.9 of some training window */
} gv_sample_stats;

/* n 2-bar samples from m's prior (gv_gen_prior_latents; with use_prior 0,
 * N(0, T^2) whatever m holds) at temperature T, seed, decoded as `groove
 * sample` does; scored against the windows of train. */
int gv_eval_sample(const gv_model *m, const gv_windows *train, int n, float T, uint64_t seed, int use_prior,
                   int bernoulli, gv_sample_stats *s, gv_err *e);

#endif

/* helpers.h - small pieces the tests and benchmarks share (header only). */
#ifndef GV_TESTS_HELPERS_H
#define GV_TESTS_HELPERS_H

#include <stdlib.h>
#include <time.h>

#include "engine/model.h"

/* The source tree: $GROOVE_ROOT, or "." when unset or empty. */
static inline const char *gv_test_root(void)
{
    const char *r = getenv("GROOVE_ROOT");
    return r && *r ? r : ".";
}

/* Monotonic seconds, for timing. */
static inline double gv_test_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The default config with a small architecture: d_model, heads, feed-forward
 * width and layers of the encoder, the same of the decoder, the latent size. */
static inline gv_config gv_test_config(int d_enc, int h_enc, int ff_enc, int l_enc, int d_dec, int h_dec, int ff_dec,
                                       int l_dec, int latent)
{
    gv_config c;
    gv_config_default(&c);
    c.d_model_enc = d_enc, c.nhead_enc = h_enc, c.dim_feedforward_enc = ff_enc, c.num_encoder_layers = l_enc;
    c.d_model_dec = d_dec, c.nhead_dec = h_dec, c.dim_feedforward_dec = ff_dec, c.num_decoder_layers = l_dec;
    c.latent_dim = latent;
    return c;
}

/* The small random transformer the session tests drive (the core only needs
 * its shapes to be right): d_model 16, 2 heads, feed-forward 32, one layer
 * each side, latent 8, src_features F (GV_SRC_FEATURES, or GV_COND_FEATURES
 * for lanes, kept voices and humanize), every threshold thr, seed 7. */
static inline int gv_test_small_model(gv_model *m, int F, float thr, gv_err *e)
{
    gv_config c = gv_test_config(16, 2, 32, 1, 16, 2, 32, 1, 8);
    c.src_features = F;
    for (int v = 0; v < GV_VOICES; v++)
        c.thresholds[v] = thr;
    return gv_model_init_random(m, &c, 7, e);
}

#endif

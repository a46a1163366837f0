/* generate.h - generation controls on top of the model (engine/model.h):
 * suggestions from a groove, variations around a kept latent, samples from
 * the prior, latent interpolation, and the step from decoder probabilities to
 * hits.  Pure: the caller owns every buffer; the workspace is scratch.
 *
 * Chunks.  A model sees T = cfg.steps steps (the transformer and a 2-bar
 * GrooVAE 32, the 4-bar conductor model 64; T a multiple of 32).  A pattern
 * of `steps` steps is C = gv_gen_chunks(cfg, steps) chunks; chunk c covers
 * steps [Tc, Tc+T) (the last one padded with silence on the way in and cut
 * on the way out) and has its own latent: a 4-bar pattern comes from a
 * 4-bar model in one piece, an 8-bar one in two.  The latent of one suggestion is C*L floats
 * (L = latent_dim), chunk-major; n suggestions are [n][C*L].
 *
 * Seeds.  Suggestion i of a call with seed S uses s_i = gv_gen_seed(S, i),
 * where s_0 = S: a call with n = 1 and seed s_i reproduces suggestion i.
 * Chunk c of it uses gv_gen_chunk_seed(s_i, c) (chunk 0: s_i itself): the
 * latent noise is the first L normals of gv_rng seeded with it; Bernoulli hits
 * draw from a separate stream derived from it, so threshold and bernoulli
 * sampling of the same seed share their latents.  Derived seeds fit in 53 bits
 * (exact as JSON numbers).
 *
 * Hits, with D = density (>= 0) and p the decoder's hit probability:
 *   threshold  hit where p >= thr_v ^ D   (thr_v: the model's calibrated
 *              per-voice threshold).  D = 1 is the model's thresholds, D > 1
 *              lowers them (more hits), D < 1 raises them, D = 0 leaves only
 *              p = 1.
 *   bernoulli  hit where u^D < p with u ~ U[0,1) from the seeded stream, i.e.
 *              hit ~ Bernoulli(p^(1/D)): the same shaping applied to p.
 *              A model trained with empty cells weighted w < 1 in its hit
 *              loss (cfg.empty_weight) has p inflated to q / (q + w (1 - q));
 *              Bernoulli draws from q = w p / (1 - p + w p), the rate the
 *              data has, so that samples are as dense as the drummers.
 *   With the same seed a larger density gives a superset of the hits.
 *   Voice v's D is density * voice_density[v] (1 by default: the product is
 *   then density exactly, so the same seed gives the same hits).
 *   Temperature 0 means z = mu and thresholded hits whatever the sampling.
 *   max_hits[v] >= 0 caps voice v per chunk (T steps), keeping its most
 *   probable steps (the earlier step on ties).
 * A hit cell takes the decoder's velocity (at least 1/127, so that it
 * survives MIDI) and offset; gv_generate, which drums a groove, then gives
 * the player's feel back per o->feel (engine/feel.h; auto by default). */
#ifndef GV_GENERATE_H
#define GV_GENERATE_H

#include <stdint.h>

#include "engine/cond.h"
#include "engine/feel.h"
#include "engine/model.h"
#include "base/error.h"
#include "patterns/pattern.h"

#define GV_GEN_MAX_CHUNKS (GV_MAX_STEPS / GV_MODEL_STEPS) /* the most of any model (T >= 32) */

typedef enum gv_sampling { GV_SAMPLING_THRESHOLD, GV_SAMPLING_BERNOULLI } gv_sampling;

typedef struct gv_gen_opts {
    float temperature;       /* scales the latent noise; 0: z = mu */
    uint64_t seed;
    float density;           /* >= 0; 1: the model's thresholds */
    float voice_density[GV_VOICES]; /* >= 0, per voice, times density; 1: as density says */
    gv_sampling sampling;
    int max_hits[GV_VOICES]; /* per voice and chunk; < 0: no cap */
    gv_feel feel;            /* the player's timing and dynamics (gv_generate) */
    gv_cond cond;            /* lanes, kept voices, humanize (engine/cond.h; gv_generate) */
} gv_gen_opts;

/* temperature 1, seed 0, density 1 (every voice's 1), threshold, no caps,
 * feel auto, 1 lane */
void gv_gen_opts_default(gv_gen_opts *o);
/* Checks temperature and the densities are finite and >= 0, the enums and
 * cond. */
int gv_gen_opts_check(const gv_gen_opts *o, gv_err *e);
/* 0 when m's modes (gv_config_modes) take c: lanes or kept voices need
 * lanes, humanize humanize (a transformer of src_features 3 takes 1 lane,
 * nothing kept, no humanize; a conditioned one every mode; a recurrent
 * model of the hits humanizes); else -1 and one line. */
int gv_gen_cond_supported(const gv_model *m, const gv_cond *c, gv_err *e);

int gv_gen_chunks(const gv_config *c, int steps); /* ceil(steps / c->steps) */
uint64_t gv_gen_seed(uint64_t seed, int i);
uint64_t gv_gen_chunk_seed(uint64_t seed, int chunk);

/* Scratch for batches of up to max_n latents (chunks of c->steps) through
 * the model.  NULL when out of memory. */
typedef struct gv_gen_ws gv_gen_ws;
gv_gen_ws *gv_gen_ws_new(const gv_config *c, int max_n);
void gv_gen_ws_free(gv_gen_ws *ws);

/* mu, logvar [C*L]: the latents of p's monotonic groove, chunk by chunk
 * (a conditioned model reads it as 1 lane). */
void gv_gen_encode(const gv_model *m, const gv_pattern *p, float *mu, float *logvar, gv_gen_ws *ws);
/* The same for p as c gives it (engine/cond.h; c must be supported). */
void gv_gen_encode_cond(const gv_model *m, const gv_pattern *p, const gv_cond *c, float *mu, float *logvar,
                        gv_gen_ws *ws);

/* z[n][C*L] = mu + exp(logvar/2) * temperature * eps, eps ~ N(0,1) per the
 * seeds above.  mu NULL means 0 and logvar NULL means 0 (sigma 1), so
 *   (NULL, NULL)  samples the prior N(0, T^2),
 *   (kept, NULL)  varies a kept latent: kept + T * eps. */
void gv_gen_latents(const float *mu, const float *logvar, int C, int L, int n, const gv_gen_opts *o, float *z);

/* z[n][C*L] from the model's prior at o->temperature, per the seeds above:
 * with a fitted mixture (cfg.prior_components K > 0) each chunk picks a
 * component k by its weight and draws mean_k + T * exp(logvar_k / 2) * eps,
 * which is where the training data's latents lie; without one, N(0, T^2)
 * as gv_gen_latents(NULL, NULL, ...).  T = 0 gives the chosen means. */
void gv_gen_prior_latents(const gv_model *m, int C, int n, const gv_gen_opts *o, float *z);

/* Decodes z[n][C*L] (in batches of the workspace's max_n) into out[n]:
 * `steps` steps at bpm, hits per o (Bernoulli streams from
 * gv_gen_seed(o->seed, i)).  The names are left empty. */
int gv_gen_decode(const gv_model *m, const float *z, int n, int steps, float bpm, const gv_gen_opts *o,
                  gv_pattern *out, gv_gen_ws *ws, gv_err *e);

/* n suggestions for in's groove: encode once, draw n latents (written to
 * z[n][C*L], C = gv_gen_chunks(&m->cfg, in->steps)), decode them in one batch when the
 * workspace holds n*C.  out[i] has in's steps and bpm, and in's feel per
 * o->feel.  With a conditioned model the decoder reads in as o->cond gives
 * it, and the suggestions honour it (engine/cond.h): hits only where their
 * lane has a tap, every tap sounded (at density >= 1: below it the player
 * asks for fewer hits than taps), kept voices exactly as in `in` (after
 * the feel, caps and density), and for humanize in's hits exactly with the
 * model's velocities and timing (the feel is not applied: in's is flat). */
int gv_generate(const gv_model *m, const gv_pattern *in, int n, const gv_gen_opts *o, gv_pattern *out,
                float *z, gv_gen_ws *ws, gv_err *e);

/* gv_generate of one suggestion from a given latent z[C*L] instead of one
 * drawn around in's: the same conditioning, feel and kept voices (a jam
 * moving its latent part way toward each new groove). */
int gv_generate_z(const gv_model *m, const gv_pattern *in, const float *z, const gv_gen_opts *o, gv_pattern *out,
                  gv_gen_ws *ws, gv_err *e);

/* One chunk's decoder outputs hit_p/vel/off [T][9] (T = c->steps) to hits in
 * out's steps [step0, step0 + nsteps) (nsteps <= T), per o; chunk_seed: that chunk's
 * seed (gv_gen_chunk_seed), from which its Bernoulli stream derives. */
void gv_gen_hits(const gv_config *c, const float *hit_p, const float *vel, const float *off,
                 const gv_gen_opts *o, uint64_t chunk_seed, gv_pattern *out, int step0, int nsteps);

/* Spherical interpolation a -> b at t in [0,1] (out may alias neither);
 * linear when a and b are nearly parallel or one is zero.  t = 0 gives a and
 * t = 1 gives b exactly. */
void gv_slerp(const float *a, const float *b, int L, float t, float *out);
/* z[K][C*L]: K latents from a to b [C*L], ends included, slerp per chunk. */
void gv_gen_interpolate(const float *a, const float *b, int C, int L, int K, float *z);

#endif

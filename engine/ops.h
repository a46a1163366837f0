/* ops.h - the engine's whole operations: what every front end (the CLI
 * commands, the TUI's session) asks of the model.  None of them chains
 * encode -> latents -> decode itself; each calls one of these.
 *
 *   drumify      drum patterns for a groove (gv_generate): lanes, kept
 *                voices and humanize as o->cond says (engine/cond.h), the
 *                player's feel as o->feel says
 *   vary         variations z + T * eps around a pattern's latent
 *   interpolate  the spherical path from one pattern's latent to another's
 *   sample       patterns from the model's prior
 *   encode       a pattern's latent mean and log-variance
 *   decode       latents to patterns
 *
 * Length.  A model sees its own length T (cfg.steps: 2 bars for the
 * transformer and a 2-bar GrooVAE, 4 for the conductor model); every
 * operation takes patterns of any length the engine does
 * (GV_MIN_STEPS..GV_MAX_STEPS) and works T steps at a time: chunk c of a
 * pattern has its own latent, [C*L] floats a pattern (C =
 * gv_gen_chunks(&m->cfg, steps), L = latent_dim), and the seeds of
 * engine/generate.h (suggestion i: gv_gen_seed(seed, i); its chunk c:
 * gv_gen_chunk_seed of that).  So with a 2-bar model a 4-bar drumify with
 * seed S is the 2-bar drumify of its first half with S and of its second
 * half with gv_gen_chunk_seed(S, 1) (with a fixed feel: auto looks at the
 * whole); a 4-bar model writes it in one piece.
 *
 * Modes.  A model declares what it is for (engine/arch.h gv_model_mode,
 * gv_config_modes): drumify needs drumify (humanize instead when
 * o->cond.humanize), plus lanes for lanes or kept voices; vary, interpolate
 * and encode read a pattern as the encoder does (its groove, hits or every
 * voice) and sample and decode read nothing: they need none.
 *
 * A source (gv_op_src) is a pattern and, when known, its kept latent: that
 * latent is used when it has C*L floats, else the pattern is encoded (its
 * mean).  Results go to out[n] and their latents to z[n][C*L]; the caller
 * owns both and the workspace (gv_gen_ws_new, with max_n latents a pass).
 *
 *   gv_gen_ws *ws = gv_gen_ws_new(&m.cfg, 64);
 *   gv_op_drumify(&m, &groove, 4, &opts, out, z, ws, &e);
 *   gv_prov p;
 *   gv_op_prov(&p, "generate", &m, &opts, 0, 4, z, C);   // out[0]'s record
 *
 * Each returns 0, or -1 with e (bad options, a model that does not take
 * o->cond or lacks the mode, out of memory). */
#ifndef GV_OPS_H
#define GV_OPS_H

#include "engine/generate.h"
#include "engine/provenance.h"

typedef struct gv_op_src {
    const gv_pattern *pat;
    const float *z; /* its kept latent, or NULL */
    int zdim;       /* floats at z */
} gv_op_src;

/* 0 when m does what the caller asks: every mode in need (gv_model_mode bits; 0
 * for none) and, when window > 0, works in windows of that many steps (the
 * TUI and jam: GV_MODEL_STEPS) as its own length; and a length the chunks
 * take (2, 4, 6... bars).  Else -1 and one line (GV_E_MODEL) naming the
 * model's length and arch and what it lacks. */
int gv_op_model_ok(const gv_model *m, unsigned need, int window, gv_err *e);
/* The modes a drumify under c needs (see Modes above). */
unsigned gv_op_drumify_needs(const gv_cond *c);

int gv_op_drumify(const gv_model *m, const gv_pattern *in, int n, const gv_gen_opts *o, gv_pattern *out, float *z,
                  gv_gen_ws *ws, gv_err *e);
/* drumify of one suggestion decoded from the given latent z [C*L] (a jam
 * following the player part way), with in's conditioning and feel. */
int gv_op_drumify_z(const gv_model *m, const gv_pattern *in, const float *z, const gv_gen_opts *o, gv_pattern *out,
                    gv_gen_ws *ws, gv_err *e);
/* n variations of src, `steps` steps at bpm (n 0: nothing to do). */
int gv_op_vary(const gv_model *m, const gv_op_src *src, int n, int steps, float bpm, const gv_gen_opts *o,
               gv_pattern *out, float *z, gv_gen_ws *ws, gv_err *e);
/* K patterns from a's latent to b's, both ends included (slerp per chunk;
 * out[0] is a's latent decoded, out[K-1] b's). */
int gv_op_interpolate(const gv_model *m, const gv_op_src *a, const gv_op_src *b, int K, int steps, float bpm,
                      const gv_gen_opts *o, gv_pattern *out, float *z, gv_gen_ws *ws, gv_err *e);
int gv_op_sample(const gv_model *m, int n, int steps, float bpm, const gv_gen_opts *o, gv_pattern *out, float *z,
                 gv_gen_ws *ws, gv_err *e);
/* mu, logvar [gv_gen_chunks(&m->cfg, p->steps) * L]: p as the encoder
 * reads it, chunk by chunk. */
void gv_op_encode(const gv_model *m, const gv_pattern *p, float *mu, float *logvar, gv_gen_ws *ws);
int gv_op_decode(const gv_model *m, const float *z, int n, int steps, float bpm, const gv_gen_opts *o,
                 gv_pattern *out, gv_gen_ws *ws, gv_err *e);
/* The latent of src over `steps` steps into z [C*L] (see above). */
int gv_op_latent(const gv_model *m, const gv_op_src *src, int steps, float *z, gv_gen_ws *ws, gv_err *e);

/* The provenance of result i of n of operation kind ("generate", "vary",
 * "interpolate", "sample", "humanize") made with o: model, seed (suggestion
 * i's; an interpolation has none: seed and temperature 0, and its position
 * t = i / (n - 1)), temperature, density, sampling, the feel and cond of a
 * drumify, and its latent zi [C * latent_dim] (NULL: none). */
void gv_op_prov(gv_prov *p, const char *kind, const gv_model *m, const gv_gen_opts *o, int i, int n,
                const float *zi, int C);

#endif

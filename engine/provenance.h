/* provenance.h - where a pattern came from: the one record that the CLI's
 * --json, the library sidecar (session/library.h) and the session's
 * per-suggestion metadata (session/session.h) all write and read.
 *
 *   gv_prov p;
 *   gv_prov_init(&p, "generate");
 *   gv_prov_set_gen(&p, &opts, 1);            // seed, temperature, ..., feel, lanes
 *   cJSON *o = gv_prov_to_json(&p, 0);        // a sidecar; GV_PROV_Z_ROWS: the CLI's
 *   ...
 *   gv_prov back;
 *   gv_prov_from_json(o, &back, &err);        // every key missing is its default
 *
 * Keys (each written by every writer; readers take any subset, so that the
 * sidecars and sessions of older groove load, and older readers find every
 * key they knew):
 *   format_version  GV_PROV_VERSION (missing: a record from before it: 0)
 *   kind            the operation: generate | vary | interpolate | sample | humanize
 *   model, arch     the weights file's stem and its architecture ("mgt-vae")
 *   created         local time, YYYY-mm-ddTHH:MM:SS (only when known)
 *   seed            the seed this pattern was made with (0..2^53-1, exact)
 *   temperature, density, sampling ("threshold" | "bernoulli")
 *   timing, dynamics, lanes, keep_voices, humanize
 *                   how a groove was drummed (only for records "from_groove":
 *                   generate and humanize): the feel (engine/feel.h) and the
 *                   conditioning (engine/cond.h); keep_voices only when some
 *                   are kept, humanize only when true
 *   bpm, swing      the tempo, and the swing (0..1) the .mid was written with
 *   groove          [[hit, vel, off] x 32]: the source groove, when known
 *   z               the latent, when known: flat [zdim] (sidecars, sessions)
 *                   or [chunks][zdim / chunks] (GV_PROV_Z_ROWS: the CLI's,
 *                   one row per 2 bars); both read back
 *   t               the position on an interpolation path (only when has_t)
 * Numbers are written %.9g (engine floats read back bit for bit), so
 * write -> read -> write gives the same bytes.  Pure: no globals, no I/O. */
#ifndef GV_PROVENANCE_H
#define GV_PROVENANCE_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/error.h"
#include "engine/generate.h"

#define GV_PROV_VERSION 1
#define GV_PROV_Z_MAX 1024 /* latent floats kept (chunks x latent_dim) */

typedef struct gv_prov {
    int version;            /* format_version read; GV_PROV_VERSION when made here */
    char kind[16];          /* the operation */
    char model[256];        /* the weights file's stem */
    char arch[16];          /* the model's architecture ("" unknown) */
    char created[32];       /* "" unknown */
    uint64_t seed;
    float temperature, density, bpm;
    float swing;            /* the swing the pattern was last written with */
    gv_sampling sampling;
    int from_groove;        /* 1: drummed from a groove: feel and cond say how */
    gv_feel feel;
    gv_cond cond;
    int has_t;
    double t;
    int has_groove;
    float groove[GV_MODEL_STEPS * 3];
    int zdim;               /* 0: no latent */
    int zchunks;            /* rows z is written as with GV_PROV_Z_ROWS (0: 1) */
    float z[GV_PROV_Z_MAX];
} gv_prov;

/* Zeroes p, then: version GV_PROV_VERSION, kind, density 1, feel auto,
 * 1 lane. */
void gv_prov_init(gv_prov *p, const char *kind);
/* The model's stem (of m->path; "" built in memory) and arch. */
void gv_prov_set_model(gv_prov *p, const gv_model *m);
/* seed, temperature, density, sampling from o; feel and cond too when
 * from_groove (generate, humanize). */
void gv_prov_set_gen(gv_prov *p, const gv_gen_opts *o, int from_groove);
/* created = now, local time. */
void gv_prov_stamp(gv_prov *p);
/* z[chunks * L] into p (zdim 0 when more than GV_PROV_Z_MAX). */
void gv_prov_set_z(gv_prov *p, const float *z, int chunks, int L);

enum { GV_PROV_Z_ROWS = 1 }; /* write z as [chunks][L] rows */

/* p as a JSON object (NULL when out of memory). */
cJSON *gv_prov_to_json(const gv_prov *p, unsigned flags);
/* The same with the latent z[chunks][L] given apart (z NULL: none): the
 * CLI's, whose latents may be longer than GV_PROV_Z_MAX. */
cJSON *gv_prov_to_json_z(const gv_prov *p, const float *z, int chunks, int L, unsigned flags);

/* Reads o into p (missing keys: gv_prov_init's values, kind ""; numbers
 * clamped to what groove writes).  -1 with e when the latent is refused
 * (gv_prov_latent): p then holds every other field and zdim 0. */
int gv_prov_from_json(const cJSON *o, gv_prov *p, gv_err *e);

/* The largest |z| groove accepts from a file.  A trained model's latents lie
 * within a few units of 0 (its prior is N(0, 1)); a value beyond this, or one
 * that is not finite, is a corrupt or crafted file, and decodes to nothing. */
#define GV_Z_ABS_MAX 1000.0

/* Every latent groove reads from a file (--z-file, library sidecars, the
 * session) goes through here: the JSON array arr of numbers into z, at most
 * max of them, the count into *n.  -1 with e when arr is not an array, holds
 * more than max, something that is not a number, or a value that is not
 * finite or beyond GV_Z_ABS_MAX ("z[3] = 1e+300 is not a usable latent
 * value ..."); z is then partly written and *n is 0. */
int gv_prov_latent(const cJSON *arr, float *z, int max, int *n, gv_err *e);

#endif

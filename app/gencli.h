/* gencli.h - what the model commands (generate, sample, interpolate, encode,
 * decode, info) share: the struct their common options fill (the option
 * groups are in app/opts.h), finding and loading the model,
 * writing numbered output files, and JSON with floats printed exactly
 * (%.9g: a float reads back bit for bit).
 *
 * Like cli.h, these print the error line themselves and return the exit
 * status (0 ok, 1 runtime error, 2 usage error). */
#ifndef GV_GENCLI_H
#define GV_GENCLI_H

#include <cjson/cJSON.h>

#include "base/json.h"
#include <stdio.h>

#include "app/cli.h"
#include "engine/generate.h"
#include "engine/model.h"
#include "engine/ops.h"
#include "patterns/pattern.h"

typedef struct gv_gencli {
    gv_gen_opts gen;
    int n;              /* -n: suggestions (default 1) */
    const char *outdir; /* -o: output directory (default ".") */
    const char *model;  /* --model: weights file (NULL: gv_model_path's lookup) */
    int threads;        /* --threads (default 1) */
    int json;           /* --json */
    int device;         /* --device: a gv_device (app/devicecli.h), GV_DEVICE_CPU by default */
    float bpm;          /* --bpm: tempo of patterns made from latents alone (default 120) */
} gv_gencli;

void gv_gencli_default(gv_gencli *g);

/* Latents per pass through the model: one pass for the usual sizes, bounded
 * workspace memory for big ones (more go through in several passes). */
#define GV_GENCLI_BATCH 64
#define GV_GENCLI_BATCH_OF(rows) ((rows) < GV_GENCLI_BATCH ? (rows) : GV_GENCLI_BATCH)

/* Finds (engine/modelpath.h) and loads the model, checks it does what the
 * command needs (engine/ops.h gv_op_model_ok: the modes in need, the
 * window when > 0), sets the BLAS threads, after --device (gv_device_pick).
 * Prints the error line ("groove: PATH: what is wrong"). */
int gv_gencli_model(const gv_gencli *g, gv_model *m, unsigned need, int window);

/* Saves p[0..n) as DIR/STEM-01.mid, ... (creating DIR; each pattern named
 * STEM-01, ...); paths, when not NULL, receives each file's path. */
#define GV_GENCLI_PATH 4096
int gv_gencli_write(const char *dir, const char *stem, gv_pattern *p, int n, char (*paths)[GV_GENCLI_PATH]);

/* Prints root (unformatted, one line) on stdout and deletes it; 1 with the
 * error line when out of memory or stdout fails. */
int gv_json_print(cJSON *root);
/* The same, formatted over several lines (groove eval --json). */
int gv_json_print_pretty(cJSON *root);

/* One generated file's record for --json: its provenance (engine/
 * provenance.h, with z [C][L] as rows) and where it went: path, input (may be
 * NULL). */
cJSON *gv_gencli_record(const char *path, const char *input, const gv_prov *p, const float *z, int C, int L);

#endif

/* gencli.h - what the model commands (generate, sample, interpolate, encode,
 * decode, info) share: their common options, finding and loading the model,
 * writing numbered output files, and JSON with floats printed exactly
 * (%.9g: a float reads back bit for bit).
 *
 * Like cli.h, these print the error line themselves and return the exit
 * status (0 ok, 1 runtime error, 2 usage error). */
#ifndef GV_GENCLI_H
#define GV_GENCLI_H

#include <cjson/cJSON.h>

#include "base/json.h"
#include <getopt.h>
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
    float bpm;          /* --bpm: tempo of patterns made from latents alone (default 120) */
} gv_gencli;

void gv_gencli_default(gv_gencli *g);

/* Latents per pass through the model: one pass for the usual sizes, bounded
 * workspace memory for big ones (more go through in several passes). */
#define GV_GENCLI_BATCH 64
#define GV_GENCLI_BATCH_OF(rows) ((rows) < GV_GENCLI_BATCH ? (rows) : GV_GENCLI_BATCH)

/* getopt_long ids beside the window options of cli.h; commands list the
 * groups they accept in their option table. */
enum {
    GV_OPT_TEMPERATURE = 0x1100, GV_OPT_SEED, GV_OPT_SAMPLING, GV_OPT_DENSITY, GV_OPT_MAX_HITS,
    GV_OPT_MODEL, GV_OPT_THREADS, GV_OPT_JSON, GV_OPT_BPM, GV_OPT_TIMING, GV_OPT_DYNAMICS, GV_OPT_LANES,
    GV_OPT_KEEP_VOICES
};
#define GV_BPM_LONGOPT {"bpm", required_argument, 0, GV_OPT_BPM}
/* latent noise and its sampling: --temperature --seed --sampling */
#define GV_NOISE_LONGOPTS                                                                           \
    {"temperature", required_argument, 0, GV_OPT_TEMPERATURE}, {"seed", required_argument, 0, GV_OPT_SEED}, \
        {"sampling", required_argument, 0, GV_OPT_SAMPLING}
/* hit shaping: --density --max-hits */
#define GV_HITS_LONGOPTS                                                                            \
    {"density", required_argument, 0, GV_OPT_DENSITY}, {"max-hits", required_argument, 0, GV_OPT_MAX_HITS}
/* the player's feel when drumming a groove (engine/feel.h): --timing --dynamics */
#define GV_FEEL_LONGOPTS                                                                            \
    {"timing", required_argument, 0, GV_OPT_TIMING}, {"dynamics", required_argument, 0, GV_OPT_DYNAMICS}
/* what a conditioned model is given of the input (engine/cond.h): --lanes --keep-voices */
#define GV_COND_LONGOPTS                                                                            \
    {"lanes", required_argument, 0, GV_OPT_LANES}, {"keep-voices", required_argument, 0, GV_OPT_KEEP_VOICES}
/* every model command: --model --threads --json --help */
#define GV_MODEL_LONGOPTS                                                                           \
    {"model", required_argument, 0, GV_OPT_MODEL}, {"threads", required_argument, 0, GV_OPT_THREADS}, \
        {"json", no_argument, 0, GV_OPT_JSON}, {"help", no_argument, 0, 'h'}

/* Takes one parsed option (also -n and -o): 1 taken, 0 not one of these, -1
 * a bad value (error printed). */
int gv_gencli_opt(int opt, const char *arg, gv_gencli *g);

/* A command's own options beyond these: 1 taken, 0 not its, -1 bad value
 * (error printed). */
typedef int (*gv_gencli_extra)(int opt, const char *arg, void *ctx);

/* The option loop of a model command (argv[0] is its name): -h/--help
 * prints usage to stdout; every other option goes to gv_gencli_opt, then
 * gv_cli_window_opt (when win is not NULL), then extra (when not NULL).
 * Returns -1 to go on (optind at the first operand), else the exit status:
 * 0 after --help, 2 on a bad option (error printed). */
int gv_gencli_parse(int argc, char **argv, const char *shortopts, const struct option *longopts,
                    void (*usage)(FILE *), gv_gencli *g, gv_load_opts *win, gv_gencli_extra extra, void *ctx);

/* Finds (engine/modelpath.h) and loads the model, sets the BLAS threads.
 * Prints the error line ("groove: PATH: what is wrong"). */
int gv_gencli_model(const gv_gencli *g, gv_model *m);

/* Saves p[0..n) as DIR/STEM-01.mid, ... (creating DIR; each pattern named
 * STEM-01, ...); paths, when not NULL, receives each file's path. */
#define GV_GENCLI_PATH 4096
int gv_gencli_write(const char *dir, const char *stem, gv_pattern *p, int n, char (*paths)[GV_GENCLI_PATH]);

/* Prints root (unformatted, one line) on stdout and deletes it; 1 with the
 * error line when out of memory or stdout fails. */
int gv_json_print(cJSON *root);

/* One generated file's record for --json: its provenance (engine/
 * provenance.h, with z [C][L] as rows) and where it went: path, input (may be
 * NULL). */
cJSON *gv_gencli_record(const char *path, const char *input, const gv_prov *p, const float *z, int C, int L);

#endif

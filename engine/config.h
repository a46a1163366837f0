/* config.h - the mgt-vae config (engine/arch.h): the shipped defaults, the
 * checks a config must pass before a model is built from it, and its JSON
 * form (the safetensors "config" metadata and the .json sidecar).
 *
 *   gv_config c;
 *   gv_config_default(&c);                  // the shipped architecture
 *   char *js = gv_config_to_json(&c, 1);    // caller frees
 *   gv_config_from_json(js, strlen(js), &c, &e);   // parses and validates
 *
 * Errors are one line in e starting "config: ". */
#ifndef GV_CONFIG_H
#define GV_CONFIG_H

#include <stddef.h>

#include "base/error.h"
#include "engine/arch.h"

/* Fills defaults (the shipped architecture) into c. */
void gv_config_default(gv_config *c);
/* The recurrent family (arch "groovae", hier: "groovae-hier"): Magenta's
 * sizes (engine/rnn.h); gv_config_rnn_sync copies rnn's steps, input and
 * latent into the fields every model has, and declares its modes (what its
 * input allows). */
void gv_config_default_rnn(gv_config *c, int hier);
void gv_config_rnn_sync(gv_config *c);
int gv_config_is_rnn(const gv_config *c);
/* Checks sizes are positive, heads divide d_model, steps == 32, ... */
int gv_config_validate(const gv_config *c, gv_err *e);
/* Modes (engine/arch.h gv_model_mode).  gv_config_modes_allowed: what the inputs
 * let a model do: a transformer of the groove alone (src_features 3)
 * drumify; a conditioned one (GV_COND_FEATURES) every mode; a recurrent one
 * by what its encoder reads: the groove drumify, the hits humanize, the
 * whole pattern full.  gv_config_modes: the declared ones (c->modes), or
 * the allowed ones when none are declared (files before "modes"). */
unsigned gv_config_modes_allowed(const gv_config *c);
unsigned gv_config_modes(const gv_config *c);
/* "drumify", "lanes", "humanize", "full" for one bit; NULL for another. */
const char *gv_mode_name(unsigned bit);
/* The names of the bits in modes, ", " between them ("none" for 0). */
void gv_modes_str(unsigned modes, char *buf, size_t n);
/* 0 when c's modes hold every bit of need; else -1 and one line naming the
 * arch and the first mode it lacks, and its modes. */
int gv_config_need(const gv_config *c, unsigned need, gv_err *e);
/* The config as a JSON object (malloc'd string, caller frees; pretty =
 * indented for the sidecar), NULL when out of memory.  "modes" is written
 * when declared (c->modes != 0), so a config reads back as it was. */
char *gv_config_to_json(const gv_config *c, int pretty);
/* Parses a config JSON object of len bytes (thresholds optional: 0.5 each;
 * modes optional: an array of mode names, none declared when absent) and
 * validates it. */
int gv_config_from_json(const char *json, size_t len, gv_config *c, gv_err *e);

#endif

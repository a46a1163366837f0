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
 * latent into the fields every model has. */
void gv_config_default_rnn(gv_config *c, int hier);
void gv_config_rnn_sync(gv_config *c);
int gv_config_is_rnn(const gv_config *c);
/* Checks sizes are positive, heads divide d_model, steps == 32, ... */
int gv_config_validate(const gv_config *c, gv_err *e);
/* The config as a JSON object (malloc'd string, caller frees; pretty =
 * indented for the sidecar), NULL when out of memory. */
char *gv_config_to_json(const gv_config *c, int pretty);
/* Parses a config JSON object of len bytes (thresholds optional: 0.5 each)
 * and validates it. */
int gv_config_from_json(const char *json, size_t len, gv_config *c, gv_err *e);

#endif

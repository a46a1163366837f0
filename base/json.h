/* json.h - the few cJSON helpers every JSON writer and reader in groove shares.
 *
 * groove writes JSON in several places (the CLI's --json records, library
 * sidecars, the session, model configs, safetensors headers) and reads it
 * back; these keep numbers exact and parsing errors uniform:
 *
 *   cJSON *o = cJSON_CreateObject();
 *   cJSON_AddItemToObject(o, "seed", gv_json_u64(seed));      // exact, all 64 bits
 *   cJSON_AddItemToObject(o, "z", gv_json_floats(z, n));       // %.9g: floats round-trip
 *   ...
 *   cJSON *in = gv_json_object(text, len, "not JSON", "not an object", &err);
 *
 * Each builder returns NULL when out of memory (cJSON's add functions then
 * fail too, so callers check once at the end).  The caller owns every tree. */
#ifndef GV_JSON_H
#define GV_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/error.h"

/* v as a number written %.9g (a float round-trips; NaN and inf as null). */
cJSON *gv_json_number(double v);
/* x[n] as a number array (%.9g, exact for a float; NaN and inf as null). */
cJSON *gv_json_floats(const float *x, int n);
/* x[rows][cols] as nested arrays. */
cJSON *gv_json_rows(const float *x, int rows, int cols);
/* v as a raw integer literal: all 64 bits, not rounded through a double. */
cJSON *gv_json_u64(uint64_t v);

/* Parses len bytes of JSON that must be an object: the object (the caller
 * deletes it), or NULL with e set to bad_json or not_object. */
cJSON *gv_json_object(const char *text, size_t len, const char *bad_json, const char *not_object,
                      gv_err *e);

#endif
